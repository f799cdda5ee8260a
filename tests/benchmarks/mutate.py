"""Mutation testing of the domain core: how many small mutants of each module its tests kill.

Usage::

    python -m tests.benchmarks.mutate [--sample 50] [--seed 12] [--module values ...] [--full] [--isolated]

For each module (``values`` and its parts ``value_types``, ``value_words``, ``value_dates``,
``value_compare``; ``phrases``, ``verdicts``, ``engine``, ``rules``, ``validation`` of
``desktop/models/scoring``) it numbers the mutation sites (``mutations.py``), samples ``--sample`` of them
with ``--seed`` (``--full``: all), and runs that module's tests (``TESTS`` below: a subset of
``tests/models``) against each mutant, loaded by ``mutant_plugin.py``, stopping at the first failure.
A mutant is *killed* when the run fails or times out, *survives* when it passes. Known-equivalent mutants
(``EQUIVALENT``: same behaviour, with the reason) are left out of the rate.

By default the run is coverage-guided (``mutant_runner.py``): the tests run once unmutated with a line
tracer (this is also the check that the unmutated modules pass), then each mutant runs in a process forked
from this one on only the module's tests that execute its lines, quickest first; a mutant whose lines no
test executes survives without a run, one on a line run at import time gets every test. ``--isolated`` is
the old way (a fresh ``pytest -x`` process per mutant on every test of the module), to compare verdicts.

It prints per module: sites, sampled, killed, survived, equivalent and the kill rate of the non-equivalent
ones, then every survivor (line, operator, source line) to triage. Timings: median and spread of one
mutant run (the ones actually run).

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

from tests.benchmarks.mutant_runner import (
    UNPATCHABLE,
    Coverage,
    Job,
    function_of,
    preload,
    readers,
    record,
    run_mutant,
    run_session,
)
from tests.benchmarks.mutations import Site, sites

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "desktop.models.scoring"
SOURCE = ROOT / "desktop" / "models" / "scoring"
_SCORING = ["tests/models/test_scoring.py", "tests/models/test_scoring_kinds.py", "tests/models/test_scoring_forms.py"]
# Pins of the value reader, phrases and verdicts (issue 21), run for each of those modules.
_PINS = ["tests/models/test_pins_values.py", "tests/models/test_pins_phrases.py", "tests/models/test_pins_verdicts.py"]
# The value reader is five modules (values.py and the value_*.py beside it), tested together.
_VALUES = ["tests/models/test_values.py", "tests/models/test_mutation_edges.py", *_SCORING, *_PINS]
TESTS: dict[str, list[str]] = {
    "values": _VALUES,
    "value_types": _VALUES,
    "value_words": _VALUES,
    "value_dates": _VALUES,
    "value_compare": _VALUES,
    "phrases": ["tests/models/test_scoring_kinds.py", "tests/models/test_mutation_edges.py", *_PINS],
    "verdicts": [*_SCORING, "tests/models/test_mutation_edges.py", "tests/models/test_engine_properties.py", *_PINS],
    "engine": ["tests/models/test_pins_engine.py", *_SCORING, "tests/models/test_mutation_edges.py"],
    "rules": [
        "tests/models/test_pins_rules.py",
        "tests/models/test_rules.py",
        "tests/models/test_mutation_edges.py",
        *_SCORING,
    ],
    "validation": [
        "tests/models/test_pins_validation.py",
        "tests/models/test_validation.py",
        "tests/models/test_mutation_edges.py",
        *_SCORING,
    ],
}
TIMEOUT = 120

# (module, line text fragment, operator) → why the mutant behaves exactly like the original.
_MEMO = "a memo's size or when it is cleared: every lookup still computes the same value"
_PHRASE_LIMIT = (
    "a shortcut: a completion phrase is at most 6 + 2 + 10 = 18 characters (head, verb, object) and the "
    "no-verb words at most 12, so every text over 18 characters reads as no phrase with or without this test"
)
_ZERO_LIMIT = "a shortcut: the zero pattern matches at most 3 + 6 = 9 characters, so a text of 10 or 11 fails it anyway"
_ONE_DIGIT = "a shortcut: the loop below reads a single digit to the same number (a digit is one character)"
_RATIO_ONE = "at exactly 1 both branches give 1 (1 / 1 = 1)"
_ASSERT = (
    "an assertion that never fails: a duration always has an amount and a date a span, so the weaker one passes too"
)
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
    ("rules", "lru_cache(maxsize=32)", "32 → 33"): _MEMO,
    ("rules", "Decimal(1).scaleb(-self.decimals)", "1 → 2"): (
        "quantize uses only the exponent of its argument: 2E-2 and 1E-2 both round to 2 decimals"
    ),
    ("rules", "if not Decimal(0) < partly < met <= Decimal(1):", "1 → 2"): (
        "met is already at most 1: bands.met is refused above 100 (percent) before it is divided by 100"
    ),
    ("engine", 'quantize(Decimal("0.0001"))', 'Decimal("0.0001") → 1.0001'): (
        "quantize uses only the exponent of its argument: 1.0001 and 0.0001 both have exponent -4"
    ),
    ("engine", "engine.score_workbook(workbook), strict=True)", "True → False"): (
        "zip never sees lists of different lengths: score_workbook returns one result per form"
    ),
    ("phrases", "if not word or len(word) > _MAX_PHRASE:", "Gt → GtE"): _PHRASE_LIMIT,
    ("phrases", "if not word or len(word) > _MAX_PHRASE:", "Or → And"): _PHRASE_LIMIT,
    ("phrases", "if len(word) > 10 or not _ZERO_RE.fullmatch(word):", "Gt → GtE"): _ZERO_LIMIT,
    ("phrases", "if len(word) > 10 or not _ZERO_RE.fullmatch(word):", "10 → 11"): _ZERO_LIMIT,
    # Issue 21, the value reader, phrases and verdicts: each checked against every input that reaches the line.
    ("value_types", "strict: bool = False", "False → True"): (
        "a default only values without a comparison take (qualitative, empty, dates, 百分百); strict changes "
        "nothing but the operator of ≥ / ≤ values, which always pass it"
    ),
    ("values", "if direction is Direction.PLAIN or pre is None:", "Or → And"): (
        "strict is True only after a strict operator (> < 高于 …), and then the direction is never plain; "
        "with no operator it is already False: the reset changes nothing either way"
    ),
    ("values", "^    strict = False", "False → True"): (
        "the start value when no operator precedes the number: its only caller then has pre None and resets "
        "strict to False"
    ),
    ("values", "if joined and len(joined.group()) > 1:", "Gt → GtE"): (
        "the match starts at a 千 / 万 / 亿 and no unit is that one character, so it is never 1 long"
    ),
    ("value_compare", "as_form = ratio if ratio >= 1 else 1 / ratio", "GtE → Gt"): _RATIO_ONE,
    ("value_compare", "as_other = as_other if as_other >= 1 else 1 / as_other", "GtE → Gt"): _RATIO_ONE,
    ("value_compare", "if t_family[1] <= a_family[1] else", "LtE → Lt"): (
        "two different units of one family never have the same factor (and equal units returned before)"
    ),
    ("value_compare", "assert actual.amount is not None and limit.amount is not None", "And → Or"): _ASSERT,
    ("value_compare", "if value.span is not None and value.kind is ValueKind.DATE:", "And → Or"): (
        "reached only by values without a quantity, and of those exactly the dates have a span"
    ),
    ("value_words", "if len(text) == 1 and text in digits:", "1 → 2"): _ONE_DIGIT,
    ("value_words", "if len(text) == 1 and text in digits:", "Eq → NotEq"): _ONE_DIGIT,
    ("value_dates", "if match is None or match.end() == pos:", "Or → And"): (
        "the pattern's parts are all optional, so it always matches; an empty match has no year, month or "
        "part and returns None a few lines below either way"
    ),
    ("value_dates", "and 1 <= start_month <= 12:", "12 → 13"): (
        "a start month of 13 would need an end month of at least 13, which _valid refuses"
    ),
    ("phrases", "sorted(GRADE_WORDS, key=len, reverse=True)", "True → False"): (
        "the pattern is only used with fullmatch, which backtracks through every alternative; the texts with "
        "two parses (优等级 = 优等+级 = 优+等级, 中等级) give the same rank either way"
    ),
    ("verdicts", 'quantize(Decimal("0.1"))', 'Decimal("0.1") → 1.1'): (
        "quantize uses only its argument's exponent, and 0.1 and 1.1 both have exponent -1"
    ),
    ("verdicts", "assert target.span is not None and actual.span is not None", "And → Or"): _ASSERT,
    ("verdicts", "if target.direction is Direction.RANGE and target.upper is not None:", "And → Or"): (
        "a value has an upper bound exactly when its direction is RANGE"
    ),
    ("verdicts", "if bare.unit or not other.unit:", "Or → And"): (
        "called only when exactly one of the two quantities has a unit: both forms return bare in the same cases"
    ),
    ("verdicts", "if b > high:", "Gt → GtE"): (
        "b == high was already met by a <= b <= high (a range's low bound is never above its high bound)"
    ),
    ("verdicts", "if b < a:", "Lt → LtE"): "b == a returned just before (met exactly)",
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
    not_run: bool = False  # no test executes its lines


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


def run_guided(module: str, site: Site, coverage: Coverage, jobs: list[Job]) -> Outcome:
    """Run one mutant on the module's tests that execute its lines (see ``mutant_runner``).

    A mutant inside a function body that no test runs at import time joins ``jobs`` (run later in the
    shared session; the outcome returned is a placeholder filled then); any other runs now, forked.
    """
    files = _RESOLVED[module]
    path = str(SOURCE / f"{module}.py")
    last = max(site.line, site.end_line)
    covering = coverage.covering(path, site.line, last)
    imported = covering is None
    if covering is None:  # run at import: the tests running a line that reads what it changes
        covering = _import_time_readers(module, path, site, coverage)
    chosen = None
    if covering is not None:
        chosen = {t: coverage.seconds.get(t, 0.0) for t in covering if t.split("::")[0] in files}
        if not chosen:
            return Outcome(site, False, 0.0, not_run=True)
        files = [f for f in files if any(t.split("::")[0] == f for t in chosen)]
    timeout = min(TIMEOUT, 30 + 10 * sum(coverage.seconds.get(t, 0.0) for t in chosen or coverage.seconds))
    qualname = None if chosen is None or imported else function_of(path, site.line, last)
    if chosen is not None and qualname is not None:
        jobs.append(Job((module, site.index), f"{PACKAGE}.{module}", site.index, qualname, chosen, timeout))
        return Outcome(site, False, 0.0)
    start = time.perf_counter()
    code = run_mutant(ROOT, f"{PACKAGE}.{module}:{site.index}", files, chosen, timeout)
    if code == 5:  # pytest collected nothing: the recorded test ids do not match (never a verdict)
        raise SystemExit(f"{module} #{site.index}: none of the chosen tests was collected")
    return Outcome(site, code != 0, time.perf_counter() - start)


def _import_time_readers(module: str, path: str, site: Site, coverage: Coverage) -> set[str] | None:
    """The tests that can see a module-level mutant (see ``mutant_runner.readers``); None: every test."""
    found = readers(SOURCE, path, site.line, max(site.line, site.end_line))
    if found is None:
        return None
    lines, names = found
    tests = coverage.running(lines)
    if names:  # a test file naming an affected table or constant runs whole
        pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(names))) + r")\b")
        for file in _RESOLVED[module]:
            if pattern.search((ROOT / file).read_text(encoding="utf-8")):
                tests |= {t for t in coverage.seconds if t.split("::")[0] == file}
    return tests


def _equivalent(module: str, site: Site, lines: list[str]) -> str:
    text = lines[site.line - 1] if 0 < site.line <= len(lines) else ""
    for (mod, fragment, what), why in EQUIVALENT.items():
        found = text.startswith(fragment[1:]) if fragment.startswith("^") else fragment in text  # ^: line start
        if mod == module and found and what == site.what:
            return why
    return ""


def mutate_module(
    module: str,
    sample: int | None,
    seed: int,
    only: set[int] | None = None,
    coverage: Coverage | None = None,
    jobs: list[Job] | None = None,
) -> list[Outcome]:
    path = SOURCE / f"{module}.py"
    every = sites(str(path))
    chosen = (
        every
        if sample is None
        else sorted(random.Random(seed).sample(every, min(sample, len(every))), key=lambda s: s.index)
    )
    if coverage is None:
        passed, _ = run_one(module, -1)
        if not passed:
            raise SystemExit(f"{module}: the unmutated module does not pass its tests")
    lines = path.read_text(encoding="utf-8").splitlines()
    outcomes: list[Outcome] = []
    for site in chosen:
        why = _equivalent(module, site, lines)
        if why:
            outcomes.append(Outcome(site, False, 0.0, why))
            continue
        if only is not None and site.index not in only:
            outcomes.append(Outcome(site, True, 0.0))  # killed in the earlier run
            continue
        if coverage is not None:
            outcomes.append(run_guided(module, site, coverage, [] if jobs is None else jobs))
            ran = sum(o.seconds > 0 for o in outcomes)
            if outcomes[-1].seconds and ran % 10 == 0:
                print(f"  … {module}: {ran} module-level mutants run", flush=True)
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
    not_run = sum(o.not_run for o in counted)
    if not_run:
        out[0] += f" ({not_run} survived without a run: no test executes their lines)"
    for o in counted:
        if not o.killed:
            out.append(f"  survived #{o.site.index} line {o.site.line} {o.site.what}: {lines[o.site.line - 1].strip()}")
    return "\n".join(out)


def _run_jobs(modules: list[str], jobs: list[Job], results: dict[str, list[Outcome]]) -> None:
    """Run the queued mutants in one shared session and fill their placeholder outcomes in ``results``."""
    print(f"{len(jobs)} mutants inside function bodies: one shared session", flush=True)
    done = run_session(ROOT, sorted({f for m in modules for f in _RESOLVED[m]}), jobs)
    for module, outcomes in results.items():
        for position, outcome in enumerate(outcomes):
            code, seconds = done.get((module, outcome.site.index), (None, 0.0))
            if code == UNPATCHABLE:  # not found in the imported module: the slow, certain way
                ok, seconds = run_one(module, outcome.site.index)
                code = 0 if ok else 1
            elif code == 5:
                raise SystemExit(f"{module} #{outcome.site.index}: none of the chosen tests was collected")
            if code is not None:
                outcomes[position] = Outcome(outcome.site, code != 0, seconds)


def _survivors(output: Path) -> dict[str, set[int]]:
    """The survivors listed in an earlier run's output, per module."""
    survivors: dict[str, set[int]] = {}
    current = ""
    for line in output.read_text(encoding="utf-8").splitlines():
        head = re.match(r"(\w+): \d+ sites", line)
        if head:
            current = head.group(1)
            survivors.setdefault(current, set())
        found = re.match(r"  survived #(\d+) ", line)
        if found and current:
            survivors[current].add(int(found.group(1)))
    return survivors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module", action="append", choices=sorted(TESTS))
    parser.add_argument("--sample", type=int, default=50)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--full", action="store_true")
    parser.add_argument("--rerun", type=Path, help="only the survivors listed in this earlier output")
    parser.add_argument("--without", action="append", default=[], help="leave out this test file (a 'before' run)")
    parser.add_argument("--isolated", action="store_true", help="a fresh pytest process per mutant, every test")
    args = parser.parse_args(argv)
    survivors = None if args.rerun is None else _survivors(args.rerun)
    times: list[float] = []
    modules = args.module or list(TESTS)
    _RESOLVED.update({module: [t for t in _tests(module) if t not in args.without] for module in modules})
    coverage = None
    if not args.isolated:
        preload()
        files = sorted({f for module in modules for f in _RESOLVED[module]})
        start = time.perf_counter()
        coverage = record(SOURCE, ROOT, files, TIMEOUT * 10)
        if not coverage.passed:
            raise SystemExit("the unmutated modules do not pass their tests")
        print(
            f"recorded which of {len(coverage.seconds)} tests execute which lines in "
            f"{time.perf_counter() - start:.0f} s",
            flush=True,
        )
    jobs: list[Job] = []
    results: dict[str, list[Outcome]] = {}
    for module in modules:
        print(f"{module}: tests {' '.join(_RESOLVED[module])}", flush=True)
        only = None if survivors is None else survivors.get(module, set())
        results[module] = mutate_module(module, None if args.full else args.sample, args.seed, only, coverage, jobs)
        if coverage is None:
            print(report(module, len(sites(str(SOURCE / f"{module}.py"))), results[module]), flush=True)
    if jobs:
        _run_jobs(modules, jobs, results)
    for module, outcomes in results.items():
        times.extend(o.seconds for o in outcomes if o.seconds)
        if coverage is not None:
            print(report(module, len(sites(str(SOURCE / f"{module}.py"))), outcomes), flush=True)
    if times:
        spread = f"{min(times):.1f}–{max(times):.1f}"
        print(f"one mutant run: median {statistics.median(times):.1f} s, n={len(times)}, spread {spread} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
