"""Benchmark of the Excel export: the 1,800-indicator workbook (30 sheets) and one 60-row form.

Run: ``python tests/benchmarks/bench_xlsx.py [--repeat 5]``. Prints medians (wall time, file size).
Scores come from one warm scoring engine, as in the window, so the figures are the export's own.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from desktop.models.scoring.engine import ScoringEngine  # noqa: E402
from desktop.models.scoring.rules import load_ruleset  # noqa: E402
from desktop.reports.xlsx import XlsxResult, export_xlsx  # noqa: E402
from tests.helpers.bigworkbook import make_workbook  # noqa: E402


def main(repeat: int) -> None:
    workbook = make_workbook(30, 60)
    engine = ScoringEngine(load_ruleset(workbook.ruleset))
    for form in workbook.forms:
        engine.score_form(form)
    folder = Path(tempfile.mkdtemp(prefix="jixiao-bench-xlsx-"))
    for label, forms in (("1,800 indicators, 30 sheets", None), ("one 60-row form", [0])):
        times: list[float] = []
        result: XlsxResult | None = None
        for _ in range(repeat):
            started = time.perf_counter()
            result = export_xlsx(workbook, folder / "out.xlsx", forms=forms, scores=engine.score_form)
            times.append(time.perf_counter() - started)
        assert result is not None
        print(
            f"{label}: median {statistics.median(times):.3f} s over {repeat} runs, "
            f"{result.bytes / 1024:.0f} KB, {len(result.sheets)} sheet(s)"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    main(parser.parse_args().repeat)
