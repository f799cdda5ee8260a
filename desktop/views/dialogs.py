"""The window's dialogs: new workbook, about, and the ``Prompter`` that asks the user (file names, yes/no).

Every question the window asks goes through a ``Prompter``, so tests can answer it without a modal
dialog; the default one uses the standard Qt dialogs (in Chinese, through Qt's zh_CN translation).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.models.scoring.rules import RuleSet, available_rulesets
from desktop.models.workbook.domain import DEFAULT_RULESET, DEFAULT_TEMPLATE, Unit, Workbook
from desktop.reports.template import PrintTemplate, available_templates

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
        path, _ = QFileDialog.getOpenFileName(self.parent, title, folder, filters)
        return path or None

    def save_path(self, title: str, suggested: str, filters: str) -> str | None:
        """A file to write, or None if cancelled (the dialog asks before replacing a file)."""
        path, _ = QFileDialog.getSaveFileName(self.parent, title, suggested, filters)
        return path or None

    def confirm(self, title: str, text: str, details: str = "") -> bool:
        """A yes/no question; True for yes. ``details`` (a long list) opens under 显示详细信息."""
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
        text, ok = QInputDialog.getItem(self.parent, title, label, choices, start, True)
        return text.strip() or None if ok else None

    def choose_many(self, title: str, label: str, options: Sequence[str]) -> list[int] | None:
        """Some of several options, ticked in a list (all at first): their positions, or None if cancelled."""
        if not options:
            return None
        dialog = ChooseManyDialog(self.parent, title, label, options)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.chosen()

    def new_workbook(self, default_unit: Unit | None = None) -> Workbook | None:
        """Ask for a new workbook's unit, year and rule set."""
        dialog = NewWorkbookDialog(self.parent, default_unit)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.workbook()

    def workbook_properties(self, current: Workbook) -> Workbook | None:
        """Ask for changed unit, year and rule set of an open workbook (None: cancelled)."""
        dialog = NewWorkbookDialog(self.parent, current=current)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.workbook()

    def show_table(self, title: str, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        """Show rows of text in a read-only, scrollable table (帮助 → 快捷键一览)."""
        TableDialog(self.parent, title, headers, rows).exec()

    def error(self, text: str) -> None:
        """Show an error message."""
        QMessageBox.warning(self.parent, APP_TITLE, text)

    def info(self, title: str, text: str) -> None:
        """Show an information message."""
        QMessageBox.information(self.parent, title, text)


class TableDialog(QDialog):
    """Rows of text in a read-only table that scrolls, with a 关闭 button."""

    def __init__(
        self, parent: QWidget | None, title: str, headers: Sequence[str], rows: Sequence[Sequence[str]]
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.table = QTableWidget(len(rows), len(headers), self)
        self.table.setHorizontalHeaderLabels(list(headers))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(value))
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        width = sum(self.table.columnWidth(c) for c in range(len(headers))) + 40
        self.table.setMinimumSize(min(width, 900), 480)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, parent=self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)


class ChooseManyDialog(QDialog):
    """A list of options with a tick box each (all ticked), 全选 / 全不选, and OK while one is ticked."""

    def __init__(self, parent: QWidget | None, title: str, label: str, options: Sequence[str]) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.list = QListWidget(self)
        for text in options:
            item = QListWidgetItem(text, self.list)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
        # Wide enough for the longest title, as far as the screen of a small laptop allows.
        self.list.setMinimumWidth(max(480, min(900, self.list.sizeHintForColumn(0) + 40)))
        self.list.itemChanged.connect(self._update_ok)
        every = QPushButton("全选", self)
        every.clicked.connect(lambda: self._tick_all(Qt.CheckState.Checked))
        none = QPushButton("全不选", self)
        none.clicked.connect(lambda: self._tick_all(Qt.CheckState.Unchecked))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, parent=self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(every)
        row.addWidget(none)
        row.addStretch(1)
        row.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(label, self))
        layout.addWidget(self.list, 1)
        layout.addLayout(row)
        self._update_ok()

    def chosen(self) -> list[int]:
        """The positions of the ticked options, in order."""
        return [n for n in range(self.list.count()) if self.list.item(n).checkState() == Qt.CheckState.Checked]

    def _tick_all(self, state: Qt.CheckState) -> None:
        for n in range(self.list.count()):
            self.list.item(n).setCheckState(state)

    def _update_ok(self, *_: object) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.chosen()))


NO_YEAR = 1999  # the year box's lowest value stands for "no year"


class NewWorkbookDialog(QDialog):
    """Asks for a new workbook's unit code and name, year, rule set and print template, or changes an
    open one's (``current``)."""

    def __init__(
        self, parent: QWidget | None = None, default_unit: Unit | None = None, current: Workbook | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("新建工作簿" if current is None else "工作簿属性")
        self.code = QLineEdit(self)
        self.code.setPlaceholderText("6位单位编码，可不填")
        self.code.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,6}"), self.code))
        self.name = QLineEdit(self)
        self.name.setPlaceholderText("例如：某某市政务服务中心")
        self.year = QSpinBox(self)
        self.year.setRange(NO_YEAR, 2100)
        self.year.setSpecialValueText("（未填）")  # shown at NO_YEAR: a published form may print no year
        self.year.setValue(datetime.date.today().year)
        self.ruleset = QComboBox(self)
        self._rulesets: list[RuleSet] = available_rulesets()
        for ruleset in self._rulesets:
            self.ruleset.addItem(ruleset.label, ruleset.name)
            self.ruleset.setItemData(self.ruleset.count() - 1, ruleset.description, Qt.ItemDataRole.ToolTipRole)
        self.description = QLabel(self)
        self.description.setWordWrap(True)
        self.description.setMinimumWidth(420)
        self.ruleset.currentIndexChanged.connect(self._show_description)
        self.template = QComboBox(self)
        self._templates: list[PrintTemplate] = available_templates()
        for template in self._templates:
            self.template.addItem(template.label, template.name)
            self.template.setItemData(self.template.count() - 1, template.description, Qt.ItemDataRole.ToolTipRole)
        self.template_description = QLabel(self)
        self.template_description.setWordWrap(True)
        self.template.currentIndexChanged.connect(self._show_description)
        if current is not None:
            default_unit = current.unit
            self.year.setValue(current.year if current.year is not None else NO_YEAR)
            found = self.ruleset.findData(current.ruleset)
            if found >= 0:
                self.ruleset.setCurrentIndex(found)
            found = self.template.findData(current.template)
            if found >= 0:
                self.template.setCurrentIndex(found)
        if default_unit is not None:
            self.code.setText(default_unit.code)
            self.name.setText(default_unit.name)
        form = QFormLayout()
        form.addRow("单位编码：", self.code)
        form.addRow("单位名称：", self.name)
        form.addRow("年度：", self.year)
        form.addRow("计分规则：", self.ruleset)
        form.addRow("", self.description)
        form.addRow("打印模板：", self.template)
        form.addRow("", self.template_description)
        if current is not None:
            note = QLabel("更换计分规则后，全部得分按新规则重新计算（可撤销）。", self)
            note.setWordWrap(True)
            form.addRow("", note)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, parent=self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.name.textChanged.connect(self._update_ok)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self._show_description()
        self._update_ok()

    def _show_description(self) -> None:
        index = self.ruleset.currentIndex()
        self.description.setText(self._rulesets[index].description if 0 <= index < len(self._rulesets) else "")
        index = self.template.currentIndex()
        texts = [t.description for t in self._templates]
        self.template_description.setText(texts[index] if 0 <= index < len(texts) else "")

    def _update_ok(self) -> None:
        button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        button.setEnabled(bool(self.name.text().strip()))
        button.setToolTip("" if self.name.text().strip() else "请填写单位名称")

    def workbook(self) -> Workbook:
        """The empty workbook described by the dialog."""
        name = self.ruleset.currentData()
        template = self.template.currentData()
        return Workbook(
            unit=Unit(code=self.code.text().strip(), name=self.name.text().strip()),
            year=None if self.year.value() == NO_YEAR else self.year.value(),
            ruleset=name if isinstance(name, str) and name else DEFAULT_RULESET,
            template=template if isinstance(template, str) and template else DEFAULT_TEMPLATE,
        )


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
