"""The undo stack of an open workbook: domain ``Edit`` objects (``models/workbook/edits.py``) as Qt undo steps.

``EditStack.push_edit(edit)`` performs the edit first and pushes it only if the store accepted it,
returning the Chinese message otherwise (a Python exception raised inside a C++-called ``redo``
would be swallowed by Qt, so the first run happens here). ``undo_edit`` / ``redo_edit`` return the
message when a later undo or redo is refused; the document has then already rolled the in-memory
change back and the stack is put back where it was. This is the only place commands are made.

With ``defer_writes`` (the window) the document commits each step after the paint: the stack posts
itself a flush event behind the paint (``Qt.LowEventPriority`` is the paint's; the flush comes after it).
If that commit fails, the document rolls the step back and the stack steps back too (a pushed step is
dropped), and ``writeRefused`` carries the message. ``flush()`` commits at once (closing, saving, exports).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
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


_FLUSH = QEvent.Type(QEvent.registerEventType())
_AFTER_PAINT = Qt.EventPriority.LowEventPriority.value - 1  # a widget's paint request is posted at LowEventPriority


class EditStack(QUndoStack):
    """The undo stack of one open document: push, undo and redo domain edits, reporting refusals.

    Signals:
        writeRefused: a step's deferred commit failed (the step is rolled back); the Chinese message.
    """

    writeRefused = Signal(str)

    def __init__(self, document: WorkbookDocument, parent: QObject | None = None, defer_writes: bool = False) -> None:
        super().__init__(parent)
        self.document = document
        self._step: tuple[int, str, EditCommand] | None = None  # (write serial, push/undo/redo, command)
        self._flush_posted = False
        if defer_writes:
            document.defer_commits = True
            document.subscribe_writes(self._post_flush, self._write_failed)
            app = QCoreApplication.instance()
            if app is not None:  # a quit without closing the window (Ctrl+C in a terminal) commits too
                app.aboutToQuit.connect(self._flush_now)

    # ---- deferred commits -------------------------------------------------------------------

    def flush(self) -> str | None:
        """Commit the last step now if its write waits; the message if the store refused (step rolled back)."""
        return self.document.flush()

    def _post_flush(self) -> None:
        if not self._flush_posted:
            self._flush_posted = True
            QCoreApplication.postEvent(self, QEvent(_FLUSH), _AFTER_PAINT)

    def event(self, event: QEvent) -> bool:
        if event.type() == _FLUSH:
            QTimer.singleShot(0, self, self._flush_now)  # behind the timers the key started (view upkeep, relayouts)
            return True
        return super().event(event)

    def _flush_now(self) -> None:
        self._flush_posted = False
        refused = self.flush()
        if refused is not None:
            self.writeRefused.emit(refused)

    def _remember(self, kind: str, command: QUndoCommand | None) -> None:
        if self.document.write_pending and isinstance(command, EditCommand):
            self._step = (self.document.write_serial, kind, command)

    def _write_failed(self, serial: int, message: str) -> None:
        """The document rolled a step back: step the stack back without touching the document."""
        step, self._step = self._step, None
        if step is None or step[0] != serial:
            return
        _, kind, command = step
        if kind == "push":
            command.setObsolete(True)  # QUndoStack drops an obsolete command when undoing it
            QUndoStack.undo(self)
        elif kind == "undo":
            command.skip_next_redo()
            QUndoStack.redo(self)
        else:
            command.skip_next_undo()
            QUndoStack.undo(self)

    # ---- steps ------------------------------------------------------------------------------

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
        command = EditCommand(self.document, change)
        self.push(command)
        self._remember("push", command)
        return None

    def undo(self) -> None:
        """Undo the last step (after committing the one before; not if that commit was refused)."""
        if self.flush() is None:
            command = self.command(self.index() - 1) if self.canUndo() else None
            super().undo()
            self._remember("undo", command)

    def redo(self) -> None:
        """Redo the step undone last (after committing the one before; not if that commit was refused)."""
        if self.flush() is None:
            command = self.command(self.index()) if self.canRedo() else None
            super().redo()
            self._remember("redo", command)

    def undo_edit(self) -> str | None:
        """Undo the last step; the message if it was refused (the stack then stays where it was)."""
        refused = self.flush()
        if refused is not None or not self.canUndo():
            return refused
        command = self.command(self.index() - 1)
        self.undo()
        if isinstance(command, EditCommand) and command.error:
            error = command.error
            command.skip_next_redo()  # the document rolled back: step the stack back without redoing
            QUndoStack.redo(self)
            return error
        return None

    def redo_edit(self) -> str | None:
        """Redo the step undone last; the message if it was refused (the stack then stays where it was)."""
        refused = self.flush()
        if refused is not None or not self.canRedo():
            return refused
        command = self.command(self.index())
        self.redo()
        if isinstance(command, EditCommand) and command.error:
            error = command.error
            command.skip_next_undo()  # the document rolled back: step the stack back without undoing
            QUndoStack.undo(self)
            return error
        return None
