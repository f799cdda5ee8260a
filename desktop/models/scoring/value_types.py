"""The value types of the value reader: ``Direction``, ``ValueKind``, ``Quantity``, ``Span``, ``Value``.

Also the unit tables these types need (money factors, multipliers, time units) and ``Reading``, what
the readers (``values.py`` for quantities, ``value_dates.py`` for dates) hand back before a ``Value``
is made. No parsing here; see ``values.py`` for how texts are read.
"""

from __future__ import annotations

import calendar
import enum
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple


class Direction(enum.StrEnum):
    """Which way a target points."""

    HIGHER = "higher"  # ≥ > 以上 不低于 不少于 至少: more is better
    LOWER = "lower"  # ≤ < 以下 不高于 不超过 以内: less is better (cost, time, failure rates)
    EQUAL = "equal"  # = ＝: exactly this
    PLAIN = "plain"  # a bare number ("12次", "100%"): the rule set decides how it is read
    DEADLINE = "deadline"  # a date or a duration that must not be exceeded (12月底前, 5个工作日内)
    RANGE = "range"  # between two bounds (95%-100%, ≥80%且≤100%): ``quantity`` is the lower, ``upper`` the upper


class ValueKind(enum.StrEnum):
    """What sort of value the text holds."""

    EMPTY = "empty"  # blank or only whitespace / dashes
    QUANTITY = "quantity"
    DATE = "date"  # a calendar point or period (2025年2月前, 12月底, 1月至12月)
    DURATION = "duration"  # an elapsed time (5个工作日内, ≤0.5小时, 2小时内响应)
    QUALITATIVE = "qualitative"


# Money units convert to 元; other units compare only with themselves (or their family, see value_words.FAMILIES).
MONEY_FACTORS: dict[str, Decimal] = {
    "元": Decimal(1),
    "千元": Decimal(1_000),
    "万元": Decimal(10_000),
    "亿元": Decimal(100_000_000),
}

# Bare multipliers (``1.5万件``, ``≥10亿``, ``3千人``).
MULTIPLIERS: dict[str, Decimal] = {"千": Decimal(1_000), "万": Decimal(10_000), "亿": Decimal(100_000_000)}

# Units of elapsed time (a quantity in one of these also carries a duration ``Span``).
TIME_UNITS: frozenset[str] = frozenset({"秒", "分钟", "小时", "天", "工作日", "周", "月", "年"})

# Days of each month (index 1–12) but February, which calendar.monthrange gives for the year.
_MONTH_DAYS = (0, 31, 0, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

# Texts longer than this are not parsed: they are qualitative.
MAX_PARSED = 200


@dataclass(frozen=True)
class Quantity:
    """A number with its unit.

    ``unit`` is the normalised unit text (``%`` for 百分比, ``m²`` for ㎡ / 平方米, ``次/天`` …; ``""``
    when none). A bare 万 / 亿 is a multiplier and is applied (``1.5万件`` → 15000 件, ``multiplier``
    ``"万"``); in a money unit it is part of the unit (``61.12万元`` → 61.12 万元, ``base`` 611200 元).
    """

    number: Decimal
    unit: str = ""
    multiplier: str = ""  # the 万 / 亿 / 千 applied to ``number`` ("" when none), kept for display

    @property
    def is_money(self) -> bool:
        """Whether the unit is a money unit (元 / 千元 / 万元 / 亿元)."""
        return self.unit in MONEY_FACTORS

    @property
    def base(self) -> Decimal:
        """The number in its unit's base (元 for money; unchanged otherwise)."""
        return self.number * MONEY_FACTORS.get(self.unit, Decimal(1))


@dataclass(frozen=True)
class Span:
    """A date or a duration, as a comparable end point.

    A date has ``year`` / ``month`` / ``day`` (any may be None: a missing day is the end of the month,
    a missing month the end of the year; see ``end``). A duration has ``amount`` and ``unit``
    (秒, 分钟, 小时, 天, 工作日, 周, 月, 年) of the longest time allowed.
    """

    year: int | None = None
    month: int | None = None
    day: int | None = None
    amount: Decimal | None = None
    unit: str = ""

    @property
    def is_duration(self) -> bool:
        """Whether this is an elapsed time (``amount`` + ``unit``)."""
        return self.amount is not None

    @property
    def is_date(self) -> bool:
        """Whether this is a calendar date or period end."""
        return self.amount is None and (self.year is not None or self.month is not None)

    @property
    def end(self) -> tuple[int, int, int]:
        """The sortable last day allowed: ``(year or 0, month or 12, day or the month's last day)``."""
        month = self.month or 12
        day = self.day
        if not day:
            if 1 <= month <= 12 and month != 2:
                day = _MONTH_DAYS[month]
            else:  # February (leap years), or a month that does not exist: calendar decides (or raises)
                day = calendar.monthrange(self.year or 2000, month)[1]
        return (self.year or 0, month, day)


@dataclass(frozen=True)
class Value:
    """What a typed value text means.

    Attributes:
        text: the text as typed.
        kind: what it holds.
        direction: the comparison (None for qualitative and empty values).
        quantity: the number and unit (quantities and durations).
        span: the date or duration (dates, durations, and quantities with a time unit).
        strict: whether the comparison excludes the bound (``>`` ``<`` 高于 低于 超过; not ≥ ≤ 以上 以内).
        label: text read before the value (``企业满意度`` in ``企业满意度≥95%``), else "".
        canonical: the text normalised for comparing texts (full-width folded, look-alike operators
            unified, spaces and trailing punctuation removed): ``≦平均成本`` and ``≤ 平均成本`` match.
        upper: the upper bound of a range (direction ``RANGE``; ``quantity`` is then the lower bound).
    """

    text: str
    kind: ValueKind
    direction: Direction | None = None
    quantity: Quantity | None = None
    span: Span | None = None
    strict: bool = False
    label: str = ""
    canonical: str = ""
    upper: Quantity | None = None

    @property
    def is_readable(self) -> bool:
        """Whether the value can be compared numerically (quantity, date or duration)."""
        return self.kind in (ValueKind.QUANTITY, ValueKind.DATE, ValueKind.DURATION)

    @property
    def operator(self) -> str:
        """The comparison as a symbol (``≥ > ≤ < =``), or "" for plain values and deadlines."""
        if self.direction is Direction.HIGHER:
            return ">" if self.strict else "≥"
        if self.direction is Direction.LOWER:
            return "<" if self.strict else "≤"
        if self.direction is Direction.EQUAL:
            return "="
        return ""  # plain, deadline, range


class Reading(NamedTuple):
    """What a reader found in a text, before it becomes a ``Value`` (the readers' common result)."""

    kind: ValueKind
    direction: Direction
    quantity: Quantity | None = None
    span: Span | None = None
    strict: bool = False
    label: str = ""
    upper: Quantity | None = None
