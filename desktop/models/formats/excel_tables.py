"""The indicator tables of an imported sheet (no Qt): where each header is, which column is which, and its rows.

A header is a row whose titles name two of 一级指标, 二级指标 and 三级指标; the row below belongs to
it when every title printed there is a known column title too (「绩效指标」 merged over 一级/二级/三级,
「年度指标值」 over 指标性质 | 指标值 | 度量单位). What each title means comes from the titles table
(``excel_labels``). The rows under a header are indicators until a row that ends the table: a
total, conclusion, note or sign-off label in whichever column it stands, a new form's title, or a
header block label (项目名称 …). Goal rows (「年度绩效目标1（40分）」) and a 绩效目标 column give the
rows their goal; template rows (a 二级 with no 三级, 指标1：, ……) are skipped, each with a note saying
why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from desktop.models.formats.excel_cells import Grid, number, text
from desktop.models.formats.excel_labels import (
    indicator_column,
    is_block_label,
    is_field_label,
    is_placeholder,
    is_subtotal,
    label,
    row_kind,
    without_weight,
)
from desktop.models.workbook.cells import indicator_problems
from desktop.models.workbook.domain import MAX_INDICATORS_PER_FORM, Goal, Indicator

_GOAL = re.compile(r"^(?:年度|分项)?(?:绩效)?目标\s*([0-9]+|[一二三四五六七八九十]+)\s*(?:[:：.、]\s*)?")
_CHINESE_DIGITS = "一二三四五六七八九十"
_QUALITATIVE = ("定性", "定量")
# 指标方向性 (四川) and like columns say 正向 / 反向 where others print the operator.
_DIRECTION_SIGNS = {"正向": "≥", "正向指标": "≥", "反向": "≤", "反向指标": "≤"}
_TITLE_WORDS = ("绩效", "自评", "目标表", "评价", "得分表")
NUMBER_FIELDS = ("weight", "score")
FIELD_TITLES = {
    "level1": "一级指标",
    "level2": "二级指标",
    "name": "三级指标",
    "description": "指标描述",
    "target": "指标值",
    "actual": "实际完成值",
    "weight": "分值",
    "score": "得分",
    "deviation": "偏差原因",
    "basis": "指标值确定依据",
}


@dataclass
class Header:
    """An indicator table's column titles: its rows and what each column holds."""

    first: int
    last: int
    columns: dict[int, str]  # column → indicator field (sign / unit: parts of the target)
    unknown: dict[int, str]  # column → printed title not in the titles table

    @property
    def keys(self) -> set[str]:
        return set(self.columns.values())


@dataclass
class Rows:
    """What the rows under a header hold."""

    indicators: list[Indicator] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    end: int = 0  # the first row after the indicator rows
    ended_by: str = "sheet"  # "label", "title", "block", "header" or "sheet"
    notes: list[str] = field(default_factory=list)
    ending: str = ""  # the label of the row that ended the table (合计, 说明 …)


def own(grid: Grid, row: int, column: int) -> Any:
    """The value of a cell that starts at (row, column), None inside a merged range started elsewhere."""
    if grid.merged.get((row, column), (row, column)) != (row, column):
        return None
    return grid.sheet.cell(row, column).value


def row_texts(grid: Grid, row: int) -> list[tuple[int, Any]]:
    """(column, value) of the non-blank cells that start in this row, left to right."""
    found = []
    for column in range(1, grid.max_column + 1):
        value = own(grid, row, column)
        if value is not None and not (isinstance(value, str) and not value.strip()):
            found.append((column, value))
    return found


def is_title_row(grid: Grid, row: int) -> str | None:
    """The form title a row prints alone (…绩效目标表, …自评表（2022年度）), else None."""
    cells = row_texts(grid, row)
    if len(cells) != 1 or not isinstance(cells[0][1], str):
        return None
    shown = cells[0][1].strip()
    folded = label(shown)
    if "表" in folded and any(word in folded for word in _TITLE_WORDS) and not is_block_label(folded):
        return shown
    return None


def _titles(grid: Grid, row: int, merged_from_above: bool) -> dict[int, str]:
    """column → label of the title shown there (the first column of a merged title only)."""
    found: dict[int, str] = {}
    for column in range(1, grid.max_column + 1):
        top = grid.merged.get((row, column), (row, column))
        if top[1] != column or (top[0] != row and not merged_from_above):
            continue
        title = label(grid.sheet.cell(*top).value)
        if title:
            found[column] = title
    return found


def header_at(grid: Grid, row: int) -> Header | None:
    """The indicator table header starting at this row, if it is one."""
    titles = _titles(grid, row, merged_from_above=True)
    fields = {column: indicator_column(title) for column, title in titles.items()}
    present = set(fields.values())
    if len(present & {"level1", "level2", "name"}) < 2:  # 二级 | 三级 without 一级 (大庆) is a table too
        return None
    last = row
    below = _titles(grid, row + 1, merged_from_above=False) if row < grid.max_row else {}
    below_fields = {column: indicator_column(title) for column, title in below.items()}
    below_cells = row_texts(grid, row + 1) if row < grid.max_row else []
    notes_only = not below and any(isinstance(v, str) for _c, v in below_cells)  # (A) | (B)
    known = sum(1 for key in below_fields.values() if key is not None)
    # Titles under titles: no numbers, and at least as many known column titles as unknown ones.
    titled = known > 0 and 2 * known >= len(below_fields) and all(isinstance(v, str) for _c, v in below_cells)
    if notes_only or titled:
        last = row + 1
        titles.update(below)
        fields.update(below_fields)
    columns: dict[int, str] = {}
    unknown: dict[int, str] = {}
    for column in sorted(fields):
        key = fields[column]
        if key is None:
            unknown[column] = titles[column]
        elif key != "ignore" and key not in columns.values():
            columns[column] = key
    if "target" not in columns.values():  # 预期指标值 over 符号 | 单位: the 符号 column holds ≥100
        for column, key in columns.items():
            if key == "sign":
                columns[column] = "target"
                break
    if "name" not in columns.values():  # 一级 | 二级 | 指标内容 | 指标值: the content is the indicator
        for column, key in columns.items():
            if key == "description":
                columns[column] = "name"
                break
    if "name" not in columns.values():
        return None
    return Header(row, last, columns, unknown)


def find_headers(grid: Grid) -> list[Header]:
    """Every indicator table header on the sheet, top to bottom."""
    headers: list[Header] = []
    row = 1
    while row <= grid.max_row:
        found = header_at(grid, row)
        if found is not None:
            headers.append(found)
            row = found.last + 1
        else:
            row += 1
    return headers


def _goal_of(shown: str) -> tuple[int, str | None] | None:
    matched = _GOAL.match(shown.strip())
    if not matched:
        return None
    digits = matched.group(1)
    no = int(digits) if digits.isdigit() else _chinese_number(digits)
    rest = without_weight(shown.strip()[matched.end() :]).strip() or None
    return no, rest


def _chinese_number(digits: str) -> int:
    if digits == "十":
        return 10
    if digits.startswith("十"):
        return 10 + _CHINESE_DIGITS.index(digits[1]) + 1
    return _CHINESE_DIGITS.index(digits[0]) + 1


def read_rows(grid: Grid, header: Header, stop: int, sheet: str) -> Rows:
    """The indicators under ``header``, up to the row that ends the table (or ``stop``)."""
    from desktop.models.errors import InvalidInputError

    found = Rows(end=stop)
    goal: int | None = None
    goal_cells: dict[tuple[int, int], int] = {}
    previous: Indicator | None = None
    parts = _Breakdown()
    columns = header.columns
    goal_column = next((c for c, key in columns.items() if key == "goal"), None)
    for row in range(header.first - 1, max(header.first - 4, 0), -1):  # 「年度绩效目标1（40分）」 above the titles
        cells = row_texts(grid, row)
        if len(cells) == 1 and isinstance(cells[0][1], str) and (goal_row := _goal_of(cells[0][1])) is not None:
            goal = goal_row[0]
            found.goals.append(Goal(no=goal, target=goal_row[1]))
            break
        if any(indicator_column(label(value)) is None for _column, value in cells):
            break  # not a row of column titles: no goal row right above the table
    for row in range(header.last + 1, stop):
        cells = row_texts(grid, row)
        if not cells:
            continue
        lead = label(cells[0][1])
        # A text alone in an indicator column, not merged across, is an indicator cell (联系电话接通率,
        # 目标1完成率), whatever it starts with; a label elsewhere or spanning the table is a label.
        in_cell = cells[0][0] in _text_columns(columns) and not _spans(grid, row, cells[0][0])
        if row_kind(lead, strict=in_cell) is not None:
            found.end, found.ended_by, found.ending = row, "label", str(cells[0][1]).strip()[:20]
            return found
        shown = str(cells[0][1]).strip()
        if not in_cell and is_field_label(shown) and _goal_of(shown) is None:  # 审核人：… | 日期：…: a sign-off line
            found.end, found.ended_by, found.ending = row, "label", shown[:20]
            return found
        if not in_cell and is_title_row(grid, row):
            found.end, found.ended_by = row, "title"
            return found
        subtotal = next((str(v).strip() for _c, v in cells if isinstance(v, str) and is_subtotal(label(v))), None)
        if subtotal is not None:
            found.notes.append(f"第 {row} 行“{subtotal[:20]}”是小计行，未导入")
            continue
        if is_block_label(lead) and cells[0][0] not in _text_columns(columns):
            found.end, found.ended_by = row, "block"
            return found
        titled = any(indicator_column(label(value)) in ("level1", "level2", "name") for _c, value in cells)
        if titled and header_at(grid, row) is not None:
            found.notes.append(f"第 {row} 行是重复的表头，未导入")
            continue
        if len(cells) == 1 and isinstance(cells[0][1], str) and not in_cell:
            goal_row = _goal_of(cells[0][1])
            if goal_row is not None:
                goal = goal_row[0]
                found.goals.append(Goal(no=goal, target=goal_row[1]))
                continue
            spans = grid.merged.get((row, cells[0][0])) is not None
            if spans or cells[0][0] not in columns:
                found.notes.append(f"第 {row} 行“{cells[0][1].strip()[:20]}”是小标题，未导入")
                continue
        if goal_column is not None:
            goal = _column_goal(grid, row, goal_column, goal_cells, found.goals)
        values = {key: _read(grid, row, column, key) for column, key in columns.items() if key != "goal"}
        indicator = _indicator(values, previous, goal)
        name = indicator.name
        if not name or is_placeholder(name):
            shown = name or indicator.level2 or indicator.level1
            why = "是模板的占位行" if name else "没有三级指标（模板中的空行）"
            found.notes.append(f"第 {row} 行“{shown}”{why}，未导入")
            continue
        if previous is not None and parts.takes(indicator, previous, weighted="weight" in columns.values()):
            found.notes.append(parts.attach(previous, indicator, row))
            continue
        parts.last = None
        for key in NUMBER_FIELDS:
            if isinstance(values.get(key), str):
                found.notes.append(f"第 {row} 行“{FIELD_TITLES[key]}”：“{values[key]}”不是数字，未导入")
        for _field, problem in indicator_problems(indicator):  # as typing it into the table would say
            found.notes.append(f"第 {row} 行：{problem}，已导入，请核对")
        found.indicators.append(indicator)
        previous = indicator
        if len(found.indicators) > MAX_INDICATORS_PER_FORM:
            raise InvalidInputError(
                f"工作表“{sheet}”的指标超过 {MAX_INDICATORS_PER_FORM} 行，不像是一张绩效表，未导入。"
            )
    found.ended_by = "header" if stop <= grid.max_row else "sheet"
    return found


@dataclass
class _Breakdown:
    """「其中：…」 rows under an indicator (安徽 萧县): a breakdown of its value with no 分值 or 得分 of its own. They
    are part of that indicator, so their text joins its name (shown and printed on every form kind; the value
    that is scored is left alone) and the report says so. Rows right under a 其中 row, with no level of their own
    and no 分值 in a table that has one, continue the breakdown (其中：省级资金 / 市级资金)."""

    last: Indicator | None = None  # the indicator the previous row was joined to
    names: dict[int, tuple[str, list[str]]] = field(default_factory=dict)  # id(indicator) → its name, the parts

    def takes(self, row: Indicator, previous: Indicator, weighted: bool) -> bool:
        if row.weight is not None or row.score is not None:
            return False
        if (row.level1, row.level2) != (previous.level1, previous.level2):
            return False
        return label(row.name).startswith("其中") or (weighted and self.last is previous)

    def attach(self, parent: Indicator, row: Indicator, number: int) -> str:
        base, parts = self.names.setdefault(id(parent), (parent.name, []))
        shown = row.name.strip()
        for prefix, value in (("", row.target), ("，完成 ", row.actual), ("，", row.deviation)):
            if value:
                shown += f"{prefix or ' '}{value.strip()}"
        parts.append(shown)
        parent.name = f"{base}（{'；'.join(parts)}）"
        self.last = parent
        return (
            f"第 {number} 行“{row.name.strip()[:20]}”是上一行指标“{base[:20]}”的细分（没有分值和得分），"
            "已并入该指标的名称，未单独作为指标"
        )


def _spans(grid: Grid, row: int, column: int) -> bool:
    """Whether the cell at (row, column) is merged across two columns or more."""
    top = grid.merged.get((row, column))
    return top is not None and grid.merged.get((row, column + 1)) == top


def _text_columns(columns: dict[int, str]) -> set[int]:
    return {c for c, key in columns.items() if key in ("name", "description", "target", "actual", "deviation")}


def _column_goal(grid: Grid, row: int, column: int, seen: dict[tuple[int, int], int], goals: list[Goal]) -> int | None:
    """The goal a 绩效目标 column gives this row: 「绩效目标1：…」 merged down over its rows."""
    top = grid.merged.get((row, column), (row, column))
    if top in seen:
        return seen[top]
    shown = text(grid.sheet.cell(*top))
    if not shown:
        return goals[-1].no if goals and top[0] < row else None
    parsed = _goal_of(shown)
    no, target = parsed if parsed is not None else (len(goals) + 1, shown)
    seen[top] = no
    if all(g.no != no for g in goals):
        goals.append(Goal(no=no, target=target))
    return no


def _read(grid: Grid, row: int, column: int, key: str) -> Any:
    """A cell's value for a field: Decimal for 分值 / 得分 (the text when not a number), else text."""
    if key in ("level1", "level2") or not grid.is_merged_below(row, column):
        cell = grid.cell(row, column)
    else:
        return None  # inside a merged text cell: its value belongs to the row that starts it
    if key in NUMBER_FIELDS:
        return number(cell.value)
    return text(cell)


def _target(values: dict[str, Any]) -> str | None:
    """The target as one text: 指标性质 | 指标值 | 度量单位 joined (≥ | 95 | % → ≥95%).

    The operator may also come from a 指标方向性 column (正向 → ≥, 反向 → ≤) when the sign column holds none."""
    value = values.get("target")
    unit = values.get("unit")
    if not value:
        return None
    shown = str(value)
    sign = _DIRECTION_SIGNS.get(str(values.get("sign")), values.get("sign"))
    if sign in (None, "", "定量") and shown[:1].isdigit():  # a 定性 row or a text target takes no operator
        direction = str(values.get("direction") or "")
        sign = _DIRECTION_SIGNS.get(direction, direction if direction in ("≥", "≤", ">", "<", "=") else None)
    if sign and sign not in _QUALITATIVE and not shown.startswith(str(sign)):
        shown = f"{sign}{shown}"
    if unit and not shown.endswith(str(unit)):
        shown = f"{shown}{unit}"
    return shown


def _indicator(values: dict[str, Any], previous: Indicator | None, goal: int | None) -> Indicator:
    """One row's indicator; a blank 一级 / 二级 continues the row above (the printed forms leave them blank)."""
    level1 = without_weight(str(values.get("level1") or ""))
    level2 = without_weight(str(values.get("level2") or ""))
    if previous is not None and previous.goal == goal and not level1:
        level1 = previous.level1
        if not level2:
            level2 = previous.level2
    numbers: dict[str, Decimal | None] = {
        key: value if isinstance(value := values.get(key), Decimal) else None for key in NUMBER_FIELDS
    }
    return Indicator(
        level1=level1,
        level2=level2,
        name=str(values.get("name") or ""),
        description=_or_none(values.get("description")),
        target=_target(values),
        basis=_or_none(values.get("basis")),
        actual=_or_none(values.get("actual")),
        weight=numbers["weight"],
        score=numbers["score"],
        deviation=_or_none(values.get("deviation")),
        goal=goal,
    )


def _or_none(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None
