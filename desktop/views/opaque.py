"""Widgets that paint their own background in the colour already behind them, so that a repaint of one
(the overview chart, the row detail, a summary figure after each edit) does not repaint every transparent
ancestor under it first (the tab widget's pane, the splitters, the window): the picture stays the same.

The colour of a tab widget's pane is the style's: it is asked once per style and palette, by painting the
pane's frame into a small image. A style whose pane is not one opaque colour leaves the widget transparent.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QImage, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyleOptionTabWidgetFrame, QWidget

_SIDE = 64  # the pane painted, in pixels; its inside (an 8-pixel border left out) must be one colour
_pane_colours: dict[tuple[str, int], QColor | None] = {}


def tab_pane_colour(widget: QWidget) -> QColor | None:
    """The colour inside a tab widget's pane in ``widget``'s style and palette (None: not one opaque colour)."""
    style = widget.style()
    palette = widget.palette()
    key = (style.name(), palette.cacheKey())
    if key not in _pane_colours:
        _pane_colours[key] = _paint_pane(style, palette, widget)
    return _pane_colours[key]


def _paint_pane(style: QStyle, palette: QPalette, widget: QWidget) -> QColor | None:
    image = QImage(_SIDE, _SIDE, QImage.Format.Format_ARGB32)
    image.fill(0)
    option = QStyleOptionTabWidgetFrame()
    option.rect = image.rect()
    option.palette = palette
    option.state = QStyle.StateFlag.State_Enabled
    painter = QPainter(image)
    style.drawPrimitive(QStyle.PrimitiveElement.PE_FrameTabWidget, option, painter, None)
    painter.end()
    inside = {image.pixel(x, y) for x in range(8, _SIDE - 8) for y in range(8, _SIDE - 8)}
    if len(inside) != 1:
        return None
    colour = QColor.fromRgba(inside.pop())
    return colour if colour.alpha() == 255 else None


def fill_as_tab_pane(widget: QWidget) -> None:
    """Let ``widget`` (on a tab page) fill its background with the pane's colour, if the style has one."""
    fill_background(widget, tab_pane_colour(widget))


def fill_background(widget: QWidget, colour: QColor | None) -> None:
    """Let ``widget`` fill its background with ``colour`` (None: stay transparent)."""
    if colour is None:
        widget.setAutoFillBackground(False)
        return
    palette = widget.palette()
    palette.setColor(widget.backgroundRole(), colour)
    widget.setPalette(palette)
    widget.setAutoFillBackground(True)
