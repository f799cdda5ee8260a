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
    Span,
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


@pytest.mark.parametrize(
    ("text", "shown", "label"),
    [
        ("约为5次以上", "≥5次", ""),  # 约 / 为 add nothing: the suffix decides, never strict
        ("大约5次以上", "≥5次", ""),
        ("为5次以上", "≥5次", ""),
        ("增长率-5%", "-5%", "增长率"),  # a sign is no part of the label
        ("增长率+5%", "5%", "增长率"),
        ("1万～2万件", "1万件–2万件", ""),  # a low bound with its own multiplier is shown whole
        ("3-5次", "3–5次", ""),
        ("完成率2025年3月底前", "2025年3月底前", "完成率"),
    ],
)
def test_readings_shown_back(text: str, shown: str, label: str) -> None:
    value = read_value(text)
    assert (format_value(value), value.label, value.strict) == (shown, label, False)


@pytest.mark.parametrize(
    ("text", "quantity"),
    [
        ("5千万元", Quantity(D(5000), "万元", "千")),  # 千 applied, 万 belongs to the unit
        ("两万次", Quantity(D(20000), "次", "万")),
        ("十万次", Quantity(D(100000), "次", "万")),
        ("一亿次", Quantity(D(100_000_000), "次", "亿")),
        ("5Ms", Quantity(D(5), "Ms")),  # an ASCII unit is a whole word: not 米 + s
        ("5ms", Quantity(D(5), "ms")),
        ("5Mb/s", Quantity(D(5), "Mb/s")),  # M + a letter is a word even when a / follows
    ],
)
def test_multipliers_and_whole_word_units(text: str, quantity: Quantity) -> None:
    assert read_value(text).quantity == quantity


@pytest.mark.parametrize(
    "text",
    ["两栋", "5m次", "5-3次", "3次-5人", "≥3-5次", "12月至3月", "2025年2月30日前", "2025年13月前", "2025年12月32日"],
)
def test_texts_that_are_not_values(text: str) -> None:
    assert read_value(text).kind is ValueKind.QUALITATIVE


@pytest.mark.parametrize(
    ("text", "year", "month", "day"),
    [
        ("2025年上半年", 2025, 6, None),
        ("2025年中", 2025, 6, None),
        ("2025年初", 2025, 3, None),
        ("2025年下半年", 2025, 12, None),
        ("2025年三季度", 2025, 9, None),
        ("2025年第二季度末", 2025, 6, None),
        ("2025年3月上旬", 2025, 3, 10),
        ("2025年3月初", 2025, 3, 10),
        ("2025年3月中旬", 2025, 3, 20),
        ("2025年3月中", 2025, 3, 20),
        ("2025年3月底", 2025, 3, None),
        ("3月前", None, 3, None),
        ("1月至12月", None, 12, None),
        ("2025年1月至3月", 2025, 3, None),
        ("3月至2025年5月", 2025, 5, None),  # the year in the second half
        ("2025年1月-2025年6月", 2025, 6, None),
        ("年底前", None, 12, None),
        ("截至年底", None, 12, None),
        ("于年内", None, 12, None),
        ("本年度内", None, 12, None),
        ("当年底", None, 12, None),
    ],
)
def test_dates_and_the_part_of_the_year_they_end(text: str, year: int | None, month: int, day: int | None) -> None:
    value = read_value(text)
    assert value.kind is ValueKind.DATE and value.span is not None
    assert (value.span.year, value.span.month, value.span.day) == (year, month, day)


def test_money_base_and_what_a_span_is() -> None:
    assert Quantity(D(5), "次").base == 5
    assert Quantity(D(2), "万元").base == 20_000
    assert Span(amount=D(3), unit="天").is_date is False
    assert Span(year=2025).is_date is True
    assert Span(month=3).is_date is True
    assert Span().is_date is False


@pytest.mark.parametrize(
    ("bare", "other", "money_unit", "other_number", "unit"),
    [
        (Quantity(D(1)), "元", "万元", D(1000), "万元"),  # 1 万元 beside 1000 元 is closer
        (Quantity(D(126)), "万元", "元", D(1), "元"),  # 126 元 beside 1 万元
        (Quantity(D(100)), "万元", "元", D(10), "万元"),  # 100 万元 beside 10 万元
        (Quantity(D(0)), "元", "万元", D(5), "万元"),  # nothing to compare: the form's unit
        (Quantity(D(5)), "元", "万元", D(0), "万元"),
        (Quantity(D(1)), "元/户", "万元", D(100), "元/户"),
        (Quantity(D(1)), "元", "元", D(100), "元"),
        (Quantity(D(1)), "元", "", D(100), "元"),  # no money unit on the form: 万元 stands in (a tie)
        (Quantity(D(1)), "次", "万元", D(100), "次"),  # not money: the other side's unit
        (Quantity(D(10_000), "", "万"), "元", "万元", D(5), "元"),  # 1万 beside 元: the 万 was applied
    ],
)
def test_the_unit_of_a_bare_number(
    bare: Quantity, other: str, money_unit: str, other_number: Decimal, unit: str
) -> None:
    assert implied_unit(bare, other, money_unit, other_number) == unit


@pytest.mark.parametrize(
    ("text", "quantity"),
    [
        # found by mutation testing: the 万 after a 亿 counts its own section, it does not multiply the 亿
        ("一亿二千万元", Quantity(D(120_000_000), "元")),
        ("三亿五千万元", Quantity(D(350_000_000), "元")),
        ("一亿零五万次", Quantity(D(100_050_000), "次")),
        ("两万亿元", Quantity(D(20_000), "亿元", "万")),  # 万 before 亿 still multiplies
        ("五千万元", Quantity(D(5_000), "万元")),
        # and a numeral that starts with 万 counts one of it (it read as 0)
        ("万人次", Quantity(D(10_000), "人次")),
        ("万次", Quantity(D(10_000), "次")),
        ("三千亿五千万元", Quantity(D(300_050_000_000), "元")),
        ("二十三亿五千万元", Quantity(D(2_350_000_000), "元")),
        ("亿五千万元", Quantity(D(150_000_000), "元")),
    ],
)
def test_chinese_numerals_with_yi_and_wan(text: str, quantity: Quantity) -> None:
    assert read_value(text).quantity == quantity


@pytest.mark.parametrize(
    ("text", "year", "month", "day"),
    [
        ("2025年前", 2025, None, None),  # a year alone: its end
        ("12月至12月", None, 12, None),  # a range may start and end in one month
        ("3月至3月", None, 3, None),
        ("2025年5月至6月3日", 2025, 6, 3),  # the start month is compared with the end month, not its day
        ("十二月31日前", None, 12, 31),  # a Chinese month before the first digit
        ("2025年底全面建成", 2025, 12, None),  # a part of the year allows words after it
        ("于年内完成", None, 12, None),
        ("截至年底完成", None, 12, None),
        ("年底全面建成", None, 12, None),  # 年底 is a part of the year: words may follow
        ("年内全面建成", None, 12, None),  # 年内 ends in the suffix 内: so may they
    ],
)
def test_more_deadlines(text: str, year: int | None, month: int | None, day: int | None) -> None:
    value = read_value(text)
    assert value.kind is ValueKind.DATE and value.span is not None
    assert (value.span.year, value.span.month, value.span.day) == (year, month, day)


@pytest.mark.parametrize(
    "text",
    [
        "2025年3月上半年",
        "2025年3月三季度",
        "2025年1月至2月30日",
        "2025年1月至3月完成建设",
        "3次2025年3月底前",
        "5人*天",
    ],
)
def test_more_texts_that_are_not_values(text: str) -> None:
    assert read_value(text).kind is ValueKind.QUALITATIVE


def test_a_range_with_an_unreadable_side_is_text_folded_for_comparing() -> None:
    value = read_value("3-好次 。")
    assert (value.kind, value.canonical) == (ValueKind.QUALITATIVE, "3-好次")
