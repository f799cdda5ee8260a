"""Read indicator tables, and the blocks around them, out of an Excel workbook (.xlsx) a unit already has (no Qt).

Units keep last year's 绩效目标表 / 自评表 as Excel or WPS files, exported from their budget system
or typed into a template; this turns each sheet that holds an indicator table into a new form.
A sheet counts when one of its first rows names the columns 一级指标, 二级指标 and 三级指标; the
other columns are found by their printed titles (指标值 / 年度指标值, 实际完成值, 分值, 得分, …), so
the tables this program exports come back whole and most templates are understood. Merged 一级 /
二级 cells, and blank ones under them, stand for every row they cover. A sheet with 实际完成值 or
得分 becomes a self-evaluation, one whose title names 部门 (整体) a department form.

The file is untrusted: it is size-checked before it is opened (a zip bomb is refused), its XML is
parsed by defusedxml (through openpyxl), formulas are never evaluated (their cached values are
read, if any) and macros are never loaded. Every problem is one Chinese ``InvalidInputError``.
"""

from __future__ import annotations

import re
import warnings
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from desktop.models.errors import InvalidInputError, describe_os_error
from desktop.models.formats.excel_blocks import read_blocks, text_beside, title_above
from desktop.models.formats.excel_bounds import check_sheets
from desktop.models.formats.excel_cells import Grid, norm, number, text
from desktop.models.limits import check_tree
from desktop.models.scoring.engine import evaluate
from desktop.models.scoring.rules import RuleSet
from desktop.models.workbook.domain import MAX_INDICATORS_PER_FORM, Form, FormKind, Goal, Indicator, Unit
from desktop.models.workbook.outline import blank_form

MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # far above any form workbook, far below a zip bomb
MAX_PACKED_MEMBERS = 10_000
HEADER_SEARCH_ROWS = 60  # the column titles are near the top of a sheet

# Printed column titles (normalised: NFKC, no blanks, no bracketed notes) → Indicator fields.
COLUMN_TITLES: dict[str, str] = {
    "一级指标": "level1",
    "二级指标": "level2",
    "三级指标": "name",
    "绩效指标描述": "description",
    "指标描述": "description",
    "指标解释": "description",
    "指标内容": "description",
    "指标值": "target",
    "年度指标值": "target",
    "目标值": "target",
    "年度目标值": "target",
    "预期指标值": "target",
    "指标值确定依据": "basis",
    "实际完成值": "actual",
    "全年实际值": "actual",
    "实际值": "actual",
    "完成值": "actual",
    "分值": "weight",
    "权重": "weight",
    "得分": "score",
    "自评得分": "score",
}
DEVIATION_PREFIX = "偏差原因"
# A row whose first cell starts so ends the indicator rows (totals, notes, sign-off).
END_MARKERS = ("总分", "合计", "说明", "自评结论", "其他需要说明", "单位负责人", "填报人", "备注")
GOAL_ROW = re.compile(r"^(?:绩效目标|目标)\s*(\d+)\s*[:：]?")
_TITLE_SUFFIXES = re.compile(
    r"(?:部门[（(]单位[）)]整体支出|部门整体支出|项目支出)?(?:绩效目标表|绩效自评表|绩效目标申报表|绩效自评情况表)$"
)
_YEAR_NOTE = re.compile(r"[（(]\s*\d{4}\s*年度?\s*[）)]")
_NUMBER_FIELDS = ("weight", "score")
NAME_LABELS = ("项目名称", "预算项目名称", "部门名称", "单位名称")  # as _norm leaves them: 部门（单位）名称 → 部门名称


@dataclass
class ImportedTable:
    """One sheet's indicator table, as a new form.

    Attributes:
        sheet: the worksheet's name.
        form: the form made from it (its kind, title, goals and indicators).
        notes: what was left out or changed, in Chinese (rows with no 三级指标, numbers not read).
    """

    sheet: str
    form: Form
    notes: list[str] = field(default_factory=list)


def read_indicator_tables(
    path: str | Path, ruleset: RuleSet | None = None, home: Unit | None = None
) -> list[ImportedTable]:
    """Every indicator table in an .xlsx file, one form per sheet that has one.

    Args:
        path: the Excel file.
        ruleset: gives a new self-evaluation its 预算执行率 分值 (as a new form in the window), and
            tells which printed 得分 are just the rules' suggestion (those are not kept as manual).
        home: the unit of the workbook the forms go to (a form of another unit keeps its own).

    Returns:
        The tables found, in sheet order (empty when no sheet has one).

    Raises:
        InvalidInputError: the file cannot be read, is not an .xlsx workbook, or is too large.
    """
    name = Path(path).name
    _check_package(Path(path), name)
    check_sheets(path, name)  # sheet dimensions, far cells, merged ranges: before openpyxl builds them
    import openpyxl  # imported here: the window starts without it

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about what it skips in a damaged file
        try:
            book = openpyxl.load_workbook(path, data_only=True, keep_vba=False, keep_links=False)
        except OSError as exc:
            raise InvalidInputError(
                f"无法读取 {name}：{describe_os_error(exc)}。如果它正在 Excel 或 WPS 中打开，请先关闭。"
            ) from None
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            problem = type(exc).__name__
            raise InvalidInputError(f"无法读取 {name}：文件已损坏，或不是 Excel 工作簿（{problem}）。") from None
    tables: list[ImportedTable] = []
    try:
        for sheet in book.worksheets:
            try:
                table = _read_sheet(sheet, ruleset, home)
            except InvalidInputError:
                raise
            except Exception as exc:  # a damaged sheet: say which, never a traceback
                problem = type(exc).__name__
                raise InvalidInputError(
                    f"{name} 的工作表“{sheet.title}”无法读取，文件可能已损坏（{problem}）。"
                ) from None
            if table is not None:
                check_tree(table.form, f"{name} 的工作表“{sheet.title}”")  # the bounds JSON and typing meet
                tables.append(table)
    finally:
        book.close()
    return tables


def _check_package(path: Path, name: str) -> None:
    """Refuse what is not an .xlsx package, or what would unpack to far too much (a zip bomb)."""
    try:
        with zipfile.ZipFile(path) as package:
            members = package.infolist()
            names = {member.filename for member in members}
    except FileNotFoundError:
        raise InvalidInputError(f"找不到文件：{path}") from None
    except zipfile.BadZipFile:
        hint = "旧版 .xls 文件请先在 Excel 或 WPS 中另存为 .xlsx。" if name.lower().endswith(".xls") else ""
        raise InvalidInputError(f"{name} 不是 Excel 工作簿（.xlsx）。{hint}") from None
    except OSError as exc:
        raise InvalidInputError(
            f"无法读取 {name}：{describe_os_error(exc)}。如果它正在 Excel 或 WPS 中打开，请先关闭。"
        ) from None
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise InvalidInputError(f"{name} 不是 Excel 工作簿（.xlsx）。")
    if len(members) > MAX_PACKED_MEMBERS or sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
        raise InvalidInputError(f"{name} 解压后过大，不像是一份绩效表，未导入。")


# -- one sheet -------------------------------------------------------------------------------


def _find_header(grid: Grid) -> tuple[int, dict[int, str]] | None:
    for row in range(1, min(grid.max_row, HEADER_SEARCH_ROWS) + 1):
        columns: dict[int, str] = {}
        for column in range(1, grid.max_column + 1):
            title = norm(grid.sheet.cell(row, column).value)
            key = COLUMN_TITLES.get(title)
            if key is None and title.startswith(DEVIATION_PREFIX):
                key = "deviation"
            if key is not None and key not in columns.values():
                columns[column] = key
        if {"level1", "level2", "name"} <= set(columns.values()):
            return row, columns
    return None


def _read_sheet(sheet: Any, ruleset: RuleSet | None, home: Unit | None) -> ImportedTable | None:
    grid = Grid(sheet)
    found = _find_header(grid)
    if found is None:
        return None
    header, columns = found
    sheet_name = re.sub(r"^\d+\.", "", sheet.title)  # this program's sheets are numbered: 2.政务服务经费
    printed = title_above(grid, header)
    title = printed[1] if printed is not None else sheet_name
    keys = set(columns.values())
    scored = bool(keys & {"actual", "score"})
    # 指标值确定依据 is printed on the department target form only.
    department = "basis" in keys or ("部门" in title and ("整体" in title or "单位" in title))
    kind = {
        (False, False): FormKind.PROJECT_TARGET,
        (False, True): FormKind.DEPT_TARGET,
        (True, False): FormKind.PROJECT_SELF_EVAL,
        (True, True): FormKind.DEPT_SELF_EVAL,
    }[(scored, department)]
    name = text_beside(grid, range(1, header), NAME_LABELS) or _form_name(title) or sheet_name
    form = blank_form(kind, title=name, ruleset=ruleset)
    table = ImportedTable(sheet.title, form)
    goal: int | None = None
    goals: list[Goal] = []
    previous: Indicator | None = None
    skipped = 0
    tail = grid.max_row + 1  # the first row after the indicator rows
    for row in range(header + 1, grid.max_row + 1):
        first = text(grid.cell(row, 1))
        if first is not None and first.startswith(END_MARKERS):
            tail = row
            break
        if grid.spans_row(row) and first:
            matched = GOAL_ROW.match(first)
            if matched:
                goal = int(matched.group(1))
                goals.append(Goal(no=goal, target=first[matched.end() :].strip() or None))
            continue
        values = {key: _read(grid, row, column, key) for column, key in columns.items()}
        if all(value in (None, "") for value in values.values()):
            continue
        indicator = _indicator(values, previous, goal)
        if not indicator.name and not indicator.target and not indicator.actual:
            skipped += 1  # a template row (二级 with no 三级) or a sub-heading
            continue
        for key in _NUMBER_FIELDS:
            if isinstance(values.get(key), str):
                table.notes.append(f"第 {row} 行“{_field_title(key)}”：“{values[key]}”不是数字，未导入")
        form.indicators.append(indicator)
        previous = indicator
        if len(form.indicators) > MAX_INDICATORS_PER_FORM:
            raise InvalidInputError(
                f"工作表“{sheet.title}”的指标超过 {MAX_INDICATORS_PER_FORM} 行，不像是一张绩效表，未导入。"
            )
    if not form.indicators:
        return None
    if ruleset is not None and form.kind.is_self_eval:
        _keep_only_manual_scores(form, ruleset)
    if goals:
        form.goals = goals
    read_blocks(grid, header, tail, form, home)  # a goals table with 实际完成情况 replaces the goal rows' titles
    if skipped:
        table.notes.append(f"{skipped} 行没有三级指标（模板中的空行），未导入")
    return table


def _keep_only_manual_scores(form: Form, ruleset: RuleSet) -> None:
    """A printed 得分 equal to what the rules suggest stays a suggestion, so it follows later edits."""
    for indicator in form.indicators:
        if indicator.score is not None:
            suggested = evaluate(indicator, ruleset, form.effective_money_unit).suggested
            if suggested is not None and suggested == indicator.score:
                indicator.score = None


def _indicator(values: dict[str, Any], previous: Indicator | None, goal: int | None) -> Indicator:
    """One row's indicator; a blank 一级 / 二级 continues the row above (the printed forms leave them blank)."""
    level1 = values.get("level1") or ""
    level2 = values.get("level2") or ""
    if previous is not None and previous.goal == goal:
        if not level1:
            level1 = previous.level1
            if not level2:
                level2 = previous.level2
    numbers = {key: values.get(key) if isinstance(values.get(key), Decimal) else None for key in _NUMBER_FIELDS}
    return Indicator(
        level1=str(level1),
        level2=str(level2),
        name=str(values.get("name") or ""),
        description=_or_none(values.get("description")),
        target=_or_none(values.get("target")),
        basis=_or_none(values.get("basis")),
        actual=_or_none(values.get("actual")),
        weight=numbers["weight"],
        score=numbers["score"],
        deviation=_or_none(values.get("deviation")),
        goal=goal,
    )


def _or_none(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


def _read(grid: Grid, row: int, column: int, key: str) -> Any:
    """A cell's value for a field: a Decimal for 分值 / 得分 (or the text when it is not a number), else text."""
    if key in ("level1", "level2") or not grid.is_merged_below(row, column):
        cell = grid.cell(row, column)
    else:
        return None  # inside a merged text cell: its value belongs to the row that starts it
    if key in _NUMBER_FIELDS:
        return number(cell.value)
    return text(cell)


def _form_name(title: str) -> str:
    """The project or department name within a printed title (its kind and year dropped)."""
    name = _YEAR_NOTE.sub("", title).strip()
    name = _TITLE_SUFFIXES.sub("", name).strip()
    return name


def _field_title(key: str) -> str:
    return {"weight": "分值", "score": "得分"}.get(key, key)


def indicator_count(tables: Sequence[ImportedTable]) -> int:
    """How many indicators the tables hold in all."""
    return sum(len(table.form.indicators) for table in tables)
