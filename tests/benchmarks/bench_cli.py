"""Whole-process benchmark of the headless commands: ``jixiao score`` and ``jixiao import`` as a user runs them.

Run: ``python -m tests.benchmarks.bench_cli [--runs N]``. For workbooks of 1,800 (30 forms × 60) and
36,000 indicators (600 × 60), each as ``.jxdb`` and as JSON, spawns ``python -m desktop score FILE``
and ``python -m desktop import IN.json -o OUT.jxdb`` N times (default 5) and prints median, n and
spread of the wall-clock time from spawning the process to its exit (interpreter start-up included),
and of the CPU time the process used (much less disturbed by other work on a shared machine).
The project's bytecode is compiled first, as the built program has it (``processes.compile_project``).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from desktop.models.formats import interchange
from desktop.models.storage import store
from tests.benchmarks.processes import child_cpu, compile_project
from tests.benchmarks.stats import summary
from tests.helpers.bigworkbook import make_workbook

ROOT = Path(__file__).resolve().parents[2]


def _run(args: list[str], runs: int, before: object = None) -> str:
    """Wall-clock and CPU time of ``runs`` processes, summarised (CPU time is steadier on a busy machine)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    times, cpu = [], []
    for _ in range(runs):
        if callable(before):
            before()
        started, started_cpu = time.perf_counter(), child_cpu()
        result = subprocess.run([sys.executable, "-m", "desktop", *args], env=env, capture_output=True, timeout=600)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((child_cpu() - started_cpu) * 1000)
        if result.returncode != 0:
            raise SystemExit(f"{args[0]} failed: {result.stderr.decode('utf-8', 'replace')[-2000:]}")
    return f"wall {summary(times, p95=False)}; CPU {summary(cpu, p95=False)}"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print one line per command and size."""
    parser = argparse.ArgumentParser(description="whole-process benchmark of jixiao score / import")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="30x60,600x60", help="forms×indicators, comma-separated")
    args = parser.parse_args(argv)
    print(f"load average {os.getloadavg()[0]:.1f}")
    compile_project()
    print(f"python -m desktop --version (interpreter start-up): {_run(['--version'], args.runs)}")
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-") as name:
        folder = Path(name)
        for size in args.sizes.split(","):
            forms, rows = (int(x) for x in size.split("x"))
            workbook = make_workbook(forms, rows)
            label = f"{forms * rows:>6,} indicators"
            json_path = folder / f"{size}.json"
            json_path.write_text(interchange.dumps(workbook), encoding="utf-8")
            jxdb = folder / f"{size}.jxdb"
            store.create_workbook_file(jxdb, workbook).close()
            out = folder / "out.jxdb"

            def remove_out(out: Path = out) -> None:
                out.unlink(missing_ok=True)

            print(f"jixiao score FILE.jxdb  {label}: {_run(['score', str(jxdb)], args.runs)}")
            print(f"jixiao score FILE.json  {label}: {_run(['score', str(json_path)], args.runs)}")
            imported = _run(["import", str(json_path), "-o", str(out)], args.runs, before=remove_out)
            print(f"jixiao import IN.json   {label}: {imported}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
