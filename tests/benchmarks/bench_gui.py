"""GUI benchmark: cell commit → repainted score and summary on a 30×60 workbook, and cold start to the window.

Run: ``QT_QPA_PLATFORM=offscreen python tests/benchmarks/bench_gui.py [EDITS]``. Prints medians and p95.

1. Edit latency: a 30-form × 60-indicator workbook (``make_workbook(30, 60)``) is open in the main
   window (1366×768, offscreen) on a ``.jxdb`` file; each edit commits an 实际完成值 through the
   indicator table model's ``setData`` (→ undo command → store transaction → engine invalidation →
   views), then processes events and repaints the table, the tree and the summary bar.
2. Validation of the edited form afterwards (runs 300 ms after the last edit, off the typing path).
3. Cold start: a new Python process that creates the application, opens the window on a workbook
   and quits from the event loop's first turn after ``show()``; measured from spawning the process
   to the window shown, median of 5 (the first run also makes the sample workbook: first start).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from desktop.app import setup_application  # noqa: E402
from desktop.models.storage import store  # noqa: E402
from tests.helpers.bigworkbook import make_workbook  # noqa: E402


def percentile(values: list[float], fraction: float) -> float:
    """The value below which ``fraction`` of the sorted values lie (nearest rank)."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[rank]


def bench_edits(edits: int) -> None:
    """Commit ``edits`` cells and time each until the score and summary are repainted."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    setup_application(app)
    from desktop.views.main_window import MainWindow

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.jxdb"
        started = time.perf_counter()
        store.create_workbook_file(path, make_workbook(30, 60)).close()
        created = time.perf_counter() - started
        settings = QSettings(str(Path(tmp) / "s.ini"), QSettings.Format.IniFormat)
        window = MainWindow(settings, documents_dir=tmp, data_dir=tmp)
        window.resize(1366, 768)
        window.show()
        app.processEvents()
        started = time.perf_counter()
        assert window.open_path(str(path))
        app.processEvents()
        opened = time.perf_counter() - started
        session = window.session
        assert session is not None
        form = session.document.workbook.forms[15]
        session.tree.select_object(form)
        app.processEvents()
        view = session.table.view()
        model = session.table.model()
        actual_column = model.column_index("actual")
        score_column = model.column_index("score")
        assert actual_column is not None and score_column is not None
        summary = session.summary
        tree = session.tree

        times: list[float] = []
        shown: list[float] = []
        changes = 0
        for i in range(edits):
            row = (i * 7) % len(form.indicators)
            indicator = form.indicators[row]
            index = model.index(row, actual_column)
            view.scrollTo(index)
            app.processEvents()
            before_total = summary.value("total")
            old = indicator.actual or ""
            new = old[:1] + old if i % 2 == 0 else old[1:] or "1"  # a different value each time
            started = time.perf_counter()
            assert model.setData(index, new)
            app.processEvents()  # what the user sees: the dirty cells, tree rows and summary are painted here
            shown.append((time.perf_counter() - started) * 1000)
            view.viewport().repaint()
            tree.viewport().repaint()
            summary.repaint()
            times.append((time.perf_counter() - started) * 1000)
            assert indicator.actual == new
            assert model.index(row, score_column).data() is not None
            changes += summary.value("total") != before_total

        started = time.perf_counter()
        window.validate_now()
        validation = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        window.validate_all()
        validation_all = (time.perf_counter() - started) * 1000
        window.close()

    print(f"workbook 30 forms × 60 indicators: file made in {created:.2f} s, opened in the window in {opened:.2f} s")
    print(
        f"cell commit → events processed (dirty regions painted) ({edits} edits, total changed {changes}×): "
        f"median {statistics.median(shown):.1f} ms, p95 {percentile(shown, 0.95):.1f} ms"
    )
    print(
        "cell commit → events + forced full repaint of table, tree and summary: "
        f"median {statistics.median(times):.1f} ms, p95 {percentile(times, 0.95):.1f} ms, max {max(times):.1f} ms"
    )
    print(f"validation after an edit (one form): {validation:.1f} ms; whole workbook: {validation_all:.1f} ms")


CHILD = """
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from desktop import app
qt = app.create_application([])
class FirstPaint(QObject):
    shown = None
    def eventFilter(self, obj, event):
        if self.shown is None and event.type() == QEvent.Type.Paint:
            self.shown = time.time()
        return False
watch = FirstPaint()
qt.installEventFilter(watch)
window = app.open_main_window(None, defer=True)  # as run_gui does: show first, then open
def check():
    if window.session is None or watch.shown is None:
        QTimer.singleShot(1, check)
        return
    qt.processEvents()
    print(f"SHOWN {watch.shown:.6f} OPENED {time.time():.6f} {window.isVisible()}", flush=True)
    qt.quit()
QTimer.singleShot(0, check)
sys.exit(qt.exec())
"""


def bench_cold_start(runs: int = 5) -> None:
    """Spawn the app ``runs`` times (fresh user folders) and time process start → window shown."""
    times: list[float] = []
    opened: list[float] = []
    with tempfile.TemporaryDirectory() as home:
        env = {
            **os.environ,
            "HOME": home,
            "XDG_DATA_HOME": str(Path(home) / "data"),
            "XDG_CONFIG_HOME": str(Path(home) / "config"),
            "QT_QPA_PLATFORM": "offscreen",
            "PYTHONPATH": str(ROOT),
        }
        for _ in range(runs):
            started = time.time()
            result = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, timeout=120)
            line = next((x for x in result.stdout.splitlines() if x.startswith("SHOWN")), None)
            if result.returncode != 0 or line is None:
                raise SystemExit(f"cold start failed: {result.stderr[-2000:]}")
            _, shown, _, filled, visible = line.split()
            assert visible == "True"
            times.append((float(shown) - started) * 1000)
            opened.append((float(filled) - started) * 1000)
    print(
        f"cold start → window shown ({runs} runs, first = first start): "
        f"median {statistics.median(times):.0f} ms, min {min(times):.0f} ms, max {max(times):.0f} ms"
    )
    print(
        f"cold start → workbook open and shown in it: median {statistics.median(opened):.0f} ms, "
        f"min {min(opened):.0f} ms, max {max(opened):.0f} ms"
    )


def main() -> None:
    """Run both benchmarks."""
    edits = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    bench_edits(edits)
    bench_cold_start()


if __name__ == "__main__":
    main()
