"""表格 → 从指标库添加…, as the user does it: filter, tick ten indicators, 添加; one Ctrl+Z takes all ten back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from desktop.views.library_dialog import LibraryDialog
from tests.helpers.fixtures import load_sample, snapshot
from tests.views.window_helpers import open_window

pytestmark = [pytest.mark.usefixtures("qapp_setup"), pytest.mark.qt_log_ignore("propagateSizeHints")]


def test_ten_indicators_ticked_in_the_dialog_are_added_as_one_undo_step(qtbot: Any, tmp_path: Path) -> None:
    window, _ = open_window(qtbot, tmp_path, load_sample("wuwei-zwfw-2022-selfeval.json"))
    assert window.session is not None
    form = window.current_form()
    assert form is not None
    before = snapshot(window.session.document.workbook)
    count = len(form.indicators)
    ticked: list[str] = []

    def in_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, LibraryDialog)
        dialog.category.setCurrentText("会议培训类")
        items = dialog.items()
        assert len(items) >= 10 and all(item.text(2) == "会议培训类" for item in items)
        for item in items[:10]:
            item.setCheckState(0, Qt.CheckState.Checked)
            ticked.append(item.text(0))
        assert "已勾选 10 个" in dialog.count.text()
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    QTimer.singleShot(0, in_dialog)
    window.acts.add_from_library.trigger()
    assert [i.name for i in form.indicators[count:]] == ticked
    window.session.table.view().setFocus()
    qtbot.keyClick(window.session.table.view(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert snapshot(window.session.document.workbook) == before


def test_the_search_box_keeps_ticks_made_before_it_narrowed_the_list(qtbot: Any) -> None:
    from desktop.models.library.entries import bundled_library

    dialog = LibraryDialog(bundled_library())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    everything = len(dialog.items())
    dialog.items()[0].setCheckState(0, Qt.CheckState.Checked)
    first = dialog.chosen()[0]
    dialog.search.setFocus()
    dialog.search.insert("满意度")  # as an input method commits it
    assert dialog.items() and len(dialog.items()) < everything
    dialog.search.clear()
    assert dialog.chosen() == [first]
    assert dialog.items()[0].checkState(0) == Qt.CheckState.Checked


def test_hovering_an_indicator_shows_the_target_a_real_unit_published(qtbot: Any) -> None:
    from desktop.models.library.entries import bundled_library

    library = bundled_library()
    dialog = LibraryDialog(library)
    qtbot.addWidget(dialog)
    noted = next(entry for entry in library if entry.note.startswith("原表指标值"))
    dialog.search.insert(noted.name)
    shown = (noted.name, noted.target, noted.category)
    item = next(i for i in dialog.items() if (i.text(0), i.text(1), i.text(2)) == shown)
    assert noted.note in item.toolTip(0) and item.toolTip(1) == noted.note
    assert item.toolTip(3) == noted.source
