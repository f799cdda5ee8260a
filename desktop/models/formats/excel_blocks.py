"""The blocks around an imported indicator table (no Qt): name, unit, header fields, budget or funds, goals,
money unit and tail (总分, 结论, 说明); the sign-off lines are ``excel_signoff``'s.

Every province's template derives from the Ministry of Finance forms, so the blocks are found by
their printed labels wherever they sit in the form's rows (项目名称, 主管部门, 年度资金总额 …), not
by position; the labels' variants (fund columns, fund lines, tail rows) are data in
``excel_titles.json``. A label that is absent leaves its field as a new form has it. Amounts keep
the decimals the cell shows, in the money unit the form prints; 得分 printed in the fund table is
not read (the rules compute 预算执行率得分 again).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from desktop.models.formats.excel_cells import Grid, amount, number, right_of, text
from desktop.models.formats.excel_labels import (
    fund_column,
    fund_line,
    indicator_column,
    is_block_label,
    label,
    money_unit_in,
    name_labels,
    row_kind,
)
from desktop.models.formats.excel_tables import Header, own, row_texts
from desktop.models.workbook.domain import (
    FUND_LINES,
    Budget,
    Form,
    FormKind,
    FundLine,
    Goal,
    SpendingStep,
    Unit,
)

_UNIT_LABEL = re.compile(r"^(?:填报单位|单位名称|预算单位|部门|编制单位)\s*(?:[（(][^）)]*[）)])?\s*[:：]\s*(.+)$")
_UNIT_LINE = re.compile(r"^\[?(\d{3,12})\]?\s*[-－—]?\s*(.+)$")
_CODE_NAME = re.compile(r"^\[?([0-9A-Z]{6,30})\]?\s*[-－—_]\s*(.+)$")
_YEAR = re.compile(r"^[（(]?\s*\d{4}\s*年度?\s*[）)]?$")
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|\d+[.、]|附件|附表|公开\d+表|报表编号)")
_YEAR_NOTE = re.compile(r"[（(]\s*\d{4}\s*年度?\s*[）)]")
_TITLE_KIND = re.compile(
    r"(?:部门[（(]单位[）)])?(?:部门)?(?:整体支出|整体|项目支出|预算项目支出|项目)?"
    r"(?:绩效目标表|绩效自评表|绩效目标申报表|绩效自评情况表|绩效目标自评表|绩效评价得分表|绩效目标)$"
)
_BLOCK_WEIGHT = re.compile(r"[（(]\s*(\d+(?:\.\d+)?)\s*分\s*[）)]")
_MONEY_WORDS = ("资金", "预算", "金额", "支出", "单位", "拨款")


# -- finding labels ----------------------------------------------------------------------------


def _cells(grid: Grid, rows: range) -> Iterator[tuple[int, int, str]]:
    """(row, column, label) of every top-left cell with text in these rows."""
    for row in rows:
        for column, value in row_texts(grid, row):
            if isinstance(value, str):
                yield row, column, label(value)


def _cell_beside(grid: Grid, rows: range, labels: tuple[str, ...], reach: int = 1) -> Any:
    """The cell right of the first cell labelled with one of ``labels`` (其中： ignored), or None."""
    for row, column, found in _cells(grid, rows):
        if re.sub(r"^其中:?", "", found) in labels:
            place = right_of(grid, row, column, reach)
            return grid.cell(*place) if place else None
    return None


def text_beside(grid: Grid, rows: range, labels: tuple[str, ...]) -> str | None:
    """The text right of the first cell labelled with one of ``labels`` (项目名称 │ 政务服务经费), or after
    the label's colon in the same cell (主管部门（盖章）：某某局)."""
    wanted = tuple(label(x) for x in labels)
    for row, column, found in _cells(grid, rows):
        if re.sub(r"^其中:?", "", found) in wanted:
            place = right_of(grid, row, column)
            return text(grid.cell(*place)) if place else None
        head, colon, rest = str(grid.sheet.cell(row, column).value).replace(":", "：").partition("：")
        if colon and rest.strip() and label(head) in wanted:
            return rest.strip()
    return None


def _amount_beside(grid: Grid, rows: range, labels: tuple[str, ...]) -> Decimal | None:
    cell = _cell_beside(grid, rows, tuple(label(x) for x in labels))
    return amount(cell) if cell is not None else None


def _is_title_text(shown: str) -> bool:
    """Whether a text is a column or block title rather than a value (年初预算数, 项目名称 …)."""
    folded = label(shown)
    return bool(
        indicator_column(folded) or fund_column(folded) or is_block_label(folded) or row_kind(folded) is not None
    )


# -- name, unit, money unit ------------------------------------------------------------------------


def form_name(grid: Grid, above: range, title: str) -> tuple[str, str | None]:
    """The project or department name (and a project code glued to it), from its label or the title."""
    for wanted in name_labels():
        for row, column, found in _cells(grid, above):
            head, _, rest = grid.sheet.cell(row, column).value.partition("：")
            if found == wanted:
                place = right_of(grid, row, column)
                shown = text(grid.cell(*place)) if place else None
                if shown and not _is_title_text(shown):
                    return _split_code(shown)
            elif label(head) == wanted and rest.strip():  # 部门名称：达州市农业农村局 in one cell
                return _split_code(rest.strip())
            elif found.startswith(wanted + ":"):
                return _split_code(found.split(":", 1)[1])
    name = _YEAR_NOTE.sub("", title).strip()
    name = re.sub(r"^(?:\d+[.、])?\s*\d{4}年度?", "", name) if _TITLE_KIND.search(name) else name
    name = re.sub(r"^\d+[.、]\s*", "", name)
    name = _TITLE_KIND.sub("", name).strip()
    return name, None


def _split_code(shown: str) -> tuple[str, str | None]:
    """51000021R000000019951-工资性支出 → (工资性支出, 51000021R000000019951)."""
    matched = _CODE_NAME.match(shown.strip())
    if matched and any(ch.isdigit() for ch in matched.group(1)):
        return matched.group(2).strip(), matched.group(1)
    return shown.strip(), None


def find_money_unit(grid: Grid, above: range, header: Header) -> tuple[str | None, str]:
    """The money unit the form prints (「单位：元」, 「项目资金（元）」 …) and where, or (None, '')."""
    rows = range(above.start, header.last + 1)
    for row in rows:
        for _column, value in row_texts(grid, row):
            if not isinstance(value, str):
                continue
            shown = value.strip()
            unit = money_unit_in(shown)
            if unit and any(word in shown for word in _MONEY_WORDS):
                return unit, f"表中“{shown[:24]}”"
    return None, ""


def read_unit(grid: Grid, rows: range, form: Form, home: Unit | None, header: int) -> None:
    """The unit the form is for: 实施单位, 填报单位：…, or the line under the title (319202天津市…) above
    the table's ``header`` row."""
    found: Unit | None = None
    named = text_beside(grid, rows, ("实施单位", "项目实施单位", "实施单位（盖章）"))
    if named and not _is_title_text(named):
        found = _unit_of(named)
    else:
        title = next((row for row in rows if _title_alone(grid, row)), None)
        for row in rows:
            cells = row_texts(grid, row)
            for _column, value in cells:
                shown = text_of(value)
                labelled = _UNIT_LABEL.match(shown)
                if labelled:
                    found = _unit_of(labelled.group(1))
                    break
            if found is not None:
                break
            if title is not None and title < row < header and cells and _looks_like_unit(text_of(cells[0][1])):
                found = _unit_of(text_of(cells[0][1]))
                break
            if title is not None and row > title + 3:
                break
    if found is None or not found.name:
        return
    if home is not None and found.name == home.name and found.code in ("", home.code):
        return  # the workbook's own unit: the form prints it without keeping a copy
    form.unit = found


def text_of(value: Any) -> str:
    return str(value).strip() if value is not None else ""


def _title_alone(grid: Grid, row: int) -> bool:
    from desktop.models.formats.excel_tables import is_title_row

    return is_title_row(grid, row) is not None


def _looks_like_unit(shown: str) -> bool:
    """A line under the title naming a unit, not a year (（2024年度）), heading, money unit or label."""
    folded = label(shown)
    return bool(
        folded
        and not _YEAR.match(shown)
        and not _HEADING.match(shown)
        and ":" not in folded
        and not folded.endswith("表")
        and money_unit_in(shown) is None
        and not _is_title_text(shown)
    )


def _unit_of(line: str) -> Unit:
    """A unit line as printed: an optional code run into the name (319202天津市…, 219001-池州市…)."""
    matched = _UNIT_LINE.match(line.strip())
    code, name = (matched.group(1) or "", matched.group(2)) if matched else ("", line.strip())
    return Unit(code=code, name=name.strip())


# -- the blocks above the table --------------------------------------------------------------------


def read_blocks(grid: Grid, above: range, form: Form, title_row: int | None, notes: list[str] | None = None) -> None:
    """Fill ``form``'s header fields, budget or funds and goals from the rows above its table (what was not
    kept is added to ``notes``)."""
    _header_fields(grid, above, form)
    if form.kind.is_self_eval:
        _funds(grid, above, form, notes if notes is not None else [])
        _goal_texts(grid, above, form)
    else:
        _budget(grid, above, form)
        _target_goals(grid, above, form)


def _header_fields(grid: Grid, rows: range, form: Form) -> None:
    form.code = text_beside(grid, rows, ("项目编码",)) or form.code
    department = text_beside(grid, rows, ("主管部门",))
    if department and not _is_title_text(department):
        form.department = department
    for row, column, found in _cells(grid, rows):
        if found == "预算规模及资金用途":  # the purpose is the last line of the merged label
            last = max((r for (r, c), top in grid.merged.items() if top == (row, column)), default=row)
            place = right_of(grid, last, column)
            shown = text(grid.cell(*place)) if place and last > row else None
            if shown and not _is_title_text(shown):
                form.purpose = shown
    form.purpose = text_beside(grid, rows, ("资金用途", "项目资金主要用途")) or form.purpose
    form.deviation = text_beside(grid, rows, ("偏差原因分析及改进措施",)) or form.deviation


def _budget(grid: Grid, rows: range, form: Form) -> None:
    found = Budget(
        amount=_amount_beside(grid, rows, ("预算数", "总额", "资金总额", "年度资金总额")),
        fiscal=_amount_beside(grid, rows, ("财政资金", "财政拨款")),
        other=_amount_beside(grid, rows, ("其他资金",)),
    )
    if found.amount is not None or found.fiscal is not None or found.other is not None:
        form.budget = found
    plan = _spending_plan(grid, rows)
    if plan:
        form.spending_plan = plan


def _spending_plan(grid: Grid, rows: range) -> list[SpendingStep]:
    steps: list[SpendingStep] = []
    for row, column, found in _cells(grid, rows):
        if found != "资金支出计划":
            continue
        for right in range(column + 1, grid.max_column + 1):
            by = text(grid.cell(row, right))
            if not by or grid.merged.get((row, right), (row, right)) != (row, right):
                continue
            percent = number(str(text(grid.cell(row + 1, right)) or "").removesuffix("%"))
            steps.append(SpendingStep(by=by, percent=percent if isinstance(percent, Decimal) else None))
    return steps


LONG_TERM_GOALS = ("长期目标", "中长期目标", "长期绩效目标", "中长期绩效目标")
_GOAL_LABELS = frozenset(label(x) for x in (*LONG_TERM_GOALS, "年度目标", "年度绩效目标", "绩效目标", "总体绩效目标"))


def goal_text(grid: Grid, rows: range, labels: tuple[str, ...]) -> str | None:
    """The goal text of the first of ``labels``: right of it, or under it when titles stand side by side
    (长期目标 | 年度目标 over their two texts, 陕西 佳县)."""
    wanted = tuple(label(x) for x in labels)
    for row, column, found in _cells(grid, rows):
        if found not in wanted:
            continue
        shown = text_beside(grid, range(row, row + 1), (found,))
        if shown and not _is_title_text(shown) and label(shown) not in _GOAL_LABELS:
            return shown
        last = max((r for (r, c), top in grid.merged.items() if top == (row, column)), default=row)
        below = text(grid.cell(last + 1, column)) if last + 1 < rows.stop else None
        return below if below and not _is_title_text(below) else None
    return None


def _target_goals(grid: Grid, rows: range, form: Form) -> None:
    overall = text_beside(grid, rows, ("总体绩效目标", "年度总体绩效目标"))
    if overall is None:
        overall = goal_text(grid, rows, ("绩效目标", "年度绩效目标", "年度目标"))
    if overall is not None and not _is_title_text(overall):
        form.overall_target = overall
    goals: list[Goal] = []
    for row, column, found in _cells(grid, rows):
        if found != "分项绩效目标":
            continue
        last = max((r for (r, c), top in grid.merged.items() if top == (row, column)), default=row)
        for goal_row in range(row, last + 1):
            no = number(grid.cell(goal_row, column + 1).value)
            place = right_of(grid, goal_row, column + 1)
            if isinstance(no, Decimal) and place is not None:
                goals.append(Goal(no=int(no), target=text(grid.cell(*place))))
    if goals:
        form.goals = goals
    plans = text_beside(grid, rows, ("目标规划及保障措施",))
    if plans:
        form.notes = plans


def _funds(grid: Grid, rows: range, form: Form, notes: list[str]) -> None:
    """The fund table: a row of titles with a budget and an executed column, then its lines; the block's
    weight printed in its title (预算执行情况（万元）（20分）) unless a 分值 column prints it."""
    for row, column, found in _cells(grid, rows):
        weight = _BLOCK_WEIGHT.search(text_of(grid.sheet.cell(row, column).value))
        if weight and found.startswith(("预算执行情况", "项目预算执行情况", "资金情况", "项目资金")):
            form.exec_weight = Decimal(weight.group(1))
            break
    for row in rows:
        titles: dict[int, str] = {}
        for column in range(1, grid.max_column + 1):
            top = grid.merged.get((row, column), (row, column))
            key = fund_column(label(grid.sheet.cell(*top).value)) if top[1] == column else None
            if key is not None and key not in titles.values():
                titles[column] = key
        keys = set(titles.values())
        if "executed" in keys and keys & {"initial", "full_year"}:
            _fund_lines(grid, row, titles, form, rows.stop, notes)
            return


def _fund_lines(grid: Grid, head: int, columns: dict[int, str], form: Form, stop: int, notes: list[str]) -> None:
    first_value = min(c for c, key in columns.items() if key != "weight")
    deviation_column = next(
        (c for c in range(1, grid.max_column + 1) if label(grid.cell(head, c).value).startswith("偏差原因")), None
    )
    lines: dict[str, FundLine] = {}
    for row in range(head + 1, min(stop, head + 12)):
        line, printed = _line_label(grid, row, first_value)
        if line is None and lines and label(printed).startswith("其中"):  # 其中：省级资金 under 财政拨款
            notes.append(f"资金表第 {row} 行“{printed[:20]}”是上一行资金的细分，本程序的资金表没有这一行，未导入")
            continue
        if line is None and not lines and any(isinstance(number(own(grid, row, c)), Decimal) for c in columns):
            line = "total"  # the values right under the titles, with no line label: the total
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


def _line_label(grid: Grid, row: int, first_value: int) -> tuple[str | None, str]:
    """The fund line a row's label names (or None), and the label as printed."""
    line: str | None = None
    printed = ""
    for column in range(1, first_value):
        shown = text_of(own(grid, row, column))
        printed = shown or printed
        line = fund_line(label(shown)) or line
    return line, printed


def _goal_texts(grid: Grid, rows: range, form: Form) -> None:
    """年度总体目标: 预期目标 / 实际完成情况 (or the numbered goals of department layout B)."""
    targets = {"预期目标", "年初设定目标", "项目年度目标", "年度预期目标"}
    actuals = {"实际完成情况", "目标实际完成情况", "年度总体目标完成情况", "年度总体目标完成情况综述"}
    actuals.add("年度目标完成情况")
    for row, column, found in _cells(grid, rows):
        if found == "目标序号":
            _numbered_goals(grid, row, column, form)
            return
        if found not in targets:
            continue
        actual = next((c for r, c, other in _cells(grid, range(row, row + 1)) if other in actuals), None)
        shown = text(grid.cell(row + 1, column))
        if shown and not _is_title_text(shown):
            form.overall_target = shown
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


# -- the tail: 总分, 结论, 说明 ------------------------------------------------------------------


def read_tail(grid: Grid, below: range, header: Header, form: Form) -> None:
    """总分 (the printed total, into ``printed_total``), 自评结论, 说明 and 偏差原因 rows under the table."""
    score_column = next((c for c, key in header.columns.items() if key == "score"), None)
    for row in below:
        cells = row_texts(grid, row)
        if not cells:
            continue
        kind = row_kind(label(cells[0][1]))
        if kind == "total" and score_column is not None and form.printed_total is None:
            total = number(grid.cell(row, score_column).value)
            if not isinstance(total, Decimal):  # 总分：96 in the label cell itself
                total = number(text_of(cells[0][1]).replace(":", "：").partition("：")[2])
            if isinstance(total, Decimal):
                form.printed_total = total
        elif kind in ("conclusion", "notes", "deviation"):
            shown = _tail_text(grid, row, cells)
            if kind == "conclusion":
                form.conclusion = shown or form.conclusion
            elif kind == "deviation":
                form.deviation = shown or form.deviation
            elif shown and shown != "无" and not (form.kind is FormKind.DEPT_TARGET and form.notes):
                form.notes = shown


def _tail_text(grid: Grid, row: int, cells: list[tuple[int, Any]]) -> str | None:
    """The text after a tail label: in the next cell, or after its colon (说明：…)."""
    first = text_of(cells[0][1])
    _head, colon, rest = first.replace(":", "：").partition("：")
    if colon and rest.strip():
        return rest.strip()
    if len(cells) > 1:
        return text(grid.sheet.cell(row, cells[1][0]))
    return None
