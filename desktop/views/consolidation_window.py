"""文件 → 汇总下级单位: the window that consolidates many units' files, reviews them and writes the 汇总表.

The reviewer adds unit files or folders (and optionally the list of expected units); the window
reads them off the UI thread (``consolidation_tasks``) and shows one row per unit, expandable per
form, sortable and filterable. Double-clicking a unit, a form or a problem opens that unit's
workbook read-only in a window of its own, at the finding. The review panel keeps 复核分 and
comments in the review file (``.jxreview``), never in a unit's file. Exports run off the UI thread too.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QModelIndex, QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QToolBar,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop.models.consolidation.findings import read_expected
from desktop.models.consolidation.review import SUFFIX, ReviewBook
from desktop.models.consolidation.rows import ExpectedUnit, UnitRow
from desktop.models.consolidation.run import Consolidation, consolidate, rate_percent
from desktop.models.consolidation.sources import Cache
from desktop.models.errors import UserError
from desktop.models.scoring.validation import Finding
from desktop.models.workbook.document import WorkbookDocument
from desktop.views.consolidation_model import COL_NAME, COL_PROBLEMS, FILTERS, OverviewFilter, OverviewModel
from desktop.views.consolidation_review import ReviewPanel
from desktop.views.consolidation_tasks import BackgroundTask, Work
from desktop.views.dialogs import PDF_FILTER, WORKBOOK_FILTER, XLSX_FILTER, Prompter
from desktop.views.session import Session

REVIEW_FILTER = f"复核文件 (*{SUFFIX})"
LIST_FILTER = "单位名单 (*.csv *.txt);;所有文件 (*)"
UNIT_FILTER = "单位文件 (*.jxdb *.json *.xlsx);;所有文件 (*)"
READ_ONLY_NOTE = "汇总中打开的单位文件，只读：复核意见请在汇总窗口中填写，不会写入单位的文件"


class UnitViewer(Protocol):
    """The window a unit's workbook opens in (the main window, read-only); given, so this module needs not
    import the main window that opens it."""

    session: Session | None

    def set_document(self, document: WorkbookDocument) -> None: ...
    def go_to_finding(self, finding: object) -> None: ...
    def setWindowTitle(self, title: str) -> None: ...
    def isVisible(self) -> bool: ...
    def deleteLater(self) -> None: ...
    def show(self) -> None: ...


class ConsolidationWindow(QMainWindow):
    """The 汇总下级单位 window.

    Args:
        settings: passed on to the read-only windows that show a unit's workbook.
        prompter: asks for files and folders (tests pass a scripted one).
        documents_dir: where exports and the review file are suggested.
    """

    def __init__(
        self,
        settings: QSettings,
        prompter: Prompter | None = None,
        documents_dir: str | None = None,
        parent: QWidget | None = None,
        viewer_factory: Callable[[], UnitViewer] | None = None,
    ) -> None:
        super().__init__(parent)
        self.viewer_factory = viewer_factory  # makes the read-only window a unit opens in
        self.setObjectName("consolidationWindow")
        self.setWindowTitle("汇总下级单位 - 预算绩效填报")
        self.settings = settings
        self.prompter = prompter or Prompter(self)
        self.documents_dir = documents_dir or str(Path.home())
        self.inputs: list[str] = []
        self.expected: list[ExpectedUnit] = []
        self.book = ReviewBook()
        self.result: Consolidation | None = None
        self.task: BackgroundTask | None = None
        self.viewers: list[UnitViewer] = []
        self.cache: Cache = {}  # files read before, by SHA-256: running again reads only new or changed files
        self.messages: list[str] = []
        self.resize(1280, 760)

        self.model = OverviewModel(self)
        self.proxy = OverviewFilter(self)
        self.proxy.setSourceModel(self.model)
        self.tree = QTreeView(self)
        self.tree.setObjectName("overview")
        self.tree.setModel(self.proxy)
        self.tree.setSortingEnabled(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        for column, width in enumerate((118, 72, 180, 130, 44, 64, 48, 48, 100, 100, 68, 56, 56, 40, 40, 40, 40)):
            self.tree.setColumnWidth(column, width)
        self.tree.doubleClicked.connect(self._on_double_click)
        self.tree.selectionModel().currentChanged.connect(self._on_current)

        self.search = QLineEdit(self)
        self.search.setObjectName("overviewSearch")
        self.search.setPlaceholderText("按单位代码、名称或文件名筛选")
        self.search.setClearButtonEnabled(True)
        self.filter_box = QComboBox(self)
        self.filter_box.setObjectName("overviewFilter")
        self.filter_box.addItems(list(FILTERS))
        self.search.textChanged.connect(self._apply_filter)
        self.filter_box.currentIndexChanged.connect(self._apply_filter)
        self.totals = QLabel("添加各单位报送的文件或文件夹，然后“汇总”", self)
        self.totals.setObjectName("totalsLabel")
        self.totals.setWordWrap(True)

        self.review = ReviewPanel(self)
        self.review.reviewChanged.connect(self._on_review_changed)
        self.review.errorRaised.connect(self.show_error)
        self.problems = QListWidget(self)
        self.problems.setObjectName("unitProblems")
        self.problems.itemActivated.connect(self._on_problem_activated)

        top = QHBoxLayout()
        top.addWidget(QLabel("筛选", self))
        top.addWidget(self.search, 2)
        top.addWidget(self.filter_box)
        bottom = QSplitter(Qt.Orientation.Horizontal, self)
        bottom.addWidget(self.review)
        box = QWidget(self)
        box_layout = QVBoxLayout(box)
        box_layout.setContentsMargins(0, 0, 0, 0)
        box_layout.addWidget(QLabel("所选单位的问题（双击打开单位文件并定位）", box))
        box_layout.addWidget(self.problems)
        bottom.addWidget(box)
        bottom.setSizes([760, 480])
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.tree)
        split.addWidget(bottom)
        split.setSizes([470, 260])
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addWidget(self.totals)
        self.setCentralWidget(central)
        self._build_actions()

    # ---- actions ------------------------------------------------------------------------------

    def _act(self, text: str, slot: Callable[[], object], tip: str = "") -> QAction:
        action = QAction(text, self)
        action.setToolTip(tip or text)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _build_actions(self) -> None:
        self.act_add_files = self._act("添加文件…", self.add_files_dialog, "添加单位报送的 .jxdb / JSON / Excel 文件")
        self.act_add_folder = self._act(
            "添加文件夹…", self.add_folder_dialog, "添加存放各单位文件的文件夹（含子文件夹）"
        )
        self.act_clear = self._act("清空", self.clear_inputs, "清空已添加的文件和文件夹")
        self.act_units = self._act("单位名单…", self.units_dialog, "应报送的单位名单（每行：代码,名称），列出缺报单位")
        self.act_review_file = self._act("复核文件…", self.review_file_dialog, "打开或新建复核记录文件（.jxreview）")
        self.act_run = self._act("汇总", self.run, "读取全部文件并汇总（F5）")
        self.act_run.setShortcut("F5")
        self.act_pdf = self._act("汇总表 PDF…", lambda: self.export_dialog("pdf"))
        self.act_xlsx = self._act("汇总表 Excel…", lambda: self.export_dialog("xlsx"))
        self.act_sheets = self._act("复核意见表…", self.review_sheets_dialog, "所选单位的复核意见表（PDF 和 Excel）")
        self.act_all = self._act("全部报表 PDF…", lambda: self.export_dialog("all"), "各单位全部报表合成一个 PDF")
        self.act_merge = self._act("合并为工作簿…", lambda: self.export_dialog("jxdb"), "各单位的表合并为一个新工作簿")
        bar = QToolBar("汇总", self)
        bar.setObjectName("consolidationToolbar")
        bar.setMovable(False)
        for action in (self.act_add_files, self.act_add_folder, self.act_clear, self.act_units, self.act_review_file):
            bar.addAction(action)
        bar.addSeparator()
        bar.addAction(self.act_run)
        bar.addSeparator()
        for action in (self.act_pdf, self.act_xlsx, self.act_sheets, self.act_all, self.act_merge):
            bar.addAction(action)
        self.addToolBar(bar)
        self._update_actions()

    def _update_actions(self) -> None:
        busy = self.task is not None
        has_result = self.result is not None and bool(self.result.counted)
        self.act_run.setEnabled(bool(self.inputs) and not busy)
        for action in (self.act_pdf, self.act_xlsx, self.act_all, self.act_merge):
            action.setEnabled(has_result and not busy)
        self.act_sheets.setEnabled(has_result and not busy and self._current_unit() is not None)

    # ---- messages -----------------------------------------------------------------------------

    def show_message(self, text: str) -> None:
        """A line in the status bar (kept for tests)."""
        self.messages.append(text)
        self.statusBar().showMessage(text, 15000)

    def show_error(self, text: str) -> None:
        """An error: in the status bar and as a message box (through the prompter)."""
        self.messages.append(text)
        self.statusBar().showMessage(text, 15000)
        self.prompter.error(text)

    # ---- inputs -------------------------------------------------------------------------------

    def add_inputs(self, paths: list[str], run: bool = True) -> None:
        """Add files or folders to consolidate (and consolidate again)."""
        for path in paths:
            if path and path not in self.inputs:
                self.inputs.append(path)
        self._update_actions()
        if run and self.inputs:
            self.run()

    def add_files_dialog(self) -> None:
        """Ask for a unit file and add it."""
        path = self.prompter.open_path("添加单位文件", self.documents_dir, UNIT_FILTER)
        if path:
            self.add_inputs([path])

    def add_folder_dialog(self) -> None:
        """Ask for a folder of unit files and add it."""
        ask = getattr(self.prompter, "open_folder", None)
        if callable(ask):
            folder = ask("添加文件夹", self.documents_dir)
        else:
            folder = QFileDialog.getExistingDirectory(self, "添加存放各单位文件的文件夹", self.documents_dir) or None
        if folder:
            self.add_inputs([str(folder)])

    def clear_inputs(self) -> None:
        """Forget the files and the overview."""
        self.inputs.clear()
        self.result = None
        self.model.set_result(None, self.book)
        self.review.show_form(None, None, None)
        self.problems.clear()
        self.totals.setText("添加各单位报送的文件或文件夹，然后“汇总”")
        self._update_actions()

    def units_dialog(self) -> None:
        """Ask for the list of expected units."""
        path = self.prompter.open_path("应报送的单位名单", self.documents_dir, LIST_FILTER)
        if not path:
            return
        try:
            self.expected = read_expected(path)
        except UserError as exc:
            self.show_error(exc.message)
            return
        self.show_message(f"单位名单：{len(self.expected)} 个单位")
        if self.inputs:
            self.run()

    def review_file_dialog(self) -> None:
        """Open (or start) the review file the 复核分 are kept in."""
        suggested = str(Path(self.documents_dir) / f"汇总复核{SUFFIX}")
        path = self.prompter.save_path("复核记录文件（打开已有的或新建）", suggested, REVIEW_FILTER)
        if path:
            self.use_review_file(path)

    def use_review_file(self, path: str) -> bool:
        """Keep the review in ``path`` (read it when it exists)."""
        try:
            book = ReviewBook.load(path) if os.path.exists(path) else ReviewBook(path)
        except UserError as exc:
            self.show_error(exc.message)
            return False
        self.book = book
        self.show_message(f"复核记录保存在 {path}")
        self._show_result(self.result)
        return True

    # ---- running ------------------------------------------------------------------------------

    def _start(self, label: str, work: Work, done: Callable[[Any], None]) -> bool:
        if self.task is not None:
            return False

        def finished(value: Any) -> None:
            self.task = None
            self._update_actions()
            done(value)

        def failed(message: str) -> None:
            self.task = None
            self._update_actions()
            if message == "已取消":
                self.show_message(f"{label}：已取消")
            else:
                self.show_error(message)

        self.task = BackgroundTask(self, label, work, finished, failed)
        self._update_actions()
        self.task.start()
        return True

    def run(self) -> bool:
        """Consolidate the inputs off the UI thread (progress bar with 取消 after half a second)."""
        inputs, expected, book, cache = list(self.inputs), list(self.expected), self.book, self.cache

        def work(progress: Callable[[int, int, str], None], cancelled: Callable[[], bool]) -> Consolidation:
            return consolidate(
                inputs, expected=expected, book=book, progress=progress, cancelled=cancelled, cache=cache
            )

        return self._start("正在读取各单位文件", work, self._finished)

    def _finished(self, result: Consolidation) -> None:
        if self.book.path is None:
            self.book.path = Path(self.documents_dir) / f"{result.year or ''}汇总复核{SUFFIX}"
            if self.book.path.exists():
                try:
                    self.book = ReviewBook.load(self.book.path)
                    result.recompute(self.book)
                except UserError as exc:
                    self.show_error(exc.message)
                    self.book = ReviewBook()
        self._show_result(result)
        unreadable = sum(1 for row in result.rows if row.status not in ("ok", "absent"))
        self.show_message(
            f"已汇总 {len(result.counted)} 个单位，{unreadable} 个文件未计入；复核记录保存在 {self.book.path}"
        )

    def _show_result(self, result: Consolidation | None) -> None:
        self.result = result
        if result is not None:
            result.recompute(self.book)
        self.model.set_result(result, self.book)
        self.review.show_form(None, None, None)
        self.problems.clear()
        self._show_totals()
        self._update_actions()

    def _show_totals(self) -> None:
        result = self.result
        if result is None:
            return
        t = result.totals
        parts = [
            f"{result.year or ''}年度　计入 {len(result.counted)} 个单位（共 {len(result.rows)} 个文件/单位）",
            f"预算数 {t.budget or 0:,} 万元",
            f"执行数 {t.executed or 0:,} 万元",
            f"执行率 {rate_percent(t.rate) or '—'}",
            f"加权自评分 {t.score if t.score is not None else '—'}",
        ]
        if t.review is not None:
            parts.append(f"加权复核分 {t.review}")
        problems = len(result.problem_lines())
        parts.append(f"需要核实 {problems} 条")
        self.totals.setText("　".join(parts) + "　（合计按预算数加权，规则见汇总表下方说明）")

    def _apply_filter(self) -> None:
        self.proxy.set_filter(self.search.text(), self.filter_box.currentIndex())

    # ---- selection, review, opening a unit ----------------------------------------------------

    def _source(self, index: QModelIndex) -> QModelIndex:
        return self.proxy.mapToSource(index) if index.isValid() else QModelIndex()

    def _current_unit(self) -> UnitRow | None:
        return self.model.unit_at(self._source(self.tree.currentIndex()))

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        source = self._source(current)
        unit, form = self.model.unit_at(source), self.model.form_at(source)
        self.review.show_form(self.book, unit, form)
        self._fill_problems(unit)
        self._update_actions()

    def _fill_problems(self, unit: UnitRow | None) -> None:
        self.problems.clear()
        if unit is None:
            return
        for issue in unit.issues:
            item = QListWidgetItem(issue.text)
            item.setData(Qt.ItemDataRole.UserRole, (issue.form, issue.row, None))
            self.problems.addItem(item)
        if unit.summary is not None:
            for form in unit.summary.forms:
                for finding in form.findings:
                    item = QListWidgetItem(finding.text)
                    item.setData(Qt.ItemDataRole.UserRole, (finding.form_index, finding.indicator_index, finding))
                    self.problems.addItem(item)

    def _on_problem_activated(self, item: QListWidgetItem) -> None:
        unit = self._current_unit()
        form, row, finding = item.data(Qt.ItemDataRole.UserRole)
        if unit is not None:
            self.open_unit(unit, form, row, finding if isinstance(finding, Finding) else None)

    def _on_double_click(self, index: QModelIndex) -> None:
        source = self._source(index)
        unit, form = self.model.unit_at(source), self.model.form_at(source)
        if unit is None:
            return
        if form is not None:
            first = form.findings[0] if form.findings else None
            self.open_unit(unit, form.index, first.indicator_index if first else None, first)
            return
        located = next((issue for issue in unit.issues if issue.form is not None), None)
        if located is not None:
            self.open_unit(unit, located.form, located.row, None)
            return
        first_finding = next((f for s in (unit.summary.forms if unit.summary else []) for f in s.findings), None)
        self.open_unit(unit, first_finding.form_index if first_finding else None, None, first_finding)

    def open_unit(
        self, unit: UnitRow, form: int | None = None, row: int | None = None, finding: Finding | None = None
    ) -> UnitViewer | None:
        """Open a unit's workbook read-only in a window of its own, at the form / row / finding."""
        workbook = unit.workbook
        if workbook is None or self.viewer_factory is None:
            text = unit.issues[0].text if unit.issues else "该单位没有可以打开的文件"
            self.show_message(f"{unit.name}：{text}")
            return None
        from desktop.models.storage.store import ReadOnlyStore

        document = WorkbookDocument(workbook, ReadOnlyStore(READ_ONLY_NOTE), path=None, read_only=True)
        document.lock_message = READ_ONLY_NOTE
        viewer = self.viewer_factory()
        viewer.set_document(document)
        viewer.setWindowTitle(f"{unit.name}（{unit.path_name}，只读） - 汇总下级单位")
        if finding is not None:
            viewer.go_to_finding(finding)
        elif form is not None and 0 <= form < len(workbook.forms):
            target = workbook.forms[form]
            indicator = target.indicators[row] if row is not None and 0 <= row < len(target.indicators) else None
            if viewer.session is not None:
                viewer.session.select_indicator(target, indicator)
        for old in [v for v in self.viewers if not v.isVisible()]:  # closed by the user
            self.viewers.remove(old)
            old.deleteLater()
        self.viewers.append(viewer)
        viewer.show()
        return viewer

    def _on_review_changed(self) -> None:
        if self.result is not None:
            self.result.recompute(self.book)
        self.model.refresh()
        self._show_totals()
        self.show_message(f"复核已保存到 {self.book.path}（单位文件未改动）")

    # ---- exports ------------------------------------------------------------------------------

    def export_dialog(self, kind: str) -> None:
        """Ask where to write an export and write it off the UI thread."""
        result = self.result
        if result is None:
            return
        year = f"{result.year}年度" if result.year else ""
        names = {
            "pdf": (f"{year}汇总表.pdf", PDF_FILTER),
            "xlsx": (f"{year}汇总表.xlsx", XLSX_FILTER),
            "all": (f"{year}各单位报表.pdf", PDF_FILTER),
            "jxdb": (f"{year}汇总.jxdb", WORKBOOK_FILTER),
        }
        name, filters = names[kind]
        path = self.prompter.save_path("导出", str(Path(self.documents_dir) / name), filters)
        if path:
            self.export(kind, path)

    def export(self, kind: str, path: str) -> bool:
        """Write an export (``pdf``, ``xlsx``, ``all`` or ``jxdb``) to ``path`` off the UI thread."""
        result, book = self.result, self.book
        if result is None:
            return False

        def work(progress: Callable[[int, int, str], None], cancelled: Callable[[], bool]) -> str:
            from desktop.models.consolidation.merge import refuse_inputs

            refuse_inputs(path, [row.file.path for row in result.rows if row.file is not None])
            if kind == "pdf":
                from desktop.reports.consolidation_pdf import export_summary_pdf

                export_summary_pdf(result, path, book)
            elif kind == "xlsx":
                from desktop.reports.consolidation_xlsx import export_summary_xlsx

                export_summary_xlsx(result, path, book)
            elif kind == "all":
                from desktop.reports.consolidation_pdf import export_all_forms_pdf

                export_all_forms_pdf(result, path, progress=progress, cancelled=cancelled)
            else:
                from desktop.models.consolidation.merge import write_merged

                write_merged(result, path)
            return path

        return self._start("正在导出", work, lambda written: self.show_message(f"已导出 {written}"))

    def review_sheets_dialog(self) -> None:
        """Write the selected unit's review sheet (PDF and Excel beside it)."""
        unit = self._current_unit()
        if unit is None or self.result is None:
            return
        suggested = Path(self.documents_dir) / f"{unit.code}{unit.name}复核意见表.pdf"
        path = self.prompter.save_path("复核意见表（同时写 Excel）", str(suggested), PDF_FILTER)
        if path:
            self.export_review_sheets(unit, path)

    def export_review_sheets(self, unit: UnitRow, pdf_path: str) -> bool:
        """Write a unit's 复核意见表 as PDF at ``pdf_path`` and as .xlsx beside it."""
        book, year = self.book, self.result.year if self.result else None

        def work(progress: Callable[[int, int, str], None], cancelled: Callable[[], bool]) -> str:
            from desktop.reports.consolidation_pdf import export_review_pdf
            from desktop.reports.consolidation_xlsx import export_review_xlsx

            export_review_pdf(unit, book, pdf_path, year)
            export_review_xlsx(unit, book, str(Path(pdf_path).with_suffix(".xlsx")), year)
            return pdf_path

        return self._start("正在导出复核意见表", work, lambda p: self.show_message(f"已导出 {p} 和同名 Excel"))

    # ---- closing ------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        """Stop a running task before the window goes."""
        if self.task is not None:
            self.task.cancel()
        super().closeEvent(event)


def problem_column_text(window: ConsolidationWindow, row: int) -> str:
    """The 问题 cell of a visible top-level row (for tests and screenshots)."""
    return str(window.proxy.index(row, COL_PROBLEMS).data())


def unit_names(window: ConsolidationWindow) -> list[str]:
    """The visible units' names, in the order shown."""
    return [str(window.proxy.index(row, COL_NAME).data()) for row in range(window.proxy.rowCount())]


def consolidation_for(main: Any) -> ConsolidationWindow:
    """The consolidation window of a main window (one per main window, raised again if open)."""
    window = getattr(main, "consolidation_window", None)
    if not isinstance(window, ConsolidationWindow):

        def factory() -> UnitViewer:
            viewer: UnitViewer = type(main)(main.settings, documents_dir=main.documents_dir)
            return viewer

        window = ConsolidationWindow(main.settings, documents_dir=main.documents_dir, viewer_factory=factory)
        main.consolidation_window = window
    window.show()
    window.raise_()
    window.activateWindow()
    return window
