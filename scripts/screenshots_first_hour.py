"""Screenshots for issue 17 (the first hour): the empty new workbook, a manual score beside its suggestion,
the current row's detail panel, a warning at entry and the overview, at 1280×800 and 1920×1080.

Meant for a real X display (``Xvfb :17 -screen 0 1920x1080x24 & DISPLAY=:17 python scripts/screenshots_first_hour.py``);
it falls back to offscreen without one. Works on copies of the samples in a temporary folder.
Usage: ``python scripts/screenshots_first_hour.py [OUT_DIR]`` (default ``docs/screenshots``).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from desktop.app import setup_application
from desktop.models.formats import interchange
from desktop.models.storage import store
from desktop.models.workbook.domain import Unit, Workbook

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "tests" / "data" / "samples"
SIZES = ((1280, 800), (1920, 1080))


def _settle(app: QApplication) -> None:
    for _ in range(5):
        app.processEvents()


def _window(app: QApplication, tmp: str, name: str, workbook: Workbook, size: tuple[int, int]) -> object:
    from desktop.views.main_window import MainWindow

    path = Path(tmp) / f"{name}.jxdb"
    store.create_workbook_file(path, workbook).close()
    settings = QSettings(str(Path(tmp) / f"{name}.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings, documents_dir=tmp, data_dir=tmp)
    window.resize(*size)
    window.show()
    window.open_path(str(path))
    _settle(app)
    return window


def render(out_dir: Path) -> list[Path]:
    """Render every scene at every size; returns the PNG files written."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    setup_application(app)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        for width, height in SIZES:
            suffix = f"{width}x{height}"

            def save(window: object, stem: str, suffix: str = suffix) -> None:
                _settle(app)
                target = out_dir / f"first_hour_{stem}_{suffix}.png"
                window.grab().save(str(target))  # type: ignore[attr-defined]
                written.append(target)

            blank = Workbook(unit=Unit("319101", "示例单位"), year=2025)
            empty = _window(app, tmp, f"empty{suffix}", blank, (width, height))
            save(empty, "empty")
            empty.close()  # type: ignore[attr-defined]

            sample = interchange.load_path(str(SAMPLES / "wuwei-zwfw-2022-selfeval.json"))
            window = _window(app, tmp, f"wuwei{suffix}", sample, (width, height))
            session = window.session  # type: ignore[attr-defined]
            form = session.document.workbook.forms[1]
            session.select_form(form)
            model, view = session.table.model(), session.table.view()
            save(window, "overview")
            first = form.indicators[0]
            row = model.row_of(first)
            model.setData(model.index(row, model.column_index("actual")), "8人", Qt.ItemDataRole.EditRole)
            view.setCurrentIndex(model.index(row, model.column_index("name")))
            save(window, "manual_score")
            row12 = model.row_of(form.indicators[12])
            view.setCurrentIndex(model.index(row12, model.column_index("name")))
            view.scrollTo(model.index(row12, 0))
            save(window, "detail_panel")
            second = form.indicators[1]
            actual = model.index(model.row_of(second), model.column_index("actual"))
            model.setData(actual, "-50m²", Qt.ItemDataRole.EditRole)
            view.setCurrentIndex(actual)
            view.scrollTo(model.index(0, 0))
            save(window, "warning_at_entry")
            window.close()  # type: ignore[attr-defined]
            _settle(app)
    return written


def main(argv: list[str]) -> int:
    """Render to ``argv[1]`` (default ``docs/screenshots``) and print the files written."""
    out_dir = Path(argv[1]) if len(argv) > 1 else ROOT / "docs" / "screenshots"
    for path in render(out_dir):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
