"""Work that waits until a widget has first painted: what opening a workbook leaves until its first form
shows (indexing the history, 审核 of every form, readying the writer), so the user sees the form first.

Python's cyclic garbage collector waits too (``hold_gc`` / ``release_gc_after_paint``): opening builds
hundreds of thousands of objects (a 600-form workbook: 36,000 indicators, their outline, the models), and
each pass of the collector over the oldest generation walks every live object. Before the first form of
such a workbook showed, the collector ran ~0.18 s (3 full passes); in a 30-form workbook ~25 ms. None of
it is urgent (reference counting still frees everything that is not in a cycle), so the collector is off
while a workbook opens and on again once its first form has painted, or after ``GC_RESUME_MS`` at the
latest (a window that is not shown never paints).
"""

from __future__ import annotations

import contextlib
import gc
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


class Deferred:
    """One piece of work left until a widget first paints, which can also be run earlier on demand.

    ``schedule`` replaces any work still pending; ``run`` does the pending work now (once) — e.g.
    when someone asks for the findings before the paint came.
    """

    def __init__(self) -> None:
        self._pending: Callable[[], None] | None = None

    def schedule(self, widget: QWidget, work: Callable[[], None]) -> None:
        """Run ``work`` after ``widget`` first paints (or at ``run``, whichever comes first)."""
        self._pending = work
        after_first_paint(widget, lambda: self._run_if(work))

    @property
    def pending(self) -> bool:
        """Whether work is still waiting for the paint."""
        return self._pending is not None

    def _run_if(self, work: Callable[[], None]) -> None:
        if self._pending is work:
            self.run()

    def run(self) -> None:
        """Do the pending work now, if any."""
        work, self._pending = self._pending, None
        if work is not None:
            work()


GC_RESUME_MS = 3000
_gc_holds = 0
_gc_was_enabled = False


def hold_gc() -> None:
    """Switch the cyclic garbage collector off until the matching ``release_gc`` (holds nest)."""
    global _gc_holds, _gc_was_enabled
    if _gc_holds == 0:
        _gc_was_enabled = gc.isenabled()
        gc.disable()
    _gc_holds += 1


def release_gc() -> None:
    """Drop one hold; the last one switches the collector back on (if it was on before the first)."""
    global _gc_holds
    if _gc_holds == 0:
        return
    _gc_holds -= 1
    if _gc_holds == 0 and _gc_was_enabled:
        gc.enable()


def gc_held() -> bool:
    """Whether a hold keeps the collector off now."""
    return _gc_holds > 0


def release_gc_after_paint(widget: QWidget) -> None:
    """Drop one hold once ``widget`` has first painted, or after ``GC_RESUME_MS`` if it has not by then."""
    done = False

    def release_once() -> None:
        nonlocal done
        if not done:
            done = True
            release_gc()

    after_first_paint(widget, release_once)
    QTimer.singleShot(GC_RESUME_MS, release_once)
