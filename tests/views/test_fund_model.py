"""Tests of the self-evaluation fund table model: rows, computed 执行率/得分, typed edits, refusals, undo."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt

from desktop.models.scoring.engine import ScoringEngine
from desktop.models.workbook.document import WorkbookDocument
from desktop.models.workbook.domain import Form, FormKind, FundLine, Workbook
from desktop.views.commands import EditStack
from desktop.views.fund_model import (
    COL_EXECUTED,
    COL_FULL_YEAR,
    COL_INITIAL,
    COL_RATE,
    COL_SCORE,
    COL_WEIGHT,
    FundModel,
)
from tests.helpers.fixtures import load_sample

EDIT = Qt.ItemDataRole.EditRole
DISPLAY = Qt.ItemDataRole.DisplayRole


class Env:
    """A document over the Wuwei sample, its undo stack, an attached engine and a fund model."""

    def __init__(self, workbook: Workbook) -> None:
        self.document = WorkbookDocument(workbook)
        self.stack = EditStack(self.document)
        self.engine = ScoringEngine()
        self.engine.attach(self.document)
        self.model = FundModel(self.document, self.stack, self.engine)
        self.messages: list[str] = []
        self.model.message.connect(self.messages.append)

    def show(self, index: int) -> Form:
        form = self.document.workbook.forms[index]
        self.model.set_form(form)
        return form

    def text(self, row: int, column: int, role: Qt.ItemDataRole = DISPLAY) -> str:
        value = self.model.data(self.model.index(row, column), role)
        assert isinstance(value, str)
        return value

    def type(self, row: int, column: int, text: str) -> bool:
        return self.model.setData(self.model.index(row, column), text, EDIT)


@pytest.fixture
def env() -> Env:
    return Env(load_sample("wuwei-zwfw-2022-selfeval.json"))


def test_models_pass_the_model_tester(env: Env, qtmodeltester: object) -> None:
    for index in range(len(env.document.workbook.forms)):
        env.show(index)
        qtmodeltester.check(env.model)  # type: ignore[attr-defined]
    env.model.set_form(None)
    qtmodeltester.check(env.model)  # type: ignore[attr-defined]


def test_rows_follow_the_form_kind(env: Env) -> None:
    env.show(1)
    labels = [env.model.headerData(r, Qt.Orientation.Vertical) for r in range(env.model.rowCount())]
    assert labels == ["年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金"]
    env.show(0)
    labels = [env.model.headerData(r, Qt.Orientation.Vertical) for r in range(env.model.rowCount())]
    assert labels == ["部门整体支出", "基本支出", "项目支出"]
    headers = [env.model.headerData(c, Qt.Orientation.Horizontal) for c in range(env.model.columnCount())]
    assert headers == ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]


def test_target_form_has_no_fund_rows() -> None:
    env = Env(load_sample("tianjin-zwfw-2025-targets.json"))
    env.show(0)
    assert env.model.rowCount() == 0


def test_only_the_total_row_carries_weight_and_score(env: Env) -> None:
    env.show(1)  # 政务服务经费: 245 / 291.54 / 291.54, exec_score 10 as filed
    assert [env.text(0, c) for c in (COL_INITIAL, COL_FULL_YEAR, COL_EXECUTED)] == ["245", "291.54", "291.54"]
    assert env.text(0, COL_WEIGHT) == "10"
    assert env.text(0, COL_RATE) == "100%"
    assert env.text(0, COL_SCORE) == "✎ 10"  # the filed score is a manual one, visibly marked
    assert env.text(1, COL_RATE) == "100%"
    for row in (1, 2, 3):
        assert env.text(row, COL_WEIGHT) == "—"
        assert env.text(row, COL_SCORE) == "—"
        assert not env.model.flags(env.model.index(row, COL_SCORE)) & Qt.ItemFlag.ItemIsEditable
    assert not env.model.flags(env.model.index(0, COL_RATE)) & Qt.ItemFlag.ItemIsEditable
    assert env.text(2, COL_RATE) == ""  # 上年结转资金 is empty


def test_typing_executed_changes_rate_and_suggested_score(env: Env) -> None:
    form = env.show(1)
    assert env.type(0, COL_SCORE, "")  # back to the engine's suggestion
    assert form.exec_score is None
    assert env.text(0, COL_SCORE) == "10"
    assert env.type(0, COL_FULL_YEAR, "25802.8")
    assert env.type(0, COL_EXECUTED, "25182.59")
    total = form.fund("total")
    assert total is not None and total.executed == Decimal("25182.59")
    assert env.text(0, COL_RATE) == "97.6%"
    assert env.text(0, COL_SCORE) == "9.76"  # 97.596…% × 10, rounded to 2 decimals
    assert "建议得分" in str(env.model.data(env.model.index(0, COL_SCORE), Qt.ItemDataRole.ToolTipRole))


def test_weight_edit_rescales_the_score(env: Env) -> None:
    form = env.show(2)  # 0 / 50 / 50
    env.type(0, COL_SCORE, "")
    assert env.type(0, COL_EXECUTED, "40")
    assert env.text(0, COL_SCORE) == "8"
    assert env.type(0, COL_WEIGHT, "20")
    assert form.exec_weight == Decimal(20)
    assert env.text(0, COL_SCORE) == "16"


def test_non_number_and_negative_are_refused_with_a_message(env: Env) -> None:
    form = env.show(1)
    total = form.fund("total")
    assert total is not None
    assert not env.type(0, COL_EXECUTED, "二百九十")
    assert env.messages and "数字" in env.messages[-1]
    assert not env.type(0, COL_EXECUTED, "-5")
    assert "负数" in env.messages[-1]
    assert not env.type(0, COL_SCORE, "11")  # above the 分值 of 10
    assert "不能超过" in env.messages[-1]
    assert total.executed == Decimal("291.54")
    assert env.stack.count() == 0


def test_full_width_digits_and_separators_are_read(env: Env) -> None:
    form = env.show(1)
    assert env.type(0, COL_INITIAL, "１,２３４.５")
    total = form.fund("total")
    assert total is not None and total.initial == Decimal("1234.5")
    assert isinstance(total.initial, Decimal)


def test_undo_restores_amount_rate_and_score(env: Env) -> None:
    form = env.show(1)
    env.type(0, COL_SCORE, "")
    env.type(0, COL_EXECUTED, "145.77")
    assert env.text(0, COL_RATE) == "50%"
    assert env.text(0, COL_SCORE) == "5"
    env.stack.undo()
    total = form.fund("total")
    assert total is not None and total.executed == Decimal("291.54")
    assert env.text(0, COL_RATE) == "100%"
    assert env.text(0, COL_SCORE) == "10"
    env.stack.undo()
    assert form.exec_score == Decimal(10)
    assert env.text(0, COL_SCORE) == "✎ 10"


def test_manual_score_is_marked_and_keeps_the_suggestion_in_its_tooltip(env: Env) -> None:
    form = env.show(2)
    env.type(0, COL_SCORE, "")
    assert env.type(0, COL_SCORE, "9.5")
    assert form.exec_score == Decimal("9.5")
    assert env.text(0, COL_SCORE) == "✎ 9.5"
    assert env.text(0, COL_SCORE, EDIT) == "9.5"
    tooltip = str(env.model.data(env.model.index(0, COL_SCORE), Qt.ItemDataRole.ToolTipRole))
    assert "手动" in tooltip and "建议得分：10" in tooltip
    assert env.model.is_manual_score()


def test_typing_into_a_missing_line_creates_it_in_one_undo_step(env: Env) -> None:
    form = env.show(1)
    other = form.fund("other")
    assert other is not None
    env.document.remove_items(form, "funds", (form.funds or []).index(other))
    assert env.model.fund_at(3) is None and env.model.line_at(3) == "other"
    assert env.text(3, COL_FULL_YEAR) == ""
    assert env.type(3, COL_FULL_YEAR, "12.5")
    created = form.fund("other")
    assert isinstance(created, FundLine) and created.full_year == Decimal("12.5")
    assert (form.funds or [])[-1] is created  # placed after the lines before it
    assert env.stack.count() == 1
    env.stack.undo()
    assert form.fund("other") is None
    assert env.text(3, COL_FULL_YEAR) == ""


def test_dept_table_lines_and_a_missing_line_in_the_middle() -> None:
    env = Env(load_sample("wuwei-zwfw-2022-selfeval.json"))
    form = env.show(0)
    assert form.kind is FormKind.DEPT_SELF_EVAL
    env.document.remove_items(form, "funds", 1)  # 基本支出
    assert env.type(1, COL_EXECUTED, "100")
    assert [f.line for f in form.funds or []] == ["total", "basic", "project"]


def test_an_extra_line_is_shown_after_the_standard_ones(env: Env) -> None:
    form = env.show(1)
    env.document.insert_items(form, "funds", 0, [FundLine(line="basic", initial=Decimal(1))])
    assert env.model.rowCount() == 5
    assert env.model.headerData(4, Qt.Orientation.Vertical) == "基本支出"
    assert env.text(4, COL_INITIAL) == "1"


def test_model_repaints_when_the_document_changes(env: Env, qtbot: QtBot) -> None:
    form = env.show(1)
    total = form.fund("total")
    assert total is not None
    with qtbot.waitSignal(env.model.dataChanged):
        env.document.set_fields(total, executed=Decimal("100"))
    assert env.text(0, COL_EXECUTED) == "100"
