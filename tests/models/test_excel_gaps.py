"""The Excel import on three template habits: sign-off lines in any wording and place (四川 项目负责人 / 财务负责人),
「其中：…」 rows under an indicator or a fund line (安徽 萧县), and a 长期 and a 年度 indicator table of one project
(陕西 佳县 1a): what each becomes, and what the report says about it."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from desktop.models.formats.excel_import import read_excel, workbook_of
from desktop.models.workbook.domain import FormKind
from tests.helpers.excel_corpus import CASES


@pytest.fixture
def built(tmp_path: Path) -> Callable[[str], Path]:
    def build(name: str) -> Path:
        path = tmp_path / f"{name}.xlsx"
        next(case for case in CASES if case.name == name).build(path)
        return path

    return build


def _sheet(tmp_path: Path, rows: list[list[Any]], merges: tuple[str, ...] = ()) -> Path:
    path = tmp_path / "form.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    for cells in merges:
        sheet.merge_cells(cells)
    book.save(path)
    return path


_HEAD = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]
_ROW = ["产出指标", "数量指标", "培训人次", "≥100人次", "120人次", 50, 50]


# -- 1. sign-off lines ----------------------------------------------------------------------------


def test_sichuan_footer_in_one_cell_fills_the_signoff_and_reports_what_has_no_field(
    built: Callable[[str], Path],
) -> None:
    found = read_excel(built("sichuan-daying-signoff"))
    (table,) = found.tables
    signoff = table.form.signoff
    assert signoff is not None
    assert (signoff.head, signoff.preparer, signoff.phone, signoff.date) == (
        "赵一",
        "孙三",
        "0825-2212345",
        "2024年3月10日",
    )
    assert table.signoff_note == (
        "签字栏：单位负责人“赵一”（按项目负责人）、填报人“孙三”、联系电话“0825-2212345”、填报日期“2024年3月10日”；"
        "未导入：财务负责人“钱二”（没有对应的栏目）"
    )  # 审核人：（签字） is a blank line to sign on: nothing to keep or report
    assert f"    · {table.signoff_note}" in found.report()


def test_sign_off_labels_above_the_table_beside_or_under_their_values(tmp_path: Path) -> None:
    path = _sheet(
        tmp_path,
        [
            ["项目支出绩效自评表"],
            ["项目名称", "培训项目", "项目负责人及电话", "王五 0557-1234567"],
            ["填报人", "联系电话", "填报日期"],
            ["李四", "0557-7654321", "2024年1月5日"],
            _HEAD,
            _ROW,
            ["合计", None, None, None, None, 50, 50],
        ],
    )
    (table,) = read_excel(path).tables
    signoff = table.form.signoff
    assert signoff is not None
    # The phone printed under its own label wins over the one run into 项目负责人及电话.
    assert (signoff.head, signoff.preparer, signoff.phone) == ("王五", "李四", "0557-7654321")
    assert signoff.date == "2024年1月5日"
    assert table.signoff_note == (
        "签字栏：单位负责人“王五”（按项目负责人及电话）、填报人“李四”、联系电话“0557-7654321”、填报日期“2024年1月5日”；"
        "未导入：项目负责人及电话“0557-1234567”（已按联系电话填写联系电话）"
    )


def test_the_unit_head_wins_over_the_project_head_and_the_loser_is_reported(tmp_path: Path) -> None:
    path = _sheet(
        tmp_path,
        [
            ["项目名称", "培训项目", "项目负责人", "刘一"],
            _HEAD,
            _ROW,
            ["合计", None, None, None, None, 50, 50],
            ["单位负责人：吴九", None, "审核人：", "赵二"],
        ],
    )
    (table,) = read_excel(path).tables
    assert table.form.signoff is not None and table.form.signoff.head == "吴九"
    assert table.signoff_note == (
        "签字栏：单位负责人“吴九”；未导入：项目负责人“刘一”（已按单位负责人填写单位负责人）、审核人“赵二”（没有对应的栏目）"
    )


def test_an_indicator_named_like_a_sign_off_label_is_not_read_as_one(tmp_path: Path) -> None:
    path = _sheet(
        tmp_path,
        [
            _HEAD,
            ["满意度指标", "服务对象满意度指标", "联系电话", "畅通", "畅通", 10, 10],
            ["总分", None, None, None, None, 10, 10],
        ],
    )
    (table,) = read_excel(path).tables
    assert [i.name for i in table.form.indicators] == ["联系电话"]
    assert table.form.signoff is None or table.form.signoff.phone is None
    assert table.signoff_note == ""


# -- 2. 其中 rows ---------------------------------------------------------------------------------


def test_breakdown_rows_join_their_indicator_and_fund_lines_go_on_past_them(built: Callable[[str], Path]) -> None:
    (table,) = read_excel(built("anhui-xiaoxian-breakdown")).tables
    form = table.form
    first = form.indicators[0]
    assert first.name == "指标1: 保安保洁人员（其中：省级资金 ≥60万元，完成 60万元；市级资金 ≥40万元，完成 41万元）"
    assert (first.target, first.actual, first.weight) == ("11人", "11人", Decimal(3))  # the scored value is untouched
    assert len(form.indicators) == 8
    joined = "是上一行指标“指标1: 保安保洁人员”的细分（没有分值和得分），已并入该指标的名称，未单独作为指标"
    assert table.notes[:2] == [f"第 15 行“其中：省级资金”{joined}", f"第 16 行“市级资金”{joined}"]
    funds = {f.line: (f.full_year, f.executed) for f in form.funds or []}
    assert funds == {
        "total": (Decimal(100), Decimal(98)),
        "fiscal": (Decimal(90), Decimal(88)),
        "other": (Decimal(10), Decimal(10)),
    }
    assert "资金表第 8 行“其中：省级资金”是上一行资金的细分，本程序的资金表没有这一行，未导入" in table.notes
    assert "资金表第 9 行“其中：县级资金”是上一行资金的细分，本程序的资金表没有这一行，未导入" in table.notes


def test_a_breakdown_row_with_its_own_weight_stays_an_indicator_and_target_forms_join_too(tmp_path: Path) -> None:
    path = _sheet(
        tmp_path,
        [
            _HEAD,
            _ROW,
            [None, None, "其中：线上培训人次", "≥40人次", "45人次", 10, 10],
            [None, None, "县级资金", "≥40人次", "45人次", None, None],  # no 其中 row right above: an indicator
            ["合计", None, None, None, None, 60, 60],
        ],
    )
    (table,) = read_excel(path).tables
    assert [i.name for i in table.form.indicators] == ["培训人次", "其中：线上培训人次", "县级资金"]
    target = _sheet(
        tmp_path,
        [
            ["一级指标", "二级指标", "三级指标", "指标值"],
            ["产出指标", "数量指标", "补助资金发放", "≥100万元"],
            [None, None, "其中：中央资金", "≥60万元"],
            [None, None, "发放人数", "≥500人"],
        ],
    )
    (table,) = read_excel(target).tables
    assert [i.name for i in table.form.indicators] == ["补助资金发放（其中：中央资金 ≥60万元）", "发放人数"]
    assert table.form.indicators[0].target == "≥100万元"
    assert any("“其中：中央资金”是上一行指标“补助资金发放”的细分" in note for note in table.notes)


# -- 3. 长期 and 年度 tables ------------------------------------------------------------------------


def test_long_term_and_annual_tables_become_two_forms_sharing_the_header(built: Callable[[str], Path]) -> None:
    found = read_excel(built("shaanxi-jiaxian-two-periods"))
    long_term, annual = found.tables
    assert (long_term.form.kind, annual.form.kind) == (FormKind.PROJECT_TARGET, FormKind.PROJECT_TARGET)
    assert long_term.form.title == "2025年天津夏季达沃斯论坛项目（长期绩效目标）"
    assert annual.form.title == "2025年天津夏季达沃斯论坛项目"
    assert long_term.form.overall_target == "2021—2025年连续举办论坛，打造城市国际交流品牌。"
    assert annual.form.overall_target is not None and annual.form.overall_target.startswith("1.通过举办夏季达沃斯论坛")
    assert [i.name for i in long_term.form.indicators] == [
        "论坛累计举办届数",
        "论坛议题落实率",
        "城市国际影响力",
        "参会嘉宾满意度",
    ]
    assert len(annual.form.indicators) == 9
    for table in found.tables:  # the header block above both tables belongs to both
        assert table.form.budget is not None and table.form.budget.amount == Decimal(470)
        assert table.form.department == "佳县文化和旅游局"
    assert (
        "这是“长期绩效指标”表（项目整个实施期的目标，不是本年度的），单独成为一张目标表，标题加“（长期绩效目标）”"
        in (long_term.notes)
    )
    assert "这是“年度绩效指标”表；同一项目的长期绩效指标另成一张表" in annual.notes
    assert annual.form.signoff is not None and annual.form.signoff.head == "吴九"
    assert workbook_of(found).year == 2021


def test_a_long_term_goal_beside_a_single_annual_table_is_reported(tmp_path: Path) -> None:
    path = _sheet(
        tmp_path,
        [
            ["项目绩效目标表"],
            ["项目名称", "培训项目"],
            ["项目绩效目标", "长期目标", "年度目标"],
            [None, "三年内培训全部干部", "培训100人次"],
            ["一级指标", "二级指标", "三级指标", "指标值"],
            ["产出指标", "数量指标", "培训人次", "≥100人次"],
        ],
        merges=("A3:A4",),
    )
    (table,) = read_excel(path).tables
    assert table.form.overall_target == "培训100人次"
    assert "长期目标“三年内培训全部干部”：本表只有年度指标，没有存放长期目标的栏目，未导入" in table.notes


def test_a_table_continued_on_a_new_page_under_its_title_printed_again_stays_one_form(tmp_path: Path) -> None:
    path = _sheet(
        tmp_path,
        [
            ["培训项目绩效目标表"],
            ["项目名称", "培训项目"],
            ["一级指标", "二级指标", "三级指标", "指标值"],
            ["产出指标", "数量指标", "培训人次", "≥100人次"],
            ["培训项目绩效目标表"],
            ["一级指标", "二级指标", "三级指标", "指标值"],
            ["满意度指标", "服务对象满意度指标", "学员满意度", "≥90%"],
        ],
    )
    (table,) = read_excel(path).tables
    assert [i.name for i in table.form.indicators] == ["培训人次", "学员满意度"]
    assert "第 6 行是重复的表头，未导入" in table.notes


def test_a_lone_sign_off_label_never_takes_the_column_title_under_it(tmp_path: Path) -> None:
    path = _sheet(tmp_path, [["项目名称", "培训项目", None, "联系电话"], _HEAD, _ROW])
    (table,) = read_excel(path).tables
    assert table.form.signoff is None or table.form.signoff.phone is None
    assert table.signoff_note == ""


# -- 4. the operator in a column of its own, in any of its wordings ---------------------------------


@pytest.mark.parametrize(
    ("titles", "cells", "targets"),
    [
        # 四川: 指标方向性 says 正向 / 反向; the value and the unit stand apart.
        (
            ["指标方向性", "指标值", "度量单位"],
            [["正向指标", "100", "人次"], ["反向指标", "5", "%"]],
            ["≥100人次", "≤5%"],
        ),
        # 云南 with 四川's column beside it: 指标性质 holds 定量, so the direction gives the operator.
        (
            ["指标性质", "指标方向性", "指标值", "度量单位"],
            [["定量", "正向", "100", "人次"], ["定性", "正向", "有效提升", None]],
            ["≥100人次", "有效提升"],
        ),
        # 江西: 计算符号 | 目标值 | 度量单位.
        (["计算符号", "目标值", "度量单位"], [["=", "100", "%"], ["≤", "3", "天"]], ["=100%", "≤3天"]),
    ],
)
def test_an_operator_printed_in_its_own_column_joins_the_target(
    tmp_path: Path, titles: list[str], cells: list[list[Any]], targets: list[str]
) -> None:
    head = ["一级指标", "二级指标", "三级指标", *titles, "分值"]
    names = ["培训人次", "资料差错率"]
    rows = [["产出指标", "数量指标", name, *row, 10] for name, row in zip(names, cells, strict=True)]
    found = read_excel(_sheet(tmp_path, [["项目支出绩效目标表"], head, *rows]))
    (table,) = found.tables
    assert [indicator.target for indicator in table.form.indicators] == targets
