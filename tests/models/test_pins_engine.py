"""The scoring engine pinned at every branch (issue 21): sums, budget execution, the cache and its listeners.

Tables of (form → total, grade, subtotals, execution score and explanation), and scripted edits of a
document with what the engine must answer and whom it must tell afterwards: a cache hit gives the
same object as the miss before it, an edit recomputes exactly what it touches, a removed row or
form is forgotten, and subscribing / unsubscribing behaves however often it is done.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from desktop.models.scoring.engine import FormScore, ScoringEngine, score_report
from desktop.models.scoring.rules import load_ruleset
from desktop.models.workbook.document import WorkbookDocument
from desktop.models.workbook.domain import Form, FormKind, FundLine, Goal, Indicator, Workbook

D = Decimal
CENTRAL = load_ruleset("central")


def ind(level1: str = "产出指标", actual: str = "10次", weight: str | None = "10", **more: object) -> Indicator:
    w = D(weight) if weight is not None else None
    return Indicator(level1, "数量指标", "指标", target="≥10次", actual=actual, weight=w, **more)  # type: ignore[arg-type]


def form(*rows: Indicator, kind: FormKind = FormKind.PROJECT_SELF_EVAL, **more: object) -> Form:
    funds = more.pop("funds", [FundLine("total", D(100), D(100), D(100))])
    return Form(kind=kind, title="表", funds=funds, indicators=list(rows), **more)  # type: ignore[arg-type]


def standard() -> list[Indicator]:
    return [ind(weight="50"), ind("效益指标", weight="30"), ind("满意度指标", weight="10")]


# ---- what a form adds up to -----------------------------------------------------------------------


def test_a_complete_form() -> None:
    result = ScoringEngine().score_form(form(*standard()))
    assert (result.total, result.grade, result.max_total, result.unscored, result.scored_total) == (
        D(100), "优", D(100), 0, D(100),
    )  # fmt: skip
    assert result.complete and result.pending == "" and result.total_text(str) == "100"
    assert [(s.level1, s.weight, s.score, s.expected) for s in result.subtotals] == [
        ("产出指标", D(50), D(50), D(50)), ("效益指标", D(30), D(30), D(30)), ("满意度指标", D(10), D(10), D(10)),
    ]  # fmt: skip


def test_subtotals_add_rows_of_one_level_and_list_absent_levels_at_zero() -> None:
    rows = [ind(weight="20"), ind(actual="5次", weight="30"), ind("效果指标", weight="5"), ind("新指标", weight="1")]
    result = ScoringEngine().score_form(form(*rows))
    assert [(s.level1, s.weight, s.score, s.expected) for s in result.subtotals] == [
        ("产出指标", D(50), D(35), D(50)),  # 20 + 15
        ("效益指标", D(5), D(5), D(30)),  # 效果指标 is an alias
        ("新指标", D(1), D(1), None),
        ("满意度指标", D(0), D(0), D(10)),
    ]  # fmt: skip
    assert (result.max_total, result.total, result.grade) == (D(66), D(51), "差")


def test_an_incomplete_form_has_no_total_but_its_sum_so_far() -> None:
    rows = [*standard(), Indicator("产出指标", "数量指标", "x", target="提升", actual="有所改善", weight=D(0))]
    result = ScoringEngine().score_form(form(*rows))
    assert (result.total, result.grade, result.unscored, result.scored_total) == (None, None, 1, D(100))
    assert not result.complete and result.pending == "待评（1项未评）"
    assert result.total_text(str) == "待评（1项未评）"
    assert result.indicators[3].score is None


def test_a_target_form_has_no_scores_and_no_total() -> None:
    result = ScoringEngine().score_form(form(*standard(), kind=FormKind.PROJECT_TARGET))
    assert (result.total, result.grade, result.unscored, result.exec_rate, result.exec_score) == (
        None, None, 0, None, None,
    )  # fmt: skip
    assert result.exec_weight == 10 and not result.complete and result.pending == ""
    assert result.total_text(str) == "—" and result.total_text(str, none="") == ""
    assert [(i.score, i.suggested, i.manual, i.flags, i.explain) for i in result.indicators] == [
        (None, None, False, (), "")
    ] * 3


def test_manual_scores_count_with_their_own_value() -> None:
    rows = standard()
    rows[0].score, rows[0].deviation = D(40), "说明"
    result = ScoringEngine().score_form(form(*rows, exec_score=D(5), deviation="说明"))
    assert (result.exec_suggested, result.exec_score, result.total, result.grade) == (D(10), D(5), D(85), "良")


@pytest.mark.parametrize(
    ("kind", "levels", "grade_dept", "layout_a", "exec_weight", "grade"),
    [
        (FormKind.DEPT_SELF_EVAL, ["部门管理", "履职效果", "能力建设", "满意度指标"], True, True, 10, "优"),
        (FormKind.DEPT_SELF_EVAL, ["部门管理", "履职效果", "能力建设", "满意度指标"], False, True, 10, None),
        (FormKind.DEPT_SELF_EVAL, ["产出指标", "效益指标", "满意度指标"], False, False, 10, None),
        (FormKind.PROJECT_SELF_EVAL, ["产出指标", "效益指标", "满意度指标"], False, False, 10, "优"),
        (FormKind.PROJECT_SELF_EVAL, ["部门管理", "履职效果"], True, False, 10, "优"),  # only a 部门 table is layout A
        (FormKind.DEPT_TARGET, ["部门管理"], True, True, 10, None),
        (FormKind.PROJECT_TARGET, ["部门管理"], True, False, 10, None),
    ],
)
def test_layout_and_grade_by_kind_and_rule_set(
    kind: FormKind, levels: list[str], grade_dept: bool, layout_a: bool, exec_weight: int, grade: str | None
) -> None:
    rows = [ind(level, weight="0") for level in levels]
    rows[0].weight = D(90)
    result = ScoringEngine(replace(CENTRAL, grade_dept=grade_dept)).score_form(form(*rows, kind=kind))
    assert (result.layout_a, result.exec_weight, result.grade) == (layout_a, D(exec_weight), grade)


def test_the_engine_uses_the_rule_set_it_was_given() -> None:
    hubei = load_ruleset("hubei")
    engine = ScoringEngine(hubei)
    assert engine.ruleset is hubei
    assert engine.score_form(form(*standard())).exec_weight == 20
    assert ScoringEngine().ruleset is CENTRAL
    assert ScoringEngine().score_form(form(*standard(), exec_weight=D(15))).exec_weight == 15


# ---- budget execution ------------------------------------------------------------------------------

# (fund lines, manual exec score, deviation) → (rate, suggested, effective, flags, explanation)
EXECUTION = [
    ([], None, None, (None, None, None, {"missing_value"}, "未填写全年预算数，无法计算预算执行率")),
    ([FundLine("total", None, None, D(5))], None, None,
     (None, None, None, {"missing_value"}, "未填写全年预算数，无法计算预算执行率")),
    ([FundLine("total", D(100), D(100), None)], None, None,
     (None, None, None, {"missing_value"}, "未填写全年执行数，无法计算预算执行率")),
    ([FundLine("total", D(100), D(100), None)], D(8), None,
     (None, None, 8, {"missing_value", "needs_reason"}, "未填写全年执行数，无法计算预算执行率")),
    ([FundLine("total", D(100), D(0), D(5))], None, None,
     (None, None, None, {"missing_value"}, "全年预算数为0，无法计算预算执行率")),
    ([FundLine("total", D(80), None, D(60))], None, None,
     (D("0.75"), D("7.5"), D("7.5"), {"needs_reason"},
      "未填写全年预算数，按年初预算数计算：执行率75%（60/80），10分×执行率，得7.5分")),
    ([FundLine("total", None, D(0), D(5))], None, None,
     (None, None, None, {"missing_value"}, "全年预算数为0，无法计算预算执行率")),
    ([FundLine("total", D(0), None, D(5))], None, None,
     (None, None, None, {"missing_value"}, "年初预算数为0，无法计算预算执行率")),
    ([FundLine("total", D(50), D(200), D(150))], None, "说明",
     (D("0.75"), D("7.5"), D("7.5"), set(), "执行率75%（150/200），10分×执行率，得7.5分")),
    ([FundLine("total", D(100), D(100), D(-10))], None, "退回",
     (D("-0.1"), D(0), D(0), set(), "执行率-10%（-10/100），10分×执行率，得0分")),
    ([FundLine("total", D(100), D(100), D(90))], D(0), "说明",
     (D("0.9"), D(9), D(0), {"manual_differs"}, "执行率90%（90/100），10分×执行率，得9分")),
    ([FundLine("total", D(100), D(100), D(90))], D(-1), "说明",
     (D("0.9"), D(9), D(-1), {"manual_out_of_band", "manual_differs"}, "执行率90%（90/100），10分×执行率，得9分")),
    ([FundLine("total", D(100), D(100), D(90))], D(9), None,
     (D("0.9"), D(9), D(9), {"needs_reason"}, "执行率90%（90/100），10分×执行率，得9分")),
    ([FundLine("total", D(100), D(100), D(100))], D(10), None,
     (D(1), D(10), D(10), set(), "执行率100%（100/100），10分×执行率，得10分")),
    ([FundLine("total", D(100), D(100), D(100))], D("10.01"), "说明",
     (D(1), D(10), D("10.01"), {"manual_out_of_band", "manual_differs"}, "执行率100%（100/100），10分×执行率，得10分")),
    ([FundLine("fiscal", D(100), D(100), D(100))], None, None,
     (None, None, None, {"missing_value"}, "未填写全年预算数，无法计算预算执行率")),
]  # fmt: skip


@pytest.mark.parametrize(("funds", "manual", "reason", "expected"), EXECUTION)
def test_budget_execution(
    funds: list[FundLine], manual: Decimal | None, reason: str | None, expected: tuple[object, ...]
) -> None:
    result = ScoringEngine().score_form(form(*standard(), funds=funds, exec_score=manual, deviation=reason))
    rate, suggested, effective, flags, explain = expected
    assert (result.exec_rate, result.exec_suggested, result.exec_score) == (rate, suggested, effective)
    assert (set(result.exec_flags), result.exec_explain) == (flags, explain)
    assert result.exec_weight == 10


# ---- the cache -------------------------------------------------------------------------------------


def test_a_cache_hit_is_the_result_of_the_miss_before_it() -> None:
    f = form(*standard())
    engine = ScoringEngine()
    first = engine.score_indicator(f, f.indicators[1])
    assert (first.score, first.met) == (D(30), True)
    assert engine.score_indicator(f, f.indicators[1]) is first
    result = engine.score_form(f)
    assert result.indicators[1] is first and engine.score_form(f) is result
    assert (
        engine.score_workbook(Workbook(forms=[f])) == [result]
        and engine.score_workbook(Workbook(forms=[f]))[0] is result
    )
    target = form(*standard(), kind=FormKind.PROJECT_TARGET)
    assert engine.score_indicator(target, target.indicators[0]).score is None


def test_an_edit_recomputes_what_it_touches_and_keeps_the_rest() -> None:
    f = form(*standard())
    engine = ScoringEngine()
    before = engine.score_form(f)
    f.indicators[0].actual = "5次"
    assert engine.score_form(f) is before  # not told: the cache answers
    engine.indicator_changed(f, f.indicators[0])
    after = engine.score_form(f)
    assert (after.indicators[0].score, after.total) == (D(25), D(75))
    assert after.indicators[1] is before.indicators[1]  # the other rows were not recomputed
    f.funds = [FundLine("total", D(100), D(100), D(50))]
    engine.exec_changed(f)
    again = engine.score_form(f)
    assert (again.exec_score, again.total) == (D(5), D(70)) and again.indicators[0] is after.indicators[0]
    f.indicators[1].actual = "0次"
    engine.form_changed(f)
    assert engine.score_form(f).total == 40
    engine.indicator_changed(Form(), Indicator())  # a form never scored: nothing to drop
    engine.exec_changed(Form())


def test_score_workbook_forgets_forms_no_longer_in_it() -> None:
    a, b, c = form(*standard()), form(*standard()), form(*standard())
    engine = ScoringEngine()
    workbook = Workbook(forms=[a, b, c])
    first = engine.score_workbook(workbook)
    workbook.forms.remove(c)  # without telling the engine
    second = engine.score_workbook(workbook)
    assert second[0] is first[0] and second[1] is first[1]  # the forms kept are not recomputed
    document = WorkbookDocument(workbook)
    engine.attach(document)
    told: list[object] = []
    engine.subscribe(told.append)
    document.set_fields(c.indicators[0], actual="1次")  # a row of the forgotten form
    assert told == []


def test_rows_removed_without_notice_are_forgotten_at_the_next_scoring() -> None:
    f = form(*standard(), ind(weight="0"))
    document = WorkbookDocument(Workbook(forms=[f]))
    engine = ScoringEngine()
    engine.attach(document)
    engine.score_form(f)
    gone = f.indicators.pop()  # without an edit the document could report
    engine.indicator_changed(f, f.indicators[0])
    assert len(engine.score_form(f).indicators) == 3
    told: list[object] = []
    engine.subscribe(told.append)
    document.set_fields(gone, actual="1次")
    assert told == []


# ---- following a document --------------------------------------------------------------------------


def _attached(*forms: Form) -> tuple[WorkbookDocument, ScoringEngine, list[object]]:
    document = WorkbookDocument(Workbook(forms=list(forms)))
    engine = ScoringEngine()
    engine.attach(document)
    told: list[object] = []
    engine.subscribe(told.append)
    for f in forms:
        engine.score_form(f)
    return document, engine, told


def test_an_indicator_edit_in_the_second_form_invalidates_that_form() -> None:
    a, b = form(*standard()), form(*standard())
    document, engine, told = _attached(a, b)
    first_a = engine.score_form(a)
    document.set_fields(b.indicators[0], actual="5次")
    assert told == [b]
    assert engine.score_form(b).total == 75 and engine.score_form(a) is first_a


@pytest.mark.parametrize(
    ("edit", "invalidated", "total"),
    [
        ({"exec_score": D(5), "deviation": "说明"}, "exec", 95),
        ({"exec_weight": D(20)}, "exec", 110),
        ({"deviation": "说明"}, "exec", 100),
        ({"kind": FormKind.PROJECT_TARGET}, "all", None),
        ({"money_unit": "元"}, "all", 100),
        ({"title": "新标题"}, "none", 100),
        ({"conclusion": "良好"}, "none", 100),
    ],
)
def test_a_form_edit_invalidates_by_its_fields(edit: dict[str, object], invalidated: str, total: int | None) -> None:
    f = form(*standard())
    document, engine, told = _attached(f)
    before = engine.score_form(f)
    document.set_fields(f, **edit)
    after = engine.score_form(f)
    assert after.total == total
    assert told == ([] if invalidated == "none" else [f])
    assert (after is before) == (invalidated == "none")
    if invalidated == "exec":  # the rows' verdicts are kept
        assert after.indicators[0] is before.indicators[0]
    if invalidated == "all":
        assert after.indicators[0] is not before.indicators[0]


def test_fund_lines_edited_inserted_and_removed() -> None:
    f = form(*standard(), funds=[])
    document, engine, told = _attached(f)
    assert engine.score_form(f).exec_score is None
    line = FundLine("total", D(100), D(100), D(100))
    document.insert_items(f, "funds", 0, [line])
    assert told == [f] and engine.score_form(f).exec_score == 10
    document.set_fields(line, executed=D(50))
    assert told == [f, f] and engine.score_form(f).exec_score == 5
    document.remove_items(f, "funds", 0)
    assert told == [f, f, f] and engine.score_form(f).exec_score is None


def test_rows_inserted_moved_and_removed() -> None:
    f = form(*standard())
    document, engine, told = _attached(f)
    extra = ind(actual="0次", weight="10")
    document.insert_items(f, "indicators", 3, [extra])
    assert told == [f] and engine.score_form(f).total == 100 and engine.score_form(f).max_total == 110
    kept = engine.score_form(f).indicators[0]
    document.move_item(f, "indicators", 3, 0)
    assert told == [f, f] and engine.score_form(f).indicators[0].score == 0
    assert engine.score_form(f).indicators[1] is kept
    document.remove_items(f, "indicators", 0)
    assert told == [f, f, f]
    document.set_fields(extra, actual="10次")  # the removed row is no longer the form's, even before rescoring
    assert told == [f, f, f] and engine.score_form(f).max_total == 100


def test_goals_edits_touch_no_score() -> None:
    f = form(*standard(), goals=[])
    document, engine, told = _attached(f)
    before = engine.score_form(f)
    document.insert_items(f, "goals", 0, [Goal(1, "目标")])
    document.set_fields(f.goals[0], target="新目标")  # type: ignore[index]
    assert told == [] and engine.score_form(f) is before


def test_forms_inserted_and_removed() -> None:
    a, b = form(*standard()), form(*standard())
    document, engine, told = _attached(a)
    first = engine.score_form(a)
    document.insert_items(document.workbook, "forms", 1, [b])
    assert told == [] and engine.score_form(a) is first
    document.move_item(document.workbook, "forms", 1, 0)
    assert told == [] and engine.score_form(a) is first
    document.remove_items(document.workbook, "forms", 1)  # a
    assert told == [None]
    document.set_fields(a.indicators[0], actual="1次")  # a row of the deleted form
    assert told == [None]
    assert engine.score_form(b).total == 100


def test_subscribe_and_unsubscribe_however_often() -> None:
    f = form(*standard())
    engine = ScoringEngine()
    one: list[object] = []
    two: list[object] = []
    engine.subscribe(one.append)
    engine.subscribe(two.append)
    engine.unsubscribe(two.append)
    engine.unsubscribe(two.append)  # twice: no error
    engine.unsubscribe(print)  # never subscribed: no error
    engine.exec_changed(f)
    engine.clear()
    assert one == [f, None] and two == []
    engine.unsubscribe(one.append)
    engine.form_changed(f)
    assert one == [f, None]


def test_attach_detach_follow_and_unfollow() -> None:
    f = form(*standard())
    first, second = WorkbookDocument(Workbook(forms=[f])), WorkbookDocument(Workbook(forms=[f]))
    engine = ScoringEngine()
    engine.detach()  # nothing attached: nothing to do
    changes: list[object] = []
    engine.follow(changes.append)
    engine.attach(first)
    engine.attach(second)  # attaching again lets go of the first document
    before = engine.score_form(f)
    first.set_fields(f, exec_score=D(1))
    assert engine.score_form(f) is before and changes == []
    second.set_fields(f, exec_score=D(2))
    assert engine.score_form(f).exec_score == 2 and len(changes) == 1
    engine.unfollow(changes.append)
    engine.unfollow(changes.append)  # twice: no error
    engine.unfollow(print)  # never followed: no error
    second.set_fields(f, exec_score=D(3))
    assert engine.score_form(f).exec_score == 3 and len(changes) == 1  # still attached, no longer told
    engine.detach()
    engine.detach()
    second.set_fields(f, exec_score=D(4))
    assert engine.score_form(f).exec_score == 3


# ---- the `jixiao score` document -------------------------------------------------------------------


def test_score_report_rounds_the_rate_to_four_decimals() -> None:
    f = form(*standard(), funds=[FundLine("total", D(3), D(3), D(2))], deviation="说明")
    empty = form(*standard(), funds=[])
    report = score_report(Workbook(forms=[f, empty]), ScoringEngine())
    assert [(x["exec_rate"], x["exec_score"], x["total"], x["grade"]) for x in report["forms"]] == [
        (D("0.6667"), D("6.67"), D("96.67"), "优"),
        (None, None, D(90), "优"),
    ]
    assert report["forms"][0]["indicators"][0] == {
        "index": 0, "name": "指标", "weight": 50, "suggested": 50, "score": 50, "flags": [],
        "explain": "实际10次 ≥ 指标值10次，得满分",
    }  # fmt: skip


def test_a_form_score_is_frozen() -> None:
    result = ScoringEngine().score_form(form(*standard()))
    assert isinstance(result, FormScore)
    with pytest.raises(AttributeError):
        result.total = D(0)  # type: ignore[misc]


def test_score_report_never_drops_rows_the_engine_was_not_told_about() -> None:
    f = form(*standard())
    engine = ScoringEngine()
    engine.score_form(f)
    f.indicators.append(ind(weight="0"))  # behind the engine's back: its cached result has 3 rows
    with pytest.raises(ValueError, match="zip"):
        score_report(Workbook(forms=[f]), engine)
    engine.form_changed(f)
    assert len(score_report(Workbook(forms=[f]), engine)["forms"][0]["indicators"]) == 4
