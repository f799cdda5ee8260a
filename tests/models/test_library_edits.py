"""Filling a row from a suggestion and adding library indicators: one undo step each."""

from __future__ import annotations

from desktop.models.library.entries import bundled_library
from desktop.models.library.history import History
from desktop.models.library.suggest import SuggestionIndex, row_fields
from desktop.models.workbook.document import WorkbookDocument
from desktop.models.workbook.table_edits import append_indicators, fill_row
from tests.helpers.fixtures import load_sample, snapshot


def test_a_chosen_suggestion_fills_the_row_and_undoes_in_one_step() -> None:
    workbook = load_sample("wuwei-zwfw-2022-selfeval.json")
    document = WorkbookDocument(workbook)
    form = workbook.forms[1]
    before = snapshot(workbook)
    suggestion = SuggestionIndex(History(), bundled_library()).suggest("满意度")[0]
    change = fill_row(form, 0, row_fields(suggestion))
    change.apply(document)
    row = form.indicators[0]
    assert (row.level1, row.level2, row.name, row.target) == (
        suggestion.level1,
        suggestion.level2,
        suggestion.name,
        suggestion.target,
    )
    change.revert(document)
    assert snapshot(workbook) == before


def test_ten_library_indicators_are_appended_as_one_step() -> None:
    workbook = load_sample("wuwei-zwfw-2022-selfeval.json")
    document = WorkbookDocument(workbook)
    form = workbook.forms[1]
    count = len(form.indicators)
    before = snapshot(workbook)
    chosen = bundled_library()[:10]
    rows = [{"level1": e.level1, "level2": e.level2, "name": e.name, "target": e.target} for e in chosen]
    change = append_indicators(form, rows)
    change.apply(document)
    assert [i.name for i in form.indicators[count:]] == [e.name for e in chosen]
    assert all(i.goal == form.indicators[count - 1].goal for i in form.indicators[count:])
    change.revert(document)
    assert snapshot(workbook) == before
