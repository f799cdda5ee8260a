"""Run long work of the 汇总 window off the UI thread, with a progress bar and 取消 after half a second.

The work runs in a plain Python thread and only reports numbers into a lock-guarded slot; a timer
on the UI thread reads them into a ``QProgressDialog`` (shown only when the work takes longer than
``SHOW_AFTER_MS``) and, when the thread ends, hands the result to a callback on the UI thread. No Qt
object is touched from the worker thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QProgressDialog, QWidget

from desktop.models.consolidation.run import Cancelled
from desktop.models.errors import UserError

SHOW_AFTER_MS = 500
POLL_MS = 40

Work = Callable[[Callable[[int, int, str], None], Callable[[], bool]], Any]


class BackgroundTask(QObject):
    """One piece of work in a worker thread, its progress dialog, and its outcome callbacks."""

    def __init__(
        self,
        parent: QWidget,
        label: str,
        work: Work,
        done: Callable[[Any], None],
        failed: Callable[[str], None],
    ) -> None:
        super().__init__(parent)
        self.label = label
        self._work, self._done, self._failed = work, done, failed
        self._lock = threading.Lock()
        self._progress: tuple[int, int, str] = (0, 0, "")
        self._cancel = threading.Event()
        self._outcome: tuple[str, Any] | None = None
        self.was_shown = False  # whether the progress dialog appeared
        self.dialog = QProgressDialog(label, "取消", 0, 0, parent)
        self.dialog.setObjectName("consolidationProgress")
        self.dialog.setWindowTitle("汇总下级单位")
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(SHOW_AFTER_MS)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.setMinimumWidth(420)
        self.dialog.canceled.connect(self.cancel)
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)
        self._thread = threading.Thread(target=self._run, name="jixiao-consolidate", daemon=True)

    def start(self) -> None:
        """Start the work; the dialog appears if it is still running after half a second."""
        self.dialog.setValue(0)
        self._timer.start()
        self._thread.start()

    def cancel(self) -> None:
        """Ask the work to stop at its next check."""
        self._cancel.set()
        self.dialog.setLabelText("正在取消…")

    @property
    def cancelled(self) -> bool:
        """Whether 取消 was pressed."""
        return self._cancel.is_set()

    def _report(self, done: int, total: int, name: str) -> None:
        with self._lock:
            self._progress = (done, total, name)

    def _run(self) -> None:
        try:
            result = self._work(self._report, self._cancel.is_set)
            outcome: tuple[str, Any] = ("done", result)
        except Cancelled:
            outcome = ("cancelled", None)
        except UserError as exc:
            outcome = ("failed", exc.message)
        except Exception as exc:  # a bug: one line for the user, never a traceback
            outcome = ("failed", f"程序内部错误（{type(exc).__name__}: {exc}）")
        with self._lock:
            self._outcome = outcome

    def _poll(self) -> None:
        self.was_shown = self.was_shown or self.dialog.isVisible()
        with self._lock:
            done, total, name = self._progress
            outcome = self._outcome
        if total and not self._cancel.is_set():
            self.dialog.setMaximum(total)
            self.dialog.setValue(min(done, total))
            self.dialog.setLabelText(f"{self.label}（{done}/{total}）{name}")
        if outcome is None:
            return
        self._timer.stop()
        self._thread.join()
        self.dialog.close()
        self.dialog.deleteLater()
        kind, value = outcome
        if kind == "done":
            self._done(value)
        elif kind == "cancelled":
            self._failed("已取消")
        else:
            self._failed(str(value))
