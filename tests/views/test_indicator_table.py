"""The indicator table driven like a user would: typing, Enter / Tab, Delete, Ctrl+C / Ctrl+V, row tools, undo."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest

from PySide6.QtCore import QEvent, QItemSelection, QItemSelectionModel, QModelIndex, QObject, QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QAction, QInputMethodEvent, QKeySequence, QPaintEvent, QWheelEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QVBoxLayout, QWidget

from desktop.app import setup_application
from desktop.models.errors import UserError
from desktop.models.scoring.engine import ScoringEngine
from desktop.models.scoring.rules import load_ruleset
from desktop.models.workbook.document import MemoryStore, WorkbookDocument
from desktop.models.workbook.domain import Indicator, Workbook
from desktop.views.commands import EditStack
from desktop.views.indicator_model import MANUAL_MARK
from desktop.views.indicator_table import IndicatorTable
from tests.helpers.fixtures import load_sample, snapshot

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier
NO = Qt.KeyboardModifier.NoModifier

# The offscreen platform says so on every show(); it is not about this code.
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


class Table:
    """An IndicatorTable over a sample form, shown in an active window, with a real scoring engine."""

    def __init__(self, qtbot: Any, workbook: Workbook, form_index: int) -> None:
        setup_application(QApplication.instance())  # type: ignore[arg-type]
        self.qtbot = qtbot
        self.document = WorkbookDocument(workbook)
        self.stack = EditStack(self.document)
        ruleset = load_ruleset(workbook.ruleset)
        self.engine = ScoringEngine(ruleset)
        self.engine.attach(self.document)
        self.widget = IndicatorTable(self.document, self.stack, self.engine, ruleset)
        qtbot.addWidget(self.widget)
        self.form = workbook.forms[form_index]
        self.widget.set_form(self.form)
        self.widget.resize(1300, 700)
        self.widget.show()
        qtbot.waitExposed(self.widget)
        self.widget.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is self.widget)
        self.view = self.widget.view()
        self.model = self.widget.model()
        self.view.setFocus()
        self.messages: list[str] = []
        self.widget.message.connect(self.messages.append)

    def index(self, row: int, key: str) -> QModelIndex:
        column = self.model.column_index(key)
        assert column is not None
        return self.model.index(row, column)

    def text(self, row: int, key: str) -> str:
        return str(self.index(row, key).data())

    def go(self, row: int, key: str) -> None:
        """Click a cell."""
        rect = self.view.visualRect(self.index(row, key))
        self.qtbot.mouseClick(self.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert self.view.currentIndex() == self.index(row, key)

    def select(self, top: int, left: str, bottom: int, right: str) -> None:
        """Select a rectangle of cells (like a mouse drag)."""
        selection = QItemSelection(self.index(top, left), self.index(bottom, right))
        flags = QItemSelectionModel.SelectionFlag
        self.view.selectionModel().setCurrentIndex(self.index(top, left), flags.NoUpdate)
        self.view.selectionModel().select(selection, flags.ClearAndSelect)

    def type(self, text: str, key: Qt.Key | None = Qt.Key.Key_Return, modifier: Any = NO) -> None:
        """Type like a user: ASCII on the keyboard, Chinese through the input method (one commit per run)."""
        for run in re.findall(r"[\x00-\x7f]+|[^\x00-\x7f]+", text):
            if run.isascii():
                self.qtbot.keyClicks(self.view, run)
            else:
                commit(self.typing_target(), run)
        if key is not None:
            self.qtbot.keyClick(self.view, key, modifier)

    def typing_target(self) -> QWidget:
        """Where an input method sends text: the editor that has focus, or the view itself."""
        if not self.editing():
            return self.view
        focus = QApplication.focusWidget()
        assert focus is not None and focus is not self.view
        return focus

    def editing(self) -> bool:
        return self.view.state() == QAbstractItemView.State.EditingState


def commit(widget: QWidget, text: str) -> None:
    """An input method committing text (how Chinese is typed)."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def unscored(workbook: Workbook) -> Workbook:
    for form in workbook.forms:
        for indicator in form.indicators:
            indicator.score = None
    return workbook


@pytest.fixture
def selfeval(qtbot: Any) -> Table:
    """政务服务经费 (Wuwei 2022), with the published scores removed so the engine's suggestions show."""
    return Table(qtbot, unscored(load_sample("wuwei-zwfw-2022-selfeval.json")), 1)


def test_typing_an_actual_value_and_enter_changes_the_score(selfeval: Table) -> None:
    t = selfeval
    assert t.text(0, "score") == "3"
    t.go(0, "actual")
    t.type("5人")
    t.qtbot.waitUntil(lambda: t.form.indicators[0].actual == "5人")
    expected = t.engine.score_form(t.form).indicators[0].score
    assert expected == (Decimal(5) / 11 * 3).quantize(Decimal("0.01")) == Decimal("1.36")
    assert t.text(0, "score") == "1.36"
    assert t.view.currentIndex() == t.index(1, "actual")  # Enter moved down
    assert not t.editing()
    assert t.stack.count() == 1


class PaintedArea(QObject):
    """Records the rectangles painted on a widget."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__()
        self.widget = widget
        self.rects: list[tuple[int, int, int, int]] = []
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget and isinstance(event, QPaintEvent):
            self.rects += [(r.x(), r.y(), r.width(), r.height()) for r in event.region()]  # type: ignore[attr-defined]
        return False


def test_a_committed_cell_repaints_the_cells_that_changed_not_the_table(selfeval: Table) -> None:
    t = selfeval
    t.go(1, "actual")
    t.qtbot.keyClick(t.view, Qt.Key.Key_F2)
    assert t.editing()
    painted = PaintedArea(t.view.viewport())
    QApplication.processEvents()
    painted.rects.clear()
    t.qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_A, NO)  # the value changes: "…a"
    t.qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    t.qtbot.waitUntil(lambda: (t.form.indicators[1].actual or "").endswith("a"))
    QApplication.processEvents()
    viewport = t.view.viewport().rect()
    area = sum(w * h for _x, _y, w, h in painted.rects)
    assert painted.rects, "nothing was repainted"
    assert area < viewport.width() * viewport.height() / 4, painted.rects
    changed = t.view.visualRect(t.index(1, "actual"))
    assert any(QRect(*rect).contains(changed.center()) for rect in painted.rects)
    assert t.view.currentIndex() == t.index(2, "actual")
    assert t.view.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled)  # Chinese typing still starts an edit


def test_return_leaves_the_column_headers_unpainted_and_a_header_click_selects_its_column(selfeval: Table) -> None:
    t = selfeval
    t.go(1, "actual")
    header = t.view.horizontalHeader()
    painted = PaintedArea(header.viewport())
    QApplication.processEvents()
    painted.rects.clear()
    t.type("7人")
    t.qtbot.waitUntil(lambda: t.form.indicators[1].actual == "7人")
    QApplication.processEvents()
    assert t.view.currentIndex() == t.index(2, "actual")
    assert painted.rects == []  # the headers highlight no selection: a move of the current cell leaves them
    column = t.index(0, "target").column()
    position = QPoint(header.sectionViewportPosition(column) + 5, header.height() // 2)
    t.qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=position)
    selected = {index.row() for index in t.view.selectionModel().selectedIndexes() if index.column() == column}
    assert selected == set(range(t.model.rowCount()))


def test_chinese_typed_through_an_input_method_starts_editing(selfeval: Table) -> None:
    t = selfeval
    t.go(12, "deviation")
    preedit = QInputMethodEvent("jie", [])
    QApplication.sendEvent(t.view, preedit)  # composing pinyin opens the editor, empty
    assert t.editing()
    commit(t.view, "接听率偏低")
    t.qtbot.keyClick(t.view, Qt.Key.Key_Return)
    t.qtbot.waitUntil(lambda: t.form.indicators[12].deviation == "接听率偏低")
    t.go(13, "deviation")
    commit(t.view, "无")  # a bare commit (no composition) also starts editing, replacing the value
    t.qtbot.keyClick(t.view, Qt.Key.Key_Return)
    t.qtbot.waitUntil(lambda: t.form.indicators[13].deviation == "无")


def test_tab_commits_and_moves_right_without_editing(selfeval: Table) -> None:
    t = selfeval
    t.go(3, "actual")
    t.type("2", Qt.Key.Key_Tab)
    t.qtbot.waitUntil(lambda: t.form.indicators[3].actual == "2")
    assert t.view.currentIndex() == t.index(3, "weight")
    assert not t.editing()
    t.qtbot.keyClick(t.view, Qt.Key.Key_Return)  # Enter without editing moves down too
    assert t.view.currentIndex() == t.index(4, "weight")


def test_f2_edits_the_value_in_place(selfeval: Table) -> None:
    t = selfeval
    t.go(0, "name")
    t.qtbot.keyClick(t.view, Qt.Key.Key_F2)
    assert t.editing()
    t.type("（含保洁）")
    t.qtbot.waitUntil(lambda: t.form.indicators[0].name == "指标1: 保安保洁人员（含保洁）")


def test_typing_replaces_and_alt_enter_starts_a_new_line_in_long_texts(selfeval: Table) -> None:
    t = selfeval
    t.go(12, "deviation")
    t.type("接听率偏低", Qt.Key.Key_Return, ALT)
    t.type("增加坐席")
    t.qtbot.waitUntil(lambda: t.form.indicators[12].deviation == "接听率偏低\n增加坐席")


def test_a_non_number_in_weight_is_refused_with_a_message(selfeval: Table) -> None:
    t = selfeval
    t.go(0, "weight")
    t.type("三分")
    assert t.messages and "不是数字" in t.messages[-1]
    assert t.editing()  # the editor stays open for a correction
    t.qtbot.keyClick(t.view, Qt.Key.Key_Escape)
    assert not t.editing()
    assert t.form.indicators[0].weight == Decimal(3)
    assert t.text(0, "weight") == "3"
    assert t.stack.count() == 0


def test_paste_a_three_by_four_block_and_undo_it(selfeval: Table) -> None:
    t = selfeval
    before = snapshot(t.form)
    QApplication.clipboard().setText("新指标A\t≥10人\t8人\t4\r\n新指标B\t≥20次\t20次\t4\r\n新指标C\t100%\t95%\t2\r\n")
    t.go(2, "name")
    t.qtbot.keyClick(t.view, Qt.Key.Key_V, CTRL)
    rows = t.form.indicators[2:5]
    assert [(i.name, i.target, i.actual, i.weight) for i in rows] == [
        ("新指标A", "≥10人", "8人", Decimal(4)),
        ("新指标B", "≥20次", "20次", Decimal(4)),
        ("新指标C", "100%", "95%", Decimal(2)),
    ]
    assert t.text(2, "score") == "3.2"  # 8 / 10 × 4, recomputed at once
    assert t.stack.count() == 1
    selected = t.view.selectionModel().selectedIndexes()
    assert len(selected) == 12
    t.qtbot.keyClick(t.view, Qt.Key.Key_Z, CTRL)
    assert snapshot(t.form) == before
    assert t.text(2, "name") == "指标3: 劳务派遣人员"
    t.qtbot.keyClick(t.view, Qt.Key.Key_Y, CTRL)
    assert t.form.indicators[4].name == "新指标C"


def test_paste_past_the_last_row_appends_indicators(selfeval: Table) -> None:
    t = selfeval
    count = len(t.form.indicators)
    QApplication.clipboard().setText('甲\t"第一行\n第二行"\r\n乙\t3次\r\n丙\t4次\r\n')
    t.go(count - 1, "name")
    t.qtbot.keyClick(t.view, Qt.Key.Key_V, CTRL)
    assert len(t.form.indicators) == count + 2 == t.model.rowCount()
    added = [(i.name, i.target) for i in t.form.indicators[-3:]]
    assert added == [("甲", "第一行\n第二行"), ("乙", "3次"), ("丙", "4次")]
    # New rows continue the last row's 一级 / 二级, so they join its merged cells.
    assert {(i.level1, i.level2) for i in t.form.indicators[-3:]} == {("满意度指标", "服务对象满意度指标")}
    assert t.view.rowSpan(count - 2, 0) == 4
    assert t.stack.count() == 1
    t.widget.undo()
    assert len(t.form.indicators) == count and t.form.indicators[-1].name == "指标2: 企业满意度"


def test_a_paste_with_a_bad_number_pastes_nothing(selfeval: Table) -> None:
    t = selfeval
    before = snapshot(t.form)
    QApplication.clipboard().setText("9人\t3\n10人\t三")
    t.go(0, "actual")
    t.qtbot.keyClick(t.view, Qt.Key.Key_V, CTRL)
    assert snapshot(t.form) == before
    assert t.stack.count() == 0
    assert "第 2 行" in t.messages[-1] and "分值" in t.messages[-1] and "未粘贴任何内容" in t.messages[-1]


def test_copy_puts_the_selected_rectangle_on_the_clipboard(selfeval: Table) -> None:
    t = selfeval
    t.select(0, "name", 1, "actual")
    t.qtbot.keyClick(t.view, Qt.Key.Key_C, CTRL)
    assert QApplication.clipboard().text() == "指标1: 保安保洁人员\t11人\t11人\n指标2: 供暖面积\t5544.13m²\t5544.13m²"


def test_cut_copies_then_clears_in_one_step(selfeval: Table) -> None:
    t = selfeval
    t.select(3, "actual", 4, "actual")
    t.qtbot.keyClick(t.view, Qt.Key.Key_X, CTRL)
    assert QApplication.clipboard().text() == "3\n12个月"
    assert [i.actual for i in t.form.indicators[3:5]] == [None, None] and t.stack.count() == 1
    t.go(10, "actual")
    t.qtbot.keyClick(t.view, Qt.Key.Key_V, CTRL)
    assert [i.actual for i in t.form.indicators[10:12]] == ["3", "12个月"]


def test_delete_clears_the_selection_in_one_step_and_undo_restores(selfeval: Table) -> None:
    t = selfeval
    before = snapshot(t.form)
    t.select(0, "actual", 1, "weight")
    t.qtbot.keyClick(t.view, Qt.Key.Key_Delete)
    assert [(i.actual, i.weight) for i in t.form.indicators[:2]] == [(None, None), (None, None)]
    assert t.text(0, "actual") == "" and t.text(0, "score") == ""
    assert t.stack.count() == 1
    t.qtbot.keyClick(t.view, Qt.Key.Key_Z, CTRL)
    assert snapshot(t.form) == before


def test_typing_a_score_makes_it_manual_and_delete_returns_to_the_suggestion(selfeval: Table) -> None:
    t = selfeval
    t.go(12, "score")  # 群众来电咨询接听率 100% → 87%: suggested 3.48
    assert t.text(12, "score") == "3.48"
    t.type("3")
    t.qtbot.waitUntil(lambda: t.form.indicators[12].score == Decimal(3))
    assert t.text(12, "score") == f"{MANUAL_MARK}3（建议3.48）"
    t.go(12, "score")
    t.qtbot.keyClick(t.view, Qt.Key.Key_Delete)
    assert t.form.indicators[12].score is None
    assert t.text(12, "score") == "3.48"


def test_insert_rows_below_and_above_with_undo(selfeval: Table) -> None:
    t = selfeval
    count = len(t.form.indicators)
    t.go(7, "actual")
    t.qtbot.keyClick(t.view, Qt.Key.Key_I, CTRL)
    assert len(t.form.indicators) == count + 1
    new = t.form.indicators[8]
    assert (new.level1, new.level2, new.name) == ("产出指标", "质量指标", "")
    assert t.view.currentIndex() == t.index(8, "name")  # ready to type its name
    t.type("新的质量指标")
    t.qtbot.waitUntil(lambda: new.name == "新的质量指标")
    t.go(0, "name")
    t.qtbot.keyClick(t.view, Qt.Key.Key_I, CTRL | SHIFT)
    assert len(t.form.indicators) == count + 2 and t.form.indicators[0].name == ""
    assert t.stack.count() == 3
    t.widget.undo()
    t.widget.undo()
    t.widget.undo()
    assert len(t.form.indicators) == count and new not in t.form.indicators


def test_delete_rows_is_one_step(selfeval: Table) -> None:
    t = selfeval
    before = snapshot(t.form)
    removed = t.form.indicators[1:3] + t.form.indicators[5:6]
    selection = QItemSelection(t.index(1, "name"), t.index(2, "name"))
    selection.select(t.index(5, "actual"), t.index(5, "actual"))
    t.view.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    t.qtbot.keyClick(t.view, Qt.Key.Key_Minus, CTRL)
    assert not any(i in t.form.indicators for i in removed)
    assert t.model.rowCount() == len(t.form.indicators) == 16
    assert t.stack.count() == 1
    t.qtbot.keyClick(t.view, Qt.Key.Key_Z, CTRL)
    assert snapshot(t.form) == before


def test_move_rows_up_and_down_with_undo(selfeval: Table) -> None:
    t = selfeval
    first, second, third = t.form.indicators[3:6]
    t.select(4, "name", 5, "actual")
    t.qtbot.keyClick(t.view, Qt.Key.Key_Up, ALT)
    assert t.form.indicators[3:6] == [second, third, first]
    selected_rows = {i.row() for i in t.view.selectionModel().selectedIndexes()}
    assert selected_rows == {3, 4}  # the selection moved with the rows
    t.qtbot.keyClick(t.view, Qt.Key.Key_Down, ALT)
    t.qtbot.keyClick(t.view, Qt.Key.Key_Down, ALT)
    assert t.form.indicators[3] is first and t.form.indicators[5:7] == [second, third]
    assert t.stack.count() == 3
    for _ in range(3):
        t.qtbot.keyClick(t.view, Qt.Key.Key_Z, CTRL)
    assert t.form.indicators[3:6] == [first, second, third]


def test_first_and_second_levels_are_merged_cells(selfeval: Table) -> None:
    t = selfeval
    assert t.view.rowSpan(0, 0) == 15 and t.view.rowSpan(15, 0) == 2
    assert t.view.rowSpan(0, 1) == 6 and t.view.rowSpan(6, 1) == 7 and t.view.rowSpan(13, 1) == 1
    # Typing into the merged 二级 cell renames its whole run.
    t.go(13, "level2")
    t.type("时效性指标")
    t.qtbot.waitUntil(lambda: t.form.indicators[13].level2 == "时效性指标")
    # Moving a row out of its run re-merges the cells.
    t.go(5, "name")
    t.qtbot.keyClick(t.view, Qt.Key.Key_Down, ALT)
    assert t.view.rowSpan(0, 1) == 5 and t.view.rowSpan(5, 1) == 1 and t.view.rowSpan(7, 1) == 6


def test_selection_follows_the_tree_and_tells_it(selfeval: Table) -> None:
    t = selfeval
    told: list[object] = []
    t.widget.indicatorSelected.connect(told.append)
    wanted = t.form.indicators[6:9]
    t.widget.select_indicators(wanted)
    assert told == []  # no echo back to the tree
    assert {i.row() for i in t.view.selectionModel().selectedIndexes()} == {6, 7, 8}
    assert t.view.currentIndex().row() == 6
    t.go(10, "actual")
    assert told == [t.form.indicators[10]]
    t.widget.set_form(None)
    assert t.model.rowCount() == 0 and told == [t.form.indicators[10]]


def test_read_only_workbook_refuses_edits(qtbot: Any) -> None:
    t = Table(qtbot, load_sample("wuwei-zwfw-2022-selfeval.json"), 1)
    t.document.read_only = True
    t.widget.set_form(t.form)  # the same form: only the tools are updated
    t.go(0, "actual")
    t.type("9", None)
    commit(t.view, "人")
    assert not t.editing() and t.form.indicators[0].actual == "11人"
    assert not t.widget.action("insert_below").isEnabled()


def test_target_form_rows_inserted_into_an_empty_form_start_with_standard_levels(qtbot: Any) -> None:
    workbook = load_sample("tianjin-zwfw-2025-targets.json")
    workbook.forms[0].indicators = []
    t = Table(qtbot, workbook, 0)
    t.widget.action("insert_below").trigger()
    assert [(i.level1, i.level2) for i in t.form.indicators] == [("产出指标", "数量指标")]
    assert isinstance(t.form.indicators[0], Indicator)
    assert t.view.currentIndex() == t.index(0, "name")


def test_window_undo_action_wins_and_table_keeps_its_clipboard_keys(qtbot: Any) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    triggered: list[str] = []
    for name, key in [("undo", "Ctrl+Z"), ("copy", "Ctrl+C")]:
        action = QAction(name, window)
        action.setShortcut(QKeySequence(key))
        action.triggered.connect(lambda _=False, name=name: triggered.append(name))
        window.addAction(action)
    workbook = load_sample("wuwei-zwfw-2022-selfeval.json")
    document = WorkbookDocument(workbook)
    stack = EditStack(document)
    ruleset = load_ruleset()
    engine = ScoringEngine(ruleset)
    engine.attach(document)
    table = IndicatorTable(document, stack, engine, ruleset, window)
    QVBoxLayout(window).addWidget(table)
    table.set_form(workbook.forms[1])
    window.resize(1200, 600)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    view = table.view()
    view.setFocus()
    QApplication.clipboard().setText("")
    qtbot.keyClick(view, Qt.Key.Key_C, CTRL)
    assert QApplication.clipboard().text() == "指标1: 保安保洁人员"  # the table's copy, not the window's
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert triggered == ["undo"]  # the window's Edit menu undoes (with its own messages)


def test_a_refused_undo_keeps_the_stack_and_says_so(qtbot: Any) -> None:
    class FlakyStore(MemoryStore):
        refuse = False

        def update(self, obj: object, fields: Any) -> None:
            if self.refuse:
                raise UserError("文件已被其他程序锁定。")

    workbook = unscored(load_sample("wuwei-zwfw-2022-selfeval.json"))
    t = Table(qtbot, workbook, 1)
    store = FlakyStore()
    t.document.store = store
    t.go(0, "actual")
    t.type("9人")
    t.qtbot.waitUntil(lambda: t.form.indicators[0].actual == "9人")
    store.refuse = True
    t.qtbot.keyClick(t.view, Qt.Key.Key_Z, CTRL)
    assert t.form.indicators[0].actual == "9人" and t.stack.index() == 1
    assert t.messages[-1] == "无法撤销：文件已被其他程序锁定。"
    store.refuse = False
    t.qtbot.keyClick(t.view, Qt.Key.Key_Z, CTRL)
    assert t.form.indicators[0].actual == "11人" and t.stack.index() == 0


def _wheel(view: QAbstractItemView, notches: int, modifiers: Qt.KeyboardModifier, angle: int = 120) -> None:
    """Turn the mouse wheel over the table: ``angle`` per event (120 = one notch; a touchpad sends less)."""
    centre = QPointF(view.viewport().rect().center())
    event = QWheelEvent(
        centre,
        QPointF(view.viewport().mapToGlobal(centre.toPoint())),
        QPoint(0, 0),
        QPoint(0, angle * notches),
        Qt.MouseButton.NoButton,
        modifiers,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view.viewport(), event)


def test_ctrl_wheel_zooms_text_widths_and_rows_together(selfeval: Table) -> None:
    table, view = selfeval.widget, selfeval.view
    weight = selfeval.model.column_index("weight")
    assert weight is not None
    before = (view.font().pointSizeF(), view.columnWidth(weight), view.rowHeight(0))
    with selfeval.qtbot.waitSignal(table.zoomChanged) as changed:
        _wheel(view, 1, CTRL)
    assert changed.args == [110]
    _wheel(view, 1, CTRL)
    assert table.zoom() == 125
    font, width, height = view.font().pointSizeF(), view.columnWidth(weight), view.rowHeight(0)
    assert font == pytest.approx(before[0] * 1.25)
    assert width == 52 * 125 // 100 > before[1]  # 分值 is a fixed-width column: it scales exactly
    assert height > before[2]
    scroll = view.verticalScrollBar().value()
    _wheel(view, -2, CTRL)  # two notches back: 110, then 100
    assert table.zoom() == 100 and view.columnWidth(weight) == before[1]
    assert view.verticalScrollBar().value() == scroll  # zooming does not scroll


def test_zoom_is_kept_within_its_steps(selfeval: Table) -> None:
    table = selfeval.widget
    assert table.set_zoom(500) == 200
    assert table.zoom_step(1) == 200
    assert table.set_zoom(10) == 50
    assert table.zoom_step(-1) == 50
    assert table.set_zoom(113) == 113 and table.zoom_step(1) == 125 and table.zoom_step(-1) == 110


def test_the_plain_wheel_still_scrolls(selfeval: Table) -> None:
    view = selfeval.view
    selfeval.widget.resize(1300, 200)
    selfeval.qtbot.waitUntil(lambda: view.verticalScrollBar().maximum() > 0)
    _wheel(view, -1, NO)
    assert view.verticalScrollBar().value() > 0 and selfeval.widget.zoom() == 100


def test_a_touchpad_zooms_one_step_per_whole_notch(selfeval: Table) -> None:
    for _ in range(7):  # 7 × 40 = 280: two whole notches
        _wheel(selfeval.view, 1, CTRL, angle=40)
    assert selfeval.widget.zoom() == 125


def test_ctrl_d_fills_the_top_row_down_the_selection_as_one_step(selfeval: Table) -> None:
    t = selfeval
    t.document.set_fields(t.form.indicators[0], deviation="无偏差")
    names = [i.name for i in t.form.indicators[:4]]
    before = snapshot(t.form)
    t.select(0, "target", 3, "deviation")  # 年度指标值 … 偏差原因, four rows
    t.qtbot.keyClick(t.view, Qt.Key.Key_D, CTRL)
    rows = t.form.indicators[:4]
    assert {(i.target, i.actual, i.weight, i.deviation) for i in rows} == {("11人", "11人", Decimal(3), "无偏差")}
    assert [i.name for i in rows] == names  # outside the selection
    assert t.stack.count() == 1 and t.stack.undoText() == "向下填充"
    assert len(t.view.selectionModel().selectedIndexes()) == 4 * 6  # the selection stays
    t.qtbot.keyClick(t.view, Qt.Key.Key_Z, CTRL)
    assert snapshot(t.form) == before


def test_ctrl_d_on_one_row_copies_the_row_above(selfeval: Table) -> None:
    t = selfeval
    t.go(5, "actual")
    t.qtbot.keyClick(t.view, Qt.Key.Key_D, CTRL)
    assert t.form.indicators[5].actual == t.form.indicators[4].actual == "12个月"
    t.go(0, "actual")
    t.qtbot.keyClick(t.view, Qt.Key.Key_D, CTRL)  # nothing above the first row: nothing happens
    assert t.stack.count() == 1 and not t.messages
