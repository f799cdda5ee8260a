"""Read the forms in an Excel workbook (.xlsx) a unit already has, and say what could not be read (no Qt).

Units keep last year's 绩效目标表 / 自评表 as Excel or WPS files laid out by their finance bureau.
Each sheet is read as a sequence of blocks: title, header fields, funds, goals, one or more
indicator tables (``excel_tables``), totals, conclusion, notes, sign-off (``excel_blocks``), so one
sheet may hold several forms one after another. A form's kind is decided from all the evidence
(title words, columns, blocks), its money unit from 「单位：元」 or 「项目资金（元）」 above the table.
Nothing is guessed silently: ``ExcelImport.report`` lists per sheet what became which form, the
columns not recognised, the rows skipped and why, the money unit used and the formulas that have
no saved value. The command line (``jixiao import FILE.xlsx``) and the window show the same report.

The file is untrusted: it is size-checked before it is opened (a zip bomb is refused), its XML is
parsed by defusedxml (through openpyxl), formulas are never evaluated (their cached values are
read, if any) and macros are never loaded. Every problem is one Chinese ``InvalidInputError``.
"""

from __future__ import annotations

import re
import warnings
import zipfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.models.errors import InvalidInputError, describe_os_error
from desktop.models.formats.excel_blocks import (
    LONG_TERM_GOALS,
    find_money_unit,
    form_name,
    goal_text,
    read_blocks,
    read_tail,
    read_unit,
)
from desktop.models.formats.excel_bounds import check_sheets
from desktop.models.formats.excel_cells import Grid
from desktop.models.formats.excel_labels import is_block_label, label
from desktop.models.formats.excel_signoff import read_signoff
from desktop.models.formats.excel_tables import Header, Rows, find_headers, is_title_row, read_rows, row_texts
from desktop.models.formats.excel_xls import is_xls, load_xls
from desktop.models.limits import check_tree
from desktop.models.scoring.engine import evaluate
from desktop.models.scoring.rules import RuleSet
from desktop.models.workbook.domain import Form, FormKind, Unit, Workbook
from desktop.models.workbook.forms import blank_form

MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # far above any form workbook, far below a zip bomb
MAX_PACKED_MEMBERS = 10_000
_INSTRUCTIONS = ("填报说明", "说明", "填表说明", "编制说明")
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_YEAR_IN_TITLE = re.compile(r"((?:19|20)\d{2})\s*年")
_LONG = re.compile(r"^中?长期(?:绩效)?(?:指标|目标)")
_ANNUAL = re.compile(r"^(?:本?年度)(?:绩效)?(?:指标|目标)")
_YEAR_LINE = re.compile(r"^[（(]?\s*(?:19|20)\d{2}\s*年度?\s*[）)]?$")


@dataclass
class ImportedTable:
    """One form read from a sheet.

    Attributes:
        sheet: the worksheet's name.
        form: the form made from it (its kind, title, blocks, goals and indicators).
        notes: what was left out or changed, in Chinese (rows skipped and why, numbers not read,
            columns not recognised, formulas without a saved value).
        money_note: how the money unit was decided (「单位：元」 printed, or none printed: 万元).
        ending: where the indicator rows ended and on which label (合计, 说明 …), for the report.
    """

    sheet: str
    form: Form
    notes: list[str] = field(default_factory=list)
    money_note: str = ""
    rows: range = field(default=range(0), repr=False)  # the sheet rows the form was read from
    ending: str = ""  # where the indicator rows ended, and on which label
    year: int | None = None  # the year the title (or the line under it) prints
    signoff_note: str = ""  # which sign-off labels filled which field, and what was not kept


@dataclass
class ExcelImport:
    """Everything read from one file: the forms, and per sheet what happened."""

    name: str
    tables: list[ImportedTable] = field(default_factory=list)
    sheets: list[tuple[str, str]] = field(default_factory=list)  # sheet → why it gave no form

    def report(self) -> list[str]:
        """The report shown before importing (window) or on stderr (command line), one line each."""
        lines: list[str] = []
        for table in self.tables:
            form = table.form
            where = f"第 {table.rows.start}–{table.rows.stop - 1} 行" if table.rows else ""
            lines.append(
                f"工作表“{table.sheet}”{where} → {form.kind.label}“{form.title}”，{len(form.indicators)} 个指标；"
                f"{table.money_note}"
            )
            lines.extend(f"    · {note}" for note in [*table.notes, table.signoff_note, table.ending] if note)
        lines.extend(f"工作表“{sheet}”：{why}" for sheet, why in self.sheets)
        return lines


def read_indicator_tables(
    path: str | Path, ruleset: RuleSet | None = None, home: Unit | None = None
) -> list[ImportedTable]:
    """Every form in an .xlsx file, in sheet order (empty when no sheet has an indicator table).

    Args:
        path: the Excel file.
        ruleset: gives a new self-evaluation its 预算执行率 分值 (as a new form in the window), and
            tells which printed 得分 are just the rules' suggestion (those are not kept as manual).
        home: the unit of the workbook the forms go to (a form of another unit keeps its own).

    Raises:
        InvalidInputError: the file cannot be read, is not an .xlsx workbook, or is too large.
    """
    return read_excel(path, ruleset, home).tables


def read_excel(path: str | Path, ruleset: RuleSet | None = None, home: Unit | None = None) -> ExcelImport:
    """Every form in an .xlsx file with the report of what was read (see ``read_indicator_tables``)."""
    name = Path(path).name
    if is_xls(path):
        book = load_xls(path, name)  # the old binary format: values only, formulas never kept
        formulas: dict[str, list[tuple[int, int]]] = {}
    else:
        _check_package(Path(path), name)
        check_sheets(path, name)  # sheet dimensions, far cells, merged ranges: before openpyxl builds them
        book = _open(path, name, data_only=True)
        formulas = _formulas_without_values(path, name, book)
    found = ExcelImport(name)
    try:
        for sheet in book.worksheets:
            try:
                tables, why = _read_sheet(sheet, ruleset, home)
            except InvalidInputError:
                raise
            except Exception as exc:  # a damaged sheet: say which, never a traceback
                problem = type(exc).__name__
                raise InvalidInputError(
                    f"{name} 的工作表“{sheet.title}”无法读取，文件可能已损坏（{problem}）。"
                ) from None
            for table in tables:
                check_tree(table.form, f"{name} 的工作表“{sheet.title}”")  # the bounds JSON and typing meet
                table.notes.extend(_formula_notes(formulas.get(sheet.title, []), table))
            found.tables.extend(tables)
            if why:
                found.sheets.append((sheet.title, why))
    finally:
        book.close()
    return found


def _open(path: str | Path, name: str, data_only: bool, read_only: bool = False) -> Any:
    import openpyxl  # imported here: the window starts without it

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about what it skips in a damaged file
        try:
            return openpyxl.load_workbook(
                path, data_only=data_only, read_only=read_only, keep_vba=False, keep_links=False
            )
        except OSError as exc:
            raise InvalidInputError(
                f"无法读取 {name}：{describe_os_error(exc)}。如果它正在 Excel 或 WPS 中打开，请先关闭。"
            ) from None
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            problem = type(exc).__name__
            raise InvalidInputError(f"无法读取 {name}：文件已损坏，或不是 Excel 工作簿（{problem}）。") from None


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


# -- formulas without a saved value --------------------------------------------------------------


def _formulas_without_values(path: str | Path, name: str, values: Any) -> dict[str, list[tuple[int, int]]]:
    """Per sheet, the cells holding a formula whose result the file does not keep (read as blank)."""
    if not _has_formulas(path):
        return {}
    book = _open(path, name, data_only=False, read_only=True)
    found: dict[str, list[tuple[int, int]]] = {}
    try:
        for sheet in book.worksheets:
            shown = values[sheet.title]
            for row in sheet.iter_rows():
                for cell in row:
                    if getattr(cell, "data_type", None) == "f" and shown.cell(cell.row, cell.column).value is None:
                        found.setdefault(sheet.title, []).append((cell.row, cell.column))
    finally:
        book.close()
    return found


def _has_formulas(path: str | Path) -> bool:
    """Whether any sheet of the package holds a formula (an <f> element), read in chunks."""
    with zipfile.ZipFile(path) as package:
        for member in package.infolist():
            if not member.filename.startswith("xl/worksheets/"):
                continue
            with package.open(member) as stream:
                tail = b""
                while chunk := stream.read(1 << 20):
                    if b"<f>" in tail + chunk or b"<f " in tail + chunk or b":f>" in tail + chunk:
                        return True
                    tail = chunk[-8:]
    return False


def _formula_notes(cells: list[tuple[int, int]], table: ImportedTable) -> list[str]:
    inside = [(r, c) for r, c in cells if r in table.rows]
    if not inside:
        return []
    shown = "、".join(f"{_column_letter(c)}{r}" for r, c in inside[:6]) + ("等" if len(inside) > 6 else "")
    return [f"{shown} 是公式，但文件里没有保存计算结果，按空白读取（在 Excel 或 WPS 中打开、保存一次后再导入即可读到）"]


def _column_letter(column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = _LETTERS[rest] + letters
    return letters


# -- one sheet -------------------------------------------------------------------------------


def _read_sheet(sheet: Any, ruleset: RuleSet | None, home: Unit | None) -> tuple[list[ImportedTable], str]:
    """The forms on one sheet, or none and why."""
    if label(sheet.title) in _INSTRUCTIONS or label(sheet.title).endswith("说明"):
        return [], "是填报说明，未导入"
    grid = _grid(sheet)
    headers = find_headers(grid)
    instructions = _instructions_start(grid)
    if instructions is not None and any(header.first > instructions for header in headers):
        headers = [header for header in headers if header.first < instructions]
        if not headers:
            return [], "是填报说明，未导入"
    if not headers:
        return [], "没有指标表（需要“一级指标”“二级指标”“三级指标”或“指标内容”等列），未导入"
    limit = instructions if instructions is not None else grid.max_row + 1
    sheet_name = re.sub(r"^\d+\.", "", sheet.title)  # this program's sheets are numbered: 2.政务服务经费
    tables: list[ImportedTable] = []
    start = 1
    index = 0
    shared: range | None = None  # the header block a 长期 table shares with the 年度 table after it
    while index < len(headers):
        header = headers[index]
        period = _period(grid, header)
        above = shared if shared is not None else range(start, header.first)
        title = _title_of(grid, above)
        stop = headers[index + 1].first if index + 1 < len(headers) else limit
        rows = read_rows(grid, header, stop, sheet.title)
        # A header repeated with nothing between (a page break, perhaps under the title printed again) continues
        # the same table, unless it starts the table of another period (长期绩效指标, then 年度绩效指标).
        while (
            rows.ended_by in ("header", "title")
            and index + 1 < len(headers)
            and _continues(grid, rows, headers[index + 1], title)
            and not _splits(period, _period(grid, headers[index + 1]))
        ):
            index += 1
            more_stop = headers[index + 1].first if index + 1 < len(headers) else limit
            more = read_rows(grid, headers[index], more_stop, sheet.title)
            rows.indicators += more.indicators
            rows.goals += [g for g in more.goals if all(g.no != have.no for have in rows.goals)]
            rows.notes += [f"第 {headers[index].first} 行是重复的表头，未导入", *more.notes]
            rows.end, rows.ended_by, rows.ending = more.end, more.ended_by, more.ending
        next_start = _next_form_start(grid, rows.end, stop)
        following = headers[index + 1] if index + 1 < len(headers) else None
        split = following is not None and _continues(grid, rows, following, title)
        shared = above if split and following and _splits(period, _period(grid, following)) else None
        if rows.indicators:
            below = range(rows.end, next_start)
            table = _form(grid, sheet_name, header, rows, above, below, ruleset)
            _by_period(grid, table, above, period, paired=shared is not None or above.stop < header.first)
            if not table.money_note.startswith("金额单位") and tables and tables[-1].money_note.startswith("金额单位"):
                earlier = tables[-1]  # one 单位：元 above several stacked forms holds for all of them
                table.form.money_unit = earlier.form.money_unit
                table.money_note = f"金额单位：{earlier.form.money_unit}（按本工作表前一张表注明的单位）"
            table.sheet, table.rows = sheet.title, range(start, next_start)
            read_unit(grid, table.rows, table.form, home, header.first)
            around = [*above, *range(rows.end, next_start)]  # never the indicator rows
            table.signoff_note = read_signoff(grid, around, table.form)
            if ruleset is not None and table.form.kind.is_self_eval:
                _keep_only_manual_scores(table.form, ruleset)
            tables.append(table)
        start = next_start
        index += 1
    if not tables:
        return [], "指标表中没有一行有三级指标，未导入"
    if instructions is not None:
        tables[-1].notes.append(f"第 {instructions} 行起是填报说明，其中的示例不是表单，未导入")
    return tables, ""


def _period(grid: Grid, header: Header) -> str | None:
    """'long' or 'annual' when the line right above a table names its period (长期绩效指标 / 年度绩效指标)."""
    for row in range(header.first - 1, max(header.first - 3, 0), -1):
        cells = row_texts(grid, row)
        if not cells:
            continue
        if len(cells) != 1 or not isinstance(cells[0][1], str):
            return None
        return _period_of(label(cells[0][1]))
    return None


def _period_of(folded: str) -> str | None:
    return "long" if _LONG.match(folded) else "annual" if _ANNUAL.match(folded) else None


def _splits(one: str | None, other: str | None) -> bool:
    """Whether two tables one under the other are of different periods (a 长期 and a 年度 table)."""
    return one != other and "long" in (one, other)


def _by_period(grid: Grid, table: ImportedTable, above: range, period: str | None, paired: bool) -> None:
    """A 长期绩效指标 table (陕西 佳县 1a) is the project's goals for its whole term, not the year's: it becomes a
    form of its own, named so, with the 长期目标 text; the 年度 table is the year's form. A 长期目标 text beside a
    form that has only the year's table is reported, as no field keeps it."""
    form = table.form
    long_text = goal_text(grid, above, LONG_TERM_GOALS)
    if period == "long":
        form.title = f"{form.title}（长期绩效目标）"
        form.overall_target = long_text
        table.notes.append(
            "这是“长期绩效指标”表（项目整个实施期的目标，不是本年度的），单独成为一张目标表，标题加“（长期绩效目标）”"
        )
    elif paired:
        table.notes.append("这是“年度绩效指标”表；同一项目的长期绩效指标另成一张表")
    elif long_text:
        table.notes.append(f"长期目标“{long_text[:30]}”：本表只有年度指标，没有存放长期目标的栏目，未导入")


def _grid(sheet: Any) -> Grid:
    """The sheet as the reader sees it. The one place each sheet (of an .xlsx or a converted .xls) is opened:
    a per-sheet hostile-file guard (dimensions, merged areas, far cells) is called here, before Grid
    reads the merged ranges."""
    return Grid(sheet)


def _instructions_start(grid: Grid) -> int | None:
    """The row where the sheet's 填报说明 begins (its example tables are not forms), if it has one."""
    for row in range(1, grid.max_row + 1):
        cells = row_texts(grid, row)
        if cells and label(cells[0][1]).split(":", 1)[0] in _INSTRUCTIONS[:1] + _INSTRUCTIONS[2:]:
            return row
    return None


def _title_of(grid: Grid, above: range) -> str | None:
    """The title a form prints alone on a row above its table, if any."""
    return next((shown for row in above if (shown := is_title_row(grid, row)) is not None), None)


def _continues(grid: Grid, rows: Rows, header: Header, title: str | None) -> bool:
    """Whether nothing but blanks lies between the last indicator row and the next header, or the form's own
    title printed again at the top of a new page, or the line naming the next table's period."""
    for row in range(rows.end, header.first):
        cells = row_texts(grid, row)
        if not cells:
            continue
        again = is_title_row(grid, row)
        if again is not None and title is not None and label(again) == label(title):
            continue
        if len(cells) == 1 and isinstance(cells[0][1], str) and _period_of(label(cells[0][1])) is not None:
            continue
        return False
    return True


def _next_form_start(grid: Grid, end: int, stop: int) -> int:
    """The first row of the next form: its title, or its first header label, after this table's tail."""
    for row in range(end, stop):
        if is_title_row(grid, row):
            return row
    for row in range(end, stop):
        cells = row_texts(grid, row)
        if cells and is_block_label(label(cells[0][1])):
            return row
    return stop


def _form(
    grid: Grid, sheet_name: str, header: Header, rows: Rows, above: range, below: range, ruleset: RuleSet | None
) -> ImportedTable:
    """The form of one indicator table, with the blocks above it and the tail below it."""
    title_row = next((row for row in above if is_title_row(grid, row)), None)
    title = (is_title_row(grid, title_row) or "") if title_row is not None else _title_among(grid, above)
    kind = _kind(grid, header, title, above)
    name, code = form_name(grid, above, title)
    form = blank_form(kind, title=name or sheet_name, ruleset=ruleset)
    form.code = code or form.code
    form.indicators = rows.indicators
    if rows.goals:
        form.goals = rows.goals
    table = ImportedTable(sheet_name, form, list(rows.notes), year=_year(grid, above))
    if rows.ending:
        table.ending = (
            f"指标读到第 {rows.end - 1} 行；第 {rows.end} 行“{rows.ending}”起是表尾（合计、结论、说明或签字）"
        )
    for column, shown in header.unknown.items():
        table.notes.append(f"{_column_letter(column)} 列“{shown}”不是可识别的列，未导入")
    unit, where = find_money_unit(grid, above, header)
    if unit:
        form.money_unit = unit
    table.money_note = f"金额单位：{unit}（按{where}）" if unit else "表中未注明金额单位，按万元读取"
    read_blocks(grid, above, form, title_row, table.notes)
    read_tail(grid, below, header, form)
    return table


def _title_among(grid: Grid, above: range) -> str:
    """A title printed beside other cells (…绩效自评表 │ 单位：万元), when no row holds one alone."""
    for row in above:
        for _column, value in row_texts(grid, row):
            folded = label(value)
            if "表" in folded and "绩效" in folded and not is_block_label(folded) and ":" not in folded:
                return str(value).strip()
    return ""


def _year(grid: Grid, above: range) -> int | None:
    """The year the form's title or the line under it prints (…（2022年度）, 2025年度…表)."""
    for row in above:
        for _column, value in row_texts(grid, row):
            if (
                isinstance(value, str)
                and (found := _YEAR_IN_TITLE.search(value))
                and ("表" in value or _YEAR_LINE.match(value.strip()))
            ):
                return int(found.group(1))
    return None


def _kind(grid: Grid, header: Header, title: str, above: range) -> FormKind:
    """The form's kind from all the evidence: title words, columns and the blocks above the table."""
    folded = label(title)
    keys = header.keys
    labels = {label(value) for row in above for _column, value in row_texts(grid, row) if isinstance(value, str)}
    heads = {text.split(":", 1)[0] for text in labels}
    scored = 0
    scored += 2 if keys & {"actual", "score"} else -1
    scored += 2 if ("自评" in folded or "评价" in folded) else 0
    scored -= 2 if ("目标表" in folded or "申报表" in folded) and "自评" not in folded else 0
    scored += 1 if heads & {"全年执行数", "执行数", "实际支出数", "预算执行数"} else 0
    scored -= 1 if heads & {"预算规模及资金用途", "预算数"} and not keys & {"actual", "score"} else 0
    dept = 0
    before = re.search(r"(部门整体支出|部门整体|整体支出|整体|部门|项目支出|项目)?绩效", folded)
    word = before.group(1) if before else None
    dept += 2 if word is not None and not word.startswith("项目") else -2 if word is not None else 0
    dept -= 1 if "项目名称" in heads else 0
    dept += 1 if heads & {"部门名称", "单位名称"} and "项目名称" not in heads else 0
    dept += 2 if "basis" in keys else 0  # 指标值确定依据 is printed on department target forms only
    dept += 1 if heads & {"基本支出", "其中:基本支出", "部门整体支出", "资金支出计划"} else 0
    return {
        (False, False): FormKind.PROJECT_TARGET,
        (False, True): FormKind.DEPT_TARGET,
        (True, False): FormKind.PROJECT_SELF_EVAL,
        (True, True): FormKind.DEPT_SELF_EVAL,
    }[(scored > 0, dept > 0)]


def _keep_only_manual_scores(form: Form, ruleset: RuleSet) -> None:
    """A printed 得分 equal to what the rules suggest stays a suggestion, so it follows later edits."""
    for indicator in form.indicators:
        if indicator.score is not None:
            suggested = evaluate(indicator, ruleset, form.effective_money_unit).suggested
            if suggested is not None and suggested == indicator.score:
                indicator.score = None


def workbook_of(found: ExcelImport) -> Workbook:
    """A new workbook holding the imported forms: its unit is the one most forms print (kept once),
    its year the one the titles print when they agree."""
    units = Counter((t.form.unit.code, t.form.unit.name) for t in found.tables if t.form.unit is not None)
    unit = Unit(*units.most_common(1)[0][0]) if units else Unit()
    forms = [table.form for table in found.tables]
    for form in forms:
        if form.unit is not None and (form.unit.code, form.unit.name) == (unit.code, unit.name):
            form.unit = None
    years = {year for table in found.tables if (year := table.year) is not None}
    return Workbook(unit=unit, year=years.pop() if len(years) == 1 else None, forms=forms)


def indicator_count(tables: Sequence[ImportedTable]) -> int:
    """How many indicators the tables hold in all."""
    return sum(len(table.form.indicators) for table in tables)
