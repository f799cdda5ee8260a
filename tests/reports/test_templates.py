"""Print templates (loading, validation, what they change on paper), Chinese line breaking and
the one number formatter shared by screen, PDF and Excel."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.models.errors import UserError
from desktop.models.scoring.engine import FormScore, IndicatorScore
from desktop.models.workbook import numbers
from desktop.models.workbook.domain import Form, FormKind, Goal, Indicator, Unit, Workbook
from desktop.reports.fonts import register_font
from desktop.reports.linebreak import NO_LINE_END, NO_LINE_START, wrap_lines
from desktop.reports.pdf import export_pdf
from desktop.reports.printed import UNSCORED, describe
from desktop.reports.template import PRINT_KINDS, TEMPLATE_DIR, available_templates, fill_pattern, load_template
from tests.reports.helpers import page_texts

SHIPPED = ("central", "tianjin", "gansu-wuwei", "hebei-tangshan", "hubei", "sichuan")


def test_every_shipped_template_loads_with_every_print_kind() -> None:
    names = [t.name for t in available_templates()]
    assert names[0] == "central"
    assert set(SHIPPED) <= set(names)
    for template in available_templates():
        for kind in PRINT_KINDS:
            layout = template.layout(kind)
            assert layout.columns[layout.label_count - 1].field == "level2"
            assert "indicators" in layout.blocks or kind == "dept_target"


def _write(folder: Path, name: str, data: dict[str, Any]) -> None:
    (folder / f"{name}.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"decimals": {"money": None, "rate": 9, "score": 2}}, "decimals.rate"),
        ({"forms": {"project_target": {"blocks": ["header", "indicators", "hologram"]}}}, "hologram"),
        ({"forms": {"project_target": {"title": "{title}{colour}"}}}, "{colour}"),
        ({"forms": {"project_target": {"columns": [{"field": "name", "head": "三级指标"}]}}}, "level1"),
        ({"forms": {"project_target": {"level1_weights": True}}}, "只适用于自评表"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_a_broken_template_is_one_chinese_message_naming_the_key(
    tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    _write(tmp_path, "central", json.loads((TEMPLATE_DIR / "central.json").read_text(encoding="utf-8")))
    _write(tmp_path, "broken", {"extends": "central", "name": "broken", **change})
    with pytest.raises(UserError, match="打印模板“broken”有误") as caught:
        load_template("broken", tmp_path)
    assert message in caught.value.message
    assert [t.name for t in available_templates(tmp_path)] == ["central"]  # the broken one is skipped


def test_unknown_template_names_the_ones_there_are() -> None:
    with pytest.raises(UserError, match="没有名为“mars”的打印模板.*central"):
        load_template("mars")


def test_optional_parts_of_a_title_vanish_when_empty() -> None:
    assert fill_pattern("{title}[（{year}年度）]", {"title": "表", "year": ""}) == "表"
    assert (
        fill_pattern("{seq}.{title}[（{year}年度）]", {"title": "表", "year": "2025", "seq": "3"}) == "3.表（2025年度）"
    )


def test_numbers_read_the_same_everywhere() -> None:
    assert numbers.rate(Decimal("25182.59") / Decimal("25802.8")) == "97.6%"
    assert numbers.rate(Decimal("0.976"), 1) == "97.6%" and numbers.rate(Decimal(1)) == "100%"
    assert numbers.score(Decimal("9.80")) == "9.8" and numbers.score(Decimal("9.75"), 1) == "9.8"
    assert numbers.money(Decimal("114.00")) == "114.00" and numbers.money(Decimal("114"), 2) == "114.00"
    assert numbers.score(None) == numbers.rate(None) == numbers.money(None) == ""


@settings(max_examples=60, deadline=None)
@given(
    st.text(alphabet="预算绩效目标完成“一网通办”（试点），。：；、？！《规范》≥95%2025ab ", max_size=300),
    st.integers(60, 300),
)
def test_no_line_starts_with_closing_or_ends_with_opening_punctuation(text: str, width: int) -> None:
    font = register_font()
    lines = wrap_lines(text, font, 9, width)
    assert "".join(lines) == text
    for n, line in enumerate(lines):
        if n and len(lines[n - 1]) > 3:  # a run of marks longer than a line cannot be placed
            assert line[:1] not in NO_LINE_START, lines
        if n < len(lines) - 1 and line:
            assert line[-1] not in NO_LINE_END or len(line) == 1, lines


def _self_eval(indicators: list[Indicator]) -> Form:
    return Form(kind=FormKind.PROJECT_SELF_EVAL, title="测试项目", exec_weight=Decimal(10), indicators=indicators)


def _score(form: Form, scores: list[Decimal | None], total: Decimal | None) -> FormScore:
    rows = tuple(IndicatorScore(None, s, False, (), "") for s in scores)
    return FormScore(Decimal("0.976"), Decimal(10), None, Decimal("9.76"), rows, (), total, "优")


def test_paper_groups_rows_by_level1_then_level2_in_standard_order() -> None:
    form = _self_eval(
        [
            Indicator("满意度指标", "服务对象满意度指标", "满意度", weight=Decimal(10)),
            Indicator("产出指标", "质量指标", "合格率", weight=Decimal(10)),
            Indicator("效益指标", "社会效益指标", "知晓率", weight=Decimal(30)),
            Indicator("产出指标", "数量指标", "台数", weight=Decimal(20)),
            Indicator("产出指标", "质量指标", "验收率", weight=Decimal(20)),
        ]
    )
    printed = describe(Workbook(), form, load_template())
    assert [row.cells[0] for row in printed.rows] == ["台数", "合格率", "验收率", "知晓率", "满意度"]


def test_unscored_rows_and_an_incomplete_total_print_as_pending() -> None:
    form = _self_eval([Indicator("产出指标", "数量指标", f"指标{n}", weight=Decimal(45)) for n in range(2)])
    printed = describe(Workbook(), form, load_template(), _score(form, [Decimal(45), None], Decimal(54.76)))
    score_at = printed.layout.column("score")
    assert score_at is not None
    assert [row.cells[score_at - 2] for row in printed.rows] == ["45", UNSCORED]
    assert printed.total is not None and printed.total[1] == UNSCORED and printed.total[2] == ""
    complete = describe(Workbook(), form, load_template(), _score(form, [Decimal(45), Decimal(40)], Decimal("94.76")))
    assert complete.total == ("100", "94.76", "自评等级：优")


def test_templates_change_title_decimals_weights_empty_rows_footnotes_and_signoff(tmp_path: Path) -> None:
    form = _self_eval([Indicator("产出指标", "数量指标", "台数", target="20台", actual="20台", weight=Decimal(90))])
    form.goals = [Goal(1, "目标", "完成")]
    workbook = Workbook(unit=Unit("319101", "测试单位"), year=2024, forms=[form])
    score = _score(form, [Decimal(90)], Decimal("99.76"))
    tianjin = describe(workbook, form, load_template("tianjin"), score)
    assert tianjin.fmt.rate(score.exec_rate) == "97.6%" and tianjin.fmt.score(Decimal("9.76")) == "9.8"
    assert tianjin.signoff == ()
    hebei = describe(workbook, form, load_template("hebei-tangshan"), score)
    assert hebei.rows[0].labels[0] == "产出指标(90分)"
    assert [row.labels[1] for row in hebei.rows][:4] == ["数量指标", "质量指标", "时效指标", "成本指标"]
    assert "满意度指标" in {row.labels[0] for row in hebei.rows}  # empty standard rows print too
    wuwei = describe(workbook, form, load_template("gansu-wuwei"), score)
    assert wuwei.title == "2024年测试单位预算项目支出绩效自评表"
    assert wuwei.footnotes[0].startswith("注：1.") and len(wuwei.footnotes) == 3
    workbook.template = "gansu-wuwei"
    text = "".join(page_texts(export_pdf(workbook, tmp_path / "w.pdf", scores=lambda f: score).path))
    assert "3.本表资金使用单位" in text and "单位负责人" not in text


def test_tianjin_department_form_has_year_line_and_goal_column(tmp_path: Path) -> None:
    indicators = [
        Indicator("产出指标", "数量指标", f"指标{n}", target="1次", actual="1次", weight=Decimal(45), goal=1 + n % 2)
        for n in range(4)
    ]
    form = Form(kind=FormKind.DEPT_SELF_EVAL, title="", goals=[Goal(1, "甲"), Goal(2, "乙")], indicators=indicators)
    workbook = Workbook(unit=Unit("1", "天津市某局"), year=2024, forms=[form], template="tianjin")
    printed = describe(workbook, form, load_template("tianjin"))
    assert (printed.title, printed.subtitle) == ("整体支出绩效自评表", "（2024年度）")
    assert [row.labels[:2] for row in printed.rows] == [("年度指标完成情况", "绩效目标1")] * 2 + [
        ("年度指标完成情况", "绩效目标2")
    ] * 2
    texts = page_texts(export_pdf(workbook, tmp_path / "t.pdf").path)
    assert "整体支出绩效自评表（2024年度）" in texts[0] and "绩效目标2" in texts[0]


@pytest.mark.parametrize("name", SHIPPED)
def test_excel_draws_the_same_description_under_every_template(name: str, tmp_path: Path) -> None:
    import openpyxl

    from desktop.reports.xlsx import export_xlsx
    from tests.helpers.fixtures import load_sample
    from tests.reports.helpers import layout_b_form

    wuwei = load_sample("wuwei-zwfw-2022-selfeval.json")
    wuwei.forms.append(layout_b_form(wuwei))
    wuwei.template = name
    template = load_template(name)
    out = tmp_path / "w.xlsx"
    export_xlsx(wuwei, out)
    book = openpyxl.load_workbook(out)
    for form, sheet in zip(wuwei.forms, book.worksheets, strict=True):
        printed = describe(wuwei, form, template)
        values = [[c.value for c in row] for row in sheet.iter_rows()]
        assert values[0][0] == printed.title
        heads = printed.heads
        assert any(row[: len(heads)] == heads for row in values), f"{name}: {heads}"
        for line in printed.footnotes:
            assert any(row[0] == line for row in values)


def test_a_layout_a_department_table_keeps_its_own_first_level_order() -> None:
    form = Form(
        kind=FormKind.DEPT_SELF_EVAL,
        indicators=[
            Indicator("服务对象满意度", "服务对象满意度", "满意度", weight=Decimal(10)),
            Indicator("能力建设", "长效管理", "制度", weight=Decimal(10)),
            Indicator("部门管理", "资金投入", "执行率", weight=Decimal(20)),
            Indicator("履职效果", "部门履职目标", "办件量", weight=Decimal(50)),
        ],
    )
    printed = describe(Workbook(), form, load_template())
    assert [row.labels[0] for row in printed.rows] == ["部门管理", "履职效果", "能力建设", "服务对象满意度"]
