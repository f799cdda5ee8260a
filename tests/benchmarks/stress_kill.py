"""Crash-safety stress: kill a process writing a workbook (SIGKILL) at random moments, then check the file.

A worker process opens the workbook and makes edits in a loop, printing each edit's number only
after its transaction committed. The parent kills it at a random moment (sometimes while it is
still opening the file, i.e. during lock take-over or journal roll-back), then opens the file
itself and checks: ``integrity_check`` ok, every acknowledged edit present, at most the one
in-flight edit beyond them, list positions contiguous. The same is done for ``import_json``:
killed at any moment, the target is absent, the old workbook, or the complete new one.

Usage::

    python -m tests.benchmarks.stress_kill            # 300 edit kills + 50 import kills
    python -m tests.benchmarks.stress_kill --stress   # the same (the explicit name)
    python -m tests.benchmarks.stress_kill --cycles 20 --import-cycles 5

The quick version of both runs in ``tests/models/test_crash_safety.py``.
"""

from __future__ import annotations

import argparse
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "tests" / "data" / "samples" / "wuwei-zwfw-2022-selfeval.json"


def make_start_file(path: Path) -> None:
    """A workbook to torture: the Wuwei sample."""
    from desktop.models.formats import interchange
    from desktop.models.storage import store

    store.create_workbook_file(path, interchange.load_path(str(SAMPLE))).close()


def worker(path: Path) -> None:
    """Edit the workbook forever, printing ``n`` after edit ``n`` committed."""
    from desktop.models.storage.store import SqliteStore, open_workbook
    from desktop.models.workbook.domain import Indicator

    document = open_workbook(path)
    if document.read_only:
        print(f"READONLY {document.lock_message}", flush=True)
        sys.exit(3)
    assert isinstance(document.store, SqliteStore)
    document.store.prepare()  # as the window does once idle: the first edit does not wait for imports
    form = document.workbook.forms[0]
    other = document.workbook.forms[-1]
    done = [int(ind.name[1:]) for ind in form.indicators if ind.name.startswith("e")]
    notes = form.notes or ""
    n = max(done, default=int(notes) if notes.isdigit() else 0)
    rng = random.Random()
    print("READY", flush=True)
    while True:
        n += 1
        with document.transaction():  # one edit = one transaction, as a paste of several changes
            row = Indicator(level1="产出指标", level2="数量指标", name=f"e{n}", weight=Decimal(n) / 100)
            document.insert_items(form, "indicators", rng.randint(0, len(form.indicators)), [row])
            document.set_fields(form, notes=str(n))
            if n % 3 == 0:
                size = len(form.indicators)
                document.move_item(form, "indicators", rng.randrange(size), rng.randrange(size))
            if n % 5 == 0 and other.indicators:
                document.set_fields(rng.choice(other.indicators), actual=f"第{n}次")
        sys.stdout.write(f"{n}\n")
        sys.stdout.flush()


@dataclass
class Outcome:
    """What one kill did."""

    acknowledged: list[int] = field(default_factory=list)
    lost: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    in_flight_kept: bool = False


def _spawn(args: list[str]) -> tuple[subprocess.Popen[str], list[str], threading.Thread]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.benchmarks.stress_kill", *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line.strip())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    return proc, lines, reader


def _kill(proc: subprocess.Popen[str], reader: threading.Thread) -> str:
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    proc.wait()
    reader.join(5)
    assert proc.stdout is not None and proc.stderr is not None
    error = proc.stderr.read()
    proc.stdout.close()
    proc.stderr.close()
    return error


def check_file(path: Path, acknowledged: list[int]) -> Outcome:
    """Open the workbook as the program would and check it against the acknowledged edits."""
    from desktop.models.storage.store import open_workbook

    outcome = Outcome(acknowledged=acknowledged)
    try:
        document = open_workbook(path)
    except Exception as exc:
        outcome.problems.append(f"cannot open: {exc}")
        return outcome
    try:
        if document.read_only:
            outcome.problems.append(f"opened read-only after the kill: {document.lock_message}")
        form = document.workbook.forms[0]
        present = {int(ind.name[1:]) for ind in form.indicators if ind.name.startswith("e")}
        last = max(acknowledged, default=0)
        outcome.lost = sorted(set(acknowledged) - present)
        extra = present - set(acknowledged)
        outcome.in_flight_kept = bool(extra)
        if len(extra) > 1 or (extra and min(extra) <= last):
            outcome.problems.append(f"unacknowledged edits present: {sorted(extra)}")
        if acknowledged and form.notes not in (str(last), str(last + 1)):
            outcome.problems.append(f"notes {form.notes!r} after acknowledged edit {last}")
        # Reset for the next round: remove the inserted rows (this also exercises the store).
        for index in reversed(range(len(form.indicators))):
            if form.indicators[index].name.startswith("e"):
                document.remove_items(form, "indicators", index)
        document.set_fields(form, notes=str(max(present | {last})))
    finally:
        document.close()
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        if conn.execute("PRAGMA integrity_check").fetchall() != [("ok",)]:
            outcome.problems.append("integrity_check failed")
        gaps = conn.execute(
            "SELECT form_id FROM indicator GROUP BY form_id HAVING count(DISTINCT position) != count(*)"
            " OR max(position) != count(*) - 1"
        ).fetchall()
        if gaps:
            outcome.problems.append(f"positions not contiguous in forms {gaps}")
    finally:
        conn.close()
    return outcome


def kill_cycle(path: Path, rng: random.Random) -> Outcome:
    """Start a worker on ``path``, SIGKILL it at a random moment, check the file."""
    proc, lines, reader = _spawn(["--worker", str(path)])
    if rng.random() < 0.3:  # anywhere, including while it imports and opens the file
        time.sleep(rng.uniform(0.0, 0.8))
    else:
        deadline = time.monotonic() + 20
        while "READY" not in lines and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(rng.uniform(0.0, 0.3))
    error = _kill(proc, reader)
    acknowledged = [int(line) for line in lines if line.isdigit()]
    outcome = check_file(path, acknowledged)
    if any(line.startswith("READONLY") for line in lines):
        outcome.problems.append(f"worker opened read-only: {lines}")
    if proc.returncode not in (-signal.SIGKILL, 0) or ("Traceback" in error and proc.returncode != -signal.SIGKILL):
        outcome.problems.append(f"worker failed ({proc.returncode}): {error[-500:]}")
    return outcome


def time_import(json_path: Path, folder: Path) -> float:
    """Seconds a whole ``import_json`` process takes here (to aim the kills at its lifetime)."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", _IMPORT, str(json_path), str(folder / "timing.jxdb")], cwd=REPO, check=True)
    (folder / "timing.jxdb").unlink()
    return time.perf_counter() - started


_IMPORT = "import sys; from desktop.models.storage import store; store.import_json(sys.argv[1], sys.argv[2])"


def import_kill_cycle(json_path: Path, target: Path, rng: random.Random, max_delay: float = 1.0) -> str:
    """Kill an ``import_json`` to ``target`` at a random moment.

    Returns:
        "absent", "old" (the workbook that was there before) or "new"; raises AssertionError if
        the target is anything else (half-written, unreadable).
    """
    from desktop.models.formats import interchange
    from desktop.models.storage import store
    from tests.helpers.fixtures import snapshot

    before = snapshot(store.load_any(target)) if target.exists() else None
    proc = subprocess.Popen(
        [sys.executable, "-c", _IMPORT, str(json_path), str(target)],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(rng.uniform(0.0, max_delay))
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    proc.wait()
    if not target.exists():
        assert before is None, "an existing workbook disappeared"
        return "absent"
    now = snapshot(store.load_any(target))
    if now == snapshot(interchange.load_path(str(json_path))):
        return "new"
    assert now == before, "the target is neither the old nor the new workbook"
    return "old"


@dataclass
class Summary:
    """Totals over many kills."""

    runs: int = 0
    acknowledged: int = 0
    lost: int = 0
    corrupt: int = 0
    in_flight_kept: int = 0
    problems: list[str] = field(default_factory=list)
    imports: dict[str, int] = field(default_factory=dict)


def run(folder: Path, cycles: int, import_cycles: int, seed: int | None = None, verbose: bool = False) -> Summary:
    """Run ``cycles`` edit kills and ``import_cycles`` import kills in ``folder``."""
    rng = random.Random(seed)
    summary = Summary()
    path = folder / "stress.jxdb"
    make_start_file(path)
    for i in range(cycles):
        outcome = kill_cycle(path, rng)
        summary.runs += 1
        summary.acknowledged += len(outcome.acknowledged)
        summary.lost += len(outcome.lost)
        summary.in_flight_kept += outcome.in_flight_kept
        if outcome.problems:
            summary.corrupt += 1
            summary.problems.extend(f"run {i}: {p}" for p in outcome.problems)
        if verbose and (i + 1) % 25 == 0:
            print(f"  {i + 1} runs, {summary.acknowledged} acknowledged edits, {summary.lost} lost", flush=True)
    big_json = folder / "big.json"
    from desktop.models.formats import interchange
    from tests.helpers.bigworkbook import make_workbook

    big_json.write_text(interchange.dumps(make_workbook(30, 60)), encoding="utf-8")
    durations = {source: time_import(source, folder) for source in (big_json, SAMPLE)} if import_cycles else {}
    for i in range(import_cycles):
        target = folder / f"import{i % 2}.jxdb"  # from the third on, each replaces an existing workbook
        source = big_json if i % 4 < 2 else SAMPLE
        outcome_name = import_kill_cycle(source, target, rng, max_delay=durations[source] * 1.1)
        summary.imports[outcome_name] = summary.imports.get(outcome_name, 0) + 1
    return summary


def main(argv: list[str] | None = None) -> int:
    """Command line: ``--worker PATH`` (internal) or the stress run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--stress", action="store_true", help="hundreds of kills (the default counts)")
    parser.add_argument("--cycles", type=int, default=300)
    parser.add_argument("--import-cycles", type=int, default=50)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args(argv)
    if args.worker is not None:
        worker(args.worker)
        return 0
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="jixiao-stress-") as folder:
        summary = run(Path(folder), args.cycles, args.import_cycles, args.seed, verbose=True)
    print(f"runs: {summary.runs}")
    print(f"acknowledged edits: {summary.acknowledged}")
    print(f"edits lost: {summary.lost}")
    print(f"corrupt files / problems: {summary.corrupt}")
    print(f"in-flight edit committed although unacknowledged: {summary.in_flight_kept} (allowed)")
    print(f"import kills: {summary.imports} (absent / old / new are all whole)")
    print(f"time: {time.perf_counter() - started:.1f} s")
    for problem in summary.problems[:20]:
        print("  " + problem)
    return 1 if summary.lost or summary.corrupt else 0


if __name__ == "__main__":
    raise SystemExit(main())
