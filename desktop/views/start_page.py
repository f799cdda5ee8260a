"""The page shown while no workbook is open: 新建 / 打开 buttons and the recently opened workbooks.

It only presents: the window hands it the recent paths and hears which one to open (double-click or
Enter), or that 新建 / 打开 was pressed. A recent file that no longer exists is shown greyed with
（已不存在）, so the user sees why it will not open. Whether it exists is asked in worker threads: a
recent file on a share that is offline would otherwise freeze the window for the network time-out;
one that gives no answer is marked （位置没有响应）.

The worker threads never call Qt: each answer goes into the page's queue, and a timer of the page
drains it in the GUI thread. (A signal emitted from a plain Python thread takes Qt's connection lock
and then needs the interpreter lock to copy its Python argument, while the GUI thread may hold the
interpreter lock and wait for that same Qt lock; one test run hung like that while a window closed.)
"""

from __future__ import annotations

import itertools
import os
import queue
import threading
from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from desktop import places

PATH_ROLE = Qt.ItemDataRole.UserRole
GONE = "（已不存在）"
NO_ANSWER = "（位置没有响应）"


Answer = tuple[int, str, bool | None]  # ticket, path, True / False / None (no answer)
DRAIN_MS = 50
_tickets = itertools.count(1)


def ask_exists(ticket: int, paths: Sequence[str], answers: queue.SimpleQueue[Answer]) -> None:
    """Find out on worker threads whether each path exists; the answers are put in ``answers`` (plain Python only).

    The window's thread starts one thread (``Thread.start`` waits until the new thread runs, at every start),
    which asks each path in a thread of its own: a share that does not answer holds up no other path.
    """

    def one(path: str) -> None:
        answers.put((ticket, path, places.exists_within(path)))

    def every() -> None:
        for path in paths:
            threading.Thread(target=one, args=(path,), name="jixiao-recent", daemon=True).start()

    threading.Thread(target=every, name="jixiao-recent", daemon=True).start()


class RecentList(QListWidget):
    """The recent workbooks; Enter opens the current one, as a double-click does."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentItem() is not None:
            self.itemActivated.emit(self.currentItem())
            return
        super().keyPressEvent(event)


class StartPage(QWidget):
    """新建工作簿 / 打开… and the list of recent workbooks.

    Signals:
        newRequested: 新建工作簿 was pressed.
        openRequested: 打开… was pressed.
        recentChosen: the path of a recent workbook to open.
    """

    newRequested = Signal()
    openRequested = Signal()
    recentChosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("startPage")
        title = QLabel("没有打开的工作簿", self)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        hint = QLabel("新建一个工作簿，或打开已有的工作簿（.jxdb）；JSON 交换文件也可以直接打开。", self)
        self.new_button = QPushButton("新建工作簿…", self)
        self.new_button.clicked.connect(self.newRequested)
        self.open_button = QPushButton("打开…", self)
        self.open_button.clicked.connect(self.openRequested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        self.recent_title = QLabel("最近打开（双击或按 Enter 打开）：", self)
        self.recent = RecentList(self)
        self.recent.setObjectName("recentList")
        self.recent.itemActivated.connect(self._activated)
        self._ticket = 0
        self._waiting = 0  # answers still due for the current ticket
        self._answers: queue.SimpleQueue[Answer] = queue.SimpleQueue()
        self._drain = QTimer(self)
        self._drain.setInterval(DRAIN_MS)
        self._drain.timeout.connect(self._take_answers)

        column = QVBoxLayout()
        column.addWidget(title)
        column.addWidget(hint)
        column.addSpacing(12)
        column.addLayout(buttons)
        column.addSpacing(18)
        column.addWidget(self.recent_title)
        column.addWidget(self.recent, 1)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(column, 3)
        outer.addStretch(1)

    def set_recent(self, paths: Sequence[str]) -> None:
        """Show these recent workbooks, newest first (each marked later if it is gone or unreachable)."""
        self.recent.clear()
        self._ticket = next(_tickets)
        for path in paths:
            item = QListWidgetItem(f"{os.path.basename(path)}    {os.path.dirname(path)}", self.recent)
            item.setData(PATH_ROLE, path)
            item.setToolTip(path)
        self._waiting = len(paths)
        if paths:
            ask_exists(self._ticket, list(paths), self._answers)
            self._drain.start()
        has = bool(paths)
        self.recent_title.setVisible(has)
        self.recent.setVisible(has)
        if has:
            self.recent.setCurrentRow(0)

    def _take_answers(self) -> None:
        while True:
            try:
                ticket, path, exists = self._answers.get_nowait()
            except queue.Empty:
                break
            if ticket == self._ticket:
                self._waiting -= 1
                self._on_answer(path, exists)
        if self._waiting <= 0:
            self._drain.stop()

    def _on_answer(self, path: str, exists: bool | None) -> None:
        if exists is True:
            return
        for row in range(self.recent.count()):
            item = self.recent.item(row)
            if item.data(PATH_ROLE) == path and not item.text().endswith((GONE, NO_ANSWER)):
                item.setText(item.text() + (GONE if exists is False else NO_ANSWER))
                item.setForeground(self.palette().placeholderText())

    def _activated(self, item: QListWidgetItem) -> None:
        path = item.data(PATH_ROLE)
        if isinstance(path, str):
            self.recentChosen.emit(path)
