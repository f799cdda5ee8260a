"""The converters of typed cell text: one per column kind, agreeing with what validation reports."""

from __future__ import annotations

from decimal import Decimal

import pytest

from desktop.models.errors import UserError
from desktop.models.scoring.engine import ScoringEngine
from desktop.models.scoring.validation import ERROR, check_form
from desktop.models.workbook.cells import (
    SELF_EVAL_COLUMNS,
    WEIGHT,
    NumberRule,
    check_score,
    money_rule,
    parse_band,
    parse_goal,
    percent_rule,
)
from desktop.models.workbook.domain import MAX_CELL_TEXT, Band, Form, FormKind, Indicator, Workbook


def test_numbers_take_full_width_digits_separators_and_a_trailing_unit() -> None:
    rule = NumberRule("分值")
    assert rule.parse(" 3分 ") == Decimal(3)
    assert rule.parse("１，２３４.５") == Decimal("1234.5")
    assert rule.parse("") is None
    assert percent_rule("3月底累计支出比例").parse("50%") == Decimal(50)
    for bad in ("NaN", "Infinity", "1e", "3.5.1", "一半"):
        with pytest.raises(UserError, match="必须是数字"):
            rule.parse(bad)


def test_numbers_refuse_negatives_extra_decimals_and_values_above_the_maximum() -> None:
    with pytest.raises(UserError, match="负数"):
        WEIGHT.parse("-5")
    with pytest.raises(UserError, match="两位小数"):
        WEIGHT.parse("1.234")
    with pytest.raises(UserError, match="不能超过 100"):
        WEIGHT.parse("150")
    assert money_rule("预算数").parse("291.54321") == Decimal("291.54321")


def test_bands_and_goals() -> None:
    assert parse_band("达成") is Band.MET and parse_band("未达成") is Band.NOT_MET and parse_band("") is None
    with pytest.raises(UserError, match="完成情况"):
        parse_band("很好")
    assert parse_goal("绩效目标2") == 2 and parse_goal("３") == 3 and parse_goal("") is None
    with pytest.raises(UserError, match="目标序号"):
        parse_goal("0")


def test_text_columns_keep_required_fields_as_empty_text() -> None:
    name, target = SELF_EVAL_COLUMNS[2], SELF_EVAL_COLUMNS[3]
    assert name.parse("  ") == "" and target.parse("  ") is None
    with pytest.raises(UserError, match="内容过长"):
        target.parse("长" * (MAX_CELL_TEXT + 1))


@pytest.mark.parametrize(
    ("weight", "score"),
    [
        (Decimal("150.123"), None),
        (Decimal("150"), None),
        (Decimal("10"), Decimal("-1")),
        (Decimal("10"), Decimal("9.125")),
        (Decimal("10"), Decimal("12")),
        (Decimal("10"), Decimal("9.5")),
        (Decimal("100"), Decimal("0")),
    ],
)
def test_a_value_the_table_refuses_is_one_validation_reports(weight: Decimal, score: Decimal | None) -> None:
    indicator = Indicator(level1="产出指标", level2="数量指标", name="培训人次", target="≥100人次", actual="120人次")
    indicator.weight, indicator.score = weight, score
    form = Form(kind=FormKind.PROJECT_SELF_EVAL, title="培训项目", indicators=[indicator])
    findings = check_form(Workbook(forms=[form]), 0, ScoringEngine())
    reported = {f.field for f in findings if f.severity == ERROR and f.indicator_index == 0}
    columns = {c.key: c for c in SELF_EVAL_COLUMNS}
    for key, value in (("weight", weight), ("score", score)):
        if value is None:
            continue
        try:
            typed = columns[key].parse(str(value))
            if key == "score":
                check_score(weight, typed)
            refused = False
        except UserError:
            refused = True
        assert refused == (key in reported), (key, value, findings)
