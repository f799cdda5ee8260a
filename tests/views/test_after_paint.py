"""Work left until the first paint: the garbage collector is off while a workbook opens and on again after."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget

from desktop.views import after_paint
from desktop.views.after_paint import gc_held, hold_gc, release_gc, release_gc_after_paint
from desktop.views.main_window import MainWindow
from tests.helpers.fixtures import load_sample
from tests.views.window_helpers import ScriptedPrompter, open_window

pytestmark = pytest.mark.usefixtures("qapp_setup")


@pytest.fixture(autouse=True)
def collector_on() -> Iterator[None]:
    """Each test starts with the collector on and no hold (a window of an earlier test may still wait for its
    paint), and leaves it so."""
    while gc_held():
        release_gc()
    gc.enable()
    yield
    while gc_held():
        release_gc()
    gc.enable()


def test_holds_nest_and_the_last_release_restores_the_collector() -> None:
    hold_gc()
    hold_gc()
    assert not gc.isenabled()
    release_gc()
    assert not gc.isenabled() and gc_held()
    release_gc()
    assert gc.isenabled() and not gc_held()
    release_gc()  # one release too many changes nothing
    assert gc.isenabled()


def test_a_collector_switched_off_before_stays_off() -> None:
    gc.disable()
    hold_gc()
    release_gc()
    assert not gc.isenabled()


def test_opening_a_workbook_holds_the_collector_until_its_first_form_has_painted(qtbot: Any, tmp_path: Path) -> None:
    window, _ = open_window(qtbot, tmp_path, load_sample("wuwei-zwfw-2022-selfeval.json"))
    session = window.session
    assert session is not None
    assert not gc.isenabled()  # open_path has returned; the form has not painted yet
    qtbot.waitUntil(gc.isenabled)
    assert not gc_held() and session.table.model().rowCount() > 0


def test_a_workbook_that_cannot_be_opened_releases_the_collector_at_once(qtbot: Any, tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    prompter = ScriptedPrompter()
    window = MainWindow(settings, prompter, documents_dir=str(tmp_path), data_dir=str(tmp_path / "appdata"))
    qtbot.addWidget(window)
    broken = tmp_path / "broken.jxdb"
    broken.write_bytes(b"not a workbook at all" * 100)
    assert not window.open_path(str(broken))
    assert prompter.errors and gc.isenabled() and not gc_held()


def test_a_widget_that_never_paints_releases_the_collector_after_a_while(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(after_paint, "GC_RESUME_MS", 50)
    hidden = QWidget()  # never shown, so never painted
    qtbot.addWidget(hidden)
    hold_gc()
    release_gc_after_paint(hidden)
    assert not gc.isenabled()
    qtbot.waitUntil(gc.isenabled, timeout=2000)
    assert not gc_held()


def test_the_recent_files_are_written_once_the_first_form_has_painted(qtbot: Any, tmp_path: Path) -> None:
    window, _ = open_window(qtbot, tmp_path, load_sample("wuwei-zwfw-2022-selfeval.json"))
    qtbot.waitUntil(lambda: not window.files.opening.pending)
    on_disk = QSettings(window.settings.fileName(), QSettings.Format.IniFormat)  # what another start would read
    assert on_disk.value("last_workbook") == str(tmp_path / "book.jxdb")
