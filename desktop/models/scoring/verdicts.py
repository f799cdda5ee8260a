"""One indicator's verdict: suggested score, explanation and review flags (forms.md §4).

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
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from decimal import Decimal

from desktop.models.scoring import phrases
from desktop.models.scoring.rules import RuleSet
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
from desktop.models.workbook.domain import Band, Indicator

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
    FLAG_REASON_ON_FULL: "填写了偏差原因，请确认是否扣分",
}

# Enum members as module constants: in Python 3.11 ``Direction.LOWER`` runs the enum's member
# descriptor (~0.3 µs; a plain class attribute is ~0.05 µs), a dozen times for each indicator scored.
_HIGHER, _LOWER, _EQUAL, _PLAIN = Direction.HIGHER, Direction.LOWER, Direction.EQUAL, Direction.PLAIN
_DEADLINE, _RANGE = Direction.DEADLINE, Direction.RANGE
_EMPTY_VALUE, _DATE_VALUE, _QUALITATIVE_VALUE = ValueKind.EMPTY, ValueKind.DATE, ValueKind.QUALITATIVE
_MET, _PARTLY, _NOT_MET = Band.MET, Band.PARTLY, Band.NOT_MET

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
    if not text:
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


def pct(fraction: Decimal) -> str:
    """A fraction as a percentage for explanations, one decimal at most (0.9762 → ``97.6``)."""
    return show((fraction * HUNDRED).quantize(_TENTH))


_TENTH = Decimal("0.1")


@dataclass(frozen=True, init=False)
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

    def __init__(
        self,
        suggested: Decimal | None,
        score: Decimal | None,
        manual: bool,
        flags: tuple[str, ...],
        explain: str,
        met: bool | None = None,
        band: Band | None = None,
    ) -> None:
        # The generated __init__ of a frozen dataclass sets each field through object.__setattr__
        # (~1.2 µs for these seven, once per indicator scored); writing the instance dict is ~0.5 µs.
        # test_fast_paths checks that this signature is the fields'.
        values = self.__dict__
        values["suggested"] = suggested
        values["score"] = score
        values["manual"] = manual
        values["flags"] = flags
        values["explain"] = explain
        values["met"] = met
        values["band"] = band


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
        fraction = verdict.fraction  # clamped to [0, 1] (as min(max(f, 0), 1): an equal bound keeps f)
        fraction = ZERO if fraction < ZERO else ONE if fraction > ONE else fraction
        suggested = tidy(ruleset.round(fraction * weight))
        # show(suggested) is format(suggested, "f"): suggested is already tidy
        explain += "，得满分" if fraction == ONE else f"，{verdict.score_word}{format(suggested, 'f')}分"
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
    if target.kind is _EMPTY_VALUE or actual.kind is _EMPTY_VALUE:
        missing = (
            "指标值和实际完成值"
            if target.kind is actual.kind
            else ("指标值" if target.kind is _EMPTY_VALUE else "实际完成值")
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

    if target.kind is _DATE_VALUE and actual.kind is _DATE_VALUE:
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
    capped = direction in (_LOWER, _EQUAL, _DEADLINE)
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
    if target.direction is _RANGE and target.upper is not None:
        upper = comparable(target.upper, actual_q, money_unit)
        if upper is None:  # pragma: no cover - both bounds share one unit
            return None
    return _quantitative(ind, rs, target, actual, target_q, actual_q, pair, direction, why, upper, shown)


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
    if direction is _RANGE and quantity is not None and quantity.unit in TIME_UNITS:
        return _LOWER, ""  # 1-3个工作日: at most 3
    if direction not in (None, _PLAIN):
        return direction, ""
    if quantity is not None and quantity.number == ZERO:
        return _EQUAL, ""
    by_name = rs.name_direction(ind.name)
    if by_name is not None:
        lower, word = by_name
        return (_LOWER, f"（名称含“{word}”，越低越好）") if lower else (_HIGHER, "")
    if rs.plain_is_lower(ind.level1, ind.level2):
        return _LOWER, ""
    return _HIGHER, ""


def _qualitative(ind: Indicator, rs: RuleSet, target: Value, actual: Value, same_text: bool) -> _Verdict:
    """Text match, grades, affirmative words and completion phrases, 100%, else the chosen band."""
    target_text = target.text.strip()
    actual_text = actual.text.strip()
    if same_text:
        return _Verdict(ONE, True, "实际完成值与指标值一致，视为达成", band=_MET)
    wanted, got = phrases.grade(target.canonical), phrases.grade(actual.canonical)
    if wanted is not None and got is not None:
        if got[0] >= wanted[0]:
            return _Verdict(ONE, True, f"实际等级“{actual_text}”不低于指标值“{target_text}”，视为达成", band=_MET)
        note = f"实际等级“{actual_text}”低于指标值“{target_text}”"
        return _not_met(ind, rs, note)
    rate_target = target.quantity is not None and target.quantity.unit == "%" and target.upper is None
    open_target = target.quantity is None or rate_target
    stated = phrases.against_target(actual.canonical, target.canonical)
    if stated is None and open_target:
        stated = _MET if _is_affirmative(actual.canonical, rs) else phrases.completion(actual.canonical)
    if stated is _MET:
        return _Verdict(ONE, True, f"实际完成值“{actual_text}”，视为达成", band=_MET)
    if stated is _PARTLY:
        verdict = _band_verdict(ind.band or _PARTLY, rs, f"实际完成值“{actual_text}”表明部分达成")
        assert verdict is not None
        return verdict
    if stated is _NOT_MET:
        return _not_met(ind, rs, f"实际完成值“{actual_text}”表明未完全达成")
    if (
        target.kind is _QUALITATIVE_VALUE
        and actual.quantity is not None
        and actual.quantity.unit == "%"
        and actual.quantity.number == HUNDRED
    ):
        return _Verdict(ONE, True, "定性指标实际完成率100%，视为达成", band=_MET)
    if target.quantity is not None or target.kind is _DATE_VALUE:
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
    span = f"{pct(low)}%–{pct(high)}%"
    return _Verdict(fraction, band is _MET, f"{note}，完成等级“{band.label}”（{span}）", band=band, score_word="建议得")


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


# A quantity as read from a value's text is remembered by that text: a str keeps its hash, while a
# Quantity (or Value) hashes its Decimal again on every lookup (~2 µs an indicator). Every Value here
# comes from read_value(value.text), so read_value(text) gives its quantity again.
@functools.lru_cache(maxsize=8192)
def _format_read_quantity(text: str) -> str:
    quantity = read_value(text).quantity
    assert quantity is not None
    return format_quantity(quantity)


@functools.lru_cache(maxsize=8192)
def _format_read_value(text: str) -> str:
    return format_value(read_value(text))


def _quantity_text(value: Value, quantity: Quantity) -> str:
    """``format_quantity(quantity)``, by the value's text when ``quantity`` is the one read from it."""
    if quantity is value.quantity:
        return _format_read_quantity(value.text)
    return _format_quantity(quantity)


def _as_money(quantity: Quantity, money_unit: str) -> Quantity:
    """A unitless number as money: in the form's money unit, or in 元 when a 万 / 亿 was applied."""
    if quantity.unit or money_unit not in MONEY_FACTORS:
        return quantity
    return Quantity(quantity.number, "元" if quantity.multiplier else money_unit, quantity.multiplier)


def _quantitative(
    ind: Indicator,
    rs: RuleSet,
    target: Value,
    actual: Value,
    target_q: Quantity,
    actual_q: Quantity,
    pair: tuple[Decimal, Decimal],
    direction: Direction,
    why: str,
    upper: tuple[Decimal, Decimal] | None,
    shown: str,
) -> _Verdict:
    a, b = pair
    ta = _quantity_text(target, target_q)
    ac = f"“{shown}”（按{_quantity_text(actual, actual_q)}计）" if shown else _quantity_text(actual, actual_q)
    if direction is _LOWER and upper is not None and target.upper is not None:  # 1-3个工作日: at most 3
        a, ta = upper[0], _format_quantity(target.upper)
    if direction is _RANGE and upper is not None:
        return _range_verdict(rs, a, b, upper[0], ac, _target_text(target, target_q))
    if direction in (_LOWER, _DEADLINE):
        if b <= a:
            verdict = _Verdict(ONE, True, f"实际{ac} ≤ 指标值{ta}{why}")
            if _far_below(rs, ind, target_q, a, b):
                verdict.flags.append(FLAG_OVER_TARGET)
                verdict.note = f"；实际仅为上限的{pct(b / a)}%，偏差较大，请说明原因"
            return verdict
        target_text = _target_text(target, target_q)
        if a <= ZERO:
            return _Verdict(ZERO, False, f"实际{ac}，指标值{target_text}{why}，未达成")
        fraction, how = _lower_fraction(rs, a, b)
        return _Verdict(fraction, False, f"实际{ac}，指标值{target_text}{why}，超出{pct((b - a) / a)}%{how}")

    if direction is _EQUAL:
        return _equal_verdict(rs, a, b, ac, ta, _target_text(target, target_q))

    # Higher is better.
    if b >= a:
        verdict = _Verdict(ONE, True, f"实际{ac} ≥ 指标值{ta}")
        if a > ZERO and b >= a * rs.over_target:
            verdict.flags.append(FLAG_OVER_TARGET)
            verdict.note = f"；实际为指标值的{pct(b / a)}%，偏差较大，请说明原因"
        return verdict
    target_text = _target_text(target, target_q)
    if a <= ZERO:
        return _Verdict(ZERO, False, f"实际{ac}，指标值{target_text}，未达成")
    return _Verdict(b / a, False, f"实际{ac}，指标值{target_text}，完成{pct(b / a)}%")


def _target_text(target: Value, target_q: Quantity) -> str:
    """The target as an explanation names it: as read, or in the unit it was compared in (only when it is named)."""
    if target_q is target.quantity:
        return _format_read_value(target.text)
    return f"{target.operator}{_quantity_text(target, target_q)}"


def _range_verdict(rs: RuleSet, a: Decimal, b: Decimal, high: Decimal, ac: str, target_text: str) -> _Verdict:
    """A range [a, high]: met inside; below scores like ≥ a, above like ≤ high."""
    if a <= b <= high:
        return _Verdict(ONE, True, f"实际{ac}在指标值{target_text}之内")
    if b > high:
        if high <= ZERO:
            return _Verdict(ZERO, False, f"实际{ac}，指标值{target_text}，未达成")
        fraction, how = _lower_fraction(rs, high, b)
        return _Verdict(fraction, False, f"实际{ac}，指标值{target_text}，超出上限{pct((b - high) / high)}%{how}")
    if a <= ZERO:  # pragma: no cover - b < a ≤ 0 needs a negative actual
        return _Verdict(ZERO, False, f"实际{ac}，指标值{target_text}，未达成")
    return _Verdict(b / a, False, f"实际{ac}，指标值{target_text}，完成下限的{pct(b / a)}%")


def _equal_verdict(rs: RuleSet, a: Decimal, b: Decimal, ac: str, ta: str, target_text: str) -> _Verdict:
    """= A: met only by A; below scores like ≥, above like ≤ (and far above is flagged)."""
    if b == a:
        return _Verdict(ONE, True, f"实际{ac} = 指标值{ta}")
    if a <= ZERO:
        return _Verdict(ZERO, False, f"实际{ac}，指标值{target_text}，未达成")
    if b < a:
        return _Verdict(b / a, False, f"实际{ac}，指标值{target_text}，完成{pct(b / a)}%")
    fraction, how = _lower_fraction(rs, a, b)
    verdict = _Verdict(fraction, False, f"实际{ac}，指标值{target_text}，超出{pct((b - a) / a)}%{how}")
    if b >= a * rs.over_target:
        verdict.flags.append(FLAG_OVER_TARGET)
    return verdict


def _far_below(rs: RuleSet, ind: Indicator, quantity: Quantity, a: Decimal, b: Decimal) -> bool:
    """Whether a lower-is-better actual is far below its cap (and the rule set wants it flagged)."""
    if rs.over_target_lower == "none" or a <= ZERO:
        return False
    if rs.over_target_lower == "cost" and not (quantity.is_money or rs.plain_is_lower(ind.level1, ind.level2)):
        return False
    return b * rs.over_target <= a
