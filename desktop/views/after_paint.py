"""Work that waits until a widget has first painted: readying an opened workbook's writer."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

from desktop.models.errors import UserError
from desktop.models.workbook.document import WorkbookDocument


class _AfterFirstPaint(QObject):
    """Calls ``then`` on the event loop's turn after ``widget`` first paints (once), then goes away."""

    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self._then = then
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._then)
            self.deleteLater()
        return False


def prepare_store(document: WorkbookDocument) -> None:
    """Ready a workbook file's writer while the user looks at the form (no wait at the first edit)."""
    from desktop.models.storage.store import SqliteStore

    store = document.store
    if isinstance(store, SqliteStore) and not document.read_only:
        with contextlib.suppress(UserError):  # a closed or vanished file says so at the first edit
            store.prepare()


def after_first_paint(widget: QWidget, then: Callable[[], None]) -> None:
    """Call ``then`` on the event loop's turn after ``widget`` first paints."""
    _AfterFirstPaint(widget, then)
