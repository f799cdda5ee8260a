"""The user's own indicator library: ``indicator-library.json`` in the local app-data folder.

Same format as the bundled ``common.json``; written whole or not at all. An indicator is in the library
once: an entry with the 一级, 二级 and 三级 of one already there (in the user's library or the bundled one,
compared as the suggestions compare names) is not added again — the suggestions would show only one of
them anyway.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from desktop.models.errors import InvalidInputError, UserError
from desktop.models.library.entries import MAX_ENTRIES, LibraryEntry, bundled_library, library_text, load_library
from desktop.models.library.suggest import fold
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


def entry_key(entry: LibraryEntry) -> tuple[str, str, str]:
    """What makes two entries the same indicator: 一级, 二级 and 三级, folded (full-width, case, spaces)."""
    return fold(entry.level1), fold(entry.level2), fold(entry.name)


def merge(
    existing: list[LibraryEntry], new: Iterable[LibraryEntry], known: Iterable[LibraryEntry] = ()
) -> tuple[list[LibraryEntry], list[LibraryEntry], list[LibraryEntry]]:
    """``existing`` plus the entries of ``new`` not already there nor in ``known`` (the bundled library):
    (merged, added, already present)."""
    merged = list(existing)
    seen = {entry_key(e) for e in (*merged, *known)}
    added: list[LibraryEntry] = []
    present: list[LibraryEntry] = []
    for entry in new:
        entry = entry if entry.category.strip() else replace(entry, category=OWN_CATEGORY)
        key = entry_key(entry)
        if key in seen:
            present.append(entry)
            continue
        merged.append(entry)
        seen.add(key)
        added.append(entry)
    return merged, added, present


def add_to_own(
    path: str | Path, new: Iterable[LibraryEntry], known: Iterable[LibraryEntry] = ()
) -> tuple[list[LibraryEntry], list[LibraryEntry]]:
    """Merge ``new`` into the user's library file: (added, already present); the file is untouched if none.

    Raises:
        UserError: the user's file is damaged (it is left as it is), the library would grow past
            ``MAX_ENTRIES``, or the file cannot be written (``OSError`` from the atomic write).
    """
    merged, added, present = merge(load_own(path), new, known)
    if len(merged) > MAX_ENTRIES:
        raise InvalidInputError(f"指标库最多 {MAX_ENTRIES} 条，加入后将有 {len(merged)} 条，未作更改")
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
