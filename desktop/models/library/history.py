"""The unit's own history: every indicator of the workbooks this PC has opened, with what was set and achieved.

Kept as one JSON file in the app's data folder (written atomically, never sent anywhere). A workbook
re-indexed replaces its own earlier entries (keyed by unit, year and form title), so opening the same
workbook again does not grow the file.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from desktop.models.errors import InvalidInputError, describe_os_error
from desktop.models.storage.atomic import write_atomically
from desktop.models.workbook.domain import Workbook

HISTORY_FORMAT = "jixiao-indicator-history"
HISTORY_VERSION = 1
MAX_HISTORY = 200_000
MAX_FIELD = 2_000


@dataclass(frozen=True)
class HistoryEntry:
    """One indicator as it was filed: its levels, target, actual (self-evaluations) and where it came from."""

    level1: str
    level2: str
    name: str
    target: str = ""
    actual: str = ""
    basis: str = ""
    year: int | None = None
    unit: str = ""
    title: str = ""

    @property
    def source_key(self) -> tuple[str, int | None, str]:
        """Entries of one form of one workbook share this key."""
        return (self.unit, self.year, self.title)


def entries_of(workbook: Workbook) -> list[HistoryEntry]:
    """The history entries a workbook contributes (indicators with a name)."""
    out: list[HistoryEntry] = []
    for form in workbook.forms:
        unit = (form.unit.name if form.unit is not None else "") or workbook.unit.name
        for ind in form.indicators:
            if not ind.name.strip():
                continue
            out.append(
                HistoryEntry(
                    level1=ind.level1.strip()[:MAX_FIELD],
                    level2=ind.level2.strip()[:MAX_FIELD],
                    name=ind.name.strip()[:MAX_FIELD],
                    target=(ind.target or "").strip()[:MAX_FIELD],
                    actual=(ind.actual or "").strip()[:MAX_FIELD] if form.kind.is_self_eval else "",
                    basis=(ind.basis or "").strip()[:MAX_FIELD],
                    year=workbook.year,
                    unit=unit[:MAX_FIELD],
                    title=form.title.strip()[:MAX_FIELD],
                )
            )
    return out


class History:
    """The indicators seen before, in the order they were added."""

    def __init__(self, entries: list[HistoryEntry] | None = None) -> None:
        self.entries: list[HistoryEntry] = list(entries or [])

    def add_workbook(self, workbook: Workbook) -> int:
        """Index a workbook (replacing what an earlier indexing of the same forms left); returns the count added."""
        new = entries_of(workbook)
        keys = {entry.source_key for entry in new}
        kept = [entry for entry in self.entries if entry.source_key not in keys]
        # A self-evaluation and the target table it came from share a key: keep the one with actuals.
        by_key: dict[tuple[str, str, str, str, tuple[str, int | None, str]], HistoryEntry] = {}
        for entry in new:
            slot = (entry.level1, entry.level2, entry.name, entry.target, entry.source_key)
            if slot not in by_key or (entry.actual and not by_key[slot].actual):
                by_key[slot] = entry
        self.entries = (kept + list(by_key.values()))[-MAX_HISTORY:]
        return len(by_key)

    def save(self, path: str | Path) -> None:
        """Write the history file atomically."""
        data = {
            "format": HISTORY_FORMAT,
            "version": HISTORY_VERSION,
            "entries": [{k: v for k, v in asdict(e).items() if v not in ("", None)} for e in self.entries],
        }
        write_atomically(path, json.dumps(data, ensure_ascii=False).encode("utf-8"))

    @classmethod
    def load(cls, path: str | Path) -> History:
        """Read the history file; a missing file is an empty history, a damaged one a Chinese error."""
        target = Path(path)
        try:
            text = target.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls()
        except OSError as exc:
            raise InvalidInputError(f"无法读取指标历史 {target.name}：{describe_os_error(exc)}") from None
        except UnicodeDecodeError:
            raise InvalidInputError(f"指标历史 {target.name} 已损坏（不是 UTF-8 文本）") from None
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):  # ValueError: bad JSON, or an integer too long to convert
            raise InvalidInputError(f"指标历史 {target.name} 已损坏（不是有效的 JSON）") from None
        if not isinstance(data, dict) or data.get("format") != HISTORY_FORMAT or data.get("version") != HISTORY_VERSION:
            raise InvalidInputError(f"{target.name} 不是指标历史文件")
        raw = data.get("entries")
        if not isinstance(raw, list):
            raise InvalidInputError(f"指标历史 {target.name} 已损坏（entries 不是列表）")
        fields = HistoryEntry.__dataclass_fields__
        entries: list[HistoryEntry] = []
        for item in raw[-MAX_HISTORY:]:
            if not isinstance(item, dict) or set(item) - set(fields):
                continue  # one damaged entry costs only itself
            year = item.get("year")
            texts = {k: item.get(k, "") for k in fields if k != "year"}
            if not all(isinstance(v, str) and len(v) <= MAX_FIELD for v in texts.values()):
                continue
            if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
                continue
            if not texts["name"]:
                continue
            entries.append(HistoryEntry(year=year, **texts))
        return cls(entries)
