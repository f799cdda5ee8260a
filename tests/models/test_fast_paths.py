"""The faster ways of the scoring code give what the plain ones they replaced gave.

Each reference below is the replaced code, kept here verbatim as the oracle.
"""

from __future__ import annotations

import calendar

from hypothesis import given
from hypothesis import strategies as st

from desktop.models.scoring import phrases
from desktop.models.scoring.value_types import Span
from desktop.models.workbook.domain import Band


def _completion_reference(text: str) -> Band | None:
    word = text.rstrip(phrases._TRAILING)
    if not word or len(word) > phrases._MAX_PHRASE:
        return None
    for index in range(len(word)):
        stem = next((s for s in phrases._STEMS if word.startswith(s, index)), None)
        if stem is None:
            continue
        head, obj = word[:index], word[index + len(stem) :]
        if len(head) > phrases._HEAD_MAX or len(obj) > phrases._OBJECT_MAX or not phrases._CJK_RE.fullmatch(head + obj):
            return None
        return phrases._judged(head, obj)
    if len(word) <= phrases._HEAD_MAX * 2 and phrases._has_any(word, ("滞后", "有待", "尚未", "未能", "未达")):
        return Band.NOT_MET
    return None


_PIECES = [*phrases._STEMS, *phrases._NEGATIONS, *phrases._PARTIAL]
_PIECES += ["达", "成", "已", "均", "预期指标", "要求", "5", "%", "。", "不"]


@given(st.lists(st.sampled_from(_PIECES), max_size=8).map("".join))
def test_completion_reads_phrases_as_the_index_loop_did(text: str) -> None:
    assert phrases.completion(text) == _completion_reference(text)


@given(st.text(alphabet="达成到完实现符合标满足落实位办结工未基本部分已均。5", max_size=30))
def test_completion_on_any_mix_of_its_characters(text: str) -> None:
    assert phrases.completion(text) == _completion_reference(text)


def test_a_span_ends_on_the_last_day_calendar_gives() -> None:
    for year in (None, 1900, 2000, 2023, 2024, 2100):
        for month in (None, 0, *range(1, 13)):
            for day in (None, 0, 5):
                month_used = month or 12
                expected_day = day or calendar.monthrange(year or 2000, month_used)[1]
                assert Span(year=year, month=month, day=day).end == (year or 0, month_used, expected_day)
