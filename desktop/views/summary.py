"""The summary bar under the form: 预算执行率得分, each first level's subtotal, 总分 and 等级, live."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from desktop.models.scoring.engine import FormScore, ScoringEngine
from desktop.models.workbook.document import Change, WorkbookDocument
from desktop.models.workbook.domain import Form
from desktop.models.workbook.outline import format_number

ScoresFn = Callable[[Form], FormScore]

GRADE_COLORS = {"优": "#1b7f3b", "良": "#2c6fb7", "中": "#b7791f", "差": "#c53030"}


@dataclass(frozen=True)
class SummaryItem:
    """One entry of the bar: caption, value text, whether it needs attention, and a tooltip."""

    key: str
    caption: str
    value: str
    warn: bool = False
    tooltip: str = ""


def summary_items(form: Form | None, score: FormScore | None) -> list[SummaryItem]:
    """What the bar shows for a form (nothing for no form; a count for a target form)."""
    if form is None:
        return []
    if not form.kind.is_self_eval or score is None:
        return [SummaryItem("count", "绩效指标", f"{len(form.indicators)} 项", tooltip="目标表不计分")]
    items: list[SummaryItem] = []
    exec_text = format_number(score.exec_score) if score.exec_score is not None else "—"
    exec_tip = score.exec_explain or "预算执行率 = 全年执行数 / 全年预算数"
    if not score.exec_explain and score.exec_rate is not None:
        exec_tip = f"执行率 {format_number(score.exec_rate * 100)}%（全年执行数 / 全年预算数）"
    if score.exec_score is not None and score.exec_suggested is not None and score.exec_score != score.exec_suggested:
        exec_tip += f"\n手工得分；系统建议 {format_number(score.exec_suggested)}"
    items.append(
        SummaryItem("exec", "预算执行率得分", f"{exec_text}/{format_number(score.exec_weight)}", tooltip=exec_tip)
    )
    for subtotal in score.subtotals:
        warn = subtotal.expected is not None and subtotal.expected != subtotal.weight
        tip = f"{subtotal.level1}：得分 {format_number(subtotal.score)}，分值合计 {format_number(subtotal.weight)}"
        if subtotal.expected is not None:
            tip += f"，规则分值 {format_number(subtotal.expected)}"
            if warn:
                tip += "（分值合计与规则不符）"
        items.append(
            SummaryItem(
                f"level:{subtotal.level1}",
                subtotal.level1,
                f"{format_number(subtotal.score)}/{format_number(subtotal.weight)}",
                warn=warn,
                tooltip=tip,
            )
        )
    items.append(SummaryItem("total", "总分", score.total_text(format_number)))  # 待评（N项未评） while incomplete
    items.append(SummaryItem("grade", "等级", score.grade or ("待评" if score.pending else "—")))
    return items


class SummaryBar(QFrame):
    """A one-line bar of the current form's scores that follows every edit.

    Args:
        document: the open workbook (the bar listens to its changes).
        engine: the scoring engine attached to it (the bar follows its edits after they were rescored).
    """

    def __init__(self, document: WorkbookDocument, engine: ScoringEngine, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("summaryBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._document = document
        self._engine = engine
        self._scores: ScoresFn = engine.score_form
        self._form: Form | None = None
        self._items: list[SummaryItem] = []
        self._labels: list[tuple[QLabel, QLabel]] = []  # caption and value of each entry
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(8, 4, 8, 4)
        self._layout.setSpacing(18)
        self._title = QLabel(self)
        self._title.setObjectName("summaryTitle")
        self._layout.addWidget(self._title)
        self._layout.addStretch(1)
        engine.follow(self._on_change)
        self.refresh()

    def detach(self) -> None:
        """Stop following the engine."""
        self._engine.unfollow(self._on_change)

    @property
    def form(self) -> Form | None:
        """The form summarised."""
        return self._form

    def set_form(self, form: Form | None) -> None:
        """Summarise another form (None: nothing)."""
        self._form = form
        self.refresh()

    def items(self) -> list[SummaryItem]:
        """What the bar shows now."""
        return list(self._items)

    def value(self, key: str) -> str | None:
        """The value text of one entry (``exec``, ``total``, ``grade``, ``level:产出指标`` …)."""
        for item in self._items:
            if item.key == key:
                return item.value
        return None

    def text(self) -> str:
        """The whole bar as one line of text."""
        parts = [self._title.text(), *(f"{item.caption} {item.value}" for item in self._items)]
        return "  ".join(part for part in parts if part)

    def refresh(self) -> None:
        """Recompute from the engine and update the labels that changed."""
        form = self._form
        if form is not None and not any(f is form for f in self._document.workbook.forms):
            form = self._form = None
        score = self._scores(form) if form is not None and form.kind.is_self_eval else None
        items = summary_items(form, score)
        title = "" if form is None else ("自评得分：" if form.kind.is_self_eval else "目标表：")
        if self._title.text() != title:
            self._title.setText(title)
        if items == self._items:
            return
        before, self._items = self._items, items
        while len(self._labels) < len(items):
            self._labels.append(self._add_entry())
        changed = [
            (labels, item)
            for n, (labels, item) in enumerate(zip(self._labels, items, strict=False))
            if n >= len(before) or before[n] != item
        ]
        for (caption, value), item in changed:
            _show(caption, value, item)
        for caption, value in self._labels[len(items) :]:
            for label in (caption, value):
                label.setText("")
                label.setVisible(False)
        # Lay the new widths out now, so the new figures paint with the edit's paint (a posted relayout
        # would run after the commit the window makes after that paint, and paint a second time).
        self._layout.activate()

    def _add_entry(self) -> tuple[QLabel, QLabel]:
        """Plain-text labels (caption, value): a new figure costs a text width, not a rich-text layout."""
        entry = QHBoxLayout()
        entry.setSpacing(self.fontMetrics().horizontalAdvance(" "))
        pair = (QLabel(self), QLabel(self))
        for label in pair:
            label.setTextFormat(Qt.TextFormat.PlainText)  # a caption is the user's own first-level name
            label.setAutoFillBackground(True)  # the window's colour: a new figure does not repaint the window too
            entry.addWidget(label)
        self._layout.insertLayout(self._layout.count() - 1, entry)
        return pair

    def _on_change(self, change: Change) -> None:
        self.refresh()


def _show(caption: QLabel, value: QLabel, item: SummaryItem) -> None:
    """Put an entry into its labels: the value bold, red when it needs attention, a grade in its colour."""
    caption.setText(item.caption)
    value.setText(item.value)
    font = value.font()
    if not font.bold():
        font.setBold(True)
        value.setFont(font)
    color = "#c53030" if item.warn else GRADE_COLORS.get(item.value, "") if item.key == "grade" else ""
    palette = caption.palette()
    if color:
        palette.setColor(QPalette.ColorRole.WindowText, QColor(color))
    value.setPalette(palette)
    for label in (caption, value):
        if label.toolTip() != item.tooltip:
            label.setToolTip(item.tooltip)
        label.setVisible(True)
