"""The indicator table model: one form's indicators in the printed form's columns, edited through undo commands."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QUndoStack

from desktop.models.errors import UserError
from desktop.models.scoring.engine import (
    FLAG_MANUAL_DIFFERS,
    FLAG_MANUAL_NO_REASON,
    FLAG_MANUAL_OUT_OF_BAND,
    FLAG_NEEDS_REASON,
    FLAG_NOT_MET,
    FLAG_OVER_TARGET,
    FLAG_UNIT_MISMATCH,
    FLAG_UNREADABLE,
    FormScore,
    IndicatorScore,
)
from desktop.models.workbook import numbers
from desktop.models.workbook.document import Change, WorkbookDocument
from desktop.models.workbook.domain import BAND_LABELS, MAX_CELL_TEXT, Band, Form, FormKind, Indicator
from desktop.views.commands import EditCommand, MacroCommand, SetFieldsCommand
from desktop.views.form_models import FormTableModel

ModelIndex = QModelIndex | QPersistentModelIndex
ScoreFunction = Callable[[Form], FormScore]

# Column kinds: how a column is edited.
TEXT = "text"  # one line of free text
LONG = "long"  # long free text (multi-line editor)
NUMBER = "number"  # a decimal (分值 / 得分)
LEVEL = "level"  # 一级 / 二级: an editable combo of the standard names
CHOICE = "choice"  # 指标值确定依据: an editable combo of the usual bases
BAND = "band"  # 完成情况: a fixed list
GOAL = "goal"  # the goal number


@dataclass(frozen=True)
class Column:
    """One column of the indicator table.

    Attributes:
        key: the Indicator field it shows (``goal``, ``level1``, … ``deviation``).
        title: the printed header.
        tip: the header's tooltip.
        kind: how it is edited (``TEXT``, ``LONG``, ``NUMBER``, ``LEVEL``, ``CHOICE``, ``BAND``, ``GOAL``).
        width: its default width in pixels.
    """

    key: str
    title: str
    tip: str
    kind: str
    width: int


_GOAL = Column("goal", "目标", "这些指标所属的年度绩效目标的序号（绩效目标1、2…）", GOAL, 44)
_LEVEL1 = Column("level1", "一级指标", "一级指标：产出指标、效益指标、满意度指标等（可自行填写）", LEVEL, 84)
_LEVEL2 = Column("level2", "二级指标", "二级指标：数量指标、质量指标、时效指标、成本指标等（可自行填写）", LEVEL, 128)
_NAME = Column("name", "三级指标", "三级指标：本单位自定的具体指标名称", LONG, 190)
_DESCRIPTION = Column("description", "绩效指标描述", "对三级指标含义、口径的说明", LONG, 220)
_TARGET = Column("target", "指标值", "指标值，如 ≥95%、≤114万元、12月底前、合格", TEXT, 110)
_BASIS = Column("basis", "指标值确定依据", "指标值的确定依据：计划标准、行业标准、历史标准、其他", CHOICE, 104)
_ANNUAL = Column("target", "年度指标值", "年初设定的年度指标值（目标表的指标值）", TEXT, 110)
_ACTUAL = Column("actual", "实际完成值", "全年实际完成的数值或情况；填写后自动计分", TEXT, 110)
_WEIGHT = Column("weight", "分值", "本指标的分值（0–100，可带两位小数）", NUMBER, 52)
_SCORE = Column(
    "score",
    "得分",
    "自动计算的建议得分；可直接改为手动得分（✎ 标记），按 Delete 恢复为建议得分",
    NUMBER,
    68,
)
_BAND = Column(
    "band",
    "完成情况",
    "定性指标的完成情况：达成 / 部分达成并具有一定效果 / 未达成且效果较差（得分须落在对应区间）",
    BAND,
    120,
)
_DEVIATION = Column(
    "deviation",
    "偏差原因分析及改进措施",
    "得分低于分值或偏差较大时须说明原因和改进措施",
    LONG,
    220,
)

TARGET_COLUMNS: tuple[Column, ...] = (_LEVEL1, _LEVEL2, _NAME, _DESCRIPTION, _TARGET)
DEPT_TARGET_COLUMNS: tuple[Column, ...] = (*TARGET_COLUMNS, _BASIS)
SELF_EVAL_COLUMNS: tuple[Column, ...] = (_LEVEL1, _LEVEL2, _NAME, _ANNUAL, _ACTUAL, _WEIGHT, _SCORE, _BAND, _DEVIATION)
GOAL_SELF_EVAL_COLUMNS: tuple[Column, ...] = (_GOAL, *SELF_EVAL_COLUMNS)

SCORE_KEY = "score"
# Fields that are plain ``str`` (never None) on Indicator; the others are optional.
_REQUIRED_TEXT = frozenset({"level1", "level2", "name"})
# Columns whose equal consecutive values are drawn as one merged cell, outermost first.
SPANNED_KEYS: tuple[str, ...] = ("goal", "level1", "level2")

FLAG_TEXTS: dict[str, str] = {
    FLAG_NOT_MET: "未达到指标值",
    FLAG_OVER_TARGET: "实际完成值远超指标值（指标值可能定得过低），须说明偏差原因",
    FLAG_UNREADABLE: "定性指标：请在“完成情况”中选择完成等级",
    FLAG_UNIT_MISMATCH: "指标值与实际完成值的单位不一致，无法比较",
    FLAG_MANUAL_OUT_OF_BAND: "手动得分不在所选完成情况对应的分数区间内",
    FLAG_MANUAL_NO_REASON: "手动得分与建议得分不同，但未填写偏差原因",
    FLAG_MANUAL_DIFFERS: "手动得分与建议得分不同",
    FLAG_NEEDS_REASON: "得分低于分值或偏差较大，须填写偏差原因分析及改进措施",
}
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

_FULL_WIDTH = str.maketrans("０１２３４５６７８９．－＋，", "0123456789.-+,")
_GOAL_RE = re.compile(r"^(?:绩效)?(?:目标)?\s*(\d+)$")


def columns_for(form: Form | None) -> tuple[Column, ...]:
    """The columns the printed form of this kind has (none without a form)."""
    if form is None:
        return ()
    if form.kind == FormKind.PROJECT_TARGET:
        return TARGET_COLUMNS
    if form.kind == FormKind.DEPT_TARGET:
        return DEPT_TARGET_COLUMNS
    if form.kind == FormKind.DEPT_SELF_EVAL and form.goals:
        return GOAL_SELF_EVAL_COLUMNS
    return SELF_EVAL_COLUMNS


def format_decimal(value: Decimal | None) -> str:
    """A score or weight as printed (``9.80`` → ``9.8``); empty for None."""
    return numbers.score(value)


def parse_decimal(text: str, title: str) -> Decimal | None:
    """Read a typed number (full-width digits, a trailing 分 allowed); None for blank.

    Raises:
        UserError: the text is not a finite number with at most two decimals.
    """
    cleaned = text.strip().translate(_FULL_WIDTH).replace(",", "").replace(" ", "")
    if cleaned.endswith("分"):
        cleaned = cleaned[:-1]
    if cleaned == "":
        return None
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise UserError(f"“{title}”只能填数字（如 5 或 2.5），“{text.strip()}”不是数字。")
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        raise UserError(f"“{title}”最多保留两位小数，“{text.strip()}”的小数位太多。")
    return number


def parse_band(text: str) -> Band | None:
    """Read a completion band from its Chinese name (or the start of it); None for blank.

    Raises:
        UserError: the text names no band.
    """
    cleaned = text.strip()
    if cleaned == "":
        return None
    for band, label in BAND_LABELS.items():
        if cleaned in (label, band.value):
            return band
    matches = [band for band, label in BAND_LABELS.items() if label.startswith(cleaned)]
    if len(matches) == 1:
        return matches[0]
    names = "、".join(BAND_LABELS.values())
    raise UserError(f"“完成情况”只能选择：{names}；“{cleaned}”不是其中之一。")


def parse_goal(text: str) -> int | None:
    """Read a goal number (``2``, ``目标2``, ``绩效目标2``); None for blank.

    Raises:
        UserError: not a positive whole number.
    """
    cleaned = text.strip().translate(_FULL_WIDTH)
    if cleaned == "":
        return None
    match = _GOAL_RE.match(cleaned)
    if match is None or int(match.group(1)) < 1:
        raise UserError(f"“目标”只能填目标序号（正整数，如 1、2），“{cleaned}”不是。")
    return int(match.group(1))


def parse_cell(column: Column, text: str) -> Any:
    """The Indicator field value a typed or pasted text stands for in this column.

    Raises:
        UserError: the text is not valid here (a non-number in 分值 …), with a Chinese message.
    """
    if len(text) > MAX_CELL_TEXT:
        raise UserError(f"“{column.title}”内容过长（{len(text)} 字），一个单元格最多 {MAX_CELL_TEXT} 字。")
    if column.kind == NUMBER:
        number = parse_decimal(text, column.title)
        if number is not None and number < 0:
            raise UserError(f"“{column.title}”不能为负数。")
        if column.key == "weight" and number is not None and number > 100:
            raise UserError("“分值”须在 0 到 100 之间。")
        return number
    if column.kind == BAND:
        return parse_band(text)
    if column.kind == GOAL:
        return parse_goal(text)
    cleaned = text.strip()
    if column.key in _REQUIRED_TEXT:
        return cleaned
    return cleaned or None


def check_score(weight: Decimal | None, score: Decimal | None) -> None:
    """Refuse a manual score above the indicator's 分值.

    Raises:
        UserError: the score exceeds the weight.
    """
    if score is not None and weight is not None and score > weight:
        raise UserError(f"得分（{format_decimal(score)}）不能超过分值（{format_decimal(weight)}）。")


def cell_text(indicator: Indicator, key: str) -> str:
    """The stored value of one field as the text a cell shows and copies."""
    value = getattr(indicator, key)
    if value is None:
        return ""
    if isinstance(value, Band):
        return value.label
    if isinstance(value, Decimal):
        return format_decimal(value)
    return str(value)


class IndicatorModel(FormTableModel[Indicator]):
    """One form's ``indicators`` as a table in the printed form's columns.

    The model keeps its own copy of the row list (``_shown``) so that it can tell views about
    inserted, removed and moved rows after the document has changed (Qt wants to hear before). It
    never changes the domain objects itself: ``setData`` pushes an undo command, and the rows and
    cells change when the document says so (``document.subscribe``, through ``FormTableModel``).

    Signals:
        message: a Chinese message for the user (a refused value or edit).
        spansChanged: the merged 一级 / 二级 (/ 目标) cells moved; call ``spans()`` again.
    """

    spansChanged = Signal()

    ITEMS = "indicators"

    def __init__(
        self,
        document: WorkbookDocument,
        undo_stack: QUndoStack,
        scores: ScoreFunction,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(document, undo_stack, parent)
        self._scores = scores
        self._columns: tuple[Column, ...] = ()
        self._scored = False  # the form shown is a self-evaluation (has scores)
        self._score_cache: dict[int, IndicatorScore] | None = None
        self._previous_scores: dict[int, IndicatorScore] | None = None
        self._spans: dict[tuple[int, int], int] = {}
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

    def row_of(self, indicator: Indicator) -> int | None:
        """The row showing this indicator, if it is in the form shown."""
        for row, item in enumerate(self._shown):
            if item is indicator:
                return row
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
        if self._columns[index.column()].kind == BAND and not self.band_matters(index.row()):
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
        if column.kind == BAND and indicator.band is None:
            return self._implied_band_data(indicator, row, role)
        if role in _TEXT_ROLES:
            if column.kind == GOAL and role == _DISPLAY and indicator.goal is not None:
                return f"目标{indicator.goal}"
            return cell_text(indicator, column.key)
        if role == _ALIGN:
            return _CENTER if column.kind in (NUMBER, GOAL) else _LEFT
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
            return format_decimal(indicator.score) if role in _TEXT_ROLES else None
        if role == _DISPLAY:
            text = format_decimal(verdict.score)
            return f"{MANUAL_MARK} {text}" if verdict.manual and text else text
        if role == _EDIT:
            return format_decimal(verdict.score)
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
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        if not self.flags(index) & Qt.ItemFlag.ItemIsEditable:
            return False
        column = self._columns[index.column()]
        text = "" if value is None else str(value)
        try:
            parsed = parse_cell(column, text)
        except UserError as exc:
            self.message.emit(exc.message)
            return False
        rows = self.run_rows(index.row(), index.column())
        edits: list[tuple[Indicator, dict[str, Any]]] = []
        for row in rows:
            indicator = self._shown[row]
            values = self._edit_values(indicator, column, parsed)
            if values is None:
                continue
            edits.append((indicator, values))
        try:
            for indicator, values in edits:
                check_score(values.get("weight", indicator.weight), values.get("score", indicator.score))
        except UserError as exc:
            self.message.emit(exc.message)
            return False
        return self.apply_edits(edits, f"修改“{column.title}”")

    def _edit_values(self, indicator: Indicator, column: Column, parsed: Any) -> dict[str, Any] | None:
        """The fields to set for one typed value (None when nothing changes)."""
        if column.key == "score" and indicator.score is None:
            verdict = self.score_of(indicator)
            if verdict is not None and parsed is not None and parsed == verdict.suggested:
                return None  # confirming the suggestion does not make it manual
        current = getattr(indicator, column.key)
        if current == parsed and repr(current) == repr(parsed):
            return None
        return {column.key: parsed}

    def apply_edits(self, edits: Sequence[tuple[Indicator, dict[str, Any]]], text: str) -> bool:
        """Push these field edits as one undo step; say why if the store refused them."""
        if not edits:
            return True
        command: EditCommand
        if len(edits) == 1:
            indicator, values = edits[0]
            command = SetFieldsCommand(self._document, indicator, values, text)
        else:
            macro = MacroCommand(self._document, text)
            for indicator, values in edits:
                macro.add(SetFieldsCommand(self._document, indicator, values, text))
            command = macro
        return self._push(command)

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
            or any(change.obj is item for item in self._shown)
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
            self.endInsertRows()
        elif change.kind == "remove" and _same(rows[start : start + count], items):
            self.beginRemoveRows(QModelIndex(), start, start + count - 1)
            del rows[start : start + count]
            self.endRemoveRows()
        elif change.kind == "move" and 0 <= change.to < len(rows) and _same(rows[start : start + 1], items):
            to = change.to
            if self.beginMoveRows(QModelIndex(), start, start, QModelIndex(), to + 1 if to > start else to):
                rows.insert(to, rows.pop(start))
                self.endMoveRows()
        else:
            self.set_form(self._form)  # out of step (should not happen): start again

    def _cell_changed(self, row: int, column: int) -> None:
        index = self.index(row, column)
        self.dataChanged.emit(index, index)  # one cell: views repaint just its rectangle

    def _scores_changed(self, previous: dict[int, IndicatorScore] | None) -> None:
        """Tell views which 得分 cells (and the 完成情况 / 偏差原因 hints beside them) may have moved.

        With the verdicts shown before the change (``previous``), only the rows whose verdict
        differs now; without, every row.
        """
        column = self.column_index("score")
        if column is None or not self._shown:
            return
        if previous is not None and self._form is not None:
            verdict_columns = [column, self.column_index("band"), self.column_index("deviation")]
            for row, indicator in enumerate(self._shown):
                if previous.get(id(indicator)) != self.score_of(indicator):
                    for other in verdict_columns:
                        if other is not None:
                            self._cell_changed(row, other)
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
        hint_roles = [Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole]
        for key in ("band", "deviation"):
            hinted = self.column_index(key)
            if hinted is not None:
                self.dataChanged.emit(self.index(0, hinted), self.index(last, hinted), hint_roles)


def _same(left: Sequence[object], right: Sequence[object]) -> bool:
    """Whether two lists hold the same objects (by identity) in the same order."""
    return len(left) == len(right) and all(a is b for a, b in zip(left, right, strict=True))


def score_tooltip(verdict: IndicatorScore) -> str:
    """The 得分 cell's tooltip: manual or suggested, how the suggestion was reached, and the flags."""
    lines: list[str] = []
    suggested = format_decimal(verdict.suggested) or "无"
    if verdict.manual:
        lines.append(f"{MANUAL_MARK} 手动得分 {format_decimal(verdict.score)}（建议得分 {suggested}）")
        lines.append("按 Delete 清除手动得分，恢复为建议得分")
    else:
        lines.append(f"建议得分 {suggested}")
    if verdict.explain:
        lines.append(verdict.explain)
    lines.extend(f"⚠ {FLAG_TEXTS.get(flag, flag)}" for flag in verdict.flags)
    return "\n".join(lines)
