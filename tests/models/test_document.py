import contextlib
from collections.abc import Iterator, Sequence

import pytest

from desktop.models.errors import UserError
from desktop.models.workbook.document import Change, MemoryStore, WorkbookDocument
from desktop.models.workbook.domain import Form, Indicator, Workbook


class FailingStore(MemoryStore):
    """A store that refuses the n-th write (as a full disk would)."""

    def __init__(self, fail_at: int) -> None:
        self.writes = 0
        self.fail_at = fail_at

    def _count(self) -> None:
        self.writes += 1
        if self.writes == self.fail_at:
            raise UserError("磁盘空间不足")

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        yield

    def update(self, obj: object, fields: Sequence[str]) -> None:
        self._count()

    def insert(self, parent: object, attr: str, index: int, items: Sequence[object]) -> None:
        self._count()


def _document(store: MemoryStore | None = None) -> tuple[WorkbookDocument, Form, list[Change]]:
    form = Form(title="表", indicators=[Indicator(name="a"), Indicator(name="b")])
    document = WorkbookDocument(Workbook(forms=[form]), store)
    heard: list[Change] = []
    document.subscribe(heard.append)
    return document, form, heard


def test_edits_are_told_to_listeners_once_committed() -> None:
    document, form, heard = _document()
    document.set_fields(form.indicators[0], actual="3次")
    document.move_item(form, "indicators", 0, 1)
    assert [c.kind for c in heard] == ["fields", "move"]
    assert [i.name for i in form.indicators] == ["b", "a"]
    document.set_fields(form.indicators[1], actual="3次")  # unchanged: no edit, nothing told
    assert len(heard) == 2


def test_a_refused_write_in_a_group_undoes_every_in_memory_edit_and_tells_nothing() -> None:
    document, form, heard = _document(FailingStore(fail_at=2))
    with pytest.raises(UserError), document.transaction():
        document.set_fields(form.indicators[0], actual="1")
        document.insert_items(form, "indicators", 0, [Indicator(name="new")])
    assert [i.name for i in form.indicators] == ["a", "b"]
    assert _first_actual(form) is None
    assert heard == []
    document.set_fields(form.indicators[0], actual="2")  # the document works afterwards
    assert _first_actual(form) == "2" and len(heard) == 1


def _first_actual(form: Form) -> str | None:
    return form.indicators[0].actual


def test_read_only_documents_refuse_edits() -> None:
    document, form, _ = _document()
    document.read_only = True
    with pytest.raises(UserError, match="只读"):
        document.set_fields(form, title="x")
    assert form.title == "表"


def test_a_change_says_whether_it_removes_an_object() -> None:
    document, form, heard = _document()
    first, second = form.indicators
    document.remove_items(form, "indicators", 0)
    document.set_fields(second, actual="1")
    removal, edit = heard
    assert removal.removes(first) and not removal.removes(second)
    assert not edit.removes(second)  # an edit of an object does not take it out
