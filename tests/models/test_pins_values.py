"""Pins of the value reader (issue 21): its word tables, factors and limits, as tables of text → reading.

Each table covers a whole vocabulary (every prefix operator, every unit family's factor, every Chinese
digit place) or a limit and the step past it, so a changed entry, factor or bound does not pass unseen.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from desktop.models.scoring.values import (
    Direction,
    Quantity,
    ValueKind,
    format_value,
    implied_unit,
    read_value,
    to_common,
)

D = Decimal

# Every prefix operator, written before 5次, as the reader shows it back (strict ones keep > and <).
OPERATORS = {
    **dict.fromkeys(("≥", "≥=", ">=", "=>", "大于等于", "大于或等于", "不小于", "不低于", "不少于"), "≥5次"),
    **dict.fromkeys(("至少", "最少", "最低", "达到", "达", "达至", "提高到", "提高至", "提升到"), "≥5次"),
    **dict.fromkeys(("提升至", "增加到", "增加至", "增长到", "增长至", "增至"), "≥5次"),
    **dict.fromkeys((">", "高于", "大于", "超过", "多于"), ">5次"),
    **dict.fromkeys(("≤", "≤=", "<=", "=<", "小于等于", "小于或等于", "不大于", "不高于", "不超过"), "≤5次"),
    **dict.fromkeys(("不超出", "不多于", "至多", "最多", "最高", "控制在", "控制到", "控制于"), "≤5次"),
    **dict.fromkeys(("降低到", "降低至", "下降到", "下降至", "降至", "压缩到", "压缩至", "减少到", "减少至"), "≤5次"),
    **dict.fromkeys(("<", "低于", "小于", "少于", "不足"), "<5次"),
    **dict.fromkeys(("=", "==", "等于"), "=5次"),
    **dict.fromkeys(("约", "约为", "大约", "为"), "5次"),
}


@pytest.mark.parametrize(("operator", "shown"), OPERATORS.items())
def test_every_prefix_operator_and_whether_it_excludes_the_bound(operator: str, shown: str) -> None:
    value = read_value(f"{operator}5次")
    assert value.kind is ValueKind.QUANTITY
    assert format_value(value) == shown
    assert value.strict is (shown[0] in "><")


@pytest.mark.parametrize(
    ("text", "shown", "strict"),
    [
        ("两次以上", "≥2次", False),  # a suffix is never strict
        ("超过两次", ">2次", True),
        ("不少于三次", "≥3次", False),
        ("低于两次", "<2次", True),
        ("三个工作日内", "3个工作日内", False),
        ("两次", "2次", False),
    ],
)
def test_chinese_numeral_quantities_keep_their_operator(text: str, shown: str, strict: bool) -> None:
    value = read_value(text)
    assert (format_value(value), value.strict) == (shown, strict)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("零次", 0),
        ("两次", 2),
        ("九次", 9),
        ("十次", 10),
        ("十一次", 11),
        ("二十次", 20),
        ("一百次", 100),
        ("一百零五次", 105),
        ("一千次", 1000),
        ("一千二百次", 1200),
    ],
)
def test_every_chinese_digit_place(text: str, number: int) -> None:
    assert read_value(text).quantity == Quantity(D(number), "次")


@pytest.mark.parametrize(
    ("text", "shown", "label", "direction"),
    [
        ("百分之95", "95%", "", Direction.PLAIN),
        ("满意度百分之95", "95%", "满意度", Direction.PLAIN),  # the label stops where 百分之 starts
        ("不低于百分之90", "≥90%", "", Direction.HIGHER),  # the operator before 百分之 still counts
        ("百分之九十五", "95%", "", Direction.PLAIN),
        ("百分百", "100%", "", Direction.PLAIN),
    ],
)
def test_percent_written_in_words(text: str, shown: str, label: str, direction: Direction) -> None:
    value = read_value(text)
    assert (format_value(value), value.label, value.direction) == (shown, label, direction)


def test_percent_in_words_with_a_unit_is_not_a_percentage() -> None:
    assert read_value("百分之95人").kind is ValueKind.QUALITATIVE


@pytest.mark.parametrize(
    ("text", "unit"),
    [("3个批次", "批次"), ("3个", "个"), ("≥10个点位", "点位"), ("3个人次", "人次")],
)
def test_ge_before_a_unit_is_that_unit(text: str, unit: str) -> None:
    quantity = read_value(text).quantity
    assert quantity is not None and quantity.unit == unit


# (target, actual) → both in the finer unit: every factor of every unit family and of money.
CONVERSIONS = [
    ("1万元", "5000元", "10000", "5000", "元"),
    ("1千元", "500元", "1000", "500", "元"),
    ("1亿元", "5000万元", "10000", "5000", "万元"),
    ("1‰", "1%", "1", "10", "‰"),
    ("1分钟", "30秒", "60", "30", "秒"),
    ("1小时", "30分钟", "60", "30", "分钟"),
    ("1天", "2小时", "24", "2", "小时"),
    ("1周", "3天", "7", "3", "天"),
    ("1年", "6个月", "12", "6", "月"),
    ("1公里", "300米", "1000", "300", "米"),
    ("1公顷", "300m²", "10000", "300", "m²"),
    ("1平方公里", "3公顷", "100", "3", "公顷"),
    ("1千克", "300克", "1000", "300", "克"),
    ("1吨", "300千克", "1000", "300", "千克"),
    ("1万元/户", "3元/户", "10000", "3", "元/户"),
    ("≥3次/年", "4次", "3", "4", "次"),
    ("1.5万件", "1件", "15000", "1", "件"),  # bare multipliers are applied
    ("3千人", "1人", "3000", "1", "人"),
    ("2亿", "1", "200000000", "1", ""),
]


@pytest.mark.parametrize(("target", "actual", "a", "b", "unit"), CONVERSIONS)
def test_every_unit_factor(target: str, actual: str, a: str, b: str, unit: str) -> None:
    t, q = read_value(target).quantity, read_value(actual).quantity
    assert t is not None and q is not None
    assert to_common(t, q, "万元") == (D(a), D(b), unit)


@pytest.mark.parametrize(
    ("other_number", "unit"),
    [
        (D(99), "元"),  # 1 元 beside 99 元 is closer than 1 万元
        (D(100), "元"),  # equally far either way: the other side's unit
        (D(101), "万元"),  # 1 万元 beside 101 元 is closer
    ],
)
def test_a_bare_number_beside_money_takes_the_closer_unit(other_number: Decimal, unit: str) -> None:
    assert implied_unit(Quantity(D(1)), "元", "万元", other_number) == unit


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("1" * 200, ValueKind.QUANTITY),  # 200 characters: still read
        ("1" * 201, ValueKind.QUALITATIVE),  # longer texts are never parsed
        ("-" * 200, ValueKind.EMPTY),  # only dashes: nothing filled in
        ("-" * 201, ValueKind.QUALITATIVE),
    ],
)
def test_the_longest_text_that_is_parsed(text: str, kind: ValueKind) -> None:
    assert read_value(text).kind is kind


def test_the_longest_text_that_is_normalised_for_comparing() -> None:
    assert read_value("好" * 9_999 + "。").canonical == "好" * 9_999  # 10 000 characters: folded
    assert read_value("好" * 10_000 + "。").canonical == "好" * 10_000 + "。"  # longer: kept as typed
