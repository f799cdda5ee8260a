"""汇总下级单位 (models): reading generated unit sets, broken and hostile files, totals, findings, review file."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest

from desktop.models.consolidation.findings import read_expected
from desktop.models.consolidation.merge import write_merged
from desktop.models.consolidation.review import ReviewBook, ReviewEntry
from desktop.models.consolidation.rows import ExpectedUnit
from desktop.models.consolidation.run import Cancelled, consolidate
from desktop.models.consolidation.sources import Cache
from desktop.models.consolidation.totals import Weighted
from desktop.models.errors import InvalidInputError, UserError
from desktop.models.storage import store
from desktop.models.workbook.domain import FormKind
from tests.helpers.unitset import hashes, unit_workbook, write_hostile, write_unit


@pytest.fixture
def unit_set(tmp_path: Path) -> Path:
    folder = tmp_path / "units"
    folder.mkdir()
    for number, fmt in ((1, "jxdb"), (2, "json"), (3, "xlsx"), (4, "jxdb")):
        write_unit(folder, unit_workbook(number), fmt)
    return folder


def test_reads_every_format_and_adds_money(unit_set: Path) -> None:
    result = consolidate([unit_set])
    assert [row.status for row in result.rows] == ["ok"] * 4
    assert [row.code for row in result.rows] == ["319101", "319102", "319103", "319104"]
    assert result.year == 2025
    for row in result.rows:
        workbook = unit_workbook(int(row.code) - 319100)
        self_evals = [f for f in workbook.forms if f.kind is FormKind.PROJECT_SELF_EVAL]
        budget = sum((f.funds[0].full_year for f in self_evals if f.funds and f.funds[0].full_year), Decimal(0))
        executed = sum((f.funds[0].executed for f in self_evals if f.funds and f.funds[0].executed), Decimal(0))
        assert row.figures is not None
        assert row.figures.budget == budget
        assert row.figures.executed == executed
        assert row.count(FormKind.PROJECT_TARGET) == 2 and row.count(FormKind.PROJECT_SELF_EVAL) == 2
    figures = [row.figures for row in result.rows if row.figures is not None]
    assert result.totals.budget == sum((f.budget for f in figures if f.budget), Decimal(0))
    assert result.totals.executed == sum((f.executed for f in figures if f.executed), Decimal(0))
    assert result.totals.rate == result.totals.executed / result.totals.budget
    # The department's score weights each unit's score by its budget.
    weighted = sum((f.score * f.budget for f in figures if f.score and f.budget), Decimal(0))
    assert result.totals.score == (weighted / result.totals.budget).quantize(Decimal("0.01"))


def test_weighting_by_money_not_by_count() -> None:
    mean = Weighted()
    mean.add(Decimal(100), Decimal(900))
    mean.add(Decimal(50), Decimal(100))
    mean.add(Decimal(10), None)  # no budget: left out, and counted as such
    mean.add(None, Decimal(1000))  # not scored: nothing
    assert mean.mean == Decimal("95.00")
    assert mean.left_out == 1


def test_broken_and_hostile_files_are_listed_and_never_written(unit_set: Path) -> None:
    hostile = write_hostile(unit_set)
    before = hashes(unit_set)
    result = consolidate([unit_set])
    assert hashes(unit_set) == before  # nothing written into any unit's file (nor journals, nor locks)
    by_name = {row.path_name: row for row in result.rows}
    assert len([row for row in result.rows if row.status == "ok"]) == 4
    for path in hostile.values():
        row = by_name[path.name]
        assert row.status == "error" and row.workbook is None and row.summary is None
        assert row.issues and row.issues[0].severity == "error"
        text = row.issues[0].text
        assert any("\u4e00" <= char <= "\u9fff" for char in text) and "Traceback" not in text
    assert by_name[hostile["newer"].name].issues[0].code == "newer_version"
    assert "更新版本" in by_name[hostile["newer"].name].issues[0].text
    assert "触发器" in by_name[hostile["trigger"].name].issues[0].text
    assert "PDF" in by_name[hostile["pdf"].name].issues[0].text
    assert by_name[hostile["empty"].name].issues[0].code == "not_workbook"
    # The totals are those of the four good units alone.
    assert result.totals.budget == consolidate([unit_set / f"31910{n}.{f}" for n, f in ((1, "jxdb"), (2, "json"),
                                                (3, "xlsx"), (4, "jxdb"))]).totals.budget  # fmt: skip


def test_duplicate_units_name_both_files_and_count_the_newer(unit_set: Path) -> None:
    again = write_unit(unit_set, unit_workbook(2, projects=3), "jxdb", name="319102-重报")
    old = unit_set / "319102.json"
    os.utime(old, (1_700_000_000, 1_700_000_000))
    result = consolidate([unit_set])
    rows = [row for row in result.rows if row.code == "319102"]
    assert {row.status for row in rows} == {"ok", "duplicate"}
    newer = next(row for row in rows if row.status == "ok")
    older = next(row for row in rows if row.status == "duplicate")
    assert newer.path_name == again.name and older.path_name == old.name
    for row in rows:
        line = next(issue.text for issue in row.issues if issue.code == "duplicate")
        assert again.name in line and old.name in line
    assert "未计入汇总" in next(i.text for i in older.issues if i.code == "duplicate")
    assert newer.count(FormKind.PROJECT_SELF_EVAL) == 3
    assert len(result.counted) == 4


def test_mixed_years_and_rulesets_are_marked(unit_set: Path) -> None:
    odd = unit_workbook(9, year=2024)
    odd.ruleset = "hubei"
    write_unit(unit_set, odd, "json")
    result = consolidate([unit_set])
    row = next(row for row in result.rows if row.code == "319109")
    codes = {issue.code for issue in row.issues}
    assert {"mixed_year", "mixed_ruleset"} <= codes
    assert "2024" in next(i.text for i in row.issues if i.code == "mixed_year")
    assert result.year == 2025


def test_missing_self_eval_and_absent_units(unit_set: Path, tmp_path: Path) -> None:
    workbook = unit_workbook(7)
    del workbook.forms[3]  # the second project's 自评表
    write_unit(unit_set, workbook, "jxdb")
    names = tmp_path / "名单.csv"
    names.write_text("代码,名称\n319101,测试单位001\n319107,测试单位007\n319188,缺报的单位\n", encoding="utf-8")
    result = consolidate([unit_set], expected=read_expected(names))
    row = next(row for row in result.rows if row.code == "319107")
    missing = [issue for issue in row.issues if issue.code == "missing_self_eval"]
    assert len(missing) == 1 and "单位7项目2" in missing[0].text and missing[0].form == 2
    absent = [row for row in result.rows if row.status == "absent"]
    assert [(row.code, row.name) for row in absent] == [("319188", "缺报的单位")]
    assert absent[0] not in result.counted


def test_unit_list_in_gbk_with_spaces(tmp_path: Path) -> None:
    names = tmp_path / "名单.txt"
    names.write_bytes("单位名单\n319101 测试单位001\n319102\t测试单位002\n".encode("gbk"))
    assert read_expected(names) == [ExpectedUnit("319101", "测试单位001"), ExpectedUnit("319102", "测试单位002")]
    empty = tmp_path / "空.txt"
    empty.write_text("没有代码\n", encoding="utf-8")
    with pytest.raises(UserError, match="没有找到单位代码"):
        read_expected(empty)


def test_cancel_stops_between_files(unit_set: Path) -> None:
    seen: list[int] = []
    with pytest.raises(Cancelled):
        consolidate([unit_set], progress=lambda done, total, name: seen.append(done), cancelled=lambda: len(seen) >= 2)
    assert seen == [0, 1]


def test_review_is_stored_apart_and_changes_the_review_figures(unit_set: Path, tmp_path: Path) -> None:
    before = hashes(unit_set)
    book = ReviewBook(tmp_path / "复核.jxreview")
    result = consolidate([unit_set], book=book)
    unit = result.rows[0]
    assert unit.summary is not None and unit.figures is not None
    form = unit.summary.self_evals[0]
    assert form.total is not None and form.row_scores[0] is not None
    book.set(
        ReviewEntry(
            unit.key, form.index, 0, form.row_scores[0] - 1, "依据不足，扣 1 分", form.title, "服务事项1完成情况"
        )
    )
    result.recompute(book)
    assert unit.figures is not None and unit.figures.review is not None
    other = unit.summary.self_evals[1]
    expected = ((form.total - 1) * form.budget + other.total * other.budget) / (form.budget + other.budget)  # type: ignore[operator]
    assert unit.figures.review == expected.quantize(Decimal("0.01"))
    # A form-level 复核分 wins over the rows'.
    book.set(ReviewEntry(unit.key, form.index, None, Decimal("80"), "整表复核"))
    reloaded = ReviewBook.load(tmp_path / "复核.jxreview")
    assert [(e.key, e.score, e.comment) for e in reloaded.entries] == [
        ((unit.key, form.index, None), Decimal("80"), "整表复核"),
        ((unit.key, form.index, 0), form.row_scores[0] - 1, "依据不足，扣 1 分"),
    ]
    # An entry with neither score nor comment is removed.
    book.set(ReviewEntry(unit.key, form.index, None, None, "  "))
    assert len(ReviewBook.load(tmp_path / "复核.jxreview")) == 1
    assert hashes(unit_set) == before


def test_review_file_is_untrusted(tmp_path: Path) -> None:
    bad = tmp_path / "x.jxreview"
    bad.write_text('{"format": "jixiao-review", "version": 1, "entries": [{"unit": 1, "form": 0}]}', encoding="utf-8")
    with pytest.raises(InvalidInputError, match="第 1 条"):
        ReviewBook.load(bad)
    bad.write_text('{"format": "jixiao-workbook"}', encoding="utf-8")
    with pytest.raises(InvalidInputError, match="不是复核文件"):
        ReviewBook.load(bad)
    book = ReviewBook(tmp_path / "r.jxreview")
    with pytest.raises(UserError, match="0 到 1000"):
        book.set(ReviewEntry("1", 0, None, Decimal(-1), ""))
    assert len(book) == 0 and not (tmp_path / "r.jxreview").exists()


def test_review_save_failure_changes_nothing(tmp_path: Path) -> None:
    book = ReviewBook(tmp_path / "没有这个文件夹" / "r.jxreview")
    with pytest.raises(UserError):
        book.set(ReviewEntry("1", 0, None, Decimal(5), "x"))
    assert len(book) == 0


def test_merged_workbook_keeps_each_units_forms(unit_set: Path, tmp_path: Path) -> None:
    result = consolidate([unit_set])
    out = write_merged(result, tmp_path / "汇总.jxdb", "测试主管部门")
    merged = store.load_any(out)
    assert merged.unit.name == "测试主管部门" and merged.year == 2025
    assert len(merged.forms) == sum(len(row.workbook.forms) for row in result.counted if row.workbook)
    assert {form.unit.code for form in merged.forms if form.unit} == {"319101", "319102", "319103", "319104"}
    with pytest.raises(UserError, match="单位文件之一"):
        write_merged(result, unit_set / "319101.jxdb")


def test_a_file_of_another_year_is_kept_out_of_the_totals(unit_set: Path) -> None:
    all_same = consolidate([unit_set]).totals.budget
    write_unit(unit_set, unit_workbook(8, year=2024), "jxdb")
    result = consolidate([unit_set])
    row = next(row for row in result.rows if row.code == "319108")
    assert row.status == "other_year" and row not in result.counted
    assert "未计入合计" in next(i.text for i in row.issues if i.code == "mixed_year")
    assert result.totals.budget == all_same


def test_running_again_reads_only_new_or_changed_files(unit_set: Path) -> None:
    cache: Cache = {}
    first = consolidate([unit_set], cache=cache)
    assert len(cache) == 4
    again = consolidate([unit_set], cache=cache)
    assert len(cache) == 4
    assert [r.figures for r in again.rows] == [r.figures for r in first.rows]
    write_unit(unit_set, unit_workbook(2, projects=4), "json")  # the unit hands in a new version
    changed = consolidate([unit_set], cache=cache)
    assert len(cache) == 5
    row = next(r for r in changed.rows if r.code == "319102")
    assert row.count(FormKind.PROJECT_SELF_EVAL) == 4


def test_unknown_ruleset_is_said_every_time(unit_set: Path) -> None:
    odd = unit_workbook(6)
    odd.ruleset = "nowhere"
    write_unit(unit_set, odd, "json")
    cache: Cache = {}
    for _ in range(2):
        result = consolidate([unit_set], cache=cache)
        row = next(r for r in result.rows if r.code == "319106")
        assert any(i.code == "ruleset" and "nowhere" in i.text for i in row.issues)
        assert row.figures is not None and row.figures.score is not None


def test_a_review_of_an_older_file_version_is_flagged(unit_set: Path, tmp_path: Path) -> None:
    book = ReviewBook(tmp_path / "r.jxreview")
    result = consolidate([unit_set], book=book)
    row = result.rows[0]
    assert row.file is not None and row.file.fingerprint is not None
    book.set(ReviewEntry(row.key, 1, None, Decimal(90), "意见", file_sha256=row.file.fingerprint.sha256))
    result.recompute(book)
    assert not any(issue.code == "stale_review" for issue in row.issues)
    write_unit(unit_set, unit_workbook(1, projects=3), "jxdb")  # the unit hands in a new version
    again = consolidate([unit_set], book=book)
    flagged = [issue for issue in again.rows[0].issues if issue.code == "stale_review"]
    assert len(flagged) == 1 and "1 条复核记录" in flagged[0].text
    again.recompute(book)
    assert len([i for i in again.rows[0].issues if i.code == "stale_review"]) == 1
