"""Start-up: font and Chinese Qt dialogs, where the app writes, first start, reopening, the error hook."""

from __future__ import annotations

import os
import subprocess
import sys
import traceback
from pathlib import Path
from typing import Any

import pytest

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from desktop import app
from desktop.models.errors import UserError
from desktop.models.formats import interchange
from desktop.models.storage import store
from desktop.resources import FONT_FAMILY, SAMPLE_WORKBOOK, resource_path

pytestmark = pytest.mark.usefixtures("qapp_setup")


@pytest.fixture
def home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A fresh user: empty home, documents and app-data folders under tmp_path."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path


def test_bundled_font_is_the_ui_font_and_qt_speaks_chinese() -> None:
    instance = QApplication.instance()
    assert isinstance(instance, QApplication)
    assert FONT_FAMILY in QFontDatabase.families()
    assert instance.font().family() == FONT_FAMILY
    assert instance.applicationDisplayName() == "预算绩效填报"
    assert (Path(app.qt_translations_dir()) / "qtbase_zh_CN.qm").exists()
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel | QDialogButtonBox.StandardButton.Yes)
    assert sorted(b.text() for b in buttons.buttons()) == sorted(["取消", "是(&Y)"])
    app.setup_application(instance)  # idempotent
    assert instance.font().family() == FONT_FAMILY


def test_writes_only_to_documents_and_app_data(home: Path) -> None:
    assert app.app_data_dir() == home / "data" / "jixiao" / "jixiao"
    assert app.documents_dir() == home / "Documents" / "预算绩效"
    settings = app.app_settings()
    settings.setValue("x", 1)
    settings.sync()
    assert Path(settings.fileName()) == app.app_data_dir() / "settings.ini"
    assert (app.app_data_dir() / "settings.ini").exists()


def test_first_start_copies_the_sample_then_reopens_the_last(home: Path) -> None:
    settings = app.app_settings()
    first = app.startup_path(None, settings)
    assert first == str(home / "Documents" / "预算绩效" / "示例工作簿.jxdb")
    expected = interchange.load_path(str(resource_path(*SAMPLE_WORKBOOK)))
    assert interchange.dumps(store.load_any(first)) == interchange.dumps(expected)
    other = home / "Documents" / "other.jxdb"
    store.create_workbook_file(other, expected).close()
    settings.setValue("last_workbook", str(other))
    assert app.startup_path(None, settings) == str(other)
    assert app.startup_path("given.jxdb", settings) == os.path.abspath("given.jxdb")
    other.unlink()  # the last workbook is gone: back to the sample (kept as the user left it)
    assert app.startup_path(None, settings) == first


def test_open_main_window_first_and_second_start(qtbot: Any, home: Path) -> None:
    window = app.open_main_window(None)
    qtbot.addWidget(window)
    assert window.session is not None
    sample = str(home / "Documents" / "预算绩效" / "示例工作簿.jxdb")
    assert window.session.document.path == sample
    assert window.windowTitle().startswith("示例工作簿.jxdb")
    assert window.session.document.workbook.forms  # a filled example at once
    window.close()
    assert app.app_settings().value("last_workbook") == sample
    again = app.open_main_window(None)
    qtbot.addWidget(again)
    assert again.session is not None and again.session.document.path == sample
    again.close()


def test_unexpected_errors_show_a_chinese_message_and_go_to_the_log(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []

    def fake_exec(box: QMessageBox) -> int:
        shown.append(box.text())
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    try:
        raise ValueError("boom")
    except ValueError as exc:
        app.excepthook(ValueError, exc, exc.__traceback__)
    assert len(shown) == 1 and "意外错误" in shown[0] and "Traceback" not in shown[0] and "boom" not in shown[0]
    log = app.error_log_path().read_text("utf-8")
    assert "ValueError: boom" in log and "Traceback" in log
    error = UserError("磁盘空间不足")
    app.excepthook(UserError, error, None)
    assert shown[-1] == "磁盘空间不足"


def test_run_gui_starts_and_quits_cleanly(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "QT_QPA_PLATFORM": "offscreen",
    }
    code = (
        "import sys\n"
        "from PySide6.QtCore import QTimer\n"
        "from desktop import app\n"
        "qt = app.create_application([])\n"
        # quit() before exec() is a no-op in Qt 6, and run_gui paints the window with
        # processEvents() before exec(): on a slow machine a one-shot quit can land there
        # and the program would run on. A repeating timer keeps trying.
        # It quits once the start workbook is open, however slow the machine.
        "def tick():\n"
        "    if any(getattr(w, 'session', None) is not None for w in qt.topLevelWidgets()):\n"
        "        qt.quit()\n"
        "ticker = QTimer()\n"
        "ticker.timeout.connect(tick)\n"
        "ticker.start(100)\n"
        "sys.exit(app.run_gui(None))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert (tmp_path / "Documents" / "预算绩效" / "示例工作簿.jxdb").exists()
    assert (tmp_path / "data" / "jixiao" / "jixiao" / "settings.ini").exists()


def test_log_exception_survives_an_unwritable_folder(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse() -> Path:
        raise OSError("read-only")

    monkeypatch.setattr(app, "error_log_path", refuse)
    exc = RuntimeError("x")
    assert app.log_exception(RuntimeError, exc, None) is None
    assert traceback.format_exception_only(RuntimeError, exc)


def test_starting_with_an_excel_file_imports_it_into_the_start_workbook(
    qtbot: Any, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.reports.xlsx import export_xlsx
    from desktop.views.dialogs import Prompter
    from tests.helpers.fixtures import load_sample

    source = home / "去年目标表.xlsx"
    export_xlsx(load_sample("tianjin-zwfw-2025-targets.json"), source, forms=[0])
    monkeypatch.setattr(Prompter, "confirm", lambda self, title, text, details="": True)  # the user agrees to import
    window = app.open_main_window(str(source))
    qtbot.addWidget(window)
    assert window.session is not None
    assert window.session.document.path == str(home / "Documents" / "预算绩效" / "示例工作簿.jxdb")
    assert window.session.document.workbook.forms[-1].title == "2025年度等级保护测评等网络安全项目"
    window.close()
