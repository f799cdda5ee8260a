"""Recall of the Excel import on workbooks laid out like units' real templates (tests/helpers/excel_corpus.py):
at least 95% of the printed fields read right, and no row that is not an indicator taken for one."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from desktop.models.formats.excel_import import read_excel
from desktop.models.workbook.domain import Form
from tests.helpers.excel_corpus import CASES, Case, Score, measure


def _read(path: Path) -> list[tuple[str, Form]]:
    return [(t.sheet, t.form) for t in read_excel(path).tables]


def test_the_corpus_covers_twelve_workbooks_of_six_regions() -> None:
    assert len(CASES) >= 12
    assert len({case.region for case in CASES}) >= 6


def test_printed_fields_are_read_and_no_other_row_becomes_an_indicator(tmp_path: Path) -> None:
    total = Score()
    for case in CASES:
        path = tmp_path / f"{case.name}.xlsx"
        case.build(path)
        total.add(measure(case, _read(path)))
    assert total.fields > 1000
    assert total.recall >= 0.95, "\n".join(total.missed)
    assert total.false_indicators == 0, "\n".join(total.missed)


def _case(name: str) -> Case:
    return next(case for case in CASES if case.name == name)


@pytest.fixture
def built(tmp_path: Path) -> Callable[[str], Path]:
    def build(name: str) -> Path:
        path = tmp_path / f"{name}.xlsx"
        _case(name).build(path)
        return path

    return build


def test_the_report_says_what_became_of_each_sheet_and_row(built: Callable[[str], Path]) -> None:
    found = read_excel(built("gansu-wuwei-dept-selfeval"))
    assert found.sheets == [("填报说明", "是填报说明，未导入")]
    lines = found.report()
    assert lines[0].startswith(
        "工作表“整体自评”第 1–38 行 → 部门（单位）整体支出绩效自评表“武威市政府政务服务中心”，26 个指标"
    )
    assert any("“合计”起是表尾" in line for line in lines)


def test_money_in_yuan_is_kept_with_its_unit(built: Callable[[str], Path]) -> None:
    (table,) = read_excel(built("yunnan-yongde")).tables
    total = table.form.fund("total")
    assert table.form.money_unit == "元" and total is not None and total.full_year == 500000
    assert table.money_note == "金额单位：元（按表中“项目资金（元）”）"
    assert any("生态效益指标" in note and "没有三级指标" in note for note in table.notes)


def test_formulas_without_values_and_unknown_columns_are_reported(built: Callable[[str], Path]) -> None:
    (table,) = read_excel(built("anhui-xiaoxian-county")).tables
    assert any(note.startswith("F6、F7 是公式") for note in table.notes), table.notes
    (jinan,) = read_excel(built("shandong-jinan")).tables
    assert jinan.notes == []  # 复核分 and 得分计算方法 are known columns that are not kept
    (ningxiang,) = read_excel(built("hunan-ningxiang-no-level3")).tables
    assert ningxiang.money_note == "表中未注明金额单位，按万元读取"


def test_stacked_tables_become_one_form_each(built: Callable[[str], Path]) -> None:
    tables = read_excel(built("tianjin-targets-stacked")).tables
    assert [t.form.title for t in tables] == [w.title for w in _case("tianjin-targets-stacked").expected]
    assert all(t.form.unit is not None and t.form.unit.code == "319101" for t in tables)


def test_tail_rows_fill_their_fields(built: Callable[[str], Path]) -> None:
    (jinan,) = read_excel(built("shandong-jinan")).tables
    signoff = jinan.form.signoff
    assert signoff is not None and (signoff.preparer, signoff.date) == ("钱七", "2020年3月5日")  # two cells away
    (qingshen,) = read_excel(built("sichuan-qingshen")).tables
    assert (qingshen.form.code, qingshen.form.conclusion) == ("51000021R000000019951", "项目完成较好")
    (huangshi,) = read_excel(built("hubei-huangshi")).tables
    assert huangshi.form.deviation == "无" and [g.no for g in huangshi.form.goals or []] == [1, 2]
    assert huangshi.form.exec_weight == Decimal(20)  # 预算执行情况（万元）（20分）: no 分值 column prints it
