"""User actions on a workbook as plain data: each action returns an ``Edit`` or raises ``UserError``.

An ``Edit`` is a Chinese label (what 撤销 / 重做 name) and the document operations that make it,
each knowing how to undo itself. Nothing here knows Qt: a view translates a selection into
arguments, calls an action, and hands the ``Edit`` to its undo stack (``views/commands.py``); a
test calls the same action and applies the ``Edit`` to a document directly.

The actions of the workbook as a whole (forms, the outline's nodes, properties, replace-all) are
here; those of a form's fields in ``form_edits``, those of the indicator table in ``table_edits``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from desktop.models.errors import UserError
from desktop.models.scoring.rules import RuleSet
from desktop.models.workbook.document import WorkbookDocument, differs
from desktop.models.workbook.domain import ChildName, Form, Goal, Indicator, ListName, Workbook
from desktop.models.workbook.outline import NodeKind, OutlineNode

# ---- operations ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SetFields:
    """Set fields of one domain object; ``old`` holds their values when the edit was made."""

    obj: object
    new: Mapping[str, Any]
    old: Mapping[str, Any]

    def do(self, document: WorkbookDocument) -> None:
        document.set_fields(self.obj, **self.new)

    def undo(self, document: WorkbookDocument) -> None:
        document.set_fields(self.obj, **self.old)


@dataclass(frozen=True)
class InsertItems:
    """Insert items into ``parent.<attr>`` at ``index``."""

    parent: object
    attr: ListName
    index: int
    items: tuple[object, ...]

    def do(self, document: WorkbookDocument) -> None:
        document.insert_items(self.parent, self.attr, self.index, self.items)

    def undo(self, document: WorkbookDocument) -> None:
        document.remove_items(self.parent, self.attr, self.index, len(self.items))


@dataclass(frozen=True)
class RemoveItems:
    """Remove consecutive items (the very objects in ``items``) from ``parent.<attr>`` at ``index``."""

    parent: object
    attr: ListName
    index: int
    items: tuple[object, ...]

    def do(self, document: WorkbookDocument) -> None:
        document.remove_items(self.parent, self.attr, self.index, len(self.items))

    def undo(self, document: WorkbookDocument) -> None:
        document.insert_items(self.parent, self.attr, self.index, self.items)


@dataclass(frozen=True)
class MoveItem:
    """Move ``parent.<attr>[index]`` to position ``to``."""

    parent: object
    attr: ListName
    index: int
    to: int

    def do(self, document: WorkbookDocument) -> None:
        document.move_item(self.parent, self.attr, self.index, self.to)

    def undo(self, document: WorkbookDocument) -> None:
        document.move_item(self.parent, self.attr, self.to, self.index)


@dataclass(frozen=True)
class SetChild:
    """Set or clear an optional single child (``form.unit`` / ``budget`` / ``signoff``)."""

    parent: object
    attr: ChildName
    new: object | None
    old: object | None

    def do(self, document: WorkbookDocument) -> None:
        document.set_child(self.parent, self.attr, self.new)

    def undo(self, document: WorkbookDocument) -> None:
        document.set_child(self.parent, self.attr, self.old)


Operation = SetFields | InsertItems | RemoveItems | MoveItem | SetChild


def set_fields(obj: object, values: Mapping[str, Any]) -> SetFields:
    """The operation setting these fields of ``obj`` (their current values kept for undo)."""
    return SetFields(obj, dict(values), {name: getattr(obj, name) for name in values})


def insert(parent: object, attr: ListName, index: int, items: Sequence[object]) -> InsertItems:
    """The operation inserting ``items`` at ``index``."""
    return InsertItems(parent, attr, index, tuple(items))


def remove(parent: object, attr: ListName, index: int, count: int = 1) -> RemoveItems:
    """The operation removing ``count`` items at ``index`` (the objects there now)."""
    lst: list[object] = getattr(parent, attr) or []
    return RemoveItems(parent, attr, index, tuple(lst[index : index + count]))


def move(parent: object, attr: ListName, index: int, to: int) -> MoveItem:
    """The operation moving one item."""
    return MoveItem(parent, attr, index, to)


def set_child(parent: object, attr: ChildName, child: object | None) -> SetChild:
    """The operation setting an optional child (its current one kept for undo)."""
    return SetChild(parent, attr, child, getattr(parent, attr))


@dataclass(frozen=True)
class Edit:
    """One undo step: a Chinese label and the operations, done in order and undone in reverse.

    Attributes:
        label: what the step is called in 撤销 / 重做 (``粘贴``, ``删除 3 行`` …).
        ops: the document operations.
        note: something the user should hear even though the edit went through (a clipped paste).
    """

    label: str
    ops: tuple[Operation, ...] = ()
    note: str = field(default="", compare=False)

    @property
    def empty(self) -> bool:
        """Whether the edit changes nothing (the action had nothing to do)."""
        return not self.ops

    def apply(self, document: WorkbookDocument) -> None:
        """Do the edit in one stored transaction (all or nothing).

        Raises:
            UserError: the store refused; nothing changed, in memory or on disk.
        """
        with document.transaction():
            for op in self.ops:
                op.do(document)

    def revert(self, document: WorkbookDocument) -> None:
        """Undo the edit in one stored transaction.

        Raises:
            UserError: the store refused; nothing changed.
        """
        with document.transaction():
            for op in reversed(self.ops):
                op.undo(document)


def edit(label: str, *ops: Operation, note: str = "") -> Edit:
    """An ``Edit`` of these operations."""
    return Edit(label, tuple(ops), note)


def set_values(label: str, obj: object, values: Mapping[str, Any]) -> Edit:
    """Set the fields of ``obj`` that change (an empty edit when none does)."""
    changed = {name: value for name, value in values.items() if differs(getattr(obj, name), value)}
    return edit(label, set_fields(obj, changed)) if changed else Edit(label)


def check_writable(document: WorkbookDocument) -> None:
    """Refuse any action on a workbook opened read-only.

    Raises:
        UserError: the workbook is read-only.
    """
    if document.read_only:
        raise UserError("工作簿以只读方式打开，不能修改。")


# ---- forms ---------------------------------------------------------------------------------------


def add_forms(document: WorkbookDocument, forms: Sequence[Form], label: str, after: Form | None = None) -> Edit:
    """Add forms after ``after`` (at the end when None): a new, copied, generated or imported form.

    Raises:
        UserError: no form to add.
    """
    if not forms:
        raise UserError("没有可添加的表。")
    workbook = document.workbook
    index = len(workbook.forms)
    if after is not None:
        index = next((i + 1 for i, f in enumerate(workbook.forms) if f is after), index)
    return edit(label, insert(workbook, "forms", index, forms))


def self_eval_after(document: WorkbookDocument, target: Form, ruleset: RuleSet) -> tuple[Edit, Form]:
    """由目标表生成自评表: a self-evaluation made from a target form, added right after it; also the new form.

    Raises:
        UserError: the form cannot be made into a self-evaluation (it is one already).
    """
    from desktop.models.workbook.generate import self_eval_from_target

    form = self_eval_from_target(target, ruleset)
    return add_forms(document, [form], "生成自评表", after=target), form


# The workbook's own fields the 工作簿属性 dialog edits (besides its unit's code and name).
WORKBOOK_PROPERTIES: tuple[str, ...] = ("year", "ruleset", "template")


def workbook_properties(workbook: Workbook, answer: Workbook) -> Edit:
    """修改工作簿属性: the unit's code and name and the ``WORKBOOK_PROPERTIES`` as ``answer`` has them, one step."""
    ops: list[Operation] = []
    unit_values = {name: getattr(answer.unit, name) for name in ("code", "name")}
    unit_values = {name: v for name, v in unit_values.items() if getattr(workbook.unit, name) != v}
    own = {name: getattr(answer, name) for name in WORKBOOK_PROPERTIES}
    own = {name: v for name, v in own.items() if getattr(workbook, name) != v}
    if unit_values:
        ops.append(set_fields(workbook.unit, unit_values))
    if own:
        ops.append(set_fields(workbook, own))
    return edit("修改工作簿属性", *ops)


def replace_all(document: WorkbookDocument, needle: str, replacement: str) -> tuple[Edit, int]:
    """全部替换: every occurrence in every form, as one step; also how many places change.

    Raises:
        UserError: the text to find is empty, or a replaced text would be too long.
    """
    from desktop.models.workbook.search import replace_plan

    plan = replace_plan(document.workbook, needle, replacement)
    fields: dict[int, tuple[object, dict[str, str]]] = {}
    for change in plan:
        fields.setdefault(id(change.obj), (change.obj, {}))[1][change.field] = change.new
    return edit("全部替换", *(set_fields(obj, values) for obj, values in fields.values())), len(plan)


# ---- the outline's nodes -------------------------------------------------------------------------


def new_indicator_at(node: OutlineNode) -> tuple[Form, int, Indicator] | None:
    """Where "在此添加指标" puts a new indicator for a node: (form, index in form.indicators, indicator).

    The new indicator takes the node's goal and levels; it goes right after the last indicator of
    the node's group (or of the closest group before it), so it prints in the right place.
    """
    form = node.form
    if form is None or node.kind is NodeKind.WORKBOOK:
        return None
    indicator = Indicator(level1=node.level1 or "", level2=node.level2 or "", name="", goal=node.goal)
    if node.kind is NodeKind.INDICATOR and isinstance(node.obj, Indicator):
        source = node.obj
        indicator.level1, indicator.level2, indicator.goal = source.level1, source.level2, source.goal
        index = _index_of(form, source)
        return form, (index + 1 if index is not None else len(form.indicators)), indicator
    anchor = _last_indicator_before(node)
    if anchor is None:
        index = 0
    else:
        found = _index_of(form, anchor)
        index = found + 1 if found is not None else len(form.indicators)
    if node.kind is NodeKind.LEVEL1 and not indicator.level2:
        level2s = [child for child in node.children if child.kind is NodeKind.LEVEL2]
        if level2s:
            indicator.level2 = level2s[0].level2 or ""
    if node.kind in (NodeKind.FORM, NodeKind.GOAL):
        first_level1 = next((c for c in node.children if c.kind is NodeKind.LEVEL1), None)
        if first_level1 is not None:
            indicator.level1 = first_level1.level1 or ""
            first_level2 = next((c for c in first_level1.children if c.kind is NodeKind.LEVEL2), None)
            indicator.level2 = first_level2.level2 or "" if first_level2 is not None else ""
            anchor = _last_indicator_before(first_level2 or first_level1)
            found = _index_of(form, anchor) if anchor is not None else None
            index = found + 1 if found is not None else (0 if anchor is None else len(form.indicators))
    return form, index, indicator


def _index_of(form: Form, indicator: Indicator) -> int | None:
    for i, ind in enumerate(form.indicators):
        if ind is indicator:
            return i
    return None


def _last_indicator_before(node: OutlineNode) -> Indicator | None:
    """The last indicator at or below ``node``, else the last one shown before it within its form."""
    own = node.indicators()
    if own:
        return own[-1]
    form_node = node
    while form_node.kind is not NodeKind.FORM and form_node.parent is not None:
        form_node = form_node.parent
    last: Indicator | None = None
    for each in form_node.walk():
        if each is node:
            return last
        if isinstance(each.obj, Indicator):
            last = each.obj
    return last


def move_target(node: OutlineNode, step: int) -> tuple[object, ListName, int, int] | None:
    """What "上移"/"下移" (step −1/+1) does to a node: (parent object, list attr, from index, to index).

    Forms move within the workbook, goals within their form's goals, indicators past the
    neighbouring indicator of the same group. None when the node cannot move that way.
    """
    parent = node.parent
    if parent is None:
        return None
    siblings = [child for child in parent.children if child.kind is node.kind]
    position = next((i for i, child in enumerate(siblings) if child is node), None)
    if position is None or not 0 <= position + step < len(siblings):
        return None
    neighbour = siblings[position + step]
    if node.kind is NodeKind.FORM and isinstance(node.obj, Form) and isinstance(neighbour.obj, Form):
        workbook = parent.obj
        if not isinstance(workbook, Workbook):
            return None
        return workbook, "forms", workbook.forms.index(node.obj), workbook.forms.index(neighbour.obj)
    if node.kind is NodeKind.INDICATOR and node.form is not None:
        if not isinstance(node.obj, Indicator) or not isinstance(neighbour.obj, Indicator):
            return None
        src, dst = _index_of(node.form, node.obj), _index_of(node.form, neighbour.obj)
        if src is None or dst is None:
            return None
        return node.form, "indicators", src, dst
    if node.kind is NodeKind.GOAL and node.form is not None and node.form.goals:
        goals = node.form.goals
        if not isinstance(node.obj, Goal) or not isinstance(neighbour.obj, Goal):
            return None
        src = next(i for i, g in enumerate(goals) if g is node.obj)
        dst = next(i for i, g in enumerate(goals) if g is neighbour.obj)
        return node.form, "goals", src, dst
    return None


def add_indicator_at(node: OutlineNode) -> tuple[Edit, Indicator]:
    """添加指标: an empty indicator at a node of the outline (taking its goal and levels); also the indicator.

    Raises:
        UserError: the node holds no form.
    """
    placement = new_indicator_at(node)
    if placement is None:
        raise UserError("请先在左侧选中一张表或一个指标层级")
    form, index, indicator = placement
    return edit("添加指标", insert(form, "indicators", index, [indicator])), indicator


def move_node(node: OutlineNode, step: int) -> Edit:
    """上移 / 下移 a form, goal or indicator of the outline (an empty edit at either end)."""
    target = move_target(node, step)
    label = "上移" if step < 0 else "下移"
    if target is None:
        return Edit(label)
    parent, attr, src, dst = target
    return edit(label, move(parent, attr, src, dst))


@dataclass(frozen=True)
class NodeDeletion:
    """What deleting an outline node would do: the edit and the question to ask first."""

    edit: Edit
    question: str


def delete_node(document: WorkbookDocument, node: OutlineNode) -> NodeDeletion:
    """Delete a form, a goal (with its indicators), a level (its indicators) or one indicator.

    Raises:
        UserError: the node holds nothing to delete.
    """
    form = node.form
    if form is None:
        raise UserError("请先在左侧选中要删除的内容")
    if node.kind is NodeKind.FORM:
        index = next(i for i, f in enumerate(document.workbook.forms) if f is form)
        question = f"删除表“{form.title}”及其全部 {len(form.indicators)} 个指标吗？\n（可用“撤销”恢复）"
        return NodeDeletion(edit("删除表", remove(document.workbook, "forms", index)), question)
    indicators = node.indicators()
    goal = node.obj if node.kind is NodeKind.GOAL and isinstance(node.obj, Goal) else None
    if not indicators and goal is None:
        raise UserError("这里还没有指标，无需删除")
    what = node.label if node.kind is not NodeKind.INDICATOR else f"指标“{node.label}”"
    question = f"删除{what}"
    if node.kind is not NodeKind.INDICATOR:
        question += f"及其下 {len(indicators)} 个指标"
    question += "吗？\n（可用“撤销”恢复）"
    ops: list[Operation] = []
    positions = sorted(i for i, ind in enumerate(form.indicators) if any(ind is x for x in indicators))
    ops.extend(remove(form, "indicators", position) for position in reversed(positions))
    if goal is not None and form.goals is not None:
        goal_index = next(i for i, g in enumerate(form.goals) if g is goal)
        ops.append(remove(form, "goals", goal_index))
    return NodeDeletion(edit("删除指标", *ops), question)
