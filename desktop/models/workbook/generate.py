"""Builds a year-end self-evaluation form from a budget-time target form (目标表 → 自评表).

The new form carries the target form's header, budget (as the fund table), goals, overall target
and indicators (指标值 → 年度指标值, 实际完成值 left empty), with 分值 pre-filled from the rule
set: each first level's weight is spread evenly over its indicators (2 decimals, the rounding
remainder on the last one, so each level totals its weight exactly). Indicators under a first
level the rule set does not weigh share what is left of the indicators' part (all of it for a
rule set without a first-level split, such as 四川's 绩效指标 90).
"""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

from desktop.models.errors import UserError
from desktop.models.scoring.engine import tidy
from desktop.models.scoring.rules import RuleSet
from desktop.models.workbook.domain import Budget, Form, FormKind, FundLine, Goal, Indicator, Signoff, Unit

_SELF_EVAL_OF = {
    FormKind.PROJECT_TARGET: FormKind.PROJECT_SELF_EVAL,
    FormKind.DEPT_TARGET: FormKind.DEPT_SELF_EVAL,
}
_CENT = Decimal("0.01")


def spread(total: Decimal, count: int) -> list[Decimal]:
    """``total`` split into ``count`` two-decimal parts that add up to it exactly (remainder on the last)."""
    if count <= 0:
        return []
    share = tidy((total / count).quantize(_CENT, rounding=ROUND_DOWN))
    return [share] * (count - 1) + [tidy(total - share * (count - 1))]


def _funds(form: Form, kind: FormKind) -> list[FundLine]:
    budget = form.budget or Budget()
    total = budget.amount
    if total is None and (budget.fiscal is not None or budget.other is not None):
        total = (budget.fiscal or Decimal(0)) + (budget.other or Decimal(0))
    if kind is FormKind.DEPT_SELF_EVAL:
        return [FundLine("total", total, total), FundLine("basic"), FundLine("project")]
    return [
        FundLine("total", total, total),
        FundLine("fiscal", budget.fiscal, budget.fiscal),
        FundLine("carryover"),
        FundLine("other", budget.other, budget.other),
    ]


def _weights(indicators: list[Indicator], kind: FormKind, ruleset: RuleSet) -> list[Decimal]:
    names = [ruleset.canonical_level1(ind.level1) for ind in indicators]
    scheme = ruleset.scheme(kind, ruleset.is_dept_layout_a(names))
    out = [Decimal(0)] * len(indicators)
    used = Decimal(0)
    for level1, weight in scheme.levels:
        rows = [i for i, name in enumerate(names) if name == level1]
        if rows:
            used += weight
            for row, share in zip(rows, spread(weight, len(rows)), strict=True):
                out[row] = share
    others = [i for i, name in enumerate(names) if scheme.level_weight(name) is None]
    for row, share in zip(others, spread(max(scheme.indicator_total - used, Decimal(0)), len(others)), strict=True):
        out[row] = share
    return out


def self_eval_from_target(form: Form, ruleset: RuleSet) -> Form:
    """A new self-evaluation form prepared from a target form.

    Args:
        form: a ``project_target`` or ``dept_target`` form (left unchanged).
        ruleset: gives 预算执行率's 分值 and the first-level weights.

    Raises:
        UserError: the form is already a self-evaluation.
    """
    kind = _SELF_EVAL_OF.get(form.kind)
    if kind is None:
        raise UserError(f"“{form.title or form.kind.label}”已是自评表，不能再由它生成自评表。")
    weights = _weights(form.indicators, kind, ruleset)
    indicators = [
        Indicator(
            level1=ind.level1,
            level2=ind.level2,
            name=ind.name,
            description=ind.description,
            target=ind.target,
            basis=ind.basis,
            weight=weight,
            goal=ind.goal,
        )
        for ind, weight in zip(form.indicators, weights, strict=True)
    ]
    names = [ind.level1 for ind in form.indicators]
    scheme = ruleset.scheme(kind, ruleset.is_dept_layout_a(names))
    signoff = form.signoff
    return Form(
        kind=kind,
        title=form.title,
        code=form.code,
        unit=Unit(form.unit.code, form.unit.name) if form.unit is not None else None,
        department=form.department,
        money_unit=form.money_unit,
        purpose=form.purpose,
        funds=_funds(form, kind),
        exec_weight=scheme.exec_weight,
        overall_target=form.overall_target,
        goals=[Goal(goal.no, goal.target) for goal in form.goals] if form.goals is not None else None,
        indicators=indicators,
        signoff=Signoff(signoff.head, signoff.preparer, signoff.phone) if signoff is not None else None,
    )
