"""Old binary Excel files (.xls, still common from older budget systems) read through xlrd (no Qt).

xlrd (pure Python, BSD, ~100 kB) reads the cells, their number formats and the merged ranges; they
are copied into an in-memory openpyxl workbook so that the one reader of ``excel_import`` reads
both formats alike. xlrd reads the values a file saved and never evaluates a formula or loads a
macro. Sizes are bounded before anything is copied; a damaged or encrypted file is one Chinese
message that also says how to go on (save it as .xlsx).
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from desktop.models.errors import InvalidInputError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_XLS_BYTES = 50 * 1024 * 1024  # far above any form workbook
MAX_XLS_CELLS = 1_000_000  # rows × columns of one sheet
_SAVE_AS = "请在 Excel 或 WPS 中打开它，另存为 .xlsx 后再导入。"


def is_xls(path: str | Path) -> bool:
    """Whether the file is an old binary Excel workbook (an OLE compound file)."""
    try:
        with open(path, "rb") as handle:
            return handle.read(8) == OLE_MAGIC
    except OSError:
        return False


def load_xls(path: str | Path, name: str) -> Any:
    """The .xls file as an openpyxl workbook: values (dates as dates), number formats, merged ranges.

    Raises:
        InvalidInputError: the file is too large, damaged, encrypted, or not a workbook.
    """
    import openpyxl
    import xlrd

    if Path(path).stat().st_size > MAX_XLS_BYTES:
        raise InvalidInputError(f"{name} 过大，不像是一份绩效表，未导入。")
    try:
        book = xlrd.open_workbook(str(path), formatting_info=True, ragged_rows=True)
    except Exception as exc:  # xlrd raises many kinds for a damaged or encrypted file
        problem = type(exc).__name__
        raise InvalidInputError(
            f"无法读取 {name}：旧版 .xls 文件已损坏、加密或不是工作簿（{problem}）。{_SAVE_AS}"
        ) from None
    out = openpyxl.Workbook()
    out.remove(out.worksheets[0])
    try:
        for number, sheet in enumerate(book.sheets(), 1):
            if sheet.nrows * max(sheet.ncols, 1) > MAX_XLS_CELLS:
                raise InvalidInputError(f"{name} 的工作表“{sheet.name}”过大，不像是一张绩效表，未导入。{_SAVE_AS}")
            try:
                target = out.create_sheet(title=sheet.name)
            except ValueError:  # a name openpyxl does not take
                target = out.create_sheet(title=f"Sheet{number}")
            _copy_sheet(book, sheet, target)
    finally:
        book.release_resources()
    return out


def _copy_sheet(book: Any, sheet: Any, target: Any) -> None:
    import xlrd

    for row in range(sheet.nrows):
        for column in range(sheet.row_len(row)):
            cell = sheet.cell(row, column)
            if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                continue
            value: Any = cell.value
            if cell.ctype == xlrd.XL_CELL_DATE:
                try:
                    value = xlrd.xldate_as_datetime(value, book.datemode)
                except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                    pass
                if isinstance(value, datetime.datetime) and value.time() == datetime.time():
                    value = value.date()
            elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                value = bool(value)
            written = target.cell(row + 1, column + 1, value)
            if cell.ctype == xlrd.XL_CELL_NUMBER:
                written.number_format = _number_format(book, cell.xf_index)
    for first_row, end_row, first_column, end_column in sheet.merged_cells:
        if end_row - first_row > 1 or end_column - first_column > 1:
            target.merge_cells(
                start_row=first_row + 1, end_row=end_row, start_column=first_column + 1, end_column=end_column
            )


def _number_format(book: Any, xf_index: int | None) -> str:
    """The cell's number format string (0.00, 0%, …), General when unknown."""
    try:
        found = book.format_map[book.xf_list[xf_index].format_key].format_str
    except (IndexError, KeyError, TypeError, AttributeError):
        return "General"
    return str(found) if found else "General"
