"""File safety for workbooks: the one-writer lock and the translation of SQLite failures.

One writer per workbook: the program editing a workbook holds an OS byte-range lock on the file
itself for the whole session (:mod:`oslock`) — keyed on the file, not its name, so a symlink or
hard link reaches it; it cannot race (the OS grants it to one handle) and it dies with its process.
Beside the file a small owner note (``<name>.jxdb.lock``, JSON: host, process, user, since, written
whole by rename) names the holder for the message others see. A note whose file is not locked is
stale on any host and is replaced.

Where the file system has no byte-range locks, the note alone is the lock: it is created whole in
one step (a hard link of a complete temporary file, or ``O_EXCL``), a note of a dead process on
this host is taken over, and any other can be broken by the user after a confirmation that names
its owner (:func:`break_lock`). A note of an older version of this program (no ``os_lock`` mark)
is respected the same way.

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
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from desktop.models.errors import WorkbookFileError, describe_os_error
from desktop.models.storage.oslock import LockUnsupported, OsLock, try_lock

LOCK_SUFFIX = ".lock"
_MAX_LOCK_BYTES = 4096
#: A note younger than this whose content cannot be read is being written: not stale yet.
_FRESH_SECONDS = 10.0


# ---- owner note -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LockOwner:
    """Who holds a workbook's lock, as written in the owner note."""

    host: str
    pid: int
    user: str = ""
    since: str = ""
    #: Written by a program that also holds the OS lock (so the note alone proves nothing).
    os_lock: bool = False

    def describe(self) -> str:
        """Chinese description: 用户 @ 计算机（进程 N，自 …起）."""
        who = f"{self.user}@{self.host}" if self.user else (self.host or "另一个程序")
        since = f"，自 {self.since} 起" if self.since else ""
        pid = f"进程 {self.pid}" if self.pid > 0 else "进程未知"
        return f"{who}（{pid}{since}）"


@dataclass(frozen=True)
class LockRefusal:
    """Why a workbook cannot be opened for writing."""

    reason: str
    #: The owner named by the note, when another program (maybe) holds the workbook.
    holder: LockOwner | None = None
    #: Only a note stands in the way (no OS lock is held): the user may break it after confirming.
    breakable: bool = False


def lock_path_for(path: str | os.PathLike[str]) -> Path:
    """The owner note of a workbook: ``<name>.jxdb.lock`` beside the file symlinks lead to."""
    target = Path(os.path.realpath(path))
    return target.with_name(target.name + LOCK_SUFFIX)


def this_host() -> str:
    """This computer's name as written in owner notes."""
    import socket  # here: reading a workbook never needs the socket module's start-up

    return socket.gethostname() or "localhost"


def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs on this computer (conservative: True when unsure)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":  # pragma: no cover - Windows only
        import ctypes

        # use_last_error: GetLastError read through a second foreign call would be overwritten.
        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined,unused-ignore]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return bool(ctypes.get_last_error() == 5)  # type: ignore[attr-defined,unused-ignore]  # denied: exists
        code = ctypes.c_ulong()
        ok = kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return bool(not ok or code.value == 259)  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def read_lock(path: Path) -> LockOwner | None:
    """The owner written in a note; None if there is no note. An unreadable note gives pid 0."""
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
            os_lock=data.get("os_lock") is True,
        )
    except (ValueError, KeyError, TypeError, UnicodeDecodeError, AttributeError):
        return LockOwner(host="", pid=0)


def _current_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # getpass raises various errors when no user name is known
        return ""


def _note_bytes(owner: LockOwner) -> bytes:
    data = {
        "host": owner.host,
        "pid": owner.pid,
        "user": owner.user,
        "since": owner.since,
        "os_lock": owner.os_lock,
    }
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def _write_temp_note(note: Path, owner: LockOwner) -> Path:
    """A complete, fsynced note under a temporary name beside ``note`` (removed on failure)."""
    fd, name = tempfile.mkstemp(prefix=f".{note.name}.", suffix=".tmp", dir=note.parent)
    try:
        os.write(fd, _note_bytes(owner))
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise
    os.close(fd)
    return Path(name)


def _put_note(note: Path, owner: LockOwner) -> None:
    """Write the note whole, replacing any stale one (we hold the OS lock)."""
    tmp = _write_temp_note(note, owner)
    try:
        from desktop.models.storage.atomic import replace_with_retry

        replace_with_retry(tmp, note)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _create_lock(path: Path, owner: LockOwner) -> None:
    """Create the note only if none exists, whole in one step (``FileExistsError`` otherwise)."""
    tmp = _write_temp_note(path, owner)
    try:
        try:
            os.link(tmp, path)  # atomic: the name appears with its complete content
            return
        except FileExistsError:
            raise
        except OSError:  # no hard links here (FAT, some shares): O_EXCL, content follows
            pass
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            os.write(fd, _note_bytes(owner))
            os.fsync(fd)
        except BaseException:
            os.close(fd)
            with contextlib.suppress(OSError):
                path.unlink()
            raise
        os.close(fd)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def _note_is_fresh(note: Path) -> bool:
    try:
        return time.time() - note.stat().st_mtime < _FRESH_SECONDS
    except OSError:
        return False


class WorkbookLock:
    """A held workbook lock (OS lock + owner note); :meth:`release` drops both (idempotent)."""

    def __init__(self, path: Path, owner: LockOwner, os_lock: OsLock | None = None) -> None:
        #: The owner note's path.
        self.path = path
        self.owner = owner
        self.os_lock = os_lock

    @property
    def held(self) -> bool:
        """Whether this lock has not been released yet."""
        return self.os_lock.held if self.os_lock is not None else self._note_held

    _note_held = True

    @property
    def identity(self) -> tuple[int, int] | None:
        """The locked file's identity (device, inode), or None without an OS lock."""
        return self.os_lock.identity if self.os_lock is not None else None

    def release(self) -> None:
        """Remove the note if it still names this process, then unlock. Safe to call twice."""
        if not self.held:
            return
        self._note_held = False
        current = read_lock(self.path)
        if current is None or (current.host == self.owner.host and current.pid == self.owner.pid):
            with contextlib.suppress(OSError):
                self.path.unlink()
        if self.os_lock is not None:  # after the note: a successor's note is never removed by us
            self.os_lock.release()


def _new_owner(os_lock: bool) -> LockOwner:
    return LockOwner(
        host=this_host(),
        pid=os.getpid(),
        user=_current_user(),
        since=_dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        os_lock=os_lock,
    )


def _held_by(holder: LockOwner | None, *, breakable: bool) -> LockRefusal:
    if holder is not None and holder.host == this_host() and holder.pid == os.getpid():
        return LockRefusal("此工作簿已在本程序中打开")
    if holder is None or holder.pid == 0 and not holder.host:
        return LockRefusal("此工作簿正由另一个程序编辑", holder, breakable)
    return LockRefusal(f"此工作簿正由 {holder.describe()} 编辑", holder, breakable)


def _folder_refusal(exc: OSError) -> LockRefusal:
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS) and getattr(exc, "winerror", None) not in (32, 33):
        return LockRefusal("工作簿所在文件夹是只读的")
    return LockRefusal(f"无法在工作簿所在文件夹建立锁文件（{describe_os_error(exc)}）")


def acquire(path: str | os.PathLike[str]) -> tuple[WorkbookLock | None, LockRefusal | None]:
    """Take the workbook's lock: ``(lock, None)``, or ``(None, refusal)`` saying why not.

    ``path`` must exist (the lock is on the file). The caller compares ``lock.identity`` with the
    file it then opens by name.
    """
    target = Path(path)
    note = lock_path_for(target)
    for _attempt in range(5):
        try:
            held = try_lock(target)
        except LockUnsupported:
            return _acquire_note_only(note)
        except FileNotFoundError:
            return None, LockRefusal(f"找不到文件：{target}")
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS) and getattr(exc, "winerror", None) not in (32, 33):
                return None, LockRefusal("工作簿文件是只读的")
            return None, LockRefusal(f"无法锁定工作簿文件（{describe_os_error(exc)}）")
        if held is None:
            return None, _held_by(read_lock(note), breakable=False)
        try:
            now = os.stat(target)
        except OSError:
            now = None
        if now is None or (now.st_dev, now.st_ino) != held.identity:  # replaced meanwhile: lock the new file
            held.release()
            continue
        holder = read_lock(note)
        if holder is not None and not holder.os_lock and not _legacy_stale(holder):
            held.release()  # a note of an older program version that may still be editing
            return None, _held_by(holder, breakable=True)
        if not os.access(note.parent, os.W_OK):
            held.release()
            return None, LockRefusal("工作簿所在文件夹是只读的")
        owner = _new_owner(os_lock=True)
        try:
            _put_note(note, owner)
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
                held.release()
                return None, _folder_refusal(exc)
            # disk full and the like: the OS lock alone keeps others out; no note is left half-written
        except Exception as exc:  # UserError from the retry (a sharing violation that did not end)
            del exc
        return WorkbookLock(note, owner, held), None
    return None, LockRefusal("无法取得工作簿的锁（文件在被反复替换）")


def adopt_lock(path: str | os.PathLike[str], held: OsLock | None) -> tuple[WorkbookLock | None, LockRefusal | None]:
    """Make a workbook lock of an OS lock taken on a file before it was renamed to ``path``.

    ``held`` None means the file system has no byte-range locks: the note alone is taken.
    """
    target = Path(path)
    note = lock_path_for(target)
    if held is None:
        return _acquire_note_only(note)
    try:
        now = os.stat(target)
    except OSError:
        now = None
    if now is None or (now.st_dev, now.st_ino) != held.identity:
        held.release()
        return None, LockRefusal("工作簿文件刚被其他程序替换")
    owner = _new_owner(os_lock=True)
    with contextlib.suppress(Exception):  # the OS lock alone keeps others out; the note only names us
        _put_note(note, owner)
    return WorkbookLock(note, owner, held), None


def _legacy_stale(holder: LockOwner) -> bool:
    """A note without the OS-lock mark is stale when garbled or its process on this host is gone."""
    return holder.pid == 0 or (holder.host == this_host() and holder.pid != os.getpid() and not pid_alive(holder.pid))


def _acquire_note_only(note: Path) -> tuple[WorkbookLock | None, LockRefusal | None]:
    owner = _new_owner(os_lock=False)
    for _attempt in range(3):
        try:
            _create_lock(note, owner)
            return WorkbookLock(note, owner), None
        except FileExistsError:
            holder = read_lock(note)
            if holder is None:  # removed meanwhile: try again
                continue
            if holder.pid == 0 and _note_is_fresh(note):  # being written by a program starting now
                return None, _held_by(None, breakable=False)
            if _legacy_stale(holder):
                with contextlib.suppress(FileNotFoundError):
                    note.unlink()
                continue
            return None, _held_by(holder, breakable=True)
        except OSError as exc:
            return None, _folder_refusal(exc)
    return None, LockRefusal("无法取得工作簿的锁文件")


def acquire_lock(path: str | os.PathLike[str]) -> tuple[WorkbookLock | None, str]:
    """:func:`acquire` with only the Chinese reason (kept for callers that need no more)."""
    lock, refusal = acquire(path)
    return lock, refusal.reason if refusal is not None else ""


def break_lock(path: str | os.PathLike[str], owner: LockOwner) -> bool:
    """Remove the owner note of ``path`` if it still names ``owner`` and no OS lock is held.

    For the window's 「强制解除锁定」 after the user confirmed the owner's name. Returns whether the
    note is gone. A workbook whose OS lock is held (a live program on any host) is never broken.
    """
    target = Path(path)
    note = lock_path_for(target)
    try:
        held = try_lock(target)
    except LockUnsupported:
        held = None
        supported = False
    except OSError:
        return False
    else:
        supported = True
        if held is None:
            return False
    try:
        current = read_lock(note)
        if current is None:
            return True
        if (current.host, current.pid, current.user, current.since) != (owner.host, owner.pid, owner.user, owner.since):
            return False
        try:
            note.unlink()
        except FileNotFoundError:
            pass
        except OSError:
            return False
        return True
    finally:
        if supported and held is not None:
            held.release()


def read_only_message(refusal: LockRefusal | str) -> str:
    """The message shown when a workbook is opened read-only for this reason."""
    if isinstance(refusal, str):
        refusal = LockRefusal(refusal)
    if refusal.holder is not None or "本程序中打开" in refusal.reason or "另一个程序" in refusal.reason:
        tail = "修改请等对方关闭后重新打开，或“另存为”一个新文件。"
        if refusal.breakable:
            tail += "如果确认对方已不再使用它，可以“强制解除锁定”。"
        return f"{refusal.reason}，已以只读方式打开。{tail}"
    return f"{refusal.reason}，已以只读方式打开。如需修改，请“另存为”到可写的位置。"


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
    winerror = getattr(exc, "winerror", None)
    if winerror == 112:  # ERROR_DISK_FULL (errno may be none or EINVAL)
        return WorkbookFileError(_KNOWN[0][1])
    if winerror in (32, 33):
        return WorkbookFileError(f"工作簿{describe_os_error(exc)}。修改未能保存。")
    if isinstance(winerror, int) and winerror != 5:  # a precise Windows reason beats the mapped errno
        return WorkbookFileError(f"读写工作簿文件时出错：{describe_os_error(exc)}。修改未能保存。")
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
