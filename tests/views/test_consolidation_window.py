"""文件 → 汇总下级单位, as the reviewer uses it: add a folder of unit files (good, broken, hostile), filter,
sort, review a form's rows, open a unit at a finding, cancel a long run, export the 汇总表."""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu, QPushButton

from desktop.models.consolidation.review import ReviewBook
from desktop.views.consolidation_model import COL_CODE, COL_NAME, COL_SCORE, COL_STATUS, FILTERS
from desktop.views.consolidation_review import COL_REVIEW_SCORE
from desktop.views.consolidation_tasks import BackgroundTask
from desktop.views.consolidation_window import ConsolidationWindow, unit_names
from desktop.views.main_window import MainWindow
from tests.helpers.unitset import hashes, unit_workbook, write_hostile, write_unit
from tests.views.window_helpers import ScriptedPrompter, click_index, type_into_cell, type_text

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


class FolderPrompter(ScriptedPrompter):
    """The scripted prompter, also answering the folder question."""

    def __init__(self) -> None:
        super().__init__()
        self.folders: list[str | None] = []

    def open_folder(self, title: str, folder: str) -> str | None:
        return self.folders.pop(0)


@pytest.fixture
def units(tmp_path: Path) -> Path:
    folder = tmp_path / "units"
    folder.mkdir()
    for number, fmt in ((1, "jxdb"), (2, "json"), (3, "xlsx"), (4, "jxdb")):
        workbook = unit_workbook(number)
        if number == 4:
            workbook.forms[3].indicators[0].actual = None  # one row the engine cannot score: 待评
        write_unit(folder, workbook, fmt)
    write_hostile(folder)
    return folder


def _window(qtbot: Any, tmp_path: Path) -> tuple[ConsolidationWindow, FolderPrompter]:
    prompter = FolderPrompter()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    from desktop.views.main_window import MainWindow

    window = ConsolidationWindow(
        settings,
        prompter,
        documents_dir=str(tmp_path),
        viewer_factory=lambda: MainWindow(settings, documents_dir=str(tmp_path)),
    )
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window, prompter


def _consolidated(qtbot: Any, tmp_path: Path, units: Path) -> tuple[ConsolidationWindow, FolderPrompter]:
    window, prompter = _window(qtbot, tmp_path)
    prompter.folders.append(str(units))
    window.act_add_folder.trigger()
    qtbot.waitUntil(lambda: window.task is None and window.result is not None, timeout=60_000)
    window.activateWindow()  # the progress dialog may have been shown (a slow machine)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window, prompter


def _row_of(window: ConsolidationWindow, name: str) -> int:
    return unit_names(window).index(name)


def test_add_folder_lists_every_file_with_its_reason(qtbot: Any, tmp_path: Path, units: Path) -> None:
    before = hashes(units)
    window, prompter = _consolidated(qtbot, tmp_path, units)
    names = unit_names(window)
    for n in range(1, 5):
        assert f"测试单位{n:03d}" in names
    statuses = {
        str(window.proxy.index(r, COL_NAME).data()): str(window.proxy.index(r, COL_STATUS).data())
        for r in range(window.proxy.rowCount())
    }
    assert statuses["测试单位001"] == "已读取"
    for broken in ("触发器.jxdb", "新版本.jxdb", "截断.jxdb", "坏的.json", "扫描件.pdf", "空文件.jxdb"):
        assert statuses[broken] == "无法读取"
    problem = window.model.unit_at(window.proxy.mapToSource(window.proxy.index(_row_of(window, "新版本.jxdb"), 0)))
    assert problem is not None and "更新版本" in problem.issues[0].text
    assert "计入 4 个单位" in window.totals.text() and "执行率" in window.totals.text()
    assert prompter.errors == []
    assert hashes(units) == before


def test_filter_and_sort(qtbot: Any, tmp_path: Path, units: Path) -> None:
    window, _prompter = _consolidated(qtbot, tmp_path, units)
    window.search.setFocus()
    type_text(window.search, "319102")
    qtbot.waitUntil(lambda: unit_names(window) == ["测试单位002"])
    window.search.clear()
    window.filter_box.setCurrentIndex(FILTERS.index("无法读取"))
    assert window.proxy.rowCount() == 10
    assert all(str(window.proxy.index(r, COL_STATUS).data()) == "无法读取" for r in range(window.proxy.rowCount()))
    window.filter_box.setCurrentIndex(FILTERS.index("有待评行"))
    assert unit_names(window) == ["测试单位004"]
    window.filter_box.setCurrentIndex(0)
    header = window.tree.header()
    x = header.sectionViewportPosition(COL_SCORE) + header.sectionSize(COL_SCORE) // 2
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))
    scores = [window.proxy.index(r, COL_SCORE).data() for r in range(window.proxy.rowCount())]
    shown = [Decimal(s) for s in scores if s]
    assert len(shown) == 4
    assert shown == sorted(shown) or shown == sorted(shown, reverse=True)
    assert scores.index(next(s for s in scores if s)) in (0, len(scores) - 4)  # empty cells grouped together


def test_review_a_row_is_kept_apart_from_the_units_files(qtbot: Any, tmp_path: Path, units: Path) -> None:
    before = hashes(units)
    window, prompter = _consolidated(qtbot, tmp_path, units)
    row = _row_of(window, "测试单位001")
    unit_index = window.proxy.index(row, 0)
    window.tree.expand(unit_index)
    form_index = window.proxy.index(1, COL_NAME, unit_index)  # 表2: the first project's 自评表
    click_index(qtbot, window.tree, form_index)
    assert "表2" in window.review.title.text()
    table = window.review.table
    table.setCurrentCell(1, COL_REVIEW_SCORE)
    type_into_cell(table, "5")
    book_path = tmp_path / "2025汇总复核.jxreview"
    qtbot.waitUntil(lambda: book_path.exists())
    entries = ReviewBook.load(book_path).entries
    assert [(e.unit, e.form, e.row, e.score) for e in entries] == [("319101", 1, 1, Decimal(5))]
    # The form's 复核分 follows: its 自评分 with the row's change.
    unit = window.model.unit_at(window.proxy.mapToSource(unit_index))
    assert unit is not None and unit.summary is not None
    form = unit.summary.forms[1]
    own = form.row_scores[1]
    assert own is not None and form.total is not None
    shown = window.proxy.index(1, 12, unit_index).data()
    assert Decimal(shown) == (form.total + 5 - own).quantize(Decimal("0.01"))
    assert "加权复核分" in window.totals.text()
    # Not a number: refused with a Chinese line, the cell shows what is stored.
    table.setCurrentCell(2, COL_REVIEW_SCORE)
    type_into_cell(table, "abc")
    qtbot.waitUntil(lambda: bool(prompter.errors))
    assert "不是数字" in prompter.errors[-1]
    qtbot.waitUntil(lambda: getattr(table.item(2, COL_REVIEW_SCORE), "text", lambda: "?")() == "")
    assert len(ReviewBook.load(book_path)) == 1
    assert hashes(units) == before


def test_double_click_opens_the_unit_read_only_at_the_form(qtbot: Any, tmp_path: Path, units: Path) -> None:
    window, _prompter = _consolidated(qtbot, tmp_path, units)
    unit_index = window.proxy.index(_row_of(window, "测试单位002"), 0)
    window.tree.expand(unit_index)
    form_index = window.proxy.index(3, COL_NAME, unit_index)
    click_index(qtbot, window.tree, form_index, double=True)
    qtbot.waitUntil(lambda: bool(window.viewers))
    viewer = window.viewers[-1]
    assert isinstance(viewer, MainWindow)
    qtbot.addWidget(viewer)
    assert viewer.session is not None and viewer.session.document.read_only
    assert "只读" in viewer.windowTitle()
    current = viewer.current_form()
    assert current is not None and current.title == "单位2项目2"
    viewer.close()


def test_run_can_be_cancelled(qtbot: Any, tmp_path: Path, units: Path) -> None:
    window, _prompter = _window(qtbot, tmp_path)
    window.add_inputs([str(units)], run=False)
    assert window.run()
    assert window.task is not None
    window.task.cancel()
    qtbot.waitUntil(lambda: window.task is None, timeout=60_000)
    assert window.result is None
    assert window.messages[-1].endswith("已取消")


def test_progress_shows_for_long_work_only_and_cancels(qtbot: Any, tmp_path: Path) -> None:
    window, _prompter = _window(qtbot, tmp_path)
    outcome: list[str] = []

    def work(steps: int) -> Any:
        def run(progress: Any, cancelled: Any) -> str:
            from desktop.models.consolidation.run import Cancelled

            for n in range(steps):
                if cancelled():
                    raise Cancelled()
                progress(n, steps, f"文件{n}")
                time.sleep(0.01)
            return "done"

        return run

    quick = BackgroundTask(window, "正在读取", work(3), outcome.append, outcome.append)
    quick.start()
    qtbot.waitUntil(lambda: outcome == ["done"], timeout=5_000)
    assert not quick.was_shown  # work of a few milliseconds shows no dialog

    slow = BackgroundTask(window, "正在读取", work(600), outcome.append, outcome.append)
    slow.start()
    qtbot.waitUntil(lambda: slow.dialog.isVisible(), timeout=5_000)  # Qt shows it once it expects > 0.5 s
    button = next(b for b in slow.dialog.findChildren(QPushButton) if b.text() == "取消")
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: outcome == ["done", "已取消"], timeout=5_000)


def test_export_summary_pdf_and_xlsx(qtbot: Any, tmp_path: Path, units: Path) -> None:
    window, prompter = _consolidated(qtbot, tmp_path, units)
    prompter.save_paths.append(str(tmp_path / "汇总表.pdf"))
    window.act_pdf.trigger()
    qtbot.waitUntil(lambda: window.task is None and (tmp_path / "汇总表.pdf").exists(), timeout=60_000)
    prompter.save_paths.append(str(tmp_path / "汇总表.xlsx"))
    window.act_xlsx.trigger()
    qtbot.waitUntil(lambda: window.task is None and (tmp_path / "汇总表.xlsx").exists(), timeout=60_000)
    # Writing over a unit's file is refused with a Chinese line.
    before = hashes(units)
    prompter.save_paths.append(str(units / "319101.jxdb"))
    window.act_merge.trigger()
    qtbot.waitUntil(lambda: window.task is None and bool(prompter.errors), timeout=60_000)
    assert "单位文件之一" in prompter.errors[-1]
    assert hashes(units) == before
    codes = [str(window.proxy.index(r, COL_CODE).data()) for r in range(4)]
    assert codes == ["319101", "319102", "319103", "319104"]


@pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise")
def test_file_menu_opens_the_consolidation_window(qtbot: Any, tmp_path: Path) -> None:
    from tests.views.window_helpers import open_window

    main, _prompter = open_window(qtbot, tmp_path, unit_workbook(1))
    actions = main.menuBar().actions()  # kept: PySide6 frees the menu of a temporary action
    file_menu = next(a.menu() for a in actions if a.text().startswith("文件"))
    assert isinstance(file_menu, QMenu)
    entry = next(a for a in file_menu.actions() if a.text() == "汇总下级单位…")
    entry.trigger()
    window = main.consolidation_window
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    assert isinstance(window, ConsolidationWindow) and window.isVisible()
    entry.trigger()
    assert main.consolidation_window is window  # one window, raised again


def test_double_click_a_problem_opens_the_unit_at_that_row(qtbot: Any, tmp_path: Path, units: Path) -> None:
    window, _prompter = _consolidated(qtbot, tmp_path, units)
    unit_index = window.proxy.index(_row_of(window, "测试单位004"), COL_NAME)
    click_index(qtbot, window.tree, unit_index)
    items = [window.problems.item(n) for n in range(window.problems.count())]
    wanted = next(item for item in items if item is not None and "表4" in item.text() and "第1行" in item.text())
    click_index(qtbot, window.problems, window.problems.model().index(window.problems.row(wanted), 0), double=True)
    qtbot.waitUntil(lambda: bool(window.viewers))
    viewer = window.viewers[-1]
    assert isinstance(viewer, MainWindow)
    qtbot.addWidget(viewer)
    assert viewer.session is not None and viewer.session.document.read_only
    form = viewer.current_form()
    assert form is not None and form.title == "单位4项目2" and form.kind.is_self_eval
    table = viewer.session.table
    current = table.view().currentIndex()
    assert current.isValid() and table.model().indicator(current.row()) is form.indicators[0]
    viewer.close()
