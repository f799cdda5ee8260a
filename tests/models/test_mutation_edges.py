"""Edges that pin the rules (issue 21): boundaries and error paths, each a table of input → result.

Found by mutating the domain core (``tests/benchmarks/mutate.py``): every table here kills mutants
that the usual-path tests let live — an operator one step off at a boundary, a threshold moved by
one, a check that stopped checking.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from desktop.models.errors import UserError
from desktop.models.scoring import rules
from desktop.models.scoring.engine import (
    FLAG_NOT_MET,
    FLAG_OVER_TARGET,
    FLAG_UNIT_MISMATCH,
    ScoringEngine,
    evaluate,
)
from desktop.models.scoring.rules import load_ruleset
from desktop.models.scoring.validation import ERROR, WARNING, check_form
from desktop.models.scoring.values import Quantity, Span, ValueKind, read_value, span_within, to_common
from desktop.models.workbook.domain import (
    Band,
    Budget,
    Form,
    FormKind,
    FundLine,
    Indicator,
    SpendingStep,
    Workbook,
)

D = Decimal
CENTRAL = load_ruleset("central")


def judge(target: str, actual: str, level2: str = "数量指标", weight: str = "4", **more: Any) -> Any:
    ruleset = more.pop("ruleset", CENTRAL)
    name = more.pop("name", "指标")
    ind = Indicator("产出指标", level2, name, target=target, actual=actual, weight=D(weight), **more)
    return evaluate(ind, ruleset, "万元")


# ---- boundaries of the quantitative rules ------------------------------------------------------------

# (target, actual, level2, suggested, met, over_target flagged)
BOUNDARIES = [
    ("≤3%", "3%", "质量指标", D(4), True, False),  # exactly at the cap: full marks
    ("≤3%", "3.01%", "质量指标", D("3.99"), False, False),
    ("<3%", "3%", "质量指标", D(4), True, False),  # strict signs score like ≤
    ("≤0次", "0次", "质量指标", D(4), True, False),  # a zero cap met by zero
    ("≤0次", "2次", "质量指标", D(0), False, False),  # an exceeded zero cap: 0, never a division by 0
    ("≥0次", "0次", "数量指标", D(4), True, False),  # a zero floor on higher-is-better
    ("≥0次", "3次", "数量指标", D(4), True, False),  # no over-target ratio of a zero target
    ("=0", "0", "数量指标", D(4), True, False),
    ("=0", "1", "数量指标", D(0), False, False),
    ("≥30次", "39次", "数量指标", D(4), True, True),  # exactly 130%
    ("≥30次", "38.9次", "数量指标", D(4), True, False),
    ("≥30次", "29.9次", "数量指标", D("3.99"), False, False),
    ("=100%", "130%", "质量指标", D("2.8"), False, True),  # = over by 30%: the cap formula and the flag
    ("=100%", "129%", "质量指标", D("2.84"), False, False),
    ("≤100万元", "76.9万元", "成本指标", D(4), True, True),  # 76.9 × 1.3 ≤ 100: far below a cost cap
    ("≤100万元", "77万元", "成本指标", D(4), True, False),
    ("≤130万元", "100万元", "成本指标", D(4), True, True),  # exactly A / 130%: flagged
    ("≤100万元", "200万元", "成本指标", D(0), False, False),  # linear reaches 0 at 2A
    ("≤100万元", "199万元", "成本指标", D("0.04"), False, False),
    ("≤2小时", "2小时", "时效指标", D(4), True, False),
    ("≤2小时", "120分钟", "时效指标", D(4), True, False),  # units of one family convert
    ("≤2小时", "121分钟", "时效指标", D("3.97"), False, False),
]


@pytest.mark.parametrize(("target", "actual", "level2", "suggested", "met", "over"), BOUNDARIES)
def test_boundaries(target: str, actual: str, level2: str, suggested: Decimal, met: bool, over: bool) -> None:
    verdict = judge(target, actual, level2)
    assert (verdict.suggested, verdict.met) == (suggested, met), verdict.explain
    assert (FLAG_OVER_TARGET in verdict.flags) == over
    assert (FLAG_NOT_MET in verdict.flags) == (not met)


@pytest.mark.parametrize(
    ("scope", "target", "level2", "flagged"),
    [
        ("cost", "≤100万元", "数量指标", True),  # money anywhere is a cost
        ("cost", "≤100次", "成本指标", True),  # anything under 成本指标
        ("cost", "≤100次", "数量指标", False),
        ("all", "≤100次", "数量指标", True),
        ("none", "≤100万元", "成本指标", False),
    ],
)
def test_far_below_a_cap_follows_the_rule_sets_scope(scope: str, target: str, level2: str, flagged: bool) -> None:
    ruleset = replace(CENTRAL, over_target_lower=scope)
    actual = "50万元" if "万元" in target else "50次"
    assert (FLAG_OVER_TARGET in judge(target, actual, level2, ruleset=ruleset).flags) == flagged


def test_over_target_threshold_comes_from_the_rule_set() -> None:
    ruleset = replace(CENTRAL, over_target=D("1.5"))
    assert FLAG_OVER_TARGET not in judge("≥30次", "39次", ruleset=ruleset).flags
    assert FLAG_OVER_TARGET in judge("≥30次", "45次", ruleset=ruleset).flags


def test_unit_mismatch_with_a_chosen_band_keeps_its_flag_and_warning() -> None:
    verdict = judge("≥10人", "12次", band=Band.PARTLY)
    assert (verdict.suggested, verdict.band) == (D("2.8"), Band.PARTLY)
    assert FLAG_UNIT_MISMATCH in verdict.flags and "单位" in verdict.explain
    form = _form(Indicator("产出指标", "数量指标", "a", target="≥10人", actual="12次", weight=D(90), band=Band.PARTLY))
    assert "指标值与实际完成值单位不一致，无法自动计分" in _messages(form, WARNING)


# ---- the value reader's edges ------------------------------------------------------------------------------

READINGS = [
    ("一百次", ValueKind.QUANTITY, D(100), "次"),
    ("一百零五人", ValueKind.QUANTITY, D(105), "人"),
    ("十一次", ValueKind.QUANTITY, D(11), "次"),
    ("二十次", ValueKind.QUANTITY, D(20), "次"),
    ("一千零一人", ValueKind.QUANTITY, D(1001), "人"),
    ("两万人", ValueKind.QUANTITY, D(20000), "人"),
    ("百分百", ValueKind.QUANTITY, D(100), "%"),
    ("百分之九十", ValueKind.QUANTITY, D(90), "%"),
    ("100Mbps", ValueKind.QUANTITY, D(100), "Mbps"),  # the m of Mbps is not 米
    ("5m", ValueKind.QUANTITY, D(5), "米"),
    ("100m²", ValueKind.QUANTITY, D(100), "m²"),
    ("3公里", ValueKind.QUANTITY, D(3), "公里"),
    ("三亿", ValueKind.QUALITATIVE, None, None),  # a lone numeral is a word
    ("13月底前", ValueKind.QUALITATIVE, None, None),  # no 13th month
    ("2025年13月", ValueKind.QUALITATIVE, None, None),
]


@pytest.mark.parametrize(("text", "kind", "number", "unit"), READINGS)
def test_reader_edges(text: str, kind: ValueKind, number: Decimal | None, unit: str | None) -> None:
    value = read_value(text)
    assert value.kind is kind
    if number is not None:
        assert value.quantity is not None and (value.quantity.number, value.quantity.unit) == (number, unit)


DATES = [
    ("12月中旬", Span(None, 12, 20)),
    ("1月上旬前", Span(None, 1, 10)),
    ("1月至2025年3月", Span(2025, 3, None)),  # the year only in the second half
    ("2024年1月至2025年3月", Span(2025, 3, None)),
    ("截至年底", Span(None, 12, None)),  # prefixed deadlines without digits
    ("于年内", Span(None, 12, None)),
    ("年底前", Span(None, 12, None)),
    ("十二月底前", Span(None, 12, None)),
    ("2025-02-28", Span(2025, 2, 28)),
]


@pytest.mark.parametrize(("text", "span"), DATES)
def test_date_edges(text: str, span: Span) -> None:
    value = read_value(text)
    assert (value.kind, value.span) == (ValueKind.DATE, span)


@pytest.mark.parametrize(
    ("target", "actual", "common"),
    [
        (Quantity(D(1), "公里"), Quantity(D(500), "米"), (D(1000), D(500), "米")),
        (Quantity(D(1), "公顷"), Quantity(D(5000), "m²"), (D(10000), D(5000), "m²")),
        (Quantity(D(1), "吨"), Quantity(D(500), "千克"), (D(1000), D(500), "千克")),
        (Quantity(D(2), "年"), Quantity(D(18), "月"), (D(24), D(18), "月")),
        (Quantity(D(5), "‰"), Quantity(D("0.4"), "%"), (D(5), D(4), "‰")),
        (Quantity(D(3), "人"), Quantity(D(3), "次"), None),
    ],
)
def test_unit_factors(target: Quantity, actual: Quantity, common: tuple[Decimal, Decimal, str] | None) -> None:
    assert to_common(target, actual) == common


@pytest.mark.parametrize(
    ("actual", "limit", "within"),
    [
        (Span(amount=D(3), unit="天"), Span(amount=D(3), unit="天"), True),
        (Span(amount=D(25), unit="小时"), Span(amount=D(1), unit="天"), False),
        (Span(amount=D(1), unit="年"), Span(amount=D(12), unit="月"), True),
        (Span(amount=D(3), unit="天"), Span(amount=D(3), unit="工作日"), None),
        (Span(2025, 3, None), Span(2025, 2, None), False),
        (Span(None, 2, 28), Span(2025, 2, None), True),
        (Span(2024, 12, 31), Span(2025, 1, None), True),
        (Span(None, 3, None), Span(amount=D(3), unit="天"), None),
    ],
)
def test_span_edges(actual: Span, limit: Span, within: bool | None) -> None:
    assert span_within(actual, limit) is within


# ---- validation findings never asserted before -----------------------------------------------------------------


def _form(*rows: Indicator, funds: list[FundLine] | None = None) -> Form:
    return Form(
        kind=FormKind.PROJECT_SELF_EVAL,
        title="测试项目",
        funds=funds if funds is not None else [FundLine("total", D(100), D(100), D(100))],
        exec_weight=D(10),
        indicators=list(rows),
    )


def _messages(form: Form, severity: str) -> list[str]:
    return [f.message for f in check_form(Workbook(forms=[form]), 0, ScoringEngine()) if f.severity == severity]


def test_no_full_year_budget_on_the_total_line_is_an_error() -> None:
    form = _form(funds=[FundLine("total", None, None, D(50))])
    assert "未填写年度资金总额（部门整体支出）的全年预算数" in _messages(form, ERROR)
    assert "未填写年度资金总额（部门整体支出）的全年预算数" in _messages(_form(funds=[]), ERROR)


@pytest.mark.parametrize(
    ("percent", "error"),
    [
        (D(-1), "资金支出计划“6月底”为 -1%，应在 0–100% 之间"),
        (D(101), "资金支出计划“6月底”为 101%，应在 0–100% 之间"),
        (D(0), None),
        (D(100), None),
    ],
)
def test_a_spending_plan_outside_0_to_100(percent: Decimal, error: str | None) -> None:
    form = Form(
        kind=FormKind.DEPT_TARGET,
        title="单位",
        budget=Budget(D(10)),
        overall_target="目标",
        spending_plan=[SpendingStep("3月底", D(0)), SpendingStep("6月底", percent), SpendingStep("12月底", D(101))],
    )
    errors = _messages(form, ERROR)
    range_errors = [e for e in errors if "6月底" in e and "之间" in e]
    assert range_errors == ([error] if error else [])


def test_a_form_with_no_indicators_is_an_error() -> None:
    assert "没有绩效指标" in _messages(_form(), ERROR)


@pytest.mark.parametrize(
    ("band", "score", "error"),
    [
        (Band.PARTLY, "2", "得分 2 不在完成等级“部分达成并具有一定效果”的分数范围内"),  # 50% < 60%
        (Band.PARTLY, "2.4", None),  # exactly 60%
        (Band.PARTLY, "3.2", "得分 3.2 不在完成等级“部分达成并具有一定效果”的分数范围内"),  # 80% is 达成
        (Band.MET, "3.2", None),
        (Band.NOT_MET, "2.4", "得分 2.4 不在完成等级“未达成且效果较差”的分数范围内"),
        (None, "5", "得分 5 超出分值范围（0–4）"),
        (None, "-1", "得分 -1 超出分值范围（0–4）"),
    ],
)
def test_a_score_outside_its_band(band: Band | None, score: str, error: str | None) -> None:
    row = Indicator("产出指标", "数量指标", "a", target="提升", actual="有所改善", weight=D(4), band=band)
    row.score, row.deviation = D(score), "说明"
    errors = [e for e in _messages(_form(row), ERROR) if e.startswith("得分")]
    assert errors == ([error] if error else [])


# ---- the rule-set loader's own checks ------------------------------------------------------------------------


@pytest.fixture
def ruleset_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copy(rules.RULESET_DIR / "central.json", tmp_path / "central.json")
    monkeypatch.setattr(rules, "RULESET_DIR", tmp_path)
    return tmp_path


LOADER = [
    ({"bands": {"met": 80, "partly": 80}}, "分档应满足"),  # partly < met
    ({"bands": {"met": 101, "partly": 60}}, "“bands.met”应为 0 到 100 之间的数"),
    ({"bands": {"met": 80, "partly": 0}}, "分档应满足"),
    ({"bands": {"met": 80}}, "“bands”应为"),
    ({"grades": []}, "“grades”应为等级列表"),
    ({"grades": [{"grade": "优", "min": 90}]}, "最后一档最低分为 0"),
    ({"grades": [{"grade": "优"}]}, "“grades\\[0\\]”应为"),
    ({"decimals": 5}, "“decimals”应为 0 到 4 的整数"),
    ({"decimals": 1.5}, "“decimals”应为 0 到 4 的整数"),
    ({"decimals": -1}, "“decimals”应为 0 到 4 的整数"),
    ({"over_target": 99}, "“over_target”应为 100 到 1000 之间的数"),
    ({"over_target": 1001}, "“over_target”应为 100 到 1000 之间的数"),
    ({"level1_aliases": {"效果指标": ""}}, "“level1_aliases.效果指标”应为文本"),
    ({"level1_aliases": []}, "“level1_aliases”应为对象"),
    ({"rounding": "ROUND_SIDEWAYS"}, "“rounding”应为"),
    ({"grade_dept": "yes"}, "“grade_dept”应为 true 或 false"),
    ({"over_target_lower": "some"}, "“over_target_lower”应为"),
    ({"affirmative": ["达成", " "]}, "“affirmative”应为文本列表"),
    ({"label": ""}, "“label”应为非空文本"),
    ({"weights": {"project": {"exec": 10}, "dept": {"exec": 10, "levels": {}}}}, "weights.dept.levels”不能为空"),
]


@pytest.mark.parametrize(("change", "message"), LOADER)
def test_a_bad_rule_set_never_loads_quietly(ruleset_dir: Path, change: dict[str, Any], message: str) -> None:
    data = json.loads((ruleset_dir / "central.json").read_text(encoding="utf-8"))
    data.update(change, name="bad")
    (ruleset_dir / "bad.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(UserError, match=message):
        load_ruleset("bad")


@pytest.mark.parametrize(
    ("change", "check"),
    [
        ({"bands": {"met": 100, "partly": 99}}, lambda r: (r.band_met, r.band_partly) == (1, D("0.99"))),
        ({"over_target": 100}, lambda r: r.over_target == 1),
        ({"over_target": 1000}, lambda r: r.over_target == 10),
        ({"decimals": 0}, lambda r: r.round(D("2.5")) == 3),
        ({"decimals": 4}, lambda r: r.round(D("0.12345")) == D("0.1235")),
    ],
)
def test_rule_set_bounds_that_load(ruleset_dir: Path, change: dict[str, Any], check: Any) -> None:
    data = json.loads((ruleset_dir / "central.json").read_text(encoding="utf-8"))
    if "bands" in change:
        data["band_scores"] = {"met": 100, "partly": 99, "not_met": 30}
    data.update(change, name="edge")
    (ruleset_dir / "edge.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert check(load_ruleset("edge"))


# ---- every comparison word means what it says ----------------------------------------------------------------

_MEANINGS = {
    "≥": "≥ ≥= >= => 大于等于 大于或等于 不小于 不低于 不少于 至少 最少 最低 达到 达 达至 提高到 提高至 提升到 提升至 "
    "增加到 增加至 增长到 增长至 增至 不得低于 不应低于 不能低于 不可少于 不宜低于 不会低于 没有低于 勿低于",
    ">": "> 高于 大于 超过 多于",
    "≤": "≤ ≤= <= =< 小于等于 小于或等于 不大于 不高于 不超过 不超出 不多于 至多 最多 最高 控制在 控制到 控制于 降低到 "
    "降低至 下降到 下降至 降至 压缩到 压缩至 减少到 减少至 未超过 不得超过 不应高于 没超过",
    "<": "< 低于 小于 少于 不足",
    "=": "= == 等于",
    "": "约 约为 大约 为",
}
WORDS = [(word, symbol) for symbol, words in _MEANINGS.items() for word in words.split()]


@pytest.mark.parametrize(("word", "symbol"), WORDS)
def test_every_comparison_word(word: str, symbol: str) -> None:
    value = read_value(f"{word}90%")
    assert value.operator == symbol and value.strict == (symbol in "<>" and symbol != "")
    assert value.quantity == Quantity(D(90), "%")


@pytest.mark.parametrize(
    ("text", "kind", "shown"),
    [
        ("≤5个工作日内", ValueKind.DURATION, "5个工作日内"),  # ≤ and 内 agree
        ("≥5天内", ValueKind.QUALITATIVE, "≥5天内"),  # ≥ and 内 contradict
        ("≥5%以下", ValueKind.QUALITATIVE, "≥5%以下"),
        ("100人以上", ValueKind.QUANTITY, "≥100人"),
        ("约100人以上", ValueKind.QUANTITY, "≥100人"),
        ("2025-03-01开展检查", ValueKind.QUALITATIVE, "2025-03-01开展检查"),  # a date in a sentence
        ("2025年3月底前开展检查", ValueKind.DATE, "2025年3月底前"),  # a limited date may go on
        ("一万五千人", ValueKind.QUANTITY, "15000人"),
        ("十万零五人", ValueKind.QUANTITY, "100005人"),
        ("2千元", ValueKind.QUANTITY, "2千元"),
    ],
)
def test_suffixes_and_numerals(text: str, kind: ValueKind, shown: str) -> None:
    from desktop.models.scoring.values import format_value

    value = read_value(text)
    assert (value.kind, format_value(value)) == (kind, shown)


def test_thousand_yuan_converts() -> None:
    assert to_common(Quantity(D(2), "千元"), Quantity(D(2000), "元")) == (D(2000), D(2000), "元")
    assert to_common(Quantity(D(1), "亿元"), Quantity(D(9000), "万元")) == (D(10000), D(9000), "万元")


@pytest.mark.parametrize(
    "weights",
    [
        {"project": {"exec": 10, "levels": {}, "extra": 1}, "dept": {"exec": 10, "levels": {"部门管理": 90}}},
        {"project": {"levels": {"产出指标": 100}}, "dept": {"exec": 10, "levels": {"部门管理": 90}}},
        {"project": [], "dept": {"exec": 10, "levels": {"部门管理": 90}}},
        {"project": {"exec": 10, "levels": []}, "dept": {"exec": 10, "levels": {"部门管理": 90}}},
    ],
)
def test_a_malformed_weight_scheme_is_named(ruleset_dir: Path, weights: dict[str, Any]) -> None:
    data = json.loads((ruleset_dir / "central.json").read_text(encoding="utf-8"))
    data.update(weights=weights, name="bad")
    (ruleset_dir / "bad.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(UserError, match="weights.project"):
        load_ruleset("bad")


@pytest.mark.parametrize(
    ("target", "actual", "explain"),
    [
        ("=100%", "95%", "实际95%，指标值=100%，完成95%，得3.8分"),
        ("=100%", "120%", "实际120%，指标值=100%，超出20%，得3.2分"),
        ("≥40次", "30次", "实际30次，指标值≥40次，完成75%，得3分"),
        ("≤40次", "50次", "实际50次，指标值≤40次，超出25%，得3分"),
        ("95%-100%", "90%", "实际90%，指标值95–100%，完成下限的94.7%，得3.79分"),
    ],
)
def test_explanations_of_a_missed_target(target: str, actual: str, explain: str) -> None:
    assert judge(target, actual).explain == explain


def test_one_bare_target_is_named_on_its_row_many_in_one_finding() -> None:
    from desktop.models.scoring.target_quality import NO_OPERATOR

    def target_form(*targets: str) -> Form:
        rows = [Indicator("产出指标", "数量指标", f"指标{i}", target=t) for i, t in enumerate(targets)]
        return Form(kind=FormKind.PROJECT_TARGET, title="项目", budget=Budget(D(10)), indicators=rows)

    one = check_form(Workbook(forms=[target_form("≥5次", "30次")]), 0, ScoringEngine())
    assert [(f.indicator_index, f.message) for f in one if NO_OPERATOR in f.message] == [(1, NO_OPERATOR)]
    two = check_form(Workbook(forms=[target_form("20次", "30次")]), 0, ScoringEngine())
    assert [(f.indicator_index, f.message) for f in two if NO_OPERATOR in f.message] == [
        (None, f"第1、2行（2项）{NO_OPERATOR}")
    ]


# ---- budget execution review and the engine's invalidation --------------------------------------------------


@pytest.mark.parametrize(
    ("executed", "manual", "reason", "flags"),
    [
        ("50", None, None, {"needs_reason"}),  # 5 of 10 with no reason
        ("50", None, "资金拨付滞后", set()),
        ("100", None, None, set()),  # full marks need no reason
        ("50", "10", None, {"manual_differs", "manual_no_reason"}),  # effective 10: no deduction to explain
        ("50", "10", "按进度执行", {"manual_differs"}),
        ("100", "8", None, {"manual_differs", "manual_no_reason", "needs_reason"}),
        ("100", "11", "说明", {"manual_out_of_band", "manual_differs"}),
    ],
)
def test_budget_execution_flags(executed: str, manual: str | None, reason: str | None, flags: set[str]) -> None:
    form = _form(funds=[FundLine("total", D(100), D(100), D(executed))])
    form.exec_score = D(manual) if manual is not None else None
    form.deviation = reason
    assert set(ScoringEngine().score_form(form).exec_flags) == flags


def test_a_workbook_edit_other_than_its_rule_set_invalidates_nothing() -> None:
    from desktop.models.workbook.document import WorkbookDocument

    form = _form(Indicator("产出指标", "数量指标", "a", target="≥1次", actual="1次", weight=D(90)))
    document = WorkbookDocument(Workbook(forms=[form]))
    engine = ScoringEngine()
    engine.attach(document)
    told: list[object] = []
    engine.subscribe(told.append)
    first = engine.score_form(form)
    document.set_fields(document.workbook, year=2026)
    assert told == [] and engine.score_form(form) is first
    document.set_fields(document.workbook, ruleset="hubei")
    assert told == [None] and engine.ruleset.name == "hubei"


def test_execution_at_exactly_the_budget_has_no_over_budget_note() -> None:
    at = ScoringEngine().score_form(_form(funds=[FundLine("total", D(100), D(100), D(100))]))
    assert at.exec_explain == "执行率100%（100/100），10分×执行率，得10分"
    over = ScoringEngine().score_form(_form(funds=[FundLine("total", D(100), D(100), D("100.5"))]))
    assert over.exec_explain.endswith("（执行数超过预算数，得分以分值为限）")


@pytest.mark.parametrize(("kind", "warned"), [(FormKind.PROJECT_TARGET, True), (FormKind.DEPT_TARGET, False)])
def test_only_a_project_target_table_needs_a_budget(kind: FormKind, warned: bool) -> None:
    form = Form(kind=kind, title="表", overall_target="目标")
    assert ("未填写预算数" in _messages(form, WARNING)) == warned


@pytest.mark.parametrize(("second", "falls"), [(D(50), False), (D("49.9"), True)])
def test_a_spending_plan_may_stay_level_but_not_fall(second: Decimal, falls: bool) -> None:
    plan = [SpendingStep("6月底", D(50)), SpendingStep("9月底", second), SpendingStep("12月底", D(100))]
    form = Form(
        kind=FormKind.DEPT_TARGET, title="单位", budget=Budget(D(10)), overall_target="目标", spending_plan=plan
    )
    assert any("不应下降" in m for m in _messages(form, ERROR)) == falls


def test_single_character_numerals_and_deadlines_after_a_preposition() -> None:
    ten = read_value("十次").quantity
    assert ten is not None and ten.number == 10
    for text in ("到12月底", "至12月底", "于12月底前"):
        value = read_value(text)
        assert (value.kind, value.span) == (ValueKind.DATE, Span(None, 12, None)), text


def test_a_mismatch_names_both_units_and_a_zero_weight_needs_no_band_check() -> None:
    assert "指标值单位“人”与实际完成值单位“次”不一致" in judge("≥10人", "12次").explain
    zero = judge("提升", "有所改善", weight="0", band=Band.PARTLY, score=D(0))
    assert zero.suggested == 0 and "manual_out_of_band" not in zero.flags


def test_a_manual_score_of_zero_is_inside_its_range() -> None:
    row = Indicator(
        "产出指标", "数量指标", "a", target="≥10次", actual="0次", weight=D(4), score=D(0), deviation="未开展"
    )
    assert not [m for m in _messages(_form(row), ERROR) if m.startswith("得分")]
