"""EditStack: an Edit is done once, undone and redone through Qt's stack; a refusal is reported, not lost."""

from __future__ import annotations

from typing import Any

from desktop.models.workbook.document import WorkbookDocument
from desktop.models.workbook.domain import Form, FormKind, Indicator, Workbook
from desktop.models.workbook.edits import Edit, set_values
from desktop.views.commands import EditStack


def _stack() -> tuple[EditStack, WorkbookDocument, Indicator]:
    indicator = Indicator("产出指标", "数量指标", "培训人次", actual="10人次")
    document = WorkbookDocument(Workbook(forms=[Form(kind=FormKind.PROJECT_SELF_EVAL, indicators=[indicator])]))
    return EditStack(document), document, indicator


def test_an_edit_is_done_once_then_undone_and_redone(qapp: Any) -> None:
    stack, document, indicator = _stack()
    heard: list[object] = []
    document.subscribe(heard.append)
    assert stack.push_edit(set_values("修改实际完成值", indicator, {"actual": "12人次"})) is None
    assert indicator.actual == "12人次" and len(heard) == 1 and stack.undoText() == "修改实际完成值"
    assert stack.undo_edit() is None and indicator.actual == "10人次"
    assert stack.redo_edit() is None and indicator.actual == "12人次" and len(heard) == 3


def test_an_empty_edit_is_not_pushed(qapp: Any) -> None:
    stack, _, _ = _stack()
    assert stack.push_edit(Edit("修改")) is None and stack.count() == 0


def test_refusals_are_reported_and_the_stack_stays_where_it_was(qapp: Any) -> None:
    stack, document, indicator = _stack()
    document.read_only = True
    assert "只读" in (stack.push_edit(set_values("修改", indicator, {"actual": "12人次"})) or "")
    assert stack.count() == 0 and indicator.actual == "10人次"
    document.read_only = False
    stack.push_edit(set_values("修改", indicator, {"actual": "12人次"}))
    document.read_only = True
    assert "只读" in (stack.undo_edit() or "") and stack.index() == 1 and indicator.actual == "12人次"
    document.read_only = False
    assert stack.undo_edit() is None and stack.index() == 0
    document.read_only = True
    assert "只读" in (stack.redo_edit() or "") and stack.index() == 0 and indicator.actual == "10人次"
