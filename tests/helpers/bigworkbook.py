"""A generated workbook of many forms and indicators, for benchmarks and load tests."""

from __future__ import annotations

from decimal import Decimal

from desktop.models.workbook.domain import Form, FormKind, FundLine, Goal, Indicator, Unit, Workbook

_LEVELS = [
    ("产出指标", "数量指标", "≥{n}次", "{a}次"),
    ("产出指标", "质量指标", "≥95%", "{p}%"),
    ("产出指标", "时效指标", "12月底前", "12月底"),
    ("产出指标", "成本指标", "≤{n}万元", "{c}万元"),
    ("效益指标", "社会效益指标", "显著提升", "有效提升"),
    ("效益指标", "可持续影响指标", "≥{n}人", "{a}人"),
    ("满意度指标", "服务对象满意度指标", "≥90%", "{p}%"),
]


def make_workbook(forms: int = 30, indicators: int = 60) -> Workbook:
    """A self-evaluation workbook of ``forms`` project forms × ``indicators`` indicators each."""
    workbook = Workbook(unit=Unit(code="319101", name="测试单位"), year=2025)
    weight = (Decimal(90) / indicators).quantize(Decimal("0.01"))
    for f in range(forms):
        rows = []
        for i in range(indicators):
            level1, level2, target, actual = _LEVELS[i % len(_LEVELS)]
            n = 10 + (i * 7 + f) % 90
            values = {"n": n, "a": n - (i % 3), "p": 90 + i % 10, "c": n + (i % 4) - 2}
            rows.append(
                Indicator(
                    level1=level1,
                    level2=level2,
                    name=f"指标{i + 1}：第{f + 1}项目的{level2}考核内容",
                    target=target.format(**values),
                    actual=actual.format(**values),
                    weight=weight,
                    deviation="无偏差" if i % 5 else None,
                )
            )
        workbook.forms.append(
            Form(
                kind=FormKind.PROJECT_SELF_EVAL,
                title=f"测试项目{f + 1}",
                department="测试主管部门",
                money_unit="万元",
                funds=[
                    FundLine("total", Decimal("100.00"), Decimal("120.50"), Decimal("110.25")),
                    FundLine("fiscal", Decimal("100.00"), Decimal("120.50"), Decimal("110.25")),
                    FundLine("carryover"),
                    FundLine("other"),
                ],
                exec_weight=Decimal(10),
                overall_target="完成年度各项工作任务。",
                overall_actual="已完成。",
                goals=[Goal(1, "目标一", "完成")],
                indicators=rows,
                notes="无",
            )
        )
    return workbook
