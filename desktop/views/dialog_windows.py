"""The window's own dialogs: a table of text (快捷键一览), ticking several options, and new workbook / properties.

``dialogs.Prompter`` shows them; they live here so that starting the program does not import them (nor the
print templates and rule sets they list) before one is opened.
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
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
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


def _add_choices(combo: QComboBox, choices: Sequence[RuleSet | PrintTemplate]) -> None:
    """One item per rule set or print template: its label shown, its name as data, its description as tooltip."""
    for choice in choices:
        combo.addItem(choice.label, choice.name)
        combo.setItemData(combo.count() - 1, choice.description, Qt.ItemDataRole.ToolTipRole)


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
        _add_choices(self.ruleset, self._rulesets)
        self.description = QLabel(self)
        self.description.setWordWrap(True)
        self.description.setMinimumWidth(420)
        self.ruleset.currentIndexChanged.connect(self._show_description)
        self.template = QComboBox(self)
        self._templates: list[PrintTemplate] = available_templates()
        _add_choices(self.template, self._templates)
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
