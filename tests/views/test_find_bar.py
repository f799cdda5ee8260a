"""查找 in the window, driven like a user: Ctrl+F, type, Enter / F3 / Shift+F3, Esc; edits are followed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from desktop.models.workbook.domain import Form, FormKind, Indicator, Unit, Workbook
from desktop.models.workbook.edits import set_values
from desktop.models.workbook.search import Hit
from desktop.views.main_window import MainWindow
from tests.views.window_helpers import open_window, saved_workbook, type_text

pytestmark = pytest.mark.usefixtures("qapp_setup")


def _workbook() -> Workbook:
    def row(level2: str, name: str, target: str) -> Indicator:
        return Indicator("产出指标", level2, name, target=target)

    first = Form(
        kind=FormKind.PROJECT_TARGET,
        title="办公设备购置",
        indicators=[row("数量指标", "购置电脑台数", "≥20台"), row("质量指标", "验收合格率", "100%")],
    )
    second = Form(
        kind=FormKind.PROJECT_TARGET,
        title="信息化运维",
        indicators=[row("数量指标", "运维电脑台数", "≥300台"), row("时效指标", "故障响应时间", "≤2小时")],
    )
    return Workbook(unit=Unit("1", "测试单位"), year=2025, forms=[first, second])


@pytest.fixture
def window(qtbot: Any, tmp_path: Path) -> MainWindow:
    window, _ = open_window(qtbot, tmp_path, _workbook())
    return window


def _current_cell(window: MainWindow) -> tuple[str, str]:
    """The form shown and the text of the table's current cell."""
    assert window.session is not None
    index = window.session.table.view().currentIndex()
    form = window.session.table.model().form()
    assert form is not None
    return form.title, str(index.data())


def test_ctrl_f_opens_the_bar_ready_to_type(qtbot: Any, window: MainWindow) -> None:
    assert not window.find_toolbar.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.find_toolbar.isVisible()
    assert QApplication.focusWidget() is window.find_bar.edit


def test_enter_steps_through_every_form_and_keeps_typing_in_the_bar(qtbot: Any, window: MainWindow) -> None:
    window.show_find_bar()
    type_text(window.find_bar.edit, "电脑")
    assert window.find_bar.status.text() == "共 2 处"
    with qtbot.waitSignal(window.find_bar.hitChosen) as chosen:
        qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_Return)
    assert chosen.args == [Hit(0, 0, "name", "购置电脑台数")]
    assert _current_cell(window) == ("办公设备购置", "购置电脑台数")
    assert QApplication.focusWidget() is window.find_bar.edit  # Enter again goes on
    qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_Return)
    assert _current_cell(window) == ("信息化运维", "运维电脑台数")
    assert window.find_bar.status.text() == "第 2/2 处"
    qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_Return)  # past the last: the first again, and it says so
    assert _current_cell(window) == ("办公设备购置", "购置电脑台数")
    assert window.find_bar.status.text() == "第 1/2 处（已从头继续）"
    qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert _current_cell(window) == ("信息化运维", "运维电脑台数")


def test_f3_and_shift_f3_work_from_the_table(qtbot: Any, window: MainWindow) -> None:
    window.show_find_bar()
    type_text(window.find_bar.edit, "台")
    qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_Escape)
    assert not window.find_toolbar.isVisible()
    assert window.session is not None
    view = window.session.table.view()
    assert QApplication.focusWidget() is view
    qtbot.keyClick(view, Qt.Key.Key_F3)
    assert _current_cell(window) == ("办公设备购置", "购置电脑台数")
    assert QApplication.focusWidget() is view  # from the table, the cell found takes the keyboard
    qtbot.keyClick(view, Qt.Key.Key_F3)
    assert _current_cell(window) == ("办公设备购置", "≥20台")
    qtbot.keyClick(view, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert _current_cell(window) == ("办公设备购置", "购置电脑台数")


def test_a_form_title_is_found_and_its_editor_selected(qtbot: Any, window: MainWindow) -> None:
    window.show_find_bar()
    type_text(window.find_bar.edit, "运维")
    qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_Return)
    assert window.session is not None
    editor = window.session.pane.header_editor("title")
    assert isinstance(editor, QLineEdit) and editor.text() == "信息化运维" and editor.selectedText() == "信息化运维"
    assert window.find_bar.current() == Hit(1, None, "title", "信息化运维")


def test_nothing_found_says_so_and_moves_nothing(qtbot: Any, window: MainWindow) -> None:
    before = _current_cell(window)
    window.show_find_bar()
    type_text(window.find_bar.edit, "不存在的文字")
    with qtbot.assertNotEmitted(window.find_bar.hitChosen):
        qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_Return)
    assert window.find_bar.status.text() == "未找到“不存在的文字”"
    assert not window.find_bar.next_button.isEnabled()
    assert _current_cell(window) == before


def test_an_edit_is_followed_and_stepping_goes_on_from_the_place_shown(qtbot: Any, window: MainWindow) -> None:
    assert window.session is not None
    window.show_find_bar()
    type_text(window.find_bar.edit, "电脑")
    qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_Return)
    workbook = window.session.document.workbook
    renamed = workbook.forms[1].indicators[1]
    assert window.session.undo_stack.push_edit(set_values("改名", renamed, {"name": "电脑故障响应时间"})) is None
    qtbot.waitUntil(lambda: window.find_bar.status.text() == "第 1/3 处")
    qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_Return)
    qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_Return)
    assert _current_cell(window) == ("信息化运维", "电脑故障响应时间")
    window.session.undo_stack.undo()
    assert window.find_bar.hits() == [Hit(0, 0, "name", "购置电脑台数"), Hit(1, 0, "name", "运维电脑台数")]
    assert window.find_bar.current() == Hit(1, 0, "name", "运维电脑台数")  # the place gone: the one before


def test_find_is_off_without_a_workbook(qtbot: Any, window: MainWindow) -> None:
    window.close_document()
    assert not window.acts.find.isEnabled() and not window.acts.find_next.isEnabled()
    assert not window.find_toolbar.isVisible()


def test_ctrl_h_replaces_everywhere_as_one_undo_step(qtbot: Any, window: MainWindow) -> None:
    assert window.session is not None
    workbook = window.session.document.workbook
    qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    assert window.find_bar.replacing() and QApplication.focusWidget() is window.find_bar.edit
    type_text(window.find_bar.edit, "电脑")
    window.find_bar.replace_edit.setFocus()
    type_text(window.find_bar.replace_edit, "计算机")
    qtbot.keyClick(window.find_bar.replace_edit, Qt.Key.Key_Return)
    names = [i.name for form in workbook.forms for i in form.indicators]
    assert "购置计算机台数" in names and "运维计算机台数" in names and not any("电脑" in n for n in names)
    assert window.statusBar().currentMessage() == "已把“电脑”替换为“计算机”，共 2 处（可撤销）"
    assert saved_workbook(qtbot, window.session).forms[1].indicators[0].name == "运维计算机台数"
    qtbot.waitUntil(lambda: window.find_bar.status.text() == "未找到“电脑”")  # the bar follows the edit
    window.acts.undo.trigger()  # one step puts every place back
    assert [i.name for form in workbook.forms for i in form.indicators] == [n.replace("计算机", "电脑") for n in names]


def test_replacing_a_merged_level_keeps_the_cell_merged(qtbot: Any, window: MainWindow) -> None:
    assert window.session is not None
    assert window.replace_all("产出指标", "产出")
    form = window.session.document.workbook.forms[0]
    assert {i.level1 for i in form.indicators} == {"产出"}
    assert window.session.table.view().rowSpan(0, 0) == 2


def test_ctrl_f_hides_the_replace_line_and_a_text_found_nowhere_changes_nothing(qtbot: Any, window: MainWindow) -> None:
    window.show_find_bar(replace=True)
    assert window.find_bar.replacing()
    window.show_find_bar()
    assert not window.find_bar.replacing()
    assert not window.replace_all("不存在", "x")
    assert window.statusBar().currentMessage() == "未找到“不存在”，没有替换。"
