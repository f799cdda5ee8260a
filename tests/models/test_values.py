"""Tests of the value reader: every form of forms.md §3, unit comparison, deadlines, samples, fuzzing."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.models.scoring.values import (
    MAX_PARSED,
    Direction,
    Quantity,
    Span,
    Value,
    ValueKind,
    comparable,
    format_quantity,
    format_value,
    normalize_text,
    read_value,
    span_within,
    to_common,
)
from tests.helpers.fixtures import SAMPLE_FILES

Q, DT, DU, QL, EM = ValueKind.QUANTITY, ValueKind.DATE, ValueKind.DURATION, ValueKind.QUALITATIVE, ValueKind.EMPTY
HI, LO, EQ, PL, DL = Direction.HIGHER, Direction.LOWER, Direction.EQUAL, Direction.PLAIN, Direction.DEADLINE


class Case(NamedTuple):
    text: str
    kind: ValueKind
    direction: Direction | None = None
    number: str | None = None  # expected Quantity.number (after 万 / 亿)
    unit: str | None = None
    span: Span | None = None
    strict: bool = False


def _dur(amount: str, unit: str) -> Span:
    return Span(amount=Decimal(amount), unit=unit)


# Every example of forms.md §3, then the look-alikes and word forms it names.
CASES = [
    Case("≥95%", Q, HI, "95", "%"),
    Case("≤114万", Q, LO, "1140000", ""),
    Case("≤114万元", Q, LO, "114", "万元"),
    Case(">85分", Q, HI, "85", "分", strict=True),
    Case("=100%", Q, EQ, "100", "%"),
    Case("＝100%", Q, EQ, "100", "%"),
    Case("＜5%", Q, LO, "5", "%", strict=True),
    Case("≦平均成本", QL),
    Case("≧95%", Q, HI, "95", "%"),
    Case("100%", Q, PL, "100", "%"),
    Case("1次", Q, PL, "1", "次"),
    Case("12次", Q, PL, "12", "次"),
    Case("4次/天", Q, PL, "4", "次/天"),
    Case("365天", Q, PL, "365", "天", _dur("365", "天")),
    Case("≤0.5小时", DU, LO, "0.5", "小时", _dur("0.5", "小时")),
    Case("≤10分钟", DU, LO, "10", "分钟", _dur("10", "分钟")),
    Case("2小时内响应", DU, DL, "2", "小时", _dur("2", "小时")),
    Case("≤3百分比", Q, LO, "3", "%"),
    Case("≥95百分比", Q, HI, "95", "%"),
    Case("≥95", Q, HI, "95", ""),
    Case("10000以上", Q, HI, "10000", ""),
    Case("85%以上", Q, HI, "85", "%"),
    Case("98%以上", Q, HI, "98", "%"),
    Case("不高于9万元", Q, LO, "9", "万元"),
    Case("≤130000元", Q, LO, "130000", "元"),
    Case("0", Q, PL, "0", ""),
    Case("0次", Q, PL, "0", "次"),
    Case("61.12万元", Q, PL, "61.12", "万元"),
    Case("600点位", Q, PL, "600", "点位"),
    Case("≥50000人次", Q, HI, "50000", "人次"),
    Case("5544.13m²", Q, PL, "5544.13", "m²"),
    Case("≥10亿", Q, HI, "1000000000", ""),
    Case("1.5万件", Q, PL, "15000", "件"),
    Case("2.97万", Q, PL, "29700", ""),
    Case("69.76万件", Q, PL, "697600", "件"),
    Case("2025年2月前", DT, DL, span=Span(2025, 2)),
    Case("2025年7月前完成", DT, DL, span=Span(2025, 7)),
    Case("12月底前", DT, DL, span=Span(None, 12)),
    Case("12月底", DT, DL, span=Span(None, 12)),
    Case("11月份之前", DT, DL, span=Span(None, 11)),
    Case("1月至12月", DT, DL, span=Span(None, 12)),
    Case("2025年1-12月", DT, DL, span=Span(2025, 12)),
    Case("2025年12月31日前", DT, DL, span=Span(2025, 12, 31)),
    Case("5个工作日内", DU, DL, "5", "工作日", _dur("5", "工作日")),
    Case("1个工作日之内", DU, DL, "1", "工作日", _dur("1", "工作日")),
    Case("工作完成后15个工作日内", DU, DL, "15", "工作日", _dur("15", "工作日")),
    Case("当年度全部工作日", QL),
    *(
        Case(word, QL)
        for word in (
            "合格 合格及以上 优 良好 健全 规范 完备 及时 按时偿还 有效保障 显著提升 提高 下降 满意 是 符合 稳定"
        ).split()
    ),
    Case("深化各领域务实合作，持续发挥达沃斯论坛对外推介、招商引资的重要平台作用。", QL),
    # operator look-alikes and spacing
    Case(">=95%", Q, HI, "95", "%"),
    Case("<= 5%", Q, LO, "5", "%"),
    Case("≥ 95 %", Q, HI, "95", "%"),
    Case("＞85分", Q, HI, "85", "分", strict=True),
    Case("﹦100%", Q, EQ, "100", "%"),
    Case("═100%", Q, EQ, "100", "%"),
    Case("＝ 100 ％", Q, EQ, "100", "%"),
    Case("≥９５％", Q, HI, "95", "%"),
    Case("≥1,000人", Q, HI, "1000", "人"),
    Case("5544.13㎡", Q, PL, "5544.13", "m²"),
    Case("120平方米", Q, PL, "120", "m²"),
    # word forms
    Case("5%以下", Q, LO, "5", "%"),
    Case("不低于90%", Q, HI, "90", "%"),
    Case("不得低于90%", Q, HI, "90", "%"),
    Case("不超过50万元", Q, LO, "50", "万元"),
    Case("不少于3次", Q, HI, "3", "次"),
    Case("至少2项", Q, HI, "2", "项"),
    Case("3%以内", Q, LO, "3", "%"),
    Case("3天内", DU, DL, "3", "天", _dur("3", "天")),
    Case("30分钟之内办结", DU, DL, "30", "分钟", _dur("30", "分钟")),
    Case("低于3%", Q, LO, "3", "%", strict=True),
    Case("高于90%", Q, HI, "90", "%", strict=True),
    Case("20次以上", Q, HI, "20", "次"),
    Case("≥120000页/件", Q, HI, "120000", "页/件"),
    Case("2元/户", Q, PL, "2", "元/户"),
    Case("12个月", Q, PL, "12", "月", _dur("12", "月")),
    Case("两次", Q, PL, "2", "次"),
    Case("三个工作日内", DU, DL, "3", "工作日", _dur("3", "工作日")),
    Case("百分之九十五", Q, PL, "95", "%"),
    Case("3千元", Q, PL, "3", "千元"),
    Case("≥85%(含)", Q, HI, "85", "%"),
    # labelled values
    Case("企业满意度≥95%", Q, HI, "95", "%"),
    Case("群众来电咨询接听率100%", Q, PL, "100", "%"),
    # more dates
    Case("2026年1月5日前，完成2025年政府公报印发。", DT, DL, span=Span(2026, 1, 5)),
    Case("十二月底前", DT, DL, span=Span(None, 12)),
    Case("2025年底前", DT, DL, span=Span(2025, 12)),
    Case("第三季度末", DT, DL, span=Span(None, 9)),
    Case("2025-12-31", DT, DL, span=Span(2025, 12, 31)),
    Case("12月31号", DT, DL, span=Span(None, 12, 31)),
    Case("2月30日前", QL),
    Case("第一份报告5月底之前提交，第二份报告10月底之前交", QL),
    Case("“12345”便民热线实行24小时人工接电", QL),
    Case("≥5%以下", QL),  # contradictory
    Case("90%-95%", Q, Direction.RANGE, "90", "%"),  # a range: ``upper`` holds 95%
    # empty
    Case("", EM),
    Case("   ", EM),
    Case("—", EM),
    Case("——", EM),
    Case("/", EM),
]


@pytest.mark.parametrize("case", CASES, ids=[c.text or "<blank>" for c in CASES])
def test_reads_every_form(case: Case) -> None:
    value = read_value(case.text)
    assert value.text == case.text
    assert value.kind is case.kind
    assert value.direction is case.direction
    assert value.strict is case.strict
    if case.number is None:
        assert value.quantity is None
    else:
        assert value.quantity is not None
        assert (value.quantity.number, value.quantity.unit) == (Decimal(case.number), case.unit)
    assert value.span == case.span


def test_multiplier_is_kept_for_display() -> None:
    assert read_value("1.5万件").quantity == Quantity(Decimal(15000), "件", "万")
    assert read_value("≥10亿").quantity == Quantity(Decimal(10**9), "", "亿")
    assert read_value("61.12万元").quantity == Quantity(Decimal("61.12"), "万元", "")


def test_labels_and_operators() -> None:
    assert read_value("企业满意度≥95%").label == "企业满意度"
    assert read_value("工作完成后15个工作日内").label == "工作完成后"
    assert read_value("≥95%").operator == "≥"
    assert read_value("＜5%").operator == "<"
    assert read_value("=100%").operator == "="
    assert read_value("100%").operator == ""


def test_canonical_text_unifies_look_alikes() -> None:
    assert read_value("≦平均成本").canonical == read_value("≤ 平均成本").canonical == "≤平均成本"
    assert read_value("按照要求，高质高效完成年度重点工作任务。").canonical == "按照要求,高质高效完成年度重点工作任务"
    assert normalize_text(" ＞＝９５％ ") == ">=95%"


def test_none_and_huge_texts() -> None:
    assert read_value(None).kind is EM
    huge = "≥95%" + "很" * 100_000
    assert read_value(huge).kind is QL
    assert read_value("9" * (MAX_PARSED + 1)).kind is QL
    assert read_value("9" * MAX_PARSED).kind is Q


def test_results_are_cached() -> None:
    assert read_value("≥95%") is read_value("≥95%")


def test_money_helpers() -> None:
    assert Quantity(Decimal("61.12"), "万元").is_money
    assert Quantity(Decimal("61.12"), "万元").base == Decimal(611200)
    assert not Quantity(Decimal(3), "次").is_money


# ------------------------------------------------------------------------------ comparable


def _q(text: str) -> Quantity:
    quantity = read_value(text).quantity
    assert quantity is not None, text
    return quantity


@pytest.mark.parametrize(
    ("target", "actual", "money_unit", "expected"),
    [
        ("30次", "32次", "万元", ("30", "32", "次")),
        ("≤130000元", "12万元", "万元", ("130000", "120000", "元")),
        ("≤130000元", "13", "万元", ("130000", "130000", "元")),  # bare number: the table's 万元
        ("≤130000元", "13", "元", ("130000", "13", "元")),
        ("≤114万", "100万元", "万元", ("1140000", "1000000", "元")),  # 万 already applied: 元
        ("≤114万元", "1.2亿元", "万元", ("114", "12000", "万元")),
        ("1.5万件", "2.97万", "万元", ("15000", "29700", "件")),
        ("≥95", "96%", "万元", ("95", "96", "%")),
        ("≥95百分比", "96%", "万元", ("95", "96", "%")),
        ("5‰", "0.4%", "万元", ("5", "4", "‰")),
        ("≤1天", "20小时", "万元", ("24", "20", "小时")),
        ("2元/户", "0.0003万元/户", "万元", ("2", "3", "元/户")),
        ("≥10亿", "10.44亿", "万元", ("1000000000", "1044000000", "")),
        ("3", "3", "万元", ("3", "3", "")),
    ],
)
def test_comparable_units(target: str, actual: str, money_unit: str, expected: tuple[str, str, str]) -> None:
    common = to_common(_q(target), _q(actual), money_unit)
    assert common == (Decimal(expected[0]), Decimal(expected[1]), expected[2])
    assert comparable(_q(target), _q(actual), money_unit) == (Decimal(expected[0]), Decimal(expected[1]))


@pytest.mark.parametrize(
    ("target", "actual"), [("10人", "10次"), ("5%", "5万元"), ("3天", "3工作日"), ("5次/天", "5次")]
)
def test_incomparable_units(target: str, actual: str) -> None:
    assert comparable(_q(target), _q(actual)) is None


# ------------------------------------------------------------------------------ span_within


def _s(text: str) -> Span:
    span = read_value(text).span
    assert span is not None, text
    return span


@pytest.mark.parametrize(
    ("actual", "limit", "expected"),
    [
        ("12月底", "12月底前", True),
        ("2025年11月20日", "12月底前", True),
        ("2025年12月31日", "2025年12月31日前", True),
        ("2026年1月3日", "2025年12月31日前", False),
        ("2025年2月", "2025年2月前", True),  # a month deadline allows that month
        ("2025年3月1日", "2025年2月前", False),
        ("12月底", "11月份之前", False),
        ("11月15日", "1月至12月", True),
        ("2024年12月", "2025年1-12月", True),
        ("2月29日", "2月底前", True),
        ("3个工作日", "5个工作日内", True),
        ("6个工作日", "5个工作日内", False),
        ("20分钟", "≤0.5小时", True),
        ("40分钟", "≤0.5小时", False),
        ("1.5小时", "2小时内响应", True),
        ("2天", "≤24小时", False),
        ("11个月", "1年内", True),
        ("5天", "5个工作日内", None),  # calendar days vs working days
        ("12月底", "5个工作日内", None),  # a date against a duration
        ("3个工作日", "12月底前", None),
    ],
)
def test_span_within(actual: str, limit: str, expected: bool | None) -> None:
    assert span_within(_s(actual), _s(limit)) is expected


def test_span_end() -> None:
    assert Span(2025, 2).end == (2025, 2, 28)
    assert Span(2024, 2).end == (2024, 2, 29)
    assert Span(None, 12).end == (0, 12, 31)
    assert Span(2025).end == (2025, 12, 31)
    assert Span(2025).is_date and not Span(2025).is_duration
    assert _dur("5", "天").is_duration and not _dur("5", "天").is_date


# ------------------------------------------------------------------------------ formatting


@pytest.mark.parametrize(
    ("text", "quantity", "value"),
    [
        ("30次", "30次", "30次"),
        ("≥95%", "95%", "≥95%"),
        ("61.12万元", "61.12万元", "61.12万元"),
        ("1.5万件", "1.5万件", "1.5万件"),
        ("≥95百分比", "95%", "≥95%"),
        ("12个月", "12个月", "12个月"),
        ("5个工作日内", "5个工作日", "5个工作日内"),
        ("114.00万元", "114万元", "114万元"),
        ("＜5%", "5%", "<5%"),
    ],
)
def test_format(text: str, quantity: str, value: str) -> None:
    read = read_value(text)
    assert read.quantity is not None
    assert format_quantity(read.quantity) == quantity
    assert format_value(read) == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025年2月前", "2025年2月底前"),
        ("2025年12月31日前", "2025年12月31日前"),
        ("12月底", "12月底前"),
        ("合格", "合格"),
    ],
)
def test_format_dates_and_text(text: str, expected: str) -> None:
    assert format_value(read_value(text)) == expected


# ------------------------------------------------------------------------------ samples


def _sample_values() -> list[tuple[str, str]]:
    found: set[tuple[str, str]] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, item in node.items():
                if key in ("target", "actual") and isinstance(item, str):
                    found.add((key, item))
                else:
                    walk(item)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for path in SAMPLE_FILES:
        walk(json.loads(Path(path).read_text(encoding="utf-8")))
    return sorted(found)


SAMPLE_VALUES = _sample_values()


def test_samples_hold_many_values() -> None:
    assert len(SAMPLE_VALUES) > 200


def test_every_sample_value_is_read_sensibly() -> None:
    kinds: dict[ValueKind, int] = dict.fromkeys(ValueKind, 0)
    for _, text in SAMPLE_VALUES:
        value = read_value(text)
        kinds[value.kind] += 1
        has_digit = any(ch.isdigit() for ch in normalize_text(text))
        if not has_digit:
            assert value.kind in (QL, EM), text  # no sample writes a number in Chinese numerals
        if len(text) > 40 or "\n" in text:
            assert value.kind is QL, text  # sentences are qualitative
        if value.kind in (Q, DU):
            assert value.quantity is not None and value.direction is not None, text
            # what format_value writes reads back to the same value
            again = read_value(format_value(value))
            assert (again.quantity, again.direction, again.strict) == (value.quantity, value.direction, value.strict)
        elif value.kind is DT:
            assert value.span is not None and value.span.is_date and value.direction is DL, text
            assert read_value(format_value(value)).span is not None
        else:
            assert value.quantity is None and value.span is None and value.direction is None, text
        short = normalize_text(text)
        if len(short) <= 12 and (short[:1].isdigit() or short[:1] in "≥≤<>=") and has_digit and "平均" not in short:
            assert value.is_readable, text  # short numeric texts are always understood
    assert kinds[Q] > 120 and kinds[DT] >= 10 and kinds[DU] >= 10 and kinds[QL] > 60


def test_sample_pairs_compare() -> None:
    """In the self-evaluation sample every quantitative target/actual pair has comparable units."""
    workbook = json.loads(Path(next(p for p in SAMPLE_FILES if "selfeval" in p.name)).read_text(encoding="utf-8"))
    pairs = 0
    for form in workbook["forms"]:
        for indicator in form.get("indicators", []):
            target, actual = read_value(indicator.get("target")), read_value(indicator.get("actual"))
            if target.quantity and actual.quantity:
                pairs += 1
                assert comparable(target.quantity, actual.quantity, form.get("money_unit", "万元")), indicator
    assert pairs > 40


# ------------------------------------------------------------------------------ properties

_INTERESTING = (
    "0123456789.,%年月日号底前内以上下之个工作天小时分钟万亿千元人次件"
    "≥≤<>=＝＞＜≧≦ -/~至到不低高于超过少第季度半两三十百分之比(含)"
)


@settings(max_examples=200, deadline=None)
@given(st.text() | st.text(alphabet=_INTERESTING, max_size=30))
def test_never_raises(text: str) -> None:
    value = read_value(text)
    assert isinstance(value, Value)
    assert value.text == text
    assert (value.direction is None) == (value.kind in (QL, EM))


_OPS: list[tuple[str, Direction, bool]] = [
    ("", PL, False),
    ("≥", HI, False),
    (">=", HI, False),
    ("≧", HI, False),
    ("＞", HI, True),
    (">", HI, True),
    ("≤", LO, False),
    ("<=", LO, False),
    ("≦", LO, False),
    ("＜", LO, True),
    ("=", EQ, False),
    ("＝", EQ, False),
    ("﹦", EQ, False),
    ("不低于", HI, False),
    ("不少于", HI, False),
    ("至少", HI, False),
    ("不高于", LO, False),
    ("不超过", LO, False),
]
_SUFFIXES: list[tuple[str, Direction]] = [("以上", HI), ("以下", LO), ("以内", LO)]
_UNITS = [("", ""), ("%", "%"), ("百分比", "%"), ("人", "人"), ("人次", "人次"), ("次", "次"), ("项", "项"),
          ("件", "件"), ("台", "台"), ("点位", "点位"), ("分", "分"), ("m²", "m²"), ("㎡", "m²"), ("元", "元"),
          ("万元", "万元"), ("亿元", "亿元"), ("次/天", "次/天"), ("元/户", "元/户")]  # fmt: skip
_FULL_WIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")


@st.composite
def _typed_quantity(draw: st.DrawFn) -> tuple[str, Decimal, str, Direction, bool]:
    scale = draw(st.integers(0, 2))
    number = Decimal(draw(st.integers(0, 10**9))).scaleb(-scale)
    digits = format(number, "f")
    if draw(st.booleans()) and scale == 0:
        digits = f"{int(number):,}"
    if draw(st.booleans()):
        digits = digits.translate(_FULL_WIDTH)
    unit_text, unit = draw(st.sampled_from(_UNITS))
    mult = "" if unit.split("/")[0] in ("元", "万元", "亿元") else draw(st.sampled_from(["", "", "万", "亿"]))
    space = draw(st.sampled_from(["", " ", "  "]))
    if draw(st.booleans()):
        op, direction, strict = draw(st.sampled_from(_OPS))
        text = f"{op}{space}{digits}{space}{mult}{unit_text}"
    else:
        suffix, direction = draw(st.sampled_from(_SUFFIXES))
        strict = False
        text = f"{digits}{mult}{space}{unit_text}{suffix}"
    factor = {"": 1, "万": 10_000, "亿": 100_000_000}[mult]
    return text, number * factor, unit, direction, strict


@settings(max_examples=200, deadline=None)
@given(_typed_quantity())
def test_recovers_operator_number_unit(typed: tuple[str, Decimal, str, Direction, bool]) -> None:
    text, number, unit, direction, strict = typed
    value = read_value(text)
    assert value.kind is Q, text
    assert value.quantity is not None
    assert (value.quantity.number, value.quantity.unit) == (number, unit), text
    assert (value.direction, value.strict) == (direction, strict), text
    again = read_value(format_value(value))
    assert (again.quantity, again.direction) == (value.quantity, value.direction)
