"""The main window: workbook tree | form pane, the live summary bar, the problems dock, menus and toolbar.

One open workbook at a time (the start page when none). Per workbook the window makes one undo stack
and one scoring engine (attached to the document before any view subscribes, so scores are fresh when
views repaint) and builds the tree, the indicator table, the form pane and the summary bar over it; a
change of rule set builds them again over the same document and stack. Every edit is written by the
store at once, so there is no "save" and no save prompt (Ctrl+S only commits what is being typed).
The find bar (查找 / 替换) sits at the bottom; exports, Excel import and copying forms from another
workbook are ``Transfers`` (``transfers.py``). Problems become Chinese messages (status bar or
message box), never tracebacks.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import shiboken6
from PySide6.QtCore import QByteArray, QEvent, QMimeData, QModelIndex, QObject, QSettings, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QShowEvent,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDockWidget,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from desktop import __version__
from desktop.models.errors import UserError, describe_os_error
from desktop.models.scoring.engine import ScoringEngine
from desktop.models.scoring.rules import RuleSet, load_ruleset
from desktop.models.scoring.validation import Finding, check_form
from desktop.models.workbook.document import Change, WorkbookDocument
from desktop.models.workbook.domain import Form, FormKind, Indicator, Workbook
from desktop.models.workbook.outline import NodeKind, OutlineNode, levels_from_ruleset
from desktop.models.workbook.search import Hit
from desktop.views.commands import EditCommand, MacroCommand, SetFieldsCommand, push_edit
from desktop.views.dialogs import JSON_FILTER, WORKBOOK_FILTER, Prompter, about_text, with_suffix
from desktop.views.find_bar import FindBar
from desktop.views.form_pane import FormPane
from desktop.views.indicator_table import IndicatorTable, table_key_help
from desktop.views.problems import ProblemsPanel, form_of, tab_for
from desktop.views.screen_fit import fit_to_screen
from desktop.views.start_page import StartPage
from desktop.views.summary import SummaryBar
from desktop.views.transfers import Transfers
from desktop.views.tree_model import NodeProblem, TreeModel
from desktop.views.workbook_tree import TREE_KEYS, WorkbookTree

_T = TypeVar("_T")

APP_TITLE = "预算绩效填报"
MAX_RECENT = 8
VALIDATION_DELAY_MS = 300
STATUS_TIMEOUT_MS = 8000
DOCK_HEIGHT = 150


@dataclass
class Session:
    """Everything built for one open workbook."""

    document: WorkbookDocument
    ruleset: RuleSet
    engine: ScoringEngine
    undo_stack: QUndoStack
    tree_model: TreeModel
    tree: WorkbookTree
    table: IndicatorTable
    pane: FormPane
    summary: SummaryBar
    body: QWidget
    findings: dict[int, list[Finding]]  # id(form) → its findings
    prepared: bool = False  # checked and the writer readied after the first paint


class MainWindow(QMainWindow):
    """The application window.

    Args:
        settings: where recent files, the last workbook and the window layout are kept.
        prompter: asks the user things (tests pass a scripted one).
        documents_dir: where new workbooks and exports are suggested (default: the home folder).
        data_dir: the local app-data folder, for automatic backups (default: the app's AppLocalDataLocation).
    """

    def __init__(
        self,
        settings: QSettings,
        prompter: Prompter | None = None,
        documents_dir: str | None = None,
        data_dir: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.prompter = prompter or Prompter(self)
        self.documents_dir = documents_dir or str(Path.home())
        self.data_dir = data_dir
        self.session: Session | None = None
        self._syncing = False
        self._messages_shown = 0  # lets Ctrl+S tell whether committing the open editor was refused
        self._dirty_forms: set[int] = set()
        self._validate_all = False
        self._validation_timer = QTimer(self)
        self._validation_timer.setSingleShot(True)
        self._validation_timer.setInterval(VALIDATION_DELAY_MS)
        self._validation_timer.timeout.connect(self.validate_now)

        self.setObjectName("mainWindow")
        self.setAcceptDrops(True)  # a .jxdb / .json file dropped on the window opens; an .xlsx is imported
        self.resize(1280, 760)
        self.setMinimumSize(900, 560)
        self._central = QStackedWidget(self)
        self._central.setObjectName("central")
        self.start_page = StartPage(self)
        self.start_page.newRequested.connect(self.new_workbook)
        self.start_page.openRequested.connect(self.open_dialog)
        self.start_page.recentChosen.connect(self.open_path)
        self._central.addWidget(self.start_page)
        self.setCentralWidget(self._central)

        self.problems = ProblemsPanel(self)
        self.problems.findingActivated.connect(self.go_to_finding)
        self.problems_dock = QDockWidget("问题", self)
        self.problems_dock.setObjectName("problemsDock")
        self.problems_dock.setWidget(self.problems)
        self.problems_dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable | QDockWidget.DockWidgetFeature.DockWidgetMovable
        )
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.problems_dock)

        self._zoom_label = QLabel(self)
        self._zoom_label.setObjectName("zoomLabel")
        self._zoom_label.setToolTip("表格缩放（Ctrl+滚轮，或“视图”菜单）")
        self.statusBar().addPermanentWidget(self._zoom_label)
        self._readonly_label = QLabel(self)
        self.statusBar().addPermanentWidget(self._readonly_label)
        self.location_label = QLabel(self)  # a workbook in OneDrive or on a share: a lasting hint
        self.location_label.setObjectName("locationLabel")
        self.statusBar().addPermanentWidget(self.location_label)
        self.transfers = Transfers(self)
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._restore_layout()
        fit_to_screen(self)
        self.start_page.set_recent(self.recent_files())
        self._update_actions()
        self._update_title()

    # ---- actions, menus, toolbar ------------------------------------------------------------

    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | str | None = None,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(lambda _=False: slot())
        return action

    def _build_actions(self) -> None:
        key = QKeySequence.StandardKey
        self.act_new = self._action("新建工作簿…", self.new_workbook, QKeySequence(key.New), "新建一个空工作簿")
        self.act_open = self._action("打开…", self.open_dialog, QKeySequence(key.Open), "打开工作簿文件")
        self.act_save = self._action(
            "保存", self.save, QKeySequence(key.Save), "每次修改都已自动保存；按此键确认正在输入的内容"
        )
        self.act_save_as = self._action("另存为…", self.save_as_dialog, QKeySequence("Ctrl+Shift+S"))
        self.act_properties = self._action(
            "工作簿属性…", self.edit_workbook_properties, tip="修改单位编码、单位名称、年度、计分规则和打印模板"
        )
        self.act_import_xlsx = self._action(
            "从 Excel 导入指标表…",
            self.transfers.import_excel_dialog,
            tip="把 Excel / WPS 表格中的指标表（含一级、二级、三级指标列）导入为新表",
        )
        self.act_copy_forms = self._action(
            "从其他工作簿复制表…",
            self.transfers.copy_forms_dialog,
            tip="把另一个工作簿（如上年度的）中选定的表复制到当前工作簿",
        )
        self.act_import = self._action("导入 JSON…", self.import_json_dialog, tip="从 JSON 交换文件生成工作簿")
        self.act_export_json = self._action("导出 JSON…", self.transfers.export_json_dialog, tip="导出为 JSON 交换文件")
        self.act_export_pdf = self._action(
            "导出 PDF…", self.transfers.export_pdf_dialog, QKeySequence("Ctrl+P"), "导出 PDF"
        )
        self.act_export_xlsx = self._action(
            "导出 Excel…",
            self.transfers.export_xlsx_dialog,
            tip="导出为 Excel 工作簿（每张表一个工作表），便于报送或再加工",
        )
        self.act_print_font = self._action(
            "打印字体…", self.transfers.choose_print_font_dialog, tip="PDF 使用的中文字体（本机有宋体、仿宋时可选用）"
        )
        self.act_restore = self._action("从备份恢复…", self.restore_backup_dialog, tip="打开自动备份的工作簿")
        self.act_consolidate = self._action(
            "汇总下级单位…", self.open_consolidation, tip="读取各下级单位报送的文件，汇总、复核并输出汇总表"
        )
        self.act_quit = self._action("退出", self.close, QKeySequence("Ctrl+Q"))
        self.act_undo = self._action("撤销", self.undo, QKeySequence(key.Undo))
        self.act_redo = self._action("重做", self.redo, QKeySequence("Ctrl+Y"))
        self.act_redo.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        self.act_find = self._action("查找…", self.show_find_bar, QKeySequence(key.Find), "在全部表中查找文字")
        self.act_find_next = self._action("查找下一个", self.find_next, QKeySequence("F3"))
        self.act_find_previous = self._action("查找上一个", self.find_previous, QKeySequence("Shift+F3"))
        self.act_replace = self._action(
            "替换…", lambda: self.show_find_bar(replace=True), QKeySequence(key.Replace), "在全部表中查找并替换文字"
        )
        self.act_generate = self._action(
            "由目标表生成自评表", self.generate_self_eval, tip="以选中的目标表为底稿生成年末自评表"
        )
        self.act_new_forms: dict[FormKind, QAction] = {
            kind: self._action(kind.label, functools.partial(self.new_form, kind)) for kind in FormKind
        }
        self.act_duplicate = self._action("复制表", self.duplicate_form)
        self.act_add_indicator = self._action("在此添加指标", self.add_indicator)
        self.act_delete = self._action("删除…", self.delete_node)
        self.act_move_up = self._action("上移", lambda: self.move_node(-1))
        self.act_move_down = self._action("下移", lambda: self.move_node(1))
        self.act_validate = self._action("立即审核", self.validate_all, QKeySequence("F7"), "检查全部表")
        self.act_about = self._action("关于", self.show_about)
        self.act_shortcuts = self._action("快捷键一览", self.show_shortcuts, QKeySequence("F1"), "列出全部快捷键")
        zoom = self._zoom_table
        self.act_zoom_in = self._action("放大表格", lambda: zoom(1), "Ctrl+Alt+=", "放大指标表格（Ctrl+滚轮）")
        self.act_zoom_out = self._action("缩小表格", lambda: zoom(-1), "Ctrl+Alt+-", "缩小指标表格（Ctrl+滚轮）")
        self.act_zoom_reset = self._action("表格 100%", lambda: zoom(0), "Ctrl+Alt+0", "指标表格恢复原始大小")
        self.act_problems = self.problems_dock.toggleViewAction()
        self.act_problems.setText("问题面板")

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("文件(&F)")
        file_menu.addAction(self.act_new)
        file_menu.addAction(self.act_open)
        self.recent_menu = file_menu.addMenu("最近打开")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addAction(self.act_save)
        file_menu.addAction(self.act_save_as)
        file_menu.addAction(self.act_properties)
        file_menu.addSeparator()
        file_menu.addAction(self.act_import)
        file_menu.addAction(self.act_import_xlsx)
        file_menu.addAction(self.act_copy_forms)
        file_menu.addAction(self.act_export_json)
        file_menu.addAction(self.act_export_pdf)
        file_menu.addAction(self.act_export_xlsx)
        file_menu.addAction(self.act_print_font)
        file_menu.addSeparator()
        file_menu.addAction(self.act_restore)
        file_menu.addAction(self.act_consolidate)
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)

        edit_menu = bar.addMenu("编辑(&E)")
        edit_menu.addAction(self.act_undo)
        edit_menu.addAction(self.act_redo)
        edit_menu.addSeparator()
        edit_menu.addAction(self.act_find)
        edit_menu.addAction(self.act_find_next)
        edit_menu.addAction(self.act_find_previous)
        edit_menu.addAction(self.act_replace)

        table_menu = bar.addMenu("表格(&T)")
        new_menu = table_menu.addMenu("新建表")
        for action in self.act_new_forms.values():
            new_menu.addAction(action)
        table_menu.addAction(self.act_duplicate)
        table_menu.addAction(self.act_generate)
        table_menu.addSeparator()
        table_menu.addAction(self.act_add_indicator)
        table_menu.addAction(self.act_move_up)
        table_menu.addAction(self.act_move_down)
        table_menu.addAction(self.act_delete)
        table_menu.addSeparator()
        table_menu.addAction(self.act_validate)

        view_menu = bar.addMenu("视图(&V)")
        view_menu.addAction(self.act_problems)
        view_menu.addSeparator()
        view_menu.addAction(self.act_zoom_in)
        view_menu.addAction(self.act_zoom_out)
        view_menu.addAction(self.act_zoom_reset)

        help_menu = bar.addMenu("帮助(&H)")
        help_menu.addAction(self.act_shortcuts)
        help_menu.addAction(self.act_about)

    def _build_toolbar(self) -> None:
        toolbar = QToolBar("工具栏", self)
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in (self.act_new, self.act_open):
            toolbar.addAction(action)
        toolbar.addSeparator()
        for action in (self.act_undo, self.act_redo):
            toolbar.addAction(action)
        toolbar.addSeparator()
        toolbar.addAction(self.act_add_indicator)
        toolbar.addAction(self.act_generate)
        toolbar.addSeparator()
        toolbar.addAction(self.act_export_pdf)
        toolbar.addAction(self.act_validate)
        self.toolbar = toolbar
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)

        self.find_bar = FindBar(lambda: self.session.document.workbook if self.session is not None else None, self)
        self.find_bar.hitChosen.connect(self.go_to_hit)
        self.find_bar.closed.connect(self.hide_find_bar)
        self.find_bar.replaceAllRequested.connect(self.replace_all)
        find_toolbar = QToolBar("查找", self)
        find_toolbar.setObjectName("findToolbar")
        find_toolbar.setMovable(False)
        find_toolbar.addWidget(self.find_bar)
        find_toolbar.hide()
        self.find_toolbar = find_toolbar
        self.addToolBar(Qt.ToolBarArea.BottomToolBarArea, find_toolbar)

    def _update_actions(self) -> None:
        session = self.session
        has = session is not None
        writable = session is not None and not session.document.read_only
        node = self.current_node()
        form = node.form if node is not None else None
        exporting = (self.act_export_json, self.act_export_pdf, self.act_export_xlsx)
        for action in (self.act_save, self.act_save_as, *exporting, self.act_validate):
            action.setEnabled(has)
        for action in (self.act_find, self.act_find_next, self.act_find_previous):
            action.setEnabled(has)
        for action in (self.act_zoom_in, self.act_zoom_out, self.act_zoom_reset):
            action.setEnabled(has)
        self.act_properties.setEnabled(writable)
        self.act_replace.setEnabled(writable)
        self.act_import_xlsx.setEnabled(writable)
        self.act_copy_forms.setEnabled(writable)
        for action in self.act_new_forms.values():
            action.setEnabled(writable)
        self.act_duplicate.setEnabled(writable and form is not None)
        self.act_add_indicator.setEnabled(writable and form is not None)
        self.act_delete.setEnabled(writable and form is not None)
        self.act_move_up.setEnabled(writable and node is not None and node.kind is not NodeKind.WORKBOOK)
        self.act_move_down.setEnabled(writable and node is not None and node.kind is not NodeKind.WORKBOOK)
        self.act_generate.setEnabled(writable and form is not None and not form.kind.is_self_eval)
        stack = session.undo_stack if session is not None else None
        self.act_undo.setEnabled(stack is not None and stack.canUndo())
        self.act_redo.setEnabled(stack is not None and stack.canRedo())
        self.act_undo.setText(f"撤销 {stack.undoText()}".strip() if stack is not None and stack.canUndo() else "撤销")
        self.act_redo.setText(f"重做 {stack.redoText()}".strip() if stack is not None and stack.canRedo() else "重做")

    def _update_title(self) -> None:
        session = self.session
        if session is None or session.document.path is None:
            self.setWindowTitle(APP_TITLE)
            self._readonly_label.setText("")
            return
        name = os.path.basename(session.document.path)
        read_only = session.document.read_only
        self.setWindowTitle(f"{name}（只读） - {APP_TITLE}" if read_only else f"{name} - {APP_TITLE}")
        self._readonly_label.setText("只读" if read_only else "已自动保存")
        self._readonly_label.setToolTip(
            session.document.lock_message or "工作簿以只读方式打开" if read_only else "每次修改都已立即写入工作簿文件"
        )

    # ---- messages ---------------------------------------------------------------------------

    def show_message(self, text: str) -> None:
        """A transient message in the status bar."""
        if text:
            self._messages_shown += 1
            self.statusBar().showMessage(text, STATUS_TIMEOUT_MS)

    def show_error(self, text: str) -> None:
        """An error message box (and the status bar)."""
        self.statusBar().showMessage(text, STATUS_TIMEOUT_MS)
        self.prompter.error(text)

    def attempt(self, work: Callable[[], _T]) -> _T | None:
        """Run ``work`` and return its result; a UserError or OSError becomes a message box and None."""
        try:
            return work()
        except UserError as exc:
            self.show_error(exc.message)
        except OSError as exc:
            self.show_error(f"文件操作失败：{describe_os_error(exc)}")
        return None

    def guard(self, work: Callable[[], object]) -> bool:
        """Run ``work`` (whose result does not matter); returns whether it succeeded."""

        def run() -> bool:
            work()
            return True

        return self.attempt(run) is not None

    # ---- opening and closing workbooks ------------------------------------------------------

    def open_path(self, path: str) -> bool:
        """Open a workbook file (a ``.json`` file is imported into a new workbook first, the indicator
        tables of an ``.xlsx`` file into the open workbook)."""
        if path.lower().endswith(".json"):
            return self.import_json(path)
        if path.lower().endswith((".xlsx", ".xls")):
            return self.transfers.import_excel(path)
        from desktop.models.storage import store

        try:
            document = store.open_workbook(path, backup_dir=self._backup_dir())
        except UserError as exc:
            self.show_error(exc.message)
            self._forget_recent(path)
            return False
        except OSError as exc:
            self.show_error(f"无法打开 {path}：{describe_os_error(exc)}")
            return False
        self.set_document(document)
        if document.read_only and document.lock_message:
            self.show_error(document.lock_message)
        self._show_location_warning(path)
        return True

    def _show_location_warning(self, path: str) -> None:
        """A lasting hint (and a status message) when the workbook sits in a sync folder or on a share."""
        from desktop.places import location_warning

        warning = location_warning(os.path.abspath(path))
        self.location_label.setText(warning.label if warning else "")
        self.location_label.setToolTip(warning.details if warning else "")
        if warning:
            self.show_message(warning.summary)

    def _backup_dir(self) -> str | None:
        try:
            if self.data_dir is None:
                from desktop.app import local_data_dir

                self.data_dir = str(local_data_dir())
            folder = Path(self.data_dir) / "backups"
            folder.mkdir(parents=True, exist_ok=True)
            return str(folder)
        except OSError:
            return None

    def set_document(self, document: WorkbookDocument) -> None:
        """Show an open workbook (closing the one shown before)."""
        self.close_document()
        stack = QUndoStack(self)
        stack.setUndoLimit(500)
        stack.indexChanged.connect(lambda _i: self._update_actions())
        stack.cleanChanged.connect(lambda _c: self._update_actions())
        self._build_session(document, stack)
        self._remember(document)
        self.find_bar.invalidate()
        self._update_title()
        first = document.workbook.forms[0] if document.workbook.forms else None
        self.select_form(first)
        self._update_actions()
        # The first form paints before the whole workbook is checked (审核 of 36,000 indicators
        # takes a second) and before the writer is readied (importing SQLAlchemy, ~0.3 s).
        self._validate_all = True
        after = functools.partial(self._after_open, document)
        _AfterFirstPaint(self.session.table.view().viewport() if self.session else self, after)
        QTimer.singleShot(500, after)  # not painted (hidden, minimised): do it anyway

    def _after_open(self, document: WorkbookDocument) -> None:
        session = self.session
        if session is None or session.document is not document or session.prepared:
            return
        session.prepared = True
        if self._validate_all:
            self.validate_now()
        QTimer.singleShot(0, functools.partial(_prepare_store, document))

    def _build_session(self, document: WorkbookDocument, stack: QUndoStack) -> Session:
        """Build the engine and the views of a workbook under its rule set, and show them."""
        try:
            ruleset = load_ruleset(document.workbook.ruleset)
        except UserError as exc:
            self.show_message(f"{exc.message}；暂按默认规则计分")
            ruleset = load_ruleset()
        engine = ScoringEngine(ruleset)
        engine.attach(document)  # before any view subscribes: scores are invalidated first
        scores = engine.score_form
        tree_model = TreeModel(document, scores, levels_from_ruleset(ruleset))
        tree = WorkbookTree(document, stack, tree_model, self.prompter.confirm, ruleset)
        tree_model.setParent(tree)  # deleted with the views when the workbook closes
        table = IndicatorTable(document, stack, scores, ruleset)
        pane = FormPane(document, stack, scores, ruleset, table)
        summary = SummaryBar(document, scores)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("mainSplitter")
        splitter.addWidget(tree)
        splitter.addWidget(pane)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        tree.setMinimumWidth(220)
        splitter.setSizes([330, max(600, self.width() - 330)])
        state = self.settings.value("window/splitter")
        if isinstance(state, QByteArray):
            splitter.restoreState(state)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(splitter, 1)
        layout.addWidget(summary)
        self.splitter = splitter

        session = Session(document, ruleset, engine, stack, tree_model, tree, table, pane, summary, body, {})
        self.session = session
        self._central.addWidget(body)
        self._central.setCurrentWidget(body)

        tree.selectionModel().currentChanged.connect(self._on_tree_current)
        tree.message.connect(self.show_message)
        table.indicatorSelected.connect(self._on_table_indicator)
        table.message.connect(self.show_message)
        table.zoomChanged.connect(self._on_zoom)
        self._on_zoom(table.set_zoom(self._saved_zoom()))
        pane.message.connect(self.show_message)
        document.subscribe(self._on_document_change)
        return session

    def select_form(self, form: Form | None) -> None:
        """Select a form in the tree (None: the workbook node), which shows it on the right."""
        session = self.session
        if session is None:
            return
        if form is not None and any(item is form for item in session.document.workbook.forms):
            session.tree.select_object(form)
        else:
            session.tree.setCurrentIndex(session.tree_model.index(0, 0))

    def _dismantle_session(self) -> Session | None:
        """Take the views and the engine of the open workbook down; the document and undo stack stay."""
        session = self.session
        if session is None:
            return None
        self._validation_timer.stop()
        self._save_layout()
        session.document.unsubscribe(self._on_document_change)
        for part in (session.summary, session.pane, session.table, session.tree_model):
            detach = getattr(part, "detach", None)
            if callable(detach):
                detach()
        session.engine.detach()
        self.session = None
        self.problems.set_findings(None, [])
        self.problems_dock.setWindowTitle("问题")
        self._zoom_label.setText("")
        self.start_page.set_recent(self.recent_files())
        self._central.setCurrentWidget(self.start_page)
        self._central.removeWidget(session.body)
        session.body.deleteLater()  # and with it the views
        return session

    def close_document(self) -> None:
        """Close the open workbook (everything is already on disk)."""
        session = self._dismantle_session()
        if session is None:
            return
        self.location_label.setText("")
        self.location_label.setToolTip("")
        self.find_bar.invalidate()
        self.find_toolbar.hide()
        session.undo_stack.clear()
        session.undo_stack.deleteLater()
        try:
            session.document.close()
        except UserError as exc:
            self.show_error(exc.message)
        self._update_actions()
        self._update_title()

    def _follow_ruleset(self) -> None:
        """The workbook's rule set changed (or was undone): build the views again under it.

        The document and the undo stack stay, so the change itself can still be undone.
        """
        session = self.session
        if session is None or session.ruleset.name == session.document.workbook.ruleset:
            return
        node = self.current_node()
        form = node.form if node is not None else None
        old = self._dismantle_session()
        assert old is not None
        new = self._build_session(old.document, old.undo_stack)
        self.select_form(form)
        self._update_actions()
        self.validate_all()
        self.show_message(f"计分规则已改为“{new.ruleset.label}”，全部得分已重新计算")

    def _remember(self, document: WorkbookDocument) -> None:
        if document.path is None:
            return
        path = os.path.abspath(document.path)
        if not document.read_only or os.path.exists(path):
            self.settings.setValue("last_workbook", path)
        recent = [p for p in self.recent_files() if os.path.normcase(p) != os.path.normcase(path)]
        self.settings.setValue("recent_files", [path, *recent][:MAX_RECENT])
        self.settings.sync()

    def _forget_recent(self, path: str) -> None:
        recent = [p for p in self.recent_files() if os.path.normcase(p) != os.path.normcase(os.path.abspath(path))]
        self.settings.setValue("recent_files", recent)
        self.start_page.set_recent(recent)

    def recent_files(self) -> list[str]:
        """The recently opened workbooks, newest first."""
        value = self.settings.value("recent_files", [])
        if isinstance(value, str):
            return [value] if value else []
        if isinstance(value, list):
            return [str(v) for v in value if v]
        return []

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.recent_files()
        if not recent:
            action = self.recent_menu.addAction("（无）")
            action.setEnabled(False)
            return
        for number, path in enumerate(recent, 1):
            action = self.recent_menu.addAction(f"&{number} {os.path.basename(path)}")
            action.setToolTip(path)
            action.setStatusTip(path)
            action.triggered.connect(lambda _=False, p=path: self.open_path(p))

    # ---- file menu --------------------------------------------------------------------------

    def suggest_path(self, name: str) -> str:
        return str(Path(self.documents_dir) / name)

    def new_workbook(self) -> bool:
        """Ask for unit, year and rule set, then a file name; create the workbook and open it."""
        workbook = self.prompter.new_workbook(self.session.document.workbook.unit if self.session else None)
        if workbook is None:
            return False
        base = f"{workbook.unit.name}{workbook.year or ''}年度绩效".strip() or "新工作簿"
        path = self.prompter.save_path("新建工作簿", self.suggest_path(f"{base}.jxdb"), WORKBOOK_FILTER)
        if not path:
            return False
        path = with_suffix(path, ".jxdb")
        from desktop.models.storage import store

        document = self.attempt(lambda: store.create_workbook_file(path, workbook))
        if document is None:
            return False
        self.set_document(document)
        self.show_message(f"已新建工作簿：{path}")
        return True

    def open_dialog(self) -> bool:
        """Ask for a workbook (or JSON) file and open it."""
        folder = os.path.dirname(self.session.document.path or "") if self.session else ""
        path = self.prompter.open_path(
            "打开工作簿", folder or self.documents_dir, f"{WORKBOOK_FILTER};;{JSON_FILTER};;所有文件 (*)"
        )
        return self.open_path(path) if path else False

    def save(self) -> None:
        """Ctrl+S, for the habit: commit what is being typed; every edit is on disk already."""
        session = self.session
        if session is None:
            return
        focused = QApplication.focusWidget()
        shown_before = self._messages_shown
        if focused is not None and session.body.isAncestorOf(focused):
            # An open cell editor or a header field commits when it loses the keyboard.
            view = _item_view_of(focused)
            focused.clearFocus()
            if view is not None:
                view.setFocus()
            elif shiboken6.isValid(focused) and focused.isVisible():
                focused.setFocus()
        if self._messages_shown != shown_before:
            return  # what was typed was refused: that message stays in view
        name = os.path.basename(session.document.path or "")
        if session.document.read_only:
            self.show_message(f"{name} 以只读方式打开，修改不会写入。需要修改请“另存为”。")
        else:
            self.show_message(f"无需手动保存：每次修改都已自动写入 {name}")

    # ---- drag and drop ----------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if dropped_path(event.mimeData()) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        path = dropped_path(event.mimeData())
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        # Opened once the drop is over: the file manager is not kept waiting by dialogs.
        QTimer.singleShot(0, lambda: self.open_path(path))

    def edit_workbook_properties(self) -> bool:
        """Change the unit, year, rule set or print template of the open workbook, as one undoable edit."""
        session = self.session
        if session is None:
            return False
        workbook = session.document.workbook
        answer = self.prompter.workbook_properties(workbook)
        if answer is None:
            return False
        unit = {name: getattr(answer.unit, name) for name in ("code", "name")}
        unit = {name: value for name, value in unit.items() if getattr(workbook.unit, name) != value}
        own = {name: getattr(answer, name) for name in ("year", "ruleset", "template")}
        own = {name: value for name, value in own.items() if getattr(workbook, name) != value}
        macro = MacroCommand(session.document, "修改工作簿属性")
        if unit:
            macro.add(SetFieldsCommand(session.document, workbook.unit, unit, "修改工作簿属性"))
        if own:
            macro.add(SetFieldsCommand(session.document, workbook, own, "修改工作簿属性"))
        if not unit and not own:
            return True
        refused = push_edit(session.undo_stack, macro)
        if refused is not None:
            self.show_error(refused)
            return False
        self._update_title()
        return True

    def save_as_dialog(self) -> bool:
        """Write a copy of the workbook under a new name and continue in the copy."""
        session = self.session
        if session is None:
            return False
        current = session.document.path or self.suggest_path("工作簿.jxdb")
        stem = Path(current).stem
        path = self.prompter.save_path("另存为", str(Path(current).with_name(f"{stem}-副本.jxdb")), WORKBOOK_FILTER)
        if not path:
            return False
        path = with_suffix(path, ".jxdb")
        from desktop.models.storage import store

        document = self.attempt(lambda: store.save_as(session.document, path))
        if document is None:
            return False
        if document is not session.document:
            self.set_document(document)
        self.show_message(f"已另存为：{path}")
        return True

    def import_json_dialog(self) -> bool:
        """Ask for a JSON interchange file, import it as a new workbook and open it."""
        path = self.prompter.open_path("导入 JSON", self.documents_dir, f"{JSON_FILTER};;所有文件 (*)")
        return self.import_json(path) if path else False

    def import_json(self, json_path: str) -> bool:
        """Import a JSON file into a new workbook file (asking where) and open it."""
        suggested = self.suggest_path(f"{Path(json_path).stem}.jxdb")
        out = self.prompter.save_path("导入为工作簿", suggested, WORKBOOK_FILTER)
        if not out:
            return False
        out = with_suffix(out, ".jxdb")
        from desktop.models.storage import store

        written = self.attempt(lambda: store.import_json(json_path, out))
        if written is None:
            return False
        if not self.open_path(str(written)):
            return False
        self.show_message(f"已导入：{json_path} → {written}")
        return True

    def open_consolidation(self) -> QWidget:
        """文件 → 汇总下级单位: the consolidation window (one per main window, raised if open)."""
        from desktop.views.consolidation_window import ConsolidationWindow

        window = getattr(self, "consolidation_window", None)
        if not isinstance(window, ConsolidationWindow):
            window = ConsolidationWindow(self.settings, documents_dir=self.documents_dir)
            self.consolidation_window = window
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    def restore_backup_dialog(self) -> bool:
        """Pick one of the automatic backups and open a copy of it."""
        try:
            from desktop.models.storage import backups
        except ImportError:
            self.show_error("本版本不支持从备份恢复。")
            return False
        session = self.session
        folder = self._backup_dir()
        if session is None or session.document.path is None or folder is None:
            self.show_error("请先打开要恢复的工作簿。")
            return False
        items = backups.list_backups(folder, session.document.path)
        if not items:
            self.prompter.info("从备份恢复", "这个工作簿还没有备份。\n（每次打开工作簿时会自动备份。）")
            return False
        choice = self.prompter.choose("从备份恢复", "选择要恢复的备份（恢复为一个新文件）：", [i.label for i in items])
        if choice is None:
            return False
        source = items[choice]
        stamp = f"{source.created:%Y%m%d-%H%M%S}"
        suggested = str(Path(session.document.path).with_name(f"{Path(session.document.path).stem}-恢复{stamp}.jxdb"))
        out = self.prompter.save_path("恢复为工作簿", suggested, WORKBOOK_FILTER)
        if not out:
            return False
        out = with_suffix(out, ".jxdb")
        restored = self.attempt(lambda: backups.restore_backup(source, out))
        return restored is not None and self.open_path(str(restored))

    # ---- edit menu --------------------------------------------------------------------------

    def undo(self) -> None:
        """Undo the last edit; a refused undo is shown and the stack stays where it was."""
        session = self.session
        if session is None or not session.undo_stack.canUndo():
            return
        stack = session.undo_stack
        command = stack.command(stack.index() - 1)
        stack.undo()
        if isinstance(command, EditCommand) and command.error:
            error = command.error
            command._skip_redo = True  # the document rolled back: put the stack back without redoing
            stack.redo()
            self.show_error(f"无法撤销：{error}")
        else:
            self.show_message(f"已撤销：{command.text() if command is not None else ''}")

    def redo(self) -> None:
        """Redo the last undone edit; a refused redo is shown."""
        session = self.session
        if session is None or not session.undo_stack.canRedo():
            return
        stack = session.undo_stack
        command = stack.command(stack.index())
        stack.redo()
        if isinstance(command, EditCommand) and command.error:
            error = command.error
            command._skip_undo = True  # the document rolled back: put the stack back without undoing
            stack.undo()
            self.show_error(f"无法重做：{error}")
        else:
            self.show_message(f"已重做：{command.text() if command is not None else ''}")

    # ---- table menu -------------------------------------------------------------------------

    def current_node(self) -> OutlineNode | None:
        """The node current in the tree."""
        return self.session.tree.current_node() if self.session is not None else None

    def current_form(self) -> Form | None:
        """The form shown in the pane."""
        node = self.current_node()
        return node.form if node is not None else None

    def new_form(self, kind: FormKind) -> Form | None:
        """Add a blank form of a kind after the current one."""
        return self.session.tree.new_form(kind) if self.session is not None else None

    def duplicate_form(self) -> Form | None:
        """Copy the current form."""
        return self.session.tree.duplicate_current() if self.session is not None else None

    def add_indicator(self) -> Indicator | None:
        """Add an indicator at the current tree node."""
        return self.session.tree.add_indicator_here() if self.session is not None else None

    def delete_node(self) -> bool:
        """Delete what is current in the tree (after asking)."""
        return self.session.tree.delete_current() if self.session is not None else False

    def move_node(self, step: int) -> bool:
        """Move the current tree node up or down."""
        return self.session.tree.move_current(step) if self.session is not None else False

    def generate_self_eval(self) -> Form | None:
        """Make a self-evaluation form from the current target form, inserted after it."""
        session = self.session
        form = self.current_form()
        if session is None or form is None:
            self.show_message("请先在左侧选中一张目标表")
            return None
        from desktop.models.workbook.generate import self_eval_from_target

        new_form = self.attempt(lambda: self_eval_from_target(form, session.ruleset))
        if new_form is None:
            return None
        if not session.tree.insert_form_after(form, new_form, "生成自评表"):
            return None
        self.show_message(f"已生成自评表“{new_form.title}”，请填写实际完成值")
        return new_form

    def show_about(self) -> None:
        """The 关于 box."""
        self.prompter.info("关于", about_text(__version__))

    def shortcut_rows(self) -> list[tuple[str, str, str]]:
        """(where, keys, what) of every shortcut: the menus' (read from their actions), the table's, the find bar's."""
        native = QKeySequence.SequenceFormat.NativeText
        rows: list[tuple[str, str, str]] = []

        def visit(menu: QMenu, where: str) -> None:
            for action in menu.actions():
                submenu = action.menu()
                if isinstance(submenu, QMenu):
                    visit(submenu, where)
                elif action.shortcuts():
                    keys = " / ".join(key.toString(native) for key in action.shortcuts())
                    rows.append((where, keys, action.text().rstrip("…").split("\t")[0]))

        for menu_action in self.menuBar().actions():
            menu = menu_action.menu()
            if isinstance(menu, QMenu):
                visit(menu, menu_action.text().split("(")[0])
        rows += [("左侧目录", QKeySequence(key).toString(native), what) for what, key in TREE_KEYS]
        rows += [("指标表格", keys, what) for keys, what in table_key_help()]
        rows += [("查找栏", "Enter / Shift+Enter", "查找下一个 / 上一个"), ("查找栏", "Esc", "关闭查找栏")]
        return rows

    def show_shortcuts(self) -> None:
        """帮助 → 快捷键一览 (F1): a scrollable table, since it is taller than a small screen."""
        self.prompter.show_table("快捷键一览", ("位置", "按键", "作用"), self.shortcut_rows())

    # ---- selection: tree ↔ pane / table -----------------------------------------------------

    def _on_tree_current(self, current: QModelIndex, previous: QModelIndex) -> None:
        session = self.session
        if session is None:
            return
        node = session.tree_model.node(current) if current.isValid() else None
        self._update_actions()
        if self._syncing:
            return
        self._syncing = True
        try:
            self.show_node(node)
        finally:
            self._syncing = False

    def show_node(self, node: OutlineNode | None, tab: str | None = None) -> None:
        """Show a node's form in the pane and select its indicators in the table."""
        session = self.session
        if session is None:
            return
        form = node.form if node is not None else None
        if form is not session.pane.form() or tab is not None:
            session.pane.show_form(form, tab)
        session.summary.set_form(form)
        if node is not None and node.kind in (NodeKind.GOAL, NodeKind.LEVEL1, NodeKind.LEVEL2, NodeKind.INDICATOR):
            session.table.select_indicators(node.indicators())

    def _on_table_indicator(self, indicator: object) -> None:
        session = self.session
        if session is None or self._syncing or not isinstance(indicator, Indicator):
            return
        self._syncing = True
        try:
            session.tree.select_object(indicator)
        finally:
            self._syncing = False

    def select_indicator(self, form: Form, indicator: Indicator | None, tab: str | None = None) -> None:
        """Show a form (on a tab) and select one of its indicators, in the tree and the table."""
        session = self.session
        if session is None:
            return
        self._syncing = True
        try:
            if indicator is not None:
                session.tree.select_object(indicator)
            else:
                session.tree.select_object(form)
            session.pane.show_form(form, tab)
            session.summary.set_form(form)
            if indicator is not None:
                session.table.select_indicators([indicator])
        finally:
            self._syncing = False
        self._update_actions()

    # ---- validation / problems --------------------------------------------------------------

    def _on_document_change(self, change: Change) -> None:
        session = self.session
        if session is None:
            return
        obj = change.obj
        form = session.document.form_of(obj) if not isinstance(obj, Form) else obj
        self.find_bar.invalidate()
        if isinstance(obj, Workbook) and "ruleset" in change.fields:
            QTimer.singleShot(0, self._follow_ruleset)  # after every listener has heard of it
        if form is None or change.attr == "forms":
            self._validate_all = True
        else:
            self._dirty_forms.add(id(form))
        self._validation_timer.start()

    def validate_all(self) -> None:
        """Check every form now."""
        self._validate_all = True
        self.validate_now()

    def validate_now(self) -> None:
        """Re-check the forms changed since the last check and refresh the problems and tree marks."""
        self._validation_timer.stop()
        session = self.session
        if session is None:
            return
        workbook = session.document.workbook
        present = {id(form) for form in workbook.forms}
        for key in [k for k in session.findings if k not in present]:
            del session.findings[key]
        for index, form in enumerate(workbook.forms):
            if self._validate_all or id(form) in self._dirty_forms or id(form) not in session.findings:
                try:
                    session.findings[id(form)] = check_form(workbook, index, session.engine)
                except UserError as exc:
                    session.findings[id(form)] = [Finding("error", exc.message, form_index=index)]
        self._validate_all = False
        self._dirty_forms.clear()
        findings: list[Finding] = []
        for form in workbook.forms:
            findings.extend(session.findings.get(id(form), []))
        self.problems.set_findings(workbook, findings)
        session.tree_model.set_problems(self._place(findings))
        self.problems_dock.setWindowTitle(f"问题（{len(findings)}）" if findings else "问题")

    def findings(self) -> list[Finding]:
        """The findings shown in the problems panel (checking the workbook first if it was just opened)."""
        if self._validate_all and self.session is not None and not self._validation_timer.isActive():
            self.validate_now()
        return self.problems.model.findings()

    def _place(self, findings: Sequence[Finding]) -> list[tuple[OutlineNode, NodeProblem]]:
        session = self.session
        if session is None:
            return []
        outline = session.tree_model.outline
        placed: list[tuple[OutlineNode, NodeProblem]] = []
        for finding in findings:
            node = self._node_of(finding) or outline.workbook_node
            placed.append((node, NodeProblem(finding.message, finding.severity == "error")))
        return placed

    def _node_of(self, finding: Finding) -> OutlineNode | None:
        session = self.session
        if session is None:
            return None
        workbook = session.document.workbook
        outline = session.tree_model.outline
        form = form_of(workbook, finding)
        if form is None:
            return None
        if finding.indicator_index is not None and 0 <= finding.indicator_index < len(form.indicators):
            node = outline.node_for(form.indicators[finding.indicator_index])
            if node is not None:
                return node
        form_node = outline.node_for(form)
        if form_node is not None and finding.goal_no is not None:
            for child in form_node.children:
                if child.kind is NodeKind.GOAL and child.goal == finding.goal_no:
                    return child
        return form_node

    def go_to_finding(self, finding: object) -> None:
        """Show what a finding is about: its form on the right tab, its indicator selected."""
        session = self.session
        if session is None or not isinstance(finding, Finding):
            return
        workbook = session.document.workbook
        form = form_of(workbook, finding)
        if form is None:
            session.tree.select_node(session.tree_model.outline.workbook_node)
            return
        indicator = None
        if finding.indicator_index is not None and 0 <= finding.indicator_index < len(form.indicators):
            indicator = form.indicators[finding.indicator_index]
        self.select_indicator(form, indicator, tab_for(finding))
        if indicator is not None and finding.field:
            self._focus_cell(indicator, finding.field)
        self.show_message(finding.text)

    def _focus_cell(self, indicator: Indicator, field: str, focus: bool = True) -> None:
        """Make the table cell of an indicator's field current (the row alone if the column is not shown)."""
        session = self.session
        if session is None:
            return
        view = session.table.view()
        model = session.table.model()
        column, row = model.column_index(field), model.row_of(indicator)
        if column is not None and row is not None:
            index = model.index(row, column)
            view.setCurrentIndex(index)
            view.scrollTo(index)
        if focus:
            view.setFocus()

    # ---- zoom -------------------------------------------------------------------------------

    def _zoom_table(self, direction: int) -> None:
        """One zoom step in (1) or out (-1), or back to 100% (0)."""
        session = self.session
        if session is None:
            return
        if direction == 0:
            session.table.set_zoom(100)
        else:
            session.table.zoom_step(direction)

    def _on_zoom(self, percent: int) -> None:
        self.settings.setValue("view/zoom", percent)
        self._zoom_label.setText("" if percent == 100 else f"表格 {percent}%")

    def _saved_zoom(self) -> int:
        value = self.settings.value("view/zoom", 100)
        try:
            return int(str(value))
        except ValueError:
            return 100

    # ---- 查找 ---------------------------------------------------------------------------------

    def show_find_bar(self, replace: bool = False) -> None:
        """Show the find bar (Ctrl+F; with its 替换为 line for Ctrl+H) with its text selected, ready to type."""
        session = self.session
        if session is None:
            return
        self.find_bar.set_replacing(replace and not session.document.read_only)
        self.find_toolbar.show()
        self.find_bar.invalidate()
        self.find_bar.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.find_bar.edit.selectAll()

    def hide_find_bar(self) -> None:
        """Hide the find bar (Esc) and give the keyboard back to the table."""
        self.find_toolbar.hide()
        if self.session is not None:
            self.session.table.view().setFocus()

    def find_next(self) -> None:
        """F3: the next place the find text occurs (opens the find bar when there is no text yet)."""
        self._find_step(self.find_bar.find_next)

    def find_previous(self) -> None:
        """Shift+F3: the place before."""
        self._find_step(self.find_bar.find_previous)

    def _find_step(self, step: Callable[[], bool]) -> None:
        if not self.find_bar.edit.text().strip():
            self.show_find_bar()
            return
        self.find_toolbar.show()
        if not step():
            self.show_message(self.find_bar.status.text())

    def replace_all(self, needle: str, replacement: str) -> bool:
        """全部替换: every occurrence in every form, as one undo step; says how many places changed."""
        session = self.session
        if session is None or session.document.read_only:
            return False
        from desktop.models.workbook.search import replace_plan

        plan = self.attempt(lambda: replace_plan(session.document.workbook, needle, replacement))
        if plan is None:
            return False
        if not plan:
            self.show_message(f"未找到“{needle}”，没有替换。")
            return False
        fields: dict[int, tuple[object, dict[str, str]]] = {}
        for change in plan:
            fields.setdefault(id(change.obj), (change.obj, {}))[1][change.field] = change.new
        macro = MacroCommand(session.document, "全部替换")
        for obj, values in fields.values():
            macro.add(SetFieldsCommand(session.document, obj, values, "全部替换"))
        refused = push_edit(session.undo_stack, macro)
        if refused is not None:
            self.show_error(refused)
            return False
        self.show_message(f"已把“{needle}”替换为“{replacement}”，共 {len(plan)} 处（可撤销）")
        return True

    def go_to_hit(self, hit: object) -> None:
        """Show one place the find text occurs: its form, and the cell or the title selected.

        The keyboard stays in the find bar when it was there, so Enter keeps stepping.
        """
        session = self.session
        if session is None or not isinstance(hit, Hit):
            return
        workbook = session.document.workbook
        if not 0 <= hit.form_index < len(workbook.forms):
            return
        form = workbook.forms[hit.form_index]
        focused = QApplication.focusWidget()
        keep_focus = focused is not None and self.find_bar.isAncestorOf(focused)
        if hit.indicator_index is None or not 0 <= hit.indicator_index < len(form.indicators):
            self.select_indicator(form, None)
            editor = session.pane.header_editor("title")
            if not keep_focus:
                editor.setFocus()
            if isinstance(editor, QLineEdit):
                editor.selectAll()
            return
        indicator = form.indicators[hit.indicator_index]
        self.select_indicator(form, indicator, "indicators")
        self._focus_cell(indicator, hit.field, focus=not keep_focus)

    # ---- window state -----------------------------------------------------------------------

    def _restore_layout(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = self.settings.value("window/state")
        self._layout_restored = isinstance(state, QByteArray) and self.restoreState(state)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if not self._layout_restored:
            self._layout_restored = True
            self.resizeDocks([self.problems_dock], [DOCK_HEIGHT], Qt.Orientation.Vertical)

    def _save_layout(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        if self.session is not None:
            self.settings.setValue("window/splitter", self.splitter.saveState())

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self._save_layout()
        self.close_document()
        self.settings.sync()
        event.accept()

    def createPopupMenu(self) -> QMenu:  # noqa: N802
        menu = QMenu(self)
        menu.addAction(self.act_problems)
        return menu


class _AfterFirstPaint(QObject):
    """Calls ``then`` on the event loop's turn after ``widget`` first paints (once), then goes away."""

    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self._then = then
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._then)
            self.deleteLater()
        return False


def _prepare_store(document: WorkbookDocument) -> None:
    """Ready a workbook file's writer while the user looks at the form (no wait at the first edit)."""
    from desktop.models.storage.store import SqliteStore

    store = document.store
    if isinstance(store, SqliteStore) and not document.read_only:
        with contextlib.suppress(UserError):  # a closed or vanished file says so at the first edit
            store.prepare()


def dropped_path(mime: QMimeData | None) -> str | None:
    """The file dragged onto the window (one local ``.jxdb`` / ``.json`` / ``.xlsx`` file), else None."""
    if mime is None or not mime.hasUrls():
        return None
    urls = mime.urls()
    if len(urls) != 1 or not urls[0].isLocalFile():
        return None
    path = urls[0].toLocalFile()
    return path if path.lower().endswith((".jxdb", ".json", ".xlsx", ".xls")) else None


def _item_view_of(widget: QWidget) -> QAbstractItemView | None:
    """The table or tree a widget is an open cell editor of, if it is one."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractItemView):
            return parent
        parent = parent.parentWidget()
    return None
