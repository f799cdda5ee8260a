"""A long workbook printed and read back page by page: 30 forms × 60 rows with long texts.

Each line of a cell is one text object in the PDF (ReportLab draws line by line), read back
with its position by pypdf. The checks are the reviewer's: 总分 never on a page
without indicator rows, the column titles once per page above the rows, no page more than half
empty unless it ends its form, and no line starting with closing punctuation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PageObject, PdfReader

from desktop.models.scoring.engine import FormScore, IndicatorScore
from desktop.models.workbook.domain import Form
from desktop.reports.linebreak import NO_LINE_START
from desktop.reports.pdf import ExportResult, export_pdf
from desktop.reports.styles import MARGIN_BOTTOM, MARGIN_TOP
from tests.helpers.bigworkbook import make_workbook

FORMS, ROWS = 30, 60
INDICATOR = re.compile(r"指标\d+：第\d+项目")


@dataclass(frozen=True)
class Run:
    """One drawn line of text and where its baseline starts."""

    text: str
    x: float
    y: float


@dataclass(frozen=True)
class Printed:
    """The exported long workbook: its result, and every page's text runs and height."""

    result: ExportResult
    pages: list[list[Run]]
    heights: list[float]


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Printed:
    """The long workbook exported once (the engine scores it) and read back."""
    out = tmp_path_factory.mktemp("long") / "long.pdf"
    result = export_pdf(make_workbook(FORMS, ROWS, long_texts=True), out)
    pages: list[list[Run]] = []
    heights: list[float] = []
    for page in PdfReader(Path(out)).pages:
        pages.append(_runs(page))
        heights.append(float(page.mediabox.height))
    return Printed(result, pages, heights)


def _runs(page: PageObject) -> list[Run]:
    runs: list[Run] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: object, _size: object) -> None:
        text = text.strip("\n")
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            if runs and abs(runs[-1].x - x) < 0.01 and abs(runs[-1].y - y) < 0.01:
                # one line in glyphs of two font subsets: pypdf reports its parts at one origin
                runs[-1] = Run(runs[-1].text + text, x, y)
            else:
                runs.append(Run(text, x, y))

    page.extract_text(visitor_text=visit)
    return runs


def _last_pages(result: ExportResult) -> set[int]:
    ends, total = set(), 0
    for count in result.form_pages:
        total += count
        ends.add(total - 1)
    return ends


def test_the_workbook_is_long(printed: Printed) -> None:
    assert len(printed.result.form_pages) == FORMS
    assert printed.result.pages == len(printed.pages) > FORMS * 3


def test_no_total_on_a_page_without_indicator_rows(printed: Printed) -> None:
    for number, runs in enumerate(printed.pages):
        if any(run.text == "总分" for run in runs):
            assert any(INDICATOR.search(run.text) for run in runs), f"page {number + 1}: 总分 alone"


def test_column_titles_once_per_page_above_the_rows(printed: Printed) -> None:
    for number, runs in enumerate(printed.pages):
        rows = [run.y for run in runs if INDICATOR.search(run.text)]
        heads = [run.y for run in runs if run.text == "一级指标"]
        if not rows:
            assert len(heads) <= 1, f"page {number + 1}"
            continue
        assert len(heads) == 1, f"page {number + 1}: column titles {len(heads)} times"
        assert heads[0] > max(rows), f"page {number + 1}: an indicator row above the column titles"


def test_no_page_more_than_half_empty_unless_it_ends_its_form(printed: Printed) -> None:
    ends = _last_pages(printed.result)
    for number, (runs, height) in enumerate(zip(printed.pages, printed.heights, strict=True)):
        if number in ends:
            continue
        top, bottom = height - MARGIN_TOP, MARGIN_BOTTOM
        body = [run.y for run in runs if bottom - 1 < run.y < top + 1]
        assert body, f"page {number + 1} is empty"
        filled = (top - min(body)) / (top - bottom)
        assert filled >= 0.5, f"page {number + 1} is {1 - filled:.0%} empty"


def test_no_line_starts_with_closing_punctuation(printed: Printed) -> None:
    for number, runs in enumerate(printed.pages):
        for run in runs:
            assert run.text[0] not in NO_LINE_START, f"page {number + 1}: line “{run.text}”"


def test_rows_print_grouped_by_first_level_in_standard_order(printed: Printed) -> None:
    order = {"产出指标": 0, "效益指标": 1, "满意度指标": 2}
    first_page = printed.result.form_pages[0]
    seen = [
        order[run.text]
        for runs in printed.pages[:first_page]
        for run in sorted(runs, key=lambda r: -r.y)
        if run.text in order
    ]
    assert seen == sorted(seen)  # one block per 一级 (repeated at the top of a page), in order


def test_a_goals_block_continuing_on_a_new_page_repeats_its_label_and_heading(tmp_path: Path) -> None:
    workbook = make_workbook(1, 20, long_texts=True)
    form = workbook.forms[0]
    form.overall_target = "。".join(f"第{n}项年度目标：完成“一网通办”改革任务（含承诺件）" for n in range(60))
    form.overall_actual = "。".join(f"第{n}项完成情况：已按期完成，群众满意度达到98%以上" for n in range(90))
    out = tmp_path / "goals.pdf"
    export_pdf(workbook, out, scores=make_score)
    pages = [_runs(page) for page in PdfReader(out).pages]
    continued = [n for n, runs in enumerate(pages) if n and any("已按期完成" in run.text for run in runs)]
    assert continued, "the goals block should run onto a second page"
    for number in continued:
        texts = [run.text for run in pages[number]]
        assert "年度总体目标" in texts and "预期目标" in texts and "实际完成情况" in texts, number + 1


def make_score(form: Form) -> FormScore:
    """Every indicator scored in full (the block under test is the goals block, not the scores)."""
    rows = tuple(IndicatorScore(i.weight, i.weight, False, (), "") for i in form.indicators)
    total = sum((i.weight or Decimal(0) for i in form.indicators), Decimal(10))
    return FormScore(Decimal(1), Decimal(10), Decimal(10), Decimal(10), rows, (), total, "优")
