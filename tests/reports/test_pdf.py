"""Tests of desktop.reports.pdf: every sample exported and read back (text, fonts, bookmarks)."""

from __future__ import annotations

import copy
import errno
import os
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import Destination

from desktop.models.errors import UserError
from desktop.models.scoring.engine import FormScore, IndicatorScore
from desktop.models.workbook.domain import Form, FormKind, FundLine, Goal, Indicator, Signoff, Unit, Workbook
from desktop.models.workbook.numbers import score as fmt_number
from desktop.reports import pdf as pdf_module
from desktop.reports.layouts import form_title
from desktop.reports.pdf import ExportResult, engine_scorer, export_pdf
from desktop.reports.styles import MARGIN_LEFT
from tests.helpers.fixtures import SAMPLE_FILES, load_sample
from tests.reports.helpers import (
    big_group_form,
    has_run,
    layout_b_form,
    manual_scores,
    page_ranges,
    page_texts,
    squash,
    table_rows,
)

Scorer = Callable[[Form], FormScore]
SUBSET_TAG = re.compile(r"^/[A-Z]{6}\+")


def export(workbook: Workbook, path: Path, **kwargs: Any) -> ExportResult:
    """Export (scores from the real scoring engine unless the test passes its own)."""
    return export_pdf(workbook, path, **kwargs)


def fonts_used(path: Path) -> list[Any]:
    """Every font dictionary referenced from any page's /Resources (descendants included)."""
    fonts: list[Any] = []
    for page in PdfReader(path).pages:
        resources: Any = page["/Resources"].get_object()
        for ref in resources.get("/Font", {}).values():
            font: Any = ref.get_object()
            fonts.append(font)
            fonts += [d.get_object() for d in font.get("/DescendantFonts", [])]
        assert "/XObject" not in resources or not resources["/XObject"], "no nested forms expected"
    return fonts


def bookmarks(reader: PdfReader) -> list[Destination]:
    """The top-level outline entries (a nested list would mean sub-entries, which we never make)."""
    items = reader.outline
    assert all(isinstance(item, Destination) for item in items)
    return [item for item in items if isinstance(item, Destination)]


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda p: p.stem)
def test_every_indicator_is_printed(sample: Path, tmp_path: Path) -> None:
    workbook = load_sample(sample.name)
    out = tmp_path / "out.pdf"
    result = export(workbook, out)
    assert result.pages == len(PdfReader(out).pages) == sum(result.form_pages)
    assert result.bytes == out.stat().st_size
    for form, pages in zip(workbook.forms, page_ranges(result.form_pages), strict=True):
        rows = table_rows(out, pages)
        score = engine_scorer(workbook)(form) if form.kind.is_self_eval else None
        for position, indicator in enumerate(form.indicators):
            if form.kind.is_self_eval:
                assert score is not None
                run = [
                    squash(indicator.name),
                    squash(indicator.target),
                    squash(indicator.actual),
                    fmt_number(indicator.weight),
                    fmt_number(score.indicators[position].score),
                ]
            else:
                run = [squash(indicator.name), squash(indicator.description), squash(indicator.target)]
                if form.kind is FormKind.DEPT_TARGET:
                    run.append(squash(indicator.basis))
            assert has_run(rows, run), f"{form.title}: {run} not printed"
            assert indicator.level1 in {cell for row in rows for cell in row}


def test_self_eval_totals_and_budget_execution(wuwei: Workbook, tmp_path: Path) -> None:
    out = tmp_path / "wuwei.pdf"
    result = export(wuwei, out)
    scorer = engine_scorer(wuwei)
    for form, pages in zip(wuwei.forms, page_ranges(result.form_pages), strict=True):
        rows = table_rows(out, pages)
        score = scorer(form)
        weights = sum((i.weight or Decimal(0) for i in form.indicators), score.exec_weight)
        assert has_run(rows, ["总分", fmt_number(weights), fmt_number(score.total), f"自评等级：{score.grade}"])
        total_line = form.fund("total")
        assert total_line is not None
        money = ["" if v is None else str(v) for v in (total_line.initial, total_line.full_year, total_line.executed)]
        rate = "" if score.exec_rate is None else fmt_number(100 * score.exec_rate) + "%"
        weight, got = fmt_number(score.exec_weight), fmt_number(score.exec_score)
        if form.kind is FormKind.PROJECT_SELF_EVAL:  # 年初 | 全年预算 | 全年执行 | 分值 | 执行率 | 得分
            assert has_run(rows, ["年度资金总额", *money, weight, rate, got])
        else:  # layout A: 年初 | 全年预算(A) | 实际支出(B) | 执行率 | 分值 | 得分
            assert has_run(rows, ["部门整体支出", *money, rate, weight, got])
        assert score.total is not None and score.exec_score is not None


def test_printed_scores_are_the_scorers_effective_scores(wuwei: Workbook, tmp_path: Path) -> None:
    """The PDF prints what the scores function says (e.g. the engine's), not ``indicator.score``."""
    form = wuwei.forms[1]

    def halved(target: Form) -> FormScore:
        base = manual_scores(target)
        indicators = tuple(IndicatorScore(i.score, (i.score or Decimal(0)) / 2, True, (), "") for i in base.indicators)
        return FormScore(
            Decimal("0.5"), Decimal(10), Decimal(5), Decimal("4.5"), indicators, (), Decimal("47.25"), "差"
        )

    out = tmp_path / "halved.pdf"
    result = export(wuwei, out, forms=[1], scores=halved)
    rows = table_rows(out, range(result.pages))
    for indicator in form.indicators:
        assert indicator.score is not None
        assert has_run(rows, [fmt_number(indicator.weight), fmt_number(indicator.score / 2)])
    assert has_run(rows, ["10", "50%", "4.5"])  # 分值, 执行率, 得分 of 年度资金总额
    assert has_run(
        rows, ["总分", fmt_number(sum((i.weight or Decimal(0) for i in form.indicators), Decimal(10))), "47.25"]
    )


def test_fonts_are_embedded_subsets_and_nothing_else(wuwei: Workbook, tianjin: Workbook, tmp_path: Path) -> None:
    for workbook in (wuwei, tianjin):
        out = tmp_path / "fonts.pdf"
        export(workbook, out)
        fonts = fonts_used(out)
        assert fonts
        for font in fonts:
            if font["/Subtype"] == "/Type0":
                continue  # checked through its descendant
            assert SUBSET_TAG.match(str(font["/BaseFont"])), font["/BaseFont"]
            assert "WenQuanYiMicroHei" in str(font["/BaseFont"])
            descriptor = font["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor
        assert b"Helvetica" not in out.read_bytes()


def test_one_bookmark_per_form_on_its_first_page(wuwei: Workbook, tmp_path: Path) -> None:
    out = tmp_path / "bookmarks.pdf"
    result = export(wuwei, out)
    reader = PdfReader(out)
    outline = bookmarks(reader)
    assert [item.title for item in outline] == [form_title(form, wuwei) for form in wuwei.forms]
    starts = [pages.start for pages in page_ranges(result.form_pages)]
    assert [reader.get_destination_page_number(item) for item in outline] == starts


def test_chosen_forms_only(tianjin: Workbook, tmp_path: Path) -> None:
    out = tmp_path / "two.pdf"
    result = export(tianjin, out, forms=[3, 0])
    reader = PdfReader(out)
    assert [item.title for item in bookmarks(reader)] == [form_title(tianjin.forms[n], tianjin) for n in (3, 0)]
    assert len(result.form_pages) == 2
    text = "".join(page_texts(out))
    assert squash(tianjin.forms[3].indicators[0].name) in text
    assert squash(tianjin.forms[1].title) not in text


def test_no_forms_is_a_user_error(tianjin: Workbook, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="没有要导出的表"):
        export(tianjin, tmp_path / "none.pdf", forms=[])
    assert not list(tmp_path.iterdir())


def test_metadata(wuwei: Workbook, tmp_path: Path) -> None:
    out = tmp_path / "meta.pdf"
    export(wuwei, out)
    meta = PdfReader(out).metadata
    assert meta is not None
    assert meta.author == "武威市政府政务服务中心"
    assert meta.title == "武威市政府政务服务中心2022年度预算绩效表（4张）"
    assert meta.subject is not None and "项目支出绩效自评表" in meta.subject
    assert meta.creation_date is not None and meta.creation_date.year >= 2024
    single = tmp_path / "single.pdf"
    export(wuwei, single, forms=[1])
    one = PdfReader(single).metadata
    assert one is not None and one.title == "项目支出绩效自评表（2022年度）"


def test_page_numbers_per_form_and_orientation(wuwei: Workbook, tianjin: Workbook, tmp_path: Path) -> None:
    mixed = Workbook(unit=wuwei.unit, year=2022, forms=[tianjin.forms[0], *wuwei.forms[:2]])
    out = tmp_path / "mixed.pdf"
    result = export(mixed, out)
    texts = page_texts(out)
    reader = PdfReader(out)
    for form, pages in zip(mixed.forms, page_ranges(result.form_pages), strict=True):
        for number, page in enumerate(pages, start=1):
            assert f"第{number}页共{len(pages)}页" in texts[page]
            width, height = reader.pages[page].mediabox.width, reader.pages[page].mediabox.height
            assert (width > height) == form.kind.is_self_eval
            if number > 1:
                assert squash(form_title(form, mixed)) + "（续）" in texts[page]


def test_left_margin_leaves_room_for_binding(wuwei: Workbook, tmp_path: Path) -> None:
    import pdfplumber

    out = tmp_path / "margin.pdf"
    export(wuwei, out)
    with pdfplumber.open(out) as pdf:
        for page in pdf.pages:
            left = min(min((c["x0"] for c in page.chars), default=999), min((e["x0"] for e in page.edges), default=999))
            assert left >= MARGIN_LEFT - 1  # 25 mm (a rule may stick out by half its width)


def test_dept_layout_a_budget_block(wuwei: Workbook, tmp_path: Path) -> None:
    out = tmp_path / "a.pdf"
    result = export(wuwei, out, forms=[0])
    rows = table_rows(out, range(result.pages))
    for label, line in (("部门整体支出", "total"), ("其中：基本支出", "basic"), ("其中：项目支出", "project")):
        fund = wuwei.forms[0].fund(line)
        assert fund is not None
        assert has_run(rows, [label, str(fund.initial), str(fund.full_year)])
    assert has_run(rows, ["预期目标", "目标实际完成情况"])
    assert "绩效目标1" not in "".join(page_texts(out))


def test_dept_layout_b_goals_then_their_indicators(wuwei: Workbook, tmp_path: Path) -> None:
    form = layout_b_form(wuwei)
    workbook = Workbook(unit=wuwei.unit, year=2022, forms=[form])
    out = tmp_path / "b.pdf"
    result = export(workbook, out)
    rows = table_rows(out, range(result.pages))
    flat = [cell for row in rows for cell in row]
    assert form.goals
    positions = []
    for goal in form.goals:
        title = squash(f"绩效目标{goal.no}：{goal.target}")
        assert title in flat
        positions.append(flat.index(title))
        members = [i for i in form.indicators if i.goal == goal.no]
        for indicator in members:  # each indicator comes after its own goal's title
            assert flat.index(squash(indicator.name)) > positions[-1]
    assert positions == sorted(positions)
    assert has_run(rows, ["目标序号", "年度绩效目标", "实际完成情况"])
    text = "".join(page_texts(out))
    assert squash(form.conclusion) in text
    assert "单位负责人：张三" in text and "填报日期：2023年3月15日" in text
    assert "年度指标完成情况" in text


def test_two_hundred_rows_in_one_group(tmp_path: Path) -> None:
    workbook = Workbook(unit=Unit("319101", "测试单位"), year=2025, forms=[big_group_form(200)])
    out = tmp_path / "big.pdf"
    result = export(workbook, out)  # no LayoutError
    assert result.pages >= 5
    import pdfplumber

    with pdfplumber.open(out) as pdf:
        for number, page in enumerate(pdf.pages):
            tables = page.extract_tables()
            grid = [t for t in tables if t and squash(t[0][0]) == "一级指标"]
            if not grid:
                continue
            rows = grid[0]
            data = [r for r in rows[1:] if r[2] and "项考核内容" in squash(r[2])]
            if not data:
                continue
            first = rows[rows.index(data[0])]
            assert squash(first[0]) == "产出指标", f"page {number + 1}: no 一级 label"
            assert squash(first[1]) == "数量指标", f"page {number + 1}: no 二级 label"
    rows_all = table_rows(out, range(result.pages))
    for n in range(200):
        assert has_run(rows_all, [f"第{n + 1}项考核内容的完成数量", f"≥{n + 10}次", f"{n + 11}次", "0.45", "0.45"])


def test_very_long_texts_are_cut_not_lost(wuwei: Workbook, tmp_path: Path) -> None:
    form = copy.deepcopy(wuwei.forms[1])
    form.overall_actual = "壬癸。" * 3000
    form.indicators[0].deviation = "甲乙" * 5000
    form.notes = "庚辛" * 4000
    workbook = Workbook(unit=wuwei.unit, year=2022, forms=[form])
    out = tmp_path / "long.pdf"
    result = export(workbook, out)
    text = "".join(page_texts(out))
    assert result.pages > 5
    assert (text.count("甲"), text.count("壬"), text.count("庚")) == (5000, 3000, 4000)  # nothing lost


def test_target_form_blocks(tianjin: Workbook, tmp_path: Path) -> None:
    form = tianjin.forms[0]
    out = tmp_path / "target.pdf"
    export(tianjin, out, forms=[0])
    rows = table_rows(out, range(1))
    assert form.budget is not None
    assert has_run(rows, ["预算数", str(form.budget.amount)])
    assert has_run(rows, ["项目名称", squash(form.title)])
    assert has_run(rows, ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值"])
    text = page_texts(out)[0]
    assert squash(form_title(form, tianjin)) in text
    assert "319101天津市人民政府政务服务办公室" in text and "单位：万元" in text


def test_dept_target_blocks(tmp_path: Path) -> None:
    tangshan = load_sample("tangshan-xzsp-targets.json")
    out = tmp_path / "dept.pdf"
    result = export(tangshan, out)
    ranges = page_ranges(result.form_pages)
    overall = table_rows(out, ranges[0])
    assert any("总体绩效目标" in row for row in overall)
    project = tangshan.forms[1]
    rows = table_rows(out, ranges[1])
    assert has_run(rows, ["项目编码", str(project.code), "预算项目名称", squash(project.title)])
    assert has_run(rows, [*(step.by for step in project.spending_plan or ())])
    assert has_run(rows, [f"{fmt_number(step.percent)}%" for step in project.spending_plan or ()])
    assert has_run(rows, ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"])


def test_signoff_and_blank_fields(tianjin: Workbook, tmp_path: Path) -> None:
    workbook = copy.deepcopy(tianjin)
    workbook.forms[0].signoff = Signoff(head="王五", preparer=None, phone="022-1234", date=None)
    out = tmp_path / "signoff.pdf"
    export(workbook, out, forms=[0, 1])
    first, second = page_texts(out)[:2]
    assert "单位负责人：王五" in first and "联系电话：022-1234" in first and "填报人：___" in first
    assert "单位负责人：___" in second


def test_read_only_destination(tianjin: Workbook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    if os.geteuid() != 0:  # a real read-only folder (root writes anyway)
        folder.chmod(0o555)
        try:
            with pytest.raises(UserError, match="没有写入权限"):
                export(tianjin, folder / "x.pdf", forms=[0])
        finally:
            folder.chmod(0o755)
    else:  # simulate it: creating the temporary file is refused
        import tempfile

        def refuse(*args: Any, **kwargs: Any) -> Any:
            raise PermissionError(errno.EACCES, "Permission denied")

        monkeypatch.setattr(tempfile, "mkstemp", refuse)
        with pytest.raises(UserError, match="没有写入权限") as info:
            export(tianjin, folder / "x.pdf", forms=[0])
        assert info.value.message.startswith("PDF 未能保存")
    assert not list(folder.iterdir())


def test_full_disk_leaves_old_file_and_no_partial(
    tianjin: Workbook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out.pdf"
    out.write_bytes(b"old")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(UserError, match="磁盘空间不足"):
        export(tianjin, out, forms=[0])
    assert out.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.pdf"]


def test_destination_is_a_folder(tianjin: Workbook, tmp_path: Path) -> None:
    with pytest.raises(UserError):
        export(tianjin, tmp_path, forms=[0])
    assert not [p for p in tmp_path.iterdir()]


def test_default_scores_come_from_the_engine(wuwei: Workbook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Workbook] = []

    def fake_engine(workbook: Workbook) -> Scorer:
        calls.append(workbook)
        return manual_scores

    monkeypatch.setattr(pdf_module, "engine_scorer", fake_engine)
    export_pdf(wuwei, tmp_path / "e.pdf", forms=[1])
    assert calls == [wuwei]
    calls.clear()
    tianjin = load_sample("tianjin-zwfw-2025-targets.json")
    export_pdf(tianjin, tmp_path / "t.pdf", forms=[0])  # target tables need no scores
    assert calls == []


def test_form_without_optional_parts(tmp_path: Path) -> None:
    """A bare self-evaluation (no funds, goals, notes, unit) still prints its frame."""
    form = Form(
        kind=FormKind.PROJECT_SELF_EVAL,
        title="空白项目",
        funds=[FundLine("total", None, Decimal("0"), None)],
        goals=[Goal(1, None, None)],
        indicators=[Indicator(level1="产出指标", level2="数量指标", name="甲")],
    )
    workbook = Workbook(unit=Unit(), year=None, forms=[form])
    out = tmp_path / "bare.pdf"
    result = export(workbook, out)
    assert result.pages == 1
    assert has_run(table_rows(out, range(1)), ["说明", "无"])


def test_manual_score_printed_over_the_suggestion(wuwei: Workbook, tmp_path: Path) -> None:
    """群众来电咨询接听率 100% → 87% (分值 4) was filed as 3: the engine suggests 3.48, the PDF prints 3;
    once the manual score is cleared the PDF prints the suggestion."""
    form = wuwei.forms[1]
    position = next(n for n, i in enumerate(form.indicators) if "群众来电咨询接听率" in i.name)
    indicator = form.indicators[position]
    verdict = engine_scorer(wuwei)(form).indicators[position]
    assert verdict.manual and verdict.score == Decimal(3) and verdict.suggested not in (None, Decimal(3))
    out = tmp_path / "manual.pdf"
    result = export(wuwei, out, forms=[1])
    rows = table_rows(out, range(result.pages))
    assert has_run(rows, [squash(indicator.name), "100%", "87%", "4", "3"])
    indicator.score = None
    result = export(wuwei, out, forms=[1])
    rows = table_rows(out, range(result.pages))
    assert has_run(rows, [squash(indicator.name), "100%", "87%", "4", fmt_number(verdict.suggested)])


def test_pdf_open_in_a_reader(tianjin: Workbook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows refuses to replace a PDF open in a reader: the message says to close it."""
    out = tmp_path / "open.pdf"
    out.write_bytes(b"old")

    def locked(source: Any, target: Any) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(UserError, match="请先关闭它"):
        export(tianjin, out, forms=[0])
    assert out.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["open.pdf"]


@pytest.mark.parametrize("kind", list(FormKind))
def test_empty_form_of_every_kind(kind: FormKind, tmp_path: Path) -> None:
    workbook = Workbook(unit=Unit("", "某单位"), year=2025, forms=[Form(kind=kind)])
    out = tmp_path / "empty.pdf"
    result = export(workbook, out)
    assert result.pages == 1
    assert "第1页共1页" in page_texts(out)[0]
