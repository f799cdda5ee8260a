"""Tab-separated clipboard text as Excel and WPS write it: parse a pasted block, write a copied one, plan a paste."""

from __future__ import annotations

from dataclasses import dataclass

# A cell must be quoted when it holds one of these (Excel quotes multi-line cells and cells with tabs).
_NEEDS_QUOTES = ("\t", "\n", "\r", '"')


def parse_tsv(text: str) -> list[list[str]]:
    """Split clipboard text into rows of cells, the way Excel / WPS write a copied range.

    Cells are separated by tabs and rows by ``\\r\\n``, ``\\n`` or ``\\r``. A cell that starts with
    a double quote and has a closing quote right before a tab, a line break or the end is a quoted
    cell: it may hold tabs and line breaks, and ``""`` inside stands for one quote. Any other quote
    is kept as typed. The line break after the last row is not a row. Ragged rows are padded with
    empty cells so that the block is rectangular.

    Args:
        text: the clipboard's plain text.

    Returns:
        The rows (at least one row of one cell for any text, none for an empty text).
    """
    if text == "":
        return []
    rows: list[list[str]] = []
    row: list[str] = []
    i = 0
    n = len(text)
    while True:
        cell, i = _read_cell(text, i)
        row.append(cell)
        if i >= n:
            rows.append(row)
            break
        ch = text[i]
        if ch == "\t":
            i += 1
            continue
        # a line break: \r\n, \n or \r
        i += 2 if text.startswith("\r\n", i) else 1
        rows.append(row)
        row = []
        if i >= n:  # the line break after the last row
            break
    width = max(len(r) for r in rows)
    return [r + [""] * (width - len(r)) for r in rows]


def _read_cell(text: str, start: int) -> tuple[str, int]:
    """Read one cell from ``start``; return its text and the index of the separator after it."""
    n = len(text)
    if start < n and text[start] == '"':
        parts: list[str] = []
        i = start + 1
        while i < n:
            quote = text.find('"', i)
            if quote < 0:
                break
            if quote + 1 < n and text[quote + 1] == '"':
                parts.append(text[i : quote + 1])
                i = quote + 2
                continue
            if quote + 1 == n or text[quote + 1] in "\t\r\n":
                parts.append(text[i:quote])
                return "".join(parts), quote + 1
            break  # a quote in the middle: the cell was not quoted after all
    end = start
    while end < n and text[end] not in "\t\r\n":
        end += 1
    return text[start:end], end


def to_tsv(rows: list[list[str]]) -> str:
    """Write rows of cells as tab-separated text that Excel / WPS paste as a range.

    Cells holding a tab, a line break or a quote are quoted (``"`` doubled inside); rows end with
    ``\\n`` except the last, so one copied cell pastes into a text box as plain text.
    """
    return "\n".join("\t".join(_quote(cell) for cell in row) for row in rows)


def _quote(cell: str) -> str:
    if any(mark in cell for mark in _NEEDS_QUOTES):
        return '"' + cell.replace('"', '""') + '"'
    return cell


@dataclass(frozen=True)
class PastePlan:
    """Where each pasted value goes.

    Attributes:
        cells: ``(row, column, text)`` for every cell to set; rows at or past ``row_count`` are new rows.
        new_rows: how many rows have to be appended to hold the block.
        clipped_columns: whether part of the block fell to the right of the last column (left out).
    """

    cells: tuple[tuple[int, int, str], ...]
    new_rows: int
    clipped_columns: bool


def plan_paste(
    block: list[list[str]],
    top: int,
    left: int,
    selected_rows: int,
    selected_columns: int,
    row_count: int,
    column_count: int,
) -> PastePlan:
    """Decide where a pasted block lands, as Excel does.

    A single value pasted into a selection of several cells fills all of them. A block pasted into
    a selection that is an exact multiple of its size is repeated over the selection; otherwise it
    is pasted once from the selection's top-left cell, running down past the last row (new rows)
    but never right of the last column.

    Args:
        block: the parsed rows (rectangular).
        top: the first selected row.
        left: the first selected column.
        selected_rows: the height of the selection (at least 1).
        selected_columns: the width of the selection (at least 1).
        row_count: the rows the table has now.
        column_count: the columns the table has.

    Returns:
        The plan (no cells for an empty block).
    """
    if not block or not block[0]:
        return PastePlan((), 0, False)
    height, width = len(block), len(block[0])
    selected_rows, selected_columns = max(1, selected_rows), max(1, selected_columns)
    if selected_rows % height == 0 and selected_columns % width == 0:
        rows, columns = selected_rows, selected_columns
    else:
        rows, columns = height, width
    clipped = left + columns > column_count
    cells = tuple(
        (top + r, left + c, block[r % height][c % width])
        for r in range(rows)
        for c in range(columns)
        if left + c < column_count
    )
    new_rows = max(0, top + rows - row_count)
    return PastePlan(cells, new_rows, clipped)
