"""The shape of the code: no import cycle anywhere in desktop/, and no module past the size we can read.

Every ``import`` counts, also one inside a function: a deferred import hides a cycle from Python
but not from the reader, who still has to understand both modules at once.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "desktop"
MAX_LINES = 700
# What was left over when these checks came in (issue 11), being worked on elsewhere at the time.
# These lists may only shrink: a test below fails when an entry is no longer needed.
KNOWN_CYCLES: list[list[str]] = []
KNOWN_LONG: set[str] = set()


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in PACKAGE.rglob("*.py")}


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The desktop modules this module imports (a package's ``__init__`` is not counted as a dependency)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")
                base = ".".join(parent[: len(parent) - node.level + 1] + ([base] if base else []))
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name and not (PACKAGE / Path(*target.split(".")[1:]) / "__init__.py").exists():
                found.add(target)
    return found


def import_graph() -> dict[str, set[str]]:
    """Module → the desktop modules it imports."""
    modules = _modules()
    known = set(modules)
    return {name: _imports(name, path, known) for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of two or more modules (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group: list[str] = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_in_desktop() -> None:
    assert cycles(import_graph()) == KNOWN_CYCLES


def test_no_module_is_longer_than_we_can_read() -> None:
    long = {
        _module_name(path): lines
        for path in PACKAGE.rglob("*.py")
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert set(long) == KNOWN_LONG


def _sources(folder: Path) -> dict[str, ast.Module]:
    """Every module under a folder, parsed."""
    return {_module_name(path): ast.parse(path.read_text(encoding="utf-8")) for path in folder.rglob("*.py")}


def test_undo_commands_are_made_in_one_place() -> None:
    makers = {
        name
        for name, tree in _sources(PACKAGE).items()
        for node in ast.walk(tree)
        if (isinstance(node, ast.Name) and node.id in ("QUndoCommand", "EditCommand"))
        or (isinstance(node, ast.Attribute) and node.attr in ("QUndoCommand", "EditCommand"))
    }
    assert makers == {"desktop.views.commands"}


def test_no_view_reaches_into_another_objects_private_attributes() -> None:
    """In views, ``x._name`` only on ``self`` / ``cls`` / ``super()`` (or a module's private name)."""
    found: list[str] = []
    for name, tree in _sources(PACKAGE / "views").items():
        modules = {alias.asname or alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                   for alias in node.names}  # fmt: skip
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")):
                continue
            owner = node.value
            if isinstance(owner, ast.Name) and owner.id in ("self", "cls", *modules):
                continue
            if isinstance(owner, ast.Call) and isinstance(owner.func, ast.Name) and owner.func.id == "super":
                continue
            found.append(f"{name}:{node.lineno} {ast.unparse(node)}")
    assert found == []
