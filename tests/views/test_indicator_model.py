"""The indicator table model: printed columns per form kind, scores, spans, edits through undo commands."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

import shiboken6
from PySide6.QtCore import QModelIndex, QObject, Qt
from PySide6.QtGui import QBrush, QFont

from desktop.models.errors import UserError
from desktop.models.scoring.engine import FLAG_NOT_MET, ScoringEngine
from desktop.models.scoring.rules import load_ruleset
from desktop.models.workbook.cells import SELF_EVAL_COLUMNS
from desktop.models.workbook.document import MemoryStore, WorkbookDocument
from desktop.models.workbook.domain import Band, Form, FormKind, Goal, Indicator, Workbook
from desktop.models.workbook.numbers import score as format_decimal
from desktop.views.commands import EditStack
from desktop.views.indicator_model import MANUAL_MARK, IndicatorModel
from tests.helpers.fixtures import load_sample

DISPLAY = Qt.ItemDataRole.DisplayRole


class Setup:
    """A document over a workbook, its undo stack, a scoring engine attached first, and the model."""

    def __init__(self, workbook: Workbook, form_index: int, store: Any = None) -> None:
        self.workbook = workbook
        self.document = WorkbookDocument(workbook, store)
        self.stack = EditStack(self.document)
        self.engine = ScoringEngine(load_ruleset(workbook.ruleset))
        self.engine.attach(self.document)
        self.model = IndicatorModel(self.document, self.stack, self.engine)
        self.form = workbook.forms[form_index]
        self.model.set_form(self.form)
        self.messages: list[str] = []
        self.model.message.connect(self.messages.append)

    def text(self, row: int, key: str, role: Qt.ItemDataRole = DISPLAY) -> Any:
        column = self.model.column_index(key)
        assert column is not None
        return self.model.index(row, column).data(role)

    def set(self, row: int, key: str, value: str) -> bool:
        column = self.model.column_index(key)
        assert column is not None
        return self.model.setData(self.model.index(row, column), value)

    def rows(self, count: int) -> list[list[str]]:
        return [[self.model.index(r, c).data() for c in range(self.model.columnCount())] for r in range(count)]


def unscored(workbook: Workbook) -> Workbook:
    """The workbook with every published (manual) score removed, so the engine's suggestions show."""
    for form in workbook.forms:
        for indicator in form.indicators:
            indicator.score = None
    return workbook


@pytest.fixture
def target(qapp: Any) -> Setup:
    return Setup(load_sample("tianjin-zwfw-2025-targets.json"), 0)


@pytest.fixture
def selfeval(qapp: Any) -> Setup:
    return Setup(load_sample("wuwei-zwfw-2022-selfeval.json"), 1)


def test_target_form_has_the_printed_columns_and_rows(target: Setup, qtmodeltester: Any) -> None:
    qtmodeltester.check(target.model)
    headers = [target.model.headerData(c, Qt.Orientation.Horizontal) for c in range(target.model.columnCount())]
    assert headers == ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值"]
    assert target.model.rowCount() == 9
    assert target.rows(3) == [
        [
            "产出指标",
            "数量指标",
            "信息系统网络安全等级保护测评次数",
            "开展办机关信息系统网络安全等级保护测评次数",
            "1次",
        ],
        ["产出指标", "数量指标", "信息系统密码测评次数", "开展办机关信息系统密码测评次数", "1次"],
        ["产出指标", "数量指标", "信息系统漏洞扫描次数", "开展全办信息系统网络安全漏洞扫描次数", "12次"],
    ]
    assert target.model.headerData(0, Qt.Orientation.Vertical) == "1"
    assert "产出指标" in target.model.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)


def test_dept_target_form_adds_the_basis_column(qapp: Any, qtmodeltester: Any) -> None:
    setup = Setup(load_sample("tangshan-xzsp-targets.json"), 1)
    qtmodeltester.check(setup.model)
    headers = [setup.model.headerData(c, Qt.Orientation.Horizontal) for c in range(setup.model.columnCount())]
    assert headers == ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"]
    assert setup.rows(1) == [
        ["产出指标", "数量指标", "办件数据", "全年办理各类政务服务事项数量", "10000以上", "日常工作"]
    ]


def test_self_eval_form_has_the_printed_columns_and_scores(selfeval: Setup, qtmodeltester: Any) -> None:
    qtmodeltester.check(selfeval.model)
    headers = [selfeval.model.headerData(c, Qt.Orientation.Horizontal) for c in range(selfeval.model.columnCount())]
    assert headers == [
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "完成情况",
        "偏差原因分析及改进措施",
    ]
    # The published scores are the unit's own: shown as manual scores.
    assert selfeval.rows(2) == [
        ["产出指标", "数量指标", "指标1: 保安保洁人员", "11人", "11人", "3", f"{MANUAL_MARK} 3", "", "无偏差"],
        ["产出指标", "数量指标", "指标2: 供暖面积", "5544.13m²", "5544.13m²", "3", f"{MANUAL_MARK} 3", "", "无偏差"],
    ]
    # A qualitative row shows the band the engine implies (达成: the actual equals the target).
    assert selfeval.text(6, "band") == "达成"
    assert selfeval.text(6, "band", Qt.ItemDataRole.EditRole) == ""


def test_dept_self_eval_with_goals_leads_with_the_goal_column(qapp: Any, qtmodeltester: Any) -> None:
    workbook = load_sample("wuwei-zwfw-2022-selfeval.json")
    form = workbook.forms[0]
    for i, indicator in enumerate(form.indicators):
        indicator.goal = 1 if i < 10 else 2
    setup = Setup(workbook, 0)
    qtmodeltester.check(setup.model)
    assert setup.model.headerData(0, Qt.Orientation.Horizontal) == "目标"
    assert setup.text(0, "goal") == "目标1"
    assert setup.text(0, "goal", Qt.ItemDataRole.EditRole) == "1"
    spans = setup.model.spans()
    assert spans[(0, 0)] == 10 and spans[(10, 0)] == 16
    # 一级 runs stop at a goal boundary even though the name goes on.
    assert spans[(0, 1)] == 10  # 一级 (column 1)


def test_goal_column_appears_when_a_goal_is_added(qapp: Any, qtmodeltester: Any) -> None:
    workbook = load_sample("wuwei-zwfw-2022-selfeval.json")
    workbook.forms[0].goals = None
    setup = Setup(workbook, 0)
    qtmodeltester.check(setup.model)
    assert setup.model.column_index("goal") is None
    resets: list[int] = []
    setup.model.modelReset.connect(lambda: resets.append(1))
    setup.document.insert_items(setup.form, "goals", 0, [Goal(no=1, target="目标")])
    assert resets and setup.model.column_index("goal") == 0


def test_set_data_pushes_one_undo_step_and_the_document_tells_the_view(selfeval: Setup) -> None:
    changed: list[tuple[int, int]] = []
    selfeval.model.dataChanged.connect(lambda tl, br, roles=(): changed.append((tl.row(), br.row())))
    assert selfeval.set(0, "actual", "  10人 ")
    assert selfeval.form.indicators[0].actual == "10人"
    assert selfeval.stack.count() == 1
    assert (0, 0) in changed  # the edited row, told by the document's listener
    # Only what changed repaints (issue 18): no other row's score moved, so no other row is told.
    assert all(top == bottom == 0 for top, bottom in changed), changed
    selfeval.stack.undo()
    assert selfeval.form.indicators[0].actual == "11人"
    assert selfeval.text(0, "actual") == "11人"


def test_the_model_changes_nothing_itself_when_the_store_refuses(qapp: Any) -> None:
    class RefusingStore(MemoryStore):
        def update(self, obj: object, fields: Any) -> None:
            raise UserError("磁盘已满，未能保存。")

    setup = Setup(load_sample("wuwei-zwfw-2022-selfeval.json"), 1, RefusingStore())
    changed: list[object] = []
    setup.model.dataChanged.connect(lambda *args: changed.append(args))
    assert not setup.set(0, "actual", "10人")
    assert setup.form.indicators[0].actual == "11人"
    assert setup.messages == ["磁盘已满，未能保存。"]
    assert changed == [] and setup.stack.count() == 0


def test_an_actual_value_moves_the_suggested_score(qapp: Any) -> None:
    setup = Setup(unscored(load_sample("wuwei-zwfw-2022-selfeval.json")), 1)
    assert setup.text(0, "score") == "3"
    assert setup.set(0, "actual", "5人")
    expected = (Decimal(5) / Decimal(11) * 3).quantize(Decimal("0.01"))
    assert setup.text(0, "score") == format_decimal(expected) == "1.36"
    tip = setup.text(0, "score", Qt.ItemDataRole.ToolTipRole)
    assert "建议得分 1.36" in tip and "未达到指标值" in tip
    assert isinstance(setup.text(0, "score", Qt.ItemDataRole.BackgroundRole), QBrush)
    # The 偏差原因 cell asks for a reason when there is none.
    assert setup.set(0, "deviation", "")
    assert isinstance(setup.text(0, "deviation", Qt.ItemDataRole.BackgroundRole), QBrush)
    assert "偏差原因" in setup.text(0, "deviation", Qt.ItemDataRole.ToolTipRole)


def test_manual_score_is_marked_and_clearing_returns_to_the_suggestion(qapp: Any) -> None:
    setup = Setup(unscored(load_sample("wuwei-zwfw-2022-selfeval.json")), 1)
    row = 12  # 群众来电咨询接听率 100% → 87%, 分值 4
    assert setup.text(row, "score") == "3.48"
    assert FLAG_NOT_MET in setup.engine.score_form(setup.form).indicators[row].flags
    assert setup.set(row, "score", "3")
    assert setup.form.indicators[row].score == Decimal(3)
    assert setup.text(row, "score") == f"{MANUAL_MARK}3（建议3.48）"  # a manual score shows its suggestion
    assert setup.text(row, "score", Qt.ItemDataRole.EditRole) == "3"
    assert setup.set(row, "score", "3.48")
    assert setup.text(row, "score") == f"{MANUAL_MARK} 3.48"  # agreeing with the suggestion: no second number
    assert setup.set(row, "score", "3")
    font = setup.text(row, "score", Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont) and font.bold()
    tip = setup.text(row, "score", Qt.ItemDataRole.ToolTipRole)
    assert "手动得分 3" in tip and "建议得分 3.48" in tip and "87%" in tip
    assert setup.set(row, "score", "")
    assert setup.form.indicators[row].score is None
    assert setup.text(row, "score") == "3.48"
    assert setup.text(row, "score", Qt.ItemDataRole.FontRole) is None


def test_confirming_the_suggestion_does_not_make_it_manual(qapp: Any) -> None:
    setup = Setup(unscored(load_sample("wuwei-zwfw-2022-selfeval.json")), 1)
    assert setup.set(12, "score", "3.48")
    assert setup.form.indicators[12].score is None and setup.stack.count() == 0


def test_bad_numbers_are_refused_with_a_message(selfeval: Setup) -> None:
    for text, words in [("三分", "不是数字"), ("101", "0 到 100"), ("-1", "负数"), ("2.555", "两位小数")]:
        assert not selfeval.set(0, "weight", text)
        assert words in selfeval.messages[-1]
    assert not selfeval.set(0, "score", "4")  # above its 分值 3
    assert "不能超过分值" in selfeval.messages[-1]
    assert selfeval.form.indicators[0].weight == Decimal(3)
    assert selfeval.stack.count() == 0
    assert selfeval.set(0, "weight", "３.5")  # full-width digits are numbers too
    assert selfeval.form.indicators[0].weight == Decimal("3.5")


def test_band_is_editable_only_where_it_matters(qapp: Any) -> None:
    setup = Setup(unscored(load_sample("wuwei-zwfw-2022-selfeval.json")), 1)
    band = setup.model.column_index("band")
    assert band is not None
    quantitative = setup.model.flags(setup.model.index(0, band))
    qualitative = setup.model.flags(setup.model.index(6, band))  # 优 → 优
    assert not quantitative & Qt.ItemFlag.ItemIsEditable
    assert qualitative & Qt.ItemFlag.ItemIsEditable
    assert setup.set(6, "actual", "良好")  # no longer equal to the target: the engine needs a band
    assert setup.set(6, "band", "部分达成")
    assert setup.form.indicators[6].band is Band.PARTLY
    assert setup.text(6, "band") == "部分达成并具有一定效果"
    assert setup.text(6, "score") == format_decimal(setup.engine.score_form(setup.form).indicators[6].score)
    assert Decimal(setup.text(6, "score")) < Decimal(3)


def test_spans_cover_equal_first_and_second_level_runs(selfeval: Setup) -> None:
    spans = selfeval.model.spans()
    # 产出指标 rows 0–14 (数量 0–5, 质量 6–12, 时效 13, 成本 14); 效益 15–16; 满意度 17–18.
    assert spans[(0, 0)] == 15 and spans[(15, 0)] == 2 and spans[(17, 0)] == 2
    assert spans[(0, 1)] == 6 and spans[(6, 1)] == 7 and spans[(17, 1)] == 2
    assert (13, 1) not in spans  # a run of one is not merged
    assert selfeval.model.span(selfeval.model.index(0, 0)).height() == 15
    assert selfeval.model.span(selfeval.model.index(1, 0)).height() == 1
    told: list[int] = []
    selfeval.model.spansChanged.connect(lambda: told.append(1))
    selfeval.document.set_fields(selfeval.form.indicators[5], level2="质量指标")
    assert told
    assert selfeval.model.spans()[(0, 1)] == 5 and selfeval.model.spans()[(5, 1)] == 8


def test_editing_a_merged_cell_renames_its_whole_run_in_one_step(selfeval: Setup) -> None:
    assert selfeval.set(0, "level2", "数量")
    assert [i.level2 for i in selfeval.form.indicators[:7]] == ["数量"] * 6 + ["质量指标"]
    assert selfeval.stack.count() == 1
    selfeval.stack.undo()
    assert [i.level2 for i in selfeval.form.indicators[:6]] == ["数量指标"] * 6


def test_rows_follow_document_inserts_removes_and_moves(selfeval: Setup, qtmodeltester: Any) -> None:
    qtmodeltester.check(selfeval.model, force_py=True)
    model, document, form = selfeval.model, selfeval.document, selfeval.form
    signals: list[str] = []
    model.rowsInserted.connect(lambda *a: signals.append("inserted"))
    model.rowsRemoved.connect(lambda *a: signals.append("removed"))
    model.rowsMoved.connect(lambda *a: signals.append("moved"))
    new = Indicator(level1="产出指标", level2="数量指标", name="新指标")
    document.insert_items(form, "indicators", 2, [new])
    assert model.row_of(new) == 2 and model.rowCount() == 20
    document.move_item(form, "indicators", 2, 5)
    assert model.row_of(new) == 5
    document.remove_items(form, "indicators", 5)
    assert model.row_of(new) is None and model.rowCount() == 19
    with document.transaction():  # several changes told after the commit
        document.insert_items(form, "indicators", 0, [new])
        document.move_item(form, "indicators", 0, 3)
        document.set_fields(new, name="改名")
    assert signals == ["inserted", "moved", "removed", "inserted", "moved"]
    assert model.row_of(new) == 3 and selfeval.text(3, "name") == "改名"
    assert [model.indicator(r) for r in range(model.rowCount())] == form.indicators


def test_a_removed_form_empties_the_model(selfeval: Setup) -> None:
    index = selfeval.workbook.forms.index(selfeval.form)
    selfeval.document.remove_items(selfeval.workbook, "forms", index)
    assert selfeval.model.form() is None and selfeval.model.rowCount() == 0


def test_read_only_documents_are_not_editable(qapp: Any) -> None:
    setup = Setup(load_sample("wuwei-zwfw-2022-selfeval.json"), 1)
    setup.document.read_only = True
    setup.model.set_form(setup.form)
    assert not setup.model.flags(setup.model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable
    assert not setup.model.flags(QModelIndex()) & Qt.ItemFlag.ItemIsEnabled


def test_empty_model(qapp: Any, qtmodeltester: Any) -> None:
    document = WorkbookDocument(Workbook(forms=[Form(kind=FormKind.PROJECT_SELF_EVAL)]))
    model = IndicatorModel(document, EditStack(document), ScoringEngine())
    qtmodeltester.check(model)
    model.set_form(document.workbook.forms[0])
    qtmodeltester.check(model)
    assert model.columnCount() == len(SELF_EVAL_COLUMNS) and model.rowCount() == 0


def test_a_model_qt_deleted_without_detach_stops_listening(qapp: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    setup = Setup(load_sample("wuwei-zwfw-2022-selfeval.json"), 1)
    owner = QObject()
    model = IndicatorModel(setup.document, setup.stack, setup.engine, owner)
    model.set_form(setup.form)
    dropped: list[object] = []
    unfollow = setup.engine.unfollow

    def spy(listener: Any) -> None:
        dropped.append(listener)
        unfollow(listener)

    monkeypatch.setattr(setup.engine, "unfollow", spy)
    shiboken6.delete(owner)  # Qt deletes the model with its parent; nobody called detach()
    assert not shiboken6.isValid(model)
    setup.document.set_fields(setup.form.indicators[0], actual="12人")  # must not raise
    assert dropped == [model._on_change]
    assert setup.text(0, "actual") == "12人"  # the live model still follows
