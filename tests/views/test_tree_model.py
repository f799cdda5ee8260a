"""The tree model: Qt's model tester, the texts it shows, scores, placeholders, marks, live patching."""

from __future__ import annotations

import gc
import weakref
from decimal import Decimal
from typing import Any

import pytest

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush

from desktop.models.scoring.engine import ScoringEngine
from desktop.models.scoring.rules import load_ruleset
from desktop.models.workbook.document import WorkbookDocument
from desktop.models.workbook.domain import Budget, Form, FormKind, FundLine, Indicator, Unit, Workbook
from desktop.models.workbook.outline import NodeKind, levels_from_ruleset
from desktop.views.tree_model import NODE_ROLE, PLACEHOLDER_COLOR, NodeProblem, TreeModel

pytestmark = pytest.mark.usefixtures("qapp_setup")


def small_workbook() -> Workbook:
    return Workbook(
        unit=Unit("319101", "测试单位"),
        year=2025,
        forms=[
            Form(
                kind=FormKind.PROJECT_SELF_EVAL,
                title="项目甲",
                exec_weight=Decimal(10),
                funds=[FundLine("total", Decimal(100), Decimal(100), Decimal(90))],
                indicators=[
                    Indicator(
                        "产出指标", "数量指标", "培训人次", target="≥100人次", actual="80人次", weight=Decimal(50)
                    ),
                    Indicator("效益指标", "社会效益指标", "知晓率", target="≥90%", actual="95%", weight=Decimal(30)),
                    Indicator(
                        "满意度指标",
                        "服务对象满意度指标",
                        "满意度",
                        target="≥90%",
                        actual="92%",
                        weight=Decimal(10),
                        score=Decimal(8),
                        deviation="样本偏少",
                    ),
                ],
            ),
            Form(
                kind=FormKind.PROJECT_TARGET,
                title="项目乙",
                budget=Budget(Decimal(5)),
                indicators=[Indicator("产出指标", "数量指标", "宣传次数", target="≥4次")],
            ),
        ],
    )


def make_model(workbook: Workbook) -> tuple[TreeModel, WorkbookDocument, ScoringEngine]:
    document = WorkbookDocument(workbook)
    ruleset = load_ruleset(workbook.ruleset)
    engine = ScoringEngine(ruleset)
    engine.attach(document)
    return TreeModel(document, engine, levels_from_ruleset(ruleset)), document, engine


def rows(model: TreeModel, parent: QModelIndex | None = None, depth: int = 0) -> list[Any]:
    """Every row below ``parent`` as (indent + name, score text), depth first."""
    parent = parent or QModelIndex()
    out: list[Any] = []
    for row in range(model.rowCount(parent)):
        name = model.index(row, 0, parent)
        score = model.index(row, 1, parent)
        out.append(("  " * depth + name.data(), score.data()))
        out.extend(rows(model, name, depth + 1))
    return out


def test_passes_qt_model_tester(qtmodeltester: Any, wuwei: Workbook) -> None:
    model, _, _ = make_model(wuwei)
    qtmodeltester.check(model)


def test_model_tester_stays_happy_through_edits(qtmodeltester: Any) -> None:
    model, document, _ = make_model(small_workbook())
    qtmodeltester.check(model, force_py=False)  # Qt's own tester stays attached and checks every signal
    form = document.workbook.forms[0]
    document.insert_items(form, "indicators", 0, [Indicator("产出指标", "成本指标", "成本", weight=Decimal(1))])
    document.set_fields(form.indicators[1], level2="质量指标")
    document.move_item(document.workbook, "forms", 0, 1)
    document.remove_items(form, "indicators", 0, 2)
    document.insert_items(document.workbook, "forms", 0, [Form(kind=FormKind.DEPT_TARGET, title="新")])
    qtmodeltester.check(model)


def test_shows_the_expected_tree_with_scores() -> None:
    model, _, _ = make_model(small_workbook())
    assert model.headerData(0, Qt.Orientation.Horizontal) == "名称"
    assert model.headerData(1, Qt.Orientation.Horizontal) == "得分/分值"
    assert rows(model) == [
        ("测试单位（2025年）", ""),
        ("  项目甲（项目自评表）", "87/100"),
        ("    产出指标", "40/50"),
        ("      数量指标", "40/50"),
        ("        培训人次", "40/50"),
        ("      质量指标", ""),
        ("      时效指标", ""),
        ("      成本指标", ""),
        ("    效益指标", "30/30"),
        ("      经济效益指标", ""),
        ("      社会效益指标", "30/30"),
        ("        知晓率", "30/30"),
        ("      生态效益指标", ""),
        ("      可持续影响指标", ""),
        ("    满意度指标", "8/10"),
        ("      服务对象满意度指标", "8/10"),
        ("        满意度", "8/10"),
        ("  项目乙（项目目标表）", ""),
        ("    产出指标", ""),
        ("      数量指标", ""),
        ("        宣传次数", ""),
        ("      质量指标", ""),
        ("      时效指标", ""),
        ("      成本指标", ""),
        ("    效益指标", ""),
        ("      经济效益指标", ""),
        ("      社会效益指标", ""),
        ("      生态效益指标", ""),
        ("      可持续影响指标", ""),
        ("    满意度指标", ""),
        ("      服务对象满意度指标", ""),
    ]


def test_placeholders_are_grey_and_manual_scores_marked() -> None:
    model, document, _ = make_model(small_workbook())
    form = document.workbook.forms[0]
    quality = model.index_for(model.outline.node_for(form).children[0].children[1])  # type: ignore[union-attr]
    assert model.node(quality).placeholder
    brush = quality.data(Qt.ItemDataRole.ForegroundRole)
    assert isinstance(brush, QBrush) and brush.color() == PLACEHOLDER_COLOR
    assert "暂无指标" in quality.data(Qt.ItemDataRole.ToolTipRole)
    filled = model.index_for_object(form.indicators[0])
    assert filled.data(Qt.ItemDataRole.ForegroundRole) is None
    manual = model.index_for_object(form.indicators[2]).siblingAtColumn(1)
    assert manual.data(Qt.ItemDataRole.ForegroundRole) is not None
    assert "手工得分；系统建议 10" in manual.data(Qt.ItemDataRole.ToolTipRole)
    assert "得满分" in manual.data(Qt.ItemDataRole.ToolTipRole)
    assert model.data(filled, NODE_ROLE).obj is form.indicators[0]


def test_scores_follow_edits_with_data_changed(qtbot: Any) -> None:
    model, document, _ = make_model(small_workbook())
    form = document.workbook.forms[0]
    index = model.index_for_object(form.indicators[0])
    changed: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda a, b, *_: changed.append((a.row(), b.column())))
    document.set_fields(form.indicators[0], actual="100人次")
    assert index.siblingAtColumn(1).data() == "50/50"
    assert model.index_for_object(form).siblingAtColumn(1).data() == "97/100"
    assert len(changed) >= 4  # the indicator, 数量指标, 产出指标, the form (and the workbook)
    document.set_fields(form.indicators[0], name="培训人数")
    assert index.data() == "培训人数"


def test_problem_marks_go_on_the_node_and_its_ancestors() -> None:
    model, document, _ = make_model(small_workbook())
    form = document.workbook.forms[0]
    node = model.outline.node_for(form.indicators[1])
    assert node is not None
    model.set_problems([(node, NodeProblem("需填写偏差原因", error=False))])
    marked = [n.label for n in model.outline.root.walk() if model.has_mark(n)]
    assert marked == ["测试单位（2025年）", "项目甲（项目自评表）", "效益指标", "社会效益指标", "知晓率"]
    index = model.index_for(node)
    assert index.data(Qt.ItemDataRole.DecorationRole) is not None
    assert "提示：需填写偏差原因" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert "下级有需要注意的问题" in model.index_for_object(form).data(Qt.ItemDataRole.ToolTipRole)
    other = model.index_for_object(form.indicators[0])
    assert other.data(Qt.ItemDataRole.DecorationRole) is None
    model.set_problems([])
    assert index.data(Qt.ItemDataRole.DecorationRole) is None


def test_patching_keeps_persistent_indexes() -> None:
    model, document, _ = make_model(small_workbook())
    form = document.workbook.forms[0]
    from PySide6.QtCore import QPersistentModelIndex

    keep = QPersistentModelIndex(model.index_for_object(form.indicators[1]))
    document.insert_items(form, "indicators", 0, [Indicator("效益指标", "社会效益指标", "新指标")])
    assert keep.isValid() and model.node(keep).obj is form.indicators[2]
    document.remove_items(form, "indicators", 2)
    assert not keep.isValid()
    new_node = model.node(model.index_for_object(form.indicators[0]))
    assert new_node.kind is NodeKind.INDICATOR and new_node.label == "新指标"


def test_group_sums_follow_rows_added_and_removed(qtbot: Any) -> None:
    model, document, _ = make_model(small_workbook())
    form = document.workbook.forms[0]
    level1 = model.index_for_object(form.indicators[0]).parent().parent()
    assert level1.siblingAtColumn(1).data() == "40/50"
    with qtbot.waitSignal(model.dataChanged):
        extra = Indicator("产出指标", "质量指标", "合格率", target="100%", actual="100%", weight=Decimal(10))
        document.insert_items(form, "indicators", 1, [extra])
    assert level1.siblingAtColumn(1).data() == "50/60"
    document.set_fields(document.workbook.forms[0], money_unit="元")  # a form field: every row re-read
    assert level1.siblingAtColumn(1).data() == "50/60"
    document.remove_items(form, "indicators", 0)
    assert level1.siblingAtColumn(1).data() == "10/10"
    assert model.index_for_object(form).siblingAtColumn(1).data() == "57/60"


def test_removed_nodes_are_let_go_once_the_event_loop_runs(qtbot: Any) -> None:
    model, document, _ = make_model(small_workbook())
    form = document.workbook.forms[0]
    node = model.outline.node_for(form.indicators[0])
    assert node is not None
    gone = weakref.ref(node)
    del node
    document.remove_items(form, "indicators", 0)
    assert gone() is not None  # an index made before the removal still points at live memory
    qtbot.waitUntil(lambda: (gc.collect(), gone() is None)[1])


def test_an_edit_repaints_the_groups_whose_sum_moved_and_leaves_the_others(qapp: Any) -> None:
    model, document, _ = make_model(small_workbook())
    rows(model)  # the tree has been shown: every node's 得分/分值 text is known
    form = document.workbook.forms[0]
    told: list[str] = []
    model.dataChanged.connect(lambda top, _bottom, *_: told.append(str(model.node(top).kind)))
    document.set_fields(form.indicators[0], target="≥100人次（全年）")  # no score moves
    assert told.count("indicator") == 1 and "level1" not in told and "level2" not in told
    told.clear()
    document.set_fields(form.indicators[0], actual="50人次")  # the 产出 sums move
    assert {"indicator", "level2", "level1", "form"} <= set(told)
    assert [i for i, k in enumerate(rows(model)) if "产出指标" in str(k)]  # still shown


def test_held_scores_are_blank_until_shown_then_the_view_is_told(qapp: Any) -> None:
    model, document, _ = make_model(small_workbook())
    form = document.workbook.forms[0]
    form_index = model.index_for_object(form).siblingAtColumn(1)
    shown = form_index.data()
    assert shown  # scored at once when not held
    model, document, _ = make_model(small_workbook())
    form = document.workbook.forms[0]
    model.hold_scores()
    form_index = model.index_for_object(form).siblingAtColumn(1)
    assert form_index.data() == "" and form_index.data(Qt.ItemDataRole.DecorationRole) is None
    told: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda top, bottom, *_: told.append((top.row(), bottom.column())))
    model.show_scores()
    assert form_index.data() == shown  # the blank was not kept
    assert (0, 1) in told  # the forms' rows, both columns: the tree repaints them
    model.show_scores()  # once only
    assert len(told) == 2


def test_a_typed_value_repaints_score_cells_and_a_new_name_the_indicators_name(qapp: Any) -> None:
    model, document, _ = make_model(small_workbook())
    rows(model)  # the tree has been shown: every node's 得分/分值 text is known
    form = document.workbook.forms[0]
    told: list[tuple[str, int, int]] = []
    model.dataChanged.connect(
        lambda top, bottom, *_: told.append((str(model.node(top).kind), top.column(), bottom.column()))
    )
    document.set_fields(form.indicators[0], actual="50人次")  # scores move, no name does
    assert ("indicator", 1, 1) in told and ("form", 1, 1) in told
    assert all(first == 1 for _, first, _ in told), told  # the names column stays
    assert "workbook" not in {kind for kind, _, _ in told}  # its 得分 cell is empty: nothing to repaint
    assert model.index_for_object(form.indicators[0]).siblingAtColumn(1).data() == "25/50"
    told.clear()
    document.set_fields(form.indicators[0], target="≥100人次（全年）")  # no score moves
    assert [kind for kind, _, _ in told] == ["indicator"]  # its own cell (a manual colour could change)
    told.clear()
    document.set_fields(form.indicators[0], name="培训人数")
    assert ("indicator", 0, 1) in told
    assert model.index_for_object(form.indicators[0]).data() == "培训人数"
