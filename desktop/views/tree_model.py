"""The tree on the left: a thin QAbstractItemModel over the Qt-free outline (desktop/models/workbook/outline.py).

Columns 名称 | 得分/分值. Placeholder levels (standard but empty) are greyed; a node at or above a
validation finding carries a warning mark. The model listens to the document and patches itself
through the outline's begin/end notifications, so expanded branches and the selection survive edits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, QRectF, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPixmap

from desktop.models.scoring.engine import FormScore, ScoringEngine
from desktop.models.workbook.document import Change, WorkbookDocument
from desktop.models.workbook.domain import Form, Goal, Indicator
from desktop.models.workbook.outline import (
    LevelsFor,
    NodeKind,
    Outline,
    OutlineNode,
    format_number,
    sum_scores,
)
from desktop.views.overview_chart import gauge_icon

ModelIndex = QModelIndex | QPersistentModelIndex
ScoresFn = Callable[[Form], FormScore]

NODE_ROLE = Qt.ItemDataRole.UserRole + 1
PLACEHOLDER_COLOR = QColor(150, 150, 150)
MANUAL_COLOR = QColor(30, 90, 200)


@dataclass(frozen=True)
class NodeProblem:
    """A validation finding placed on a node (``error`` decides the mark's colour)."""

    message: str
    error: bool


_icons: dict[str, QIcon] = {}

# data() is called hundreds of times per repaint: roles as plain ints, shared constant values.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_PLACEHOLDER_BRUSH = QBrush(PLACEHOLDER_COLOR)
_MANUAL_BRUSH = QBrush(MANUAL_COLOR)
_fonts: dict[str, QFont] = {}


def _bold() -> QFont:
    """The application font in bold (made once, after the application exists)."""
    font = _fonts.get("bold")
    if font is None:
        font = _fonts["bold"] = QFont()
        font.setBold(True)
    return font


MARK_SIZE = 16
# Device pixel ratios the mark is drawn for (100% to 300% scaling): each a sharp pixmap, never a scaled one.
MARK_RATIOS = (1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0)


def _draw_mark(error: bool, ratio: float) -> QPixmap:
    """The mark drawn at ``ratio`` device pixels per logical pixel."""
    pixels = round(MARK_SIZE * ratio)
    pixmap = QPixmap(pixels, pixels)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.scale(ratio, ratio)  # draw in logical units; the pixmap holds the device pixels
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(210, 40, 40) if error else QColor(235, 160, 20))
    painter.drawEllipse(QRectF(1, 1, 14, 14))
    painter.setPen(QColor(255, 255, 255))
    font = QFont()
    font.setBold(True)
    font.setPixelSize(12)
    painter.setFont(font)
    painter.drawText(QRectF(0, 0, MARK_SIZE, MARK_SIZE), Qt.AlignmentFlag.AlignCenter, "!")
    painter.end()
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


def mark_icon(error: bool) -> QIcon:
    """A small round mark: red for an error, amber for a warning (drawn, so every platform has it).

    Drawn once per common scaling (125%, 150%, ...) so it stays sharp on a HiDPI screen.
    """
    key = "error" if error else "warning"
    if key not in _icons:
        icon = QIcon()
        for ratio in MARK_RATIOS:
            icon.addPixmap(_draw_mark(error, ratio))
        _icons[key] = icon
    return _icons[key]


class _Notifier:
    """Forwards the outline's structural notifications to the Qt model's begin/end calls."""

    def __init__(self, model: TreeModel) -> None:
        self._model = model

    def begin_insert(self, parent: OutlineNode, first: int, last: int) -> None:
        self._model.beginInsertRows(self._model.index_for(parent), first, last)

    def end_insert(self) -> None:
        self._model.endInsertRows()

    def begin_remove(self, parent: OutlineNode, first: int, last: int) -> None:
        self._model.beginRemoveRows(self._model.index_for(parent), first, last)
        self._model.keep_alive(parent.children[first : last + 1])

    def end_remove(self) -> None:
        self._model.endRemoveRows()

    def begin_move(self, parent: OutlineNode, first: int, last: int, dest: int) -> None:
        index = self._model.index_for(parent)
        self._model.beginMoveRows(index, first, last, index, dest)

    def end_move(self) -> None:
        self._model.endMoveRows()

    def node_changed(self, node: OutlineNode) -> None:
        self._model.node_changed(node)

    def score_changed(self, node: OutlineNode) -> None:
        self._model.node_changed(node, score_only=True)

    def subtree_changed(self, node: OutlineNode) -> None:
        self._model.subtree_changed(node)


_GROUP_KINDS = frozenset({NodeKind.GOAL, NodeKind.LEVEL1, NodeKind.LEVEL2})
_SAME_TEXT_SAME_CELL = frozenset({NodeKind.WORKBOOK, NodeKind.FORM})  # an indicator's manual colour may change alone


class TreeModel(QAbstractItemModel):
    """The outline of one open workbook as a two-column Qt tree model.

    Args:
        document: the open workbook (the model subscribes to its changes).
        engine: the scoring engine attached to it (the model follows its edits after they were rescored).
        levels_for: the standard levels of a form (from the rule set).
    """

    HEADERS = ("名称", "得分/分值")

    def __init__(
        self,
        document: WorkbookDocument,
        engine: ScoringEngine,
        levels_for: LevelsFor,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self._engine = engine
        self._scores: ScoresFn = engine.score_form
        self.outline = Outline(document.workbook, levels_for)
        self._notifier = _Notifier(self)
        self._graveyard: list[OutlineNode] = []
        self._problems: dict[int, list[NodeProblem]] = {}
        self._marks: dict[int, bool] = {}  # id(node) → has an error (True) or only warnings (False)
        self._score_texts: dict[int, str] = {}  # id(node) → 得分/分值 text, until the node changes
        self._scores_held = False
        engine.follow(self._on_change)

    def detach(self) -> None:
        """Stop following the engine."""
        self._engine.unfollow(self._on_change)

    # ---- navigation -------------------------------------------------------------------------

    def node(self, index: ModelIndex) -> OutlineNode:
        """The node of an index (the invisible root for an invalid index)."""
        if index.isValid():
            node = index.internalPointer()
            if isinstance(node, OutlineNode):
                return node
        return self.outline.root

    def index_for(self, node: OutlineNode | None, column: int = 0) -> QModelIndex:
        """The index of a node (invalid for the root)."""
        if node is None or node.parent is None:
            return QModelIndex()
        return self.createIndex(node.row(), column, node)

    def index_for_object(self, obj: object) -> QModelIndex:
        """The index of a form, goal or indicator's node (invalid if it has none)."""
        return self.index_for(self.outline.node_for(obj))

    def keep_alive(self, nodes: Iterable[OutlineNode]) -> None:
        """Hold removed nodes until control returns to the event loop, so that no index made before the
        removal points at freed memory; then let them go (the model does not grow with every edit)."""
        if not self._graveyard:
            QTimer.singleShot(0, self._graveyard.clear)
        self._graveyard.extend(nodes)

    # ---- Qt model API -----------------------------------------------------------------------

    def index(self, row: int, column: int, parent: ModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column < 0 or column >= len(self.HEADERS) or row < 0:
            return QModelIndex()
        if parent.isValid() and parent.column() != 0:
            return QModelIndex()
        node = self.node(parent)
        if row >= len(node.children):
            return QModelIndex()
        return self.createIndex(row, column, node.children[row])

    def parent(self, index: ModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        node = self.node(index)
        up = node.parent
        if up is None or up is self.outline.root:
            return QModelIndex()
        return self.createIndex(up.row(), 0, up)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self.node(parent).children)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return len(self.HEADERS)

    def hasChildren(self, parent: ModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return self.rowCount(parent) > 0

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            if 0 <= section < len(self.HEADERS):
                return self.HEADERS[section]
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node = self.node(index)
        column = index.column()
        role = int(role)
        if role == _DISPLAY:
            return node.label if column == 0 else self.score_text(node)
        if role == _DECORATION:
            if column == 1:
                return self._gauge(node)
            mark = self._marks.get(id(node))
            return None if mark is None else mark_icon(mark)
        if role == _FOREGROUND:
            if node.placeholder:
                return _PLACEHOLDER_BRUSH
            if column == 1 and self._is_manual(node):
                return _MANUAL_BRUSH
            return None
        if role == _FONT:
            return _bold() if column == 0 and node.kind is NodeKind.FORM else None
        if role == _ALIGNMENT:
            return _RIGHT if column == 1 else None
        if role == _TOOLTIP:
            return self.tooltip(node, column)
        if role == NODE_ROLE:
            return node
        return None

    # ---- scores and marks -------------------------------------------------------------------

    def _gauge(self, node: OutlineNode) -> QIcon | None:
        """A self-evaluation's small at-a-glance mark: total against full marks."""
        if node.kind is not NodeKind.FORM:
            return None
        score = self._form_score(node)
        if score is None or score.total is None or not score.max_total:
            return None
        return gauge_icon(score.total / score.max_total)

    def _form_score(self, node: OutlineNode) -> FormScore | None:
        form = node.form
        if form is None or not form.kind.is_self_eval or self._scores_held:
            return None
        return self._scores(form)

    def hold_scores(self) -> None:
        """Leave the 得分/分值 column and the gauges blank until ``show_scores``: a workbook that opens shows its
        first form before the tree's other self-evaluations are scored (30 forms × 60 rows: ~20 ms)."""
        self._scores_held = True

    def show_scores(self) -> None:
        """Fill in what ``hold_scores`` left blank (the tree repaints what it shows)."""
        if not self._scores_held:
            return
        self._scores_held = False
        self._score_texts.clear()
        workbook = self.index(0, 0)
        count = self.rowCount(workbook)
        self.dataChanged.emit(workbook, workbook.siblingAtColumn(1))
        if count:
            self.dataChanged.emit(self.index(0, 0, workbook), self.index(count - 1, 1, workbook))

    def _indicator_pairs(
        self, form: Form, score: FormScore, indicators: Sequence[Indicator]
    ) -> list[tuple[Decimal | None, Decimal | None]]:
        pairs: list[tuple[Decimal | None, Decimal | None]] = []
        for ind in indicators:
            position = self.outline.position(form, ind)
            result = score.indicators[position] if position is not None and position < len(score.indicators) else None
            pairs.append((result.score if result is not None else None, ind.weight))
        return pairs

    def score_text(self, node: OutlineNode) -> str:
        """The 得分/分值 text of a node ("" where nothing is scored); cached until the node changes."""
        text = self._score_texts.get(id(node))
        if text is None:
            text = self._compute_score_text(node)
            if not self._scores_held:
                self._score_texts[id(node)] = text
        return text

    def _compute_score_text(self, node: OutlineNode) -> str:
        if node.kind is NodeKind.WORKBOOK or node.placeholder:
            return ""
        score = self._form_score(node)
        form = node.form
        if score is None or form is None:
            return ""
        if node.kind is NodeKind.FORM:
            full = score.max_total
            if full is None:
                full = score.exec_weight + sum((ind.weight for ind in form.indicators if ind.weight), Decimal(0))
            if score.pending:  # the narrow column says 待评; the tooltip says how many rows
                return f"待评/{format_number(full)}"
            total = format_number(score.total) if score.total is not None else "—"
            return f"{total}/{format_number(full)}"
        got, weight = sum_scores(self._indicator_pairs(form, score, node.indicators()))
        if weight is None:
            return format_number(got)
        return f"{format_number(got) if got is not None else '—'}/{format_number(weight)}"

    def _is_manual(self, node: OutlineNode) -> bool:
        if node.kind is not NodeKind.INDICATOR or not isinstance(node.obj, Indicator) or node.form is None:
            return False
        score = self._form_score(node)
        position = self.outline.position(node.form, node.obj)
        if score is None or position is None or position >= len(score.indicators):
            return False
        return score.indicators[position].manual

    def tooltip(self, node: OutlineNode, column: int) -> str | None:
        """Findings at the node, what a placeholder means, or how an indicator's score came about."""
        lines: list[str] = []
        problems = self._problems.get(id(node), [])
        lines.extend(("错误：" if p.error else "提示：") + p.message for p in problems[:8])
        if len(problems) > 8:
            lines.append(f"……另有 {len(problems) - 8} 条")
        if not problems and id(node) in self._marks:
            lines.append("下级有需要注意的问题（见“问题”面板）")
        if node.kind is NodeKind.GOAL and isinstance(node.obj, Goal) and node.obj.target:
            lines.append(f"{node.label}：{node.obj.target}")
        if node.kind is NodeKind.FORM and node.form is not None:
            lines.append(f"{node.form.title}（{node.form.kind.label}）")
        if node.placeholder:
            lines.append("标准指标层级，暂无指标（可右键“在此添加指标”）")
        if column == 1 and node.kind is NodeKind.INDICATOR and isinstance(node.obj, Indicator) and node.form:
            score = self._form_score(node)
            position = self.outline.position(node.form, node.obj)
            if score is not None and position is not None and position < len(score.indicators):
                result = score.indicators[position]
                if result.manual:
                    lines.append(f"手工得分；系统建议 {format_number(result.suggested) or '—'}")
                if result.explain:
                    lines.append(result.explain)
        if column == 1 and node.kind is NodeKind.FORM:
            score = self._form_score(node)
            if score is not None:
                lines += _total_lines(score)
        return "\n".join(lines) or None

    def set_problems(self, problems: Sequence[tuple[OutlineNode, NodeProblem]]) -> None:
        """Place validation findings on nodes; marks go on each node and all its ancestors."""
        old_marked = set(self._marks)
        self._problems = {}
        self._marks = {}
        nodes: dict[int, OutlineNode] = {}
        for node, problem in problems:
            self._problems.setdefault(id(node), []).append(problem)
            chain = [node, *node.ancestors()]
            for each in chain:
                if each is self.outline.root:
                    continue
                nodes[id(each)] = each
                self._marks[id(each)] = self._marks.get(id(each), False) or problem.error
        for key in old_marked | set(self._marks):
            if key in nodes:
                self._emit_changed(nodes[key], 0)
        if old_marked - set(self._marks):
            for each in self.outline.root.walk():
                if id(each) in old_marked and id(each) not in self._marks and each is not self.outline.root:
                    self._emit_changed(each, 0)

    def has_mark(self, node: OutlineNode) -> bool:
        """Whether the node carries a warning mark (a finding at or below it)."""
        return id(node) in self._marks

    # ---- keeping in step --------------------------------------------------------------------

    def _on_change(self, change: Change) -> None:
        self.outline.apply(change, self._notifier)

    def node_changed(self, node: OutlineNode, score_only: bool = False) -> None:
        """Repaint both columns of a node (``score_only``: its 得分/分值 cell); a group (一级 / 二级 / 目标) whose
        得分/分值 text stayed is left alone (on a 600-row form each such signal costs the tree view a search
        through its rows)."""
        old = self._score_texts.pop(id(node), None)
        if node.parent is None:
            return
        if old is not None and node.kind in _GROUP_KINDS and self.score_text(node) == old:
            return  # a group's label changes only in refresh_form, which repaints the whole subtree
        if score_only and node.kind in _SAME_TEXT_SAME_CELL and self.score_text(node) == old:
            return  # the workbook's cell is empty; a form's gauge follows its total, which its text shows
        row = node.row()
        score = self.createIndex(row, len(self.HEADERS) - 1, node)
        self.dataChanged.emit(score if score_only else self.createIndex(row, 0, node), score)

    def subtree_changed(self, node: OutlineNode) -> None:
        """Repaint a node and everything below it (one signal per group of siblings)."""
        self.node_changed(node)
        for each in node.walk():
            if each.children:
                for child in each.children:
                    self._score_texts.pop(id(child), None)
                last = len(each.children) - 1
                self.dataChanged.emit(
                    self.createIndex(0, 0, each.children[0]),
                    self.createIndex(last, len(self.HEADERS) - 1, each.children[last]),
                )

    def _emit_changed(self, node: OutlineNode, column: int) -> None:
        if node.parent is None:
            return
        index = self.createIndex(node.row(), column, node)
        self.dataChanged.emit(index, index)


def _total_lines(score: FormScore) -> list[str]:
    """A form's tooltip lines about its total: 总分：待评（N项未评） while incomplete, and its grade."""
    lines = [f"总分：{score.pending}"] if score.pending else []
    if score.grade:
        lines.append(f"等级：{score.grade}")
    return lines
