"""Suggestions that never make typing wait: a large history is indexed on a worker thread.

Indexing 50,000 distinct names takes about half a second. A history up to ``IN_LINE_LIMIT`` entries
is indexed at once (a few milliseconds); a larger one on a worker thread, started at the first use or
earlier with ``start`` (the window starts it after the table first paints). Until the worker is done,
the library alone answers; ``ready`` says when the history joins in. The sources (callables) are read
on the caller's thread; the worker touches nothing but its own copy of the history.
"""

from __future__ import annotations

import _thread
import threading
import time
from collections.abc import Callable, Sequence

from desktop.models.library.entries import LibraryEntry
from desktop.models.library.history import History, HistoryEntry
from desktop.models.library.suggest import Suggestion, SuggestionIndex

IN_LINE_LIMIT = 2_000  # entries indexed in line (~10 ms at most); beyond, on a worker thread
YIELD_SECONDS = 0.0005  # every PAUSE_EVERY entries (~2 ms of work): 50,000 entries take ~25 ms longer

HistorySource = Callable[[], Sequence[HistoryEntry]]
LibrarySource = Callable[[], list[LibraryEntry]]


def _yield() -> None:
    """Give the interpreter to a keystroke waiting for it: a worker holding it would make a keystroke wait
    up to the switch interval (and on a busy PC much longer); a short sleep hands it over at once."""
    time.sleep(YIELD_SECONDS)


def _no_history() -> Sequence[HistoryEntry]:
    return ()


def _no_library() -> list[LibraryEntry]:
    return []


class BackgroundIndex:
    """History and library suggestions; the history's index is built once per history, off the caller's thread
    when it is large."""

    def __init__(
        self,
        history: HistorySource = _no_history,
        library: LibrarySource = _no_library,
        in_line_limit: int = IN_LINE_LIMIT,
    ) -> None:
        self._history_source = history
        self._library_source = library
        self._in_line_limit = in_line_limit
        self._lock = threading.Lock()
        self._generation = 0  # a new history makes a worker still running for the old one irrelevant
        self._built: SuggestionIndex | None = None  # the history's index (with no library), once built
        self._worker: threading.Event | None = None  # set when the worker running now is done
        self._library: list[LibraryEntry] | None = None
        self._full: SuggestionIndex | None = None  # history + library
        self._quick: SuggestionIndex | None = None  # library only, while the history is being indexed

    def set_history(self, history: HistorySource) -> None:
        """Another history: its index is built again at the next use (or ``start``)."""
        with self._lock:
            self._generation += 1
            self._built = None
            self._worker = None
        self._history_source = history
        self._full = None

    def set_library(self, library: LibrarySource) -> None:
        """Another library (or the same one changed): read again at the next use; the history's index is kept."""
        self._library_source = library
        self._library = self._full = self._quick = None

    def library_changed(self) -> None:
        """The library's file changed: read it again at the next use."""
        self.set_library(self._library_source)

    def start(self) -> None:
        """Index the history now (in line when small, else on a worker thread); nothing if done or under way.

        The library is read first, on this thread: what answers while the worker runs is then ready
        before the worker competes for the interpreter.
        """
        with self._lock:
            if self._built is not None or self._worker is not None:
                return
            generation = self._generation
        entries = list(self._history_source())
        if len(entries) > self._in_line_limit:
            self._quick_index()
        if len(entries) <= self._in_line_limit:
            self._store(SuggestionIndex(History(entries), []), generation)
            return
        done = threading.Event()
        with self._lock:
            self._worker = done
        # Not threading.Thread: its start() waits until the new thread runs, which (as the new thread then
        # holds the interpreter) cost the keystroke 20–40 ms. This returns at once; the worker dies with the
        # program (a daemon), and ``done`` tells when it finished.
        _thread.start_new_thread(self._build, (entries, generation, done))

    def _build(self, entries: list[HistoryEntry], generation: int, done: threading.Event) -> None:
        try:
            self._store(SuggestionIndex(History(entries), [], pause=_yield), generation)
        finally:
            done.set()

    def _store(self, built: SuggestionIndex, generation: int) -> None:
        with self._lock:
            if generation == self._generation:
                self._built = built

    def ready(self) -> bool:
        """Whether the history answers (its index is built)."""
        with self._lock:
            return self._built is not None

    def wait(self, timeout: float = 10.0) -> bool:
        """Wait for the worker (tests, benchmarks); whether the history is ready."""
        with self._lock:
            worker = self._worker
        if worker is not None:
            worker.wait(timeout)
        return self.ready()

    def _library_entries(self) -> list[LibraryEntry]:
        if self._library is None:
            self._library = list(self._library_source())
        return self._library

    def _quick_index(self) -> SuggestionIndex:
        if self._quick is None:
            self._quick = SuggestionIndex(History(), self._library_entries())
        return self._quick

    def index(self) -> SuggestionIndex:
        """What answers now: history and library once the history is indexed, else the library alone."""
        if self._full is not None:
            return self._full
        self.start()
        with self._lock:
            built = self._built
        if built is None:
            return self._quick_index()
        self._full = built.with_library(self._library_entries())
        return self._full

    def suggest(self, typed: str, limit: int = 12) -> list[Suggestion]:
        """The matches of ``typed`` (see ``SuggestionIndex.suggest``); never waits for the worker."""
        return self.index().suggest(typed, limit)
