"""User actions as plain model tests: an Edit does what it says, reverts exactly, and a refusal changes nothing."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from decimal import Decimal

import pytest

from desktop.models.errors import UserError
from desktop.models.scoring.rules import load_ruleset
from desktop.models.workbook import edits, form_edits
from desktop.models.workbook.document import MemoryStore, WorkbookDocument
from desktop.models.workbook.domain import Budget, Form, FormKind, FundLine, Goal, Indicator, Unit, Workbook
from desktop.models.workbook.outline import NodeKind, Outline, OutlineNode, levels_from_ruleset
from tests.helpers.fixtures import load_sample, snapshot


def _workbook() -> Workbook:
    rows = [
        Indicator("产出指标", "数量指标", "保洁人员", target="11人", actual="11人", goal=1),
        Indicator("产出指标", "数量指标", "供暖面积", target="5544.13m²", goal=1),
        Indicator("产出指标", "质量指标", "电脑验收通过率", target="100%", goal=2),
        Indicator("满意度指标", "服务对象满意度指标", "群众满意度", target="≥95%", goal=2),
    ]
    goals = [Goal(1, target="保障运转"), Goal(2, target="提升服务")]
    return Workbook(
        unit=Unit("319101", "测试单位"),
        year=2025,
        forms=[
            Form(kind=FormKind.DEPT_SELF_EVAL, title="政务服务经费", indicators=rows, goals=goals),
            Form(kind=FormKind.PROJECT_TARGET, title="电脑购置"),
        ],
    )


class RefusingStore(MemoryStore):
    """A store whose disk is full once ``full`` is set."""

    def __init__(self) -> None:
        self.full = False

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        yield
        if self.full:
            raise UserError("磁盘已满，未保存。")

    def update(self, obj: object, fields: Sequence[str]) -> None:
        if self.full:
            raise UserError("磁盘已满，未保存。")


def node_of(workbook: Workbook, obj: object) -> OutlineNode:
    node = Outline(workbook, levels_from_ruleset(load_ruleset())).node_for(obj)
    assert node is not None
    return node


def test_deleting_a_goal_node_removes_it_with_its_indicators_in_one_step() -> None:
    workbook = _workbook()
    document = WorkbookDocument(workbook)
    form = workbook.forms[0]
    before = snapshot(workbook)
    node = node_of(workbook, (form.goals or [])[1])
    deletion = edits.delete_node(document, node)
    assert deletion.edit.label == "删除指标" and "2 个指标" in deletion.question
    deletion.edit.apply(document)
    assert [i.name for i in form.indicators] == ["保洁人员", "供暖面积"] and [g.no for g in form.goals or ()] == [1]
    deletion.edit.revert(document)
    assert snapshot(workbook) == before


def test_deleting_a_form_or_one_indicator_and_nothing_to_delete() -> None:
    workbook = _workbook()
    document = WorkbookDocument(workbook)
    form_node = node_of(workbook, workbook.forms[1])
    deletion = edits.delete_node(document, form_node)
    assert deletion.edit.label == "删除表" and "电脑购置" in deletion.question
    deletion.edit.apply(document)
    assert [f.title for f in workbook.forms] == ["政务服务经费"]
    indicator = workbook.forms[0].indicators[2]
    single = edits.delete_node(document, node_of(workbook, indicator))
    assert "指标“" in single.question and "及其下" not in single.question
    single.edit.apply(document)
    assert indicator not in workbook.forms[0].indicators
    empty = Workbook(forms=[Form(kind=FormKind.PROJECT_TARGET, title="空表")])
    outline = Outline(empty, levels_from_ruleset(load_ruleset()))
    empty_node = outline.node_for(empty.forms[0])
    assert empty_node is not None
    level = empty_node.children[0]
    assert level.kind is not NodeKind.FORM
    with pytest.raises(UserError, match="还没有指标"):
        edits.delete_node(WorkbookDocument(empty), level)


def test_replace_all_is_one_step_over_every_form() -> None:
    workbook = _workbook()
    document = WorkbookDocument(workbook)
    before = snapshot(workbook)
    change, count = edits.replace_all(document, "电脑", "计算机")
    assert count == 2 and change.label == "全部替换"
    change.apply(document)
    assert workbook.forms[1].title == "计算机购置" and workbook.forms[0].indicators[2].name == "计算机验收通过率"
    change.revert(document)
    assert snapshot(workbook) == before
    assert edits.replace_all(document, "不存在", "x")[0].empty
    with pytest.raises(UserError, match="要查找的文字"):
        edits.replace_all(document, "", "x")


def test_a_refused_write_changes_nothing_and_says_why() -> None:
    store = RefusingStore()
    workbook = _workbook()
    document = WorkbookDocument(workbook, store)
    before = snapshot(workbook)
    change, _ = edits.replace_all(document, "电脑", "计算机")
    store.full = True
    with pytest.raises(UserError, match="磁盘已满"):
        change.apply(document)
    assert snapshot(workbook) == before


def test_read_only_documents_refuse_every_edit() -> None:
    document = WorkbookDocument(_workbook(), read_only=True)
    with pytest.raises(UserError, match="只读"):
        edits.set_values("修改", document.workbook.forms[0], {"title": "新"}).apply(document)
    with pytest.raises(UserError, match="只读"):
        edits.check_writable(document)


def test_forms_are_added_after_a_form_or_at_the_end() -> None:
    workbook = _workbook()
    document = WorkbookDocument(workbook)
    first = Form(kind=FormKind.PROJECT_TARGET, title="新表")
    edits.add_forms(document, [first], "新建", after=workbook.forms[0]).apply(document)
    assert [f.title for f in workbook.forms] == ["政务服务经费", "新表", "电脑购置"]
    imported = [Form(title="导入一"), Form(title="导入二")]
    change = edits.add_forms(document, imported, "从 Excel 导入")
    change.apply(document)
    assert [f.title for f in workbook.forms][-2:] == ["导入一", "导入二"] and change.label == "从 Excel 导入"
    with pytest.raises(UserError):
        edits.add_forms(document, [], "复制")


def test_workbook_properties_change_only_what_differs() -> None:
    workbook = _workbook()
    document = WorkbookDocument(workbook)
    same = Workbook(unit=Unit("319101", "测试单位"), year=2025, ruleset=workbook.ruleset)
    assert edits.workbook_properties(workbook, same).empty
    change = edits.workbook_properties(workbook, Workbook(unit=Unit("319101", "新单位"), year=2026))
    assert len(change.ops) == 2
    change.apply(document)
    assert (workbook.unit.name, workbook.year) == ("新单位", 2026)
    change.revert(document)
    assert (workbook.unit.name, workbook.year) == ("测试单位", 2025)


def test_goals_stay_numbered_with_their_indicators() -> None:
    workbook = _workbook()
    document = WorkbookDocument(workbook)
    form = workbook.forms[0]
    change, new = form_edits.add_goal(form, after=0)
    change.apply(document)
    assert [g.no for g in form.goals or ()] == [1, 2, 3] and (form.goals or [])[1] is new
    assert [i.goal for i in form.indicators] == [1, 1, 3, 3]
    with pytest.raises(UserError, match="目标1下还有 2 个指标"):
        form_edits.remove_goal(form, (form.goals or [])[0])
    form_edits.remove_goal(form, new).apply(document)
    assert [i.goal for i in form.indicators] == [1, 1, 2, 2]
    form_edits.move_goal(form, 1, 0).apply(document)
    assert [g.target for g in form.goals or ()] == ["提升服务", "保障运转"]
    assert [i.goal for i in form.indicators] == [2, 2, 1, 1]


def test_form_fields_create_their_block_with_the_first_value() -> None:
    workbook = _workbook()
    document = WorkbookDocument(workbook)
    form = workbook.forms[1]
    change = form_edits.budget_field(form, "amount", "１２０.５")
    assert change.label == "填写预算数"
    change.apply(document)
    assert isinstance(form.budget, Budget) and form.budget.amount == Decimal("120.5")
    assert form_edits.budget_field(form, "amount", "120.5").empty
    with pytest.raises(UserError, match="预算数必须是数字"):
        form_edits.budget_field(form, "amount", "一百")
    form_edits.signoff_field(form, "head", " 张三 ").apply(document)
    assert form.signoff is not None and form.signoff.head == "张三"
    form_edits.header_field(form, "unit", "实施单位甲").apply(document)
    assert form.unit is not None and form.unit.name == "实施单位甲"
    form_edits.header_field(form, "unit", "").apply(document)
    assert not form.unit
    form_edits.plan_percent(form, "6月底", "50%", ("3月底", "6月底", "10月底", "12月底")).apply(document)
    form_edits.plan_percent(form, "3月底", "20", ("3月底", "6月底", "10月底", "12月底")).apply(document)
    assert [(s.by, s.percent) for s in form.spending_plan or ()] == [("3月底", Decimal(20)), ("6月底", Decimal(50))]


def test_fund_amounts_add_the_line_in_table_order_and_scores_stay_within_the_weight() -> None:
    document = WorkbookDocument(load_sample("wuwei-zwfw-2022-selfeval.json"))
    form = document.workbook.forms[1]
    form.funds = [FundLine("total", Decimal(10), Decimal(10), Decimal(9)), FundLine("other")]
    order = ("total", "fiscal", "carryover", "other")
    form_edits.fund_amount(form, "fiscal", "executed", "8", "财政拨款的全年执行数", order).apply(document)
    assert [f.line for f in form.funds] == ["total", "fiscal", "other"]
    with pytest.raises(UserError, match="不能超过 10"):
        form_edits.exec_score(form, "12", Decimal(10))
    form_edits.exec_score(form, "9.5", Decimal(10)).apply(document)
    assert form.exec_score == Decimal("9.5")
    form_edits.restore_suggested_score(form).apply(document)
    assert form.exec_score is None


def test_a_self_evaluation_is_generated_right_after_its_target_form() -> None:
    workbook = load_sample("tianjin-zwfw-2025-targets.json")
    document = WorkbookDocument(workbook)
    target = workbook.forms[0]
    change, made = edits.self_eval_after(document, target, load_ruleset(workbook.ruleset))
    assert change.label == "生成自评表" and made.kind.is_self_eval
    change.apply(document)
    assert workbook.forms[1] is made and len(made.indicators) == len(target.indicators)
    with pytest.raises(UserError, match="已是自评表"):
        edits.self_eval_after(document, made, load_ruleset(workbook.ruleset))
