"""The scoring engine: per-indicator rules, budget execution, totals, caching, the document hook, the report."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from desktop.models.formats import interchange
from desktop.models.scoring import engine as scoring
from desktop.models.scoring.engine import (
    FLAG_MANUAL_DIFFERS,
    FLAG_MANUAL_NO_REASON,
    FLAG_MANUAL_OUT_OF_BAND,
    FLAG_MISSING,
    FLAG_NEEDS_REASON,
    FLAG_NOT_MET,
    FLAG_OVER_TARGET,
    FLAG_UNIT_MISMATCH,
    FLAG_UNREADABLE,
    IndicatorScore,
    ScoringEngine,
    evaluate,
    has_reason,
    score_report,
)
from desktop.models.scoring.rules import RuleSet, load_ruleset
from desktop.models.workbook.document import WorkbookDocument
from desktop.models.workbook.domain import Band, Form, FormKind, FundLine, Goal, Indicator, Workbook

D = Decimal
CENTRAL = load_ruleset("central")
HUBEI = load_ruleset("hubei")


def ind(
    target: str | None,
    actual: str | None,
    weight: str | None = "2",
    *,
    level1: str = "产出指标",
    level2: str = "数量指标",
    score: str | None = None,
    deviation: str | None = None,
    band: Band | None = None,
) -> Indicator:
    return Indicator(
        level1=level1,
        level2=level2,
        name="测试指标",
        target=target,
        actual=actual,
        weight=D(weight) if weight is not None else None,
        score=D(score) if score is not None else None,
        deviation=deviation,
        band=band,
    )


def run(indicator: Indicator, ruleset: RuleSet = CENTRAL, money_unit: str = "万元") -> IndicatorScore:
    return evaluate(indicator, ruleset, money_unit)


# ---- quantitative indicators ------------------------------------------------------------------


def test_met_higher_is_full_with_the_documented_explanation() -> None:
    r = run(ind("≥30次", "32次"))
    assert (r.suggested, r.score, r.manual, r.met, r.flags) == (D(2), D(2), False, True, ())
    assert r.explain == "实际32次 ≥ 指标值30次，得满分"


def test_missed_higher_is_proportional() -> None:
    r = run(ind("≥5662人", "4044人"))
    assert r.suggested == D("1.43")  # 4044 / 5662 × 2 = 1.4284…
    assert r.explain == "实际4044人，指标值≥5662人，完成71.4%，得1.43分"
    assert FLAG_NOT_MET in r.flags and FLAG_NEEDS_REASON in r.flags
    assert FLAG_NEEDS_REASON not in run(ind("≥5662人", "4044人", deviation="受疫情影响人数减少")).flags


def test_rounding_is_half_up() -> None:
    assert run(ind("≥40", "1", "1")).suggested == D("0.03")  # 0.025 → 0.03 (half-even would give 0.02)


@pytest.mark.parametrize(
    ("ruleset", "actual", "expected"),
    [
        (CENTRAL, "120万元", D("8")),  # linear: (1 − 20/100) × 10
        (HUBEI, "120万元", D("8.33")),  # ratio: 100/120 × 10
        (CENTRAL, "250万元", D("0")),  # linear reaches 0 at B ≥ 2A
        (HUBEI, "250万元", D("4")),
        (CENTRAL, "100万元", D("10")),
    ],
)
def test_lower_is_better_uses_the_rule_sets_formula(ruleset: RuleSet, actual: str, expected: Decimal) -> None:
    r = run(ind("≤100万元", actual, "10", level2="成本指标"), ruleset)
    assert r.suggested == expected


def test_bare_number_reads_higher_except_under_cost() -> None:
    assert run(ind("100%", "87%", "4")).suggested == D("3.48")
    cost = run(ind("50万元", "60万元", "10", level2="成本指标"))
    assert cost.suggested == D("8") and cost.met is False
    assert run(ind("50万元", "40万元", "10", level2="成本指标")).met is True


def test_bare_numbers_in_a_cost_row_are_in_the_money_unit() -> None:
    r = run(ind("≤114万", "120", "10", level2="成本指标"))
    assert r.suggested == D("9.47")  # 120 万元 against a cap of 114 万元, linear
    assert r.explain == "实际120万元，指标值≤114万元，超出5.3%，得9.47分"
    assert run(ind("≤130000元", "12万元", level2="成本指标")).met is True  # 元 vs 万元 convert


def test_equal_and_zero_targets() -> None:
    assert run(ind("=100%", "95%")).suggested == D("1.9")
    assert run(ind("=100%", "100%")).met is True
    zero_cost = run(ind("0", "0", level2="成本指标"))
    assert zero_cost.met is True and zero_cost.suggested == D(2)
    missed = run(ind("0次", "1次", level1="效益指标", level2="社会效益指标"))
    assert (missed.met, missed.suggested) == (False, D(0))


def test_durations_are_capped_quantities() -> None:
    assert run(ind("5个工作日内", "3个工作日", level2="时效指标")).met is True
    late = run(ind("≤2小时", "3小时", level2="时效指标"))
    assert (late.met, late.suggested) == (False, D(1))  # linear: (1 − 1/2) × 2


def test_dates_met_within_the_deadline() -> None:
    r = run(ind("12月底前", "12月底", level2="时效指标"))
    assert (r.met, r.suggested) == (True, D(2))
    late = run(ind("2025年2月前", "2025年3月", level2="时效指标"))
    assert late.met is False and late.suggested is None
    assert FLAG_UNREADABLE in late.flags and FLAG_NOT_MET in late.flags
    banded = run(ind("2025年2月前", "2025年3月", level2="时效指标", band=Band.PARTLY))
    assert banded.suggested == D("1.4") and banded.met is False


def test_over_target_at_130_percent() -> None:
    assert FLAG_OVER_TARGET in run(ind("≥30次", "39次")).flags  # exactly 130%
    assert FLAG_OVER_TARGET not in run(ind("≥30次", "38次")).flags
    over = run(ind("≥12", "42"))
    assert over.suggested == D(2) and FLAG_NEEDS_REASON in over.flags
    assert "350%" in over.explain
    assert FLAG_NEEDS_REASON not in run(ind("≥12", "42", deviation="学习次数按上级要求增加")).flags


def test_far_below_a_cost_cap_is_flagged_but_not_a_low_rate() -> None:
    assert FLAG_OVER_TARGET in run(ind("≤100万元", "70万元", level2="成本指标")).flags
    assert FLAG_OVER_TARGET not in run(ind("≤100万元", "80万元", level2="成本指标")).flags
    assert FLAG_OVER_TARGET not in run(ind("≤2%", "0%", level1="部门管理", level2="资金投入")).flags
    everything = _variant(over_target_lower="all")
    assert FLAG_OVER_TARGET in run(ind("≤2%", "0%", level1="部门管理", level2="资金投入"), everything).flags


def _variant(**changes: object) -> RuleSet:
    from dataclasses import replace

    return replace(CENTRAL, **changes)  # type: ignore[arg-type]


def test_unit_mismatch_gives_no_suggestion() -> None:
    r = run(ind("≥10人", "12次"))
    assert r.suggested is None and r.flags == (FLAG_UNIT_MISMATCH,)


# ---- qualitative indicators -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "actual"),
    [
        ("优", "优"),
        ("≦平均成本", "≤ 平均成本"),
        ("及时", "按时完成"),
        ("12月底前", "已完成"),
        ("健全", "100%"),
        ("是", "是"),
    ],
)
def test_matching_or_affirmative_actuals_are_met(target: str, actual: str) -> None:
    r = run(ind(target, actual, "4", level2="质量指标"))
    assert (r.suggested, r.met, r.band, r.flags) == (D(4), True, Band.MET, ())


@pytest.mark.parametrize(
    ("target", "actual"), [("提升", "有待提升"), ("及时", "未完成"), ("优", "良好"), ("下降", "5%")]
)
def test_other_qualitative_actuals_need_a_band(target: str, actual: str) -> None:
    r = run(ind(target, actual, "4", level2="质量指标"))
    assert (r.suggested, r.score, r.met) == (None, None, None)
    assert r.flags == (FLAG_UNREADABLE,)
    assert "请选择完成等级（达成80%–100%、部分达成60%–80%、未达成60%以下）" in r.explain


def test_a_number_target_needs_a_number_actual() -> None:
    r = run(ind("≥95%", "达到"))
    assert r.suggested is None and FLAG_UNREADABLE in r.flags


@pytest.mark.parametrize(
    ("ruleset", "band", "expected"),
    [
        (CENTRAL, Band.MET, D("4")),
        (CENTRAL, Band.PARTLY, D("2.8")),
        (CENTRAL, Band.NOT_MET, D("1.2")),
        (HUBEI, Band.PARTLY, D("2.6")),
        (HUBEI, Band.NOT_MET, D("1")),
    ],
)
def test_band_defaults(ruleset: RuleSet, band: Band, expected: Decimal) -> None:
    r = run(ind("提升", "有待提升", "4", band=band), ruleset)
    assert (r.suggested, r.band, r.met) == (expected, band, band is Band.MET)


def test_manual_score_out_of_its_band() -> None:
    partly = run(ind("提升", "有待提升", "4", band=Band.PARTLY, score="2", deviation="平台支撑能力有待提升"))
    assert partly.score == D(2) and FLAG_MANUAL_OUT_OF_BAND in partly.flags  # 50% is below 60%
    assert FLAG_MANUAL_OUT_OF_BAND not in run(ind("提升", "有待提升", "4", band=Band.PARTLY, score="2"), HUBEI).flags
    implied = run(ind("优", "优", "4", score="2", deviation="创新不足"))
    assert FLAG_MANUAL_OUT_OF_BAND in implied.flags  # 优 → 优 is 达成: 80%–100%
    assert FLAG_MANUAL_OUT_OF_BAND in run(ind("≥1", "1", "2", score="3")).flags  # above 分值
    assert FLAG_MANUAL_OUT_OF_BAND in run(ind("≥1", "1", "2", score="-1")).flags


# ---- manual scores, reasons, missing values ---------------------------------------------------


def test_manual_score_wins_and_the_suggestion_stays() -> None:
    r = run(ind("100%", "87%", "4", score="3"))
    assert (r.suggested, r.score, r.manual) == (D("3.48"), D(3), True)
    assert {FLAG_MANUAL_DIFFERS, FLAG_MANUAL_NO_REASON, FLAG_NEEDS_REASON} <= set(r.flags)
    explained = run(ind("100%", "87%", "4", score="3", deviation="接通率不高，已增加话务席位"))
    assert FLAG_MANUAL_DIFFERS in explained.flags
    assert FLAG_MANUAL_NO_REASON not in explained.flags and FLAG_NEEDS_REASON not in explained.flags
    same = run(ind("100%", "100%", "4", score="4"))
    assert same.manual and same.flags == ()


def test_reason_texts() -> None:
    for empty in (None, "", "  ", "无", "无偏差", "无偏差。", "—", "/"):
        assert not has_reason(empty)
    assert has_reason("受疫情影响，活动减少")


def test_missing_values() -> None:
    no_weight = run(ind("≥1", "1", None))
    assert no_weight.suggested is None and FLAG_MISSING in no_weight.flags and no_weight.met is True
    no_actual = run(ind("≥1", None))
    assert no_actual.suggested is None and no_actual.flags == (FLAG_MISSING,)
    assert no_actual.explain == "未填写实际完成值"
    assert run(ind(None, "5")).explain == "未填写指标值"


# ---- forms ------------------------------------------------------------------------------------


def project_form(*indicators: Indicator, executed: str | None = "110.25", full_year: str = "120.50") -> Form:
    return Form(
        kind=FormKind.PROJECT_SELF_EVAL,
        title="测试项目",
        funds=[FundLine("total", D(100), D(full_year), D(executed) if executed else None)],
        exec_weight=D(10),
        indicators=list(indicators),
    )


def test_budget_execution() -> None:
    form = project_form(executed="25182.59", full_year="25802.8")
    result = ScoringEngine().score_form(form)
    assert result.exec_suggested == D("9.76") and result.exec_score == D("9.76")
    assert result.exec_rate is not None and result.exec_rate.quantize(D("0.001")) == D("0.976")
    assert result.exec_explain.startswith("执行率97.6%")
    over = ScoringEngine().score_form(project_form(executed="130", full_year="120"))
    assert over.exec_suggested == D(10)
    missing = ScoringEngine().score_form(project_form(executed=None))
    assert missing.exec_rate is None and missing.exec_suggested is None and FLAG_MISSING in missing.exec_flags


def test_manual_exec_score_wins() -> None:
    form = project_form(executed="25182.59", full_year="25802.8")
    form.exec_score = D("9.8")
    result = ScoringEngine().score_form(form)
    assert (result.exec_suggested, result.exec_score) == (D("9.76"), D("9.8"))
    assert FLAG_MANUAL_DIFFERS in result.exec_flags


def test_exec_weight_defaults_to_the_rule_set() -> None:
    form = project_form()
    form.exec_weight = None
    assert ScoringEngine(HUBEI).score_form(form).exec_weight == D(20)


def test_totals_subtotals_and_grade() -> None:
    form = project_form(
        ind("≥30次", "32次", "50"),
        ind("提高", "提高", "20", level1="效果指标", level2="社会效益指标"),
        ind("≥5662人", "4044人", "10", level1="效益指标", level2="可持续影响指标"),
        ind("≥95%", "96%", "10", level1="满意度指标", level2="服务对象满意度指标"),
        executed="120.50",
    )
    result = ScoringEngine().score_form(form)
    assert [i.score for i in result.indicators] == [D(50), D(20), D("7.14"), D(10)]
    assert result.total == D("97.14") and result.grade == "优" and result.max_total == D(100)
    subtotals = {s.level1: (s.weight, s.score, s.expected) for s in result.subtotals}
    assert subtotals == {
        "产出指标": (D(50), D(50), D(50)),
        "效益指标": (D(30), D("27.14"), D(30)),  # 效果指标 folded into 效益指标
        "满意度指标": (D(10), D(10), D(10)),
    }


def test_an_absent_first_level_still_has_a_subtotal_and_unscored_rows_count_zero() -> None:
    form = project_form(ind("≥30次", "32次", "50"), ind("提升", "有待提升", "30", level1="效益指标"))
    result = ScoringEngine().score_form(form)
    assert [s.level1 for s in result.subtotals] == ["产出指标", "效益指标", "满意度指标"]
    assert result.subtotals[2].weight == 0 and result.subtotals[2].expected == D(10)
    assert result.total == D("59.15")  # 9.15 + 50 + 0
    assert result.grade == "差"


def test_dept_layout_a_uses_the_dept_weights() -> None:
    form = Form(
        kind=FormKind.DEPT_SELF_EVAL,
        title="某单位",
        indicators=[ind("100%", "100%", "20", level1="部门管理", level2="资金投入")],
    )
    result = ScoringEngine().score_form(form)
    assert result.layout_a
    assert {s.level1: s.expected for s in result.subtotals}["履职效果"] == D(50)


def test_dept_layout_b_scores_goal_indicators_like_project_ones() -> None:
    form = Form(
        kind=FormKind.DEPT_SELF_EVAL,
        title="某单位",
        funds=[FundLine("total", D(100), D(100), D(100))],
        goals=[Goal(1, "目标一", "完成"), Goal(2, "目标二", "部分完成")],
        indicators=[
            Indicator("产出指标", "数量指标", "a", target="≥10件", actual="10件", weight=D(50), goal=1),
            Indicator("效益指标", "社会效益指标", "b", target="≥90%", actual="81%", weight=D(30), goal=2),
            Indicator("满意度指标", "服务对象满意度指标", "c", target="≥90%", actual="95%", weight=D(10), goal=2),
        ],
    )
    result = ScoringEngine().score_form(form)
    assert not result.layout_a
    assert [i.suggested for i in result.indicators] == [D(50), D(27), D(10)]
    assert result.total == D(97) and result.grade == "优"
    assert {s.level1: s.expected for s in result.subtotals} == {"产出指标": 50, "效益指标": 30, "满意度指标": 10}


def test_target_forms_are_not_scored() -> None:
    form = Form(kind=FormKind.PROJECT_TARGET, title="目标", indicators=[ind("≥30次", None)])
    result = ScoringEngine().score_form(form)
    assert (result.total, result.grade, result.exec_score, result.exec_rate) == (None, None, None, None)
    assert result.indicators[0].suggested is None and result.indicators[0].flags == ()


# ---- caching and invalidation -----------------------------------------------------------------


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[Indicator]:
    """Every indicator the engine evaluates, in order."""
    seen: list[Indicator] = []
    original = scoring.evaluate

    def counting(indicator: Indicator, ruleset: RuleSet, money_unit: str) -> IndicatorScore:
        seen.append(indicator)
        return original(indicator, ruleset, money_unit)

    monkeypatch.setattr(scoring, "evaluate", counting)
    return seen


def test_results_are_cached_and_only_the_changed_indicator_is_recomputed(calls: list[Indicator]) -> None:
    rows = [ind("≥30次", f"{30 + i}次") for i in range(5)]
    form = project_form(*rows)
    engine = ScoringEngine()
    first = engine.score_form(form)
    assert len(calls) == 5
    assert engine.score_form(form) is first and len(calls) == 5
    rows[2].actual = "10次"
    engine.indicator_changed(form, rows[2])
    second = engine.score_form(form)
    assert calls[5:] == [rows[2]]
    assert second.indicators[2].suggested == D("0.67") and second.total < first.total  # type: ignore[operator]
    engine.exec_changed(form)
    engine.score_form(form)
    assert len(calls) == 6  # the execution part only
    engine.form_changed(form)
    engine.score_form(form)
    assert len(calls) == 11


def _document() -> tuple[WorkbookDocument, Form, ScoringEngine, list[Form | None]]:
    form = project_form(ind("≥30次", "32次", "45"), ind("≥95%", "96%", "45", level1="满意度指标"))
    workbook = Workbook(forms=[form])
    document = WorkbookDocument(workbook)
    engine = ScoringEngine()
    engine.attach(document)
    told: list[Form | None] = []
    engine.subscribe(told.append)
    engine.score_workbook(workbook)
    return document, form, engine, told


def test_followers_read_fresh_scores_whoever_subscribed_first() -> None:
    form = project_form(ind("≥30次", "32次", "45"), ind("≥95%", "96%", "45", level1="满意度指标"))
    document = WorkbookDocument(Workbook(forms=[form]))
    engine = ScoringEngine()
    read: list[Decimal | None] = []
    engine.follow(lambda change: read.append(engine.score_form(form).total))  # before the engine attaches
    document.subscribe(lambda change: None if engine.score_form(form) else None)  # a listener ahead of the engine
    engine.attach(document)
    engine.score_form(form)
    document.set_fields(form.indicators[0], actual="15次")
    assert read == [ScoringEngine().score_form(form).total] and read[0] is not None
    engine.detach()
    document.set_fields(form.indicators[0], actual="20次")
    assert len(read) == 1  # a detached engine tells nobody


def test_attached_engine_follows_indicator_edits(calls: list[Indicator]) -> None:
    document, form, engine, told = _document()
    calls.clear()
    document.set_fields(form.indicators[0], actual="15次")
    assert told == [form]
    assert engine.score_form(form).indicators[0].suggested == D("22.5")
    assert calls == [form.indicators[0]]


def test_attached_engine_follows_fund_and_exec_edits(calls: list[Indicator]) -> None:
    document, form, engine, told = _document()
    calls.clear()
    assert form.funds is not None
    document.set_fields(form.funds[0], executed=D("60.25"))
    assert engine.score_form(form).exec_score == D(5)
    document.set_fields(form, exec_score=D(4))
    assert engine.score_form(form).exec_score == D(4)
    document.set_fields(form, title="改名")  # nothing to rescore
    assert calls == [] and told == [form, form]


def test_attached_engine_follows_structural_edits() -> None:
    document, form, engine, _ = _document()
    before = engine.score_form(form).total
    document.insert_items(form, "indicators", 2, [ind("≥1", "1", "10", level1="效益指标")])
    assert engine.score_form(form).total == before + 10  # type: ignore[operator]
    document.remove_items(form, "indicators", 0)
    assert len(engine.score_form(form).indicators) == 2
    document.move_item(form, "indicators", 0, 1)
    assert engine.score_form(form).indicators[1].suggested == D(45)
    document.set_fields(form, money_unit="元")
    assert engine.score_form(form).total is not None


def test_attached_engine_switches_rule_set_with_the_workbook() -> None:
    document, form, engine, _ = _document()
    document.set_fields(document.workbook, ruleset="hubei")
    assert engine.ruleset.name == "hubei"
    form.exec_weight = None
    engine.form_changed(form)
    assert engine.score_form(form).exec_weight == D(20)
    document.set_fields(document.workbook, ruleset="nowhere")
    assert engine.ruleset.name == "hubei"  # unknown: keeps the current one
    engine.detach()
    document.set_fields(document.workbook, ruleset="central")
    assert engine.ruleset.name == "hubei"


def test_removed_forms_are_forgotten() -> None:
    document, form, engine, told = _document()
    document.remove_items(document.workbook, "forms", 0)
    assert told[-1] is None
    assert engine.score_workbook(document.workbook) == []


# ---- the Wuwei sample: the engine agrees wherever the published score follows the rules -------

# (form, indicator index, name, published 得分, suggested, why they differ)
WUWEI_DIFFERENCES = [
    (0, 11, "政务快速通道免费送达率", D(4), D("4.35"), "87/100 × 5 = 4.35，填报4分且未说明原因"),
    (0, 15, "服务便利化水平", D(4), D("4.75"), "95/100 × 5 = 4.75，填报4分（已说明原因）"),
    (1, 12, "指标7: 群众来电咨询接听率", D(3), D("3.48"), "87/100 × 4 = 3.48，填报3分（已说明原因）"),
    (2, 11, "指标6: 服务平台支撑能力", D(2), None, "提升 → 有待提升：定性，需选择完成等级"),
    (3, 10, "指标6: 党建工作创新能力", D(2), None, "优 → 良好：定性，需选择完成等级"),
]
WUWEI_FLAGS = {
    (0, 11): {FLAG_NOT_MET, FLAG_MANUAL_DIFFERS, FLAG_MANUAL_NO_REASON, FLAG_NEEDS_REASON},
    (0, 15): {FLAG_NOT_MET, FLAG_MANUAL_DIFFERS},
    (1, 12): {FLAG_NOT_MET, FLAG_MANUAL_DIFFERS},
    (2, 11): {FLAG_UNREADABLE},
    (3, 10): {FLAG_UNREADABLE},
}


def test_wuwei_rows_where_the_published_score_differs(wuwei: Workbook) -> None:
    engine = ScoringEngine()
    differing = []
    for f, (form, result) in enumerate(zip(wuwei.forms, engine.score_workbook(wuwei), strict=True)):
        for i, (row, verdict) in enumerate(zip(form.indicators, result.indicators, strict=True)):
            assert verdict.manual and verdict.score == row.score  # the published score is kept
            if verdict.suggested != row.score:
                differing.append((f, i, row.name, row.score, verdict.suggested))
                assert set(verdict.flags) == WUWEI_FLAGS[(f, i)], (f, i, verdict.flags)
            else:
                assert not {FLAG_MANUAL_DIFFERS, FLAG_MANUAL_NO_REASON, FLAG_MANUAL_OUT_OF_BAND} & set(verdict.flags)
    assert differing == [row[:5] for row in WUWEI_DIFFERENCES]


def test_wuwei_totals(wuwei: Workbook) -> None:
    results = ScoringEngine().score_workbook(wuwei)
    # Each project table prints 88/89 (without the execution score); the parts add up to 98/99.
    assert [r.total for r in results] == [D(93), D(99), D(98), D(98)]
    assert [r.exec_score for r in results] == [D(10)] * 4
    dept = results[0]
    assert dept.layout_a and dept.max_total == D(95)  # 履职效果 rows add up to 45, not 50
    assert dept.exec_rate is None and dept.exec_suggested is None  # 实际支出数 not legible
    assert {s.level1: (s.weight, s.expected) for s in dept.subtotals}["履职效果"] == (D(45), D(50))
    assert [r.max_total for r in results[1:]] == [D(100)] * 3


# ---- `jixiao score` -------------------------------------------------------------------------


def test_score_report_has_exactly_the_documented_shape(wuwei: Workbook) -> None:
    report = score_report(wuwei, ScoringEngine())
    assert list(report) == ["forms"]
    form = report["forms"][1]
    assert list(form) == ["title", "kind", "exec_rate", "exec_score", "total", "grade", "indicators"]
    assert (form["title"], form["kind"], form["exec_rate"], form["total"], form["grade"]) == (
        "政务服务经费", "project_self_eval", D(1), D(99), "优",
    )  # fmt: skip
    row = form["indicators"][12]
    assert list(row) == ["index", "name", "weight", "suggested", "score", "flags", "explain"]
    assert (row["index"], row["weight"], row["suggested"], row["score"]) == (12, D(4), D("3.48"), D(3))
    assert row["flags"] == ["not_met", "manual_differs"]
    parsed = json.loads(interchange.dumps_data(report))
    assert parsed["forms"][1]["indicators"][12]["suggested"] == 3.48
    assert parsed["forms"][0]["exec_rate"] is None


def test_score_report_of_target_forms(tianjin: Workbook) -> None:
    report = score_report(tianjin, ScoringEngine())
    assert len(report["forms"]) == len(tianjin.forms)
    first = report["forms"][0]
    assert (first["exec_rate"], first["exec_score"], first["total"], first["grade"]) == (None, None, None, None)
    assert all(r["suggested"] is None and r["score"] is None and r["flags"] == [] for r in first["indicators"])


def test_exec_rate_in_the_report_is_rounded_to_four_decimals() -> None:
    form = project_form(executed="25182.59", full_year="25802.8")
    report = score_report(Workbook(forms=[form]), ScoringEngine())
    assert report["forms"][0]["exec_rate"] == D("0.976")
    assert report["forms"][0]["exec_score"] == D("9.76")
