"""Stress the one-writer lock: many programs opening one workbook at once, and taking over a dead one's lock.

Run: ``python -m tests.benchmarks.stress_lock_race [TRIALS] [PROGRAMS] [FOLDER]`` (default 300 trials,
6 programs, a temporary folder; pass a folder on another file system, e.g. a loopback mount, to
measure there). Each trial of the first kind releases all programs at one barrier and each calls
``open_workbook``; each trial of the second kind first lets a program take the lock and kills it
with SIGKILL (its owner note stays behind), then releases the others. Prints per kind the trials,
how many ended with exactly one writer, with two or more (must be 0), with none (must be 0), and
the median / spread of the time from release to the last program's answer.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import statistics
import sys
import tempfile
import time
from multiprocessing.synchronize import Barrier
from pathlib import Path


def _worker(path: str, trials: int, start: Barrier, done: Barrier, results: mp.Queue) -> None:  # type: ignore[type-arg]
    from desktop.models.storage import store

    for _ in range(trials):
        start.wait()
        began = time.perf_counter()
        document = store.open_workbook(path)
        results.put((not document.read_only, time.perf_counter() - began))
        done.wait()  # everyone answered while all still hold what they got
        document.close()
        done.wait()


def _doomed(path: str, ready: mp.Queue) -> None:  # type: ignore[type-arg]
    from desktop.models.storage import store

    document = store.open_workbook(path)
    ready.put(not document.read_only)
    time.sleep(3600)


def _run(kind: str, path: str, trials: int, programs: int) -> tuple[int, int, int, list[float]]:
    ctx = mp.get_context("fork")
    start, done = ctx.Barrier(programs + 1), ctx.Barrier(programs + 1)
    results: mp.Queue = ctx.Queue()  # type: ignore[type-arg]
    workers = [ctx.Process(target=_worker, args=(path, trials, start, done, results)) for _ in range(programs)]
    for worker in workers:
        worker.start()
    one = two = none = 0
    spans: list[float] = []
    for _ in range(trials):
        if kind == "takeover":
            ready: mp.Queue = ctx.Queue()  # type: ignore[type-arg]
            doomed = ctx.Process(target=_doomed, args=(path, ready))
            doomed.start()
            assert ready.get(timeout=60), "the doomed program did not get the lock"
            os.kill(doomed.pid or 0, signal.SIGKILL)
            doomed.join()
        start.wait()
        answers = [results.get(timeout=120) for _ in range(programs)]
        done.wait()
        done.wait()
        writers = sum(1 for writer, _ in answers if writer)
        spans.append(max(seconds for _, seconds in answers))
        one += writers == 1
        two += writers >= 2
        none += writers == 0
    for worker in workers:
        worker.join()
    return one, two, none, spans


def main() -> int:
    trials = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    programs = int(sys.argv[2]) if len(sys.argv) > 2 else 6
    folder = Path(sys.argv[3]) if len(sys.argv) > 3 else None
    from desktop.models.formats import interchange
    from desktop.models.storage import store
    from tests.helpers.fixtures import SAMPLE_FILES

    bad = 0
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        path = str(Path(tmp) / "race.jxdb")
        store.create_workbook_file(path, interchange.load_path(str(SAMPLE_FILES[0]))).close()
        for kind in ("together", "takeover"):
            one, two, none, spans = _run(kind, path, trials, programs)
            ms = sorted(s * 1000 for s in spans)
            print(
                f"{kind}: {trials} trials × {programs} programs: {one} with one writer, {two} with two or more, "
                f"{none} with none; last answer after median {statistics.median(ms):.1f} ms "
                f"(min {ms[0]:.1f}, p90 {ms[int(len(ms) * 0.9)]:.1f}, max {ms[-1]:.1f})"
            )
            bad += two + none
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
