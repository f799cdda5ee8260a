"""Row heights (issue 18): opening a long form measures only the rows in view; every row that comes into
view is fitted to its text (nothing cut off), and the current row stays where it was on screen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from PySide6.QtWidgets import QAbstractItemView, QTableView

from desktop.views.indicator_view import IndicatorView
from tests.helpers.bigworkbook import make_workbook
from tests.views.window_helpers import open_window, type_into_cell

pytestmark = pytest.mark.usefixtures("qapp_setup")
ROWS = 300


def _rows_in_view(view: QTableView) -> range:
    bottom = view.rowAt(view.viewport().height() - 1)
    return range(view.rowAt(0), (bottom if bottom >= 0 else view.model().rowCount() - 1) + 1)


def _count_row_fits(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The rows the table measures from now on (each ``sizeHintForRow``), in order."""
    measured: list[int] = []
    exact = IndicatorView.sizeHintForRow

    def counting(view: IndicatorView, row: int) -> int:
        measured.append(row)
        return exact(view, row)

    monkeypatch.setattr(IndicatorView, "sizeHintForRow", counting)
    return measured


def _cut_off(view: QTableView) -> list[tuple[int, int, int]]:
    return [
        (row, view.rowHeight(row), view.sizeHintForRow(row))
        for row in _rows_in_view(view)
        if view.rowHeight(row) < view.sizeHintForRow(row)
    ]


def test_a_long_form_opens_measuring_the_rows_in_view_and_fits_each_row_scrolled_to(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    measured = _count_row_fits(monkeypatch)
    window, _ = open_window(qtbot, tmp_path, make_workbook(1, ROWS, long_texts=True))
    assert window.session is not None
    view = window.session.table.view()
    qtbot.waitUntil(lambda: bool(measured))
    qtbot.wait(50)
    assert 0 < len(set(measured)) < ROWS // 4, "the open measured rows out of view"
    assert _cut_off(view) == []
    model = view.model()
    for row in (120, ROWS - 1, 40):
        view.scrollTo(model.index(row, 0), QAbstractItemView.ScrollHint.PositionAtTop)
        qtbot.wait(20)
        assert _cut_off(view) == [], row


def test_rows_fitted_while_scrolling_up_keep_the_current_row_in_place(qtbot: Any, tmp_path: Path) -> None:
    window, _ = open_window(qtbot, tmp_path, make_workbook(1, ROWS, long_texts=True))
    assert window.session is not None
    view = window.session.table.view()
    model = view.model()
    view.scrollTo(model.index(ROWS - 1, 0), QAbstractItemView.ScrollHint.PositionAtBottom)
    qtbot.wait(20)
    bar = view.verticalScrollBar()
    for _ in range(6):
        current = view.rowAt(view.viewport().height() // 2)
        view.setCurrentIndex(model.index(current, 0))
        bar.setValue(bar.value() - view.viewport().height() // 3)
        at = view.rowViewportPosition(current)
        qtbot.wait(20)  # the rows that came into view are fitted now
        assert view.rowViewportPosition(current) == at
        assert _cut_off(view) == []


def test_typing_a_value_fits_its_row_only_when_the_cell_may_change_height(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, _ = open_window(qtbot, tmp_path, make_workbook(1, 20))
    assert window.session is not None
    table = window.session.table
    view, model = table.view(), table.model()
    form = model.form()
    assert form is not None
    actual = model.column_index("actual")
    assert actual is not None
    row = 7
    indicator = form.indicators[row]
    measured = _count_row_fits(monkeypatch)

    def type_at(text: str) -> None:
        view.setCurrentIndex(model.index(row, actual))
        type_into_cell(view, text)
        qtbot.waitUntil(lambda: indicator.actual == text)
        qtbot.wait(20)  # the row heights are fitted before the next paint

    type_at("2次")
    qtbot.waitUntil(lambda: row in measured)  # the row in view was fitted exactly
    height = view.rowHeight(row)
    measured.clear()
    type_at("3次")  # one line over one line: the row keeps its height without measuring it
    assert view.rowHeight(row) == height and row not in measured
    long = "12次，" + "全年共开展培训活动" * 8
    type_at(long)  # a long text: the row grows to show all of it
    assert view.rowHeight(row) > height and view.rowHeight(row) == view.sizeHintForRow(row)
    type_at("4次")  # and shrinks back once the long text is gone
    assert view.rowHeight(row) == height
    assert _cut_off(view) == []
