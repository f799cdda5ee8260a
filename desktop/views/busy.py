"""Run a long read (an Excel import) off the UI thread, with a busy bar and 取消 in the status bar.

The work runs on a Python thread and must not touch Qt or the open workbook (a reader that returns
domain objects); the window keeps painting meanwhile, its menus and tables are disabled, and 取消
stops waiting at once — the abandoned read is bounded (``excel_bounds``) and its result dropped.
An exception of the work is raised again on the UI thread, so callers handle it as before.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QProgressBar, QPushButton, QToolBar, QWidget

_T = TypeVar("_T")
POLL_MS = 30


class Cancelled(Exception):
    """The user pressed 取消 while the work ran."""


class _Outcome(Generic[_T]):
    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: _T | None = None
        self.error: BaseException | None = None


def run_busy(window: QMainWindow, label: str, work: Callable[[], _T]) -> _T:
    """Run ``work`` on a worker thread while the window shows ``label``, a busy bar and 取消.

    Raises:
        Cancelled: the user pressed 取消.
        Exception: whatever ``work`` raised.
    """
    outcome: _Outcome[_T] = _Outcome()

    def target() -> None:
        try:
            outcome.value = work()
        except BaseException as exc:  # handed to the UI thread
            outcome.error = exc
        finally:
            outcome.done.set()

    thread = threading.Thread(target=target, name="jixiao-busy", daemon=True)
    thread.start()
    if outcome.done.wait(0.05):  # quick work: no flicker of the busy bar
        return _result(outcome)
    bar, text, cancel = QProgressBar(), QLabel(label), QPushButton("取消")
    bar.setRange(0, 0)
    bar.setMaximumWidth(160)
    status = window.statusBar()
    shown: list[QWidget] = [text, bar, cancel]
    for item in shown:
        status.addPermanentWidget(item)
    parts: list[QWidget | None] = [window.menuBar(), window.centralWidget(), *window.findChildren(QToolBar)]
    parts += [dock.widget() for dock in window.findChildren(QDockWidget)]
    disabled = [w for w in parts if w is not None and w.isEnabled()]
    for widget in disabled:
        widget.setEnabled(False)
    loop = QEventLoop()
    cancelled = False

    def on_cancel() -> None:
        nonlocal cancelled
        cancelled = True
        loop.quit()

    def poll() -> None:
        if outcome.done.is_set():
            loop.quit()

    cancel.clicked.connect(on_cancel)
    timer = QTimer()
    timer.timeout.connect(poll)
    timer.start(POLL_MS)
    try:
        loop.exec()
    finally:
        timer.stop()
        for widget in disabled:
            widget.setEnabled(True)
        for item in shown:
            status.removeWidget(item)
            item.deleteLater()
    if cancelled and not outcome.done.is_set():
        raise Cancelled()
    return _result(outcome)


def _result(outcome: _Outcome[_T]) -> _T:
    if outcome.error is not None:
        raise outcome.error
    return outcome.value  # type: ignore[return-value]
