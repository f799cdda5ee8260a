"""The faster ways of the scoring code give what the plain ones they replaced gave.

Each reference below is the replaced code, kept here verbatim as the oracle.
"""

from __future__ import annotations

import calendar
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.models.errors import InvalidInputError, WorkbookFileError
from desktop.models.formats import interchange
from desktop.models.scoring import phrases
from desktop.models.scoring.value_types import Span
from desktop.models.storage import loader, store
from desktop.models.workbook.domain import Band, Workbook
from tests.helpers.bigworkbook import make_workbook
from tests.helpers.fixtures import load_sample


def _completion_reference(text: str) -> Band | None:
    word = text.rstrip(phrases._TRAILING)
    if not word or len(word) > phrases._MAX_PHRASE:
        return None
    for index in range(len(word)):
        stem = next((s for s in phrases._STEMS if word.startswith(s, index)), None)
        if stem is None:
            continue
        head, obj = word[:index], word[index + len(stem) :]
        if len(head) > phrases._HEAD_MAX or len(obj) > phrases._OBJECT_MAX or not phrases._CJK_RE.fullmatch(head + obj):
            return None
        return phrases._judged(head, obj)
    if len(word) <= phrases._HEAD_MAX * 2 and phrases._has_any(word, ("滞后", "有待", "尚未", "未能", "未达")):
        return Band.NOT_MET
    return None


_PIECES = [*phrases._STEMS, *phrases._NEGATIONS, *phrases._PARTIAL]
_PIECES += ["达", "成", "已", "均", "预期指标", "要求", "5", "%", "。", "不"]


@given(st.lists(st.sampled_from(_PIECES), max_size=8).map("".join))
def test_completion_reads_phrases_as_the_index_loop_did(text: str) -> None:
    assert phrases.completion(text) == _completion_reference(text)


@given(st.text(alphabet="达成到完实现符合标满足落实位办结工未基本部分已均。5", max_size=30))
def test_completion_on_any_mix_of_its_characters(text: str) -> None:
    assert phrases.completion(text) == _completion_reference(text)


def test_a_span_ends_on_the_last_day_calendar_gives() -> None:
    for year in (None, 1900, 2000, 2023, 2024, 2100):
        for month in (None, 0, *range(1, 13)):
            for day in (None, 0, 5):
                month_used = month or 12
                expected_day = day or calendar.monthrange(year or 2000, month_used)[1]
                assert Span(year=year, month=month, day=day).end == (year or 0, month_used, expected_day)


def _ids(workbook: Workbook) -> list[object]:
    rows = [[(ind.db_id, type(ind.weight), type(ind.band)) for ind in form.indicators] for form in workbook.forms]
    return [(form.db_id, form_rows) for form, form_rows in zip(workbook.forms, rows, strict=True)]


def _load_both(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Workbook, Workbook]:
    fast = store.load_any(path)
    with monkeypatch.context() as patch:
        patch.setattr(loader, "_indicators_at_once", lambda rows, forms: False)  # the row-by-row loop only
        careful = store.load_any(path)
    return fast, careful


@pytest.mark.parametrize("sample", ["wuwei-zwfw-2022-selfeval.json", "tianjin-zwfw-2025-targets.json"])
def test_indicators_loaded_at_once_are_those_of_the_row_by_row_loop(
    sample: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workbook = load_sample(sample)
    workbook.forms.extend(make_workbook(2, 20, long_texts=True).forms)
    workbook.forms[0].indicators[0].band = Band.PARTLY
    workbook.forms[0].indicators[0].goal = 2
    workbook.forms[0].indicators[1].score = None
    path = tmp_path / "book.jxdb"
    store.create_workbook_file(path, workbook).close()
    fast, careful = _load_both(path, monkeypatch)
    assert interchange.dumps(fast) == interchange.dumps(careful) == interchange.dumps(workbook)
    assert _ids(fast) == _ids(careful)


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("weight", "'abc'"),
        ("score", "'NaN'"),
        ("weight", "'Infinity'"),
        ("weight", "x'00ff'"),
        ("name", "x'4142'"),
        ("target", "x'4142'"),
        ("goal", "'abc'"),
        ("band", "'maybe'"),
    ],
)
def test_a_bad_indicator_row_is_named_as_the_row_by_row_loop_names_it(
    column: str, value: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "book.jxdb"
    store.create_workbook_file(path, load_sample("wuwei-zwfw-2022-selfeval.json")).close()
    conn = sqlite3.connect(path)
    row = conn.execute("SELECT id FROM indicator ORDER BY form_id, position, id LIMIT 1 OFFSET 3").fetchone()[0]
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute(f"UPDATE indicator SET {column} = {value} WHERE id = ?", (row,))
    conn.commit()
    conn.close()
    messages = []
    for use_fast in (True, False):
        with monkeypatch.context() as patch:
            if not use_fast:
                patch.setattr(loader, "_indicators_at_once", lambda rows, forms: False)
            with pytest.raises(WorkbookFileError) as raised:
                store.load_any(path)
            messages.append(raised.value.message)
    assert messages[0] == messages[1]
    assert f"指标记录 #{row}" in messages[0]


def test_rows_stored_column_by_column_are_those_stored_value_by_value() -> None:
    from desktop.models.storage import fresh

    rows: list[dict[str, object]] = [
        {"a": "文本", "b": Decimal("1.50"), "c": None, "d": Band.MET, "e": True, "f": 3},
        {"a": None, "b": None, "c": Decimal("-0"), "d": None, "e": False, "f": None},
        {"a": "", "b": Decimal("1E+2"), "c": "x", "d": "plain", "e": 0, "f": 10**12},
    ]
    columns = tuple(rows[0])
    expected = [tuple(map(fresh.stored, map(row.__getitem__, columns))) for row in rows]
    assert fresh._stored_rows(rows, columns) == expected
    assert [tuple(map(type, row)) for row in fresh._stored_rows(rows, columns)] == [
        tuple(map(type, row)) for row in expected
    ]
    assert fresh._stored_rows(rows, ("b",)) == [("1.50",), (None,), ("1E+2",)]
    with pytest.raises(TypeError):
        fresh._stored_rows([{"a": "x", "b": 1.5}], ("a", "b"))


def _number_problem_reference(value: Decimal) -> str | None:
    from desktop.models.limits import MAX_DIGITS, MAX_FRACTION_DIGITS

    if not value.is_finite():
        return "不是有效数字"
    if value != 0 and value.adjusted() >= 15:
        return "数值过大（应小于 10 的 15 次方）"
    _sign, raw_digits, raw_exponent = value.as_tuple()
    fraction_error = f"小数位数过多（最多 {MAX_FRACTION_DIGITS} 位）"
    if len(raw_digits) > 2 * MAX_DIGITS:
        return f"数字位数过多（最多 {MAX_DIGITS} 位有效数字）"
    if isinstance(raw_exponent, int) and raw_exponent > MAX_DIGITS:
        return "数值过大（应小于 10 的 15 次方）"
    if isinstance(raw_exponent, int) and raw_exponent < -2 * MAX_FRACTION_DIGITS:
        return fraction_error
    if value != 0 and value.adjusted() < -MAX_FRACTION_DIGITS:
        return fraction_error
    _sign, digits, exponent = value.normalize().as_tuple()
    if isinstance(exponent, int) and exponent < -MAX_FRACTION_DIGITS:
        return fraction_error
    if len(digits) > MAX_DIGITS:
        return f"有效数字过多（最多 {MAX_DIGITS} 位）"
    return None


_DECIMALS = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True),
    st.builds(
        lambda digits, exponent, sign: Decimal((sign, tuple(int(d) for d in digits), exponent)),
        st.text(alphabet="0123456789", min_size=1, max_size=70),
        st.integers(-40, 40),
        st.integers(0, 1),
    ),
)


@given(_DECIMALS)
def test_number_problem_with_its_common_case_first(value: Decimal) -> None:
    from desktop.models.limits import number_problem

    assert number_problem(value) == _number_problem_reference(value)


_ANY_VALUE = st.one_of(
    st.none(),
    st.sampled_from(["", "文本", "≥95%", "a\x01b", "\ud800", "x" * 100_001, "达成", "部分达成", "未达成", "maybe"]),
    st.decimals(allow_nan=True, allow_infinity=True, places=3),
    st.sampled_from([Decimal("1E+20"), Decimal("1.0000000000000000001"), Decimal("0E-40")]),
    st.integers(-(10**10), 10**10),
    st.sampled_from([10**15 - 1, 10**15, -(10**15) + 1, -(10**15), 10**9, 10**9 + 1]),
    st.booleans(),
    st.just(1.5),
    st.just([]),
)


@given(st.dictionaries(st.sampled_from([*interchange._INDICATOR_KEYS, "extra"]), _ANY_VALUE, max_size=8))
def test_a_plain_indicator_is_read_as_the_reader_reads_it(data: dict[str, object]) -> None:
    path = "forms[0].indicators[0]"
    quick = interchange._plain_indicator(data)
    try:
        expected = interchange._read_indicator(data, path)
    except InvalidInputError as exc:
        assert quick is None
        with pytest.raises(InvalidInputError) as raised:
            interchange._indicator(data, path)
        assert raised.value.message == exc.message
        return
    assert quick is None or type(data.get("weight", None)) in (Decimal, int, type(None))
    if quick is not None:
        fields = [*interchange._INDICATOR_KEYS, "db_id"]
        assert [repr(getattr(quick, name)) for name in fields] == [repr(getattr(expected, name)) for name in fields]


@pytest.mark.parametrize("sample", ["wuwei-zwfw-2022-selfeval.json", "tianjin-zwfw-2025-targets.json"])
def test_a_sample_read_with_plain_indicators_is_the_sample_read_by_the_reader(
    sample: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[object] = []
    quick = interchange._plain_indicator

    def counted(data: dict[str, object]) -> object:
        found = quick(data)
        calls.append(found)
        return found

    with monkeypatch.context() as patch:
        patch.setattr(interchange, "_plain_indicator", counted)
        fast = load_sample(sample)
    assert calls and all(found is not None for found in calls)
    with monkeypatch.context() as patch:
        patch.setattr(interchange, "_plain_indicator", lambda data: None)
        careful = load_sample(sample)
    assert interchange.dumps(fast) == interchange.dumps(careful)


def _too_deep_reference(data: object) -> bool:
    if type(data) is not dict and type(data) is not list:
        return False
    stack: list[tuple[object, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > interchange.MAX_DEPTH:
            return True
        for child in value.values() if isinstance(value, dict) else value:  # type: ignore[attr-defined]
            if type(child) is dict or type(child) is list:
                stack.append((child, depth + 1))
    return False


_NESTED = st.recursive(
    st.one_of(st.none(), st.integers(), st.text(max_size=3), st.decimals(allow_nan=False)),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=2), inner, max_size=3),
    max_leaves=60,
)


@given(_NESTED, st.integers(0, 25))
def test_too_deep_skips_plain_objects_and_still_finds_deep_nesting(data: object, extra: int) -> None:
    for _ in range(extra):
        data = [data] if extra % 2 else {"k": data, "n": 1}
    assert interchange._too_deep(data) == _too_deep_reference(data)


def test_indicator_score_is_built_as_its_dataclass_fields_say() -> None:
    import dataclasses
    import inspect

    from desktop.models.scoring.verdicts import IndicatorScore

    fields = dataclasses.fields(IndicatorScore)
    parameters = list(inspect.signature(IndicatorScore.__init__).parameters.values())[1:]
    assert [p.name for p in parameters] == [f.name for f in fields]
    assert [p.default for p in parameters] == [
        inspect.Parameter.empty if f.default is dataclasses.MISSING else f.default for f in fields
    ]
    score = IndicatorScore(Decimal(1), Decimal(2), True, ("a",), "x", band=Band.MET)
    assert [getattr(score, f.name) for f in fields] == [Decimal(1), Decimal(2), True, ("a",), "x", None, Band.MET]
    assert score == dataclasses.replace(score) and hash(score) == hash(dataclasses.replace(score))
    assert repr(score).startswith("IndicatorScore(suggested=Decimal('1'), score=Decimal('2')")
    with pytest.raises(dataclasses.FrozenInstanceError):
        score.score = None  # type: ignore[misc]


def _name_direction_reference(rs: object, name: str) -> tuple[bool, str] | None:
    squashed = "".join(name.split())
    best: tuple[int, int, bool, str] | None = None
    for words, lower in ((rs.plain_lower_names, True), (rs.plain_higher_names, False)):  # type: ignore[attr-defined]
        for word in words:
            at = squashed.rfind(word)
            if at >= 0:
                key = (at + len(word), len(word), lower, word)
                if best is None or key[:2] > best[:2]:
                    best = key
    return None if best is None else (best[2], best[3])


_RULESETS = ["central", "sichuan", "shandong", "hubei"]


def _name_pieces() -> list[str]:
    from desktop.models.scoring.rules import load_ruleset

    pieces = {"率", "成本", "满意", "度", " ", "指标", "投诉", "a", "（", "）", "次数"}
    for name in _RULESETS:
        rs = load_ruleset(name)
        pieces.update(rs.plain_lower_names, rs.plain_higher_names)
        pieces.update(word[:1] for word in rs.plain_lower_names)
        pieces.update(word[1:] for word in rs.plain_higher_names)
    return sorted(pieces)


@given(st.sampled_from(_RULESETS), st.lists(st.sampled_from(_name_pieces()), max_size=6).map("".join))
def test_name_direction_picks_the_word_the_rfind_loop_picked(ruleset: str, name: str) -> None:
    from desktop.models.scoring.rules import load_ruleset

    rs = load_ruleset(ruleset)
    assert rs.name_direction(name) == _name_direction_reference(rs, name)


def test_name_direction_of_rule_sets_with_shared_or_no_words() -> None:
    import dataclasses

    from desktop.models.scoring.rules import load_ruleset

    rs = load_ruleset()
    shared = dataclasses.replace(rs, plain_higher_names=(*rs.plain_higher_names, rs.plain_lower_names[0]))
    for name in ("", rs.plain_lower_names[0], f"某某{rs.plain_lower_names[0]}情况", "无关"):
        assert shared.name_direction(name) == _name_direction_reference(shared, name)
    none = dataclasses.replace(rs, plain_lower_names=(), plain_higher_names=())
    assert none.name_direction("投诉率") is None
