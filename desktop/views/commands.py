"""The undo stack of an open workbook: domain ``Edit`` objects (``models/workbook/edits.py``) as Qt undo steps.

``EditStack.push_edit(edit)`` performs the edit first and pushes it only if the store accepted it,
returning the Chinese message otherwise (a Python exception raised inside a C++-called ``redo``
would be swallowed by Qt, so the first run happens here). ``undo_edit`` / ``redo_edit`` return the
message when a later undo or redo is refused; the document has then already rolled the in-memory
change back and the stack is put back where it was. This is the only place commands are made.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QUndoCommand, QUndoStack

from desktop.models.errors import UserError
from desktop.models.workbook.document import WorkbookDocument
from desktop.models.workbook.edits import Edit


class EditCommand(QUndoCommand):
    """One ``Edit`` as an undo step; a refusal while undoing or redoing is kept in ``error``."""

    def __init__(self, document: WorkbookDocument, change: Edit) -> None:
        super().__init__(change.label)
        self.document = document
        self.change = change
        self.error: str | None = None
        self._skip_redo = True  # the first redo is QUndoStack.push: EditStack has already done the edit
        self._skip_undo = False

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
            return
        self.error = None
        try:
            self.change.apply(self.document)
        except UserError as exc:
            self.error = exc.message

    def undo(self) -> None:
        if self._skip_undo:
            self._skip_undo = False
            return
        self.error = None
        try:
            self.change.revert(self.document)
        except UserError as exc:
            self.error = exc.message

    def skip_next_redo(self) -> None:
        """Let the next ``redo`` only move the stack (the document is already in that state)."""
        self._skip_redo = True

    def skip_next_undo(self) -> None:
        """Let the next ``undo`` only move the stack."""
        self._skip_undo = True


class EditStack(QUndoStack):
    """The undo stack of one open document: push, undo and redo domain edits, reporting refusals."""

    def __init__(self, document: WorkbookDocument, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document

    def push_edit(self, change: Edit) -> str | None:
        """Do the edit, then push it; the Chinese message if it was refused (nothing changed), else None.

        An empty edit (the action had nothing to do) is neither done nor pushed.
        """
        if change.empty:
            return None
        try:
            change.apply(self.document)
        except UserError as exc:
            return exc.message
        self.push(EditCommand(self.document, change))
        return None

    def undo_edit(self) -> str | None:
        """Undo the last step; the message if it was refused (the stack then stays where it was)."""
        if not self.canUndo():
            return None
        command = self.command(self.index() - 1)
        self.undo()
        if isinstance(command, EditCommand) and command.error:
            error = command.error
            command.skip_next_redo()  # the document rolled back: step the stack back without redoing
            self.redo()
            return error
        return None

    def redo_edit(self) -> str | None:
        """Redo the step undone last; the message if it was refused (the stack then stays where it was)."""
        if not self.canRedo():
            return None
        command = self.command(self.index())
        self.redo()
        if isinstance(command, EditCommand) and command.error:
            error = command.error
            command.skip_next_undo()  # the document rolled back: step the stack back without undoing
            self.undo()
            return error
        return None
