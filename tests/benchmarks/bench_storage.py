"""Storage benchmark: create, open and edit a 30 forms × 60 indicators workbook file; prints medians.

Run: ``python -m tests.benchmarks.bench_storage [--repeat N]``. Targets: open < 300 ms, one
edit (``set_fields`` on an indicator, committed with ``synchronous=FULL``) a few ms at most,
the statement itself ≪ 1 ms.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from desktop.models.formats import interchange
from desktop.models.storage import store
from tests.helpers.bigworkbook import make_workbook


def _median_ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:8.2f} ms  (min {min(samples) * 1000:.2f}, n={len(samples)})"


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
    print(f"  one edit: set_fields + commit     {_median_ms(edits)}")
    print(f"  UPDATE statement alone            {_median_ms(statements)}")
    print(f"  move one of 60 indicators         {_median_ms(moves)}")
    print(f"  export_json                       {_median_ms(export)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
