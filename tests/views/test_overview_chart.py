"""The overview chart: after an edit it repaints only the bars whose figures changed and the line of counts,
and what it paints there is what a whole new picture of the new overview would show."""

from __future__ import annotations

from decimal import Decimal

import pytest

from PySide6.QtCore import QEvent, QObject, QPoint
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QRegion
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from desktop.models.scoring.guidance import LevelBar, Overview
from desktop.views.opaque import fill_background
from desktop.views.overview_chart import OverviewChart

pytestmark = pytest.mark.usefixtures("qapp_setup")

BEFORE = Overview(
    (
        LevelBar("预算执行率", Decimal(9), Decimal(10)),
        LevelBar("产出指标", Decimal(30), Decimal(50)),
        LevelBar("效益指标", Decimal(20), Decimal(30)),
        LevelBar("满意度指标", Decimal(10), Decimal(10)),
    ),
    met=5,
    partly=2,
    not_met=1,
    open=0,
    total=Decimal(69),
    max_total=Decimal(100),
)
# An 实际完成值 typed in one 产出指标 row: its bar, a count and the total change.
AFTER = Overview(
    (BEFORE.bars[0], LevelBar("产出指标", Decimal(45), Decimal(50)), *BEFORE.bars[2:]),
    met=6,
    partly=1,
    not_met=1,
    open=0,
    total=Decimal(84),
    max_total=Decimal(100),
)


class Repaints(QObject):
    """The region of each paint event of a widget."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__()
        self.region = QRegion()
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and isinstance(event, QPaintEvent):
            self.region = self.region.united(event.region())
        return False


def shown_chart(overview: Overview) -> tuple[QWidget, OverviewChart]:
    host = QWidget()  # a plain top-level: the offscreen platform warns when a top-level's size hints change
    chart = OverviewChart()
    fill_background(chart, QColor("#f0f0f0"))
    inner = QWidget(host)
    QVBoxLayout(inner).addWidget(chart)
    inner.resize(800, chart.sizeHint().height() + 20)
    chart.set_overview(overview)
    host.resize(800, chart.sizeHint().height() + 20)
    host.show()
    assert QTest.qWaitForWindowExposed(host)
    QApplication.processEvents()  # the first paint is done: what follows repaints what an overview changed
    return host, chart


def picture(chart: OverviewChart, region: QRegion | None = None, under: QImage | None = None) -> QImage:
    image = QImage(under) if under is not None else QImage(chart.size(), QImage.Format.Format_ARGB32)
    if under is None:
        image.fill(0)
    region = region if region is not None else QRegion(chart.rect())
    painter = QPainter(image)
    chart.render(painter, region.boundingRect().topLeft(), region)  # the region's corner lands at that point
    painter.end()
    return image


def test_an_edit_repaints_the_changed_bar_and_the_counts_only() -> None:
    host, chart = shown_chart(BEFORE)
    repaints = Repaints(chart)
    chart.set_overview(AFTER)
    QApplication.processEvents()
    region = repaints.region
    assert not region.isEmpty()
    bar_width = chart.width() // 4
    untouched = [QPoint(bar_width * i + bar_width // 2, 8) for i in (0, 2, 3)]
    assert not any(region.contains(point) for point in untouched), "bars whose figures stayed were repainted"
    assert region.contains(QPoint(bar_width + bar_width // 2, 8)), "the changed bar was not repainted"
    assert "产出指标 45/50" in chart.toolTip() and "达成 6 项" in chart.toolTip()
    host.close()


def test_what_a_partial_repaint_shows_is_the_new_overview() -> None:
    host, chart = shown_chart(BEFORE)
    old = picture(chart)
    repaints = Repaints(chart)
    chart.set_overview(AFTER)
    QApplication.processEvents()
    patched = picture(chart, repaints.region, under=old)
    assert patched == picture(chart), "the repainted parts and the parts left do not make the new picture"
    assert patched != old
    host.close()


def test_other_bars_repaint_the_whole_chart() -> None:
    host, chart = shown_chart(BEFORE)
    repaints = Repaints(chart)
    chart.set_overview(Overview(BEFORE.bars[:2], 1, 0, 0, 0, None, None))
    QApplication.processEvents()
    assert repaints.region.contains(chart.rect())
    host.close()


def test_a_total_that_moved_alone_repaints_the_total_only() -> None:
    host, chart = shown_chart(BEFORE)
    old = picture(chart)
    repaints = Repaints(chart)
    moved = Overview(BEFORE.bars, BEFORE.met, BEFORE.partly, BEFORE.not_met, BEFORE.open, Decimal("69.5"), Decimal(100))
    chart.set_overview(moved)
    QApplication.processEvents()
    region = repaints.region
    assert not region.isEmpty()
    assert region.boundingRect().left() > chart.width() // 2, "the counts on the left were repainted"
    assert picture(chart, region, under=old) == picture(chart)
    host.close()
