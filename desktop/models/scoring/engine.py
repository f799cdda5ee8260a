"""The scoring engine: suggested scores, explanations and review flags of self-evaluation forms.

Follows forms.md §4 with every number and formula taken from a rule set (``rules.py``).
Results are cached per indicator; after one indicator changes only it, its form's subtotal and
the form's total are recomputed.

How one indicator is scored (A = 指标值, B = 实际完成值, w = 分值):

1. Both values are quantities in comparable units: by the target's direction — ≥ / 以上: met when
   B ≥ A, else B/A × w; ≤ / 以下: met when B ≤ A, else the rule set's formula (A/B × w, or
   (1 − (B − A)/A) × w reaching 0 at B ≥ 2A); = : met only when B = A (below: B/A × w, above: the
   lower-is-better formula); a bare number reads as ≥, or as ≤ under 成本指标 (rule set); a bare 0
   is met only by 0. Strict signs (> <) are scored like ≥ ≤. Units that do not compare: flagged.
   Durations are quantities too (5个工作日内, ≤2小时: lower is better; 小时 / 分钟 / 天 convert).
2. The target is a date (12月底前, 2025年2月前) and the actual one too: met when within it; a missed
   date needs a completion band.
3. Otherwise the indicator is qualitative: an actual equal to the target text, an affirmative word
   (达成 / 完成 / 合格 / 按时 …, rule set) for a target that is not a number, or ``100%`` (a
   completion rate) for a qualitative target is 达成 and gets the full 分值; else the accountant's
   completion ``band`` gives the rule set's default share of 分值; with no band there is no
   suggestion and the row is flagged ``unreadable`` (choose a band).

The suggestion is clamped to [0, w] and rounded by the rule set. A manual ``score`` wins; it is
flagged when it leaves [0, w] or the band, and when it differs from the suggestion (with
``manual_no_reason`` if 偏差原因 is empty or only says 无偏差). A score below w, or a far
over-achievement (B ≥ 130% × A; for lower-is-better cost values B ≤ A / 130%), with no reason is
flagged ``needs_reason``.

Budget execution: rate = 全年执行数 / 全年预算数 of the ``total`` fund line; score = min(rate × 分值,
分值); a manual ``form.exec_score`` wins. Total = execution score + Σ effective indicator scores
(an indicator with neither a manual score nor a suggestion counts 0).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from desktop.models.errors import UserError
from desktop.models.scoring.rules import RuleSet, load_ruleset
from desktop.models.scoring.values import (
    MONEY_FACTORS,
    Direction,
    Quantity,
    Value,
    ValueKind,
    comparable,
    format_quantity,
    format_value,
    read_value,
    span_within,
)
from desktop.models.workbook.document import Change, Listener, WorkbookDocument
from desktop.models.workbook.domain import Band, Form, FormKind, FundLine, Indicator, Workbook

# Review flag machine names (the ``flags`` of ``jixiao score``).
FLAG_NOT_MET = "not_met"  # target not met
FLAG_OVER_TARGET = "over_target"  # actual far beyond the target (≥ 130% by default)
FLAG_UNREADABLE = "unreadable"  # value not readable: qualitative, needs a completion band
FLAG_UNIT_MISMATCH = "unit_mismatch"  # target and actual units do not match
FLAG_MANUAL_OUT_OF_BAND = "manual_out_of_band"  # manual score outside the allowed band
FLAG_MANUAL_NO_REASON = "manual_no_reason"  # manual score differs from the suggestion without a reason
FLAG_MANUAL_DIFFERS = "manual_differs"  # manual score differs from the suggestion
FLAG_NEEDS_REASON = "needs_reason"  # score below 分值 (or a large deviation) with no 偏差原因
FLAG_MISSING = "missing_value"  # 指标值, 实际完成值 or 分值 (budget: 全年预算数 / 全年执行数) not filled in

# What each flag means, as the table's tooltips and 审核 say it.
FLAG_TEXTS: dict[str, str] = {
    FLAG_NOT_MET: "未达到指标值",
    FLAG_OVER_TARGET: "实际完成值远超指标值（指标值可能定得过低），须说明偏差原因",
    FLAG_UNREADABLE: "定性指标：请在“完成情况”中选择完成等级",
    FLAG_UNIT_MISMATCH: "指标值与实际完成值的单位不一致，无法比较",
    FLAG_MANUAL_OUT_OF_BAND: "手动得分不在所选完成情况对应的分数区间内",
    FLAG_MANUAL_NO_REASON: "手动得分与建议得分不同，但未填写偏差原因",
    FLAG_MANUAL_DIFFERS: "手动得分与建议得分不同",
    FLAG_NEEDS_REASON: "得分低于分值或偏差较大，须填写偏差原因分析及改进措施",
    FLAG_MISSING: "指标值、实际完成值或分值未填写",
}

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)

# 偏差原因分析 texts that say nothing: they do not explain a deduction.
_NO_REASON = frozenset({"", "无", "无偏差", "没有偏差", "不存在偏差", "未发生偏差", "—", "--", "-", "/", "／", "无。"})


def has_reason(text: str | None) -> bool:
    """Whether a 偏差原因分析及改进措施 text actually gives a reason (not empty, 无 or 无偏差)."""
    if text is None:
        return False
    return _squash(text).rstrip("。.；;") not in _NO_REASON


def _squash(text: str) -> str:
    return "".join(text.split())


def tidy(value: Decimal) -> Decimal:
    """A decimal without trailing zeros and never in exponent form (``3.50`` → ``3.5``, ``10.00`` → ``10``)."""
    if value == value.to_integral_value():
        return value.quantize(ONE)
    return value.normalize()


def show(value: Decimal) -> str:
    """A decimal as text for explanations (``tidy``, no exponent)."""
    return format(tidy(value), "f")


def _pct(fraction: Decimal) -> str:
    return show((fraction * HUNDRED).quantize(Decimal("0.1")))


@dataclass(frozen=True)
class IndicatorScore:
    """The engine's verdict on one indicator.

    Attributes:
        suggested: the engine's own score (None when it cannot suggest one, e.g. no 分值).
        score: the effective score: the manual one where given, else ``suggested``.
        manual: whether ``score`` is the user's manual score.
        flags: review flag names (``FLAG_*``).
        explain: one line of Chinese saying how ``suggested`` was reached.
        met: whether the target was met (None when the engine cannot tell).
        band: the completion band the suggestion rests on: the chosen one, or 达成 implied by an
            actual equal to the target / an affirmative word; None for quantitative rows.
    """

    suggested: Decimal | None
    score: Decimal | None
    manual: bool
    flags: tuple[str, ...]
    explain: str
    met: bool | None = None
    band: Band | None = None


@dataclass(frozen=True)
class Subtotal:
    """A first level's score against its weight."""

    level1: str
    weight: Decimal  # the sum of its indicators' 分值
    score: Decimal  # the sum of its indicators' effective scores
    expected: Decimal | None  # the rule set's weight for this first level, if it has one


@dataclass(frozen=True)
class FormScore:
    """A scored self-evaluation form (target forms get ``indicators`` with no scores).

    ``exec_flags`` / ``exec_explain`` review the budget execution part like an indicator's;
    ``max_total`` is 预算执行率分值 + Σ indicator 分值 (100 when the weights are right);
    ``layout_a`` tells a department table of layout A (部门管理 / 履职效果 …) from one of layout B.
    """

    exec_rate: Decimal | None  # 全年执行数 / 全年预算数
    exec_weight: Decimal
    exec_suggested: Decimal | None
    exec_score: Decimal | None  # effective: manual ``form.exec_score`` where set, else suggested
    indicators: tuple[IndicatorScore, ...]  # parallel to form.indicators
    subtotals: tuple[Subtotal, ...]
    total: Decimal | None
    grade: str | None  # 优 / 良 / 中 / 差
    exec_flags: tuple[str, ...] = ()
    exec_explain: str = ""
    max_total: Decimal | None = None
    layout_a: bool = False


_UNSCORED = IndicatorScore(None, None, False, (), "")


# ---- one indicator ----------------------------------------------------------------------------


@dataclass
class _Verdict:
    """How far the target was reached, before 分值 is applied."""

    fraction: Decimal | None  # share of 分值 earned (unclamped), None if unknown
    met: bool | None
    explain: str
    band: Band | None = None
    flags: list[str] = field(default_factory=list)
    note: str = ""  # appended after the score ("；实际为指标值的350%，偏差较大…")
    score_word: str = "得"  # "建议得" for a band's default


def evaluate(indicator: Indicator, ruleset: RuleSet, money_unit: str) -> IndicatorScore:
    """Score one self-evaluation indicator (see the module docstring for the rules).

    Args:
        indicator: the row.
        ruleset: the rule set.
        money_unit: the form's money unit (a bare number in a cost row is read in it).
    """
    verdict = _judge(indicator, ruleset, money_unit)
    flags = verdict.flags
    weight = indicator.weight
    suggested: Decimal | None = None
    explain = verdict.explain
    if weight is None:
        flags.append(FLAG_MISSING)
        explain += "；未填写分值，无法计分"
    elif verdict.fraction is not None:
        fraction = min(max(verdict.fraction, ZERO), ONE)
        suggested = tidy(ruleset.round(fraction * weight))
        explain += "，得满分" if fraction == ONE else f"，{verdict.score_word}{show(suggested)}分"
    explain += verdict.note
    if verdict.met is False and FLAG_NOT_MET not in flags:
        flags.append(FLAG_NOT_MET)

    manual = indicator.score is not None
    score = indicator.score if indicator.score is not None else suggested
    reason = has_reason(indicator.deviation)
    if indicator.score is not None:
        given = indicator.score
        out = given < ZERO or (weight is not None and given > weight)
        if not out and verdict.band is not None and weight is not None and weight > ZERO:
            out = not ruleset.in_band(verdict.band, given / weight)
        if out:
            flags.append(FLAG_MANUAL_OUT_OF_BAND)
        if suggested is not None and given != suggested:
            flags.append(FLAG_MANUAL_DIFFERS)
            if not reason:
                flags.append(FLAG_MANUAL_NO_REASON)
    if not reason and ((score is not None and weight is not None and score < weight) or FLAG_OVER_TARGET in flags):
        flags.append(FLAG_NEEDS_REASON)
    return IndicatorScore(suggested, score, manual, tuple(flags), explain, verdict.met, verdict.band)


def _judge(ind: Indicator, rs: RuleSet, money_unit: str) -> _Verdict:
    target_text = (ind.target or "").strip()
    actual_text = (ind.actual or "").strip()
    target = read_value(target_text)
    actual = read_value(actual_text)
    if target.kind is ValueKind.EMPTY or actual.kind is ValueKind.EMPTY:
        missing = (
            "指标值和实际完成值"
            if target.kind is actual.kind
            else ("指标值" if target.kind is ValueKind.EMPTY else "实际完成值")
        )
        verdict = _band_verdict(ind.band, rs, f"未填写{missing}")
        if verdict is None:
            return _Verdict(None, None, f"未填写{missing}", flags=[FLAG_MISSING])
        verdict.flags.append(FLAG_MISSING)
        return verdict

    same_text = target.canonical == actual.canonical
    if target.quantity is not None and actual.quantity is not None:  # quantities and durations
        target_q, actual_q = target.quantity, actual.quantity
        if rs.plain_is_lower(ind.level1, ind.level2):  # a bare number in a cost row is money
            target_q, actual_q = _as_money(target_q, money_unit), _as_money(actual_q, money_unit)
        pair = comparable(target_q, actual_q, money_unit)
        if pair is not None:
            return _quantitative(ind, rs, target, target_q, actual_q, pair)
        if not same_text:
            unit_t = target_q.unit or "无单位"
            unit_a = actual_q.unit or "无单位"
            note = f"指标值单位“{unit_t}”与实际完成值单位“{unit_a}”不一致"
            verdict = _band_verdict(ind.band, rs, note)
            if verdict is None:
                return _Verdict(None, None, f"{note}，请统一单位", flags=[FLAG_UNIT_MISMATCH])
            verdict.flags.append(FLAG_UNIT_MISMATCH)
            return verdict

    if target.kind is ValueKind.DATE and actual.kind is ValueKind.DATE:
        assert target.span is not None and actual.span is not None
        within = span_within(actual.span, target.span)
        if within is True:
            return _Verdict(ONE, True, f"实际{actual_text}在期限“{target_text}”以内")
        if within is False:
            note = f"实际{actual_text}晚于期限“{target_text}”"
            verdict = _band_verdict(ind.band, rs, note)
            if verdict is None:
                return _Verdict(None, False, f"{note}，请选择完成等级（{rs.band_text}）", flags=[FLAG_UNREADABLE])
            verdict.met = False
            return verdict

    # Qualitative (or values that do not compare): text match, affirmative words, 100%, band.
    if same_text:
        return _Verdict(ONE, True, "实际完成值与指标值一致，视为达成", band=Band.MET)
    if target.quantity is None and _is_affirmative(actual.canonical, rs):
        return _Verdict(ONE, True, f"实际完成值“{actual_text}”，视为达成", band=Band.MET)
    if (
        target.kind is ValueKind.QUALITATIVE
        and actual.quantity is not None
        and actual.quantity.unit == "%"
        and actual.quantity.number == HUNDRED
    ):
        return _Verdict(ONE, True, "定性指标实际完成率100%，视为达成", band=Band.MET)
    if target.quantity is not None or target.kind is ValueKind.DATE:
        note = f"实际完成值“{actual_text}”无法与指标值“{target_text}”比较"
    else:
        note = "定性指标"
    verdict = _band_verdict(ind.band, rs, note)
    if verdict is not None:
        return verdict
    return _Verdict(None, None, f"{note}，请选择完成等级（{rs.band_text}）", flags=[FLAG_UNREADABLE])


def _band_verdict(band: Band | None, rs: RuleSet, note: str) -> _Verdict | None:
    if band is None:
        return None
    fraction = rs.band_default(band)
    low, high = rs.band_range(band)
    span = f"{_pct(low)}%–{_pct(high)}%"
    return _Verdict(
        fraction, band is Band.MET, f"{note}，完成等级“{band.label}”（{span}）", band=band, score_word="建议得"
    )


def _is_affirmative(canonical: str, rs: RuleSet) -> bool:
    word = canonical.rstrip("。.！!")
    if word in rs.affirmative:
        return True
    for prefix in ("均已", "全部", "全面", "均", "已"):
        if word.startswith(prefix) and word[len(prefix) :] in rs.affirmative:
            return True
    return False


def _lower_fraction(rs: RuleSet, a: Decimal, b: Decimal) -> tuple[Decimal, str]:
    """Share earned by a lower-is-better value B over its cap A (A > 0, B > A)."""
    if rs.lower_formula == "ratio":
        return a / b, "，按指标值/实际值计分"
    return ONE - (b - a) / a, ""


# Explanations format the same few quantities again and again: remember them.
_format_quantity = functools.lru_cache(maxsize=8192)(format_quantity)
_format_value = functools.lru_cache(maxsize=8192)(format_value)


def _as_money(quantity: Quantity, money_unit: str) -> Quantity:
    """A unitless number as money: in the form's money unit, or in 元 when a 万 / 亿 was applied."""
    if quantity.unit or money_unit not in MONEY_FACTORS:
        return quantity
    return Quantity(quantity.number, "元" if quantity.multiplier else money_unit, quantity.multiplier)


def _quantitative(
    ind: Indicator, rs: RuleSet, target: Value, target_q: Quantity, actual_q: Quantity, pair: tuple[Decimal, Decimal]
) -> _Verdict:
    a, b = pair
    ta = _format_quantity(target_q)
    ac = _format_quantity(actual_q)
    target_text = _format_value(target) if target_q is target.quantity else f"{target.operator}{ta}"
    direction = target.direction
    if direction in (None, Direction.PLAIN):
        if a == ZERO:
            direction = Direction.EQUAL
        elif rs.plain_is_lower(ind.level1, ind.level2):
            direction = Direction.LOWER
        else:
            direction = Direction.HIGHER
    if direction in (Direction.LOWER, Direction.DEADLINE):
        if b <= a:
            verdict = _Verdict(ONE, True, f"实际{ac} ≤ 指标值{ta}")
            if _far_below(rs, ind, target_q, a, b):
                verdict.flags.append(FLAG_OVER_TARGET)
                verdict.note = f"；实际仅为上限的{_pct(b / a)}%，偏差较大，请说明原因"
            return verdict
        if a <= ZERO:
            return _Verdict(ZERO, False, f"实际{ac}，指标值{target_text}，未达成")
        fraction, how = _lower_fraction(rs, a, b)
        return _Verdict(fraction, False, f"实际{ac}，指标值{target_text}，超出{_pct((b - a) / a)}%{how}")

    if direction is Direction.EQUAL:
        if b == a:
            return _Verdict(ONE, True, f"实际{ac} = 指标值{ta}")
        if a <= ZERO:
            return _Verdict(ZERO, False, f"实际{ac}，指标值{target_text}，未达成")
        if b < a:
            return _Verdict(b / a, False, f"实际{ac}，指标值{target_text}，完成{_pct(b / a)}%")
        fraction, how = _lower_fraction(rs, a, b)
        verdict = _Verdict(fraction, False, f"实际{ac}，指标值{target_text}，超出{_pct((b - a) / a)}%{how}")
        if b >= a * rs.over_target:
            verdict.flags.append(FLAG_OVER_TARGET)
        return verdict

    # Higher is better.
    if b >= a:
        verdict = _Verdict(ONE, True, f"实际{ac} ≥ 指标值{ta}")
        if a > ZERO and b >= a * rs.over_target:
            verdict.flags.append(FLAG_OVER_TARGET)
            verdict.note = f"；实际为指标值的{_pct(b / a)}%，偏差较大，请说明原因"
        return verdict
    if a <= ZERO:
        return _Verdict(ZERO, False, f"实际{ac}，指标值{target_text}，未达成")
    return _Verdict(b / a, False, f"实际{ac}，指标值{target_text}，完成{_pct(b / a)}%")


def _far_below(rs: RuleSet, ind: Indicator, quantity: Quantity, a: Decimal, b: Decimal) -> bool:
    """Whether a lower-is-better actual is far below its cap (and the rule set wants it flagged)."""
    if rs.over_target_lower == "none" or a <= ZERO:
        return False
    if rs.over_target_lower == "cost" and not (quantity.is_money or rs.plain_is_lower(ind.level1, ind.level2)):
        return False
    return b * rs.over_target <= a


# ---- the engine -------------------------------------------------------------------------------


@dataclass
class _Entry:
    """Cached results of one form."""

    scores: dict[Indicator, IndicatorScore] = field(default_factory=dict)
    result: FormScore | None = None


ScoresListener = Callable[[Form | None], None]

_FORM_FIELDS_ALL = frozenset({"kind", "money_unit", "indicators"})
_FORM_FIELDS_EXEC = frozenset({"exec_weight", "exec_score", "deviation", "funds"})


class ScoringEngine:
    """Scores forms with one rule set and caches the results until told what changed.

    Call ``indicator_changed`` / ``exec_changed`` / ``form_changed`` after editing (``attach`` does
    it for every edit of a ``WorkbookDocument``). ``subscribe`` tells a listener after the cache of a
    form was invalidated (``None``: every form); ``follow`` passes on each edit of the attached
    document after the scores it touches were invalidated, so a view that shows scores follows the
    engine rather than the document and never reads a stale score, whoever subscribed first.
    """

    def __init__(self, ruleset: RuleSet | None = None) -> None:
        self._ruleset = ruleset or load_ruleset()
        self._entries: dict[Form, _Entry] = {}
        self._document: WorkbookDocument | None = None
        self._listeners: list[ScoresListener] = []
        self._followers: list[Listener] = []

    @property
    def ruleset(self) -> RuleSet:
        """The rule set in use."""
        return self._ruleset

    def set_ruleset(self, ruleset: RuleSet) -> None:
        """Use another rule set (every cached result is dropped)."""
        self._ruleset = ruleset
        self.clear()

    def clear(self) -> None:
        """Drop every cached result."""
        self._entries.clear()
        self._notify(None)

    # ---- scoring ----------------------------------------------------------------------------

    def _entry(self, form: Form) -> _Entry:
        entry = self._entries.get(form)
        if entry is None:
            entry = self._entries[form] = _Entry()
        return entry

    def score_indicator(self, form: Form, indicator: Indicator) -> IndicatorScore:
        """The verdict on one indicator of a form (cached)."""
        if not form.kind.is_self_eval:
            return _UNSCORED
        entry = self._entry(form)
        result = entry.scores.get(indicator)
        if result is None:
            result = evaluate(indicator, self._ruleset, form.effective_money_unit)
            entry.scores[indicator] = result
        return result

    def score_form(self, form: Form) -> FormScore:
        """The scored form (cached until an invalidation touches it)."""
        entry = self._entry(form)
        if entry.result is None:
            entry.result = self._compute(form, entry)
        return entry.result

    def score_workbook(self, workbook: Workbook) -> list[FormScore]:
        """Every form of the workbook scored, in order (results of forms no longer in it are dropped)."""
        if len(self._entries) > len(workbook.forms):
            present = set(workbook.forms)
            for form in [f for f in self._entries if f not in present]:
                del self._entries[form]
        return [self.score_form(form) for form in workbook.forms]

    def _compute(self, form: Form, entry: _Entry) -> FormScore:
        rs = self._ruleset
        layout_a = form.kind in (FormKind.DEPT_SELF_EVAL, FormKind.DEPT_TARGET) and rs.is_dept_layout_a(
            [ind.level1 for ind in form.indicators]
        )
        scheme = rs.scheme(form.kind, layout_a)
        exec_weight = form.exec_weight if form.exec_weight is not None else scheme.exec_weight
        if not form.kind.is_self_eval:
            return FormScore(
                None, exec_weight, None, None, tuple(_UNSCORED for _ in form.indicators), (), None, None,
                layout_a=layout_a,
            )  # fmt: skip
        scores = entry.scores
        results: list[IndicatorScore] = []
        weights: dict[str, Decimal] = {}
        sums: dict[str, Decimal] = {}
        indicator_weight = ZERO
        indicator_total = ZERO
        for ind in form.indicators:
            result = scores.get(ind)
            if result is None:
                result = scores[ind] = evaluate(ind, rs, form.effective_money_unit)
            results.append(result)
            level1 = rs.canonical_level1(ind.level1)
            weight = ind.weight or ZERO
            score = result.score or ZERO
            weights[level1] = weights.get(level1, ZERO) + weight
            sums[level1] = sums.get(level1, ZERO) + score
            indicator_weight += weight
            indicator_total += score
        if len(scores) > len(form.indicators):  # rows were removed without notice
            present = set(form.indicators)
            for ind in [i for i in scores if i not in present]:
                del scores[ind]
        for level1 in scheme.level_names:
            if level1 not in weights:
                weights[level1] = sums[level1] = ZERO
        subtotals = tuple(Subtotal(name, weights[name], sums[name], scheme.level_weight(name)) for name in weights)

        rate, exec_suggested, exec_flags, exec_explain = self._execution(form, exec_weight)
        exec_score = form.exec_score if form.exec_score is not None else exec_suggested
        total = tidy(rs.round((exec_score or ZERO) + indicator_total))
        graded = rs.grade_dept or form.kind is not FormKind.DEPT_SELF_EVAL
        return FormScore(
            exec_rate=rate,
            exec_weight=exec_weight,
            exec_suggested=exec_suggested,
            exec_score=exec_score,
            indicators=tuple(results),
            subtotals=subtotals,
            total=total,
            grade=rs.grade(total) if graded else None,
            exec_flags=exec_flags,
            exec_explain=exec_explain,
            max_total=exec_weight + indicator_weight,
            layout_a=layout_a,
        )

    def _execution(self, form: Form, weight: Decimal) -> tuple[Decimal | None, Decimal | None, tuple[str, ...], str]:
        """预算执行率, its suggested score, flags and explanation."""
        rs = self._ruleset
        line = form.fund("total")
        flags: list[str] = []
        rate: Decimal | None = None
        suggested: Decimal | None = None
        if line is None or line.full_year is None or line.executed is None:
            missing = "全年预算数" if line is None or line.full_year is None else "全年执行数"
            flags.append(FLAG_MISSING)
            explain = f"未填写{missing}，无法计算预算执行率"
        elif line.full_year <= ZERO:
            flags.append(FLAG_MISSING)
            explain = "全年预算数为0，无法计算预算执行率"
        else:
            rate = line.executed / line.full_year
            suggested = tidy(rs.round(min(max(rate, ZERO) * weight, weight)))
            explain = (
                f"执行率{_pct(rate)}%（{show(line.executed)}/{show(line.full_year)}），"
                f"{show(weight)}分×执行率，得{show(suggested)}分"
            )
            if rate > ONE:
                explain += "（执行数超过预算数，得分以分值为限）"
        reason = has_reason(form.deviation)
        if form.exec_score is not None:
            if form.exec_score < ZERO or form.exec_score > weight:
                flags.append(FLAG_MANUAL_OUT_OF_BAND)
            if suggested is not None and form.exec_score != suggested:
                flags.append(FLAG_MANUAL_DIFFERS)
                if not reason:
                    flags.append(FLAG_MANUAL_NO_REASON)
        effective = form.exec_score if form.exec_score is not None else suggested
        if effective is not None and effective < weight and not reason:
            flags.append(FLAG_NEEDS_REASON)
        return rate, suggested, tuple(flags), explain

    # ---- invalidation -----------------------------------------------------------------------

    def indicator_changed(self, form: Form, indicator: Indicator) -> None:
        """One indicator of a form changed: only it and the form's sums are recomputed."""
        entry = self._entries.get(form)
        if entry is not None:
            entry.scores.pop(indicator, None)
            entry.result = None
        self._notify(form)

    def exec_changed(self, form: Form) -> None:
        """A fund line, ``exec_weight``, ``exec_score`` or the form's 偏差原因 changed: execution and total."""
        entry = self._entries.get(form)
        if entry is not None:
            entry.result = None
        self._notify(form)

    def form_changed(self, form: Form) -> None:
        """Anything of a form may have changed (kind, money unit, rows added or removed)."""
        self._entries.pop(form, None)
        self._notify(form)

    def subscribe(self, listener: ScoresListener) -> None:
        """Call ``listener(form)`` after results of ``form`` were invalidated (``None``: all forms)."""
        self._listeners.append(listener)

    def unsubscribe(self, listener: ScoresListener) -> None:
        """Stop telling ``listener``."""
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _notify(self, form: Form | None) -> None:
        for listener in list(self._listeners):
            listener(form)

    # ---- following a document ---------------------------------------------------------------

    def attach(self, document: WorkbookDocument) -> None:
        """Follow a document's edits, invalidating exactly what each one touches, then telling followers."""
        self.detach()
        self._document = document
        document.subscribe(self._on_change)

    def detach(self) -> None:
        """Stop following the document given to ``attach``."""
        if self._document is not None:
            self._document.unsubscribe(self._on_change)
            self._document = None

    def follow(self, listener: Listener) -> None:
        """Call ``listener(change)`` for every edit of the attached document, after its scores were invalidated."""
        self._followers.append(listener)

    def unfollow(self, listener: Listener) -> None:
        """Stop telling ``listener``."""
        if listener in self._followers:
            self._followers.remove(listener)

    def _form_of(self, obj: object) -> Form | None:
        if isinstance(obj, Indicator):
            for form, entry in self._entries.items():
                if obj in entry.scores:
                    return form
        return self._document.form_of(obj) if self._document is not None else None

    def _on_change(self, change: Change) -> None:
        self._invalidate(change)
        for listener in list(self._followers):
            listener(change)

    def _invalidate(self, change: Change) -> None:
        obj = change.obj
        if change.kind == "fields":
            if isinstance(obj, Indicator):
                form = self._form_of(obj)
                if form is not None:
                    self.indicator_changed(form, obj)
            elif isinstance(obj, Form):
                fields = set(change.fields)
                if fields & _FORM_FIELDS_ALL:
                    self.form_changed(obj)
                elif fields & _FORM_FIELDS_EXEC:
                    self.exec_changed(obj)
            elif isinstance(obj, FundLine):
                form = self._form_of(obj)
                if form is not None:
                    self.exec_changed(form)
            elif isinstance(obj, Workbook) and "ruleset" in change.fields:
                try:
                    self.set_ruleset(load_ruleset(obj.ruleset))
                except UserError:
                    self.clear()  # unknown rule set: keep scoring with the current one
        elif change.kind in ("insert", "remove", "move"):
            if isinstance(obj, Form):
                if change.attr == "indicators":
                    entry = self._entries.get(obj)
                    if entry is not None:
                        if change.kind == "remove":
                            for item in change.items:
                                if isinstance(item, Indicator):
                                    entry.scores.pop(item, None)
                        entry.result = None
                    self._notify(obj)
                elif change.attr == "funds":
                    self.exec_changed(obj)
            elif isinstance(obj, Workbook) and change.attr == "forms" and change.kind == "remove":
                for item in change.items:
                    if isinstance(item, Form):
                        self._entries.pop(item, None)
                self._notify(None)


# ---- `jixiao score` output --------------------------------------------------------------------


def score_report(workbook: Workbook, engine: ScoringEngine) -> dict[str, Any]:
    """The ``jixiao score`` document of workbook-format.md (numbers as ``Decimal``).

    Target forms are listed too, with ``exec_rate`` / ``exec_score`` / ``total`` / ``grade`` null
    and every indicator's ``suggested`` / ``score`` null, no flags and an empty ``explain``.
    ``exec_rate`` is a fraction rounded to 4 decimals (0.976 for 97.6%).
    """
    forms: list[dict[str, Any]] = []
    for form, result in zip(workbook.forms, engine.score_workbook(workbook), strict=True):
        rate = tidy(result.exec_rate.quantize(Decimal("0.0001"))) if result.exec_rate is not None else None
        forms.append(
            {
                "title": form.title,
                "kind": form.kind.value,
                "exec_rate": rate,
                "exec_score": result.exec_score,
                "total": result.total,
                "grade": result.grade,
                "indicators": [
                    {
                        "index": index,
                        "name": ind.name,
                        "weight": ind.weight,
                        "suggested": verdict.suggested,
                        "score": verdict.score,
                        "flags": list(verdict.flags),
                        "explain": verdict.explain,
                    }
                    for index, (ind, verdict) in enumerate(zip(form.indicators, result.indicators, strict=True))
                ],
            }
        )
    return {"forms": forms}
