"""Time a built program: process start → main window shown with its workbook, and the self-test.

Run: ``python -m tests.benchmarks.bench_build dist/jixiao/jixiao [dist/jixiao-onefile] [--runs 5]``.
Each start uses a fresh temporary HOME (so the first start copies the sample, as on a new PC) and the
offscreen platform; the program quits itself once the workbook is shown (``JIXIAO_QUIT_WHEN_SHOWN``).
Prints the median and the range, and the program's size on disk.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path


def size_on_disk(program: Path) -> int:
    """Bytes of a one-file program, or of the whole folder of a one-folder one."""
    if program.parent.joinpath("_internal").is_dir():
        return sum(p.stat().st_size for p in program.parent.rglob("*") if p.is_file() and not p.is_symlink())
    return program.stat().st_size


def time_start(program: Path, runs: int) -> list[float]:
    """Seconds from spawning ``program`` to its window showing the workbook, ``runs`` times."""
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as home:
            env = {
                **os.environ,
                "HOME": home,
                "XDG_DATA_HOME": f"{home}/data",
                "XDG_CONFIG_HOME": f"{home}/config",
                "QT_QPA_PLATFORM": "offscreen",
                "JIXIAO_QUIT_WHEN_SHOWN": "1",
            }
            started = time.time()
            result = subprocess.run([str(program)], env=env, capture_output=True, text=True, timeout=120)
            line = next((x for x in result.stdout.splitlines() if x.startswith("SHOWN ")), None)
            if result.returncode != 0 or line is None:
                raise SystemExit(f"{program} did not show its window: {result.stderr[-1500:]}")
            times.append(float(line.split()[1]) - started)
    return times


def main() -> None:
    """Measure each program given."""
    parser = argparse.ArgumentParser()
    parser.add_argument("programs", nargs="+", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    for program in args.programs:
        times = time_start(program, args.runs)
        started = time.time()
        selftest = subprocess.run([str(program), "--selftest"], capture_output=True, text=True, timeout=300)
        selftest_s = time.time() - started
        print(
            f"{program}: {size_on_disk(program) / 1e6:.1f} MB; start → window with workbook shown "
            f"({args.runs} runs): median {statistics.median(times):.2f} s, min {min(times):.2f} s, "
            f"max {max(times):.2f} s; --selftest {selftest_s:.1f} s, exit {selftest.returncode}"
        )


if __name__ == "__main__":
    main()
