"""HiDPI and small screens: the window fits the free area of its screen; the tree's marks are drawn sharp."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from PySide6.QtCore import QRect, QSettings, QSize, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget

from desktop.views.main_window import MainWindow
from desktop.views.screen_fit import FRAME_ALLOWANCE, fit_rect, fit_to_screen
from desktop.views.tree_model import MARK_SIZE, _draw_mark, mark_icon

pytestmark = pytest.mark.usefixtures("qapp_setup")


@pytest.mark.parametrize(
    "available",
    [
        QRect(0, 0, 1366, 728),  # a 1366×768 laptop beside a 40 px taskbar
        QRect(0, 0, 1280, 680),  # 1920×1080 at 150%
        QRect(0, 0, 1097, 585),  # 1366×768 at 125%
        QRect(-1280, 40, 1280, 984),  # a second monitor left of the first, taskbar on top
    ],
)
def test_fit_rect_keeps_the_window_and_its_frame_inside(available: QRect) -> None:
    for wanted in (QRect(100, 100, 1280, 760), QRect(2500, 1400, 900, 560), QRect(-3000, -50, 2000, 1200)):
        fitted = fit_rect(wanted, available)
        framed = fitted.adjusted(
            -FRAME_ALLOWANCE.width() // 2,
            -(FRAME_ALLOWANCE.height() - FRAME_ALLOWANCE.width() // 2),
            FRAME_ALLOWANCE.width() // 2,
            FRAME_ALLOWANCE.width() // 2,
        )
        assert available.contains(framed), (wanted, fitted)
        assert fitted.width() == min(wanted.width(), available.width() - FRAME_ALLOWANCE.width())
        assert fitted.height() == min(wanted.height(), available.height() - FRAME_ALLOWANCE.height())
    inside = QRect(available.x() + 50, available.y() + 60, 400, 300)
    assert fit_rect(inside, available) == inside  # a window that fits is left where it is


def _window(tmp_path: Path, qtbot: Any) -> MainWindow:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings, documents_dir=str(tmp_path), data_dir=str(tmp_path))
    qtbot.addWidget(window)
    return window


def test_the_main_window_fits_a_small_screen(qtbot: Any, tmp_path: Path) -> None:
    """The offscreen screen is 800×800: smaller than the 1280×760 (minimum 900×560) the window asks for."""
    window = _window(tmp_path, qtbot)
    available = window.screen().availableGeometry()
    assert available.width() < 1280
    assert window.width() <= available.width() - FRAME_ALLOWANCE.width()
    assert window.height() <= available.height() - FRAME_ALLOWANCE.height()
    assert window.minimumWidth() <= window.width() and window.minimumHeight() <= window.height()
    window.show()
    qtbot.waitExposed(window)
    assert available.contains(window.geometry())


def test_a_geometry_saved_on_a_large_monitor_is_brought_back_inside(qtbot: Any, tmp_path: Path) -> None:
    window = _window(tmp_path, qtbot)
    window.setMinimumSize(QSize(0, 0))
    window.setGeometry(1500, 900, 1800, 1000)  # where it was on a 4K monitor
    window.close()  # saves the geometry
    again = _window(tmp_path, qtbot)
    available = again.screen().availableGeometry()
    assert available.contains(again.geometry()), again.geometry()
    again.close()


def test_fit_to_screen_leaves_a_never_placed_window_to_the_window_system(qtbot: Any) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.resize(3000, 2000)
    fit_to_screen(widget)
    available = widget.screen().availableGeometry()
    assert widget.width() <= available.width() and widget.height() <= available.height()
    assert not widget.testAttribute(Qt.WidgetAttribute.WA_Moved)  # not moved: placed by the window system


@pytest.mark.parametrize("ratio", [1.0, 1.25, 1.5, 2.0])
def test_marks_are_drawn_at_the_device_pixel_ratio(ratio: float) -> None:
    """At 125 % / 150 % the mark is a pixmap drawn for that scale, not the 16 px one stretched."""
    for error in (True, False):
        pixmap = mark_icon(error).pixmap(QSize(MARK_SIZE, MARK_SIZE), ratio)
        assert pixmap.size() == QSize(round(MARK_SIZE * ratio), round(MARK_SIZE * ratio))
        assert pixmap.devicePixelRatio() == ratio
        drawn = _draw_mark(error, ratio).toImage().convertToFormat(QImage.Format.Format_ARGB32)
        assert pixmap.toImage().convertToFormat(QImage.Format.Format_ARGB32) == drawn
    if ratio != 1.0:
        stretched = (
            mark_icon(True)
            .pixmap(QSize(MARK_SIZE, MARK_SIZE), 1.0)
            .scaled(round(MARK_SIZE * ratio), round(MARK_SIZE * ratio))
            .toImage()
            .convertToFormat(QImage.Format.Format_ARGB32)
        )
        assert stretched != _draw_mark(True, ratio).toImage().convertToFormat(QImage.Format.Format_ARGB32)
