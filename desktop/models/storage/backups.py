"""Rotating backup copies of workbooks in an application-data folder (made with SQLite's backup API).

The caller passes the folder (the GUI uses ``QStandardPaths.AppDataLocation``; this module stays
Qt-free). Each backup is named ``<stem>.<key>.<YYYYmmdd-HHMMSS-ffffff>.jxdb`` where ``key`` is
derived from the workbook's full path, so that two workbooks with the same name in different
folders keep separate histories. The newest :data:`KEEP` backups of a workbook are kept; a
backup identical to the newest one is not stored twice.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import os
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from desktop.models.errors import WorkbookFileError, describe_os_error
from desktop.models.storage.safety import translated_errors
from desktop.models.storage.sqlite_file import connect_read_only

KEEP = 10
_STAMP = "%Y%m%d-%H%M%S-%f"


@dataclass(frozen=True)
class BackupInfo:
    """One backup copy of a workbook."""

    path: Path
    created: _dt.datetime
    size: int
    workbook_name: str

    @property
    def label(self) -> str:
        """A line for a list in the GUI: name, date and size."""
        return f"{self.workbook_name}　{self.created:%Y-%m-%d %H:%M:%S}　{max(1, self.size // 1024)} KB"


def _key(workbook_path: str | os.PathLike[str]) -> str:
    full = os.path.normcase(str(Path(workbook_path).resolve()))
    return hashlib.sha256(full.encode("utf-8")).hexdigest()[:10]


def _stem(workbook_path: str | os.PathLike[str]) -> str:
    return Path(workbook_path).stem.replace(".", "_") or "workbook"


def copy_database(source: Path, destination: Path) -> None:
    """Copy a workbook through SQLite (a consistent snapshot even while it is open elsewhere)."""
    src = connect_read_only(source)
    try:
        dst = sqlite3.connect(destination, isolation_level=None)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    with open(destination, "rb+") as handle:
        os.fsync(handle.fileno())


def _same_content(a: Path, b: Path) -> bool:
    if a.stat().st_size != b.stat().st_size:
        return False
    return hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest()


def make_backup(path: str | os.PathLike[str], backup_dir: str | os.PathLike[str], keep: int = KEEP) -> Path:
    """Store a backup copy of the workbook ``path`` in ``backup_dir``; keep the newest ``keep``.

    Returns:
        The backup file (the newest existing one if the workbook has not changed since).

    Raises:
        WorkbookFileError: the folder cannot be written (disk full, read-only…) or the file read.
    """
    source = Path(path)
    folder = Path(backup_dir)
    try:
        return _make_backup(source, folder, keep)
    except WorkbookFileError as exc:
        raise WorkbookFileError(f"无法在 {folder} 保存备份：{exc.message}") from exc
    except OSError as exc:
        raise WorkbookFileError(f"无法在 {folder} 保存备份：{describe_os_error(exc)}") from exc


def _make_backup(source: Path, folder: Path, keep: int) -> Path:
    with translated_errors():
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{_stem(source)}.{_key(source)}.{_dt.datetime.now().strftime(_STAMP)}.jxdb"
        handle, tmp_name = tempfile.mkstemp(prefix=".backup.", suffix=".tmp", dir=folder)
        os.close(handle)
        tmp = Path(tmp_name)
        try:
            copy_database(source, tmp)
            existing = list_backups(folder, source)
            if existing and _same_content(existing[0].path, tmp):
                tmp.unlink()
                return existing[0].path
            final = folder / name
            os.replace(tmp, final)
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
        for old in list_backups(folder, source)[keep:]:
            with contextlib.suppress(OSError):
                old.path.unlink()
    return final


def list_backups(backup_dir: str | os.PathLike[str], workbook_path: str | os.PathLike[str]) -> list[BackupInfo]:
    """The backups of one workbook, newest first."""
    folder = Path(backup_dir)
    prefix = f"{_stem(workbook_path)}.{_key(workbook_path)}."
    found: list[BackupInfo] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    for entry in entries:
        name = entry.name
        if not (name.startswith(prefix) and name.endswith(".jxdb")):
            continue
        try:
            created = _dt.datetime.strptime(name[len(prefix) : -len(".jxdb")], _STAMP)
            size = entry.stat().st_size
        except (ValueError, OSError):
            continue
        found.append(BackupInfo(entry, created, size, Path(workbook_path).name))
    found.sort(key=lambda info: info.created, reverse=True)
    return found
