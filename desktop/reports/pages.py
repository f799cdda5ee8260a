"""Page furniture: page templates, per-form page numbers (第 N 页 共 M 页), running titles, bookmarks.

The canvas holds every page back until the end of the build (ReportLab's "numbered canvas"
recipe), so it knows how many pages each form took; bookmarks are placed when the held pages
are finally written, when ReportLab's page references are right.
"""

from __future__ import annotations

import zlib
from collections import Counter
from typing import Any

from reportlab import rl_config
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.pdfgen import textobject
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, PageTemplate

from desktop.reports.styles import (
    FOOTER_SIZE,
    FOOTER_Y,
    HEADER_Y_FROM_TOP,
    LANDSCAPE,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    PORTRAIT,
    RUNNING_COLOR,
)

PORTRAIT_TEMPLATE = "portrait"
LANDSCAPE_TEMPLATE = "landscape"
PAGE_SIZES: dict[str, tuple[float, float]] = {PORTRAIT_TEMPLATE: PORTRAIT, LANDSCAPE_TEMPLATE: LANDSCAPE}


def frame_size(template: str) -> tuple[float, float]:
    """Width and height of the text frame of a page template."""
    width, height = PAGE_SIZES[template]
    return width - MARGIN_LEFT - MARGIN_RIGHT, height - MARGIN_TOP - MARGIN_BOTTOM


def page_templates(first: str) -> list[PageTemplate]:
    """The portrait and landscape A4 page templates, ``first`` first (it lays out page 1)."""
    templates = []
    for name in sorted(PAGE_SIZES, key=lambda n: n != first):
        width, height = frame_size(name)
        frame = Frame(
            MARGIN_LEFT,
            MARGIN_BOTTOM,
            width,
            height,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id=f"{name}-frame",
        )
        templates.append(PageTemplate(id=name, frames=[frame], pagesize=PAGE_SIZES[name]))
    return templates


def page_number_text(number: int, total: int) -> str:
    """The page number line of a form's page."""
    return f"第 {number} 页 共 {total} 页"


class FormStart(Flowable):  # type: ignore[misc]  # ReportLab is untyped
    """An invisible mark at the top of a form's first page: starts its page count and bookmark."""

    def __init__(self, index: int, title: str) -> None:
        """Mark form number ``index`` (its position in the export) titled ``title``."""
        super().__init__()
        self.index = index
        self.title = title
        self.width = self.height = 0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """Takes no room."""
        return 0, 0

    def draw(self) -> None:
        """Tell the canvas which form the current page belongs to."""
        canvas = self.canv
        if isinstance(canvas, FormCanvas):
            canvas.start_form(self.index, self.title)


def _compress_stream(page: Any) -> None:
    """Give a written page its compressed content stream now, as ReportLab builds it when it writes
    the file (``PDFPage.check_format``: the same filter, so the same bytes); other pages are left
    to ReportLab."""
    if page.Contents or not page.stream or not page.compression or rl_config.useA85:
        return
    stream = pdfdoc.PDFStream(content=pdfdoc.PDFZCompress.encode(page.stream))
    stream.dictionary["Filter"] = pdfdoc.PDFArray([pdfdoc.PDFName(pdfdoc.PDFZCompress.pdfname)])
    stream.__Comment__ = "page stream"
    page.Contents = stream
    page.stream = None


class FormCanvas(Canvas):  # type: ignore[misc]  # ReportLab is untyped
    """A canvas that numbers pages per form and draws running titles and bookmarks at the end.

    It also draws a plain line of text (every table cell's, the page numbers) by writing the PDF
    operators ``Canvas.drawString`` writes, without the text object ReportLab builds for each line:
    a 600-row table draws ~4,000 lines. Anything else (a text mode, spacing, a direction, a font
    that is not TrueType, right-to-left support installed) goes to ReportLab's own method.
    """

    def __init__(self, *args: Any, font_name: str, **kwargs: Any) -> None:
        """Like ``Canvas``, plus the registered font for the page furniture."""
        super().__init__(*args, **kwargs)
        self._jx_font = font_name
        self._jx_form: tuple[int, str] = (0, "")
        self._jx_bookmark: tuple[str, str] | None = None
        self._jx_pages: list[dict[str, Any]] = []
        self._jx_lines: dict[tuple[str, float, float, str], str] = {}
        self.form_pages: Counter[int] = Counter()

    def _plain_line(self, x: float, y: float, text: str) -> bool:
        """Draw ``text`` at (x, y) exactly as ``drawString`` would; False if it is not a plain case.

        The operators of a text are kept per font and size: a table repeats its values (0.15, 无偏差,
        ≥95%…), and once a text's characters have their codes in the font's subsets they keep them.
        """
        if not self.bottomup:
            return False
        key = (self._fontname, self._fontsize, self._leading, text)
        shown = self._jx_lines.get(key)
        if shown is None:
            font = getFont(self._fontname)
            if not getattr(font, "_dynamicFont", 0) or textobject.rtlSupport or not isinstance(text, str):
                return False
            doc = self._doc
            size = f"{fp_str(self._fontsize)} Tf {fp_str(self._leading)} TL"
            parts = []
            current = -1
            for subset, chunk in font.splitString(text, doc):
                if subset != current:
                    parts.append(f"{font.getSubsetInternalName(subset, doc)} {size}")
                    current = subset
                parts.append(f"({self._escape(chunk)}) Tj")
            shown = self._jx_lines[key] = " ".join(parts)
        self._code.append(f"BT 1 0 0 1 {fp_str(x, y)} Tm {shown} T* ET")
        return True

    def drawString(self, x: float, y: float, text: str, mode: Any = None, *args: Any, **kwargs: Any) -> None:
        """``Canvas.drawString``, plain lines written directly."""
        if mode is not None or args or any(kwargs.values()) or not self._plain_line(x, y, text):
            super().drawString(x, y, text, mode, *args, **kwargs)

    def drawCentredString(self, x: float, y: float, text: str, mode: Any = None, *args: Any, **kwargs: Any) -> None:
        """``Canvas.drawCentredString``, plain lines written directly."""
        if mode is not None or args or any(kwargs.values()) or not isinstance(text, str):
            super().drawCentredString(x, y, text, mode, *args, **kwargs)
        elif not self._plain_line(x - 0.5 * stringWidth(text, self._fontname, self._fontsize), y, text):
            super().drawCentredString(x, y, text)

    def drawRightString(self, x: float, y: float, text: str, mode: Any = None, *args: Any, **kwargs: Any) -> None:
        """``Canvas.drawRightString``, plain lines written directly."""
        if mode is not None or args or any(kwargs.values()) or not isinstance(text, str):
            super().drawRightString(x, y, text, mode, *args, **kwargs)
        elif not self._plain_line(x - stringWidth(text, self._fontname, self._fontsize), y, text):
            super().drawRightString(x, y, text)

    def start_form(self, index: int, title: str) -> None:
        """Mark the current page as the first of form ``index``."""
        self._jx_form = (index, title)
        self._jx_bookmark = (f"form{index}", title)

    def showPage(self) -> None:  # ReportLab's name
        """Hold the page back until ``save`` knows every form's page count (its drawing compressed:
        a held page then takes a few KB, not the ~50 KB of its operators as strings)."""
        state = dict(self.__dict__)
        state["_code"] = zlib.compress("\n".join(self._code).encode("utf-8"), 1) if self._code else b""
        self._jx_pages.append(state)
        self._jx_bookmark = None
        self._startPage()

    def save(self) -> None:
        """Draw page numbers, running titles and bookmarks on the held pages, then write the file.

        Each page's stream is compressed as soon as the page is written (as ReportLab would when it
        writes the file), so the document holds every page compressed, not as text.
        """
        pages = self._jx_pages
        totals = Counter(state["_jx_form"][0] for state in pages)
        outline = any(state["_jx_bookmark"] is not None for state in pages)
        seen: Counter[int] = Counter()
        for number, state in enumerate(pages):
            packed = state["_code"]
            state["_code"] = [zlib.decompress(packed).decode("utf-8")] if packed else []
            self.__dict__.update(state)
            index, title = self._jx_form
            seen[index] += 1
            if self._jx_bookmark is not None:
                key, label = self._jx_bookmark
                self.bookmarkPage(key)
                self.addOutlineEntry(label, key, level=0)
            self._draw_furniture(seen[index], totals[index], title)
            Canvas.showPage(self)
            _compress_stream(self._doc.Pages.pages[-1])
            pages[number] = {}
        self._jx_pages = []
        self.form_pages = totals
        if outline:
            self.showOutline()
        Canvas.save(self)

    def _draw_furniture(self, number: int, total: int, title: str) -> None:
        width, height = self._pagesize
        self.saveState()
        self.setFont(self._jx_font, FOOTER_SIZE)
        self.drawCentredString(width / 2, FOOTER_Y, page_number_text(number, total))
        if number > 1 and title:
            self.setFillColor(RUNNING_COLOR)
            self.drawString(MARGIN_LEFT, height - HEADER_Y_FROM_TOP, f"{title}（续）")
        self.restoreState()
