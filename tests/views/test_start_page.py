"""The start page, used like a user would: the recent workbooks, Enter / double-click, 新建 / 打开."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from PySide6.QtCore import Qt

from desktop.models.storage import store
from desktop.models.workbook.domain import Unit, Workbook
from desktop.views.start_page import PATH_ROLE
from tests.helpers.fixtures import load_sample
from tests.views.window_helpers import open_window

pytestmark = pytest.mark.usefixtures("qapp_setup")


def _workbook() -> Workbook:
    return Workbook(unit=Unit("1", "测试单位"), year=2026)


def test_closing_shows_the_recent_workbooks_and_enter_reopens_one(qtbot: Any, tmp_path: Path) -> None:
    window, _ = open_window(qtbot, tmp_path, load_sample("wuwei-zwfw-2022-selfeval.json"))
    assert window.session is not None
    path = window.session.document.path
    window.validate_now()
    assert window.problems_dock.windowTitle().startswith("问题（")
    window.close_document()
    assert window.start_page.isVisible()
    assert window.problems_dock.windowTitle() == "问题"  # no count left over from the closed workbook
    recent = window.start_page.recent
    assert recent.count() == 1 and recent.item(0).data(PATH_ROLE) == path
    recent.setFocus()
    qtbot.keyClick(recent, Qt.Key.Key_Return)
    assert window.session is not None and window.session.document.path == path


def test_a_recent_workbook_that_is_gone_is_marked_and_dropped_when_chosen(qtbot: Any, tmp_path: Path) -> None:
    window, prompter = open_window(qtbot, tmp_path, _workbook())
    assert window.session is not None
    gone = tmp_path / "gone.jxdb"
    store.create_workbook_file(gone, _workbook()).close()
    assert window.open_path(str(gone))
    window.close_document()
    gone.unlink()
    window.start_page.set_recent(window.recent_files())
    recent = window.start_page.recent
    assert recent.item(0).text().endswith("（已不存在）")
    with qtbot.waitSignal(window.start_page.recentChosen):
        recent.itemActivated.emit(recent.item(0))
    assert prompter.errors and not window.acts.save.isEnabled()  # still no workbook open
    assert [recent.item(n).data(PATH_ROLE) for n in range(recent.count())] == window.recent_files()
    assert str(gone) not in window.recent_files()


def test_the_buttons_start_a_new_or_open_dialog(qtbot: Any, tmp_path: Path) -> None:
    window, prompter = open_window(qtbot, tmp_path, _workbook())
    window.close_document()
    prompter.workbooks.append(None)  # the user cancels 新建工作簿
    qtbot.mouseClick(window.start_page.new_button, Qt.MouseButton.LeftButton)
    assert not prompter.workbooks
    prompter.open_paths.append(None)  # and 打开
    qtbot.mouseClick(window.start_page.open_button, Qt.MouseButton.LeftButton)
    assert not prompter.open_paths
