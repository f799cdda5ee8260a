"""指标库 in the indicator table, as the user meets it: type in 三级指标, pick a suggestion, undo it."""

from __future__ import annotations

from typing import Any

import pytest

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit

from desktop.models.library.history import HistoryEntry
from desktop.models.library.suggest import HISTORY, placeholder_span
from tests.helpers.fixtures import load_sample, snapshot
from tests.views.test_indicator_table import Table, unscored

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def table(qtbot: Any) -> Table:
    return Table(qtbot, unscored(load_sample("wuwei-zwfw-2022-selfeval.json")), 1)


def test_typing_in_the_name_cell_offers_suggestions_and_choosing_one_fills_the_row(table: Table) -> None:
    before = snapshot(table.document.workbook)
    table.go(0, "name")
    table.type("满意度", key=None)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QPlainTextEdit)
    popup = table.widget.delegate().popup(editor)
    assert popup is not None
    table.qtbot.waitUntil(popup.isVisible)
    offered = popup.suggestions()
    assert offered and all("满意度" in s.name for s in offered[:3])
    assert offered[0].hint.startswith("指标库·")  # no history here: the common library with its category
    table.qtbot.keyClick(editor, Qt.Key.Key_Down)
    chosen = offered[1]
    table.qtbot.keyClick(editor, Qt.Key.Key_Return)
    row = table.form.indicators[0]
    assert (row.level1, row.level2, row.name, row.target) == (
        chosen.level1,
        chosen.level2,
        chosen.name,
        chosen.target,
    )
    # The 指标值 editor opens with the value to fill in selected.
    target = QApplication.focusWidget()
    assert isinstance(target, QLineEdit) and target.text() == chosen.target
    start, end = placeholder_span(chosen.target)
    assert target.selectedText() == chosen.target[start:end]
    table.qtbot.keyClick(target, Qt.Key.Key_Escape)
    table.qtbot.keyClick(table.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert snapshot(table.document.workbook) == before  # one step undoes the whole fill


def test_the_units_history_comes_first_with_last_years_actual(table: Table) -> None:
    past = HistoryEntry(
        level1="效益指标", level2="满意度指标", name="办事群众满意度", target="≥95%", actual="98.6%", year=2024
    )
    table.widget.set_history(lambda: [past])
    table.go(0, "name")
    table.type("办事", key=None)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QPlainTextEdit)
    popup = table.widget.delegate().popup(editor)
    assert popup is not None
    table.qtbot.waitUntil(popup.isVisible)
    first = popup.suggestions()[0]
    assert first.origin == HISTORY and first.name == "办事群众满意度"
    assert "98.6%" in popup.item(0).text() and "2024" in popup.item(0).text()
