"""Keep a top-level window on the screen it opens on: no larger than the free area, not off its edges.

A 1366×768 laptop at 100% leaves about 1366×728 beside the taskbar; at 150% scaling a 1920×1080 screen
is 1280×680 logical pixels. The main window asks for 1280×760 (and at least 900×560), and a geometry
saved on a large monitor comes back on a small one: both would put the status bar or the title bar out
of reach. ``fit_rect`` is the arithmetic, ``fit_to_screen`` applies it to a window.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import QWidget

# The title bar and borders the window system adds around the client area (unknown before the
# window is shown): Windows 10/11 at 150% draws a title bar of about 45 px.
FRAME_ALLOWANCE = QSize(16, 48)


def fit_rect(wanted: QRect, available: QRect, frame: QSize = FRAME_ALLOWANCE) -> QRect:
    """``wanted`` (a client rectangle) shrunk to fit ``available`` with its frame, and moved inside it."""
    width = max(1, min(wanted.width(), available.width() - frame.width()))
    height = max(1, min(wanted.height(), available.height() - frame.height()))
    top_left_x = available.left() + frame.width() // 2
    top_left_y = available.top() + frame.height() - frame.width() // 2
    right_limit = available.right() - frame.width() // 2 - width + 1
    bottom_limit = available.bottom() - frame.width() // 2 - height + 1
    x = min(max(wanted.x(), top_left_x), right_limit)
    y = min(max(wanted.y(), top_left_y), bottom_limit)
    return QRect(x, y, width, height)


def fit_to_screen(window: QWidget) -> None:
    """Shrink ``window`` (and its minimum size) to its screen's free area and move it inside."""
    available = window.screen().availableGeometry()
    room = QSize(available.width() - FRAME_ALLOWANCE.width(), available.height() - FRAME_ALLOWANCE.height())
    window.setMinimumSize(window.minimumSize().boundedTo(room))
    fitted = fit_rect(window.geometry(), available)
    if not window.testAttribute(Qt.WidgetAttribute.WA_Moved):
        window.resize(fitted.size())  # never placed: the window system chooses where
    elif fitted != window.geometry():
        window.setGeometry(fitted)
