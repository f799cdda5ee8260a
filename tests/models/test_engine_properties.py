"""Invariants of the scoring engine, checked on generated rows (hypothesis).

- a suggested score never exceeds its 分值 and never goes below 0;
- moving the actual toward the target never lowers the score;
- a met target scores the full 分值 (unless a manual score says otherwise);
- the explanation names the numbers it used (actual, target, and the score when not full).
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.models.scoring.engine import evaluate, show
from desktop.models.scoring.rules import RuleSet, load_ruleset
from desktop.models.scoring.values import format_number
from desktop.models.workbook.domain import Band, Indicator

D = Decimal
RULESETS = [load_ruleset(name) for name in ("central", "hubei", "sichuan")]

numbers = st.decimals(min_value=D("0.01"), max_value=D(100_000), places=2, allow_nan=False, allow_infinity=False)
weights = st.decimals(min_value=D("0.5"), max_value=D(50), places=1)
operators = st.sampled_from(["≥", "≤", "=", ">", "<", ""])
units = st.sampled_from(["%", "次", "人", "万元", "天", "个工作日"])
levels = st.sampled_from(["数量指标", "成本指标", "质量指标"])
rulesets = st.sampled_from(RULESETS)


def _row(target: str, actual: str, weight: Decimal, level2: str, **more: object) -> Indicator:
    return Indicator("产出指标", level2, "指标", target=target, actual=actual, weight=weight, **more)  # type: ignore[arg-type]


def _suggested(op: str, a: Decimal, b: Decimal, unit: str, weight: Decimal, level2: str, rs: RuleSet) -> Decimal:
    verdict = evaluate(_row(f"{op}{a}{unit}", f"{b}{unit}", weight, level2), rs, "万元")
    assert verdict.suggested is not None, verdict.explain
    return verdict.suggested


@settings(max_examples=150, deadline=None)
@given(operators, numbers, numbers, units, weights, levels, rulesets)
def test_a_score_stays_within_0_and_its_weight(
    op: str, a: Decimal, b: Decimal, unit: str, weight: Decimal, level2: str, rs: RuleSet
) -> None:
    assert D(0) <= _suggested(op, a, b, unit, weight, level2, rs) <= weight


@settings(max_examples=150, deadline=None)
@given(operators, numbers, numbers, numbers, units, weights, levels, rulesets)
def test_moving_the_actual_toward_the_target_never_lowers_the_score(
    op: str, a: Decimal, b1: Decimal, b2: Decimal, unit: str, weight: Decimal, level2: str, rs: RuleSet
) -> None:
    far, near = (b1, b2) if abs(b1 - a) >= abs(b2 - a) else (b2, b1)
    if (far - a) * (near - a) < 0:
        return  # on opposite sides of the target: not "toward" it
    assert _suggested(op, a, far, unit, weight, level2, rs) <= _suggested(op, a, near, unit, weight, level2, rs)


@settings(max_examples=150, deadline=None)
@given(operators, numbers, numbers, units, weights, levels, rulesets)
def test_a_met_target_scores_full_unless_a_manual_score_says_otherwise(
    op: str, a: Decimal, b: Decimal, unit: str, weight: Decimal, level2: str, rs: RuleSet
) -> None:
    row = _row(f"{op}{a}{unit}", f"{b}{unit}", weight, level2)
    verdict = evaluate(row, rs, "万元")
    if verdict.met:
        assert verdict.suggested == weight and verdict.score == weight
    row.score = weight / 2
    manual = evaluate(row, rs, "万元")
    assert manual.score == weight / 2 and manual.suggested == verdict.suggested and manual.manual


@settings(max_examples=150, deadline=None)
@given(operators, numbers, numbers, units, weights, levels, rulesets)
def test_the_explanation_names_the_numbers_used(
    op: str, a: Decimal, b: Decimal, unit: str, weight: Decimal, level2: str, rs: RuleSet
) -> None:
    verdict = evaluate(_row(f"{op}{a}{unit}", f"{b}{unit}", weight, level2), rs, "万元")
    assert f"实际{format_number(b)}" in verdict.explain
    assert "指标值" in verdict.explain and format_number(a) in verdict.explain.split("指标值", 1)[1]
    assert verdict.suggested is not None
    if verdict.suggested == weight:
        assert verdict.explain.split("；")[0].endswith("得满分")
    else:
        assert f"得{show(verdict.suggested)}分" in verdict.explain


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(list(Band)), weights, rulesets, st.sampled_from(["提升", "规范", "健全"]))
def test_a_band_scores_inside_its_range(band: Band, weight: Decimal, rs: RuleSet, target: str) -> None:
    verdict = evaluate(_row(target, "有所改善", weight, "质量指标", band=band), rs, "万元")
    assert verdict.suggested is not None and verdict.band is band
    low, high = rs.band_range(band)
    assert low * weight - D("0.01") <= verdict.suggested <= high * weight
