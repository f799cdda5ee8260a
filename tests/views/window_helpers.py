"""Helpers for whole-window tests: a scripted prompter and a window opened on a workbook file."""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPoint, QSettings, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QWidget

from desktop.models.storage import store
from desktop.models.workbook.domain import Unit, Workbook
from desktop.views.dialogs import Prompter
from desktop.views.main_window import MainWindow


class ScriptedPrompter(Prompter):
    """Answers the window's questions from queues and records what it was told."""

    def __init__(self) -> None:
        super().__init__(None)
        self.open_paths: deque[str | None] = deque()
        self.save_paths: deque[str | None] = deque()
        self.confirms: deque[bool] = deque()
        self.choices: deque[int | None] = deque()
        self.many_choices: deque[list[int] | None] = deque()
        self.texts: deque[str | None] = deque()
        self.workbooks: deque[Workbook | None] = deque()
        self.errors: list[str] = []
        self.infos: list[tuple[str, str]] = []
        self.tables: list[tuple[str, list[list[str]]]] = []
        self.questions: list[str] = []

    def open_path(self, title: str, folder: str, filters: str) -> str | None:
        return self.open_paths.popleft()

    def save_path(self, title: str, suggested: str, filters: str) -> str | None:
        self.questions.append(f"{title}: {suggested}")
        return self.save_paths.popleft()

    def confirm(self, title: str, text: str, details: str = "") -> bool:
        self.questions.append(f"{text}\n{details}" if details else text)
        return self.confirms.popleft()

    def choose(self, title: str, label: str, options: Sequence[str]) -> int | None:
        self.questions.append(" | ".join(options))
        return self.choices.popleft()

    def choose_text(self, title: str, label: str, options: Sequence[str], default: str = "") -> str | None:
        self.questions.append(f"{label} [{default}] " + " | ".join(options))
        return self.texts.popleft()

    def choose_many(self, title: str, label: str, options: Sequence[str]) -> list[int] | None:
        self.questions.append(label + " | " + " | ".join(options))
        return self.many_choices.popleft()

    def new_workbook(self, default_unit: Unit | None = None) -> Workbook | None:
        return self.workbooks.popleft()

    def workbook_properties(self, current: Workbook) -> Workbook | None:
        return self.workbooks.popleft()

    def show_table(self, title: str, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        self.tables.append((title, [list(row) for row in rows]))

    def error(self, text: str) -> None:
        self.errors.append(text)

    def info(self, title: str, text: str) -> None:
        self.infos.append((title, text))


def open_window(
    qtbot: Any, folder: Path, workbook: Workbook, name: str = "book.jxdb"
) -> tuple[MainWindow, ScriptedPrompter]:
    """A shown 1366×768 window on a new workbook file made from ``workbook`` in ``folder``."""
    path = folder / name
    store.create_workbook_file(path, workbook).close()
    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    prompter = ScriptedPrompter()
    window = MainWindow(settings, prompter, documents_dir=str(folder), data_dir=str(folder / "appdata"))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    assert window.open_path(str(path))
    return window, prompter


def type_text(widget: QWidget, text: str) -> None:
    """Type into a widget: ASCII as key clicks, other characters committed by the input method (拼音 input)."""
    for is_ascii, run in itertools.groupby(text, key=str.isascii):
        chunk = "".join(run)
        if is_ascii:
            QTest.keyClicks(widget, chunk)
        else:
            event = QInputMethodEvent("", [])
            event.setCommitString(chunk)
            QApplication.sendEvent(widget, event)


def type_into_cell(view: QAbstractItemView, text: str) -> None:
    """Type over the current cell like a spreadsheet user (the first, ASCII key opens the editor) and press Return."""
    assert text[:1].isascii()
    view.setFocus()
    QTest.keyClicks(view, text[0])
    editor = QApplication.focusWidget()
    assert editor is not None and editor is not view, "typing did not open an editor"
    type_text(editor, text[1:])
    QTest.keyClick(editor, Qt.Key.Key_Return)


def click_index(qtbot: Any, view: QAbstractItemView, index: QModelIndex, double: bool = False) -> None:
    """Click (or double-click) a cell of a view like a user: scroll to it, then click its centre."""
    view.scrollTo(index)
    rect = view.visualRect(index)
    assert rect.isValid(), "the cell is not visible"
    point = QPoint(rect.center())
    if double:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    else:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)


def saved_workbook(qtbot: Any, session: Any) -> Workbook:
    """The workbook as its file holds it once the last edit's commit (made after the paint) is done."""
    qtbot.waitUntil(lambda: not session.document.write_pending)
    return store.load_any(session.document.path)
