"""Benchmark of the Excel import: the template corpus (15 workbooks), this program's export of a 30-form
workbook, and one sheet of 1,350 indicator rows.

Run: ``python tests/benchmarks/bench_excel_import.py [--repeat 5]``. Prints median, n and spread (min–max)
of the wall time of ``read_excel`` per file group; most of it is openpyxl building the sheets.
"""

from __future__ import annotations

import argparse
import copy
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from desktop.models.formats.excel_import import read_excel  # noqa: E402
from desktop.models.workbook.domain import Workbook  # noqa: E402
from desktop.reports.xlsx import export_xlsx  # noqa: E402
from tests.helpers.bigworkbook import make_workbook  # noqa: E402
from tests.helpers.excel_corpus import CASES  # noqa: E402


def _time(paths: list[Path], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for path in paths:
            read_excel(path)
        times.append(time.perf_counter() - start)
    return times


def main(repeat: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="jixiao-bench-excel-import-"))
    corpus = []
    for case in CASES:
        corpus.append(folder / f"{case.name}.xlsx")
        case.build(corpus[-1])
    thirty = folder / "thirty.xlsx"
    workbook = make_workbook(30, 60)
    export_xlsx(workbook, thirty)
    form = copy.deepcopy(workbook.forms[0])
    form.indicators = [copy.deepcopy(i) for _ in range(25) for i in workbook.forms[0].indicators][:1350]
    big = folder / "one-sheet-1350-rows.xlsx"
    export_xlsx(Workbook(unit=workbook.unit, forms=[form]), big)
    for label, paths in ((f"corpus ({len(corpus)} files)", corpus), ("30 forms", [thirty]), ("1,350 rows", [big])):
        times = _time(paths, repeat)
        print(
            f"{label:22} median {statistics.median(times):6.2f} s  n={repeat}  "
            f"spread {min(times):.2f}–{max(times):.2f} s"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    main(parser.parse_args().repeat)
