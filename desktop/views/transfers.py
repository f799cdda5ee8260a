"""Moving forms in and out of the open workbook: export (JSON, PDF, Excel), import from Excel, copy from
another workbook, and the PDF font setting.

``Transfers`` does this work for the main window's 文件 menu. It holds no state of its own: it asks the
user through the window's prompter, edits through the window's undo stack, and reports through the
window's status bar and message boxes, so the window stays about showing a workbook.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMainWindow

from desktop.models.scoring.engine import FormScore
from desktop.models.workbook import edits
from desktop.models.workbook.domain import Form, Workbook
from desktop.views.dialogs import JSON_FILTER, PDF_FILTER, WORKBOOK_FILTER, XLSX_FILTER, safe_name, with_suffix
from desktop.views.host import WindowHost
from desktop.views.workbook_files import commit_pending

if TYPE_CHECKING:
    from desktop.models.formats.excel_import import ExcelImport
    from desktop.reports import PrintFont

PRINT_FONT_KEY = "print/font"  # the PDF font chosen by the user, as "path#face" ("" = the bundled one)


def font_key(font: PrintFont) -> str:
    """How a chosen print font is remembered: its file and its face in a .ttc collection."""
    return f"{font.path}#{font.subfont_index}"


class Transfers:
    """The 文件 menu's imports, exports and copies for one main window."""

    def __init__(self, window: WindowHost) -> None:
        self.window = window

    def import_excel_dialog(self) -> bool:
        """Ask for an Excel file and import its indicator tables as new forms."""
        folder = os.path.dirname(self.window.session.document.path or "") if self.window.session else ""
        path = self.window.prompter.open_path(
            "从 Excel 导入指标表", folder or self.window.documents_dir, "Excel 工作簿 (*.xlsx *.xls);;所有文件 (*)"
        )
        return self.import_excel(path) if path else False

    def import_excel(self, path: str) -> bool:
        """Read the indicator tables of an .xlsx file and, once confirmed, add them as new forms (one undo step)."""
        session = self.window.session
        if session is None:
            self.window.show_error("请先打开或新建一个工作簿，再从 Excel 导入指标表。")
            return False
        if session.document.read_only:
            self.window.show_error("工作簿以只读方式打开，不能导入。")
            return False
        from desktop.models.formats.excel_import import indicator_count, read_excel
        from desktop.views.busy import Cancelled, run_busy

        home = session.document.workbook.unit
        name = os.path.basename(path)
        ruleset = session.ruleset

        def read() -> ExcelImport:
            return read_excel(path, ruleset, home)

        try:
            host = self.window
            assert isinstance(host, QMainWindow)  # the main window, which shows the busy bar
            found = self.window.attempt(lambda: run_busy(host, f"正在读取 {name}…", read))
        except Cancelled:
            self.window.show_message(f"已取消从 {name} 导入")
            return False
        if found is None:
            return False
        tables = found.tables
        if not tables:
            self.window.show_error(
                f"{name} 中没有找到指标表：需要有“一级指标”“二级指标”“三级指标”（或“指标内容”）这几列。\n\n"
                + "\n".join(found.report()[:12])
            )
            return False
        text, details = import_preview(name, found)
        if not self.window.prompter.confirm("从 Excel 导入指标表", text, details):
            return False
        forms = [t.form for t in tables]
        if not self._append_forms(forms, "从 Excel 导入"):
            return False
        self.window.show_message(f"已从 {name} 导入 {len(forms)} 张表、{indicator_count(tables)} 个指标")
        return True

    def _append_forms(self, forms: list[Form], text: str) -> bool:
        """Add forms at the end of the workbook as one undo step and show the first; False if refused."""
        session = self.window.session
        assert session is not None and forms
        refused = session.undo_stack.push_edit(edits.add_forms(session.document, forms, text))
        if refused is not None:
            self.window.show_error(refused)
            return False
        self.window.select_form(forms[0])
        return True

    def copy_forms_dialog(self) -> bool:
        """Pick another workbook (.jxdb or JSON) and some of its forms; add copies of them (one undo step)."""
        session = self.window.session
        if session is None or session.document.read_only:
            return False
        folder = os.path.dirname(session.document.path or "") or self.window.documents_dir
        path = self.window.prompter.open_path(
            "从其他工作簿复制表", folder, f"{WORKBOOK_FILTER};;{JSON_FILTER};;所有文件 (*)"
        )
        if not path:
            return False
        if session.document.path and os.path.exists(path) and os.path.samefile(path, session.document.path):
            self.window.show_error("这就是当前打开的工作簿。要复制其中的表，请在左侧右键选择“复制表”。")
            return False
        from desktop.models.storage import store
        from desktop.models.workbook.forms import forms_from_workbook

        source = self.window.attempt(lambda: store.load_any(path))
        if source is None:
            return False
        if not source.forms:
            self.window.show_error(f"{os.path.basename(path)} 中没有表。")
            return False
        options = [f"{form.kind.label}：{form.title}（{len(form.indicators)} 个指标）" for form in source.forms]
        owner = " ".join(part for part in (source.unit.name, f"{source.year}年" if source.year else "") if part)
        label = f"{owner or '该'}工作簿中有 {len(source.forms)} 张表。勾选要复制到当前工作簿的表："
        chosen = self.window.prompter.choose_many("从其他工作簿复制表", label, options)
        if not chosen:
            return False
        forms = forms_from_workbook(source, chosen, session.document.workbook)
        if not self._append_forms(forms, f"从其他工作簿复制 {len(forms)} 张表"):
            return False
        self.window.show_message(f"已复制 {len(forms)} 张表。年份等文字可用“编辑 → 替换”（Ctrl+H）一次改好。")
        return True

    def add_from_library_dialog(self) -> bool:
        """表格 → 从指标库添加…: tick library indicators and append them to the current form (one undo step)."""
        from desktop.views.library_dialog import add_from_library  # each menu action imports what it needs

        return add_from_library(self.window)

    def export_json_dialog(self) -> bool:
        """Write the workbook as a JSON interchange file."""
        session = self.window.session
        if session is None or not commit_pending(self.window):
            return False
        stem = Path(session.document.path).stem if session.document.path else "工作簿"
        path = self.window.prompter.save_path("导出 JSON", self.window.suggest_path(f"{stem}.json"), JSON_FILTER)
        if not path:
            return False
        path = with_suffix(path, ".json")
        from desktop.models.formats import interchange
        from desktop.models.storage.atomic import write_atomically

        text = interchange.dumps(session.document.workbook)
        if self.window.guard(lambda: write_atomically(path, text.encode("utf-8"))):
            self.window.show_message(f"已导出 JSON：{path}")
            return True
        return False

    def export_pdf_dialog(self) -> bool:
        """Export the current form or every form as PDF, then offer to open the file."""
        from desktop.reports import export_pdf

        def write(path: str, forms: list[int] | None, scores: Callable[[Form], FormScore]) -> None:
            export_pdf(self._workbook(), path, forms=forms, scores=scores, font=self.print_font())

        return self._export_forms("PDF", ".pdf", PDF_FILTER, write)

    def export_xlsx_dialog(self) -> bool:
        """Export the current form or every form as an Excel workbook (a sheet per form), then offer to open it."""
        from desktop.reports.xlsx import export_xlsx

        def write(path: str, forms: list[int] | None, scores: Callable[[Form], FormScore]) -> None:
            export_xlsx(self._workbook(), path, forms=forms, scores=scores)

        return self._export_forms("Excel", ".xlsx", XLSX_FILTER, write)

    def _workbook(self) -> Workbook:
        assert self.window.session is not None
        return self.window.session.document.workbook

    def _export_forms(
        self,
        kind: str,
        suffix: str,
        filters: str,
        write: Callable[[str, list[int] | None, Callable[[Form], FormScore]], None],
    ) -> bool:
        """Ask which forms (the current one or all) and where, write them with ``write``, offer to open the file."""
        session = self.window.session
        if session is None or not commit_pending(self.window):
            return False
        workbook = session.document.workbook
        title = f"导出 {kind}"
        if not workbook.forms:
            self.window.show_error("工作簿里还没有表，无需导出。")
            return False
        form = self.window.current_form()
        forms: list[int] | None = None
        stem = Path(session.document.path).stem if session.document.path else "绩效表"
        if form is not None and len(workbook.forms) > 1:
            options = [f"当前表：{form.title}", f"全部 {len(workbook.forms)} 张表"]
            choice = self.window.prompter.choose(title, "导出哪些表？", options)
            if choice is None:
                return False
            if choice == 0:
                forms = [next(i for i, f in enumerate(workbook.forms) if f is form)]
                stem = safe_name(form.title) or stem
        path = self.window.prompter.save_path(title, self.window.suggest_path(f"{stem}{suffix}"), filters)
        if not path:
            return False
        path = with_suffix(path, suffix)

        def work() -> None:
            self.window.statusBar().showMessage(f"正在导出 {kind}…")
            write(path, forms, session.engine.score_form)

        if not self.window.guard(work):
            return False
        self.window.show_message(f"已导出 {kind}：{path}")
        if self.window.prompter.confirm(title, f"已导出到：\n{path}\n\n现在打开这个文件吗？"):
            from PySide6.QtCore import QUrl
            from PySide6.QtGui import QDesktopServices

            QDesktopServices.openUrl(QUrl.fromLocalFile(path))
        return True

    def print_font(self) -> PrintFont | None:
        """The font chosen for PDFs (None: the bundled one), if it is still on this PC."""
        from desktop.reports import available_print_fonts

        chosen = str(self.window.settings.value(PRINT_FONT_KEY, "") or "")
        return next((font for font in available_print_fonts() if font_key(font) == chosen), None)

    def choose_print_font_dialog(self) -> bool:
        """Let the user pick the PDF font among those found on this PC (宋体 / 仿宋 where present)."""
        from desktop.reports import available_print_fonts

        fonts = available_print_fonts()
        current = self.print_font()
        labels = [
            font.label + ("（当前）" if font == current or (current is None and i == 0) else "")
            for i, font in enumerate(fonts)
        ]
        if len(fonts) < 2:
            self.window.prompter.info("打印字体", "本机只找到内置的文泉驿微米黑字体；安装宋体或仿宋后可在这里选用。")
            return False
        choice = self.window.prompter.choose("打印字体", "导出 PDF 时使用的字体：", labels)
        if choice is None:
            return False
        self.window.settings.setValue(PRINT_FONT_KEY, "" if choice == 0 else font_key(fonts[choice]))
        self.window.show_message(f"打印字体：{fonts[choice].label}")
        return True


def import_preview(name: str, found: ExcelImport) -> tuple[str, str]:
    """The question shown before an Excel import (forms found, money units, how many notes) and the full
    report (every form, column not recognised, row skipped and why, formula without a value) as details."""
    from desktop.models.formats.excel_import import indicator_count

    tables = found.tables
    lines = [
        f"· 工作表“{t.sheet}” → {t.form.kind.label}“{t.form.title}”，{len(t.form.indicators)} 个指标；{t.money_note}"
        for t in tables
    ]
    text = f"在 {name} 中找到 {len(tables)} 张指标表，共 {indicator_count(tables)} 个指标：\n" + "\n".join(lines[:12])
    if len(lines) > 12:
        text += f"\n……等 {len(lines)} 张"
    notes = sum(len(t.notes) for t in tables) + len(found.sheets)
    if notes:
        text += (
            f"\n\n请注意：有 {notes} 条说明（未导入的工作表、未识别的列、跳过的行、"
            "没有计算结果的公式），见“显示详细信息”。"
        )
    text += "\n\n表头、资金、目标等按表中的标注读取，请导入后核对。作为新表加入当前工作簿吗？（可撤销）"
    return text, "\n".join(found.report())
