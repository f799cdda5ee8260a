"""Totals of a consolidation: absolute figures are added, rates and scores weighted by money (no Qt).

A unit's 预算数 / 执行数 are its 部门整体支出 when it filed a department self-evaluation (that
already covers its projects), else the sum of its project self-evaluations. Its 自评分 is the
money-weighted mean of its self-evaluations' totals (each weighted by its own 全年预算数); its
复核分 the same with each form's 复核分 where the reviewer gave one (or derived from the reviewed
rows), else its 自评分. The department's totals weight the units' scores by their 预算数 the same way.
A form or unit without a 预算数, or not yet scored, takes no part in a weighted mean (and is counted).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from desktop.models.consolidation.review import ReviewBook
from desktop.models.consolidation.summary import FormSummary, UnitSummary
from desktop.models.scoring.rules import RuleSet
from desktop.models.workbook.domain import FormKind

ZERO = Decimal(0)
SCORE_PLACES = Decimal("0.01")

RULE_TEXT = (
    "合计规则：预算数、执行数为各单位金额直接相加（统一换算为万元）；执行率 = 执行数合计 ÷ 预算数合计；"
    "自评分、复核分按预算数加权平均（Σ 得分 × 预算数 ÷ Σ 预算数），未计分或无预算数的表不参与加权。"
    "单位有部门整体支出自评表时，其预算数、执行数取整体支出（已含项目支出），否则为各项目自评表之和；"
    "复核分未填写的表按自评分计。"
)


class Weighted:
    """A money-weighted mean being accumulated."""

    def __init__(self) -> None:
        self.weight = ZERO
        self.sum = ZERO
        self.left_out = 0  # values given without a usable weight

    def add(self, value: Decimal | None, weight: Decimal | None) -> None:
        """Add a value with its money weight (no value: nothing; no positive weight: counted as left out)."""
        if value is None:
            return
        if weight is None or weight <= ZERO:
            self.left_out += 1
            return
        self.weight += weight
        self.sum += value * weight

    @property
    def mean(self) -> Decimal | None:
        """The weighted mean to 2 decimals, or None when nothing was weighted."""
        if self.weight <= ZERO:
            return None
        return (self.sum / self.weight).quantize(SCORE_PLACES)


@dataclass(frozen=True)
class Figures:
    """Budget, execution and (weighted) scores of a unit or of the whole department."""

    budget: Decimal | None
    executed: Decimal | None
    target_budget: Decimal | None  # Σ 预算数 of the target forms
    score: Decimal | None
    review: Decimal | None  # None when nothing was reviewed
    grade: str | None
    left_out: int = 0  # forms or units with a score but no 预算数 to weight it by

    @property
    def rate(self) -> Decimal | None:
        """执行率 = 执行数 ÷ 预算数."""
        if self.budget is None or self.executed is None or self.budget <= ZERO:
            return None
        return self.executed / self.budget


def _add(values: Iterable[Decimal | None]) -> Decimal | None:
    present = [value for value in values if value is not None]
    return sum(present, ZERO) if present else None


def form_review_score(form: FormSummary, book: ReviewBook | None, unit: str) -> Decimal | None:
    """The form's 复核分: the one given for the form, else its 自评分 with the reviewed rows' changes."""
    if book is None or not form.kind.is_self_eval:
        return None
    given = book.get(unit, form.index)
    if given is not None and given.score is not None:
        return given.score
    change = ZERO
    reviewed = False
    for row, own in enumerate(form.row_scores):
        entry = book.get(unit, form.index, row)
        if entry is not None and entry.score is not None:
            change += entry.score - (own or ZERO)
            reviewed = True
    if not reviewed or form.total is None:
        return None
    return form.total + change


def unit_figures(summary: UnitSummary, ruleset: RuleSet, book: ReviewBook | None = None, unit: str = "") -> Figures:
    """A unit's figures (see the module docstring for the rules)."""
    dept = summary.of_kind(FormKind.DEPT_SELF_EVAL)
    spending = [f for f in dept if f.money_ok] if dept else summary.of_kind(FormKind.PROJECT_SELF_EVAL)
    spending = [f for f in spending if f.money_ok]
    score, review = Weighted(), Weighted()
    reviewed = False
    for form in summary.self_evals:
        weight = form.budget if form.money_ok else None
        score.add(form.total, weight)
        own = form_review_score(form, book, unit)
        reviewed = reviewed or own is not None
        review.add(own if own is not None else form.total, weight)
    mean = score.mean
    return Figures(
        budget=_add(f.budget for f in spending),
        executed=_add(f.executed for f in spending),
        target_budget=_add(f.budget for f in summary.of_kind(FormKind.PROJECT_TARGET, FormKind.DEPT_TARGET)),
        score=mean,
        review=review.mean if reviewed else None,
        grade=ruleset.grade(mean) if mean is not None else None,
        left_out=score.left_out,
    )


def department_figures(units: Iterable[Figures], ruleset: RuleSet) -> Figures:
    """The department's totals over the units counted."""
    items = list(units)
    score, review = Weighted(), Weighted()
    reviewed = False
    for unit in items:
        score.add(unit.score, unit.budget)
        reviewed = reviewed or unit.review is not None
        review.add(unit.review if unit.review is not None else unit.score, unit.budget)
    mean = score.mean
    return Figures(
        budget=_add(u.budget for u in items),
        executed=_add(u.executed for u in items),
        target_budget=_add(u.target_budget for u in items),
        score=mean,
        review=review.mean if reviewed else None,
        grade=ruleset.grade(mean) if mean is not None else None,
        left_out=score.left_out,
    )
