"""The problems panel: validation findings in a table; double-click (or Enter) goes to what one is about."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.models.workbook.domain import Form, Workbook
from desktop.views.tree_model import mark_icon

if TYPE_CHECKING:  # 审核 runs after the first form has painted: its module is imported then
    from desktop.models.scoring.validation import Finding

ModelIndex = QModelIndex | QPersistentModelIndex

FIELD_LABELS: dict[str, str] = {
    "level1": "一级指标",
    "level2": "二级指标",
    "name": "三级指标",
    "description": "绩效指标描述",
    "target": "指标值",
    "basis": "指标值确定依据",
    "actual": "实际完成值",
    "weight": "分值",
    "score": "得分",
    "deviation": "偏差原因分析及改进措施",
    "band": "完成档次",
    "goal": "绩效目标",
    "title": "项目名称",
    "code": "项目编码",
    "department": "主管部门",
    "unit": "实施单位",
    "purpose": "资金用途",
    "budget": "预算数",
    "funds": "资金",
    "exec_weight": "预算执行率分值",
    "exec_score": "预算执行率得分",
    "spending_plan": "资金支出计划",
    "overall_target": "总体目标",
    "overall_actual": "实际完成情况",
    "goals": "绩效目标",
    "indicators": "绩效指标",
    "conclusion": "自评结论",
    "notes": "说明",
    "signoff": "签署",
}

# Which tab of the form pane shows a form-level field.
_FIELD_TABS: dict[str, str] = {
    "budget": "funds",
    "funds": "funds",
    "exec_weight": "funds",
    "exec_score": "funds",
    "spending_plan": "funds",
    "purpose": "funds",
    "overall_target": "goals",
    "overall_actual": "goals",
    "goals": "goals",
    "conclusion": "sign",
    "notes": "sign",
    "signoff": "sign",
}


def tab_for(finding: Finding) -> str:
    """The form pane tab that shows what a finding is about."""
    if finding.indicator_index is not None:
        return "indicators"
    if finding.goal_no is not None:
        return "goals"
    field = (finding.field or "").split(".")[0]
    if field == "deviation":
        return "funds"
    return _FIELD_TABS.get(field, "indicators")


def form_of(workbook: Workbook, finding: Finding) -> Form | None:
    """The form a finding is about (None for a workbook-level finding)."""
    if finding.form_index is None or not 0 <= finding.form_index < len(workbook.forms):
        return None
    return workbook.forms[finding.form_index]


def location_text(workbook: Workbook, finding: Finding) -> str:
    """Where a finding is: 第N行 and the indicator's name, the goal, or the field."""
    form = form_of(workbook, finding)
    parts: list[str] = []
    if finding.goal_no is not None:
        parts.append(f"绩效目标{finding.goal_no}")
    if form is not None and finding.indicator_index is not None and 0 <= finding.indicator_index < len(form.indicators):
        indicator = form.indicators[finding.indicator_index]
        parts.append(f"第{finding.indicator_index + 1}行 {indicator.name}".strip())
    field = (finding.field or "").split(".")[0]
    if field and field in FIELD_LABELS and (finding.indicator_index is None or field not in ("goal", "indicators")):
        parts.append(FIELD_LABELS[field])
    return " · ".join(parts)


class FindingsModel(QAbstractTableModel):
    """Findings as rows: 级别 | 表 | 位置 | 问题."""

    HEADERS = ("级别", "表", "位置", "问题")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._workbook: Workbook | None = None
        self._findings: list[Finding] = []
        self._rows: list[tuple[str, str, str, str]] = []
        self._all: list[Finding] = []
        self._only_form: int | None = None  # show only this form's findings (None: all)
        self._sort: tuple[int, Qt.SortOrder] | None = None

    def set_only_form(self, form_index: int | None) -> None:
        """Limit the rows to one form's findings (None: every form)."""
        if form_index != self._only_form:
            self._only_form = form_index
            self.set_findings(self._workbook, self._all)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column (the header was clicked); -1 keeps the order 审核 found them in."""
        self._sort = (column, order) if 0 <= column < len(self.HEADERS) else None
        self.set_findings(self._workbook, self._all, force=True)

    def set_findings(self, workbook: Workbook | None, findings: Sequence[Finding], force: bool = False) -> None:
        """Show these findings (of this workbook)."""
        self._all = list(findings)
        if self._only_form is not None:
            findings = [f for f in findings if f.form_index == self._only_form]
        rows = []
        for finding in findings:
            form = form_of(workbook, finding) if workbook is not None else None
            rows.append(
                (
                    "错误" if finding.severity == "error" else "提示",
                    f"{form.title}（{form.kind.label}）" if form is not None else "工作簿",
                    location_text(workbook, finding) if workbook is not None else "",
                    finding.message,
                )
            )
        if self._sort is not None:
            column, order = self._sort
            pairs = sorted(
                zip(rows, findings, strict=True),
                key=lambda pair: pair[0][column],
                reverse=order == Qt.SortOrder.DescendingOrder,
            )
            rows, findings = [r for r, _ in pairs], [f for _, f in pairs]
        if force:
            self._rows = []
        if workbook is self._workbook and rows == self._rows:
            self._findings = list(findings)
            return
        self.beginResetModel()
        self._workbook = workbook
        self._findings = list(findings)
        self._rows = rows
        self.endResetModel()

    def finding(self, row: int) -> Finding:
        """The finding shown in a row."""
        return self._findings[row]

    def findings(self) -> list[Finding]:
        """Every finding shown."""
        return list(self._findings)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section] if 0 <= section < len(self.HEADERS) else None
        return str(section + 1)

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.ToolTipRole:
            members = self._findings[index.row()].members
            if members:  # a grouped finding lists the rows it stands for
                shown = [m.where.split(" ", 1)[-1] for m in members[:30]]
                more = f"\n……共 {len(members)} 行" if len(members) > 30 else ""
                return f"{row[3]}：\n" + "\n".join(shown) + more
            return row[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row[index.column()]
        if role == Qt.ItemDataRole.DecorationRole and index.column() == 0:
            return mark_icon(self._findings[index.row()].severity == "error")
        return None


class _FindingsView(QTableView):
    """The table; Enter on a row acts like a double-click."""

    enterPressed = Signal(QModelIndex)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.enterPressed.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


class ProblemsPanel(QWidget):
    """The findings of the open workbook; emits ``findingActivated`` on double-click / Enter."""

    findingActivated = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = FindingsModel(self)
        self._count = QLabel(self)
        self.view = _FindingsView(self)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 8)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.resizeSection(1, 200)
        header.resizeSection(2, 240)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.setSortingEnabled(True)
        self.only_current = QCheckBox("只看当前表")
        self.only_current.setToolTip("只列出左侧选中的表的问题")
        self.only_current.toggled.connect(lambda _on: self._apply_filter())
        self._current_form: int | None = None
        self.view.doubleClicked.connect(self._activate)
        self.view.enterPressed.connect(self._activate)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(2)
        top = QHBoxLayout()
        top.addWidget(self._count, 1)
        top.addWidget(self.only_current)
        layout.addLayout(top)
        layout.addWidget(self.view)
        self.set_findings(None, [])

    def sizeHint(self) -> QSize:
        return QSize(800, 150)

    def set_findings(self, workbook: Workbook | None, findings: Sequence[Finding]) -> None:
        """Show the findings of a workbook."""
        self.model.set_findings(workbook, findings)
        errors = sum(1 for finding in findings if finding.severity == "error")
        warnings = len(findings) - errors
        self._count.setText("未发现问题" if not findings else f"共 {errors} 个错误，{warnings} 个提示（双击转到）")

    def set_current_form(self, form_index: int | None) -> None:
        """The form selected on the left (used when 只看当前表 is ticked)."""
        self._current_form = form_index
        self._apply_filter()

    def _apply_filter(self) -> None:
        self.model.set_only_form(self._current_form if self.only_current.isChecked() else None)

    def count_text(self) -> str:
        """The count line shown above the table."""
        return self._count.text()

    def _activate(self, index: QModelIndex) -> None:
        if index.isValid():
            self.findingActivated.emit(self.model.finding(index.row()))
