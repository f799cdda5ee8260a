"""The common base of the form pane's tables (项目资金, 资金支出计划, 年度绩效目标, 绩效指标).

``FormTableModel`` holds what ``FundModel``, ``PlanModel``, ``GoalModel`` and ``IndicatorModel``
share: the document, the undo stack and the form shown, a ``message`` signal for refused edits, and
a document subscription that is safe when Qt has already deleted the model (it unsubscribes itself
on the next change).
"""

from __future__ import annotations

from typing import ClassVar, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QAbstractTableModel, QObject, Signal

from desktop.models.scoring.engine import ScoringEngine
from desktop.models.workbook.document import Change, WorkbookDocument
from desktop.models.workbook.domain import Form, ListName
from desktop.models.workbook.edits import Edit
from desktop.views.commands import EditStack

T = TypeVar("T")


class FormTableModel(QAbstractTableModel, Generic[T]):
    """A table over one list of the form shown; ``_shown`` holds one entry per row (or column) in order.

    Subclasses set ``ITEMS`` (the form's list attribute: ``funds``, ``spending_plan``, ``goals``, ``indicators``) and
    implement ``_layout``. By default a change to the form or to one of its ``ITEMS`` resets the model
    when the layout changed and repaints every cell otherwise; override ``_concerns`` / ``_refresh``
    to react differently.

    Signals:
        message: a Chinese message for the user (a refused number or edit).
    """

    message = Signal(str)

    ITEMS: ClassVar[ListName]

    def __init__(
        self,
        document: WorkbookDocument,
        undo_stack: EditStack,
        parent: QObject | None = None,
        engine: ScoringEngine | None = None,
    ) -> None:
        super().__init__(parent)
        self._document = document
        self._stack = undo_stack
        self._engine = engine
        self._form: Form | None = None
        self._shown: list[T] = []
        if engine is not None:
            engine.follow(self._on_change)  # a table showing scores hears edits after they were rescored
        else:
            document.subscribe(self._on_change)

    # ---- public -----------------------------------------------------------------------------

    def set_form(self, form: Form | None) -> None:
        """Show this form (None: an empty table)."""
        self.beginResetModel()
        self._form = form
        self._shown = self._layout(form) if form is not None else []
        self.endResetModel()

    def form(self) -> Form | None:
        """The form shown."""
        return self._form

    def detach(self) -> None:
        """Stop listening to the document or the engine (the model is going away)."""
        if self._engine is not None:
            self._engine.unfollow(self._on_change)
        else:
            self._document.unsubscribe(self._on_change)

    # ---- hooks ------------------------------------------------------------------------------

    def _layout(self, form: Form) -> list[T]:
        """What the table shows for ``form``, one entry per row (or column), in order.

        Args:
            form: the form shown.

        Returns:
            The entries that ``_shown`` holds while nothing else changes.
        """
        raise NotImplementedError

    def _concerns(self, form: Form, change: Change) -> bool:
        """Whether a document change is about what the table shows.

        Args:
            form: the form shown.
            change: the change the document told.

        Returns:
            True when the change is about the form itself or one of the items of its ``ITEMS`` list.
        """
        items: list[object] = getattr(form, self.ITEMS) or []
        return change.obj is form or any(change.obj is item for item in items)

    def _refresh(self, form: Form, change: Change) -> None:
        """Show a change ``_concerns`` accepted: reset when the layout changed, else repaint every cell.

        Args:
            form: the form shown.
            change: the change the document told.
        """
        shown = self._layout(form)
        if shown != self._shown:
            self.beginResetModel()
            self._shown = shown
            self.endResetModel()
            return
        rows, columns = self.rowCount(), self.columnCount()
        if rows and columns:
            self.dataChanged.emit(self.index(0, 0), self.index(rows - 1, columns - 1))

    # ---- helpers ----------------------------------------------------------------------------

    def _push(self, change: Edit) -> bool:
        """Do ``change`` on the undo stack; emit ``message`` and return False if it was refused (or empty)."""
        if change.empty:
            return False
        refused = self._stack.push_edit(change)
        if refused is not None:
            self.message.emit(refused)
            return False
        return True

    def _on_change(self, change: Change) -> None:
        if not shiboken6.isValid(self):
            self.detach()
            return
        form = self._form
        if form is not None and self._concerns(form, change):
            self._refresh(form, change)
