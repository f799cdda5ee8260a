"""The workbook as plain Python objects: forms, fund lines, goals, indicators (the domain tree).

These objects mirror the interchange format (shared/spec/workbook-format.md) field for field.
``None`` means "absent" and is kept distinct from an empty string or list so that a JSON file
round-trips exactly. Money, weights and scores are ``Decimal``. Objects that the user edits one
by one (forms, indicators, …) compare by identity (``eq=False``): the scoring cache, the undo
stack and Qt's ``internalPointer`` all key on the object itself. ``db_id`` is the storage row id
and is never part of the data.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal


class FormKind(enum.StrEnum):
    """The four kinds of form (forms.md §1)."""

    PROJECT_TARGET = "project_target"
    DEPT_TARGET = "dept_target"
    PROJECT_SELF_EVAL = "project_self_eval"
    DEPT_SELF_EVAL = "dept_self_eval"

    @property
    def label(self) -> str:
        """The Chinese name printed on the form."""
        return FORM_KIND_LABELS[self]

    @property
    def is_self_eval(self) -> bool:
        """Whether this kind is scored (a year-end self-evaluation)."""
        return self in _SELF_EVAL_KINDS


_SELF_EVAL_KINDS = frozenset({FormKind.PROJECT_SELF_EVAL, FormKind.DEPT_SELF_EVAL})

FORM_KIND_LABELS: dict[FormKind, str] = {
    FormKind.PROJECT_TARGET: "项目支出绩效目标表",
    FormKind.DEPT_TARGET: "部门（单位）整体支出绩效目标表",
    FormKind.PROJECT_SELF_EVAL: "项目支出绩效自评表",
    FormKind.DEPT_SELF_EVAL: "部门（单位）整体支出绩效自评表",
}

FUND_LINES: tuple[str, ...] = ("total", "fiscal", "carryover", "other", "basic", "project")
FUND_LINE_LABELS: dict[str, str] = {
    "total": "年度资金总额",
    "fiscal": "其中：当年财政拨款",
    "carryover": "上年结转资金",
    "other": "其他资金",
    "basic": "基本支出",
    "project": "项目支出",
}
DEPT_FUND_LINE_LABELS: dict[str, str] = {**FUND_LINE_LABELS, "total": "部门整体支出"}

DEFAULT_MONEY_UNIT = "万元"

# The lists of the tree a document edits item by item, and its optional single children.
ListName = Literal["forms", "indicators", "funds", "goals", "spending_plan"]
ChildName = Literal["unit", "budget", "signoff"]

# Limits of what one edit may put in: far above any real form, low enough that a stray paste of a
# whole document cannot make the table unusable.
MAX_CELL_TEXT = 10_000  # characters in one indicator cell
MAX_INDICATORS_PER_FORM = 2_000


@dataclass(eq=False)
class Unit:
    """A budget unit: 6-digit code (may be empty) and name."""

    code: str = ""
    name: str = ""
    db_id: int | None = field(default=None, repr=False, compare=False)


@dataclass(eq=False)
class Budget:
    """预算规模 of a target table: 预算数, 其中：财政资金, 其他资金."""

    amount: Decimal | None = None
    fiscal: Decimal | None = None
    other: Decimal | None = None
    db_id: int | None = field(default=None, repr=False, compare=False)


@dataclass(eq=False)
class FundLine:
    """One row of a self-evaluation's fund (budget execution) table."""

    line: str = "total"
    initial: Decimal | None = None
    full_year: Decimal | None = None
    executed: Decimal | None = None
    db_id: int | None = field(default=None, repr=False, compare=False)


@dataclass(eq=False)
class SpendingStep:
    """One step of a spending plan: cumulative percent spent by a date (资金支出计划)."""

    by: str = ""
    percent: Decimal | None = None
    db_id: int | None = field(default=None, repr=False, compare=False)


@dataclass(eq=False)
class Goal:
    """A numbered goal (分项绩效目标 / 年度绩效目标) with its actual completion text."""

    no: int = 1
    target: str | None = None
    actual: str | None = None
    db_id: int | None = field(default=None, repr=False, compare=False)


@dataclass(eq=False)
class Signoff:
    """The sign-off line: 单位负责人 / 填报人 / 联系电话 / 填报日期."""

    head: str | None = None
    preparer: str | None = None
    phone: str | None = None
    date: str | None = None
    db_id: int | None = field(default=None, repr=False, compare=False)


class Band(enum.StrEnum):
    """Completion band of a qualitative indicator (forms.md §4)."""

    MET = "met"
    PARTLY = "partly"
    NOT_MET = "not_met"

    @property
    def label(self) -> str:
        """The Chinese name of the band."""
        return BAND_LABELS[self]


BAND_LABELS: dict[Band, str] = {
    Band.MET: "达成",
    Band.PARTLY: "部分达成并具有一定效果",
    Band.NOT_MET: "未达成且效果较差",
}


@dataclass(eq=False)
class Indicator:
    """A 三级指标 row with its first and second level, values and (self-eval) scores.

    ``band`` is an app-only field (not in the interchange format): the completion band the
    accountant chose for a qualitative indicator.
    """

    level1: str = ""
    level2: str = ""
    name: str = ""
    description: str | None = None
    target: str | None = None
    basis: str | None = None
    actual: str | None = None
    weight: Decimal | None = None
    score: Decimal | None = None
    deviation: str | None = None
    goal: int | None = None
    band: Band | None = None
    db_id: int | None = field(default=None, repr=False, compare=False)


@dataclass(eq=False)
class Form:
    """One form of a workbook (any of the four kinds)."""

    kind: FormKind = FormKind.PROJECT_TARGET
    title: str = ""
    code: str | None = None
    unit: Unit | None = None
    department: str | None = None
    money_unit: str | None = None
    purpose: str | None = None
    budget: Budget | None = None
    funds: list[FundLine] | None = None
    exec_weight: Decimal | None = None
    exec_score: Decimal | None = None
    spending_plan: list[SpendingStep] | None = None
    overall_target: str | None = None
    overall_actual: str | None = None
    goals: list[Goal] | None = None
    indicators: list[Indicator] = field(default_factory=list)
    deviation: str | None = None
    printed_total: Decimal | None = None
    conclusion: str | None = None
    notes: str | None = None
    signoff: Signoff | None = None
    db_id: int | None = field(default=None, repr=False, compare=False)

    @property
    def effective_money_unit(self) -> str:
        """The money unit of this form's amounts (default 万元)."""
        return self.money_unit or DEFAULT_MONEY_UNIT

    def fund(self, line: str) -> FundLine | None:
        """The fund line with this key, if the form has one."""
        for fund in self.funds or ():
            if fund.line == line:
                return fund
        return None


DEFAULT_RULESET = "central"
DEFAULT_TEMPLATE = "central"


@dataclass(eq=False)
class Workbook:
    """One unit's forms for one year; ``ruleset`` names the scoring rule set, ``template`` the print template."""

    unit: Unit = field(default_factory=Unit)
    year: int | None = None
    forms: list[Form] = field(default_factory=list)
    ruleset: str = DEFAULT_RULESET
    template: str = DEFAULT_TEMPLATE
    db_id: int | None = field(default=None, repr=False, compare=False)


# Field names of each class that hold user data (everything except db_id), in format order.
def data_fields(obj: object) -> tuple[str, ...]:
    """The data field names of a domain object, in declaration order (db_id excluded)."""
    return tuple(name for name in obj.__dataclass_fields__ if name != "db_id")  # type: ignore[attr-defined]
