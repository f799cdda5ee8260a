"""What the form pane shows when no form is selected: in an empty workbook, the ways forward as buttons."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.models.workbook.domain import FormKind

# What each kind of form is for, said to someone who has never filled one in.
KIND_HINTS: dict[FormKind, str] = {
    FormKind.PROJECT_TARGET: "年初为一个预算项目设定绩效目标和指标",
    FormKind.PROJECT_SELF_EVAL: "年末对一个项目的目标完成情况自评打分",
    FormKind.DEPT_TARGET: "年初为本部门（单位）整体设定绩效目标",
    FormKind.DEPT_SELF_EVAL: "年末对部门整体支出绩效自评打分",
}


class EmptyGuide(QWidget):
    """「请在左侧选择一张表」, or, when the workbook has no form yet, what to do next.

    Signals:
        requested(str): a button was pressed: ``new_form:<kind>``, ``copy_forms`` or ``import_xlsx``
            (the window's action of that name).
    """

    requested = Signal(str)

    def __init__(self, has_forms: Callable[[], bool], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._has_forms = has_forms
        self._hint = QLabel("请在左侧选择一张表。")
        self._hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._guide = QWidget()
        self._guide.setObjectName("emptyGuide")
        layout = QVBoxLayout(self._guide)
        title = QLabel("这个工作簿还没有表。从这里开始：")
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(8)
        self.buttons: dict[str, QPushButton] = {}
        row = 0
        for kind in FormKind:
            self._add(grid, row, f"new_form:{kind.value}", f"新建{kind.label}", KIND_HINTS[kind])
            row += 1
        self._add(grid, row, "copy_forms", "从其他工作簿复制表…", "例如把上年度的目标表复制过来再修改")
        self._add(grid, row + 1, "import_xlsx", "从 Excel 导入指标表…", "导入 Excel / WPS 中已填好的指标表")
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)
        layout.addWidget(QLabel("以后也可在工具栏的“新建表”或左侧右键菜单中添加表。"))
        layout.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 24, 24, 24)
        outer.addWidget(self._hint, 1)
        outer.addWidget(self._guide, 1)
        self.refresh()

    def _add(self, grid: QGridLayout, row: int, name: str, text: str, hint: str) -> None:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setMinimumWidth(220)
        button.clicked.connect(lambda: self.requested.emit(name))
        label = QLabel(hint)
        label.setWordWrap(True)
        grid.addWidget(button, row, 0)
        grid.addWidget(label, row, 1)
        self.buttons[name] = button

    def refresh(self) -> None:
        """Show the guide when the workbook has no form, else the plain hint."""
        empty = not self._has_forms()
        self._guide.setVisible(empty)
        self._hint.setVisible(not empty)

    def guiding(self) -> bool:
        """Whether the guide (not the plain hint) is shown."""
        return not self._guide.isHidden()

    def showEvent(self, event: QShowEvent) -> None:
        self.refresh()
        super().showEvent(event)
