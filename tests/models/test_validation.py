"""Review before submission: each check of forms.md §5 and the table arithmetic, and the samples."""

from __future__ import annotations

from decimal import Decimal

import pytest

from desktop.models.scoring.engine import ScoringEngine
from desktop.models.scoring.validation import ERROR, WARNING, Finding, check_form, check_workbook, describe_finding
from desktop.models.workbook.domain import (
    Budget,
    Form,
    FormKind,
    FundLine,
    Goal,
    Indicator,
    SpendingStep,
    Unit,
    Workbook,
)
from tests.helpers.fixtures import load_sample

D = Decimal


def row(
    level1: str,
    level2: str,
    target: str | None = "≥1次",
    actual: str | None = "1次",
    weight: str | None = "10",
    *,
    score: str | None = None,
    deviation: str | None = None,
    name: str = "指标",
    goal: int | None = None,
) -> Indicator:
    return Indicator(
        level1=level1,
        level2=level2,
        name=name,
        target=target,
        actual=actual,
        weight=D(weight) if weight is not None else None,
        score=D(score) if score is not None else None,
        deviation=deviation,
        goal=goal,
    )


def good_indicators() -> list[Indicator]:
    """A complete, consistent project self-evaluation table: 90 points of indicators."""
    return [
        row("产出指标", "数量指标", "≥30次", "32次", "20", name="培训次数"),
        row("产出指标", "质量指标", "≥95%", "98%", "10", name="合格率"),
        row("产出指标", "时效指标", "12月底前", "12月底", "10", name="完成时间"),
        row("产出指标", "成本指标", "≤100万元", "95万元", "10", name="成本"),
        row("效益指标", "社会效益指标", "≥90%", "92%", "30", name="覆盖率"),
        row("满意度指标", "服务对象满意度指标", "≥90%", "95%", "10", name="满意度"),
    ]


def good_form() -> Form:
    return Form(
        kind=FormKind.PROJECT_SELF_EVAL,
        title="测试项目",
        funds=[
            FundLine("total", D(100), D(120), D(120)),
            FundLine("fiscal", D(100), D(110), D(110)),
            FundLine("carryover", None, D(10), D(10)),
            FundLine("other"),
        ],
        exec_weight=D(10),
        indicators=good_indicators(),
    )


def findings(form: Form, engine: ScoringEngine | None = None) -> list[Finding]:
    workbook = Workbook(unit=Unit("319101", "测试单位"), year=2025, forms=[form])
    return check_form(workbook, 0, engine or ScoringEngine())


def messages(items: list[Finding], severity: str | None = None) -> list[str]:
    return [f.message for f in items if severity is None or f.severity == severity]


def test_a_complete_consistent_form_has_no_findings() -> None:
    assert findings(good_form()) == []


def test_required_fields() -> None:
    form = good_form()
    form.title = " "
    form.indicators[0].name = ""
    form.indicators[1].actual = None
    form.indicators[2].weight = None
    form.indicators[3].target = ""
    errors = findings(form)
    assert {(f.message, f.indicator_index, f.field) for f in errors if f.severity == ERROR} >= {
        ("未填写项目名称", None, "title"),
        ("未填写三级指标名称", 0, "name"),
        ("未填写实际完成值", 1, "actual"),
        ("未填写分值", 2, "weight"),
        ("未填写指标值", 3, "target"),
    }


def test_first_levels_and_output_coverage() -> None:
    form = good_form()
    form.indicators = [
        i for i in form.indicators if i.level2 not in ("时效指标", "成本指标") and i.level1 != "满意度指标"
    ]
    found = findings(form)
    assert "至少应有一个“满意度指标”下的指标" in messages(found, ERROR)
    assert {"产出指标未涵盖“时效指标”", "产出指标未涵盖“成本指标”"} <= set(messages(found, WARNING))


def test_unlisted_levels_and_unquantified_targets_are_warnings() -> None:
    form = good_form()
    form.indicators[0].level2 = "服务指标"
    form.indicators[1].target = "优"
    form.indicators[1].actual = "优"
    form.indicators[4].level1 = "影响指标"
    found = [(f.severity, f.indicator_index, f.field, f.message) for f in findings(form)]
    assert found == [
        (ERROR, None, "indicators", "至少应有一个“效益指标”下的指标"),
        (WARNING, None, "indicators", "产出指标未涵盖“数量指标”"),
        (
            WARNING,
            0,
            "level2",
            "二级指标“服务指标”不是“产出指标”的标准二级指标（数量指标、质量指标、时效指标、成本指标）",
        ),
        (WARNING, 1, "target", "指标值“优”未量化，产出指标宜填写可衡量的数值或时限"),
        (WARNING, 4, "level1", "一级指标“影响指标”不在标准指标体系中"),
        (WARNING, None, "weight", "一级指标“效益指标”分值合计 0，“中央通用规则（默认）”规定为 30"),
    ]


def test_alias_first_levels_are_standard() -> None:
    form = good_form()
    form.indicators[4].level1 = "效果指标"
    form.indicators[4].level2 = "可持续性影响"
    assert findings(form) == []


def test_fund_table_arithmetic() -> None:
    form = good_form()
    assert form.funds is not None
    form.funds[1].executed = D(100)  # 100 + 10 ≠ 120
    found = findings(form)
    assert messages(found, ERROR) == ["全年执行数：当年财政拨款 + 上年结转资金 + 其他资金 = 110，与合计 120 不符"]


def test_dept_fund_table_adds_basic_and_project() -> None:
    form = good_form()
    form.kind = FormKind.DEPT_SELF_EVAL
    form.title = "某单位"
    form.funds = [
        FundLine("total", D("361.95"), D("494.39"), D(490)),
        FundLine("basic", D("116.95"), D("150.85"), D(150)),
        FundLine("project", D(245), D("343.54"), D(330)),
    ]
    found = findings(form)
    assert messages(found, ERROR) == ["全年执行数：基本支出 + 项目支出 = 480，与合计 490 不符"]


def test_execution_beyond_the_budget_needs_a_reason() -> None:
    form = good_form()
    assert form.funds is not None
    form.funds[0].executed = D(125)
    form.funds[1].executed = D(115)
    assert "年度资金总额的全年执行数 125 超过全年预算数 120，请在偏差原因中说明" in messages(findings(form))
    form.deviation = "年中追加的项目提前执行"
    assert not [m for m in messages(findings(form)) if "超过全年预算数" in m]


def test_missing_execution_and_a_manual_exec_score() -> None:
    form = good_form()
    assert form.funds is not None
    form.funds[0].executed = None
    form.funds[1].executed = form.funds[2].executed = None
    form.exec_score = D(10)
    assert messages(findings(form)) == ["未填写全年执行数，无法计算预算执行率，填报的预算执行率得分无法核对"]
    form.funds[0].executed = D(60)
    form.funds[1].executed = D(50)
    form.funds[2].executed = D(10)
    assert "填报的预算执行率得分 10 与按执行率计算的 5 不符" in messages(findings(form), WARNING)
    assert "预算执行率得分 10 低于分值 10，请在偏差原因中说明" not in messages(findings(form))
    form.exec_score = None
    assert "预算执行率得分 5 低于分值 10，请在偏差原因中说明" in messages(findings(form), WARNING)
    form.deviation = "部分合同年底未到付款节点"
    assert not [m for m in messages(findings(form)) if "预算执行率得分" in m]
    form.exec_score = D(11)
    assert "预算执行率得分 11 超出分值 10" in messages(findings(form), ERROR)


def test_weights_must_total_100_and_levels_follow_the_rule_set() -> None:
    form = good_form()
    form.indicators[4].weight = D(25)
    found = findings(form)
    assert messages(found, ERROR) == ["预算执行率分值与各指标分值合计为 95，应为 100（总分与各部分不符）"]
    assert "一级指标“效益指标”分值合计 25，“中央通用规则（默认）”规定为 30" in messages(found, WARNING)
    form.exec_weight = D(15)
    assert "预算执行率分值为 15，“中央通用规则（默认）”规定为 10" in messages(findings(form), WARNING)


def test_scores_below_weight_need_a_reason_and_manual_scores_out_of_range_are_errors() -> None:
    form = good_form()
    form.indicators[1].actual = "90%"  # 90/95 × 10 = 9.47
    form.indicators[0].score = D(25)
    form.indicators[4].score = D(20)
    found = findings(form)
    assert [(f.severity, f.indicator_index, f.message) for f in found if f.indicator_index is not None] == [
        ("error", 0, "得分 25 超出分值范围（0–20）"),
        ("warning", 0, "填报得分 25 与建议得分 20 不同，请在偏差原因中说明"),
        ("warning", 1, "得分低于分值，请在偏差原因中说明"),
        ("warning", 4, "填报得分 20 与建议得分 30 不同，请在偏差原因中说明"),
    ]
    form.indicators[1].deviation = "部分批次返工"
    form.indicators[4].deviation = "覆盖面统计口径调整"
    assert [f.indicator_index for f in findings(form) if f.indicator_index is not None] == [0, 0]


def test_qualitative_rows_need_a_band_and_large_deviations_a_reason() -> None:
    form = good_form()
    form.indicators[4].target = "显著提升"
    form.indicators[4].actual = "有所提升"
    form.indicators[0].actual = "60次"
    found = [(f.indicator_index, f.field, f.message) for f in findings(form)]
    assert (0, "deviation", "实际完成值大幅偏离指标值，请在偏差原因中说明") in found
    assert (4, "band", "无法自动判断完成情况，请选择完成等级（达成80%–100%、部分达成60%–80%、未达成60%以下）") in found


def test_cost_caps_within_the_budget() -> None:
    form = good_form()
    form.indicators[3].target = "≤130万元"
    form.indicators[3].actual = "110万元"
    assert messages(findings(form)) == ["成本指标值“≤130万元”超过预算（120万元）"]
    target = Form(
        kind=FormKind.PROJECT_TARGET,
        title="目标",
        overall_target="完成",
        budget=Budget(D(13), D(13)),
        indicators=[
            *[row(i.level1, i.level2, i.target, None, None, name=i.name) for i in good_indicators()],
        ],
    )
    target.indicators[3].target = "≤130000元"  # 13 万元: within
    assert findings(target) == []
    target.indicators[3].target = "≤14"  # a bare number in a 万元 table
    assert messages(findings(target)) == ["成本指标值“≤14”超过预算（13万元）"]


def test_target_budget_and_spending_plan() -> None:
    form = Form(
        kind=FormKind.DEPT_TARGET,
        title="项目",
        overall_target="目标",
        budget=Budget(D(100), D(80), D(10)),
        spending_plan=[SpendingStep("3月底", D(10)), SpendingStep("6月底", D(50)), SpendingStep("10月底", D(40))],
        indicators=[row(i.level1, i.level2, i.target, None, None, name=i.name) for i in good_indicators()],
    )
    assert messages(findings(form), ERROR) == [
        "财政资金 + 其他资金 = 90，与预算数 100 不符",
        "资金支出计划是累计进度，不应下降：“10月底”40% 低于上一期 50%",
        "资金支出计划最后一期（10月底）应达到 100%，现为 40%",
    ]


def test_goal_references() -> None:
    form = good_form()
    form.kind = FormKind.DEPT_SELF_EVAL
    form.title = "某单位"
    form.funds = [FundLine("total", D(100), D(120), D(120))]
    form.goals = [Goal(1, "目标一", "完成")]
    form.indicators[0].goal = 1
    form.indicators[1].goal = 2
    found = findings(form)
    assert [(f.goal_no, f.indicator_index, f.message) for f in found] == [(2, 1, "所属绩效目标2不存在")]


def test_a_stated_total_or_grade_that_differs() -> None:
    form = good_form()
    form.conclusion = "本项目自评总分为95分，本次自评等级为良。"
    assert messages(findings(form)) == [
        "文字中写明总分 95 分，按各项得分合计为 100 分",
        "自评结论写明等级为“良”，按总分 100 应为“优”",
    ]
    form.conclusion = "本项目自评得分100分，自评等级为优。"
    assert findings(form) == []


def test_finding_location_text() -> None:
    form = good_form()
    form.indicators[0].name = "培训次数"
    form.indicators[0].level2 = "服务指标"
    (finding,) = [f for f in findings(form) if f.indicator_index is not None]
    assert finding.where == "表1“测试项目” 第1行“培训次数”"
    assert finding.text.startswith("表1“测试项目” 第1行“培训次数”：二级指标“服务指标”")


def test_workbook_header() -> None:
    workbook = Workbook(forms=[good_form()])
    found = check_workbook(workbook, ScoringEngine())
    assert messages(found) == ["未填写单位名称", "未填写年度"]
    assert describe_finding(workbook, found[1]) == "[警告] 工作簿：未填写年度"


def test_describe_finding_for_the_command_line() -> None:
    form = good_form()
    form.indicators[0].score = D(30)
    workbook = Workbook(unit=Unit("319101", "测试单位"), year=2025, forms=[form])
    lines = [describe_finding(workbook, f) for f in check_workbook(workbook, ScoringEngine())]
    assert lines[0] == "[错误] 表1“测试项目” 第1行“培训次数”：得分 30 超出分值范围（0–20）"


# ---- the samples ------------------------------------------------------------------------------


def test_wuwei_totals_that_do_not_match_and_weights_short_of_100(wuwei: Workbook) -> None:
    found = check_workbook(wuwei, ScoringEngine())
    dept = [(f.severity, f.message) for f in found if f.form_index == 0 and f.indicator_index is None]
    assert dept == [
        (WARNING, "未填写全年执行数，无法计算预算执行率，填报的预算执行率得分无法核对"),
        (ERROR, "预算执行率分值与各指标分值合计为 95，应为 100（总分与各部分不符）"),
        (WARNING, "一级指标“履职效果”分值合计 45，“中央通用规则（默认）”规定为 50"),
    ]
    # The published score of 群众来电咨询接听率 (dept row 12) differs from 87% × 5 with no reason.
    assert (WARNING, 0, 11, "填报得分 4 与建议得分 4.35 不同，请在偏差原因中说明") in [
        (f.severity, f.form_index, f.indicator_index, f.message) for f in found
    ]
    # The project tables' weights are right: their only errors would be elsewhere.
    assert [f for f in found if f.severity == ERROR and f.form_index != 0] == []


def test_tangshan_spending_plan_that_falls() -> None:
    workbook = load_sample("tangshan-xzsp-targets.json")
    errors = [f for f in check_workbook(workbook, ScoringEngine()) if f.severity == ERROR]
    assert [(f.form_index, f.field) for f in errors] == [(4, "spending_plan"), (4, "spending_plan")]
    assert "“12月底”25% 低于上一期 75%" in errors[0].message


@pytest.mark.parametrize("name", ["tianjin-zwfw-2025-targets.json", "tianjin-bgt-2025-targets.json"])
def test_tianjin_target_tables_have_no_errors(name: str) -> None:
    found = check_workbook(load_sample(name), ScoringEngine())
    assert [f for f in found if f.severity == ERROR] == []
    # What remains are questions about the targets themselves (target quality), never about the tables.
    quality = ("未量化", "比较符号", "计量单位", "是满意度指标", "无法读出数值")
    assert all(any(words in f.message for words in quality) for f in found), [f.text for f in found]
