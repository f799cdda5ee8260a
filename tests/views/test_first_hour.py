"""Issue 17, the first hour of a new accountant, as a user's actions in the whole window: each numbered point
of the issue (empty workbook, manual scores, reasons, messages, warnings at entry, paste, layout, keys, noise)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QIcon
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton, QToolButton

from desktop.models.workbook.domain import Form, FormKind, Indicator, Unit, Workbook
from desktop.views.fund_model import COL_EXECUTED
from desktop.views.main_window import MainWindow
from tests.helpers.fixtures import load_sample
from tests.views.window_helpers import click_index, open_window, type_into_cell, type_text

pytestmark = pytest.mark.usefixtures("qapp_setup")


def session_of(window: MainWindow) -> Any:
    assert window.session is not None
    return window.session


def wuwei_window(qtbot: Any, tmp_path: Path) -> tuple[MainWindow, Any, Form]:
    """The published Wuwei 2022 sample (its 得分 are stored as manual scores), 政务服务经费 shown."""
    window, _ = open_window(qtbot, tmp_path, load_sample("wuwei-zwfw-2022-selfeval.json"))
    session = session_of(window)
    form = session.document.workbook.forms[1]
    session.select_form(form)
    return window, session, form


def cell(session: Any, indicator: Indicator, key: str) -> Any:
    model = session.table.model()
    return model.index(model.row_of(indicator), model.column_index(key))


def type_in(qtbot: Any, session: Any, indicator: Indicator, key: str, text: str) -> None:
    view = session.table.view()
    click_index(qtbot, view, cell(session, indicator, key))
    type_into_cell(view, text)


# 1. An empty new workbook gives a way forward -------------------------------------------------


def test_an_empty_workbook_shows_what_to_do_next_and_the_toolbar_has_new_form(qtbot: Any, tmp_path: Path) -> None:
    window, _ = open_window(qtbot, tmp_path, Workbook(unit=Unit("1", "测试单位"), year=2025))
    session = session_of(window)
    guide = session.pane.guide
    assert guide.isVisible() and guide.guiding()
    assert {"copy_forms", "import_xlsx", *(f"new_form:{k.value}" for k in FormKind)} == set(guide.buttons)
    labels = [b.text() for b in guide.findChildren(QPushButton)]
    assert "新建项目支出绩效目标表" in "".join(labels) or any("目标表" in text for text in labels)
    qtbot.mouseClick(guide.buttons[f"new_form:{FormKind.PROJECT_TARGET.value}"], Qt.MouseButton.LeftButton)
    assert [f.kind for f in session.document.workbook.forms] == [FormKind.PROJECT_TARGET]
    new_form = window.toolbar.findChild(QToolButton, "newFormButton")
    assert new_form is not None and new_form.isVisible() and new_form.text() == "新建表"
    assert len(new_form.menu().actions()) == len(FormKind)
    new_form.menu().actions()[1].trigger()
    assert len(session.document.workbook.forms) == 2
    window.acts.undo.trigger()
    window.acts.undo.trigger()
    session.select_form(None)
    assert guide.guiding()


# 2. Manual scores explain themselves ----------------------------------------------------------


def test_a_changed_actual_under_a_manual_score_says_so_and_one_click_adopts_the_suggestion(
    qtbot: Any, tmp_path: Path
) -> None:
    window, session, form = wuwei_window(qtbot, tmp_path)
    first = form.indicators[0]  # 保安保洁人员 11人 → 11人, published 得分 3 = the suggestion
    assert cell(session, first, "score").data() == "✎ 3"  # agreeing: no second number, no alarm
    type_in(qtbot, session, first, "actual", "8人")
    qtbot.waitUntil(lambda: first.actual == "8人")
    assert cell(session, first, "score").data() == "✎3（建议2.18）"
    notes = session.notes
    assert notes.isVisible() and "不再跟随" in notes.text() and "采用建议分" in notes.text()
    tab = session.table_tab
    click_index(qtbot, session.table.view(), cell(session, first, "name"))
    assert tab.adopt_row.isEnabled()
    qtbot.mouseClick(tab.adopt_row, Qt.MouseButton.LeftButton)
    assert first.score is None and cell(session, first, "score").data() == "2.18"
    assert not notes.isVisible()  # the successful edit cleared the message
    manual = sum(1 for ind in form.indicators if ind.score is not None)
    assert manual > 3
    qtbot.mouseClick(tab.adopt_all, Qt.MouseButton.LeftButton)
    assert all(ind.score is None for ind in form.indicators)
    assert window.acts.undo.text() == "撤销 采用建议分"
    window.acts.undo.trigger()  # one step brings every manual score back
    assert sum(1 for ind in form.indicators if ind.score is not None) == manual


# 3. The current row's reasons are in view ------------------------------------------------------


def test_the_detail_panel_shows_the_current_rows_explanation_flags_and_findings(qtbot: Any, tmp_path: Path) -> None:
    window, session, form = wuwei_window(qtbot, tmp_path)
    qtbot.waitUntil(lambda: not window.files.opening.pending)  # the tree's scores follow the first form's paint
    row = form.indicators[12]  # 群众来电咨询接听率 100% → 87%
    click_index(qtbot, session.table.view(), cell(session, row, "name"))
    text = session.table_tab.detail_text()
    assert "计分依据：实际87%" in text and "完成87%" in text
    assert "⚠ 未达到指标值" in text and "手动" in text
    assert session.table_tab.detail.isVisible()
    chart = session.table_tab.chart
    assert chart.isVisible() and "达成" in chart.summary_text() and "产出指标" in chart.summary_text()
    tree_model = session.tree_model
    gauge = tree_model.index_for_object(form).siblingAtColumn(1).data(Qt.ItemDataRole.DecorationRole)
    assert isinstance(gauge, QIcon) and not gauge.isNull()  # the small mark in the tree
    first_row = tree_model.index_for_object(form.indicators[0]).siblingAtColumn(1)
    assert first_row.data(Qt.ItemDataRole.DecorationRole) is None  # forms only


# 4. Messages are seen and do not go stale ------------------------------------------------------


def test_a_refusal_shows_in_the_message_area_until_the_next_successful_edit(qtbot: Any, tmp_path: Path) -> None:
    window, session, form = wuwei_window(qtbot, tmp_path)
    first = form.indicators[0]
    type_in(qtbot, session, first, "weight", "abc")
    notes = session.notes
    qtbot.waitUntil(lambda: notes.isVisible())
    assert notes.severity() == "error" and "分值" in notes.text()
    assert notes.geometry().height() >= notes.fontMetrics().height()
    type_in(qtbot, session, first, "name", "A1")
    qtbot.waitUntil(lambda: first.name == "A1")
    assert not notes.isVisible() and window.statusBar().currentMessage() == ""


# 5. Bad values pass with a word ----------------------------------------------------------------


def test_doubtful_values_are_accepted_with_a_warning(qtbot: Any, tmp_path: Path) -> None:
    _, session, form = wuwei_window(qtbot, tmp_path)
    notes = session.notes
    first, second = form.indicators[0], form.indicators[1]
    type_in(qtbot, session, first, "actual", "-50人")
    qtbot.waitUntil(lambda: first.actual == "-50人")
    assert notes.severity() == "warning" and "负数" in notes.text()
    type_in(qtbot, session, second, "target", "200%")
    qtbot.waitUntil(lambda: second.target == "200%")
    assert "超过 100%" in notes.text()
    second.score = None
    type_in(qtbot, session, second, "target", "5544.13m²")
    type_in(qtbot, session, second, "actual", "abc")
    qtbot.waitUntil(lambda: second.actual == "abc")
    assert "定性指标" in notes.text() and "3 分" in notes.text()
    session.pane.show_form(form, "funds")
    view = session.pane.fund_view()
    click_index(qtbot, view, view.model().index(0, COL_EXECUTED))
    type_into_cell(view, "400")
    funds = form.funds or []
    qtbot.waitUntil(lambda: funds[0].executed is not None and funds[0].executed == 400)
    assert "大于全年预算数" in notes.text() and "137.2%" in notes.text()


def test_a_paste_or_fill_down_warns_about_doubtful_values_naming_each_row(qtbot: Any, tmp_path: Path) -> None:
    _, session, form = wuwei_window(qtbot, tmp_path)
    notes = session.notes
    first, second = form.indicators[0], form.indicators[1]
    view = session.table.view()
    click_index(qtbot, view, cell(session, first, "actual"))
    QApplication.clipboard().setText("-50人\n-3人\n")
    QTest.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: second.actual == "-3人")
    assert notes.severity() == "warning"
    assert "第 1 行：" in notes.text() and "第 2 行：" in notes.text() and "负数" in notes.text()
    click_index(qtbot, view, cell(session, first, "target"))
    type_into_cell(view, "200%")
    qtbot.waitUntil(lambda: first.target == "200%")
    view.selectionModel().select(
        cell(session, second, "target"),
        view.selectionModel().SelectionFlag.Select,  # first and second, as a drag
    )
    QTest.keyClick(view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: second.target == "200%")
    assert "第 2 行：" in notes.text() and "超过 100%" in notes.text()


# 6. A paste from Excel with merged 一级 / 二级 ---------------------------------------------------


def test_pasted_rows_with_blank_levels_continue_the_row_above(qtbot: Any, tmp_path: Path) -> None:
    _, session, form = wuwei_window(qtbot, tmp_path)
    count = len(form.indicators)
    view = session.table.view()
    click_index(qtbot, view, cell(session, form.indicators[-1], "level1"))
    QApplication.clipboard().setText("效益指标\t社会效益指标\t甲\n\t\t乙\n\t\t丙\n")
    QTest.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: any(i.name == "丙" for i in form.indicators))
    pasted = [(i.level1, i.level2) for i in form.indicators if i.name in ("甲", "乙", "丙")]
    assert pasted == [("效益指标", "社会效益指标")] * 3 and len(form.indicators) > count
    assert "未填写一级指标" not in session.table_tab.detail_text()


# 7. Layout ------------------------------------------------------------------------------------


def test_the_tree_is_wider_and_remembered_and_deviation_is_visible_at_1280(qtbot: Any, tmp_path: Path) -> None:
    window, session, form = wuwei_window(qtbot, tmp_path)
    window.resize(1280, 800)
    qtbot.wait(50)
    assert session.splitter.sizes()[0] >= 300
    view = session.table.view()
    deviation = cell(session, form.indicators[0], "deviation")
    rect = view.visualRect(deviation)
    assert rect.isValid() and rect.right() <= view.viewport().width() + 2
    session.splitter.setSizes([380, 900])
    path = session.document.path
    window.close()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    again = MainWindow(settings, window.prompter, documents_dir=str(tmp_path), data_dir=str(tmp_path / "appdata"))
    qtbot.addWidget(again)
    again.resize(1280, 800)
    again.show()
    assert again.open_path(path)
    assert abs(session_of(again).splitter.sizes()[0] - 380) <= 4


# 8. Keyboard ----------------------------------------------------------------------------------


def test_tab_wraps_to_the_next_rows_first_cell_and_f1_shows_fixed_names(qtbot: Any, tmp_path: Path) -> None:
    window, session, form = wuwei_window(qtbot, tmp_path)
    view = session.table.view()
    model = session.table.model()
    last = model.columnCount() - 1
    click_index(qtbot, view, model.index(1, last))
    QTest.keyClick(view, Qt.Key.Key_Tab)
    current = view.currentIndex()
    assert current.row() == 2 and current.column() == model.column_index("name")  # past the merged 一级 / 二级
    QTest.keyClick(view, Qt.Key.Key_Backtab)
    assert (view.currentIndex().row(), view.currentIndex().column()) == (1, last)
    type_in(qtbot, session, form.indicators[0], "name", "A1")
    qtbot.waitUntil(lambda: form.indicators[0].name == "A1")
    assert window.acts.undo.text().startswith("撤销 ")
    names = [what for _, _, what in window.shortcut_rows()]
    assert "撤销" in names and not any(name.startswith("撤销 ") for name in names)


# 9. Noise -------------------------------------------------------------------------------------


def test_a_fresh_self_evaluation_reports_missing_actuals_once(qtbot: Any, tmp_path: Path) -> None:
    window, session, _ = wuwei_window(qtbot, tmp_path)
    window.acts.new_form(FormKind.PROJECT_TARGET).trigger()
    added = session.document.workbook.forms[-1]
    session.select_form(added)
    keys = [column.key for column in session.table.model().columns()]
    values = {"level1": "产出指标", "level2": "数量指标", "target": "≥10次", "weight": "3"}
    rows = ["\t".join(values.get(key, f"指标{i}" if key == "name" else "") for key in keys) for i in range(23)]
    QApplication.clipboard().setText("\n".join(rows))
    view = session.table.view()
    view.setFocus()
    view.setCurrentIndex(view.model().index(0, 0))
    QTest.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(added.indicators) >= 23)
    window.acts.generate.trigger()
    window.validate_all()
    generated = session.document.workbook.forms.index(session.pane.form())
    findings = [f for f in window.problems.model.findings() if f.form_index == generated]
    grouped = [f for f in findings if f.message.endswith("未填写实际完成值")]
    assert len(added.indicators) == 23
    assert len(grouped) == 1 and grouped[0].message == "23项未填写实际完成值" and len(grouped[0].members) == 23


def test_the_problems_dock_names_the_form_kind_can_be_limited_to_the_current_form_and_sorted(
    qtbot: Any, tmp_path: Path
) -> None:
    window, session, form = wuwei_window(qtbot, tmp_path)
    window.validate_all()
    panel = window.problems
    model = panel.model
    forms = {model.index(row, 1).data() for row in range(model.rowCount())}
    assert len(forms) > 1 and all("（" in name and name.endswith("表）") for name in forms if name != "工作簿")
    everything = model.rowCount()
    qtbot.mouseClick(panel.only_current, Qt.MouseButton.LeftButton)
    assert 0 < model.rowCount() < everything
    assert {model.index(row, 1).data() for row in range(model.rowCount())} == {f"{form.title}（{form.kind.label}）"}
    session.select_form(session.document.workbook.forms[0])
    assert model.rowCount() < everything and {model.finding(r).form_index for r in range(model.rowCount())} == {0}
    qtbot.mouseClick(panel.only_current, Qt.MouseButton.LeftButton)
    assert model.rowCount() == everything
    header = panel.view.horizontalHeader()
    qtbot.mouseClick(
        header.viewport(),
        Qt.MouseButton.LeftButton,
        pos=header.rect().center().__class__(header.sectionViewportPosition(3) + 5, header.height() // 2),
    )
    problems = [model.index(row, 3).data() for row in range(model.rowCount())]
    assert problems == sorted(problems) or problems == sorted(problems, reverse=True)


def test_a_long_text_box_grows_with_what_is_typed(qtbot: Any, tmp_path: Path) -> None:
    _, session, form = wuwei_window(qtbot, tmp_path)
    session.pane.show_form(form, "goals")
    editor = session.pane.text_editor("overall_actual")
    editor.setFocus()
    editor.selectAll()
    type_text(editor, "短")
    short = editor.height()
    type_text(editor, "全年完成政务服务事项办理，群众满意度保持较高水平。" * 30)
    qtbot.waitUntil(lambda: editor.height() > short * 2)
    lines = int(editor.document().documentLayout().documentSize().height())
    assert editor.viewport().height() >= lines * editor.fontMetrics().lineSpacing()  # all of it in view
