"""Export forms to an Excel workbook (.xlsx): one worksheet per form, laid out like the printed form.

Many finance offices still ask for the Excel version beside the signed PDF, or paste it into their
budget system. Each sheet repeats what the PDF shows (``layouts.py`` supplies the titles, headers and
number formats): title, unit line and 单位：万元, the header / fund / goal blocks, the indicator table
with 一级 / 二级 merged over their rows, 总分 and grade, 说明 and the sign-off line. Weights, scores
and amounts are real numbers (amounts keep their printed decimals); rates stay text as printed.
Sheets print on A4 fitted to the page width, landscape for self-evaluations, with the indicator
header repeated on every page. The file is written atomically; it never contains formulas or macros.
"""

from __future__ import annotations

import io
import math
import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook as XlsxBook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from desktop import __version__
from desktop.models.errors import UserError
from desktop.models.scoring.engine import FormScore
from desktop.models.storage.atomic import write_atomically
from desktop.models.workbook import numbers
from desktop.models.workbook.domain import DEPT_FUND_LINE_LABELS, FUND_LINE_LABELS, Form, FormKind, Workbook
from desktop.reports.blocks import unit_line, unit_of
from desktop.reports.fonts import register_font
from desktop.reports.grid import fit_widths
from desktop.reports.layouts import (
    BUDGET_HEADS_A,
    BUDGET_HEADS_B,
    DASH,
    FUND_HEADS,
    form_title,
    goals_text,
    selected_forms,
)
from desktop.reports.pdf import Scorer, engine_scorer
from desktop.reports.printed import PrintedForm, describe, is_dept_project_block, sequence_numbers
from desktop.reports.template import load_template

FONT_NAME = "宋体"  # what government spreadsheets use; Excel / WPS substitute it where it is missing
CHAR_UNITS_PER_MM = 0.62  # Excel column width units per millimetre of the PDF's column widths
PT_PER_MM = 72 / 25.4
# Columns the info blocks of each kind use (the indicator table may have more or fewer), and
# the printed width (mm) of the page the sheet fits to.
BLOCK_COLUMNS = {
    FormKind.PROJECT_TARGET: 5,
    FormKind.DEPT_TARGET: 6,
    FormKind.PROJECT_SELF_EVAL: 8,
    FormKind.DEPT_SELF_EVAL: 8,
}
PAGE_WIDTH_MM = {False: 170.0, True: 257.0}
_LEFT_FIELDS = frozenset({"name", "description", "deviation", "basis"})
LINE_HEIGHT_PT = 15.0  # one line of 11-point text
MAX_ROW_HEIGHT_PT = 409.0  # Excel's limit
SHEET_NAME_LIMIT = 31
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")

# A cell to write: (value, first column, last column) or with an alignment ("left", "center", "right").
Cell = tuple[Any, int, int] | tuple[Any, int, int, str]

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="EDEDED")


@dataclass(frozen=True)
class XlsxResult:
    """What an Excel export wrote.

    Attributes:
        path: the .xlsx file.
        sheets: the worksheet names, one per exported form, in order.
        bytes: the file size.
    """

    path: Path
    sheets: tuple[str, ...]
    bytes: int


# -- one sheet -----------------------------------------------------------------------------


class SheetWriter:
    """Writes one form's rows onto a worksheet with a fixed set of columns.

    ``row`` takes cells as (value, first column, last column[, alignment]) with 0-based columns; a
    cell wider than one column is merged, every cell is ruled, and the row is made tall enough for its
    longest wrapped text (Excel does not grow rows for wrapped text in a file it did not lay out).
    """

    def __init__(self, sheet: Worksheet, widths_mm: Sequence[float]) -> None:
        self.sheet = sheet
        self.widths = [w * CHAR_UNITS_PER_MM for w in widths_mm]
        self.next_row = 1
        for n, width in enumerate(self.widths):
            sheet.column_dimensions[_letter(n)].width = round(width, 1)

    @property
    def columns(self) -> int:
        """How many columns the sheet's tables span."""
        return len(self.widths)

    def plain(self, cells: Sequence[Cell], *, size: int = 11, bold: bool = False, align: str = "left") -> int:
        """A row without rules (title, unit line, sign-off); returns its row number."""
        return self._write(cells, ruled=False, size=size, bold=bold, align=align)

    def row(self, cells: Sequence[Cell], *, head: bool = False, align: str = "center") -> int:
        """A ruled table row; ``head`` shades it and sets it bold (column titles); returns its row number."""
        return self._write(cells, ruled=True, size=11, bold=head, align=align, fill=head)

    def merge_down(self, column: int, first_row: int, last_row: int) -> None:
        """Merge one column over several rows (a label standing for the rows beside it)."""
        if last_row > first_row:
            letter = _letter(column)
            self.sheet.merge_cells(f"{letter}{first_row}:{letter}{last_row}")

    def _write(
        self,
        cells: Sequence[Cell],
        *,
        ruled: bool,
        size: int,
        bold: bool,
        align: str,
        fill: bool = False,
    ) -> int:
        r = self.next_row
        self.next_row += 1
        font = Font(name=FONT_NAME, size=size, bold=bold)
        lines = 1
        for cell_spec in cells:
            value, first, last = cell_spec[0], cell_spec[1], cell_spec[2]
            own_align = cell_spec[3] if len(cell_spec) == 4 else align
            last %= self.columns
            written = _cell_value(value)
            cell = self.sheet.cell(row=r, column=first + 1, value=written)
            cell.font = font
            horizontal = own_align
            long_text = isinstance(written, str) and ("\n" in written or _text_width(written) > 40)
            if ruled and long_text and horizontal == "center":
                horizontal = "left"  # long text reads better from the left, as printed
            cell.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=True)
            places = _places(value)
            if places:
                cell.number_format = "0." + "0" * places
            if last > first:
                self.sheet.merge_cells(start_row=r, start_column=first + 1, end_row=r, end_column=last + 1)
            if ruled:
                for column in range(first, last + 1):
                    target = self.sheet.cell(row=r, column=column + 1)
                    target.border = _BORDER
                    if fill:
                        target.fill = _HEAD_FILL
            width = sum(self.widths[first : last + 1])
            lines = max(lines, _lines_needed(written, width, size))
        self.sheet.row_dimensions[r].height = min(MAX_ROW_HEIGHT_PT, LINE_HEIGHT_PT * size / 11 * lines + 4)
        return r


def _letter(column: int) -> str:
    """The column letter of a 0-based column (A … Z is all a form needs)."""
    return chr(ord("A") + column)


def _cell_value(value: Any) -> Any:
    """What a cell holds: numbers stay numbers, None is empty, everything else is text."""
    if value is None or value == "":
        return None
    if isinstance(value, Decimal | int):
        return value
    return str(value)


def _places(value: Any) -> int:
    """How many decimals a Decimal was written with (114.00: 2), so the cell shows them too."""
    return numbers.decimals_of(value) if isinstance(value, Decimal) else 0


def _text_width(text: str) -> int:
    """How many Excel width units a line of text takes: 2 for a CJK character, 1 for the rest."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _lines_needed(value: Any, width_units: float, size: int) -> int:
    """How many lines a value wraps to in a cell this wide."""
    if value is None:
        return 1
    usable = max(1.0, (width_units - 1) * 11 / size)
    return sum(max(1, math.ceil(_text_width(line) / usable)) for line in str(value).split("\n"))


# -- the forms ---------------------------------------------------------------------------------


@dataclass
class FormSheet:
    """One form being written: the workbook, the form, its scores, what it prints and the sheet writer."""

    workbook: Workbook
    form: Form
    score: FormScore | None
    printed: PrintedForm
    out: SheetWriter

    def number(self, value: Decimal | None) -> Decimal | None:
        """A weight or score as printed, as a number."""
        return numbers.as_number(value, self.printed.fmt.decimals.score)

    def money(self, value: Decimal | None) -> Decimal | None:
        """An amount as printed (the template's decimals), as a number."""
        places = self.printed.fmt.decimals.money
        if value is None or places is None:
            return value
        return Decimal(numbers.money(value, places))


def _heading(job: FormSheet) -> None:
    out, last = job.out, job.out.columns - 1
    out.plain([(job.printed.title, 0, last)], size=16, bold=True, align="center")
    if job.printed.subtitle:
        out.plain([(job.printed.subtitle, 0, last)], size=12, align="center")
    split = max(0, last - 1)
    out.plain([(unit_line(job.form, job.workbook), 0, split - 1 if split else 0)])
    out.plain([(f"单位：{job.form.effective_money_unit}", split, last)], align="right")


def _closing(job: FormSheet) -> None:
    """Footnotes and the sign-off line (as the template asks)."""
    out = job.out
    for line in job.printed.footnotes:
        out.plain([(line, 0, out.columns - 1)], size=9)
    pairs = job.printed.signoff
    if not pairs:
        return
    out.next_row += 1
    bounds = _shares(out.columns, len(pairs))
    out.plain([(f"{label}：{value}", first, last) for (label, value), (first, last) in zip(pairs, bounds, strict=True)])


def _shares(columns: int, parts: int) -> list[tuple[int, int]]:
    """``parts`` column ranges across the sheet, as even as the columns allow."""
    edges = [round(columns * n / parts) for n in range(parts + 1)]
    return [(edges[n], max(edges[n], edges[n + 1] - 1)) for n in range(parts)]


def _indicator_table(job: FormSheet) -> int:
    """The header row, the indicator rows with their labels merged over their runs, 总分 and the
    tail rows, as the form's ``PrintedForm`` describes them; returns the header row."""
    out, printed = job.out, job.printed
    layout = printed.layout
    labels = layout.label_count
    last = out.columns - 1
    heads = printed.heads
    head = out.row([(h, n, n if n < len(heads) - 1 else last) for n, h in enumerate(heads)], head=True)
    runs: list[tuple[int, int, int]] = []  # (column, first row, last row) to merge
    open_runs: dict[int, tuple[int, tuple[str, ...]]] = {}

    def close_all(end: int) -> None:
        for column, (start, _key) in sorted(open_runs.items()):
            runs.append((column, start, end))
        open_runs.clear()

    goal: str | None = None
    for row in printed.rows:
        if printed.goal_rows and row.goal != goal:
            close_all(out.next_row - 1)
            goal = row.goal
            out.row([(goal, 0, last)], head=True, align="left")
        cells: list[Cell] = []
        for n, (spec, text, value) in enumerate(zip(layout.columns[labels:], row.cells, row.values, strict=True)):
            at = labels + n
            end = at if at < len(heads) - 1 else last
            align = "left" if spec.field in _LEFT_FIELDS else "center"
            cells.append((value if value is not None else text, at, end, align))
        r = out.row([*((None, n, n) for n in range(labels)), *cells])
        for column in range(labels):
            key = row.labels[: column + 1]
            started = open_runs.get(column)
            if started is not None and started[1] == key and key[-1]:
                continue
            if started is not None:
                runs.append((column, started[0], r - 1))
            open_runs[column] = (r, key)
            out.sheet.cell(row=r, column=column + 1, value=_cell_value(row.labels[column]))
    close_all(out.next_row - 1)
    for column, first, end in runs:
        out.merge_down(column, first, end)
    _tail(job)
    return head


def _tail(job: FormSheet) -> None:
    out, printed = job.out, job.printed
    layout = printed.layout
    last = out.columns - 1
    if printed.total is not None:
        weight_at, score_at = layout.column("weight"), layout.column("score")
        places = [p for p in (weight_at, score_at) if p is not None]
        first_number = min(places) if places else last
        cells: list[Cell] = [("总分", 0, max(0, first_number - 1))]
        weight_value, score_value = printed.total_values
        if weight_at is not None:
            cells.append((weight_value, weight_at, weight_at))
        if score_at is not None:
            cells.append((score_value if score_value is not None else printed.total[1], score_at, score_at))
        after = max(places) + 1 if places else last + 1
        if after <= last:
            cells.append((printed.total[2], after, last))
        out.row(cells)
    label_end = max(0, layout.label_count - 2) if layout.label_count > 2 else 0
    for label, text in printed.tail:
        out.row([(label, 0, label_end), (text, label_end + 1, last)], align="left")


def _fund_values(form: Form, key: str) -> list[Decimal | None]:
    fund = form.fund(key)
    return [fund.initial, fund.full_year, fund.executed] if fund else [None, None, None]


def _exec_rate(job: FormSheet, key: str) -> str:
    fmt = job.printed.fmt
    if key == "total" and job.score is not None:
        return fmt.rate(job.score.exec_rate)
    fund = job.form.fund(key)
    return fmt.rate(numbers.rate_of(fund.executed, fund.full_year) if fund else None)


def _exec_weight(job: FormSheet) -> Decimal | None:
    return job.number(job.score.exec_weight if job.score else job.form.exec_weight)


def _exec_score(job: FormSheet) -> Decimal | None:
    return job.number(job.score.exec_score if job.score else None)


def _fund_cells(job: FormSheet, key: str, first_col: int) -> list[Cell]:
    values = _fund_values(job.form, key)
    return [(job.money(value), first_col + n, first_col + n) for n, value in enumerate(values)]


def _project_target(job: FormSheet) -> int:
    form, out = job.form, job.out
    budget = form.budget
    out.row([("项目名称", 0, 0), (form.title, 1, -1)], align="left")
    first = out.row(
        [("预算规模及资金用途", 0, 0), ("预算数", 1, 1), (job.money(budget.amount if budget else None), 2, -1)]
    )
    out.row([(None, 0, 0), ("其中：财政资金", 1, 1), (job.money(budget.fiscal if budget else None), 2, -1)])
    out.row([(None, 0, 0), ("其他资金", 1, 1), (job.money(budget.other if budget else None), 2, -1)])
    last = out.row([(None, 0, 0), ("资金用途", 1, 1), (form.purpose, 2, -1)])
    out.merge_down(0, first, last)
    goals = "\n".join(t for t in (form.overall_target, goals_text(form, "target")) if t)
    out.row([("绩效目标", 0, 0), (goals, 1, -1)], align="left")
    head = _indicator_table(job)
    if form.notes and job.printed.layout.shows("notes"):
        out.row([("说明", 0, 0), (form.notes, 1, -1)], align="left")
    return head


def _dept_target(job: FormSheet) -> int | None:
    form, out = job.form, job.out
    if is_dept_project_block(form):
        out.row([("项目编码", 0, 0), (form.code, 1, 1), ("预算项目名称", 2, 2), (form.title, 3, -1)])
        if form.budget is not None:
            amount, fiscal = job.money(form.budget.amount), job.money(form.budget.fiscal)
            out.row([("预算数", 0, 0), (amount, 1, 1), ("其中：财政资金", 2, 2), (fiscal, 3, -1)])
            out.row([(None, 0, 0), (None, 1, 1), ("其他资金", 2, 2), (job.money(form.budget.other), 3, -1)])
        out.row([("项目资金主要用途", 0, 0), (form.purpose, 1, -1)], align="left")
        steps = form.spending_plan or []
        for start in range(0, len(steps), 5):  # five steps a row: the sheet has six columns
            part = steps[start : start + 5]
            padding: list[Cell] = [(None, n + 1, n + 1) for n in range(len(part), 5)]  # keep the grid ruled
            first = out.row(
                [("资金支出计划（%）", 0, 0), *((step.by, n + 1, n + 1) for n, step in enumerate(part)), *padding]
            )
            percents: list[Cell] = [(numbers.percent(step.percent), n + 1, n + 1) for n, step in enumerate(part)]
            last = out.row([(None, 0, 0), *percents, *padding])
            out.merge_down(0, first, last)
        out.row([("绩效目标", 0, 0), (form.overall_target, 1, -1)], align="left")
    else:
        if form.overall_target:
            out.row([("总体绩效目标", 0, 0), (form.overall_target, 1, -1)], align="left")
        goals = sorted(form.goals or (), key=lambda g: g.no)
        first = out.next_row
        for n, goal in enumerate(goals):
            out.row([("分项绩效目标" if n == 0 else None, 0, 0), (goal.no, 1, 1), (goal.target, 2, -1)], align="left")
        if goals:
            out.merge_down(0, first, out.next_row - 1)
        if form.notes:
            out.row([("目标规划及保障措施", 0, 0), (form.notes, 1, -1)], align="left")
    if not form.indicators:
        return None  # a department form may carry its indicators in its project blocks only
    return _indicator_table(job)


def _project_self_eval(job: FormSheet) -> int:
    form, out = job.form, job.out
    unit = unit_of(form, job.workbook)
    out.row([("项目名称", 0, 0), (form.title, 1, -1)], align="left")
    out.row([("主管部门", 0, 0), (form.department, 1, 3), ("实施单位", 4, 4), (unit.name, 5, -1)])
    first = out.row(
        [
            (f"项目资金（{form.effective_money_unit}）", 0, 0),
            (None, 1, 1),
            *((h, n + 2, n + 2 if n < len(FUND_HEADS) - 1 else -1) for n, h in enumerate(FUND_HEADS)),
        ],
        head=True,
    )
    for key in ("total", "fiscal", "carryover", "other"):
        is_total = key == "total"
        out.row(
            [
                (None, 0, 0),
                (FUND_LINE_LABELS[key], 1, 1),
                *_fund_cells(job, key, 2),
                (_exec_weight(job) if is_total else DASH, 5, 5),
                (_exec_rate(job, key), 6, 6),
                (_exec_score(job) if is_total else DASH, 7, -1),
            ]
        )
    out.merge_down(0, first, out.next_row - 1)
    if form.deviation:
        out.row([("偏差原因分析及改进措施", 0, 0), (form.deviation, 1, -1)], align="left")
    target = form.overall_target or goals_text(form, "target")
    actual = form.overall_actual or goals_text(form, "actual")
    first = out.row([("年度总体目标", 0, 0), ("预期目标", 1, 3), ("实际完成情况", 4, -1)])
    last = out.row([(None, 0, 0), (target, 1, 3), (actual, 4, -1)], align="left")
    out.merge_down(0, first, last)
    return _indicator_table(job)


def _dept_self_eval(job: FormSheet) -> int:
    form, out = job.form, job.out
    layout_b = job.printed.kind == "dept_self_eval_b"
    money = form.effective_money_unit
    lines = [key for key in ("total", "basic", "project") if key == "total" or form.fund(key) is not None]
    out.row([("部门（单位）名称", 0, 0), (form.title or job.workbook.unit.name, 1, -1)], align="left")
    heads_list = BUDGET_HEADS_B if layout_b else BUDGET_HEADS_A
    heads: list[Cell] = [(h, n + 1, n + 1) for n, h in enumerate(heads_list)]
    heads[-1] = (heads[-1][0], heads[-1][1], -1)
    out.row([(f"预算执行情况（{money}）", 0, 0), *heads], head=True)
    for key in lines:
        is_total = key == "total"
        label = DEPT_FUND_LINE_LABELS[key] if is_total else f"其中：{DEPT_FUND_LINE_LABELS[key]}"
        weight, score = (_exec_weight(job), _exec_score(job)) if is_total else (DASH, DASH)
        if layout_b:
            extra: list[Cell] = [
                (weight, 4, 4),
                (score, 5, 5),
                (_exec_rate(job, key), 6, 6),
                (form.deviation if is_total else None, 7, -1),
            ]
        else:
            extra = [(_exec_rate(job, key), 4, 4), (weight, 5, 5), (score, 6, -1)]
        out.row([(label, 0, 0), *_fund_cells(job, key, 1), *extra])
    if form.deviation and not layout_b:
        out.row([("偏差原因分析及改进措施", 0, 0), (form.deviation, 1, -1)], align="left")
    if layout_b:
        out.row([("年度绩效目标完成情况", 0, -1)], head=True)
        out.row([("目标序号", 0, 0), ("年度绩效目标", 1, 3), ("实际完成情况", 4, -1)])
        for goal in sorted(form.goals or (), key=lambda g: g.no):
            out.row([(goal.no, 0, 0), (goal.target, 1, 3), (goal.actual, 4, -1)], align="left")
        if job.printed.goal_rows:
            out.row([("年度指标完成情况", 0, -1)], head=True)
        return _indicator_table(job)
    target = form.overall_target or goals_text(form, "target")
    actual = form.overall_actual or goals_text(form, "actual")
    out.row([("预期目标", 0, 3), ("目标实际完成情况", 4, -1)])
    out.row([(target, 0, 3), (actual, 4, -1)], align="left")
    return _indicator_table(job)


_WRITERS = {
    FormKind.PROJECT_TARGET: _project_target,
    FormKind.DEPT_TARGET: _dept_target,
    FormKind.PROJECT_SELF_EVAL: _project_self_eval,
    FormKind.DEPT_SELF_EVAL: _dept_self_eval,
}


def column_widths_mm(printed: PrintedForm, kind: FormKind) -> list[float]:
    """The sheet's column widths (mm): the indicator table's, sized to its content as in the PDF,
    with room for the info blocks' columns where the table has fewer."""
    layout = printed.layout
    font = register_font()
    labels = layout.label_count
    texts: list[list[str]] = [[] for _ in layout.columns]
    for row in printed.rows:
        for n, label in enumerate(row.labels):
            texts[n].append(label)
        for n, cell in enumerate(row.cells):
            texts[labels + n].append(cell)
    total = PAGE_WIDTH_MM[kind.is_self_eval] * PT_PER_MM
    widths = [w / PT_PER_MM for w in fit_widths(texts, printed.heads, total, font, label_columns=labels)]
    need = BLOCK_COLUMNS[kind]
    if len(widths) < need:  # split the last column's width over the block columns it lacks
        extra = need - len(widths) + 1
        last = widths.pop()
        widths += [last / extra] * extra
    return widths


def _write_form(
    book: XlsxBook, workbook: Workbook, job_data: tuple[Form, FormScore | None, PrintedForm], name: str
) -> None:
    form, score, printed = job_data
    sheet = book.create_sheet(title=name)
    job = FormSheet(workbook, form, score, printed, SheetWriter(sheet, column_widths_mm(printed, form.kind)))
    _heading(job)
    head = _WRITERS[form.kind](job)
    _closing(job)
    if head is not None:
        sheet.print_title_rows = f"{head}:{head}"
    setup = sheet.page_setup
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.orientation = "landscape" if form.kind.is_self_eval else "portrait"
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = 0.98  # 25 mm: room for binding, as the PDF
    sheet.page_margins.right = 0.59
    sheet.oddFooter.center.text = "第 &P 页 共 &N 页"


def sheet_names(forms: Sequence[Form]) -> list[str]:
    """One distinct worksheet name per form: its position and title, within Excel's rules."""
    names: list[str] = []
    for n, form in enumerate(forms, start=1):
        title = _BAD_SHEET_CHARS.sub("_", form.title.strip() or form.kind.label).strip("'")
        names.append(f"{n}.{title}"[:SHEET_NAME_LIMIT])
    return names


def render_xlsx(
    workbook: Workbook, *, forms: Sequence[int] | None = None, scores: Scorer | None = None
) -> tuple[bytes, tuple[str, ...]]:
    """Lay out the chosen forms, one sheet each; return the file's bytes and the sheet names.

    Raises:
        UserError: nothing to export.
    """
    selected = selected_forms(workbook, forms)
    if scores is None and any(form.kind.is_self_eval for form in selected):
        scores = engine_scorer(workbook)
    book = XlsxBook()
    for blank in list(book.worksheets):  # the empty sheet a new workbook starts with
        book.remove(blank)
    names = sheet_names(selected)
    template = load_template(workbook.template)
    for form, name, seq in zip(selected, names, sequence_numbers(selected), strict=True):
        score = scores(form) if scores is not None and form.kind.is_self_eval else None
        _write_form(book, workbook, (form, score, describe(workbook, form, template, score, seq)), name)
    unit = workbook.unit.name
    book.properties.title = form_title(selected[0], workbook, template) if len(selected) == 1 else f"{unit}绩效表"
    book.properties.creator = unit or "预算绩效填报"
    book.properties.lastModifiedBy = unit or "预算绩效填报"
    book.properties.subject = "预算绩效目标表 / 绩效自评表"
    book.properties.description = f"由 预算绩效填报 {__version__} 导出"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), tuple(names)


def export_xlsx(
    workbook: Workbook,
    out_path: str | os.PathLike[str],
    *,
    forms: Sequence[int] | None = None,
    scores: Scorer | None = None,
) -> XlsxResult:
    """Export forms of ``workbook`` to one .xlsx file at ``out_path`` (replaced atomically).

    Raises:
        UserError: nothing to export, or the file cannot be written (the message says why; no
            partial file is left; a file open in Excel / WPS is named as the likely cause).
    """
    data, names = render_xlsx(workbook, forms=forms, scores=scores)
    target = Path(out_path)
    try:
        write_atomically(target, data)
    except UserError as exc:
        hint = ""
        if isinstance(exc.__context__, PermissionError):
            hint = "如果该文件正在 Excel 或 WPS 中打开，请先关闭它。"
        raise UserError(f"Excel 文件未能保存：{exc.message}{hint}") from exc
    return XlsxResult(path=target, sheets=names, bytes=len(data))
