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

import ast
import functools
import json
import os
import signal
import sys
import tempfile
import time
import types
from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from tests.benchmarks.mutations import mutated_source

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

    def running(self, lines: dict[str, set[int]]) -> set[str]:
        """The tests executing any of ``lines`` (file path → line numbers)."""
        found: set[str] = set()
        for path, numbers in lines.items():
            by_line = self.lines.get(path, {})
            for line in numbers:
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


def function_of(path: str, first: int, last: int) -> str | None:
    """The qualified name of the module- or class-level function whose body holds lines ``first..last``.

    None when the lines are not inside one function body (module or class level, a signature, a decorator)
    or when two functions share that name (a property and its setter): such a mutant needs a fresh import.
    """
    tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    found: list[tuple[str, int, int]] = []

    def walk(body: list[ast.stmt], prefix: str) -> None:
        for node in body:
            if isinstance(node, ast.ClassDef):
                walk(node.body, f"{prefix}{node.name}.")
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                found.append((f"{prefix}{node.name}", node.body[0].lineno, node.end_lineno or node.lineno))

    walk(tree.body, "")
    names = [name for name, _, _ in found]
    for name, start, end in found:
        if start <= first and last <= end:
            return name if names.count(name) == 1 else None
    return None


def _functions(module: types.ModuleType) -> list[types.FunctionType]:
    """Every function object defined in ``module``: top level, methods (also nested classes), unwrapped."""
    seen: set[int] = set()
    out: list[types.FunctionType] = []

    def add(value: object) -> None:
        if id(value) in seen:
            return
        seen.add(id(value))
        if isinstance(value, staticmethod | classmethod):
            add(value.__func__)
        elif isinstance(value, property):
            add(value.fget)
            add(value.fset)
            add(value.fdel)
        elif isinstance(value, functools.cached_property):
            add(value.func)
        elif isinstance(value, type) and value.__module__ == module.__name__:
            for member in list(vars(value).values()):
                add(member)
        elif isinstance(value, types.FunctionType):
            out.append(value)
        wrapped = getattr(value, "__wrapped__", None) if not isinstance(value, type) else None
        if wrapped is not None:
            add(wrapped)

    for value in list(vars(module).values()):
        add(value)
    return out


def _codes(code: types.CodeType) -> Generator[types.CodeType, None, None]:
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _codes(const)


def patch(module_name: str, index: int, qualname: str) -> bool:
    """Swap the code of function ``qualname`` of the imported module for its code in mutant ``index``."""
    module = sys.modules[module_name]
    path = module.__file__ or ""
    mutated = [c for c in _codes(compile(mutated_source(path, index), path, "exec")) if c.co_qualname == qualname]
    targets = [f for f in _functions(module) if f.__code__.co_qualname == qualname and f.__code__.co_filename == path]
    if len(mutated) != 1 or len(targets) != 1:
        return False
    targets[0].__code__ = mutated[0]
    return True


@dataclass
class Job:
    """One mutant to run in the shared session: patch ``qualname`` of ``module`` with mutant ``index``."""

    key: tuple[str, int]
    module: str  # dotted name
    index: int
    qualname: str
    chosen: dict[str, float]  # test id → seconds
    timeout: float


UNPATCHABLE = 86  # a child's exit code: the function to patch was not found in the imported module


@dataclass(eq=False)
class _Zygote:
    """A pytest plugin: after one collection, each job runs in a child forked from the session."""

    jobs: list[Job]
    progress: Callable[[str], None]
    results: dict[tuple[str, int], tuple[int, float]] = field(default_factory=dict)
    failed: bool = False

    def pytest_runtestloop(self, session: pytest.Session) -> bool:
        items = {item.nodeid: item for item in session.items}
        for number, job in enumerate(self.jobs, 1):
            chosen = sorted((items[t] for t in job.chosen if t in items), key=lambda item: job.chosen[item.nodeid])
            start = time.perf_counter()
            code = (
                5 if len(chosen) != len(job.chosen) else _fork(functools.partial(self._child, job, chosen), job.timeout)
            )
            self.results[job.key] = (code, time.perf_counter() - start)
            if number % 25 == 0:
                self.progress(f"  … {number}/{len(self.jobs)} mutants run in the shared session\n")
        return True

    def _child(self, job: Job, chosen: list[pytest.Item]) -> int:
        if not patch(job.module, job.index, job.qualname):
            return UNPATCHABLE
        _clear_caches()
        for position, item in enumerate(chosen):
            nextitem = chosen[position + 1] if position + 1 < len(chosen) else None
            item.config.hook.pytest_runtest_protocol(item=item, nextitem=nextitem)
            if self.failed:
                return 1
        return 0

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.failed:
            self.failed = True


def run_session(root: Path, files: list[str], jobs: list[Job]) -> dict[tuple[str, int], tuple[int, float]]:
    """Collect ``files`` once (unmutated) and run every job forked from that session: key → (exit code, s)."""
    saved = os.dup(1)

    def progress(text: str) -> None:
        os.write(saved, text.encode())

    zygote = _Zygote(jobs, progress)
    sys.stdout.flush()
    sys.stderr.flush()
    null = os.open(os.devnull, os.O_WRONLY)
    saved_err = os.dup(2)
    os.dup2(null, 1)
    os.dup2(null, 2)
    try:
        os.chdir(root)
        pytest.main([*_ARGS, "--capture=no", *files], plugins=[zygote])
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(saved, 1)
        os.dup2(saved_err, 2)
        os.close(null)
    missing = [job.key for job in jobs if job.key not in zygote.results]
    if missing:
        raise SystemExit(f"the shared session ran none of {len(missing)} mutants (did collection fail?)")
    return zygote.results


# -- module-level mutants: which lines read what the mutated statement defines ----------------------------


def _stored(node: ast.AST) -> set[str]:
    """Names a module-level statement binds (assignment targets, a def or class name, subscripted tables)."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return {node.name}
    names: set[str] = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
            names.add(sub.id)
        elif isinstance(sub, ast.Subscript | ast.Attribute) and isinstance(sub.ctx, ast.Store):
            base = sub.value
            while isinstance(base, ast.Subscript | ast.Attribute):
                base = base.value
            if isinstance(base, ast.Name):
                names.add(base.id)
        elif isinstance(sub, ast.alias):
            names.add((sub.asname or sub.name).split(".")[0])
    return names


def _loaded(node: ast.AST) -> set[str]:
    return {sub.id for sub in ast.walk(node) if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Load)}


def _affected(tree: ast.Module, seeds: set[str]) -> set[str]:
    """``seeds`` and every module-level name computed at import from them (directly or by calling a function)."""
    functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}
    reads: dict[str, set[str]] = {name: _loaded(node) for name, node in functions.items()}
    changed = True
    while changed:  # a function reads what the functions it calls read
        changed = False
        for name, names in reads.items():
            extra = set().union(*(reads[c] for c in names & reads.keys() if c != name)) - names
            if extra:
                names |= extra
                changed = True
    affected = set(seeds)
    changed = True
    while changed:
        changed = False
        for node in tree.body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue  # its body runs when called: the lines that read a name are found below
            deps = _loaded(node)
            deps |= set().union(*(reads[c] for c in deps & reads.keys()))
            bound = _stored(node) - affected
            if deps & affected and bound:
                affected |= bound
                changed = True
    return affected


def _reading_lines(tree: ast.Module, names: set[str]) -> set[int]:
    return {
        node.lineno
        for node in ast.walk(tree)
        if (isinstance(node, ast.Name) and node.id in names) or (isinstance(node, ast.Attribute) and node.attr in names)
    }


def readers(source: Path, path: str, first: int, last: int) -> tuple[dict[str, set[int]], set[str]] | None:
    """For a mutant at module level: the lines (per file of ``source``) that read what it changes.

    The mutated top-level statement binds some names; every module-level name computed from those at
    import is affected too; a test can only see the mutant by running a line that reads an affected name
    (in this module, or under an imported alias in another module of the package). Returns those lines
    and the affected names (a test file that names one runs whole), or None when the mutant is inside a
    class body (its attributes are read through instances: no line names them). A function run at import
    (or a mutant in its decorator or defaults) is seen by running its body or by reading what was computed
    with it at import.
    """
    tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    statement = next((n for n in tree.body if n.lineno <= first <= (n.end_lineno or n.lineno)), None)
    if statement is None or isinstance(statement, ast.ClassDef):
        return None
    affected = _affected(tree, _stored(statement))
    lines = _reading_lines(tree, affected)
    if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):  # its body, run at import or by a test
        lines |= set(range(statement.lineno, (statement.end_lineno or statement.lineno) + 1))
    found = {path: lines}
    leaf = Path(path).stem
    names = affected - {getattr(statement, "name", "")}  # a function's callers run its body
    for other in sorted(source.glob("*.py")):
        if str(other) == path:
            continue
        other_tree = ast.parse(other.read_text(encoding="utf-8"))
        aliases = {
            alias.asname or alias.name
            for node in ast.walk(other_tree)
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[-1] == leaf
            for alias in node.names
            if alias.name in affected
        }
        imported_module = any(
            isinstance(node, ast.ImportFrom) and any(alias.name == leaf for alias in node.names)
            for node in ast.walk(other_tree)
        )
        seeds = aliases | (affected if imported_module else set())
        if seeds:
            other_affected = _affected(other_tree, seeds)
            names |= other_affected
            found[str(other)] = _reading_lines(other_tree, other_affected)
    return found, names
