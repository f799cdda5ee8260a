"""Tests of the spending-plan model: standard steps, warnings, typed edits, refusals, undo."""

from __future__ import annotations

from decimal import Decimal

import pytest

from PySide6.QtCore import Qt

from desktop.models.workbook.document import WorkbookDocument
from desktop.models.workbook.domain import Form, SpendingStep
from desktop.views.commands import EditStack
from desktop.views.plan_model import STANDARD_STEPS, WARNING_BACKGROUND, PlanModel, plan_warnings
from tests.helpers.fixtures import load_sample


class Env:
    """The Tangshan department-target sample in a document, with an undo stack and a plan model."""

    def __init__(self) -> None:
        self.document = WorkbookDocument(load_sample("tangshan-xzsp-targets.json"))
        self.stack = EditStack(self.document)
        self.model = PlanModel(self.document, self.stack)
        self.messages: list[str] = []
        self.model.message.connect(self.messages.append)

    def show(self, index: int) -> Form:
        form = self.document.workbook.forms[index]
        self.model.set_form(form)
        return form

    def text(self, column: int) -> str:
        return str(self.model.data(self.model.index(0, column), Qt.ItemDataRole.DisplayRole))

    def type(self, column: int, text: str) -> bool:
        return self.model.setData(self.model.index(0, column), text, Qt.ItemDataRole.EditRole)


@pytest.fixture
def env() -> Env:
    return Env()


def _steps(*percents: int | None) -> list[tuple[str, Decimal | None]]:
    return [(by, None if p is None else Decimal(p)) for by, p in zip(STANDARD_STEPS, percents, strict=True)]


def test_plan_warnings_rules() -> None:
    assert plan_warnings(_steps(10, 50, 75, 100)) == {}
    assert plan_warnings(_steps(None, None, None, None)) == {}
    falling = plan_warnings(_steps(10, 50, 75, 25))
    assert set(falling) == {3}
    assert "低于10月底" in falling[3] and "应达到 100%" in falling[3]
    short = plan_warnings(_steps(10, 50, 75, 90))
    assert set(short) == {3} and "90%" in short[3]
    assert set(plan_warnings(_steps(30, 20, 75, 100))) == {1}
    assert "未填写" in plan_warnings(_steps(10, 50, None, None))[3]


def test_model_passes_the_model_tester(env: Env, qtmodeltester: object) -> None:
    for index in range(len(env.document.workbook.forms)):
        env.show(index)
        qtmodeltester.check(env.model)  # type: ignore[attr-defined]
    env.model.set_form(None)
    qtmodeltester.check(env.model)  # type: ignore[attr-defined]


def test_shows_the_standard_steps_with_percent(env: Env) -> None:
    env.show(1)
    headers = [env.model.headerData(c, Qt.Orientation.Horizontal) for c in range(env.model.columnCount())]
    assert headers == list(STANDARD_STEPS)
    assert [env.text(c) for c in range(4)] == ["10%", "50%", "75%", "100%"]
    assert env.model.warnings() == {}


def test_a_falling_plan_is_marked(env: Env) -> None:
    env.show(4)  # project 131003004: 12月底 25% after 10月底 75%, kept as printed
    assert set(env.model.warnings()) == {3}
    assert env.text(3).startswith("⚠")
    index = env.model.index(0, 3)
    assert env.model.data(index, Qt.ItemDataRole.BackgroundRole).color() == WARNING_BACKGROUND
    assert "累计比例不能下降" in str(env.model.data(index, Qt.ItemDataRole.ToolTipRole))


def test_fixing_the_plan_clears_the_mark_and_undo_brings_it_back(env: Env) -> None:
    form = env.show(4)
    assert env.type(3, "100%")
    assert (form.spending_plan or [])[3].percent == Decimal(100)
    assert env.model.warnings() == {}
    assert env.text(3) == "100%"
    env.stack.undo()
    assert (form.spending_plan or [])[3].percent == Decimal(25)
    assert set(env.model.warnings()) == {3}


def test_typing_into_an_empty_plan_creates_the_steps_in_order(env: Env) -> None:
    form = env.show(0)  # the unit's own block: no plan
    assert form.spending_plan is None
    assert env.model.columnCount() == 4
    assert env.type(2, "60")
    assert env.type(0, "20")
    steps: list[SpendingStep] = form.spending_plan or []
    assert [(s.by, s.percent) for s in steps] == [("3月底", Decimal(20)), ("10月底", Decimal(60))]
    assert set(env.model.warnings()) == {3}  # 12月底 not filled in yet
    env.stack.undo()
    env.stack.undo()
    assert not form.spending_plan


def test_non_numbers_and_out_of_range_percents_are_refused(env: Env) -> None:
    form = env.show(1)
    for text, word in (("一半", "数字"), ("-5", "负数"), ("120", "不能超过")):
        assert not env.type(1, text)
        assert word in env.messages[-1]
    assert (form.spending_plan or [])[1].percent == Decimal(50)
    assert env.stack.count() == 0


def test_other_steps_keep_their_place(env: Env) -> None:
    form = env.show(1)
    env.document.insert_items(form, "spending_plan", 2, [SpendingStep(by="9月底", percent=Decimal(60))])
    headers = [env.model.headerData(c, Qt.Orientation.Horizontal) for c in range(env.model.columnCount())]
    assert headers == ["3月底", "6月底", "9月底", "10月底", "12月底"]
