"""Pins of ``phrases.py`` (issue 21): every word list and every length limit, as tables of text → reading.

Each row is one rule at its edge: a limit and the text one character past it, each negation and qualifier
word, every grade word's rank and every same-day prefix, so no changed word, rank or limit passes unseen.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from desktop.models.scoring.phrases import GRADE_WORDS, against_target, completion, grade, is_zero_word, same_day_days
from desktop.models.workbook.domain import Band

D = Decimal
MET, PARTLY, NOT_MET = Band.MET, Band.PARTLY, Band.NOT_MET


@pytest.mark.parametrize(
    ("text", "band"),
    [
        ("已完成", MET),
        ("已完成。", MET),  # trailing punctuation is no part of the phrase
        ("", None),
        ("。", None),
        ("已完成预期年度绩效目标任务", MET),  # an object of 10 characters: at the limit
        ("已完成预期年度绩效目标任务书", None),  # 11 characters: a sentence, not a phrase
        ("项目全部已经完成", MET),  # head of 6 characters
        ("本项目全部已经完成", None),  # head of 7 characters
        ("已完成80", None),  # digits: a number, not a phrase
        ("完成" + "无" * 10, MET),  # 12 characters: still a phrase
        ("未完成", NOT_MET),
        ("已完成但不足", NOT_MET),
        ("完成不到位", NOT_MET),
        ("完成没到位", NOT_MET),
        ("完成未到位", NOT_MET),
        ("完成进度滞后", NOT_MET),
        ("基本完成", PARTLY),
        ("大体完成", PARTLY),
        ("进度滞后", NOT_MET),  # no completion verb: the negation words alone
        ("有待提升", NOT_MET),
        ("尚未启动", NOT_MET),
        ("未能启动", NOT_MET),
        ("未达", NOT_MET),
        ("目前项目进度仍有一些滞后", NOT_MET),  # 12 characters: still a short phrase
        ("目前项目进度仍然有一些滞后", None),  # 13 characters: a sentence
        ("该项目的工作目前进度仍有一些滞后", None),  # 16 characters: a sentence
        ("正常推进", None),
    ],
)
def test_completion_edges(text: str, band: Band | None) -> None:
    assert completion(text) is band


NEGATIONS = (
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


@pytest.mark.parametrize("negation", NEGATIONS)
def test_every_negation_before_a_verb_is_not_met(negation: str) -> None:
    assert completion(f"{negation}完成") is NOT_MET


@pytest.mark.parametrize("qualifier", ["基本上", "基本", "大部分", "部分", "大部", "大体", "初步", "大致", "较好地"])
def test_every_qualifier_before_a_verb_is_partly_met(qualifier: str) -> None:
    assert completion(f"{qualifier}完成") is PARTLY
    assert against_target(f"{qualifier}健全", "健全") is PARTLY


@pytest.mark.parametrize(
    "stem", ["达成", "达到", "完成", "实现", "符合", "达标", "满足", "落实", "到位", "办结", "完工", "合格"]
)
def test_every_completion_verb(stem: str) -> None:
    assert completion(f"已{stem}") is MET
    assert completion(f"未{stem}") is NOT_MET


@pytest.mark.parametrize(
    ("actual", "target", "band"),
    [
        ("有待提升", "提升", NOT_MET),
        ("基本健全", "健全", PARTLY),
        ("已经健全", "健全", None),  # a head without negation or qualifier says nothing
        ("提升", "提升", None),  # the target's own words: no qualifier
        ("有待改进", "提升", None),  # does not end with the target's words
        ("有待提升", "", None),  # no target words
        ("未1提升", "提升", None),  # a head with a digit is not a phrase
        ("目前各方面仍然有待提升", "提升", None),  # a head of 9 characters: a sentence
        ("仍然有待提升", "提升", NOT_MET),  # a head of 4 characters
        ("一二三四有待提升", "提升", NOT_MET),  # a head of 6 characters: at the limit
        ("一二三四五有待提升", "提升", None),  # 7 characters
        ("有待" + "升" * 22, "升" * 22, NOT_MET),  # 24 characters in all: the longest phrase
        ("有待" + "升" * 23, "升" * 23, None),  # 25: a sentence
    ],
)
def test_against_target_edges(actual: str, target: str, band: Band | None) -> None:
    assert against_target(actual, target) is band


def test_every_grade_word_has_its_rank() -> None:
    expected = {
        **dict.fromkeys(("优", "优秀", "优等", "优良"), 4),
        **dict.fromkeys(("良", "良好", "较好", "好"), 3),
        **dict.fromkeys(("合格", "中", "中等", "一般", "及格"), 2),
        **dict.fromkeys(("差", "较差", "不合格", "不及格"), 1),
    }
    assert GRADE_WORDS == expected
    for word, rank in expected.items():
        assert grade(word) == (rank, False), word
        assert grade(f"{word}及以上") == (rank, True), word
        assert grade(f"评为{word}等级。") == (rank, False), word


@pytest.mark.parametrize(
    ("text", "reading"),
    [("良好以上", (3, True)), ("合格或以上", (2, True)), ("达到优级", (4, False)), ("优秀率", None), ("", None)],
)
def test_grade_edges(text: str, reading: tuple[int, bool] | None) -> None:
    assert grade(text) == reading


@pytest.mark.parametrize(
    ("text", "zero"),
    [
        ("无", True),
        ("0", True),
        ("零投诉", True),
        ("零投诉。", True),
        ("未发生安全事故", True),
        ("无" + "事" * 6, True),  # 7 characters
        ("未发生" + "事" * 6, True),  # 9 characters
        ("没有" + "重" * 6 + "事", False),  # a tail of 7: beyond the pattern
        ("未出现" + "重大安全事故" + "一", False),  # tail of 7 characters
        ("不存在问题", True),
        ("无法完成", False),
        ("零星投诉", False),
        ("无偏差问题", False),
        ("有投诉", False),
        ("未发生" + "事故事故事故", True),  # 9 characters
        ("未发生事故事故事故事", False),  # a tail of 7
        ("不存在" + "问" * 6, True),
        ("不存在" + "问" * 7, False),
    ],
)
def test_zero_words(text: str, zero: bool) -> None:
    assert is_zero_word(text) is zero


@pytest.mark.parametrize(
    ("text", "days"),
    [
        *[(f"{prefix}办结", D(0)) for prefix in ("即时", "即办", "立即", "当场", "实时", "随到随办", "立等可取")],
        *[(f"{prefix}办结", D(1)) for prefix in ("当日", "当天", "即日")],
        *[(f"当日{verb}", D(1)) for verb in ("办理", "完成", "处理", "响应", "答复", "回复", "受理", "反馈")],
        *[(f"即时{verb}", D(0)) for verb in ("解决", "出件", "送达")],
        ("当日", D(1)),
        ("当日办结。", D(1)),
        ("当日办结率", None),
        ("次日办结", None),
        ("", None),
    ],
)
def test_same_day_phrases(text: str, days: Decimal | None) -> None:
    assert same_day_days(text) == days
