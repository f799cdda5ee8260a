"""Reading indicator tables from Excel: this program's own export round-trips, templates are understood,
hostile files are refused with a message."""

from __future__ import annotations

import datetime
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from desktop.models.errors import InvalidInputError
from desktop.models.formats import excel_import
from desktop.models.formats.excel_import import indicator_count, read_indicator_tables
from desktop.models.scoring.rules import load_ruleset
from desktop.models.workbook.domain import Form, FormKind, Workbook
from desktop.reports.printed import describe
from desktop.reports.template import load_template
from desktop.reports.xlsx import export_xlsx
from tests.helpers.fixtures import SAMPLE_FILES, load_sample

FIELDS = ("level1", "level2", "name", "description", "target", "basis", "actual", "weight", "deviation", "goal")


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda p: p.stem)
def test_an_exported_workbook_reads_back_indicator_for_indicator(sample: Path, tmp_path: Path) -> None:
    workbook = load_sample(sample.name)
    out = tmp_path / "out.xlsx"
    export_xlsx(workbook, out)
    tables = read_indicator_tables(out, load_ruleset(workbook.ruleset))
    source = [form for form in workbook.forms if form.indicators]
    assert [t.form.title for t in tables] == [form.title for form in source]
    for table, form in zip(tables, source, strict=True):
        assert table.form.kind is form.kind
        assert table.notes == []
        paper = [form.indicators[row.position] for row in describe(workbook, form, load_template()).rows]
        for got, want in zip(table.form.indicators, paper, strict=True):  # Excel prints in paper order
            assert [getattr(got, k) for k in FIELDS] == [getattr(want, k) for k in FIELDS]


def test_printed_scores_stay_manual_only_where_they_differ_from_the_rules(tmp_path: Path) -> None:
    workbook = load_sample("wuwei-zwfw-2022-selfeval.json")
    out = tmp_path / "wuwei.xlsx"
    export_xlsx(workbook, out, forms=[1])
    (table,) = read_indicator_tables(out, load_ruleset(workbook.ruleset))
    published = workbook.forms[1].indicators
    # Only 指标7: 群众来电咨询接听率 was filed at 3 where the rules give 3.48 (tests/models/test_scoring.py).
    kept = [(i.name, i.score) for i in table.form.indicators if i.score is not None]
    assert kept == [(published[12].name, Decimal(3))] and published[12].score == Decimal(3)
    # The rest equal the suggestion: they come back as suggestions, and follow later edits.
    without_rules = read_indicator_tables(out)[0]
    by_name = {i.name: i.score for i in published}
    assert [i.score for i in without_rules.form.indicators] == [by_name[i.name] for i in without_rules.form.indicators]
    assert len(without_rules.form.indicators) == len(published)


def _template(path: Path) -> None:
    """A provincial-style template: title, header with notes in brackets, blank level cells, a total row."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "自评表"
    sheet.append(["项目支出绩效自评表（2025年度）"])
    sheet.append(["填报单位： 某某县机关事务服务中心"])
    sheet.append(["项目名称", "办公楼维修改造"])
    sheet.append(["主管部门", "某某县机关事务管理局", None, "实施单位", "某某县机关事务服务中心"])
    sheet.append(["项目资金（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"])
    sheet.append([None, "年度资金总额", 120, 118.5, 110.25, 10, "93.04%", 9.3])
    sheet.append([None, "其中：当年财政拨款", 120, 118.5, 110.25, None, None, None])
    sheet.append(["年度总体目标", "预期目标", None, None, "实际完成情况"])
    sheet.append([None, "完成办公楼外墙及屋面维修", None, None, "已完成外墙维修，屋面防水延期"])
    sheet.append(
        ["一级指标", "二级指标", "三级指标", "年度指标值（A）", "实际完成值（B）", "分值", "得分", "偏差原因分析"]
    )
    sheet.append(["产出指标", "数量指标", "维修面积", "≥1200平方米", 1250, 20, 20, None])
    sheet.append([None, None, "验收合格率", "100%", 0.98, "二十", None, "个别返工"])
    sheet.append([None, "时效指标", "完工时间", "2025年10月底前", datetime.date(2025, 11, 15), 10, 8, "雨季延误"])
    sheet.append([None, "成本指标", None, None, None, None, None, None])  # a template row: no 三级指标
    sheet.append(["满意度指标", "服务对象满意度指标", "使用人员满意度", "≥90%", "93%", "１０", "10分", None])
    sheet.append(["合计", None, None, None, None, 100, 88])
    sheet.append(["说明", "无"])
    sheet.append(["单位负责人：", "张三", "填报人：", "李四", "联系电话：0000-1234567"])
    sheet["E12"].number_format = "0%"
    for cell in ("C6", "D6", "E6"):
        sheet[cell].number_format = "0.00"
    book.create_sheet("说明").append(["这张表没有指标"])
    book.save(path)


def test_a_template_from_elsewhere_is_understood(tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    _template(path)
    (table,) = read_indicator_tables(path, load_ruleset())
    form = table.form
    assert (form.kind, form.title, table.sheet) == (FormKind.PROJECT_SELF_EVAL, "办公楼维修改造", "自评表")
    rows = [(i.level1, i.level2, i.name, i.target, i.actual, i.weight) for i in form.indicators]
    assert rows == [
        ("产出指标", "数量指标", "维修面积", "≥1200平方米", "1250", Decimal(20)),
        ("产出指标", "数量指标", "验收合格率", "100%", "98%", None),
        ("产出指标", "时效指标", "完工时间", "2025年10月底前", "2025年11月15日", Decimal(10)),
        ("满意度指标", "服务对象满意度指标", "使用人员满意度", "≥90%", "93%", Decimal(10)),
    ]
    assert form.indicators[2].score == Decimal(8) and form.indicators[2].deviation == "雨季延误"
    assert table.notes == [
        "第 12 行“分值”：“二十”不是数字，未导入",
        "第 14 行“成本指标”没有三级指标（模板中的空行），未导入",
    ]
    assert table.ending == "指标读到第 15 行；第 16 行“合计”起是表尾（合计、结论、说明或签字）"
    assert table.money_note == "金额单位：万元（按表中“项目资金（万元）”）"
    assert indicator_count([table]) == 4
    assert (form.department, form.unit and form.unit.name) == ("某某县机关事务管理局", "某某县机关事务服务中心")
    funds = {f.line: (f.initial, f.full_year, f.executed) for f in form.funds or []}
    assert funds == {
        "total": (Decimal("120.00"), Decimal("118.50"), Decimal("110.25")),
        "fiscal": (Decimal(120), Decimal("118.5"), Decimal("110.25")),
    }
    assert form.exec_weight == Decimal(10) and form.exec_score is None  # the rules score execution again
    assert (form.overall_target, form.overall_actual) == ("完成办公楼外墙及屋面维修", "已完成外墙维修，屋面防水延期")
    assert form.notes is None  # 无 is the printed placeholder
    signoff = form.signoff
    assert signoff is not None and (signoff.head, signoff.preparer, signoff.phone) == ("张三", "李四", "0000-1234567")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "不是 Excel 工作簿"),
        (b"\x00\x01random bytes" * 50, "不是 Excel 工作簿"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500, "另存为 .xlsx"),  # an old .xls
    ],
)
def test_files_that_are_not_xlsx_are_refused(content: bytes, message: str, tmp_path: Path) -> None:
    path = tmp_path / ("old.xls" if "xlsx" in message else "bad.xlsx")
    path.write_bytes(content)
    with pytest.raises(InvalidInputError, match=message):
        read_indicator_tables(path)
    assert path.read_bytes() == content


def test_a_zip_that_is_not_a_workbook_or_unpacks_too_far_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain_zip = tmp_path / "notes.xlsx"
    with zipfile.ZipFile(plain_zip, "w") as package:
        package.writestr("readme.txt", "hello")
    with pytest.raises(InvalidInputError, match="不是 Excel 工作簿"):
        read_indicator_tables(plain_zip)
    real = tmp_path / "real.xlsx"
    export_xlsx(Workbook(forms=load_sample("tianjin-zwfw-2025-targets.json").forms[:1]), real)
    monkeypatch.setattr(excel_import, "MAX_UNPACKED_BYTES", 10_000)
    with pytest.raises(InvalidInputError, match="解压后过大"):
        read_indicator_tables(real)


def test_a_damaged_workbook_and_a_missing_file_give_messages(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(broken, "w") as package:
        package.writestr("[Content_Types].xml", "<Types")
        package.writestr("xl/workbook.xml", "not xml at all")
    with pytest.raises(InvalidInputError, match="文件已损坏"):
        read_indicator_tables(broken)
    with pytest.raises(InvalidInputError, match="找不到文件"):
        read_indicator_tables(tmp_path / "missing.xlsx")
    folder = tmp_path / "folder.xlsx"
    folder.mkdir()
    with pytest.raises(InvalidInputError, match="无法读取 folder.xlsx"):
        read_indicator_tables(folder)


def test_a_workbook_without_indicator_tables_gives_nothing(tmp_path: Path) -> None:
    path = tmp_path / "other.xlsx"
    book = openpyxl.Workbook()
    assert book.active is not None
    book.active.append(["年度", "金额"])
    book.save(path)
    assert read_indicator_tables(path) == []


def test_formulas_are_never_evaluated_only_their_saved_values_read(tmp_path: Path) -> None:
    path = tmp_path / "formula.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["一级指标", "二级指标", "三级指标", "指标值"])
    sheet.append(["产出指标", "数量指标", '=HYPERLINK("http://example.com","x")', "=1+1"])
    sheet.append(["产出指标", "质量指标", "合格率", "=1+1"])
    book.save(path)  # saved without computed values, as a program that does not calculate saves them
    (table,) = read_indicator_tables(path)
    # The formula row has no value to read (its text is never taken, nor evaluated): only 合格率 remains.
    assert [(i.name, i.target) for i in table.form.indicators] == [("合格率", None)]
    assert table.notes == [
        "第 2 行“数量指标”没有三级指标（模板中的空行），未导入",
        "C2、D2、D3 是公式，但文件里没有保存计算结果，按空白读取（在 Excel 或 WPS 中打开、保存一次后再导入即可读到）",
    ]


def _effective_unit(form: Form, workbook: Workbook) -> tuple[str, str]:
    unit = form.unit if form.unit is not None and (form.unit.code or form.unit.name) else workbook.unit
    return unit.code, unit.name


def _signoff(form: Form) -> tuple[str | None, ...]:
    s = form.signoff
    return (s.head, s.preparer, s.phone, s.date) if s is not None else (None,) * 4


def _budget(form: Form) -> tuple[Decimal | None, ...]:
    budget = form.budget
    return (budget.amount, budget.fiscal, budget.other) if budget is not None else (None, None, None)


def _funds(form: Form) -> dict[str, tuple[Decimal | None, ...]]:
    """The fund lines that hold a number (an exported sheet prints every line, blank or not)."""
    lines = {f.line: (f.initial, f.full_year, f.executed) for f in form.funds or []}
    return {line: values for line, values in lines.items() if any(v is not None for v in values)}


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda p: p.stem)
def test_an_exported_workbook_reads_back_its_blocks_too(sample: Path, tmp_path: Path) -> None:
    workbook = load_sample(sample.name)
    out = tmp_path / "out.xlsx"
    export_xlsx(workbook, out)
    tables = read_indicator_tables(out, load_ruleset(workbook.ruleset), home=workbook.unit)
    for table, form in zip(tables, [f for f in workbook.forms if f.indicators], strict=True):
        got = table.form
        for key in ("code", "department", "purpose", "overall_target", "deviation", "conclusion", "notes"):
            assert getattr(got, key) == getattr(form, key), key
        assert _effective_unit(got, workbook) == _effective_unit(form, workbook)
        assert _signoff(got) == _signoff(form)
        if form.kind.is_self_eval:
            assert got.overall_actual == form.overall_actual
            assert _funds(got) == _funds(form)
            assert got.exec_weight == form.exec_weight
        else:
            assert _budget(got) == _budget(form)
            plan = [(step.by, step.percent) for step in got.spending_plan or []]
            if form.spending_plan:
                assert plan == [(step.by, step.percent) for step in form.spending_plan]
            else:  # not printed: a new form's empty plan
                assert all(percent is None for _by, percent in plan)
        if form.kind is FormKind.DEPT_TARGET or (form.kind is FormKind.DEPT_SELF_EVAL and got.goals):
            assert [(g.no, g.target) for g in got.goals or []] == [(g.no, g.target) for g in form.goals or []]


def test_one_money_unit_holds_for_the_forms_below_it_and_one_cell_can_hold_several_labels(tmp_path: Path) -> None:
    path = tmp_path / "two.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["项目支出绩效自评表", None, None, None, "单位：元"])  # the title shares its row with the unit
    sheet.append(["项目名称", "甲项目"])
    sheet.append(["一级指标", "二级指标", "三级指标", "年初目标值", "实际完成值", "分值", "得分"])
    sheet.append([None, None, None, "（A）", "（B）"])  # notes under the titles belong to the header
    sheet.append(["产出指标", "数量指标", "次数", "1次", "1次", 90, 90])
    sheet.append(["总分：98"])
    sheet.append(["填报人：张三　联系电话：0571-1234　填报日期：2024年1月5日"])
    sheet.append([])
    sheet.append(["项目名称", "乙项目"])
    sheet.append(["项目资金", "全年预算数", "全年执行数"])
    sheet.append(["年度资金总额", 5000, 4000])
    sheet.append(["一级指标", "二级指标", "三级指标", "年初目标值", "实际完成值", "分值", "得分"])
    sheet.append(["产出指标", "数量指标", "次数", "2次", "2次", 90, 90])
    book.save(path)
    first, second = read_indicator_tables(path)
    assert (first.form.kind, first.form.title, first.form.printed_total) == (
        FormKind.PROJECT_SELF_EVAL,
        "甲项目",
        Decimal(98),
    )
    assert first.notes == []  # the (A) / (B) row is not an indicator row left out
    signoff = first.form.signoff
    assert signoff is not None and (signoff.preparer, signoff.phone, signoff.date) == (
        "张三",
        "0571-1234",
        "2024年1月5日",
    )
    assert (second.form.title, second.form.money_unit) == ("乙项目", "元")
    assert second.money_note == "金额单位：元（按本工作表前一张表注明的单位）"
    total = second.form.fund("total")
    assert total is not None and (total.full_year, total.executed) == (Decimal(5000), Decimal(4000))


def test_a_year_line_or_heading_under_the_title_is_not_the_unit(tmp_path: Path) -> None:
    path = tmp_path / "year.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["整体支出绩效自评表"])
    sheet.append(["（2024年度）"])
    sheet.append(["一、部门基本情况"])
    sheet.append(["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"])
    sheet.append(["产出指标", "数量指标", "次数", "1次", "1次", 90, 90])
    book.save(path)
    (table,) = read_indicator_tables(path)
    assert table.form.kind is FormKind.DEPT_SELF_EVAL and table.form.unit is None
    assert table.year == 2024


def test_an_indicator_named_like_a_label_stays_an_indicator(tmp_path: Path) -> None:
    path = tmp_path / "names.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["一级指标", "二级指标", "三级指标", "指标值"])
    sheet.append(["满意度指标", "服务对象满意度指标", "群众满意度", "≥90%"])
    sheet.append([None, None, "联系电话接通率"])  # alone in the 三级 column, 一级 / 二级 merged from above
    sheet.append([None, None, "目标1完成率"])
    sheet.append([None, None, "绩效自评表报送及时率"])
    sheet.merge_cells("A2:A5")
    sheet.merge_cells("B2:B5")
    sheet.append(["联系电话：0571-1234"])  # the same words as a label of its own: the table ends
    book.save(path)
    (table,) = read_indicator_tables(path)
    assert [i.name for i in table.form.indicators] == [
        "群众满意度",
        "联系电话接通率",
        "目标1完成率",
        "绩效自评表报送及时率",
    ]
    assert table.form.goals is None
    assert table.ending.endswith("第 6 行“联系电话：0571-1234”起是表尾（合计、结论、说明或签字）")


def test_subtotal_notes_and_sign_off_lines_are_never_indicators(tmp_path: Path) -> None:
    path = tmp_path / "tail.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["绩效目标", "一级指标", "二级指标", "三级指标", "指标值"])
    sheet.append(["目标一：完成培训", "产出指标", "数量指标", "培训人次", "≥100人次"])
    sheet.append([None, "产出指标小计", None, None, None])
    sheet.append(["目标二：提升能力", "效益指标", "社会效益指标", "参训满意度", "≥90%"])
    sheet.append(["注1：目标值按年度计划填写。"])
    sheet.append(["制表人：", "张三", "审核人：", "李四", "日期：2024年1月5日"])
    book.save(path)
    (table,) = read_indicator_tables(path)
    assert [(i.name, i.goal) for i in table.form.indicators] == [("培训人次", 1), ("参训满意度", 2)]
    assert [(g.no, g.target) for g in table.form.goals or []] == [(1, "完成培训"), (2, "提升能力")]
    assert table.notes == ["第 3 行“产出指标小计”是小计行，未导入"]
    assert "第 5 行“注1：目标值按年度计划填写。”起是表尾" in table.ending


def test_titles_under_titles_join_the_header_even_with_some_unknown(tmp_path: Path) -> None:
    """河北 成安 (form-layouts 3f): 预期指标值 over 符号 | 单位, 自评得分 over three columns."""
    path = tmp_path / "chengan.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["一级指标", "二级指标", "三级指标", "指标分值", "预期指标值", None, "单项指标实际完成值"])
    sheet.append([None, None, None, None, "符号", "单位（文字描述）", None, "单项指标得分", "权重占比（%）"])
    for column in "ABCDG":
        sheet.merge_cells(f"{column}1:{column}2")
    sheet.merge_cells("E1:F1")
    sheet["H1"] = "自评得分"
    sheet.merge_cells("H1:I1")
    sheet.append(["产出指标", "数量指标", "培训人次", 20, "≥100", "人次", "120人次", 20, "20%"])
    book.save(path)
    (table,) = read_indicator_tables(path)
    (got,) = table.form.indicators
    assert (got.name, got.target, got.actual, got.weight, got.score) == (
        "培训人次",
        "≥100人次",
        "120人次",
        Decimal(20),
        Decimal(20),
    )
    assert table.notes == ["I 列“权重占比”不是可识别的列，未导入"]
