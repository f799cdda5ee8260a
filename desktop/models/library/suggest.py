"""Suggestions while a 三级指标 is typed: the unit's own history first, then the common library.

Matching ignores case, full-width / half-width and spaces; a name that starts with the typed text ranks
before one that only contains it. One suggestion per indicator name and levels; from the history, the latest
year's entry is kept, with its actual as the hint for this year's target (「上年实际 98.6%」).
"""

from __future__ import annotations

import bisect
import copy
import itertools
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from desktop.models.library.entries import LibraryEntry
from desktop.models.library.history import History, HistoryEntry

HISTORY = "history"
LIBRARY = "library"
PAUSE_EVERY = 1_000  # entries between two pauses of an index built on a worker thread


def fold(text: str) -> str:
    """Text as compared: NFKC (full-width → half-width), lower case, no spaces."""
    return "".join(unicodedata.normalize("NFKC", text).lower().split())


@dataclass(frozen=True)
class Suggestion:
    """One choice offered: what it fills in, where it comes from, and a hint to show beside it."""

    origin: str  # HISTORY or LIBRARY
    level1: str
    level2: str
    name: str
    target: str
    basis: str = ""
    hint: str = ""  # e.g. 「2025年 实际 98.6%」 or the library category
    category: str = ""
    source: str = ""


class SuggestionIndex:
    """History and library prepared for fast matching.

    The history's folded names are joined into one text (``\n`` between names; folding removes every
    whitespace, so no name holds one) and searched with ``str.find``, which runs in C: a keystroke costs
    the matches actually shown, not a Python loop over every name.
    """

    def __init__(self, history: History, library: list[LibraryEntry], pause: Callable[[], None] | None = None) -> None:
        """``pause`` is called every ``PAUSE_EVERY`` entries (a worker thread lets the UI thread run)."""
        latest: dict[tuple[str, str, str], HistoryEntry] = {}
        for n, entry in enumerate(history.entries):
            if pause is not None and n % PAUSE_EVERY == 0:
                pause()
            slot = (entry.level1, entry.level2, entry.name)
            held = latest.get(slot)
            if held is None or (entry.year or 0) >= (held.year or 0):
                latest[slot] = entry
        self._entries = sorted(latest.values(), key=lambda e: -(e.year or 0))  # latest year first
        keys: list[str] = []
        self._starts: list[int] = []
        position = 1
        for n, entry in enumerate(self._entries):
            if pause is not None and n % PAUSE_EVERY == 0:
                pause()
            name = fold(entry.name)
            keys.append(name)
            self._starts.append(position)
            position += len(name) + 1
        self._blob = "\n" + "\n".join(keys) + "\n"
        self._library = [(fold(e.name), e) for e in library]

    def with_library(self, library: list[LibraryEntry]) -> SuggestionIndex:
        """The same history with another library (the user added to it): costs the library, not the history."""
        other = copy.copy(self)
        other._library = [(fold(e.name), e) for e in library]
        return other

    def _history_hits(self, query: str, prefix: bool) -> Iterator[HistoryEntry]:
        """History entries whose name starts with (``prefix``) or only contains ``query``, in index order."""
        needle = "\n" + query if prefix else query
        position = self._blob.find(needle)
        while position >= 0:
            at = position + 1 if prefix else position
            index = bisect.bisect_right(self._starts, at) - 1
            if prefix or self._starts[index] != at:
                yield self._entries[index]
            position = self._blob.find(needle, position + 1)

    def suggest(self, typed: str, limit: int = 12) -> list[Suggestion]:
        """The best ``limit`` matches of ``typed`` (nothing for fewer than one non-space character)."""
        query = fold(typed)
        if not query:
            return []
        # History first (latest year first), then the library (shorter names first); prefix matches lead.
        library = sorted((k.find(query) != 0, len(k), n) for n, (k, _e) in enumerate(self._library) if query in k)
        candidates = itertools.chain(
            (_from_history(e) for e in self._history_hits(query, prefix=True)),
            (_from_history(e) for e in self._history_hits(query, prefix=False)),
            (_from_library(self._library[n][1]) for *_, n in library),
        )
        out: list[Suggestion] = []
        seen: set[tuple[str, str, str]] = set()
        for suggestion in candidates:
            seen_key = (suggestion.level1, suggestion.level2, fold(suggestion.name))
            if seen_key not in seen:
                seen.add(seen_key)
                out.append(suggestion)
                if len(out) >= limit:
                    break
        return out


def _from_history(entry: HistoryEntry) -> Suggestion:
    when = f"{entry.year}年" if entry.year else "以往"
    hint = f"{when}实际 {entry.actual}" if entry.actual else f"{when}指标值 {entry.target}" if entry.target else when
    return Suggestion(HISTORY, entry.level1, entry.level2, entry.name, entry.target, entry.basis, hint)


def _from_library(entry: LibraryEntry) -> Suggestion:
    return Suggestion(
        LIBRARY,
        entry.level1,
        entry.level2,
        entry.name,
        entry.target,
        entry.basis,
        f"指标库·{entry.category}",
        entry.category,
        entry.source,
    )


def row_fields(suggestion: Suggestion) -> dict[str, str]:
    """The indicator fields a chosen suggestion fills (levels, name, target; the basis where known)."""
    fields = {
        "level1": suggestion.level1,
        "level2": suggestion.level2,
        "name": suggestion.name,
        "target": suggestion.target,
    }
    if suggestion.basis:
        fields["basis"] = suggestion.basis
    return fields


def placeholder_span(target: str) -> tuple[int, int]:
    """Where the value to fill in sits in a target (selected in the editor): the first ``**`` or the number.

    ``≥**%`` → (1, 3); ``≥95%`` → (1, 3); a target with neither → the whole text.
    """
    start = target.find("**")
    if start >= 0:
        return start, start + 2
    digits = [i for i, ch in enumerate(target) if ch.isdigit() or ch == "."]
    if digits:
        first = digits[0]
        end = first
        while end < len(target) and (target[end].isdigit() or target[end] == "."):
            end += 1
        return first, end
    return 0, len(target)
