"""Storage benchmark: create, open and edit a 30 forms × 60 indicators workbook file; prints medians.

Run: ``python -m tests.benchmarks.bench_storage [--repeat N]``. Targets: open < 300 ms, one
edit (``set_fields`` on an indicator, committed with ``synchronous=FULL``) a few ms at most,
the statement itself ≪ 1 ms.

"open as the window does" is what ``MainWindow.open_path`` does below the views: the backup copy
into the app-data folder, the lock and load, the engine scoring every form and the full
validation (审核) of the workbook; once in this warm process, once in a new process (its imports
included). Building the views is measured in ``bench_gui`` (opening in the window, cold start).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from desktop.models.formats import interchange
from desktop.models.storage import store
from tests.benchmarks.stats import summary
from tests.helpers.bigworkbook import make_workbook

WINDOW_OPEN = """
import sys, time
started = time.perf_counter()
from desktop.models.scoring.engine import ScoringEngine
from desktop.models.scoring.rules import load_ruleset
from desktop.models.scoring.validation import check_workbook
from desktop.models.storage import store
imported = time.perf_counter()
document = store.open_workbook(sys.argv[1], backup_dir=sys.argv[2])
engine = ScoringEngine(load_ruleset(document.workbook.ruleset))
engine.attach(document)
check_workbook(document.workbook, engine)
document.close()
print(f"{imported - started:.6f} {time.perf_counter() - started:.6f}")
"""


def _open_as_window(path: Path, backups: Path) -> None:
    from desktop.models.scoring.engine import ScoringEngine
    from desktop.models.scoring.rules import load_ruleset
    from desktop.models.scoring.validation import check_workbook

    document = store.open_workbook(path, backup_dir=backups)
    engine = ScoringEngine(load_ruleset(document.workbook.ruleset))
    engine.attach(document)
    check_workbook(document.workbook, engine)
    document.close()


def _open_in_new_process(path: Path, backups: Path, repeat: int) -> tuple[list[float], list[float], list[float]]:
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root)}
    whole, imports, inside = [], [], []
    for _ in range(repeat):
        started = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", WINDOW_OPEN, str(path), str(backups)], env=env, capture_output=True, check=True
        )
        whole.append((time.perf_counter() - started) * 1000)
        imported, total = (float(x) for x in out.stdout.split())
        imports.append(imported * 1000)
        inside.append(total * 1000)
    return whole, imports, inside


def _median_ms(samples: list[float]) -> str:
    low, high = min(samples) * 1000, max(samples) * 1000
    return f"{statistics.median(samples) * 1000:8.2f} ms  (n={len(samples)}, spread {low:.2f}–{high:.2f})"


def _time(func: Callable[[], object], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        samples.append(time.perf_counter() - started)
    return samples


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print one line per measure."""
    parser = argparse.ArgumentParser(description="storage benchmark")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args(argv)
    repeat = args.repeat
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-") as name:
        folder = Path(name)
        path = folder / "big.jxdb"
        json_path = folder / "big.json"
        json_path.write_text(interchange.dumps(make_workbook(30, 60)), encoding="utf-8")

        store.create_workbook_file(folder / "warm.jxdb", make_workbook(2, 2)).close()  # imports, Alembic scripts
        workbooks = [make_workbook(30, 60) for _ in range(repeat)]
        create = _time(lambda: store.create_workbook_file(path, workbooks.pop()).close(), repeat)
        import_json = _time(lambda: store.import_json(json_path, folder / "imported.jxdb"), repeat)
        size = path.stat().st_size

        open_close = _time(lambda: store.open_workbook(path).close(), repeat)
        load_ro = _time(lambda: store.load_any(path), repeat)
        backups = folder / "backups"
        window_open = _time(lambda: _open_as_window(path, backups), repeat)
        cold_whole, cold_imports, cold_inside = _open_in_new_process(path, backups, repeat)

        document = store.open_workbook(path)
        indicators = [ind for form in document.workbook.forms for ind in form.indicators]
        counter = iter(range(10**9))

        def edit() -> None:
            n = next(counter)
            document.set_fields(indicators[n % len(indicators)], actual=f"{n}次", score=Decimal(n % 7))

        edits = _time(edit, repeat * 10)
        sqlite_store = document.store
        assert isinstance(sqlite_store, store.SqliteStore)

        def statement_only() -> None:
            ind = indicators[next(counter) % len(indicators)]
            sqlite_store._writer.update("indicator", ind.db_id, {"actual": "x", "score": Decimal(1)})

        with sqlite_store.transaction():
            statements = _time(statement_only, repeat * 20)
        form = document.workbook.forms[0]
        moves = _time(lambda: document.move_item(form, "indicators", 0, 59), repeat * 5)
        export = _time(lambda: store.export_json(path, folder / "out.json"), repeat)
        document.close()

    print("storage benchmark: 30 forms × 60 indicators (1800 indicators)")
    print(f"  file size                         {size / 1024:8.0f} KB")
    print(f"  create file (from domain objects) {_median_ms(create)}")
    print(f"  import_json (parse + create)      {_median_ms(import_json)}")
    print(f"  open (check + lock + load) + close{_median_ms(open_close)}")
    print(f"  load_any (read-only)              {_median_ms(load_ro)}")
    print(f"  open as the window does (backup, lock, load, score, 审核) {_median_ms(window_open)}")
    print(f"  the same in a new process: whole  {summary(cold_whole, p95=False)}")
    print(f"      of which imports              {summary(cold_imports, p95=False)}")
    print(f"      imports + open + score + 审核  {summary(cold_inside, p95=False)}")
    print(f"  one edit: set_fields + commit     {_median_ms(edits)}")
    print(f"  UPDATE statement alone            {_median_ms(statements)}")
    print(f"  move one of 60 indicators         {_median_ms(moves)}")
    print(f"  export_json                       {_median_ms(export)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
