"""Deferred commits (issue 18): the window shows an edit before its COMMIT (the fsync) and commits it after
the paint. Nothing may be lost on the way: the next edit, ``flush`` and ``close`` commit what waits, and a
commit the store refuses rolls the edit back in memory, tells the views the reverse and says why."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.models.errors import UserError
from desktop.models.storage import store
from desktop.models.workbook.document import Change, MemoryStore, WorkbookDocument
from desktop.models.workbook.domain import Budget, Form, Indicator, Workbook
from tests.helpers.fixtures import snapshot


class CommitStore(MemoryStore):
    """Counts commits; refuses the commit while ``full`` (a disk that filled up after the statements ran)."""

    def __init__(self) -> None:
        self.commits = 0
        self.rollbacks = 0
        self.full = False

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        try:
            yield
        except BaseException:
            self.rollbacks += 1
            raise
        if self.full:
            self.rollbacks += 1
            raise UserError("磁盘空间不足，修改未能保存。")
        self.commits += 1


def _deferred() -> tuple[WorkbookDocument, CommitStore, Form, list[Change], list[tuple[int, str]], list[int]]:
    form = Form(title="表", indicators=[Indicator(name="a"), Indicator(name="b")])
    commits = CommitStore()
    document = WorkbookDocument(Workbook(forms=[form]), commits)
    document.defer_commits = True
    heard: list[Change] = []
    failures: list[tuple[int, str]] = []
    pending: list[int] = []
    document.subscribe(heard.append)
    document.subscribe_writes(lambda: pending.append(document.write_serial), lambda n, m: failures.append((n, m)))
    return document, commits, form, heard, failures, pending


def test_an_edit_is_shown_at_once_and_committed_at_flush() -> None:
    document, commits, form, heard, failures, pending = _deferred()
    document.set_fields(form.indicators[0], actual="3次")
    assert form.indicators[0].actual == "3次" and [c.kind for c in heard] == ["fields"]
    assert (commits.commits, document.write_pending, pending) == (0, True, [1])
    assert document.flush() is None
    assert (commits.commits, document.write_pending, failures) == (1, False, [])
    assert document.flush() is None and commits.commits == 1  # nothing waits: nothing to do


def test_the_next_edit_commits_the_waiting_one_first() -> None:
    document, commits, form, _heard, _failures, pending = _deferred()
    document.set_fields(form.indicators[0], actual="1")
    document.set_fields(form.indicators[1], actual="2")
    assert commits.commits == 1 and document.write_pending and pending == [1, 2]


def test_a_refused_commit_rolls_the_edit_back_and_tells_the_views_the_reverse() -> None:
    document, commits, form, heard, failures, _ = _deferred()
    before = snapshot(document.workbook)
    first, second = form.indicators
    commits.full = True
    document.set_fields(first, actual="1")
    assert document.flush() == "磁盘空间不足，修改未能保存。"
    assert first.actual is None and failures == [(1, "磁盘空间不足，修改未能保存。")]
    assert [(c.kind, c.obj) for c in heard] == [("fields", first), ("fields", first)]

    heard.clear()
    new = Indicator(name="new")
    document.insert_items(form, "indicators", 1, [new])
    assert document.flush() is not None
    assert [i.name for i in form.indicators] == ["a", "b"]
    assert [(c.kind, c.index, c.items) for c in heard] == [("insert", 1, (new,)), ("remove", 1, (new,))]

    heard.clear()
    document.move_item(form, "indicators", 0, 1)
    assert document.flush() is not None
    assert form.indicators == [first, second] and [(c.kind, c.index, c.to) for c in heard] == [
        ("move", 0, 1),
        ("move", 1, 0),
    ]

    heard.clear()
    document.remove_items(form, "indicators", 0)
    assert document.flush() is not None
    assert form.indicators == [first, second] and [c.kind for c in heard] == ["remove", "insert"]

    heard.clear()
    budget = Budget()
    document.set_child(form, "budget", budget)
    assert document.flush() is not None
    assert form.budget is None and [c.items for c in heard] == [(budget,), ()]
    assert snapshot(document.workbook) == before and commits.commits == 0 and commits.rollbacks == 5


def test_a_group_is_rolled_back_whole() -> None:
    document, commits, form, heard, _, _ = _deferred()
    commits.full = True
    with document.transaction():
        document.set_fields(form.indicators[0], actual="1")
        document.insert_items(form, "indicators", 0, [Indicator(name="new")])
    assert len(form.indicators) == 3 and len(heard) == 2
    assert document.flush() is not None
    assert [i.name for i in form.indicators] == ["a", "b"] and form.indicators[0].actual is None
    assert [c.kind for c in heard] == ["fields", "insert", "remove", "fields"]


def test_an_edit_after_a_refused_commit_is_refused_with_its_message_and_not_done() -> None:
    document, commits, form, _, failures, _ = _deferred()
    commits.full = True
    document.set_fields(form.indicators[0], actual="1")
    with pytest.raises(UserError, match="磁盘空间不足"):
        document.set_fields(form.indicators[1], actual="2")
    assert (form.indicators[0].actual, form.indicators[1].actual) == (None, None)
    assert [n for n, _ in failures] == [1] and not document.write_pending
    commits.full = False
    document.set_fields(form.indicators[1], actual="2")  # the document works afterwards
    assert document.flush() is None and form.indicators[1].actual == "2" and commits.commits == 1


def test_close_commits_what_waits_and_says_so_when_it_cannot() -> None:
    document, commits, form, _, _, _ = _deferred()
    document.set_fields(form.indicators[0], actual="1")
    document.close()
    assert commits.commits == 1
    document, commits, form, _, _, _ = _deferred()
    commits.full = True
    document.set_fields(form.indicators[0], actual="1")
    with pytest.raises(UserError, match="磁盘空间不足"):
        document.close()
    assert form.indicators[0].actual is None


def _reopen(path: Path) -> Workbook:
    document = store.open_workbook(path)
    try:
        return document.workbook
    finally:
        document.close()


def test_a_workbook_file_gets_the_deferred_edit_at_flush_and_at_close(tmp_path: Path, wuwei: Workbook) -> None:
    path = tmp_path / "w.jxdb"
    document = store.create_workbook_file(path, wuwei)
    document.defer_commits = True
    first = document.workbook.forms[0].indicators[0]
    document.set_fields(first, actual="一")
    assert document.flush() is None
    document.set_fields(first, target="二")
    assert document.write_pending
    document.close()
    reopened = _reopen(path).forms[0].indicators[0]
    assert (reopened.actual, reopened.target) == ("一", "二")


def test_a_refused_commit_of_a_workbook_file_leaves_file_and_memory_as_before(
    tmp_path: Path, wuwei: Workbook, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "w.jxdb"
    document = store.create_workbook_file(path, wuwei)
    assert isinstance(document.store, store.SqliteStore)
    document.store.prepare()
    document.defer_commits = True
    first = document.workbook.forms[0].indicators[0]
    old = first.actual
    engine = document.store._engine
    assert engine is not None

    def full(_connection: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(engine.dialect, "do_commit", full)
    document.set_fields(first, actual="未能保存")
    assert first.actual == "未能保存"  # shown before the commit
    assert "磁盘空间不足" in (document.flush() or "")
    assert first.actual == old
    monkeypatch.undo()
    document.set_fields(first, target="仍可保存")
    document.close()
    reopened = _reopen(path).forms[0].indicators[0]
    assert (reopened.actual, reopened.target) == (old, "仍可保存")
