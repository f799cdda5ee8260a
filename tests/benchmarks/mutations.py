"""A small AST mutator: the mutation sites of one Python source file, and the source with one applied.

Operators (each site yields exactly one mutant):
- comparisons: ``<`` ↔ ``<=``, ``>`` ↔ ``>=``, ``==`` ↔ ``!=``, ``is`` ↔ ``is not``, ``in`` ↔ ``not in``;
- arithmetic: ``+`` ↔ ``-``, ``*`` ↔ ``/``, ``//`` → ``/``, ``%`` → ``*``;
- boolean: ``and`` ↔ ``or``; ``not x`` → ``x``;
- constants: an int ``n`` → ``n + 1`` (bools flip), a numeric string inside ``Decimal("…")`` → +1;
- conditions: ``if c`` / ``elif c`` / ``while c`` / ternary test → ``not (c)``.

Docstrings, annotations, messages (string constants) and lines marked ``pragma: no cover`` are
never mutated. Sites are numbered in a stable walk order, so ``index`` names one mutant for good.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

_SWAP_CMP: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
}
_SWAP_BIN: dict[type[ast.operator], type[ast.operator]] = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
    ast.FloorDiv: ast.Div,
    ast.Mod: ast.Mult,
}


@dataclass(frozen=True)
class Site:
    """One mutation: its number, line and what it does (``end_line``: the last line of the mutated node)."""

    index: int
    line: int
    what: str
    end_line: int = 0


class _Mutator(ast.NodeTransformer):
    """Walks a tree numbering sites; applies the one numbered ``target`` (-1: none, only count)."""

    def __init__(self, target: int, skip_lines: frozenset[int]) -> None:
        self.target = target
        self.skip_lines = skip_lines
        self.sites: list[Site] = []

    def _site(self, node: ast.AST, what: str) -> bool:
        line = getattr(node, "lineno", 0)
        if line in self.skip_lines:
            return False
        index = len(self.sites)
        self.sites.append(Site(index, line, what, getattr(node, "end_lineno", None) or line))
        return index == self.target

    # -- never inside annotations or docstrings --------------------------------------------------
    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.AST:
        node.returns = None
        for arg in [*node.args.args, *node.args.kwonlyargs, *node.args.posonlyargs]:
            arg.annotation = None
        node.body = self._body(node.body)
        node.decorator_list = [self.visit(d) for d in node.decorator_list]
        node.args.defaults = [self.visit(d) for d in node.args.defaults]
        node.args.kw_defaults = [self.visit(d) if d is not None else None for d in node.args.kw_defaults]
        return node

    def visit_ClassDef(self, node: ast.ClassDef) -> ast.AST:
        node.body = self._body(node.body)
        return node

    def visit_AnnAssign(self, node: ast.AnnAssign) -> ast.AST:
        if node.value is not None:
            node.value = self.visit(node.value)
        return node

    def _body(self, body: list[ast.stmt]) -> list[ast.stmt]:
        start = 1 if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) else 0
        return body[:start] + [self.visit(stmt) for stmt in body[start:]]

    # -- operators -------------------------------------------------------------------------------
    def visit_Compare(self, node: ast.Compare) -> ast.AST:
        self.generic_visit(node)
        for i, op in enumerate(node.ops):
            swap = _SWAP_CMP.get(type(op))
            if swap is not None and self._site(node, f"{type(op).__name__} → {swap.__name__}"):
                node.ops[i] = swap()
        return node

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.left, ast.Constant) and isinstance(node.left.value, str):
            return node  # "%" formatting / string joins: messages
        swap = _SWAP_BIN.get(type(node.op))
        if swap is not None and self._site(node, f"{type(node.op).__name__} → {swap.__name__}"):
            node.op = swap()
        return node

    def visit_BoolOp(self, node: ast.BoolOp) -> ast.AST:
        self.generic_visit(node)
        swap: ast.boolop = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        if self._site(node, f"{type(node.op).__name__} → {type(swap).__name__}"):
            node.op = swap
        return node

    def visit_UnaryOp(self, node: ast.UnaryOp) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.op, ast.Not) and self._site(node, "not x → x"):
            return node.operand
        return node

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        value = node.value
        if isinstance(value, bool):
            if self._site(node, f"{value} → {not value}"):
                return ast.copy_location(ast.Constant(not value), node)
        elif isinstance(value, int) and self._site(node, f"{value} → {value + 1}"):
            return ast.copy_location(ast.Constant(value + 1), node)
        return node

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        if name in ("Decimal", "D") and len(node.args) == 1 and isinstance(node.args[0], ast.Constant):
            text = node.args[0].value
            if isinstance(text, str):
                try:
                    number = Decimal(text)
                except InvalidOperation:
                    return node
                if self._site(node, f'Decimal("{text}") → {number + 1}'):
                    node.args[0] = ast.copy_location(ast.Constant(str(number + 1)), node.args[0])
        return node

    def _negated(self, test: ast.expr, node: ast.AST, kind: str) -> ast.expr:
        if self._site(node, f"{kind} c → {kind} not c"):
            return ast.copy_location(ast.UnaryOp(ast.Not(), test), test)
        return test

    def visit_If(self, node: ast.If) -> ast.AST:
        node.test = self._negated(self.visit(node.test), node, "if")
        node.body = [self.visit(s) for s in node.body]
        node.orelse = [self.visit(s) for s in node.orelse]
        return node

    def visit_While(self, node: ast.While) -> ast.AST:
        node.test = self._negated(self.visit(node.test), node, "while")
        node.body = [self.visit(s) for s in node.body]
        node.orelse = [self.visit(s) for s in node.orelse]
        return node

    def visit_IfExp(self, node: ast.IfExp) -> ast.AST:
        node.test = self._negated(self.visit(node.test), node, "x if")
        node.body = self.visit(node.body)
        node.orelse = self.visit(node.orelse)
        return node


def _tree(source: str) -> tuple[ast.Module, frozenset[int]]:
    skip = frozenset(n for n, line in enumerate(source.splitlines(), 1) if "pragma: no cover" in line)
    tree = ast.parse(source)
    tree.body = [s for s in tree.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    return tree, skip


def sites(path: str) -> list[Site]:
    """Every mutation site of the file, numbered."""
    with open(path, encoding="utf-8") as handle:
        tree, skip = _tree(handle.read())
    mutator = _Mutator(-1, skip)
    mutator.visit(tree)
    return mutator.sites


def mutated_source(path: str, index: int) -> str:
    """The file's source with mutation ``index`` applied (as unparsed Python)."""
    with open(path, encoding="utf-8") as handle:
        tree, skip = _tree(handle.read())
    mutator = _Mutator(index, skip)
    tree = mutator.visit(tree)
    if index >= len(mutator.sites):
        raise IndexError(f"{path} has {len(mutator.sites)} mutation sites, not {index + 1}")
    return ast.unparse(ast.fix_missing_locations(tree))
