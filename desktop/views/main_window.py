"""The main window: workbook tree | form pane, the live summary bar, the problems dock, menus and toolbar.

The window holds windows, menus and docks. One open workbook at a time (the start page when none): its
document, engine, undo stack, views, validation and selection are a ``Session`` (``session.py``); a
change of rule set builds a new session over the same document and stack. Every edit is committed by the
store right after its paint, so there is no "save" and no save prompt (Ctrl+S only commits what is typed).
The find bar (查找 / 替换) sits at the bottom; opening and creating workbook files is ``WorkbookFiles``
(``workbook_files.py``), exports, Excel import and copying forms ``Transfers`` (``transfers.py``).
Problems become Chinese messages (status bar or message box), never tracebacks.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import shiboken6
from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QLabel,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from desktop import __version__
from desktop.models.errors import UserError, describe_os_error
from desktop.models.scoring.rules import load_ruleset
from desktop.models.workbook import edits
from desktop.models.workbook.document import WorkbookDocument
from desktop.models.workbook.domain import Form, FormKind
from desktop.models.workbook.outline import NodeKind, OutlineNode
from desktop.models.workbook.search import Hit
from desktop.views.commands import EditStack
from desktop.views.dialogs import Prompter, about_text
from desktop.views.find_bar import FindBar
from desktop.views.form_widgets import item_view_of
from desktop.views.library_actions import LibraryActions
from desktop.views.problems import ProblemsPanel, form_of
from desktop.views.screen_fit import fit_to_screen
from desktop.views.session import Session
from desktop.views.start_page import StartPage
from desktop.views.transfers import Transfers
from desktop.views.window_actions import WindowActions, shortcut_rows
from desktop.views.workbook_files import WorkbookFiles, dropped_path
from desktop.views.workbook_tree import WorkbookTree

if TYPE_CHECKING:
    from desktop.models.scoring.validation import Finding  # imported by the first 审核, after the first paint

_T = TypeVar("_T")

APP_TITLE = "预算绩效填报"
STATUS_TIMEOUT_MS = 8000
DOCK_HEIGHT = 150


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
        self.consolidation_window: QWidget | None = None  # 文件 → 汇总下级单位, made when first asked for
        self._messages_shown = 0  # lets Ctrl+S tell whether committing the open editor was refused
        self.files = WorkbookFiles(self)

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
        self.transfers, self.library = Transfers(self), LibraryActions(self)
        self._build_menus_and_toolbars()
        self._restore_layout()
        fit_to_screen(self)
        self.start_page.set_recent(self.recent_files())
        self._update_actions()
        self._update_title()

    # ---- actions, menus, toolbar ------------------------------------------------------------

    def _slots(self) -> dict[str, Callable[[], object]]:
        """What each action of ``window_actions.ACTIONS`` calls."""
        transfers, files, zoom = self.transfers, self.files, self._zoom_table
        slots: dict[str, Callable[[], object]] = {
            "new": self.new_workbook,
            "open": self.open_dialog,
            "save": self.save,
            "save_as": files.save_as_dialog,
            "properties": self.edit_workbook_properties,
            "import_xlsx": transfers.import_excel_dialog,
            "copy_forms": transfers.copy_forms_dialog,
            "add_from_library": transfers.add_from_library_dialog,
            "import": files.import_json_dialog,
            "export_json": transfers.export_json_dialog,
            "export_pdf": transfers.export_pdf_dialog,
            "export_xlsx": transfers.export_xlsx_dialog,
            "print_font": transfers.choose_print_font_dialog,
            "restore": files.restore_backup_dialog,
            "consolidate": files.open_consolidation,
            "quit": self.close,
            "undo": self.undo,
            "redo": self.redo,
            "find": self.show_find_bar,
            "find_next": self.find_next,
            "find_previous": self.find_previous,
            "replace": lambda: self.show_find_bar(replace=True),
            "generate": self.generate_self_eval,
            "duplicate": lambda: self._tree_do(lambda tree: tree.duplicate_current()),
            "add_indicator": lambda: self._tree_do(lambda tree: tree.add_indicator_here()),
            "delete": lambda: self._tree_do(lambda tree: tree.delete_current()),
            "move_up": lambda: self._tree_do(lambda tree: tree.move_current(-1)),
            "move_down": lambda: self._tree_do(lambda tree: tree.move_current(1)),
            "validate": self.validate_all,
            "about": self.show_about,
            "shortcuts": self.show_shortcuts,
            "zoom_in": lambda: zoom(1),
            "zoom_out": lambda: zoom(-1),
            "zoom_reset": lambda: zoom(0),
            **self.library.slots(),
        }
        for kind in FormKind:
            slots[f"new_form:{kind.value}"] = functools.partial(self._tree_do, functools.partial(_new_form, kind=kind))
        return slots

    def _tree_do(self, work: Callable[[WorkbookTree], object]) -> object:
        """Run a 表格 menu action on the tree of the open workbook (nothing without one)."""
        return work(self.session.synced_tree()) if self.session is not None else None

    def _build_menus_and_toolbars(self) -> None:
        problems = self.problems_dock.toggleViewAction()
        problems.setText("问题面板")
        self.acts = WindowActions(self, self._slots(), {"problems": problems})
        self.acts.fill_menu_bar(self.menuBar())
        assert self.acts.recent_menu is not None
        self.recent_menu = self.acts.recent_menu
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self.toolbar = self.acts.toolbar(self)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)

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
        exporting = (self.acts.export_json, self.acts.export_pdf, self.acts.export_xlsx)
        for action in (self.acts.save, self.acts.save_as, *exporting, self.acts.validate):
            action.setEnabled(has)
        for action in (self.acts.find, self.acts.find_next, self.acts.find_previous):
            action.setEnabled(has)
        for action in (self.acts.zoom_in, self.acts.zoom_out, self.acts.zoom_reset):
            action.setEnabled(has)
        for action in (self.acts.properties, self.acts.replace, self.acts.import_xlsx, self.acts.copy_forms):
            action.setEnabled(writable)
        for action in (self.acts.new_form(kind) for kind in FormKind):
            action.setEnabled(writable)
        self.acts.duplicate.setEnabled(writable and form is not None)
        self.acts.add_indicator.setEnabled(writable and form is not None)
        self.acts.delete.setEnabled(writable and form is not None)
        self.acts.move_up.setEnabled(writable and node is not None and node.kind is not NodeKind.WORKBOOK)
        self.acts.move_down.setEnabled(writable and node is not None and node.kind is not NodeKind.WORKBOOK)
        self.acts.generate.setEnabled(writable and form is not None and not form.kind.is_self_eval)
        self._update_undo()

    def _update_undo(self, *_: object) -> None:  # an edit, undo or redo changes only these (not ~30 actions)
        session = self.session  # the tree's current node (if it still has to follow the table: the same form)
        node = session.tree.current_node() if session is not None else None
        forms, form = (session.document.workbook.forms if session is not None else []), node.form if node else None
        self.problems.set_current_form(next((i for i, item in enumerate(forms) if item is form), None))
        stack = session.undo_stack if session is not None else None
        self.acts.undo.setEnabled(stack is not None and stack.canUndo())
        self.acts.redo.setEnabled(stack is not None and stack.canRedo())
        self.acts.undo.setText(f"撤销 {stack.undoText()}".strip() if stack is not None and stack.canUndo() else "撤销")
        self.acts.redo.setText(f"重做 {stack.redoText()}".strip() if stack is not None and stack.canRedo() else "重做")

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
            return self.files.import_json(path)
        if path.lower().endswith((".xlsx", ".xls")):
            return self.transfers.import_excel(path)
        if not self.files.open_path(path):
            return False
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

    def set_document(self, document: WorkbookDocument) -> None:
        """Show an open workbook (closing the one shown before)."""
        self.close_document()
        stack = EditStack(document, self, defer_writes=True)  # each edit is committed after its paint
        stack.setUndoLimit(500)
        stack.indexChanged.connect(self._update_undo)
        self._build_session(document, stack)
        self.files.remember(document)
        self.find_bar.invalidate()
        self._update_title()
        first = document.workbook.forms[0] if document.workbook.forms else None
        self.select_form(first)
        self._update_actions()
        self.files.after_first_paint(document)  # history, 审核 of every form, the writer

    def _build_session(self, document: WorkbookDocument, stack: EditStack) -> Session:
        """Build the session of a workbook under its rule set, and show its views."""
        try:
            ruleset = load_ruleset(document.workbook.ruleset)
        except UserError as exc:
            self.show_message(f"{exc.message}；暂按默认规则计分")
            ruleset = load_ruleset()
        state = self.settings.value("window/splitter")
        session = Session(document, ruleset, stack, self.prompter.confirm, state, self.width(), self)
        self.session = session
        self.splitter = session.splitter
        self._central.addWidget(session.body)
        self._central.setCurrentWidget(session.body)
        session.message.connect(self.show_message)
        session.currentChanged.connect(self._update_actions)
        session.validated.connect(self._show_findings)
        session.edited.connect(self.find_bar.invalidate)
        session.edited.connect(self.statusBar().clearMessage)  # a successful edit: older messages are stale
        session.pane.guide.requested.connect(lambda name: getattr(self.acts, name).trigger())
        session.rulesetEdited.connect(lambda: QTimer.singleShot(0, self._follow_ruleset))  # after every listener
        session.table.zoomChanged.connect(self._on_zoom)
        self.library.attach(session)
        self._on_zoom(session.table.set_zoom(self._saved_zoom()))
        return session

    def select_form(self, form: Form | None) -> None:
        """Select a form in the tree (None: the workbook node), which shows it on the right."""
        if self.session is not None:
            self.session.select_form(form)

    def _dismantle_session(self) -> Session | None:
        """Take the views and the engine of the open workbook down; the document and undo stack stay."""
        session = self.session
        if session is None:
            return None
        self._save_layout()
        session.detach()
        self.session = None
        self.problems.set_findings(None, [])
        self.problems_dock.setWindowTitle("问题")
        self._zoom_label.setText("")
        self.start_page.set_recent(self.recent_files())
        self._central.setCurrentWidget(self.start_page)
        self._central.removeWidget(session.body)
        session.body.deleteLater()  # and with it the views
        session.deleteLater()
        return session

    def close_document(self) -> None:
        """Close the open workbook (its last edit is committed first, while its undo stack can still step back)."""
        session = self._dismantle_session()
        if session is None:
            return
        self.location_label.setText("")
        self.location_label.setToolTip("")
        self.find_bar.invalidate()
        self.find_toolbar.hide()
        try:
            session.document.close()
        except UserError as exc:
            self.show_error(exc.message)
        session.undo_stack.clear()
        session.undo_stack.deleteLater()
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

    def recent_files(self) -> list[str]:
        """The recently opened workbooks, newest first."""
        return self.files.recent()

    def show_recent(self, recent: list[str]) -> None:
        """The recent files changed: the start page lists them."""
        self.start_page.set_recent(recent)

    def _fill_recent_menu(self) -> None:
        self.files.fill_recent_menu(self.recent_menu, self.open_path)

    # ---- file menu --------------------------------------------------------------------------

    def suggest_path(self, name: str) -> str:
        return str(Path(self.documents_dir) / name)

    def new_workbook(self) -> bool:
        """Ask for unit, year and rule set, then a file name; create the workbook and open it."""
        return self.files.new_workbook()

    def open_dialog(self) -> bool:
        """Ask for a workbook (or JSON) file and open it."""
        path = self.files.open_dialog(self.session.document if self.session is not None else None)
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
            view = item_view_of(focused)
            focused.clearFocus()
            if view is not None:
                view.setFocus()
            elif shiboken6.isValid(focused) and focused.isVisible():
                focused.setFocus()
        if self._messages_shown != shown_before or not self.files.commit_pending():
            return  # what was typed was refused: that message stays in view
        name = os.path.basename(session.document.path or "")
        if session.document.read_only:
            self.show_message(f"{name} 以只读方式打开，修改不会写入。需要修改请“另存为”。")
        else:
            self.show_message(f"无需手动保存：每次修改都已自动写入 {name}")

    # ---- drag and drop ----------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if dropped_path(event.mimeData()) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        path = dropped_path(event.mimeData())
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        # Opened once the drop is over: the file manager is not kept waiting by dialogs.
        QTimer.singleShot(0, lambda: self.open_path(path))

    def edit_workbook_properties(self) -> bool:
        """Change the unit, year, rule set or print template of the open workbook, as one undoable edit."""
        if not self.files.edit_properties():
            return False
        self._update_title()
        return True

    def restore_backup_dialog(self) -> bool:
        """Pick one of the automatic backups and open a copy of it."""
        return self.files.restore_backup_dialog()

    # ---- edit menu --------------------------------------------------------------------------

    def undo(self) -> None:
        """Undo the last edit; a refused undo is shown and the stack stays where it was."""
        self._step(undo=True)

    def redo(self) -> None:
        """Redo the last undone edit; a refused redo is shown."""
        self._step(undo=False)

    def _step(self, undo: bool) -> None:
        stack = self.session.undo_stack if self.session is not None else None
        if stack is None or not (stack.canUndo() if undo else stack.canRedo()):
            return
        text, verb = (stack.undoText(), "撤销") if undo else (stack.redoText(), "重做")
        refused = stack.undo_edit() if undo else stack.redo_edit()
        if refused is not None:
            self.show_error(f"无法{verb}：{refused}")
        else:
            self.show_message(f"已{verb}：{text}")

    # ---- table menu -------------------------------------------------------------------------

    def current_node(self) -> OutlineNode | None:
        """The node current in the tree."""
        return self.session.current_node() if self.session is not None else None

    def current_form(self) -> Form | None:
        """The form shown in the pane."""
        node = self.current_node()
        return node.form if node is not None else None

    def generate_self_eval(self) -> Form | None:
        """Make a self-evaluation form from the current target form, inserted after it."""
        session = self.session
        form = self.current_form()
        if session is None or form is None:
            self.show_message("请先在左侧选中一张目标表")
            return None
        made = self.attempt(lambda: edits.self_eval_after(session.document, form, session.ruleset))
        if made is None:
            return None
        change, new_form = made
        if not session.tree.add_form(change, new_form):
            return None
        self.show_message(f"已生成自评表“{new_form.title}”，请填写实际完成值")
        return new_form

    def show_about(self) -> None:
        """The 关于 box."""
        self.prompter.info("关于", about_text(__version__))

    def shortcut_rows(self) -> list[tuple[str, str, str]]:
        """(where, keys, what) of every shortcut: the menus' (read from their actions), the table's, the find bar's."""
        return shortcut_rows(self.menuBar())

    def show_shortcuts(self) -> None:
        """帮助 → 快捷键一览 (F1): a scrollable table, since it is taller than a small screen."""
        self.prompter.show_table("快捷键一览", ("位置", "按键", "作用"), self.shortcut_rows())

    # ---- selection and problems (the session keeps them in step) ---------------------------

    def validate_all(self) -> None:
        """Check every form now."""
        if self.session is not None:
            self.session.validate_all()

    def validate_now(self) -> None:
        """Re-check the forms changed since the last check and refresh the problems and tree marks."""
        if self.session is not None:
            self.session.validate_now()

    def _show_findings(self, findings: list[Finding]) -> None:
        session = self.session
        self.problems.set_findings(session.document.workbook if session is not None else None, findings)
        self.problems_dock.setWindowTitle(f"问题（{len(findings)}）" if findings else "问题")

    def findings(self) -> list[Finding]:
        """The findings shown in the problems panel (the check after opening is run now if still pending)."""
        self.files.opening.run()
        return self.problems.model.findings()

    def go_to_finding(self, finding: object) -> None:
        """Show what a finding is about: its form on the right tab, its indicator selected."""
        from desktop.models.scoring.validation import Finding

        if self.session is None or not isinstance(finding, Finding):
            return
        self.session.show_finding(finding)
        if form_of(self.session.document.workbook, finding) is not None:
            self.show_message(finding.text)

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
        result = self.attempt(lambda: edits.replace_all(session.document, needle, replacement))
        if result is None:
            return False
        change, count = result
        if not count:
            self.show_message(f"未找到“{needle}”，没有替换。")
            return False
        refused = session.undo_stack.push_edit(change)
        if refused is not None:
            self.show_error(refused)
            return False
        self.show_message(f"已把“{needle}”替换为“{replacement}”，共 {count} 处（可撤销）")
        return True

    def go_to_hit(self, hit: object) -> None:
        """Show one place the find text occurs; the keyboard stays in the find bar when it was there."""
        if self.session is None or not isinstance(hit, Hit):
            return
        focused = QApplication.focusWidget()
        self.session.show_hit(hit, keep_focus=focused is not None and self.find_bar.isAncestorOf(focused))

    # ---- window state -----------------------------------------------------------------------

    def _restore_layout(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = self.settings.value("window/state")
        self._layout_restored = isinstance(state, QByteArray) and self.restoreState(state)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._layout_restored:
            self._layout_restored = True
            self.resizeDocks([self.problems_dock], [DOCK_HEIGHT], Qt.Orientation.Vertical)

    def _save_layout(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        if self.session is not None:
            self.settings.setValue("window/splitter", self.splitter.saveState())

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.files.commit_pending():  # else the last edit could not be written: stay open, for 另存为
            self._save_layout()
            self.close_document()
            self.settings.sync()
        event.setAccepted(self.session is None)

    def createPopupMenu(self) -> QMenu:
        menu = QMenu(self)
        menu.addAction(self.acts.problems)
        return menu


def _new_form(tree: WorkbookTree, kind: FormKind) -> object:
    return tree.new_form(kind)
