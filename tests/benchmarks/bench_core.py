"""Benchmark of the scoring engine and validation on a 30 forms × 60 indicators workbook.

Run from the repository root: ``python -m tests.benchmarks.bench_core [runs]``.
Prints medians over the runs (default 30), wall-clock and CPU time of this process:
- full score, cold: a new engine scores every form (1,800 indicators); once with the
  module-level caches warm (value reader, formatting: texts were read before), once emptied too;
- rescore after one edit: one indicator's actual changes, ``indicator_changed``, ``score_form``;
- rescore through a document: ``WorkbookDocument.set_fields`` with the engine attached, in memory and
  on a ``.jxdb`` file (the SQLite commit with ``synchronous=FULL`` included, as every edit in the app);
- check_workbook: every validation check on the scored workbook;
- find_text: 查找 of a common text (every row) and of one that occurs nowhere, over all 1,800 rows.
Targets: rescore < 1 ms, full score < 50 ms.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from desktop.models.scoring import values, verdicts
from desktop.models.scoring.engine import ScoringEngine
from desktop.models.scoring.rules import load_ruleset
from desktop.models.scoring.validation import check_workbook
from desktop.models.storage import store
from desktop.models.workbook.document import WorkbookDocument
from desktop.models.workbook.search import find_text
from tests.benchmarks.stats import summary
from tests.helpers.bigworkbook import make_workbook


def _fmt(seconds: float) -> str:
    return f"{seconds * 1e6:8.1f} µs" if seconds < 1e-3 else f"{seconds * 1e3:8.2f} ms"


def _median(samples: list[tuple[float, float]]) -> str:
    """Median wall time and median CPU time (the CPU figure is steadier on a busy machine)."""
    wall = statistics.median(s[0] for s in samples)
    cpu = statistics.median(s[1] for s in samples)
    return f"{_fmt(wall)} wall {_fmt(cpu)} cpu"


def _time(run: Callable[[], object], runs: int, setup: Callable[[], object] | None = None) -> list[tuple[float, float]]:
    out = []
    for _ in range(runs):
        if setup is not None:
            setup()
        start, start_cpu = time.perf_counter(), time.process_time()
        run()
        out.append((time.perf_counter() - start, time.process_time() - start_cpu))
    return out


def main(runs: int = 30) -> None:
    """Measure and print the medians."""
    ruleset = load_ruleset()
    workbook = make_workbook(30, 60)
    count = sum(len(form.indicators) for form in workbook.forms)
    print(f"workbook: {len(workbook.forms)} forms, {count} indicators; {runs} runs each (median)")

    cold = _time(lambda: ScoringEngine(ruleset).score_workbook(workbook), runs)
    print(f"full score, cold engine        {_median(cold)}")

    # Also empty the module-level caches (private details, reached only here): the value reader's
    # and the engine's formatting of quantities.
    def clear_caches() -> None:
        getattr(values, "_read_cached").cache_clear()  # noqa: B009
        getattr(verdicts, "_format_quantity").cache_clear()  # noqa: B009
        getattr(verdicts, "_format_read_quantity").cache_clear()  # noqa: B009
        getattr(verdicts, "_format_read_value").cache_clear()  # noqa: B009

    colder = _time(lambda: ScoringEngine(ruleset).score_workbook(workbook), runs, setup=clear_caches)
    print(f"full score, all caches cold    {_median(colder)}")

    engine = ScoringEngine(ruleset)
    engine.score_workbook(workbook)
    warm = _time(lambda: engine.score_workbook(workbook), runs)
    print(f"full score, all cached         {_median(warm)}")

    form = workbook.forms[12]
    indicator = form.indicators[30]
    toggle = [0]

    def edit() -> None:
        toggle[0] += 1
        indicator.actual = f"{40 + toggle[0] % 50}次"

    def rescore() -> None:
        engine.indicator_changed(form, indicator)
        engine.score_form(form)

    print(f"rescore after one edit         {_median(_time(rescore, runs * 10, setup=edit))}")

    document = WorkbookDocument(workbook)
    attached = ScoringEngine(ruleset)
    attached.attach(document)
    attached.score_workbook(workbook)

    def edit_through_document() -> None:
        toggle[0] += 1
        document.set_fields(indicator, actual=f"{40 + toggle[0] % 50}次")
        attached.score_form(form)

    print(f"set_fields + rescore (attached){_median(_time(edit_through_document, runs * 10))}")

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "core.jxdb"
        store.create_workbook_file(path, make_workbook(30, 60)).close()
        on_disk = store.open_workbook(path)
        disk_engine = ScoringEngine(ruleset)
        disk_engine.attach(on_disk)
        disk_engine.score_workbook(on_disk.workbook)
        disk_form = on_disk.workbook.forms[12]
        disk_indicator = disk_form.indicators[30]

        def edit_on_disk() -> None:
            toggle[0] += 1
            on_disk.set_fields(disk_indicator, actual=f"{40 + toggle[0] % 50}次")
            disk_engine.score_form(disk_form)

        samples = _time(edit_on_disk, runs * 10)
        walls = [s[0] * 1000 for s in samples]
        print(f"set_fields + SQLite commit + rescore {_median(samples)}  ({summary(walls)})")
        on_disk.close()

    print(f"check_workbook (scores cached) {_median(_time(lambda: check_workbook(workbook, engine), runs))}")
    print(
        "check_workbook (cold engine)   "
        f"{_median(_time(lambda: check_workbook(workbook, ScoringEngine(ruleset)), runs))}"
    )
    print(f"findings: {len(check_workbook(workbook, engine))}")

    common = find_text(workbook, "指标")
    print(f"find_text, {len(common)} places       {_median(_time(lambda: find_text(workbook, '指标'), runs))}")
    print(f"find_text, nowhere             {_median(_time(lambda: find_text(workbook, '不存在的文字'), runs))}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
