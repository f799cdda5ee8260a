"""Comparing and formatting read values: ``to_common`` / ``comparable`` (two quantities in one unit),
``implied_unit``, ``span_within`` (an actual date or duration against a limit), ``format_number``,
``format_quantity`` and ``format_value``.
"""

from __future__ import annotations

from decimal import Decimal

from desktop.models.scoring.value_types import MONEY_FACTORS, Direction, Quantity, Span, Value, ValueKind
from desktop.models.scoring.value_words import FAMILIES, multiplier_factor

# --------------------------------------------------------------------------------------------
# Comparing


def _family(unit: str) -> tuple[str, Decimal] | None:
    """The unit's conversion family and factor; compound units convert by their first part (元/户)."""
    found = FAMILIES.get(unit)
    if found is not None:
        return found
    first, slash, rest = unit.partition("/")
    if slash and first in FAMILIES:
        family, factor = FAMILIES[first]
        return f"{family}/{rest}", factor
    return None


def implied_unit(bare: Quantity, other: str, money_unit: str, other_number: Decimal) -> str:
    """The unit a unitless number takes next to ``other_number`` in ``other``.

    Next to money, a bare number is in 元 when a 万 / 亿 was applied to it (114万); otherwise it is in
    the form's money unit or in the other side's unit, whichever puts the two numbers closer together
    (a bare 72890 beside 72890元 is 72890 元, a bare 120 beside ≤114万元 is 120 万元).
    """
    first = other.partition("/")[0]
    if first in MONEY_FACTORS:
        if bare.multiplier:  # 114万 next to 元: the 万 was already applied, the number is in 元
            return "元" + other[len(first) :]
        form_unit = money_unit if money_unit in MONEY_FACTORS else "万元"
        if form_unit == first or bare.number == 0 or other_number == 0:
            return form_unit + other[len(first) :]
        ratio = abs(bare.number * MONEY_FACTORS[form_unit] / (other_number * MONEY_FACTORS[first]))
        as_form = ratio if ratio >= 1 else 1 / ratio
        as_other = abs(bare.number / other_number)
        as_other = as_other if as_other >= 1 else 1 / as_other
        return (form_unit if as_form < as_other else first) + other[len(first) :]
    return other


def _per_year(unit: str, other: str) -> str:
    """``次/年`` compares with ``次``: a self-evaluation covers one year (≥3次/年 against 4次)."""
    if "/年" not in unit:
        return unit
    for per in ("/年度", "/年"):
        if unit.endswith(per) and unit[: -len(per)] == other:
            return other
    return unit


def to_common(target: Quantity, actual: Quantity, money_unit: str = "万元") -> tuple[Decimal, Decimal, str] | None:
    """Both numbers in one common unit, with that unit.

    Rules: same unit → as is; units of one family convert (元 / 万元 / 亿元, % / ‰, 小时 / 分钟 / 天,
    月 / 年 …) to the finer of the two; a unitless side takes the other side's unit (a bare number next to
    money is in ``money_unit``, or in 元 when a 万 / 亿 was applied to it); 百分比 is already ``%``.

    Args:
        target: the 指标值 quantity.
        actual: the 实际完成值 quantity.
        money_unit: the form's money unit, for bare numbers compared with money.

    Returns:
        ``(target number, actual number, unit)``, or None when the units cannot be compared (人 vs 次).
    """
    t_unit, a_unit = target.unit, actual.unit
    if not t_unit and a_unit:
        t_unit = implied_unit(target, a_unit, money_unit, actual.number)
    elif t_unit and not a_unit:
        a_unit = implied_unit(actual, t_unit, money_unit, target.number)
    t_unit, a_unit = _per_year(t_unit, a_unit), _per_year(a_unit, t_unit)
    if t_unit == a_unit:
        return target.number, actual.number, t_unit
    t_family, a_family = _family(t_unit), _family(a_unit)
    if t_family is None or a_family is None or t_family[0] != a_family[0]:
        return None
    finer, factor = (t_unit, t_family[1]) if t_family[1] <= a_family[1] else (a_unit, a_family[1])
    return target.number * t_family[1] / factor, actual.number * a_family[1] / factor, finer


def comparable(target: Quantity, actual: Quantity, money_unit: str = "万元") -> tuple[Decimal, Decimal] | None:
    """Both numbers in one common unit, or None when the units cannot be compared (see ``to_common``)."""
    if target.unit == actual.unit:  # what to_common returns for one unit (or none on both sides)
        return target.number, actual.number
    common = to_common(target, actual, money_unit)
    return None if common is None else (common[0], common[1])


def span_within(actual: Span, limit: Span) -> bool | None:
    """Whether an actual date or duration is within a deadline.

    Dates compare by their last day (``end``); when either has no year only month and day count.
    Durations convert within 秒 / 分钟 / 小时 / 天 / 周 and within 月 / 年; 工作日 compares only with
    工作日.

    Returns:
        True / False, or None when the two cannot be compared (a date against a duration, 天 vs 工作日).
    """
    if actual.is_duration and limit.is_duration:
        assert actual.amount is not None and limit.amount is not None
        if actual.unit == limit.unit:
            return actual.amount <= limit.amount
        a_family, l_family = FAMILIES.get(actual.unit), FAMILIES.get(limit.unit)
        if a_family is None or l_family is None or a_family[0] != l_family[0] or a_family[0] not in ("time", "months"):
            return None
        return actual.amount * a_family[1] <= limit.amount * l_family[1]
    if actual.is_date and limit.is_date:
        a_end, l_end = actual.end, limit.end
        if actual.year is None or limit.year is None:
            return a_end[1:] <= l_end[1:]
        return a_end <= l_end
    return None


# --------------------------------------------------------------------------------------------
# Formatting


def format_number(number: Decimal) -> str:
    """A Decimal as plain text without exponent or trailing zeros (``61.12``, ``100``, ``0.5``)."""
    if not number.is_finite():
        return str(number)
    text = format(number.normalize(), "f")
    return "0" if text in ("-0", "") else text


# Units written differently after a number than their normalised name (12个月, not 12月 = December).
_DISPLAY_UNITS = {"月": "个月", "工作日": "个工作日"}


def format_quantity(quantity: Quantity) -> str:
    """A quantity as people write it (``30次``, ``95%``, ``61.12万元``, ``1.5万件``)."""
    number = quantity.number
    if quantity.multiplier:
        number = number / multiplier_factor(quantity.multiplier)
    unit = _DISPLAY_UNITS.get(quantity.unit, quantity.unit)
    return f"{format_number(number)}{quantity.multiplier}{unit}"


def format_value(value: Value) -> str:
    """A readable value in a canonical form (``≥95%``, ``5工作日内``, ``2025年2月前``); other text as typed."""
    if value.quantity is not None and value.upper is not None:
        low, high = value.quantity, value.upper
        low_text = format_quantity(low) if low.unit != high.unit or low.multiplier else format_number(low.number)
        return f"{low_text}–{format_quantity(high)}"
    if value.quantity is not None:
        body = format_quantity(value.quantity)
        if value.direction is Direction.DEADLINE:
            return f"{body}内"
        return f"{value.operator}{body}"
    if value.span is not None and value.kind is ValueKind.DATE:
        span = value.span
        text = f"{span.year}年" if span.year else ""
        if span.month:
            text += f"{span.month}月" + (f"{span.day}日" if span.day else "底")
        else:
            text += "底"
        return f"{text}前"
    return value.text.strip()
