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

from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, PageBreak, Paragraph, Table, TableStyle
from reportlab.platypus.tables import CellStyle

from desktop.reports.linebreak import HANG_EM, line_width, widest_unit, wrap_lines
from desktop.reports.styles import (
    BODY_LEADING,
    BODY_SIZE,
    CELL_PAD_H,
    CELL_PAD_V,
    GOAL_FILL,
    GRID_COLOR,
    HEADER_FILL,
    RULE_WIDTH,
    TableCommands,
)

# Room kept below a page for the column titles and a goal row when cutting over-tall rows.
_CUT_RESERVE = 0.15
# A row that does not fit is cut at the page foot (labels repeated) when at least this much of the
# frame height is left; less than that, it moves to the next page whole.
_CUT_AT_FOOT = 0.12
FIT = 0.01  # points of slack so that a line measured to fit is never re-wrapped by ReportLab


def escape(text: str) -> str:
    """``&``, ``<`` and ``>`` as entities (as ``xml.sax.saxutils.escape``, whose import pulls in
    ``urllib.request``, ``http.client`` and ``ssl``: ~20 ms of a ``jixiao export --pdf`` process)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def markup(text: str | None) -> str:
    """Paragraph markup for plain user text (escaped, line breaks kept)."""
    if not text:
        return ""
    return escape(text).replace("\r\n", "\n").replace("\n", "<br/>")


def para(text: str | None, style: ParagraphStyle, width: float | None = None) -> Paragraph:
    """A paragraph of plain user text; with ``width``, broken by the Chinese line-breaking rules."""
    if text and width is not None:  # a hung closing mark must not make the paragraph wrap again
        width -= HANG_EM * style.fontSize + FIT
        text = "\n".join(wrap_lines(text, style.fontName, style.fontSize, width))
    return Paragraph(markup(text), style)


def lines_of(text: str, style: ParagraphStyle, width: float) -> list[str]:
    """``text`` broken into the lines it prints as in ``width`` points."""
    return wrap_lines(text, style.fontName, style.fontSize, width - FIT)


def content(text: str, style: ParagraphStyle, width: float) -> tuple[Paragraph | str, float]:
    """What a table cell holds for ``text`` and its height: plain lines (drawn directly by the
    table, much faster) when the style is the table's own size, else a paragraph."""
    lines = lines_of(text, style, width)
    if style.fontSize == BODY_SIZE and style.leading == BODY_LEADING:
        return "\n".join(lines), float(BODY_LEADING * len(lines))
    return Paragraph(markup("\n".join(lines)), style), float(style.leading * len(lines))


def align_of(style: ParagraphStyle) -> str:
    """The table ALIGN value matching a paragraph style's alignment."""
    return {TA_CENTER: "CENTER", TA_RIGHT: "RIGHT"}.get(style.alignment, "LEFT")


def text_height(text: str, style: ParagraphStyle, width: float) -> float:
    """The height of ``text`` wrapped in ``width`` points."""
    return float(style.leading * len(lines_of(text, style, width)))


def split_text(text: str, style: ParagraphStyle, width: float, max_height: float) -> list[str]:
    """Cut ``text`` into pieces that each fit ``max_height`` when wrapped in ``width`` points
    (at line boundaries, preferring a paragraph boundary in the lower half of a piece)."""
    per_piece = max(1, int(max_height // style.leading))
    pieces: list[str] = []
    paragraphs = text.replace("\r\n", "\n").split("\n")
    current: list[str] = []  # the lines of the piece being filled
    current_text: list[str] = []  # its source paragraphs (whole or partial)
    for paragraph in paragraphs:
        lines = lines_of(paragraph, style, width) if paragraph else [""]
        while lines:
            room = per_piece - len(current)
            if len(lines) <= room:
                current += lines
                current_text.append("".join(lines))
                lines = []
                continue
            if current and room < per_piece // 2:  # start the paragraph on a new piece
                pieces.append("\n".join(current_text))
                current, current_text = [], []
                continue
            take, lines = lines[:room], lines[room:]
            current += take
            current_text.append("".join(take))
            pieces.append("\n".join(current_text))
            current, current_text = [], []
    if current_text or not pieces:
        pieces.append("\n".join(current_text))
    return pieces


def fit_widths(
    texts: Sequence[Sequence[str]],
    heads: Sequence[str],
    total: float,
    font: str,
    *,
    label_columns: int = 0,
) -> list[float]:
    """Column widths (points) summing to ``total``, sized to each column's content.

    Each column gets at least its widest unbreakable piece (a value like ``≥95%``, a number, two
    characters of a label) and up to its longest line; spare room goes to the columns whose text
    is longest, so short values stay on one line and long texts take the width.
    """
    pad = 2 * CELL_PAD_H + 1
    em = line_width("国", font, BODY_SIZE)
    low: list[float] = []
    high: list[float] = []
    for column, head in enumerate(heads):
        # each distinct text once (a column repeats its values: 0.15, 无偏差, ≥95%…); only maxima are taken
        column_texts = {t for t in texts[column] if t} if column < len(texts) else set()
        widths = [line_width(t, font, BODY_SIZE) for t in column_texts]
        head_width = line_width(head, font, BODY_SIZE)
        head_min = min(head_width, 4 * em) if head else em
        floor = max([head_min, 2 * em, *(min(widest_unit(t, font, BODY_SIZE), total / 4) for t in column_texts)])
        natural = max([head_width, *widths])
        if column < label_columns:
            floor = min(floor, 4 * em)
        else:  # short values (≤2小时, 100%, 1.5) stay on one line
            floor = max(floor, min(max(widths, default=0), 6 * em))
        cap = total * (0.12 if column < label_columns else 0.4)
        low.append(floor + pad)
        high.append(max(floor, min(natural, cap)) + pad)
    if sum(low) >= total:
        return [total * w / sum(low) for w in low]
    if sum(high) <= total:
        spare = total - sum(high)
        weights = [h - (pad if n < label_columns else 0) for n, h in enumerate(high)]
        return [h + spare * w / sum(weights) for h, w in zip(high, weights, strict=True)]
    stretch = [h - lo for h, lo in zip(high, low, strict=True)]
    spare = total - sum(low)
    return [lo + spare * st / sum(stretch) for lo, st in zip(low, stretch, strict=True)]


class RowKind(enum.Enum):
    """What a grid row is."""

    DATA = "data"  # an indicator: its first columns show the merged 一级/二级 labels
    GOAL = "goal"  # a goal title across the whole table (layout B)
    TAIL = "tail"  # 总分, 说明… after the indicators
    CAPTION = "caption"  # a section title above the column titles, on the first page only


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
        after: Sequence[Flowable] = (),
        repeat_columns: Sequence[int] = (),
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
            after: flowables printed right under the table (footnotes, sign-off), kept on the
                page of the last indicator rows and the 总分.
            repeat_columns: columns whose text a cut row's continuation repeats (with the
                suffix) when its own piece is empty: the indicator's name.
        """
        super().__init__()
        self.header = list(header)
        self.col_widths = list(col_widths)
        self.font = font
        self.label_style = label_style
        self.base_style = base_style
        # whole-table cell settings become the defaults of the chunks' cell styles; the rest stay commands
        shared = {
            _CELL_SETTINGS[command[0]]: command[3]
            for command in base_style
            if command[0] in _CELL_SETTINGS and command[1:3] == ((0, 0), (-1, -1)) and len(command) == 4
        }
        self._cell_style: type[CellStyle] = type("GridCellStyle", (CellStyle,), shared)
        self._shared_styles: dict[str | None, CellStyle] = {}
        self._commands = [
            command
            for command in base_style
            if not (command[0] in _CELL_SETTINGS and command[1:3] == ((0, 0), (-1, -1)) and len(command) == 4)
        ]
        self.max_height = max_height
        self.continued_suffix = continued_suffix
        self.after = list(after)
        self.repeat_columns = frozenset(repeat_columns)
        self._after_height = 0.0
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
        self._body_height: float | None = None

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

    def _cut(self, row: GridRow, limit: float | None = None) -> list[GridRow]:
        """Cut a row taller than ``limit`` (default: what a page holds) into continuation rows."""
        if limit is None:
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
            cells = []
            for column, (p, cell) in enumerate(zip(pieces, row.cells, strict=True)):
                text = p[index] if index < len(p) else None
                if index and not text and column in self.repeat_columns and cell.text:
                    suffix = "" if cell.text.endswith(self.continued_suffix) else self.continued_suffix
                    text = cell.text + suffix
                cells.append(Cell(text, cell.style))
            piece = replace(row, cells=cells, continued=row.continued or index > 0, contents=[])
            self._measure(piece)
            cut_rows.append(piece)
        return cut_rows

    def _cut_to_fit(self, row: GridRow, room: float) -> list[GridRow] | None:
        """The row cut so that its first piece fits ``room`` (its rest follows), or None if it cannot be."""
        if row.kind is RowKind.CAPTION:
            return None
        lines = int((room - 2 * CELL_PAD_V) // BODY_LEADING)
        if lines < 2:
            return None
        first, *rest = self._cut(row, lines * BODY_LEADING + 2 * CELL_PAD_V)
        if not rest or first.height > room:
            return None
        joined = replace(rest[0], cells=[self._join(row, rest, n) for n in range(len(row.cells))], contents=[])
        self._measure(joined)
        return [first, *self._cut(joined)]

    def _join(self, row: GridRow, rest: Sequence[GridRow], column: int) -> Cell:
        """The text of ``column`` over the pieces ``rest`` (repeated names counted once)."""
        cell = row.cells[column]
        repeated = (cell.text or "") + self.continued_suffix
        texts = [text for piece in rest if (text := piece.cells[column].text) and text != repeated]
        if not texts and column in self.repeat_columns and cell.text:
            texts = [repeated]
        return Cell("\n".join(texts) if texts else None, cell.style)

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
        """The size of the whole grid as one table, the flowables under it included.

        Rows are measured only until they overfill ``avail_height``: the height is then some height
        taller than the room, which is all the frame asks before it splits the grid (measuring every
        remaining row on every page made a long table's layout quadratic in its pages).
        """
        self._after_height = sum(f.wrap(self.width, avail_height)[1] + f.getSpaceBefore() for f in self.after)
        body = self._body_height
        if body is None:  # the rows never change once the grid is built: the full height is kept
            room = avail_height - self.header_height - self._after_height
            heights = self._prefix_heights(self.rows, room)
            body = heights[-1] if heights else 0.0
            if len(heights) == len(self.rows):
                self._body_height = body
            else:  # clearly taller than the room, whatever tolerance the frame allows
                body = max(body, room + 1.0)
        self.height = self.header_height + body + self._after_height
        return self.width, self.height

    def _fits(self, rows: Sequence[GridRow], room: float) -> int:
        """How many leading rows fit ``room`` (merged labels' needs included)."""
        return sum(1 for height in self._prefix_heights(rows, room) if height <= room)

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        """The rows that fit ``avail_height`` as one table, then a grid of the rest.

        The last indicator rows stay with 总分 and the flowables under the table (a page break
        follows when rows were held back, so the rest never starts mid-page under a second
        header); a row that does not fit is cut at the page foot, labels repeated, when enough
        of the page is left; a goal title is never left alone at a page foot.
        """
        rows = list(self.rows)
        room = avail_height - self.header_height
        fresh_page = avail_height >= self.max_height * (1 - _CUT_RESERVE)
        end = self._fits(rows, room)
        held = False
        if end == len(rows):  # every row fits, the footnotes / sign-off do not
            last_data = max((n for n in range(end) if rows[n].kind is RowKind.DATA), default=0)
            if last_data == 0:
                return [self._table(rows), *self.after] if fresh_page else []
            end, held = last_data, True
        elif rows[end].kind is RowKind.TAIL:
            last_data = max((n for n in range(end) if rows[n].kind is RowKind.DATA), default=0)
            if last_data > 0:  # keep 总分, 说明… with the last indicator (unless they alone overfill a page)
                end, held = last_data, True
        else:
            used = self._prefix_heights(rows[:end])[-1] if end else 0.0
            left = room - used
            if left >= self.max_height * _CUT_AT_FOOT or (end == 0 and fresh_page):
                cut = self._cut_to_fit(rows[end], left)
                if cut is not None:
                    rows[end : end + 1] = cut
                    end = self._fits(rows, room)
        trimmed = end
        while trimmed > 0 and rows[trimmed - 1].kind in (RowKind.GOAL, RowKind.CAPTION):  # no title alone
            trimmed -= 1
        if trimmed > 0 or not fresh_page:  # on a fresh page, a giant goal title must still progress
            end = trimmed
        if end == 0:
            return []
        rest = rows[end:]
        first = rest[0]
        if first.kind is RowKind.DATA and first.goal_row is not None and first.goal_row is not rows[end - 1]:
            rest.insert(0, self._continued_goal(first.goal_row))
        return [self._table(rows[:end]), *([PageBreak()] if held else []), self._remainder(rest)]

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
            after=self.after,
            repeat_columns=tuple(self.repeat_columns),
            _measured=True,
        )
        grid._labels = self._labels
        grid._cell_style, grid._shared_styles = self._cell_style, self._shared_styles
        return grid

    def _table(self, rows: Sequence[GridRow]) -> Table:
        """One chunk as a Table: column titles, rows, and this chunk's own spans.

        The settings every cell shares (font, size, leading, padding, vertical alignment) and each
        cell's alignment are given as the table's cell styles, not as style commands: ReportLab
        applies a command cell by cell, nine times per cell of every chunk.
        """
        caption = rows[0] if rows and rows[0].kind is RowKind.CAPTION else None
        if caption is not None:
            rows = rows[1:]
        heights = self._heights(rows)
        data: list[list[Any]] = [list(self.header_contents)]
        aligns: list[list[str | None]] = [[align_of(cell.style) for cell in self.header]]
        commands: TableCommands = list(self._commands)
        sample = next((row for row in rows if row.kind is RowKind.DATA), None)
        data_aligns: list[str | None] = [None] * len(self.col_widths)
        if sample is not None:  # data rows share their columns' alignment
            data_aligns = [align_of(cell.style) for cell in sample.cells]
            data_aligns[: len(sample.levels)] = [align_of(self.label_style)] * len(sample.levels)
        for index, row in enumerate(rows, start=1):
            data.append(list(row.contents))
            for first, last in row.spans:
                commands.append(("SPAN", (first, index), (last, index)))
            if row.kind is RowKind.DATA:
                aligns.append(data_aligns)
            else:
                own: list[str | None] = [align_of(cell.style) for cell in row.cells]
                aligns.append(own + data_aligns[len(own) :])
            if row.kind is RowKind.GOAL:
                commands.append(("BACKGROUND", (0, index), (-1, index), GOAL_FILL))
        depth_count = max((len(row.levels) for row in rows if row.kind is RowKind.DATA), default=0)
        for depth in range(1, depth_count + 1):
            for first, last in self._level_runs(rows, depth):
                data[first + 1][depth - 1] = self._label(rows[first].levels[depth - 1], depth - 1)[0]
                if last > first:
                    commands.append(("SPAN", (depth - 1, first + 1), (depth - 1, last + 1)))
        row_heights = [self.header_height, *heights]
        if caption is not None:  # the section title above the column titles, shaded like them
            data.insert(0, list(caption.contents))
            aligns.insert(0, [align_of(caption.cells[0].style)])
            row_heights.insert(0, caption.height)
            commands = [_shift(command) for command in commands]
            commands += [("SPAN", (0, 0), (-1, 0)), ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL)]
            commands.append(("BOX", (0, 0), (-1, 0), RULE_WIDTH, GRID_COLOR))
        return Table(
            data,
            colWidths=self.col_widths,
            rowHeights=row_heights,
            style=TableStyle(commands),
            hAlign="LEFT",
            cellStyles=self._cell_styles(aligns),
        )

    def _cell_styles(self, aligns: Sequence[Sequence[str | None]]) -> list[list[CellStyle]]:
        """The cell style of each cell, with the given alignments (None: ReportLab's default).

        Cells of one alignment share one style object: ReportLab changes a cell's style only for a
        cell setting command, and the chunks have none left (rules, fills and spans only) unless the
        grid was given other commands.
        """
        share = all(command[0] in _NOT_CELL_COMMANDS for command in self._commands)
        shared = self._shared_styles if share else {}
        styles = []
        for r, row_aligns in enumerate(aligns):
            line = []
            for c in range(len(self.col_widths)):
                align = row_aligns[c] if c < len(row_aligns) else None
                cell_style = shared.get(align)
                if cell_style is None:
                    cell_style = self._cell_style(repr((r, c)))
                    if align is not None:
                        cell_style.alignment = align
                    if share:
                        shared[align] = cell_style
                line.append(cell_style)
            styles.append(line)
        return styles

    def draw(self) -> None:
        """Draw the whole grid as one table (when it fitted), the flowables under it below."""
        table = self._table(self.rows)
        _w, table_height = table.wrapOn(self.canv, self.width, self.height)
        y = self.height - table_height
        table.drawOn(self.canv, 0, y)
        for flowable in self.after:
            _w, h = flowable.wrapOn(self.canv, self.width, self.height)
            y -= h + flowable.getSpaceBefore()
            flowable.drawOn(self.canv, 0, y)


# Table style commands that set one attribute of each cell's style, and that attribute.
_CELL_SETTINGS = {
    "FONTNAME": "fontname",
    "FONTSIZE": "fontsize",
    "LEADING": "leading",
    "VALIGN": "valign",
    "LEFTPADDING": "leftPadding",
    "RIGHTPADDING": "rightPadding",
    "TOPPADDING": "topPadding",
    "BOTTOMPADDING": "bottomPadding",
}

# Table style commands that leave the cells' styles alone.
_NOT_CELL_COMMANDS = frozenset(
    {
        *("GRID", "BOX", "OUTLINE", "INNERGRID", "LINEBELOW", "LINEABOVE", "LINEBEFORE", "LINEAFTER"),
        *("BACKGROUND", "ROWBACKGROUNDS", "COLBACKGROUNDS", "SPAN", "NOSPLIT", "ROUNDEDCORNERS"),
    }
)

_UNSHIFTED = frozenset(
    {"FONTNAME", "FONTSIZE", "LEADING", "VALIGN", "LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING"}
)


def _shift(command: tuple[Any, ...]) -> tuple[Any, ...]:
    """A table style command moved one row down (a caption row was inserted above the header);
    rules, spans, fills and alignments then leave the caption row alone."""
    name, start, stop, *rest = command
    if name in _UNSHIFTED:  # whole-table cell settings: the caption row keeps them too
        return command
    (c0, r0), (c1, r1) = start, stop
    r0 = r0 + 1 if r0 >= 0 else r0
    r1 = r1 + 1 if r1 >= 0 else r1
    return (name, (c0, r0), (c1, r1), *rest)
