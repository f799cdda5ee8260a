"""Where files are: checks that must not freeze the window, and places that are risky for a workbook.

Qt-free, so the start-up code and the views share it and tests run it without a screen.

- ``exists_within(path, timeout)``: ``os.path.exists`` in a worker thread. A recent file on a share
  that is offline (Windows "Documents" redirected to a server, a mapped drive of another office)
  blocks ``stat`` for the SMB time-out, 20 s or more; the caller gets ``None`` ("no answer") instead.
- ``usable_folder(folder, timeout)``: create the folder and prove a file can be written in it (Defender's
  controlled folder access lets ``mkdir`` or the first write fail with "access denied").
- ``location_warning(path)``: a Chinese warning when a workbook sits in a OneDrive (or other
  sync-client) folder or on a network share, where every edit is a write that the sync client may
  turn into a conflict copy, or that a dropped network loses.
"""

from __future__ import annotations

import ntpath
import os
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import NamedTuple, TypeVar

_T = TypeVar("_T")

PROBE_TIMEOUT_S = 3.0

# Environment variables the OneDrive client sets to its folders (personal, work or school).
ONEDRIVE_VARIABLES = ("OneDrive", "OneDriveCommercial", "OneDriveConsumer")
# Folder names of sync clients common on government PCs (a path part that starts with one of them).
SYNC_FOLDER_NAMES = ("OneDrive", "坚果云", "Nutstore", "百度网盘同步", "WPS云盘", "WPSDrive", "Dropbox")
# File-system types of network mounts on Linux (/proc/self/mountinfo); gvfs is how UOS/Kylin file
# managers mount an smb:// share for the user.
NETWORK_FS_TYPES = frozenset(
    {"cifs", "smb3", "smbfs", "nfs", "nfs4", "fuse.sshfs", "fuse.gvfsd-fuse", "fuse.davfs", "davfs", "9p"}
)
DRIVE_REMOTE = 4  # GetDriveTypeW
PLATFORM = sys.platform


class NoAnswer(Exception):
    """The file system did not answer within the time allowed."""


def within(work: Callable[[], _T], timeout: float) -> _T:
    """Run ``work`` in a daemon thread; its result, its exception, or ``NoAnswer`` after ``timeout`` s.

    A thread blocked in the kernel cannot be stopped: it is left to finish on its own (daemon, so it
    never holds the program open).
    """
    box: list[_T] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            box.append(work())
        except BaseException as exc:  # handed to the caller's thread
            errors.append(exc)

    thread = threading.Thread(target=run, name="jixiao-probe", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise NoAnswer
    if errors:
        raise errors[0]
    return box[0]


def exists_within(path: str, timeout: float | None = None) -> bool | None:
    """Whether ``path`` exists; None when the file system did not answer in time."""
    try:
        return within(lambda: os.path.exists(path), PROBE_TIMEOUT_S if timeout is None else timeout)
    except NoAnswer:
        return None


def usable_folder(folder: Path, timeout: float | None = None) -> None:
    """Create ``folder`` if needed and write (then delete) a small file in it.

    Raises ``OSError`` when that fails and ``NoAnswer`` when the folder does not answer in time.
    """

    def probe() -> None:
        folder.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=".jixiao-", suffix=".tmp", dir=folder)
        os.close(handle)
        os.unlink(name)

    within(probe, PROBE_TIMEOUT_S if timeout is None else timeout)


# ---- places risky for a workbook ------------------------------------------------------------------


def _windows_like(path: str) -> bool:
    return "\\" in path or (len(path) > 1 and path[1] == ":")


def _under(path: str, folder: str) -> bool:
    if _windows_like(path) or _windows_like(folder):
        p, f = ntpath.normcase(ntpath.normpath(path)), ntpath.normcase(ntpath.normpath(folder))
        return p == f or p.startswith(f.rstrip("\\") + "\\")
    p, f = os.path.normpath(path), os.path.normpath(folder)
    return p == f or p.startswith(f.rstrip("/") + "/")


def sync_folder(path: str, environ: Mapping[str, str]) -> str | None:
    """The sync folder (OneDrive and the like) that holds ``path``, or None."""
    for variable in ONEDRIVE_VARIABLES:
        folder = environ.get(variable, "")
        if folder and _under(path, folder):
            return folder
    pure = PureWindowsPath(path) if _windows_like(path) else PurePosixPath(path)
    names = tuple(name.casefold() for name in SYNC_FOLDER_NAMES)
    for parent in reversed(pure.parents):
        if parent.name.casefold().startswith(names):
            return str(parent)
    return None


def _mount_fs_type(path: str, mountinfo: Iterable[str]) -> str | None:
    """The file-system type of the mount holding ``path`` (the longest matching mount point)."""
    best, best_type = "", None
    for line in mountinfo:
        fields = line.split()
        if " - " not in line or len(fields) < 5:
            continue
        mount_point = fields[4].replace("\\040", " ")
        fs_type = line.split(" - ", 1)[1].split()[0]
        if _under(path, mount_point) and len(mount_point) >= len(best):
            best, best_type = mount_point, fs_type
    return best_type


def _read_mountinfo() -> list[str]:
    try:
        with open("/proc/self/mountinfo", encoding="utf-8", errors="replace") as handle:
            return handle.readlines()
    except OSError:
        return []


def _windows_drive_type(root: str) -> int:  # pragma: no cover - Windows only
    import ctypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined,unused-ignore]
    return int(kernel32.GetDriveTypeW(ctypes.c_wchar_p(root)))


def on_network_share(
    path: str,
    drive_type: Callable[[str], int] | None = None,
    mountinfo: Iterable[str] | None = None,
) -> bool:
    """Whether ``path`` is on a network share: a UNC path, a mapped network drive, a network mount."""
    normalized = path.replace("/", "\\") if _windows_like(path) or path.startswith("//") else path
    if normalized.startswith("\\\\"):
        # \\?\C:\… is a long local path; \\?\UNC\server\… and \\server\share\… are shares.
        return not normalized.startswith("\\\\?\\") or normalized[4:].upper().startswith("UNC\\")
    if _windows_like(path):
        if drive_type is None and PLATFORM != "win32":
            return False
        root = ntpath.splitdrive(path)[0] + "\\"
        return (drive_type or _windows_drive_type)(root) == DRIVE_REMOTE
    if PLATFORM.startswith("linux") or mountinfo is not None:
        fs_type = _mount_fs_type(path, _read_mountinfo() if mountinfo is None else mountinfo)
        return fs_type in NETWORK_FS_TYPES
    return False


class LocationWarning(NamedTuple):
    """Why a workbook's place is risky: a status-bar label, a one-line summary and the full advice."""

    label: str
    summary: str
    details: str


def location_warning(
    path: str,
    environ: Mapping[str, str] | None = None,
    drive_type: Callable[[str], int] | None = None,
    mountinfo: Iterable[str] | None = None,
) -> LocationWarning | None:
    """A Chinese warning when the workbook at ``path`` sits in a sync folder or on a network share."""
    folder = sync_folder(path, os.environ if environ is None else environ)
    if folder is not None:
        return LocationWarning(
            "⚠ 位于同步文件夹",
            "此工作簿位于同步文件夹中，编辑时可能产生“冲突副本”；建议复制到本机文件夹填写。",
            f"此工作簿位于同步文件夹（{folder}）中：每次修改都会立即写入文件，同步程序可能在编辑时生成"
            "“冲突副本”，两台电脑同时编辑时修改会丢失。建议把工作簿复制到本机文件夹（未同步的）中填写，"
            "填完后再放回。",
        )
    if on_network_share(path, drive_type, mountinfo):
        return LocationWarning(
            "⚠ 位于网络共享",
            "此工作簿位于网络共享文件夹中，网络中断时修改可能无法写入；建议复制到本机填写。",
            "此工作簿位于网络共享文件夹中：网络中断时修改可能无法写入，打开和保存也较慢。"
            "另一台电脑打开时只能只读。建议复制到本机填写，填完后再放回共享文件夹。",
        )
    return None
