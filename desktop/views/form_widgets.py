"""Small editing widgets of the form pane: a multi-line field that commits on focus-out, a long-text delegate."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QEvent, QModelIndex, QObject, QPersistentModelIndex, QRect, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QPlainTextEdit,
    QSizePolicy,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

_Index = QModelIndex | QPersistentModelIndex


class CommitTextEdit(QPlainTextEdit):
    """A plain multi-line text field that says ``editingFinished`` when it loses focus (or on Ctrl+Enter).

    It is ``lines`` lines high (longer texts scroll). Tab moves the focus on, like in a one-line
    field; Enter starts a new line.
    """

    editingFinished = Signal()

    def __init__(self, parent: QWidget | None = None, lines: int = 3) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        margins = self.contentsMargins()
        frame = 2 * self.frameWidth() + margins.top() + margins.bottom()
        document_margin = 2 * int(self.document().documentMargin())
        self.setFixedHeight(self.fontMetrics().lineSpacing() * lines + frame + document_margin + 2)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_text_quietly(self, text: str) -> None:
        """Show ``text`` unless it is already shown (keeps the cursor and the edit history then)."""
        if self.toPlainText() != text:
            self.setPlainText(text)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.editingFinished.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
            event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.editingFinished.emit()
            return
        super().keyPressEvent(event)


class LongTextDelegate(QStyledItemDelegate):
    """Edits long texts (goals) in a multi-line editor a few lines high; Enter is a new line, Tab commits."""

    def __init__(self, parent: QObject | None = None, lines: int = 5) -> None:
        super().__init__(parent)
        self._lines = lines

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        editor = QPlainTextEdit(parent)
        editor.setTabChangesFocus(True)
        return editor

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        if isinstance(editor, QPlainTextEdit):
            editor.setPlainText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
            editor.moveCursor(editor.textCursor().MoveOperation.End)
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: _Index) -> None:
        if isinstance(editor, QPlainTextEdit):
            model.setData(index, editor.toPlainText(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem, index: _Index) -> None:
        rect = QRect(option.rect)
        minimum = editor.fontMetrics().lineSpacing() * self._lines + 8
        if rect.height() < minimum:
            rect.setHeight(minimum)
        editor.setGeometry(rect)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            isinstance(watched, QPlainTextEdit)
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.commitData.emit(watched)
            self.closeEditor.emit(watched)
            return True
        return super().eventFilter(watched, event)


class FormTableView(QTableView):
    """A small table of the form pane edited like a spreadsheet: type to edit, F2, Delete clears the cell."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(EDIT_TRIGGERS)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        index = self.currentIndex()
        if (
            event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
            and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            and index.isValid()
            and self.state() != QAbstractItemView.State.EditingState
            and self.editTriggers() != QAbstractItemView.EditTrigger.NoEditTriggers
            and index.flags() & Qt.ItemFlag.ItemIsEditable
        ):
            self.model().setData(index, "", Qt.ItemDataRole.EditRole)
            event.accept()
            return
        super().keyPressEvent(event)


EDIT_TRIGGERS = (
    QAbstractItemView.EditTrigger.DoubleClicked
    | QAbstractItemView.EditTrigger.EditKeyPressed
    | QAbstractItemView.EditTrigger.AnyKeyPressed
)


def item_view_of(widget: QWidget) -> QAbstractItemView | None:
    """The table or tree a widget is an open cell editor of, if it is one."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractItemView):
            return parent
        parent = parent.parentWidget()
    return None
