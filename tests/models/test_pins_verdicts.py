"""Pins of ``verdicts.py`` (issue 21): one indicator's verdict at each rule's edge, as tables.

Every row is (指标值, 实际完成值, fields) → (suggested score, met, exactly these flags, words of the
explanation). Weight 4, 质量指标, central rules unless a row says otherwise. The rows sit on the edges
a mutant moves: a threshold met exactly and missed by a little, a guard's both sides, each missing field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest

from desktop.models.scoring.engine import evaluate
from desktop.models.scoring.rules import load_ruleset
from desktop.models.scoring.verdicts import (
    FLAG_MANUAL_DIFFERS,
    FLAG_MANUAL_NO_REASON,
    FLAG_MANUAL_OUT_OF_BAND,
    FLAG_MISSING,
    FLAG_NEEDS_REASON,
    FLAG_NOT_MET,
    FLAG_OVER_TARGET,
    FLAG_REASON_ON_FULL,
    FLAG_UNIT_MISMATCH,
    FLAG_UNREADABLE,
    has_reason,
    pct,
    pending_text,
    show,
    tidy,
)
from desktop.models.workbook.domain import Band, Indicator

D = Decimal
CENTRAL = load_ruleset("central")
HUBEI = load_ruleset("hubei")
OVER, NOT_MET, NEEDS = FLAG_OVER_TARGET, FLAG_NOT_MET, FLAG_NEEDS_REASON
OUT, DIFFERS, NO_REASON = FLAG_MANUAL_OUT_OF_BAND, FLAG_MANUAL_DIFFERS, FLAG_MANUAL_NO_REASON


@dataclass(frozen=True)
class Row:
    target: str
    actual: str
    suggested: str | None
    met: bool | None
    flags: tuple[str, ...]
    explain: tuple[str, ...]
    fields: dict[str, Any] = field(default_factory=dict)


def row(
    target: str, actual: str, suggested: str | None, met: bool | None, *flags: str, explain: str = "", **fields: Any
) -> Row:
    return Row(target, actual, suggested, met, flags, tuple(explain.split("|")) if explain else (), fields)


def check(r: Row) -> None:
    fields: dict[str, Any] = {"level1": "产出指标", "level2": "质量指标", "name": "测试指标", "weight": D(4)}
    fields.update(r.fields)
    ruleset = fields.pop("ruleset", CENTRAL)
    verdict = evaluate(Indicator(target=r.target, actual=r.actual, **fields), ruleset, "万元")
    expected = None if r.suggested is None else D(r.suggested)
    assert (verdict.suggested, verdict.met) == (expected, r.met), verdict.explain
    assert set(verdict.flags) == set(r.flags), (verdict.flags, verdict.explain)
    for words in r.explain:
        assert words in verdict.explain, verdict.explain


def ids(rows: list[Row]) -> list[str]:
    return [f"{r.target}→{r.actual}" for r in rows]


QUANTITIES = [
    # far over the target: 130% exactly is flagged, just under is not
    row("≥100", "130", "4", True, OVER, NEEDS, explain="得满分|实际为指标值的130%，偏差较大，请说明原因"),
    row("≥100", "129.9", "4", True, explain="实际129.9 ≥ 指标值100，得满分"),
    row("≥100%", "130%", "4", True, OVER, NEEDS),
    # far below a cost cap: 76.9% of it is flagged (130% the other way), 77% is not
    row("≤100万元", "76.9万元", "4", True, OVER, NEEDS, explain="实际仅为上限的76.9%，偏差较大", level2="成本指标"),
    row("≤100万元", "77万元", "4", True, level2="成本指标"),
    row("≤100次", "70次", "4", True, level2="数量指标"),  # not a cost: never flagged below its cap
    # zero targets: met only by zero
    row("≤0次", "0次", "4", True, explain="实际0次 ≤ 指标值0次"),
    row("0次", "0次", "4", True, explain="实际0次 = 指标值0次"),
    row("0次", "1次", "0", False, NOT_MET, NEEDS, explain="实际1次，指标值0次，未达成，得0分"),
    row("=0", "1", "0", False, NOT_MET, NEEDS, explain="指标值=0，未达成"),
    row("0～0次", "1次", "0", False, NOT_MET, NEEDS, explain="未达成"),
    # = A: below scores like ≥, above like ≤, and 130% of it is flagged
    row("=100%", "100%", "4", True, explain="实际100% = 指标值100%"),
    row("=100%", "90%", "3.6", False, NOT_MET, NEEDS, explain="完成90%，得3.6分"),
    row("=100%", "110%", "3.6", False, NOT_MET, NEEDS, explain="超出10%"),
    row("=100%", "129%", "2.84", False, NOT_MET, NEEDS),
    row("=100%", "130%", "2.8", False, OVER, NOT_MET, NEEDS),
    # a range: both bounds met, below and above score like ≥ low and ≤ high
    row("85%～95%", "85%", "4", True, explain="实际85%在指标值85–95%之内"),
    row("85%～95%", "95%", "4", True),
    row("85%～95%", "80%", "3.76", False, NOT_MET, NEEDS, explain="完成下限的94.1%"),
    row("85%～95%", "96%", "3.96", False, NOT_MET, NEEDS, explain="超出上限1.1%"),
    # lower is better by the level, the ratio formula of another rule set
    row(
        "≤100",
        "120",
        "3.33",
        False,
        NOT_MET,
        NEEDS,
        explain="超出20%，按指标值/实际值计分",
        level2="成本指标",
        ruleset=HUBEI,
    ),
    row("≤1年", "13个月", "3.67", False, NOT_MET, NEEDS, explain="实际13个月，指标值≤1年，超出8.3%"),
    row("≥1万元", "2", "4", True, OVER, NEEDS, explain="实际2万元 ≥ 指标值1万元"),  # a bare number in the form's unit
    row("≥10000件", "2万", "4", True, OVER, NEEDS, explain="实际2万件 ≥ 指标值10000件"),  # shown in the other's unit
    row("≥100万元", "114万", "4", True, explain="实际114万 ≥ 指标值100万元"),  # 114万 is 1140000 元: shown as typed
    row("≤0次", "2次", "0", False, NOT_MET, NEEDS, explain="实际2次，指标值≤0次，未达成，得0分"),  # a zero cap exceeded
    row("≥0%", "-5%", "0", False, NOT_MET, NEEDS, explain="实际-5%，指标值≥0%，未达成，得0分"),  # below a zero floor
    row("≤0万元", "0万元", "4", True, level2="成本指标"),  # nothing spent under a zero cap: not "far below"
    row("≤1万", "1.2万", "3.2", False, NOT_MET, NEEDS, explain="实际1.2万元，指标值≤1万元", level2="成本指标"),
]


@pytest.mark.parametrize("r", QUANTITIES, ids=ids(QUANTITIES))
def test_quantitative_edges(r: Row) -> None:
    check(r)


WORDS_FOR_NUMBERS = [
    row("≤2次", "无", "4", True, explain="实际“无”（按0次计） ≤ 指标值2次"),  # none against a cap
    row("≥2次", "无", None, None, FLAG_UNREADABLE, explain="无法与指标值“≥2次”比较"),  # not against a floor
    row("≤5%", "0起", "4", True, explain="“0起”（按0%计）"),  # a count of nothing against a rate cap
    row("≤2小时", "即时办结", "4", True, explain="按0小时计"),
    row("≤2周", "当日办结", "4", True, explain="按1天计"),
    row("≤3天", "当日办结", "4", True, explain="按1天计"),
    row("≤2天", "即日办结", "4", True, explain="按1天计"),
    row("≤2个月", "当日办结", None, None, FLAG_UNREADABLE),  # a day is counted only in 天, 工作日 or 周
    row("≥3次", "即时办结", None, None, FLAG_UNREADABLE, explain="无法与指标值“≥3次”比较"),  # not a time
    row("≤3天", "良好", None, None, FLAG_UNREADABLE, explain="实际完成值“良好”无法与指标值“≤3天”比较"),
    row(
        "≥30次", "30人", None, None, FLAG_UNIT_MISMATCH, explain="指标值单位“次”与实际完成值单位“人”不一致，请统一单位"
    ),
    row("≥30次", "100%", None, None, FLAG_UNIT_MISMATCH),
    row("≥30次", "30人", "2.8", False, FLAG_UNIT_MISMATCH, NOT_MET, NEEDS, explain="部分达成", band=Band.PARTLY),
]


@pytest.mark.parametrize("r", WORDS_FOR_NUMBERS, ids=ids(WORDS_FOR_NUMBERS))
def test_words_standing_for_numbers_and_unit_mismatch(r: Row) -> None:
    check(r)


DATES_AND_MISSING = [
    row("2025年12月底前", "2025年11月", "4", True, explain="实际2025年11月在期限“2025年12月底前”以内"),
    row("2025年12月底前", "2026年1月", None, False, FLAG_UNREADABLE, NOT_MET, explain="晚于期限|请选择完成等级"),
    row("2025年12月底前", "2026年1月", "2.8", False, NOT_MET, NEEDS, explain="晚于期限|部分达成", band=Band.PARTLY),
    row("12月底前", "2026年1月", "4", True),  # no year on one side: month and day only
    row("2025年12月底前", "良好", None, None, FLAG_UNREADABLE, explain="无法与指标值“2025年12月底前”比较"),
    row("", "5", None, None, FLAG_MISSING, explain="未填写指标值"),
    row("5", "", None, None, FLAG_MISSING, explain="未填写实际完成值"),
    row("", "", None, None, FLAG_MISSING, explain="未填写指标值和实际完成值"),
    row("", "5", "4", True, FLAG_MISSING, explain="未填写指标值，完成等级“达成”", band=Band.MET),
    row("≥100", "90", None, False, FLAG_MISSING, NOT_MET, explain="完成90%；未填写分值，无法计分", weight=None),
]


@pytest.mark.parametrize("r", DATES_AND_MISSING, ids=ids(DATES_AND_MISSING))
def test_dates_and_missing_fields(r: Row) -> None:
    check(r)


QUALITATIVE = [
    *[
        row("提升", actual, "4", True, explain=f"实际完成值“{actual}”，视为达成")
        for actual in ("均已达标", "全部达到", "全面完成", "均达标", "已是", "已达标。", "及时", "全面有效")
    ],
    row("提升", "未", None, None, FLAG_UNREADABLE, explain="定性指标，请选择完成等级"),
    row("提升", "5次", None, None, FLAG_UNREADABLE, explain="定性指标"),
    row("良好", "100%", "4", True, explain="定性指标实际完成率100%，视为达成"),
    row("良好", "99%", None, None, FLAG_UNREADABLE),
]  # fmt: skip


@pytest.mark.parametrize("r", QUALITATIVE, ids=ids(QUALITATIVE))
def test_qualitative_edges(r: Row) -> None:
    check(r)


MANUAL = [
    row("≥100", "90", "3.6", False, NOT_MET, OUT, DIFFERS, NO_REASON, score=D(5)),  # above the weight
    row("≥100", "90", "3.6", False, NOT_MET, OUT, DIFFERS, NO_REASON, NEEDS, score=D(-1)),  # below zero
    row("≥100", "90", "3.6", False, NOT_MET, DIFFERS, NO_REASON, score=D(4)),  # full marks need no reason
    row("≥100", "90", "3.6", False, NOT_MET, score=D("3.6"), deviation="资金晚到"),
    row("≥100", "100", "4", True, FLAG_REASON_ON_FULL, score=D(4), deviation="资金到位晚"),
    row("≥100", "100", "0", True, score=D(0), deviation="资金到位晚", weight=D(0)),  # no full marks to doubt
    # a chosen or implied band bounds a manual score: 部分达成 is 60%–80% of 4
    row("提升", "基本达到", "2.8", False, NOT_MET, OUT, DIFFERS, score=D("3.3"), deviation="x"),
    row("提升", "基本达到", "2.8", False, NOT_MET, DIFFERS, score=D("3.1"), deviation="x"),
    row("提升", "基本达到", "2.8", False, NOT_MET, DIFFERS, score=D("2.4"), deviation="x"),
    row("提升", "基本达到", "2.8", False, NOT_MET, OUT, DIFFERS, score=D("2.3"), deviation="x"),
]  # fmt: skip


@pytest.mark.parametrize("r", MANUAL, ids=ids(MANUAL))
def test_manual_scores_and_reasons(r: Row) -> None:
    check(r)


@pytest.mark.parametrize(
    "text",
    ["", "0", "无", "暂无", "没有", "无偏差", "没有偏差", "不存在偏差", "未发生偏差", "未偏差", "无偏差情况",
     "—", "--", "-", "/", "／", "\\", "无。", " 无 ", "无；", "无偏差。", "无.", "无;"],
)  # fmt: skip
def test_texts_that_give_no_reason(text: str) -> None:
    assert has_reason(text) is False


def test_texts_that_give_a_reason() -> None:
    assert has_reason(None) is False
    assert has_reason("资金晚到") is True
    assert has_reason("无偏差，但资金晚到") is True


@pytest.mark.parametrize(
    ("value", "tidied", "shown"),
    [("3.50", "3.5", "3.5"), ("10.00", "10", "10"), ("1E+1", "10", "10"), ("0.10", "0.1", "0.1"), ("0", "0", "0")],
)
def test_numbers_in_explanations(value: str, tidied: str, shown: str) -> None:
    assert str(tidy(D(value))) == tidied
    assert show(D(value)) == shown


@pytest.mark.parametrize(("fraction", "text"), [("0.9762", "97.6"), ("1", "100"), ("0.00049", "0"), ("1.3", "130")])
def test_percentages_in_explanations(fraction: str, text: str) -> None:
    assert pct(D(fraction)) == text


def test_the_total_of_an_incomplete_form() -> None:
    assert pending_text(3) == "待评（3项未评）"


@pytest.mark.parametrize("money_unit", ["", "美元"])
def test_bare_amounts_stay_bare_when_the_form_has_no_money_unit_we_know(money_unit: str) -> None:
    indicator = Indicator("产出指标", "成本指标", "测试指标", target="≤1万", actual="1.2万", weight=D(4))
    verdict = evaluate(indicator, CENTRAL, money_unit)
    assert verdict.suggested == D("3.2")
    assert "实际1.2万，指标值≤1万，超出20%" in verdict.explain
