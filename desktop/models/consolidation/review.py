"""The reviewer's 复核分 and comments, kept in a review file of their own, never in a unit's file (no Qt).

Storage: one small JSON file (``*.jxreview``) written whole through ``storage/atomic.py`` on every
change. Why JSON and not a second SQLite file: a review is at most a few thousand short entries,
so rewriting it whole takes milliseconds and an atomic rename already makes every save all or
nothing; the file stays readable and diffable, needs no schema migrations or lock files, and can be
handed on by e-mail or USB stick like the units' own interchange files. Its digits are kept
exactly (Decimal in, ``dumps_data`` out).

An entry is keyed by the unit (its code, or its name when it has none), the form's position and
the row's position (``None`` for the form as a whole); the form's title, the row's name and the
unit file's SHA-256 are kept beside it, so a review made on an older version of a unit's file is
shown as such (``stale``) rather than silently attached to different rows.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from desktop.models.errors import InvalidInputError, UserError, describe_os_error
from desktop.models.formats.interchange import dumps_data, to_decimal
from desktop.models.storage.atomic import write_atomically

FORMAT = "jixiao-review"
VERSION = 1
SUFFIX = ".jxreview"
MAX_BYTES = 20 * 1024 * 1024
MAX_COMMENT = 2_000
MAX_SCORE = Decimal(1000)

Key = tuple[str, int, int | None]  # unit key, form position, row position (None: the form)


@dataclass(frozen=True)
class ReviewEntry:
    """One reviewed row or form.

    Attributes:
        unit: the unit's code (or ``名称:…`` when it has no code).
        form: the form's position in the unit's workbook.
        row: the row's position in the form (None: the form as a whole).
        score: the 复核分 (None: only a comment).
        comment: the 复核意见.
        form_title / row_name: what the entry was made on, to notice a changed file.
        file_sha256: the unit file's hash when the entry was made.
    """

    unit: str
    form: int
    row: int | None
    score: Decimal | None
    comment: str
    form_title: str = ""
    row_name: str = ""
    file_sha256: str = ""

    @property
    def key(self) -> Key:
        """Where the entry belongs."""
        return (self.unit, self.form, self.row)


def unit_key(code: str, name: str) -> str:
    """The key a unit's reviews are filed under: its code, else its name."""
    return code.strip() or f"名称:{name.strip()}"


class ReviewBook:
    """The review entries of one consolidation, saved to ``path`` after every change (when set)."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self._entries: dict[Key, ReviewEntry] = {}

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def entries(self) -> list[ReviewEntry]:
        """Every entry, by unit, form and row."""
        return sorted(self._entries.values(), key=lambda e: (e.unit, e.form, -1 if e.row is None else e.row))

    def get(self, unit: str, form: int, row: int | None = None) -> ReviewEntry | None:
        """The entry for a form (row None) or a row, if any."""
        return self._entries.get((unit, form, row))

    def for_unit(self, unit: str) -> list[ReviewEntry]:
        """The entries of one unit, by form and row."""
        return [entry for entry in self.entries if entry.unit == unit]

    def set(self, entry: ReviewEntry) -> None:
        """Add or replace an entry (an entry with neither score nor comment removes it); then save.

        Raises:
            UserError: a score outside 0–1000, a comment too long, or the file cannot be written
                (then nothing changed, in memory or on disk).
        """
        comment = entry.comment.strip()
        if len(comment) > MAX_COMMENT:
            raise UserError(f"复核意见过长（超过 {MAX_COMMENT} 字）")
        if entry.score is not None and not (Decimal(0) <= entry.score <= MAX_SCORE and entry.score.is_finite()):
            raise UserError("复核分应为 0 到 1000 之间的数")
        entry = replace(entry, comment=comment)
        before = self._entries.get(entry.key)
        if entry.score is None and not comment:
            self._entries.pop(entry.key, None)
        else:
            self._entries[entry.key] = entry
        try:
            self.save()
        except UserError:
            if before is None:
                self._entries.pop(entry.key, None)
            else:
                self._entries[entry.key] = before
            raise

    def save(self, path: str | os.PathLike[str] | None = None) -> None:
        """Write the book (to ``path`` and keep it, or to its own path; nothing when it has none)."""
        if path is not None:
            self.path = Path(path)
        if self.path is None:
            return
        write_atomically(self.path, dumps(self).encode("utf-8"))

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> ReviewBook:
        """Read a review file (untrusted: size-checked, every field validated, Chinese errors)."""
        target = Path(path)
        try:
            with open(target, "rb") as handle:
                raw = handle.read(MAX_BYTES + 1)
        except OSError as exc:
            raise UserError(f"无法读取复核文件 {target.name}：{describe_os_error(exc)}") from None
        if len(raw) > MAX_BYTES:
            raise InvalidInputError(f"{target.name} 过大，不是复核文件")
        try:
            data = json.loads(raw.decode("utf-8-sig"), parse_float=Decimal, parse_constant=_no_constant)
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError, ValueError):
            raise InvalidInputError(f"{target.name} 不是有效的复核文件（不是 UTF-8 JSON）") from None
        book = cls(target)
        for entry in entries_from_data(data, target.name):
            book._entries[entry.key] = entry
        return book


def _no_constant(name: str) -> object:
    raise ValueError(name)


def dumps(book: ReviewBook) -> str:
    """The review file's text."""
    entries: list[dict[str, Any]] = []
    for entry in book.entries:
        item: dict[str, Any] = {"unit": entry.unit, "form": entry.form, "row": entry.row}
        if entry.score is not None:
            item["score"] = entry.score
        item["comment"] = entry.comment
        item["form_title"] = entry.form_title
        item["row_name"] = entry.row_name
        item["file_sha256"] = entry.file_sha256
        entries.append(item)
    return dumps_data({"format": FORMAT, "version": VERSION, "entries": entries})


_KEYS = {"unit", "form", "row", "score", "comment", "form_title", "row_name", "file_sha256"}


def entries_from_data(data: object, name: str) -> list[ReviewEntry]:
    """Validate parsed review JSON; every problem is one ``InvalidInputError`` naming the file and place."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InvalidInputError(f'{name} 不是复核文件（缺少 "format": "{FORMAT}"）')
    if data.get("version") != VERSION:
        raise InvalidInputError(f"{name} 的复核文件版本 {str(data.get('version'))[:20]} 本程序不认识")
    items = data.get("entries")
    if not isinstance(items, list):
        raise InvalidInputError(f"{name}：entries 应为列表")
    out: list[ReviewEntry] = []
    for n, item in enumerate(items):
        where = f"{name} 第 {n + 1} 条复核记录"
        if not isinstance(item, dict) or not set(item) <= _KEYS:
            raise InvalidInputError(f"{where}格式不对")
        unit, form, row = item.get("unit"), item.get("form"), item.get("row")
        if not isinstance(unit, str) or type(form) is not int or form < 0:
            raise InvalidInputError(f"{where}缺少单位或表序号")
        if row is not None and (type(row) is not int or row < 0):
            raise InvalidInputError(f"{where}的行号不对")
        texts = [item.get(key, "") for key in ("comment", "form_title", "row_name", "file_sha256")]
        if not all(isinstance(text, str) and len(text) <= 10_000 for text in texts):
            raise InvalidInputError(f"{where}的文字内容不对")
        score = item.get("score")
        value = to_decimal(score, "score") if score is not None else None
        if value is not None and not Decimal(0) <= value <= MAX_SCORE:
            raise InvalidInputError(f"{where}的复核分超出范围")
        out.append(ReviewEntry(unit, form, row, value, *texts))
    return out
