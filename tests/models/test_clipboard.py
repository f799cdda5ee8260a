"""Clipboard text as Excel / WPS write it: parsing pasted blocks, writing copied ones, planning a paste."""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st

from desktop.models.workbook.clipboard import PastePlan, parse_tsv, plan_paste, to_tsv


def test_plain_block_with_excel_line_ends() -> None:
    # Excel ends every row, the last one too, with \r\n.
    text = "产出指标\t数量指标\t11人\r\n效益指标\t社会效益指标\t≥95%\r\n"
    assert parse_tsv(text) == [["产出指标", "数量指标", "11人"], ["效益指标", "社会效益指标", "≥95%"]]


def test_unix_and_old_mac_line_ends_and_no_final_break() -> None:
    assert parse_tsv("a\tb\nc\td") == [["a", "b"], ["c", "d"]]
    assert parse_tsv("a\rb\r") == [["a"], ["b"]]


def test_quoted_multi_line_cells_with_doubled_quotes() -> None:
    # What Excel writes for a cell holding a line break and quotes: "第一行\n他说""好"""
    text = '指标1\t"第一行\n他说""好"""\t3\r\n指标2\t"含\t制表符"\t4\r\n'
    assert parse_tsv(text) == [["指标1", '第一行\n他说"好"', "3"], ["指标2", "含\t制表符", "4"]]


def test_a_quote_not_closing_a_cell_is_kept_as_typed() -> None:
    assert parse_tsv('"高效办成一件事"的落实\t1') == [['"高效办成一件事"的落实', "1"]]
    assert parse_tsv('”高效“\t"未闭合') == [["”高效“", '"未闭合']]


def test_ragged_rows_are_padded_and_empty_cells_kept() -> None:
    assert parse_tsv("a\t\tc\nd\n") == [["a", "", "c"], ["d", "", ""]]
    assert parse_tsv("") == []
    assert parse_tsv("\n") == [[""]]


def test_copied_text_quotes_only_what_needs_it() -> None:
    rows = [["产出指标", "说明\n第二行"], ['带"引号', "≥95%"]]
    text = to_tsv(rows)
    assert text == '产出指标\t"说明\n第二行"\n"带""引号"\t≥95%'
    assert parse_tsv(text) == rows


cells = st.text(alphabet=st.sampled_from(list('ab"\t\n\r 指标≥%')), max_size=6)


@given(st.integers(1, 4), st.integers(1, 4), st.data())
def test_written_blocks_read_back_the_same(height: int, width: int, data: st.DataObject) -> None:
    rows = [[data.draw(cells) for _ in range(width)] for _ in range(height)]
    # One empty cell alone on the last line is indistinguishable from a final line break (as in Excel).
    assume(not (width == 1 and rows[-1][0] == ""))
    assert parse_tsv(to_tsv(rows)) == rows


def test_one_value_fills_a_multi_cell_selection() -> None:
    plan = plan_paste([["5"]], top=1, left=2, selected_rows=3, selected_columns=2, row_count=10, column_count=9)
    assert sorted(plan.cells) == [(r, c, "5") for r in (1, 2, 3) for c in (2, 3)]
    assert plan.new_rows == 0


def test_a_block_is_pasted_once_from_the_top_left_cell_and_runs_past_the_last_row() -> None:
    block = [["a", "b"], ["c", "d"], ["e", "f"]]
    plan = plan_paste(block, top=8, left=0, selected_rows=1, selected_columns=1, row_count=9, column_count=5)
    assert plan.cells == ((8, 0, "a"), (8, 1, "b"), (9, 0, "c"), (9, 1, "d"), (10, 0, "e"), (10, 1, "f"))
    assert plan.new_rows == 2
    assert not plan.clipped_columns


def test_a_block_repeats_over_a_selection_that_is_a_multiple_of_it() -> None:
    plan = plan_paste([["x"], ["y"]], top=0, left=1, selected_rows=4, selected_columns=1, row_count=4, column_count=3)
    assert [text for _, _, text in plan.cells] == ["x", "y", "x", "y"]


def test_columns_right_of_the_table_are_left_out() -> None:
    plan = plan_paste(
        [["1", "2", "3"]], top=0, left=3, selected_rows=1, selected_columns=1, row_count=2, column_count=5
    )
    assert plan.cells == ((0, 3, "1"), (0, 4, "2"))
    assert plan.clipped_columns


def test_nothing_to_paste() -> None:
    assert plan_paste([], 0, 0, 1, 1, 3, 3) == PastePlan((), 0, False)
