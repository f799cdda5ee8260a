"""The value reader: turns the free text people type as 指标值 / 实际完成值 into a typed value.

``read_value(text)`` never raises: text that cannot be read is qualitative (forms.md §3).
A value is one of
- a quantity: an optional comparison (≥ > ≤ < = and every look-alike, or a word form such as
  以上 / 不高于 / 以内), a number (万 / 亿 applied) and a unit (``%``, ``元``, ``人次``, ``次/天`` …);
- a deadline or date (``12月底前``, ``2025年2月前``, ``1月至12月``) or a duration (``5个工作日内``,
  ``≤0.5小时``, ``2小时内响应``);
- qualitative text (``合格``, ``显著提升``, long sentences).

How the kinds and directions are assigned:
- a number with a time unit (天 工作日 小时 分钟 秒 周 月 年) and a lower bound (≤ <, 以内 内 之内) is a
  ``DURATION``; with a word limit (``5个工作日内``, ``2小时内响应``) its direction is ``DEADLINE``, with an
  operator (``≤0.5小时``) it is ``LOWER``. Every value with a time unit carries a ``span`` (also a plain
  ``365天`` or an actual ``3个工作日``, which are ``QUANTITY``), and every number carries a ``quantity``;
- every ``DATE`` has direction ``DEADLINE`` (``12月底``, ``1月至12月`` and ``2025年2月前`` alike);
- a short label before the value is allowed and kept (``企业满意度≥95%`` → label ``企业满意度``);
- ``QUALITATIVE`` and ``EMPTY`` values have no direction, quantity or span; compare their ``canonical``.

Deadlines are read leniently: a month with no day means the end of that month (``2025年2月前`` allows
all of February), a year with no month the end of that year.

Helpers for the scoring engine: ``comparable`` / ``to_common`` (two quantities in one unit),
``span_within`` (an actual date or duration against a limit), ``format_quantity`` and ``format_value``.

This module reads quantities, durations and ranges and holds ``read_value``; the rest lives beside it
and is re-exported here: the types in ``value_types.py``, the vocabulary and patterns in
``value_words.py``, dates in ``value_dates.py``, comparing and formatting in ``value_compare.py``.
"""

from __future__ import annotations

import functools
from decimal import Decimal

from desktop.models.scoring.value_compare import (
    comparable,
    format_number,
    format_quantity,
    format_value,
    implied_unit,
    span_within,
    to_common,
)
from desktop.models.scoring.value_dates import read_date
from desktop.models.scoring.value_types import (
    MAX_PARSED,
    MONEY_FACTORS,
    MULTIPLIERS,
    TIME_UNITS,
    Direction,
    Quantity,
    Reading,
    Span,
    Value,
    ValueKind,
)
from desktop.models.scoring.value_words import (
    BOTH_SEP_RE,
    CJK_REST_RE,
    CN_QTY_RE,
    DATE_HINT_RE,
    EMPTY_CHARS,
    FLIP,
    GENERIC_UNIT_RE,
    LABEL_RE,
    NEGATIONS,
    NOT_UNIT,
    NOTE_RE,
    NUM_RE,
    PER_JOINERS,
    PRE_END_RE,
    PRE_OPS,
    QUALIFIER_RE,
    RANGE_SEP_RE,
    SUF_RE,
    SUFFIXES,
    UNIT_RE,
    UNITS,
    VERBS,
    WITHIN,
    cn_int,
    multiplier_factor,
    normalize_text,
)

__all__ = [
    "MAX_PARSED",
    "MONEY_FACTORS",
    "MULTIPLIERS",
    "TIME_UNITS",
    "Direction",
    "Quantity",
    "Span",
    "Value",
    "ValueKind",
    "comparable",
    "format_number",
    "format_quantity",
    "format_value",
    "implied_unit",
    "normalize_text",
    "read_value",
    "span_within",
    "to_common",
]


# --------------------------------------------------------------------------------------------
# Quantities and durations


def _head(head: str) -> tuple[str, Direction | None, bool] | None:
    """Split the text before a number into (label, prefix direction, strict); None if not a label."""
    direction: Direction | None = None
    strict = False
    match = PRE_END_RE.search(head)
    if match:
        direction, strict = PRE_OPS[match.group()]
        head = head[: match.start()]
        if strict and head.endswith(NEGATIONS):
            direction, strict = FLIP[direction], False
            head = next(head[: -len(n)] for n in NEGATIONS if head.endswith(n))
    if head and not LABEL_RE.fullmatch(head):
        return None
    return head, direction, strict


def _unit_at(s: str, pos: int, generic: bool) -> tuple[str, int] | None:
    """A unit token at ``pos`` as (normalised unit, end), or None."""
    match = UNIT_RE.match(s, pos)
    if (
        match
        and match.group().isascii()
        and s[match.end() : match.end() + 1].isascii()
        and s[match.end() : match.end() + 1].isalpha()
    ):
        match = None  # an ASCII unit is a whole word: the m of Mbps is not 米
    if match:
        unit, end = UNITS[match.group().lower()], match.end()
        if unit == "个":  # 个 + a unit (个点位, 个批次) is that unit
            more = UNIT_RE.match(s, end)
            if more:
                return UNITS[more.group().lower()], more.end()
        return unit, end
    if generic and pos < len(s) and s[pos] not in NOT_UNIT and not SUF_RE.match(s, pos):
        match = GENERIC_UNIT_RE.match(s, pos)
        if match:
            return match.group(), match.end()
    return None


def _per_part(s: str, pos: int, generic: bool) -> tuple[str, int] | None:
    """The unit after a ``/``: 人, or with a count in front as fuel norms write it (元/100km)."""
    count = NUM_RE.match(s, pos)
    if count is None:
        return _unit_at(s, pos, generic)
    part = _unit_at(s, count.end(), generic)
    return None if part is None else (f"{count.group()}{part[0]}", part[1])


def _tail(s: str, pos: int, unit: str, is_time: bool, pre: Direction | None) -> Direction | None:
    """Read the suffix word and trailing words after the unit; the combined direction, or None."""
    if pre is Direction.PLAIN:
        pre = None  # 约 / 为 add nothing to a suffix (约100人以上)
    suffix = SUF_RE.match(s, pos)
    suf_dir: Direction | None = None
    if suffix:
        suf_dir = SUFFIXES[suffix.group()]
        if suffix.group() in WITHIN and is_time:
            suf_dir = Direction.DEADLINE
        elif suf_dir is Direction.DEADLINE:
            return None  # 前 / 之前 only follow a time
        pos = suffix.end()
    rest = s[pos:]
    if rest and NOTE_RE.fullmatch(rest):
        rest = ""
    deadline = suf_dir is Direction.DEADLINE
    if rest and rest not in VERBS and not (deadline and CJK_REST_RE.fullmatch(rest)):
        return None
    if suf_dir is None:
        return pre or Direction.PLAIN
    if pre is None or pre is suf_dir:
        return suf_dir
    if suf_dir is Direction.DEADLINE and pre is Direction.LOWER:
        return suf_dir
    if suf_dir is Direction.PLAIN:
        return pre
    return None  # contradictory (≥5%以下)


def _quantity_from(
    s: str, pos: int, number: Decimal, mult: str, pre: Direction | None, generic: bool
) -> tuple[Quantity, Direction, int] | None:
    """Read multiplier-adjusted unit, compound parts, suffix and rest after a number."""
    unit = ""
    if mult:  # 万元 / 亿元 / 千克: the last multiplier belongs to the unit
        joined = UNIT_RE.match(s, pos - 1)
        if joined and len(joined.group()) > 1:
            mult = mult[:-1]
            unit, pos = UNITS[joined.group().lower()], joined.end()
    if not unit:
        found = _unit_at(s, pos, generic)
        if found:
            unit, pos = found
    per = False
    while unit and pos < len(s):
        if s[pos] == "/" or (per and s[pos] in PER_JOINERS):
            part = _per_part(s, pos + 1, generic)
            if part is None:
                return None
            unit, pos = f"{unit}{'/' if s[pos] == '/' else '·'}{part[0]}", part[1]
            per = True
        elif per and (time := _unit_at(s, pos, False)) is not None and time[0] in TIME_UNITS:
            unit, pos = f"{unit}·{time[0]}", time[1]  # 元/人天, as the 会议费 standards write it: 元/人·天
        else:
            break
    number *= multiplier_factor(mult)
    direction = _tail(s, pos, unit, unit in TIME_UNITS, pre)
    if direction is None:
        return None
    return Quantity(number, unit, mult), direction, pos


def _reading(quantity: Quantity, direction: Direction, strict: bool, label: str) -> Reading:
    is_time = quantity.unit in TIME_UNITS
    span = Span(amount=quantity.number, unit=quantity.unit) if is_time else None
    timed = is_time and direction in (Direction.LOWER, Direction.DEADLINE)
    kind = ValueKind.DURATION if timed else ValueKind.QUANTITY
    return Reading(kind, direction, quantity, span, strict if direction is not Direction.DEADLINE else False, label)


def _read_quantity(s: str) -> Reading | None:
    """Read ``[label][operator]number[余/多][万/亿][余/多][unit][/unit][suffix][verb]``."""
    match = NUM_RE.search(s)
    if match is None:
        return _read_cn_quantity(s)
    qualifier = QUALIFIER_RE.match(s, match.end())
    if qualifier:  # 1.2万余人, 30余人, 300多万元: 余 / 多 qualify the number, they are not a unit
        s = s[: match.end()] + qualifier.group(1) + s[qualifier.end() :]
    head = s[: match.start()]
    negative = False
    if head.endswith(("-", "+")):
        negative = head.endswith("-")
        head = head[:-1]
    percent = head.endswith("百分之")
    if percent:
        head = head[:-3]
    parts = _head(head)
    if parts is None:
        return None
    label, pre, strict = parts
    number = Decimal(match.group().replace(",", ""))
    if negative:
        number = -number
    mult_end = match.end()
    while mult_end < len(s) and s[mult_end] in MULTIPLIERS:
        mult_end += 1
    found = _quantity_from(s, mult_end, number, s[match.end() : mult_end], pre, generic=True)
    if found is None:
        return None
    quantity, direction, _ = found
    if percent:
        if quantity.unit:
            return None
        quantity = Quantity(quantity.number, "%", quantity.multiplier)
    if direction is Direction.PLAIN or pre is None:
        strict = False
    return _reading(quantity, direction, strict, label)


def _read_cn_quantity(s: str) -> Reading | None:
    """Read a quantity written in Chinese numerals at the start (``两次``, ``三个工作日内``, ``百分之百``)."""
    if s == "百分百":
        return Reading(ValueKind.QUANTITY, Direction.PLAIN, Quantity(Decimal(100), "%"))
    match = CN_QTY_RE.match(s)
    if match is None:
        return None
    numeral = match.group(2)
    mult = ""
    # A trailing 万 / 亿 multiplies the number (两万次, 五千万元) unless a 亿 comes before the 万: then the
    # 万 counts the section after it (一亿二千万 is 1.2亿, not 1亿零2千 times 万).
    while len(numeral) > 1 and numeral[-1] in "万亿" and not (numeral[-1] == "万" and "亿" in numeral):
        mult, numeral = numeral[-1] + mult, numeral[:-1]
    value = cn_int(numeral)
    if value is None:
        return None
    op_text = s[: match.start(1) if match.group(1) else match.start(2)]
    pre, strict = PRE_OPS[op_text] if op_text else (None, False)
    percent = match.group(1) is not None
    found = _quantity_from(s, match.end(2), Decimal(value), mult, pre, generic=False)
    if found is None:
        return None
    quantity, direction, _ = found
    if percent:
        if quantity.unit:
            return None
        quantity = Quantity(quantity.number, "%", quantity.multiplier)
    elif not quantity.unit:
        return None  # a lone Chinese numeral is a word, not a value
    return _reading(quantity, direction, strict and direction is not Direction.PLAIN, "")


# --------------------------------------------------------------------------------------------
# The reader


def _parse(s: str) -> Reading | None:
    if not s:
        return None
    if DATE_HINT_RE.search(s):
        found = read_date(s)
        if found is not None:
            return found
    return _read_quantity(s) or _read_range(s)


def _bare_low(low: Quantity, high: Quantity) -> Quantity:
    """A range's lower bound written without the unit, in the upper bound's terms (95-100% is 95%-100%).

    A multiplier on one side only counts as written on both: 1～2万件 is 1万～2万件, and in 3万-5万元 the
    lower 万 is the 万 of 万元, not a factor of 元.
    """
    if low.multiplier and not high.multiplier and high.unit.startswith(low.multiplier):
        return Quantity(low.number / multiplier_factor(low.multiplier), high.unit)
    if not low.multiplier and high.multiplier:
        return Quantity(low.number * multiplier_factor(high.multiplier), high.unit, high.multiplier)
    return Quantity(low.number, high.unit, low.multiplier)


def _read_range(s: str) -> Reading | None:
    """Read a range: ``95%-100%``, ``85%~95%``, ``1-3个工作日``, ``≥80%且≤100%``.

    The lower bound may leave out the unit (``95-100%``); both bounds must compare, lower ≤ upper.
    A range of times (``1-3个工作日``) is a duration limited by its upper bound.
    """
    for sep_re, both in ((RANGE_SEP_RE, False), (BOTH_SEP_RE, True)):
        for sep in sep_re.finditer(s, 1):
            left, right = _read_quantity(s[: sep.start()]), _read_quantity(s[sep.end() :])
            if left is None or right is None:
                continue
            low, high = left.quantity, right.quantity
            if low is None or high is None:  # pragma: no cover - a quantity reading always has one
                continue
            if both:
                pair = {left.direction, right.direction}
                if pair != {Direction.HIGHER, Direction.LOWER}:
                    continue
                if left.direction is Direction.LOWER:
                    left, low, high = right, high, low
            elif left.direction is not Direction.PLAIN or left.label or right.label:
                continue
            if not low.unit and high.unit:
                low = _bare_low(low, high)
            if low.unit != high.unit or low.number > high.number:
                continue
            span = Span(amount=high.number, unit=high.unit) if high.unit in TIME_UNITS else None
            kind = ValueKind.DURATION if span is not None else ValueKind.QUANTITY
            return Reading(kind, Direction.RANGE, low, span, False, left.label, high)
    return None


def _read(text: str) -> Value:
    try:
        canonical = normalize_text(text)
        if not canonical or (len(canonical) <= MAX_PARSED and set(canonical) <= EMPTY_CHARS):
            return Value(text, ValueKind.EMPTY, canonical=canonical)
        reading = _parse(canonical.replace("(含)", "")) if len(canonical) <= MAX_PARSED else None
    except Exception:  # the reader never fails: what it cannot read is qualitative
        return Value(text, ValueKind.QUALITATIVE, canonical=text)
    if reading is None:
        return Value(text, ValueKind.QUALITATIVE, canonical=canonical)
    kind, direction, quantity, span, strict, label, upper = reading
    return Value(text, kind, direction, quantity, span, strict, label, canonical, upper)


_read_cached = functools.lru_cache(maxsize=16_384)(_read)
_EMPTY = Value("", ValueKind.EMPTY)


def read_value(text: str | None) -> Value:
    """Read one typed value; never raises (unreadable text is qualitative).

    Args:
        text: a 指标值 / 实际完成值 as typed (None is empty).

    Returns:
        The typed value; results for texts up to 1000 characters are cached.
    """
    if text is None:
        return _EMPTY
    if len(text) > 1000:
        return _read(text)
    return _read_cached(text)
