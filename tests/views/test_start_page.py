"""The start page, used like a user would: the recent workbooks, Enter / double-click, 新建 / 打开."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import pytest

from PySide6.QtCore import Qt

from desktop import places
from desktop.models.storage import store
from desktop.models.workbook.domain import Unit, Workbook
from desktop.views.start_page import PATH_ROLE
from tests.helpers.fixtures import load_sample
from tests.views.window_helpers import open_window

pytestmark = pytest.mark.usefixtures("qapp_setup")


def _workbook() -> Workbook:
    return Workbook(unit=Unit("1", "测试单位"), year=2026)


def test_closing_shows_the_recent_workbooks_and_enter_reopens_one(qtbot: Any, tmp_path: Path) -> None:
    window, _ = open_window(qtbot, tmp_path, load_sample("wuwei-zwfw-2022-selfeval.json"))
    assert window.session is not None
    path = window.session.document.path
    window.validate_now()
    assert window.problems_dock.windowTitle().startswith("问题（")
    window.close_document()
    assert window.start_page.isVisible()
    assert window.problems_dock.windowTitle() == "问题"  # no count left over from the closed workbook
    recent = window.start_page.recent
    assert recent.count() == 1 and recent.item(0).data(PATH_ROLE) == path
    recent.setFocus()
    qtbot.keyClick(recent, Qt.Key.Key_Return)
    assert window.session is not None and window.session.document.path == path


def test_a_recent_workbook_that_is_gone_is_marked_and_dropped_when_chosen(qtbot: Any, tmp_path: Path) -> None:
    window, prompter = open_window(qtbot, tmp_path, _workbook())
    assert window.session is not None
    gone = tmp_path / "gone.jxdb"
    store.create_workbook_file(gone, _workbook()).close()
    assert window.open_path(str(gone))
    window.close_document()
    gone.unlink()
    window.start_page.set_recent(window.recent_files())
    recent = window.start_page.recent
    qtbot.waitUntil(lambda: recent.item(0).text().endswith("（已不存在）"))  # asked off the GUI thread
    with qtbot.waitSignal(window.start_page.recentChosen):
        recent.itemActivated.emit(recent.item(0))
    assert prompter.errors and not window.acts.save.isEnabled()  # still no workbook open
    assert [recent.item(n).data(PATH_ROLE) for n in range(recent.count())] == window.recent_files()
    assert str(gone) not in window.recent_files()


def test_the_buttons_start_a_new_or_open_dialog(qtbot: Any, tmp_path: Path) -> None:
    window, prompter = open_window(qtbot, tmp_path, _workbook())
    window.close_document()
    prompter.workbooks.append(None)  # the user cancels 新建工作簿
    qtbot.mouseClick(window.start_page.new_button, Qt.MouseButton.LeftButton)
    assert not prompter.workbooks
    prompter.open_paths.append(None)  # and 打开
    qtbot.mouseClick(window.start_page.open_button, Qt.MouseButton.LeftButton)
    assert not prompter.open_paths


def test_a_recent_workbook_on_an_offline_share_does_not_freeze_the_page(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The existence of a recent file is asked in a worker thread, with a time limit."""
    window, _ = open_window(qtbot, tmp_path, _workbook())
    assert window.session is not None
    here = window.session.document.path
    assert here is not None
    window.close_document()
    offline = "\\\\server-that-is-off\\财务\\2026年.jxdb"
    release = threading.Event()
    real_exists = os.path.exists

    def exists(path: str) -> bool:
        if path == offline:
            release.wait()  # an SMB server that is off: stat blocks for the network time-out
        return real_exists(path)

    monkeypatch.setattr(os.path, "exists", exists)
    monkeypatch.setattr(places, "PROBE_TIMEOUT_S", 0.3)
    try:
        window.start_page.set_recent([offline, here, str(tmp_path / "gone.jxdb")])  # returns at once
        recent = window.start_page.recent
        assert recent.count() == 3
        qtbot.waitUntil(lambda: recent.item(0).text().endswith("（位置没有响应）"))
        qtbot.waitUntil(lambda: recent.item(2).text().endswith("（已不存在）"))
        assert not recent.item(1).text().endswith(("（已不存在）", "（位置没有响应）"))
    finally:
        release.set()


def test_the_answers_are_taken_in_the_gui_thread_and_the_page_stops_listening(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Worker threads only put answers in a queue: no Qt call from a plain Python thread (a hang seen once)."""
    window, _ = open_window(qtbot, tmp_path, _workbook())
    window.close_document()
    page = window.start_page
    marked_in: list[threading.Thread] = []
    real_answer = page._on_answer

    def on_answer(path: str, exists: bool | None) -> None:
        marked_in.append(threading.current_thread())
        real_answer(path, exists)

    monkeypatch.setattr(page, "_on_answer", on_answer)
    page.set_recent([str(tmp_path / "a.jxdb"), str(tmp_path / "b.jxdb")])
    qtbot.waitUntil(lambda: all(page.recent.item(n).text().endswith("（已不存在）") for n in range(2)))
    assert marked_in == [threading.main_thread()] * 2
    qtbot.waitUntil(lambda: not page._drain.isActive())  # nothing left to wait for: the timer stops


def test_the_window_starts_one_thread_for_all_the_recent_workbooks(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each Thread.start waits until the new thread runs: the page starts one, which asks each path in its own."""
    window, _ = open_window(qtbot, tmp_path, _workbook())
    window.close_document()
    page = window.start_page
    started_by: list[threading.Thread] = []
    real_start = threading.Thread.start

    def start(thread: threading.Thread) -> None:
        started_by.append(threading.current_thread())
        real_start(thread)

    monkeypatch.setattr(threading.Thread, "start", start)
    paths = [str(tmp_path / f"{n}.jxdb") for n in range(8)]
    page.set_recent(paths)
    qtbot.waitUntil(lambda: all(page.recent.item(n).text().endswith("（已不存在）") for n in range(8)))
    assert started_by.count(threading.main_thread()) == 1
