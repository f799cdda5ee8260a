"""Mutation testing of the domain core: how many small mutants of each module its tests kill.

Usage::

    python -m tests.benchmarks.mutate [--sample 50] [--seed 12] [--module values ...] [--full]

For each module (``values`` and its parts ``value_types``, ``value_words``, ``value_dates``,
``value_compare``; ``phrases``, ``verdicts``, ``engine``, ``rules``, ``validation`` of
``desktop/models/scoring``) it numbers the mutation sites (``mutations.py``), samples ``--sample`` of them
with ``--seed`` (``--full``: all), and runs that module's tests (``TESTS`` below: a subset of
``tests/models``) once per mutant in a fresh ``pytest -x`` process with the mutant loaded by
``mutant_plugin.py``. A mutant is *killed* when the run fails or times out, *survives* when it
passes. Known-equivalent mutants (``EQUIVALENT``: same behaviour, with the reason) are left out of
the rate. It first checks that the unmutated module passes, then prints per module: sites, sampled,
killed, survived, equivalent and the kill rate of the non-equivalent ones, then every survivor
(line, operator, source line) to triage. Timings: median and spread of one mutant run.

``--rerun OUTPUT`` runs only the survivors listed in an earlier run's output (same seed and sample,
same source): after tests were only *added*, every mutant killed before is still killed, so the new
kill rate is (killed before + survivors killed now) / the same sample.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tests.benchmarks.mutations import Site, sites

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "desktop.models.scoring"
SOURCE = ROOT / "desktop" / "models" / "scoring"
_SCORING = ["tests/models/test_scoring.py", "tests/models/test_scoring_kinds.py", "tests/models/test_scoring_forms.py"]
# The value reader is five modules (values.py and the value_*.py beside it), tested together.
_VALUES = ["tests/models/test_values.py", "tests/models/test_mutation_edges.py", *_SCORING]
TESTS: dict[str, list[str]] = {
    "values": _VALUES,
    "value_types": _VALUES,
    "value_words": _VALUES,
    "value_dates": _VALUES,
    "value_compare": _VALUES,
    "phrases": ["tests/models/test_scoring_kinds.py", "tests/models/test_mutation_edges.py"],
    "verdicts": [*_SCORING, "tests/models/test_mutation_edges.py", "tests/models/test_engine_properties.py"],
    "engine": [*_SCORING, "tests/models/test_mutation_edges.py"],
    "rules": ["tests/models/test_rules.py", "tests/models/test_mutation_edges.py", *_SCORING],
    "validation": ["tests/models/test_validation.py", "tests/models/test_mutation_edges.py", *_SCORING],
}
TIMEOUT = 120

# (module, line text fragment, operator) → why the mutant behaves exactly like the original.
_MEMO = "a memo's size or when it is cleared: every lookup still computes the same value"
EQUIVALENT: dict[tuple[str, str, str], str] = {
    ("rules", "_CACHE_LIMIT = 10_000", "10000 → 10001"): _MEMO,
    ("rules", "> _CACHE_LIMIT:", "if c → if not c"): _MEMO,
    ("rules", "> _CACHE_LIMIT:", "Gt → GtE"): _MEMO,
    ("values", "lru_cache(maxsize=16_384)", "16384 → 16385"): _MEMO,
    ("values", "if len(text) > 1000:", "Gt → GtE"): _MEMO,
    ("values", "if len(text) > 1000:", "1000 → 1001"): _MEMO,
    ("values", "if len(text) > 1000:", "if c → if not c"): _MEMO,
    ("verdicts", "lru_cache(maxsize=8192)", "8192 → 8193"): _MEMO,
    ("engine", "if len(scores) > len(form.indicators):", "Gt → GtE"): (
        "dropping cached rows no longer in the form also when the counts are equal drops nothing"
    ),
    ("engine", "layout_a: bool = False", "False → True"): "a default never used: the engine always passes layout_a",
    ("engine", "if isinstance(obj, Indicator):", "if c → if not c"): (
        "a shortcut: the document's form_of finds the same form for an indicator the cache does not hold"
    ),
    ("verdicts", "if actual.quantity is None or same_text:", "Or → And"): (
        "a guard never reached with either: a stand-in (零投诉, 当日) is built in the target's unit and the same "
        "text reads to the same unit, so both always compare"
    ),
}


@dataclass
class Outcome:
    site: Site
    killed: bool
    seconds: float
    equivalent: str = ""


def _tests(module: str) -> list[str]:
    return [t for t in TESTS[module] if (ROOT / t).exists()]


# The test files of each module, fixed when the run starts (files added meanwhile do not count).
_RESOLVED: dict[str, list[str]] = {}


def run_one(module: str, index: int) -> tuple[bool, float]:
    """Run the module's tests against mutant ``index`` (-1: unmutated); (passed, seconds)."""
    env = {**os.environ, "JIXIAO_MUTANT": f"{PACKAGE}.{module}:{index}", "QT_QPA_PLATFORM": "offscreen"}
    args = [
        sys.executable,
        "-m",
        "pytest",
        "-x",
        "-q",
        "-p",
        "no:cacheprovider",
        "-p",
        "tests.benchmarks.mutant_plugin",
    ]
    args += ["-W", "ignore::pytest.PytestAssertRewriteWarning", *_RESOLVED.setdefault(module, _tests(module))]
    start = time.perf_counter()
    try:
        done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        return False, time.perf_counter() - start
    return done.returncode == 0, time.perf_counter() - start


def _equivalent(module: str, site: Site, lines: list[str]) -> str:
    text = lines[site.line - 1] if 0 < site.line <= len(lines) else ""
    for (mod, fragment, what), why in EQUIVALENT.items():
        if mod == module and fragment in text and what == site.what:
            return why
    return ""


def mutate_module(module: str, sample: int | None, seed: int, only: set[int] | None = None) -> list[Outcome]:
    path = SOURCE / f"{module}.py"
    every = sites(str(path))
    chosen = (
        every
        if sample is None
        else sorted(random.Random(seed).sample(every, min(sample, len(every))), key=lambda s: s.index)
    )
    passed, _ = run_one(module, -1)
    if not passed:
        raise SystemExit(f"{module}: the unmutated module does not pass its tests")
    lines = path.read_text(encoding="utf-8").splitlines()
    outcomes: list[Outcome] = []
    for site in chosen:
        if only is not None and site.index not in only:
            outcomes.append(Outcome(site, True, 0.0))  # killed in the earlier run
            continue
        why = _equivalent(module, site, lines)
        if why:
            outcomes.append(Outcome(site, False, 0.0, why))
            continue
        ok, seconds = run_one(module, site.index)
        outcomes.append(Outcome(site, not ok, seconds))
    return outcomes


def report(module: str, total_sites: int, outcomes: list[Outcome]) -> str:
    lines = (SOURCE / f"{module}.py").read_text(encoding="utf-8").splitlines()
    equivalent = [o for o in outcomes if o.equivalent]
    counted = [o for o in outcomes if not o.equivalent]
    killed = sum(o.killed for o in counted)
    rate = 100 * killed / len(counted) if counted else 100.0
    out = [
        f"{module}: {total_sites} sites, {len(outcomes)} sampled, {killed} killed, "
        f"{len(counted) - killed} survived, {len(equivalent)} equivalent → {rate:.1f}% of {len(counted)}"
    ]
    for o in counted:
        if not o.killed:
            out.append(f"  survived #{o.site.index} line {o.site.line} {o.site.what}: {lines[o.site.line - 1].strip()}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module", action="append", choices=sorted(TESTS))
    parser.add_argument("--sample", type=int, default=50)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--full", action="store_true")
    parser.add_argument("--rerun", type=Path, help="only the survivors listed in this earlier output")
    parser.add_argument("--without", action="append", default=[], help="leave out this test file (a 'before' run)")
    args = parser.parse_args(argv)
    survivors: dict[str, set[int]] | None = None
    if args.rerun is not None:
        survivors = {}
        current = ""
        for line in args.rerun.read_text(encoding="utf-8").splitlines():
            head = re.match(r"(\w+): \d+ sites", line)
            if head:
                current = head.group(1)
                survivors.setdefault(current, set())
            found = re.match(r"  survived #(\d+) ", line)
            if found and current:
                survivors[current].add(int(found.group(1)))
    times: list[float] = []
    modules = args.module or list(TESTS)
    _RESOLVED.update({module: [t for t in _tests(module) if t not in args.without] for module in modules})
    for module in modules:
        print(f"{module}: tests {' '.join(_RESOLVED[module])}", flush=True)
        total = len(sites(str(SOURCE / f"{module}.py")))
        only = None if survivors is None else survivors.get(module, set())
        outcomes = mutate_module(module, None if args.full else args.sample, args.seed, only)
        times.extend(o.seconds for o in outcomes if o.seconds)
        print(report(module, total, outcomes), flush=True)
    if times:
        spread = f"{min(times):.1f}–{max(times):.1f}"
        print(f"one mutant run: median {statistics.median(times):.1f} s, n={len(times)}, spread {spread} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
