"""FormCanvas writes a plain line of text with exactly the operators ReportLab's Canvas writes."""

from __future__ import annotations

import io

from reportlab.pdfgen.canvas import Canvas

from desktop.reports.fonts import register_font
from desktop.reports.pages import FormCanvas

# CJK, Latin, characters PDF strings escape, an empty line, and more than 256 characters, so that
# lines span two of the font's subsets
TEXTS = [
    "项目支出绩效自评表（2025年度）",
    "≥95% (target) \\ back",
    "",
    "0.15",
    "".join(chr(0x4E00 + n) for n in range(300)),
    "0.15",
    "无偏差",
]


def code_of(canvas_class: type[Canvas], **kwargs: object) -> list[str]:
    font = register_font()
    canvas = canvas_class(io.BytesIO(), **kwargs)
    for size, leading in ((9, 12), (16, 22.4)):
        canvas.setFont(font, size, leading)
        for n, text in enumerate(TEXTS):
            canvas.drawString(10, 700 - n * 12, text)
            canvas.drawCentredString(200.5, 500 - n * 12, text)
            canvas.drawRightString(400, 300 - n * 12.25, text)
        canvas.drawString(10, 20, "间距", charSpace=1)  # not plain: ReportLab's own way
    return list(canvas._code)


def test_plain_lines_are_written_as_reportlab_writes_them() -> None:
    assert code_of(FormCanvas, font_name=register_font()) == code_of(Canvas)
