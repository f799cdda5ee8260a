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


# Long texts with the punctuation Chinese line breaking must handle (closing quotes, colons, brackets).
_LONG = (
    "按照“放管服”改革要求，推进“一网通办”“跨省通办”：事项减环节、减材料、减时限；"
    "对不需要现场勘查、专家论证的事项全部调整为即办件（含承诺件），最大限度减少内部流转环节。"
)
_REASON = (
    "原因：受项目招标延期影响，部分采购合同于第四季度签订，资金支付滞后；"
    "改进措施：一是提前谋划“采购意向公开”，二是按月调度支出进度（见《预算执行通报》），确保按时完成。"
)


def _long(text: str, seed: int, repeats: int) -> str:
    return "".join(f"{n + 1}.{text}" for n in range(1 + seed % repeats))


def make_workbook(forms: int = 30, indicators: int = 60, *, long_texts: bool = False) -> Workbook:
    """A self-evaluation workbook of ``forms`` project forms × ``indicators`` indicators each.

    With ``long_texts``, rows mix short values with long qualitative targets, long deviation
    reasons (up to several paragraphs), long goal texts and notes, in entry order that is not
    grouped by 一级指标.
    """
    workbook = Workbook(unit=Unit(code="319101", name="测试单位"), year=2025)
    weight = (Decimal(90) / indicators).quantize(Decimal("0.01"))
    for f in range(forms):
        rows = []
        for i in range(indicators):
            level1, level2, target, actual = _LEVELS[i % len(_LEVELS)]
            n = 10 + (i * 7 + f) % 90
            values = {"n": n, "a": n - (i % 3), "p": 90 + i % 10, "c": n + (i % 4) - 2}
            indicator = Indicator(
                level1=level1,
                level2=level2,
                name=f"指标{i + 1}：第{f + 1}项目的{level2}考核内容",
                target=target.format(**values),
                actual=actual.format(**values),
                weight=weight,
                deviation="无偏差" if i % 5 else None,
            )
            if long_texts:
                if (i + f) % 9 == 0:
                    indicator.deviation = _long(_REASON, i + f, 7)
                if (i + f) % 13 == 4:
                    indicator.target = indicator.actual = _long(_LONG, i, 2)
                if (i * 3 + f) % 17 == 0:
                    indicator.name += "（" + _LONG[: 20 + (i % 40)] + "）"
            rows.append(indicator)
        if long_texts:
            rows = rows[::2] + rows[1::2]  # entry order is not paper order
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
                overall_target=_long(_LONG, f, 4) if long_texts else "完成年度各项工作任务。",
                overall_actual=_long(_REASON, f, 5) if long_texts else "已完成。",
                goals=[Goal(1, "目标一", "完成")],
                indicators=rows,
                notes=_long(_REASON, f, 3) if long_texts else "无",
            )
        )
    return workbook
