"""Tests of desktop.reports.grid: text cutting and the self-paginating indicator table."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Table

from desktop.reports.fonts import register_font
from desktop.reports.grid import Cell, GridRow, IndicatorGrid, RowKind, markup, split_text, text_height
from desktop.reports.styles import GRID_STYLE, Styles, make_styles, table_style

WIDTHS = [20 * mm, 24 * mm, 60 * mm, 30 * mm]


@pytest.fixture(scope="module")
def styles() -> Styles:
    """Paragraph styles in the bundled font."""
    return make_styles(register_font())


def data_row(styles: Styles, level1: str, level2: str, name: str) -> GridRow:
    cells = [Cell(None, styles.center), Cell(None, styles.center), Cell(name, styles.cell), Cell("≥95%", styles.center)]
    return GridRow(RowKind.DATA, cells, levels=(level1, level2))


def make_grid(styles: Styles, rows: list[GridRow], max_height: float = 500) -> IndicatorGrid:
    header = [Cell(t, styles.head) for t in ("一级指标", "二级指标", "三级指标", "指标值")]
    return IndicatorGrid(
        header,
        rows,
        WIDTHS,
        font=styles.font,
        label_style=styles.center,
        base_style=table_style(styles.font, GRID_STYLE),
        max_height=max_height,
    )


def spans(table: Table) -> set[tuple[tuple[int, int], tuple[int, int]]]:
    return {(cmd[1], cmd[2]) for cmd in table._spanCmds}


def cell_text(table: Table, row: int, column: int) -> str:
    value: Any = table._cellvalues[row][column]
    return "".join(getattr(value, "text", "") or "") if not isinstance(value, str) else value


def test_markup_escapes_and_keeps_line_breaks() -> None:
    assert markup("a<b & c>\nd") == "a&lt;b &amp; c&gt;<br/>d"
    assert markup(None) == ""


@settings(max_examples=30, deadline=None)
@given(st.text(alphabet="预算绩效目标表，。、ab1 \n", min_size=0, max_size=600), st.integers(24, 200))
def test_split_text_pieces_fit_and_join_back(text: str, max_height: int) -> None:
    style = make_styles(register_font()).cell
    pieces = split_text(text, style, 100, max_height)
    for piece in pieces:
        assert piece == "" or text_height(piece, style, 100) <= max_height
    assert "".join(pieces).replace("\n", "") == text.replace("\n", "")


def test_chunks_carry_their_own_labels_and_spans(styles: Styles) -> None:
    rows = [data_row(styles, "产出指标", "数量指标", f"指标{n}") for n in range(40)]
    rows += [data_row(styles, "效益指标", "社会效益指标", f"效益{n}") for n in range(3)]
    grid = make_grid(styles, rows)
    grid.wrap(sum(WIDTHS), 500)
    first, rest = grid.split(sum(WIDTHS), 300)
    assert isinstance(first, Table) and isinstance(rest, IndicatorGrid)
    count = len(first._cellvalues) - 1  # minus the header row
    assert 0 < count < 40
    assert sum(first._argH) <= 300
    assert cell_text(first, 1, 0) == "产出指标" and cell_text(first, 1, 1) == "数量指标"
    assert ((0, 1), (0, count)) in spans(first) and ((1, 1), (1, count)) in spans(first)
    tables = [first]
    while True:  # the rest, page by page
        rest.wrap(sum(WIDTHS), 500)
        if rest.height <= 500:
            tables.append(rest._table(rest.rows))
            break
        part, rest = rest.split(sum(WIDTHS), 500)
        tables.append(part)
    second = tables[1]
    assert cell_text(second, 0, 0) == "一级指标"  # the column titles again
    assert cell_text(second, 1, 0) == "产出指标"  # the group's labels again
    assert cell_text(second, 1, 1) == "数量指标"
    names = [cell_text(t, r, 2) for t in tables for r in range(1, len(t._cellvalues))]
    assert names == [f"指标{n}" for n in range(40)] + [f"效益{n}" for n in range(3)]


def test_label_taller_than_its_rows_grows_the_last_row(styles: Styles) -> None:
    long_label = "服务对象满意度指标（含企业与群众两类对象）"
    rows = [data_row(styles, "满意度指标", long_label, "满意度")]
    grid = make_grid(styles, rows)
    need = text_height(long_label, styles.center, WIDTHS[1] - 6)
    assert grid._heights(grid.rows)[0] >= need


def test_goal_title_is_not_left_alone_and_repeats(styles: Styles) -> None:
    goal = GridRow(
        RowKind.GOAL, [Cell("绩效目标1：目标", styles.goal)] + [Cell(None, styles.goal)] * 3, spans=[(0, -1)]
    )
    rows = [goal]
    for n in range(30):
        row = data_row(styles, "产出指标", "数量指标", f"指标{n}")
        row.goal_row = goal
        rows.append(row)
    grid = make_grid(styles, rows)
    grid.wrap(sum(WIDTHS), 500)
    header_and_goal = grid.header_height + goal.height
    assert grid.split(sum(WIDTHS), header_and_goal + 1) == []  # title alone: move it to the next page
    first, rest = grid.split(sum(WIDTHS), 200)
    assert rest.rows[0].kind is RowKind.GOAL and rest.rows[0].cells[0].text == "绩效目标1：目标（续）"


def test_total_row_stays_with_the_last_indicator(styles: Styles) -> None:
    rows = [data_row(styles, "产出指标", "数量指标", f"指标{n}") for n in range(10)]
    tail = GridRow(RowKind.TAIL, [Cell("总分", styles.center)] + [Cell(None, styles.center)] * 3, spans=[(0, 2)])
    grid = make_grid(styles, [*rows, tail])
    heights = grid._heights(grid.rows)
    room = grid.header_height + sum(heights[:10]) + 1  # all indicators fit, 总分 does not
    first, page_break, rest = grid.split(sum(WIDTHS), room)
    assert isinstance(page_break, PageBreak)  # the rest starts a new page, never under a second header
    assert [row.kind for row in rest.rows] == [RowKind.DATA, RowKind.TAIL]


def test_over_tall_row_is_cut_into_continuation_rows(styles: Styles) -> None:
    row = data_row(styles, "产出指标", "数量指标", "很长的指标名称" * 400)
    grid = make_grid(styles, [row], max_height=400)
    assert len(grid.rows) > 1
    assert all(r.height <= 400 for r in grid.rows)
    assert all(r.levels == ("产出指标", "数量指标") for r in grid.rows)
    assert [r.continued for r in grid.rows][:2] == [False, True]
    assert "".join(r.cells[2].text or "" for r in grid.rows) == "很长的指标名称" * 400


def test_wrap_measures_rows_only_until_they_overfill_the_room(styles: Styles) -> None:
    rows = [data_row(styles, "产出指标", "数量指标", f"指标{n}") for n in range(200)]
    grid = make_grid(styles, rows)
    full = make_grid(styles, list(rows))._prefix_heights(grid.rows)[-1] + grid.header_height
    _w, short = grid.wrap(sum(WIDTHS), 300)
    assert 300 < short < full  # taller than the room (the frame splits it), not every row measured
    assert grid._body_height is None  # a partial height is never kept
    assert grid.wrap(sum(WIDTHS), 100_000)[1] == full  # room for all: the whole table's height
    assert grid.wrap(sum(WIDTHS), 300)[1] == full  # known once measured
