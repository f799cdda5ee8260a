"""The blocks around an imported indicator table (no Qt): header fields, budget or fund lines, goals, tail, sign-off.

Every province's template derives from the Ministry of Finance forms, so the blocks are found by
their printed labels wherever they sit on the sheet (项目名称, 主管部门, 年度资金总额 …), not by
position: this program's own Excel export comes back whole, and most templates fill what they
print. A label that is absent leaves its field as a new form has it. Amounts keep the decimals the
cell shows; 得分 printed in the fund table is not read (the rules compute 预算执行率得分 again).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from desktop.models.formats.excel_cells import Grid, amount, norm, number, text
from desktop.models.workbook.domain import (
    FUND_LINES,
    Budget,
    Form,
    FormKind,
    FundLine,
    Goal,
    Signoff,
    SpendingStep,
    Unit,
)

# Fund line labels as norm() leaves them (其中： dropped) → the line.
FUND_LABELS: dict[str, str] = {
    "年度资金总额": "total",
    "部门整体支出": "total",
    "资金总额": "total",
    "当年财政拨款": "fiscal",
    "财政拨款": "fiscal",
    "上年结转资金": "carryover",
    "其他资金": "other",
    "基本支出": "basic",
    "项目支出": "project",
}
# Fund table column titles (norm()) → FundLine fields, and 分值 → the form's exec weight.
FUND_COLUMNS: dict[str, str] = {
    "年初预算数": "initial",
    "全年预算数": "full_year",
    "全年执行数": "executed",
    "实际支出数": "executed",
    "执行数": "executed",
    "分值": "weight",
}
SIGNOFF_LABELS: dict[str, str] = {"单位负责人": "head", "填报人": "preparer", "联系电话": "phone", "填报日期": "date"}
_OF_WHICH = re.compile(r"^其中[:：]?")
_UNIT_LABEL = re.compile(r"^(?:填报单位|单位名称|预算单位)\s*[:：]\s*(.+)$")
_UNIT_LINE = re.compile(r"^(\d{3,12})?(.+)$")


def read_blocks(grid: Grid, header: int, tail: int, form: Form, home: Unit | None = None) -> None:
    """Fill ``form``'s other blocks from the sheet.

    Args:
        grid: the sheet.
        header: the row of the indicator table's column titles (the blocks above it are read).
        tail: the first row after the indicator rows (总分, 说明 … and the sign-off are read from it).
        form: the new form, already of its kind, titled, with its indicators.
        home: the unit of the workbook the form goes to; a form of that unit keeps no unit of its own.
    """
    above = range(1, header)
    _unit(grid, above, form, home)
    _header_fields(grid, above, form)
    if form.kind.is_self_eval:
        _funds(grid, above, form)
        _goal_texts(grid, above, form)
    else:
        _budget(grid, above, form)
        _target_goals(grid, above, form)
    below = range(tail, grid.max_row + 1)
    conclusion = text_beside(grid, below, ("自评结论",))
    notes = text_beside(grid, below, ("说明", "其他需要说明的问题", "备注"))
    if notes == "无":
        notes = None  # the printed placeholder of an empty 说明
    if form.kind is not FormKind.DEPT_TARGET or not form.notes:
        form.notes = notes or form.notes
    form.conclusion = conclusion or form.conclusion
    signoff = _signoff(grid, range(1, grid.max_row + 1))
    if signoff is not None:
        form.signoff = signoff


# -- finding labels ----------------------------------------------------------------------------


def _cells(grid: Grid, rows: range) -> Iterator[tuple[int, int, str]]:
    """(row, column, norm(text)) of every top-left cell with text in these rows."""
    for row in rows:
        for column in range(1, grid.max_column + 1):
            if grid.merged.get((row, column), (row, column)) != (row, column):
                continue
            value = grid.sheet.cell(row, column).value
            if isinstance(value, str) and value.strip():
                yield row, column, norm(value)


def _right_of(grid: Grid, row: int, column: int) -> tuple[int, int] | None:
    """The first cell to the right of (row, column) that is not part of the same merged cell."""
    here = grid.merged.get((row, column), (row, column))
    for right in range(column + 1, grid.max_column + 1):
        if grid.merged.get((row, right), (row, right)) != here:
            return row, right
    return None


def _cell_beside(grid: Grid, rows: range, labels: tuple[str, ...]) -> Any:
    """The cell right of the first cell labelled with one of ``labels`` (其中： ignored), or None."""
    for row, column, label in _cells(grid, rows):
        if _OF_WHICH.sub("", label) in labels:
            place = _right_of(grid, row, column)
            return grid.cell(*place) if place else None
    return None


def text_beside(grid: Grid, rows: range, labels: tuple[str, ...]) -> str | None:
    """The text right of the first cell labelled with one of ``labels`` (项目名称 │ 政务服务经费)."""
    cell = _cell_beside(grid, rows, labels)
    return text(cell) if cell is not None else None


def _amount_beside(grid: Grid, rows: range, labels: tuple[str, ...]) -> Decimal | None:
    """The amount right of the first cell labelled with one of ``labels``."""
    cell = _cell_beside(grid, rows, labels)
    return amount(cell) if cell is not None else None


# -- the blocks --------------------------------------------------------------------------------


def _unit(grid: Grid, rows: range, form: Form, home: Unit | None) -> None:
    """The unit the form is for: 实施单位, 填报单位：…, or the line under the title (319202天津市…)."""
    found: Unit | None = None
    named = text_beside(grid, rows, ("实施单位",))
    if named:
        found = Unit(code="", name=named)
    else:
        title = title_above(grid, rows.stop)
        under_title = title[0] + 1 if title is not None else 1
        for row, column, _label in _cells(grid, rows):
            shown = text(grid.cell(row, column)) or ""
            labelled = _UNIT_LABEL.match(shown)
            if labelled:
                found = _unit_of(labelled.group(1))
                break
            if row == under_title and column == 1 and "：" not in shown and not shown.endswith("表"):
                found = _unit_of(shown)
                break
    if found is None or not found.name:
        return
    if home is not None and found.name == home.name and found.code in ("", home.code):
        return  # the workbook's own unit: the form prints it without keeping a copy
    form.unit = found


def title_above(grid: Grid, header: int) -> tuple[int, str] | None:
    """The form's printed title and its row: the first text above the table with 表 in it, ending in
    表 or in its year note (…绩效自评表（2022年度）); None when the sheet prints none."""
    for row in range(1, header):
        for column in range(1, grid.max_column + 1):
            value = grid.sheet.cell(row, column).value
            if isinstance(value, str) and value.strip().endswith(("表", "）", ")")) and "表" in value:
                return row, value.strip()
    return None


def _unit_of(line: str) -> Unit:
    """A unit line as printed: an optional code run into the name (319202天津市便民专线服务中心)."""
    matched = _UNIT_LINE.match(line.strip())
    code, name = (matched.group(1) or "", matched.group(2)) if matched else ("", line.strip())
    return Unit(code=code, name=name.strip())


def _header_fields(grid: Grid, rows: range, form: Form) -> None:
    form.code = text_beside(grid, rows, ("项目编码",)) or form.code
    form.department = text_beside(grid, rows, ("主管部门",)) or form.department
    form.purpose = text_beside(grid, rows, ("资金用途", "项目资金主要用途")) or form.purpose
    form.deviation = text_beside(grid, rows, ("偏差原因分析及改进措施",)) or form.deviation


def _budget(grid: Grid, rows: range, form: Form) -> None:
    found = Budget(
        amount=_amount_beside(grid, rows, ("预算数",)),
        fiscal=_amount_beside(grid, rows, ("财政资金",)),
        other=_amount_beside(grid, rows, ("其他资金",)),
    )
    if found.amount is not None or found.fiscal is not None or found.other is not None:
        form.budget = found
    plan = _spending_plan(grid, rows)
    if plan:
        form.spending_plan = plan


def _spending_plan(grid: Grid, rows: range) -> list[SpendingStep]:
    steps: list[SpendingStep] = []
    for row, column, label in _cells(grid, rows):
        if label != "资金支出计划":
            continue
        for right in range(column + 1, grid.max_column + 1):
            by = text(grid.cell(row, right))
            if not by or grid.merged.get((row, right), (row, right)) != (row, right):
                continue
            percent = number(str(text(grid.cell(row + 1, right)) or "").removesuffix("%"))
            steps.append(SpendingStep(by=by, percent=percent if isinstance(percent, Decimal) else None))
    return steps


def _target_goals(grid: Grid, rows: range, form: Form) -> None:
    overall = text_beside(grid, rows, ("总体绩效目标",))
    if overall is None and form.kind is FormKind.PROJECT_TARGET:
        overall = text_beside(grid, rows, ("绩效目标", "年度绩效目标"))
    if overall is None and form.kind is FormKind.DEPT_TARGET:
        overall = text_beside(grid, rows, ("绩效目标",))
    form.overall_target = overall or form.overall_target
    goals: list[Goal] = []
    for row, column, label in _cells(grid, rows):
        if label != "分项绩效目标":
            continue
        last = max((r for (r, c), top in grid.merged.items() if top == (row, column)), default=row)
        for goal_row in range(row, last + 1):
            no = number(grid.cell(goal_row, column + 1).value)
            place = _right_of(grid, goal_row, column + 1)
            if isinstance(no, Decimal) and place is not None:
                goals.append(Goal(no=int(no), target=text(grid.cell(*place))))
    if goals:
        form.goals = goals
    plans = text_beside(grid, rows, ("目标规划及保障措施",))
    if plans:
        form.notes = plans


def _funds(grid: Grid, rows: range, form: Form) -> None:
    for row, _column, label in _cells(grid, rows):
        if label != "年初预算数":
            continue
        titles = {c: FUND_COLUMNS.get(norm(grid.cell(row, c).value)) for c in range(1, grid.max_column + 1)}
        columns = {c: key for c, key in titles.items() if key is not None}
        if not any(key != "weight" for key in columns.values()):
            return
        _fund_lines(grid, row, columns, form)
        return


def _fund_lines(grid: Grid, head: int, columns: dict[int, str], form: Form) -> None:
    first_value = min(c for c, key in columns.items() if key != "weight")
    deviation_column = next(
        (c for c in range(1, grid.max_column + 1) if norm(grid.cell(head, c).value).startswith("偏差原因")), None
    )
    lines: dict[str, FundLine] = {}
    for row in range(head + 1, min(grid.max_row, head + 12) + 1):
        line = None
        for column in range(1, first_value):
            line = FUND_LABELS.get(_OF_WHICH.sub("", norm(grid.cell(row, column).value))) or line
        if line is None or line in lines:
            if lines:
                break
            continue
        fund = FundLine(line)
        for column, key in columns.items():
            if key == "weight":
                weight = number(grid.cell(row, column).value)
                if line == "total" and isinstance(weight, Decimal):
                    form.exec_weight = weight
            elif not grid.is_merged_below(row, column) and grid.merged.get((row, column), (row, column))[1] == column:
                setattr(fund, key, amount(grid.cell(row, column)))
        if line == "total" and deviation_column is not None:
            form.deviation = text(grid.cell(row, deviation_column)) or form.deviation
        lines[line] = fund
    if lines:
        order = [key for key in FUND_LINES if key in lines]
        form.funds = [lines[key] for key in order]


def _goal_texts(grid: Grid, rows: range, form: Form) -> None:
    """年度总体目标: 预期目标 / 实际完成情况 (or the numbered goals of department layout B)."""
    for row, column, label in _cells(grid, rows):
        if label == "目标序号":
            _numbered_goals(grid, row, column, form)
            return
        if label != "预期目标":
            continue
        actual = next(
            (c for r, c, other in _cells(grid, range(row, row + 1)) if other in ("实际完成情况", "目标实际完成情况")),
            None,
        )
        form.overall_target = text(grid.cell(row + 1, column)) or form.overall_target
        if actual is not None:
            form.overall_actual = text(grid.cell(row + 1, actual)) or form.overall_actual
        return


def _numbered_goals(grid: Grid, head: int, column: int, form: Form) -> None:
    places = [c for r, c, _label in _cells(grid, range(head, head + 1)) if c > column]
    goals: list[Goal] = []
    for row in range(head + 1, grid.max_row + 1):
        no = number(grid.cell(row, column).value)
        if not isinstance(no, Decimal):
            break
        target = text(grid.cell(row, places[0])) if places else None
        actual = text(grid.cell(row, places[1])) if len(places) > 1 else None
        goals.append(Goal(no=int(no), target=target, actual=actual))
    if goals:
        form.goals = goals


def _signoff(grid: Grid, rows: range) -> Signoff | None:
    """单位负责人 / 填报人 / 联系电话 / 填报日期: "label：value" in one cell, or the value in the next one."""
    found: dict[str, str | None] = {}
    for row in rows:
        for column in range(1, grid.max_column + 1):
            value = grid.sheet.cell(row, column).value
            if not isinstance(value, str):
                continue
            parts = re.split(r"[:：]", value, maxsplit=1)
            label, rest = parts[0], parts[1] if len(parts) > 1 else ""
            key = SIGNOFF_LABELS.get(norm(label))
            if key is None:
                continue
            given = rest.strip()
            if not given:
                place = _right_of(grid, row, column)
                beside = text(grid.cell(*place)) if place else None
                if beside and SIGNOFF_LABELS.get(norm(re.split(r"[:：]", beside)[0])) is None:
                    given = beside
            found[key] = given or None
    if not any(found.values()):
        return None
    return Signoff(
        head=found.get("head"), preparer=found.get("preparer"), phone=found.get("phone"), date=found.get("date")
    )
