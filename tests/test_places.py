"""desktop/places.py: checks with a time limit, and the sync-folder / network-share warning.

Windows paths are checked on Linux by giving the functions what Windows would answer (the OneDrive
environment variables, ``GetDriveTypeW``), as the issue asks: no Windows PC is available here.
"""

from __future__ import annotations

import errno
import os
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop import places

DRIVE_FIXED = 3


def fixed(_root: str) -> int:
    return DRIVE_FIXED


@pytest.fixture
def release() -> Iterator[threading.Event]:
    """An event that blocked file-system calls wait for; set at the end of the test, freeing them."""
    event = threading.Event()
    yield event
    event.set()


def test_onedrive_folders_from_the_environment_warn() -> None:
    environ = {"OneDriveCommercial": "C:\\Users\\张三\\OneDrive - 某某局", "OneDrive": "C:\\Users\\张三\\OneDrive"}
    path = "c:\\users\\张三\\onedrive - 某某局\\文档\\预算绩效\\2026年.jxdb"  # Windows paths ignore case
    warning = places.location_warning(path, environ, drive_type=fixed)
    assert warning is not None and "同步文件夹（C:\\Users\\张三\\OneDrive - 某某局）" in warning.details
    assert "冲突副本" in warning.summary and warning.label == "⚠ 位于同步文件夹"
    local = "C:\\Users\\张三\\Documents\\预算绩效\\2026年.jxdb"
    assert places.location_warning(local, environ, drive_type=fixed) is None


def test_sync_folders_by_name() -> None:
    assert places.sync_folder("D:\\坚果云\\单位\\a.jxdb", {}) == "D:\\坚果云"
    assert places.sync_folder("/home/张三/OneDrive/a.jxdb", {}) == "/home/张三/OneDrive"
    assert places.sync_folder("/home/张三/文档/OneDrive备忘.jxdb", {}) is None  # a file name, not a folder


@pytest.mark.parametrize(
    ("path", "share"),
    [
        ("\\\\fileserver\\财务科\\预算绩效\\a.jxdb", True),
        ("//fileserver/财务科/a.jxdb", True),
        ("\\\\?\\UNC\\fileserver\\财务科\\a.jxdb", True),
        ("\\\\?\\C:\\很长的路径\\a.jxdb", False),
    ],
)
def test_unc_paths_are_shares(path: str, share: bool) -> None:
    assert places.on_network_share(path, drive_type=fixed) is share
    assert (places.location_warning(path, {}, drive_type=fixed) is not None) is share


def test_a_mapped_network_drive_is_a_share() -> None:
    remote = {"Z:\\": places.DRIVE_REMOTE, "C:\\": DRIVE_FIXED}
    assert places.on_network_share("Z:\\预算绩效\\a.jxdb", drive_type=remote.__getitem__)
    assert not places.on_network_share("C:\\预算绩效\\a.jxdb", drive_type=remote.__getitem__)
    warning = places.location_warning("Z:\\a.jxdb", {}, drive_type=remote.__getitem__)
    assert warning is not None and "网络共享文件夹" in warning.summary and warning.label == "⚠ 位于网络共享"


MOUNTINFO = [
    "22 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw",
    "40 22 0:40 / /mnt/财务 rw,relatime - cifs //server/share rw,vers=3.0",
    "41 22 0:41 / /run/user/1000/gvfs rw - fuse.gvfsd-fuse gvfsd-fuse rw",
    "42 22 0:42 / /media/u/U\\040盘 rw - vfat /dev/sdb1 rw",
]


@pytest.mark.parametrize(
    ("path", "share"),
    [
        ("/mnt/财务/预算绩效/a.jxdb", True),
        ("/run/user/1000/gvfs/smb-share:server=fs,share=财务/a.jxdb", True),  # UOS/Kylin file manager
        ("/home/张三/文档/预算绩效/a.jxdb", False),
        ("/media/u/U 盘/a.jxdb", False),  # a USB stick is local
        ("/mnt/财务2/a.jxdb", False),  # not under /mnt/财务
    ],
)
def test_linux_network_mounts(path: str, share: bool) -> None:
    assert places.on_network_share(path, mountinfo=MOUNTINFO) is share


def test_exists_within_answers_or_gives_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, release: threading.Event
) -> None:
    (tmp_path / "a.jxdb").write_bytes(b"x")
    assert places.exists_within(str(tmp_path / "a.jxdb")) is True
    assert places.exists_within(str(tmp_path / "b.jxdb")) is False
    real_exists = os.path.exists
    offline = "\\\\offline-server\\share\\a.jxdb"

    def exists(path: str) -> bool:
        if path == offline:  # an SMB server that is off: stat blocks for the network time-out
            release.wait()
        return real_exists(path)

    monkeypatch.setattr(os.path, "exists", exists)
    assert places.exists_within(offline, timeout=0.2) is None  # returns although the call still blocks
    assert places.exists_within(str(tmp_path / "a.jxdb"), timeout=5) is True


def test_usable_folder_creates_and_proves_writable(tmp_path: Path) -> None:
    folder = tmp_path / "文档" / "预算绩效"
    places.usable_folder(folder)
    assert folder.is_dir() and list(folder.iterdir()) == []  # the probe file is gone
    (tmp_path / "file").write_bytes(b"")
    with pytest.raises(OSError):
        places.usable_folder(tmp_path / "file" / "预算绩效")


def test_usable_folder_reports_a_refused_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Controlled folder access: the folder exists, creating a file in it is refused (WinError 5)."""

    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, "拒绝访问。", None, 5)

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(PermissionError):
        places.usable_folder(tmp_path / "预算绩效")


def test_within_passes_the_worker_exception_on() -> None:
    def fail() -> None:
        raise FileNotFoundError(errno.ENOENT, "gone")

    with pytest.raises(FileNotFoundError):
        places.within(fail, 5)
