"""Start-up on the PCs the users have: local app data, an unusable or unreachable Documents, an offline share.

Windows is simulated: ``QStandardPaths`` answers with separate roaming and local folders, as it does on
Windows (on Linux both are ``~/.local/share``); refused writes carry the Windows error numbers.
"""

from __future__ import annotations

import errno
import os
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from PySide6.QtCore import QStandardPaths
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from desktop import app, places
from desktop.models.errors import UserError
from desktop.models.storage import store
from desktop.models.workbook.domain import Unit, Workbook

pytestmark = pytest.mark.usefixtures("qapp_setup")

Location = QStandardPaths.StandardLocation


@pytest.fixture
def windows_folders(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, Path]:
    """A user whose standard folders are laid out as on Windows (roaming and local app data apart)."""
    folders = {
        "roaming": tmp_path / "AppData" / "Roaming" / "jixiao" / "jixiao",
        "local": tmp_path / "AppData" / "Local" / "jixiao" / "jixiao",
        "documents": tmp_path / "Documents",
    }
    answers = {
        Location.AppDataLocation: folders["roaming"],
        Location.AppLocalDataLocation: folders["local"],
        Location.DocumentsLocation: folders["documents"],
    }
    real = QStandardPaths.writableLocation

    def writable_location(location: QStandardPaths.StandardLocation) -> str:
        return str(answers[location]) if location in answers else real(location)

    monkeypatch.setattr(QStandardPaths, "writableLocation", staticmethod(writable_location))
    monkeypatch.setenv("HOME", str(tmp_path))
    return folders


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts of the warning boxes shown (instead of showing them)."""
    shown: list[str] = []

    def warning(_parent: QWidget | None, _title: str, text: str, *args: object) -> QMessageBox.StandardButton:
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "warning", staticmethod(warning))
    return shown


@pytest.fixture
def release() -> Iterator[threading.Event]:
    """Blocked file-system calls wait for this; set when the test ends."""
    event = threading.Event()
    yield event
    event.set()


def test_backups_and_the_log_go_to_local_app_data(qtbot: Any, windows_folders: dict[str, Path]) -> None:
    roaming, local = windows_folders["roaming"], windows_folders["local"]
    assert app.error_log_path() == local / "error.log"
    assert app.backups_dir() == local / "backups"
    assert Path(app.app_settings().fileName()) == roaming / "settings.ini"  # settings may roam: small
    window = app.open_main_window(None)
    qtbot.addWidget(window)
    assert window.session is not None
    assert window.data_dir == str(local)
    window.close()
    assert list((local / "backups").iterdir())  # opening the sample made its backup, locally
    assert not (roaming / "backups").exists()


def test_backups_of_an_earlier_version_move_from_roaming_to_local(windows_folders: dict[str, Path]) -> None:
    old = windows_folders["roaming"] / "backups" / "示例工作簿-20260101-080000.jxdb"
    old.parent.mkdir(parents=True)
    old.write_bytes(b"backup")
    app.move_roaming_backups()
    assert (windows_folders["local"] / "backups" / old.name).read_bytes() == b"backup"
    assert not old.parent.exists()


def test_documents_that_cannot_hold_a_folder_fall_back_to_local_app_data(
    qtbot: Any, windows_folders: dict[str, Path], boxes: list[str]
) -> None:
    windows_folders["documents"].write_bytes(b"")  # "Documents" is not a folder that can hold one
    place = app.documents_place()
    fallback = windows_folders["local"] / "预算绩效"
    assert place.folder == fallback and place.notice is not None
    assert "无法在“文档”文件夹中建立" in place.notice and str(fallback) in place.notice
    window = app.open_main_window(None)  # no exception escapes the start
    qtbot.addWidget(window)
    assert window.session is not None and window.session.document.path == str(fallback / "示例工作簿.jxdb")
    assert window.documents_dir == str(fallback)
    qtbot.waitUntil(lambda: boxes == [place.notice])  # said once, in a box
    window.close()
    again = app.open_main_window(None)  # the same reason at the next start: the status bar only
    qtbot.addWidget(again)
    qtbot.waitUntil(lambda: again.statusBar().currentMessage() == place.notice)
    assert boxes == [place.notice]
    again.close()


def test_controlled_folder_access_refusing_the_first_write(
    windows_folders: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Defender lets the folder be made but refuses files in it: WinError 5, access denied."""
    documents = windows_folders["documents"]
    real_mkstemp = tempfile.mkstemp

    def mkstemp(*args: Any, **kwargs: Any) -> tuple[int, str]:
        if str(kwargs.get("dir", "")).startswith(str(documents)):
            raise PermissionError(errno.EACCES, "拒绝访问。", str(kwargs["dir"]), 5)
        return real_mkstemp(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    place = app.documents_place()
    assert place.folder == windows_folders["local"] / "预算绩效" and place.folder.is_dir()
    assert place.notice is not None and "Traceback" not in place.notice and "Errno" not in place.notice
    assert app.copy_sample_workbook().parent == place.folder  # the sample lands in the fallback


def test_documents_that_do_not_answer_fall_back_without_freezing(
    windows_folders: dict[str, Path], monkeypatch: pytest.MonkeyPatch, release: threading.Event
) -> None:
    """Documents redirected to a server that is offline: every call blocks for the SMB time-out."""
    documents = windows_folders["documents"]
    real_mkdir = Path.mkdir

    def mkdir(self: Path, *args: Any, **kwargs: Any) -> None:
        if str(self).startswith(str(documents)):
            release.wait()
        real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", mkdir)
    place = app.documents_place(timeout=0.3)
    assert place.folder == windows_folders["local"] / "预算绩效"
    assert place.notice is not None and "没有响应" in place.notice


def test_an_unreachable_last_workbook_does_not_freeze_the_start(
    qtbot: Any,
    windows_folders: dict[str, Path],
    boxes: list[str],
    monkeypatch: pytest.MonkeyPatch,
    release: threading.Event,
) -> None:
    offline = "\\\\server-that-is-off\\财务\\2026年.jxdb"
    settings = app.app_settings()
    settings.setValue("last_workbook", offline)
    settings.sync()
    real_exists = os.path.exists

    def exists(path: str) -> bool:
        if path == offline:
            release.wait()  # blocks until the test ends: without a time limit the start would hang
        return real_exists(path)

    monkeypatch.setattr(os.path, "exists", exists)
    monkeypatch.setattr(places, "PROBE_TIMEOUT_S", 0.3)
    with pytest.raises(UserError, match="没有响应"):
        app.startup_path(None, settings, timeout=0.3)
    window = app.open_main_window(None)
    qtbot.addWidget(window)
    assert window.session is None  # the start page, with the recent list
    assert len(boxes) == 1 and offline in boxes[0]
    window.close()


def test_a_workbook_in_onedrive_opens_with_a_warning(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, boxes: list[str]
) -> None:
    from PySide6.QtCore import QSettings

    from desktop.views.main_window import MainWindow

    onedrive = tmp_path / "OneDrive - 某某局"
    monkeypatch.setenv("OneDriveCommercial", str(onedrive))
    path = onedrive / "文档" / "2026年.jxdb"
    path.parent.mkdir(parents=True)
    store.create_workbook_file(path, Workbook(unit=Unit("1", "某某局"), year=2026)).close()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings, documents_dir=str(tmp_path), data_dir=str(tmp_path / "data"))
    qtbot.addWidget(window)
    assert window.open_path(str(path))
    assert window.session is not None
    assert window.location_label.text() == "⚠ 位于同步文件夹"
    assert str(onedrive) in window.location_label.toolTip() and "冲突副本" in window.location_label.toolTip()
    assert "冲突副本" in window.statusBar().currentMessage()
    local = tmp_path / "本机" / "a.jxdb"
    local.parent.mkdir()
    store.create_workbook_file(local, Workbook(unit=Unit("1", "某某局"), year=2026)).close()
    assert window.open_path(str(local))
    assert window.location_label.text() == ""
    assert boxes == []  # a warning, not an error box
    window.close()


def test_a_dark_system_palette_is_replaced_by_a_light_one() -> None:
    """Windows 11 dark mode: the fixed pale backgrounds would carry white text."""
    qt = QApplication.instance()
    assert isinstance(qt, QApplication)
    saved_palette, saved_style = qt.palette(), qt.style().name()
    dark = QPalette(saved_palette)
    for role, colour in (
        (QPalette.ColorRole.Window, "#202020"),
        (QPalette.ColorRole.Base, "#1c1c1c"),
        (QPalette.ColorRole.WindowText, "#ffffff"),
        (QPalette.ColorRole.Text, "#ffffff"),
    ):
        dark.setColor(role, QColor(colour))
    try:
        qt.setPalette(dark)
        assert app.is_dark(qt.palette())
        app.force_light_palette(qt)
        palette = qt.palette()
        assert not app.is_dark(palette)
        assert palette.color(QPalette.ColorRole.Text).lightness() < 100  # dark text
        assert palette.color(QPalette.ColorRole.Base).lightness() > 200  # on a light field
    finally:
        qt.setStyle(saved_style)
        qt.setPalette(saved_palette)
