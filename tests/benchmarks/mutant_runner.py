"""Fast mutant runs for ``mutate.py``: record once which tests execute each line, then fork per mutant.

``record`` runs the tests once, unmutated, with a line tracer on the files of the scoring package: for every
test the lines it executes (its own and those of the fixtures it uses), the lines run while a module is
being imported (module level, decorators, defaults), and each test's duration. Memo caches (every
``functools.lru_cache`` of the project) are cleared before each test so a test's lines do not depend on
what an earlier test left in them.

``run_mutant`` forks the runner process (pytest and the heavy libraries already imported, the project not)
and runs pytest in the child on only the tests that execute the mutated lines, quickest first, stopping at
the first failure. A mutant on an import-time line runs every test of its module. The child loads the mutant
with ``mutant_plugin.py`` exactly as a fresh ``pytest`` process would, so a verdict is the same as the old
one-process-per-mutant run on those tests: a test that never executes the mutated line behaves as with the
original module.
"""

from __future__ import annotations

import functools
import json
import os
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

_Tracer = Callable[[FrameType, str, Any], Any]
_PRELOAD_PYTEST = [
    f"_pytest.{name}"
    for name in (
        "faulthandler helpconfig pastebin setuponly setupplan skipping threadexception tracemalloc unittest "
        "unraisableexception warnings"
    ).split()
]
_ARGS = ["-q", "-p", "no:cacheprovider", "-W", "ignore::pytest.PytestAssertRewriteWarning"]


def preload() -> None:
    """Import what every child would import anyway (pytest's plugins, hypothesis, SQLAlchemy, Qt), once, here."""
    for name in (
        *_PRELOAD_PYTEST,
        "hypothesis",
        "hypothesis.extra.pytestplugin",
        "sqlalchemy",
        "sqlalchemy.orm",
        "pytestqt.plugin",
        "PySide6.QtCore",
        "PySide6.QtGui",
        "PySide6.QtWidgets",
        "PySide6.QtTest",
        "pdb",
        "packaging.requirements",
        "tomllib",
    ):
        try:
            __import__(name)
        except ImportError:  # pragma: no cover - an optional plugin not installed
            pass


@dataclass
class Coverage:
    """Which tests execute which lines of the package's files (unmutated), and how long each test takes."""

    seconds: dict[str, float]  # test id → seconds, in run order
    lines: dict[str, dict[int, set[str]]]  # file path → line → test ids
    imported: dict[str, set[int]]  # file path → lines run while a module was imported
    passed: bool

    def covering(self, path: str, first: int, last: int) -> set[str] | None:
        """The tests executing any of lines ``first..last`` of ``path``; None when one runs at import."""
        if any(line in self.imported.get(path, set()) for line in range(first, last + 1)):
            return None
        found: set[str] = set()
        by_line = self.lines.get(path, {})
        for line in range(first, last + 1):
            found |= by_line.get(line, set())
        return found


@dataclass(eq=False)  # a plugin must be hashable
class _Recorder:
    """A pytest plugin plus a ``sys.settrace`` tracer recording lines of files under ``prefix``."""

    prefix: str
    current: str | None = None
    importing: int = 0
    fixtures: list[str] = field(default_factory=list)
    hits: dict[str, set[tuple[str, int]]] = field(default_factory=dict)
    fixture_hits: dict[str, set[tuple[str, int]]] = field(default_factory=dict)
    uses: dict[str, list[str]] = field(default_factory=dict)
    imported: set[tuple[str, int]] = field(default_factory=set)
    seconds: dict[str, float] = field(default_factory=dict)

    def trace(self, frame: FrameType, event: str, arg: Any) -> _Tracer | None:
        filename = frame.f_code.co_filename
        if not filename.startswith(self.prefix):
            return None
        if frame.f_code.co_name == "<module>":
            self.importing += 1
            self._hit(filename, frame.f_lineno)
            return self._module_line
        self._hit(filename, frame.f_lineno)
        return self._line

    def _line(self, frame: FrameType, event: str, arg: Any) -> _Tracer:
        if event == "line":
            self._hit(frame.f_code.co_filename, frame.f_lineno)
        return self._line

    def _module_line(self, frame: FrameType, event: str, arg: Any) -> _Tracer:
        if event == "line":
            self._hit(frame.f_code.co_filename, frame.f_lineno)
        elif event == "return":
            self.importing -= 1
        return self._module_line

    def _hit(self, filename: str, line: int) -> None:
        key = (filename, line)
        if self.importing or self.current is None:
            self.imported.add(key)
            return
        self.hits[self.current].add(key)
        for name in self.fixtures:
            self.fixture_hits.setdefault(name, set()).add(key)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_fixture_setup(self, fixturedef: Any, request: Any) -> Generator[None, None, None]:
        self.fixtures.append(fixturedef.argname)
        try:
            yield
        finally:
            self.fixtures.pop()

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None, None, None]:
        _clear_caches()
        self.current = item.nodeid
        self.hits[item.nodeid] = set()
        self.uses[item.nodeid] = list(getattr(item, "fixturenames", ()))
        start = time.perf_counter()
        yield
        self.seconds[item.nodeid] = time.perf_counter() - start
        self.current = None

    def result(self, passed: bool) -> dict[str, Any]:
        lines: dict[str, dict[int, list[str]]] = {}
        for test, hits in self.hits.items():
            every = set(hits)
            for name in self.uses.get(test, ()):
                every |= self.fixture_hits.get(name, set())
            for filename, line in every:
                lines.setdefault(filename, {}).setdefault(line, []).append(test)
        imported: dict[str, list[int]] = {}
        for filename, line in self.imported:
            imported.setdefault(filename, []).append(line)
        return {"seconds": self.seconds, "lines": lines, "imported": imported, "passed": passed}


def _clear_caches() -> None:
    for name, module in list(sys.modules.items()):
        if not name.startswith("desktop.") or module is None:
            continue
        for value in list(vars(module).values()):
            if isinstance(value, functools._lru_cache_wrapper):
                value.cache_clear()


def _fork(child: Callable[[], int], timeout: float) -> int:
    """Run ``child`` in a forked process (output discarded); its exit code, or -1 if it died or timed out."""
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 3
        try:
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, 1)
            os.dup2(null, 2)
            signal.alarm(max(1, int(timeout)))  # the default action ends the child: a mutant that loops
            code = child()
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else -1


def record(source: Path, root: Path, files: Iterable[str], timeout: float) -> Coverage:
    """Run ``files`` once unmutated, tracing the lines of ``source``'s files each test executes."""
    with tempfile.TemporaryDirectory(prefix="jixiao-mutate-") as scratch:
        out = Path(scratch) / "coverage.json"

        def child() -> int:
            os.chdir(root)
            recorder = _Recorder(str(source) + os.sep)
            sys.settrace(recorder.trace)
            try:
                code = pytest.main([*_ARGS, *files], plugins=[recorder])
            finally:
                sys.settrace(None)
            out.write_text(json.dumps(recorder.result(code == 0)), encoding="utf-8")
            return 0

        if _fork(child, timeout) != 0 or not out.exists():
            raise SystemExit("recording which tests execute which lines failed")
        data = json.loads(out.read_text(encoding="utf-8"))
    return Coverage(
        seconds=data["seconds"],
        lines={f: {int(n): set(t) for n, t in by_line.items()} for f, by_line in data["lines"].items()},
        imported={f: set(lines) for f, lines in data["imported"].items()},
        passed=data["passed"],
    )


@dataclass(eq=False)
class _Select:
    """A pytest plugin keeping only the chosen tests, quickest first."""

    chosen: dict[str, float]

    def pytest_collection_modifyitems(self, session: Any, config: Any, items: list[pytest.Item]) -> None:
        kept = [item for item in items if item.nodeid in self.chosen]
        kept.sort(key=lambda item: self.chosen[item.nodeid])
        config.hook.pytest_deselected(items=[item for item in items if item.nodeid not in self.chosen])
        items[:] = kept


def run_mutant(root: Path, mutant: str, files: list[str], chosen: dict[str, float] | None, timeout: float) -> int:
    """pytest's exit code with ``mutant`` (``module:index``) loaded (-1: died, timed out); ``chosen``: only these."""

    def child() -> int:
        os.chdir(root)
        os.environ["JIXIAO_MUTANT"] = mutant
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        plugins: list[object] = [] if chosen is None else [_Select(chosen)]
        return int(pytest.main(["-x", *_ARGS, "-p", "tests.benchmarks.mutant_plugin", *files], plugins=plugins))

    return _fork(child, timeout)
