"""The unit's indicator history (指标库 history, issue 20) kept in the local app-data folder.

Every workbook the app opens is indexed into ``indicator-history.json`` so that 审核 can compare a
target with what the unit set and achieved before. Reading the workbook's indicators is quick and
happens on the UI thread (the workbook may change right after); writing the file happens on a
worker thread. A damaged history file is left as it is (never overwritten) and the app goes on
with an empty history.
"""

from __future__ import annotations

import threading
from pathlib import Path

from desktop.models.errors import UserError
from desktop.models.library.history import History, HistoryEntry
from desktop.models.workbook.domain import Workbook

HISTORY_FILE = "indicator-history.json"


class HistoryIndex:
    """The history file of one app-data folder, loaded on first use."""

    def __init__(self, folder: str | None) -> None:
        self._folder = folder
        self._history: History | None = None
        self._damaged = False
        self._lock = threading.Lock()  # one write at a time, in the order the workbooks were opened
        self._writer: threading.Thread | None = None

    def path(self) -> Path | None:
        """Where the history file is (None without an app-data folder)."""
        return Path(self._folder) / HISTORY_FILE if self._folder else None

    def _loaded(self) -> History:
        if self._history is None:
            path = self.path()
            try:
                self._history = History.load(path) if path is not None else History()
            except UserError:
                self._history, self._damaged = History(), True
        return self._history

    def entries(self) -> list[HistoryEntry]:
        """The indicators seen so far."""
        return list(self._loaded().entries)

    def add(self, workbook: Workbook) -> list[HistoryEntry]:
        """Index a workbook just opened; returns the history now (the file is written in the background)."""
        history = self._loaded()
        history.add_workbook(workbook)
        snapshot = History(list(history.entries))
        path = self.path()
        if path is not None and not self._damaged:
            self._writer = threading.Thread(target=self._write, args=(snapshot, path), daemon=True)
            self._writer.start()
        return list(snapshot.entries)

    def _write(self, snapshot: History, path: Path) -> None:
        with self._lock:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                snapshot.save(path)
            except OSError:
                pass  # the history is a convenience: a full disk must not disturb the user's work

    def wait(self, timeout: float = 5.0) -> None:
        """Wait for the last write (tests, closing)."""
        writer = self._writer
        if writer is not None:
            writer.join(timeout)
