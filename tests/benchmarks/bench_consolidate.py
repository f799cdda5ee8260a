"""汇总下级单位 benchmark: 200 unit files, 36,000 indicators in all; prints median, n, spread and peak memory.

Run: ``python -m tests.benchmarks.bench_consolidate [--units 200] [--repeat 5] [--xlsx 10] [--json 40]``.
Each unit has 3 projects, each with a 目标表 and a 自评表 of 30 rows (180 rows a unit). The files
are generated first (not timed); the consolidation (read read-only, score, 审核, compare, total)
is then timed in a fresh process so its peak resident memory is its own (peak after the cold runs),
then again with the window's cache of files already read. Targets: < 5 s, < 500 MB.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROWS = 30
PROJECTS = 3


def generate(folder: Path, units: int, xlsx: int, json: int) -> int:
    """Write the unit files; returns the number of indicator rows in all."""
    from tests.helpers.unitset import unit_workbook, write_unit

    rows = 0
    for number in range(1, units + 1):
        workbook = unit_workbook(number, projects=PROJECTS, indicators=ROWS)
        rows += sum(len(form.indicators) for form in workbook.forms)
        fmt = "xlsx" if number <= xlsx else "json" if number <= xlsx + json else "jxdb"
        write_unit(folder, workbook, fmt)
    return rows


def measure(folder: Path, repeat: int) -> None:
    """Time ``consolidate`` on the folder ``repeat`` times; print the samples and peak RSS (this process)."""
    from desktop.models.consolidation.run import consolidate
    from desktop.models.consolidation.sources import Cache

    samples, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = consolidate([folder])
        samples.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        assert result.files_read == len(result.rows), [r.issues for r in result.rows if r.issues][:3]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cache: Cache = {}
    consolidate([folder], cache=cache)
    again = []
    for _ in range(repeat):
        started = time.perf_counter()
        consolidate([folder], cache=cache)
        again.append(time.perf_counter() - started)
    print(" ".join(f"{s:.4f}" for s in cpu))
    print(" ".join(f"{s:.4f}" for s in again))
    print(" ".join(f"{s:.4f}" for s in samples))
    print(f"{peak_mb:.1f}")


def main(argv: list[str] | None = None) -> int:
    """Generate, then measure in a child process, and print the figures."""
    parser = argparse.ArgumentParser(description="consolidation benchmark")
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--xlsx", type=int, default=10, help="how many units hand in Excel")
    parser.add_argument("--json", type=int, default=40, help="how many units hand in JSON")
    parser.add_argument("--measure", metavar="DIR", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        measure(Path(args.measure), args.repeat)
        return 0
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-units-") as name:
        folder = Path(name)
        started = time.perf_counter()
        rows = generate(folder, args.units, args.xlsx, args.json)
        made = time.perf_counter() - started
        size = sum(path.stat().st_size for path in folder.iterdir()) / 1024 / 1024
        print(
            f"generated {args.units} unit files ({args.units - args.xlsx - args.json} .jxdb, {args.json} .json, "
            f"{args.xlsx} .xlsx), {rows} indicator rows, {size:.1f} MB, in {made:.1f} s"
        )
        child = subprocess.run(
            [sys.executable, "-m", "tests.benchmarks.bench_consolidate", "--measure", str(folder), "--repeat",
             str(args.repeat)],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        cpu_line, again_line, times_line, peak_line = child.stdout.strip().splitlines()[-4:]
        print(f"load average (1 min) right after measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        runs = (
            ("consolidate (cold), wall", times_line),
            ("consolidate (cold), CPU time of the process", cpu_line),
            ("again, files unchanged, wall", again_line),
        )
        for label, line in runs:
            samples = [float(value) for value in line.split()]
            print(
                f"{label}: median {statistics.median(samples):.2f} s  (n={len(samples)}, "
                f"min {min(samples):.2f}, max {max(samples):.2f}, spread {max(samples) - min(samples):.2f} s)"
            )
        print(f"peak memory of the consolidating process: {float(peak_line):.0f} MB (RSS, incl. Python and libraries)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
