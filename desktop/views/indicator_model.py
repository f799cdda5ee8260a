"""The indicator table model: one form's indicators in the printed form's columns, edited through undo commands."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import compress, count
from operator import is_not
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from desktop.models.errors import UserError
from desktop.models.scoring.engine import (
    FLAG_MANUAL_DIFFERS,
    FLAG_MANUAL_NO_REASON,
    FLAG_MANUAL_OUT_OF_BAND,
    FLAG_NEEDS_REASON,
    FLAG_OVER_TARGET,
    FLAG_TEXTS,
    FLAG_UNIT_MISMATCH,
    FLAG_UNREADABLE,
    FormScore,
    IndicatorScore,
    ScoringEngine,
)
from desktop.models.scoring.guidance import block_notes, entry_notes
from desktop.models.workbook import numbers, table_edits
from desktop.models.workbook.cells import SCORE_KEY, Column, Kind, cell_text, columns_for
from desktop.models.workbook.document import Change, WorkbookDocument
from desktop.models.workbook.domain import Form, Indicator
from desktop.views.commands import EditStack
from desktop.views.form_models import FormTableModel

ModelIndex = QModelIndex | QPersistentModelIndex
ScoreFunction = Callable[[Form], FormScore]

# The default width in pixels of each column, by (field, title).
COLUMN_WIDTHS: dict[tuple[str, str], int] = {
    ("goal", "目标"): 44,
    ("level1", "一级指标"): 84,
    ("level2", "二级指标"): 128,
    ("name", "三级指标"): 190,
    ("description", "绩效指标描述"): 220,
    ("target", "指标值"): 110,
    ("basis", "指标值确定依据"): 104,
    ("target", "年度指标值"): 110,
    ("actual", "实际完成值"): 110,
    ("weight", "分值"): 52,
    ("score", "得分"): 84,
    ("band", "完成情况"): 120,
    ("deviation", "偏差原因分析及改进措施"): 220,
}
# Columns whose equal consecutive values are drawn as one merged cell, outermost first.
SPANNED_KEYS: tuple[str, ...] = ("goal", "level1", "level2")


def column_width(column: Column) -> int:
    """The default width of a column in pixels (at 100% zoom)."""
    return COLUMN_WIDTHS.get((column.key, column.title), 100)


# Flags that ask the user to act (a stronger tint); the rest only inform.
_WARNING_FLAGS = frozenset({FLAG_MANUAL_OUT_OF_BAND, FLAG_MANUAL_NO_REASON, FLAG_NEEDS_REASON, FLAG_UNIT_MISMATCH})
_REASON_FLAGS = frozenset({FLAG_MANUAL_NO_REASON, FLAG_NEEDS_REASON, FLAG_OVER_TARGET})
WARNING_TINT = QColor("#FFD8A8")
INFO_TINT = QColor("#FFF4BF")
MANUAL_COLOR = QColor("#1A56C4")
MANUAL_MARK = "✎"

# Roles and flags as plain ints / prebuilt values: data() and flags() run for every cell painted.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_EDIT = int(Qt.ItemDataRole.EditRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_HINT_ROLES = (_TOOLTIP, _BACKGROUND, _FOREGROUND)  # what a verdict changes in the 完成情况 / 偏差原因 cells
_USED_ROLES = frozenset({_DISPLAY, _EDIT, _TOOLTIP, _ALIGN, _BACKGROUND, _FOREGROUND, _FONT})
_TEXT_ROLES = frozenset({_DISPLAY, _EDIT})
_FLAGS_READ = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_FLAGS_EDIT = _FLAGS_READ | Qt.ItemFlag.ItemIsEditable
_CENTER = Qt.AlignmentFlag.AlignCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_GREY = QBrush(QColor("#8A8A8A"))
_WARNING_BRUSH = QBrush(WARNING_TINT)
_INFO_BRUSH = QBrush(INFO_TINT)
_MANUAL_BRUSH = QBrush(MANUAL_COLOR)


class IndicatorModel(FormTableModel[Indicator]):
    """One form's ``indicators`` as a table in the printed form's columns.

    The model keeps its own copy of the row list (``_shown``) so that it can tell views about
    inserted, removed and moved rows after the document has changed (Qt wants to hear before). It
    never changes the domain objects itself: ``setData`` pushes a ``table_edits`` action, and the rows
    and cells change when the engine passes the document's change on (``engine.follow``, through ``FormTableModel``).

    Signals:
        message: a Chinese message for the user (a refused value or edit).
        spansChanged: the merged 一级 / 二级 (/ 目标) cells moved; call ``spans()`` again.
    """

    spansChanged = Signal()
    notes = Signal(list)  # [(severity, text)] about a value just accepted (guidance.entry_notes)

    ITEMS = "indicators"

    def __init__(
        self,
        document: WorkbookDocument,
        undo_stack: EditStack,
        engine: ScoringEngine,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(document, undo_stack, parent, engine)
        self._scores: ScoreFunction = engine.score_form
        self._rules = engine
        self._columns: tuple[Column, ...] = ()
        self._scored = False  # the form shown is a self-evaluation (has scores)
        self._score_cache: dict[int, IndicatorScore] | None = None
        self._previous_scores: dict[int, IndicatorScore] | None = None
        self._spans: dict[tuple[int, int], int] = {}
        self._typed_over: tuple[int, int, str] | None = None  # (row, column, text before) during setData
        self._rows: dict[int, int] | None = None  # id(indicator) → row, until the rows change
        self._bold = QFont()
        self._bold.setBold(True)

    # ---- the form ---------------------------------------------------------------------------

    def set_form(self, form: Form | None) -> None:
        """Show this form's indicators (or nothing)."""
        self.beginResetModel()
        self._form = form
        self._columns = columns_for(form)
        self._scored = form is not None and form.kind.is_self_eval
        self._shown = self._layout(form) if form is not None else []
        self._rows = None
        self._score_cache = None
        self.endResetModel()
        self._recompute_spans(force=True)

    def _layout(self, form: Form) -> list[Indicator]:
        return list(form.indicators)

    def columns(self) -> tuple[Column, ...]:
        """The columns shown, in order."""
        return self._columns

    def column_index(self, key: str) -> int | None:
        """The position of the column showing this Indicator field, if shown."""
        for i, column in enumerate(self._columns):
            if column.key == key:
                return i
        return None

    def indicator(self, row: int) -> Indicator:
        """The indicator shown in this row."""
        return self._shown[row]

    def row_of(self, indicator: object) -> int | None:
        """The row showing this indicator, if it is in the form shown."""
        rows = self._rows
        if rows is None:
            rows = self._rows = {id(item): row for row, item in enumerate(self._shown)}
        row = rows.get(id(indicator))
        if row is not None and row < len(self._shown) and self._shown[row] is indicator:
            return row
        if row is not None:  # out of step (rows moved without telling): look again
            self._rows = None
            return next((r for r, item in enumerate(self._shown) if item is indicator), None)
        return None

    def is_self_eval(self) -> bool:
        """Whether the form shown is a scored self-evaluation."""
        return self._form is not None and self._form.kind.is_self_eval

    # ---- scores -----------------------------------------------------------------------------

    def score_of(self, indicator: Indicator) -> IndicatorScore | None:
        """The engine's verdict on one indicator of the form shown (None for target forms)."""
        if not self._scored or self._form is None:
            return None
        if self._score_cache is None:
            result = self._scores(self._form)
            self._score_cache = {
                id(item): verdict for item, verdict in zip(self._form.indicators, result.indicators, strict=False)
            }
        return self._score_cache.get(id(indicator))

    def band_matters(self, row: int) -> bool:
        """Whether the completion band can be chosen in this row (a qualitative indicator, or one already set)."""
        indicator = self._shown[row]
        if indicator.band is not None:
            return True
        verdict = self.score_of(indicator)
        return verdict is not None and (verdict.band is not None or FLAG_UNREADABLE in verdict.flags)

    # ---- spans ------------------------------------------------------------------------------

    def spans(self) -> dict[tuple[int, int], int]:
        """The merged cells: ``(row, column)`` of each top cell → how many rows it covers (≥ 2)."""
        return dict(self._spans)

    def span(self, index: ModelIndex) -> QSize:
        """Qt's span of a cell: (1 column, n rows) for the top cell of a merged run."""
        if not index.isValid():
            return QSize(1, 1)
        return QSize(1, self._spans.get((index.row(), index.column()), 1))

    def run_rows(self, row: int, column: int) -> range:
        """The rows a cell stands for: its merged run if it is the top of one, else its own row."""
        return range(row, row + self._spans.get((row, column), 1))

    def _compute_spans(self) -> dict[tuple[int, int], int]:
        spans: dict[tuple[int, int], int] = {}
        keys = [key for key in SPANNED_KEYS if self.column_index(key) is not None]
        for depth, key in enumerate(keys):
            column = self.column_index(key)
            assert column is not None
            outer = keys[: depth + 1]
            start = 0
            rows = self._shown
            for row in range(1, len(rows) + 1):
                if row < len(rows) and all(getattr(rows[row], k) == getattr(rows[start], k) for k in outer):
                    continue
                value = getattr(rows[start], key)
                if row - start > 1 and value not in (None, ""):
                    spans[(start, column)] = row - start
                start = row
        return spans

    def _recompute_spans(self, force: bool = False) -> None:
        spans = self._compute_spans()
        if force or spans != self._spans:
            self._spans = spans
            self.spansChanged.emit()

    # ---- Qt model ---------------------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < len(self._columns):
                return None
            column = self._columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return column.title
            if role == Qt.ItemDataRole.ToolTipRole:
                return column.tip
            return None
        if role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self._shown):
            return str(section + 1)
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self._document.read_only:
            return _FLAGS_READ
        if self._columns[index.column()].kind == Kind.BAND and not self.band_matters(index.row()):
            return _FLAGS_READ
        return _FLAGS_EDIT

    def data(self, index: ModelIndex, role: int = _DISPLAY) -> Any:
        if role not in _USED_ROLES or not index.isValid():
            return None
        row = index.row()
        if not 0 <= row < len(self._shown):
            return None
        indicator = self._shown[row]
        column = self._columns[index.column()]
        if column.key == SCORE_KEY:
            return self._score_data(indicator, role)
        if column.kind == Kind.BAND and indicator.band is None:
            return self._implied_band_data(indicator, row, role)
        if role in _TEXT_ROLES:
            if column.kind == Kind.GOAL and role == _DISPLAY and indicator.goal is not None:
                return f"目标{indicator.goal}"
            return cell_text(indicator, column.key)
        if role == _ALIGN:
            return _CENTER if column.kind in (Kind.NUMBER, Kind.GOAL) else _LEFT
        if role == _TOOLTIP:
            return self._tooltip(indicator, column, row)
        if role == _BACKGROUND and column.key == "deviation" and not indicator.deviation:
            verdict = self.score_of(indicator)
            if verdict is not None and not _REASON_FLAGS.isdisjoint(verdict.flags):
                return _WARNING_BRUSH
        return None

    def _implied_band_data(self, indicator: Indicator, row: int, role: int) -> Any:
        """The 完成情况 cell of a row whose band was not chosen: the band the engine implies, in grey."""
        verdict = self.score_of(indicator)
        implied = verdict.band if verdict is not None else None
        if role == _DISPLAY:
            return implied.label if implied is not None else ""
        if role == _EDIT:
            return ""
        if role == _ALIGN:
            return _LEFT
        if role == _FOREGROUND and (implied is not None or not self.band_matters(row)):
            return _GREY
        if role == _TOOLTIP:
            if implied is not None:
                return f"未选择，按实际完成值视为“{implied.label}”；可另选完成情况"
            if self.band_matters(row):
                return "定性指标：请选择完成情况（达成 / 部分达成并具有一定效果 / 未达成且效果较差）"
            return "定量指标按实际完成值自动计分，无需选择完成情况"
        if role == _BACKGROUND and verdict is not None and FLAG_UNREADABLE in verdict.flags:
            return _INFO_BRUSH
        return None

    def _tooltip(self, indicator: Indicator, column: Column, row: int) -> str | None:
        if column.key == "deviation" and not indicator.deviation:
            verdict = self.score_of(indicator)
            reasons = [FLAG_TEXTS[f] for f in verdict.flags if f in _REASON_FLAGS] if verdict else []
            if reasons:
                return "\n".join(reasons)
        text = cell_text(indicator, column.key)
        return text if len(text) > 12 else None

    def _score_data(self, indicator: Indicator, role: int) -> Any:
        if role == _ALIGN:
            return _CENTER
        verdict = self.score_of(indicator)
        if verdict is None:
            return numbers.score(indicator.score) if role in _TEXT_ROLES else None
        if role == _DISPLAY:
            text = numbers.score(verdict.score)
            if not verdict.manual or not text:
                return text
            if verdict.suggested is not None and verdict.suggested != verdict.score:
                return f"{MANUAL_MARK}{text}（建议{numbers.score(verdict.suggested)}）"
            return f"{MANUAL_MARK} {text}"
        if role == _EDIT:
            return numbers.score(verdict.score)
        if role == _FONT:
            return self._bold if verdict.manual else None
        if role == _FOREGROUND:
            return _MANUAL_BRUSH if verdict.manual else None
        if role == _BACKGROUND:
            flags = verdict.flags
            if not flags or flags == (FLAG_MANUAL_DIFFERS,):
                return None
            return _WARNING_BRUSH if not _WARNING_FLAGS.isdisjoint(flags) else _INFO_BRUSH
        if role == _TOOLTIP:
            return score_tooltip(verdict)
        return None

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self._form is None:
            return False
        if not self.flags(index) & Qt.ItemFlag.ItemIsEditable:
            return False
        column = self._columns[index.column()]
        form = self._form
        positions = {id(item): i for i, item in enumerate(form.indicators)}  # by identity (== compares fields)
        rows = [positions[id(self._shown[row])] for row in self.run_rows(index.row(), index.column())]
        text = "" if value is None else str(value)
        try:
            change = table_edits.set_cell(form, rows, column, text, self._suggested)
        except UserError as exc:
            self.message.emit(exc.message)
            return False
        if change.empty:
            return True
        indicator = form.indicators[rows[0]]
        before = self.score_of(indicator)
        self._typed_over = (index.row(), index.column(), cell_text(indicator, column.key))
        try:
            if not self._push(change):
                return False
        finally:
            self._typed_over = None
        self._score_cache = None
        notes = entry_notes(indicator, column.key, before, self.score_of(indicator), self._rules.ruleset)
        if notes:
            self.notes.emit([(note.severity, note.text) for note in notes])
        return True

    def text_before_edit(self, index: ModelIndex) -> str | None:
        """While ``setData`` tells views of a typed cell: the text that cell had before (else None)."""
        typed = self._typed_over
        return typed[2] if typed is not None and typed[:2] == (index.row(), index.column()) else None

    def scores_of_rows(self, rows: range) -> dict[int, IndicatorScore | None]:
        """The verdicts of the form's rows ``rows`` (those that exist), to compare after a block edit."""
        indicators = self._form.indicators if self._form is not None else []
        return {row: self.score_of(indicators[row]) for row in rows if row < len(indicators)}

    def emit_block_notes(self, rows: range, columns: range, before: dict[int, IndicatorScore | None]) -> None:
        """Say what a paste or a fill-down wrote that the user should know (as typing one cell does)."""
        if self._form is None:
            return
        indicators = self._form.indicators
        cells = [
            (row, indicators[row], self._columns[col].key, before.get(row), self.score_of(indicators[row]))
            for row in rows
            if row < len(indicators)
            for col in columns
            if col < len(self._columns)
        ]
        notes = block_notes(cells, self._rules.ruleset)
        if notes:
            self.notes.emit([(note.severity, note.text) for note in notes])

    def _suggested(self, indicator: Indicator) -> Any:
        verdict = self.score_of(indicator)
        return verdict.suggested if verdict is not None else None

    # ---- document changes -------------------------------------------------------------------

    def _on_change(self, change: Change) -> None:
        # Any change may move a score (the workbook's rule set, a fund line …): the verdicts shown
        # so far are kept only to tell views which cells changed.
        self._previous_scores, self._score_cache = self._score_cache, None
        try:
            super()._on_change(change)
        finally:
            self._previous_scores = None

    def _concerns(self, form: Form, change: Change) -> bool:
        return (
            change.removes(form)
            or change.obj is form
            or change.obj is self._document.workbook
            or self.row_of(change.obj) is not None
            or any(change.obj is item for item in form.funds or ())
            or any(change.obj is item for item in form.goals or ())
        )

    def _refresh(self, form: Form, change: Change) -> None:
        if change.removes(form):
            self.set_form(None)
            return
        if columns_for(form) != self._columns:
            self.set_form(form)
            return
        if change.kind == "fields" and isinstance(change.obj, Indicator):
            # One cell typed (the common case, on the typing path): repaint the cells of the fields
            # that changed and those whose verdict moved, not whole rows and columns.
            row = self.row_of(change.obj)
            if row is not None:
                for column, shown in enumerate(self._columns):
                    if shown.key in change.fields:
                        self._cell_changed(row, column)
            if not set(SPANNED_KEYS).isdisjoint(change.fields):
                self._recompute_spans()
            self._scores_changed(self._previous_scores)
            return
        if change.obj is form and change.attr == "indicators":
            self._apply_row_change(change)
        self._recompute_spans()
        self._scores_changed(None)

    def _apply_row_change(self, change: Change) -> None:
        """Replay one row insert / remove / move on the model's copy, telling views before and after."""
        assert self._form is not None
        rows = self._shown
        items = list(change.items)
        count = len(items)
        start = change.index
        if change.kind == "insert" and 0 <= start <= len(rows) and not any(i is r for i in items for r in rows):
            self.beginInsertRows(QModelIndex(), start, start + count - 1)
            rows[start:start] = [item for item in items if isinstance(item, Indicator)]
            self._rows = None
            self.endInsertRows()
        elif change.kind == "remove" and _same(rows[start : start + count], items):
            self.beginRemoveRows(QModelIndex(), start, start + count - 1)
            del rows[start : start + count]
            self._rows = None
            self.endRemoveRows()
        elif change.kind == "move" and 0 <= change.to < len(rows) and _same(rows[start : start + 1], items):
            to = change.to
            if self.beginMoveRows(QModelIndex(), start, start, QModelIndex(), to + 1 if to > start else to):
                rows.insert(to, rows.pop(start))
                self._rows = None
                self.endMoveRows()
        else:
            self.set_form(self._form)  # out of step (should not happen): start again

    def _cell_changed(self, row: int, column: int, roles: Sequence[int] = ()) -> None:
        index = self.index(row, column)
        self.dataChanged.emit(index, index, list(roles))  # one cell: views repaint just its rectangle

    def _scores_changed(self, previous: dict[int, IndicatorScore] | None) -> None:
        """Tell views which 得分 cells (and the 完成情况 / 偏差原因 hints beside them) may have moved.

        With the verdicts shown before the change (``previous``), only the rows whose verdict
        differs now; without, every row.
        """
        column = self.column_index("score")
        if column is None or not self._shown:
            return
        if previous is not None and self._form is not None:
            deviation = self.column_index("deviation")
            verdict_columns = [column, self.column_index("band")]
            self.score_of(self._shown[0])  # fills _score_cache
            verdicts = self._score_cache or {}
            ids = list(map(id, self._shown))
            # The engine keeps the verdicts of untouched rows: find the rows whose verdict is another
            # object without a Python loop over every row (600 rows on each Return key).
            moved = compress(count(), map(is_not, map(previous.get, ids), map(verdicts.get, ids)))
            for row in moved:
                if previous.get(ids[row]) != verdicts.get(ids[row]):
                    for other in verdict_columns:
                        if other is not None:
                            self._cell_changed(row, other)
                    if deviation is not None:  # only its hint: its text (and the row's height) stays
                        self._cell_changed(row, deviation, _HINT_ROLES)
            return
        last = len(self._shown) - 1
        score_roles = [
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.EditRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.BackgroundRole,
            Qt.ItemDataRole.FontRole,
            Qt.ItemDataRole.ForegroundRole,
        ]
        self.dataChanged.emit(self.index(0, column), self.index(last, column), score_roles)
        for key in ("band", "deviation"):
            hinted = self.column_index(key)
            if hinted is not None:
                self.dataChanged.emit(self.index(0, hinted), self.index(last, hinted), list(_HINT_ROLES))


def _same(left: Sequence[object], right: Sequence[object]) -> bool:
    """Whether two lists hold the same objects (by identity) in the same order."""
    return len(left) == len(right) and all(a is b for a, b in zip(left, right, strict=True))


def score_tooltip(verdict: IndicatorScore) -> str:
    """The 得分 cell's tooltip: manual or suggested, how the suggestion was reached, and the flags."""
    lines: list[str] = []
    suggested = numbers.score(verdict.suggested) or "无"
    if verdict.manual:
        lines.append(f"{MANUAL_MARK} 手动得分 {numbers.score(verdict.score)}（建议得分 {suggested}）")
        lines.append("按 Delete 清除手动得分，恢复为建议得分")
    else:
        lines.append(f"建议得分 {suggested}")
    if verdict.explain:
        lines.append(verdict.explain)
    lines.extend(f"⚠ {FLAG_TEXTS.get(flag, flag)}" for flag in verdict.flags)
    return "\n".join(lines)
