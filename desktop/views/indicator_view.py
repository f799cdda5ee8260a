"""The indicator table's view: spreadsheet keys (type to edit, Enter / Tab move, Delete clears, clipboard
keys, Ctrl+D, Ctrl+wheel zoom) and rows that grow with their text up to a limit.

What the keys do is the owning ``IndicatorTable``'s (seen here as a ``TableOwner``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QFocusEvent, QInputMethodEvent, QKeyEvent, QKeySequence, QResizeEvent, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHeaderView,
    QTableView,
    QWidget,
)

from desktop.views.delegates import IndicatorDelegate

MAX_ROW_LINES = 8  # a row never grows taller than this many lines (the tooltip shows the rest)
WHEEL_NOTCH = 120  # QWheelEvent.angleDelta() of one notch of a mouse wheel


class TableOwner(Protocol):
    """What the view's keys call on the table that owns it."""

    def copy_selection(self) -> None: ...
    def cut_selection(self) -> None: ...
    def paste(self) -> None: ...
    def undo(self) -> None: ...
    def redo(self) -> None: ...
    def fill_down(self) -> None: ...
    def clear_selection(self, text: str = "清除内容") -> None: ...
    def delegate(self) -> IndicatorDelegate: ...
    def fit_columns(self) -> None: ...
    def zoom_step(self, direction: int) -> int: ...


class RowNumbers(QHeaderView):
    """The row numbers: every row's size hint is the one of the row with the most digits, asked once per
    row count and font (Qt asks the model for about eight roles of every row at each layout otherwise)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self.setSectionsClickable(True)  # as QTableView's own header: a click selects the row, the current is bold
        self.setHighlightSections(True)
        self._hint: tuple[tuple[int, str], QSize] | None = None

    def sectionSizeFromContents(self, logicalIndex: int) -> QSize:
        count = self.count()
        key = (len(str(count)), self.font().key())
        if self._hint is None or self._hint[0] != key:
            self._hint = (key, super().sectionSizeFromContents(max(0, count - 1)))
        return QSize(self._hint[1])


class IndicatorView(QTableView):
    """The table view with spreadsheet keys: type to edit, Enter / Tab move, Delete clears, Ctrl+C / Ctrl+V."""

    def __init__(self, owner: TableOwner, parent: QWidget) -> None:
        super().__init__(parent)
        self.setVerticalHeader(RowNumbers(self))
        self._owner = owner
        self._forwarding = False
        self._closing_editor = False
        self._moving_after_edit = False
        self._zoom_angle = 0  # wheel rotation with Ctrl held, not yet a whole notch
        self._keys: list[tuple[QKeySequence.StandardKey | QKeySequence, Callable[[], None]]] = [
            (QKeySequence.StandardKey.Copy, owner.copy_selection),
            (QKeySequence.StandardKey.Cut, owner.cut_selection),
            (QKeySequence.StandardKey.Paste, owner.paste),
            (QKeySequence.StandardKey.Undo, owner.undo),
            (QKeySequence.StandardKey.Redo, owner.redo),
            (QKeySequence("Ctrl+Y"), owner.redo),
            (QKeySequence("Ctrl+D"), owner.fill_down),
        ]

    def _command_for(self, event: QKeyEvent) -> Callable[[], None] | None:
        if self.state() == QAbstractItemView.State.EditingState:
            return None
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and not event.modifiers() & ~(
            Qt.KeyboardModifier.KeypadModifier
        ):
            return self._owner.clear_selection
        for sequence, command in self._keys:
            if isinstance(sequence, QKeySequence):
                if event.keyCombination().toCombined() == sequence[0].toCombined():  # type: ignore[index]
                    return command
            elif event.matches(sequence):
                return command
        return None

    def event(self, event: QEvent) -> bool:
        # Tab / Shift+Tab walk the row and wrap to the next / previous row, as Excel does.
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
            and self.state() != QAbstractItemView.State.EditingState
            and not event.modifiers() & ~(Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier)
        ):
            back = event.key() == Qt.Key.Key_Backtab or bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            self.move_current(0, -1 if back else 1)
            event.accept()
            return True
        # Take Ctrl+C / Ctrl+V / Delete before a window-wide menu shortcut does. Undo / redo are
        # left to the window's Edit menu when it has them (this view handles them only otherwise).
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            command = self._command_for(event)
            if command is not None and command not in (self._owner.undo, self._owner.redo):
                event.accept()
                return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.state() == QAbstractItemView.State.EditingState:
            self._forward_to_editor(event)
            return
        command = self._command_for(event)
        if command is not None:
            command()
            event.accept()
            return
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and mods in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.ShiftModifier,
        ):
            self.move_current(-1 if mods == Qt.KeyboardModifier.ShiftModifier else 1, 0)
            event.accept()
            return
        text = event.text()
        typing = bool(text) and text.isprintable() and not mods & ~Qt.KeyboardModifier.ShiftModifier
        delegate = self._owner.delegate()
        if typing:
            delegate.begin_typing()
        super().keyPressEvent(event)
        delegate.end_typing()

    def inputMethodEvent(self, event: QInputMethodEvent) -> None:
        # Chinese is typed through an input method: text committed on a cell that is not being
        # edited starts editing with that text, replacing the value (as a typed character does).
        commit, preedit = event.commitString(), event.preeditString()
        starting = self.state() != QAbstractItemView.State.EditingState and bool(commit or preedit)
        delegate = self._owner.delegate()
        if starting:
            delegate.begin_typing()
        super().inputMethodEvent(event)
        delegate.end_typing()
        if starting and commit and not preedit and self.state() == QAbstractItemView.State.EditingState:
            editor = self.indexWidget(self.currentIndex())
            if editor is not None:  # Qt opens the editor but does not hand it a bare commit
                target = editor.lineEdit() if isinstance(editor, QComboBox) else None
                QApplication.sendEvent(target or editor, event)

    def _forward_to_editor(self, event: QKeyEvent) -> None:
        """A key sent to the view while a cell is being edited goes to the editor."""
        editor = self.indexWidget(self.currentIndex())
        if editor is None or self._forwarding:
            event.ignore()
            return
        target: QWidget = editor
        if isinstance(editor, QComboBox):
            target = editor.lineEdit() or editor
        self._forwarding = True
        try:
            QApplication.sendEvent(target, event)
        finally:
            self._forwarding = False

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        hints = QAbstractItemDelegate.EndEditHint
        move = {hints.SubmitModelCache: (1, 0), hints.EditNextItem: (0, 1), hints.EditPreviousItem: (0, -1)}.get(hint)
        self._closing_editor = True
        try:
            super().closeEditor(editor, hints.NoHint if move else hint)
        finally:
            self._closing_editor = False
        if move is not None:
            self._moving_after_edit = True
            try:
                self.move_current(*move)
            finally:
                self._moving_after_edit = False

    def moving_after_edit(self) -> bool:
        """Whether the current cell is moving because an edit was just committed (Enter / Tab)."""
        return self._moving_after_edit

    def walk_columns(self, row: int) -> list[int]:
        """The columns Tab visits in a row: editable cells of that row alone (not a merged 一级 / 二级 block)."""
        model = self.model()
        columns = []
        for column in range(model.columnCount()):
            if self.isColumnHidden(column) or self.rowSpan(row, column) > 1:
                continue
            if self._covered(row, column):
                continue
            if model.flags(model.index(row, column)) & Qt.ItemFlag.ItemIsEditable:
                columns.append(column)
        return columns

    def _covered(self, row: int, column: int) -> bool:
        """Whether the cell lies inside a merged block that starts on an earlier row."""
        for above in range(row - 1, -1, -1):
            span = self.rowSpan(above, column)
            if span > 1:
                return above + span > row
        return False

    def _tab(self, step: int) -> None:
        """Tab (+1) / Shift+Tab (-1): the next editable cell of the row, else the next row's first (last)."""
        index = self.currentIndex()
        model = self.model()
        if not index.isValid():
            return
        row, column = index.row(), index.column()
        while 0 <= row < model.rowCount():
            walk = self.walk_columns(row)
            ahead = [c for c in walk if (c > column if step > 0 else c < column)]
            if ahead:
                target = model.index(row, ahead[0] if step > 0 else ahead[-1])
                self.setCurrentIndex(target)
                self.scrollTo(target)
                return
            row += step
            column = -1 if step > 0 else model.columnCount()

    def focusInEvent(self, event: QFocusEvent) -> None:
        if self._closing_editor:
            # Focus is back from a cell editor (Enter / Tab / Esc): only the current cell's focus
            # frame changes, so repaint that cell, not the whole table (as QAbstractItemView would:
            # a full repaint of the visible rows on every committed cell).
            current = self.currentIndex()
            editable = current.isValid() and bool(current.flags() & Qt.ItemFlag.ItemIsEditable)
            self.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, editable)  # Chinese typing starts an edit
            self.viewport().update(self.visualRect(current))
            return
        super().focusInEvent(event)

    def move_current(self, rows: int, columns: int) -> None:
        """Move the current cell (Enter, Tab and arrows after an edit), skipping over merged cells."""
        if rows == 0 and columns in (1, -1):
            self._tab(columns)
            return
        actions = QAbstractItemView.CursorAction
        steps = [(actions.MoveDown if rows > 0 else actions.MoveUp, abs(rows))]
        steps.append((actions.MoveNext if columns > 0 else actions.MovePrevious, abs(columns)))
        index = self.currentIndex()
        for action, count in steps:
            for _ in range(count):
                index = self.moveCursor(action, Qt.KeyboardModifier.NoModifier)
                if index.isValid():
                    self.setCurrentIndex(index)
        if index.isValid():
            self.scrollTo(index)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._owner.fit_columns()

    def wheelEvent(self, event: QWheelEvent) -> None:
        # Ctrl + wheel zooms the table, as in Excel / WPS, one step per notch (120 = one notch;
        # a touchpad sends small parts of one); the plain wheel scrolls.
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self._zoom_angle += event.angleDelta().y()
            while abs(self._zoom_angle) >= WHEEL_NOTCH:
                direction = 1 if self._zoom_angle > 0 else -1
                self._zoom_angle -= direction * WHEEL_NOTCH
                self._owner.zoom_step(direction)
            event.accept()
            return
        self._zoom_angle = 0
        super().wheelEvent(event)

    def sizeHintForRow(self, row: int) -> int:
        limit = self.fontMetrics().lineSpacing() * MAX_ROW_LINES + 8
        return min(super().sizeHintForRow(row), limit)
