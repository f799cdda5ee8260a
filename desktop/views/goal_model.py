"""The numbered goals of a form (目标序号 | 年度绩效目标 | 实际完成情况) as a Qt table model with add/remove/move."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from desktop.models.errors import UserError
from desktop.models.workbook import form_edits
from desktop.models.workbook.document import Change
from desktop.models.workbook.domain import Form, Goal
from desktop.views.form_models import FormTableModel

COL_NO, COL_TARGET, COL_ACTUAL = range(3)
HEADERS: tuple[str, ...] = ("目标序号", "年度绩效目标", "实际完成情况")
TEXT_FIELDS: dict[int, str] = {COL_TARGET: "target", COL_ACTUAL: "actual"}

_Index = QModelIndex | QPersistentModelIndex


class GoalModel(FormTableModel[Goal]):
    """Rows: ``form.goals``; columns 目标序号 | 年度绩效目标 (| 实际完成情况 on self-evaluations).

    Goals stay numbered in the order shown: adding, removing or moving a goal renumbers the goals
    after it and the ``goal`` of their indicators in the same undo step, so every indicator stays
    with its goal. A goal that still has indicators is not removed.

    Signals:
        message: a Chinese message for the user (a refused edit).
    """

    ITEMS = "goals"

    # ---- public -----------------------------------------------------------------------------

    def goal_at(self, row: int) -> Goal:
        """The goal shown in a row."""
        return self._shown[row]

    def row_of(self, goal: Goal) -> int:
        """The row of a goal, or -1."""
        for row, shown in enumerate(self._shown):
            if shown is goal:
                return row
        return -1

    def add_goal(self, after_row: int | None = None) -> Goal | None:
        """Add an empty goal after ``after_row`` (at the end when None); returns it, or None if refused."""
        form = self._form
        if form is None:
            return None
        change, new = form_edits.add_goal(form, after_row)
        return new if self._push(change) else None

    def remove_goal(self, row: int) -> bool:
        """Remove the goal of a row (refused while indicators belong to it); later goals move up a number."""
        form = self._form
        if form is None or not (0 <= row < len(self._shown)):
            return False
        try:
            change = form_edits.remove_goal(form, self._shown[row])
        except UserError as exc:
            self.message.emit(exc.message)
            return False
        return self._push(change)

    def move_goal(self, row: int, to: int) -> bool:
        """Move the goal of ``row`` to row ``to``; the numbers stay ascending in the order shown."""
        form = self._form
        if form is None or row == to or not (0 <= row < len(self._shown)) or not (0 <= to < len(self._shown)):
            return False
        index = list(form.goals or ()).index(self._shown[row])
        return self._push(form_edits.move_goal(form, index, to))

    # ---- Qt model ---------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self._form is None:
            return 0
        return 3 if self._form.kind.is_self_eval else 2

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return HEADERS[section] if 0 <= section < self.columnCount() else None
        return str(section + 1) if 0 <= section < len(self._shown) else None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsEditable if index.column() in TEXT_FIELDS else base

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._shown)):
            return None
        goal = self._shown[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == COL_NO:
                return f"目标{goal.no}" if role == Qt.ItemDataRole.DisplayRole else str(goal.no)
            return getattr(goal, TEXT_FIELDS[column]) or ""
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column == COL_NO:
                return int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        if role == Qt.ItemDataRole.ToolTipRole and column in TEXT_FIELDS:
            text = getattr(goal, TEXT_FIELDS[column])
            return text or None
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() not in TEXT_FIELDS:
            return False
        goal = self._shown[index.row()]
        text = "" if value is None else str(value)
        column = index.column()
        return self._push(form_edits.goal_text(goal, TEXT_FIELDS[column], text, HEADERS[column]))

    # ---- FormTableModel hooks ---------------------------------------------------------------

    def _layout(self, form: Form) -> list[Goal]:
        """The form's goals, one per row."""
        return list(form.goals or ())

    def _concerns(self, form: Form, change: Change) -> bool:
        """Only the goals list of the form, or a goal shown."""
        return (change.obj is form and change.attr == self.ITEMS) or any(change.obj is goal for goal in self._shown)

    def _refresh(self, form: Form, change: Change) -> None:
        """Reset when the goals list changed, else repaint the row of the goal that changed."""
        if change.obj is form:
            self.beginResetModel()
            self._shown = self._layout(form)
            self.endResetModel()
            return
        row = next(row for row, goal in enumerate(self._shown) if goal is change.obj)
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
