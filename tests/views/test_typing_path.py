"""What the window does around a cell committed with Return, besides the cell (issue 18's typing path):
the tree follows the table's current row without unfolding or scrolling at every key, the undo action names
the edit, and the summary bar shows the new figures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from desktop.models.workbook.outline import NodeKind
from desktop.views.session import FOLLOW_DELAY_MS
from tests.helpers.bigworkbook import make_workbook
from tests.views.window_helpers import click_index, open_window, type_into_cell

pytestmark = pytest.mark.usefixtures("qapp_setup")


def _shows_current(tree: Any) -> bool:
    rect = tree.visualRect(tree.currentIndex())
    return bool(rect.isValid() and tree.viewport().rect().contains(rect))


def test_the_tree_follows_return_once_typing_pauses_without_unfolding(qtbot: Any, tmp_path: Path) -> None:
    window, _ = open_window(qtbot, tmp_path, make_workbook(12, 21))
    session = window.session
    assert session is not None
    tree, tree_model, view = session.tree, session.tree_model, session.table.view()
    model = session.table.model()
    form = session.document.workbook.forms[0]
    first, second, third = form.indicators[7:10]  # 产出/数量, 产出/质量, 产出/时效
    actual = model.column_index("actual")
    assert actual is not None

    click_index(qtbot, view, model.index(7, actual))  # a click unfolds the tree down to the row's indicator
    current = tree.current_node()
    assert current is not None and current.obj is first
    node = tree_model.outline.node_for(second)
    assert node is not None
    folded = tree_model.index_for(node.parent)
    assert not tree.isExpanded(folded)
    tree.verticalScrollBar().setValue(tree.verticalScrollBar().maximum())  # the user scrolled the tree away
    assert not _shows_current(tree)

    type_into_cell(view, "12次")
    qtbot.waitUntil(lambda: first.actual == "12次")
    assert view.currentIndex().row() == 8
    # While typing, the tree stays as it was (no new current row, no unfolding, no scrolling) …
    assert tree.current_node() is current and not tree.isExpanded(folded) and not _shows_current(tree)
    # … and once the typing pauses, its current row is the next row's folded group, scrolled to.
    qtbot.waitUntil(lambda: tree.currentIndex() == folded, timeout=FOLLOW_DELAY_MS * 5)
    assert not tree.isExpanded(folded) and _shows_current(tree)
    assert view.currentIndex().row() == 8 and len(view.selectionModel().selectedRows()) == 0  # table unmoved

    # An action on the tree's current node right after Return acts on the row the table moved to.
    view.setCurrentIndex(model.index(9, actual))
    type_into_cell(view, "7小时")
    qtbot.waitUntil(lambda: third.actual == "7小时")
    after = tree_model.outline.node_for(form.indicators[10])
    assert after is not None and after.parent is not None and after.parent.kind is NodeKind.LEVEL2
    assert window.current_node() is after.parent  # asked at once: the tree follows first (its folded group)

    assert window.acts.undo.isEnabled() and window.acts.undo.text().startswith("撤销 ")
    assert not window.acts.redo.isEnabled()
    window.acts.undo.trigger()
    assert third.actual != "7小时" and window.acts.redo.isEnabled() and window.acts.redo.text().startswith("重做 ")


def test_typing_down_a_column_updates_the_summary_bar_each_time(qtbot: Any, tmp_path: Path) -> None:
    window, _ = open_window(qtbot, tmp_path, make_workbook(1, 14))
    session = window.session
    assert session is not None
    summary, view = session.summary, session.table.view()
    model = session.table.model()
    form = session.document.workbook.forms[0]
    rows = [row for row in range(model.rowCount()) if (form.indicators[row].actual or "").endswith("次")][:2]
    actual = model.column_index("actual")
    assert actual is not None
    click_index(qtbot, view, model.index(rows[0], actual))
    subtotals = [summary.value("level:产出指标")]
    for value, row in zip(("1次", "2次"), rows, strict=True):
        view.setCurrentIndex(model.index(row, actual))
        type_into_cell(view, value)
        qtbot.waitUntil(lambda row=row, value=value: form.indicators[row].actual == value)
        subtotals.append(summary.value("level:产出指标"))
    assert len(set(subtotals)) == 3  # each edit moved the 产出指标 subtotal, and the bar showed it
    captions = [item.caption for item in summary.items()]
    assert all(caption in summary.text() for caption in captions)  # labels left alone still show their figures


def test_a_manual_score_typed_enables_adopting_the_whole_form_while_the_next_row_has_none(
    qtbot: Any, tmp_path: Path
) -> None:
    window, _ = open_window(qtbot, tmp_path, make_workbook(1, 14))
    session = window.session
    assert session is not None
    tab, view, model = session.table_tab, session.table.view(), session.table.model()
    form = session.document.workbook.forms[0]
    score = model.column_index("score")
    assert score is not None
    assert not tab.adopt_all.isEnabled()  # no manual score yet
    click_index(qtbot, view, model.index(3, score))
    type_into_cell(view, "1")
    qtbot.waitUntil(lambda: form.indicators[3].score is not None)
    assert view.currentIndex().row() == 4
    qtbot.waitUntil(tab.adopt_all.isEnabled)
    assert not tab.adopt_row.isEnabled()  # the current row (the next one) has no manual score
    view.setCurrentIndex(model.index(3, score))
    assert tab.adopt_row.isEnabled()


def test_return_repaints_the_tree_score_cells_not_the_names(qtbot: Any, tmp_path: Path) -> None:
    window, _ = open_window(qtbot, tmp_path, make_workbook(2, 14))
    session = window.session
    assert session is not None
    view, model, tree_model = session.table.view(), session.table.model(), session.tree_model
    form = session.document.workbook.forms[0]
    actual = model.column_index("actual")
    assert actual is not None
    indicator = form.indicators[0]
    node = tree_model.outline.node_for(indicator)
    assert node is not None
    told: list[tuple[object, int, int]] = []
    tree_model.dataChanged.connect(
        lambda first, last, *_: told.append((first.internalPointer(), first.column(), last.column()))
    )
    view.setCurrentIndex(model.index(0, actual))
    type_into_cell(view, "3次")
    qtbot.waitUntil(lambda: indicator.actual == "3次")
    assert (node, 1, 1) in told  # the edited indicator: its score
    assert all(first == 1 for _, first, _ in told)  # no name changed: the names column is not repainted
    ancestors = [each for each in node.ancestors() if each.parent is not None]
    assert all((each, 0, 1) not in told for each in ancestors)  # the groups and the form: their score alone
    form_node = tree_model.outline.node_for(form)
    assert form_node is not None and (form_node, 1, 1) in told
    assert tree_model.index_for_object(form).siblingAtColumn(1).data() == session.tree_model.score_text(form_node)
