"""The 汇总下级单位 overview as a Qt tree model (units, each expandable to its forms) and its sort/filter proxy.

A thin view of ``models.consolidation``: every figure comes from the ``Consolidation`` it shows;
sorting uses the raw values (``sort_key``), so 执行率 and scores sort as numbers, not text.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor

from desktop.models.consolidation.review import ReviewBook
from desktop.models.consolidation.rows import STATUS_LABELS, UnitRow
from desktop.models.consolidation.run import Consolidation, rate_percent
from desktop.models.consolidation.summary import FormSummary
from desktop.models.consolidation.totals import form_review_score
from desktop.models.workbook.domain import FormKind

COLUMNS = (
    "状态",
    "单位代码",
    "单位名称 / 表",
    "文件",
    "年度",
    "评分规则",
    "目标表",
    "自评表",
    "预算数（万元）",
    "执行数（万元）",
    "执行率",
    "自评分",
    "复核分",
    "等级",
    "待评",
    "错误",
    "警告",
    "问题",
)
COL_STATUS, COL_CODE, COL_NAME, COL_FILE = 0, 1, 2, 3
COL_SCORE, COL_REVIEW, COL_PROBLEMS = 11, 12, 17
NUMERIC = {6, 7, 8, 9, 10, 11, 12, 14, 15, 16}
KIND_SHORT = {
    FormKind.PROJECT_TARGET: "项目目标表",
    FormKind.DEPT_TARGET: "整体目标表",
    FormKind.PROJECT_SELF_EVAL: "项目自评表",
    FormKind.DEPT_SELF_EVAL: "整体自评表",
}
_PROBLEM = QColor("#a61b1b")
_MUTED = QColor("#777777")
_Index = QModelIndex | QPersistentModelIndex

FILTERS = ("全部单位", "有问题的", "无法读取", "未报送", "重复", "年度或规则不同", "缺自评表", "有待评行", "有复核")


def _money(value: Decimal | None) -> str:
    return "" if value is None else f"{value.quantize(Decimal('0.01')):,}"


def _score(value: Decimal | None) -> str:
    return "" if value is None else str(value.quantize(Decimal("0.01")))


class OverviewModel(QAbstractItemModel):
    """Units (top level) and their forms (children) of a consolidation."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.result: Consolidation | None = None
        self.book: ReviewBook | None = None
        self._rows: list[UnitRow] = []

    def set_result(self, result: Consolidation | None, book: ReviewBook | None) -> None:
        """Show a new consolidation."""
        self.beginResetModel()
        self.result, self.book = result, book
        self._rows = list(result.rows) if result is not None else []
        self.endResetModel()

    def refresh(self) -> None:
        """Repaint every figure (after a review changed them)."""
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(COLUMNS) - 1))
            for n in range(len(self._rows)):
                parent = self.index(n, 0)
                count = self.rowCount(parent)
                if count:
                    self.dataChanged.emit(self.index(0, 0, parent), self.index(count - 1, len(COLUMNS) - 1, parent))

    # ---- structure ----------------------------------------------------------------------------

    def unit_at(self, index: _Index) -> UnitRow | None:
        """The unit of a row (a form row gives its unit)."""
        if not index.isValid():
            return None
        parent = index.internalId()
        row = index.row() if parent == 0 else parent - 1
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def form_at(self, index: _Index) -> FormSummary | None:
        """The form of a form row (None on a unit row)."""
        if not index.isValid() or index.internalId() == 0:
            return None
        unit = self.unit_at(index)
        if unit is None or unit.summary is None:
            return None
        return unit.summary.forms[index.row()]

    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        """Unit rows carry id 0; form rows their unit's position + 1."""
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        return self.createIndex(row, column, 0 if not parent.isValid() else parent.row() + 1)

    def parent(self, index: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        """A form row's parent is its unit row."""
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """Units at the top, forms under a unit."""
        if not parent.isValid():
            return len(self._rows)
        if parent.internalId() != 0 or parent.column() != 0:
            return 0
        summary = self._rows[parent.row()].summary
        return len(summary.forms) if summary is not None else 0

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """Every row has all the columns."""
        return len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Column titles."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    # ---- data ---------------------------------------------------------------------------------

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Text, sort values, colours and tooltips of a cell."""
        unit = self.unit_at(index)
        if unit is None:
            return None
        form = self.form_at(index)
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            value = self._form_cell(unit, form, column) if form is not None else self._unit_cell(unit, column)
            return value[0]
        if role == Qt.ItemDataRole.TextAlignmentRole and column in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            if form is None and unit.status != "ok":
                return QBrush(_PROBLEM)
            if form is None and column == COL_PROBLEMS and unit.issues:
                return QBrush(_PROBLEM)
            if form is not None and column == COL_PROBLEMS and form.errors:
                return QBrush(_PROBLEM)
            if form is not None and not form.kind.is_self_eval:
                return QBrush(_MUTED)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(unit, form)
        return None

    def sort_key(self, index: _Index) -> tuple[bool, Any]:
        """What a cell sorts by: its raw value (numbers as Decimal), empty cells first."""
        unit = self.unit_at(index)
        if unit is None:
            return (False, "")
        form = self.form_at(index)
        value = (
            self._form_cell(unit, form, index.column()) if form is not None else self._unit_cell(unit, index.column())
        )
        return (value[1] is not None and value[1] != "", value[1] if value[1] is not None else "")

    def _issues_text(self, unit: UnitRow, form: FormSummary | None) -> str:
        if form is None:
            lines = [issue.text for issue in unit.issues if issue.severity != "info"]
            if unit.summary is not None and (unit.summary.errors or unit.summary.warnings):
                lines.append(f"审核：{unit.summary.errors} 个错误，{unit.summary.warnings} 个警告")
            return "；".join(lines)
        lines = [issue.text for issue in unit.issues if issue.form == form.index]
        lines += [finding.text for finding in form.findings if finding.severity == "error"][:3]
        if not lines and form.findings:
            lines.append(form.findings[0].text)
        return "；".join(lines)

    def _tooltip(self, unit: UnitRow, form: FormSummary | None) -> str:
        if form is not None:
            return "\n".join(f.text for f in form.findings[:20]) or form.title
        lines = [issue.text for issue in unit.issues]
        if unit.file is not None:
            lines.append(str(unit.file.path))
        return "\n".join(lines)

    def _unit_cell(self, unit: UnitRow, column: int) -> tuple[str, Any]:
        figures = unit.figures
        targets = unit.count(FormKind.PROJECT_TARGET) + unit.count(FormKind.DEPT_TARGET)
        evals = unit.count(FormKind.PROJECT_SELF_EVAL) + unit.count(FormKind.DEPT_SELF_EVAL)
        rate = figures.rate if figures is not None else None
        values: dict[int, tuple[str, Any]] = {
            0: (STATUS_LABELS[unit.status], unit.status),
            1: (unit.code, unit.code),
            2: (unit.name, unit.name),
            3: (unit.path_name, unit.path_name),
            4: (str(unit.year or ""), unit.year or 0),
            5: (unit.ruleset, unit.ruleset),
            6: (str(targets) if unit.summary else "", targets),
            7: (str(evals) if unit.summary else "", evals),
            8: (_money(figures.budget) if figures else "", _num(figures.budget if figures else None)),
            9: (_money(figures.executed) if figures else "", _num(figures.executed if figures else None)),
            10: (rate_percent(rate), _num(rate)),
            11: (_score(figures.score) if figures else "", _num(figures.score if figures else None)),
            12: (_score(figures.review) if figures else "", _num(figures.review if figures else None)),
            13: ((figures.grade or "") if figures else "", (figures.grade or "") if figures else ""),
            14: (str(unit.summary.unscored) if unit.summary else "", unit.summary.unscored if unit.summary else 0),
            15: (str(unit.errors), unit.errors),
            16: (str(unit.warnings), unit.warnings),
        }
        text = self._issues_text(unit, None)
        values[17] = (text, text)
        return values[column]

    def _form_cell(self, unit: UnitRow, form: FormSummary, column: int) -> tuple[str, Any]:
        review = form_review_score(form, self.book, unit.key)
        values: dict[int, tuple[str, Any]] = {
            0: (KIND_SHORT[form.kind], form.kind.value),
            1: (form.code or "", form.code or ""),
            2: (f"{form.index + 1}. {form.title}", form.index),
            8: (_money(form.budget), _num(form.budget)),
            9: (_money(form.executed), _num(form.executed)),
            10: (rate_percent(form.rate), _num(form.rate)),
            11: (_score(form.total), _num(form.total)),
            12: (_score(review), _num(review)),
            13: (form.grade or "", form.grade or ""),
            14: (str(form.unscored) if form.kind.is_self_eval else "", form.unscored),
            15: (str(form.errors), form.errors),
            16: (str(form.warnings), form.warnings),
        }
        text = self._issues_text(unit, form)
        values[17] = (text, text)
        return values.get(column, ("", ""))


def _num(value: Decimal | None) -> Decimal | None:
    return value


def _matches(unit: UnitRow, choice: int) -> bool:
    codes = {issue.code for issue in unit.issues}
    tests = {
        0: True,
        1: unit.status != "ok" or bool(unit.errors or any(i.severity != "info" for i in unit.issues)),
        2: unit.status == "error",
        3: unit.status == "absent",
        4: "duplicate" in codes,
        5: bool(codes & {"mixed_year", "mixed_ruleset"}),
        6: "missing_self_eval" in codes,
        7: bool(unit.summary and unit.summary.unscored),
        8: unit.figures is not None and unit.figures.review is not None,
    }
    return tests[choice]


class OverviewFilter(QSortFilterProxyModel):
    """Filters units by a text (code, name or file) and a problem kind; forms follow their unit."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.text = ""
        self.choice = 0

    def set_filter(self, text: str, choice: int) -> None:
        """Show only units matching ``text`` and filter ``choice`` (a position in ``FILTERS``)."""
        begin = getattr(self, "beginFilterChange", None)  # Qt 6.9+
        if begin is not None:
            begin()
        self.text, self.choice = text.strip().lower(), choice
        end = getattr(self, "endFilterChange", None)  # Qt 6.10+; 信创 builds run PySide6 6.9
        if end is not None:
            end(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateRowsFilter()

    def lessThan(self, left: _Index, right: _Index) -> bool:
        """Compare raw values (Decimal, int, text), never their display text."""
        model = self.sourceModel()
        assert isinstance(model, OverviewModel)
        a, b = model.sort_key(left), model.sort_key(right)
        try:
            return bool(a < b)
        except TypeError:  # pragma: no cover - a column mixes kinds of value
            return str(a) < str(b)

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        """Top-level units are filtered; a form is shown whenever its unit is."""
        if source_parent.isValid():
            return True
        model = self.sourceModel()
        assert isinstance(model, OverviewModel)
        unit = model.unit_at(model.index(source_row, 0))
        if unit is None:
            return False
        if self.text and not any(self.text in value.lower() for value in (unit.code, unit.name, unit.path_name)):
            return False
        return _matches(unit, self.choice)
