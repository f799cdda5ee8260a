"""Screenshots of 文件 → 汇总下级单位 and pages of its 汇总表, on a generated unit set (with broken files).

Writes ``docs/screenshots/consolidation-overview.png`` and ``consolidation-review.png`` (the real
window when run under Xvfb with ``QT_QPA_PLATFORM=xcb``, else an offscreen grab), and renders the
汇总表 PDF's pages to ``docs/pdf/consolidation-summary-pN.png`` with ``pdftoppm``. Everything else
is made in a temporary folder.

Usage: ``python scripts/screenshots_consolidation.py [SCREENSHOT_DIR] [PDF_DIR]``
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtGui import QPixmap  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

import desktop.views  # noqa: E402, F401  # installs the PySide6 emit fix
from desktop.app import setup_application  # noqa: E402
from desktop.views.consolidation_model import COL_NAME  # noqa: E402
from desktop.views.consolidation_review import COL_REVIEW_COMMENT, COL_REVIEW_SCORE  # noqa: E402
from desktop.views.consolidation_window import ConsolidationWindow, unit_names  # noqa: E402
from tests.helpers.unitset import unit_workbook, write_hostile, write_unit  # noqa: E402


def _settle(app: QApplication, rounds: int = 30) -> None:
    for _ in range(rounds):
        app.processEvents()
        time.sleep(0.01)


def _shot(app: QApplication, window: QWidget, path: Path) -> None:
    _settle(app)
    screen = app.primaryScreen()
    pixmap: QPixmap
    if os.environ.get("QT_QPA_PLATFORM") == "xcb" and screen is not None:
        pixmap = screen.grabWindow(window.winId())
    else:
        pixmap = window.grab()
    pixmap.save(str(path))
    print(f"wrote {path}")


def _unit_set(folder: Path) -> Path:
    units = folder / "各单位报送"
    units.mkdir()
    for number in range(1, 15):
        workbook = unit_workbook(number, projects=2 + number % 3)
        if number == 5:
            del workbook.forms[3]  # a project with a 目标表 and no 自评表
        if number == 7:
            workbook.year = 2024  # last year's file by mistake
        if number == 9:
            workbook.forms[1].indicators[2].actual = None  # a row still 待评
        fmt = ("jxdb", "json", "xlsx")[number % 3] if number % 4 else "jxdb"
        write_unit(units, workbook, fmt)
    write_unit(units, unit_workbook(3), "json", name="319103-重报")
    for name, path in write_hostile(units).items():
        if name not in ("newer", "truncated", "pdf", "trigger"):
            path.unlink()
    return units


def main(argv: list[str]) -> int:
    """Make the screenshots and the 汇总表 pages."""
    shots = Path(argv[1]) if len(argv) > 1 else ROOT / "docs" / "screenshots"
    pdfs = Path(argv[2]) if len(argv) > 2 else ROOT / "docs" / "pdf"
    app = QApplication(sys.argv[:1])
    setup_application(app)
    with tempfile.TemporaryDirectory(prefix="jixiao-consolidation-") as name:
        folder = Path(name)
        units = _unit_set(folder)
        names = folder / "单位名单.csv"
        names.write_text(
            "代码,名称\n" + "".join(f"{319100 + n},测试单位{n:03d}\n" for n in range(1, 17)), encoding="utf-8"
        )
        window = ConsolidationWindow(QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat), None, str(folder))
        window.resize(1440, 860)
        window.show()
        from desktop.models.consolidation.findings import read_expected

        window.expected = read_expected(names)
        window.add_inputs([str(units)])
        while window.task is not None:
            app.processEvents()
            time.sleep(0.02)  # no busy loop: PySide6 6.12 leaks a reference to None per processEvents()
        row = unit_names(window).index("测试单位002")
        unit_index = window.proxy.index(row, 0)
        window.tree.expand(unit_index)
        window.tree.setCurrentIndex(window.proxy.index(1, COL_NAME, unit_index))
        _shot(app, window, shots / "consolidation-overview.png")

        panel = window.review
        panel.form_score.setText("95")
        panel.form_comment.setText("执行率未达100%，偏差说明不充分，扣2分")
        panel.form_comment.editingFinished.emit()
        item = panel.table.item(1, COL_REVIEW_SCORE)
        comment = panel.table.item(1, COL_REVIEW_COMMENT)
        assert item is not None and comment is not None
        item.setText("6")
        comment.setText("质量指标佐证材料不足，按60%计分")
        window.filter_box.setCurrentIndex(0)
        _shot(app, window, shots / "consolidation-review.png")

        assert window.result is not None
        from desktop.reports.consolidation_pdf import export_summary_pdf

        pdf = folder / "汇总表.pdf"
        export_summary_pdf(window.result, pdf, window.book, "测试主管部门")
        for old in pdfs.glob("consolidation-summary-p*.png"):
            old.unlink()
        subprocess.run(["pdftoppm", "-r", "80", "-png", str(pdf), str(pdfs / "consolidation-summary-p")], check=True)
        for page in sorted(pdfs.glob("consolidation-summary-p*.png")):
            fixed = page.with_name(page.name.replace("-p-", "-p").replace("p-0", "p").replace("p0", "p"))
            page.rename(fixed)
            print(f"wrote {fixed}")
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
