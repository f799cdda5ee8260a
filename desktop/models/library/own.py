"""The user's own indicator library: ``indicator-library.json`` in the local app-data folder.

Same format as the bundled ``common.json``; written whole or not at all. Entries the user adds keep their
target as written; an entry identical to one already present is not added twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from desktop.models.errors import UserError
from desktop.models.library.entries import LibraryEntry, bundled_library, library_text, load_library
from desktop.models.storage.atomic import write_atomically

OWN_FILE = "indicator-library.json"
OWN_CATEGORY = "本单位"


def own_library_path(folder: str | Path) -> Path:
    """Where the user's library lives inside the local app-data ``folder``."""
    return Path(folder) / OWN_FILE


def load_own(path: str | Path) -> list[LibraryEntry]:
    """The user's library; empty when the file does not exist yet (a broken file raises a Chinese error)."""
    target = Path(path)
    if not target.exists():
        return []
    return load_library(target)


def save_own(path: str | Path, entries: list[LibraryEntry]) -> None:
    """Write the user's library atomically."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, library_text(entries).encode("utf-8"))


def merge(existing: list[LibraryEntry], new: Iterable[LibraryEntry]) -> tuple[list[LibraryEntry], int, int]:
    """``existing`` plus the entries of ``new`` not already there: (merged, added, already present)."""
    merged = list(existing)
    seen = set(merged)
    added = present = 0
    for entry in new:
        entry = entry if entry.category.strip() else replace(entry, category=OWN_CATEGORY)
        if entry in seen:
            present += 1
            continue
        merged.append(entry)
        seen.add(entry)
        added += 1
    return merged, added, present


def add_to_own(path: str | Path, new: Iterable[LibraryEntry]) -> tuple[int, int]:
    """Merge ``new`` into the user's library file: (added, already present); the file is untouched if none."""
    merged, added, present = merge(load_own(path), new)
    if added:
        save_own(path, merged)
    return added, present


def full_library(path: str | Path) -> list[LibraryEntry]:
    """The bundled library followed by the user's own (a broken own file is left out, not fatal)."""
    try:
        own = load_own(path)
    except UserError:
        own = []
    return [*bundled_library(), *own]
