"""How domain objects map to the columns of a workbook file (used by the writer, the store and the loader).

List items (indicators, fund lines, goals, spending steps) are rows of their own table with one column
per data field; a form's scalars and single children (unit, budget, sign-off) are columns of the form row.
"""

from __future__ import annotations

from typing import Any

from desktop.models.workbook.domain import (
    Budget,
    Form,
    FundLine,
    Goal,
    Indicator,
    Signoff,
    SpendingStep,
    Unit,
    data_fields,
)

# Every data field of a list item is a column of the same name (domain.data_fields, in declaration order).
ITEM_FIELDS: dict[type, tuple[str, ...]] = {cls: data_fields(cls) for cls in (Indicator, FundLine, Goal, SpendingStep)}
ITEM_TABLE: dict[type, str] = {
    Indicator: "indicator",
    FundLine: "fund_line",
    Goal: "goal",
    SpendingStep: "spending_step",
}
#: Form list attribute → (item class, table, ``has_…`` flag column or None when the list is never absent).
FORM_LISTS: dict[str, tuple[type, str, str | None]] = {
    "indicators": (Indicator, "indicator", None),
    "funds": (FundLine, "fund_line", "has_funds"),
    "goals": (Goal, "goal", "has_goals"),
    "spending_plan": (SpendingStep, "spending_step", "has_spending_plan"),
}
FORM_SCALARS: tuple[str, ...] = (
    "kind",
    "title",
    "code",
    "department",
    "money_unit",
    "purpose",
    "exec_weight",
    "exec_score",
    "overall_target",
    "overall_actual",
    "deviation",
    "printed_total",
    "conclusion",
    "notes",
)
#: Form single child attribute → (class, flag column, column prefix, fields).
FORM_CHILDREN: dict[str, tuple[type, str, str, tuple[str, ...]]] = {
    "unit": (Unit, "has_unit", "unit_", ("code", "name")),
    "budget": (Budget, "has_budget", "budget_", ("amount", "fiscal", "other")),
    "signoff": (Signoff, "has_signoff", "signoff_", ("head", "preparer", "phone", "date")),
}
CHILD_ATTR_OF: dict[type, str] = {Budget: "budget", Signoff: "signoff"}


def child_columns(attr: str, child: object | None) -> dict[str, Any]:
    _cls, flag, prefix, fields = FORM_CHILDREN[attr]
    values: dict[str, Any] = {flag: child is not None}
    for name in fields:
        values[prefix + name] = getattr(child, name) if child is not None else None
    return values


def form_columns(form: Form) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(form, name) for name in FORM_SCALARS}
    for attr in FORM_CHILDREN:
        values.update(child_columns(attr, getattr(form, attr)))
    for attr, (_cls, _table, flag) in FORM_LISTS.items():
        if flag is not None:
            values[flag] = getattr(form, attr) is not None
    return values
