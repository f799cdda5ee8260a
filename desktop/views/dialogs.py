"""The ``Prompter`` that asks the user for the window (file names, yes/no, choices), and file-name helpers.

Every question the window asks goes through a ``Prompter``, so tests can answer it without a modal
dialog; the default one uses the standard Qt dialogs (in Chinese, through Qt's zh_CN translation) and the
window's own (``dialog_windows.py``), each imported when first shown: none is needed to start the program.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from desktop.models.workbook.domain import Unit, Workbook

APP_TITLE = "预算绩效填报"
WORKBOOK_FILTER = "绩效工作簿 (*.jxdb)"
JSON_FILTER = "JSON 交换文件 (*.json)"
PDF_FILTER = "PDF 文件 (*.pdf)"
XLSX_FILTER = "Excel 工作簿 (*.xlsx)"


class Prompter:
    """Asks the user things on behalf of the window (modal Qt dialogs)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.parent = parent

    def open_path(self, title: str, folder: str, filters: str) -> str | None:
        """A file to open, or None if cancelled."""
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(self.parent, title, folder, filters)
        return path or None

    def save_path(self, title: str, suggested: str, filters: str) -> str | None:
        """A file to write, or None if cancelled (the dialog asks before replacing a file)."""
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getSaveFileName(self.parent, title, suggested, filters)
        return path or None

    def confirm(self, title: str, text: str, details: str = "") -> bool:
        """A yes/no question; True for yes. ``details`` (a long list) opens under 显示详细信息."""
        from PySide6.QtWidgets import QMessageBox

        if not details:
            answer = QMessageBox.question(
                self.parent,
                title,
                text,
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            return answer == QMessageBox.StandardButton.Yes
        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=self.parent)
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setDetailedText(details)
        return box.exec() == QMessageBox.StandardButton.Yes

    def choose(self, title: str, label: str, options: Sequence[str]) -> int | None:
        """One of several options (its position), or None if cancelled."""
        if not options:
            return None
        from PySide6.QtWidgets import QInputDialog

        text, ok = QInputDialog.getItem(self.parent, title, label, list(options), 0, False)
        if not ok:
            return None
        return list(options).index(text) if text in options else None

    def choose_text(self, title: str, label: str, options: Sequence[str], default: str = "") -> str | None:
        """A text picked from ``options`` or typed (an editable list), or None if cancelled or left empty."""
        choices = list(options)
        if default and default not in choices:
            choices.insert(0, default)
        start = choices.index(default) if default in choices else 0
        from PySide6.QtWidgets import QInputDialog

        text, ok = QInputDialog.getItem(self.parent, title, label, choices, start, True)
        return text.strip() or None if ok else None

    def choose_many(self, title: str, label: str, options: Sequence[str]) -> list[int] | None:
        """Some of several options, ticked in a list (all at first): their positions, or None if cancelled."""
        if not options:
            return None
        from desktop.views.dialog_windows import ChooseManyDialog

        dialog = ChooseManyDialog(self.parent, title, label, options)
        if not dialog.exec():
            return None
        return dialog.chosen()

    def new_workbook(self, default_unit: Unit | None = None) -> Workbook | None:
        """Ask for a new workbook's unit, year and rule set."""
        from desktop.views.dialog_windows import NewWorkbookDialog

        dialog = NewWorkbookDialog(self.parent, default_unit)
        if not dialog.exec():
            return None
        return dialog.workbook()

    def workbook_properties(self, current: Workbook) -> Workbook | None:
        """Ask for changed unit, year and rule set of an open workbook (None: cancelled)."""
        from desktop.views.dialog_windows import NewWorkbookDialog

        dialog = NewWorkbookDialog(self.parent, current=current)
        if not dialog.exec():
            return None
        return dialog.workbook()

    def show_table(self, title: str, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        """Show rows of text in a read-only, scrollable table (帮助 → 快捷键一览)."""
        from desktop.views.dialog_windows import TableDialog

        TableDialog(self.parent, title, headers, rows).exec()

    def error(self, text: str) -> None:
        """Show an error message."""
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(self.parent, APP_TITLE, text)

    def info(self, title: str, text: str) -> None:
        """Show an information message."""
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.information(self.parent, title, text)


def about_text(version: str) -> str:
    """The text of the 关于 box."""
    return (
        f"<h3>{APP_TITLE}</h3>"
        f"<p>版本 {version}</p>"
        "<p>离线填报项目支出、部门整体支出绩效目标表与绩效自评表，自动计分并导出 PDF。</p>"
        "<p>所有修改即时保存到工作簿文件，无需手动保存；可随时撤销（Ctrl+Z）。</p>"
        "<p>界面字体：文泉驿微米黑（WenQuanYi Micro Hei，Apache-2.0）。</p>"
    )


def with_suffix(path: str, suffix: str) -> str:
    """A chosen file name with its extension (added when the user typed none)."""
    return path if path.lower().endswith(suffix) else path + suffix


def safe_name(text: str) -> str:
    """A title usable as a file name on Windows and Linux (at most 60 characters)."""
    bad = '\\/:*?"<>|\n\r\t'
    return "".join("_" if ch in bad else ch for ch in text).strip()[:60]
