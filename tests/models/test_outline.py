"""The outline tree: structure, placeholders, aliases, goal grouping, patching after edits, tree operations."""

from __future__ import annotations

from decimal import Decimal

import pytest

from desktop.models.scoring.rules import load_ruleset
from desktop.models.workbook.document import WorkbookDocument
from desktop.models.workbook.domain import Budget, Form, FormKind, FundLine, Goal, Indicator, Unit, Workbook
from desktop.models.workbook.edits import move_target, new_indicator_at
from desktop.models.workbook.forms import blank_form, duplicate_form, forms_from_workbook
from desktop.models.workbook.outline import (
    NodeKind,
    Outline,
    OutlineNode,
    format_number,
    is_layout_a,
    levels_from_ruleset,
    sum_scores,
)
from tests.helpers.fixtures import load_sample

CENTRAL = load_ruleset("central")


def shape(node: OutlineNode) -> object:
    """A node and its subtree as nested tuples: (label, placeholder mark, children…)."""
    label = node.label + (" ·" if node.placeholder else "")
    if not node.children:
        return label
    return (label, [shape(child) for child in node.children])


class Mirror:
    """An observer that replays every notification on its own copy of the tree (like a Qt view would)."""

    def __init__(self, outline: Outline) -> None:
        self.children: dict[int, list[int]] = {}
        self._copy(outline.root)
        self.pending: tuple[str, OutlineNode, int, int, int] | None = None
        self.changed: list[OutlineNode] = []
        self.log: list[str] = []

    def _copy(self, node: OutlineNode) -> None:
        self.children[id(node)] = [id(child) for child in node.children]
        for child in node.children:
            self._copy(child)

    def begin_insert(self, parent: OutlineNode, first: int, last: int) -> None:
        assert self.pending is None
        assert 0 <= first <= len(self.children[id(parent)])
        self.pending = ("insert", parent, first, last, 0)

    def end_insert(self) -> None:
        assert self.pending is not None and self.pending[0] == "insert"
        _, parent, first, last, _ = self.pending
        new = parent.children[first : last + 1]
        self.children[id(parent)][first:first] = [id(node) for node in new]
        for node in new:
            self._copy(node)
        self.log.append(f"insert {parent.label} {first}-{last}")
        self.pending = None

    def begin_remove(self, parent: OutlineNode, first: int, last: int) -> None:
        assert self.pending is None
        assert self.children[id(parent)][first : last + 1] == [id(n) for n in parent.children[first : last + 1]]
        self.pending = ("remove", parent, first, last, 0)

    def end_remove(self) -> None:
        assert self.pending is not None and self.pending[0] == "remove"
        _, parent, first, last, _ = self.pending
        del self.children[id(parent)][first : last + 1]
        self.log.append(f"remove {parent.label} {first}-{last}")
        self.pending = None

    def begin_move(self, parent: OutlineNode, first: int, last: int, dest: int) -> None:
        assert self.pending is None
        assert not first <= dest <= last + 1
        self.pending = ("move", parent, first, last, dest)

    def end_move(self) -> None:
        assert self.pending is not None and self.pending[0] == "move"
        _, parent, first, last, dest = self.pending
        rows = self.children[id(parent)]
        moving = rows[first : last + 1]
        del rows[first : last + 1]
        at = dest if dest < first else dest - len(moving)
        rows[at:at] = moving
        self.log.append(f"move {parent.label} {first}->{dest}")
        self.pending = None

    def node_changed(self, node: OutlineNode) -> None:
        self.changed.append(node)

    def score_changed(self, node: OutlineNode) -> None:
        self.changed.append(node)

    def subtree_changed(self, node: OutlineNode) -> None:
        self.changed.extend(node.walk())

    def matches(self, outline: Outline) -> bool:
        def same(node: OutlineNode) -> bool:
            return self.children.get(id(node)) == [id(c) for c in node.children] and all(same(c) for c in node.children)

        return same(outline.root)


def small_workbook() -> Workbook:
    return Workbook(
        unit=Unit("319101", "测试单位"),
        year=2025,
        forms=[
            Form(
                kind=FormKind.PROJECT_SELF_EVAL,
                title="项目甲",
                funds=[FundLine("total", Decimal(100), Decimal(100), Decimal(90))],
                indicators=[
                    Indicator(
                        "产出指标", "数量指标", "培训人次", target="≥100人次", actual="120人次", weight=Decimal(20)
                    ),
                    Indicator(
                        "效果指标", "社会效益指标", "群众知晓率", target="≥90%", actual="95%", weight=Decimal(30)
                    ),
                    Indicator("产出指标", "质量指标", "合格率", target="100%", actual="100%", weight=Decimal(30)),
                    Indicator("自定一级", "其他", "自定指标", target="完成", actual="完成", weight=Decimal(10)),
                ],
            ),
            Form(kind=FormKind.PROJECT_TARGET, title="项目乙", budget=Budget(Decimal(5))),
        ],
    )


def outline_of(workbook: Workbook) -> Outline:
    return Outline(workbook, levels_from_ruleset(CENTRAL))


def test_outline_of_a_small_workbook() -> None:
    outline = outline_of(small_workbook())
    assert shape(outline.workbook_node) == (
        "测试单位（2025年）",
        [
            (
                "项目甲（项目自评表）",
                [
                    (
                        "产出指标",
                        [
                            ("数量指标", ["培训人次"]),
                            ("质量指标", ["合格率"]),
                            "时效指标 ·",
                            "成本指标 ·",
                        ],
                    ),
                    (
                        "效果指标",
                        ["经济效益指标 ·", ("社会效益指标", ["群众知晓率"]), "生态效益指标 ·", "可持续影响指标 ·"],
                    ),
                    ("满意度指标 ·", ["服务对象满意度指标 ·"]),
                    ("自定一级", [("其他", ["自定指标"])]),
                ],
            ),
            (
                "项目乙（项目目标表）",
                [
                    ("产出指标 ·", ["数量指标 ·", "质量指标 ·", "时效指标 ·", "成本指标 ·"]),
                    ("效益指标 ·", ["经济效益指标 ·", "社会效益指标 ·", "生态效益指标 ·", "可持续影响指标 ·"]),
                    ("满意度指标 ·", ["服务对象满意度指标 ·"]),
                ],
            ),
        ],
    )
    form = outline.workbook.forms[0]
    node = outline.node_for(form.indicators[1])
    assert node is not None and node.kind is NodeKind.INDICATOR
    assert (node.level1, node.level2, node.form) == ("效果指标", "社会效益指标", form)
    assert [n.label for n in node.ancestors()] == [
        "社会效益指标",
        "效果指标",
        "项目甲（项目自评表）",
        "测试单位（2025年）",
        "",
    ]
    assert outline.position(form, form.indicators[3]) == 3


def test_layout_a_department_form_gets_department_levels(wuwei: Workbook) -> None:
    dept = wuwei.forms[0]
    assert is_layout_a(dept, CENTRAL) and not is_layout_a(wuwei.forms[1], CENTRAL)
    outline = outline_of(wuwei)
    node = outline.node_for(dept)
    assert node is not None
    level1 = [(child.label, child.placeholder) for child in node.children]
    assert level1 == [("部门管理", False), ("履职效果", False), ("能力建设", False), ("服务对象满意度", False)]
    # every indicator appears exactly once
    shown = [n.obj for n in node.walk() if n.kind is NodeKind.INDICATOR]
    assert len(shown) == len(dept.indicators) and set(map(id, shown)) == set(map(id, dept.indicators))


def test_goal_linked_indicators_are_grouped_by_goal() -> None:
    form = Form(
        kind=FormKind.DEPT_SELF_EVAL,
        title="某部门",
        goals=[Goal(1, "目标一"), Goal(2, "目标二")],
        indicators=[
            Indicator("产出指标", "数量指标", "甲", goal=2),
            Indicator("产出指标", "数量指标", "乙", goal=1),
            Indicator("满意度指标", "服务对象满意度指标", "丙"),
        ],
    )
    outline = outline_of(Workbook(forms=[form]))
    form_node = outline.workbook_node.children[0]
    assert [(c.kind, c.label) for c in form_node.children] == [
        (NodeKind.GOAL, "绩效目标1"),
        (NodeKind.GOAL, "绩效目标2"),
        (NodeKind.GOAL, "未关联目标的指标"),
    ]
    goal2 = form_node.children[1]
    assert [ind.name for ind in goal2.indicators()] == ["甲"]
    assert goal2.obj is form.goals[1]  # type: ignore[index]
    assert all(n.goal == 2 for n in goal2.walk())
    # a new department self-evaluation with goals and no indicators shows its goals too
    fresh = Form(kind=FormKind.DEPT_SELF_EVAL, title="新", goals=[Goal(1, "目标")])
    assert [c.kind for c in outline_of(Workbook(forms=[fresh])).workbook_node.children[0].children] == [NodeKind.GOAL]


def test_level_aliases_fold_into_the_standard_slot() -> None:
    form = Form(
        kind=FormKind.DEPT_TARGET,
        title="项目",
        indicators=[Indicator("效果指标", "可持续性影响", "认知度"), Indicator("效益指标", "社会效益指标", "x")],
    )
    outline = outline_of(Workbook(forms=[form]))
    benefit = outline.workbook_node.children[0].children[1]
    assert benefit.label == "效果指标" and not benefit.placeholder
    assert [(c.label, c.placeholder) for c in benefit.children] == [
        ("经济效益指标", True),
        ("社会效益指标", False),
        ("生态效益指标", True),
        ("可持续性影响", False),
    ]


def apply_and_check(document: WorkbookDocument, outline: Outline, mirror: Mirror) -> None:
    document.subscribe(lambda change: outline.apply(change, mirror))


def test_patching_keeps_nodes_and_tells_the_observer_exactly() -> None:
    workbook = small_workbook()
    document = WorkbookDocument(workbook)
    outline = outline_of(workbook)
    mirror = Mirror(outline)
    apply_and_check(document, outline, mirror)
    form = workbook.forms[0]
    form_node = outline.node_for(form)
    kept = outline.node_for(form.indicators[0])

    document.set_fields(form.indicators[0], actual="90人次")  # a value: no structural change
    assert mirror.log == [] and kept in mirror.changed and form_node in mirror.changed

    document.set_fields(form.indicators[0], name="培训人数")
    assert kept is not None and kept.label == "培训人数" and mirror.log == []

    new = Indicator("满意度指标", "服务对象满意度指标", "满意度", weight=Decimal(10))
    document.insert_items(form, "indicators", 2, [new])
    assert mirror.matches(outline)
    assert shape(outline.node_for(form).children[2]) == ("满意度指标", [("服务对象满意度指标", ["满意度"])])  # type: ignore[union-attr]
    assert outline.node_for(form.indicators[0]) is kept  # identity kept across the patch
    assert outline.position(form, new) == 2

    document.set_fields(form.indicators[0], level2="时效指标")  # moves to another group
    assert mirror.matches(outline)
    moved = outline.node_for(form.indicators[0])
    assert moved is not None and moved.parent is not None and moved.parent.label == "时效指标"

    document.set_fields(form.indicators[4], level1="产出指标", level2="数量指标")
    assert mirror.matches(outline)
    assert [n.label for n in outline.node_for(form).children] == ["产出指标", "效果指标", "满意度指标"]  # type: ignore[union-attr]

    document.move_item(workbook, "forms", 0, 1)
    assert mirror.matches(outline) and outline.node_for(form) is form_node
    assert [n.obj for n in outline.workbook_node.children] == workbook.forms

    document.remove_items(form, "indicators", 0, len(form.indicators))
    assert mirror.matches(outline)
    assert all(n.placeholder for n in outline.node_for(form).walk() if n.kind is not NodeKind.FORM)  # type: ignore[union-attr]

    other = workbook.forms[0]
    document.remove_items(workbook, "forms", 1, 1)
    assert mirror.matches(outline) and outline.node_for(form) is None and outline.node_for(other) is not None
    assert mirror.pending is None


def test_random_edits_keep_the_mirror_in_step() -> None:
    import random

    rng = random.Random(7)
    workbook = small_workbook()
    document = WorkbookDocument(workbook)
    outline = outline_of(workbook)
    mirror = Mirror(outline)
    apply_and_check(document, outline, mirror)
    levels = [("产出指标", "数量指标"), ("产出指标", "成本指标"), ("效益指标", "社会效益指标"), ("满意度指标", "x")]
    for step in range(200):
        form = rng.choice(workbook.forms)
        choice = rng.random()
        if choice < 0.35 or not form.indicators:
            level1, level2 = rng.choice(levels)
            ind = Indicator(level1, level2, f"新{step}", goal=rng.choice([None, None, 1, 2]))
            document.insert_items(form, "indicators", rng.randint(0, len(form.indicators)), [ind])
        elif choice < 0.55:
            document.remove_items(form, "indicators", rng.randrange(len(form.indicators)))
        elif choice < 0.75:
            level1, level2 = rng.choice(levels)
            document.set_fields(rng.choice(form.indicators), level1=level1, level2=level2)
        elif choice < 0.85 and len(form.indicators) > 1:
            document.move_item(
                form, "indicators", rng.randrange(len(form.indicators)), rng.randrange(len(form.indicators))
            )
        elif choice < 0.95:
            document.set_fields(rng.choice(form.indicators), goal=rng.choice([None, 1, 3]))
        else:
            document.insert_items(
                workbook, "forms", rng.randint(0, len(workbook.forms)), [blank_form(FormKind.DEPT_TARGET)]
            )
        assert mirror.matches(outline), step
        assert shape(outline.workbook_node) == shape(outline_of(workbook).workbook_node), step


def test_blank_forms_have_the_rows_their_layout_prints() -> None:
    assert blank_form(FormKind.PROJECT_TARGET).budget is not None
    plan = blank_form(FormKind.DEPT_TARGET).spending_plan
    assert plan is not None and [step.by for step in plan] == ["3月底", "6月底", "10月底", "12月底"]
    funds = blank_form(FormKind.PROJECT_SELF_EVAL).funds
    assert funds is not None and [f.line for f in funds] == ["total", "fiscal", "carryover", "other"]
    dept = blank_form(FormKind.DEPT_SELF_EVAL)
    assert dept.funds is not None and [f.line for f in dept.funds] == ["total", "basic", "project"]
    assert dept.exec_weight == Decimal(10)


def test_duplicate_form_is_a_detached_deep_copy() -> None:
    form = small_workbook().forms[0]
    form.db_id = 5
    form.indicators[0].db_id = 9
    clone = duplicate_form(form)
    assert clone.title == "项目甲（副本）" and clone.db_id is None
    assert all(ind.db_id is None for ind in clone.indicators) and clone.funds and clone.funds[0].db_id is None
    assert clone.indicators[0] is not form.indicators[0] and clone.indicators[0].name == form.indicators[0].name
    assert form.db_id == 5 and form.indicators[0].db_id == 9


def test_new_indicator_lands_in_its_group() -> None:
    workbook = small_workbook()
    outline = outline_of(workbook)
    form = workbook.forms[0]
    form_node = outline.node_for(form)
    assert form_node is not None
    output = form_node.children[0]
    quality = output.children[1]
    placed = new_indicator_at(quality)
    assert placed is not None
    assert placed[0] is form and placed[1] == 3 and (placed[2].level1, placed[2].level2) == ("产出指标", "质量指标")
    time_node = output.children[2]  # a placeholder: goes after the last indicator shown before it
    placed = new_indicator_at(time_node)
    assert placed is not None and placed[1] == 3 and placed[2].level2 == "时效指标"
    satisfaction = form_node.children[2]
    placed = new_indicator_at(satisfaction)
    assert placed is not None and placed[2].level1 == "满意度指标" and placed[2].level2 == "服务对象满意度指标"
    target_form = outline.workbook_node.children[1]
    placed = new_indicator_at(target_form)
    assert placed is not None and placed[1] == 0 and (placed[2].level1, placed[2].level2) == ("产出指标", "数量指标")
    on_indicator = outline.node_for(form.indicators[1])
    assert on_indicator is not None
    placed = new_indicator_at(on_indicator)
    assert placed is not None and placed[1] == 2 and placed[2].level1 == "效果指标"
    assert new_indicator_at(outline.workbook_node) is None


def test_move_targets() -> None:
    workbook = small_workbook()
    workbook.forms[0].indicators.append(Indicator("产出指标", "数量指标", "第二个", weight=Decimal(1)))
    outline = outline_of(workbook)
    first, second = workbook.forms
    assert move_target(outline.node_for(first), -1) is None  # type: ignore[arg-type]
    assert move_target(outline.node_for(first), 1) == (workbook, "forms", 0, 1)  # type: ignore[arg-type]
    node = outline.node_for(first.indicators[4])
    assert node is not None
    assert move_target(node, -1) == (first, "indicators", 4, 0)
    assert move_target(node, 1) is None
    level = outline.node_for(first).children[0]  # type: ignore[union-attr]
    assert move_target(level, 1) is None


def test_sums_and_number_format() -> None:
    assert sum_scores([(Decimal("1.5"), Decimal(2)), (None, Decimal(3))]) == (Decimal("1.5"), Decimal(5))
    assert sum_scores([(None, None)]) == (None, None)
    assert [format_number(Decimal(v)) for v in ("100", "3.50", "3.456", "0.00", "-0.001")] == [
        "100",
        "3.5",
        "3.46",
        "0",
        "0",
    ]
    assert format_number(None) == ""


@pytest.mark.parametrize("name", ["tianjin-zwfw-2025-targets.json", "tangshan-xzsp-targets.json"])
def test_every_indicator_of_the_samples_shows_once(name: str) -> None:
    workbook = load_sample(name)
    outline = outline_of(workbook)
    for form in workbook.forms:
        node = outline.node_for(form)
        assert node is not None
        shown = [n.obj for n in node.walk() if n.kind is NodeKind.INDICATOR]
        assert sorted(map(id, shown)) == sorted(map(id, form.indicators))


def test_forms_from_another_workbook_are_detached_copies() -> None:
    source = load_sample("tianjin-zwfw-2025-targets.json")
    source.forms[0].db_id = 7
    source.forms[0].indicators[0].db_id = 8
    same_unit = Workbook(unit=Unit(source.unit.code, source.unit.name), year=2026)
    copies = forms_from_workbook(source, [0, 8], same_unit)
    assert [c.title for c in copies] == [source.forms[0].title, source.forms[8].title]
    assert copies[0] is not source.forms[0] and copies[0].db_id is None and copies[0].indicators[0].db_id is None
    assert copies[0].unit is None  # the same unit: the form keeps printing the workbook's
    assert copies[1].unit is not None and copies[1].unit.code == "319202"  # a form-level unit is kept
    copies[0].indicators[0].name = "改过"
    assert source.forms[0].indicators[0].name != "改过"


def test_forms_from_another_units_workbook_keep_their_unit() -> None:
    source = load_sample("tianjin-zwfw-2025-targets.json")
    other = Workbook(unit=Unit("888888", "另一单位"), year=2026)
    (copy_,) = forms_from_workbook(source, [0], other)
    assert copy_.unit is not None and (copy_.unit.code, copy_.unit.name) == (source.unit.code, source.unit.name)
