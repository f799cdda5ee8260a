"""Words people write as an actual value instead of a number: completion phrases, grades, zero, same day.

The value reader (``values.py``) reads numbers, dates and durations; these helpers read the common
phrases that stand for one (all take the reader's ``canonical`` text):

- ``completion(text)``: 达成预期指标 / 已完成 / 全部达到 / 符合要求 → 达成; with 基本 / 部分 / 初步 →
  部分达成; with a negation (未 没 不 待 尚 滞后 …) → 未达成; anything else → None.
- ``against_target(actual, target)``: the target's own words with a negation or a qualifier
  (提升 → 有待提升 is 未达成, 健全 → 基本健全 is 部分达成).
- ``grade(text)``: a grade on the ordinal scale 优 > 良 > 合格 > 差, with ``及以上`` / ``以上``.
- ``is_zero_word(text)``: 零投诉 / 无 / 未发生 — 0 against a cap.
- ``same_day_days(text)``: 当日办结 → 1 day, 即时办结 / 当场办结 → 0.
"""

from __future__ import annotations

import re
from decimal import Decimal

from desktop.models.workbook.domain import Band

# A completion verb and what may stand around it.
_STEMS = ("达成", "达到", "完成", "实现", "符合", "达标", "满足", "落实", "到位", "办结", "完工", "合格")
_NEGATIONS = (
    "未能",
    "未",
    "没有",
    "没",
    "不能",
    "不够",
    "不",
    "无法",
    "难以",
    "有待",
    "待",
    "尚",
    "滞后",
    "延迟",
    "逾期",
)
_PARTIAL = ("基本上", "基本", "大部分", "部分", "大部", "大体", "初步", "大致", "较好地")
_MAX_PHRASE = 24  # longer texts are sentences: the accountant chooses a band
_HEAD_MAX = 6
_OBJECT_MAX = 10
_CJK_RE = re.compile("[\u3400-\u9fff“”\"'‘’()]*")
_STEM_RE = re.compile("|".join(map(re.escape, _STEMS)))
_TRAILING = "。.！!；;，,"


def _has_any(text: str, words: tuple[str, ...]) -> bool:
    return any(w in text for w in words)


_MET, _PARTLY, _NOT_MET = Band.MET, Band.PARTLY, Band.NOT_MET  # plain names: enum member lookups are slow in 3.11


def completion(text: str) -> Band | None:
    """The completion band a short phrase states (达成 / 部分达成 / 未达成), or None if it states none.

    ``text`` is a canonical value text. A phrase is ``[head][verb][object]`` with a completion verb
    (完成 达成 达到 实现 符合 达标 满足 落实 到位 办结 完工 合格), a head of at most a few characters
    (已 / 均已 / 全部 / 项目已 …) and a short object of words only (预期指标 / 年度目标 / 要求 …;
    no digits: ``完成80%`` is a number, not a phrase). A negation anywhere in it gives 未达成; a
    qualifier (基本 / 部分 / 初步 …) gives 部分达成.
    """
    word = text.rstrip(_TRAILING)
    if not word or len(word) > _MAX_PHRASE:
        return None
    found = _STEM_RE.search(word)  # the first stem at the leftmost place one starts (in _STEMS order there)
    if found is not None:
        head, obj = word[: found.start()], word[found.end() :]
        if len(head) > _HEAD_MAX or len(obj) > _OBJECT_MAX or not _CJK_RE.fullmatch(head + obj):
            return None
        return _judged(head, obj)
    if len(word) <= _HEAD_MAX * 2 and _has_any(word, ("滞后", "有待", "尚未", "未能", "未达")):
        return _NOT_MET  # 进度滞后, 有待提升, 尚未启动
    return None


def _judged(head: str, obj: str) -> Band:
    if _has_any(head, _NEGATIONS) or obj.startswith(("不", "没", "未")) or _has_any(obj, ("不足", "未", "滞后")):
        return _NOT_MET
    if _has_any(head, _PARTIAL):
        return _PARTLY
    return _MET


def against_target(actual: str, target: str) -> Band | None:
    """The target's own words qualified in the actual: 有待提升 (提升) → 未达成, 基本健全 (健全) → 部分达成."""
    if not target or len(actual) > _MAX_PHRASE or not actual.endswith(target) or actual == target:
        return None
    head = actual[: -len(target)]
    if not _CJK_RE.fullmatch(head) or len(head) > _HEAD_MAX:
        return None
    if _has_any(head, _NEGATIONS):
        return _NOT_MET
    if _has_any(head, _PARTIAL):
        return _PARTLY
    return None


# The ordinal grade scale, best first; each word's rank (higher is better).
GRADE_WORDS: dict[str, int] = {
    "优": 4, "优秀": 4, "优等": 4, "优良": 4,
    "良": 3, "良好": 3, "较好": 3, "好": 3,
    "合格": 2, "中": 2, "中等": 2, "一般": 2, "及格": 2,
    "差": 1, "较差": 1, "不合格": 1, "不及格": 1,
}  # fmt: skip
_GRADE_RE = re.compile(
    "(?:达到|评为|评定为|评价为|等级为|为)?("
    + "|".join(sorted(GRADE_WORDS, key=len, reverse=True))
    + ")(?:等级|等次|级)?(及以上|或以上|以上)?"
)


def grade(text: str) -> tuple[int, bool] | None:
    """``(rank, at_least)`` of a grade text (``良好以上`` → (3, True), ``优`` → (4, False)), or None."""
    match = _GRADE_RE.fullmatch(text.rstrip(_TRAILING))
    if match is None:
        return None
    return GRADE_WORDS[match.group(1)], match.group(2) is not None


_ZERO_RE = re.compile("(?:零|无|未发生|没有|未出现|不存在|0)(?:[\u3400-\u9fff]{0,6})")
_ZERO_EXACT = frozenset({"无", "零", "没有", "未发生", "未出现", "不存在", "0"})


def is_zero_word(text: str) -> bool:
    """Whether a text says "none" (零投诉, 无, 无事故, 未发生安全事故, 没有): 0 against a cap."""
    word = text.rstrip(_TRAILING)
    if word in _ZERO_EXACT:
        return True
    if len(word) > 10 or not _ZERO_RE.fullmatch(word):
        return False
    return not word.startswith(("无法", "零星", "无偏差"))


_SAME_DAY: dict[str, Decimal] = {
    "即时": Decimal(0), "即办": Decimal(0), "立即": Decimal(0), "当场": Decimal(0), "实时": Decimal(0),
    "随到随办": Decimal(0), "立等可取": Decimal(0), "当日": Decimal(1), "当天": Decimal(1), "即日": Decimal(1),
}  # fmt: skip
_VERB_TAIL = re.compile("(?:办结|办理|完成|处理|响应|答复|回复|受理|反馈|解决|出件|送达)?")


def same_day_days(text: str) -> Decimal | None:
    """Days a same-day phrase allows (当日办结 → 1, 即时办结 / 当场办结 → 0), or None."""
    word = text.rstrip(_TRAILING)
    for prefix, days in _SAME_DAY.items():
        if word.startswith(prefix) and _VERB_TAIL.fullmatch(word[len(prefix) :]):
            return days
    return None
