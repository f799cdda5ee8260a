"""The indicator table's rules as model tests: paste, fill down, clear, type a cell, insert / delete / move rows."""

from __future__ import annotations

from decimal import Decimal

import pytest

from desktop.models.errors import UserError
from desktop.models.scoring.engine import ScoringEngine
from desktop.models.workbook import table_edits
from desktop.models.workbook.cells import columns_for
from desktop.models.workbook.document import WorkbookDocument
from desktop.models.workbook.domain import Form, Indicator, Workbook
from desktop.models.workbook.table_edits import Rect
from tests.helpers.fixtures import load_sample, snapshot


class Sheet:
    """政务服务经费 (Wuwei 2022) without its published scores, in a document with an attached engine."""

    def __init__(self) -> None:
        workbook = load_sample("wuwei-zwfw-2022-selfeval.json")
        for form in workbook.forms:
            for indicator in form.indicators:
                indicator.score = None
        self.document = WorkbookDocument(workbook)
        self.engine = ScoringEngine()
        self.engine.attach(self.document)
        self.form = workbook.forms[1]
        self.columns = [c.key for c in columns_for(self.form)]

    def col(self, key: str) -> int:
        return self.columns.index(key)

    def suggested(self, indicator: Indicator) -> Decimal | None:
        row = next(i for i, item in enumerate(self.form.indicators) if item is indicator)
        return self.engine.score_form(self.form).indicators[row].suggested


@pytest.fixture
def sheet() -> Sheet:
    return Sheet()


def test_a_pasted_block_lands_as_one_step_and_reverts_exactly(sheet: Sheet) -> None:
    before = snapshot(sheet.form)
    block = [["新指标A", "≥10人", "8人", "4"], ["新指标B", "≥20次", "20次", "4"], ["新指标C", "100%", "95%", "2"]]
    change, written = table_edits.paste_block(sheet.form, block, Rect(2, sheet.col("name"), 1, 1), "粘贴")
    assert written == Rect(2, sheet.col("name"), 3, 4) and change.label == "粘贴" and not change.note
    change.apply(sheet.document)
    rows = sheet.form.indicators[2:5]
    assert [(i.name, i.target, i.actual, i.weight) for i in rows] == [
        ("新指标A", "≥10人", "8人", Decimal(4)),
        ("新指标B", "≥20次", "20次", Decimal(4)),
        ("新指标C", "100%", "95%", Decimal(2)),
    ]
    assert sheet.engine.score_form(sheet.form).indicators[2].score == Decimal("3.2")  # 8 / 10 × 4
    change.revert(sheet.document)
    assert snapshot(sheet.form) == before


def test_rows_pasted_past_the_last_one_are_new_indicators_continuing_its_levels(sheet: Sheet) -> None:
    count = len(sheet.form.indicators)
    block = [["甲", "第一行\n第二行"], ["乙", "3次"], ["丙", "4次"]]
    change, _ = table_edits.paste_block(sheet.form, block, Rect(count - 1, sheet.col("name"), 1, 1))
    change.apply(sheet.document)
    assert len(sheet.form.indicators) == count + 2
    added = sheet.form.indicators[-3:]
    assert [(i.name, i.target) for i in added] == [("甲", "第一行\n第二行"), ("乙", "3次"), ("丙", "4次")]
    assert {(i.level1, i.level2) for i in added} == {("满意度指标", "服务对象满意度指标")}


def test_an_empty_form_takes_the_first_standard_levels(sheet: Sheet) -> None:
    form = Form(kind=sheet.form.kind)
    change, _ = table_edits.paste_block(form, [["新指标"]], Rect(0, 2, 1, 1), first=("产出指标", "数量指标"))
    document = WorkbookDocument(Workbook(forms=[form]))
    change.apply(document)
    assert [(i.level1, i.level2, i.name) for i in form.indicators] == [("产出指标", "数量指标", "新指标")]


def test_one_value_fills_the_whole_selection(sheet: Sheet) -> None:
    change, _ = table_edits.paste_block(sheet.form, [["2.5"]], Rect(0, sheet.col("weight"), 5, 1))
    change.apply(sheet.document)
    assert [i.weight for i in sheet.form.indicators[:6]] == [Decimal("2.5")] * 5 + [Decimal(3)]


def test_columns_past_the_last_are_left_out_with_a_note(sheet: Sheet) -> None:
    last = len(sheet.columns) - 1
    change, written = table_edits.paste_block(sheet.form, [["原因", "多余"]], Rect(0, last, 1, 1))
    assert change.note and "多出的列已略去" in change.note and written.columns == 1


@pytest.mark.parametrize(
    ("block", "left", "words"),
    [
        ([["9人", "3"], ["10人", "三"]], "actual", ("第 2 行", "分值", "未粘贴任何内容")),
        ([["长" * 50_000]], "deviation", ("内容过长（50000 字）", "未粘贴任何内容")),
        ([[f"指标{i}", f"≥{i}次"] for i in range(3000)], "name", ("最多 2000 个指标",)),
        ([["20"]], "score", ("第 1 行", "不能超过分值")),
    ],
)
def test_a_value_a_column_cannot_take_refuses_the_whole_paste(
    sheet: Sheet, block: list[list[str]], left: str, words: tuple[str, ...]
) -> None:
    with pytest.raises(UserError) as refused:
        table_edits.paste_block(sheet.form, block, Rect(0, sheet.col(left), 1, 1))
    assert all(word in refused.value.message for word in words)


def test_the_suggestion_pasted_back_into_an_unscored_row_stays_a_suggestion(sheet: Sheet) -> None:
    row = sheet.form.indicators[12]
    suggested = sheet.suggested(row)
    assert suggested == Decimal("3.48")
    change, _ = table_edits.paste_block(
        sheet.form, [["3.48"]], Rect(12, sheet.col("score"), 1, 1), "粘贴", sheet.suggested
    )
    assert change.empty
    change, _ = table_edits.paste_block(
        sheet.form, [["3"]], Rect(12, sheet.col("score"), 1, 1), "粘贴", sheet.suggested
    )
    change.apply(sheet.document)
    assert row.score == Decimal(3)


def test_fill_down_copies_the_top_row_of_the_selection(sheet: Sheet) -> None:
    sheet.document.set_fields(sheet.form.indicators[0], deviation="无偏差")
    names = [i.name for i in sheet.form.indicators[:4]]
    left = sheet.col("target")
    result = table_edits.fill_down(sheet.form, Rect(0, left, 4, sheet.col("deviation") - left + 1), sheet.suggested)
    assert result is not None
    change, written = result
    assert change.label == "向下填充" and written.top == 1 and written.rows == 3
    change.apply(sheet.document)
    rows = sheet.form.indicators[:4]
    assert {(i.target, i.actual, i.weight, i.deviation) for i in rows} == {("11人", "11人", Decimal(3), "无偏差")}
    assert [i.name for i in rows] == names


def test_fill_down_on_one_row_copies_the_row_above_and_nothing_above_the_first(sheet: Sheet) -> None:
    result = table_edits.fill_down(sheet.form, Rect(5, sheet.col("actual"), 1, 1))
    assert result is not None
    result[0].apply(sheet.document)
    assert sheet.form.indicators[5].actual == sheet.form.indicators[4].actual == "12个月"
    assert table_edits.fill_down(sheet.form, Rect(0, sheet.col("actual"), 1, 1)) is None


def test_fill_down_of_a_score_above_the_rows_weight_is_refused(sheet: Sheet) -> None:
    sheet.document.set_fields(sheet.form.indicators[0], weight=Decimal(10), score=Decimal(8))
    with pytest.raises(UserError, match="未向下填充任何内容"):
        table_edits.fill_down(sheet.form, Rect(1, sheet.col("score"), 1, 1), sheet.suggested)


def test_typing_into_a_merged_cell_sets_every_row_it_stands_for(sheet: Sheet) -> None:
    column = columns_for(sheet.form)[sheet.col("level2")]
    change = table_edits.set_cell(sheet.form, range(6, 13), column, "质量", sheet.suggested)
    change.apply(sheet.document)
    assert {i.level2 for i in sheet.form.indicators[6:13]} == {"质量"} and change.label == "修改“二级指标”"
    with pytest.raises(UserError, match="不能超过分值"):
        table_edits.set_cell(sheet.form, [0], columns_for(sheet.form)[sheet.col("score")], "4")
    assert table_edits.set_cell(sheet.form, [0], columns_for(sheet.form)[sheet.col("actual")], "11人").empty


def test_clearing_a_score_returns_it_to_the_suggestion(sheet: Sheet) -> None:
    row = sheet.form.indicators[12]
    sheet.document.set_fields(row, score=Decimal(3))
    columns = columns_for(sheet.form)
    change = table_edits.clear_cells(sheet.form, [(12, columns[sheet.col("score")]), (12, columns[sheet.col("name")])])
    change.apply(sheet.document)
    assert row.score is None and row.name == ""
    assert sheet.engine.score_form(sheet.form).indicators[12].score == Decimal("3.48")


def test_insert_delete_and_move_rows(sheet: Sheet) -> None:
    before = snapshot(sheet.form)
    change, at, count = table_edits.insert_rows(sheet.form, [7, 8], above=False)
    assert (at, count) == (9, 2)
    change.apply(sheet.document)
    assert [(i.level1, i.level2, i.name) for i in sheet.form.indicators[9:11]] == [("产出指标", "质量指标", "")] * 2
    change.revert(sheet.document)
    removed = sheet.form.indicators[1:3] + sheet.form.indicators[5:6]
    deletion = table_edits.delete_rows(sheet.form, [1, 2, 5])
    assert deletion.label == "删除 3 行"
    deletion.apply(sheet.document)
    assert not any(i in sheet.form.indicators for i in removed) and len(sheet.form.indicators) == 16
    deletion.revert(sheet.document)
    first, second, third = sheet.form.indicators[3:6]
    table_edits.move_rows(sheet.form, [4, 5], -1).apply(sheet.document)
    assert sheet.form.indicators[3:6] == [second, third, first]
    assert table_edits.move_rows(sheet.form, [0], -1).empty and table_edits.move_rows(sheet.form, [1, 3], 1).empty
    table_edits.move_rows(sheet.form, [3, 4], 1).apply(sheet.document)
    assert snapshot(sheet.form) == before
