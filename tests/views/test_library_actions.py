"""The user's own 指标库 from the window, as the user does it: right-click rows → 加入指标库…, then find them in
从指标库添加 and as typing suggestions; 文件 → 导入指标库… / 导出指标库…."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QMenu, QPlainTextEdit, QTableView

from desktop.models.library.entries import LIBRARY_FORMAT, LibraryEntry, bundled_library, library_text
from desktop.models.library.own import entry_key, load_own, own_library_path
from desktop.models.library.suggest import LIBRARY
from desktop.views.library_dialog import LibraryDialog
from desktop.views.main_window import MainWindow
from tests.helpers.fixtures import load_sample
from tests.views.window_helpers import click_index, open_window, type_text

# The offscreen platform cannot raise a popup menu nor grab the keyboard for it: it says so, harmlessly.
pytestmark = [
    pytest.mark.usefixtures("qapp_setup"),
    pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise", "does not support grabbing"),
]

NEW_NAME = "夜间巡河覆盖率"


def right_click_choose(qtbot: Any, view: QTableView, index: QModelIndex, text: str) -> list[str]:
    """Right-click a cell (the selection stays as it is) and choose ``text`` in the menu; the menu's texts."""
    seen: list[str] = []

    def in_menu() -> None:
        menu = QApplication.activePopupWidget()
        assert isinstance(menu, QMenu)
        seen.extend(action.text() for action in menu.actions())
        action = next(a for a in menu.actions() if a.text() == text)
        assert action.isEnabled()
        menu.close()
        action.trigger()

    view.scrollTo(index)
    point = view.visualRect(index).center()
    QTimer.singleShot(0, in_menu)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, point, view.viewport().mapToGlobal(point))
    QApplication.sendEvent(view.viewport(), event)
    qtbot.waitUntil(lambda: bool(seen))
    return seen


def own_path(window: MainWindow) -> Path:
    assert window.data_dir is not None
    return own_library_path(window.data_dir)


def table_of(window: MainWindow) -> Any:
    assert window.session is not None
    return window.session.table


def type_new_row(qtbot: Any, window: MainWindow, name: str, target: str) -> int:
    """Add a row below the last one (Ctrl+I), type its 三级指标 (input method) and 指标值; its row number."""
    table = table_of(window)
    view, model = table.view(), table.model()
    last = model.rowCount() - 1
    click_index(qtbot, view, model.index(last, model.column_index("name")))
    qtbot.keyClick(view, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    row: int = last + 1
    qtbot.waitUntil(lambda: model.rowCount() == row + 1)
    click_index(qtbot, view, model.index(row, model.column_index("name")))
    type_text(view, name)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QPlainTextEdit)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)  # commits (Enter would pick a suggestion if a list showed)
    qtbot.waitUntil(lambda: model.indicator(row).name == name)
    click_index(qtbot, view, model.index(row, model.column_index("target")))
    qtbot.keyClicks(view, target[0])
    qtbot.keyClicks(QApplication.focusWidget(), target[1:])
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: model.indicator(row).target == target)
    return row


def test_a_row_added_to_the_library_is_offered_in_the_dialog_and_while_typing_and_not_added_twice(
    qtbot: Any, tmp_path: Path
) -> None:
    window, prompter = open_window(qtbot, tmp_path, load_sample("wuwei-zwfw-2022-selfeval.json"))
    table = table_of(window)
    view, model = table.view(), table.model()
    row = type_new_row(qtbot, window, NEW_NAME, "95%")

    prompter.texts.append("水利类")  # the category, typed into the small dialog
    name_cell = model.index(row, model.column_index("name"))
    click_index(qtbot, view, name_cell)
    menu = right_click_choose(qtbot, view, name_cell, "加入指标库…")
    assert "删除行" in menu and "复制\tCtrl+C" in menu
    assert "归入哪一类" in prompter.questions[-1] and f"「{NEW_NAME}」" in prompter.questions[-1]
    [entry] = load_own(own_path(window))
    assert (entry.category, entry.name, entry.target, entry.unit) == ("水利类", NEW_NAME, "**%", "%")
    assert "2022年" in entry.source
    assert window.session is not None
    assert "已加入指标库 1 个指标（类别：水利类）" in window.session.notes.text()

    # 表格 → 从指标库添加…: under 水利类 with its template.
    shown: list[tuple[str, str]] = []

    def in_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, LibraryDialog)
        dialog.category.setCurrentText("水利类")
        shown.extend((item.text(0), item.text(1)) for item in dialog.items())
        dialog.reject()

    QTimer.singleShot(0, in_dialog)
    window.acts.add_from_library.trigger()
    assert shown == [(NEW_NAME, "**%")]

    # Typing in another row's 三级指标 offers it from the library (it is not in the history).
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    click_index(qtbot, view, model.index(0, model.column_index("name")))
    type_text(view, NEW_NAME[:3])
    editor = QApplication.focusWidget()
    assert isinstance(editor, QPlainTextEdit)
    popup = table.delegate().popup(editor)
    assert popup is not None
    qtbot.waitUntil(popup.isVisible)
    offered = [s for s in popup.suggestions() if s.name == NEW_NAME]
    assert offered and offered[0].origin == LIBRARY and offered[0].hint == "指标库·水利类"
    assert offered[0].target == "**%"
    qtbot.keyClick(editor, Qt.Key.Key_Escape)  # closes the list
    qtbot.keyClick(editor, Qt.Key.Key_Escape)  # and the editor, unchanged

    # The same row again: refused, naming it; nothing asked, the file unchanged.
    before = own_path(window).read_bytes()
    asked = len(prompter.questions)
    click_index(qtbot, view, name_cell)
    right_click_choose(qtbot, view, name_cell, "加入指标库…")
    assert f"指标库中已有「{NEW_NAME}」，未重复加入" in window.session.notes.text()
    assert window.session.notes.severity() == "error"
    assert len(prompter.questions) == asked and own_path(window).read_bytes() == before

    # Several rows at once: the new ones are added, the duplicate named.
    known = {entry_key(e) for e in bundled_library()}
    other = next(
        r
        for r in range(row)
        if model.indicator(r).name.strip() and entry_key(as_entry(model.indicator(r))) not in known
    )
    flags = view.selectionModel().SelectionFlag
    view.selectionModel().select(model.index(other, 0), flags.Select | flags.Rows)
    prompter.texts.append("水利类")
    right_click_choose(qtbot, view, name_cell, "加入指标库…")
    text = window.session.notes.text()
    assert "已加入指标库 1 个指标" in text and f"指标库中已有「{NEW_NAME}」，未重复加入" in text
    assert [e.name for e in load_own(own_path(window))] == [NEW_NAME, model.indicator(other).name.strip()]


def as_entry(indicator: Any) -> LibraryEntry:
    return LibraryEntry("", indicator.level1, indicator.level2, indicator.name)


def test_importing_a_library_file_adds_what_is_new_and_says_how_many(qtbot: Any, tmp_path: Path) -> None:
    window, prompter = open_window(qtbot, tmp_path, load_sample("wuwei-zwfw-2022-selfeval.json"))
    bundled = bundled_library()[0]
    new = LibraryEntry("信息化类", "产出指标", "质量指标", "系统可用率", target="≥**%", unit="%", direction="higher")
    good = tmp_path / "来自兄弟单位.json"
    good.write_text(library_text([new, bundled]), encoding="utf-8")
    prompter.open_paths.append(str(good))
    window.acts.import_library.trigger()
    assert prompter.infos[-1][0] == "导入指标库"
    assert "新增 1 条，已有 1 条未重复添加" in prompter.infos[-1][1]
    assert load_own(own_path(window)) == [new]
    assert prompter.errors == []

    # Again: nothing new.
    prompter.open_paths.append(str(good))
    window.acts.import_library.trigger()
    assert "新增 0 条，已有 2 条未重复添加" in prompter.infos[-1][1]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "不是有效的 JSON"),
        (
            '{"format": "jixiao-indicator-library", "version": 1, "entries": [{"name": "x", "colour": "red"}]}',
            "未知字段",
        ),
        ('{"format": "other", "entries": []}', "这不是指标库文件"),
        (f'{{"format": "{LIBRARY_FORMAT}", "version": 1, "entries": [{{"name": "  "}}]}}', "指标名称不能为空"),
    ],
)
def test_a_broken_library_file_is_refused_with_its_reason_and_changes_nothing(
    qtbot: Any, tmp_path: Path, content: str, message: str
) -> None:
    window, prompter = open_window(qtbot, tmp_path, load_sample("wuwei-zwfw-2022-selfeval.json"))
    mine = own_path(window)
    mine.parent.mkdir(parents=True, exist_ok=True)
    mine.write_text(library_text([LibraryEntry("本单位", "产出指标", "数量指标", "巡查次数", "≥**次")]), "utf-8")
    before = mine.read_bytes()
    broken = tmp_path / "broken.json"
    broken.write_text(content, encoding="utf-8")
    prompter.open_paths.append(str(broken))
    window.acts.import_library.trigger()
    assert len(prompter.errors) == 1 and message in prompter.errors[0] and "指标库未作更改" in prompter.errors[0]
    assert prompter.infos == []
    assert mine.read_bytes() == before


def test_export_then_import_on_another_pc_gives_the_same_library(qtbot: Any, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    window, prompter = open_window(qtbot, tmp_path / "a", load_sample("wuwei-zwfw-2022-selfeval.json"))
    prompter.open_paths.append(None)
    assert not window.library.import_dialog()  # cancelled: nothing happens
    prompter.save_paths.append(str(tmp_path / "unused.json"))
    window.acts.export_library.trigger()  # an empty library: said so, nothing written
    assert "还没有指标" in prompter.infos[-1][1] and not (tmp_path / "unused.json").exists()
    prompter.save_paths.clear()

    entries = [
        LibraryEntry("本单位", "产出指标", "数量指标", "巡查次数", target="≥**次", basis="年度计划"),
        LibraryEntry("水利类", "效益指标", "生态效益指标", "河道水质达标率", target="≥**%", source="某县水利局"),
    ]
    source = tmp_path / "seed.json"
    source.write_text(library_text(entries), encoding="utf-8")
    prompter.open_paths.append(str(source))
    window.acts.import_library.trigger()
    prompter.save_paths.append(str(tmp_path / "导出的指标库"))  # typed without an extension
    window.acts.export_library.trigger()
    exported = tmp_path / "导出的指标库.json"
    assert exported.exists() and "已导出本单位指标库 2 条" in window.statusBar().currentMessage()

    other, other_prompter = open_window(qtbot, tmp_path / "b", load_sample("wuwei-zwfw-2022-selfeval.json"))
    assert own_path(other) != own_path(window)
    other_prompter.open_paths.append(str(exported))
    other.acts.import_library.trigger()
    assert "新增 2 条，已有 0 条未重复添加" in other_prompter.infos[-1][1]
    assert load_own(own_path(other)) == load_own(own_path(window)) == entries


def test_export_refuses_to_write_over_a_workbook_or_the_library_itself(qtbot: Any, tmp_path: Path) -> None:
    window, prompter = open_window(qtbot, tmp_path, load_sample("wuwei-zwfw-2022-selfeval.json"))
    mine = own_path(window)
    mine.parent.mkdir(parents=True, exist_ok=True)
    mine.write_text(library_text([LibraryEntry("本单位", "产出指标", "数量指标", "巡查次数", "≥**次")]), "utf-8")
    workbook = tmp_path / "book-copy.json"  # a workbook (SQLite) whatever its name says
    workbook.write_bytes((tmp_path / "book.jxdb").read_bytes())
    before = workbook.read_bytes()
    prompter.save_paths.append(str(workbook))
    window.acts.export_library.trigger()
    assert prompter.errors and "是一个工作簿文件" in prompter.errors[-1]
    assert workbook.read_bytes() == before
    prompter.save_paths.append(str(mine))  # the library file itself
    window.acts.export_library.trigger()
    assert "就是输入文件本身" in prompter.errors[-1]


def test_with_a_large_history_the_list_shows_the_history_once_it_is_indexed(qtbot: Any, tmp_path: Path) -> None:
    from desktop.models.library.history import HistoryEntry
    from desktop.models.library.suggest import HISTORY

    window, _ = open_window(qtbot, tmp_path, load_sample("wuwei-zwfw-2022-selfeval.json"))
    table = table_of(window)
    past = [
        HistoryEntry("产出指标", "数量指标", f"巡河人次（片区{n}）", target="≥95人次", actual="98人次", year=2024)
        for n in range(20_000)
    ]
    table.set_history(lambda: past)
    view, model = table.view(), table.model()
    click_index(qtbot, view, model.index(0, model.column_index("name")))
    type_text(view, "巡河")
    editor = QApplication.focusWidget()
    assert isinstance(editor, QPlainTextEdit)
    popup = table.delegate().popup(editor)
    assert popup is not None
    # No more typing: the list takes the history in when the worker is done.
    qtbot.waitUntil(lambda: bool(popup.suggestions()) and popup.suggestions()[0].origin == HISTORY, timeout=20_000)
    assert table.suggestions_ready() and popup.isVisible()
    assert "98人次" in popup.item(0).text()
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
