"""Benchmark of the PDF export: a 1,800-indicator workbook, one form, a 600-row table, a cold process.

Run: ``python tests/benchmarks/bench_pdf.py [--repeat 3] [--pairs 6] [--only-libreoffice]``. Prints
medians with n and spread, the peak memory of one export against its page count, and, if LibreOffice
(``soffice``) is installed, whole processes alternately: ``jixiao export --pdf`` against LibreOffice
converting our own .xlsx of the same 600-row form (see ``bench_libreoffice`` for what is counted and
why); otherwise it says why that part is skipped.
"""

from __future__ import annotations

import argparse
import os
import re
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
from desktop.reports.pdf import ExportResult, export_pdf  # noqa: E402
from tests.benchmarks.processes import child_cpu, compile_project  # noqa: E402
from tests.benchmarks.stats import summary  # noqa: E402
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


def _child(command: list[str]) -> tuple[float, float]:
    """Wall time from spawn to exit and CPU time (user + system) of one whole process; fails loudly."""
    start, start_cpu = time.perf_counter(), child_cpu()
    result = subprocess.run(command, capture_output=True, timeout=600, cwd=ROOT)  # -m desktop: this checkout
    seconds, cpu = time.perf_counter() - start, child_cpu() - start_cpu
    if result.returncode != 0:
        raise SystemExit(f"{command[0]} failed: {result.stderr.decode('utf-8', 'replace')[-2000:]}")
    return seconds, cpu


def _pdf_pages(path: Path) -> int:
    """The page count of a PDF (its page objects), to show both sides printed the whole table."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", path.read_bytes()))


def bench_libreoffice(folder: Path, pairs: int) -> None:
    """Whole processes, alternately: ``jixiao export --pdf`` against LibreOffice converting the same form.

    Both are timed from spawning the process to its exit, both start from a file on disk (our JSON,
    LibreOffice our own .xlsx export of the same 600-row form: title, header blocks, merged 一级/二级
    cells, page setup) and end with a PDF on disk. Fair to LibreOffice: it runs on a profile folder of
    its own that was created and used before timing (a first run creates the profile, ~2× slower: a
    one-time cost a user pays once, so it is left out), and one untimed run of each side warms the
    disk cache. Fair to us: our bytecode is compiled first, as the built program ships it. Pairs
    alternate their order (ours first, then theirs first) so that a busy machine slows both alike.
    """
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        print("LibreOffice comparison skipped: soffice is not installed on this machine")
        return
    from desktop.models.formats.interchange import dumps

    source = folder / "form600.json"
    workbook = make_workbook(1, 600)
    source.write_text(dumps(workbook), encoding="utf-8")
    engine = ScoringEngine(load_ruleset(workbook.ruleset))
    engine.score_workbook(workbook)
    export_pdf(workbook, folder / "warm.pdf", scores=engine.score_form)  # fonts registered, as in a running app
    cli = [sys.executable, "-m", "desktop", "export", str(source)]
    xlsx = folder / "form600.xlsx"
    _child([*cli, "--xlsx", str(xlsx), "--force"])
    profile = f"-env:UserInstallation=file://{folder / 'lo-profile'}"
    office = [soffice, profile, "--headless", "--convert-to", "pdf", "--outdir", str(folder / "lo"), str(xlsx)]
    ours_cmd = [*cli, "--pdf", str(folder / "ours.pdf"), "--force"]
    first_lo = _child(office)[0]  # creates the profile
    _child(office)  # warm profile, warm disk cache
    _child(ours_cmd)
    ours: list[tuple[float, float]] = []
    theirs: list[tuple[float, float]] = []
    in_app: list[float] = []
    for n in range(pairs):
        start = time.perf_counter()
        export_pdf(workbook, folder / "warm.pdf", scores=engine.score_form)
        in_app.append(time.perf_counter() - start)
        if n % 2 == 0:
            ours.append(_child(ours_cmd))
            theirs.append(_child(office))
        else:
            theirs.append(_child(office))
            ours.append(_child(ours_cmd))
    our_pdf, their_pdf = folder / "ours.pdf", folder / "lo" / "form600.pdf"
    sides = (
        ("jixiao export --pdf (process)", ours, our_pdf),
        ("LibreOffice .xlsx -> PDF (process)", theirs, their_pdf),
    )
    load = os.getloadavg()[0]
    print(f"600-row form, whole processes from spawn to exit, {pairs} alternating pairs (load {load:.1f}):")
    for name, runs, pdf in sides:
        wall = summary([w * 1000 for w, _ in runs], p95=False)
        cpu = summary([c * 1000 for _, c in runs], p95=False)
        size = pdf.stat().st_size / 1024
        print(f"  {name:<36} wall {wall}; CPU {cpu}; {_pdf_pages(pdf)} pages, {size:.0f} KB")
    print(f"  LibreOffice's first run (creates its profile, not counted) {first_lo:.1f} s")
    print(f"  in the running app (导出 PDF, fonts loaded)  {summary([t * 1000 for t in in_app], p95=False)}")
    for name, times in (("jixiao process", [w for w, _ in ours]), ("in the app", in_app)):
        ratios = sorted(t / o for o, (t, _) in zip(times, theirs, strict=True))
        print(
            f"  LibreOffice / {name}, wall time per alternating pair: median {statistics.median(ratios):.1f}x"
            f" (n={len(ratios)}, {ratios[0]:.1f}–{ratios[-1]:.1f}x)"
        )


MEMORY_SCRIPT = """
import resource, sys
sys.path.insert(0, {root!r})
from tests.helpers.bigworkbook import make_workbook
from desktop.reports.pdf import export_pdf

def peak_kb():
    # VmHWM is this program's own peak; ru_maxrss also counts the forking parent's size (Linux
    # keeps the larger of the two across exec), which hid every export smaller than the benchmark
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

workbook = make_workbook(1, {rows}, long_texts=True)
before = peak_kb()
result = export_pdf(workbook, {out!r})
after = peak_kb()
print(result.pages, before, after)
"""


def bench_memory(folder: Path) -> None:
    """Peak memory of a process exporting one form of 60 … 4,800 rows: does it grow with the pages?"""
    if sys.platform == "win32":
        print("memory per page skipped: ru_maxrss is not available on Windows")
        return
    print("rows   pages   peak before export   peak after   added per page since the previous line")
    previous: tuple[int, int] | None = None
    for rows in (60, 600, 2400, 4800):
        script = MEMORY_SCRIPT.format(root=str(ROOT), rows=rows, out=str(folder / "memory.pdf"))
        out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True).stdout
        pages, before, after = (int(x) for x in out.split())
        added = "" if previous is None else f"{(after - previous[1]) / (pages - previous[0]):12.0f} KB"
        print(f"{rows:5d} {pages:6d} {before / 1024:14.0f} MB {after / 1024:12.0f} MB {added}")
        previous = (pages, after)


def main() -> None:
    """Run every benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median printed)")
    parser.add_argument("--pairs", type=int, default=6, help="alternating process pairs against LibreOffice")
    parser.add_argument("--only-libreoffice", action="store_true", help="only the comparison with LibreOffice")
    args = parser.parse_args()
    compile_project()  # the children read compiled bytecode, as the built program does
    print(f"load average {os.getloadavg()[0]:.1f} (2 cores shared: wall times are noisy, CPU times steadier)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.only_libreoffice:
            bench_libreoffice(folder, args.pairs)
            return
        bench_exports(folder, args.repeat)
        bench_cold_process(folder, args.repeat)
        bench_memory(folder)
        bench_libreoffice(folder, args.pairs)


if __name__ == "__main__":
    main()
