"""Issue 20 (view half, first part): every workbook opened is indexed into the history file in the local
app-data folder, and 审核 of a later target form compares with what was achieved before."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from desktop.models.storage import store
from desktop.models.workbook.domain import Form, FormKind, Indicator, Unit, Workbook
from desktop.views.history_index import HISTORY_FILE
from tests.views.window_helpers import open_window

pytestmark = pytest.mark.usefixtures("qapp_setup")


def _book(year: int, kind: FormKind, target: str, actual: str | None) -> Workbook:
    row = Indicator("效益指标", "社会效益指标", "网上可办率", target=target, actual=actual, weight=Decimal(10))
    return Workbook(
        unit=Unit("319101", "测试单位"), year=year, forms=[Form(kind=kind, title="政务服务", indicators=[row])]
    )


def test_opened_workbooks_feed_the_history_and_the_target_review(qtbot: Any, tmp_path: Path) -> None:
    window, _ = open_window(qtbot, tmp_path, _book(2024, FormKind.PROJECT_SELF_EVAL, "≥95%", "98.6%"), "2024.jxdb")
    qtbot.waitUntil(lambda: not window.files.opening.pending)  # indexed once the form has painted
    window.files.history().wait()
    saved = json.loads((tmp_path / "appdata" / HISTORY_FILE).read_text(encoding="utf-8"))
    assert [(e["name"], e["actual"], e["year"]) for e in saved["entries"]] == [("网上可办率", "98.6%", 2024)]

    later = tmp_path / "2025.jxdb"
    store.create_workbook_file(later, _book(2025, FormKind.PROJECT_TARGET, "≥90%", None)).close()
    assert window.open_path(str(later))
    window.validate_all()
    messages = [f.message for f in window.findings()]
    assert any("低于上年实际" in m and "98.6%" in m for m in messages)
    window.files.history().wait()
    saved = json.loads((tmp_path / "appdata" / HISTORY_FILE).read_text(encoding="utf-8"))
    assert {e["year"] for e in saved["entries"]} == {2024, 2025}


def test_a_damaged_history_file_is_left_alone_and_nothing_is_compared(qtbot: Any, tmp_path: Path) -> None:
    (tmp_path / "appdata").mkdir()
    damaged = tmp_path / "appdata" / HISTORY_FILE
    damaged.write_text("{not json", encoding="utf-8")
    window, _ = open_window(qtbot, tmp_path, _book(2024, FormKind.PROJECT_SELF_EVAL, "≥95%", "98.6%"))
    qtbot.waitUntil(lambda: not window.files.opening.pending)
    window.files.history().wait()
    assert damaged.read_text(encoding="utf-8") == "{not json"
    assert window.session is not None and window.session.document.workbook.forms
