"""The summary bar: what it shows for self-evaluations and target forms, and that it follows edits."""

from __future__ import annotations

from decimal import Decimal

import pytest

from desktop.models.scoring.engine import ScoringEngine
from desktop.models.scoring.rules import load_ruleset
from desktop.models.workbook.document import WorkbookDocument
from desktop.models.workbook.domain import Band, Form, FormKind, FundLine, Indicator, Workbook
from desktop.views.summary import SummaryBar, summary_items

pytestmark = pytest.mark.usefixtures("qapp_setup")


def scored_form() -> Form:
    return Form(
        kind=FormKind.PROJECT_SELF_EVAL,
        title="项目",
        exec_weight=Decimal(10),
        funds=[FundLine("total", Decimal(200), Decimal(200), Decimal(180))],
        indicators=[
            Indicator("产出指标", "数量指标", "次数", target="≥10次", actual="10次", weight=Decimal(40)),
            Indicator("效益指标", "社会效益指标", "覆盖率", target="≥90%", actual="90%", weight=Decimal(30)),
            Indicator("满意度指标", "服务对象满意度指标", "满意度", target="≥90%", actual="95%", weight=Decimal(10)),
        ],
    )


def make_bar(form: Form) -> tuple[SummaryBar, WorkbookDocument]:
    document = WorkbookDocument(Workbook(forms=[form]))
    engine = ScoringEngine(load_ruleset())
    engine.attach(document)
    bar = SummaryBar(document, engine)
    bar.set_form(form)
    return bar, document


def test_shows_execution_subtotals_total_and_grade() -> None:
    form = scored_form()
    bar, _ = make_bar(form)
    assert [(i.caption, i.value) for i in bar.items()] == [
        ("预算执行率得分", "9/10"),
        ("产出指标", "40/40"),
        ("效益指标", "30/30"),
        ("满意度指标", "10/10"),
        ("总分", "89"),
        ("等级", "良"),
    ]
    produce = next(i for i in bar.items() if i.key == "level:产出指标")
    assert produce.warn and "规则分值 50" in produce.tooltip  # 40 where the rule set says 50
    assert "执行率" in next(i for i in bar.items() if i.key == "exec").tooltip
    assert bar.text().startswith("自评得分：  预算执行率得分 9/10")


def test_follows_edits_and_forgets_a_removed_form() -> None:
    form = scored_form()
    bar, document = make_bar(form)
    document.set_fields(form.indicators[0], weight=Decimal(50))
    assert bar.value("level:产出指标") == "50/50" and bar.value("total") == "99" and bar.value("grade") == "优"
    document.set_fields(form.funds[0], executed=Decimal(100))  # type: ignore[index]
    assert bar.value("exec") == "5/10" and bar.value("total") == "95"
    document.remove_items(document.workbook, "forms", 0)
    bar.refresh()
    assert bar.items() == [] and bar.form is None


def test_target_forms_are_not_scored() -> None:
    form = Form(kind=FormKind.PROJECT_TARGET, title="目标", indicators=[Indicator("产出指标", "数量指标", "x")])
    bar, _ = make_bar(form)
    assert [(i.caption, i.value) for i in bar.items()] == [("绩效指标", "1 项")]
    assert summary_items(None, None) == []


def test_an_unscored_qualitative_row_makes_the_total_pending_until_a_band_is_chosen(qtbot: object) -> None:
    form = scored_form()
    form.indicators.append(
        Indicator("满意度指标", "服务对象满意度指标", "口碑", target="提升", actual="有所改善", weight=Decimal(10))
    )
    bar, document = make_bar(form)
    values = {i.key: i.value for i in bar.items()}
    assert (values["total"], values["grade"]) == ("待评（1项未评）", "待评")
    assert "总分 待评（1项未评）" in bar.text()
    document.set_fields(form.indicators[3], band=Band.PARTLY)
    values = {i.key: i.value for i in bar.items()}
    assert (values["total"], values["grade"]) == ("96", "优")


def _shown(bar: SummaryBar) -> list[tuple[str, str, str, bool]]:
    """(caption, value, value colour, value bold) of each visible entry, as the labels show them."""
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QLabel

    labels = [label for label in bar.findChildren(QLabel) if not label.isHidden() and label.text()][1:]  # title first
    pairs = zip(labels[::2], labels[1::2], strict=True)
    return [
        (c.text(), v.text(), v.palette().color(QPalette.ColorRole.WindowText).name(), v.font().bold()) for c, v in pairs
    ]


def test_figures_are_bold_plain_text_coloured_where_they_need_attention(qtbot: object) -> None:
    form = scored_form()
    form.indicators[0].level1 = "<b>产出</b>指标"  # a user's own name is shown as typed, not as markup
    bar, document = make_bar(form)
    bar.show()
    shown = {caption: (value, colour, bold) for caption, value, colour, bold in _shown(bar)}
    assert shown["<b>产出</b>指标"][0] == "40/40"
    assert shown["等级"] == ("良", "#2c6fb7", True)
    assert all(bold for _, _, bold in shown.values())
    document.set_fields(form.indicators[1], weight=Decimal(20))  # 效益 20 where the rule set says 30: red
    shown = {caption: (value, colour, bold) for caption, value, colour, bold in _shown(bar)}
    assert shown["效益指标"][:2] == ("20/20", "#c53030")
    assert shown["等级"][:2] == ("中", "#b7791f")  # 10 points fewer: the grade and its colour follow
    document.set_fields(form.indicators[1], weight=Decimal(30))  # back to the rule: the red goes
    shown = {caption: (value, colour, bold) for caption, value, colour, bold in _shown(bar)}
    assert shown["效益指标"][1] != "#c53030"
