"""Reading cells of an untrusted Excel sheet as the user sees them (no Qt): merged ranges, numbers, dates.

Shared by ``excel_import`` (the indicator table) and ``excel_blocks`` (the blocks around it).
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from desktop.models.workbook.domain import MAX_CELL_TEXT

_BRACKETS = re.compile(r"[（(][^）)]*[）)]")
_FORMAT_PLACES = re.compile(r"0\.(0+)")  # "0.00", "#,##0.00": the decimals a number format shows


def norm(value: Any) -> str:
    """A column title as compared: NFKC, no blanks or line breaks, bracketed notes dropped."""
    folded = unicodedata.normalize("NFKC", str(value or ""))
    return _BRACKETS.sub("", re.sub(r"\s+", "", folded))


class Grid:
    """A sheet's values with every merged range reading as its top-left value."""

    def __init__(self, sheet: Any) -> None:
        self.sheet = sheet
        self.merged: dict[tuple[int, int], tuple[int, int]] = {}
        for merged in sheet.merged_cells.ranges:
            for row in range(merged.min_row, merged.max_row + 1):
                for column in range(merged.min_col, merged.max_col + 1):
                    self.merged[(row, column)] = (merged.min_row, merged.min_col)
        # The last row and column holding a value or a merged range: a template formatted far to the right
        # or below (borders on whole rows) would otherwise make every row read thousands of empty cells.
        used = [key for key, cell in getattr(sheet, "_cells", {}).items() if cell.value is not None]
        used += list(self.merged)
        self.max_row = max((r for r, _c in used), default=0) if used else sheet.max_row
        self.max_column = max((c for _r, c in used), default=0) if used else sheet.max_column

    def cell(self, row: int, column: int) -> Any:
        """The openpyxl cell that shows at (row, column): the top-left one of a merged range."""
        top = self.merged.get((row, column), (row, column))
        return self.sheet.cell(*top)

    def is_merged_below(self, row: int, column: int) -> bool:
        """Whether (row, column) lies inside a merged range that starts above it."""
        top = self.merged.get((row, column))
        return top is not None and top[0] < row

    def spans_row(self, row: int) -> bool:
        """Whether the row's first cell is merged across the whole table (a goal or section row)."""
        top = self.merged.get((row, 1))
        if top is None or top[0] != row:
            return False
        return all(self.merged.get((row, column)) == top for column in range(1, min(self.max_column, 4) + 1))


def number(value: Any) -> Decimal | str | None:
    """A 分值 / 得分 value: a Decimal (two decimals at most), the text itself when it is not a number, None if blank."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        found = Decimal(str(value))
    else:
        cleaned = unicodedata.normalize("NFKC", str(value)).strip().replace(",", "").removesuffix("分")
        if not cleaned:
            return None
        try:
            found = Decimal(cleaned)
        except InvalidOperation:
            return str(value).strip()[:40]
    if not found.is_finite():
        return str(value)
    return found.quantize(Decimal("0.01")).normalize() if found != found.to_integral() else found.to_integral()


def amount(cell: Any) -> Decimal | None:
    """A money cell as a Decimal with the decimals its number format shows (114.00 stays 114.00), else None."""
    found = number(cell.value)
    if not isinstance(found, Decimal):
        return None
    places = _FORMAT_PLACES.search(str(cell.number_format or ""))
    if places:
        return found.quantize(Decimal(1).scaleb(-len(places.group(1))))
    return found


def text(cell: Any) -> str | None:
    """A cell as the user sees it: percentages as 95%, dates as 2025年12月31日, numbers without a trailing .0."""
    value = cell.value
    if value is None:
        return None
    if isinstance(value, datetime.datetime | datetime.date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float | Decimal):
        found = Decimal(str(value))
        if "%" in str(cell.number_format):
            return plain(found * 100) + "%"
        return plain(found)
    shown = str(value).replace("\r\n", "\n").strip()
    return shown[:MAX_CELL_TEXT] or None


def plain(value: Decimal) -> str:
    """A number without exponent or trailing zeros (12, 0.5, 5544.13)."""
    shown = format(value.normalize(), "f")
    return shown.rstrip("0").rstrip(".") if "." in shown else shown


def right_of(grid: Grid, row: int, column: int, reach: int = 1) -> tuple[int, int] | None:
    """The first filled cell right of (row, column), looking past up to ``reach`` blank cells."""
    here = grid.merged.get((row, column), (row, column))
    seen = 0
    for right in range(column + 1, grid.max_column + 1):
        top = grid.merged.get((row, right), (row, right))
        if top == here or top[1] != right:
            continue
        value = grid.sheet.cell(*top).value
        if value is not None and str(value).strip():
            return top
        seen += 1
        if seen >= reach:
            return top if reach == 1 else None
    return None
