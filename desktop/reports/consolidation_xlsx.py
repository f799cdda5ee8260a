"""Excel files of a consolidation: the 汇总表 (with a 问题清单 sheet) and a review sheet per unit.

Numbers are written as numbers (money with 2 decimals), the rule the totals follow is printed
under the table, and each file is written atomically.
"""

from __future__ import annotations

import io
import os
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook as XlsxBook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from desktop.models.consolidation.review import ReviewBook
from desktop.models.consolidation.rows import UnitRow
from desktop.models.consolidation.run import Consolidation
from desktop.models.consolidation.table import HEADERS, REVIEW_HEADERS, review_rows, rule_text, summary_rows, title
from desktop.models.errors import UserError
from desktop.models.storage.atomic import write_atomically

SUMMARY_WIDTHS = (6, 12, 44, 14, 14, 10, 9, 7, 9, 7)
REVIEW_WIDTHS = (6, 6, 44, 9, 9, 60)
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD = PatternFill("solid", fgColor="D9D9D9")
_UNIT = PatternFill("solid", fgColor="EDEDED")
_WRAP = Alignment(wrap_text=True, vertical="center")


CellValue = str | int | Decimal


def _value(value: object) -> CellValue:
    if isinstance(value, Decimal):
        return value  # openpyxl writes Decimal as a number
    if isinstance(value, int | str):
        return value
    return "" if value is None else str(value)


def _table(sheet: Worksheet, start: int, headers: tuple[str, ...], widths: tuple[int, ...]) -> None:
    for n, (header, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = sheet.cell(start, n, header)
        cell.font = Font(bold=True)
        cell.fill = _HEAD
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[cell.column_letter].width = width


def _title(sheet: Worksheet, text: str, sub: str, columns: int) -> None:
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=columns)
    sheet.cell(1, 1, text).font = Font(size=16, bold=True)
    sheet.cell(1, 1).alignment = Alignment(horizontal="center")
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=columns)
    sheet.cell(2, 1, sub).alignment = Alignment(horizontal="center")


def render_summary_xlsx(result: Consolidation, book: ReviewBook | None = None, department: str = "") -> bytes:
    """The 汇总表 (sheet 汇总表) and every finding (sheet 问题清单) as .xlsx bytes."""
    out = XlsxBook()
    sheet = out.active
    assert sheet is not None
    sheet.title = "汇总表"
    sub = f"{department}　" if department else ""
    sub += f"共 {len(result.rows)} 个文件 / 单位，计入合计 {len(result.counted)} 个；金额单位：万元"
    _title(sheet, title(result), sub, len(HEADERS))
    _table(sheet, 3, HEADERS, SUMMARY_WIDTHS)
    row_number = 4
    for row in summary_rows(result, book):
        for n, value in enumerate(row.cells, start=1):
            text: CellValue = _value(value)
            if n == 3 and row.level == "form":
                text = f"　　{text}"
            cell = sheet.cell(row_number, n, text)
            cell.border = _BORDER
            cell.alignment = _WRAP
            if isinstance(value, Decimal) and n in (4, 5):
                cell.number_format = "#,##0.00"
            if row.level in ("unit", "total"):
                cell.fill = _UNIT
            if row.level == "total":
                cell.font = Font(bold=True)
        if row.level == "excluded":
            sheet.merge_cells(start_row=row_number, start_column=3, end_row=row_number, end_column=len(HEADERS))
            sheet.cell(row_number, 3).font = Font(color="8C1A1A")
        row_number += 1
    sheet.merge_cells(start_row=row_number + 1, start_column=1, end_row=row_number + 1, end_column=len(HEADERS))
    sheet.cell(row_number + 1, 1, rule_text()).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[row_number + 1].height = 48
    sheet.freeze_panes = "A4"
    sheet.print_title_rows = "3:3"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    if sheet.sheet_properties.pageSetUpPr is not None:
        sheet.sheet_properties.pageSetUpPr.fitToPage = True

    problems = out.create_sheet("问题清单")
    _table(problems, 1, ("序号", "单位", "文件", "级别", "问题"), (6, 30, 28, 8, 90))
    line = 2
    labels = {"error": "错误", "warning": "警告", "info": "提示"}
    for unit in result.rows:
        for issue in unit.issues:
            values: tuple[CellValue, ...] = (
                line - 1,
                f"{unit.code} {unit.name}".strip(),
                unit.path_name,
                labels[issue.severity],
                issue.text,
            )
            for n, value in enumerate(values, start=1):
                cell = problems.cell(line, n, value)
                cell.border = _BORDER
                cell.alignment = _WRAP
            line += 1
    out.properties.title = title(result)
    out.properties.creator = "预算绩效填报"
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def _save(path: str | os.PathLike[str], data: bytes) -> Path:
    target = Path(path)
    try:
        write_atomically(target, data)
    except UserError as exc:
        raise UserError(f"Excel 文件未能保存：{exc.message}如果该文件正在 Excel 或 WPS 中打开，请先关闭它。") from exc
    return target


def export_summary_xlsx(
    result: Consolidation, out_path: str | os.PathLike[str], book: ReviewBook | None = None, department: str = ""
) -> Path:
    """Write the 汇总表 .xlsx (atomically)."""
    return _save(out_path, render_summary_xlsx(result, book, department))


def render_review_xlsx(unit: UnitRow, book: ReviewBook, year: int | None = None) -> bytes:
    """A unit's review sheet (复核意见表) as .xlsx bytes."""
    out = XlsxBook()
    sheet = out.active
    assert sheet is not None
    sheet.title = "复核意见"
    heading = f"{year}年度绩效自评复核意见表" if year else "绩效自评复核意见表"
    _title(sheet, heading, f"单位：{unit.code} {unit.name}　　文件：{unit.path_name}", len(REVIEW_HEADERS))
    _table(sheet, 3, REVIEW_HEADERS, REVIEW_WIDTHS)
    for r, row in enumerate(review_rows(unit, book), start=4):
        for n, value in enumerate(row, start=1):
            cell = sheet.cell(r, n, _value(value))
            cell.border = _BORDER
            cell.alignment = _WRAP
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def export_review_xlsx(unit: UnitRow, book: ReviewBook, out_path: str | os.PathLike[str], year: int | None) -> Path:
    """Write a unit's review sheet .xlsx (atomically)."""
    return _save(out_path, render_review_xlsx(unit, book, year))
