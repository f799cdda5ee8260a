"""The spending plan of a department target table (资金支出计划（%）) as a one-row Qt table model."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from desktop.models.errors import UserError
from desktop.models.workbook import form_edits
from desktop.models.workbook.domain import Form, SpendingStep
from desktop.models.workbook.edits import Edit
from desktop.views.form_models import FormTableModel
from desktop.views.form_numbers import HUNDRED, format_decimal

STANDARD_STEPS: tuple[str, ...] = ("3月底", "6月底", "10月底", "12月底")
ROW_LABEL = "累计支出比例（%）"
WARNING_MARK = "⚠ "
WARNING_BACKGROUND = QColor("#fde2e1")

_Index = QModelIndex | QPersistentModelIndex


def plan_warnings(steps: list[tuple[str, Decimal | None]]) -> dict[int, str]:
    """Problems of a cumulative spending plan, by column: a step below the one before, a last step below 100.

    Args:
        steps: (date, cumulative percent or None) in the order shown.

    Returns:
        Column → Chinese message; empty when the plan is fine or not filled in at all.
    """
    filled = [(column, by, percent) for column, (by, percent) in enumerate(steps) if percent is not None]
    if not filled:
        return {}
    warnings: dict[int, str] = {}
    previous: tuple[str, Decimal] | None = None
    for column, by, percent in filled:
        if previous is not None and percent < previous[1]:
            warnings[column] = (
                f"{by}累计支出比例 {format_decimal(percent)}% 低于{previous[0]}的 {format_decimal(previous[1])}%："
                "累计比例不能下降。"
            )
        previous = (by, percent)
    last_column = len(steps) - 1
    last_by, last_percent = steps[last_column]
    if last_percent is None:
        warnings.setdefault(last_column, f"{last_by}累计支出比例未填写，应达到 100%。")
    elif last_percent < HUNDRED:
        message = f"{last_by}累计支出比例为 {format_decimal(last_percent)}%，应达到 100%。"
        warnings[last_column] = f"{warnings[last_column]}\n{message}" if last_column in warnings else message
    return warnings


class PlanModel(FormTableModel[str]):
    """One row (cumulative percent), one column per step: 3月底 / 6月底 / 10月底 / 12月底 and any other step held.

    A standard step the form does not hold yet is shown empty and can be typed into (the
    ``SpendingStep`` is created in one undo step). Cells that break the plan (a falling percent,
    a last step below 100) carry a warning mark, a red background and a tooltip.

    Signals:
        message: a Chinese message for the user (a refused number or edit).
    """

    ITEMS = "spending_plan"

    # ---- public -----------------------------------------------------------------------------

    def warnings(self) -> dict[int, str]:
        """The plan's problems by column (see ``plan_warnings``)."""
        return plan_warnings([(by, self._percent(by)) for by in self._shown])

    # ---- Qt model ---------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self._form is None else 1

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._shown)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._shown[section] if 0 <= section < len(self._shown) else None
        return ROW_LABEL if section == 0 and self._form is not None else None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self._form is None or not index.isValid():
            return None
        by = self._shown[index.column()]
        percent = self._percent(by)
        if role == Qt.ItemDataRole.EditRole:
            return format_decimal(percent)
        if role == Qt.ItemDataRole.DisplayRole:
            text = f"{format_decimal(percent)}%" if percent is not None else ""
            return WARNING_MARK + text if index.column() in self.warnings() else text
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            warning = self.warnings().get(index.column())
            if warning is not None:
                return warning
            return f"到{by}累计支出占全年预算的百分比（不能下降，年底应达到 100%）"
        if role == Qt.ItemDataRole.BackgroundRole and index.column() in self.warnings():
            return QBrush(WARNING_BACKGROUND)
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        form = self._form
        if form is None or not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        by = self._shown[index.column()]
        try:
            command = self._command_for(form, by, "" if value is None else str(value))
        except UserError as exc:
            self.message.emit(exc.message)
            return False
        return self._push(command)

    # ---- helpers ----------------------------------------------------------------------------

    def _step(self, by: str) -> SpendingStep | None:
        steps = (self._form.spending_plan or []) if self._form is not None else []
        for step in steps:
            if step.by == by:
                return step
        return None

    def _percent(self, by: str) -> Decimal | None:
        step = self._step(by)
        return step.percent if step is not None else None

    def _layout(self, form: Form) -> list[str]:
        """The steps held in their order, with each missing standard step before the next later standard one."""
        columns: list[str] = []
        for step in form.spending_plan or ():
            if step.by not in columns:
                columns.append(step.by)
        for position, by in enumerate(STANDARD_STEPS):
            if by in columns:
                continue
            later = [columns.index(other) for other in STANDARD_STEPS[position + 1 :] if other in columns]
            columns.insert(min(later) if later else len(columns), by)
        return columns

    def _command_for(self, form: Form, by: str, text: str) -> Edit:
        return form_edits.plan_percent(form, by, text, self._shown)
