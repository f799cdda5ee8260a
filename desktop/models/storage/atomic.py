"""Write a file whole or not at all: a temporary file in the same folder, fsync, then rename.

A killed process, a full disk or a read-only folder never leaves a half-written file under the
target name; problems become one Chinese ``UserError``.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from desktop.models.errors import UserError, describe_os_error


def write_error_message(exc: OSError, path: str | os.PathLike[str]) -> str:
    """A Chinese sentence for an OS error while writing ``path``."""
    name = os.fspath(path)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"磁盘空间不足，无法写入 {name}。请清理磁盘后重试，原文件未改动。"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"没有写入权限：{name}（文件夹或文件是只读的）。请换一个位置保存。"
    if exc.errno == errno.ENOENT:
        return f"文件夹不存在：{os.path.dirname(name) or '.'}"
    if exc.errno == errno.EISDIR:
        return f"{name} 是一个文件夹，不能作为文件写入。"
    return f"无法写入 {name}：{describe_os_error(exc)}"


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str], suffix: str = ".tmp") -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success fsync it and rename it over ``path``.

    If the block raises, the temporary file is removed and ``path`` is left as it was.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        handle, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix, dir=folder)
        os.close(handle)
    except OSError as exc:
        raise UserError(write_error_message(exc, target)) from None
    tmp = Path(tmp_name)
    try:
        yield tmp
        _fsync_file(tmp)
        os.replace(tmp, target)
        _fsync_dir(folder)
    except OSError as exc:
        _remove_quietly(tmp)
        raise UserError(write_error_message(exc, target)) from None
    except BaseException:
        _remove_quietly(tmp)
        raise


def write_atomically(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all."""
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as handle:
            handle.write(data)


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":  # Windows cannot open a directory for fsync; NTFS journals the rename
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _remove_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()
