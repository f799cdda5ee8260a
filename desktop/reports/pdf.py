"""Export a workbook's forms to one printable PDF (A4, embedded Chinese font, a bookmark per form).

``export_pdf`` lays out each chosen form in its kind's layout (``layouts.py``), numbers pages
per form, writes title/author/subject metadata and saves the file atomically: a failed export
(read-only folder, full disk) raises ``UserError`` and leaves no partial file.
"""

from __future__ import annotations

import errno
import io
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab import rl_config
from reportlab.platypus import BaseDocTemplate, Flowable, NextPageTemplate, PageBreak

from desktop.models.errors import UserError
from desktop.models.scoring.engine import FormScore
from desktop.models.storage.atomic import write_atomically
from desktop.models.workbook.domain import Form, Workbook
from desktop.reports.blocks import FormPrint
from desktop.reports.fonts import PrintFont, as_print_font, register_font, template_font
from desktop.reports.layouts import form_story, form_title, selected_forms, template_of
from desktop.reports.pages import PAGE_SIZES, FormCanvas, page_templates
from desktop.reports.printed import describe, sequence_numbers
from desktop.reports.styles import MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, make_styles
from desktop.reports.template import PrintTemplate, load_template

CREATOR = "预算绩效填报"

# Page streams compressed only (no ASCII85 text wrapping on top): ~12% smaller files, same pages.
rl_config.useA85 = 0

Scorer = Callable[[Form], FormScore]


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote.

    Attributes:
        path: the PDF file.
        pages: the number of pages.
        bytes: the file size.
        form_pages: pages taken by each exported form, in export order.
    """

    path: Path
    pages: int
    bytes: int
    form_pages: tuple[int, ...]


def engine_scorer(workbook: Workbook) -> Scorer:
    """The scoring engine with the workbook's rule set, as a ``scores`` function."""
    from desktop.models.scoring.engine import ScoringEngine
    from desktop.models.scoring.rules import load_ruleset  # loaded only when scores are needed

    engine = ScoringEngine(load_ruleset(workbook.ruleset))
    return engine.score_form


def _metadata(workbook: Workbook, forms: Sequence[Form], template: PrintTemplate) -> dict[str, str]:
    unit = workbook.unit.name
    year = f"{workbook.year}年度" if workbook.year else ""
    if len(forms) == 1:
        title = form_title(forms[0], workbook, template)
    else:
        title = f"{unit}{year}预算绩效表（{len(forms)}张）"
    kinds = list(dict.fromkeys(form.kind.label for form in forms))
    return {"title": title, "author": unit, "subject": "、".join(kinds), "creator": CREATOR}


def render_pdf(
    workbook: Workbook,
    *,
    forms: Sequence[int] | None = None,
    scores: Scorer | None = None,
    font: PrintFont | str | os.PathLike[str] | None = None,
) -> tuple[bytes, tuple[int, ...]]:
    """Lay out the chosen forms and return the PDF bytes and each form's page count.

    Args:
        workbook: the workbook.
        forms: positions in ``workbook.forms`` to print (default: all), in print order.
        scores: computes a self-evaluation's scores (default: the scoring engine with the
            workbook's rule set).
        font: the font to print with (default: the template's preferred 宋体/仿宋 where this PC has
            it, else the bundled WenQuanYi Micro Hei).

    Raises:
        UserError: nothing to print, an unknown or broken print template, or the font cannot be used.
    """
    selected = selected_forms(workbook, forms)
    template = load_template(workbook.template)
    font_name = register_font(template_font(template.fonts) if font is None else as_print_font(font))
    styles = make_styles(font_name)
    if scores is None and any(form.kind.is_self_eval for form in selected):
        scores = engine_scorer(workbook)

    story: list[Flowable] = []
    for index, (form, seq) in enumerate(zip(selected, sequence_numbers(selected), strict=True)):
        page = template_of(form)
        if index:
            story += [NextPageTemplate(page), PageBreak()]
        score = scores(form) if scores is not None and form.kind.is_self_eval else None
        printed = describe(workbook, form, template, score, seq)
        story += form_story(FormPrint(workbook, form, index, styles, printed, page, score))

    buffer = io.BytesIO()
    first = template_of(selected[0])
    doc = BaseDocTemplate(
        buffer,
        pagesize=PAGE_SIZES[first],
        pageTemplates=page_templates(first),
        leftMargin=MARGIN_LEFT,
        rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        initialFontName=font_name,
        pageCompression=1,
        **_metadata(workbook, selected, template),
    )
    canvases: list[FormCanvas] = []

    def make_canvas(*args: object, **kwargs: object) -> FormCanvas:
        canvas = FormCanvas(*args, font_name=font_name, **kwargs)
        canvases.append(canvas)
        return canvas

    doc.build(story, canvasmaker=make_canvas)
    counts = canvases[-1].form_pages
    return buffer.getvalue(), tuple(counts[index] for index in range(len(selected)))


def export_pdf(
    workbook: Workbook,
    out_path: str | os.PathLike[str],
    *,
    forms: Sequence[int] | None = None,
    scores: Scorer | None = None,
    font: PrintFont | str | os.PathLike[str] | None = None,
) -> ExportResult:
    """Export forms of ``workbook`` to one PDF at ``out_path`` (replaced atomically).

    Args:
        workbook: the workbook.
        out_path: the PDF file to write.
        forms: positions in ``workbook.forms`` to export (default: all), in print order.
        scores: computes a self-evaluation's ``FormScore`` (default: the scoring engine with
            the workbook's rule set); the effective scores (manual where set) are printed.
        font: a ``PrintFont`` from ``available_print_fonts()`` or a TrueType file path
            (default: the template's preferred font where present, else the bundled one).

    Returns:
        The pages and size written.

    Raises:
        UserError: nothing to export, an unusable font, or the file cannot be written
            (the message says why; no partial file is left).
    """
    data, form_pages = render_pdf(workbook, forms=forms, scores=scores, font=font)
    target = Path(out_path)
    try:
        write_atomically(target, data)
    except UserError as exc:
        hint = ""
        if isinstance(exc.__context__, OSError) and exc.__context__.errno in (errno.EACCES, errno.EPERM):
            hint = "如果该 PDF 正在阅读器中打开，请先关闭它。"
        raise UserError(f"PDF 未能保存：{exc.message}{hint}") from exc
    return ExportResult(path=target, pages=sum(form_pages), bytes=len(data), form_pages=form_pages)
