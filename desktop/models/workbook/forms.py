"""New and copied forms: a blank form of each kind with the rows its printed layout always has, a copy
detached from storage, and forms copied in from another workbook.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Sequence
from decimal import Decimal

from desktop.models.scoring.rules import RuleSet
from desktop.models.workbook.domain import Budget, Form, FormKind, FundLine, Signoff, SpendingStep, Unit, Workbook

DEFAULT_FORM_TITLES: dict[FormKind, str] = {
    FormKind.PROJECT_TARGET: "新项目",
    FormKind.DEPT_TARGET: "新部门整体支出",
    FormKind.PROJECT_SELF_EVAL: "新项目",
    FormKind.DEPT_SELF_EVAL: "新部门整体支出",
}
DEFAULT_SPENDING_STEPS = ("3月底", "6月底", "10月底", "12月底")


def blank_form(kind: FormKind, title: str | None = None, ruleset: RuleSet | None = None) -> Form:
    """A new empty form of a kind, with the rows its printed layout always has.

    A self-evaluation gets the rule set's 预算执行率 分值 (10 without a rule set); a new department
    self-evaluation starts as layout A (部门管理 / 履职效果 …), like the tree shows it.
    """
    form = Form(kind=kind, title=title if title is not None else DEFAULT_FORM_TITLES[kind], money_unit="万元")
    if kind is FormKind.PROJECT_TARGET:
        form.budget = Budget()
    elif kind is FormKind.DEPT_TARGET:
        form.spending_plan = [SpendingStep(by=step) for step in DEFAULT_SPENDING_STEPS]
    elif kind is FormKind.PROJECT_SELF_EVAL:
        form.funds = [FundLine(line) for line in ("total", "fiscal", "carryover", "other")]
        form.exec_weight = ruleset.scheme(kind).exec_weight if ruleset is not None else Decimal(10)
        form.signoff = Signoff()
    else:
        form.funds = [FundLine(line) for line in ("total", "basic", "project")]
        form.exec_weight = ruleset.scheme(kind, layout_a=True).exec_weight if ruleset is not None else Decimal(10)
        form.signoff = Signoff()
    return form


def duplicate_form(form: Form) -> Form:
    """A deep copy of a form, detached from storage (every ``db_id`` cleared), titled as a copy."""
    clone = copy_form(form)
    clone.title = f"{form.title}（副本）"
    return clone


def copy_form(form: Form) -> Form:
    """A deep copy of a form, detached from storage (every ``db_id`` cleared), ready to insert anywhere."""
    clone = copy.deepcopy(form)
    _clear_db_ids(clone)
    return clone


def forms_from_workbook(source: Workbook, positions: Sequence[int], target: Workbook) -> list[Form]:
    """Copies of some forms of another workbook, to add to ``target`` (last year's targets, say).

    A form that printed its workbook's unit keeps that unit as its own when the two workbooks belong
    to different units, so its unit line stays right in its new workbook.
    """
    copies: list[Form] = []
    other_unit = (source.unit.code, source.unit.name) != (target.unit.code, target.unit.name)
    for position in positions:
        form = copy_form(source.forms[position])
        if other_unit and (form.unit is None or not (form.unit.code or form.unit.name)):
            form.unit = Unit(code=source.unit.code, name=source.unit.name)
        copies.append(form)
    return copies


def _clear_db_ids(obj: object) -> None:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        if hasattr(obj, "db_id"):
            obj.db_id = None
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            if isinstance(value, list):
                for item in value:
                    _clear_db_ids(item)
            else:
                _clear_db_ids(value)
