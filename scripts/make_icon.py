"""Draws the application icon (resources/icons/jixiao.png and .ico) with Qt; run once when it changes."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QImage, QPainter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from desktop.resources import FONT_FILE, resource_path  # noqa: E402


def draw(size: int) -> QImage:
    """The icon at one size: a red seal-like square with 绩效 in white."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor("#b22222"))
    painter.setPen(Qt.PenStyle.NoPen)
    margin = size * 0.04
    painter.drawRoundedRect(QRectF(margin, margin, size - 2 * margin, size - 2 * margin), size * 0.18, size * 0.18)
    family = QFontDatabase.applicationFontFamilies(QFontDatabase.addApplicationFont(str(resource_path(*FONT_FILE))))[0]
    font = QFont(family)
    font.setPixelSize(int(size * 0.36))
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, "绩效")
    painter.end()
    return image


def main() -> None:
    """Write the PNG (256 px) and the ICO (256 px; Windows scales it)."""
    QGuiApplication([])
    out = ROOT / "resources" / "icons"
    out.mkdir(parents=True, exist_ok=True)
    image = draw(256)
    image.save(str(out / "jixiao.png"))
    if not image.save(str(out / "jixiao.ico")):
        raise SystemExit("this Qt has no ICO writer")


if __name__ == "__main__":
    main()
