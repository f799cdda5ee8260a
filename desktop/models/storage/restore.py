"""Restoring a backup: a checked copy of it under a new name, never over an existing file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from desktop.models.errors import WorkbookFileError
from desktop.models.storage.backups import BackupInfo, copy_database
from desktop.models.storage.safety import translated_errors
from desktop.models.storage.store import open_workbook


def restore_backup(backup: BackupInfo | str | os.PathLike[str], new_path: str | os.PathLike[str]) -> Path:
    """Copy a backup to ``new_path`` (a new file: never over an existing one) after checking it.

    Raises:
        WorkbookFileError: ``new_path`` exists, the backup is not a sound workbook, or writing fails.
    """
    source = backup.path if isinstance(backup, BackupInfo) else Path(backup)
    target = Path(new_path)
    if target.exists():
        raise WorkbookFileError(f"{target} 已存在。恢复备份不会覆盖已有文件，请换一个文件名。")
    open_workbook(source, read_only=True).close()  # refuses a damaged or foreign file
    with translated_errors():
        folder = target.parent if str(target.parent) else Path(".")
        handle, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        os.close(handle)
        tmp = Path(tmp_name)
        try:
            copy_database(source, tmp)
            _place_new(tmp, target)
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink()
    return target


def _place_new(tmp: Path, target: Path) -> None:
    """Give ``tmp`` the name ``target`` only if no such file exists (atomically where possible)."""
    if os.name == "nt":  # pragma: no cover - Windows: rename never replaces
        try:
            os.rename(tmp, target)
        except FileExistsError:
            raise WorkbookFileError(f"{target} 已存在。恢复备份不会覆盖已有文件，请换一个文件名。") from None
        return
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise WorkbookFileError(f"{target} 已存在。恢复备份不会覆盖已有文件，请换一个文件名。") from None
    except OSError:  # a file system without hard links (FAT on a USB stick)
        if target.exists():
            raise WorkbookFileError(f"{target} 已存在。恢复备份不会覆盖已有文件，请换一个文件名。") from None
        os.rename(tmp, target)
