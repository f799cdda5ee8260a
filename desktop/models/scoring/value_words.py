"""The vocabulary of the value reader: text normalisation, operator and suffix words, units and their
families, the compiled patterns, and Chinese numerals.

Everything here is data (or a small helper over it) shared by the quantity reader (``values.py``),
the date reader (``value_dates.py``) and comparing (``value_compare.py``); date-only patterns live
in ``value_dates.py``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal

from desktop.models.scoring.value_types import MONEY_FACTORS, MULTIPLIERS, Direction

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
EMPTY_CHARS = frozenset("-/~_\\.·*")
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

# Prefix operators: text → (direction, strict).
_H, _L, _E, _P = Direction.HIGHER, Direction.LOWER, Direction.EQUAL, Direction.PLAIN
PRE_OPS: dict[str, tuple[Direction, bool]] = {
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
NEGATIONS = ("不得", "不应", "不能", "不可", "不宜", "不会", "未", "没有", "没", "勿", "不")
FLIP = {_H: _L, _L: _H}

# Suffix words: text → direction (DEADLINE only after a time unit).
_D = Direction.DEADLINE
SUFFIXES: dict[str, Direction] = {
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
WITHIN = frozenset({"以内", "之内", "内", "之前", "以前", "前"})

# Units: alias (lower case) → normalised unit.
UNITS: dict[str, str] = {
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
FAMILIES: dict[str, tuple[str, Decimal]] = {
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
VERBS = frozenset(
    "完成 完工 办结 响应 到位 结束 提交 交付 上线 实施 达标 覆盖 答复 回复 反馈 处理 处置 办理 验收 支付 "
    "拨付 兑付 印发 发放 报送 开展 启动".split()
)
# Characters that never form a unit of their own (they start a clause instead).
NOT_UNIT = frozenset("的是在和与及或等为达到至以之内前后左右上下不未每年月日共约")


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


NUM_RE = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?|\.[0-9]+")
UNIT_RE = re.compile(_alternation(UNITS), re.IGNORECASE)
SUF_RE = re.compile(_alternation(SUFFIXES))
PRE_END_RE = re.compile(f"(?:{_alternation(PRE_OPS)})$")
LABEL_RE = re.compile(f"[A-Za-z{_CJK}“”\"'‘’《》()·、]{{1,20}}:?")
GENERIC_UNIT_RE = re.compile(f"[{_CJK}]{{1,3}}|[A-Za-z]{{1,6}}")
CJK_REST_RE = re.compile(f"[{_CJK}“”]{{1,12}}")
NOTE_RE = re.compile(r"\([^0-9()]{1,20}\)")
CN_QTY_RE = re.compile(f"(?:{_alternation(PRE_OPS)})?(百分之)?({_CN_NUM})")
DATE_HINT_RE = re.compile("[年月季]|[0-9][-/.][0-9]")

QUALIFIER_RE = re.compile("([千万亿]*)[余多]")
# After a per-unit (元/人), these join further parts: 元/人·月, 元/人*月, 元/人×月 all read as 元/人·月.
PER_JOINERS = frozenset("·*×")
RANGE_SEP_RE = re.compile("(?:-|~|至|到)")
BOTH_SEP_RE = re.compile("(?:,|;)?(?:且|并且|而且|同时)|,|;")


# --------------------------------------------------------------------------------------------
# Numbers


_CN_DIGITS = {ch: i for i, ch in enumerate("零一二三四五六七八九")} | {"两": 2}
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}


def cn_int(text: str) -> int | None:
    """A Chinese numeral (``十二``, ``两万``, ``一百零五``) as an int, or None."""
    digits, small = _CN_DIGITS, _CN_SMALL
    if len(text) == 1 and text in digits:
        return digits[text]
    if text[:1] in ("万", "亿"):  # 万人次 is 一万人次, as 十 is 一十
        text = "一" + text
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


def multiplier_factor(mult: str) -> Decimal:
    factor = Decimal(1)
    for ch in mult:
        factor *= MULTIPLIERS[ch]
    return factor
