import json
import os
import sqlite3
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.models.errors import UserError, WorkbookFileError
from desktop.models.formats import interchange
from desktop.models.storage import safety, store
from desktop.models.workbook.domain import (
    FUND_LINES,
    Band,
    Budget,
    Form,
    FormKind,
    FundLine,
    Goal,
    Indicator,
    Signoff,
    SpendingStep,
    Unit,
    Workbook,
)
from tests.helpers.bigworkbook import make_workbook
from tests.helpers.fixtures import SAMPLE_FILES, snapshot


def _parsed(path: Path) -> object:
    return json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)


def _reopen(path: Path) -> Workbook:
    document = store.open_workbook(path)
    try:
        return document.workbook
    finally:
        document.close()


# ---- round trips ---------------------------------------------------------------------------------


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda p: p.name)
def test_json_to_jxdb_to_json_is_exact(sample: Path, tmp_path: Path) -> None:
    db = tmp_path / "book.jxdb"
    out = tmp_path / "out.json"
    assert store.import_json(sample, db) == db
    store.export_json(db, out)
    assert _parsed(out) == _parsed(sample)
    assert snapshot(store.load_any(db)) == snapshot(interchange.load_path(str(sample)))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.jxdb", "out.json"]  # no lock, no journal


def test_load_any_reads_both_forms(tmp_path: Path, wuwei: Workbook) -> None:
    db = tmp_path / "w.jxdb"
    store.create_workbook_file(db, wuwei).close()
    as_json = tmp_path / "w.json"
    as_json.write_text(interchange.dumps(wuwei), encoding="utf-8")
    assert snapshot(store.load_any(db)) == snapshot(store.load_any(as_json)) == snapshot(wuwei)


_text = st.text(alphabet="ab 指标≥%“”\n\t\x00", max_size=6)
_opt_text = st.none() | _text
_dec = st.none() | st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-(10**6), max_value=10**6)


def _optional_list(strategy: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    return st.none() | st.lists(strategy, max_size=3)


_indicators = st.builds(
    Indicator,
    level1=_text,
    level2=_text,
    name=_text,
    description=_opt_text,
    target=_opt_text,
    basis=_opt_text,
    actual=_opt_text,
    weight=_dec,
    score=_dec,
    deviation=_opt_text,
    goal=st.none() | st.integers(-5, 10**9),
    band=st.none() | st.sampled_from(list(Band)),
)
_forms = st.builds(
    Form,
    kind=st.sampled_from(list(FormKind)),
    title=_text,
    code=_opt_text,
    unit=st.none() | st.builds(Unit, code=_text, name=_text),
    department=_opt_text,
    money_unit=_opt_text,
    purpose=_opt_text,
    budget=st.none() | st.builds(Budget, amount=_dec, fiscal=_dec, other=_dec),
    funds=_optional_list(
        st.builds(FundLine, line=st.sampled_from(FUND_LINES), initial=_dec, full_year=_dec, executed=_dec)
    ),
    exec_weight=_dec,
    exec_score=_dec,
    spending_plan=_optional_list(st.builds(SpendingStep, by=_text, percent=_dec)),
    overall_target=_opt_text,
    overall_actual=_opt_text,
    goals=_optional_list(st.builds(Goal, no=st.integers(0, 99), target=_opt_text, actual=_opt_text)),
    indicators=st.lists(_indicators, max_size=4),
    deviation=_opt_text,
    conclusion=_opt_text,
    notes=_opt_text,
    signoff=st.none() | st.builds(Signoff, head=_opt_text, preparer=_opt_text, phone=_opt_text, date=_opt_text),
)
_workbooks = st.builds(
    Workbook,
    unit=st.builds(Unit, code=_text, name=_text),
    year=st.none() | st.integers(1900, 2100),
    forms=st.lists(_forms, max_size=3),
    ruleset=st.sampled_from(["central", "gansu"]),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(workbook=_workbooks)
def test_every_field_survives_including_none_empty_and_absent(workbook: Workbook, tmp_path: Path) -> None:
    path = tmp_path / "h.jxdb"
    expected = snapshot(workbook)
    store.create_workbook_file(path, workbook).close()
    assert snapshot(_reopen(path)) == expected
    path.unlink()


def test_decimal_digits_are_exact_text_in_the_file(tmp_path: Path, tianjin: Workbook) -> None:
    path = tmp_path / "t.jxdb"
    store.create_workbook_file(path, tianjin).close()
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT budget_amount, typeof(budget_amount) FROM form ORDER BY position").fetchall()
    conn.close()
    assert rows[0] == ("114.00", "text")
    assert _reopen(path).forms[0].budget.amount.as_tuple() == Decimal("114.00").as_tuple()  # type: ignore[union-attr]


# ---- edits -----------------------------------------------------------------------------------------


def test_edits_are_saved_one_by_one_and_reopen_as_left(tmp_path: Path, wuwei: Workbook) -> None:
    path = tmp_path / "w.jxdb"
    document = store.create_workbook_file(path, wuwei)
    form = document.workbook.forms[1]
    first = form.indicators[0]
    document.set_fields(first, actual="120%", score=Decimal("1.50"), band=Band.PARTLY, goal=None)
    document.set_fields(form, title="改过的项目", notes="", exec_score=None)
    new = [Indicator(level1="产出指标", level2="数量指标", name=f"新增{i}", weight=Decimal("0.5")) for i in range(3)]
    document.insert_items(form, "indicators", 2, new)
    document.remove_items(form, "indicators", 0, 1)  # `first` goes
    document.move_item(form, "indicators", 0, 4)
    document.set_child(form, "budget", Budget(amount=Decimal("9.90")))
    document.set_fields(form.budget, other=Decimal("0"))
    document.set_child(form, "signoff", None)
    document.set_child(form, "unit", Unit(code="", name="实施单位"))
    document.set_fields(form.unit, code="319202")
    document.insert_items(form, "spending_plan", 0, [SpendingStep("3月底", Decimal(10))])  # None → [step]
    document.set_fields(form, goals=[])  # None/list → [] (a present, empty list)
    document.set_fields(document.workbook, year=2023, ruleset="gansu")
    document.set_fields(document.workbook.unit, name="新单位名")
    extra = Form(kind=FormKind.DEPT_TARGET, title="新表", funds=[FundLine("total")], indicators=[Indicator(name="x")])
    document.insert_items(document.workbook, "forms", 0, [extra])
    document.move_item(document.workbook, "forms", 0, 2)
    document.remove_items(document.workbook, "forms", 3, 1)
    expected = snapshot(document.workbook)
    names = [ind.name for ind in document.workbook.forms[0].indicators]
    document.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.jxdb"]

    again = _reopen(path)
    assert snapshot(again) == expected
    assert [ind.name for ind in again.forms[0].indicators] == names
    assert again.forms[2].title == "新表" and again.forms[2].funds is not None
    assert again.forms[1].goals == [] and again.forms[1].spending_plan is not None
    assert again.forms[1].budget is not None and again.forms[1].budget.other == Decimal("0")
    assert again.forms[1].signoff is None and again.ruleset == "gansu"


def test_undoing_a_removal_reinserts_the_whole_subtree(tmp_path: Path, wuwei: Workbook) -> None:
    path = tmp_path / "w.jxdb"
    document = store.create_workbook_file(path, wuwei)
    before = snapshot(document.workbook)
    removed = document.remove_items(document.workbook, "forms", 0, 2)
    document.insert_items(document.workbook, "forms", 0, removed)  # what an undo does
    document.close()
    assert snapshot(_reopen(path)) == before


def test_removed_rows_and_their_children_are_gone(tmp_path: Path, wuwei: Workbook) -> None:
    path = tmp_path / "w.jxdb"
    document = store.create_workbook_file(path, wuwei)
    document.remove_items(document.workbook, "forms", 0, 4)
    document.close()
    with sqlite3.connect(path) as conn:
        counts = [conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("form", "indicator", "goal")]
    conn.close()
    assert counts == [0, 0, 0]


def test_update_of_an_unknown_field_is_a_bug(tmp_path: Path, wuwei: Workbook) -> None:
    document = store.create_workbook_file(tmp_path / "w.jxdb", wuwei)
    indicator = document.workbook.forms[0].indicators[0]
    with pytest.raises(ValueError):
        document.store.update(indicator, ["colour"])
    document.close()


def test_a_float_is_refused_and_nothing_changes(tmp_path: Path, wuwei: Workbook) -> None:
    path = tmp_path / "w.jxdb"
    document = store.create_workbook_file(path, wuwei)
    indicator = document.workbook.forms[0].indicators[0]
    old = indicator.weight
    with pytest.raises(Exception) as info:
        document.set_fields(indicator, weight=1.5)
    assert not isinstance(info.value, UserError)  # a float here is a bug, not the user's fault
    assert indicator.weight == old
    document.close()
    assert _reopen(path).forms[0].indicators[0].weight == old


# ---- environment failures: known errors, rolled back in memory and on disk ---------------------------


def test_disk_full_gives_a_chinese_message_and_changes_nothing(tmp_path: Path, wuwei: Workbook) -> None:
    path = tmp_path / "w.jxdb"
    document = store.create_workbook_file(path, wuwei)
    assert isinstance(document.store, store.SqliteStore)
    conn = document.store._connection()
    pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
    conn.exec_driver_sql(f"PRAGMA max_page_count = {pages}")  # a real SQLITE_FULL on the next growth
    conn.commit()
    form = document.workbook.forms[0]
    before = snapshot(document.workbook)
    big = [Indicator(name="很长的指标" * 400) for _ in range(50)]
    with pytest.raises(WorkbookFileError, match="磁盘空间不足"):
        document.insert_items(form, "indicators", 0, big)
    assert snapshot(document.workbook) == before
    document.set_fields(form.indicators[0], actual="仍可保存")  # the store still works afterwards
    document.close()
    after = _reopen(path)
    assert after.forms[0].indicators[0].actual == "仍可保存"
    assert len(after.forms[0].indicators) == len(wuwei.forms[0].indicators)


@pytest.mark.parametrize("how", ["deleted", "moved", "replaced"])
def test_file_removed_while_open_refuses_edits_and_save_as_keeps_them(
    tmp_path: Path, wuwei: Workbook, how: str
) -> None:
    path = tmp_path / "w.jxdb"
    document = store.create_workbook_file(path, wuwei)
    indicator = document.workbook.forms[0].indicators[0]
    document.set_fields(indicator, actual="删除前的修改")
    if how == "deleted":
        path.unlink()
    elif how == "moved":
        path.rename(tmp_path / "elsewhere.jxdb")
    else:  # another copy put in its place (as a file manager or a sync tool does)
        (tmp_path / "other").write_bytes(b"someone else's file")
        os.replace(tmp_path / "other", path)
    with pytest.raises(WorkbookFileError, match="已被删除、移动或替换"):
        document.set_fields(indicator, actual="删除后的修改")
    assert indicator.actual == "删除前的修改"  # the screen shows what a file holds
    rescued = store.save_as(document, tmp_path / "rescued.jxdb")
    document.close()
    rescued.close()
    assert _reopen(tmp_path / "rescued.jxdb").forms[0].indicators[0].actual == "删除前的修改"


def test_read_only_database_gives_a_message_and_rolls_back(
    tmp_path: Path, wuwei: Workbook, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests run as root, where chmod does not stop writes: open the SQLite connection read-only instead.
    path = tmp_path / "w.jxdb"
    store.create_workbook_file(path, wuwei).close()
    real_connect = sqlite3.connect

    def read_only_connect(database: str, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        connection: sqlite3.Connection = real_connect(database.replace("mode=rw", "mode=ro"), *args, **kwargs)
        return connection

    monkeypatch.setattr(sqlite3, "connect", read_only_connect)
    document = store.open_workbook(path)
    indicator = document.workbook.forms[0].indicators[0]
    with pytest.raises(WorkbookFileError, match="只读"):
        document.set_fields(indicator, actual="不会保存")
    assert indicator.actual != "不会保存"
    document.close()
    monkeypatch.undo()
    assert _reopen(path).forms[0].indicators[0].actual != "不会保存"


def test_busy_file_gives_a_message(tmp_path: Path, wuwei: Workbook) -> None:
    path = tmp_path / "w.jxdb"
    document = store.create_workbook_file(path, wuwei)
    assert isinstance(document.store, store.SqliteStore)
    conn = document.store._connection()
    conn.exec_driver_sql("PRAGMA busy_timeout = 50")
    conn.commit()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(WorkbookFileError, match="占用"):
            document.set_fields(document.workbook.forms[0], title="x")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert document.workbook.forms[0].title != "x"
    document.set_fields(document.workbook.forms[0], title="y")
    document.close()
    assert _reopen(path).forms[0].title == "y"


@pytest.mark.parametrize(
    ("error", "known"),
    [
        (sqlite3.OperationalError("database or disk is full"), "磁盘空间不足"),
        (sqlite3.OperationalError("attempt to write a readonly database"), "只读"),
        (sqlite3.OperationalError("disk I/O error"), "I/O"),
        (sqlite3.OperationalError("database is locked"), "占用"),
        (sqlite3.DatabaseError("file is not a database"), "不是预算绩效工作簿"),
        (sqlite3.DatabaseError("database disk image is malformed"), "已损坏"),
        (OSError(28, "No space left on device"), "磁盘空间不足"),
        (sqlite3.OperationalError("no such column: colour"), None),
        (sqlite3.IntegrityError("FOREIGN KEY constraint failed"), None),
        (ValueError("bug"), None),
    ],
)
def test_errors_are_classified_known_or_bug(error: BaseException, known: str | None) -> None:
    result = safety.classify(error)
    if known is None:
        assert result is None
    else:
        assert isinstance(result, WorkbookFileError) and known in result.message


def test_io_error_during_an_edit_rolls_back(tmp_path: Path, wuwei: Workbook, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "w.jxdb"
    document = store.create_workbook_file(path, wuwei)
    assert isinstance(document.store, store.SqliteStore)
    writer = document.store._writer
    real_update = writer.update
    calls = []

    def failing_update(*args: object) -> None:
        calls.append(args)
        if len(calls) == 2:
            raise sqlite3.OperationalError("disk I/O error")
        real_update(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(writer, "update", failing_update)
    form = document.workbook.forms[0]
    with pytest.raises(WorkbookFileError, match="I/O"), document.transaction():  # a paste: two edits, one transaction
        document.set_fields(form.indicators[0], actual="一")
        document.set_fields(form.indicators[1], actual="二")
    assert form.indicators[0].actual != "一"
    monkeypatch.undo()
    document.close()
    assert _reopen(path).forms[0].indicators[0].actual == wuwei.forms[0].indicators[0].actual


def test_a_bug_in_the_store_propagates_unchanged(
    tmp_path: Path, wuwei: Workbook, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = store.create_workbook_file(tmp_path / "w.jxdb", wuwei)
    assert isinstance(document.store, store.SqliteStore)

    def broken(*args: object) -> None:
        raise sqlite3.OperationalError("no such column: colour")

    monkeypatch.setattr(document.store._writer, "update", broken)
    with pytest.raises(sqlite3.OperationalError):
        document.set_fields(document.workbook.forms[0], title="x")
    assert document.workbook.forms[0].title != "x"
    document.close()


def test_closed_store_refuses_edits(tmp_path: Path, wuwei: Workbook) -> None:
    document = store.create_workbook_file(tmp_path / "w.jxdb", wuwei)
    document.close()
    document.close()  # twice is fine
    with pytest.raises(WorkbookFileError, match="已关闭"):
        document.set_fields(document.workbook.forms[0], title="x")


# ---- one writer: the lock file --------------------------------------------------------------------


def test_second_open_is_read_only_with_a_message(tmp_path: Path, wuwei: Workbook) -> None:
    path = tmp_path / "w.jxdb"
    first = store.create_workbook_file(path, wuwei)
    assert safety.lock_path_for(path).exists()
    second = store.open_workbook(path)
    assert second.read_only and not first.read_only
    assert "只读" in second.lock_message and "已在本程序中打开" in second.lock_message
    with pytest.raises(UserError):
        second.set_fields(second.workbook.forms[0], title="x")
    second.close()
    assert safety.lock_path_for(path).exists()  # closing the reader does not drop the writer's lock
    first.close()
    assert not safety.lock_path_for(path).exists()
    third = store.open_workbook(path)
    assert not third.read_only and third.lock_message == ""
    third.close()


def test_lock_held_on_another_computer_names_it(tmp_path: Path, wuwei: Workbook) -> None:
    path = tmp_path / "w.jxdb"
    store.create_workbook_file(path, wuwei).close()
    lock = safety.lock_path_for(path)
    lock.write_text(json.dumps({"host": "财务科-PC2", "pid": 4242, "user": "zhang", "since": "2025-03-01 09:00"}))
    document = store.open_workbook(path)
    assert document.read_only
    assert "zhang@财务科-PC2" in document.lock_message and "4242" in document.lock_message
    document.close()
    assert lock.exists()  # not ours: left alone


def test_stale_lock_of_a_dead_process_is_taken_over(tmp_path: Path, wuwei: Workbook) -> None:
    import subprocess
    import sys

    path = tmp_path / "w.jxdb"
    store.create_workbook_file(path, wuwei).close()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)
    assert not safety.pid_alive(pid)
    lock = safety.lock_path_for(path)
    lock.write_text(json.dumps({"host": safety.this_host(), "pid": pid}))
    document = store.open_workbook(path)
    assert not document.read_only
    assert safety.read_lock(lock) == safety.read_lock(lock) and safety.read_lock(lock).pid == os.getpid()  # type: ignore[union-attr]
    document.close()
    lock.write_text("garbage")  # a garbled lock is stale too
    document = store.open_workbook(path)
    assert not document.read_only
    document.close()


def test_read_only_file_opens_read_only(tmp_path: Path, wuwei: Workbook, monkeypatch: pytest.MonkeyPatch) -> None:
    # Root ignores chmod, so the test makes os.access report the file as read-only.
    path = tmp_path / "w.jxdb"
    store.create_workbook_file(path, wuwei).close()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == path else real_access(p, mode))
    document = store.open_workbook(path)
    assert document.read_only and "文件是只读的" in document.lock_message
    assert not safety.lock_path_for(path).exists()
    document.close()


def test_read_only_folder_opens_read_only(tmp_path: Path, wuwei: Workbook, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    path = tmp_path / "w.jxdb"
    store.create_workbook_file(path, wuwei).close()
    before = sorted(p.name for p in tmp_path.iterdir())

    def refuse(*args: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    # Root ignores chmod: the folder is made to look read-only to os.access and to note writing.
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == tmp_path else real_access(p, mode))
    monkeypatch.setattr(safety, "_write_temp_note", refuse)
    document = store.open_workbook(path)
    assert document.read_only and "文件夹是只读的" in document.lock_message
    assert snapshot(document.workbook) == snapshot(wuwei)
    document.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    with pytest.raises(WorkbookFileError, match="文件夹是只读的"):
        store.create_workbook_file(tmp_path / "new.jxdb", wuwei)


def test_explicit_read_only_open_takes_no_lock(tmp_path: Path, wuwei: Workbook) -> None:
    path = tmp_path / "w.jxdb"
    store.create_workbook_file(path, wuwei).close()
    document = store.open_workbook(path, read_only=True)
    assert document.read_only and document.lock_message == ""
    assert not safety.lock_path_for(path).exists()
    document.close()


# ---- save as, import, export ------------------------------------------------------------------------


def test_save_as_writes_an_independent_copy(tmp_path: Path, wuwei: Workbook) -> None:
    document = store.create_workbook_file(tmp_path / "a.jxdb", wuwei)
    document.set_fields(document.workbook.forms[0], title="改名")
    copy_doc = store.save_as(document, tmp_path / "b.jxdb")
    assert copy_doc is not document and copy_doc.workbook is not document.workbook
    assert snapshot(copy_doc.workbook) == snapshot(document.workbook)
    copy_doc.set_fields(copy_doc.workbook.forms[0], title="只改副本")
    assert store.save_as(document, tmp_path / "a.jxdb") is document
    document.close()
    copy_doc.close()
    assert _reopen(tmp_path / "a.jxdb").forms[0].title == "改名"
    assert _reopen(tmp_path / "b.jxdb").forms[0].title == "只改副本"


def test_import_never_overwrites_a_file_that_is_not_a_workbook(tmp_path: Path) -> None:
    sample = SAMPLE_FILES[0]
    target = tmp_path / "notes.txt"
    target.write_text("重要笔记", encoding="utf-8")
    with pytest.raises(WorkbookFileError, match="不会覆盖"):
        store.import_json(sample, target)
    assert target.read_text(encoding="utf-8") == "重要笔记"
    copy = tmp_path / "same.json"
    copy.write_bytes(sample.read_bytes())
    with pytest.raises(WorkbookFileError, match="同一个文件"):
        store.import_json(copy, copy)


def test_import_replaces_an_unheld_workbook_but_not_a_held_one(tmp_path: Path, wuwei: Workbook) -> None:
    target = tmp_path / "w.jxdb"
    store.create_workbook_file(target, wuwei).close()
    store.import_json(SAMPLE_FILES[0], target)
    assert snapshot(store.load_any(target)) == snapshot(interchange.load_path(str(SAMPLE_FILES[0])))
    held = store.open_workbook(target)
    with pytest.raises(WorkbookFileError, match="已在本程序中打开"):
        store.import_json(SAMPLE_FILES[1], target)
    held.close()
    assert snapshot(store.load_any(target)) == snapshot(interchange.load_path(str(SAMPLE_FILES[0])))


def test_invalid_json_import_leaves_no_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "jixiao-workbook", "version": 1, "forms": [{"kind": "x"}]}', encoding="utf-8")
    with pytest.raises(UserError):
        store.import_json(bad, tmp_path / "out.jxdb")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.json"]


def test_big_workbook_round_trips(tmp_path: Path) -> None:
    workbook = make_workbook(30, 60)
    expected = snapshot(workbook)
    store.create_workbook_file(tmp_path / "big.jxdb", workbook).close()
    assert snapshot(_reopen(tmp_path / "big.jxdb")) == expected


def test_odd_characters_in_the_path_are_fine(tmp_path: Path, wuwei: Workbook) -> None:
    folder = tmp_path / "共享 文件夹 #2 %41"
    folder.mkdir()
    path = folder / "绩效?表 #1 %20.jxdb"
    document = store.create_workbook_file(path, wuwei)
    document.set_fields(document.workbook.forms[0], title="可以保存")
    document.close()
    assert store.load_any(path).forms[0].title == "可以保存"
    assert sorted(p.name for p in folder.iterdir()) == [path.name]
