"""An OS byte-range lock on a workbook file itself, held for as long as the workbook is open.

One byte far beyond any workbook's data (and beyond SQLite's own lock bytes at 1 GiB) is locked
exclusively through a handle of our own:

- Linux: ``fcntl(F_OFD_SETLK)`` — an open-file-description lock, so SQLite closing its own
  descriptors of the same file (which drops classic POSIX locks of the whole process) cannot drop it;
- other POSIX systems: ``flock`` on our own descriptor;
- Windows: ``LockFileEx`` on a handle opened with ``FILE_SHARE_READ | WRITE | DELETE`` (so the
  file can still be replaced by our own atomic rename while locked).

The lock is keyed on the file, not on its name: a symlink or a hard link reaches the same lock. It
dies with its process (crash, power-off of this PC, Windows log-off), so a lock note beside the
file whose byte is not locked is stale on any host. Network shares forward these locks (NFS: POSIX
locks; SMB: byte-range locks) where the server supports them; a file system that supports none
raises :class:`LockUnsupported` and the caller falls back to the note alone.
"""

from __future__ import annotations

import errno
import os
import struct
import sys
from pathlib import Path
from typing import Any

#: Offset of the locked byte: past any workbook (< 2 GiB) and past SQLite's lock bytes (1 GiB + 512).
LOCK_OFFSET = 0x7FFFFF00

_UNSUPPORTED = {errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL}
_HELD = {errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK}


class LockUnsupported(Exception):
    """The file system offers no byte-range locks for this file."""


class OsLock:
    """An exclusive byte-range lock on one file; :meth:`release` closes the handle (idempotent)."""

    def __init__(self, handle: int, identity: tuple[int, int]) -> None:
        self._handle: int | None = handle
        #: (device, inode) — or (volume serial, file index) on Windows — of the locked file.
        self.identity = identity

    @property
    def held(self) -> bool:
        """Whether the lock has not been released."""
        return self._handle is not None

    def release(self) -> None:
        """Unlock and close the handle."""
        handle, self._handle = self._handle, None
        if handle is None:
            return
        if sys.platform == "win32":  # pragma: no cover - Windows only
            _win_close(handle)
        else:
            os.close(handle)  # closing our descriptor drops the OFD/flock lock


def try_lock(path: str | os.PathLike[str]) -> OsLock | None:
    """Lock ``path``'s byte; None if another handle (any process, any host) holds it.

    Raises:
        LockUnsupported: the file system has no byte-range locks.
        OSError: the file cannot be opened for writing (missing, read-only, …).
    """
    if sys.platform == "win32":  # pragma: no cover - Windows only
        return _win_try_lock(Path(path))
    flags = os.O_RDWR | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        if not _posix_lock(fd):
            os.close(fd)
            return None
        info = os.fstat(fd)
    except BaseException:
        os.close(fd)
        raise
    return OsLock(fd, (info.st_dev, info.st_ino))


def _posix_lock(fd: int) -> bool:
    import fcntl

    try:
        if hasattr(fcntl, "F_OFD_SETLK"):
            # struct flock {short l_type; short l_whence; off_t l_start; off_t l_len; pid_t l_pid;}
            raw = struct.pack("hhqqi", fcntl.F_WRLCK, os.SEEK_SET, LOCK_OFFSET, 1, 0)
            fcntl.fcntl(fd, fcntl.F_OFD_SETLK, raw + bytes(max(0, 32 - len(raw))))
        else:  # pragma: no cover - macOS/BSD
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in _HELD:
            return False
        if exc.errno in _UNSUPPORTED:
            raise LockUnsupported(str(exc)) from exc
        raise
    return True


# ---- Windows ------------------------------------------------------------------------------------


def _kernel32() -> Any:  # pragma: no cover - Windows only
    import ctypes

    return ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined,unused-ignore]


def _win_try_lock(path: Path) -> OsLock | None:  # pragma: no cover - Windows only
    import ctypes
    from ctypes import wintypes

    kernel32 = _kernel32()
    create = kernel32.CreateFileW
    create.restype = wintypes.HANDLE
    create.argtypes = [
        wintypes.LPCWSTR,
        wintypes.DWORD,
        wintypes.DWORD,
        wintypes.LPVOID,
        wintypes.DWORD,
        wintypes.DWORD,
        wintypes.HANDLE,
    ]
    generic_rw = 0x80000000 | 0x40000000
    share_all = 0x1 | 0x2 | 0x4
    handle = create(str(path), generic_rw, share_all, None, 3, 0x80, None)  # OPEN_EXISTING, NORMAL
    if handle in (None, wintypes.HANDLE(-1).value):
        code = ctypes.get_last_error()  # type: ignore[attr-defined,unused-ignore]
        raise OSError(None, ctypes.FormatError(code), str(path), code)  # type: ignore[attr-defined,unused-ignore]

    class _Overlapped(ctypes.Structure):
        _fields_ = [
            ("Internal", ctypes.c_void_p),
            ("InternalHigh", ctypes.c_void_p),
            ("Offset", wintypes.DWORD),
            ("OffsetHigh", wintypes.DWORD),
            ("hEvent", wintypes.HANDLE),
        ]

    overlapped = _Overlapped(0, 0, LOCK_OFFSET & 0xFFFFFFFF, LOCK_OFFSET >> 32, None)
    exclusive_fail_immediately = 0x2 | 0x1
    ok = kernel32.LockFileEx(wintypes.HANDLE(handle), exclusive_fail_immediately, 0, 1, 0, ctypes.byref(overlapped))
    if not ok:
        code = ctypes.get_last_error()  # type: ignore[attr-defined,unused-ignore]
        kernel32.CloseHandle(wintypes.HANDLE(handle))
        if code in (33, 158):  # ERROR_LOCK_VIOLATION, ERROR_NOT_LOCKED
            return None
        if code in (1, 50):  # ERROR_INVALID_FUNCTION, ERROR_NOT_SUPPORTED
            raise LockUnsupported(ctypes.FormatError(code))  # type: ignore[attr-defined,unused-ignore]
        raise OSError(None, ctypes.FormatError(code), str(path), code)  # type: ignore[attr-defined,unused-ignore]

    class _Info(ctypes.Structure):
        _fields_ = [
            ("attributes", wintypes.DWORD),
            ("created", wintypes.FILETIME),
            ("accessed", wintypes.FILETIME),
            ("written", wintypes.FILETIME),
            ("volume", wintypes.DWORD),
            ("size_high", wintypes.DWORD),
            ("size_low", wintypes.DWORD),
            ("links", wintypes.DWORD),
            ("index_high", wintypes.DWORD),
            ("index_low", wintypes.DWORD),
        ]

    info = _Info()
    kernel32.GetFileInformationByHandle(wintypes.HANDLE(handle), ctypes.byref(info))
    return OsLock(int(handle), (info.volume, (info.index_high << 32) | info.index_low))


def _win_close(handle: int) -> None:  # pragma: no cover - Windows only
    from ctypes import wintypes

    _kernel32().CloseHandle(wintypes.HANDLE(handle))  # closing the handle releases its locks
