"""The self-evaluation fund table (项目资金 / 预算执行情况) as a Qt table model over ``form.funds``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from desktop.models.errors import UserError
from desktop.models.scoring.engine import FormScore, ScoringEngine
from desktop.models.workbook import form_edits
from desktop.models.workbook.document import WorkbookDocument
from desktop.models.workbook.domain import DEPT_FUND_LINE_LABELS, FUND_LINE_LABELS, Form, FormKind, FundLine
from desktop.models.workbook.edits import Edit
from desktop.views.commands import EditStack
from desktop.views.form_models import FormTableModel
from desktop.views.form_numbers import format_decimal, format_rate, format_score, rate_of

PROJECT_LINES: tuple[str, ...] = ("total", "fiscal", "carryover", "other")
DEPT_LINES: tuple[str, ...] = ("total", "basic", "project")

COL_INITIAL, COL_FULL_YEAR, COL_EXECUTED, COL_WEIGHT, COL_RATE, COL_SCORE = range(6)
HEADERS: tuple[str, ...] = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
AMOUNT_FIELDS: dict[int, str] = {COL_INITIAL: "initial", COL_FULL_YEAR: "full_year", COL_EXECUTED: "executed"}
NOT_APPLICABLE = "—"
MANUAL_MARK = "✎"  # as on the indicator table's manual scores
MANUAL_COLOR = QColor("#1A56C4")
COMPUTED_BACKGROUND = QColor("#f2f2f2")

_Index = QModelIndex | QPersistentModelIndex


def standard_lines(kind: FormKind) -> tuple[str, ...]:
    """The rows a fund table of this form kind prints, in order."""
    return DEPT_LINES if kind is FormKind.DEPT_SELF_EVAL else PROJECT_LINES


def line_label(kind: FormKind, line: str) -> str:
    """The printed name of a fund line (``total`` is 部门整体支出 on department tables)."""
    labels = DEPT_FUND_LINE_LABELS if kind is FormKind.DEPT_SELF_EVAL else FUND_LINE_LABELS
    return labels.get(line, line)


class FundModel(FormTableModel[str]):
    """Rows: the form kind's standard fund lines (plus any other lines the form holds); columns ``HEADERS``.

    A standard line the form does not hold yet is shown empty and can be typed into: the
    ``FundLine`` is created with the typed amount in one undo step. Only the total row carries
    分值 (``form.exec_weight``) and 得分 (the engine's ``exec_score``; typing one sets the manual
    ``form.exec_score``, marked ✎ like the indicator table's; clearing it goes back to the suggestion).

    Signals:
        message: a Chinese message for the user (a refused number or edit).
    """

    ITEMS = "funds"

    def __init__(
        self,
        document: WorkbookDocument,
        undo_stack: EditStack,
        engine: ScoringEngine,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(document, undo_stack, parent, engine)
        self._scores = engine.score_form

    # ---- public -----------------------------------------------------------------------------

    def set_form(self, form: Form | None) -> None:
        """Show the fund table of this self-evaluation form (None, or a target form: no rows)."""
        super().set_form(form if form is not None and form.kind.is_self_eval else None)

    def line_at(self, row: int) -> str:
        """The fund line key (``total``, ``fiscal``, …) of a row."""
        return self._shown[row]

    def fund_at(self, row: int) -> FundLine | None:
        """The FundLine of a row, or None when the form does not hold that line yet."""
        return self._form.fund(self._shown[row]) if self._form is not None else None

    def is_manual_score(self) -> bool:
        """Whether the form's 得分 is a manual one."""
        return self._form is not None and self._form.exec_score is not None

    # ---- Qt model ---------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return HEADERS[section] if 0 <= section < len(HEADERS) else None
        if self._form is not None and 0 <= section < len(self._shown):
            return line_label(self._form.kind, self._shown[section])
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        column = index.column()
        if column in AMOUNT_FIELDS or (column in (COL_WEIGHT, COL_SCORE) and self._shown[index.row()] == "total"):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        form = self._form
        if form is None or not index.isValid():
            return None
        row, column = index.row(), index.column()
        line = self._shown[row]
        fund = form.fund(line)
        is_total = line == "total"
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._text(form, fund, line, column, role == Qt.ItemDataRole.EditRole)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in (COL_WEIGHT, COL_SCORE) and not is_total:
                return int(Qt.AlignmentFlag.AlignCenter)
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(form, fund, line, column)
        if role == Qt.ItemDataRole.ForegroundRole and column == COL_SCORE and is_total and self.is_manual_score():
            return QBrush(MANUAL_COLOR)
        if role == Qt.ItemDataRole.BackgroundRole and (
            column == COL_RATE or (column in (COL_WEIGHT, COL_SCORE) and not is_total)
        ):
            return QBrush(COMPUTED_BACKGROUND)
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        form = self._form
        if form is None or not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        if not self.flags(index) & Qt.ItemFlag.ItemIsEditable:
            return False
        row, column = index.row(), index.column()
        line = self._shown[row]
        text = "" if value is None else str(value)
        try:
            command = self._command_for(form, line, column, text)
        except UserError as exc:
            self.message.emit(exc.message)
            return False
        if command is None:
            return False
        return self._push(command)

    # ---- helpers ----------------------------------------------------------------------------

    def _layout(self, form: Form) -> list[str]:
        """The form kind's standard lines, then any other line the form holds."""
        lines = list(standard_lines(form.kind))
        for fund in form.funds or ():
            if fund.line not in lines:
                lines.append(fund.line)
        return lines

    def _score(self, form: Form) -> FormScore:
        return self._scores(form)

    def _weight(self, form: Form) -> Decimal:
        """The 分值 of 预算执行率: the form's own, else the rule set's (as the engine reports it)."""
        if form.exec_weight is not None:
            return form.exec_weight
        return self._score(form).exec_weight

    def _text(self, form: Form, fund: FundLine | None, line: str, column: int, edit: bool) -> str:
        if column in AMOUNT_FIELDS:
            return format_decimal(getattr(fund, AMOUNT_FIELDS[column])) if fund is not None else ""
        if line != "total" and column in (COL_WEIGHT, COL_SCORE):
            return "" if edit else NOT_APPLICABLE
        if column == COL_WEIGHT:
            return format_score(self._weight(form))
        if column == COL_RATE:
            if line == "total":
                return format_rate(self._score(form).exec_rate)
            return format_rate(rate_of(fund.executed, fund.full_year)) if fund is not None else ""
        # COL_SCORE on the total row
        if edit:
            return format_score(form.exec_score) if form.exec_score is not None else ""
        score = self._score(form).exec_score
        text = format_score(score)
        return f"{MANUAL_MARK} {text}" if form.exec_score is not None and text else text

    def _tooltip(self, form: Form, fund: FundLine | None, line: str, column: int) -> str | None:
        if column == COL_RATE:
            return "执行率 = 全年执行数 ÷ 全年预算数"
        if line == "total" and column == COL_WEIGHT:
            return "预算执行率的分值（不填时用规则集的默认分值）"
        if line == "total" and column == COL_SCORE:
            result = self._score(form)
            suggested = format_score(result.exec_suggested) or "无"
            explain = f"\n{result.exec_explain}" if result.exec_explain else ""
            if form.exec_score is not None:
                return f"✎ 手动得分；建议得分：{suggested}。按 Delete 清空此格即恢复建议得分。{explain}"
            return f"建议得分 = 执行率 × 分值，不超过分值：{suggested}。可直接输入其他得分。{explain}"
        if fund is None and column in AMOUNT_FIELDS:
            return "此行尚未填写，直接输入金额即可添加。"
        return None

    def _command_for(self, form: Form, line: str, column: int, text: str) -> Edit | None:
        """The edit that typing ``text`` into a cell means (None: a cell that takes no input)."""
        if column in AMOUNT_FIELDS:
            label = f"{line_label(form.kind, line)}的{HEADERS[column]}"
            return form_edits.fund_amount(form, line, AMOUNT_FIELDS[column], text, label, self._shown)
        if column == COL_WEIGHT:
            return form_edits.exec_weight(form, text)
        if column == COL_SCORE:
            return form_edits.exec_score(form, text, self._weight(form))
        return None
