"""The printed layout of each form kind (forms.md §1): title, unit line, blocks, indicator table.

Each ``*_story`` function turns one form into platypus flowables, reproducing the published
forms: 项目支出绩效目标表, 部门整体支出绩效目标表 (department and project blocks),
项目支出绩效自评表 and both department self-evaluation layouts (A: budget block and one
indicator table; B: numbered goals, each followed by its own indicators). Scores printed on
self-evaluations are the ones the scoring engine computed (``FormScore``), never recomputed here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from desktop.models.errors import UserError
from desktop.models.scoring.engine import FormScore
from desktop.models.workbook.domain import (
    DEPT_FUND_LINE_LABELS,
    FUND_LINE_LABELS,
    Form,
    FormKind,
    FundLine,
    Indicator,
    Unit,
    Workbook,
)
from desktop.reports.grid import Cell, GridRow, IndicatorGrid, RowKind, para, split_text
from desktop.reports.pages import LANDSCAPE_TEMPLATE, PORTRAIT_TEMPLATE, FormStart, frame_size
from desktop.reports.styles import (
    CELL_PAD_H,
    CELL_STYLE,
    GRID_COLOR,
    GRID_STYLE,
    HEADER_FILL,
    HEADER_ROW_STYLE,
    PLAIN_STYLE,
    RULE_WIDTH,
    Styles,
    table_style,
)

DASH = "—"
TWO_PLACES = Decimal("0.01")
# Long texts in info blocks are cut into rows of at most this many lines, so that a block can
# break at a page foot without leaving a gap (ReportLab breaks tables between rows only).
TEXT_PIECE_LINES = 6

# Indicator table columns (mm) of each layout; each set fills the frame width.
TARGET_COLUMNS = (18, 22, 38, 62, 30)
DEPT_TARGET_COLUMNS = (16, 20, 32, 50, 26, 26)
SELF_EVAL_COLUMNS = (18, 22, 48, 30, 30, 14, 14, 81)

TARGET_HEADER = ("一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值")
DEPT_TARGET_HEADER = (*TARGET_HEADER, "指标值确定依据")
SELF_EVAL_HEADER = (
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "分值",
    "得分",
    "偏差原因分析及改进措施",
)

FUND_HEADS = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
BUDGET_HEADS_A = ("年初预算数", "全年预算数（A）", "实际支出数（B）", "执行率（B/A）", "分值", "得分")
BUDGET_HEADS_B = (
    "年初预算数",
    "全年预算数（A）",
    "全年执行数（B）",
    "分值",
    "得分",
    "执行率（B/A）",
    "偏差原因分析及改进措施",
)

SIGNOFF_LABELS = ("单位负责人", "填报人", "联系电话", "填报日期")
BLANK_FIELD = "__________"


# -- formatting ----------------------------------------------------------------------------


def fmt_number(value: Decimal | None) -> str:
    """A score or weight as printed: at most two decimals, no trailing zeros (3, 3.48, 9.8)."""
    if value is None:
        return ""
    text = format(value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def fmt_money(value: Decimal | None) -> str:
    """An amount as the user entered it (its digits kept: 114.00 stays 114.00)."""
    return "" if value is None else format(value, "f")


def fmt_rate(rate: Decimal | None) -> str:
    """A fraction as a percentage with at most two decimals (0.976 → 97.6%)."""
    return "" if rate is None else fmt_number(rate * 100) + "%"


def line_rate(fund: FundLine | None) -> Decimal | None:
    """全年执行数 / 全年预算数 of one fund line, for display (None when it cannot be computed)."""
    if fund is None or fund.executed is None or not fund.full_year:
        return None
    return fund.executed / fund.full_year


def unit_of(form: Form, workbook: Workbook) -> Unit:
    """The form's own unit (实施单位) where it has one, else the workbook's."""
    return form.unit if form.unit is not None and (form.unit.name or form.unit.code) else workbook.unit


def unit_line(form: Form, workbook: Workbook) -> str:
    """The unit line under the title: code and name run together, as published (319101天津市…)."""
    unit = unit_of(form, workbook)
    return f"{unit.code}{unit.name}"


def is_dept_project_block(form: Form) -> bool:
    """Whether a 部门整体支出绩效目标表 form is one of its budget project blocks."""
    return bool(form.code or form.spending_plan or form.purpose or form.budget)


def uses_goal_layout(form: Form) -> bool:
    """Whether a department self-evaluation prints layout B (indicators grouped under goals)."""
    return any(indicator.goal is not None for indicator in form.indicators)


def form_title(form: Form, workbook: Workbook) -> str:
    """The printed title of a form."""
    year = f"（{workbook.year}年度）" if workbook.year else ""
    if form.kind is FormKind.PROJECT_TARGET:
        return f"{form.title}绩效目标表"
    if form.kind is FormKind.DEPT_TARGET:
        if is_dept_project_block(form):
            return f"{form.title}绩效目标表"
        return f"{form.title}{form.kind.label}{year}" if form.title else f"{form.kind.label}{year}"
    if form.kind is FormKind.DEPT_SELF_EVAL and form.title:
        return f"{form.title}{form.kind.label}{year}"
    return f"{form.kind.label}{year}"


def selected_forms(workbook: Workbook, forms: Sequence[int] | None) -> list[Form]:
    """The forms an export covers: these positions in order (default: all).

    Raises:
        UserError: no form is chosen.
        IndexError: a position is not in the workbook (a caller's mistake, not the user's).
    """
    chosen = list(range(len(workbook.forms))) if forms is None else list(forms)
    if not chosen:
        raise UserError("没有要导出的表。请至少选择一张表。")
    for position in chosen:
        if not 0 <= position < len(workbook.forms):
            raise IndexError(f"form {position} is not in the workbook")
    return [workbook.forms[position] for position in chosen]


def template_of(form: Form) -> str:
    """The page template (orientation) a form prints on: self-evaluations need landscape."""
    return LANDSCAPE_TEMPLATE if form.kind.is_self_eval else PORTRAIT_TEMPLATE


# -- info blocks ---------------------------------------------------------------------------


class Block:
    """A ruled information table built row by row; long texts become rows that fit a page.

    A text too tall for a page is cut into pieces, one per row, with no rule between them, so
    the table can break between pieces (ReportLab cannot break inside a row or a span).
    """

    def __init__(self, col_widths_mm: Sequence[float], styles: Styles, max_height: float) -> None:
        """A block with these column widths (mm) whose rows stay below ``max_height`` points."""
        self.col_widths = [w * mm for w in col_widths_mm]
        self.styles = styles
        self.max_height = max_height
        self.data: list[list[Any]] = []
        self.commands: list[tuple[Any, ...]] = []

    def _width(self, first: int, last: int) -> float:
        last %= len(self.col_widths)
        return float(sum(self.col_widths[first : last + 1])) - 2 * CELL_PAD_H

    def row(
        self,
        cells: Sequence[tuple[str | None, int, int] | tuple[str | None, int, int, ParagraphStyle]],
        *,
        rule_from: int | None = 0,
        fill: bool = False,
    ) -> int:
        """Add one or more rows holding ``cells`` = (text, first column, last column[, style]).

        Args:
            cells: each text with the columns it covers; label-like cells default to centred text.
            rule_from: the first column of the rule above the row (None: no rule, the row
                continues the one above).
            fill: shade the row (column titles).

        Returns:
            The index of the first added row.
        """
        pieces: list[tuple[list[str], int, int, ParagraphStyle]] = []
        for cell in cells:
            text, first, last = cell[0], cell[1], cell[2]
            style = cell[3] if len(cell) == 4 else self.styles.center
            limit = min(self.max_height * 0.8, style.leading * (TEXT_PIECE_LINES + 0.5))
            parts = split_text(text or "", style, self._width(first, last), limit)
            pieces.append((parts, first, last, style))
        count = max((len(p[0]) for p in pieces), default=1)
        start = len(self.data)
        for index in range(count):
            row: list[Any] = [""] * len(self.col_widths)
            r = len(self.data)
            for parts, first, last, style in pieces:
                if index < len(parts) and parts[index]:
                    row[first] = para(parts[index], style)
                if last % len(self.col_widths) != first:
                    self.commands.append(("SPAN", (first, r), (last, r)))
            self.data.append(row)
            rule = rule_from if index == 0 else None
            if rule is not None and r > 0:
                self.commands.append(("LINEABOVE", (rule, r), (-1, r), RULE_WIDTH, GRID_COLOR))
            if count > 1:  # pieces of one text: top-aligned, little padding where they meet
                self.commands.append(("VALIGN", (0, r), (-1, r), "TOP"))
                if index > 0:
                    self.commands.append(("TOPPADDING", (0, r), (-1, r), 1))
                if index < count - 1:
                    self.commands.append(("BOTTOMPADDING", (0, r), (-1, r), 1))
            if fill:
                self.commands.append(("BACKGROUND", (0, r), (-1, r), HEADER_FILL))
        return start

    def span_rows(self, column: int, first_row: int, last_row: int) -> None:
        """Merge one column over several (short) rows, e.g. 项目资金（万元） over the fund lines."""
        self.commands.append(("SPAN", (column, first_row), (column, last_row)))

    def table(self) -> Table:
        """The block as a Table (ruled: box, column rules and the row rules asked for)."""
        commands = table_style(self.styles.font, CELL_STYLE)
        commands.append(("BOX", (0, 0), (-1, -1), RULE_WIDTH, GRID_COLOR))
        for column in range(1, len(self.col_widths)):
            commands.append(("LINEBEFORE", (column, 0), (column, -1), RULE_WIDTH, GRID_COLOR))
        commands += self.commands
        return Table(self.data, colWidths=self.col_widths, style=TableStyle(commands), hAlign="LEFT")


# -- the form being laid out ---------------------------------------------------------------


@dataclass
class FormPrint:
    """Everything one form's layout needs.

    Attributes:
        workbook: the workbook the form belongs to.
        form: the form.
        index: its position in the export (for its bookmark and page count).
        styles: the export's paragraph styles.
        score: the scoring engine's result for a self-evaluation (None for target tables).
    """

    workbook: Workbook
    form: Form
    index: int
    styles: Styles
    score: FormScore | None = None

    @property
    def template(self) -> str:
        """The page template the form prints on."""
        return template_of(self.form)

    @property
    def frame_width(self) -> float:
        """The usable page width in points."""
        return frame_size(self.template)[0]

    @property
    def frame_height(self) -> float:
        """The usable page height in points."""
        return frame_size(self.template)[1]

    def block(self, col_widths_mm: Sequence[float]) -> Block:
        """A new information block on this form's page width."""
        return Block(col_widths_mm, self.styles, self.frame_height)

    def indicator_score(self, position: int) -> Decimal | None:
        """The effective score (manual where set) the engine gave indicator ``position``."""
        if self.score is None or position >= len(self.score.indicators):
            return None
        return self.score.indicators[position].score


def _heading(job: FormPrint) -> list[Flowable]:
    styles = job.styles
    title = form_title(job.form, job.workbook)
    unit_row = Table(
        [
            [
                para(unit_line(job.form, job.workbook), styles.unit),
                para(f"单位：{job.form.effective_money_unit}", styles.money),
            ]
        ],
        colWidths=[job.frame_width * 0.7, job.frame_width * 0.3],
        style=TableStyle(table_style(styles.font, PLAIN_STYLE)),
        hAlign="LEFT",
    )
    return [FormStart(job.index, title), para(title, styles.title), unit_row, Spacer(1, 2 * mm)]


def _signoff(job: FormPrint) -> list[Flowable]:
    signoff = job.form.signoff
    values = (signoff.head, signoff.preparer, signoff.phone, signoff.date) if signoff else (None,) * 4
    cells = [
        para(f"{label}：{value or BLANK_FIELD}", job.styles.plain)
        for label, value in zip(SIGNOFF_LABELS, values, strict=True)
    ]
    widths = [job.frame_width * share for share in (0.25, 0.25, 0.25, 0.25)]
    table = Table([cells], colWidths=widths, style=TableStyle(table_style(job.styles.font, PLAIN_STYLE)), hAlign="LEFT")
    return [Spacer(1, 5 * mm), table]


def goals_text(form: Form, field: str) -> str:
    """Numbered goal texts (目标1：…) joined by lines, from ``goal.target`` or ``goal.actual``."""
    lines = []
    for goal in sorted(form.goals or (), key=lambda g: g.no):
        text = getattr(goal, field)
        if text:
            lines.append(f"目标{goal.no}：{text}")
    return "\n".join(lines)


# -- indicator grids -----------------------------------------------------------------------


def _grid(
    job: FormPrint,
    columns_mm: Sequence[float],
    header: Sequence[str],
    rows: Sequence[GridRow],
) -> IndicatorGrid:
    styles = job.styles
    return IndicatorGrid(
        [Cell(text, styles.head) for text in header],
        rows,
        [w * mm for w in columns_mm],
        font=styles.font,
        label_style=styles.center,
        base_style=table_style(styles.font, GRID_STYLE, HEADER_ROW_STYLE),
        max_height=job.frame_height,
    )


def _target_row(job: FormPrint, indicator: Indicator, with_basis: bool) -> GridRow:
    s = job.styles
    cells = [
        Cell(None, s.center),
        Cell(None, s.center),
        Cell(indicator.name, s.cell),
        Cell(indicator.description, s.cell),
        Cell(indicator.target, s.center),
    ]
    if with_basis:
        cells.append(Cell(indicator.basis, s.center))
    return GridRow(RowKind.DATA, cells, levels=(indicator.level1, indicator.level2))


def _self_eval_row(job: FormPrint, position: int, indicator: Indicator, goal_row: GridRow | None) -> GridRow:
    s = job.styles
    cells = [
        Cell(None, s.center),
        Cell(None, s.center),
        Cell(indicator.name, s.cell),
        Cell(indicator.target, s.center),
        Cell(indicator.actual, s.center),
        Cell(fmt_number(indicator.weight), s.center),
        Cell(fmt_number(job.indicator_score(position)), s.center),
        Cell(indicator.deviation, s.cell),
    ]
    return GridRow(RowKind.DATA, cells, levels=(indicator.level1, indicator.level2), goal_row=goal_row)


def _tail_row(job: FormPrint, label: str, text: str | None, columns: int) -> GridRow:
    s = job.styles
    cells = [Cell(label, s.center), Cell(text, s.cell)] + [Cell(None, s.cell)] * (columns - 2)
    return GridRow(RowKind.TAIL, cells, spans=[(1, columns - 1)])


def _total_row(job: FormPrint) -> GridRow:
    s = job.styles
    score = job.score
    weight = sum((i.weight or Decimal(0) for i in job.form.indicators), Decimal(0))
    if score is not None and score.max_total is not None:
        weight = score.max_total
    elif score is not None:
        weight += score.exec_weight
    elif job.form.exec_weight is not None:
        weight += job.form.exec_weight
    grade = f"自评等级：{score.grade}" if score is not None and score.grade else ""
    cells = [Cell("总分", s.center)] + [Cell(None, s.center)] * 4
    cells += [
        Cell(fmt_number(weight), s.center),
        Cell(score.total_text(fmt_number, "") if score else "", s.center),  # 待评（N项未评） while incomplete
        Cell(grade, s.center),
    ]
    return GridRow(RowKind.TAIL, cells, spans=[(0, 4)])


def _self_eval_tail(job: FormPrint, notes_label: str) -> list[GridRow]:
    rows = [_total_row(job)]
    if job.form.conclusion:
        rows.append(_tail_row(job, "自评结论", job.form.conclusion, len(SELF_EVAL_COLUMNS)))
    rows.append(_tail_row(job, notes_label, job.form.notes or "无", len(SELF_EVAL_COLUMNS)))
    return rows


def _self_eval_grid(job: FormPrint, notes_label: str = "说明") -> IndicatorGrid:
    rows = [_self_eval_row(job, i, indicator, None) for i, indicator in enumerate(job.form.indicators)]
    return _grid(job, SELF_EVAL_COLUMNS, SELF_EVAL_HEADER, [*rows, *_self_eval_tail(job, notes_label)])


def _goal_grid(job: FormPrint) -> IndicatorGrid:
    """Layout B: each goal's title row followed by its own indicator rows."""
    s = job.styles
    form = job.form
    columns = len(SELF_EVAL_COLUMNS)
    goals = sorted(form.goals or (), key=lambda g: g.no)
    known = {goal.no for goal in goals}
    numbered = list(enumerate(form.indicators))
    sections = [
        (f"绩效目标{goal.no}：{goal.target or ''}", [(p, i) for p, i in numbered if i.goal == goal.no])
        for goal in goals
    ]
    orphans = [(p, i) for p, i in numbered if i.goal not in known]
    if orphans:
        sections.append(("未关联绩效目标的指标", orphans))
    rows: list[GridRow] = []
    for title, members in sections:
        goal_row = GridRow(RowKind.GOAL, [Cell(title, s.goal)] + [Cell(None, s.goal)] * (columns - 1), spans=[(0, -1)])
        rows.append(goal_row)
        rows += [_self_eval_row(job, p, i, goal_row) for p, i in members]
    return _grid(job, SELF_EVAL_COLUMNS, SELF_EVAL_HEADER, [*rows, *_self_eval_tail(job, "说明")])


# -- the four kinds ------------------------------------------------------------------------


def project_target_story(job: FormPrint) -> list[Flowable]:
    """项目支出绩效目标表: 项目名称, 预算规模及资金用途, 绩效目标, indicators (001, 002)."""
    form, s = job.form, job.styles
    budget = form.budget
    block = job.block((32, 30, 54, 54))
    block.row([("项目名称", 0, 0), (form.title, 1, 3, s.cell)], rule_from=0)
    first = block.row(
        [("预算规模及资金用途", 0, 0), ("预算数", 1, 1), (fmt_money(budget.amount if budget else None), 2, 3)]
    )
    block.row([("其中：财政资金", 1, 1), (fmt_money(budget.fiscal if budget else None), 2, 3)], rule_from=1)
    block.row([("其他资金", 1, 1), (fmt_money(budget.other if budget else None), 2, 3)], rule_from=1)
    block.row([("资金用途", 1, 1), (form.purpose, 2, 3, s.cell)], rule_from=1)
    block.span_rows(0, first, first + 3)
    goals = "\n".join(t for t in (form.overall_target, goals_text(form, "target")) if t)
    block.row([("绩效目标", 0, 0), (goals, 1, 3, s.cell)])
    rows = [_target_row(job, indicator, False) for indicator in form.indicators]
    story = [*_heading(job), block.table(), _grid(job, TARGET_COLUMNS, TARGET_HEADER, rows)]
    if form.notes:
        notes = job.block((32, 138))
        notes.row([("说明", 0, 0), (form.notes, 1, 1, s.cell)])
        story.append(notes.table())
    return [*story, *_signoff(job)]


def dept_target_story(job: FormPrint) -> list[Flowable]:
    """部门整体支出绩效目标表 (003): the department form or one of its budget project blocks."""
    form, s = job.form, job.styles
    story = _heading(job)
    if is_dept_project_block(form):
        block = job.block((32, 38, 30, 70))
        block.row([("项目编码", 0, 0), (form.code, 1, 1), ("预算项目名称", 2, 2), (form.title, 3, 3, s.cell)])
        if form.budget is not None:
            block.row(
                [
                    ("预算数", 0, 0),
                    (fmt_money(form.budget.amount), 1, 1),
                    ("其中：财政资金", 2, 2),
                    (fmt_money(form.budget.fiscal), 3, 3),
                ]
            )
            block.row([("其他资金", 2, 2), (fmt_money(form.budget.other), 3, 3)], rule_from=2)
        block.row([("项目资金主要用途", 0, 0), (form.purpose, 1, 3, s.cell)])
        story.append(block.table())
        steps = form.spending_plan or []
        if steps:
            share = 138 / len(steps)
            plan = job.block((32, *([share] * len(steps))))
            first = plan.row([("资金支出计划（%）", 0, 0), *((step.by, n + 1, n + 1) for n, step in enumerate(steps))])
            plan.row(
                [
                    (fmt_number(step.percent) + "%" if step.percent is not None else "", n + 1, n + 1)
                    for n, step in enumerate(steps)
                ],
                rule_from=1,
            )
            plan.span_rows(0, first, first + 1)
            story.append(plan.table())
        goals = job.block((32, 138))
        goals.row([("绩效目标", 0, 0), (form.overall_target, 1, 1, s.cell)])
        story.append(goals.table())
    else:
        block = job.block((32, 12, 126))
        if form.overall_target:
            block.row([("总体绩效目标", 0, 0), (form.overall_target, 1, 2, s.cell)])
        first = len(block.data)
        for n, goal in enumerate(sorted(form.goals or (), key=lambda g: g.no)):
            block.row(
                [("分项绩效目标" if n == 0 else None, 0, 0), (str(goal.no), 1, 1), (goal.target, 2, 2, s.cell)],
                rule_from=0 if n == 0 else 1,
            )
        if first + 1 < len(block.data) == first + len(form.goals or ()):  # one row per goal: merge the label
            block.span_rows(0, first, len(block.data) - 1)
        if form.notes:
            block.row([("目标规划及保障措施", 0, 0), (form.notes, 1, 2, s.cell)])
        if block.data:
            story.append(block.table())
    if form.indicators:
        rows = [_target_row(job, indicator, True) for indicator in form.indicators]
        story.append(_grid(job, DEPT_TARGET_COLUMNS, DEPT_TARGET_HEADER, rows))
    return [*story, *_signoff(job)]


def _fund_cells(job: FormPrint, key: str, first_col: int) -> list[tuple[str | None, int, int]]:
    """年初预算数, 全年预算数, 全年执行数 of one fund line from column ``first_col`` on."""
    fund = job.form.fund(key)
    values = (fund.initial, fund.full_year, fund.executed) if fund else (None, None, None)
    return [(fmt_money(value), first_col + n, first_col + n) for n, value in enumerate(values)]


def _exec_rate(job: FormPrint, key: str) -> str:
    if key == "total" and job.score is not None:
        return fmt_rate(job.score.exec_rate)
    return fmt_rate(line_rate(job.form.fund(key)))


def _exec_weight(job: FormPrint) -> str:
    return fmt_number(job.score.exec_weight if job.score else job.form.exec_weight)


def _exec_score(job: FormPrint) -> str:
    return fmt_number(job.score.exec_score if job.score else None)


def project_self_eval_story(job: FormPrint) -> list[Flowable]:
    """项目支出绩效自评表 (004, tables 2-4): header, fund table, 年度总体目标, indicators, 总分, 说明."""
    form, s = job.form, job.styles
    unit = unit_of(form, job.workbook)
    block = job.block((32, 45, 30, 30, 30, 30, 30, 30))
    block.row([("项目名称", 0, 0), (form.title, 1, 7, s.cell)])
    block.row([("主管部门", 0, 0), (form.department, 1, 3, s.cell), ("实施单位", 4, 4), (unit.name, 5, 7, s.cell)])
    first = block.row(
        [(f"项目资金（{form.effective_money_unit}）", 0, 0), *((h, n + 2, n + 2) for n, h in enumerate(FUND_HEADS))]
    )
    for key in ("total", "fiscal", "carryover", "other"):
        is_total = key == "total"
        block.row(
            [
                (FUND_LINE_LABELS[key], 1, 1),
                *_fund_cells(job, key, 2),
                (_exec_weight(job) if is_total else DASH, 5, 5),
                (_exec_rate(job, key), 6, 6),
                (_exec_score(job) if is_total else DASH, 7, 7),
            ],
            rule_from=1,
        )
    block.span_rows(0, first, first + 4)
    if form.deviation:
        block.row([("偏差原因分析及改进措施", 0, 0), (form.deviation, 1, 7, s.cell)])
    target = form.overall_target or goals_text(form, "target")
    actual = form.overall_actual or goals_text(form, "actual")
    goals = job.block((32, 112.5, 112.5))
    first = goals.row([("年度总体目标", 0, 0), ("预期目标", 1, 1), ("实际完成情况", 2, 2)])
    goals.row([(None, 0, 0), (target, 1, 1, s.cell), (actual, 2, 2, s.cell)], rule_from=1)
    if len(goals.data) == first + 2:  # the texts fit one row: centre the label over both rows
        goals.span_rows(0, first, first + 1)
    return [*_heading(job), block.table(), goals.table(), _self_eval_grid(job), *_signoff(job)]


def _dept_budget_block(job: FormPrint, layout_b: bool) -> Block:
    form, s = job.form, job.styles
    money = form.effective_money_unit
    lines = [key for key in ("total", "basic", "project") if key == "total" or form.fund(key) is not None]
    if layout_b:
        block = job.block((40, 28, 28, 28, 18, 18, 24, 73))
        block.row([("部门（单位）名称", 0, 0), (form.title or job.workbook.unit.name, 1, 7, s.cell)])
        block.row([(f"预算执行情况（{money}）", 0, 0), *((h, n + 1, n + 1) for n, h in enumerate(BUDGET_HEADS_B))])
        for key in lines:
            is_total = key == "total"
            block.row(
                [
                    (DEPT_FUND_LINE_LABELS[key] if is_total else f"其中：{DEPT_FUND_LINE_LABELS[key]}", 0, 0),
                    *_fund_cells(job, key, 1),
                    (_exec_weight(job) if is_total else DASH, 4, 4),
                    (_exec_score(job) if is_total else DASH, 5, 5),
                    (_exec_rate(job, key), 6, 6),
                    (form.deviation if is_total else None, 7, 7, s.cell),
                ]
            )
        return block
    block = job.block((57, 33, 33, 33, 33, 34, 34))
    block.row([("部门（单位）名称", 0, 0), (form.title or job.workbook.unit.name, 1, 6, s.cell)])
    block.row([(f"预算执行情况（{money}）", 0, 0), *((h, n + 1, n + 1) for n, h in enumerate(BUDGET_HEADS_A))])
    for key in lines:
        is_total = key == "total"
        block.row(
            [
                (DEPT_FUND_LINE_LABELS[key] if is_total else f"其中：{DEPT_FUND_LINE_LABELS[key]}", 0, 0),
                *_fund_cells(job, key, 1),
                (_exec_rate(job, key), 4, 4),
                (_exec_weight(job) if is_total else DASH, 5, 5),
                (_exec_score(job) if is_total else DASH, 6, 6),
            ]
        )
    if form.deviation:
        block.row([("偏差原因分析及改进措施", 0, 0), (form.deviation, 1, 6, s.cell)])
    return block


def dept_self_eval_story(job: FormPrint) -> list[Flowable]:
    """部门整体支出绩效自评表, layout A (004 table 1) or B (goals with their own indicators)."""
    form, s = job.form, job.styles
    layout_b = uses_goal_layout(form)
    story = [*_heading(job), _dept_budget_block(job, layout_b).table()]
    if layout_b:
        goals = job.block((24, 116.5, 116.5))
        goals.row([("年度绩效目标完成情况", 0, 2)], fill=True)
        goals.row([("目标序号", 0, 0), ("年度绩效目标", 1, 1), ("实际完成情况", 2, 2)])
        for goal in sorted(form.goals or (), key=lambda g: g.no):
            goals.row([(str(goal.no), 0, 0), (goal.target, 1, 1, s.cell), (goal.actual, 2, 2, s.cell)])
        story += [goals.table(), _section_title(job, "年度指标完成情况"), _goal_grid(job)]
    else:
        target = form.overall_target or goals_text(form, "target")
        actual = form.overall_actual or goals_text(form, "actual")
        goals = job.block((128.5, 128.5))
        goals.row([("预期目标", 0, 0), ("目标实际完成情况", 1, 1)])
        goals.row([(target, 0, 0, s.cell), (actual, 1, 1, s.cell)])
        story += [goals.table(), _self_eval_grid(job, "其他需要说明的问题")]
    return [*story, *_signoff(job)]


def _section_title(job: FormPrint, text: str) -> Flowable:
    block = job.block([job.frame_width / mm])
    block.row([(text, 0, 0)], fill=True)
    table = block.table()
    table.keepWithNext = True
    return table


STORIES: dict[FormKind, Callable[[FormPrint], list[Flowable]]] = {
    FormKind.PROJECT_TARGET: project_target_story,
    FormKind.DEPT_TARGET: dept_target_story,
    FormKind.PROJECT_SELF_EVAL: project_self_eval_story,
    FormKind.DEPT_SELF_EVAL: dept_self_eval_story,
}


def form_story(job: FormPrint) -> list[Flowable]:
    """The flowables of one form in its kind's layout."""
    return STORIES[job.form.kind](job)
