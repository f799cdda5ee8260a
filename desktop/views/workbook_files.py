"""Opening, creating and copying workbook files for the main window's 文件 menu, and its recent-files list.

``WorkbookFiles`` asks through the window's prompter, opens through ``store`` and hands the opened
document to the window (``set_document``); it holds no state of its own beyond the window's settings.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMimeData, QStandardPaths
from PySide6.QtWidgets import QMenu, QWidget

from desktop.models.errors import UserError, describe_os_error
from desktop.models.storage.safety import LockOwner
from desktop.models.workbook import edits
from desktop.models.workbook.document import WorkbookDocument
from desktop.views.after_paint import Deferred, hold_gc, prepare_store, release_gc, release_gc_after_paint
from desktop.views.dialogs import JSON_FILTER, WORKBOOK_FILTER, with_suffix
from desktop.views.history_index import HistoryIndex
from desktop.views.host import WindowHost

MAX_RECENT = 8


def commit_pending(window: WindowHost) -> bool:
    """Commit the last edit if its write still waits (before closing, 另存为, exports); False, and the
    message in a box, if the store refused (the edit was then rolled back)."""
    session = window.session
    refused = session.undo_stack.flush() if session is not None else None
    if refused is not None:
        window.show_error(refused)
    return refused is None


class WorkbookFiles:
    """The 文件 menu's workbook files (new, open, save as, import JSON, restore, properties, recent)."""

    def __init__(self, window: WindowHost) -> None:
        self.window = window
        self._history: HistoryIndex | None = None
        self.opening = Deferred()  # what opening a workbook leaves until its first form has painted

    def history(self) -> HistoryIndex:
        """The unit's indicator history in the local app-data folder (issue 20)."""
        if self._history is None:
            self.backup_dir()  # settles the app-data folder
            self._history = HistoryIndex(self.window.data_dir)
        return self._history

    def commit_pending(self) -> bool:
        """Commit the last edit if its write still waits; False (and a message box) if refused."""
        return commit_pending(self.window)

    # ---- opening ----------------------------------------------------------------------------

    def open_path(self, path: str) -> bool:
        """Open a workbook file; False (and a message) when it cannot be opened."""
        from desktop.models.storage import store

        window = self.window
        hold_gc()  # on again once the first form has painted (after_paint.py says why)
        try:
            document = store.open_workbook(path, backup_dir=self.backup_dir(), backup_later=True)
        except BaseException as exc:
            release_gc()
            if isinstance(exc, UserError):
                window.show_error(exc.message)
                self.forget(path)
                return False
            if isinstance(exc, OSError):
                window.show_error(f"无法打开 {path}：{describe_os_error(exc)}")
                return False
            raise
        try:
            window.set_document(document)
        finally:
            session = window.session
            if session is not None and session.document is document:
                release_gc_after_paint(session.table.view().viewport())
            else:
                release_gc()
        refusal = document.lock_refusal
        if document.read_only and refusal is not None and refusal.breakable and refusal.holder is not None:
            self._offer_break_lock(path, document.lock_message, refusal.holder)
        elif document.read_only and document.lock_message:
            window.show_error(document.lock_message)
        return True

    def _offer_break_lock(self, path: str, message: str, holder: LockOwner) -> None:
        """Only a lock note keeps the workbook read-only: name its owner and offer 强制解除锁定."""
        from desktop.models.storage import safety

        question = (
            f"{message}\n\n只有确认 {holder.describe()} 已不再使用此工作簿（例如那台电脑已关机、程序已关闭）时，"
            "才可以强制解除锁定；否则两处同时修改会互相覆盖。\n\n强制解除锁定，并以可编辑方式重新打开吗？"
        )
        if not self.window.prompter.confirm("强制解除锁定", question):
            return
        if safety.break_lock(path, holder):
            self.open_path(path)
        else:
            self.window.show_error("没有解除锁定：此工作簿仍被另一个程序打开着（或锁已由别人重新取得）。")

    def open_consolidation(self) -> QWidget:
        """文件 → 汇总下级单位 (imported when first used: it reads unit files through the storage layer)."""
        from desktop.views.consolidation_window import consolidation_for

        return consolidation_for(self.window)

    def backup_dir(self) -> str | None:
        """The folder of automatic backups (created if missing), or None when it cannot be made."""
        try:
            if self.window.data_dir is None:  # the app passes its local app-data folder; this is for a bare window
                location = QStandardPaths.StandardLocation.AppLocalDataLocation
                self.window.data_dir = QStandardPaths.writableLocation(location)
            folder = Path(self.window.data_dir) / "backups"
            folder.mkdir(parents=True, exist_ok=True)
            return str(folder)
        except OSError:
            return None

    def open_dialog(self, opened: WorkbookDocument | None) -> str | None:
        """Ask for a workbook (or JSON) file; its path, or None when cancelled."""
        folder = os.path.dirname(opened.path or "") if opened is not None else ""
        return self.window.prompter.open_path(
            "打开工作簿", folder or self.window.documents_dir, f"{WORKBOOK_FILTER};;{JSON_FILTER};;所有文件 (*)"
        )

    def new_workbook(self) -> bool:
        """Ask for unit, year and rule set, then a file name; create the workbook and open it."""
        window = self.window
        session = window.session
        workbook = window.prompter.new_workbook(session.document.workbook.unit if session is not None else None)
        if workbook is None:
            return False
        base = f"{workbook.unit.name}{workbook.year or ''}年度绩效".strip() or "新工作簿"
        path = window.prompter.save_path("新建工作簿", window.suggest_path(f"{base}.jxdb"), WORKBOOK_FILTER)
        if not path:
            return False
        path = with_suffix(path, ".jxdb")
        from desktop.models.storage import store

        document = window.attempt(lambda: store.create_workbook_file(path, workbook))
        if document is None:
            return False
        window.set_document(document)
        window.show_message(f"已新建工作簿：{path}")
        return True

    def save_as_dialog(self) -> bool:
        """Write a copy of the workbook under a new name and continue in the copy."""
        window = self.window
        session = window.session
        if session is None or not self.commit_pending():
            return False
        current = session.document.path or window.suggest_path("工作簿.jxdb")
        stem = Path(current).stem
        path = window.prompter.save_path("另存为", str(Path(current).with_name(f"{stem}-副本.jxdb")), WORKBOOK_FILTER)
        if not path:
            return False
        path = with_suffix(path, ".jxdb")
        from desktop.models.storage import store

        document = window.attempt(lambda: store.save_as(session.document, path))
        if document is None:
            return False
        if document is not session.document:
            window.set_document(document)
        window.show_message(f"已另存为：{path}")
        return True

    def import_json_dialog(self) -> bool:
        """Ask for a JSON interchange file, import it as a new workbook and open it."""
        path = self.window.prompter.open_path("导入 JSON", self.window.documents_dir, f"{JSON_FILTER};;所有文件 (*)")
        return self.import_json(path) if path else False

    def import_json(self, json_path: str) -> bool:
        """Import a JSON file into a new workbook file (asking where) and open it."""
        window = self.window
        suggested = window.suggest_path(f"{Path(json_path).stem}.jxdb")
        out = window.prompter.save_path("导入为工作簿", suggested, WORKBOOK_FILTER)
        if not out:
            return False
        out = with_suffix(out, ".jxdb")
        from desktop.models.storage import store

        written = window.attempt(lambda: store.import_json(json_path, out))
        if written is None:
            return False
        if not self.open_path(str(written)):
            return False
        window.show_message(f"已导入：{json_path} → {written}")
        return True

    def restore_backup_dialog(self) -> bool:
        """Pick one of the automatic backups and open a copy of it."""
        window = self.window
        try:
            from desktop.models.storage import backups
        except ImportError:
            window.show_error("本版本不支持从备份恢复。")
            return False
        session = window.session
        folder = self.backup_dir()
        if session is None or session.document.path is None or folder is None:
            window.show_error("请先打开要恢复的工作簿。")
            return False
        items = backups.list_backups(folder, session.document.path)
        if not items:
            window.prompter.info("从备份恢复", "这个工作簿还没有备份。\n（每次打开工作簿时会自动备份。）")
            return False
        labels = [i.label for i in items]
        choice = window.prompter.choose("从备份恢复", "选择要恢复的备份（恢复为一个新文件）：", labels)
        if choice is None:
            return False
        source = items[choice]
        stamp = f"{source.created:%Y%m%d-%H%M%S}"
        original = Path(session.document.path)
        suggested = str(original.with_name(f"{original.stem}-恢复{stamp}.jxdb"))
        out = window.prompter.save_path("恢复为工作簿", suggested, WORKBOOK_FILTER)
        if not out:
            return False
        out = with_suffix(out, ".jxdb")
        from desktop.models.storage.restore import restore_backup

        restored = window.attempt(lambda: restore_backup(source, out))
        return restored is not None and self.open_path(str(restored))

    def edit_properties(self) -> bool:
        """Change the unit, year or rule set of the open workbook, as one undoable edit."""
        window = self.window
        session = window.session
        if session is None:
            return False
        workbook = session.document.workbook
        answer = window.prompter.workbook_properties(workbook)
        if answer is None:
            return False
        change = edits.workbook_properties(workbook, answer)
        refused = session.undo_stack.push_edit(change)
        if refused is not None:
            window.show_error(refused)
            return False
        return True

    # ---- recent files -----------------------------------------------------------------------

    def remember(self, document: WorkbookDocument) -> None:
        """Put an opened workbook at the top of the recent files (and as the one to reopen next time); the file
        is written after the first form has painted (``opened``) or as the window closes."""
        if document.path is None:
            return
        settings = self.window.settings
        path = os.path.abspath(document.path)
        if not document.read_only or os.path.exists(path):
            settings.setValue("last_workbook", path)
        recent = [p for p in self.recent() if os.path.normcase(p) != os.path.normcase(path)]
        settings.setValue("recent_files", [path, *recent][:MAX_RECENT])

    def after_first_paint(self, document: WorkbookDocument) -> None:
        """Leave ``opened`` until the first form of the workbook just shown has painted."""
        session = self.window.session
        if session is not None:
            session.tree_model.hold_scores()  # the other forms' scores, too, wait for the first form
            self.opening.schedule(session.table.view().viewport(), functools.partial(self.opened, document))

    def opened(self, document: WorkbookDocument) -> None:
        """What opening leaves until the first form has painted: the tree's scores, index the workbook into the
        unit's history (审核 compares targets with it), 审核 every form (the problems panel fills), ready the writer."""
        self.window.settings.sync()  # the recent files (``remember``)
        session = self.window.session
        if session is None or session.document is not document:
            return  # closed meanwhile
        session.tree_model.show_scores()
        session.history = self.history().add(document.workbook)
        session.validate_all()
        prepare_store(document)  # imports SQLAlchemy (~0.3 s): not before the form is shown

    def forget(self, path: str) -> list[str]:
        """Drop a file that could not be opened from the recent files; the list left."""
        wanted = os.path.normcase(os.path.abspath(path))
        recent = [p for p in self.recent() if os.path.normcase(p) != wanted]
        self.window.settings.setValue("recent_files", recent)
        self.window.show_recent(recent)
        return recent

    def recent(self) -> list[str]:
        """The recently opened workbooks, newest first."""
        value = self.window.settings.value("recent_files", [])
        if isinstance(value, str):
            return [value] if value else []
        if isinstance(value, list):
            return [str(v) for v in value if v]
        return []

    def fill_recent_menu(self, menu: QMenu, open_path: Callable[[str], object]) -> None:
        """List the recent files in the 最近打开 menu; choosing one calls ``open_path(path)``."""
        menu.clear()
        recent = self.recent()
        if not recent:
            action = menu.addAction("（无）")
            action.setEnabled(False)
            return
        for number, path in enumerate(recent, 1):
            action = menu.addAction(f"&{number} {os.path.basename(path)}")
            action.setToolTip(path)
            action.setStatusTip(path)
            action.triggered.connect(lambda _=False, p=path: open_path(p))


def dropped_path(mime: QMimeData | None) -> str | None:
    """The file dragged onto the window (one local ``.jxdb`` / ``.json`` / ``.xlsx`` file), else None."""
    if mime is None or not mime.hasUrls():
        return None
    urls = mime.urls()
    if len(urls) != 1 or not urls[0].isLocalFile():
        return None
    path = urls[0].toLocalFile()
    return path if path.lower().endswith((".jxdb", ".json", ".xlsx", ".xls")) else None
