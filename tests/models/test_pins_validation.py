"""Every finding of the review (审核) pinned whole: small forms → the exact list of findings (issue 21).

Each table row is one form built to trip a check at its boundary (or to stay just inside it), and
the expected value is the complete list of findings — severity, field and the text with its
location — so a check that stops checking, fires one step too early, names the wrong row or
says the wrong number fails here.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from desktop.models.scoring.engine import ScoringEngine
from desktop.models.scoring.validation import Finding, check_form, check_workbook, describe_finding
from desktop.models.workbook.domain import (
    Band,
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

D = Decimal
E, W = "error", "warning"


def ind(
    level1: str = "产出指标",
    level2: str = "数量指标",
    name: str = "指标",
    target: str | None = "≥10次",
    actual: str | None = "10次",
    weight: str | None = "10",
    **more: object,
) -> Indicator:
    w = D(weight) if weight is not None else None
    return Indicator(level1, level2, name, target=target, actual=actual, weight=w, **more)  # type: ignore[arg-type]


def full_rows(*extra: Indicator) -> list[Indicator]:
    """A clean project self-evaluation: 50 + 30 + 10 points, every output second level present."""
    return [
        ind(level2="数量指标", name="次数", weight="20"),
        ind(level2="质量指标", name="合格率", target="≥90%", actual="95%", weight="10"),
        ind(level2="时效指标", name="完成时间", target="12月底前", actual="12月底", weight="10"),
        ind(level2="成本指标", name="成本", target="≤100万元", actual="90万元", weight="10"),
        ind("效益指标", "社会效益指标", "覆盖率", "≥90%", "95%", "30"),
        ind("满意度指标", "服务对象满意度指标", "满意度", "≥90%", "95%", "10"),
        *extra,
    ]


def self_eval(*, funds: list[FundLine] | None = None, rows: list[Indicator] | None = None, **more: object) -> Form:
    return Form(
        kind=more.pop("kind", FormKind.PROJECT_SELF_EVAL),  # type: ignore[arg-type]
        title=more.pop("title", "项目"),  # type: ignore[arg-type]
        funds=funds if funds is not None else [FundLine("total", D(100), D(100), D(100))],
        indicators=rows if rows is not None else full_rows(),
        **more,  # type: ignore[arg-type]
    )


def target(**more: object) -> Form:
    more.setdefault("kind", FormKind.PROJECT_TARGET)
    more.setdefault("title", "项目")
    more.setdefault("budget", Budget(D(100)))
    more.setdefault("overall_target", "目标")
    more.setdefault("indicators", [r for r in full_rows()])
    for r in more["indicators"]:  # type: ignore[attr-defined]
        r.actual = r.weight = None
    return Form(**more)  # type: ignore[arg-type]


def review(form: Form, engine: ScoringEngine | None = None) -> list[str]:
    workbook = Workbook(unit=Unit("1", "单位"), year=2025, forms=[form])
    return [f"{f.severity} {f.field} {f.text}" for f in check_form(workbook, 0, engine or ScoringEngine())]


UNREADABLE = "无法自动判断完成情况，请选择完成等级（达成80%–100%、部分达成60%–80%、未达成60%以下）"
OUTPUT_LEVELS = "（数量指标、质量指标、时效指标、成本指标）"


def goal_rows() -> list[Indicator]:
    rows = full_rows()
    rows[0].goal = 1
    rows[1].goal = 3
    return rows


# name → (the form, its complete list of findings: "severity field location：message")
CASES: dict[str, tuple[Callable[[], Form], list[str]]] = {
    "clean": (
        lambda: self_eval(),
        [],
    ),
    "no_title_project": (
        lambda: self_eval(title=" "),
        [
            "error title 表1“ ”：未填写项目名称",
        ],
    ),
    "no_title_dept_target": (
        lambda: target(kind=FormKind.DEPT_TARGET, title=""),
        [
            "error title 表1“部门（单位）整体支出绩效目标表”：未填写单位名称",
        ],
    ),
    "no_title_dept_self": (
        lambda: self_eval(kind=FormKind.DEPT_SELF_EVAL, title=""),
        [
            "error title 表1“部门（单位）整体支出绩效自评表”：未填写单位名称",
        ],
    ),
    "no_total_line": (
        lambda: self_eval(funds=[]),
        [
            "error funds 表1“项目”：未填写年度资金总额（部门整体支出）的全年预算数",
        ],
    ),
    "initial_only": (
        lambda: self_eval(funds=[FundLine("total", D(100), None, D(100))]),
        [
            "error funds 表1“项目”：未填写年度资金总额（部门整体支出）的全年预算数（预算执行率暂按年初预算数计算）",
        ],
    ),
    "no_executed": (
        lambda: self_eval(funds=[FundLine("total", D(100), D(100), None)]),
        [
            "warning funds 表1“项目”：未填写全年执行数，无法计算预算执行率",
        ],
    ),
    "no_executed_manual": (
        lambda: self_eval(funds=[FundLine("total", D(100), D(100), None)], exec_score=D(10), deviation="说明"),
        [
            "warning funds 表1“项目”：未填写全年执行数，无法计算预算执行率，填报的预算执行率得分无法核对",
        ],
    ),
    "columns": (
        lambda: self_eval(
            funds=[
                FundLine("total", D(100), D(120), D(110)),
                FundLine("fiscal", D(100), D(100), D(100)),
                FundLine("carryover", None, D(10), None),
                FundLine("other"),
            ]
        ),
        [
            "error funds 表1“项目”：全年预算数：当年财政拨款 + 上年结转资金 + 其他资金 = 110，与合计 120 不符",
            "error funds 表1“项目”：全年执行数：当年财政拨款 + 上年结转资金 + 其他资金 = 100，与合计 110 不符",
            "warning deviation 表1“项目”：预算执行率得分 9.17 低于分值 10，请在偏差原因中说明",
        ],
    ),
    "columns_whole_missing": (
        lambda: self_eval(funds=[FundLine("total", None, D(100), D(100)), FundLine("fiscal", D(90), D(100), D(100))]),
        [
            "error funds 表1“项目”：年初预算数：当年财政拨款 + 上年结转资金 + 其他资金 = 90，与合计 未填写 不符",
        ],
    ),
    "dept_columns": (
        lambda: self_eval(
            kind=FormKind.DEPT_SELF_EVAL,
            title="单位",
            funds=[
                FundLine("total", D(100), D(100), D(100)),
                FundLine("basic", D(60), D(60), D(60)),
                FundLine("project", D(40), D(30), D(40)),
                FundLine("fiscal", D(1), D(1), D(1)),
            ],
        ),
        [
            "error funds 表1“单位”：全年预算数：基本支出 + 项目支出 = 90，与合计 100 不符",
            "warning funds 表1“单位”：项目支出的全年执行数 40 超过全年预算数 30，请在偏差原因中说明",
        ],
    ),
    "over_budget_line": (
        lambda: self_eval(
            funds=[FundLine("total", D(100), D(100), D("100.01")), FundLine("fiscal", D(100), D(100), D(100))],
            exec_score=D(10),
        ),
        [
            "error funds 表1“项目”：全年执行数：当年财政拨款 + 上年结转资金 + 其他资金 = 100，与合计 100.01 不符",
            "warning funds 表1“项目”：年度资金总额的全年执行数 100.01 超过全年预算数 100，请在偏差原因中说明",
        ],
    ),
    "over_budget_explained": (
        lambda: self_eval(funds=[FundLine("total", D(100), D(100), D("100.01"))], deviation="追加"),
        [],
    ),
    "dept_over_budget": (
        lambda: self_eval(
            kind=FormKind.DEPT_SELF_EVAL,
            title="单位",
            funds=[FundLine("total", D(100), D(100), D(101)), FundLine("basic", D(100), D(100), D(101))],
            exec_score=D(10),
        ),
        [
            "warning funds 表1“单位”：部门整体支出的全年执行数 101 超过全年预算数 100，请在偏差原因中说明",
            "warning funds 表1“单位”：基本支出的全年执行数 101 超过全年预算数 100，请在偏差原因中说明",
        ],
    ),
    "exec_weight_differs": (
        lambda: self_eval(exec_weight=D(20), rows=full_rows()[:-1]),
        [
            "warning exec_weight 表1“项目”：预算执行率分值为 20，“中央通用规则（默认）”规定为 10",
            "error indicators 表1“项目”：至少应有一个“满意度指标”下的指标",
            "warning weight 表1“项目”：一级指标“满意度指标”分值合计 0，“中央通用规则（默认）”规定为 10",
        ],
    ),
    "exec_weight_same": (
        lambda: self_eval(exec_weight=D(10)),
        [],
    ),
    "exec_score_minus": (
        lambda: self_eval(exec_score=D("-0.01"), deviation="说明"),
        [
            "error exec_score 表1“项目”：预算执行率得分 -0.01 超出分值 10",
        ],
    ),
    "exec_score_zero": (
        lambda: self_eval(exec_score=D(0), deviation="说明"),
        [
            "warning exec_score 表1“项目”：填报的预算执行率得分 0 与按执行率计算的 10 不符",
        ],
    ),
    "exec_score_full": (
        lambda: self_eval(exec_score=D(10)),
        [],
    ),
    "exec_score_over": (
        lambda: self_eval(exec_score=D("10.01"), deviation="说明"),
        [
            "error exec_score 表1“项目”：预算执行率得分 10.01 超出分值 10",
        ],
    ),
    "exec_score_differs": (
        lambda: self_eval(funds=[FundLine("total", D(100), D(100), D(90))], exec_score=D(8), deviation="说明"),
        [
            "warning exec_score 表1“项目”：填报的预算执行率得分 8 与按执行率计算的 9 不符",
        ],
    ),
    "exec_needs_reason": (
        lambda: self_eval(funds=[FundLine("total", D(100), D(100), D(90))]),
        [
            "warning deviation 表1“项目”：预算执行率得分 9 低于分值 10，请在偏差原因中说明",
        ],
    ),
    "target_clean": (
        lambda: target(),
        [],
    ),
    "target_no_budget": (
        lambda: target(budget=None),
        [
            "warning budget 表1“项目”：未填写预算数",
        ],
    ),
    "target_budget_no_amount": (
        lambda: target(budget=Budget(None, D(1))),
        [
            "warning budget 表1“项目”：未填写预算数",
        ],
    ),
    "target_budget_parts": (
        lambda: target(budget=Budget(D(100), D(60), D(30))),
        [
            "error budget 表1“项目”：财政资金 + 其他资金 = 90，与预算数 100 不符",
        ],
    ),
    "target_budget_fiscal_only": (
        lambda: target(budget=Budget(D(100), D(100))),
        [],
    ),
    "target_budget_fiscal_short": (
        lambda: target(budget=Budget(D(100), D(90))),
        ["error budget 表1“项目”：财政资金 + 其他资金 = 90，与预算数 100 不符"],
    ),
    "target_budget_other_only": (
        lambda: target(budget=Budget(D(100), None, D(90))),
        [
            "error budget 表1“项目”：财政资金 + 其他资金 = 90，与预算数 100 不符",
        ],
    ),
    "target_no_goal_text": (
        lambda: target(overall_target=" "),
        [
            "warning overall_target 表1“项目”：未填写绩效目标",
        ],
    ),
    "target_goals_instead": (
        lambda: target(overall_target=None, goals=[Goal(1, "目标")]),
        [],
    ),
    "plan": (
        lambda: target(
            spending_plan=[
                SpendingStep("3月底", None),
                SpendingStep("6月底", D("-0.01")),
                SpendingStep("9月底", D(0)),
                SpendingStep("10月底", D("100.01")),
                SpendingStep("11月底", D(100)),
                SpendingStep("12月底", D("99.99")),
            ]
        ),
        [
            "error spending_plan 表1“项目”：资金支出计划“3月底”未填写百分比",
            "error spending_plan 表1“项目”：资金支出计划“6月底”为 -0.01%，应在 0–100% 之间",
            "error spending_plan 表1“项目”：资金支出计划“10月底”为 100.01%，应在 0–100% 之间",
            "error spending_plan 表1“项目”：资金支出计划是累计进度，不应下降：“11月底”100% 低于上一期 100.01%",
            "error spending_plan 表1“项目”：资金支出计划是累计进度，不应下降：“12月底”99.99% 低于上一期 100%",
            "error spending_plan 表1“项目”：资金支出计划最后一期（12月底）应达到 100%，现为 99.99%",
        ],
    ),
    "plan_ok": (
        lambda: target(spending_plan=[SpendingStep("6月底", D(0)), SpendingStep("12月底", D(100))]),
        [],
    ),
    "plan_last_blank": (
        lambda: target(spending_plan=[SpendingStep("6月底", D(50)), SpendingStep("12月底", None)]),
        [
            "error spending_plan 表1“项目”：资金支出计划“12月底”未填写百分比",
        ],
    ),
    "no_rows_dept_target_goals": (
        lambda: Form(kind=FormKind.DEPT_TARGET, title="单位", goals=[Goal(1, "目标")], overall_target="x"),
        [],
    ),
    "no_rows_dept_target": (
        lambda: Form(kind=FormKind.DEPT_TARGET, title="单位", overall_target="x"),
        [
            "error indicators 表1“单位”：没有绩效指标",
        ],
    ),
    "no_rows_project_target_goals": (
        lambda: target(indicators=[], goals=[Goal(1, "x")]),
        [
            "error indicators 表1“项目”：没有绩效指标",
        ],
    ),
    "layout_a": (
        lambda: self_eval(
            kind=FormKind.DEPT_SELF_EVAL,
            title="单位",
            rows=[ind("部门管理", "资金投入", "a", weight="20"), ind("履职效果", "社会效益", "b", weight="70")],
        ),
        [
            "warning indicators 表1“单位”：没有“能力建设”下的指标",
            "warning indicators 表1“单位”：没有“满意度指标”下的指标",
            "warning weight 表1“单位”：一级指标“履职效果”分值合计 70，“中央通用规则（默认）”规定为 50",
            "warning weight 表1“单位”：一级指标“能力建设”分值合计 0，“中央通用规则（默认）”规定为 10",
            "warning weight 表1“单位”：一级指标“满意度指标”分值合计 0，“中央通用规则（默认）”规定为 10",
        ],
    ),
    "missing_levels": (
        lambda: self_eval(rows=[ind("产出指标", "数量指标", "a", weight="90")]),
        [
            "error indicators 表1“项目”：至少应有一个“效益指标”下的指标",
            "error indicators 表1“项目”：至少应有一个“满意度指标”下的指标",
            "warning indicators 表1“项目”：产出指标未涵盖“质量指标”",
            "warning indicators 表1“项目”：产出指标未涵盖“时效指标”",
            "warning indicators 表1“项目”：产出指标未涵盖“成本指标”",
            "warning weight 表1“项目”：一级指标“产出指标”分值合计 90，“中央通用规则（默认）”规定为 50",
            "warning weight 表1“项目”：一级指标“效益指标”分值合计 0，“中央通用规则（默认）”规定为 30",
            "warning weight 表1“项目”：一级指标“满意度指标”分值合计 0，“中央通用规则（默认）”规定为 10",
        ],
    ),
    "no_output": (
        lambda: self_eval(
            rows=[
                ind("效益指标", "社会效益指标", "a", weight="45"),
                ind("满意度指标", "服务对象满意度指标", "b", weight="45"),
            ]
        ),
        [
            "error indicators 表1“项目”：至少应有一个“产出指标”下的指标",
            "warning weight 表1“项目”：一级指标“效益指标”分值合计 45，“中央通用规则（默认）”规定为 30",
            "warning weight 表1“项目”：一级指标“满意度指标”分值合计 45，“中央通用规则（默认）”规定为 10",
            "warning weight 表1“项目”：一级指标“产出指标”分值合计 0，“中央通用规则（默认）”规定为 50",
        ],
    ),
    "cost_as_level1": (
        lambda: self_eval(
            rows=[
                ind(level2="数量指标", weight="20"),
                ind(level2="质量指标", weight="10"),
                ind(level2="时效指标", weight="10"),
                ind("成本指标", "经济成本指标", "c", "≤100万元", "90万元", "10"),
                *full_rows()[4:],
            ]
        ),
        [
            "warning weight 表1“项目”：一级指标“产出指标”分值合计 40，“中央通用规则（默认）”规定为 50",
        ],
    ),
    "goals": (
        lambda: self_eval(rows=goal_rows(), goals=[Goal(1, "目标")]),
        [
            "error goal 表1“项目” 第2行“合格率”：所属绩效目标3不存在",
        ],
    ),
    "row_blanks": (
        lambda: self_eval(rows=full_rows(ind(" ", " ", " ", " ", " ", None))),
        [
            "error name 表1“项目” 第7行“ ”：未填写三级指标名称",
            "error level1 表1“项目” 第7行“ ”：未填写一级指标",
            "warning level2 表1“项目” 第7行“ ”：未填写二级指标",
            "error target 表1“项目” 第7行“ ”：未填写指标值",
            "error weight 表1“项目” 第7行“ ”：未填写分值",
            "error actual 表1“项目” 第7行“ ”：未填写实际完成值",
            "warning band 表1“项目”：1项指标既无完成等级也无得分，总分和等级待评",
        ],
    ),
    "row_unknown_levels": (
        lambda: self_eval(
            rows=full_rows(
                ind("奇怪指标", "数量指标", "u", weight="0"),
                ind("产出指标", "服务指标", "v", weight="0"),
                ind("部门管理", "随便", "w", weight="0"),
            )
        ),
        [
            "warning level1 表1“项目” 第7行“u”：一级指标“奇怪指标”不在标准指标体系中",
            "warning level2 表1“项目” 第8行“v”：二级指标“服务指标”不是“产出指标”的标准二级指标" + OUTPUT_LEVELS,
        ],
    ),
    "qualitative_output": (
        lambda: self_eval(
            rows=full_rows(
                ind(name="q", target="提升服务", actual="达成", weight="0"),
                ind("效益指标", "社会效益指标", "r", "提升服务", "达成", "0"),
            )
        ),
        [
            "warning target 表1“项目” 第7行“q”：指标值“提升服务”未量化，产出指标宜填写可衡量的数值或时限",
        ],
    ),
    "cost_caps_self": (
        lambda: self_eval(
            rows=full_rows(
                ind(level2="成本指标", name="c1", target="≤100万元", actual="90万元", weight="0"),
                ind(level2="成本指标", name="c2", target="≤100.01万元", actual="90万元", weight="0"),
                ind(level2="成本指标", name="c3", target="≥200万元", actual="200万元", weight="0"),
                ind(level2="数量指标", name="c4", target="≤200万元", actual="90万元", weight="0"),
                ind(level2="成本指标", name="c5", target="≤200人", actual="90人", weight="0"),
                ind(level2="成本指标", name="c6", target="提升", actual="达成", weight="0"),
            )
        ),
        [
            "warning target 表1“项目” 第8行“c2”：成本指标值“≤100.01万元”超过预算（100万元）",
            "warning deviation 表1“项目” 第10行“c4”：实际完成值大幅偏离指标值，请在偏差原因中说明",
            "warning deviation 表1“项目” 第11行“c5”：实际完成值大幅偏离指标值，请在偏差原因中说明",
            "warning target 表1“项目” 第12行“c6”：指标值“提升”未量化，产出指标宜填写可衡量的数值或时限",
        ],
    ),
    "cost_caps_target": (
        lambda: target(budget=Budget(D(50)), indicators=full_rows()),
        [
            "warning target 表1“项目” 第4行“成本”：成本指标值“≤100万元”超过预算（50万元）",
        ],
    ),
    "cost_caps_target_no_budget": (
        lambda: target(budget=None, indicators=full_rows()),
        [
            "warning budget 表1“项目”：未填写预算数",
        ],
    ),
    "cost_caps_self_no_fulls": (
        lambda: self_eval(funds=[FundLine("total", D(50), None, D(50))]),
        [
            "error funds 表1“项目”：未填写年度资金总额（部门整体支出）的全年预算数（预算执行率暂按年初预算数计算）",
        ],
    ),
    "cost_caps_self_no_line": (
        lambda: self_eval(funds=[]),
        [
            "error funds 表1“项目”：未填写年度资金总额（部门整体支出）的全年预算数",
        ],
    ),
    "scores": (
        lambda: self_eval(
            rows=full_rows(
                ind(name="s1", weight=None),
                ind(name="s2", actual=" ", weight="0"),
                ind(name="s3", target="≥10人", actual="12次", weight="0"),
                ind(name="s4", target="提升", actual="有所改善", weight="0"),
                ind(
                    name="s5",
                    target="提升",
                    actual="有所改善",
                    weight="4",
                    band=Band.PARTLY,
                    score=D("3.2"),
                    deviation="说明",
                ),
                ind(name="s6", target="≥10次", actual="10次", weight="4", score=D("4.01"), deviation="说明"),
                ind(name="s7", target="≥10次", actual="8次", weight="4", score=D(3)),
                ind(name="s8", target="≥10次", actual="8次", weight="4"),
                ind(name="s9", target="≥10次", actual="20次", weight="4"),
                ind(name="s10", target="≥10次", actual="10次", weight="4", deviation="说明"),
                ind(name="s11", target="≥10次", actual="8次", weight="4", deviation="说明"),
                ind(name="s12", target="=10次", actual="13次", weight="4"),
                ind(name="s13", target="≥10次", actual="10次", weight="4", score=D(4)),
                ind(name="s14", target="≥10次", actual="10次", weight="4", score=D(0), deviation="说明"),
                ind(name="s15", target="≥10次", actual="10次", weight="4", score=D("-0.01"), deviation="说明"),
            )
        ),
        [
            "error weight 表1“项目” 第7行“s1”：未填写分值",
            "error actual 表1“项目” 第8行“s2”：未填写实际完成值",
            "warning actual 表1“项目” 第9行“s3”：指标值与实际完成值单位不一致，无法自动计分",
            "warning target 表1“项目” 第10行“s4”：指标值“提升”未量化，产出指标宜填写可衡量的数值或时限",
            "warning band 表1“项目” 第10行“s4”：" + UNREADABLE,
            "warning target 表1“项目” 第11行“s5”：指标值“提升”未量化，产出指标宜填写可衡量的数值或时限",
            "error score 表1“项目” 第11行“s5”：得分 3.2 不在完成等级“部分达成并具有一定效果”的分数范围内",
            "error score 表1“项目” 第12行“s6”：得分 4.01 超出分值范围（0–4）",
            "warning deviation 表1“项目” 第13行“s7”：填报得分 3 与建议得分 3.2 不同，请在偏差原因中说明",
            "warning deviation 表1“项目” 第14行“s8”：得分低于分值，请在偏差原因中说明",
            "warning deviation 表1“项目” 第15行“s9”：实际完成值大幅偏离指标值，请在偏差原因中说明",
            "warning deviation 表1“项目” 第16行“s10”：填写了偏差原因，请确认是否扣分（按指标值已达成，现为满分）",
            "warning deviation 表1“项目” 第18行“s12”：得分低于分值，请在偏差原因中说明",
            "error score 表1“项目” 第21行“s15”：得分 -0.01 超出分值范围（0–4）",
            "error weight 表1“项目”：预算执行率分值与各指标分值合计为 144，应为 100（总分与各部分不符）",
            "warning weight 表1“项目”：一级指标“产出指标”分值合计 94，“中央通用规则（默认）”规定为 50",
            "warning band 表1“项目”：4项指标既无完成等级也无得分，总分和等级待评",
        ],
    ),
    "band_edges": (  # a score at 0 or at 分值 outside its band is named by its band, not as out of range
        lambda: self_eval(
            rows=full_rows(
                ind(
                    name="b1", target="提升", actual="有所改善", weight="0", band=Band.MET, score=D(0), deviation="说明"
                ),
                ind(
                    "效益指标",
                    "社会效益指标",
                    "b3",
                    "提升",
                    "有所改善",
                    "4",
                    band=Band.MET,
                    score=D(0),
                    deviation="说明",
                ),
                ind(
                    "效益指标",
                    "社会效益指标",
                    "b4",
                    "提升",
                    "有所改善",
                    "4",
                    band=Band.NOT_MET,
                    score=D(4),
                    deviation="说",
                ),
            )
        ),
        [
            "warning target 表1“项目” 第7行“b1”：指标值“提升”未量化，产出指标宜填写可衡量的数值或时限",
            "error score 表1“项目” 第8行“b3”：得分 0 不在完成等级“达成”的分数范围内",
            "error score 表1“项目” 第9行“b4”：得分 4 不在完成等级“未达成且效果较差”的分数范围内",
            "error weight 表1“项目”：预算执行率分值与各指标分值合计为 108，应为 100（总分与各部分不符）",
            "warning weight 表1“项目”：一级指标“效益指标”分值合计 38，“中央通用规则（默认）”规定为 30",
        ],
    ),
    "weights_off": (
        lambda: self_eval(rows=full_rows(ind(name="x", weight="0.01"))),
        [
            "error weight 表1“项目”：预算执行率分值与各指标分值合计为 100.01，应为 100（总分与各部分不符）",
            "warning weight 表1“项目”：一级指标“产出指标”分值合计 50.01，“中央通用规则（默认）”规定为 50",
        ],
    ),
    "subtotal_off": (
        lambda: self_eval(
            rows=[
                *full_rows()[:3],
                ind(level2="成本指标", name="成本", target="≤100万元", actual="90万元", weight="11"),
                ind("效益指标", "社会效益指标", "覆盖率", "≥90%", "95%", "29"),
                full_rows()[5],
            ]
        ),
        [
            "warning weight 表1“项目”：一级指标“产出指标”分值合计 51，“中央通用规则（默认）”规定为 50",
            "warning weight 表1“项目”：一级指标“效益指标”分值合计 29，“中央通用规则（默认）”规定为 30",
        ],
    ),
    "pending": (
        lambda: self_eval(
            rows=full_rows(
                ind(name="p1", target="提升", actual="有所改善", weight="0"),
                ind(name="p2", target="提升", actual="有所改善", weight="0"),
            ),
            printed_total=D(100),
        ),
        [
            "warning target 表1“项目” 第7行“p1”：指标值“提升”未量化，产出指标宜填写可衡量的数值或时限",
            "warning band 表1“项目” 第7行“p1”：" + UNREADABLE,
            "warning target 表1“项目” 第8行“p2”：指标值“提升”未量化，产出指标宜填写可衡量的数值或时限",
            "warning band 表1“项目” 第8行“p2”：" + UNREADABLE,
            "warning band 表1“项目”：2项指标既无完成等级也无得分，总分和等级待评",
            "warning printed_total 表1“项目”：表上总分 100 分暂无法核对：待评（2项未评）",
        ],
    ),
    "pending_no_print": (
        lambda: self_eval(rows=full_rows(ind(name="p1", target="提升", actual="有所改善", weight="0"))),
        [
            "warning target 表1“项目” 第7行“p1”：指标值“提升”未量化，产出指标宜填写可衡量的数值或时限",
            "warning band 表1“项目” 第7行“p1”：" + UNREADABLE,
            "warning band 表1“项目”：1项指标既无完成等级也无得分，总分和等级待评",
        ],
    ),
    "printed_same": (
        lambda: self_eval(printed_total=D(100)),
        [],
    ),
    "printed_differs": (
        lambda: self_eval(printed_total=D("99.99")),
        [
            "warning printed_total 表1“项目”：表上总分 99.99 分，按各项得分计算为 100 分",
        ],
    ),
    "printed_without_exec": (
        lambda: self_eval(printed_total=D(90)),
        [
            "warning printed_total 表1“项目”：表上总分 90 分，按各项得分计算为 100 分"
            + "（表上总分似未计入预算执行率得分 10 分）",
        ],
    ),
    "printed_without_zero_exec": (
        lambda: self_eval(funds=[FundLine("total", D(100), D(100), D(0))], deviation="未支出", printed_total=D(90)),
        [],
    ),
    "stated": (
        lambda: self_eval(conclusion="自评得分为99分，等级为良", notes="总分：100分"),
        [
            "warning conclusion 表1“项目”：文字中写明总分 99 分，按各项得分合计为 100 分",
            "warning conclusion 表1“项目”：自评结论写明等级为“良”，按总分 100 应为“优”",
        ],
    ),
    "stated_ok": (
        lambda: self_eval(conclusion="总分100分", notes="自评等级：“优”"),
        [],
    ),
    "stated_notes_only": (
        lambda: self_eval(notes="合计 98.5 分"),
        [
            "warning conclusion 表1“项目”：文字中写明总分 98.5 分，按各项得分合计为 100 分",
        ],
    ),
    "dept_grade_stated": (
        lambda: self_eval(
            kind=FormKind.DEPT_SELF_EVAL,
            title="单位",
            rows=[
                ind("部门管理", "资金投入", "a", weight="20"),
                ind("履职效果", "社会效益", "b", weight="50"),
                ind("能力建设", "长效管理", "c", weight="10"),
                ind("满意度指标", "服务对象满意度指标", "d", weight="10"),
            ],
            conclusion="等级为差",
        ),
        [
            "warning conclusion 表1“单位”：自评结论写明等级为“差”，按总分 100 应为“优”",
        ],
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_every_finding_of_a_form(name: str) -> None:
    build, expected = CASES[name]
    assert review(build()) == expected


# ---- the workbook's own findings and how a finding is located and described ---------------------


@pytest.mark.parametrize(
    ("workbook", "expected"),
    [
        (Workbook(unit=Unit("1", "单位"), year=2025, forms=[]), ["[警告] 工作簿“单位”：工作簿中没有表格"]),
        (
            Workbook(unit=Unit("1", " "), year=None, forms=[]),
            ["[警告] 工作簿“ ”：未填写单位名称", "[警告] 工作簿“ ”：未填写年度", "[警告] 工作簿“ ”：工作簿中没有表格"],
        ),
        (
            Workbook(unit=Unit("1", ""), year=0, forms=[]),
            ["[警告] 工作簿：未填写单位名称", "[警告] 工作簿：工作簿中没有表格"],
        ),
        (Workbook(unit=Unit("1", "单位"), year=2025, forms=[self_eval()]), []),
    ],
)
def test_workbook_findings_and_their_one_line_description(workbook: Workbook, expected: list[str]) -> None:
    found = check_workbook(workbook, ScoringEngine())
    assert [describe_finding(workbook, f) for f in found] == expected
    assert all(f.text == f.message and f.form_index is None for f in found)


def test_a_finding_is_located_by_form_number_title_or_kind_and_row() -> None:
    unnamed = self_eval(title="", rows=full_rows(ind(name="", weight=None)))
    workbook = Workbook(unit=Unit("1", "单位"), year=2025, forms=[self_eval(), unnamed])
    found = check_workbook(workbook, ScoringEngine())
    located = [(f.form_index, f.indicator_index, f.goal_no, f.text) for f in found]
    assert located[:2] == [
        (1, None, None, "表2“项目支出绩效自评表”：未填写项目名称"),
        (1, 6, None, "表2“项目支出绩效自评表” 第7行“（未命名）”：未填写三级指标名称"),
    ]
    assert describe_finding(workbook, found[0]) == "[错误] 表2“项目支出绩效自评表”：未填写项目名称"
    assert describe_finding(workbook, Finding("note", "x")) == "[note] 工作簿“单位”：x"
    goal_row = [f for f in check_form(Workbook(forms=[CASES["goals"][0]()]), 0, ScoringEngine()) if f.field == "goal"]
    assert [(f.indicator_index, f.goal_no) for f in goal_row] == [(1, 3)]
