"""Starting the program on a workbook imports only what the first form's paint needs; the rest comes at first use."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from desktop.models.storage import store
from desktop.models.workbook.domain import Workbook

# Imported by the menu action, dialog or check after the first paint that needs them (issue 18: the first
# form of a 30 × 60 workbook shows within 0.5 s of starting the program).
LATER = (
    "sqlalchemy",
    "openpyxl",
    "reportlab",
    "desktop.views.dialog_windows",
    "desktop.reports.template",
    "desktop.models.scoring.validation",
    "desktop.views.library_dialog",
    "desktop.models.storage.backups",
    "ctypes",  # only where PySide6 6.12 leaks references (qtfix) or to probe X11 libraries (display_check)
)

START = """
import gc, sys
from PySide6.QtCore import QTimer
from desktop import app
qt = app.create_application([])
window = app.open_main_window(sys.argv[1])  # opened at once: nothing has painted yet
assert window.session is not None and window.session.table.model().rowCount() > 0
assert not gc.isenabled(), "the garbage collector runs while the workbook opens"
from desktop.views import qtfix
patched = qtfix._installed or qtfix._reserved  # a PySide6 with the reference bug needs ctypes at once
early = [name for name in sys.argv[2:] if name in sys.modules and not (name == "ctypes" and patched)]
assert not early, f"imported before the first paint: {early}"
def after_paint():
    if window.files.opening.pending:  # the first form has not painted yet
        return
    assert gc.isenabled(), "the garbage collector stays off after the first paint"
    assert "desktop.models.scoring.validation" in sys.modules  # 审核 ran after the paint
    assert "desktop.models.storage.backups" in sys.modules  # the backup was made after the paint
    window.acts.shortcuts.setEnabled(True)
    from PySide6.QtWidgets import QDialog
    QDialog.exec = lambda dialog: print("shown", type(dialog).__name__) or 0
    window.show_shortcuts()  # a dialog of dialog_windows, imported now
    print("ok", flush=True)
    window.close()
    qt.quit()
timer = QTimer()
timer.timeout.connect(after_paint)
timer.start(20)
sys.exit(qt.exec())
"""


def test_the_first_form_shows_before_menu_actions_checks_and_backups_are_imported(
    tmp_path: Path, wuwei: Workbook
) -> None:
    path = tmp_path / "w.jxdb"
    store.create_workbook_file(path, wuwei).close()
    env = {
        **os.environ,
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "QT_QPA_PLATFORM": "offscreen",
    }
    result = subprocess.run(
        [sys.executable, "-c", START, str(path), *LATER],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.split() == ["shown", "TableDialog", "ok"]
