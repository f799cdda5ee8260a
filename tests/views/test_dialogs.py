"""The workbook dialog, filled in like a user: a new workbook, and the properties of an open one."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QPushButton

from desktop.models.workbook.domain import Unit, Workbook
from desktop.views.dialog_windows import ChooseManyDialog, NewWorkbookDialog
from tests.views.window_helpers import type_text

pytestmark = pytest.mark.usefixtures("qapp_setup")


def test_a_new_workbook_needs_a_unit_name(qtbot: Any) -> None:
    dialog = NewWorkbookDialog()
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert dialog.windowTitle() == "新建工作簿"
    assert not ok.isEnabled() and ok.toolTip() == "请填写单位名称"
    type_text(dialog.name, "某某市政务服务中心")
    type_text(dialog.code, "31a9101")  # the code takes digits only, six at most
    assert ok.isEnabled()
    dialog.ruleset.setCurrentIndex(dialog.ruleset.findData("sichuan"))
    assert dialog.template.currentData() == "central"
    dialog.template.setCurrentIndex(dialog.template.findData("sichuan"))
    assert "510000_0013zp" in dialog.template_description.text()  # what the template reproduces
    workbook = dialog.workbook()
    assert (workbook.unit.code, workbook.unit.name) == ("319101", "某某市政务服务中心")
    assert workbook.year == datetime.date.today().year and workbook.ruleset == "sichuan"
    assert workbook.template == "sichuan"


def test_properties_start_from_the_workbook_and_keep_a_missing_year_missing(qtbot: Any) -> None:
    current = Workbook(unit=Unit("", "行政审批局"), year=None, ruleset="hubei", template="hebei-tangshan")
    dialog = NewWorkbookDialog(current=current)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "工作簿属性"
    assert dialog.name.text() == "行政审批局" and dialog.ruleset.currentData() == "hubei"
    assert dialog.year.text() == "（未填）"
    unchanged = dialog.workbook()
    assert (unchanged.unit.code, unchanged.unit.name) == ("", "行政审批局")
    assert (unchanged.year, unchanged.ruleset, unchanged.template) == (None, "hubei", "hebei-tangshan")
    dialog.year.stepUp()
    assert dialog.workbook().year == 2000


def test_properties_show_the_year_of_the_workbook(qtbot: Any) -> None:
    dialog = NewWorkbookDialog(current=Workbook(unit=Unit("1", "单位"), year=2022))
    qtbot.addWidget(dialog)
    assert dialog.year.value() == 2022 and dialog.ruleset.currentData() == "central"


def test_choose_many_starts_all_ticked_and_needs_one(qtbot: Any) -> None:
    dialog = ChooseManyDialog(None, "复制表", "勾选：", ["甲", "乙", "丙"])
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert dialog.chosen() == [0, 1, 2] and ok.isEnabled()
    dialog.list.item(1).setCheckState(Qt.CheckState.Unchecked)
    assert dialog.chosen() == [0, 2]
    (untick,) = (b for b in dialog.findChildren(QPushButton) if b.text() == "全不选")
    qtbot.mouseClick(untick, Qt.MouseButton.LeftButton)
    assert dialog.chosen() == [] and not ok.isEnabled()


def test_the_prompter_shows_each_of_its_dialogs(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The dialogs are imported when first asked for (not at start-up): each question still shows its own."""
    from PySide6.QtWidgets import QDialog, QInputDialog, QMessageBox

    from desktop.views.dialogs import Prompter

    shown: list[str] = []

    def accept(dialog: QDialog) -> int:
        shown.append(type(dialog).__name__)
        if isinstance(dialog, NewWorkbookDialog):
            dialog.name.setText("某某单位")
        return 1

    monkeypatch.setattr(QDialog, "exec", accept)
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown.append(f"warning:{a[2]}"))
    monkeypatch.setattr(QInputDialog, "getItem", lambda _p, _t, _l, items, start, _e: (items[start], True))
    prompter = Prompter()
    made = prompter.new_workbook(Unit("319101", ""))
    assert made is not None and (made.unit.code, made.unit.name) == ("319101", "某某单位")
    assert prompter.choose_many("复制表", "勾选：", ["甲", "乙"]) == [0, 1]
    prompter.show_table("快捷键一览", ("位置", "按键"), [("表格", "F2")])
    assert prompter.confirm("问", "可以吗？") is True
    assert prompter.choose("选", "哪一个？", ["甲", "乙"]) == 0
    assert prompter.choose_text("类别", "归入：", ["甲"], default="乙") == "乙"
    prompter.error("出错了")
    assert shown == ["NewWorkbookDialog", "ChooseManyDialog", "TableDialog", "warning:出错了"]
