"""An Excel import reads off the UI thread: the window shows 正在读取 … with 取消, and 取消 stops it."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QPushButton, QToolBar

from desktop.models.formats import excel_import
from desktop.models.workbook.domain import Workbook
from tests.views.window_helpers import open_window


def test_a_slow_excel_read_can_be_cancelled(
    qtbot: Any, tmp_path: Path, wuwei: Workbook, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, prompter = open_window(qtbot, tmp_path, wuwei)
    release = threading.Event()
    seen: list[str] = []

    def slow_read(path: str, *args: object, **kwargs: object) -> excel_import.ExcelImport:
        release.wait(30)  # a long read; the UI thread must stay free meanwhile
        return excel_import.ExcelImport(path)

    monkeypatch.setattr(excel_import, "read_excel", slow_read)

    def press_cancel() -> None:
        labels = [w.text() for w in window.statusBar().findChildren(QLabel)]
        buttons = [b for b in window.statusBar().findChildren(QPushButton) if b.text() == "取消"]
        if buttons and any("正在读取" in text for text in labels):
            seen.extend(labels)
            assert not window.menuBar().isEnabled()  # nothing else can be started meanwhile
            assert not any(bar.isEnabled() for bar in window.findChildren(QToolBar))
            buttons[0].click()
            timer.stop()

    timer = QTimer()
    timer.timeout.connect(press_cancel)
    timer.start(20)
    forms_before = len(window.session.document.workbook.forms) if window.session else 0
    try:
        assert not window.transfers.import_excel(str(tmp_path / "big.xlsx"))
    finally:
        timer.stop()  # never left running into the next test
        release.set()
    assert any("正在读取 big.xlsx" in text for text in seen)
    assert "已取消" in window.statusBar().currentMessage()
    assert window.menuBar().isEnabled()
    qtbot.waitUntil(lambda: not window.statusBar().findChildren(QPushButton))  # the busy bar is gone
    assert window.session is not None and len(window.session.document.workbook.forms) == forms_before
    assert not prompter.errors
