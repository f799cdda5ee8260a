"""Issue 17's rules without a widget: warnings at entry, 采用建议分, paste continuing 一级/二级, reasons,
the overview and one finding per kind per form."""

from __future__ import annotations

from decimal import Decimal

from desktop.models.scoring import guidance
from desktop.models.scoring.engine import IndicatorScore, ScoringEngine
from desktop.models.scoring.rules import load_ruleset
from desktop.models.scoring.validation import check_form
from desktop.models.workbook import table_edits
from desktop.models.workbook.cells import columns_for
from desktop.models.workbook.document import WorkbookDocument
from desktop.models.workbook.domain import Band, Form, FormKind, Indicator, Workbook
from desktop.models.workbook.generate import self_eval_from_target
from desktop.models.workbook.table_edits import Rect
from tests.helpers.fixtures import load_sample

RULES = load_ruleset()


class Sheet:
    """政务服务经费 (Wuwei 2022) with its published (manual) scores, in a document with an engine."""

    def __init__(self) -> None:
        self.workbook = load_sample("wuwei-zwfw-2022-selfeval.json")
        self.document = WorkbookDocument(self.workbook)
        self.engine = ScoringEngine(RULES)
        self.engine.attach(self.document)
        self.form = self.workbook.forms[1]
        self.columns = columns_for(self.form)

    def column(self, key: str) -> int:
        return [c.key for c in self.columns].index(key)

    def verdict(self, row: int) -> IndicatorScore:
        return self.engine.score_form(self.form).indicators[row]

    def type(self, row: int, key: str, text: str) -> list[guidance.Note]:
        """Type into a cell as the table does and return what the message area would say."""
        before = self.verdict(row)
        column = self.columns[self.column(key)]
        table_edits.set_cell(self.form, [row], column, text).apply(self.document)
        return guidance.entry_notes(self.form.indicators[row], key, before, self.verdict(row), RULES)


def texts(notes: list[guidance.Note]) -> str:
    return "\n".join(note.text for note in notes)


def test_a_negative_actual_on_a_higher_is_better_row_is_kept_and_explained() -> None:
    sheet = Sheet()
    notes = sheet.type(0, "actual", "-50人")  # target 11人, more is better
    assert sheet.form.indicators[0].actual == "-50人"
    assert "负数" in texts(notes) and all(n.severity in ("warning", "info") for n in notes)


def test_a_rate_target_above_100_percent_is_questioned() -> None:
    sheet = Sheet()
    assert "超过 100%" in texts(sheet.type(0, "target", "200%"))
    assert "超过 100%" not in texts(sheet.type(0, "target", "≤200%"))
    assert "超过 100%" not in texts(sheet.type(0, "target", "100%"))


def test_an_unreadable_actual_on_a_quantitative_row_says_it_turns_qualitative_and_costs_its_weight() -> None:
    sheet = Sheet()
    sheet.form.indicators[0].score = None  # an automatic row
    text = texts(sheet.type(0, "actual", "abc"))
    assert "无法读作数字" in text and "定性指标" in text and "3 分" in text
    assert sheet.verdict(0).score is None


def test_a_changed_actual_under_a_manual_score_says_the_score_is_kept_and_how_to_drop_it() -> None:
    sheet = Sheet()
    first = sheet.verdict(0)
    assert first.manual and first.score == first.suggested == Decimal(3)  # published, agrees
    text = texts(sheet.type(0, "actual", "8人"))
    assert "不再跟随" in text and "采用建议分" in text
    assert sheet.verdict(0).score == Decimal(3) and sheet.verdict(0).suggested == Decimal("2.18")
    again = texts(sheet.type(0, "actual", "9人"))  # the manual score already differed
    assert "已保留" in again and "采用建议分" in again


def test_an_edit_that_moves_no_suggestion_says_nothing() -> None:
    sheet = Sheet()
    assert sheet.type(0, "name", "保安人员") == []
    assert sheet.type(0, "actual", "12人") == []  # still full marks, manual 3 agrees


def test_adopting_suggestions_per_row_and_per_form_is_one_step() -> None:
    sheet = Sheet()
    manual_rows = [i for i, ind in enumerate(sheet.form.indicators) if ind.score is not None]
    assert len(manual_rows) > 3
    one = table_edits.adopt_suggested(sheet.form, [0])
    one.apply(sheet.document)
    assert sheet.form.indicators[0].score is None and sheet.form.indicators[1].score is not None
    every = table_edits.adopt_suggested(sheet.form)
    assert every.label == "采用建议分"
    every.apply(sheet.document)
    assert all(ind.score is None for ind in sheet.form.indicators)
    every.revert(sheet.document)
    assert sheet.form.indicators[0].score is None and sheet.form.indicators[1].score == Decimal(3)


def test_execution_above_budget_is_a_warning() -> None:
    sheet = Sheet()
    assert guidance.fund_notes(sheet.form) == []
    assert sheet.form.funds is not None
    sheet.form.funds[0].executed = Decimal(400)
    notes = guidance.fund_notes(sheet.form)
    assert len(notes) == 1 and "137.2%" in notes[0].text and "291.54" in notes[0].text


def test_pasted_rows_with_blank_levels_continue_the_row_above() -> None:
    sheet = Sheet()
    form = sheet.form
    last = len(form.indicators)
    block = [
        ["效益指标", "社会效益指标", "甲", "≥1次", "1次"],
        ["", "", "乙", "≥2次", "2次"],
        ["", "可持续影响指标", "丙", "≥3次", "3次"],
        ["", "", "丁", "≥4次", "4次"],
    ]
    change, _ = table_edits.paste_block(form, block, Rect(last, sheet.column("level1"), 1, 1))
    change.apply(sheet.document)
    rows = [(i.level1, i.level2, i.name) for i in form.indicators[last:]]
    assert rows == [
        ("效益指标", "社会效益指标", "甲"),
        ("效益指标", "社会效益指标", "乙"),
        ("效益指标", "可持续影响指标", "丙"),
        ("效益指标", "可持续影响指标", "丁"),
    ]
    # over existing rows, a blank 一级 takes the row above's too
    change, _ = table_edits.paste_block(form, [["", "", "戊"]], Rect(1, sheet.column("level1"), 1, 1))
    change.apply(sheet.document)
    assert (form.indicators[1].level1, form.indicators[1].level2) == (
        form.indicators[0].level1,
        form.indicators[0].level2,
    )


def test_row_reasons_say_the_explanation_flags_band_rule_and_findings() -> None:
    sheet = Sheet()
    sheet.form.indicators[0].score = None
    sheet.type(0, "actual", "8人")
    findings = [f for f in check_form(sheet.workbook, 1, sheet.engine) if f.indicator_index == 0]
    lines = [text for _, text in guidance.row_reasons(sheet.form.indicators[0], sheet.verdict(0), findings, RULES)]
    joined = "\n".join(lines)
    assert "实际8人" in joined and "2.18" in joined and "未达到指标值" in joined
    assert any(line.startswith("审核：") for line in lines)
    sheet.type(0, "actual", "基本完成")
    table_edits.set_cell(sheet.form, [0], sheet.columns[sheet.column("band")], "部分达成并具有一定效果").apply(
        sheet.document
    )
    joined = "\n".join(t for _, t in guidance.row_reasons(sheet.form.indicators[0], sheet.verdict(0), [], RULES))
    assert "定性指标按完成情况计分" in joined and Band.PARTLY.label in joined


def test_overview_sums_score_against_weight_per_level_and_counts_outcomes() -> None:
    sheet = Sheet()
    for indicator in sheet.form.indicators:
        indicator.score = None
    sheet.engine.clear()
    result = sheet.engine.score_form(sheet.form)
    view = guidance.overview(sheet.form, result)
    assert view.bars[0].name == "预算执行率"
    assert sum(bar.weight for bar in view.bars) == result.max_total
    assert sum(bar.score for bar in view.bars) == result.total
    assert view.met + view.partly + view.not_met + view.open == len(sheet.form.indicators)
    sheet.type(0, "actual", "5人")
    after = guidance.overview(sheet.form, sheet.engine.score_form(sheet.form))
    assert after.partly == view.partly + 1 and after.met == view.met - 1


def test_many_rows_missing_the_same_thing_are_one_finding_per_form() -> None:
    workbook = Workbook(forms=[Form(kind=FormKind.PROJECT_TARGET, title="示例")])
    target = workbook.forms[0]
    target.indicators = [
        Indicator(level1="产出指标", level2="数量指标", name=f"指标{i}", target="≥10次", weight=Decimal(2))
        for i in range(23)
    ]
    workbook.forms.append(self_eval_from_target(target, RULES))
    engine = ScoringEngine(RULES)
    findings = check_form(workbook, 1, engine)
    missing = [f for f in findings if f.message == "未填写实际完成值"]
    assert len(missing) == 23
    grouped = guidance.group_findings(findings)
    one = [f for f in grouped if f.message.endswith("未填写实际完成值")]
    assert len(one) == 1 and one[0].message == "23项未填写实际完成值" and len(one[0].members) == 23
    assert "第" not in one[0].where and one[0].indicator_index == 0
    assert len(grouped) == len(findings) - 22


def test_block_notes_name_each_row_say_a_rows_note_once_and_count_what_is_past_five() -> None:
    sheet = Sheet()
    rows = range(7)
    before = {row: sheet.verdict(row) for row in rows}
    for row in rows:
        sheet.form.indicators[row].actual = f"-{row + 1}人"
        sheet.form.indicators[row].target = "≥10人"
    sheet.engine.score_workbook(sheet.workbook)
    cells = [
        (row, sheet.form.indicators[row], key, before[row], sheet.verdict(row))
        for row in rows
        for key in ("target", "actual")
    ]
    notes = guidance.block_notes(cells, RULES)
    negatives = [note for note in notes if "负数" in note.text]
    assert [note.text.split("：")[0] for note in negatives] == [f"第 {row} 行" for row in range(1, 6)]
    assert notes[-1].text == "另有 2 条同类提示未列出，请查看各行得分说明。" and notes[-1].severity == "warning"
    assert guidance.block_notes([], RULES) == []
