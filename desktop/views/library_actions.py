"""The user's own 指标库 from the window: 右键 → 加入指标库…, 文件 → 导入指标库… / 导出指标库….

The library is ``indicator-library.json`` in the window's local app-data folder. Adding and importing
never add an indicator twice (see ``models/library/own.py``); an imported file is read strictly and a
bad one changes nothing. Export writes the user's own entries only: the bundled library ships with
every copy of the program (and grows with its updates), so a file for another PC or unit needs only
what this unit added — importing it there adds exactly that.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from desktop.models.errors import UserError, describe_os_error
from desktop.models.library.entries import LibraryEntry, bundled_library, library_text, load_library
from desktop.models.library.from_table import entries_from_rows, row_source
from desktop.models.library.own import OWN_CATEGORY, add_to_own, entry_key, full_library, load_own
from desktop.models.storage.atomic import write_atomically
from desktop.models.storage.outputs import check_output
from desktop.models.workbook.domain import Indicator
from desktop.views.after_paint import after_first_paint
from desktop.views.dialogs import with_suffix
from desktop.views.host import WindowHost
from desktop.views.own_library import own_library_for
from desktop.views.session import Session

LIBRARY_FILTER = "指标库文件 (*.json)"
CATEGORY_KEY = "library/category"  # the category chosen last time, offered first next time
NAMES_SHOWN = 5


def names_text(entries: Sequence[LibraryEntry]) -> str:
    """「培训人数」「满意度」… (the first few, then how many in all)."""
    shown = "".join(f"「{e.name}」" for e in entries[:NAMES_SHOWN])
    return shown if len(entries) <= NAMES_SHOWN else f"{shown}等 {len(entries)} 个"


class LibraryActions:
    """The user's library for one main window: the table's 加入指标库 and the 文件 menu's import / export."""

    def __init__(self, window: WindowHost) -> None:
        self.window = window

    def path(self) -> Path:
        """The user's library file."""
        return own_library_for(self.window.data_dir)

    def slots(self) -> dict[str, Callable[[], object]]:
        """The 文件 menu's actions (names of ``window_actions.ACTIONS``)."""
        return {"import_library": self.import_dialog, "export_library": self.export_dialog}

    def attach(self, session: Session) -> None:
        """Wire a new session's table: suggestions from this library, 加入指标库, the history indexed after the
        first paint (the workbook's history is known by then)."""
        table = session.table
        table.set_library(lambda: full_library(self.path()))
        table.addToLibraryRequested.connect(self.add_indicators)
        after_first_paint(table.view().viewport(), table.prepare_suggestions)

    # ---- 加入指标库 -------------------------------------------------------------------------

    def add_indicators(self, indicators: Sequence[Indicator]) -> bool:
        """Add table rows to the user's library: duplicates are named and left out, the category asked once."""
        session = self.window.session
        form = session.table.model().form() if session is not None else None
        if session is None or form is None:
            return False
        named = [i for i in indicators if i.name.strip()]
        if not named:
            session.refused("选中的行没有三级指标名称，没有可加入指标库的指标")
            return False
        source = row_source(session.document.workbook, form)
        try:
            own = load_own(self.path())
            probe = entries_from_rows(named, OWN_CATEGORY, source)
        except UserError as exc:
            self.window.show_error(f"{exc.message}；指标库未作更改")
            return False
        known = {entry_key(e) for e in (*bundled_library(), *own)}
        fresh = [e for e in probe if entry_key(e) not in known]
        if not fresh:
            session.refused(f"指标库中已有{names_text(probe)}，未重复加入")
            return False
        categories = sorted({e.category for e in (*bundled_library(), *own) if e.category})
        default = str(self.window.settings.value(CATEGORY_KEY, OWN_CATEGORY) or OWN_CATEGORY)
        label = f"把{names_text(fresh)}加入指标库，归入哪一类？\n（可选已有类别，也可输入新的类别名称）"
        category = self.window.prompter.choose_text("加入指标库", label, categories, default)
        if category is None:
            return False
        self.window.settings.setValue(CATEGORY_KEY, category)
        result = self._add(entries_from_rows(named, category, source))
        if result is None:
            return False
        added, present = result
        text = f"已加入指标库 {len(added)} 个指标（类别：{category}），输入三级指标或「从指标库添加」时可选用"
        if present:
            text += f"\n指标库中已有{names_text(present)}，未重复加入"
        session.notes.show_note("warning" if present else "info", text)
        self.window.show_message(text.replace("\n", "；"))
        return bool(added)

    def _add(self, entries: list[LibraryEntry]) -> tuple[list[LibraryEntry], list[LibraryEntry]] | None:
        """Merge entries into the user's file: (added, already there), or None after saying why it failed."""
        try:
            added, present = add_to_own(self.path(), entries, bundled_library())
        except UserError as exc:
            self.window.show_error(f"{exc.message}；指标库未作更改")
            return None
        except OSError as exc:
            self.window.show_error(f"无法保存指标库文件 {self.path()}：{describe_os_error(exc)}")
            return None
        if added and self.window.session is not None:
            self.window.session.table.library_changed()
        return added, present

    # ---- import / export ----------------------------------------------------------------------

    def import_dialog(self) -> bool:
        """文件 → 导入指标库…: pick a library file and merge it into the user's library."""
        path = self.window.prompter.open_path("导入指标库", self.window.documents_dir, LIBRARY_FILTER)
        return self.import_file(path) if path else False

    def import_file(self, path: str) -> bool:
        """Merge a library file (read strictly; a bad one changes nothing) and report what it added."""
        try:
            entries = load_library(path)
        except UserError as exc:
            self.window.show_error(f"{exc.message}。指标库未作更改。")
            return False
        result = self._add(entries)
        if result is None:
            return False
        added, present = result
        text = f"新增 {len(added)} 条，已有 {len(present)} 条未重复添加"
        self.window.show_message(f"导入指标库：{text}")
        self.window.prompter.info(
            "导入指标库", f"从 {Path(path).name} 导入指标库：\n{text}。\n输入三级指标或「从指标库添加」时可选用。"
        )
        return True

    def export_dialog(self) -> bool:
        """文件 → 导出指标库…: write the user's own entries (not the bundled ones) to a chosen file."""
        own = self.path()
        try:
            entries = load_own(own)
        except UserError as exc:
            self.window.show_error(f"{exc.message}；无法导出")
            return False
        if not entries:
            self.window.prompter.info(
                "导出指标库",
                "本单位指标库中还没有指标：在指标表中选中行，右键「加入指标库…」，或「导入指标库…」。\n"
                "通用指标库随程序提供，无需导出。",
            )
            return False
        chosen = self.window.prompter.save_path(
            "导出指标库", self.window.suggest_path("本单位指标库.json"), LIBRARY_FILTER
        )
        if not chosen:
            return False
        path = with_suffix(chosen, ".json")

        def write() -> None:
            check_output(path, inputs=[own], force=True)  # the file dialog asked before replacing a file
            write_atomically(path, library_text(entries).encode("utf-8"))

        if not self.window.guard(write):
            return False
        self.window.show_message(f"已导出本单位指标库 {len(entries)} 条：{path}")
        return True
