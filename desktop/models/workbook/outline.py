"""The workbook as a navigation tree (workbook → forms → goals → 一级 → 二级 → 三级), kept in step with edits.

Plain Python (no Qt): ``desktop/views/tree_model.py`` is a thin Qt model over it. The standard first
and second levels of each form are present even when no indicator uses them (``placeholder=True``),
so the user sees where indicators belong. After an edit, ``Outline.apply(change, observer)`` patches
the tree in place (nodes that stay keep their identity) and tells the observer exactly which rows
were inserted, removed or moved, in the begin/end order a Qt item model needs.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from desktop.models.scoring.rules import FRAMEWORK_LEVEL1, RuleSet
from desktop.models.workbook import numbers
from desktop.models.workbook.document import Change
from desktop.models.workbook.domain import (
    Form,
    FormKind,
    Goal,
    Indicator,
    Workbook,
)
from desktop.models.workbook.forms import DEFAULT_FORM_TITLES

UNNAMED_INDICATOR = "（未命名指标）"
NO_LEVEL1 = "（未填一级指标）"
NO_LEVEL2 = "（未填二级指标）"
UNLINKED_GOAL = "未关联目标的指标"
SHORT_KIND_LABELS: dict[FormKind, str] = {
    FormKind.PROJECT_TARGET: "项目目标表",
    FormKind.DEPT_TARGET: "部门目标表",
    FormKind.PROJECT_SELF_EVAL: "项目自评表",
    FormKind.DEPT_SELF_EVAL: "部门自评表",
}


class NodeKind(enum.StrEnum):
    """What a node of the outline stands for."""

    WORKBOOK = "workbook"
    FORM = "form"
    GOAL = "goal"
    LEVEL1 = "level1"
    LEVEL2 = "level2"
    INDICATOR = "indicator"


@dataclass(frozen=True)
class StandardLevels:
    """The standard first levels of a form, each with its standard second levels, and name aliases.

    Attributes:
        levels: ``(一级, (二级, …))`` in printed order, canonical names.
        aliases: other spellings of a first level → its canonical name (效果指标 → 效益指标).
        level2_aliases: other spellings of a second level → its standard name.
    """

    levels: tuple[tuple[str, tuple[str, ...]], ...] = ()
    aliases: Mapping[str, str] = field(default_factory=dict)
    level2_aliases: Mapping[str, str] = field(default_factory=dict)

    def canonical(self, level1: str) -> str:
        """The canonical name of a first level (aliases folded, spaces dropped)."""
        name = "".join(level1.split())
        return self.aliases.get(name, name)

    def canonical_level2(self, level2: str) -> str:
        """The standard name of a second level (aliases folded, spaces dropped)."""
        name = "".join(level2.split())
        return self.level2_aliases.get(name, name)


LevelsFor = Callable[[Form], StandardLevels]
_Registry = dict[int, tuple[object, "OutlineNode"]]  # id(domain object) → (the object, its node)


@dataclass(eq=False, slots=True, weakref_slot=True)
class OutlineNode:
    """One node of the outline.

    Attributes:
        kind: what it stands for.
        key: identifies the node among its siblings across rebuilds.
        label: the text shown.
        obj: the domain object (Workbook, Form, Goal or Indicator); None for level nodes and
            for a goal number that no ``Goal`` carries.
        form: the form the node belongs to (None for the workbook).
        goal: the goal number for a goal node and the nodes under it.
        level1: the first level (as the indicators spell it) for level nodes and below.
        level2: the second level for level-2 nodes and below.
        placeholder: a standard level that holds no indicator yet.
        parent: the parent node (None for the invisible root).
        children: child nodes in display order.
    """

    kind: NodeKind
    key: Hashable
    label: str
    obj: object | None = None
    form: Form | None = None
    goal: int | None = None
    level1: str | None = None
    level2: str | None = None
    placeholder: bool = False
    parent: OutlineNode | None = field(default=None, repr=False)
    children: list[OutlineNode] = field(default_factory=list, repr=False)

    def row(self) -> int:
        """The position among its siblings (0 for the root)."""
        if self.parent is None:
            return 0
        try:
            return self.parent.children.index(self)  # nodes compare by identity (eq=False): a scan in C
        except ValueError:
            raise ValueError("node not under its parent") from None

    def add(self, child: OutlineNode) -> OutlineNode:
        """Append a child and return it."""
        child.parent = self
        self.children.append(child)
        return child

    def walk(self) -> Iterator[OutlineNode]:
        """This node and every node below it, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()

    def indicators(self) -> list[Indicator]:
        """The indicators at or below this node, in display order."""
        if self.kind is NodeKind.INDICATOR:
            return [self.obj] if isinstance(self.obj, Indicator) else []
        found = [self.obj] if isinstance(self.obj, Indicator) else []
        _collect_indicators(self, found)  # not through walk(): nested generators cost ~1 µs a node
        return found

    def ancestors(self) -> Iterator[OutlineNode]:
        """The parent, its parent, … up to the root."""
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


def _collect_indicators(node: OutlineNode, found: list[Indicator]) -> None:
    """Append the indicators below ``node`` in display (depth-first) order."""
    for child in node.children:
        if isinstance(child.obj, Indicator):
            found.append(child.obj)
        if child.children:
            _collect_indicators(child, found)


class OutlineObserver(Protocol):
    """Told of every structural change of the outline, in Qt's begin/end order."""

    def begin_insert(self, parent: OutlineNode, first: int, last: int) -> None:
        """Rows first..last will be inserted under parent."""
        ...

    def end_insert(self) -> None:
        """The rows announced by ``begin_insert`` are in place."""
        ...

    def begin_remove(self, parent: OutlineNode, first: int, last: int) -> None:
        """Rows first..last under parent will be removed."""
        ...

    def end_remove(self) -> None:
        """The rows announced by ``begin_remove`` are gone."""
        ...

    def begin_move(self, parent: OutlineNode, first: int, last: int, dest: int) -> None:
        """Rows first..last under parent will move to before row ``dest`` (original numbering)."""
        ...

    def end_move(self) -> None:
        """The move is done."""
        ...

    def node_changed(self, node: OutlineNode) -> None:
        """The node's label, placeholder state or score changed."""
        ...

    def score_changed(self, node: OutlineNode) -> None:
        """Only the node's score may have changed (an indicator whose name stayed, a group or form above it)."""
        ...

    def subtree_changed(self, node: OutlineNode) -> None:
        """Anything shown at or below the node may have changed (scores after rows came or went)."""
        ...


# Indicator fields that decide where it sits in the tree, and the one that is its label.
_PLACEMENT_FIELDS = frozenset({"level1", "level2", "goal"})
_FORM_LABEL_FIELDS = frozenset({"title", "kind"})
_FORM_STRUCTURE_LISTS = frozenset({"indicators", "goals"})


def form_label(form: Form) -> str:
    """The text of a form node: its title and short kind."""
    title = form.title.strip() or DEFAULT_FORM_TITLES[form.kind]
    return f"{title}（{SHORT_KIND_LABELS[form.kind]}）"


def workbook_label(workbook: Workbook) -> str:
    """The text of the workbook node: unit and year."""
    name = workbook.unit.name.strip() or "工作簿"
    return f"{name}（{workbook.year}年）" if workbook.year else name


def goal_label(number: int | None) -> str:
    """The text of a goal node."""
    return UNLINKED_GOAL if number is None else f"绩效目标{number}"


def is_goal_grouped(form: Form) -> bool:
    """Whether the form's indicators are grouped under numbered goals (department self-eval layout B)."""
    if any(ind.goal is not None for ind in form.indicators):
        return True
    # a new layout-B department self-evaluation: goals written, no indicator yet
    return form.kind is FormKind.DEPT_SELF_EVAL and bool(form.goals) and not form.indicators


def levels_from_ruleset(ruleset: RuleSet) -> LevelsFor:
    """The standard levels of each form under a rule set.

    Department self-evaluations in layout A (部门管理 / 履职效果 / 能力建设 / 满意度, and a new
    department self-evaluation without goals) get the rule set's department first levels; every
    other form gets the framework's 产出 / 效益 / 满意度 (those the rule set weighs, if it names any).
    """
    aliases = dict(ruleset.level1_aliases)
    level2_aliases = dict(ruleset.level2_aliases)

    def build(names: Sequence[str]) -> StandardLevels:
        return StandardLevels(
            levels=tuple((name, ruleset.standard_level2(name)) for name in names),
            aliases=aliases,
            level2_aliases=level2_aliases,
        )

    weighted = [name for name in ruleset.project.level_names if name in FRAMEWORK_LEVEL1]
    project = build(weighted or [name for name in FRAMEWORK_LEVEL1 if name != "成本指标"])
    dept = build(ruleset.dept.level_names)

    def levels_for(form: Form) -> StandardLevels:
        if is_layout_a(form, ruleset):
            return dept
        return project

    return levels_for


def is_layout_a(form: Form, ruleset: RuleSet) -> bool:
    """Whether a department form uses layout A's first levels (部门管理 / 履职效果 / 能力建设 / 满意度)."""
    if form.kind not in (FormKind.DEPT_SELF_EVAL, FormKind.DEPT_TARGET):
        return False
    names = [ind.level1 for ind in form.indicators]
    if ruleset.is_dept_layout_a(names):
        return True
    if form.kind is FormKind.DEPT_SELF_EVAL and not is_goal_grouped(form):
        framework = set(FRAMEWORK_LEVEL1)
        return not any(ruleset.canonical_level1(name) in framework for name in names)
    return False


class Outline:
    """The navigation tree of one workbook.

    Args:
        workbook: the workbook shown.
        levels_for: the standard levels of a form (from the workbook's rule set).
    """

    def __init__(self, workbook: Workbook, levels_for: LevelsFor) -> None:
        self.workbook = workbook
        self.levels_for = levels_for
        self.root = OutlineNode(NodeKind.WORKBOOK, "root", "")
        self._by_obj: dict[int, tuple[object, OutlineNode]] = {}
        self._positions: dict[int, dict[int, int]] = {}
        self.root.add(self._build_workbook(self._by_obj))

    # ---- queries ----------------------------------------------------------------------------

    @property
    def workbook_node(self) -> OutlineNode:
        """The node of the workbook (the only top-level node)."""
        return self.root.children[0]

    def node_for(self, obj: object) -> OutlineNode | None:
        """The node of a workbook, form, goal or indicator (None when it has none)."""
        entry = self._by_obj.get(id(obj))
        if entry is None or entry[0] is not obj:
            return None
        return entry[1]

    def form_node(self, form: Form) -> OutlineNode | None:
        """The node of a form."""
        return self.node_for(form)

    def position(self, form: Form, indicator: Indicator) -> int | None:
        """The index of an indicator in ``form.indicators`` (cached until the form's structure changes)."""
        positions = self._positions.get(id(form))
        if positions is None:
            positions = {id(ind): i for i, ind in enumerate(form.indicators)}
            self._positions[id(form)] = positions
        index = positions.get(id(indicator))
        if index is None or index >= len(form.indicators) or form.indicators[index] is not indicator:
            self._positions.pop(id(form), None)
            for i, ind in enumerate(form.indicators):
                if ind is indicator:
                    return i
            return None
        return index

    # ---- building ---------------------------------------------------------------------------

    def _build_workbook(self, register: _Registry | None = None) -> OutlineNode:
        """The workbook's subtree; with ``register``, each node with an object is entered in it on the way."""
        node = OutlineNode(NodeKind.WORKBOOK, "workbook", workbook_label(self.workbook), obj=self.workbook)
        if register is not None:
            register[id(self.workbook)] = (self.workbook, node)
        for form in self.workbook.forms:
            node.add(self._build_form(form, register))
        return node

    def _build_form(self, form: Form, register: _Registry | None = None) -> OutlineNode:
        node = OutlineNode(NodeKind.FORM, ("form", id(form)), form_label(form), obj=form, form=form)
        if register is not None:
            register[id(form)] = (form, node)
        levels = self.levels_for(form)
        if is_goal_grouped(form):
            goals = {goal.no: goal for goal in form.goals or ()}
            numbers: list[int | None] = list(goals)
            numbers.extend(sorted({ind.goal for ind in form.indicators if ind.goal is not None} - set(goals)))
            if any(ind.goal is None for ind in form.indicators):
                numbers.append(None)
            for number in numbers:
                goal = goals.get(number) if number is not None else None
                goal_node = node.add(
                    OutlineNode(NodeKind.GOAL, ("goal", number), goal_label(number), obj=goal, form=form, goal=number)
                )
                if register is not None and goal is not None:
                    register[id(goal)] = (goal, goal_node)
                members = [ind for ind in form.indicators if ind.goal == number]
                self._build_levels(goal_node, form, members, levels, register)
        else:
            self._build_levels(node, form, form.indicators, levels, register)
        return node

    def _build_levels(
        self,
        parent: OutlineNode,
        form: Form,
        indicators: Sequence[Indicator],
        levels: StandardLevels,
        register: _Registry | None = None,
    ) -> None:
        groups: dict[str, dict[str, list[Indicator]]] = {}
        spelled: dict[str, str] = {}
        for name, standard in levels.levels:
            groups[name] = {level2: [] for level2 in standard}
        # A form spells its levels a few ways only: fold each spelling once, not once per indicator.
        level1_of: dict[str, str] = {}
        level2_of: dict[tuple[str, str], tuple[str, str]] = {}
        for ind in indicators:
            raw1, raw2 = ind.level1, ind.level2
            level1 = level1_of.get(raw1)
            if level1 is None:
                level1 = level1_of[raw1] = levels.canonical(raw1)
                spelled.setdefault(level1, raw1.strip())
            known = level2_of.get((level1, raw2))
            if known is None:
                level2 = levels.canonical_level2(raw2)
                known = level2_of[(level1, raw2)] = (level2, f"{level1}\n{level2}")
                spelled.setdefault(known[1], raw2.strip())
            groups.setdefault(level1, {}).setdefault(known[0], []).append(ind)
        goal = parent.goal
        for level1, members_by_level2 in groups.items():
            spelling = spelled.get(level1, level1)
            has_any = any(members_by_level2.values())
            l1_node = parent.add(
                OutlineNode(
                    NodeKind.LEVEL1,
                    ("level1", level1),
                    spelling or NO_LEVEL1,
                    form=form,
                    goal=goal,
                    level1=spelling,
                    placeholder=not has_any,
                )
            )
            for level2, members in members_by_level2.items():
                level2_spelling = spelled.get(f"{level1}\n{level2}", level2)
                l2_node = l1_node.add(
                    OutlineNode(
                        NodeKind.LEVEL2,
                        ("level2", level2),
                        level2_spelling or NO_LEVEL2,
                        form=form,
                        goal=goal,
                        level1=spelling,
                        level2=level2_spelling,
                        placeholder=not members,
                    )
                )
                children = l2_node.children
                for ind in members:
                    leaf = OutlineNode(
                        NodeKind.INDICATOR,
                        ("indicator", id(ind)),
                        ind.name.strip() or UNNAMED_INDICATOR,
                        ind,
                        form,
                        goal,
                        spelling,
                        level2_spelling,
                        False,
                        l2_node,
                    )
                    children.append(leaf)
                    if register is not None:
                        register[id(ind)] = (ind, leaf)

    # ---- keeping in step --------------------------------------------------------------------

    def apply(self, change: Change, observer: OutlineObserver) -> None:
        """Patch the tree after a document change, telling ``observer`` what moved."""
        obj = change.obj
        if change.kind != "fields":
            self._apply_structure(change, observer)
        elif isinstance(obj, Indicator):
            self._apply_indicator_fields(obj, change, observer)
        elif isinstance(obj, Form):
            self._apply_form_fields(obj, change, observer)
        elif isinstance(obj, Workbook):
            node = self.workbook_node
            node.label = workbook_label(obj)
            observer.node_changed(node)
            if "ruleset" in change.fields:
                self.refresh_all(observer)
        elif isinstance(obj, Goal):
            form = self._form_holding(obj)
            if form is not None:
                self.refresh_form(form, observer)
        else:  # a fund line, budget, unit …: the form's scores may change
            form = self._form_holding(obj)
            form_node = self.node_for(form) if form is not None else None
            if form_node is not None:
                self._changed_upwards(form_node, observer)

    def _apply_indicator_fields(self, indicator: Indicator, change: Change, observer: OutlineObserver) -> None:
        node = self.node_for(indicator)
        if node is None or node.form is None:
            return
        if _PLACEMENT_FIELDS.intersection(change.fields):
            self.refresh_form(node.form, observer)
            return
        if "name" in change.fields:
            node.label = indicator.name.strip() or UNNAMED_INDICATOR
            self._changed_upwards(node, observer)
        else:  # its label is its name: only the scores, its own and its groups', may have changed
            self._changed_upwards(node, observer, score_only=True)

    def _apply_form_fields(self, form: Form, change: Change, observer: OutlineObserver) -> None:
        node = self.node_for(form)
        if node is None:
            return
        if "kind" in change.fields:
            self.refresh_form(form, observer)
        if _FORM_LABEL_FIELDS.intersection(change.fields):
            node.label = form_label(form)
        observer.subtree_changed(node)  # e.g. the money unit: every score may change
        self._changed_upwards(node, observer)

    def _apply_structure(self, change: Change, observer: OutlineObserver) -> None:
        """Rows inserted, removed or moved, or an optional child set."""
        obj = change.obj
        if isinstance(obj, Workbook):
            if change.attr == "forms":
                self._sync_children(self.workbook_node, self._build_workbook(), observer)
                self._positions.clear()
            return
        form = obj if isinstance(obj, Form) else self._form_holding(obj)
        if form is None:
            return
        if isinstance(obj, Form) and change.attr in _FORM_STRUCTURE_LISTS:
            self.refresh_form(form, observer)
            return
        node = self.node_for(form)
        if node is not None:
            if change.kind == "child" and change.attr == "unit":
                node.label = form_label(form)
            self._changed_upwards(node, observer)

    def refresh_form(self, form: Form, observer: OutlineObserver) -> None:
        """Rebuild one form's subtree and patch the difference in."""
        node = self.node_for(form)
        if node is None:
            return
        self._positions.pop(id(form), None)
        fresh = self._build_form(form)
        node.label = fresh.label
        self._sync_children(node, fresh, observer)
        observer.subtree_changed(node)  # sums of the groups that gained or lost rows
        self._changed_upwards(node, observer)

    def refresh_all(self, observer: OutlineObserver) -> None:
        """Rebuild the whole tree and patch the difference in (e.g. after the rule set changed)."""
        self._positions.clear()
        fresh = self._build_workbook()
        node = self.workbook_node
        node.label = fresh.label
        self._sync_children(node, fresh, observer)
        observer.subtree_changed(node)

    def _form_holding(self, obj: object) -> Form | None:
        for form in self.workbook.forms:
            if (
                any(x is obj for x in form.indicators)
                or any(x is obj for x in form.funds or ())
                or any(x is obj for x in form.goals or ())
                or any(x is obj for x in form.spending_plan or ())
                or obj is form.budget
                or obj is form.signoff
                or obj is form.unit
            ):
                return form
        return None

    def _changed_upwards(self, node: OutlineNode, observer: OutlineObserver, score_only: bool = False) -> None:
        if score_only:
            observer.score_changed(node)
        else:
            observer.node_changed(node)
        for ancestor in node.ancestors():
            if ancestor is not self.root:
                observer.score_changed(ancestor)

    def _register(self, node: OutlineNode) -> None:
        for each in node.walk():
            if each.obj is not None:
                self._by_obj[id(each.obj)] = (each.obj, each)

    def _unregister(self, node: OutlineNode) -> None:
        for each in node.walk():
            if each.obj is not None:
                entry = self._by_obj.get(id(each.obj))
                if entry is not None and entry[1] is each:
                    del self._by_obj[id(each.obj)]

    def _sync_children(self, old: OutlineNode, new: OutlineNode, observer: OutlineObserver) -> None:
        """Make ``old.children`` match ``new.children`` by key, keeping the nodes that stay."""
        wanted = {child.key for child in new.children}
        # 1. remove old children that are no longer wanted (runs of consecutive rows at once)
        i = len(old.children) - 1
        while i >= 0:
            if old.children[i].key in wanted:
                i -= 1
                continue
            last = i
            while i - 1 >= 0 and old.children[i - 1].key not in wanted:
                i -= 1
            observer.begin_remove(old, i, last)
            removed = old.children[i : last + 1]
            del old.children[i : last + 1]
            for node in removed:
                self._unregister(node)
                node.parent = None
            observer.end_remove()
            i -= 1
        # 2. walk the wanted order: keep, move up, or insert
        for pos, fresh in enumerate(new.children):
            current = old.children[pos] if pos < len(old.children) else None
            if current is not None and current.key == fresh.key:
                self._update_node(current, fresh, observer)
                continue
            found = next((j for j in range(pos + 1, len(old.children)) if old.children[j].key == fresh.key), None)
            if found is not None:
                observer.begin_move(old, found, found, pos)
                node = old.children.pop(found)
                old.children.insert(pos, node)
                observer.end_move()
                self._update_node(node, fresh, observer)
                continue
            observer.begin_insert(old, pos, pos)
            fresh.parent = old
            old.children.insert(pos, fresh)
            self._register(fresh)
            observer.end_insert()

    def _update_node(self, node: OutlineNode, fresh: OutlineNode, observer: OutlineObserver) -> None:
        changed = (node.label, node.placeholder, node.obj, node.level1, node.level2, node.goal) != (
            fresh.label,
            fresh.placeholder,
            fresh.obj,
            fresh.level1,
            fresh.level2,
            fresh.goal,
        )
        if node.obj is not fresh.obj:
            if node.obj is not None:
                entry = self._by_obj.get(id(node.obj))
                if entry is not None and entry[1] is node:
                    del self._by_obj[id(node.obj)]
            if fresh.obj is not None:
                self._by_obj[id(fresh.obj)] = (fresh.obj, node)
        node.label, node.placeholder, node.obj = fresh.label, fresh.placeholder, fresh.obj
        node.level1, node.level2, node.goal, node.form = fresh.level1, fresh.level2, fresh.goal, fresh.form
        if changed:
            observer.node_changed(node)
        self._sync_children(node, fresh, observer)


def sum_scores(values: Sequence[tuple[Decimal | None, Decimal | None]]) -> tuple[Decimal | None, Decimal | None]:
    """Add up (score, weight) pairs; each total is None when no part had a value."""
    score: Decimal | None = None
    weight: Decimal | None = None
    for part_score, part_weight in values:
        if part_score is not None:
            score = part_score if score is None else score + part_score
        if part_weight is not None:
            weight = part_weight if weight is None else weight + part_weight
    return score, weight


def format_number(value: Decimal | None) -> str:
    """A score or weight as printed: at most 2 decimals, no trailing zeros (``3.5``, ``10``)."""
    return numbers.score(value)
