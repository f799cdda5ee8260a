"""An indicator table that paginates itself: merged 一级/二级 labels repeat on every page.

ReportLab cannot split a SPAN across pages (a tall span raises LayoutError; ``splitInRow``
draws a crossing label once). So ``IndicatorGrid`` measures its rows itself, splits them into
page-sized chunks at row boundaries and builds one ``Table`` per chunk, each with its own
column titles and its own spans: a group continuing on the next page shows its labels again.
Rows too tall for any page are cut into continuation rows beforehand.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from desktop.reports.styles import BODY_LEADING, BODY_SIZE, CELL_PAD_H, CELL_PAD_V, GOAL_FILL, TableCommands

# Room kept below a page for the column titles and a goal row when cutting over-tall rows.
_CUT_RESERVE = 0.15


def markup(text: str | None) -> str:
    """Paragraph markup for plain user text (escaped, line breaks kept)."""
    if not text:
        return ""
    return escape(text).replace("\r\n", "\n").replace("\n", "<br/>")


def para(text: str | None, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain user text."""
    return Paragraph(markup(text), style)


def content(text: str, style: ParagraphStyle, width: float) -> tuple[Paragraph | str, float]:
    """What a table cell holds for ``text`` and its height: a plain string when the text fits
    one line in the table's own font size (drawn directly, much faster), else a paragraph."""
    if (
        style.fontSize == BODY_SIZE
        and style.leading == BODY_LEADING
        and "\n" not in text
        and stringWidth(text, style.fontName, BODY_SIZE) <= width
    ):
        return text, float(BODY_LEADING)
    paragraph = para(text, style)
    _w, height = paragraph.wrap(width, 1e9)
    return paragraph, float(height)


def align_of(style: ParagraphStyle) -> str:
    """The table ALIGN value matching a paragraph style's alignment."""
    return {TA_CENTER: "CENTER", TA_RIGHT: "RIGHT"}.get(style.alignment, "LEFT")


def text_height(text: str, style: ParagraphStyle, width: float) -> float:
    """The height of ``text`` wrapped in ``width`` points."""
    _w, height = para(text, style).wrap(width, 1e9)
    return float(height)


def split_text(text: str, style: ParagraphStyle, width: float, max_height: float) -> list[str]:
    """Cut ``text`` into pieces that each fit ``max_height`` when wrapped in ``width`` points."""
    pieces: list[str] = []
    rest = text
    while rest and text_height(rest, style, width) > max_height:
        low, high = 1, len(rest) - 1
        while low < high:  # the longest prefix that fits
            mid = (low + high + 1) // 2
            if text_height(rest[:mid], style, width) <= max_height:
                low = mid
            else:
                high = mid - 1
        cut = low
        newline = rest.rfind("\n", 0, cut)
        if newline > cut // 2:  # prefer a paragraph boundary when one is near
            cut = newline + 1
        pieces.append(rest[:cut].rstrip("\n"))
        rest = rest[cut:]
    if rest or not pieces:
        pieces.append(rest)
    return pieces


class RowKind(enum.Enum):
    """What a grid row is."""

    DATA = "data"  # an indicator: its first columns show the merged 一级/二级 labels
    GOAL = "goal"  # a goal title across the whole table (layout B)
    TAIL = "tail"  # 总分, 说明… after the indicators


@dataclass
class Cell:
    """One cell's text and style (None text: an empty cell)."""

    text: str | None
    style: ParagraphStyle


@dataclass
class GridRow:
    """One row of an indicator grid.

    Attributes:
        kind: data, goal or tail row.
        cells: one per column; for data rows the label columns are ignored (levels give them).
        levels: the merged label texts of a data row (一级, 二级).
        spans: column ranges merged within this row, e.g. ``[(0, -1)]`` for a goal row.
        goal_row: for data rows of layout B, the goal row they belong to (repeated after a split).
        continued: whether this row continues the previous one (a cut over-tall row).
        height: its natural height (labels aside), set by the grid.
        contents: what each of its cells holds (string or paragraph), set by the grid.
    """

    kind: RowKind
    cells: list[Cell]
    levels: tuple[str, ...] = ()
    spans: list[tuple[int, int]] = field(default_factory=list)
    goal_row: GridRow | None = None
    continued: bool = False
    height: float = 0.0
    contents: list[Paragraph | str] = field(default_factory=list)


class IndicatorGrid(Flowable):  # type: ignore[misc]  # ReportLab is untyped
    """A table of indicator rows with merged level labels that splits itself page by page."""

    def __init__(
        self,
        header: Sequence[Cell],
        rows: Sequence[GridRow],
        col_widths: Sequence[float],
        *,
        font: str,
        label_style: ParagraphStyle,
        base_style: TableCommands,
        max_height: float,
        continued_suffix: str = "（续）",
        _measured: bool = False,
    ) -> None:
        """Build the grid.

        Args:
            header: the column titles.
            rows: the data, goal and tail rows in print order.
            col_widths: column widths in points (their sum is the table width).
            font: the registered font name (for the table style).
            label_style: the paragraph style of the merged level labels.
            base_style: table commands for every chunk (grid, font, header fill…).
            max_height: the tallest a chunk may be (the frame height): over-tall rows are cut.
            continued_suffix: appended to a goal title repeated on a new page.
        """
        super().__init__()
        self.header = list(header)
        self.col_widths = list(col_widths)
        self.font = font
        self.label_style = label_style
        self.base_style = base_style
        self.max_height = max_height
        self.continued_suffix = continued_suffix
        self._labels: dict[tuple[str, int], tuple[Paragraph | str, float]] = {}
        header_row = GridRow(RowKind.TAIL, self.header)
        self._measure(header_row)
        self.header_height = header_row.height
        self.header_contents = header_row.contents
        if _measured:
            self.rows = list(rows)
        else:
            self.rows = []
            for row in rows:
                self._measure(row)
                self.rows.extend(self._cut(row))
        self.width = sum(self.col_widths)
        self.height = 0.0

    # -- measuring -------------------------------------------------------------------------

    def _cell_width(self, row: GridRow, column: int) -> float:
        for first, last in row.spans:
            last = last % len(self.col_widths)
            if first == column:
                return sum(self.col_widths[first : last + 1])
        return self.col_widths[column]

    def _covered(self, row: GridRow, column: int) -> bool:
        return any(first < column <= last % len(self.col_widths) for first, last in row.spans)

    def _measure(self, row: GridRow) -> None:
        """Lay out the row's cells and store its natural height (merged labels aside)."""
        skip = len(row.levels) if row.kind is RowKind.DATA else 0
        height = 0.0
        row.contents = []
        for column, cell in enumerate(row.cells):
            if column < skip or self._covered(row, column) or not cell.text:
                row.contents.append("")
                continue
            value, h = content(cell.text, cell.style, self._cell_width(row, column) - 2 * CELL_PAD_H)
            row.contents.append(value)
            height = max(height, h)
        row.height = height + 2 * CELL_PAD_V

    def _label(self, text: str, column: int) -> tuple[Paragraph | str, float]:
        """A merged label's cell content and the height it needs (cached by text and column)."""
        key = (text, column)
        cached = self._labels.get(key)
        if cached is None:
            value, height = content(text, self.label_style, self.col_widths[column] - 2 * CELL_PAD_H)
            cached = self._labels[key] = (value, height + 2 * CELL_PAD_V)
        return cached

    def _cut(self, row: GridRow) -> list[GridRow]:
        """Cut a row taller than a page into continuation rows that each fit a page."""
        limit = self.max_height * (1 - _CUT_RESERVE) - self.header_height
        if row.height <= limit:
            return [row]
        pieces: list[list[str]] = []
        for column, cell in enumerate(row.cells):
            if not row.contents[column] or not cell.text:
                pieces.append([cell.text or ""])
                continue
            width = self._cell_width(row, column) - 2 * CELL_PAD_H
            pieces.append(split_text(cell.text, cell.style, width, limit - 2 * CELL_PAD_V))
        count = max(len(p) for p in pieces)
        cut_rows = []
        for index in range(count):
            cells = [
                Cell(p[index] if index < len(p) else None, cell.style)
                for p, cell in zip(pieces, row.cells, strict=True)
            ]
            piece = replace(row, cells=cells, continued=index > 0, contents=[])
            self._measure(piece)
            cut_rows.append(piece)
        return cut_rows

    # -- chunking --------------------------------------------------------------------------

    def _level_runs(self, rows: Sequence[GridRow], depth: int) -> list[tuple[int, int]]:
        """Runs (first, last) of consecutive data rows sharing their first ``depth`` levels."""
        runs: list[tuple[int, int]] = []
        start: int | None = None
        key: tuple[str, ...] | None = None
        for index, row in enumerate(rows):
            row_key = row.levels[:depth] if row.kind is RowKind.DATA and len(row.levels) >= depth else None
            if row_key is not None and row_key == key and start is not None:
                continue
            if start is not None:
                runs.append((start, index - 1))
            start, key = (index, row_key) if row_key is not None else (None, None)
        if start is not None:
            runs.append((start, len(rows) - 1))
        return runs

    def _heights(self, rows: Sequence[GridRow]) -> list[float]:
        """Row heights of a chunk, grown where a merged label needs more room than its rows."""
        heights = [row.height for row in rows]
        depth_count = max((len(row.levels) for row in rows if row.kind is RowKind.DATA), default=0)
        for depth in range(depth_count, 0, -1):  # innermost labels first
            for first, last in self._level_runs(rows, depth):
                need = self._label(rows[first].levels[depth - 1], depth - 1)[1]
                have = sum(heights[first : last + 1])
                if have < need:
                    heights[last] += need - have
        return heights

    def _prefix_heights(self, rows: Sequence[GridRow], limit: float = float("inf")) -> list[float]:
        """Body heights of the chunks rows[:1], rows[:2], … (merged labels' needs included),
        in one pass; stops after the first chunk taller than ``limit``."""
        heights: list[float] = []
        committed = 0.0
        open_runs: list[list[Any]] = []  # outermost first: [levels key, height so far, label need]

        def close(depth: int) -> None:
            nonlocal committed
            while len(open_runs) > depth:
                _key, have, need = open_runs.pop()
                adjusted = max(have, need)
                if open_runs:
                    open_runs[-1][1] += adjusted
                else:
                    committed += adjusted

        for row in rows:
            if row.kind is RowKind.DATA and row.levels:
                depth = 0
                while depth < len(open_runs) and open_runs[depth][0] == row.levels[: depth + 1]:
                    depth += 1
                close(depth)
                for d in range(depth, len(row.levels)):
                    open_runs.append([row.levels[: d + 1], 0.0, self._label(row.levels[d], d)[1]])
                open_runs[-1][1] += row.height
            else:
                close(0)
                committed += row.height
            value = 0.0
            for _key, have, need in reversed(open_runs):
                value = max(have + value, need)
            heights.append(committed + value)
            if heights[-1] > limit:
                break
        return heights

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """The size of the whole grid as one table (platypus splits it when it does not fit)."""
        heights = self._prefix_heights(self.rows)
        self.height = self.header_height + (heights[-1] if heights else 0.0)
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        """The rows that fit ``avail_height`` as one table, then a grid of the rest."""
        rows = self.rows
        room = avail_height - self.header_height
        prefix = self._prefix_heights(rows, room)
        end = sum(1 for height in prefix if height <= room)  # the longest prefix that fits
        if end == len(rows):
            return [self._table(rows)]
        trimmed = end
        while trimmed > 0 and rows[trimmed - 1].kind is RowKind.GOAL:  # no goal title alone at a page foot
            trimmed -= 1
        fresh_page = avail_height >= self.max_height * (1 - _CUT_RESERVE)
        if trimmed > 0 or not fresh_page:  # on a fresh page, a giant goal title must still progress
            end = trimmed
        if end < len(rows) and rows[end].kind is RowKind.TAIL:  # keep 总分, 说明… with the last indicator
            last_data = max((n for n in range(end) if rows[n].kind is RowKind.DATA), default=0)
            if last_data > 0:
                end = last_data
        if end == 0:
            return []
        rest = list(rows[end:])
        first = rest[0]
        if first.kind is RowKind.DATA and first.goal_row is not None:
            rest.insert(0, self._continued_goal(first.goal_row))
        return [self._table(rows[:end]), self._remainder(rest)]

    def _continued_goal(self, goal_row: GridRow) -> GridRow:
        cells = [Cell((goal_row.cells[0].text or "") + self.continued_suffix, goal_row.cells[0].style)]
        cells += goal_row.cells[1:]
        row = replace(goal_row, cells=cells, continued=True, contents=[])
        self._measure(row)
        return row

    def _remainder(self, rows: list[GridRow]) -> IndicatorGrid:
        grid = IndicatorGrid(
            self.header,
            rows,
            self.col_widths,
            font=self.font,
            label_style=self.label_style,
            base_style=self.base_style,
            max_height=self.max_height,
            continued_suffix=self.continued_suffix,
            _measured=True,
        )
        grid._labels = self._labels
        return grid

    def _table(self, rows: Sequence[GridRow]) -> Table:
        """One chunk as a Table: column titles, rows, and this chunk's own spans."""
        heights = self._heights(rows)
        data: list[list[Any]] = [list(self.header_contents)]
        commands: TableCommands = list(self.base_style)
        commands += [("ALIGN", (c, 0), (c, 0), align_of(cell.style)) for c, cell in enumerate(self.header)]
        sample = next((row for row in rows if row.kind is RowKind.DATA), None)
        if sample is not None:  # data rows share their columns' alignment
            commands += [("ALIGN", (c, 1), (c, -1), align_of(cell.style)) for c, cell in enumerate(sample.cells)]
            commands += [("ALIGN", (c, 1), (c, -1), align_of(self.label_style)) for c in range(len(sample.levels))]
        for index, row in enumerate(rows, start=1):
            data.append(list(row.contents))
            for first, last in row.spans:
                commands.append(("SPAN", (first, index), (last, index)))
            if row.kind is not RowKind.DATA:
                commands += [
                    ("ALIGN", (c, index), (c, index), align_of(cell.style)) for c, cell in enumerate(row.cells)
                ]
            if row.kind is RowKind.GOAL:
                commands.append(("BACKGROUND", (0, index), (-1, index), GOAL_FILL))
        depth_count = max((len(row.levels) for row in rows if row.kind is RowKind.DATA), default=0)
        for depth in range(1, depth_count + 1):
            for first, last in self._level_runs(rows, depth):
                data[first + 1][depth - 1] = self._label(rows[first].levels[depth - 1], depth - 1)[0]
                if last > first:
                    commands.append(("SPAN", (depth - 1, first + 1), (depth - 1, last + 1)))
        return Table(
            data,
            colWidths=self.col_widths,
            rowHeights=[self.header_height, *heights],
            style=TableStyle(commands),
            hAlign="LEFT",
        )

    def draw(self) -> None:
        """Draw the whole grid as one table (when it fitted without splitting)."""
        table = self._table(self.rows)
        table.wrapOn(self.canv, self.width, self.height)
        table.drawOn(self.canv, 0, 0)
