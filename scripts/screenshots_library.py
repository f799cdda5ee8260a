"""Screenshots of the user's own 指标库 in the real window: the table's right-click menu with 加入指标库…,
the category question, and the message after 文件 → 导入指标库….

Writes ``docs/screenshots/library-add-menu.png``, ``library-add-category.png``, ``library-added.png``
(the message after adding) and ``library-import-result.png``. Run under Xvfb with
``QT_QPA_PLATFORM=xcb`` (menus and message boxes are windows of their own: the screen is grabbed and
cut to the main window); offscreen, only the main window is grabbed. The workbook, settings and
library live in a temporary folder.

Usage: ``QT_QPA_PLATFORM=xcb DISPLAY=:41 python scripts/screenshots_library.py [SCREENSHOT_DIR]``
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, QTimer  # noqa: E402
from PySide6.QtGui import QContextMenuEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox, QWidget  # noqa: E402

import desktop.views  # noqa: E402, F401  # installs the PySide6 emit fix
from desktop.app import setup_application  # noqa: E402
from desktop.models.formats import interchange  # noqa: E402
from desktop.models.library.entries import LibraryEntry, bundled_library, library_text  # noqa: E402
from desktop.models.storage import store  # noqa: E402
from desktop.views.main_window import MainWindow  # noqa: E402

SAMPLE = ROOT / "tests" / "data" / "samples" / "wuwei-zwfw-2022-selfeval.json"


def _settle(app: QApplication, rounds: int = 30) -> None:
    for _ in range(rounds):
        app.processEvents()
        time.sleep(0.01)


def _shot(app: QApplication, window: QWidget, path: Path) -> None:
    _settle(app, 10)
    screen = app.primaryScreen()
    if os.environ.get("QT_QPA_PLATFORM") == "xcb" and screen is not None:
        frame = window.frameGeometry()
        pixmap = screen.grabWindow(0, frame.x(), frame.y(), frame.width(), frame.height())
    else:
        pixmap = window.grab()
    pixmap.save(str(path))
    print(f"wrote {path}")


def _while_modal(app: QApplication, then: Callable[[], None]) -> None:
    """Call ``then`` once a popup or modal window shows (from the event loop of its ``exec``)."""

    def check() -> None:
        if app.activePopupWidget() is not None or app.activeModalWidget() is not None:
            timer.stop()
            then()

    timer = QTimer(app)
    timer.timeout.connect(check)
    timer.start(100)


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(argv)
    assert isinstance(app, QApplication)
    setup_application(app)
    folder = Path(tempfile.mkdtemp(prefix="jixiao-library-shots-"))
    book = folder / "武威政务服务2022.jxdb"
    store.create_workbook_file(book, interchange.load_path(str(SAMPLE))).close()
    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings, documents_dir=str(folder), data_dir=str(folder / "appdata"))
    window.resize(1366, 768)
    window.show()
    assert window.open_path(str(book))
    session = window.session
    assert session is not None
    window.select_form(session.document.workbook.forms[1])
    _settle(app)
    table = session.table
    view, model = table.view(), table.model()
    name = model.column_index("name") or 0
    table.select_indicators([model.indicator(2), model.indicator(3)])
    _settle(app)

    # 1. The right-click menu over two selected rows.
    def menu_shown() -> None:
        _shot(app, window, out / "library-add-menu.png")
        popup = app.activePopupWidget()
        assert popup is not None
        popup.close()

    _while_modal(app, menu_shown)
    point = view.visualRect(model.index(3, name)).center()
    QApplication.sendEvent(
        view.viewport(), QContextMenuEvent(QContextMenuEvent.Reason.Mouse, point, view.viewport().mapToGlobal(point))
    )
    _settle(app)

    # 2. 加入指标库…: the category asked once (existing ones offered, or typed).
    def category_shown() -> None:
        _shot(app, window, out / "library-add-category.png")
        dialog = app.activeModalWidget()
        assert isinstance(dialog, QInputDialog)
        dialog.setTextValue("政务服务类")
        dialog.accept()

    _while_modal(app, category_shown)
    table.request_add_to_library()
    _settle(app)
    _shot(app, window, out / "library-added.png")

    # 3. 文件 → 导入指标库…: the result.
    shared = folder / "兄弟单位指标库.json"
    entries = [
        LibraryEntry("信息化类", "产出指标", "质量指标", "系统可用率", target="≥**%", unit="%", direction="higher"),
        LibraryEntry("信息化类", "产出指标", "时效指标", "故障响应时间", target="≤**小时", unit="小时"),
        LibraryEntry("本单位", "效益指标", "满意度指标", "窗口服务满意度", target="≥**%", unit="%"),
        bundled_library()[0],
    ]
    shared.write_text(library_text(entries), encoding="utf-8")

    def result_shown() -> None:
        _shot(app, window, out / "library-import-result.png")
        box = app.activeModalWidget()
        assert isinstance(box, QMessageBox)
        box.close()

    _while_modal(app, result_shown)
    window.library.import_file(str(shared))
    _settle(app)
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
