"""The whole window driven like a user: live scores, tree ↔ table, generating a self-evaluation, problems, menus."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from PySide6.QtCore import QMimeData, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QMenu

from desktop.models.formats import interchange
from desktop.models.storage import store
from desktop.models.workbook.domain import Form, FormKind, FundLine, Indicator, Unit, Workbook
from desktop.models.workbook.edits import set_values
from desktop.models.workbook.outline import NodeKind
from desktop.views.main_window import MainWindow
from tests.helpers.fixtures import load_sample
from tests.views.window_helpers import (
    ScriptedPrompter,
    click_index,
    open_window,
    saved_workbook,
    type_into_cell,
    type_text,
)

pytestmark = pytest.mark.usefixtures("qapp_setup")


def training_workbook() -> Workbook:
    """One project self-evaluation scoring 100 (优) whose 产出 indicator alone weighs 50."""
    return Workbook(
        unit=Unit("319101", "测试单位"),
        year=2025,
        forms=[
            Form(
                kind=FormKind.PROJECT_SELF_EVAL,
                title="培训项目",
                department="测试主管部门",
                exec_weight=Decimal(10),
                funds=[FundLine("total", Decimal(100), Decimal(100), Decimal(100))],
                indicators=[
                    Indicator(
                        "产出指标", "数量指标", "培训人次", target="≥100人次", actual="100人次", weight=Decimal(50)
                    ),
                    Indicator("效益指标", "社会效益指标", "知晓率", target="≥90%", actual="95%", weight=Decimal(30)),
                    Indicator(
                        "满意度指标", "服务对象满意度指标", "满意度", target="≥90%", actual="95%", weight=Decimal(10)
                    ),
                ],
            )
        ],
    )


def session_of(window: MainWindow) -> Any:
    assert window.session is not None
    return window.session


def test_typing_an_actual_value_updates_score_subtotal_total_and_grade(qtbot: Any, tmp_path: Path) -> None:
    window, _ = open_window(qtbot, tmp_path, training_workbook())
    session = session_of(window)
    summary = session.summary
    assert (summary.value("total"), summary.value("grade"), summary.value("level:产出指标")) == ("100", "优", "50/50")
    form = session.document.workbook.forms[0]
    indicator = form.indicators[0]
    view = session.table.view()
    model = view.model()
    row, actual_column = model.row_of(indicator), model.column_index("actual")
    score_index = model.index(row, model.column_index("score"))
    assert score_index.data() == "50"

    click_index(qtbot, view, model.index(row, actual_column))
    type_into_cell(view, "50人次")
    qtbot.waitUntil(lambda: indicator.actual == "50人次")

    assert score_index.data() == "25"
    assert summary.value("level:产出指标") == "25/50"
    assert summary.value("total") == "75"
    assert summary.value("grade") == "中"
    assert "总分 75" in summary.text() and "等级 中" in summary.text()
    tree_model = session.tree_model
    qtbot.waitUntil(lambda: not window.files.opening.pending)  # the tree's scores follow the first form's paint
    assert tree_model.index_for_object(indicator).siblingAtColumn(1).data() == "25/50"
    assert tree_model.index_for_object(form).siblingAtColumn(1).data() == "75/100"
    # written to the file right after the paint (issue 18): no save step
    assert saved_workbook(qtbot, session).forms[0].indicators[0].actual == "50人次"
    # and undone from the Edit menu
    window.acts.undo.trigger()
    assert indicator.actual == "100人次" and summary.value("grade") == "优"
    window.acts.redo.trigger()
    assert summary.value("total") == "75"


def test_tree_and_table_selection_stay_in_sync(qtbot: Any, tmp_path: Path, wuwei: Workbook) -> None:
    window, _ = open_window(qtbot, tmp_path, wuwei)
    session = session_of(window)
    tree, table = session.tree, session.table
    form = session.document.workbook.forms[1]
    target = form.indicators[5]

    node_index = session.tree_model.index_for_object(target)
    tree.select_index_quietly(node_index.parent())  # expand the way to it like a user would
    click_index(qtbot, tree, node_index)
    assert session.pane.form() is form
    view = table.view()
    model = view.model()
    assert view.currentIndex().row() == model.row_of(target)
    assert {i.row() for i in view.selectionModel().selectedIndexes()} == {model.row_of(target)}

    other = form.indicators[12]
    click_index(qtbot, view, model.index(model.row_of(other), model.column_index("actual")))
    current = tree.current_node()
    assert current is not None and current.obj is other

    level2 = session.tree_model.outline.node_for(other).parent
    click_index(qtbot, tree, session.tree_model.index_for(level2))
    selected_rows = {i.row() for i in view.selectionModel().selectedIndexes()}
    assert selected_rows == {model.row_of(ind) for ind in level2.indicators()} and len(selected_rows) >= 1

    first_form = session.document.workbook.forms[0]
    click_index(qtbot, tree, session.tree_model.index_for_object(first_form))
    assert session.pane.form() is first_form and session.summary.form is first_form


def test_generate_self_evaluation_from_a_target_form(qtbot: Any, tmp_path: Path, tianjin: Workbook) -> None:
    window, _ = open_window(qtbot, tmp_path, tianjin)
    session = session_of(window)
    workbook = session.document.workbook
    source = workbook.forms[2]
    click_index(qtbot, session.tree, session.tree_model.index_for_object(source))
    assert window.acts.generate.isEnabled()
    count = len(workbook.forms)
    window.acts.generate.trigger()

    assert len(workbook.forms) == count + 1
    new = workbook.forms[3]
    assert new.kind is FormKind.PROJECT_SELF_EVAL and new.title == source.title
    assert [ind.target for ind in new.indicators] == [ind.target for ind in source.indicators]
    assert all(ind.actual is None for ind in new.indicators)
    assert sum((ind.weight or Decimal(0) for ind in new.indicators), Decimal(0)) == Decimal(90)
    current = session.tree.current_node()
    assert current is not None and current.obj is new
    assert session.pane.form() is new and session.summary.form is new
    assert session.summary.value("exec") is not None
    assert not window.acts.generate.isEnabled()  # a self-evaluation cannot be generated again
    assert len(saved_workbook(qtbot, session).forms) == count + 1
    window.acts.undo.trigger()
    assert len(workbook.forms) == count and session.tree_model.outline.node_for(new) is None


def test_opening_shows_the_form_then_checks_the_workbook_and_readies_the_writer(
    qtbot: Any, tmp_path: Path, wuwei: Workbook
) -> None:
    window, _ = open_window(qtbot, tmp_path, wuwei)
    session = window.session
    assert session is not None and session.table.model().rowCount() > 0  # the first form is shown at once
    assert window.files.opening.pending and window.problems.model.findings() == []  # 审核 waits for the paint
    # Without being asked, the problems panel fills and the file's writer gets ready once the form has painted.
    qtbot.waitUntil(lambda: bool(window.problems.model.findings()))
    qtbot.waitUntil(lambda: not window.files.opening.pending)
    assert "个错误" in window.problems.count_text()
    sqlite_store = session.document.store
    assert isinstance(sqlite_store, store.SqliteStore)
    qtbot.waitUntil(lambda: sqlite_store._conn is not None)


def test_double_clicking_a_problem_selects_what_it_is_about(qtbot: Any, tmp_path: Path, wuwei: Workbook) -> None:
    window, _ = open_window(qtbot, tmp_path, wuwei)
    session = session_of(window)
    findings = window.findings()
    assert findings and "个错误" in window.problems.count_text()
    row = next(
        i
        for i, f in enumerate(findings)
        if f.indicator_index is not None and f.form_index == 2 and f.field == "deviation"
    )
    finding = findings[row]
    form = session.document.workbook.forms[2]
    indicator = form.indicators[finding.indicator_index]
    # a mark in the tree on the indicator and its form
    assert session.tree_model.has_mark(session.tree_model.outline.node_for(indicator))
    assert session.tree_model.has_mark(session.tree_model.outline.node_for(form))

    problems_view = window.problems.view
    click_index(qtbot, problems_view, window.problems.model.index(row, 3), double=True)

    assert session.pane.form() is form and session.pane.current_tab() == "indicators"
    current = session.tree.current_node()
    assert current is not None and current.obj is indicator
    view = session.table.view()
    model = view.model()
    assert view.currentIndex().row() == model.row_of(indicator)
    assert view.currentIndex().column() == model.column_index("deviation")


def test_problems_follow_edits(qtbot: Any, tmp_path: Path) -> None:
    window, _ = open_window(qtbot, tmp_path, training_workbook())
    session = session_of(window)
    indicator = session.document.workbook.forms[0].indicators[0]
    before = len(window.findings())
    assert session.undo_stack.push_edit(set_values("修改", indicator, {"actual": "50人次"})) is None
    qtbot.waitUntil(lambda: len(window.findings()) > before)  # a deduction with no reason is now questioned
    assert any(f.indicator_index == 0 and f.field == "deviation" for f in window.findings())
    node = session.tree_model.outline.node_for(indicator)
    assert session.tree_model.has_mark(node)


def test_refused_undo_shows_a_message_and_keeps_the_stack(qtbot: Any, tmp_path: Path) -> None:
    window, prompter = open_window(qtbot, tmp_path, training_workbook())
    session = session_of(window)
    indicator = session.document.workbook.forms[0].indicators[1]
    assert session.undo_stack.push_edit(set_values("修改", indicator, {"actual": "80%"})) is None
    session.document.read_only = True
    window.undo()
    assert prompter.errors and prompter.errors[-1].startswith("无法撤销") and "只读" in prompter.errors[-1]
    assert indicator.actual == "80%" and session.undo_stack.index() == 1
    session.document.read_only = False
    window.undo()
    assert indicator.actual == "95%" and session.undo_stack.index() == 0
    session.document.read_only = True
    window.redo()
    assert prompter.errors[-1].startswith("无法重做") and indicator.actual == "95%" and session.undo_stack.index() == 0
    session.document.read_only = False
    window.redo()
    assert indicator.actual == "80%"


def test_tree_context_operations(qtbot: Any, tmp_path: Path) -> None:
    window, prompter = open_window(qtbot, tmp_path, training_workbook())
    session = session_of(window)
    workbook = session.document.workbook
    tree = session.tree
    form = workbook.forms[0]
    menu = tree.build_menu(session.tree_model.outline.node_for(form))
    texts = [a.text() for a in menu.actions()]
    assert texts[:2] == ["新建表", "复制表"] and "在此添加指标" in texts and "删除…" in texts

    window.acts.new_form(FormKind.DEPT_TARGET).trigger()
    assert [f.kind for f in workbook.forms] == [FormKind.PROJECT_SELF_EVAL, FormKind.DEPT_TARGET]
    new = workbook.forms[1]
    assert tree.current_node().obj is new and session.pane.form() is new
    window.acts.move_up.trigger()
    assert workbook.forms[0] is new
    window.acts.move_down.trigger()
    assert workbook.forms[1] is new

    level2 = session.tree_model.outline.node_for(new).children[0].children[2]
    assert level2.label == "时效指标" and level2.placeholder
    tree.select_node(level2)
    window.acts.add_indicator.trigger()
    assert len(new.indicators) == 1 and (new.indicators[0].level1, new.indicators[0].level2) == ("产出指标", "时效指标")
    current = tree.current_node()
    assert current is not None and current.obj is new.indicators[0]
    assert not session.tree_model.outline.node_for(new.indicators[0]).parent.placeholder

    tree.select_object(form)
    window.acts.duplicate.trigger()
    assert len(workbook.forms) == 3 and workbook.forms[1].title == "培训项目（副本）"
    assert len(workbook.forms[1].indicators) == 3

    prompter.confirms.append(False)
    window.acts.delete.trigger()
    assert len(workbook.forms) == 3 and "删除表" in prompter.questions[-1]
    prompter.confirms.append(True)
    window.acts.delete.trigger()
    assert len(workbook.forms) == 2 and workbook.forms[1] is new
    window.acts.undo.trigger()
    assert len(workbook.forms) == 3
    saved = saved_workbook(qtbot, session)
    assert [f.title for f in saved.forms] == [f.title for f in workbook.forms]


def test_new_workbook_open_and_recent(qtbot: Any, tmp_path: Path) -> None:
    window, prompter = open_window(qtbot, tmp_path, training_workbook())
    first_path = session_of(window).document.path
    assert window.windowTitle().startswith("book.jxdb")
    prompter.workbooks.append(Workbook(unit=Unit("123456", "新单位"), year=2026, ruleset="hubei"))
    prompter.save_paths.append(str(tmp_path / "新工作簿"))
    assert window.new_workbook()
    session = session_of(window)
    assert session.document.path == str(tmp_path / "新工作簿.jxdb")
    assert session.ruleset.name == "hubei" and session.document.workbook.forms == []
    assert window.windowTitle().startswith("新工作簿.jxdb")
    assert window.recent_files()[:2] == [str(tmp_path / "新工作簿.jxdb"), first_path]
    assert window.settings.value("last_workbook") == str(tmp_path / "新工作簿.jxdb")
    window.acts.new_form(FormKind.PROJECT_SELF_EVAL).trigger()
    assert session.summary.value("exec") == "—/20"  # the hubei rule set weighs budget execution 20

    prompter.open_paths.append(first_path)
    window.acts.open.trigger()
    assert session_of(window).document.path == first_path
    window._fill_recent_menu()
    assert [a.toolTip() for a in window.recent_menu.actions()][:2] == [first_path, str(tmp_path / "新工作簿.jxdb")]


def test_a_workbook_held_elsewhere_opens_read_only(qtbot: Any, tmp_path: Path) -> None:
    window, prompter = open_window(qtbot, tmp_path, training_workbook())
    path = session_of(window).document.path
    other_settings = QSettings(str(tmp_path / "other.ini"), QSettings.Format.IniFormat)
    second = MainWindow(other_settings, ScriptedPrompter(), documents_dir=str(tmp_path), data_dir=str(tmp_path))
    qtbot.addWidget(second)
    assert second.open_path(path)
    assert second.session is not None and second.session.document.read_only
    assert "只读" in second.windowTitle()
    assert second.prompter.errors  # type: ignore[attr-defined]
    assert not second.acts.new_form(FormKind.DEPT_TARGET).isEnabled()
    assert not second.acts.properties.isEnabled() and not second.acts.replace.isEnabled()
    second.show_find_bar(replace=True)
    assert not second.find_bar.replacing()
    assert second.acts.find.isEnabled() and second.acts.export_pdf.isEnabled()  # reading is not editing
    second.acts.save.trigger()
    assert "只读" in second.statusBar().currentMessage()


def test_export_and_import_json(qtbot: Any, tmp_path: Path) -> None:
    window, prompter = open_window(qtbot, tmp_path, training_workbook())
    out = tmp_path / "导出.json"
    prompter.save_paths.append(str(out))
    assert window.transfers.export_json_dialog()
    data = json.loads(out.read_text("utf-8"))
    assert data["forms"][0]["title"] == "培训项目"
    prompter.save_paths.append(str(tmp_path / "导入"))
    assert window.open_path(str(out))
    session = session_of(window)
    assert session.document.path == str(tmp_path / "导入.jxdb")
    assert interchange.dumps(session.document.workbook) == out.read_text("utf-8")


def test_errors_are_messages_not_tracebacks(qtbot: Any, tmp_path: Path) -> None:
    window, prompter = open_window(qtbot, tmp_path, training_workbook())
    bad = tmp_path / "坏文件.jxdb"
    bad.write_text("这不是工作簿", "utf-8")
    assert not window.open_path(str(bad))
    assert prompter.errors and "Traceback" not in prompter.errors[-1]
    assert session_of(window).document.path == str(tmp_path / "book.jxdb")  # the open workbook stays


def test_about_and_menus(qtbot: Any, tmp_path: Path) -> None:
    window, prompter = open_window(qtbot, tmp_path, training_workbook())
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["文件(&F)", "编辑(&E)", "表格(&T)", "视图(&V)", "帮助(&H)"]
    file_action = window.menuBar().actions()[0]  # kept: PySide6 6.9 frees the menu of a temporary action
    file_menu = file_action.menu()
    assert isinstance(file_menu, QMenu)
    file_actions = [a.text() for a in file_menu.actions() if a.text()]
    for text in (
        "新建工作簿…",
        "打开…",
        "最近打开",
        "另存为…",
        "导入 JSON…",
        "导出 JSON…",
        "导出 PDF…",
        "从备份恢复…",
        "退出",
    ):
        assert text in file_actions
    assert "导出 PDF…" in [a.text() for a in window.toolbar.actions()]
    window.acts.about.trigger()
    assert prompter.infos and "预算绩效填报" in prompter.infos[-1][1]


def test_dept_self_eval_with_goals_groups_the_tree(qtbot: Any, tmp_path: Path) -> None:
    workbook = load_sample("wuwei-zwfw-2022-selfeval.json")
    dept = workbook.forms[0]
    for position, indicator in enumerate(dept.indicators):
        indicator.goal = position % 2 + 1
    window, _ = open_window(qtbot, tmp_path, workbook)
    session = session_of(window)
    form_node = session.tree_model.outline.node_for(session.document.workbook.forms[0])
    assert form_node is not None
    assert [(c.kind, c.label) for c in form_node.children[:2]] == [
        (NodeKind.GOAL, "绩效目标1"),
        (NodeKind.GOAL, "绩效目标2"),
    ]
    goal = form_node.children[1]
    click_index(qtbot, session.tree, session.tree_model.index_for(goal))
    view = session.table.view()
    rows = {i.row() for i in view.selectionModel().selectedIndexes()}
    assert rows == {view.model().row_of(ind) for ind in goal.indicators()}


def test_export_pdf_of_the_current_form(qtbot: Any, tmp_path: Path, wuwei: Workbook) -> None:
    window, prompter = open_window(qtbot, tmp_path, wuwei)
    session = session_of(window)
    form = session.document.workbook.forms[1]
    session.tree.select_object(form)
    out = tmp_path / "当前表.pdf"
    prompter.choices.append(0)  # 当前表
    prompter.save_paths.append(str(out))
    prompter.confirms.append(False)  # do not open it
    window.acts.export_pdf.trigger()
    assert out.exists() and out.read_bytes().startswith(b"%PDF")
    assert f"当前表：{form.title}" in prompter.questions[0]
    assert "现在打开这个文件吗" in prompter.questions[-1]
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(str(out)).pages)
    assert form.title in text and wuwei.forms[2].title not in text


def test_print_font_setting_is_used_by_pdf_export(
    qtbot: Any, tmp_path: Path, wuwei: Workbook, monkeypatch: pytest.MonkeyPatch
) -> None:
    import desktop.reports
    from desktop.reports import PrintFont
    from desktop.resources import FONT_FILE, resource_path
    from desktop.selftest import check_pdf_fonts

    # Stands for a PC's 宋体: the bundled collection's second face (Micro Hei Mono), found "on the PC".
    bundled = desktop.reports.available_print_fonts()[0]
    songti = PrintFont("宋体（测试）", resource_path(*FONT_FILE), 1)
    monkeypatch.setattr(desktop.reports, "available_print_fonts", lambda: [bundled, songti])
    window, prompter = open_window(qtbot, tmp_path, wuwei)
    prompter.choices.append(1)
    assert window.acts.print_font.isEnabled()
    window.acts.print_font.trigger()
    assert "宋体（测试）" in prompter.questions[-1] and "（当前）" in prompter.questions[-1]
    assert window.transfers.print_font() == songti
    out = tmp_path / "宋体.pdf"
    prompter.choices.append(1)  # 全部表
    prompter.save_paths.append(str(out))
    prompter.confirms.append(False)
    window.acts.export_pdf.trigger()
    assert all("Mono" in name for name in check_pdf_fonts(out.read_bytes()))


def test_restore_from_backup_opens_a_copy(qtbot: Any, tmp_path: Path) -> None:
    window, prompter = open_window(qtbot, tmp_path, training_workbook())
    session = session_of(window)
    original = session.document.path
    assert (
        session.undo_stack.push_edit(set_values("修改", session.document.workbook.forms[0], {"title": "改过的名称"}))
        is None
    )
    prompter.choices.append(0)  # the newest backup: made when the workbook was opened, before the edit
    restored = tmp_path / "恢复的.jxdb"
    prompter.save_paths.append(str(restored))
    assert window.restore_backup_dialog()
    session = session_of(window)
    assert session.document.path == str(restored)
    assert session.document.workbook.forms[0].title == "培训项目"
    assert store.load_any(original).forms[0].title == "改过的名称"  # the original file is left as it is
    assert (tmp_path / "appdata" / "backups").is_dir()


def test_ctrl_s_commits_the_cell_being_typed_and_says_all_is_saved(qtbot: Any, tmp_path: Path) -> None:
    window, _ = open_window(qtbot, tmp_path, training_workbook())
    session = session_of(window)
    indicator = session.document.workbook.forms[0].indicators[0]
    view = session.table.view()
    model = view.model()
    click_index(qtbot, view, model.index(model.row_of(indicator), model.column_index("actual")))
    view.setFocus()
    QTest.keyClicks(view, "8")  # typing opens the cell editor, as in Excel
    editor = QApplication.focusWidget()
    assert editor is not None and editor is not view
    type_text(editor, "0人次")
    assert indicator.actual == "100人次"  # still being typed
    qtbot.keyClick(editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert indicator.actual == "80人次"
    assert saved_workbook(qtbot, session).forms[0].indicators[0].actual == "80人次"
    assert QApplication.focusWidget() is view  # back in the table, ready for the next key
    assert window.statusBar().currentMessage() == "无需手动保存：每次修改都已自动写入 book.jxdb"


def test_ctrl_s_commits_a_header_field_being_typed(qtbot: Any, tmp_path: Path) -> None:
    window, _ = open_window(qtbot, tmp_path, training_workbook())
    session = session_of(window)
    editor = session.pane.header_editor("title")
    assert isinstance(editor, QLineEdit)
    editor.setFocus()
    editor.selectAll()
    type_text(editor, "培训项目（二期）")
    qtbot.keyClick(editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert session.document.workbook.forms[0].title == "培训项目（二期）"
    assert QApplication.focusWidget() is editor


def test_dropping_a_workbook_file_on_the_window_opens_it(qtbot: Any, tmp_path: Path) -> None:
    window, _ = open_window(qtbot, tmp_path, training_workbook())
    other = tmp_path / "另一个.jxdb"
    store.create_workbook_file(other, Workbook(unit=Unit("2", "另一单位"), year=2026)).close()

    def drop(path: Path) -> bool:
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(path))])
        point = QPointF(window.rect().center())
        action = Qt.DropAction.CopyAction
        try:
            make_enter: Any = QDragEnterEvent  # the QPointF form is typed only in PySide6 6.12's stubs
            enter = make_enter(point, action, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
        except TypeError:  # PySide6 < 6.10 takes a QPoint (6.12 deprecates that form)
            enter = QDragEnterEvent(
                point.toPoint(), action, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
            )
        QApplication.sendEvent(window, enter)
        if not enter.isAccepted():
            return False
        event = QDropEvent(point, action, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(window, event)
        return event.isAccepted()

    assert not drop(tmp_path / "notes.txt")  # not a workbook: refused at the door
    assert drop(other)
    qtbot.waitUntil(lambda: session_of(window).document.path == str(other))
    assert session_of(window).document.workbook.unit.name == "另一单位"


def test_ctrl_s_on_a_refused_number_keeps_the_refusal_in_view(qtbot: Any, tmp_path: Path) -> None:
    window, _ = open_window(qtbot, tmp_path, training_workbook())
    session = session_of(window)
    indicator = session.document.workbook.forms[0].indicators[0]
    view = session.table.view()
    model = view.model()
    click_index(qtbot, view, model.index(model.row_of(indicator), model.column_index("weight")))
    view.setFocus()
    QTest.keyClicks(view, "5")
    editor = QApplication.focusWidget()
    assert editor is not None and editor is not view
    type_text(editor, "0分多")
    qtbot.keyClick(editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert indicator.weight == Decimal(50)  # unchanged
    message = window.statusBar().currentMessage()
    assert "分值" in message and "自动写入" not in message


def test_table_zoom_from_the_view_menu_is_shown_and_remembered(qtbot: Any, tmp_path: Path) -> None:
    window, _ = open_window(qtbot, tmp_path, training_workbook())
    table = session_of(window).table
    label = window.findChild(QLabel, "zoomLabel")
    assert label is not None
    assert table.zoom() == 100 and label.text() == ""
    window.acts.zoom_in.trigger()
    window.acts.zoom_in.trigger()
    assert table.zoom() == 125 and label.text() == "表格 125%"
    path = session_of(window).document.path
    window.close()

    again = MainWindow(window.settings, ScriptedPrompter(), documents_dir=str(tmp_path), data_dir=str(tmp_path / "d"))
    qtbot.addWidget(again)
    assert again.open_path(path)
    assert session_of(again).table.zoom() == 125
    again.acts.zoom_reset.trigger()
    again_label = again.findChild(QLabel, "zoomLabel")
    assert again_label is not None
    assert session_of(again).table.zoom() == 100 and again_label.text() == ""
    again.acts.zoom_out.trigger()
    assert session_of(again).table.zoom() == 90


def test_workbook_properties_change_unit_and_year_undoably(qtbot: Any, tmp_path: Path) -> None:
    window, prompter = open_window(qtbot, tmp_path, training_workbook())
    session = session_of(window)
    workbook = session.document.workbook
    prompter.workbooks.append(Workbook(unit=Unit("319101", "测试单位（更正）"), year=2026, ruleset="central"))
    assert window.edit_workbook_properties()
    assert (workbook.unit.name, workbook.year) == ("测试单位（更正）", 2026)
    saved = saved_workbook(qtbot, session)
    assert (saved.unit.name, saved.unit.code, saved.year) == ("测试单位（更正）", "319101", 2026)
    assert session.tree_model.index(0, 0).data() == "测试单位（更正）（2026年）"
    assert window.acts.undo.text() == "撤销 修改工作簿属性"
    window.acts.undo.trigger()  # one step undoes both
    assert (workbook.unit.name, workbook.year) == ("测试单位", 2025)
    assert session_of(window) is session  # no rule set change: the views stay


def test_workbook_properties_choose_the_print_template_undoably(qtbot: Any, tmp_path: Path) -> None:
    window, prompter = open_window(qtbot, tmp_path, training_workbook())
    session = session_of(window)
    workbook = session.document.workbook
    assert workbook.template == "central"
    answer = Workbook(unit=Unit("319101", "测试单位"), year=2025, ruleset="central", template="tianjin")
    prompter.workbooks.append(answer)
    assert window.edit_workbook_properties()
    assert workbook.template == "tianjin" and saved_workbook(qtbot, session).template == "tianjin"
    window.acts.undo.trigger()
    assert workbook.template == "central" and saved_workbook(qtbot, session).template == "central"


def test_changing_the_rule_set_rescores_everything_and_can_be_undone(qtbot: Any, tmp_path: Path) -> None:
    window, prompter = open_window(qtbot, tmp_path, training_workbook())
    form = session_of(window).document.workbook.forms[0]

    def hubei_findings() -> list[str]:
        window.validate_now()
        return [f.message for f in window.findings() if "湖北省规则" in f.message]

    assert hubei_findings() == []
    prompter.workbooks.append(Workbook(unit=Unit("319101", "测试单位"), year=2025, ruleset="hubei"))
    assert window.edit_workbook_properties()
    qtbot.waitUntil(lambda: session_of(window).ruleset.name == "hubei")
    session = session_of(window)
    assert session.engine.ruleset.name == "hubei"
    assert session.table.model().form() is form  # the form shown stays shown
    # The form keeps its own weights; the reviewer now measures them against Hubei's.
    assert hubei_findings() == [
        "预算执行率分值为 10，“湖北省规则”规定为 20",
        "一级指标“产出指标”分值合计 50，“湖北省规则”规定为 40",
    ]
    assert "湖北" in window.statusBar().currentMessage()
    assert saved_workbook(qtbot, session).ruleset == "hubei"
    window.acts.undo.trigger()
    qtbot.waitUntil(lambda: session_of(window).ruleset.name == "central")
    assert hubei_findings() == []
    window.acts.redo.trigger()
    qtbot.waitUntil(lambda: session_of(window).ruleset.name == "hubei")
    window.acts.new_form(FormKind.PROJECT_SELF_EVAL).trigger()  # a new form takes the new rule set's weights
    assert session_of(window).summary.value("exec") == "—/20"


def test_cancelled_or_unchanged_properties_change_nothing(qtbot: Any, tmp_path: Path) -> None:
    window, prompter = open_window(qtbot, tmp_path, training_workbook())
    stack = session_of(window).undo_stack
    prompter.workbooks.append(None)
    assert not window.edit_workbook_properties()
    prompter.workbooks.append(Workbook(unit=Unit("319101", "测试单位"), year=2025, ruleset="central"))
    assert window.edit_workbook_properties()
    assert stack.count() == 0


def test_export_excel_of_every_form(qtbot: Any, tmp_path: Path, wuwei: Workbook) -> None:
    import openpyxl

    window, prompter = open_window(qtbot, tmp_path, wuwei)
    session_of(window).tree.select_object(session_of(window).document.workbook.forms[1])
    out = tmp_path / "全部"  # the suffix is added
    prompter.choices.append(1)  # 全部 4 张表
    prompter.save_paths.append(str(out))
    prompter.confirms.append(False)
    window.acts.export_xlsx.trigger()
    written = tmp_path / "全部.xlsx"
    assert written.exists() and "导出 Excel" in prompter.questions[1]
    book = openpyxl.load_workbook(written)
    assert len(book.sheetnames) == len(wuwei.forms)
    assert window.statusBar().currentMessage() == f"已导出 Excel：{written}"


def test_export_excel_to_a_missing_folder_says_why(qtbot: Any, tmp_path: Path, wuwei: Workbook) -> None:
    window, prompter = open_window(qtbot, tmp_path, wuwei)
    prompter.choices.append(0)
    prompter.save_paths.append(str(tmp_path / "不存在" / "表.xlsx"))
    assert not window.transfers.export_xlsx_dialog()
    assert prompter.errors and "Excel 文件未能保存" in prompter.errors[-1]


def test_import_indicator_tables_from_excel_as_new_forms(qtbot: Any, tmp_path: Path, wuwei: Workbook) -> None:
    from desktop.reports.xlsx import export_xlsx

    source = tmp_path / "去年.xlsx"
    export_xlsx(load_sample("tianjin-zwfw-2025-targets.json"), source, forms=[0, 1])
    window, prompter = open_window(qtbot, tmp_path, training_workbook())
    session = session_of(window)
    before = len(session.document.workbook.forms)
    prompter.open_paths.append(str(source))
    prompter.confirms.append(True)
    window.acts.import_xlsx.trigger()
    assert "找到 2 张指标表，共 16 个指标" in prompter.questions[-1]
    forms = session.document.workbook.forms
    assert [f.title for f in forms[before:]] == ["2025年度等级保护测评等网络安全项目", "2025年度履职保障项目"]
    assert session.table.model().form() is forms[before]  # the first new form is shown
    assert len(saved_workbook(qtbot, session).forms) == before + 2  # on disk at once
    window.acts.undo.trigger()  # one step takes both back
    assert len(forms) == before


def test_excel_import_declined_or_of_a_file_without_tables_changes_nothing(qtbot: Any, tmp_path: Path) -> None:
    import openpyxl

    from desktop.reports.xlsx import export_xlsx

    window, prompter = open_window(qtbot, tmp_path, training_workbook())
    session = session_of(window)
    source = tmp_path / "x.xlsx"
    export_xlsx(load_sample("tianjin-zwfw-2025-targets.json"), source, forms=[0])
    prompter.confirms.append(False)  # the user declines after seeing what was found
    assert not window.transfers.import_excel(str(source))
    other = tmp_path / "other.xlsx"
    book = openpyxl.Workbook()
    book.save(other)
    assert not window.transfers.import_excel(str(other))
    assert "没有找到指标表" in prompter.errors[-1]
    (tmp_path / "fake.xlsx").write_bytes(b"not a zip")
    assert not window.transfers.import_excel(str(tmp_path / "fake.xlsx"))
    assert "不是 Excel 工作簿" in prompter.errors[-1]
    assert len(session.document.workbook.forms) == 1 and session.undo_stack.count() == 0


def test_copy_forms_from_last_years_workbook(qtbot: Any, tmp_path: Path) -> None:
    last_year = tmp_path / "2025.jxdb"
    store.create_workbook_file(last_year, load_sample("tianjin-zwfw-2025-targets.json")).close()
    window, prompter = open_window(qtbot, tmp_path, training_workbook())
    session = session_of(window)
    prompter.open_paths.append(str(last_year))
    prompter.many_choices.append([0, 3])
    window.acts.copy_forms.trigger()
    assert "有 14 张表" in prompter.questions[-1]
    forms = session.document.workbook.forms
    assert [f.title for f in forms[1:]] == ["2025年度等级保护测评等网络安全项目", "2025年度信息系统运维项目"]
    assert session.table.model().form() is forms[1]
    assert len(store.load_any(str(last_year)).forms) == 14  # the source is only read
    window.acts.undo.trigger()
    assert len(forms) == 1


def test_copy_forms_refuses_the_open_workbook_itself_and_a_broken_file(qtbot: Any, tmp_path: Path) -> None:
    window, prompter = open_window(qtbot, tmp_path, training_workbook())
    prompter.open_paths.append(str(session_of(window).document.path))
    assert not window.transfers.copy_forms_dialog()
    assert "当前打开的工作簿" in prompter.errors[-1]
    (tmp_path / "broken.jxdb").write_bytes(b"garbage")
    prompter.open_paths.append(str(tmp_path / "broken.jxdb"))
    assert not window.transfers.copy_forms_dialog()
    assert "既不是预算绩效工作簿" in prompter.errors[-1]
    assert session_of(window).undo_stack.count() == 0


def test_f1_lists_every_shortcut_from_the_actions_themselves(qtbot: Any, tmp_path: Path) -> None:
    window, prompter = open_window(qtbot, tmp_path, training_workbook())
    rows = window.shortcut_rows()
    keys = {(where, keys): what for where, keys, what in rows}
    assert keys[("编辑", "Ctrl+F")] == "查找" and keys[("编辑", "Ctrl+H")] == "替换"
    assert keys[("文件", "Ctrl+S")] == "保存" and keys[("帮助", "F1")] == "快捷键一览"
    assert keys[("指标表格", "Ctrl+D")] == "向下填充" and keys[("指标表格", "Ctrl+-")] == "删除行"
    menu_actions = [a for a in window.findChildren(QAction) if a.shortcuts() and a.parent() is window]
    listed = {what for _where, _keys, what in rows}
    assert all(a.text().rstrip("…") in listed for a in menu_actions if a.isVisible())
    native = QKeySequence("Ctrl+Return").toString(QKeySequence.SequenceFormat.NativeText)  # Ctrl+回车 in Chinese
    assert keys[("左侧目录", native)] == "在此添加指标"
    qtbot.keyClick(window, Qt.Key.Key_F1)
    title, shown = prompter.tables[-1]
    assert title == "快捷键一览" and shown == [list(row) for row in rows]
