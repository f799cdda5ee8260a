"""Tests of the goals model: columns per kind, text edits, add/remove/move with renumbering, undo."""

from __future__ import annotations

import pytest

from PySide6.QtCore import Qt

from desktop.models.workbook.document import WorkbookDocument
from desktop.models.workbook.domain import Form
from desktop.views.commands import EditStack
from desktop.views.goal_model import COL_ACTUAL, COL_NO, COL_TARGET, GoalModel
from tests.helpers.fixtures import load_sample


class Env:
    """A sample in a document, an undo stack and a goal model showing one form."""

    def __init__(self, sample: str, form_index: int) -> None:
        self.document = WorkbookDocument(load_sample(sample))
        self.stack = EditStack(self.document)
        self.model = GoalModel(self.document, self.stack)
        self.messages: list[str] = []
        self.model.message.connect(self.messages.append)
        self.form: Form = self.document.workbook.forms[form_index]
        self.model.set_form(self.form)

    def numbers(self) -> list[str]:
        return [str(self.model.data(self.model.index(r, COL_NO))) for r in range(self.model.rowCount())]

    def targets(self) -> list[str]:
        return [str(self.model.data(self.model.index(r, COL_TARGET))) for r in range(self.model.rowCount())]


@pytest.fixture
def dept() -> Env:
    """The Wuwei department self-evaluation (4 goals), its indicators spread over goals 1-4."""
    env = Env("wuwei-zwfw-2022-selfeval.json", 0)
    for position, indicator in enumerate(env.form.indicators):
        env.document.set_fields(indicator, goal=position % 4 + 1)
    return env


def goal_counts(env: Env) -> dict[int | None, int]:
    counts: dict[int | None, int] = {}
    for indicator in env.form.indicators:
        counts[indicator.goal] = counts.get(indicator.goal, 0) + 1
    return counts


def test_models_pass_the_model_tester(qtmodeltester: object) -> None:
    for sample, index in (("wuwei-zwfw-2022-selfeval.json", 0), ("tangshan-xzsp-targets.json", 0)):
        env = Env(sample, index)
        qtmodeltester.check(env.model)  # type: ignore[attr-defined]
        env.model.set_form(None)
        qtmodeltester.check(env.model)  # type: ignore[attr-defined]


def test_columns_follow_the_form_kind() -> None:
    target = Env("tangshan-xzsp-targets.json", 0)
    assert [target.model.headerData(c, Qt.Orientation.Horizontal) for c in range(target.model.columnCount())] == [
        "目标序号",
        "年度绩效目标",
    ]
    assert target.numbers() == ["目标1", "目标2", "目标3", "目标4"]
    assert target.targets()[0].startswith("绩效目标：")
    self_eval = Env("wuwei-zwfw-2022-selfeval.json", 0)
    assert self_eval.model.columnCount() == 3
    assert self_eval.model.headerData(COL_ACTUAL, Qt.Orientation.Horizontal) == "实际完成情况"
    assert not self_eval.model.flags(self_eval.model.index(0, COL_NO)) & Qt.ItemFlag.ItemIsEditable


def test_edit_text_and_undo(dept: Env) -> None:
    goal = dept.model.goal_at(1)
    old = goal.actual
    assert dept.model.setData(dept.model.index(1, COL_ACTUAL), "全部完成\n第二行", Qt.ItemDataRole.EditRole)
    assert goal.actual == "全部完成\n第二行"
    assert dept.model.data(dept.model.index(1, COL_ACTUAL)) == "全部完成\n第二行"
    dept.stack.undo()
    assert goal.actual == old
    assert dept.model.setData(dept.model.index(1, COL_TARGET), "   ", Qt.ItemDataRole.EditRole)
    assert goal.target is None  # blank text is "not filled in"


def test_add_at_the_end_and_undo(dept: Env) -> None:
    new = dept.model.add_goal()
    assert new is not None and new.no == 5
    assert dept.numbers() == ["目标1", "目标2", "目标3", "目标4", "目标5"]
    assert dept.stack.count() == 1
    dept.stack.undo()
    assert dept.numbers() == ["目标1", "目标2", "目标3", "目标4"]


def test_add_in_the_middle_renumbers_goals_and_their_indicators(dept: Env) -> None:
    before = goal_counts(dept)
    third = dept.model.goal_at(2)
    new = dept.model.add_goal(after_row=0)
    assert new is not None and new.no == 2 and dept.model.row_of(new) == 1
    assert dept.numbers() == ["目标1", "目标2", "目标3", "目标4", "目标5"]
    assert third.no == 4
    assert goal_counts(dept) == {1: before[1], 3: before[2], 4: before[3], 5: before[4]}
    dept.stack.undo()
    assert third.no == 3
    assert goal_counts(dept) == before


def test_remove_is_refused_while_indicators_belong_to_the_goal(dept: Env) -> None:
    assert not dept.model.remove_goal(1)
    assert "目标2下还有" in dept.messages[-1]
    assert dept.model.rowCount() == 4 and dept.stack.count() == 0


def test_remove_renumbers_the_later_goals_and_undo_restores(dept: Env) -> None:
    for indicator in dept.form.indicators:
        if indicator.goal == 2:
            dept.document.set_fields(indicator, goal=1)
    before = goal_counts(dept)
    removed = dept.model.goal_at(1)
    assert dept.model.remove_goal(1)
    assert dept.numbers() == ["目标1", "目标2", "目标3"]
    assert goal_counts(dept) == {1: before[1], 2: before[3], 3: before[4]}
    dept.stack.undo()
    assert dept.model.goal_at(1) is removed and removed.no == 2
    assert dept.numbers() == ["目标1", "目标2", "目标3", "目标4"]
    assert goal_counts(dept) == before


def test_move_keeps_indicators_with_their_goal(dept: Env) -> None:
    first = dept.model.goal_at(0)
    held_by_first = [i for i in dept.form.indicators if i.goal == 1]
    assert dept.model.move_goal(0, 2)
    assert dept.model.goal_at(2) is first and first.no == 3
    assert dept.numbers() == ["目标1", "目标2", "目标3", "目标4"]
    assert all(indicator.goal == 3 for indicator in held_by_first)
    dept.stack.undo()
    assert dept.model.goal_at(0) is first and first.no == 1
    assert all(indicator.goal == 1 for indicator in held_by_first)
    assert not dept.model.move_goal(0, 4)  # out of range: nothing happens


def test_add_to_a_form_without_goals() -> None:
    env = Env("tangshan-xzsp-targets.json", 1)
    assert env.model.rowCount() == 0
    new = env.model.add_goal()
    assert new is not None and new.no == 1
    assert env.model.rowCount() == 1
