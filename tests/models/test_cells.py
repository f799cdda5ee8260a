"""The converters of typed cell text: one per column kind, agreeing with what validation reports."""

from __future__ import annotations

from decimal import Decimal

import pytest

from desktop.models.errors import UserError
from desktop.models.workbook.cells import (
    SELF_EVAL_COLUMNS,
    WEIGHT,
    NumberRule,
    indicator_problems,
    money_rule,
    parse_band,
    parse_goal,
    percent_rule,
)
from desktop.models.workbook.domain import MAX_CELL_TEXT, Band, Indicator


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
    ("weight", "score", "fields"),
    [
        (Decimal("150.123"), None, ["weight"]),
        (Decimal("150"), None, ["weight"]),
        (Decimal("10"), Decimal("-1"), ["score"]),
        (Decimal("10"), Decimal("9.125"), ["score"]),
        (Decimal("10"), Decimal("9.5"), []),
    ],
)
def test_a_value_the_table_refuses_is_a_stored_problem(
    weight: Decimal, score: Decimal | None, fields: list[str]
) -> None:
    problems = indicator_problems(Indicator(weight=weight, score=score))
    assert [key for key, _ in problems] == fields  # one message per field: the first rule it breaks
    column = {c.key: c for c in SELF_EVAL_COLUMNS}
    for key in ("weight", "score"):
        value = weight if key == "weight" else score
        if value is None:
            continue
        refused = any(k == key for k, _ in problems)
        if refused:
            with pytest.raises(UserError):
                column[key].parse(str(value))
        else:
            assert column[key].parse(str(value)) == value
