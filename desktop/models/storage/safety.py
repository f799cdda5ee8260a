"""File safety for workbooks: the one-writer lock file and the translation of SQLite failures.

A workbook being edited has a lock file beside it (``<name>.jxdb.lock``, created atomically with
``O_EXCL``) naming the host, process and user holding it. A second program — or a second PC on a
shared folder — that finds a live lock opens the workbook read-only and tells the user who holds
it. A lock left by a crashed program on this host (its process is gone) is taken over.

SQLite errors caused by the environment (disk full, read-only file, I/O error, busy, not a
database, corrupt) become :class:`WorkbookFileError` with a Chinese message; anything else is a bug
and propagates unchanged (qutebrowser's "known error" vs "bug" split).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import errno
import getpass
import json
import os
import socket
import sqlite3
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from desktop.models.errors import WorkbookFileError, describe_os_error

LOCK_SUFFIX = ".lock"
_MAX_LOCK_BYTES = 4096


# ---- lock file --------------------------------------------------------------------------------


@dataclass(frozen=True)
class LockOwner:
    """Who holds a workbook's lock, as written in the lock file."""

    host: str
    pid: int
    user: str = ""
    since: str = ""

    def describe(self) -> str:
        """Chinese description: 用户 @ 计算机（进程 N，自 …起）."""
        who = f"{self.user}@{self.host}" if self.user else self.host
        since = f"，自 {self.since} 起" if self.since else ""
        return f"{who}（进程 {self.pid}{since}）"


def lock_path_for(path: str | os.PathLike[str]) -> Path:
    """The lock file of a workbook: ``<name>.jxdb.lock`` beside it."""
    target = Path(path)
    return target.with_name(target.name + LOCK_SUFFIX)


def this_host() -> str:
    """This computer's name as written in lock files."""
    return socket.gethostname() or "localhost"


def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs on this computer (conservative: True when unsure)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":  # pragma: no cover - Windows only
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined,unused-ignore]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return bool(kernel32.GetLastError() == 5)  # access denied: it exists
        code = ctypes.c_ulong()
        ok = kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return bool(not ok or code.value == 259)  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return True
    return True


class WorkbookLock:
    """A held lock file; :meth:`release` removes it if it is still ours."""

    def __init__(self, path: Path, owner: LockOwner) -> None:
        self.path = path
        self.owner = owner
        self._held = True

    @property
    def held(self) -> bool:
        """Whether this lock has not been released yet."""
        return self._held

    def release(self) -> None:
        """Remove the lock file (only if it still names this process). Safe to call twice."""
        if not self._held:
            return
        self._held = False
        current = read_lock(self.path)
        if current is None or (current.host == self.owner.host and current.pid == self.owner.pid):
            with contextlib.suppress(OSError):
                self.path.unlink()


def read_lock(path: Path) -> LockOwner | None:
    """The owner written in a lock file; None if there is no file. A garbled file gives pid 0."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(_MAX_LOCK_BYTES)
    except FileNotFoundError:
        return None
    except OSError:
        return LockOwner(host="?", pid=-1)
    try:
        data = json.loads(raw.decode("utf-8"))
        return LockOwner(
            host=str(data["host"]),
            pid=int(data["pid"]),
            user=str(data.get("user", "")),
            since=str(data.get("since", "")),
        )
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return LockOwner(host="", pid=0)


def _current_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # getpass raises various errors when no user name is known
        return ""


def _create_lock(path: Path, owner: LockOwner) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        data = {"host": owner.host, "pid": owner.pid, "user": owner.user, "since": owner.since}
        os.write(fd, json.dumps(data, ensure_ascii=False).encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def acquire_lock(path: str | os.PathLike[str]) -> tuple[WorkbookLock | None, str]:
    """Take the workbook's lock file.

    Returns:
        ``(lock, "")`` when this process may write; ``(None, reason)`` otherwise, with a Chinese
        reason (who holds it, or the folder is read-only) that :func:`read_only_message` completes.
    """
    lock_file = lock_path_for(path)
    owner = LockOwner(
        host=this_host(),
        pid=os.getpid(),
        user=_current_user(),
        since=_dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
    )
    for _attempt in range(3):
        try:
            _create_lock(lock_file, owner)
            return WorkbookLock(lock_file, owner), ""
        except FileExistsError:
            holder = read_lock(lock_file)
            if holder is None:  # removed meanwhile: try again
                continue
            if holder.pid == 0 or (holder.host == owner.host and holder.pid != owner.pid and not pid_alive(holder.pid)):
                # stale: its program crashed (or the lock is garbled). Take it over.
                with contextlib.suppress(FileNotFoundError):
                    lock_file.unlink()
                continue
            if holder.host == owner.host and holder.pid == owner.pid:
                return None, "此工作簿已在本程序中打开"
            return None, f"此工作簿正由 {holder.describe()} 编辑"
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
                return None, "工作簿所在文件夹是只读的"
            return None, f"无法在工作簿所在文件夹建立锁文件（{describe_os_error(exc)}）"
    return None, "无法取得工作簿的锁文件"


def read_only_message(reason: str) -> str:
    """The message shown when a workbook is opened read-only for ``reason``."""
    return f"{reason}，已以只读方式打开。修改请等对方关闭后重新打开，或“另存为”一个新文件。"


# ---- error classification ---------------------------------------------------------------------

_KNOWN: tuple[tuple[tuple[str, ...], str], ...] = (
    (("database or disk is full", "disk full"), "磁盘空间不足，修改未能保存。请清理磁盘后重试，文件保持修改前的内容。"),
    (
        ("readonly", "read-only", "read only"),
        "工作簿文件是只读的（或所在文件夹不可写），修改未能保存。请“另存为”到可写的位置。",
    ),
    (
        ("disk i/o error", "i/o error"),
        "读写工作簿文件时出错（磁盘 I/O 错误），修改未能保存。请检查U盘或网络文件夹是否仍连接。",
    ),
    (("database is locked", "locked", "busy"), "工作簿文件正被其他程序占用，修改未能保存。请稍后重试。"),
    (("file is not a database", "not a database", "file is encrypted"), "这不是预算绩效工作簿文件（.jxdb）。"),
    (("malformed", "corrupt"), "工作簿文件已损坏，无法读取。请从备份恢复。"),
    (("unable to open database file", "cannot open"), "无法打开工作簿文件（文件不存在、无权限或所在文件夹不可访问）。"),
)


def classify(error: BaseException) -> WorkbookFileError | None:
    """The user error for an environment failure from SQLite or the OS, or None if it is a bug."""
    if isinstance(error, WorkbookFileError):
        return error
    original: BaseException = error
    sa_exc = sys.modules.get("sqlalchemy.exc")  # not imported yet: no SQLAlchemy error can exist
    if sa_exc is not None and isinstance(error, sa_exc.DBAPIError) and error.orig is not None:
        original = error.orig
    if isinstance(original, OSError):
        return _classify_os_error(original)
    if not isinstance(original, sqlite3.OperationalError | sqlite3.DatabaseError):
        return None
    if isinstance(original, sqlite3.IntegrityError | sqlite3.ProgrammingError | sqlite3.InterfaceError):
        return None
    text = str(original).lower()
    for needles, message in _KNOWN:
        if any(needle in text for needle in needles):
            return WorkbookFileError(message)
    return None


def _classify_os_error(exc: OSError) -> WorkbookFileError | None:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return WorkbookFileError(_KNOWN[0][1])
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return WorkbookFileError(_KNOWN[1][1])
    if exc.errno == errno.EIO:
        return WorkbookFileError(_KNOWN[2][1])
    if exc.errno == errno.ENOENT:
        return WorkbookFileError(f"找不到文件：{exc.filename}" if exc.filename else "找不到工作簿文件。")
    return None


def _is_database_error(exc: BaseException) -> bool:
    """An error of SQLite, of the OS or of SQLAlchemy wrapping them (checked only if SQLAlchemy is loaded)."""
    if isinstance(exc, sqlite3.Error | OSError):
        return True
    sa_exc = sys.modules.get("sqlalchemy.exc")
    return sa_exc is not None and isinstance(exc, sa_exc.DBAPIError)


@contextlib.contextmanager
def translated_errors() -> Iterator[None]:
    """Turn known SQLite/OS failures inside the block into ``WorkbookFileError``; bugs pass through."""
    try:
        yield
    except Exception as exc:
        if not _is_database_error(exc):
            raise
        known = classify(exc)
        if known is None:
            raise
        raise known from exc
