"""The window commits each edit after its paint (issue 18): the typed value is painted before the fsync, the
file has it right after, and closing, 另存为 and exports commit what waits first. A commit the disk refuses
rolls the edit back on screen and in memory, and says why in Chinese."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from PySide6.QtCore import QCoreApplication, QEvent, QObject

from desktop.models.storage import store
from desktop.models.workbook.edits import set_values
from desktop.views.main_window import MainWindow
from desktop.views.session import Session
from tests.views.test_main_window import training_workbook
from tests.views.window_helpers import click_index, open_window, saved_workbook, type_into_cell

pytestmark = pytest.mark.usefixtures("qapp_setup")


def _session(window: MainWindow) -> Session:
    assert window.session is not None
    return window.session


class PaintWatch(QObject):
    """Records, at each paint of a widget, whether the document still had a write waiting."""

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.pending_at_paint: list[bool] = []
        session.table.view().viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.pending_at_paint.append(self.session.document.write_pending)
        return False


def _disk_full(monkeypatch: pytest.MonkeyPatch, session: Session) -> None:
    """Every COMMIT fails as on a full disk (SQLite rolls the transaction back, as it does for SQLITE_FULL)."""
    document_store = session.document.store
    assert isinstance(document_store, store.SqliteStore)
    document_store.prepare()
    engine = document_store._engine
    assert engine is not None

    def full(connection: sqlite3.Connection) -> None:
        connection.rollback()
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(engine.dialect, "do_commit", full)


def test_a_typed_value_is_painted_before_its_commit_and_on_disk_right_after(qtbot: Any, tmp_path: Path) -> None:
    window, _ = open_window(qtbot, tmp_path, training_workbook())
    session = _session(window)
    indicator = session.document.workbook.forms[0].indicators[0]
    view, model = session.table.view(), session.table.model()
    watch = PaintWatch(session)
    click_index(qtbot, view, model.index(0, model.column_index("actual") or 0))
    type_into_cell(view, "60人次")
    qtbot.waitUntil(lambda: indicator.actual == "60人次")
    qtbot.waitUntil(lambda: not session.document.write_pending)
    assert True in watch.pending_at_paint  # the cell was painted while its commit still waited
    assert saved_workbook(qtbot, session).forms[0].indicators[0].actual == "60人次"


def test_closing_the_window_commits_the_waiting_edit_first(qtbot: Any, tmp_path: Path) -> None:
    window, prompter = open_window(qtbot, tmp_path, training_workbook())
    session = _session(window)
    path = session.document.path
    assert path is not None
    indicator = session.document.workbook.forms[0].indicators[0]
    assert session.undo_stack.push_edit(set_values("修改实际完成值", indicator, {"actual": "70人次"})) is None
    assert session.document.write_pending  # no event has run since: the commit still waits
    window.close()
    assert prompter.errors == [] and window.session is None
    assert store.load_any(path).forms[0].indicators[0].actual == "70人次"


def test_save_as_and_exports_commit_the_waiting_edit_first(qtbot: Any, tmp_path: Path) -> None:
    window, prompter = open_window(qtbot, tmp_path, training_workbook())
    session = _session(window)
    original = session.document.path
    assert original is not None
    indicator = session.document.workbook.forms[0].indicators[0]
    session.undo_stack.push_edit(set_values("修改实际完成值", indicator, {"actual": "80人次"}))
    prompter.save_paths.append(str(tmp_path / "导出.json"))
    assert window.transfers.export_json_dialog()
    assert not session.document.write_pending
    session.undo_stack.push_edit(set_values("修改实际完成值", indicator, {"actual": "90人次"}))
    prompter.save_paths.append(str(tmp_path / "副本.jxdb"))
    assert window.files.save_as_dialog()
    assert store.load_any(original).forms[0].indicators[0].actual == "90人次"
    assert store.load_any(tmp_path / "副本.jxdb").forms[0].indicators[0].actual == "90人次"


def test_a_refused_commit_rolls_the_typed_value_back_and_says_why(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, _ = open_window(qtbot, tmp_path, training_workbook())
    session = _session(window)
    indicator = session.document.workbook.forms[0].indicators[0]
    old = indicator.actual
    view, model = session.table.view(), session.table.model()
    cell = model.index(0, model.column_index("actual") or 0)
    _disk_full(monkeypatch, session)
    click_index(qtbot, view, cell)
    type_into_cell(view, "50人次")
    qtbot.waitUntil(lambda: session.notes.isVisible())
    assert session.notes.severity() == "error" and "磁盘空间不足" in session.notes.text()
    assert "磁盘空间不足" in window.statusBar().currentMessage()
    # Rolled back: memory, screen and the undo stack are as before the edit; the file never had it.
    assert indicator.actual == old and cell.data() == old
    assert session.undo_stack.count() == 0 and not session.document.write_pending
    monkeypatch.undo()
    click_index(qtbot, view, cell)
    type_into_cell(view, "40人次")  # once there is room again, typing is saved as usual
    qtbot.waitUntil(lambda: indicator.actual == "40人次")
    assert saved_workbook(qtbot, session).forms[0].indicators[0].actual == "40人次"
    assert session.undo_stack.count() == 1


def test_a_refused_commit_of_an_undo_puts_the_stack_back(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, _ = open_window(qtbot, tmp_path, training_workbook())
    session = _session(window)
    stack = session.undo_stack
    indicator = session.document.workbook.forms[0].indicators[0]
    stack.push_edit(set_values("修改实际完成值", indicator, {"actual": "30人次"}))
    qtbot.waitUntil(lambda: not session.document.write_pending)
    _disk_full(monkeypatch, session)
    window.undo()
    qtbot.waitUntil(lambda: session.notes.isVisible())
    assert indicator.actual == "30人次" and stack.index() == 1 and stack.canUndo()
    monkeypatch.undo()
    window.undo()
    assert indicator.actual != "30人次" and stack.index() == 0


def test_closing_with_a_refused_commit_keeps_the_window_open_and_says_why(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, prompter = open_window(qtbot, tmp_path, training_workbook())
    session = _session(window)
    indicator = session.document.workbook.forms[0].indicators[0]
    old = indicator.actual
    _disk_full(monkeypatch, session)
    session.undo_stack.push_edit(set_values("修改实际完成值", indicator, {"actual": "20人次"}))
    window.close()
    assert len(prompter.errors) == 1 and "磁盘空间不足" in prompter.errors[0]
    assert window.isVisible() and window.session is session  # still open: 另存为 is possible
    assert indicator.actual == old and session.undo_stack.count() == 0
    monkeypatch.undo()
    window.close()
    assert window.session is None


def test_quitting_the_application_commits_the_waiting_edit(qtbot: Any, tmp_path: Path) -> None:
    window, _ = open_window(qtbot, tmp_path, training_workbook())
    session = _session(window)
    path = session.document.path
    assert path is not None
    indicator = session.document.workbook.forms[0].indicators[0]
    session.undo_stack.push_edit(set_values("修改实际完成值", indicator, {"actual": "10人次"}))
    app = QCoreApplication.instance()
    assert app is not None and session.document.write_pending
    app.aboutToQuit.emit()  # what QApplication.quit() sends before the event loop ends
    assert store.load_any(path).forms[0].indicators[0].actual == "10人次"
