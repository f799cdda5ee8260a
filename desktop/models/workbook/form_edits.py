"""User actions on one form's fields: header, long texts, 预算规模, sign-off, fund table, spending plan, goals.

Each takes the form and the text typed and returns an ``Edit`` (empty when nothing changes; named with
the field's printed name from ``form_fields``) or raises ``UserError``.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from desktop.models.errors import UserError
from desktop.models.workbook.cells import EXEC_SCORE, EXEC_WEIGHT, money_rule, percent_rule
from desktop.models.workbook.domain import Budget, Form, FundLine, Goal, Signoff, SpendingStep, Unit
from desktop.models.workbook.edits import (
    Edit,
    Operation,
    edit,
    insert,
    move,
    remove,
    set_child,
    set_fields,
    set_values,
)
from desktop.models.workbook.form_fields import (
    BUDGET_FIELDS,
    MULTI_LINE_HEADER,
    SIGNOFF_FIELDS,
    header_label,
    text_label,
)


def header_field(form: Form, key: str, text: str) -> Edit:
    """A header field (``title``, ``code``, ``department``, ``purpose`` or ``unit``, the 实施单位)."""
    label = header_label(form, key)
    stripped = text.strip()
    if key == "unit":
        unit = form.unit
        if unit is None:
            return edit(f"填写{label}", set_child(form, "unit", Unit(name=stripped))) if stripped else Edit(label)
        if unit.name == stripped:
            return Edit(label)
        if not stripped and not unit.code:
            return edit(f"清除{label}", set_child(form, "unit", None))
        return edit(f"修改{label}", set_fields(unit, {"name": stripped}))
    value: str | None
    if key == "title":
        value = stripped
    elif key in MULTI_LINE_HEADER:
        value = text if text.strip() else None
    else:
        value = stripped or None
    if getattr(form, key) == value:
        return Edit(label)
    return edit(f"修改{label}", set_fields(form, {key: value}))


def long_text(form: Form, key: str, text: str) -> Edit:
    """One of the form's long texts (总体目标, 实际完成情况, 偏差原因, 自评结论, 说明); blank clears it."""
    label = text_label(form, key)
    value = text if text.strip() else None
    if getattr(form, key) == value:
        return Edit(label)
    return edit(f"修改{label}", set_fields(form, {key: value}))


def budget_field(form: Form, key: str, text: str) -> Edit:
    """预算数 / 财政资金 / 其他资金 of a target table's 预算规模 (created with its first amount).

    Raises:
        UserError: not a non-negative number.
    """
    label = dict(BUDGET_FIELDS)[key].removeprefix("其中：")
    amount = money_rule(label).parse(text)
    budget = form.budget
    if budget is None:
        if amount is None:
            return Edit(label)
        new = Budget()
        setattr(new, key, amount)
        return edit(f"填写{label}", set_child(form, "budget", new))
    return set_values(f"修改{label}", budget, {key: amount})


def signoff_field(form: Form, key: str, text: str) -> Edit:
    """单位负责人 / 填报人 / 联系电话 / 填报日期 (the sign-off created with its first value)."""
    label = dict(SIGNOFF_FIELDS)[key]
    value = text.strip() or None
    signoff = form.signoff
    if signoff is None:
        if value is None:
            return Edit(label)
        new = Signoff()
        setattr(new, key, value)
        return edit(f"填写{label}", set_child(form, "signoff", new))
    if getattr(signoff, key) == value:
        return Edit(label)
    return edit(f"修改{label}", set_fields(signoff, {key: value}))


def fund_amount(form: Form, line: str, key: str, text: str, label: str, order: Sequence[str]) -> Edit:
    """An amount of a fund line; a line the form does not hold yet is added, placed as ``order`` lists lines.

    Raises:
        UserError: not a non-negative number.
    """
    amount = money_rule(label).parse(text)
    fund = form.fund(line)
    if fund is None:
        if amount is None:
            return Edit(label)
        new = FundLine(line=line)
        setattr(new, key, amount)
        return edit(f"填写{label}", insert(form, "funds", _fund_index(form, line, order), [new]))
    return set_values(f"修改{label}", fund, {key: amount})


def _fund_index(form: Form, line: str, order: Sequence[str]) -> int:
    """Where a new line goes in ``form.funds``: after the lines that come before it in ``order``."""
    positions = {key: position for position, key in enumerate(order)}
    mine = positions.get(line, len(positions))
    index = 0
    for position, fund in enumerate(form.funds or ()):
        if positions.get(fund.line, len(positions)) < mine:
            index = position + 1
    return index


def exec_weight(form: Form, text: str) -> Edit:
    """预算执行率分值 (blank: the rule set's).

    Raises:
        UserError: not a number from 0 to 100.
    """
    return set_values("修改预算执行率分值", form, {"exec_weight": EXEC_WEIGHT.parse(text)})


def exec_score(form: Form, text: str, weight: Decimal) -> Edit:
    """A manual 预算执行率得分 (blank: the suggestion applies again).

    Raises:
        UserError: not a number from 0 to the 分值 ``weight``.
    """
    return set_values("修改预算执行率得分", form, {"exec_score": EXEC_SCORE.parse(text, maximum=weight)})


def restore_suggested_score(form: Form) -> Edit:
    """恢复建议得分: clear the manual 预算执行率得分."""
    return set_values("恢复建议得分", form, {"exec_score": None})


def plan_percent(form: Form, by: str, text: str, order: Sequence[str]) -> Edit:
    """The cumulative spending percent by a date; a new date is placed as ``order`` lists dates.

    Raises:
        UserError: not a number from 0 to 100.
    """
    percent = percent_rule(f"{by}累计支出比例").parse(text)
    steps = form.spending_plan or []
    step = next((s for s in steps if s.by == by), None)
    if step is None:
        if percent is None:
            return Edit(f"填写{by}支出比例")
        column = list(order).index(by)
        index = 0
        for position, existing in enumerate(steps):
            if existing.by in order and list(order).index(existing.by) < column:
                index = position + 1
        return edit(f"填写{by}支出比例", insert(form, "spending_plan", index, [SpendingStep(by=by, percent=percent)]))
    return set_values(f"修改{by}支出比例", step, {"percent": percent})


# ---- goals --------------------------------------------------------------------------------------


def is_sequential(goals: Sequence[Goal]) -> bool:
    """Whether the goals are numbered 1, 2, 3 … in order."""
    return all(goal.no == position + 1 for position, goal in enumerate(goals))


def _renumber(form: Form, goals: Sequence[Goal], mapping: dict[int, int]) -> list[Operation]:
    """The operations giving ``goals`` and the indicators of those numbers their new numbers."""
    if not mapping:
        return []
    ops: list[Operation] = [set_fields(goal, {"no": mapping[goal.no]}) for goal in goals if goal.no in mapping]
    ops.extend(
        set_fields(indicator, {"goal": mapping[indicator.goal]})
        for indicator in form.indicators
        if indicator.goal is not None and indicator.goal in mapping
    )
    return ops


def add_goal(form: Form, after: int | None = None) -> tuple[Edit, Goal]:
    """添加目标: an empty goal after position ``after`` (at the end when None); also the new goal.

    Later goals move down a number (and their indicators with them) when the goals are numbered in order.
    """
    goals = list(form.goals or ())
    sequential = is_sequential(goals)
    index = len(goals) if after is None or not (0 <= after < len(goals)) or not sequential else after + 1
    number = index + 1 if sequential else max((g.no for g in goals), default=0) + 1
    new = Goal(no=number)
    mapping = {goal.no: goal.no + 1 for goal in goals[index:]} if index < len(goals) else {}
    ops = [*_renumber(form, goals[index:], mapping), insert(form, "goals", index, [new])]
    return edit(f"添加目标{number}", *ops), new


def remove_goal(form: Form, goal: Goal) -> Edit:
    """删除目标; later goals move up a number.

    Raises:
        UserError: indicators still belong to the goal.
    """
    held = [indicator for indicator in form.indicators if indicator.goal == goal.no]
    if held:
        raise UserError(
            f"目标{goal.no}下还有 {len(held)} 个指标，请先删除这些指标或把它们移到其他目标下，再删除此目标。"
        )
    goals = list(form.goals or ())
    index = goals.index(goal)
    ops: list[Operation] = [remove(form, "goals", index)]
    if is_sequential(goals):
        rest = goals[index + 1 :]
        ops.extend(_renumber(form, rest, {g.no: g.no - 1 for g in rest}))
    return edit(f"删除目标{goal.no}", *ops)


def move_goal(form: Form, index: int, to: int) -> Edit:
    """Move the goal at ``index`` to position ``to``; the numbers stay ascending in the new order."""
    goals = list(form.goals or ())
    goal = goals[index]
    moved = list(goals)
    moved.insert(to, moved.pop(index))
    numbers = sorted(g.no for g in goals)
    mapping = {g.no: number for g, number in zip(moved, numbers, strict=True) if g.no != number}
    return edit(f"移动目标{goal.no}", move(form, "goals", index, to), *_renumber(form, goals, mapping))


def goal_text(goal: Goal, key: str, text: str, label: str) -> Edit:
    """年度绩效目标 / 实际完成情况 of one goal; blank clears it."""
    new = text if text.strip() else None
    name = f"修改目标{goal.no}的{label}"
    if getattr(goal, key) == new:
        return Edit(name)
    return edit(name, set_fields(goal, {key: new}))
