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
"""

from __future__ import annotations

import calendar
import enum
import functools
import re
import unicodedata
from collections.abc import Iterable
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


# Money units convert to 元; other units compare only with themselves (or their family, see _FAMILIES).
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
        day = self.day or calendar.monthrange(self.year or 2000, month)[1]
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


# --------------------------------------------------------------------------------------------
# Normalisation

_TRANS = str.maketrans(
    {
        "≧": "≥",
        "⩾": "≥",
        "≮": "≥",
        "≦": "≤",
        "⩽": "≤",
        "≯": "≤",
        "═": "=",
        "〓": "=",
        "−": "-",
        "–": "-",
        "—": "-",
        "―": "-",
        "─": "-",
        "〜": "~",
        "〇": "零",
    }
)
_SPACE_RE = re.compile(r"\s+")
_TRAILING = "。;,、!.…"
_EMPTY_CHARS = frozenset("-/~_\\.·*")
_CANONICAL_LIMIT = 10_000


def normalize_text(text: str) -> str:
    """Fold ``text`` for comparison: NFKC, look-alike operators unified, no spaces or trailing punctuation."""
    if len(text) > _CANONICAL_LIMIT:
        return text
    folded = unicodedata.normalize("NFKC", text).translate(_TRANS)
    return _SPACE_RE.sub("", folded).rstrip(_TRAILING)


# --------------------------------------------------------------------------------------------
# Vocabulary

_CJK = "\u3400-\u9fff"
_CN_DIGIT_CHARS = "零一二两三四五六七八九"
_CN_NUM = f"[{_CN_DIGIT_CHARS}十百千万亿]+"
_CN_MONTH = "[一二三四五六七八九十]{1,3}"
_CN_DAY = "[一二三四五六七八九十]{1,4}"

# Prefix operators: text → (direction, strict).
_H, _L, _E, _P = Direction.HIGHER, Direction.LOWER, Direction.EQUAL, Direction.PLAIN
_PRE_OPS: dict[str, tuple[Direction, bool]] = {
    "≥": (_H, False),
    "≥=": (_H, False),
    ">=": (_H, False),
    "=>": (_H, False),
    ">": (_H, True),
    "≤": (_L, False),
    "≤=": (_L, False),
    "<=": (_L, False),
    "=<": (_L, False),
    "<": (_L, True),
    "=": (_E, False),
    "==": (_E, False),
    "等于": (_E, False),
    "大于等于": (_H, False),
    "大于或等于": (_H, False),
    "不小于": (_H, False),
    "不低于": (_H, False),
    "不少于": (_H, False),
    "至少": (_H, False),
    "最少": (_H, False),
    "最低": (_H, False),
    "达到": (_H, False),
    "达": (_H, False),
    "达至": (_H, False),
    "提高到": (_H, False),
    "提高至": (_H, False),
    "提升到": (_H, False),
    "提升至": (_H, False),
    "增加到": (_H, False),
    "增加至": (_H, False),
    "增长到": (_H, False),
    "增长至": (_H, False),
    "增至": (_H, False),
    "高于": (_H, True),
    "大于": (_H, True),
    "超过": (_H, True),
    "多于": (_H, True),
    "小于等于": (_L, False),
    "小于或等于": (_L, False),
    "不大于": (_L, False),
    "不高于": (_L, False),
    "不超过": (_L, False),
    "不超出": (_L, False),
    "不多于": (_L, False),
    "至多": (_L, False),
    "最多": (_L, False),
    "最高": (_L, False),
    "控制在": (_L, False),
    "控制到": (_L, False),
    "控制于": (_L, False),
    "降低到": (_L, False),
    "降低至": (_L, False),
    "下降到": (_L, False),
    "下降至": (_L, False),
    "降至": (_L, False),
    "压缩到": (_L, False),
    "压缩至": (_L, False),
    "减少到": (_L, False),
    "减少至": (_L, False),
    "低于": (_L, True),
    "小于": (_L, True),
    "少于": (_L, True),
    "不足": (_L, True),
    "约": (_P, False),
    "约为": (_P, False),
    "大约": (_P, False),
    "为": (_P, False),
}
# A negation before a strict comparative flips it: 不得低于 = 不低于, 未超过 = 不超过.
_NEGATIONS = ("不得", "不应", "不能", "不可", "不宜", "不会", "未", "没有", "没", "勿", "不")
_FLIP = {_H: _L, _L: _H}

# Suffix words: text → direction (DEADLINE only after a time unit).
_D = Direction.DEADLINE
_SUFFIXES: dict[str, Direction] = {
    "以上": _H,
    "及以上": _H,
    "或以上": _H,
    "以下": _L,
    "及以下": _L,
    "或以下": _L,
    "以内": _L,
    "之内": _L,
    "内": _L,
    "以里": _L,
    "之前": _D,
    "以前": _D,
    "前": _D,
    "左右": _P,
}
_WITHIN = frozenset({"以内", "之内", "内", "之前", "以前", "前"})

# Units: alias (lower case) → normalised unit.
_UNITS: dict[str, str] = {
    "%": "%",
    "百分比": "%",
    "‰": "‰",
    "百分点": "百分点",
    "个百分点": "百分点",
    "元": "元",
    "千元": "千元",
    "万元": "万元",
    "亿元": "亿元",
    "人": "人",
    "人次": "人次",
    "次": "次",
    "个": "个",
    "项": "项",
    "类": "类",
    "件": "件",
    "份": "份",
    "台": "台",
    "套": "套",
    "场": "场",
    "场次": "场次",
    "亩": "亩",
    "点位": "点位",
    "个点位": "点位",
    "篇": "篇",
    "期": "期",
    "页": "页",
    "户": "户",
    "家": "家",
    "名": "名",
    "位": "位",
    "所": "所",
    "座": "座",
    "处": "处",
    "条": "条",
    "本": "本",
    "册": "册",
    "张": "张",
    "批": "批",
    "批次": "批次",
    "轮": "轮",
    "辆": "辆",
    "部": "部",
    "间": "间",
    "组": "组",
    "支": "支",
    "个月": "月",
    "月": "月",
    "年": "年",
    "周": "周",
    "个周": "周",
    "星期": "周",
    "个星期": "周",
    "天": "天",
    "日": "天",
    "自然日": "天",
    "个自然日": "天",
    "工作日": "工作日",
    "个工作日": "工作日",
    "小时": "小时",
    "个小时": "小时",
    "h": "小时",
    "分钟": "分钟",
    "min": "分钟",
    "秒": "秒",
    "秒钟": "秒",
    "分": "分",
    "倍": "倍",
    "m2": "m²",
    "平方米": "m²",
    "平米": "m²",
    "m3": "m³",
    "立方米": "m³",
    "米": "米",
    "m": "米",
    "公里": "公里",
    "千米": "公里",
    "km": "公里",
    "平方公里": "平方公里",
    "公顷": "公顷",
    "克": "克",
    "千克": "千克",
    "公斤": "千克",
    "kg": "千克",
    "吨": "吨",
}

# Unit families that convert: unit → (family, factor to the family's smallest common measure).
_FAMILIES: dict[str, tuple[str, Decimal]] = {
    **{unit: ("money", factor) for unit, factor in MONEY_FACTORS.items()},
    "%": ("percent", Decimal(1)),
    "‰": ("percent", Decimal("0.1")),
    "秒": ("time", Decimal(1)),
    "分钟": ("time", Decimal(60)),
    "小时": ("time", Decimal(3_600)),
    "天": ("time", Decimal(86_400)),
    "周": ("time", Decimal(604_800)),
    "月": ("months", Decimal(1)),
    "年": ("months", Decimal(12)),
    "米": ("length", Decimal(1)),
    "公里": ("length", Decimal(1_000)),
    "m²": ("area", Decimal(1)),
    "公顷": ("area", Decimal(10_000)),
    "平方公里": ("area", Decimal(1_000_000)),
    "克": ("mass", Decimal(1)),
    "千克": ("mass", Decimal(1_000)),
    "吨": ("mass", Decimal(1_000_000)),
}

# Words allowed after a value (``2025年7月前完成``, ``100%完成``).
_VERBS = frozenset(
    "完成 完工 办结 响应 到位 结束 提交 交付 上线 实施 达标 覆盖 答复 回复 反馈 处理 处置 办理 验收 支付 "
    "拨付 兑付 印发 发放 报送 开展 启动".split()
)
# Characters that never form a unit of their own (they start a clause instead).
_NOT_UNIT = frozenset("的是在和与及或等为达到至以之内前后左右上下不未每年月日共约")


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_NUM_RE = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?|\.[0-9]+")
_UNIT_RE = re.compile(_alternation(_UNITS), re.IGNORECASE)
_SUF_RE = re.compile(_alternation(_SUFFIXES))
_PRE_END_RE = re.compile(f"(?:{_alternation(_PRE_OPS)})$")
_PRE_START_RE = re.compile(_alternation(_PRE_OPS))
_LABEL_RE = re.compile(f"[A-Za-z{_CJK}“”\"'‘’《》()·、]{{1,20}}:?")
_GENERIC_UNIT_RE = re.compile(f"[{_CJK}]{{1,3}}|[A-Za-z]{{1,6}}")
_CJK_REST_RE = re.compile(f"[{_CJK}“”]{{1,12}}")
_NOTE_RE = re.compile(r"\([^0-9()]{1,20}\)")
_CN_QTY_RE = re.compile(f"(?:{_alternation(_PRE_OPS)})?(百分之)?({_CN_NUM})")
_DIGIT_RE = re.compile("[0-9]")
_DATE_HINT_RE = re.compile("[年月季]|[0-9][-/.][0-9]")

_QUALIFIER_RE = re.compile("([千万亿]*)[余多]")
# After a per-unit (元/人), these join further parts: 元/人·月, 元/人*月, 元/人×月 all read as 元/人·月.
_PER_JOINERS = frozenset("·*×")
_RANGE_SEP_RE = re.compile("(?:-|~|至|到)")
_BOTH_SEP_RE = re.compile("(?:,|;)?(?:且|并且|而且|同时)|,|;")

_YEAR = "((?:19|20|21)[0-9]{2})年度?"
_PART = "底|末|上旬|中旬|下旬|初|中|上半年|下半年|第?[一二三四1-4]季度(?:末|底)?"
_ATOM_RE = re.compile(f"(?:{_YEAR})?(?:([0-9]{{1,2}}|{_CN_MONTH})月份?(?:([0-9]{{1,2}}|{_CN_DAY})[日号])?)?({_PART})?")
_RANGE_RE = re.compile(f"(?:{_YEAR})?([0-9]{{1,2}}|{_CN_MONTH})(?:月份?)?(?:[0-9]{{1,2}}[日号])?(?:至|到|-|~)")
_NUMDATE_RE = re.compile(r"((?:19|20|21)[0-9]{2})([-/.])([0-9]{1,2})\2([0-9]{1,2})[日号]?")
_YEARWORD_RE = re.compile("(?:当|本|今)?年度?(底|末|内)")
_DPRE_END_RE = re.compile("(?:截至|截止到|截止|不晚于|不迟于|最迟于|最迟|最晚|于|在|至|到)$")
_DPRE_START_RE = re.compile("截至|截止到|截止|不晚于|不迟于|最迟于|最迟|最晚|于|在")
_DSUF_RE = re.compile("之前|以前|前|之内|以内|内|为止|止")


# --------------------------------------------------------------------------------------------
# Numbers


_CN_DIGITS = {ch: i for i, ch in enumerate("零一二三四五六七八九")} | {"两": 2}
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}


def _cn_int(text: str) -> int | None:
    """A Chinese numeral (``十二``, ``两万``, ``一百零五``) as an int, or None."""
    digits, small = _CN_DIGITS, _CN_SMALL
    if len(text) == 1 and text in digits:
        return digits[text]
    total = section = 0
    digit: int | None = None
    for ch in text:
        if ch in digits:
            if digit not in (None, 0):
                return None
            digit = digits[ch]
        elif ch in small:
            section += (1 if digit is None else digit) * small[ch]
            digit = None
        elif ch == "万":
            total += (section + (digit or 0)) * 10_000
            section, digit = 0, None
        elif ch == "亿":
            total = (total + section + (digit or 0)) * 100_000_000
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


def _multiplier_factor(mult: str) -> Decimal:
    factor = Decimal(1)
    for ch in mult:
        factor *= MULTIPLIERS[ch]
    return factor


# --------------------------------------------------------------------------------------------
# Quantities and durations


class _Reading(NamedTuple):
    kind: ValueKind
    direction: Direction
    quantity: Quantity | None = None
    span: Span | None = None
    strict: bool = False
    label: str = ""
    upper: Quantity | None = None


def _head(head: str) -> tuple[str, Direction | None, bool] | None:
    """Split the text before a number into (label, prefix direction, strict); None if not a label."""
    direction: Direction | None = None
    strict = False
    match = _PRE_END_RE.search(head)
    if match:
        direction, strict = _PRE_OPS[match.group()]
        head = head[: match.start()]
        if strict and head.endswith(_NEGATIONS):
            direction, strict = _FLIP[direction], False
            head = next(head[: -len(n)] for n in _NEGATIONS if head.endswith(n))
    if head and not _LABEL_RE.fullmatch(head):
        return None
    return head, direction, strict


def _unit_at(s: str, pos: int, generic: bool) -> tuple[str, int] | None:
    """A unit token at ``pos`` as (normalised unit, end), or None."""
    match = _UNIT_RE.match(s, pos)
    if (
        match
        and match.group().isascii()
        and s[match.end() : match.end() + 1].isascii()
        and s[match.end() : match.end() + 1].isalpha()
    ):
        match = None  # an ASCII unit is a whole word: the m of Mbps is not 米
    if match:
        unit, end = _UNITS[match.group().lower()], match.end()
        if unit == "个":  # 个 + a unit (个点位, 个批次) is that unit
            more = _UNIT_RE.match(s, end)
            if more:
                return _UNITS[more.group().lower()], more.end()
        return unit, end
    if generic and pos < len(s) and s[pos] not in _NOT_UNIT and not _SUF_RE.match(s, pos):
        match = _GENERIC_UNIT_RE.match(s, pos)
        if match:
            return match.group(), match.end()
    return None


def _tail(s: str, pos: int, unit: str, is_time: bool, pre: Direction | None) -> Direction | None:
    """Read the suffix word and trailing words after the unit; the combined direction, or None."""
    if pre is Direction.PLAIN:
        pre = None  # 约 / 为 add nothing to a suffix (约100人以上)
    suffix = _SUF_RE.match(s, pos)
    suf_dir: Direction | None = None
    if suffix:
        suf_dir = _SUFFIXES[suffix.group()]
        if suffix.group() in _WITHIN and is_time:
            suf_dir = Direction.DEADLINE
        elif suf_dir is Direction.DEADLINE:
            return None  # 前 / 之前 only follow a time
        pos = suffix.end()
    rest = s[pos:]
    if rest and _NOTE_RE.fullmatch(rest):
        rest = ""
    deadline = suf_dir is Direction.DEADLINE
    if rest and rest not in _VERBS and not (deadline and _CJK_REST_RE.fullmatch(rest)):
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
        joined = _UNIT_RE.match(s, pos - 1)
        if joined and len(joined.group()) > 1:
            mult = mult[:-1]
            unit, pos = _UNITS[joined.group().lower()], joined.end()
    if not unit:
        found = _unit_at(s, pos, generic)
        if found:
            unit, pos = found
    per = False
    while unit and pos < len(s) and (s[pos] == "/" or (per and s[pos] in _PER_JOINERS)):
        part = _unit_at(s, pos + 1, generic)
        if part is None:
            return None
        unit, pos = f"{unit}{'/' if s[pos] == '/' else '·'}{part[0]}", part[1]
        per = True
    number *= _multiplier_factor(mult)
    direction = _tail(s, pos, unit, unit in TIME_UNITS, pre)
    if direction is None:
        return None
    return Quantity(number, unit, mult), direction, pos


def _reading(quantity: Quantity, direction: Direction, strict: bool, label: str) -> _Reading:
    is_time = quantity.unit in TIME_UNITS
    span = Span(amount=quantity.number, unit=quantity.unit) if is_time else None
    timed = is_time and direction in (Direction.LOWER, Direction.DEADLINE)
    kind = ValueKind.DURATION if timed else ValueKind.QUANTITY
    return _Reading(kind, direction, quantity, span, strict if direction is not Direction.DEADLINE else False, label)


def _read_quantity(s: str) -> _Reading | None:
    """Read ``[label][operator]number[余/多][万/亿][余/多][unit][/unit][suffix][verb]``."""
    match = _NUM_RE.search(s)
    if match is None:
        return _read_cn_quantity(s)
    qualifier = _QUALIFIER_RE.match(s, match.end())
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


def _read_cn_quantity(s: str) -> _Reading | None:
    """Read a quantity written in Chinese numerals at the start (``两次``, ``三个工作日内``, ``百分之百``)."""
    if s == "百分百":
        return _Reading(ValueKind.QUANTITY, Direction.PLAIN, Quantity(Decimal(100), "%"))
    match = _CN_QTY_RE.match(s)
    if match is None:
        return None
    numeral = match.group(2)
    mult = ""
    while len(numeral) > 1 and numeral[-1] in "万亿":
        mult, numeral = numeral[-1] + mult, numeral[:-1]
    value = _cn_int(numeral)
    if value is None:
        return None
    op_text = s[: match.start(1) if match.group(1) else match.start(2)]
    pre, strict = _PRE_OPS[op_text] if op_text else (None, False)
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
# Dates


def _small_int(text: str) -> int | None:
    return int(text) if text.isdigit() else _cn_int(text)


def _part_month(part: str) -> int | None:
    """The month a year-level part word ends in (上半年 → 6, 三季度 → 9, 底 → 12)."""
    if part in ("底", "末", "下半年"):
        return 12
    if part == "上半年" or part == "中":
        return 6
    if part == "初":
        return 3
    if "季度" in part:
        quarter = _small_int(part.lstrip("第")[0])
        return 3 * quarter if quarter else None
    return None


def _atom(s: str, pos: int) -> tuple[int | None, int | None, int | None, bool, int] | None:
    """One date ``(year, month, day, has_part, end)`` at ``pos``, or None."""
    match = _ATOM_RE.match(s, pos)
    if match is None or match.end() == pos:
        return None
    year_text, month_text, day_text, part = match.groups()
    year = int(year_text) if year_text else None
    month = _small_int(month_text) if month_text else None
    day = _small_int(day_text) if day_text else None
    if month is None:
        if part:
            if part in ("上旬", "中旬", "下旬"):
                return None
            month = _part_month(part)
            if month is None:
                return None
        elif year is None:
            return None
    elif part:
        if day is not None or "季度" in part or "半年" in part:
            return None
        day = {"初": 10, "上旬": 10, "中": 20, "中旬": 20}.get(part)
    return year, month, day, bool(part), match.end()


def _valid(year: int | None, month: int | None, day: int | None) -> bool:
    if month is None:
        return day is None
    if not 1 <= month <= 12:
        return False
    return day is None or 1 <= day <= calendar.monthrange(year or 2000, month)[1]


def _date_body(s: str, pos: int) -> tuple[Span, bool, int] | None:
    """A date or period at ``pos``: (span, has_part, end), or None."""
    match = _NUMDATE_RE.match(s, pos)
    if match:
        y, m, d = int(match.group(1)), int(match.group(3)), int(match.group(4))
        return (Span(y, m, d), False, match.end()) if _valid(y, m, d) else None
    match = _RANGE_RE.match(s, pos)
    if match:
        start_month = _small_int(match.group(2))
        second = _atom(s, match.end())
        if second and second[1] is not None and start_month and 1 <= start_month <= 12:
            year = second[0] if second[0] is not None else (int(match.group(1)) if match.group(1) else None)
            if start_month <= second[1] and _valid(year, second[1], second[2]):
                return Span(year, second[1], second[2]), second[3], second[4]
    atom = _atom(s, pos)
    if atom:
        year, month, day, has_part, end = atom
        return (Span(year, month, day), has_part, end) if _valid(year, month, day) else None
    match = _YEARWORD_RE.match(s, pos)
    if match:
        within = match.group(1) == "内"
        return Span(None, 12, None), not within, match.end() if not within else match.start(1)
    return None


def _read_date(s: str) -> _Reading | None:
    """Read ``[label][截至…]date|period[前/之前/内][verb]``."""
    digit = _DIGIT_RE.search(s)
    starts = [digit.start()] if digit else []
    if not digit or digit.start() != 0:
        starts.append(0)
    for start in starts:
        label = s[:start]
        pos = start
        if start == 0:
            prefix = _DPRE_START_RE.match(s)
            if prefix:
                pos = prefix.end()
        else:
            prefix = _DPRE_END_RE.search(label)
            if prefix:
                label = label[: prefix.start()]
            if label and not _LABEL_RE.fullmatch(label):
                continue
        body = _date_body(s, pos)
        if body is None:
            continue
        span, has_part, pos = body
        suffix = _DSUF_RE.match(s, pos)
        if suffix:
            pos = suffix.end()
        rest = s[pos:]
        if rest.startswith("后"):
            continue  # 12月31日前后: around, not by
        limited = bool(suffix) or has_part
        if (
            not rest
            or rest in _VERBS
            or _NOTE_RE.fullmatch(rest)
            or (limited and _CJK_REST_RE.fullmatch(rest))
            or (suffix and not label and rest[0] in ",;:")
        ):
            return _Reading(ValueKind.DATE, Direction.DEADLINE, span=span, label=label)
    return None


# --------------------------------------------------------------------------------------------
# The reader


def _parse(s: str) -> _Reading | None:
    if not s:
        return None
    if _DATE_HINT_RE.search(s):
        found = _read_date(s)
        if found is not None:
            return found
    return _read_quantity(s) or _read_range(s)


def _read_range(s: str) -> _Reading | None:
    """Read a range: ``95%-100%``, ``85%~95%``, ``1-3个工作日``, ``≥80%且≤100%``.

    The lower bound may leave out the unit (``95-100%``); both bounds must compare, lower ≤ upper.
    A range of times (``1-3个工作日``) is a duration limited by its upper bound.
    """
    for sep_re, both in ((_RANGE_SEP_RE, False), (_BOTH_SEP_RE, True)):
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
                low = Quantity(low.number, high.unit, low.multiplier)
            if low.unit != high.unit or low.number > high.number:
                continue
            span = Span(amount=high.number, unit=high.unit) if high.unit in TIME_UNITS else None
            kind = ValueKind.DURATION if span is not None else ValueKind.QUANTITY
            return _Reading(kind, Direction.RANGE, low, span, False, left.label, high)
    return None


def _read(text: str) -> Value:
    try:
        canonical = normalize_text(text)
        if not canonical or (len(canonical) <= MAX_PARSED and set(canonical) <= _EMPTY_CHARS):
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


# --------------------------------------------------------------------------------------------
# Comparing


def _family(unit: str) -> tuple[str, Decimal] | None:
    """The unit's conversion family and factor; compound units convert by their first part (元/户)."""
    found = _FAMILIES.get(unit)
    if found is not None:
        return found
    first, slash, rest = unit.partition("/")
    if slash and first in _FAMILIES:
        family, factor = _FAMILIES[first]
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
        a_family, l_family = _FAMILIES.get(actual.unit), _FAMILIES.get(limit.unit)
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
        number = number / _multiplier_factor(quantity.multiplier)
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
