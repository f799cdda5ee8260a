"""GUI benchmark of what the user waits for: a real Return key to the end of the paint, opening a form,
and a new process to the first form shown.

Run: ``QT_QPA_PLATFORM=offscreen python -m tests.benchmarks.bench_gui [EDITS] [--only keys|open|cold]``
(``QT_QPA_PLATFORM=xcb`` under ``Xvfb`` for a real X display). Prints median, p95, n and spread.

1. Return key → end of paint: the main window (1366×768) shows a ``.jxdb`` workbook of 30 forms × 60
   indicators, then one of 3 forms × 600. For each edit the 实际完成值 cell of a row is opened with F2
   (a real key event), the editor's text is replaced, and the clock runs from sending the Return key
   press and release to the editor (→ delegate commit → undo command → SQL statements → engine →
   views → ``closeEditor`` → move to the next row → paint) to the end of the last paint it caused
   ("to the end of paint"; the application's ``notify`` notes when each paint event has returned),
   and, second figure, until the event queue is empty ("all work done": this includes the SQLite
   COMMIT with its fsync, which the window makes after the paint). A paint-event filter counts the
   paints and the area of the table repainted. The edited row is scrolled to the middle first, so
   that the move down does not scroll the table. The tree's current row follows the move down only once
   the typing pauses (``session.FOLLOW_DELAY_MS``; without unfolding, scrolling to it if out of view): that
   later repaint of the tree is not in these figures (here the next edit's move of the current cell, which
   syncs the tree at once as a click does, comes before it).
   The tree's 得分 column (the totals of the indicator's groups and form) repaints with the key.
   Then, on a few more edits (not timed), what one Return costs in Python calls: ``data()`` of the table
   and of the tree, and rows fitted to their text (the counting wrappers are in place from the start,
   idle while timed: well under 0.1 ms per edit).
2. Opening a form: selecting another form in the tree (as a click does) to the end of the paint, and
   until nothing is left to do.
3. Validation of the edited form afterwards (runs 300 ms after the last edit, off the typing path).
4. Cold start (project bytecode compiled first, as the built program has it): a new Python process
   creates the application and opens the window on a workbook file (as ``jixiao FILE.jxdb`` does);
   measured from spawning the process to the end of the first paint of the first form's table with
   its rows (1,800 and 36,000 indicators), with the CPU time the process used until then.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSettings, Qt  # noqa: E402
from PySide6.QtGui import QPaintEvent  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit, QWidget  # noqa: E402

from desktop.app import setup_application  # noqa: E402
from desktop.models.storage import store  # noqa: E402
from desktop.models.workbook.domain import Indicator  # noqa: E402
from desktop.views.indicator_model import IndicatorModel  # noqa: E402
from desktop.views.indicator_view import IndicatorView  # noqa: E402
from desktop.views.tree_model import TreeModel  # noqa: E402
from tests.benchmarks.processes import compile_project  # noqa: E402
from tests.benchmarks.stats import summary  # noqa: E402
from tests.helpers.bigworkbook import make_workbook  # noqa: E402


class PaintCounter(QObject):
    """Counts paint events of a widget and the area they covered."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__()
        self.widget = widget
        self.paints = 0
        self.area = 0
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget and event.type() == QEvent.Type.Paint and isinstance(event, QPaintEvent):
            self.paints += 1
            self.area += sum(rect.width() * rect.height() for rect in event.region())  # type: ignore[attr-defined]
        return False

    def reset(self) -> None:
        self.paints = 0
        self.area = 0


class CallCounter:
    """Counts calls of some Python methods (``name: (class, method)``) while used as a context manager."""

    def __init__(self, methods: dict[str, tuple[type, str]]) -> None:
        self.counts = dict.fromkeys(methods, 0)
        self.active = False
        self._originals: list[tuple[type, str, Any]] = []
        for name, (cls, method) in methods.items():
            original = cls.__dict__[method]
            self._originals.append((cls, method, original))
            setattr(cls, method, self._counting(name, original))

    def _counting(self, name: str, original: Any) -> Any:
        def counted(*args: Any, **kwargs: Any) -> Any:
            if self.active:
                self.counts[name] += 1
            return original(*args, **kwargs)

        return counted

    def __enter__(self) -> CallCounter:
        self.active = True
        return self

    def __exit__(self, *_: object) -> None:
        self.active = False

    def restore(self) -> None:
        """Put the methods back."""
        for cls, method, original in self._originals:
            setattr(cls, method, original)

    def per_call(self, times: int) -> list[str]:
        """``name N`` for each method: calls per one of ``times`` runs."""
        return [f"{name} {count / times:.0f}" for name, count in self.counts.items()]


class PaintClock(QApplication):
    """The application, noting when the last paint event (or window update request) has returned."""

    painted_at = 0.0
    _PAINTS = (QEvent.Type.Paint, QEvent.Type.UpdateRequest)

    def notify(self, receiver: QObject, event: QEvent) -> bool:
        painting = event.type() in self._PAINTS
        result = super().notify(receiver, event)
        if painting:
            self.painted_at = time.perf_counter()
        return result


def until_painted(app: QCoreApplication, started: float) -> float | None:
    """Milliseconds from ``started`` to the end of the last paint since (None without a paint)."""
    painted = getattr(app, "painted_at", 0.0)
    return (painted - started) * 1000 if painted > started else None


def drain(app: QApplication) -> None:
    """Process events until none is left (the paints they cause included)."""
    app.processEvents()
    app.sendPostedEvents()
    app.processEvents()


def bench_window(forms: int, rows: int, edits: int) -> None:
    """Real Return keys on one form, then switching forms, in a window showing forms × rows indicators."""
    app = QApplication.instance() or PaintClock(sys.argv[:1])
    assert isinstance(app, QApplication)
    setup_application(app)
    from desktop.views.main_window import MainWindow

    # PySide looks a Python override of a C++ virtual up once per object: count from the start (idle while timed).
    calls = CallCounter(
        {
            "table data()": (IndicatorModel, "data"),
            "tree data()": (TreeModel, "data"),
            "row fits": (IndicatorView, "sizeHintForRow"),
        }
    )

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.jxdb"
        store.create_workbook_file(path, make_workbook(forms, rows)).close()
        settings = QSettings(str(Path(tmp) / "s.ini"), QSettings.Format.IniFormat)
        window = MainWindow(settings, documents_dir=tmp, data_dir=tmp)
        window.resize(1366, 768)
        window.show()
        window.activateWindow()
        drain(app)
        started = time.perf_counter()
        assert window.open_path(str(path))
        drain(app)
        opened = (time.perf_counter() - started) * 1000
        session = window.session
        assert session is not None
        workbook = session.document.workbook

        # Opening forms: each selection shows another form; alternate so every open is a real change.
        open_times: list[float] = []
        open_painted: list[float] = []
        open_cpu: list[float] = []
        picks = [workbook.forms[i % len(workbook.forms)] for i in range(1, 1 + max(6, min(20, edits // 2)))]
        for form in picks:
            if form is session.pane.form():
                continue
            started, started_cpu = time.perf_counter(), time.process_time()
            window.select_form(form)
            drain(app)
            open_times.append((time.perf_counter() - started) * 1000)
            open_painted.append(until_painted(app, started) or open_times[-1])
            open_cpu.append((time.process_time() - started_cpu) * 1000)

        form = workbook.forms[len(workbook.forms) // 2]
        window.select_form(form)
        drain(app)
        table = session.table
        view = table.view()
        model = table.model()
        actual_column = model.column_index("actual")
        score_column = model.column_index("score")
        assert actual_column is not None and score_column is not None
        summary_bar = session.summary
        viewport = PaintCounter(view.viewport())
        total_area = view.viewport().width() * view.viewport().height()

        times: list[float] = []
        painted: list[float] = []
        cpu: list[float] = []
        paints: list[int] = []
        areas: list[float] = []
        changes = 0

        def open_editor(i: int) -> tuple[int, Indicator, QLineEdit, str]:
            row = (i * 7) % len(form.indicators)
            indicator = form.indicators[row]
            index = model.index(row, actual_column)
            view.setFocus()
            view.setCurrentIndex(index)
            view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)  # Enter's move does not scroll
            drain(app)
            QTest.keyClick(view, Qt.Key.Key_F2)
            drain(app)
            editor = view.indexWidget(index)
            assert isinstance(editor, QLineEdit), "F2 did not open the cell's editor"
            new = f"{(i * 13) % 120 + (1 if indicator.actual == f'{(i * 13) % 120}次' else 0)}次"
            editor.setText(new)
            drain(app)
            return row, indicator, editor, new

        for i in range(edits):
            before_total = summary_bar.value("total")
            row, indicator, editor, new = open_editor(i)
            viewport.reset()
            started, started_cpu = time.perf_counter(), time.process_time()
            QTest.keyClick(editor, Qt.Key.Key_Return)
            drain(app)
            times.append((time.perf_counter() - started) * 1000)
            painted.append(until_painted(app, started) or times[-1])
            cpu.append((time.process_time() - started_cpu) * 1000)
            assert indicator.actual == new, (indicator.actual, new)
            assert view.currentIndex().row() == row + 1 or row == len(form.indicators) - 1
            paints.append(viewport.paints)
            areas.append(100 * viewport.area / total_area)
            changes += summary_bar.value("total") != before_total

        # What a Return costs in Python calls, counted on further edits (not timed: counting slows them).
        counted = max(1, min(10, edits))
        for i in range(edits, edits + counted):
            _, indicator, editor, new = open_editor(i)
            with calls:
                QTest.keyClick(editor, Qt.Key.Key_Return)
                drain(app)
            assert indicator.actual == new

        started = time.perf_counter()
        window.validate_now()
        validation = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        window.validate_all()
        validation_all = (time.perf_counter() - started) * 1000
        window.close()
        window.deleteLater()
        drain(app)
    calls.restore()

    label = f"{forms} forms × {rows} rows"
    print(f"[{label}] workbook opened in the window (warm process): {opened:.0f} ms")
    print(f"[{label}] open a form (tree selection → end of paint): wall {summary(open_painted)}")
    print(f"[{label}]     the same, until all work is done: wall {summary(open_times)}")
    print(f"[{label}]     the same, CPU time of this process: {summary(open_cpu)}")
    print(
        f"[{label}] Return key → end of paint ({edits} edits, total changed {changes}×): wall {summary(painted)}; "
        f"table paints per edit median {sorted(paints)[len(paints) // 2]}, "
        f"area repainted median {sorted(areas)[len(areas) // 2]:.0f}% of the table"
    )
    print(f"[{label}]     per edit ({counted} more edits): " + ", ".join(calls.per_call(counted)))
    print(f"[{label}]     the same, until all work is done (SQLite commit included): wall {summary(times)}")
    print(f"[{label}]     the same, CPU time of this process: {summary(cpu)}")
    print(
        f"[{label}] validation after an edit (one form): {validation:.1f} ms; whole workbook: {validation_all:.1f} ms"
    )


CHILD = """
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from desktop import app
qt = app.create_application([])
class TablePainted(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and window.session.table.model().rowCount():
            obj.removeEventFilter(self)  # the paint is running now; the time is taken when it has ended
            QTimer.singleShot(0, finish)
        return False
watch = TablePainted()
from desktop.views.main_window import MainWindow  # imported by open_main_window first thing anyway
open_path = MainWindow.open_path
def watched(self, *args, **kwargs):
    result = open_path(self, *args, **kwargs)  # the first form's views exist now; nothing has painted them yet
    if self.session is not None:
        self.session.table.view().viewport().installEventFilter(watch)
    return result
MainWindow.open_path = watched
window = app.open_main_window(sys.argv[1], defer=True)  # as run_gui does: show first, then open
def finish():
    print(f"SHOWN {time.time():.6f} {time.process_time():.6f}", flush=True)
    qt.quit()
sys.exit(qt.exec())
"""
# The filter watches the table's viewport only: an application-wide Python event filter (as this benchmark
# had until 2026-12) is called for every event of every widget while the window is built, and converting
# those objects for Python made PySide create ~170 enum types of classes the program never uses: ~40 ms
# of the measured start that the program itself does not spend.


def bench_cold_start(runs: int) -> None:
    """Spawn the app ``runs`` times on each workbook and time process start → first form's table painted."""
    compile_project()
    with tempfile.TemporaryDirectory() as home:
        env = {
            **os.environ,
            "HOME": home,
            "XDG_DATA_HOME": str(Path(home) / "data"),
            "XDG_CONFIG_HOME": str(Path(home) / "config"),
            "PYTHONPATH": str(ROOT),
        }
        for forms, rows in ((30, 60), (600, 60)):
            path = Path(home) / f"wb{forms}x{rows}.jxdb"
            store.create_workbook_file(path, make_workbook(forms, rows)).close()
            times: list[float] = []
            cpu: list[float] = []
            cpu_shown: list[float] = []
            for _ in range(runs):
                usage = resource.getrusage(resource.RUSAGE_CHILDREN)
                started_cpu = usage.ru_utime + usage.ru_stime
                started = time.time()
                result = subprocess.run(
                    [sys.executable, "-c", CHILD, str(path)], env=env, capture_output=True, text=True, timeout=300
                )
                line = next((x for x in result.stdout.splitlines() if x.startswith("SHOWN")), None)
                if result.returncode != 0 or line is None:
                    raise SystemExit(f"cold start failed: {result.stderr[-2000:]}")
                times.append((float(line.split()[1]) - started) * 1000)
                cpu_shown.append(float(line.split()[2]) * 1000)
                usage = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu.append((usage.ru_utime + usage.ru_stime - started_cpu) * 1000)
            print(
                f"cold start → first form of {forms * rows:,} indicators ({forms} × {rows}) painted: "
                f"wall {summary(times, p95=False)}"
            )
            print(f"    CPU of the process until the form was shown: {summary(cpu_shown, p95=False)}")
            print(f"    CPU of the whole process (to its exit, deferred checks included): {summary(cpu, p95=False)}")


def main() -> None:
    """Run the benchmarks."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("edits", type=int, nargs="?", default=60)
    parser.add_argument("--only", choices=("keys", "cold"))
    parser.add_argument("--runs", type=int, default=5, help="cold starts per workbook")
    args = parser.parse_args()
    print(f"platform {os.environ['QT_QPA_PLATFORM']}, load average {os.getloadavg()[0]:.1f}")
    if args.only in (None, "keys"):
        bench_window(30, 60, args.edits)
        bench_window(3, 600, args.edits)
    if args.only in (None, "cold"):
        bench_cold_start(args.runs)
    sys.stdout.flush()
    os._exit(0)  # PySide6 6.12 can abort while tearing down at interpreter exit ("none_dealloc")


if __name__ == "__main__":
    main()
