"""查找: every place a text occurs, in reading order, merged cells once, width and case ignored."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.models.errors import UserError
from desktop.models.workbook.domain import MAX_CELL_TEXT, Form, Indicator, Workbook
from desktop.models.workbook.search import Hit, find_text, fold, replace_plan
from tests.helpers.fixtures import load_sample


def _workbook() -> Workbook:
    rows = [
        Indicator(level1="产出指标", level2="数量指标", name="保洁人员", target="11人", actual="11人"),
        Indicator(level1="产出指标", level2="数量指标", name="供暖面积", target="5544.13m²"),
        Indicator(level1="产出指标", level2="质量指标", name="验收通过率", target="１００％", actual="100%"),
        Indicator(level1="满意度指标", level2="服务对象满意度指标", name="群众满意度", target="≥95%"),
    ]
    return Workbook(forms=[Form(title="政务服务经费"), Form(title="保洁服务", indicators=rows)])


def test_hits_come_in_reading_order_with_their_place() -> None:
    hits = find_text(_workbook(), "保洁")
    assert hits == [Hit(1, None, "title", "保洁服务"), Hit(1, 0, "name", "保洁人员")]


def test_a_merged_cell_is_one_place() -> None:
    hits = find_text(_workbook(), "指标")
    level_hits = [(h.indicator_index, h.field) for h in hits if h.field in ("level1", "level2")]
    # 产出指标 spans rows 0–2, 数量指标 rows 0–1: each is found once, at the top of its run.
    assert level_hits == [(0, "level1"), (0, "level2"), (2, "level2"), (3, "level1"), (3, "level2")]


def test_a_level2_under_another_level1_is_a_new_cell() -> None:
    rows = [Indicator(level1="产出指标", level2="质量指标"), Indicator(level1="效益指标", level2="质量指标")]
    hits = find_text(Workbook(forms=[Form(indicators=rows)]), "质量")
    assert [h.indicator_index for h in hits] == [0, 1]


def test_rows_of_different_goals_are_different_cells() -> None:
    rows = [Indicator(goal=1, level1="产出指标"), Indicator(goal=2, level1="产出指标")]
    hits = find_text(Workbook(forms=[Form(indicators=rows)]), "产出")
    assert [h.indicator_index for h in hits] == [0, 1]


def test_full_width_and_case_are_ignored() -> None:
    workbook = _workbook()
    assert [(h.indicator_index, h.field) for h in find_text(workbook, "100%")] == [(2, "target"), (2, "actual")]
    assert [(h.indicator_index, h.field) for h in find_text(workbook, "M²")] == [(1, "target")]


def test_blank_text_finds_nothing() -> None:
    assert find_text(_workbook(), "") == []
    assert find_text(_workbook(), "   ") == []


def test_a_published_sample_is_searched_whole() -> None:
    workbook = load_sample("wuwei-zwfw-2022-selfeval.json")
    hits = find_text(workbook, "满意度")
    assert hits, "the sample has satisfaction indicators"
    for hit in hits:
        form = workbook.forms[hit.form_index]
        value = form.title if hit.indicator_index is None else getattr(form.indicators[hit.indicator_index], hit.field)
        assert value == hit.text and "满意度" in fold(value)


@given(st.text(max_size=30))
def test_any_text_is_searched_without_error(needle: str) -> None:
    for hit in find_text(_workbook(), needle):
        assert fold(needle.strip()) in fold(hit.text)


def test_replace_plan_is_exact_and_covers_every_row_of_a_merged_cell() -> None:
    workbook = _workbook()
    plan = replace_plan(workbook, "产出", "产出效益")
    assert [(r.field, r.old, r.new) for r in plan] == [("level1", "产出指标", "产出效益指标")] * 3
    assert {id(r.obj) for r in plan} == {id(i) for i in workbook.forms[1].indicators[:3]}
    widths = replace_plan(workbook, "100%", "≥100%")
    assert [(r.field, r.old, r.new) for r in widths] == [("actual", "100%", "≥100%")]  # １００％ is left alone
    assert [r.field for r in replace_plan(workbook, "保洁", "保安")] == ["title", "name"]
    assert replace_plan(workbook, "不存在", "x") == []


def test_replace_plan_refuses_an_empty_text_or_an_overlong_result() -> None:

    with pytest.raises(UserError, match="要查找的文字"):
        replace_plan(_workbook(), "", "x")
    with pytest.raises(UserError, match=f"超过 {MAX_CELL_TEXT} 字"):
        replace_plan(_workbook(), "人", "人" * MAX_CELL_TEXT)
