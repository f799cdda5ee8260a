"""The problems panel: its model under Qt's tester, the location texts, the tab a finding opens, activation."""

from __future__ import annotations

from typing import Any

import pytest

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from desktop.models.scoring.engine import ScoringEngine
from desktop.models.scoring.rules import load_ruleset
from desktop.models.scoring.validation import Finding, check_workbook
from desktop.models.workbook.domain import Workbook
from desktop.views.problems import ProblemsPanel, location_text, tab_for

pytestmark = pytest.mark.usefixtures("qapp_setup")


def test_model_passes_the_tester_and_lists_findings(qtbot: Any, qtmodeltester: Any, wuwei: Workbook) -> None:
    findings = check_workbook(wuwei, ScoringEngine(load_ruleset(wuwei.ruleset)))
    panel = ProblemsPanel()
    qtbot.addWidget(panel)  # deleted by Qt with its view and model, not by Python's garbage collector at exit
    panel.set_findings(wuwei, findings)
    qtmodeltester.check(panel.model)
    model = panel.model
    assert model.rowCount() == len(findings) > 0
    errors = sum(1 for f in findings if f.severity == "error")
    assert panel.count_text() == f"共 {errors} 个错误，{len(findings) - errors} 个提示（双击转到）"
    first = findings[0]
    assert model.index(0, 0).data() == ("错误" if first.severity == "error" else "提示")
    assert model.index(0, 3).data() == first.message
    panel.set_findings(wuwei, [])
    assert model.rowCount() == 0 and panel.count_text() == "未发现问题"


def test_location_and_tab(wuwei: Workbook) -> None:
    row = Finding("warning", "需填写偏差原因", form_index=1, indicator_index=2, field="deviation")
    name = wuwei.forms[1].indicators[2].name
    assert location_text(wuwei, row) == f"第3行 {name} · 偏差原因分析及改进措施"
    assert tab_for(row) == "indicators"
    assert tab_for(Finding("error", "x", form_index=0, field="funds")) == "funds"
    assert tab_for(Finding("error", "x", form_index=0, field="spending_plan")) == "funds"
    assert tab_for(Finding("warning", "x", form_index=0, field="conclusion")) == "sign"
    assert tab_for(Finding("warning", "x", form_index=0, goal_no=2)) == "goals"
    assert (
        location_text(wuwei, Finding("warning", "x", form_index=0, goal_no=2, field="goals")) == "绩效目标2 · 绩效目标"
    )


@pytest.mark.qt_log_ignore("does not support propagateSizeHints")  # the offscreen platform, on show()
def test_enter_and_double_click_activate(qtbot: Any, wuwei: Workbook) -> None:
    findings = [Finding("warning", "甲", form_index=0), Finding("error", "乙", form_index=1, indicator_index=0)]
    panel = ProblemsPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.set_findings(wuwei, findings)
    got: list[object] = []
    panel.findingActivated.connect(got.append)
    view = panel.view
    view.setCurrentIndex(panel.model.index(1, 1))
    QTest.keyClick(view, Qt.Key.Key_Return)
    assert got == [findings[1]]
    rect = view.visualRect(panel.model.index(0, 3))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert got == [findings[1], findings[0]]
