"""Tests of the form pane, driven like a user: fields per form kind, typed edits, refusals, undo, rendering."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator, Sequence
from decimal import Decimal
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFontInfo, QFontMetrics, QImage, QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLabel, QLineEdit, QPlainTextEdit, QWidget

from desktop.models.errors import UserError
from desktop.models.scoring.engine import ScoringEngine
from desktop.models.scoring.rules import load_ruleset
from desktop.models.workbook.document import MemoryStore, WorkbookDocument
from desktop.models.workbook.domain import Budget, Form, FormKind, Workbook
from desktop.resources import FONT_FAMILY
from desktop.views.commands import EditStack
from desktop.views.form_pane import FormPane
from desktop.views.fund_model import COL_EXECUTED, COL_RATE, COL_SCORE
from desktop.views.goal_model import COL_TARGET
from tests.helpers.fixtures import load_sample

WUWEI = "wuwei-zwfw-2022-selfeval.json"
TIANJIN = "tianjin-zwfw-2025-targets.json"
TANGSHAN = "tangshan-xzsp-targets.json"


@pytest.fixture(autouse=True)
def _app_font(qapp_setup: QApplication) -> None:
    """Every test here runs with the app's own set-up (the bundled Chinese font)."""


class RefusingStore(MemoryStore):
    """A store that refuses every write while ``full`` is set (a full disk)."""

    full = False

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        if self.full:
            raise UserError("磁盘已满，修改未能保存。")
        yield


class Env:
    """A document, its undo stack, an attached engine and a shown FormPane (with a stand-in indicator table)."""

    def __init__(self, qtbot: QtBot, workbook: Workbook, store: MemoryStore | None = None) -> None:
        self.document = WorkbookDocument(workbook, store)
        self.stack = EditStack(self.document)
        ruleset = load_ruleset(workbook.ruleset)
        self.engine = ScoringEngine(ruleset)
        self.engine.attach(self.document)
        self.table = QLabel("指标表")
        self.pane = FormPane(self.document, self.stack, self.engine, ruleset, self.table)
        self.messages: list[str] = []
        self.pane.message.connect(self.messages.append)
        # A plain host window without a layout, like the main window's splitter: the offscreen platform
        # warns when a top-level window's size hints change, which the pane's layout does on every form.
        self.host = QWidget()
        self.host.resize(1000, 700)
        self.pane.setParent(self.host)
        self.pane.setGeometry(0, 0, 1000, 700)
        qtbot.addWidget(self.host)
        self.host.show()
        qtbot.waitExposed(self.host)
        self.host.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is self.host)
        self.qtbot = qtbot

    def show(self, index: int, tab: str | None = None) -> Form:
        form = self.document.workbook.forms[index]
        self.pane.show_form(form, tab)
        return form

    def type(self, widget: QWidget, text: str) -> None:
        """Type ``text``: ASCII as key presses, Chinese as an input method commits it."""
        type_text(self.qtbot, widget, text)

    def retype(self, widget: QWidget, text: str, finish: bool = True) -> None:
        """Click into a field, select all, type ``text`` and (optionally) press Return."""
        widget.setFocus()
        QTest.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        self.type(widget, text)
        if finish:
            QTest.keyClick(widget, Qt.Key.Key_Return)

    def type_cell(self, view: QAbstractItemView, row: int, column: int, text: str) -> None:
        """Select a cell, type over it (an ASCII first key starts the editor, else F2) and press Return."""
        view.setFocus()
        view.setCurrentIndex(view.model().index(row, column))
        if text[0].isascii():
            QTest.keyClicks(view, text[0])  # starts the editor with this key, like Excel
            editor = QApplication.focusWidget()
            text = text[1:]
        else:
            QTest.keyClick(view, Qt.Key.Key_F2)
            editor = QApplication.focusWidget()
            assert editor is not None
            QTest.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        assert editor is not None and editor is not view
        if text:
            self.type(editor, text)
        QTest.keyClick(editor, Qt.Key.Key_Return)


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type into a widget: ASCII runs as key clicks, other runs committed by the input method (as 拼音 input does)."""
    for is_ascii, run in itertools.groupby(text, key=str.isascii):
        chunk = "".join(run)
        if is_ascii:
            QTest.keyClicks(widget, chunk)
        else:
            event = QInputMethodEvent("", [])
            event.setCommitString(chunk)
            QApplication.sendEvent(widget, event)


@pytest.fixture
def wuwei_env(qtbot: QtBot) -> Env:
    return Env(qtbot, load_sample(WUWEI))


def child(form: Form, attr: str) -> object:
    """A child of a form, read afresh (after an undo)."""
    return getattr(form, attr)


def line_text(editor: QWidget) -> str:
    """The text of a one-line header field."""
    assert isinstance(editor, QLineEdit)
    return editor.text()


def fund_text(env: Env, row: int, column: int) -> str:
    model = env.pane.fund_view().model()
    return str(model.data(model.index(row, column)))


# ---- what each form kind shows ------------------------------------------------------------


def test_project_target_shows_title_purpose_and_budget(qtbot: QtBot) -> None:
    env = Env(qtbot, load_sample(TIANJIN))
    form = env.show(0)
    assert form.kind is FormKind.PROJECT_TARGET
    assert env.pane.header_fields() == ["title", "purpose"]
    assert env.pane.header_label_text("title") == "项目名称"
    assert env.pane.header_label_text("purpose") == "资金用途"
    assert env.pane.header_editor("title").isVisible()
    assert not env.pane.header_editor("department").isVisible()
    assert env.pane.sections() == {"budget": True, "funds": False, "plan": False, "goals": False}
    assert env.pane.budget_editor("amount").text() == "114.00"
    assert env.pane.budget_editor("other").text() == ""
    assert not env.pane.text_visible("overall_actual") and not env.pane.text_visible("conclusion")
    tabs = env.pane.tab_widget()
    assert [tabs.tabText(i) for i in range(tabs.count())] == ["绩效指标", "资金与预算", "绩效目标", "结论与签署"]
    assert env.pane.current_tab() == "indicators" and tabs.currentWidget() is env.table


def test_project_target_shows_department_and_unit_when_present(qtbot: QtBot) -> None:
    workbook = load_sample(TIANJIN)
    env = Env(qtbot, workbook)
    index = next(i for i, f in enumerate(workbook.forms) if f.unit is not None)
    env.show(index)
    assert "unit" in env.pane.header_fields()
    assert line_text(env.pane.header_editor("unit")) == "天津市便民专线服务中心"


def test_dept_target_unit_block_and_project_block(qtbot: QtBot) -> None:
    env = Env(qtbot, load_sample(TANGSHAN))
    env.show(0, "goals")
    assert env.pane.header_fields() == ["title"]
    assert env.pane.header_label_text("title") == "单位名称"
    assert env.pane.sections()["goals"] and not env.pane.sections()["plan"]
    assert env.pane.current_tab() == "goals"
    assert env.pane.goal_view().model().rowCount() == 4
    assert env.pane.goal_view().model().columnCount() == 2  # no 实际完成情况 on a target table
    env.show(1)
    assert env.pane.header_fields() == ["title", "code", "purpose"]
    assert env.pane.header_label_text("title") == "预算项目名称"
    assert line_text(env.pane.header_editor("code")) == "131003001"
    assert env.pane.sections() == {"budget": False, "funds": False, "plan": True, "goals": False}


def test_project_self_eval_shows_department_unit_and_fund_table(wuwei_env: Env) -> None:
    env = wuwei_env
    env.show(1, "funds")
    assert env.pane.header_fields() == ["title", "department", "unit"]
    assert [env.pane.header_label_text(k) for k in ("title", "department", "unit")] == [
        "项目名称",
        "主管部门",
        "实施单位",
    ]
    assert line_text(env.pane.header_editor("department")) == "武威市人民政府办公室"
    assert env.pane.sections() == {"budget": False, "funds": True, "plan": False, "goals": False}
    assert env.pane.fund_view().isVisible()
    assert env.pane.text_visible("deviation") and env.pane.text_visible("overall_actual")
    assert not env.pane.text_visible("conclusion")
    assert env.pane.text_editor("notes").toPlainText().startswith("请在此处简要说明")


def test_dept_self_eval_shows_department_name_conclusion_and_goals(wuwei_env: Env) -> None:
    env = wuwei_env
    env.show(0, "sign")
    assert env.pane.header_fields() == ["title"]
    assert env.pane.header_label_text("title") == "部门名称"
    assert env.pane.text_visible("conclusion")
    assert env.pane.text_editor("conclusion").isVisible()
    assert env.pane.sections()["funds"] and env.pane.sections()["goals"]
    model = env.pane.fund_view().model()
    assert model.headerData(0, Qt.Orientation.Vertical) == "部门整体支出"
    assert env.pane.goal_view().model().columnCount() == 3


def test_no_form_shows_a_placeholder(wuwei_env: Env) -> None:
    wuwei_env.show(1)
    wuwei_env.pane.show_form(None)
    assert wuwei_env.pane.form() is None
    assert not wuwei_env.pane.tab_widget().isVisible()


def test_removing_the_shown_form_clears_the_pane(wuwei_env: Env) -> None:
    wuwei_env.show(1)
    wuwei_env.document.remove_items(wuwei_env.document.workbook, "forms", 1)
    assert wuwei_env.pane.form() is None


# ---- header fields ---------------------------------------------------------------------------


def test_header_edit_commits_on_return_and_undo_restores(wuwei_env: Env) -> None:
    env = wuwei_env
    form = env.show(1)
    editor = env.pane.header_editor("title")
    env.retype(editor, "政务服务运行经费")
    env.qtbot.waitUntil(lambda: form.title == "政务服务运行经费")
    assert env.stack.count() == 1
    env.stack.undo()
    assert form.title == "政务服务经费"
    assert line_text(env.pane.header_editor("title")) == "政务服务经费"  # the field follows the undo
    env.stack.redo()
    assert line_text(env.pane.header_editor("title")) == "政务服务运行经费"


def test_unit_field_creates_the_unit_and_undo_removes_it(wuwei_env: Env) -> None:
    env = wuwei_env
    form = env.show(1)
    env.document.set_child(form, "unit", None)
    env.show(1)
    env.retype(env.pane.header_editor("unit"), "武威市政务服务中心")
    env.qtbot.waitUntil(lambda: form.unit is not None)
    assert form.unit is not None and form.unit.name == "武威市政务服务中心"
    env.retype(env.pane.header_editor("unit"), "武威市政府政务服务中心")
    env.qtbot.waitUntil(lambda: form.unit is not None and form.unit.name == "武威市政府政务服务中心")
    env.stack.undo()
    env.stack.undo()
    assert child(form, "unit") is None
    assert line_text(env.pane.header_editor("unit")) == ""


def test_multi_line_purpose_commits_on_focus_out(qtbot: QtBot) -> None:
    env = Env(qtbot, load_sample(TIANJIN))
    form = env.show(0)
    editor = env.pane.header_editor("purpose")
    assert isinstance(editor, QPlainTextEdit)
    env.retype(editor, "测评服务", finish=False)
    QTest.keyClick(editor, Qt.Key.Key_Return)  # a new line, not a commit
    env.type(editor, "第二行")
    assert form.purpose == "信息系统等级保护测评等网络安全服务"
    env.pane.header_editor("title").setFocus()
    qtbot.waitUntil(lambda: form.purpose == "测评服务\n第二行")
    env.stack.undo()
    assert editor.toPlainText() == "信息系统等级保护测评等网络安全服务"


def test_a_refused_edit_shows_the_message_and_reverts_the_field(qtbot: QtBot) -> None:
    store = RefusingStore()
    env = Env(qtbot, load_sample(WUWEI), store)
    form = env.show(1)
    store.full = True
    env.retype(env.pane.header_editor("title"), "新名称")
    qtbot.waitUntil(lambda: bool(env.messages))
    assert env.messages[-1] == "磁盘已满，修改未能保存。"
    assert form.title == "政务服务经费"
    assert line_text(env.pane.header_editor("title")) == "政务服务经费"
    assert env.stack.count() == 0


# ---- 资金与预算 -------------------------------------------------------------------------------


def test_fund_table_typing_executed_updates_rate_and_score_and_undo(wuwei_env: Env) -> None:
    env = wuwei_env
    form = env.show(2, "funds")  # 0 / 50 / 50, score 10 as filed
    env.pane.restore_suggested_score()
    assert form.exec_score is None
    view = env.pane.fund_view()
    env.type_cell(view, 0, COL_EXECUTED, "48.8")
    env.qtbot.waitUntil(lambda: fund_text(env, 0, COL_EXECUTED) == "48.8")
    assert fund_text(env, 0, COL_RATE) == "97.6%"
    assert fund_text(env, 0, COL_SCORE) == "9.76"
    env.stack.undo()
    assert fund_text(env, 0, COL_EXECUTED) == "50"
    assert fund_text(env, 0, COL_RATE) == "100%"
    assert fund_text(env, 0, COL_SCORE) == "10"


def test_fund_table_refuses_a_non_number_with_a_message(wuwei_env: Env) -> None:
    env = wuwei_env
    form = env.show(2, "funds")
    with env.qtbot.waitSignal(env.pane.message) as signal:
        env.type_cell(env.pane.fund_view(), 0, COL_EXECUTED, "五十万")
    assert signal.args is not None and "全年执行数必须是数字" in signal.args[0]
    total = form.fund("total")
    assert total is not None and total.executed == Decimal(50)
    assert fund_text(env, 0, COL_EXECUTED) == "50"
    assert env.stack.count() == 0


def test_manual_score_typed_then_restored(wuwei_env: Env) -> None:
    env = wuwei_env
    form = env.show(2, "funds")
    env.pane.restore_suggested_score()
    env.type_cell(env.pane.fund_view(), 0, COL_SCORE, "9")
    env.qtbot.waitUntil(lambda: form.exec_score == Decimal(9))
    assert fund_text(env, 0, COL_SCORE) == "✎ 9"
    env.pane.restore_suggested_score()
    assert form.exec_score is None and fund_text(env, 0, COL_SCORE) == "10"


def test_a_score_below_the_weight_asks_for_a_deviation_reason(wuwei_env: Env) -> None:
    env = wuwei_env
    form = env.show(2, "funds")
    env.pane.restore_suggested_score()
    assert "偏差原因" not in env.pane.score_note()
    env.type_cell(env.pane.fund_view(), 0, COL_EXECUTED, "40")
    env.qtbot.waitUntil(lambda: fund_text(env, 0, COL_SCORE) == "8")
    assert "请填写偏差原因" in env.pane.score_note()
    env.retype(env.pane.text_editor("deviation"), "项目延期，部分资金未支出。", finish=False)
    env.pane.fund_view().setFocus()
    env.qtbot.waitUntil(lambda: form.deviation is not None)
    assert "偏差原因" not in env.pane.score_note()


def test_showing_the_same_form_again_keeps_the_selection(wuwei_env: Env) -> None:
    env = wuwei_env
    form = env.show(0, "goals")
    view = env.pane.goal_view()
    view.setCurrentIndex(view.model().index(2, COL_TARGET))
    env.pane.show_form(form, "sign")
    assert env.pane.current_tab() == "sign"
    assert view.currentIndex().row() == 2


def test_delete_key_clears_a_manual_score_back_to_the_suggestion(wuwei_env: Env) -> None:
    env = wuwei_env
    form = env.show(1, "funds")  # the filed 得分 10 is manual
    view = env.pane.fund_view()
    view.setFocus()
    view.setCurrentIndex(view.model().index(0, COL_SCORE))
    QTest.keyClick(view, Qt.Key.Key_Delete)
    assert form.exec_score is None
    assert fund_text(env, 0, COL_SCORE) == "10"
    view.setCurrentIndex(view.model().index(0, COL_RATE))
    QTest.keyClick(view, Qt.Key.Key_Delete)  # a computed cell: nothing to clear
    assert env.stack.count() == 1
    env.stack.undo()
    assert form.exec_score == Decimal(10)


def test_read_only_workbook_fields_cannot_be_edited(qtbot: QtBot) -> None:
    workbook = load_sample(WUWEI)
    env = Env(qtbot, workbook)
    env.document.read_only = True
    form = env.show(1, "funds")
    editor = env.pane.header_editor("title")
    assert isinstance(editor, QLineEdit) and editor.isReadOnly()
    env.retype(editor, "abc")
    assert form.title == "政务服务经费"
    assert env.pane.fund_view().editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers


def test_budget_amount_refuses_text_and_creates_the_budget(qtbot: QtBot) -> None:
    env = Env(qtbot, load_sample(TIANJIN))
    form = env.show(0, "funds")
    editor = env.pane.budget_editor("amount")
    with qtbot.waitSignal(env.pane.message) as signal:
        env.retype(editor, "一百万")
    assert signal.args is not None and "预算数必须是数字" in signal.args[0]
    assert editor.text() == "114.00" and form.budget is not None and form.budget.amount == Decimal("114.00")
    env.retype(env.pane.budget_editor("other"), "6")
    qtbot.waitUntil(lambda: form.budget is not None and form.budget.other == Decimal(6))
    assert "不一致" in env.pane.budget_warning()  # 114.00 + 6 ≠ 114.00
    env.stack.undo()
    assert env.pane.budget_warning() == ""
    env.document.set_child(form, "budget", None)
    env.retype(env.pane.budget_editor("fiscal"), "80")
    qtbot.waitUntil(lambda: form.budget is not None)
    budget = child(form, "budget")
    assert isinstance(budget, Budget) and budget.fiscal == Decimal(80) and budget.amount is None
    env.stack.undo()
    assert child(form, "budget") is None


def test_spending_plan_warning_appears_and_clears(qtbot: QtBot) -> None:
    env = Env(qtbot, load_sample(TANGSHAN))
    form = env.show(4, "funds")  # 12月底 25% after 10月底 75%
    assert "累计比例不能下降" in env.pane.plan_warning()
    env.type_cell(env.pane.plan_view(), 0, 3, "100")
    qtbot.waitUntil(lambda: (form.spending_plan or [])[3].percent == Decimal(100))
    assert env.pane.plan_warning() == ""
    env.stack.undo()
    assert "应达到 100%" in env.pane.plan_warning()


def test_deviation_text_commits_on_focus_out(wuwei_env: Env) -> None:
    env = wuwei_env
    form = env.show(1, "funds")
    editor = env.pane.text_editor("deviation")
    env.retype(editor, "执行率偏低：项目延期。", finish=False)
    env.pane.fund_view().setFocus()
    env.qtbot.waitUntil(lambda: form.deviation == "执行率偏低：项目延期。")
    env.stack.undo()
    assert form.deviation is None and editor.toPlainText() == ""


# ---- 绩效目标 / 结论与签署 ---------------------------------------------------------------------


def test_goals_add_edit_and_undo(wuwei_env: Env) -> None:
    env = wuwei_env
    form = env.show(0, "goals")
    view = env.pane.goal_view()
    view.setCurrentIndex(view.model().index(3, COL_TARGET))
    env.pane.add_goal()
    assert [g.no for g in form.goals or []] == [1, 2, 3, 4, 5]
    editor = QApplication.focusWidget()
    assert isinstance(editor, QPlainTextEdit)  # the new goal's text is being edited
    env.type(editor, "提升网办率")
    QTest.keyClick(editor, Qt.Key.Key_Tab)
    env.qtbot.waitUntil(lambda: (form.goals or [])[4].target == "提升网办率")
    env.stack.undo()
    assert (form.goals or [])[4].target is None
    env.stack.undo()
    assert len(form.goals or []) == 4 and view.model().rowCount() == 4


def test_goal_buttons_move_the_current_goal(wuwei_env: Env) -> None:
    env = wuwei_env
    form = env.show(0, "goals")
    view = env.pane.goal_view()
    second = (form.goals or [])[1]
    view.setCurrentIndex(view.model().index(1, COL_TARGET))
    env.pane.move_goal(-1)
    assert (form.goals or [])[0] is second and second.no == 1
    assert view.currentIndex().row() == 0
    env.stack.undo()
    assert (form.goals or [])[1] is second and second.no == 2


def test_overall_texts_and_signoff(wuwei_env: Env) -> None:
    env = wuwei_env
    form = env.show(1, "sign")
    assert child(form, "signoff") is None
    env.retype(env.pane.signoff_editor("preparer"), "张三")
    env.qtbot.waitUntil(lambda: form.signoff is not None)
    assert form.signoff is not None and form.signoff.preparer == "张三" and form.signoff.head is None
    env.retype(env.pane.signoff_editor("phone"), "0935-1234567")
    env.qtbot.waitUntil(lambda: form.signoff is not None and form.signoff.phone == "0935-1234567")
    env.stack.undo()
    env.stack.undo()
    assert child(form, "signoff") is None and env.pane.signoff_editor("preparer").text() == ""
    env.pane.show_form(form, "goals")
    editor = env.pane.text_editor("overall_actual")
    env.retype(editor, "全部完成。", finish=False)
    env.pane.text_editor("overall_target").setFocus()
    env.qtbot.waitUntil(lambda: form.overall_actual == "全部完成。")


# ---- rendering -------------------------------------------------------------------------------


def _cut_off_labels(widget: QWidget) -> list[str]:
    """Visible one-line labels narrower than their text."""
    return [
        label.text()
        for label in widget.findChildren(QLabel)
        if label.isVisible() and not label.wordWrap() and label.width() < label.sizeHint().width()
    ]


def _inked_columns(image: QImage, y_range: Sequence[int]) -> int:
    dark = 0
    for x in range(0, image.width(), 4):
        if any(image.pixelColor(QPoint(x, y)).lightness() < 100 for y in y_range):
            dark += 1
    return dark


@pytest.mark.parametrize(
    ("sample", "index", "tab"),
    [(TIANJIN, 0, "funds"), (TANGSHAN, 4, "funds"), (TANGSHAN, 0, "goals"), (WUWEI, 1, "funds"), (WUWEI, 0, "sign")],
)
def test_each_kind_renders_at_1000_by_700(qtbot: QtBot, tmp_path: Path, sample: str, index: int, tab: str) -> None:
    env = Env(qtbot, load_sample(sample))
    env.show(index, tab)
    QApplication.processEvents()
    assert _cut_off_labels(env.pane) == []
    path = tmp_path / f"{env.document.workbook.forms[index].kind.value}-{tab}.png"
    assert env.pane.grab().save(str(path))
    image = QImage(str(path))
    assert (image.width(), image.height()) == (1000, 700)
    # The kind's title at the top left is drawn, in the bundled font that has the Chinese glyphs.
    assert _inked_columns(image, range(4, 20)) > 20
    metrics = QFontMetrics(env.pane.font())
    assert QFontInfo(env.pane.font()).family() == FONT_FAMILY
    assert all(metrics.inFontUcs4(ord(ch)) for ch in "项目支出绩效自评表资金与预算执行率得分")
