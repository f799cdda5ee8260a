"""The pieces every printed form is made of: ruled info blocks, the heading, the indicator grid,
footnotes and the sign-off line, drawn from the form's ``PrintedForm`` description.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from desktop.models.scoring.engine import FormScore
from desktop.models.workbook.domain import Form, Unit, Workbook
from desktop.reports.grid import FIT, Cell, GridRow, IndicatorGrid, RowKind, align_of, fit_widths, para, split_text
from desktop.reports.linebreak import HANG_EM, line_width, wrap_lines
from desktop.reports.pages import FormStart, frame_size
from desktop.reports.printed import PrintedForm
from desktop.reports.styles import (
    BODY_LEADING,
    BODY_SIZE,
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

# Long texts in info blocks are cut into rows of at most this many lines, so that a block can
# break at a page foot without leaving a gap (ReportLab breaks tables between rows only).
TEXT_PIECE_LINES = 6
BLANK_FIELD = "__________"
_LEFT_FIELDS = frozenset({"name", "description", "deviation", "basis"})
# What a paragraph treats specially: white space (collapsed), markup and entities.
_SPECIAL = re.compile(r"[^\S\n]|[&<>]")


def unit_of(form: Form, workbook: Workbook) -> Unit:
    """The form's own unit (实施单位) where it has one, else the workbook's."""
    return form.unit if form.unit is not None and (form.unit.name or form.unit.code) else workbook.unit


def unit_line(form: Form, workbook: Workbook) -> str:
    """The unit line under the title: code and name run together, as published (319101天津市…)."""
    unit = unit_of(form, workbook)
    return f"{unit.code}{unit.name}"


class BlockTable(Table):  # type: ignore[misc]  # ReportLab is untyped
    """A ruled block that, split at a page foot, opens the next page with a rule, its repeated
    heading rows (``repeatRows``) and the label of a text continuing there (``label（续）``)."""

    continuations: dict[int, list[tuple[int, Any]]]

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        """Table.split, then the continuing part gets its top rule and labels."""
        parts: list[Flowable] = super().split(avail_width, avail_height)
        if len(parts) != 2 or not isinstance(parts[1], BlockTable):
            return parts
        first, second = parts
        cut = len(first._cellvalues)
        repeated = self.repeatRows or 0
        own = getattr(self, "continuations", {})
        second.continuations = {r - cut + repeated: cells for r, cells in own.items() if r >= cut}
        for column, value in own.get(cut, []):
            second._cellvalues[repeated][column] = value
        second._addCommand(("LINEABOVE", (0, 0), (-1, 0), RULE_WIDTH, GRID_COLOR))
        return parts


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
        self.continuations: dict[int, list[tuple[int, Any]]] = {}

    def _width(self, first: int, last: int) -> float:
        last %= len(self.col_widths)
        return float(sum(self.col_widths[first : last + 1])) - 2 * CELL_PAD_H

    def _content(self, text: str, style: ParagraphStyle, first: int, last: int, r: int) -> Paragraph | str:
        """A cell's content: its wrapped lines as plain text, drawn by the table itself at the place
        a paragraph would put them (wrapping a long text this way takes ~14 µs, a paragraph ~190 µs),
        when the text is in the table's own font size and has nothing a paragraph treats specially
        (spaces, which it collapses; markup characters; empty lines); else a paragraph."""
        if style.fontSize == BODY_SIZE and style.leading == BODY_LEADING and not _SPECIAL.search(text):
            width = self._width(first, last) - HANG_EM * style.fontSize - FIT
            lines = wrap_lines(text, style.fontName, style.fontSize, width)
            if all(lines):
                self.commands.append(("ALIGN", (first, r), (first, r), align_of(style)))
                return "\n".join(lines)
        return para(text, style, self._width(first, last))

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
                    row[first] = self._content(parts[index], style, first, last, r)
                if last % len(self.col_widths) != first:
                    self.commands.append(("SPAN", (first, r), (last, r)))
            self.data.append(row)
            if index:  # a piece of a long text: repeat the row's labels if it opens a page
                self.continuations[r] = [
                    (first, para(parts[0] + "（续）", style, self._width(first, last)))
                    for parts, first, last, style in pieces
                    if len(parts) == 1 and parts[0]
                ]
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

    def table(self, repeat_rows: int = 0) -> Table:
        """The block as a Table (ruled: box, column rules and the row rules asked for); its first
        ``repeat_rows`` rows (a heading) repeat where it continues on a new page."""
        commands = table_style(self.styles.font, CELL_STYLE)
        commands.append(("BOX", (0, 0), (-1, -1), RULE_WIDTH, GRID_COLOR))
        for column in range(1, len(self.col_widths)):
            commands.append(("LINEBEFORE", (column, 0), (column, -1), RULE_WIDTH, GRID_COLOR))
        commands += self.commands
        table = BlockTable(
            self.data, colWidths=self.col_widths, style=TableStyle(commands), hAlign="LEFT", repeatRows=repeat_rows
        )
        table.continuations = self.continuations
        return table


@dataclass
class FormPrint:
    """Everything one form's layout needs.

    Attributes:
        workbook: the workbook the form belongs to.
        form: the form.
        index: its position in the export (for its bookmark and page count).
        styles: the export's paragraph styles.
        printed: what the form prints (template applied).
        page: the page template (orientation) it prints on.
        score: the scoring engine's result for a self-evaluation (None for target tables).
    """

    workbook: Workbook
    form: Form
    index: int
    styles: Styles
    printed: PrintedForm
    page: str
    score: FormScore | None = None

    @property
    def frame_width(self) -> float:
        """The usable page width in points."""
        return frame_size(self.page)[0]

    @property
    def frame_height(self) -> float:
        """The usable page height in points."""
        return frame_size(self.page)[1]

    def block(self, col_widths_mm: Sequence[float]) -> Block:
        """A new information block on this form's page width."""
        return Block(col_widths_mm, self.styles, self.frame_height)

    def money(self, value: Decimal | None) -> str:
        """An amount in the template's format."""
        return self.printed.fmt.money(value)


def heading(job: FormPrint) -> list[Flowable]:
    """The bookmark mark, title (and subtitle), unit line and money unit."""
    styles, printed = job.styles, job.printed
    width = job.frame_width
    story: list[Flowable] = [FormStart(job.index, printed.title), para(printed.title, styles.title, width)]
    if printed.subtitle:
        story.append(para(printed.subtitle, styles.subtitle, width))
    unit_row = Table(
        [
            [
                para(unit_line(job.form, job.workbook), styles.unit, width * 0.7 - 6),
                para(f"单位：{job.form.effective_money_unit}", styles.money),
            ]
        ],
        colWidths=[width * 0.7, width * 0.3],
        style=TableStyle(table_style(styles.font, PLAIN_STYLE)),
        hAlign="LEFT",
    )
    return [*story, unit_row, Spacer(1, 2 * mm)]


def footnotes(job: FormPrint) -> list[Flowable]:
    """The template's footnotes (注1：…), one paragraph a line."""
    lines = job.printed.footnotes
    if not lines:
        return []
    return [Spacer(1, 2 * mm), *(para(line, job.styles.note, job.frame_width) for line in lines)]


def signoff(job: FormPrint) -> list[Flowable]:
    """The sign-off line with the template's labels (blank lines to sign where nothing is filled in)."""
    pairs = job.printed.signoff
    if not pairs:
        return []
    styles = job.styles
    share = job.frame_width / len(pairs)
    cells = [para(f"{label}：{value or BLANK_FIELD}", styles.plain, share - 6) for label, value in pairs]
    table = Table(
        [cells], colWidths=[share] * len(cells), style=TableStyle(table_style(styles.font, PLAIN_STYLE)), hAlign="LEFT"
    )
    return [Spacer(1, 5 * mm), table]


def _column_widths(job: FormPrint) -> list[float]:
    printed = job.printed
    layout = printed.layout
    labels = layout.label_count
    texts: list[list[str]] = [[] for _ in layout.columns]
    for row in printed.rows:
        for n, label in enumerate(row.labels):
            texts[n].append(label)
        for n, cell in enumerate(row.cells):
            texts[labels + n].append(cell)
    heads = [column.head if column.field != "section" else "" for column in layout.columns]
    section = layout.column("section")
    if section is None:
        return fit_widths(texts, heads, job.frame_width, job.styles.font, label_columns=labels)
    narrow = line_width("国", job.styles.font, BODY_SIZE) + 2 * CELL_PAD_H + 2
    rest = [t for n, t in enumerate(texts) if n != section]
    rest_heads = [h for n, h in enumerate(heads) if n != section]
    widths = fit_widths(rest, rest_heads, job.frame_width - narrow, job.styles.font, label_columns=labels - 1)
    widths.insert(section, narrow)
    return widths


def _total_row(job: FormPrint, columns: int) -> GridRow | None:
    printed, s = job.printed, job.styles
    if printed.total is None:
        return None
    layout = printed.layout
    weight_text, score_text, grade = printed.total
    places = [p for p in (layout.column("weight"), layout.column("score")) if p is not None]
    first_number = min(places) if places else columns - 1
    cells = [Cell("总分", s.center)] + [Cell(None, s.center)] * (columns - 1)
    spans = [(0, first_number - 1)] if first_number > 1 else []
    if layout.column("weight") is not None:
        cells[layout.column("weight") or 0] = Cell(weight_text, s.center)
    score_at = layout.column("score")
    if score_at is not None:
        cells[score_at] = Cell(score_text, s.center)
    after = max(places) + 1 if places else columns
    if grade and after < columns:
        cells[after] = Cell(grade, s.center)
        if after < columns - 1:
            spans.append((after, columns - 1))
    elif after < columns - 1:
        spans.append((after, columns - 1))
    return GridRow(RowKind.TAIL, cells, spans=spans)


def indicator_grid(job: FormPrint, after: Sequence[Flowable] = ()) -> IndicatorGrid:
    """The indicator table with 总分 and the tail rows; ``after`` stays with its last rows."""
    printed, s = job.printed, job.styles
    layout = printed.layout
    columns = len(layout.columns)
    labels = layout.label_count
    rows: list[GridRow] = []
    if printed.goal_rows:
        caption = [Cell("年度指标完成情况", s.center)] + [Cell(None, s.center)] * (columns - 1)
        rows.append(GridRow(RowKind.CAPTION, caption, spans=[(0, -1)]))
    goal_row: GridRow | None = None
    for row in printed.rows:
        if printed.goal_rows and (goal_row is None or goal_row.cells[0].text != row.goal):
            goal_row = GridRow(
                RowKind.GOAL, [Cell(row.goal, s.goal)] + [Cell(None, s.goal)] * (columns - 1), spans=[(0, -1)]
            )
            rows.append(goal_row)
        cells = [Cell(None, s.center)] * labels
        for column, text in zip(layout.columns[labels:], row.cells, strict=True):
            cells.append(Cell(text, s.cell if column.field in _LEFT_FIELDS else s.center))
        rows.append(GridRow(RowKind.DATA, cells, levels=row.labels, goal_row=goal_row if printed.goal_rows else None))
    total = _total_row(job, columns)
    if total is not None:
        rows.append(total)
    label_end = max(0, labels - 2) if labels > 2 else 0
    for label, text in printed.tail:
        cells = [Cell(label, s.center)] + [Cell(None, s.center)] * label_end + [Cell(text, s.cell)]
        cells += [Cell(None, s.cell)] * (columns - len(cells))
        spans = [(label_end + 1, columns - 1)]
        if label_end:
            spans.insert(0, (0, label_end))
        rows.append(GridRow(RowKind.TAIL, cells, spans=spans))
    heads = [column.head if column.field != "section" else "" for column in layout.columns]
    return IndicatorGrid(
        [Cell(text, s.head) for text in heads],
        rows,
        _column_widths(job),
        font=s.font,
        label_style=s.center,
        base_style=table_style(s.font, GRID_STYLE, HEADER_ROW_STYLE),
        max_height=job.frame_height,
        after=after,
        repeat_columns=[n for n in (layout.column("name"),) if n is not None],
    )
