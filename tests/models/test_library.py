"""指标库: the bundled library, the history of earlier workbooks, suggestions, and the target-quality review."""

import json
from pathlib import Path

import pytest

from desktop.models.errors import InvalidInputError
from desktop.models.library.entries import (
    LibraryEntry,
    bundled_library,
    entries_from_data,
    guess_direction,
    library_text,
    load_library,
    target_template,
)
from desktop.models.library.history import History, HistoryEntry
from desktop.models.library.suggest import HISTORY, LIBRARY, SuggestionIndex, placeholder_span, row_fields
from desktop.models.scoring.engine import ScoringEngine
from desktop.models.scoring.validation import check_workbook
from desktop.models.workbook.domain import Form, FormKind, Indicator, Unit, Workbook


def test_the_bundled_library_keeps_a_source_for_every_entry() -> None:
    entries = bundled_library()
    assert len(entries) >= 115
    assert all(entry.source.strip() for entry in entries)
    categories = {entry.category for entry in entries}
    assert {"会议类", "培训类", "购置类", "工资保障类", "外事出国类"} <= categories
    by_name = {entry.name: entry for entry in entries}
    assert by_name["培训参加人数"].target == "≥**人"
    assert by_name["场地租赁费"].target == "≤**万元"


@pytest.mark.parametrize(
    ("name", "level2", "unit", "direction"),
    [
        ("培训参加人数", "数量指标", "人", "higher"),
        ("验收入库时间", "时效指标", "", "deadline"),
        ("超概算项目比例", "成本指标", "%", "lower"),
        ("人均培训成本", "成本指标", "元", "lower"),
        ("是否有违反外事纪律事件发生", "社会效益", "是/否", "equal"),
        ("群众投诉率", "质量指标", "%", "lower"),
        ("业务保障能力提升情况", "社会效益指标", "", ""),
    ],
)
def test_direction_is_guessed_from_the_indicators_own_words(name: str, level2: str, unit: str, direction: str) -> None:
    assert guess_direction(name, level2, unit) == direction


@pytest.mark.parametrize(
    ("typical", "unit", "direction", "template"),
    [
        ("", "台/件/辆/套", "higher", "≥**台"),
        ("", "%", "lower", "≤**%"),
        ("", "", "deadline", "**月**日前"),
        ("1600", "元/亩", "", "1600元/亩"),
        ("≥95", "%", "higher", "≥95%"),
        ("是", "是/否", "equal", "是"),
        ("", "", "", ""),
    ],
)
def test_target_templates(typical: str, unit: str, direction: str, template: str) -> None:
    assert target_template(typical, unit, direction) == template


def test_a_library_file_round_trips_and_hostile_ones_are_refused(tmp_path: Path) -> None:
    entries = [LibraryEntry("会议类", "产出指标", "数量指标", "召开会议次数", "≥**次", "次", "higher", "", "本单位")]
    path = tmp_path / "lib.json"
    path.write_text(library_text(entries), encoding="utf-8")
    assert load_library(path) == entries
    bad: list[tuple[object, str]] = [
        ({"format": "x"}, "不是指标库文件"),
        ({"format": "jixiao-indicator-library", "version": 1, "entries": [{"name": "n", "run": "x"}]}, "未知字段"),
        ({"format": "jixiao-indicator-library", "version": 1, "entries": [{"name": ""}]}, "不能为空"),
        ({"format": "jixiao-indicator-library", "version": 1, "entries": [{"name": "a\x00"}]}, "控制字符"),
        (
            {"format": "jixiao-indicator-library", "version": 1, "entries": [{"name": "n", "direction": "up"}]},
            "direction",
        ),
    ]
    for data, message in bad:
        with pytest.raises(InvalidInputError, match=message):
            entries_from_data(data)
    path.write_bytes(b"\xff\xfe")
    with pytest.raises(InvalidInputError, match="UTF-8"):
        load_library(path)


def _workbook(year: int, actual: str | None, kind: FormKind = FormKind.PROJECT_SELF_EVAL) -> Workbook:
    ind = Indicator(level1="产出指标", level2="质量指标", name="验收合格率", target="≥95%", actual=actual)
    return Workbook(unit=Unit("1", "某单位"), year=year, forms=[Form(kind=kind, title="设备购置", indicators=[ind])])


def test_history_replaces_a_reindexed_form_and_survives_a_save(tmp_path: Path) -> None:
    history = History()
    assert history.add_workbook(_workbook(2024, "96%")) == 1
    assert history.add_workbook(_workbook(2024, "98.6%")) == 1  # the same form again: replaced, not doubled
    history.add_workbook(_workbook(2023, "90%"))
    assert [(e.year, e.actual) for e in history.entries] == [(2024, "98.6%"), (2023, "90%")]
    path = tmp_path / "history.json"
    history.save(path)
    assert History.load(path).entries == history.entries
    assert History.load(tmp_path / "none.json").entries == []
    path.write_text("{", encoding="utf-8")
    with pytest.raises(InvalidInputError, match="已损坏"):
        History.load(path)


def test_a_damaged_history_entry_costs_only_itself(tmp_path: Path) -> None:
    path = tmp_path / "history.json"
    data = {
        "format": "jixiao-indicator-history",
        "version": 1,
        "entries": [{"level1": "a", "level2": "b", "name": "好"}, {"name": 5}, ["x"], {"name": "n", "year": "2024"}],
    }
    path.write_text(json.dumps(data), encoding="utf-8")
    assert [e.name for e in History.load(path).entries] == ["好"]


def test_suggestions_put_history_first_with_last_years_actual() -> None:
    history = History()
    history.add_workbook(_workbook(2023, "90%"))
    history.add_workbook(_workbook(2024, "98.6%"))
    library = [
        LibraryEntry("购置类", "产出指标", "质量指标", "购置设备的验收合格率", "≥**%", "%", "higher", "", "http://x"),
        LibraryEntry("购置类", "产出指标", "质量指标", "验收合格率", "≥**%", "%", "higher", "", "http://x"),
    ]
    index = SuggestionIndex(history, library)
    found = index.suggest("验收合格")
    assert [(s.origin, s.name) for s in found] == [(HISTORY, "验收合格率"), (LIBRARY, "购置设备的验收合格率")]
    assert found[0].hint == "2024年实际 98.6%"
    assert found[1].hint == "指标库·购置类"
    assert index.suggest("ＹＡＮ") == [] and index.suggest("  ") == []
    assert index.suggest("合格率")[0].origin == HISTORY


def test_prefix_matches_rank_first_and_the_limit_holds() -> None:
    library = [
        LibraryEntry("c", "产出指标", "数量指标", f"{prefix}培训次数{n}") for n in range(30) for prefix in ("", "年度")
    ]
    found = SuggestionIndex(History(), library).suggest("培训", limit=5)
    assert len(found) == 5
    assert all(s.name.startswith("培训") for s in found)


def test_choosing_a_suggestion_fills_the_row_and_selects_the_value_to_fill() -> None:
    entry = LibraryEntry("会议类", "产出指标", "数量指标", "会议出勤率", "≥**%", "%", "higher", "计划标准", "http://x")
    (suggestion,) = SuggestionIndex(History(), [entry]).suggest("出勤")
    assert row_fields(suggestion) == {
        "level1": "产出指标",
        "level2": "数量指标",
        "name": "会议出勤率",
        "target": "≥**%",
        "basis": "计划标准",
    }
    assert placeholder_span("≥**%") == (1, 3)
    assert placeholder_span("≥95.5%") == (1, 5)
    assert placeholder_span("达标") == (0, 2)


def _target_form(*rows: tuple[str, str, str, str]) -> Workbook:
    indicators = [Indicator(level1=l1, level2=l2, name=name, target=target) for l1, l2, name, target in rows]
    form = Form(kind=FormKind.PROJECT_TARGET, title="培训项目", overall_target="完成培训", indicators=indicators)
    return Workbook(unit=Unit("1", "某单位"), year=2025, forms=[form])


def _quality(workbook: Workbook, history: list[HistoryEntry] | None = None) -> list[str]:
    found = check_workbook(workbook, ScoringEngine(), history or [])
    return [f.text for f in found if f.severity == "warning" and "未涵盖" not in f.text]


def test_the_quality_review_finds_each_kind_on_a_crafted_form() -> None:
    workbook = _target_form(
        ("产出指标", "数量指标", "培训人数", "200"),  # no operator, no unit
        ("产出指标", "质量指标", "培训合格率", "≥**%"),  # placeholder left
        ("产出指标", "时效指标", "完成时间", "第一期5月，第二期待定"),  # digits that cannot be read
        ("效益指标", "社会效益指标", "学员满意度", "≥95%"),  # 满意度 standing in for 效益
        ("效益指标", "社会效益指标", "开展培训次数", "≥4次"),  # an output under 效益
        ("满意度指标", "服务对象满意度指标", "参训人员满意度", "≥90%"),
        ("产出指标", "成本指标", "人均培训成本", "≤800元"),
    )
    last_year = [HistoryEntry("满意度指标", "服务对象满意度指标", "参训人员满意度", "≥90%", "96%", year=2024)]
    texts = _quality(workbook, last_year)
    expected = [
        "第1行“培训人数”：指标值没有比较符号",
        "第1行“培训人数”：指标值“200”没有计量单位",
        "第2行“培训合格率”：指标值“≥**%”仍是占位符",
        "第3行“完成时间”：指标值“第一期5月，第二期待定”含有数字但无法读出数值",
        "第4行“学员满意度”：“学员满意度”是满意度指标，应放在“满意度指标”下",
        "第5行“开展培训次数”：效益指标“开展培训次数”计的是做了多少，属于产出",
        "第6行“参训人员满意度”：指标值低于上年实际（2024年实际 96%）",
    ]
    for words in expected:
        assert sum(words in text for text in texts) == 1, (words, texts)
    assert not any("人均培训成本" in text for text in texts)


def test_a_target_copying_last_years_actual_is_questioned_but_a_later_year_is_not_last_year() -> None:
    workbook = _target_form(("产出指标", "数量指标", "培训人数", "≥200人"))
    same = [HistoryEntry("产出指标", "数量指标", "培训人数", "≥180人", "≥200人", year=2024)]
    assert any("与上年实际相同" in text for text in _quality(workbook, same))
    later = [HistoryEntry("产出指标", "数量指标", "培训人数", "≥180人", "300人", year=2026)]
    assert not any("上年" in text for text in _quality(workbook, later))
    lower = [HistoryEntry("产出指标", "数量指标", "培训人数", "≥180人", "250人", year=2024)]
    assert any("低于上年实际" in text for text in _quality(workbook, lower))


def test_many_bare_targets_on_one_form_are_one_finding() -> None:
    workbook = _target_form(*[("产出指标", "数量指标", f"事项{n}", f"{n + 2}项") for n in range(5)])
    texts = _quality(workbook)
    assert sum("没有比较符号" in text for text in texts) == 1
    assert any("第1、2、3、4、5行（5项）" in text for text in texts)
