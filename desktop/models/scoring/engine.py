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
   A bare number takes its direction from the indicator's name first (rule-set word lists:
   投诉率 3% is a cap, 覆盖率 100% a floor), then from its level (成本指标). A range (95%-100%,
   ≥80%且≤100%) is met inside it, scored like ≥ below it and like ≤ above it; a range of times
   (1-3个工作日) is a limit. A zero word (零投诉 / 无 / 0起) is 0 against a cap or an = target; a
   same-day word (当日办结 / 即时办结) is 1 / 0 days against a limit in 天 / 工作日.
2. The target is a date (12月底前, 2025年2月前) and the actual one too: met when within it; a missed
   date needs a completion band.
3. Otherwise the indicator is qualitative: an actual equal to the target text, a grade at or above
   the target's grade (优 > 良 > 合格 > 差), an affirmative word (rule set) or completion phrase
   (达成预期指标 / 已完成 / 全部达到 …) for a target that is not a number or is a percentage, or
   ``100%`` (a completion rate) for a qualitative target is 达成 and gets the full 分值. A phrase
   with 基本 / 部分 (基本达到) implies 部分达成 and suggests its default share. A negated phrase
   (未完成, 有待提升) or a lower grade is not met: the accountant's completion ``band`` gives the
   rule set's default share of 分值; with no band there is no suggestion and the row is flagged
   ``unreadable`` (choose a band).

The suggestion is clamped to [0, w] and rounded by the rule set. A manual ``score`` wins; it is
flagged when it leaves [0, w] or the band, and when it differs from the suggestion (with
``manual_no_reason`` if 偏差原因 is empty or only says 无偏差). A score below w, or a far
over-achievement (B ≥ 130% × A; for lower-is-better cost values B ≤ A / 130%), with no reason is
flagged ``needs_reason``. A full score with a written 偏差原因 is flagged ``reason_on_full`` (units
often deduct there: the accountant confirms).

Budget execution: rate = 全年执行数 / 全年预算数 of the ``total`` fund line (年初预算数 when 全年预算数
is blank, and the explanation says so); score = min(rate × 分值, 分值); a manual ``form.exec_score``
wins. Total = execution score + Σ effective indicator scores. While any indicator has neither a
manual score nor a suggestion the form is incomplete: ``unscored`` counts those rows and ``total`` /
``grade`` are None (shown as 「待评（N项未评）」, ``pending_text``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from desktop.models.errors import UserError
from desktop.models.scoring import phrases
from desktop.models.scoring.rules import RuleSet, load_ruleset
from desktop.models.scoring.values import (
    MONEY_FACTORS,
    TIME_UNITS,
    Direction,
    Quantity,
    Value,
    ValueKind,
    comparable,
    format_quantity,
    format_value,
    implied_unit,
    read_value,
    span_within,
)
from desktop.models.workbook.document import Change, WorkbookDocument
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
FLAG_REASON_ON_FULL = "reason_on_full"  # full marks, yet a 偏差原因 is written: confirm no deduction

FLAG_LABELS: dict[str, str] = {
    FLAG_NOT_MET: "未达成指标值",
    FLAG_OVER_TARGET: "大幅超出指标值",
    FLAG_UNREADABLE: "需选择完成等级",
    FLAG_UNIT_MISMATCH: "单位不一致",
    FLAG_MANUAL_OUT_OF_BAND: "手工得分超出范围",
    FLAG_MANUAL_NO_REASON: "手工得分未说明原因",
    FLAG_MANUAL_DIFFERS: "手工得分与建议得分不同",
    FLAG_NEEDS_REASON: "需填写偏差原因",
    FLAG_MISSING: "未填写",
    FLAG_REASON_ON_FULL: "填写了偏差原因，请确认是否扣分",
}

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)

# 偏差原因分析 texts that say nothing: they do not explain a deduction.
_NO_REASON = frozenset(
    {"", "0", "无", "暂无", "没有", "无偏差", "没有偏差", "不存在偏差", "未发生偏差", "未偏差", "无偏差情况",
     "—", "--", "-", "/", "／", "\\", "无。"}
)  # fmt: skip


def has_reason(text: str | None) -> bool:
    """Whether a 偏差原因分析及改进措施 text actually gives a reason (not empty, 无 or 无偏差)."""
    if text is None:
        return False
    return _squash(text).rstrip("。.；;") not in _NO_REASON


def pending_text(unscored: int) -> str:
    """The total of an incomplete form as shown and printed: 「待评（N项未评）」."""
    return f"待评（{unscored}项未评）"


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
    ``unscored`` counts indicators with neither a manual score nor a suggestion; while it is above 0
    the form is incomplete and ``total`` / ``grade`` are None (``scored_total`` is the sum so far).
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
    unscored: int = 0
    scored_total: Decimal | None = None

    @property
    def complete(self) -> bool:
        """Whether every indicator has a score (a target form is never complete: it is not scored)."""
        return self.unscored == 0 and self.scored_total is not None

    @property
    def pending(self) -> str:
        """「待评（N项未评）」 while indicators are unscored, else ""."""
        return pending_text(self.unscored) if self.unscored else ""

    def total_text(self, fmt: Callable[[Decimal], str], none: str = "—") -> str:
        """The total as shown: ``fmt(total)``, 「待评（N项未评）」 while incomplete, else ``none``."""
        if self.pending:
            return self.pending
        return fmt(self.total) if self.total is not None else none


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
    if reason and weight is not None and weight > ZERO and suggested == weight and score == weight:
        flags.append(FLAG_REASON_ON_FULL)
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
    if target.quantity is not None:
        found = _quantities(ind, rs, target, actual, money_unit, same_text)
        if found is not None:
            return found

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
    return _qualitative(ind, rs, target, actual, same_text)


def _quantities(
    ind: Indicator, rs: RuleSet, target: Value, actual: Value, money_unit: str, same_text: bool
) -> _Verdict | None:
    """The verdict when the target is a quantity and the actual is one or stands for one; None: not comparable."""
    assert target.quantity is not None
    target_q = target.quantity
    actual_q = actual.quantity
    direction, why = _direction(ind, rs, target)
    capped = direction in (Direction.LOWER, Direction.EQUAL, Direction.DEADLINE)
    shown = ""
    if actual_q is None:
        stand_in = _stand_in(actual, target_q, capped)
        if stand_in is None:
            return None
        actual_q, shown = stand_in
    if rs.plain_is_lower(ind.level1, ind.level2) and not target_q.unit and not actual_q.unit:
        target_q, actual_q = _as_money(target_q, money_unit), _as_money(actual_q, money_unit)
    pair = comparable(target_q, actual_q, money_unit)
    if pair is None and capped and actual_q.number == ZERO and not same_text:  # 0起 against ≤5%: nothing happened
        actual_q, shown = Quantity(ZERO, target_q.unit), actual.text.strip()
        pair = comparable(target_q, actual_q, money_unit)
    if pair is None:
        if actual.quantity is None or same_text:
            return None
        unit_t = target_q.unit or "无单位"
        unit_a = actual_q.unit or "无单位"
        note = f"指标值单位“{unit_t}”与实际完成值单位“{unit_a}”不一致"
        verdict = _band_verdict(ind.band, rs, note)
        if verdict is None:
            return _Verdict(None, None, f"{note}，请统一单位", flags=[FLAG_UNIT_MISMATCH])
        verdict.flags.append(FLAG_UNIT_MISMATCH)
        return verdict
    if bool(target_q.unit) != bool(actual_q.unit):  # show a bare number in the unit it was read in
        target_q, actual_q = _with_unit(target_q, actual_q, money_unit), _with_unit(actual_q, target_q, money_unit)
    upper = None
    if target.direction is Direction.RANGE and target.upper is not None:
        upper = comparable(target.upper, actual_q, money_unit)
        if upper is None:  # pragma: no cover - both bounds share one unit
            return None
    return _quantitative(ind, rs, target, target_q, actual_q, pair, direction, why, upper, shown)


def _with_unit(bare: Quantity, other: Quantity, money_unit: str) -> Quantity:
    if bare.unit or not other.unit:
        return bare
    unit = implied_unit(bare, other.unit, money_unit, other.number)
    if unit in MONEY_FACTORS and bare.multiplier:
        return bare  # 114万 read as 1140000 元: shown as 114万
    return Quantity(bare.number, unit, bare.multiplier)


def _stand_in(actual: Value, target_q: Quantity, capped: bool) -> tuple[Quantity, str] | None:
    """A quantity for an actual written in words: 零投诉 / 无 (0 against a cap), 当日办结 (1 day)."""
    text = actual.text.strip()
    if capped and phrases.is_zero_word(actual.canonical):
        return Quantity(ZERO, target_q.unit), text
    days = phrases.same_day_days(actual.canonical)
    if days is None or target_q.unit not in TIME_UNITS:
        return None
    if days == ZERO or target_q.unit in ("天", "工作日"):
        return Quantity(days, target_q.unit), text
    if target_q.unit == "周":
        return Quantity(days, "天"), text
    return None


def _direction(ind: Indicator, rs: RuleSet, target: Value) -> tuple[Direction, str]:
    """The target's direction, a bare number's read from the name or level; and why, for the explanation."""
    direction = target.direction
    quantity = target.quantity
    if direction is Direction.RANGE and quantity is not None and quantity.unit in TIME_UNITS:
        return Direction.LOWER, ""  # 1-3个工作日: at most 3
    if direction not in (None, Direction.PLAIN):
        return direction, ""
    if quantity is not None and quantity.number == ZERO:
        return Direction.EQUAL, ""
    by_name = rs.name_direction(ind.name)
    if by_name is not None:
        lower, word = by_name
        return (Direction.LOWER, f"（名称含“{word}”，越低越好）") if lower else (Direction.HIGHER, "")
    if rs.plain_is_lower(ind.level1, ind.level2):
        return Direction.LOWER, ""
    return Direction.HIGHER, ""


def _qualitative(ind: Indicator, rs: RuleSet, target: Value, actual: Value, same_text: bool) -> _Verdict:
    """Text match, grades, affirmative words and completion phrases, 100%, else the chosen band."""
    target_text = target.text.strip()
    actual_text = actual.text.strip()
    if same_text:
        return _Verdict(ONE, True, "实际完成值与指标值一致，视为达成", band=Band.MET)
    wanted, got = phrases.grade(target.canonical), phrases.grade(actual.canonical)
    if wanted is not None and got is not None:
        if got[0] >= wanted[0]:
            return _Verdict(ONE, True, f"实际等级“{actual_text}”不低于指标值“{target_text}”，视为达成", band=Band.MET)
        note = f"实际等级“{actual_text}”低于指标值“{target_text}”"
        return _not_met(ind, rs, note)
    rate_target = target.quantity is not None and target.quantity.unit == "%" and target.upper is None
    open_target = target.quantity is None or rate_target
    stated = phrases.against_target(actual.canonical, target.canonical)
    if stated is None and open_target:
        stated = Band.MET if _is_affirmative(actual.canonical, rs) else phrases.completion(actual.canonical)
    if stated is Band.MET:
        return _Verdict(ONE, True, f"实际完成值“{actual_text}”，视为达成", band=Band.MET)
    if stated is Band.PARTLY:
        verdict = _band_verdict(ind.band or Band.PARTLY, rs, f"实际完成值“{actual_text}”表明部分达成")
        assert verdict is not None
        return verdict
    if stated is Band.NOT_MET:
        return _not_met(ind, rs, f"实际完成值“{actual_text}”表明未完全达成")
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


def _not_met(ind: Indicator, rs: RuleSet, note: str) -> _Verdict:
    """A qualitative row that is not met: the chosen band scores it, else the accountant must choose one."""
    verdict = _band_verdict(ind.band, rs, note)
    if verdict is None:
        return _Verdict(None, False, f"{note}，请选择完成等级（{rs.band_text}）", flags=[FLAG_UNREADABLE])
    return verdict


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
    ind: Indicator,
    rs: RuleSet,
    target: Value,
    target_q: Quantity,
    actual_q: Quantity,
    pair: tuple[Decimal, Decimal],
    direction: Direction,
    why: str,
    upper: tuple[Decimal, Decimal] | None,
    shown: str,
) -> _Verdict:
    a, b = pair
    ta = _format_quantity(target_q)
    ac = f"“{shown}”（按{_format_quantity(actual_q)}计）" if shown else _format_quantity(actual_q)
    target_text = f"{target.operator}{ta}" if target_q is not target.quantity else _format_value(target)
    if direction is Direction.LOWER and upper is not None and target.upper is not None:  # 1-3个工作日: at most 3
        a, ta = upper[0], _format_quantity(target.upper)
    if direction is Direction.RANGE and upper is not None:
        high = upper[0]
        if a <= b <= high:
            return _Verdict(ONE, True, f"实际{ac}在指标值{target_text}之内")
        if b > high:
            if high <= ZERO:
                return _Verdict(ZERO, False, f"实际{ac}，指标值{target_text}，未达成")
            fraction, how = _lower_fraction(rs, high, b)
            return _Verdict(fraction, False, f"实际{ac}，指标值{target_text}，超出上限{_pct((b - high) / high)}%{how}")
        if a <= ZERO:  # pragma: no cover - b < a ≤ 0 needs a negative actual
            return _Verdict(ZERO, False, f"实际{ac}，指标值{target_text}，未达成")
        return _Verdict(b / a, False, f"实际{ac}，指标值{target_text}，完成下限的{_pct(b / a)}%")
    if direction in (Direction.LOWER, Direction.DEADLINE):
        if b <= a:
            verdict = _Verdict(ONE, True, f"实际{ac} ≤ 指标值{ta}{why}")
            if _far_below(rs, ind, target_q, a, b):
                verdict.flags.append(FLAG_OVER_TARGET)
                verdict.note = f"；实际仅为上限的{_pct(b / a)}%，偏差较大，请说明原因"
            return verdict
        if a <= ZERO:
            return _Verdict(ZERO, False, f"实际{ac}，指标值{target_text}{why}，未达成")
        fraction, how = _lower_fraction(rs, a, b)
        return _Verdict(fraction, False, f"实际{ac}，指标值{target_text}{why}，超出{_pct((b - a) / a)}%{how}")

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
    it for every edit of a ``WorkbookDocument``). ``subscribe`` tells a view after the cache of a
    form was invalidated (``None``: every form).
    """

    def __init__(self, ruleset: RuleSet | None = None) -> None:
        self._ruleset = ruleset or load_ruleset()
        self._entries: dict[Form, _Entry] = {}
        self._document: WorkbookDocument | None = None
        self._listeners: list[ScoresListener] = []

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
        unscored = 0
        for ind in form.indicators:
            result = scores.get(ind)
            if result is None:
                result = scores[ind] = evaluate(ind, rs, form.effective_money_unit)
            results.append(result)
            level1 = rs.canonical_level1(ind.level1)
            weight = ind.weight or ZERO
            score = result.score or ZERO
            unscored += result.score is None
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
        scored_total = tidy(rs.round((exec_score or ZERO) + indicator_total))
        total = None if unscored else scored_total
        graded = total is not None and (rs.grade_dept or form.kind is not FormKind.DEPT_SELF_EVAL)
        return FormScore(
            exec_rate=rate,
            exec_weight=exec_weight,
            exec_suggested=exec_suggested,
            exec_score=exec_score,
            indicators=tuple(results),
            subtotals=subtotals,
            total=total,
            grade=rs.grade(total) if graded and total is not None else None,
            exec_flags=exec_flags,
            exec_explain=exec_explain,
            max_total=exec_weight + indicator_weight,
            layout_a=layout_a,
            unscored=unscored,
            scored_total=scored_total,
        )

    def _execution(self, form: Form, weight: Decimal) -> tuple[Decimal | None, Decimal | None, tuple[str, ...], str]:
        """预算执行率, its suggested score, flags and explanation."""
        rs = self._ruleset
        line = form.fund("total")
        flags: list[str] = []
        rate: Decimal | None = None
        suggested: Decimal | None = None
        budget, basis = (line.full_year, "全年预算数") if line is not None else (None, "全年预算数")
        if line is not None and budget is None and line.initial is not None:
            budget, basis = line.initial, "年初预算数"  # 全年预算数 blank: the budget did not change
        if line is None or budget is None or line.executed is None:
            missing = "全年预算数" if budget is None else "全年执行数"
            flags.append(FLAG_MISSING)
            explain = f"未填写{missing}，无法计算预算执行率"
        elif budget <= ZERO:
            flags.append(FLAG_MISSING)
            explain = f"{basis}为0，无法计算预算执行率"
        else:
            rate = line.executed / budget
            suggested = tidy(rs.round(min(max(rate, ZERO) * weight, weight)))
            fallback = "未填写全年预算数，按年初预算数计算：" if basis == "年初预算数" else ""
            explain = (
                f"{fallback}执行率{_pct(rate)}%（{show(line.executed)}/{show(budget)}），"
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
        """Follow a document's edits, invalidating exactly what each one touches.

        Subscribe the engine before any view that reads scores in its own listener (or have
        views ``subscribe`` to the engine instead), so scores are fresh when they are read.
        """
        self.detach()
        self._document = document
        document.subscribe(self._on_change)

    def detach(self) -> None:
        """Stop following the document given to ``attach``."""
        if self._document is not None:
            self._document.unsubscribe(self._on_change)
            self._document = None

    def _form_of(self, obj: object) -> Form | None:
        if isinstance(obj, Indicator):
            for form, entry in self._entries.items():
                if obj in entry.scores:
                    return form
        return self._document.form_of(obj) if self._document is not None else None

    def _on_change(self, change: Change) -> None:
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

    ``total`` and ``grade`` are null while ``unscored`` (rows with neither a score nor a band to
    score by) is above 0. Target forms are listed too, with ``exec_rate`` / ``exec_score`` /
    ``total`` / ``grade`` null, ``unscored`` 0 and every indicator's ``suggested`` / ``score`` null,
    no flags and an empty ``explain``.
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
                "unscored": result.unscored,
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
