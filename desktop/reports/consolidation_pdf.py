"""PDFs of a consolidation: the 汇总表, a review sheet per unit, and every unit's forms in one file.

The 汇总表 and review sheets are plain ReportLab tables in the bundled Chinese font (landscape A4,
the header row repeated on every page, the totals rule printed under the table). The combined
PDF prints each unit through the ordinary form export (``render_pdf``) and joins the results with
a bookmark per unit and, under it, per form. Every file is written atomically.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from desktop.models.consolidation.review import ReviewBook
from desktop.models.consolidation.rows import UnitRow
from desktop.models.consolidation.run import Consolidation
from desktop.models.consolidation.table import (
    HEADERS,
    REVIEW_HEADERS,
    review_rows,
    rule_text,
    summary_rows,
    title,
)
from desktop.models.errors import UserError
from desktop.models.storage.atomic import write_atomically
from desktop.reports.fonts import register_font

PAGE = landscape(A4)
MARGIN = 15 * mm
SUMMARY_WIDTHS_MM = (12, 26, 88, 26, 26, 20, 18, 14, 18, 14)
REVIEW_WIDTHS_MM = (10, 12, 80, 18, 18, 129)
_UNIT_FILL = colors.Color(0.93, 0.93, 0.93)
_HEAD_FILL = colors.Color(0.85, 0.85, 0.85)
_EXCLUDED = colors.Color(0.55, 0.1, 0.1)

Progress = Callable[[int, int, str], None]


def _styles(font: str) -> dict[str, ParagraphStyle]:
    return {
        "title": ParagraphStyle("t", fontName=font, fontSize=16, leading=22, alignment=TA_CENTER, spaceAfter=4 * mm),
        "sub": ParagraphStyle("s", fontName=font, fontSize=9, leading=12, alignment=TA_CENTER, spaceAfter=3 * mm),
        "cell": ParagraphStyle("c", fontName=font, fontSize=8.5, leading=11),
        "note": ParagraphStyle("n", fontName=font, fontSize=8.5, leading=12, spaceBefore=3 * mm),
    }


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _build(story: list[object], meta_title: str, page_footer: str, font: str) -> bytes:
    buffer = io.BytesIO()

    def footer(canvas: object, doc: object) -> None:
        canvas.saveState()  # type: ignore[attr-defined]
        canvas.setFont(font, 8)  # type: ignore[attr-defined]
        number = canvas.getPageNumber()  # type: ignore[attr-defined]
        canvas.drawCentredString(PAGE[0] / 2, 8 * mm, f"{page_footer}　第 {number} 页")  # type: ignore[attr-defined]
        canvas.restoreState()  # type: ignore[attr-defined]

    doc = SimpleDocTemplate(
        buffer,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=meta_title,
        author="预算绩效填报",
        creator="预算绩效填报",
        initialFontName=font,
    )
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def _save(path: str | os.PathLike[str], data: bytes) -> Path:
    target = Path(path)
    try:
        write_atomically(target, data)
    except UserError as exc:
        raise UserError(f"PDF 未能保存：{exc.message}如果该 PDF 正在阅读器中打开，请先关闭它。") from exc
    return target


def render_summary_pdf(result: Consolidation, book: ReviewBook | None = None, department: str = "") -> bytes:
    """The 汇总表 as PDF bytes."""
    font = register_font()
    styles = _styles(font)
    rows = summary_rows(result, book)
    data: list[list[object]] = [list(HEADERS)]
    commands: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("FONTSIZE", (0, 0), (-1, -1), 8.5),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (3, 1), (-1, -1), "RIGHT"),
        ("ALIGN", (0, 0), (-1, 0), "CENTER"),
        ("BACKGROUND", (0, 0), (-1, 0), _HEAD_FILL),
    ]
    for n, row in enumerate(rows, start=1):
        cells: list[object] = [_text(value) for value in row.cells]
        label = _escape(str(cells[2]))
        if row.level == "form":
            label = "　　" + label
        cells[2] = Paragraph(label, styles["cell"])
        data.append(cells)
        if row.level in ("unit", "total"):
            commands.append(("BACKGROUND", (0, n), (-1, n), _UNIT_FILL))
        if row.level == "excluded":
            commands.append(("SPAN", (2, n), (-1, n)))
            cells[2] = Paragraph(f'<font color="#8c1a1a">{label}</font>', styles["cell"])
    table = Table(data, colWidths=[w * mm for w in SUMMARY_WIDTHS_MM], repeatRows=1)
    table.setStyle(TableStyle(commands))
    heading = title(result)
    sub = f"{department}　" if department else ""
    sub += f"共 {len(result.rows)} 个文件 / 单位，计入合计 {len(result.counted)} 个；金额单位：万元"
    story: list[object] = [
        Paragraph(_escape(heading), styles["title"]),
        Paragraph(_escape(sub), styles["sub"]),
        table,
        Paragraph(_escape(rule_text()), styles["note"]),
    ]
    problems = result.problem_lines()
    if problems:
        story.append(Spacer(1, 4 * mm))
        story.append(Paragraph("需要核实的问题", styles["note"]))
        story.extend(Paragraph(_escape(f"{n}. {line}"), styles["cell"]) for n, line in enumerate(problems, 1))
    return _build(story, heading, heading, font)


def export_summary_pdf(
    result: Consolidation, out_path: str | os.PathLike[str], book: ReviewBook | None = None, department: str = ""
) -> Path:
    """Write the 汇总表 PDF (atomically)."""
    return _save(out_path, render_summary_pdf(result, book, department))


def render_review_pdf(unit: UnitRow, book: ReviewBook, year: int | None = None) -> bytes:
    """A unit's review sheet (复核意见表) as PDF bytes."""
    font = register_font()
    styles = _styles(font)
    heading = f"{year}年度绩效自评复核意见表" if year else "绩效自评复核意见表"
    data: list[list[object]] = [list(REVIEW_HEADERS)]
    for row in review_rows(unit, book):
        cells: list[object] = [_text(value) for value in row]
        cells[2] = Paragraph(_escape(str(cells[2])), styles["cell"])
        cells[5] = Paragraph(_escape(str(cells[5])), styles["cell"])
        data.append(cells)
    if len(data) == 1:
        data.append(["", "", Paragraph("（未填写复核意见）", styles["cell"]), "", "", ""])
    table = Table(data, colWidths=[w * mm for w in REVIEW_WIDTHS_MM], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("FONTSIZE", (0, 0), (-1, -1), 8.5),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (0, 0), (-1, 0), "CENTER"),
                ("BACKGROUND", (0, 0), (-1, 0), _HEAD_FILL),
            ]
        )
    )
    sub = f"单位：{unit.code} {unit.name}　　文件：{unit.path_name}"
    story: list[object] = [
        Paragraph(_escape(heading), styles["title"]),
        Paragraph(_escape(sub), styles["sub"]),
        table,
        Spacer(1, 10 * mm),
        Paragraph("复核人：＿＿＿＿＿＿　　复核日期：＿＿＿＿＿＿", styles["note"]),
    ]
    return _build(story, f"{unit.name}{heading}", f"{unit.name} 复核意见", font)


def export_review_pdf(unit: UnitRow, book: ReviewBook, out_path: str | os.PathLike[str], year: int | None) -> Path:
    """Write a unit's review sheet PDF (atomically)."""
    return _save(out_path, render_review_pdf(unit, book, year))


def export_all_forms_pdf(
    result: Consolidation,
    out_path: str | os.PathLike[str],
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> tuple[Path, int]:
    """Every counted unit's forms in one PDF, with a bookmark per unit and, under it, per form.

    Returns:
        The file and its number of pages.

    Raises:
        UserError: no unit has a form, or the file cannot be written.
    """
    from pypdf import PdfReader, PdfWriter

    from desktop.reports.pdf import render_pdf

    units = [unit for unit in result.counted if unit.workbook is not None and unit.workbook.forms]
    if not units:
        raise UserError("没有可以打印的表")
    writer = PdfWriter()
    for done, unit in enumerate(units):
        if cancelled is not None and cancelled():
            from desktop.models.consolidation.run import Cancelled

            raise Cancelled()
        if progress is not None:
            progress(done, len(units), unit.name)
        workbook = unit.workbook
        assert workbook is not None
        data, form_pages = render_pdf(workbook)
        start = len(writer.pages)
        writer.append(PdfReader(io.BytesIO(data)), import_outline=False)
        parent = writer.add_outline_item(title=f"{unit.code} {unit.name}".strip(), page_number=start)
        page = start
        labels = [f"{n}. {form.kind.label}：{form.title}" for n, form in enumerate(workbook.forms, start=1)]
        for name, count in zip(labels, form_pages, strict=True):
            writer.add_outline_item(title=name, page_number=page, parent=parent)
            page += count
    if progress is not None:
        progress(len(units), len(units), "")
    writer.add_metadata({"/Title": title(result) + "（各单位报表）", "/Creator": "预算绩效填报"})
    writer.page_mode = "/UseOutlines"
    buffer = io.BytesIO()
    writer.write(buffer)
    return _save(out_path, buffer.getvalue()), len(writer.pages)
