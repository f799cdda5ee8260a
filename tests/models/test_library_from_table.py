"""加入指标库 as a domain rule: a row's target becomes a ``**`` template, a duplicate is one already in the
library (bundled or own), and the suggestion index of a large history is built off the caller's thread."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.models.errors import UserError
from desktop.models.library.background import BackgroundIndex
from desktop.models.library.entries import LibraryEntry, bundled_library, load_library
from desktop.models.library.from_table import entries_from_rows, entry_from_indicator, placeholder_target, row_source
from desktop.models.library.history import HistoryEntry
from desktop.models.library.own import OWN_CATEGORY, add_to_own, load_own, own_library_path
from desktop.models.library.suggest import HISTORY, LIBRARY
from desktop.models.workbook.domain import Form, Indicator, Unit, Workbook


@pytest.mark.parametrize(
    ("target", "template"),
    [
        ("≥95%", "≥**%"),
        ("10月31日前", "**月**日前"),
        ("2021年4月15日", "**年**月**日"),
        ("≤30万元", "≤**万元"),
        ("1,200人", "**人"),
        ("≥99.5%", "≥**%"),
        ("95%-100%", "**%-**%"),
        ("≥80%且≤100%", "≥**%且≤**%"),
        ("5个工作日内", "**个工作日内"),
        ("２０人", "**人"),
        ("≤0次", "≤0次"),  # a zero cap is the target itself, as in the bundled library
        ("≤500元/100km", "≤**元/100km"),  # the count inside a per-unit stays
        ("  ≥3次 ", "≥**次"),
        ("有效提升", "有效提升"),
        ("是", "是"),
        ("≥**%", "≥**%"),
        ("优100%/良90%/中85%/差85%(评价标准)", "优100%/良90%/中85%/差85%(评价标准)"),
        ("", ""),
    ],
)
def test_a_target_becomes_a_template_with_the_placeholder(target: str, template: str) -> None:
    assert placeholder_target(target) == template


def test_a_row_becomes_an_entry_with_direction_unit_basis_and_source() -> None:
    row = Indicator("产出指标", "质量指标", "设备验收合格率", target="≥98%", basis="合同约定\r\n验收标准")
    entry = entry_from_indicator(row, "", "某局 2025年《设备购置》")
    assert entry == LibraryEntry(
        category=OWN_CATEGORY,
        level1="产出指标",
        level2="质量指标",
        name="设备验收合格率",
        target="≥**%",
        unit="%",
        direction="higher",
        basis="合同约定\n验收标准",
        source="某局 2025年《设备购置》",
    )
    cost = entry_from_indicator(Indicator("产出指标", "成本指标", "人均培训费", target="≤500元"), "培训类")
    assert (cost.category, cost.target, cost.unit, cost.direction) == ("培训类", "≤**元", "元", "lower")
    deadline = entry_from_indicator(Indicator("产出指标", "时效指标", "完成时间", target="11月底前"), "x")
    assert (deadline.target, deadline.direction) == ("**月底前", "deadline")
    worded = entry_from_indicator(Indicator("效益指标", "满意度指标", "群众满意度", target="较高"), "x")
    assert (worded.target, worded.direction) == ("较高", "higher")  # no operator: the name's words decide


def test_rows_without_a_name_are_skipped_and_a_field_too_long_is_refused_by_name() -> None:
    rows = [Indicator("产出指标", "数量指标", "培训人数", target="≥100人"), Indicator("产出指标", "数量指标", "  ")]
    assert [e.name for e in entries_from_rows(rows, "培训类")] == ["培训人数"]
    with pytest.raises(UserError, match="指标「培训人数」不能加入指标库：basis"):
        entries_from_rows([Indicator("产出指标", "数量指标", "培训人数", basis="依" * 3000)], "培训类")


def test_row_source_names_unit_year_and_form() -> None:
    workbook = Workbook(unit=Unit("001", "某市财政局"), year=2025)
    assert row_source(workbook, Form(title=" 设备购置 ")) == "某市财政局 2025年《设备购置》"
    assert row_source(Workbook(), Form(title="")) == ""


def test_an_indicator_already_in_the_library_is_not_added_again(tmp_path: Path) -> None:
    path = own_library_path(tmp_path)
    bundled = bundled_library()
    mine = LibraryEntry("本单位", "产出指标", "数量指标", "应急演练次数", target="≥**次")
    same_again = LibraryEntry("其他类", "产出指标", "数量指标", "应急演练次数 ", target="≥**场")  # other category
    already_bundled = LibraryEntry("本单位", bundled[0].level1, bundled[0].level2, bundled[0].name)
    added, present = add_to_own(path, [mine, same_again, already_bundled], bundled)
    assert (added, present) == ([mine], [same_again, already_bundled])
    assert load_own(path) == [mine]
    assert load_library(path) == [mine]


def _history(count: int) -> list[HistoryEntry]:
    return [
        HistoryEntry("产出指标", "数量指标", f"培训人数（项目{n}）", target="≥95人", actual="98人", year=2024)
        for n in range(count)
    ]


def test_a_small_history_answers_at_once() -> None:
    index = BackgroundIndex(lambda: _history(10), bundled_library)
    assert index.suggest("培训人数")[0].origin == HISTORY
    assert index.ready()


def test_a_large_history_is_indexed_on_a_worker_while_the_library_answers() -> None:
    library = [LibraryEntry("培训类", "产出指标", "数量指标", "培训人数", target="≥**人")]
    index = BackgroundIndex(lambda: _history(5_000), lambda: library, in_line_limit=100)
    first = index.suggest("培训人数")
    assert first and {s.origin for s in first} <= {HISTORY, LIBRARY}  # library alone unless already ready
    assert index.wait(30)
    after = index.suggest("培训人数")
    assert after[0].origin == HISTORY and len(after) == 12
    # A changed library joins the history already indexed; a new history drops the old index.
    library.append(LibraryEntry("培训类", "产出指标", "数量指标", "培训天数", target="≥**天"))
    index.library_changed()
    assert index.ready() and index.suggest("培训天数")[0].name == "培训天数"
    index.set_history(lambda: [])
    assert index.suggest("培训人数")[0].origin == LIBRARY


def test_a_library_file_with_an_endless_number_is_refused_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    path.write_text('{"format": "jixiao-indicator-library", "version": ' + "9" * 5000 + "}", encoding="utf-8")
    with pytest.raises(UserError, match="不是有效的 JSON"):
        load_library(path)


def test_a_library_file_with_a_lone_surrogate_is_refused_before_it_could_break_the_save(tmp_path: Path) -> None:
    path = tmp_path / "surrogate.json"
    text = '{"format": "jixiao-indicator-library", "version": 1, "entries": [{"name": "\\ud800"}]}'
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UserError, match="entries\\[0\\].name"):
        load_library(path)
