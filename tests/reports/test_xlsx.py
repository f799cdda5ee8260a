"""Tests of desktop.reports.xlsx: every sample exported to Excel and read back with openpyxl."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from desktop.models.errors import UserError
from desktop.models.workbook.domain import Form, FormKind, Indicator, Workbook
from desktop.models.workbook.numbers import score as fmt_number
from desktop.reports.layouts import SELF_EVAL_HEADER, TARGET_HEADER, form_title
from desktop.reports.pdf import engine_scorer
from desktop.reports.xlsx import export_xlsx, sheet_names
from tests.helpers.fixtures import SAMPLE_FILES, load_sample
from tests.reports.helpers import layout_b_form


def _rows(sheet: Worksheet) -> list[list[Any]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _merged_value(sheet: Worksheet, row: int, column: int) -> Any:
    """What a cell shows: its own value, or the top-left value of the merged range it lies in."""
    for merged in sheet.merged_cells.ranges:
        if merged.min_row <= row <= merged.max_row and merged.min_col <= column <= merged.max_col:
            return sheet.cell(merged.min_row, merged.min_col).value
    return sheet.cell(row, column).value


def _header_row(sheet: Worksheet, first: str) -> int:
    """The row of the indicator table's header (the first row whose first cell is ``first``)."""
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if row[0] == first and row[1] == "二级指标":
            return number
    raise AssertionError("no indicator header")


def _find_row(sheet: Worksheet, start: int, name: str, used: set[int] = frozenset()) -> int:  # type: ignore[assignment]
    for number in range(start, sheet.max_row + 1):
        if sheet.cell(number, 3).value == name and number not in used:
            return number
    raise AssertionError(f"{name} not in the sheet")


def _as_decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda p: p.stem)
def test_every_indicator_is_in_its_sheet(sample: Path, tmp_path: Path) -> None:
    workbook = load_sample(sample.name)
    out = tmp_path / "out.xlsx"
    result = export_xlsx(workbook, out)
    assert result.bytes == out.stat().st_size
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == list(result.sheets) == sheet_names(workbook.forms)
    for form, sheet in zip(workbook.forms, book.worksheets, strict=True):
        assert sheet["A1"].value == form_title(form, workbook)
        if not form.indicators:
            continue
        header = SELF_EVAL_HEADER if form.kind.is_self_eval else TARGET_HEADER
        head = _header_row(sheet, header[0])
        assert tuple(c.value for c in sheet[head][: len(header)]) == header
        assert sheet.print_title_rows == f"${head}:${head}"  # repeated on every printed page
        score = engine_scorer(workbook)(form) if form.kind.is_self_eval else None
        used: set[int] = set()
        for position, indicator in enumerate(form.indicators):  # paper order groups rows by 一级 / 二级
            row = _find_row(sheet, head + 1, indicator.name, used)
            used.add(row)
            assert _merged_value(sheet, row, 1) == (indicator.level1 or None)
            assert _merged_value(sheet, row, 2) == (indicator.level2 or None)
            if score is not None:
                assert sheet.cell(row, 4).value == indicator.target
                assert sheet.cell(row, 5).value == indicator.actual
                assert _as_decimal(sheet.cell(row, 6).value) == _as_decimal(fmt_number(indicator.weight) or None)
                printed = fmt_number(score.indicators[position].score) or None
                assert _as_decimal(sheet.cell(row, 7).value) == _as_decimal(printed)
            else:
                assert sheet.cell(row, 5).value == indicator.target


def test_scores_and_totals_are_numbers_that_add_up(tmp_path: Path) -> None:
    workbook = load_sample("wuwei-zwfw-2022-selfeval.json")
    out = tmp_path / "wuwei.xlsx"
    export_xlsx(workbook, out)
    sheet = openpyxl.load_workbook(out).worksheets[1]  # 政务服务经费
    rows = _rows(sheet)
    total = next(row for row in rows if row[0] == "总分")
    head = _header_row(sheet, "一级指标")
    scores = [row[6] for row in rows[head:] if isinstance(row[6], int | float) and row[0] != "总分"]
    form_score = engine_scorer(workbook)(workbook.forms[1])
    assert _as_decimal(total[6]) == form_score.total
    # The table's scores plus 预算执行率得分 make the total (both as the engine computed them).
    exec_score = form_score.exec_score or Decimal(0)
    assert sum((_as_decimal(s) or Decimal(0) for s in scores), exec_score) == form_score.total
    assert total[7] == f"自评等级：{form_score.grade}"
    fund = next(row for row in rows if row[1] == "年度资金总额")
    assert isinstance(fund[2], int | float)  # amounts are numbers, not text


def test_merged_levels_cover_exactly_their_runs(tmp_path: Path) -> None:
    workbook = load_sample("wuwei-zwfw-2022-selfeval.json")
    out = tmp_path / "wuwei.xlsx"
    export_xlsx(workbook, out, forms=[1])
    sheet = openpyxl.load_workbook(out).active
    assert isinstance(sheet, Worksheet)
    form = workbook.forms[1]
    head = _header_row(sheet, "一级指标")
    level1 = [r for r in sheet.merged_cells.ranges if r.min_col == r.max_col == 1 and r.min_row > head]
    runs: dict[str, int] = {}
    for indicator in form.indicators:
        runs[indicator.level1] = runs.get(indicator.level1, 0) + 1
    assert sorted(r.max_row - r.min_row + 1 for r in level1) == sorted(n for n in runs.values() if n > 1)


def test_layout_b_prints_goal_rows_and_page_setup(tmp_path: Path) -> None:
    workbook = load_sample("wuwei-zwfw-2022-selfeval.json")
    form = layout_b_form(workbook)
    book_in = Workbook(unit=workbook.unit, year=workbook.year, forms=[form])
    out = tmp_path / "b.xlsx"
    export_xlsx(book_in, out)
    sheet = openpyxl.load_workbook(out).active
    assert isinstance(sheet, Worksheet)
    values = [row[0] for row in _rows(sheet)]
    goal_titles = [v for v in values if isinstance(v, str) and v.startswith("绩效目标")]
    assert len(goal_titles) == len(form.goals or [])
    assert sheet.page_setup.orientation == "landscape" and str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
    assert sheet.sheet_properties.pageSetUpPr is not None and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    footer = sheet.oddFooter
    assert footer is not None
    assert "&P" in (footer.center.text or "") and "&N" in (footer.center.text or "")


def test_target_tables_print_portrait_and_amounts_keep_their_decimals(tmp_path: Path) -> None:
    workbook = load_sample("tianjin-zwfw-2025-targets.json")
    out = tmp_path / "t.xlsx"
    export_xlsx(workbook, out, forms=[0])
    sheet = openpyxl.load_workbook(out).active
    assert isinstance(sheet, Worksheet)
    assert sheet.page_setup.orientation == "portrait"
    budget = workbook.forms[0].budget
    assert budget is not None and budget.amount is not None
    amount = next(row for row in sheet.iter_rows() if row[1].value == "预算数")[2]
    assert _as_decimal(amount.value) == budget.amount
    places = -int(budget.amount.as_tuple().exponent)
    assert amount.number_format == ("0." + "0" * places if places > 0 else "General")


def test_sheet_names_are_distinct_and_legal() -> None:
    forms = [Form(title="a/b:c*d?[e]" + "长" * 40), Form(title=""), Form(title="a/b:c*d?[e]" + "长" * 40)]
    names = sheet_names(forms)
    assert len(set(names)) == 3
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)
    assert names[1] == "2." + FormKind.PROJECT_TARGET.label


def test_nothing_to_export_and_unwritable_places_give_messages(tmp_path: Path) -> None:
    workbook = load_sample("tianjin-zwfw-2025-targets.json")
    with pytest.raises(UserError, match="没有要导出的表"):
        export_xlsx(workbook, tmp_path / "none.xlsx", forms=[])
    with pytest.raises(UserError, match="Excel 文件未能保存"):
        export_xlsx(workbook, tmp_path / "no-such-folder" / "x.xlsx")
    assert not (tmp_path / "no-such-folder").exists()
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind


def test_a_failed_export_leaves_the_old_file_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    workbook = load_sample("tianjin-zwfw-2025-targets.json")
    out = tmp_path / "t.xlsx"
    export_xlsx(workbook, out, forms=[0])
    before = out.read_bytes()

    def full_disk(*_: object, **__: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("desktop.models.storage.atomic._fsync_file", full_disk)
    with pytest.raises(UserError, match="磁盘空间不足"):
        export_xlsx(workbook, out)
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["t.xlsx"]


def test_long_texts_make_rows_tall_enough(tmp_path: Path) -> None:
    workbook = load_sample("wuwei-zwfw-2022-selfeval.json")
    form = copy.deepcopy(workbook.forms[1])
    form.indicators = [Indicator("产出指标", "数量指标", "长说明", deviation="原因" * 300, weight=Decimal(3))]
    out = tmp_path / "long.xlsx"
    export_xlsx(Workbook(unit=workbook.unit, year=2022, forms=[form]), out)
    sheet = openpyxl.load_workbook(out).active
    assert isinstance(sheet, Worksheet)
    row = _find_row(sheet, 1, "长说明")
    height = sheet.row_dimensions[row].height
    assert height is not None and height > 100


def test_a_department_form_without_indicators_prints_no_empty_table(tmp_path: Path) -> None:
    workbook = load_sample("tangshan-xzsp-targets.json")
    assert not workbook.forms[0].indicators and workbook.forms[1].spending_plan
    out = tmp_path / "ts.xlsx"
    export_xlsx(workbook, out, forms=[0, 1])
    department, project = openpyxl.load_workbook(out).worksheets
    assert all(row[0] != "一级指标" for row in _rows(department))
    assert department.print_title_rows is None
    plan = next(row for row in project.iter_rows() if row[0].value == "资金支出计划（%）")
    assert all(cell.border.right.style == "thin" for cell in plan)  # ruled to the last column
