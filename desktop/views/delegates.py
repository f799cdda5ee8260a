"""Cell editors of the indicator table: name combos, numeric fields that refuse non-numbers, a tall text editor."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QEvent, QModelIndex, QObject, QPersistentModelIndex, QRect, Qt, Signal
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QComboBox,
    QFrame,
    QLineEdit,
    QPlainTextEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from desktop.models.errors import UserError
from desktop.models.scoring.rules import FRAMEWORK_LEVEL1, RuleSet, load_ruleset
from desktop.models.workbook.cells import Column, Kind
from desktop.models.workbook.domain import BAND_LABELS, FormKind
from desktop.views.indicator_model import IndicatorModel
from desktop.views.suggestion_popup import Suggester, SuggestionPopup

ModelIndex = QModelIndex | QPersistentModelIndex

BASES: tuple[str, ...] = ("计划标准", "行业标准", "历史标准", "其他", "日常工作")


class StandardNames:
    """The names offered in the 一级 / 二级 / 指标值确定依据 combos, from the workbook's rule set.

    Project tables and department target tables get the framework's first levels (产出 / 成本 / 效益 /
    满意度); department self-evaluations also the layout A ones (部门管理 / 履职效果 / 能力建设).
    """

    def __init__(self, ruleset: RuleSet | None = None) -> None:
        self._ruleset = ruleset or load_ruleset()

    def level1(self, kind: FormKind | None) -> list[str]:
        """The standard first-level names for a form kind."""
        names = list(self._ruleset.level1_names)
        framework = [name for name in names if name in FRAMEWORK_LEVEL1]
        if kind != FormKind.DEPT_SELF_EVAL:
            return framework
        dept = [name for name in self._ruleset.dept.level_names if name not in framework]
        return dept + framework

    def level2(self, kind: FormKind | None, level1: str) -> list[str]:
        """The standard second-level names under a first level (all those of the kind when it is not standard)."""
        names = self._ruleset.standard_level2(level1)
        if names:
            return list(names)
        every: list[str] = []
        for first in self.level1(kind):
            every.extend(name for name in self._ruleset.standard_level2(first) if name not in every)
        return every

    def bases(self) -> list[str]:
        """The usual 指标值确定依据."""
        return list(BASES)


class LongTextEditor(QPlainTextEdit):
    """A multi-line editor for long texts: Enter / Ctrl+Enter commit, Alt+Enter or Shift+Enter start a new line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setFrameShape(QFrame.Shape.Box)
        self.setPlaceholderText("Alt+Enter 换行，Enter 确认")


class NumberEditor(QLineEdit):
    """A one-line editor for 分值 / 得分; the number is checked when it is committed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setFrame(False)


def editor_text(editor: QWidget) -> str:
    """The text an editor holds."""
    if isinstance(editor, QComboBox):
        if editor.isEditable():
            return editor.currentText()
        value = editor.currentData()
        return str(value) if value is not None else editor.currentText()
    if isinstance(editor, QPlainTextEdit):
        return editor.toPlainText()
    if isinstance(editor, QLineEdit):
        return editor.text()
    return ""


class IndicatorDelegate(QStyledItemDelegate):
    """Creates the editor each indicator column needs and drives it like a spreadsheet cell.

    Keys in an editor: Enter commits (the view then moves down); Ctrl+Enter commits and stays;
    Tab / Shift+Tab commit (the view moves right / left); Esc cancels; Up / Down in a one-line
    editor commit and move. A value the column cannot take (a non-number in 分值) is refused with a
    message and the editor stays open.

    Signals:
        message: a Chinese message for the user.
        moveRequested: (rows, columns) the view should move its current cell by, after a commit.
    """

    message = Signal(str)
    moveRequested = Signal(int, int)
    suggestionChosen = Signal(int, object)  # (row, Suggestion) picked in the 三级指标 editor's list

    def __init__(self, names: StandardNames, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._names = names
        self._replace_next = False
        self._columns: dict[QWidget, Column] = {}
        self._editors: dict[QObject, QWidget] = {}  # watched widget → the editor it belongs to
        self._suggester: Suggester | None = None
        self._popups: dict[QWidget, SuggestionPopup] = {}

    def set_suggester(self, suggester: Suggester | None) -> None:
        """What the 三级指标 editor offers while typed (None: nothing)."""
        self._suggester = suggester

    def popup(self, editor: QWidget) -> SuggestionPopup | None:
        """The suggestion list of an open editor (for tests and screenshots)."""
        return self._popups.get(editor)

    def refresh_suggestions(self) -> None:
        """Look the open 三级指标 editors' texts up again (the history became ready while the list showed)."""
        for editor, popup in self._popups.items():
            if isinstance(editor, QPlainTextEdit) and editor.hasFocus() and editor.toPlainText().strip():
                before = popup.suggestions()
                current = before[popup.currentRow()] if 0 <= popup.currentRow() < len(before) else None
                popup.update_for(editor.toPlainText())
                if current in popup.suggestions():  # the line the user moved to stays current
                    popup.setCurrentRow(popup.suggestions().index(current))

    def begin_typing(self) -> None:
        """The next editor opens empty: the user started it by typing a character (which replaces the value)."""
        self._replace_next = True

    def end_typing(self) -> None:
        """Forget ``begin_typing`` (no editor was opened)."""
        self._replace_next = False

    @staticmethod
    def _column(index: ModelIndex) -> Column | None:
        model = index.model()
        if isinstance(model, IndicatorModel) and 0 <= index.column() < len(model.columns()):
            return model.columns()[index.column()]
        return None

    # ---- Qt virtuals ------------------------------------------------------------------------

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: ModelIndex) -> QWidget:
        column = self._column(index)
        editor: QWidget
        if column is None:
            return super().createEditor(parent, option, index)
        if column.kind == Kind.LONG:
            editor = LongTextEditor(parent)
        elif column.kind == Kind.NUMBER:
            editor = NumberEditor(parent)
        elif column.kind in (Kind.LEVEL, Kind.CHOICE, Kind.GOAL):
            combo = QComboBox(parent)
            combo.setEditable(True)
            combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            combo.addItems(self._choices(column, index))
            combo.setMaxVisibleItems(12)
            editor = combo
        elif column.kind == Kind.BAND:
            combo = QComboBox(parent)
            combo.addItem("（未选择）", "")
            for label in BAND_LABELS.values():
                combo.addItem(label, label)
            editor = combo
        else:
            line = QLineEdit(parent)
            line.setFrame(False)
            editor = line
        editor.setToolTip(column.tip)
        self._columns[editor] = column
        if column.key == "name" and self._suggester is not None and isinstance(editor, QPlainTextEdit):
            self._attach_popup(editor, index.row())
        self._editors[editor] = editor
        line_edit = editor.lineEdit() if isinstance(editor, QComboBox) else None
        if line_edit is not None:
            # Keys typed into an editable combo reach its line edit first.
            self._editors[line_edit] = editor
            line_edit.installEventFilter(self)
        return editor

    def _attach_popup(self, editor: QPlainTextEdit, row: int) -> None:
        assert self._suggester is not None
        popup = SuggestionPopup(editor, self._suggester)
        self._popups[editor] = popup

        def chosen(suggestion: object) -> None:
            self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.RevertModelCache)
            self.suggestionChosen.emit(row, suggestion)

        popup.chosen.connect(chosen)
        # Only what the user types looks things up (setEditorData's text does not open the list).
        editor.textChanged.connect(lambda: popup.update_for(editor.toPlainText()) if editor.hasFocus() else None)

    def destroyEditor(self, editor: QWidget, index: ModelIndex) -> None:
        self._columns.pop(editor, None)
        popup = self._popups.pop(editor, None)
        if popup is not None:
            popup.hide()
            popup.deleteLater()
        for watched in [w for w, e in self._editors.items() if e is editor]:
            del self._editors[watched]
        super().destroyEditor(editor, index)

    def setEditorData(self, editor: QWidget, index: ModelIndex) -> None:
        value = index.data(Qt.ItemDataRole.EditRole)
        text = "" if value is None else str(value)
        if self._replace_next and not (isinstance(editor, QComboBox) and not editor.isEditable()):
            text = ""
        self._replace_next = False
        if isinstance(editor, QComboBox):
            if editor.isEditable():
                editor.setEditText(text)
            else:
                found = editor.findData(text)
                editor.setCurrentIndex(max(0, found))
        elif isinstance(editor, QPlainTextEdit):
            editor.setPlainText(text)
            editor.moveCursor(QTextCursor.MoveOperation.End)
        elif isinstance(editor, QLineEdit):
            editor.setText(text)
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: ModelIndex) -> None:
        if self._column(index) is None:
            super().setModelData(editor, model, index)
            return
        text = editor_text(editor)
        if text == _display_free(index.data(Qt.ItemDataRole.EditRole)):
            return  # unchanged: no undo step
        model.setData(index, text, Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        rect = QRect(option.rect)
        if isinstance(editor, QPlainTextEdit):
            line = editor.fontMetrics().lineSpacing()
            rect.setWidth(max(rect.width(), 300))
            rect.setHeight(max(rect.height(), line * 6 + 12))
            parent = editor.parentWidget()
            area = parent.rect() if parent is not None else rect
            if rect.bottom() > area.bottom():
                rect.moveBottom(max(area.bottom(), rect.height() - 1))
            if rect.right() > area.right():
                rect.moveRight(max(area.right(), rect.width() - 1))
            rect.moveTop(max(0, rect.top()))
            rect.moveLeft(max(0, rect.left()))
        editor.setGeometry(rect)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        editor = self._editors.get(watched)
        if editor is not None and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            column = self._columns.get(editor)
            if column is not None and self._key(editor, column, event):
                return True
        if editor is not None and editor is not watched:
            return False  # a part of an editor (a combo's line edit): Qt's handling is for the editor itself
        return super().eventFilter(watched, event)

    # ---- keys -------------------------------------------------------------------------------

    def _key(self, editor: QWidget, column: Column, event: QKeyEvent) -> bool:
        """Handle one key in an editor; True when it was used up."""
        key = event.key()
        mods = event.modifiers()
        hint = QAbstractItemDelegate.EndEditHint
        popup = self._popups.get(editor)
        if popup is not None and popup.isVisible() and self._popup_key(popup, event):
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if isinstance(editor, QPlainTextEdit) and mods & (
                Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier
            ):
                editor.insertPlainText("\n")
                return True
            if isinstance(editor, QComboBox) and editor.view().isVisible():
                return False  # let the popup take the choice
            stay = bool(mods & Qt.KeyboardModifier.ControlModifier)
            return self._commit(editor, column, hint.NoHint if stay else hint.SubmitModelCache)
        if key == Qt.Key.Key_Tab and not mods & Qt.KeyboardModifier.ControlModifier:
            return self._commit(editor, column, hint.EditNextItem)
        if key == Qt.Key.Key_Backtab:
            return self._commit(editor, column, hint.EditPreviousItem)
        if key == Qt.Key.Key_Escape:
            self.closeEditor.emit(editor, hint.RevertModelCache)
            return True
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and type(editor) in (QLineEdit, NumberEditor):
            if self._commit(editor, column, hint.NoHint):
                self.moveRequested.emit(1 if key == Qt.Key.Key_Down else -1, 0)
            return True
        return False

    @staticmethod
    def _popup_key(popup: SuggestionPopup, event: QKeyEvent) -> bool:
        """Up / Down move in the suggestion list, Enter picks, Esc closes the list (not the editor)."""
        key = event.key()
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            popup.step(1 if key == Qt.Key.Key_Down else -1)
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
            return popup.choose_current()
        if key == Qt.Key.Key_Escape:
            popup.hide()
            return True
        return False

    def _commit(self, editor: QWidget, column: Column, hint: QAbstractItemDelegate.EndEditHint) -> bool:
        """Check the editor's value; commit and close it, or say why not and keep it open."""
        try:
            column.parse(editor_text(editor))
        except UserError as exc:
            self.message.emit(exc.message)
            return True
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, hint)
        return True

    def _choices(self, column: Column, index: ModelIndex) -> list[str]:
        model = index.model()
        if not isinstance(model, IndicatorModel):
            return []
        form = model.form()
        return choices_for(
            self._names,
            form.kind if form is not None else None,
            column,
            level1=model.indicator(index.row()).level1,
            goals=[goal.no for goal in (form.goals or ())] if form is not None else (),
        )


def _display_free(value: Any) -> str:
    return "" if value is None else str(value)


def choices_for(
    names: StandardNames, kind: FormKind | None, column: Column, level1: str = "", goals: Sequence[int] = ()
) -> list[str]:
    """The names a combo offers in a column (for callers outside the delegate, e.g. tests and menus)."""
    if column.kind == Kind.GOAL:
        return [str(no) for no in goals]
    if column.kind == Kind.CHOICE:
        return names.bases()
    if column.key == "level1":
        return names.level1(kind)
    return names.level2(kind, level1)
