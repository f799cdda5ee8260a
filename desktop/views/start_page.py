"""The page shown while no workbook is open: 新建 / 打开 buttons and the recently opened workbooks.

It only presents: the window hands it the recent paths and hears which one to open (double-click or
Enter), or that 新建 / 打开 was pressed. A recent file that no longer exists is shown greyed with
（已不存在）, so the user sees why it will not open.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

PATH_ROLE = Qt.ItemDataRole.UserRole


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
        """Show these recent workbooks, newest first."""
        self.recent.clear()
        for path in paths:
            exists = os.path.exists(path)
            text = f"{os.path.basename(path)}    {os.path.dirname(path)}"
            item = QListWidgetItem(text if exists else f"{text}（已不存在）", self.recent)
            item.setData(PATH_ROLE, path)
            item.setToolTip(path)
            if not exists:
                item.setForeground(self.palette().placeholderText())
        has = bool(paths)
        self.recent_title.setVisible(has)
        self.recent.setVisible(has)
        if has:
            self.recent.setCurrentRow(0)

    def _activated(self, item: QListWidgetItem) -> None:
        path = item.data(PATH_ROLE)
        if isinstance(path, str):
            self.recentChosen.emit(path)
