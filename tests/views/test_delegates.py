"""Cell editors: standard-name combos, number fields that refuse non-numbers, the tall long-text editor, keys."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QPlainTextEdit

from desktop.models.scoring.rules import load_ruleset
from desktop.models.workbook.domain import BAND_LABELS, Band, FormKind
from desktop.views.delegates import BASES, LongTextEditor, NumberEditor, StandardNames
from tests.helpers.fixtures import load_sample
from tests.views.test_indicator_table import CTRL, Table, unscored

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def selfeval(qtbot: Any) -> Table:
    return Table(qtbot, unscored(load_sample("wuwei-zwfw-2022-selfeval.json")), 1)


def open_editor(t: Table, row: int, key: str) -> Any:
    t.go(row, key)
    t.qtbot.keyClick(t.view, Qt.Key.Key_F2)
    editor = t.view.indexWidget(t.index(row, key))
    assert editor is not None and t.editing()
    return editor


def test_standard_names_come_from_the_rule_set() -> None:
    names = StandardNames(load_ruleset("central"))
    assert names.level1(FormKind.PROJECT_SELF_EVAL) == ["产出指标", "成本指标", "效益指标", "满意度指标"]
    assert names.level1(FormKind.DEPT_SELF_EVAL)[:3] == ["部门管理", "履职效果", "能力建设"]
    assert names.level2(FormKind.PROJECT_TARGET, "效果指标") == [
        "经济效益指标",
        "社会效益指标",
        "生态效益指标",
        "可持续影响指标",
    ]
    unknown = names.level2(FormKind.PROJECT_TARGET, "自拟指标")
    assert "数量指标" in unknown and "服务对象满意度指标" in unknown
    assert names.bases()[:4] == ["计划标准", "行业标准", "历史标准", "其他"] and "日常工作" in names.bases()


def test_first_level_combo_offers_the_standard_names_and_takes_free_text(selfeval: Table) -> None:
    t = selfeval
    editor = open_editor(t, 15, "level1")  # 效益指标, rows 15–16
    assert isinstance(editor, QComboBox) and editor.isEditable()
    items = [editor.itemText(i) for i in range(editor.count())]
    assert items == StandardNames(load_ruleset()).level1(FormKind.PROJECT_SELF_EVAL)
    assert editor.currentText() == "效益指标"
    line_edit = editor.lineEdit()
    assert line_edit is not None
    line_edit.selectAll()
    t.type("社会效果")  # not a standard name: accepted as typed
    t.qtbot.waitUntil(lambda: t.form.indicators[15].level1 == "社会效果")
    assert t.form.indicators[16].level1 == "社会效果"  # the merged cell stood for both rows


def test_second_level_combo_follows_the_rows_first_level(qtbot: Any) -> None:
    t = Table(qtbot, load_sample("tangshan-xzsp-targets.json"), 1)
    editor = open_editor(t, 4, "level2")  # 效果指标 / 社会效益指标 (效果指标 is an alias of 效益指标)
    assert [editor.itemText(i) for i in range(editor.count())][:2] == ["经济效益指标", "社会效益指标"]
    t.qtbot.keyClick(t.view, Qt.Key.Key_Escape)
    basis = open_editor(t, 0, "basis")
    assert [basis.itemText(i) for i in range(basis.count())] == list(BASES)
    assert basis.currentText() == "日常工作"


def test_band_combo_lists_the_bands_for_a_qualitative_row(selfeval: Table) -> None:
    t = selfeval
    t.form.indicators[7].actual = "基本正常"  # 正常 → 基本正常: qualitative, no band implied
    t.model.set_form(t.form)  # changed behind the document's back: start the model again
    editor = open_editor(t, 7, "band")
    assert isinstance(editor, QComboBox) and not editor.isEditable()
    assert [editor.itemText(i) for i in range(1, editor.count())] == list(BAND_LABELS.values())
    editor.setCurrentIndex(2)
    t.qtbot.keyClick(t.view, Qt.Key.Key_Return)
    t.qtbot.waitUntil(lambda: t.form.indicators[7].band is Band.PARTLY)
    low, high = load_ruleset().band_range(Band.PARTLY)
    score = Decimal(t.text(7, "score"))
    assert low * 3 <= score < high * 3


def test_number_editor_refuses_text_and_keeps_the_editor_open(selfeval: Table) -> None:
    t = selfeval
    editor = open_editor(t, 0, "weight")
    assert isinstance(editor, NumberEditor) and editor.text() == "3"
    editor.selectAll()
    t.type("4.5.1")
    assert t.editing() and "不是数字" in t.messages[-1]
    editor.selectAll()
    t.type("101")
    assert t.editing() and "0 到 100" in t.messages[-1]
    editor.selectAll()
    t.type("4.5")
    t.qtbot.waitUntil(lambda: t.form.indicators[0].weight == Decimal("4.5"))
    assert not t.editing()


def test_score_editor_refuses_a_score_above_the_weight(selfeval: Table) -> None:
    t = selfeval
    t.go(0, "score")
    t.type("5")
    assert "不能超过分值" in t.messages[-1]
    assert t.form.indicators[0].score is None


def test_long_text_editor_is_tall_and_ctrl_enter_commits_in_place(selfeval: Table) -> None:
    t = selfeval
    editor = open_editor(t, 1, "name")
    assert isinstance(editor, LongTextEditor) and isinstance(editor, QPlainTextEdit)
    assert editor.toPlainText() == "指标2: 供暖面积"
    row_height = t.view.rowHeight(1)
    assert editor.height() >= 5 * editor.fontMetrics().lineSpacing() > row_height
    t.type("（冬季）", Qt.Key.Key_Return, CTRL)
    t.qtbot.waitUntil(lambda: t.form.indicators[1].name == "指标2: 供暖面积（冬季）")
    assert t.view.currentIndex() == t.index(1, "name")  # Ctrl+Enter stays


def test_escape_cancels_the_edit(selfeval: Table) -> None:
    t = selfeval
    t.go(0, "actual")
    t.type("99人", Qt.Key.Key_Escape)
    assert not t.editing() and t.form.indicators[0].actual == "11人" and t.stack.count() == 0


def test_arrow_keys_in_a_one_line_editor_commit_and_move(selfeval: Table) -> None:
    t = selfeval
    t.go(2, "actual")
    t.type("29人", Qt.Key.Key_Down)
    t.qtbot.waitUntil(lambda: t.form.indicators[2].actual == "29人")
    assert t.view.currentIndex() == t.index(3, "actual") and not t.editing()
    t.type("4", Qt.Key.Key_Up)
    t.qtbot.waitUntil(lambda: t.form.indicators[3].actual == "4")
    assert t.view.currentIndex() == t.index(2, "actual")


def test_clicking_another_cell_commits_the_edit(selfeval: Table) -> None:
    t = selfeval
    t.go(4, "actual")
    t.type("11个月", None)
    t.go(8, "actual")
    t.qtbot.waitUntil(lambda: t.form.indicators[4].actual == "11个月")
    assert not t.editing() and t.view.currentIndex() == t.index(8, "actual")
