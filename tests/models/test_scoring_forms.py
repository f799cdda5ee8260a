"""Scoring round 2 on whole forms: pending totals, printed totals, the 年初预算数 fallback, weighted
一级 labels, the rule-set word lists, the value reader's new forms, and the Wuwei sample."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.models.errors import UserError
from desktop.models.formats import interchange
from desktop.models.scoring import rules
from desktop.models.scoring.engine import (
    FLAG_MISSING,
    FLAG_REASON_ON_FULL,
    ScoringEngine,
    evaluate,
    pending_text,
    score_report,
)
from desktop.models.scoring.rules import load_ruleset
from desktop.models.scoring.validation import WARNING, check_form, check_workbook
from desktop.models.scoring.values import Direction, Quantity, ValueKind, format_value, read_value, to_common
from desktop.models.workbook.domain import Band, Form, FormKind, FundLine, Indicator, Workbook
from tests.models.test_scoring_kinds import COMPLETION, GRADES, NAMES, RANGES, SAME_DAY, UNITS, ZEROS

D = Decimal
CENTRAL = load_ruleset("central")


def indicator(target: str, actual: str, weight: str, level1: str = "产出指标", **more: object) -> Indicator:
    return Indicator(level1, "数量指标", "指标", target=target, actual=actual, weight=D(weight), **more)  # type: ignore[arg-type]


def form(*rows: Indicator, full_year: str | None = "100", initial: str | None = "100", executed: str = "100") -> Form:
    return Form(
        kind=FormKind.PROJECT_SELF_EVAL,
        title="测试项目",
        funds=[FundLine("total", D(initial) if initial else None, D(full_year) if full_year else None, D(executed))],
        exec_weight=D(10),
        indicators=list(rows),
    )


def balanced(*extra: Indicator) -> Form:
    return form(
        indicator("≥30次", "32次", "50"),
        indicator("≥90%", "95%", "30", level1="效益指标"),
        indicator("≥90%", "95%", "10" if not extra else "5", level1="满意度指标"),
        *extra,
    )


# ---- unscored rows make the total pending ------------------------------------------------------------


def test_pending_total_in_the_engine_the_report_and_validation() -> None:
    f = balanced(indicator("提升", "有所改善", "5", level1="满意度指标"))
    result = ScoringEngine().score_form(f)
    assert (result.total, result.grade, result.unscored, result.pending) == (None, None, 1, "待评（1项未评）")
    assert result.scored_total == D(95)
    report = score_report(Workbook(forms=[f]), ScoringEngine())["forms"][0]
    assert (report["total"], report["grade"], report["unscored"]) == (None, None, 1)
    parsed = json.loads(interchange.dumps_data(report))
    assert parsed["total"] is None and parsed["unscored"] == 1
    f.conclusion = "自评得分为95分，等级为优"
    found = check_form(Workbook(forms=[f]), 0, ScoringEngine())
    texts = [x.message for x in found]
    assert "1项指标既无完成等级也无得分，总分和等级待评" in texts
    assert not any("等级为" in t or "写明总分" in t for t in texts)  # no claim about the grade


def test_a_manual_score_or_a_band_completes_the_form() -> None:
    row = indicator("提升", "有所改善", "5", level1="满意度指标")
    f = balanced(row)
    engine = ScoringEngine()
    assert engine.score_form(f).unscored == 1
    row.score = D(4)
    engine.indicator_changed(f, row)
    assert (engine.score_form(f).total, engine.score_form(f).unscored) == (D(99), 0)
    row.score, row.band = None, Band.NOT_MET
    engine.indicator_changed(f, row)
    assert (engine.score_form(f).total, engine.score_form(f).grade) == (D("96.5"), "优")


def test_rows_with_no_actual_or_no_weight_count_as_unscored() -> None:
    f = balanced(indicator("≥1次", "", "5", level1="满意度指标"))
    assert ScoringEngine().score_form(f).unscored == 1
    assert pending_text(3) == "待评（3项未评）"


def test_target_forms_are_neither_complete_nor_pending() -> None:
    result = ScoringEngine().score_form(Form(kind=FormKind.PROJECT_TARGET, title="t", indicators=[]))
    assert (result.complete, result.pending, result.total_text(str)) == (False, "", "—")


# ---- printed totals -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        (D(100), None),
        (D(90), "表上总分 90 分，按各项得分计算为 100 分（表上总分似未计入预算执行率得分 10 分）"),
        (D("88.5"), "表上总分 88.5 分，按各项得分计算为 100 分"),
    ],
)
def test_printed_total_is_compared_with_both_numbers(printed: Decimal, expected: str | None) -> None:
    f = balanced()
    f.printed_total = printed
    found = [x for x in check_form(Workbook(forms=[f]), 0, ScoringEngine()) if x.field == "printed_total"]
    assert [x.message for x in found] == ([expected] if expected else [])
    assert all(x.severity == WARNING for x in found)


def test_printed_total_of_a_pending_form_cannot_be_checked() -> None:
    f = balanced(indicator("提升", "有所改善", "5", level1="满意度指标"))
    f.printed_total = D(95)
    found = [x.message for x in check_form(Workbook(forms=[f]), 0, ScoringEngine()) if x.field == "printed_total"]
    assert found == ["表上总分 95 分暂无法核对：待评（1项未评）"]


# ---- budget execution falls back to 年初预算数 ------------------------------------------------------------


def test_budget_execution_falls_back_to_the_initial_budget() -> None:
    result = ScoringEngine().score_form(form(indicator("≥1次", "1次", "90"), full_year=None, executed="95"))
    assert (result.exec_rate, result.exec_suggested) == (D("0.95"), D("9.5"))
    assert result.exec_explain == "未填写全年预算数，按年初预算数计算：执行率95%（95/100），10分×执行率，得9.5分"
    assert FLAG_MISSING not in result.exec_flags
    errors = [x.message for x in check_form(Workbook(forms=[form(full_year=None)]), 0, ScoringEngine())]
    assert "未填写年度资金总额（部门整体支出）的全年预算数（预算执行率暂按年初预算数计算）" in errors
    neither = ScoringEngine().score_form(form(full_year=None, initial=None))
    assert neither.exec_suggested is None and FLAG_MISSING in neither.exec_flags
    assert neither.exec_explain == "未填写全年预算数，无法计算预算执行率"


# ---- 一级 labels printed with their weight ------------------------------------------------------------------


@pytest.mark.parametrize("label", ["产出指标(50分)", "产出指标（50分）", "产出指标 (50分)", "产出指标（50.5分）"])
def test_level1_labels_with_a_weight_are_the_standard_level(label: str) -> None:
    assert CENTRAL.canonical_level1(label) == "产出指标"
    f = form(indicator("≥1次", "1次", "90", level1=label))
    assert {s.level1 for s in ScoringEngine().score_form(f).subtotals} == {"产出指标", "效益指标", "满意度指标"}


def test_weighted_labels_fold_aliases_and_cost_levels_too() -> None:
    assert CENTRAL.canonical_level1("效果指标（30分）") == "效益指标"
    assert CENTRAL.plain_is_lower("产出指标(50分)", "成本指标（10分）")
    assert CENTRAL.canonical_level1("产出指标(五十分)") == "产出指标(五十分)"  # not a weight


# ---- the rule-set loader checks the word lists --------------------------------------------------------------


@pytest.fixture
def ruleset_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copy(rules.RULESET_DIR / "central.json", tmp_path / "central.json")
    monkeypatch.setattr(rules, "RULESET_DIR", tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"plain_lower_names": "投诉率"}, "“plain_lower_names”应为文本列表"),
        ({"plain_lower_names": ["投诉率", ""]}, "“plain_lower_names”应为文本列表"),
        ({"plain_higher_names": [3]}, "“plain_higher_names”应为文本列表"),
        ({"plain_higher_names": ["覆盖率", "投诉率"]}, "“投诉率”不能同时列在"),
        ({"plain_lower_names": ["成本", "成本"]}, "“plain_lower_names”中有重复的词"),
        ({"plain_lower_names": ["投诉 率"]}, "“plain_lower_names”中的词不能含空格"),
    ],
)
def test_bad_word_lists_are_rejected(ruleset_dir: Path, change: dict[str, object], message: str) -> None:
    data = json.loads((ruleset_dir / "central.json").read_text(encoding="utf-8"))
    data.update(change, name="bad")
    (ruleset_dir / "bad.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(UserError, match=message):
        load_ruleset("bad")


def test_missing_word_lists_are_named(ruleset_dir: Path) -> None:
    data = json.loads((ruleset_dir / "central.json").read_text(encoding="utf-8"))
    del data["plain_higher_names"]
    (ruleset_dir / "short.json").write_text(json.dumps({**data, "name": "short"}, ensure_ascii=False), "utf-8")
    with pytest.raises(UserError, match="缺少字段“plain_higher_names”"):
        load_ruleset("short")


def test_a_province_file_extends_the_lists(ruleset_dir: Path) -> None:
    data = {"extends": "central", "name": "gansu", "plain_lower_names": ["空置率", "投诉率"]}
    (ruleset_dir / "gansu.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    gansu = load_ruleset("gansu")
    assert gansu.name_direction("房屋空置率") == (True, "空置率")
    assert gansu.name_direction("政策覆盖率") == (False, "覆盖率")  # the central higher list is inherited


# ---- the value reader's new forms ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "low", "high", "unit", "shown"),
    [
        ("95%-100%", ValueKind.QUANTITY, "95", "100", "%", "95–100%"),
        ("85%～95%", ValueKind.QUANTITY, "85", "95", "%", "85–95%"),
        ("95-100%", ValueKind.QUANTITY, "95", "100", "%", "95–100%"),
        ("80%至90%", ValueKind.QUANTITY, "80", "90", "%", "80–90%"),
        ("1-3个工作日", ValueKind.DURATION, "1", "3", "工作日", "1–3个工作日"),
        ("≥80%且≤100%", ValueKind.QUANTITY, "80", "100", "%", "80–100%"),
        ("≤100%并且≥80%", ValueKind.QUANTITY, "80", "100", "%", "80–100%"),
    ],
)
def test_ranges_read_both_bounds(text: str, kind: ValueKind, low: str, high: str, unit: str, shown: str) -> None:
    value = read_value(text)
    assert (value.kind, value.direction) == (kind, Direction.RANGE)
    assert value.quantity == Quantity(D(low), unit) and value.upper == Quantity(D(high), unit)
    assert format_value(value) == shown and value.operator == ""


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("3万-5万元", Quantity(D(3), "万元"), Quantity(D(5), "万元")),  # the lower 万 is 万元's
        ("1～2万件", Quantity(D(10000), "件", "万"), Quantity(D(20000), "件", "万")),  # 万 counts both bounds
        ("2-3亿元", Quantity(D(2), "亿元"), Quantity(D(3), "亿元")),
    ],
)
def test_a_multiplier_written_once_counts_for_both_bounds(text: str, low: Quantity, high: Quantity) -> None:
    value = read_value(text)
    assert (value.direction, value.quantity, value.upper) == (Direction.RANGE, low, high)


@pytest.mark.parametrize("text", ["100%-95%", "≥80%且≥90%", "5人-3次", "2025-12-31", "标准-100%"])
def test_not_ranges(text: str) -> None:
    assert read_value(text).direction is not Direction.RANGE


@pytest.mark.parametrize(
    ("text", "number", "unit"),
    [
        ("1.2万余人", "12000", "人"),
        ("30余人", "30", "人"),
        ("100多家", "100", "家"),
        ("300多万元", "300", "万元"),
        ("≥530元/人*月", "530", "元/人·月"),
        ("530元/人×月", "530", "元/人·月"),
        ("≥3次/年", "3", "次/年"),
        ("≤550元/人天", "550", "元/人·天"),  # 会议费/培训费 standards write 人天 without a dot
        ("≤2万元/人年", "2", "万元/人·年"),
        ("≤40元/人天以内", "40", "元/人·天"),
        ("≤500元/100km", "500", "元/100公里"),  # a fuel norm: per 100 km
        ("≤12L/100公里", "12", "L/100公里"),
    ],
)
def test_qualifiers_and_compound_units(text: str, number: str, unit: str) -> None:
    quantity = read_value(text).quantity
    assert quantity is not None and (quantity.number, quantity.unit) == (D(number), unit)


@pytest.mark.parametrize("text", ["≥30人天", "5元/人天数很多", "≤500元/100"])
def test_a_time_joins_a_per_unit_only_right_after_it(text: str) -> None:
    quantity = read_value(text).quantity
    assert quantity is None or "·" not in quantity.unit


def test_a_bare_number_beside_money_takes_the_closer_reading() -> None:
    assert to_common(Quantity(D(72890), "元"), Quantity(D(72890))) == (D(72890), D(72890), "元")
    assert to_common(Quantity(D(114), "万元"), Quantity(D(120))) == (D(114), D(120), "万元")
    assert to_common(Quantity(D(130000), "元"), Quantity(D(12))) == (D(130000), D(120000), "元")
    assert to_common(Quantity(D(3), "次/年"), Quantity(D(4), "次")) == (D(3), D(4), "次")
    assert to_common(Quantity(D(3), "次/月"), Quantity(D(4), "次")) is None


# ---- no text makes the engine raise -------------------------------------------------------------------------

_WORDS = ["完成", "未", "基本", "优", "良好", "以上", "零", "无", "当日", "办结", "%", "-", "～", "且", "≤", "≥",
          "3", "0", "万", "余", "元/人", "*", "月", "次/年", "工作日", "起", "率"]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(_WORDS), max_size=8).map("".join),
    st.lists(st.sampled_from(_WORDS), max_size=8).map("".join),
    st.sampled_from(["投诉率", "覆盖率", "事故", "指标"]),
    st.sampled_from([None, *Band]),
)
def test_the_engine_never_raises_and_stays_in_range(target: str, actual: str, name: str, band: Band | None) -> None:
    row = Indicator("产出指标", "数量指标", name, target=target, actual=actual, weight=D(4), band=band)
    verdict = evaluate(row, CENTRAL, "万元")
    assert verdict.suggested is None or D(0) <= verdict.suggested <= D(4)
    assert verdict.explain


# ---- the Wuwei sample -------------------------------------------------------------------------------------------

# 总分 / 合计 as printed on the four filed tables (004_0ed4b7e3fbc5b049.txt; tests/data/samples/README.md).
WUWEI_PRINTED = [D(88), D(89), D(88), D(88)]


def test_wuwei_printed_totals_are_reported(wuwei: Workbook) -> None:
    for f, printed in zip(wuwei.forms, WUWEI_PRINTED, strict=True):
        f.printed_total = printed
    engine = ScoringEngine()
    found = [x for x in check_workbook(wuwei, engine) if x.field == "printed_total"]
    assert [(x.form_index, x.message) for x in found] == [
        (0, "表上总分 88 分，按各项得分计算为 93 分"),
        (1, "表上总分 89 分，按各项得分计算为 99 分（表上总分似未计入预算执行率得分 10 分）"),
        (2, "表上总分 88 分，按各项得分计算为 98 分（表上总分似未计入预算执行率得分 10 分）"),
        (3, "表上总分 88 分，按各项得分计算为 98 分（表上总分似未计入预算执行率得分 10 分）"),
    ]
    assert all(r.complete for r in engine.score_workbook(wuwei))


def test_wuwei_a_full_score_with_a_written_reason_is_flagged(wuwei: Workbook) -> None:
    result = ScoringEngine().score_form(wuwei.forms[0])
    flagged = [
        wuwei.forms[0].indicators[i].name for i, r in enumerate(result.indicators) if FLAG_REASON_ON_FULL in r.flags
    ]
    assert flagged == ["年办件量"]  # 69.76万件 against ≥80000: met, full, yet a long 偏差原因


def test_at_least_sixty_new_table_cases() -> None:
    tables = (COMPLETION, GRADES, UNITS, RANGES, ZEROS, SAME_DAY, NAMES)
    assert sum(len(t) for t in tables) >= 60
