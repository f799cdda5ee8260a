"""Scoring round 2: one table per kind of text that units write (issue 12), each row a general rule.

Every row is (指标值, 实际完成值, extra fields) → (suggested score, met, flags that must be there, words the
explanation must contain). Weight 4 unless a row says otherwise; central rules (80/60 bands, linear cap
formula) unless a row names another rule set.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

import pytest

from desktop.models.scoring.engine import (
    FLAG_NEEDS_REASON,
    FLAG_NOT_MET,
    FLAG_OVER_TARGET,
    FLAG_REASON_ON_FULL,
    FLAG_UNIT_MISMATCH,
    FLAG_UNREADABLE,
    IndicatorScore,
    evaluate,
)
from desktop.models.scoring.rules import RuleSet, load_ruleset
from desktop.models.workbook.domain import Band, Indicator

D = Decimal
CENTRAL = load_ruleset("central")
HUBEI = load_ruleset("hubei")
FULL = D(4)


@dataclass(frozen=True)
class Row:
    target: str
    actual: str
    suggested: Decimal | None
    met: bool | None
    flags: frozenset[str] = frozenset()
    explain: tuple[str, ...] = ()
    fields: dict[str, Any] = field(default_factory=dict)


def row(
    target: str,
    actual: str,
    suggested: Decimal | str | None,
    met: bool | None,
    *flags: str,
    explain: tuple[str, ...] | str = (),
    **fields: Any,
) -> Row:
    number = D(suggested) if isinstance(suggested, str) else suggested
    words = (explain,) if isinstance(explain, str) else explain
    return Row(target, actual, number, met, frozenset(flags), words, fields)


def judge(r: Row, ruleset: RuleSet = CENTRAL, money_unit: str = "万元") -> IndicatorScore:
    fields: dict[str, Any] = {"level1": "产出指标", "level2": "质量指标", "name": "测试指标", "weight": FULL}
    fields.update(r.fields)
    fields.pop("ruleset", None)
    indicator = Indicator(target=r.target, actual=r.actual, **fields)
    return evaluate(indicator, ruleset, money_unit)


def check(r: Row, ruleset: RuleSet = CENTRAL, money_unit: str = "万元") -> None:
    verdict = judge(r, ruleset, money_unit)
    assert (verdict.suggested, verdict.met) == (r.suggested, r.met), verdict.explain
    assert r.flags <= set(verdict.flags), verdict.flags
    for word in r.explain:
        assert word in verdict.explain, verdict.explain


def ids(rows: list[Row]) -> list[str]:
    return [f"{r.target}→{r.actual}" for r in rows]


# ---- completion phrases -------------------------------------------------------------------------

COMPLETION = [
    row("提升", "达成预期指标", FULL, True, explain="视为达成"),
    row("显著提升", "达到预期目标", FULL, True),
    row("按计划实施", "已完成", FULL, True),
    row("按计划实施", "全部完成", FULL, True),
    row("有效提升", "实现", FULL, True),
    row("规范", "符合要求", FULL, True),
    row("合规", "达标", FULL, True),
    row("长期", "均已完成", FULL, True),
    row("有效", "全部达到", FULL, True),
    row("年度任务", "完成年度目标任务", FULL, True),
    row("100%完成", "完成", FULL, True),
    row("=100%", "全部完成", FULL, True),
    row("≥95%", "达标", FULL, True),
    row("提升", "基本达到", "2.8", False, FLAG_NOT_MET, explain=("部分达成", "60%–80%", "建议得2.8分")),
    row("按计划实施", "部分完成", "2.8", False, FLAG_NOT_MET),
    row("≥95%", "基本完成", "2.8", False, FLAG_NOT_MET),
    row("提升", "有待提升", None, False, FLAG_UNREADABLE, FLAG_NOT_MET, explain="请选择完成等级"),
    row("按时", "未完成", None, False, FLAG_UNREADABLE, FLAG_NOT_MET),
    row("按时", "尚未完成", None, False, FLAG_UNREADABLE),
    row("合规", "不达标", None, False, FLAG_UNREADABLE),
    row("按计划实施", "进度滞后", None, False, FLAG_UNREADABLE),
    row("健全", "基本健全", "2.8", False, FLAG_NOT_MET),
    row("健全", "不健全", None, False, FLAG_UNREADABLE),
    row("提升", "有待提升", "1.2", False, FLAG_NOT_MET, band=Band.NOT_MET),  # the accountant's band scores it
    row("提升", "基本达到", FULL, True, band=Band.MET),  # and wins over the implied one
    row("≥30次", "已完成", None, None, FLAG_UNREADABLE),  # a count needs a count
    row("提升", "完成80%", None, None, FLAG_UNREADABLE),  # a number, not a phrase
]


@pytest.mark.parametrize("r", COMPLETION, ids=ids(COMPLETION))
def test_completion_phrases(r: Row) -> None:
    check(r)


def test_partly_uses_the_rule_sets_band_default() -> None:
    check(row("提升", "基本达到", "2.6", False), HUBEI)  # 80/50 bands, 部分达成 65%


# ---- grades on an ordinal scale -----------------------------------------------------------------

GRADES = [
    row("合格及以上", "较好", FULL, True, explain=("实际等级“较好”", "不低于")),
    row("良好以上", "优", FULL, True),
    row("良好", "优秀", FULL, True),
    row("合格", "良好", FULL, True),
    row("中", "合格", FULL, True),
    row("优", "良好", None, False, FLAG_UNREADABLE, FLAG_NOT_MET, explain="低于指标值“优”"),
    row("良好及以上", "合格", None, False, FLAG_UNREADABLE, FLAG_NOT_MET),
    row("合格", "不合格", None, False, FLAG_UNREADABLE),
    row("优", "良好", "2.8", False, band=Band.PARTLY),
]


@pytest.mark.parametrize("r", GRADES, ids=ids(GRADES))
def test_grades(r: Row) -> None:
    check(r)


# ---- units ----------------------------------------------------------------------------------------

UNITS = [
    row(">=530元/人*月", "530元/人·月", FULL, True, explain="实际530元/人·月"),
    row("≥530元/人·月", "500元/人×月", "3.77", False, FLAG_NOT_MET, explain="完成94.3%"),
    row("≤600元/人·月", "0.06万元/人·月", FULL, True),  # money per unit converts
    row("≤550元/人天", "560元/人·天", "3.93", False, FLAG_NOT_MET, explain="超出1.8%"),  # 人天 is 人·天
    row("≤500元/100km", "480元/100公里", FULL, True),  # km is 公里 after a count too
    row("≥3次/年", "4次", FULL, True, explain="指标值3次"),
    row("≥12次/年", "6次", "2", False, FLAG_NOT_MET),
    row("≥3次/月", "4次", None, None, FLAG_UNIT_MISMATCH),  # per month is not per year
    row("=72890元", "72890", FULL, True, explain="实际72890元"),
    row("≤114万元", "120", "3.79", False, explain="实际120万元", level2="成本指标"),
    row("≥1万余人", "1.2万余人", FULL, True, explain="实际1.2万人"),
    row("≥15000人", "1.2万余人", "3.2", False, FLAG_NOT_MET, explain="完成80%"),
    row("≥30人", "30余人", FULL, True),
    row("≤300万元", "200多万元", FULL, True, level2="成本指标"),
    row("≥100人", "100人左右", FULL, True),
]


@pytest.mark.parametrize("r", UNITS, ids=ids(UNITS))
def test_units(r: Row) -> None:
    check(r)


# ---- ranges and compound targets ------------------------------------------------------------------

RANGES = [
    row("95%-100%", "98%", FULL, True, explain="在指标值95–100%之内"),
    row("95%-100%", "90%", "3.79", False, FLAG_NOT_MET, explain="完成下限的94.7%"),
    row("85%～95%", "85%", FULL, True),
    row("85%～95%", "99%", "3.83", False, explain="超出上限4.2%"),
    row("85%～95%", "99%", "3.84", False, explain="按指标值/实际值计分", ruleset=HUBEI),
    row("95-100%", "96%", FULL, True),
    row("1-3个工作日", "2个工作日", FULL, True, explain="指标值3个工作日"),
    row("1-3个工作日", "0.5个工作日", FULL, True),
    row("1-3个工作日", "4个工作日", "2.67", False, FLAG_NOT_MET),
    row("≥80%且≤100%", "90%", FULL, True),
    row("≥80%且≤100%", "60%", "3", False, FLAG_NOT_MET),
    row("≥80%，且≤100%", "100%", FULL, True),
]


@pytest.mark.parametrize("r", RANGES, ids=ids(RANGES))
def test_ranges(r: Row) -> None:
    check(r, r.fields.get("ruleset", CENTRAL))


# ---- zero words ------------------------------------------------------------------------------------

ZEROS = [
    row("≤2起", "零投诉", FULL, True, explain=("“零投诉”", "按0起计")),
    row("≤5起", "无", FULL, True),
    row("0起", "0起", FULL, True),
    row("0", "无", FULL, True),
    row("=0件", "无", FULL, True),
    row("≤1%", "0起", FULL, True, explain="按0%计"),
    row("≤3件", "0件", FULL, True),
    row("≤2次", "未发生", FULL, True),
    row("≥3次", "无", None, None, FLAG_UNREADABLE),  # a floor is not met by nothing
    row("0起", "1起", D(0), False, FLAG_NOT_MET),
]


@pytest.mark.parametrize("r", ZEROS, ids=ids(ZEROS))
def test_zero_words(r: Row) -> None:
    check(r)


# ---- same-day and duration words --------------------------------------------------------------------

SAME_DAY = [
    row("3个工作日内", "当日办结", FULL, True, explain=("“当日办结”", "按1个工作日计")),
    row("≤1天", "当天办结", FULL, True),
    row("5个工作日内", "即时办结", FULL, True),
    row("≤2小时", "即时办结", FULL, True),
    row("≤2周", "当日办结", FULL, True),
    row("≤2小时", "当日办结", None, None, FLAG_UNREADABLE),  # a day is not within hours
    row("≥3次", "当日办结", None, None, FLAG_UNREADABLE),
]


@pytest.mark.parametrize("r", SAME_DAY, ids=ids(SAME_DAY))
def test_same_day_words(r: Row) -> None:
    check(r)


# ---- direction from the indicator's name ------------------------------------------------------------

NAMES = [
    row("3%", "2%", FULL, True, explain="名称含“预算调整率”", name="预算调整率"),
    row("3%", "4.5%", "2", False, explain="超出50%", name="预算调整率"),
    row("5%", "4%", FULL, True, name="结转结余率"),
    row("1%", "0.5%", FULL, True, name="群众投诉率"),
    row("1%", "2%", D(0), False, name="差错率"),
    row("2起", "1起", FULL, True, name="安全事故"),
    row("100%", "95%", FULL, True, name="三公经费控制率"),
    row("500元", "450元", FULL, True, name="人均培训成本"),
    row("100%", "95%", "3.8", False, name="政策覆盖率"),
    row("100%", "95%", "3.8", False, name="任务完成率"),
    row("100%", "95%", "3.8", False, name="群众满意度"),
    row("100%", "95%", "3.8", False, name="事故处理完成率"),  # the head noun (完成率) decides
    row("2%", "1%", FULL, True, name="产品不合格率"),
    row("≥3%", "4%", FULL, True, name="预算调整率"),  # an operator always wins
]


@pytest.mark.parametrize("r", NAMES, ids=[f"{r.fields['name']}:{r.target}→{r.actual}" for r in NAMES])
def test_direction_from_the_name(r: Row) -> None:
    check(r)


def test_a_province_extends_the_name_lists() -> None:
    province = replace(CENTRAL, plain_lower_names=(*CENTRAL.plain_lower_names, "空置率"))
    r = row("5%", "3%", FULL, True, name="房屋空置率")
    check(r, province)
    check(replace(r, suggested=D("2.4"), met=False), CENTRAL)  # 3 / 5 × 4: higher is better by default


# ---- a written reason on a full score ----------------------------------------------------------------

REASONS = [
    row("≥30次", "32次", FULL, True, FLAG_REASON_ON_FULL, deviation="受场地影响，部分活动合并举办"),
    row("提升", "提升", FULL, True, FLAG_REASON_ON_FULL, deviation="效果不明显"),
    row("≥30次", "32次", FULL, True, deviation="0"),
    row("≥30次", "32次", FULL, True, deviation="无"),
    row("≥30次", "32次", FULL, True, deviation="/"),
    row("≥30次", "32次", FULL, True, deviation="  "),
    row("≥30次", "20次", "2.67", False, FLAG_NOT_MET, deviation="受疫情影响"),
]


@pytest.mark.parametrize("r", REASONS, ids=[f"{r.actual}:{r.fields['deviation']!r}" for r in REASONS])
def test_reason_on_a_full_score(r: Row) -> None:
    verdict = judge(r)
    check(r)
    assert (FLAG_REASON_ON_FULL in verdict.flags) == (FLAG_REASON_ON_FULL in r.flags)
    assert FLAG_NEEDS_REASON not in verdict.flags


def test_a_manual_full_score_with_a_reason_is_flagged_but_a_deduction_is_not() -> None:
    base = Indicator("产出指标", "数量指标", "a", target="≥30次", actual="32次", weight=FULL, deviation="活动合并")
    full = evaluate(replace(base, score=FULL), CENTRAL, "万元")
    assert FLAG_REASON_ON_FULL in full.flags
    deducted = evaluate(replace(base, score=D(3)), CENTRAL, "万元")
    assert FLAG_REASON_ON_FULL not in deducted.flags


# ---- explanations name the numbers --------------------------------------------------------------------


def test_the_documented_explanation_still_names_every_number() -> None:
    verdict = judge(row("≥5662人", "4044人", None, None, weight=D(2), level2="数量指标"))
    assert verdict.explain == "实际4044人，指标值≥5662人，完成71.4%，得1.43分"


def test_over_target_still_applies_to_read_values() -> None:
    check(row("≥1万人", "1.5万余人", FULL, True, FLAG_OVER_TARGET, FLAG_NEEDS_REASON, explain="150%"))
