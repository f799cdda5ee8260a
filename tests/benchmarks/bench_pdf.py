"""Benchmark of the PDF export: a 1,800-indicator workbook, one form, a 600-row table, a cold process.

Run: ``python tests/benchmarks/bench_pdf.py [--repeat 3]``. Prints medians. If LibreOffice
(``soffice``) and openpyxl are available it also converts the same 600-row table from .xlsx
for comparison; otherwise it says why that part is skipped.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from desktop.models.scoring.engine import ScoringEngine  # noqa: E402
from desktop.models.scoring.rules import load_ruleset  # noqa: E402
from desktop.models.workbook.domain import Workbook  # noqa: E402
from desktop.reports.fonts import register_font  # noqa: E402
from desktop.reports.layouts import SELF_EVAL_HEADER  # noqa: E402
from desktop.reports.pdf import ExportResult, export_pdf  # noqa: E402
from tests.helpers.bigworkbook import make_workbook  # noqa: E402

COLD_SCRIPT = """
import sys, time
t = time.perf_counter()
sys.path.insert(0, {root!r})
from tests.helpers.bigworkbook import make_workbook
from desktop.reports.pdf import export_pdf
export_pdf(make_workbook(1, 60), {out!r})
"""


def median_time(action: Callable[[], ExportResult], repeat: int) -> tuple[list[float], ExportResult]:
    """Wall times of ``repeat`` runs and the last result."""
    times = []
    result: ExportResult | None = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    assert result is not None
    return times, result


def report(name: str, times: list[float], result: ExportResult) -> None:
    """One line of figures: the median, n and the spread (min–max) of the times."""
    seconds = statistics.median(times)
    print(
        f"{name:<38} {seconds:7.2f} s  {result.pages:5d} pages  {result.bytes / 1024:8.0f} KB"
        f"  {result.bytes / result.pages / 1024:5.1f} KB/page  {result.pages / seconds:6.0f} pages/s"
        f"  (n={len(times)}, {min(times):.2f}–{max(times):.2f} s)"
    )


def bench_exports(folder: Path, repeat: int) -> None:
    """The workbook, one form and the 600-row table, scores precomputed by a warm engine."""
    t = time.perf_counter()
    register_font()
    print(f"font registration (first time)          {time.perf_counter() - t:7.2f} s")
    cases: list[tuple[str, Workbook, list[int] | None, int]] = [
        ("workbook 30 forms x 60 = 1,800 rows", make_workbook(30, 60), None, repeat),
        ("one form, 60 rows", make_workbook(1, 60), None, max(repeat, 5)),
        ("one form, 600 rows (stack-notes table)", make_workbook(1, 600), None, repeat),
    ]
    out = folder / "bench.pdf"
    for name, workbook, forms, runs in cases:
        engine = ScoringEngine(load_ruleset(workbook.ruleset))
        engine.score_workbook(workbook)  # warm: measure the layout, not the scoring

        def run(
            workbook: Workbook = workbook, forms: list[int] | None = forms, engine: ScoringEngine = engine
        ) -> ExportResult:
            return export_pdf(workbook, out, forms=forms, scores=engine.score_form)

        times, result = median_time(run, runs)
        report(name, times, result)
    workbook = make_workbook(30, 60)
    start = time.perf_counter()
    result = export_pdf(workbook, folder / "cold-scores.pdf")  # a fresh engine scores everything too
    report("workbook incl. scoring (fresh engine)", [time.perf_counter() - start], result)


def bench_cold_process(folder: Path, repeat: int) -> None:
    """A whole new Python process exporting one form (imports + font registration included)."""
    times = []
    for _ in range(repeat):
        out = folder / "cold.pdf"
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", COLD_SCRIPT.format(root=str(ROOT), out=str(out))], check=True)
        times.append(time.perf_counter() - start)
    spread = f"{min(times):.2f}–{max(times):.2f} s"
    print(f"cold process, one 60-row form           {statistics.median(times):7.2f} s (n={repeat}, {spread})")


def bench_libreoffice(folder: Path, repeat: int) -> None:
    """LibreOffice converting the same 600-row table from .xlsx, when both tools are present."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        print("LibreOffice comparison skipped: soffice is not installed on this machine")
        return
    import openpyxl
    from openpyxl.worksheet.worksheet import Worksheet

    form = make_workbook(1, 600).forms[0]
    book = openpyxl.Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    sheet.append(list(SELF_EVAL_HEADER))
    for indicator in form.indicators:
        sheet.append(
            [
                indicator.level1,
                indicator.level2,
                indicator.name,
                indicator.target,
                indicator.actual,
                float(indicator.weight or 0),
                float(indicator.weight or 0),
                indicator.deviation,
            ]
        )
    row = 2
    while row <= len(form.indicators) + 1:  # merge each 一级/二级 run as the PDF does
        end = row
        while end + 1 <= len(form.indicators) + 1 and sheet.cell(end + 1, 2).value == sheet.cell(row, 2).value:
            end += 1
        if end > row:
            sheet.merge_cells(start_row=row, start_column=2, end_row=end, end_column=2)
        row = end + 1
    sheet.page_setup.orientation = "landscape"
    xlsx = folder / "table.xlsx"
    book.save(xlsx)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        command = [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(xlsx)]
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    size = (folder / "table.pdf").stat().st_size
    print(f"LibreOffice .xlsx -> PDF, 600 rows       {statistics.median(times):7.2f} s  {size / 1024:8.0f} KB")


def main() -> None:
    """Run every benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median printed)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        bench_exports(folder, args.repeat)
        bench_cold_process(folder, args.repeat)
        bench_libreoffice(folder, args.repeat)


if __name__ == "__main__":
    main()
