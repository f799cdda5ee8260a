"""Write a file whole or not at all: a temporary file in the same folder, fsync, then rename.

A killed process, a full disk or a read-only folder never leaves a half-written file under the
target name; problems become one Chinese ``UserError``. Every writer of the program comes through
here, so the same rules hold for all of them:

- a file that is a workbook (by content), or that a program holds open as one, is never replaced —
  only :func:`desktop.models.storage.store.create_workbook_file` may replace an unheld workbook;
- a file held open by another program on Windows (a sharing violation from WPS, Excel, a PDF
  reader, antivirus or an indexer, ``winerror`` 5/32/33) is retried with back-off before the user
  is told who probably holds it;
- the new file keeps the permission bits of the file it replaces, else follows the umask.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from desktop.models.errors import UserError, describe_os_error

_T = TypeVar("_T")

#: Pauses between attempts when Windows reports a sharing violation (about 3 s in all).
RETRY_DELAYS: tuple[float, ...] = (0.05, 0.1, 0.2, 0.4, 0.8, 1.5)
#: Windows codes meaning "another program has the file open" (access denied, sharing and lock violation).
SHARING_WINERRORS = frozenset({5, 32, 33})
HELD_OPEN_MESSAGE = "文件正被其他程序（WPS/Excel/PDF 阅读器）打开"
_SQLITE_MAGIC = b"SQLite format 3\x00"
_umask_guard = threading.Lock()


def is_sharing_violation(exc: OSError) -> bool:
    """Whether this error is Windows saying another program holds the file (checked on ``winerror``)."""
    return getattr(exc, "winerror", None) in SHARING_WINERRORS


def with_retry(action: Callable[[], _T]) -> _T:
    """Run ``action``; on a Windows sharing violation wait and try again (:data:`RETRY_DELAYS`)."""
    for delay in RETRY_DELAYS:
        try:
            return action()
        except OSError as exc:
            if not is_sharing_violation(exc):
                raise
        time.sleep(delay)
    return action()


def replace_with_retry(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
    """``os.replace`` that waits out a passing sharing violation (antivirus, indexer)."""
    with_retry(lambda: os.replace(source, target))


def write_error_message(exc: OSError, path: str | os.PathLike[str]) -> str:
    """A Chinese sentence for an OS error while writing ``path`` (``winerror`` before ``errno``)."""
    name = os.fspath(path)
    winerror = getattr(exc, "winerror", None)
    if winerror in (32, 33):
        return f"无法写入 {name}：{HELD_OPEN_MESSAGE}。请先关闭它再重试，原文件未改动。"
    if winerror == 5:
        return (
            f"无法写入 {name}：{HELD_OPEN_MESSAGE}，或文件是只读的、没有写入权限。"
            "请关闭正在使用它的程序后重试，或换一个位置保存。原文件未改动。"
        )
    if isinstance(winerror, int):
        return f"无法写入 {name}：{describe_os_error(exc)}。原文件未改动。"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"磁盘空间不足，无法写入 {name}。请清理磁盘后重试，原文件未改动。"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"没有写入权限：{name}（文件夹或文件是只读的）。请换一个位置保存。"
    if exc.errno == errno.ENOENT:
        return f"文件夹不存在：{os.path.dirname(name) or '.'}"
    if exc.errno == errno.EISDIR:
        return f"{name} 是一个文件夹，不能作为文件写入。"
    return f"无法写入 {name}：{describe_os_error(exc)}"


def is_workbook_file(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` exists and is an SQLite database (a workbook, whatever its name)."""
    try:
        with open(path, "rb") as handle:
            return handle.read(len(_SQLITE_MAGIC)) == _SQLITE_MAGIC
    except OSError:
        return False


def refuse_workbook_target(path: str | os.PathLike[str]) -> None:
    """Raise a ``UserError`` if ``path`` is a workbook file (or any SQLite database)."""
    if is_workbook_file(path):
        raise UserError(f"{os.fspath(path)} 是一个工作簿文件，不会用导出的内容覆盖它。请换一个文件名。")


def _current_umask() -> int:
    with _umask_guard:  # os.umask can only be read by setting it
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def _mode_for(target: Path) -> int | None:
    """Permission bits for the new file: those of the file it replaces, else 0666 minus the umask."""
    if os.name != "posix":  # Windows: the folder's ACL applies; chmod only toggles read-only
        return None
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        return 0o666 & ~_current_umask()


@contextlib.contextmanager
def atomic_path(
    path: str | os.PathLike[str], suffix: str = ".tmp", *, replace_workbook: bool = False
) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success fsync it and rename it over ``path``.

    If the block raises, the temporary file is removed and ``path`` is left as it was. Unless
    ``replace_workbook``, a workbook file at ``path`` is refused before anything is written.
    """
    target = Path(path)
    if not replace_workbook:
        refuse_workbook_target(target)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        handle, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix, dir=folder)
        os.close(handle)
    except OSError as exc:
        raise UserError(write_error_message(exc, target)) from None
    tmp = Path(tmp_name)
    try:
        mode = _mode_for(target)
        if mode is not None:
            os.chmod(tmp, mode)
        yield tmp
        with_retry(lambda: _fsync_file(tmp))
        if not replace_workbook:
            refuse_workbook_target(target)  # checked again: it may have appeared meanwhile
        replace_with_retry(tmp, target)
        _fsync_dir(folder)
    except OSError as exc:
        remove_quietly(tmp)
        raise UserError(write_error_message(exc, target)) from None
    except BaseException:
        remove_quietly(tmp)
        raise


def write_atomically(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all (never over a workbook)."""
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


def remove_quietly(path: Path) -> None:
    """Delete a file, waiting out a passing sharing violation; other errors are ignored."""
    with contextlib.suppress(OSError):
        with_retry(path.unlink)
