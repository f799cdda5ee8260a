"""A self-evaluation at a glance, painted with QPainter: score against weight per 一级 as bars, and how
many indicators were met / partly met / not met. No chart library."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPaintEvent, QPen, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

from desktop.models.scoring.guidance import Overview
from desktop.models.workbook import numbers

BAR_FULL = QColor("#2E7D32")
BAR_PART = QColor("#F9A825")
BAR_LOW = QColor("#C62828")
TRACK = QColor("#E6E6E6")
COUNT_COLOURS = (("达成", BAR_FULL), ("部分达成", BAR_PART), ("未达成", BAR_LOW), ("待判断", QColor("#9E9E9E")))


def bar_colour(score: Decimal, weight: Decimal) -> QColor:
    """Green when (nearly) all of the weight was earned, amber from 60%, red below."""
    if weight <= 0:
        return TRACK
    share = score / weight
    return BAR_FULL if share >= Decimal("0.95") else BAR_PART if share >= Decimal("0.6") else BAR_LOW


class OverviewChart(QWidget):
    """The bars and counts of one ``Overview`` (hidden by its owner for forms without scores)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("overviewChart")
        self._overview: Overview | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_overview(self, overview: Overview | None) -> None:
        """Paint this overview (None: nothing); the same overview again changes nothing (no repaint).

        After an edit only what changed repaints: the bars whose figures changed and the line of counts
        and total (an edit changes one 一级's bar; the others, their texts and tracks, stay).
        """
        old = self._overview
        if overview == old and repr(overview) == repr(old):
            return
        self._overview = overview
        self.setToolTip(self.summary_text())
        if old is None or overview is None or [b.name for b in old.bars] != [b.name for b in overview.bars]:
            self.update()
            return
        for index, (before, after) in enumerate(zip(old.bars, overview.bars, strict=True)):
            if repr(before) != repr(after):
                self.update(self._bar_area(index, len(overview.bars)))
        if (old.met, old.partly, old.not_met, old.open) != (
            overview.met,
            overview.partly,
            overview.not_met,
            overview.open,
        ):
            self.update(self._counts_area())
        elif repr((old.total, old.max_total)) != repr((overview.total, overview.max_total)):
            self.update(self._total_area(old).united(self._total_area(overview)))  # the total alone moved

    def _slot(self, bars: int) -> float:
        return (self.width() - 8) / max(1, bars)

    def _bar_area(self, index: int, bars: int) -> QRect:
        """Where one bar (its name, figures and track) is painted."""
        slot = self._slot(bars)
        line = self.fontMetrics().height()
        return QRectF(4 + index * slot - 2, 0, slot - 4, 4 + line * 1.6 + 4).toAlignedRect()

    def _counts_area(self) -> QRect:
        """Where the line of counts and the total is painted."""
        line = self.fontMetrics().height()
        return QRectF(0, 4 + line * 1.6 + 6, self.width(), line + 4).toAlignedRect()

    def _total_area(self, view: Overview) -> QRect:
        """Where the total (right-aligned at the end of the line of counts) is painted."""
        text = _total_text(view)
        if not text:
            return QRect()
        advance = self.fontMetrics().horizontalAdvance(text)
        line = self.fontMetrics().height()
        return QRectF(self.width() - 8 - advance - 4, 4 + line * 1.6 + 6, advance + 8, line + 4).toAlignedRect()

    def overview(self) -> Overview | None:
        """The overview painted."""
        return self._overview

    def summary_text(self) -> str:
        """The overview in words (tooltip, tests)."""
        view = self._overview
        if view is None:
            return ""
        bars = "；".join(f"{bar.name} {numbers.score(bar.score)}/{numbers.score(bar.weight)}" for bar in view.bars)
        counts = f"达成 {view.met} 项，部分达成 {view.partly} 项，未达成 {view.not_met} 项，待判断 {view.open} 项"
        return f"{bars}\n{counts}"

    def sizeHint(self) -> QSize:
        line = self.fontMetrics().height()
        return QSize(600, line * 3 + 14)

    def minimumSizeHint(self) -> QSize:
        return QSize(200, self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        view = self._overview
        if view is None:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self.fontMetrics()
        line = metrics.height()
        width = self.width() - 8
        bars = view.bars or ()
        slot = self._slot(len(bars))
        top = 4.0
        dirty = event.rect()
        for index, bar in enumerate(bars):
            if not dirty.intersects(self._bar_area(index, len(bars))):
                continue
            left = 4 + index * slot
            label = metrics.elidedText(bar.name, Qt.TextElideMode.ElideRight, int(slot - 8))
            painter.setPen(self.palette().windowText().color())
            painter.drawText(QRectF(left, top, slot - 8, line), Qt.AlignmentFlag.AlignLeft, label)
            value = f"{numbers.score(bar.score)}/{numbers.score(bar.weight)}"
            painter.drawText(QRectF(left, top, slot - 8, line), Qt.AlignmentFlag.AlignRight, value)
            track = QRectF(left, top + line + 2, slot - 8, line * 0.6)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(TRACK)
            painter.drawRoundedRect(track, 3, 3)
            if bar.weight > 0:
                share = float(min(max(bar.score / bar.weight, Decimal(0)), Decimal(1)))
                filled = QRectF(track.left(), track.top(), track.width() * share, track.height())
                painter.setBrush(bar_colour(bar.score, bar.weight))
                painter.drawRoundedRect(filled, 3, 3)
        if not dirty.intersects(self._counts_area()):
            painter.end()
            return
        counts = _counts(view)
        x = 4.0
        y = top + line * 1.6 + 8
        for (word, colour), count in zip(COUNT_COLOURS, counts, strict=True):
            text = f"{word} {count} 项"
            advance = metrics.horizontalAdvance(text)
            if dirty.intersects(QRectF(x - 1, y - 1, line * 0.7 + advance + 6, line + 2).toAlignedRect()):
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(colour)
                painter.drawEllipse(QRectF(x, y + line * 0.25, line * 0.5, line * 0.5))
                painter.setPen(QPen(self.palette().windowText().color()))
                painter.drawText(QRectF(x + line * 0.7, y, advance + 4, line), text)
            x += line * 0.7 + advance + 18
        total = _total_text(view)
        if total and dirty.intersects(self._total_area(view)):
            painter.setPen(QPen(self.palette().windowText().color()))
            painter.drawText(QRectF(x, y, width - x, line), Qt.AlignmentFlag.AlignRight, total)
        painter.end()


def _counts(view: Overview) -> tuple[int, int, int, int]:
    return view.met, view.partly, view.not_met, view.open


def _total_text(view: Overview) -> str:
    if view.total is None:
        return ""
    return f"合计 {numbers.score(view.total)} / {numbers.score(view.max_total)} 分"


_gauges: dict[int, QIcon] = {}


def gauge_icon(share: Decimal) -> QIcon:
    """The tree's small mark of a self-evaluation: a bar filled to its total / full marks (in twentieths)."""
    step = int(min(max(share, Decimal(0)), Decimal(1)) * 20)
    if step not in _gauges:
        pixmap = QPixmap(QSize(28, 10))
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(TRACK)
        painter.drawRoundedRect(QRectF(0, 2, 28, 6), 2, 2)
        painter.setBrush(bar_colour(Decimal(step), Decimal(20)))
        painter.drawRoundedRect(QRectF(0, 2, 28 * step / 20, 6), 2, 2)
        painter.end()
        _gauges[step] = QIcon(pixmap)
    return _gauges[step]
