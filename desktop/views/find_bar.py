"""The 查找 / 替换 bar: type a text, Enter / F3 steps to the next place it occurs, Shift+Enter / Shift+F3 back;
with 替换 shown (Ctrl+H), 全部替换 asks the window to replace every occurrence as one undo step.

It only presents ``desktop.models.workbook.search``: it asks for the places, keeps which one is current and
emits ``hitChosen`` for the main window to show. After an edit the places are looked up again (a
moment later, so typing in the table is not slowed down), and stepping goes on from the place shown.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from desktop.models.workbook.domain import Workbook
from desktop.models.workbook.search import Hit, find_text

REFRESH_DELAY_MS = 200  # after an edit, look the places up again this much later


class FindBar(QWidget):
    """A line for the text, 上一个 / 下一个 buttons, where we are (第 2/15 处) and 关闭.

    Signals:
        hitChosen: the place to show (a ``Hit``).
        closed: the user closed the bar (Esc or 关闭).
        replaceAllRequested: 全部替换 of the find text (first) by the replacement (second).
    """

    hitChosen = Signal(object)
    closed = Signal()
    replaceAllRequested = Signal(str, str)

    def __init__(self, workbook: Callable[[], Workbook | None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        self._workbook = workbook
        self._hits: list[Hit] = []
        self._current = -1
        self._stale = False
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self._refresh)

        self.edit = QLineEdit(self)
        self.edit.setObjectName("findEdit")
        self.edit.setPlaceholderText("查找指标名称、指标值、完成值、偏差原因…")
        self.edit.setClearButtonEnabled(True)
        self.edit.setMinimumWidth(260)
        self.edit.textChanged.connect(self._on_text)
        self.edit.installEventFilter(self)
        self.previous_button = QPushButton("上一个", self)
        self.previous_button.setToolTip("查找上一个（Shift+F3 或 Shift+Enter）")
        self.previous_button.clicked.connect(self.find_previous)
        self.next_button = QPushButton("下一个", self)
        self.next_button.setToolTip("查找下一个（F3 或 Enter）")
        self.next_button.clicked.connect(self.find_next)
        self.status = QLabel(self)
        self.status.setObjectName("findStatus")
        self.status.setMinimumWidth(140)
        self.replace_edit = QLineEdit(self)
        self.replace_edit.setObjectName("replaceEdit")
        self.replace_edit.setPlaceholderText("替换为…")
        self.replace_edit.setToolTip("替换时区分全角、半角和大小写；合并单元格的每一行都会替换")
        self.replace_edit.setClearButtonEnabled(True)
        self.replace_edit.setMinimumWidth(200)
        self.replace_edit.installEventFilter(self)
        self.replace_button = QPushButton("全部替换", self)
        self.replace_button.setToolTip("把全部表中的查找内容替换为新内容（可撤销）")
        self.replace_button.clicked.connect(self.replace_all)
        close_button = QPushButton("关闭", self)
        close_button.setToolTip("关闭查找栏（Esc）")
        close_button.clicked.connect(self.close_bar)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addWidget(QLabel("查找：", self))
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.previous_button)
        layout.addWidget(self.next_button)
        layout.addWidget(self.status)
        layout.addWidget(self.replace_edit, 1)
        layout.addWidget(self.replace_button)
        layout.addStretch(1)
        layout.addWidget(close_button)
        self.set_replacing(False)
        self._update_buttons()

    # ---- contract ---------------------------------------------------------------------------

    def hits(self) -> list[Hit]:
        """The places the text occurs (looked up again first if the workbook changed)."""
        if self._stale:
            self._refresh()
        return list(self._hits)

    def current(self) -> Hit | None:
        """The place shown last, if any."""
        return self._hits[self._current] if 0 <= self._current < len(self._hits) else None

    def invalidate(self) -> None:
        """The workbook changed (an edit, another workbook): look the places up again shortly."""
        self._stale = True
        if self.isVisible() and self.edit.text().strip():
            self._refresh_timer.start()

    def find_next(self) -> bool:
        """Show the next place (after the last one, the first again); False when there is none."""
        return self._step(1)

    def find_previous(self) -> bool:
        """Show the place before (before the first, the last); False when there is none."""
        return self._step(-1)

    def set_replacing(self, shown: bool) -> None:
        """Show or hide the 替换为 line and its 全部替换 button."""
        self.replace_edit.setVisible(shown)
        self.replace_button.setVisible(shown)

    def replacing(self) -> bool:
        """Whether the replace line is shown."""
        return not self.replace_edit.isHidden()

    def replace_all(self) -> None:
        """Ask the window to replace every occurrence of the find text (nothing when it is blank)."""
        needle = self.edit.text()
        if needle.strip():
            self.replaceAllRequested.emit(needle, self.replace_edit.text())

    def close_bar(self) -> None:
        """Hide the bar and tell the window (it gives the focus back to the table)."""
        self._refresh_timer.stop()
        self.closed.emit()

    # ---- inside -----------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        editors = (self.edit, self.replace_edit)
        if watched in editors and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if watched is self.replace_edit and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.replace_all()
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                    self.find_previous()
                else:
                    self.find_next()
                return True
            if key == Qt.Key.Key_Escape:
                self.close_bar()
                return True
        return super().eventFilter(watched, event)

    def _on_text(self, _text: str) -> None:
        self._current = -1
        self._refresh()

    def _refresh(self) -> None:
        """Look the places up again; stay on the place shown if it is still there."""
        shown = self.current()
        workbook = self._workbook()
        self._hits = find_text(workbook, self.edit.text()) if workbook is not None else []
        self._stale = False
        self._current = self._position_of(shown)
        self._show_status()
        self._update_buttons()

    def _position_of(self, hit: Hit | None) -> int:
        if hit is None:
            return -1
        for i, candidate in enumerate(self._hits):
            if candidate.order == hit.order:
                return i
        # The place shown is gone: carry on from where it was in reading order.
        before = [i for i, candidate in enumerate(self._hits) if candidate.order < hit.order]
        return before[-1] if before else -1

    def _step(self, direction: int) -> bool:
        if self._stale:
            self._refresh()
        count = len(self._hits)
        if count == 0:
            self._show_status()
            return False
        wrapped = False
        if self._current < 0:
            self._current = 0 if direction > 0 else count - 1
        else:
            position = self._current + direction
            wrapped = not 0 <= position < count
            self._current = position % count
        self._show_status("（已从头继续）" if wrapped and direction > 0 else "（已从末尾继续）" if wrapped else "")
        self.hitChosen.emit(self._hits[self._current])
        return True

    def _show_status(self, note: str = "") -> None:
        text = self.edit.text().strip()
        if not text:
            self.status.setText("")
        elif not self._hits:
            self.status.setText(f"未找到“{text}”")
        elif self._current < 0:
            self.status.setText(f"共 {len(self._hits)} 处")
        else:
            self.status.setText(f"第 {self._current + 1}/{len(self._hits)} 处{note}")

    def _update_buttons(self) -> None:
        has = bool(self._hits)
        self.previous_button.setEnabled(has)
        self.next_button.setEnabled(has)
