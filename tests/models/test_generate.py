"""Generating a self-evaluation form from a target form (目标表 → 自评表)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.models.errors import UserError
from desktop.models.scoring.engine import ScoringEngine
from desktop.models.scoring.rules import load_ruleset
from desktop.models.scoring.validation import ERROR, check_form
from desktop.models.workbook.domain import Budget, Form, FormKind, Goal, Indicator, Signoff, Unit, Workbook
from desktop.models.workbook.generate import self_eval_from_target, spread
from tests.helpers.fixtures import load_sample

D = Decimal
CENTRAL = load_ruleset("central")


def test_project_target_becomes_a_project_self_evaluation(tianjin: Workbook) -> None:
    target = tianjin.forms[0]
    form = self_eval_from_target(target, CENTRAL)
    assert form.kind is FormKind.PROJECT_SELF_EVAL
    assert (form.title, form.code, form.money_unit, form.purpose, form.overall_target) == (
        target.title, target.code, target.money_unit, target.purpose, target.overall_target,
    )  # fmt: skip
    assert form.budget is None and form.exec_weight == D(10)
    assert form.funds is not None
    funds = {f.line: (f.initial, f.full_year, f.executed) for f in form.funds}
    assert funds == {
        "total": (D(114), D(114), None),
        "fiscal": (D(114), D(114), None),
        "carryover": (None, None, None),
        "other": (None, None, None),
    }
    assert [(i.level1, i.level2, i.name, i.description, i.target) for i in form.indicators] == [
        (i.level1, i.level2, i.name, i.description, i.target) for i in target.indicators
    ]
    assert all(i.actual is None and i.score is None and i.deviation is None for i in form.indicators)
    # 7 产出 rows share 50, the single 效益 and 满意度 rows get 30 and 10.
    assert [i.weight for i in form.indicators] == [D("7.14")] * 6 + [D("7.16"), D(30), D(10)]
    assert all(new is not old for new, old in zip(form.indicators, target.indicators, strict=True))


def test_the_target_form_is_left_unchanged(tianjin: Workbook) -> None:
    target = tianjin.forms[3]
    before = [(i.target, i.weight, i.actual) for i in target.indicators]
    self_eval_from_target(target, CENTRAL)
    assert [(i.target, i.weight, i.actual) for i in target.indicators] == before
    assert target.kind is FormKind.PROJECT_TARGET


@pytest.mark.parametrize("name", ["central", "hubei", "sichuan", "shandong"])
def test_generated_weights_total_100_and_pass_review(tianjin: Workbook, name: str) -> None:
    ruleset = load_ruleset(name)
    engine = ScoringEngine(ruleset)
    for target in tianjin.forms:
        form = self_eval_from_target(target, ruleset)
        total = sum((i.weight or D(0) for i in form.indicators), D(0)) + (form.exec_weight or D(0))
        assert total == 100, target.title
        assert engine.score_form(form).max_total == 100
        workbook = Workbook(unit=tianjin.unit, year=2025, forms=[form])
        weight_findings = [f for f in check_form(workbook, 0, engine) if f.field == "weight"]
        assert weight_findings == [], target.title


def test_province_weights() -> None:
    target = Form(
        kind=FormKind.PROJECT_TARGET,
        title="项目",
        budget=Budget(D(10), D(8), D(2)),
        indicators=[
            Indicator("产出指标", "数量指标", "a", target="≥1次"),
            Indicator("产出指标", "质量指标", "b", target="100%"),
            Indicator("产出指标", "时效指标", "c", target="12月底前"),
            Indicator("效果指标", "社会效益指标", "d", target="提升"),
            Indicator("满意度指标", "服务对象满意度指标", "e", target="≥90%"),
        ],
    )
    hubei = self_eval_from_target(target, load_ruleset("hubei"))
    assert hubei.exec_weight == D(20)
    assert [i.weight for i in hubei.indicators] == [D("13.33"), D("13.33"), D("13.34"), D(30), D(10)]
    sichuan = self_eval_from_target(target, load_ruleset("sichuan"))
    assert [i.weight for i in sichuan.indicators] == [D(18)] * 5
    assert hubei.funds is not None
    assert {f.line: f.full_year for f in hubei.funds} == {"total": 10, "fiscal": 8, "carryover": None, "other": 2}


def test_unweighted_first_levels_share_what_is_left() -> None:
    target = Form(
        kind=FormKind.PROJECT_TARGET,
        title="项目",
        indicators=[
            Indicator("产出指标", "数量指标", "a", target="≥1次"),
            Indicator("成本指标", "经济成本指标", "b", target="≤10万元"),
            Indicator("满意度指标", "服务对象满意度指标", "c", target="≥90%"),
        ],
    )
    form = self_eval_from_target(target, CENTRAL)
    # No 效益 row: its 30 goes to the row whose first level the rule set does not weigh.
    assert [i.weight for i in form.indicators] == [D(50), D(30), D(10)]


def test_dept_target_becomes_a_dept_self_evaluation() -> None:
    workbook = load_sample("tangshan-xzsp-targets.json")
    unit_form = self_eval_from_target(workbook.forms[0], CENTRAL)
    assert unit_form.kind is FormKind.DEPT_SELF_EVAL
    assert unit_form.goals is not None and workbook.forms[0].goals is not None
    assert [(g.no, g.target, g.actual) for g in unit_form.goals] == [
        (g.no, g.target, None) for g in workbook.forms[0].goals
    ]
    assert unit_form.funds is not None and [f.line for f in unit_form.funds] == ["total", "basic", "project"]
    project = self_eval_from_target(workbook.forms[1], CENTRAL)
    assert project.kind is FormKind.DEPT_SELF_EVAL and project.code == "131003001"
    assert sum((i.weight or D(0) for i in project.indicators), D(0)) + (project.exec_weight or 0) == 100
    assert not ScoringEngine().score_form(project).layout_a


def test_header_children_are_copied_not_shared() -> None:
    target = Form(
        kind=FormKind.PROJECT_TARGET,
        title="项目",
        unit=Unit("319202", "天津市便民专线服务中心"),
        goals=[Goal(1, "目标", None)],
        signoff=Signoff("张三", "李四", "123", "2025-01-01"),
    )
    form = self_eval_from_target(target, CENTRAL)
    assert form.unit is not None and form.unit is not target.unit
    assert (form.unit.code, form.unit.name) == ("319202", "天津市便民专线服务中心")
    assert form.signoff is not None and (form.signoff.head, form.signoff.preparer, form.signoff.date) == (
        "张三", "李四", None,
    )  # fmt: skip
    assert form.goals is not None and form.goals[0] is not target.goals[0]  # type: ignore[index]


def test_a_self_evaluation_cannot_be_generated_again(wuwei: Workbook) -> None:
    with pytest.raises(UserError, match="已是自评表"):
        self_eval_from_target(wuwei.forms[1], CENTRAL)


def test_generated_form_has_no_review_errors_but_missing_actuals(tianjin: Workbook) -> None:
    form = self_eval_from_target(tianjin.forms[1], CENTRAL)
    workbook = Workbook(unit=tianjin.unit, year=2025, forms=[form])
    errors = {f.message for f in check_form(workbook, 0, ScoringEngine()) if f.severity == ERROR}
    assert errors == {"未填写实际完成值"}


@given(
    total=st.decimals(min_value=0, max_value=100, places=2),
    count=st.integers(min_value=1, max_value=60),
)
def test_spread_adds_up_exactly(total: Decimal, count: int) -> None:
    parts = spread(total, count)
    assert len(parts) == count
    assert sum(parts, D(0)) == total
    assert all(p >= 0 and p == p.quantize(D("0.01")) for p in parts)
    assert max(parts) - min(parts) < D("0.01") * count
