"""Undo commands: one ``QUndoCommand`` per kind of edit, each wrapping a ``WorkbookDocument`` operation.

Use ``push_edit(stack, command)``: it performs the edit first and pushes the command only if the
store accepted it, returning the Chinese message otherwise (a Python exception raised inside a
C++-called ``redo`` would be swallowed by Qt, so the first run happens here). When a later undo or
redo is refused, the command keeps the message in ``error`` for the window to show, and the
document has already rolled the in-memory change back.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtGui import QUndoCommand, QUndoStack

from desktop.models.errors import UserError
from desktop.models.workbook.document import WorkbookDocument


class EditCommand(QUndoCommand):
    """Base of the edit commands: runs ``_do`` / ``_undo`` and keeps a refusal in ``error``."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.error: str | None = None
        self._skip_redo = False
        self._skip_undo = False  # set by the window to step the stack back over a refused redo

    def redo(self) -> None:
        if self._skip_redo:  # push_edit already did it
            self._skip_redo = False
            return
        self.error = None
        try:
            self._do()
        except UserError as exc:
            self.error = exc.message

    def undo(self) -> None:
        if self._skip_undo:
            self._skip_undo = False
            return
        self.error = None
        try:
            self._undo()
        except UserError as exc:
            self.error = exc.message

    def _do(self) -> None:
        raise NotImplementedError

    def _undo(self) -> None:
        raise NotImplementedError


class SetFieldsCommand(EditCommand):
    """Set fields of one domain object (a cell, a header field, a fund amount)."""

    def __init__(self, document: WorkbookDocument, obj: object, values: dict[str, Any], text: str = "修改") -> None:
        super().__init__(text)
        self._document = document
        self._obj = obj
        self._new = dict(values)
        self._old = {name: getattr(obj, name) for name in values}

    def _do(self) -> None:
        self._document.set_fields(self._obj, **self._new)

    def _undo(self) -> None:
        self._document.set_fields(self._obj, **self._old)


class InsertItemsCommand(EditCommand):
    """Insert rows into a list of the workbook (forms, indicators, goals, fund lines, plan steps)."""

    def __init__(
        self,
        document: WorkbookDocument,
        parent: object,
        attr: str,
        index: int,
        items: Sequence[object],
        text: str = "插入",
    ) -> None:
        super().__init__(text)
        self._document = document
        self._parent = parent
        self._attr = attr
        self._index = index
        self._items = list(items)

    def _do(self) -> None:
        self._document.insert_items(self._parent, self._attr, self._index, self._items)

    def _undo(self) -> None:
        self._document.remove_items(self._parent, self._attr, self._index, len(self._items))


class RemoveItemsCommand(EditCommand):
    """Remove consecutive rows from a list of the workbook; undo puts the same objects back."""

    def __init__(
        self, document: WorkbookDocument, parent: object, attr: str, index: int, count: int = 1, text: str = "删除"
    ) -> None:
        super().__init__(text)
        self._document = document
        self._parent = parent
        self._attr = attr
        self._index = index
        self._items: list[object] = list(getattr(parent, attr)[index : index + count])

    def _do(self) -> None:
        self._document.remove_items(self._parent, self._attr, self._index, len(self._items))

    def _undo(self) -> None:
        self._document.insert_items(self._parent, self._attr, self._index, self._items)


class MoveItemCommand(EditCommand):
    """Move one row within its list (上移 / 下移)."""

    def __init__(
        self, document: WorkbookDocument, parent: object, attr: str, index: int, to: int, text: str = "移动"
    ) -> None:
        super().__init__(text)
        self._document = document
        self._parent = parent
        self._attr = attr
        self._index = index
        self._to = to

    def _do(self) -> None:
        self._document.move_item(self._parent, self._attr, self._index, self._to)

    def _undo(self) -> None:
        self._document.move_item(self._parent, self._attr, self._to, self._index)


class SetChildCommand(EditCommand):
    """Set or clear an optional single child (form.unit / form.budget / form.signoff)."""

    def __init__(
        self, document: WorkbookDocument, parent: object, attr: str, child: object | None, text: str = "修改"
    ) -> None:
        super().__init__(text)
        self._document = document
        self._parent = parent
        self._attr = attr
        self._new = child
        self._old = getattr(parent, attr)

    def _do(self) -> None:
        self._document.set_child(self._parent, self._attr, self._new)

    def _undo(self) -> None:
        self._document.set_child(self._parent, self._attr, self._old)


class MacroCommand(EditCommand):
    """Several edit commands as one undo step, written in one transaction (a paste, a generated form).

    Add the parts with ``add``; they run in order, and undo in reverse.
    """

    def __init__(self, document: WorkbookDocument, text: str) -> None:
        super().__init__(text)
        self._document = document
        self._parts: list[EditCommand] = []

    def add(self, command: EditCommand) -> None:
        """Append a part (not pushed on any stack by itself)."""
        self._parts.append(command)

    def _do(self) -> None:
        with self._document.transaction():
            for part in self._parts:
                part._do()

    def _undo(self) -> None:
        with self._document.transaction():
            for part in reversed(self._parts):
                part._undo()


def push_edit(stack: QUndoStack, command: EditCommand) -> str | None:
    """Do the edit, then push it; return the Chinese message if it was refused (nothing changed)."""
    try:
        command._do()
    except UserError as exc:
        return exc.message
    command._skip_redo = True
    stack.push(command)
    return None
