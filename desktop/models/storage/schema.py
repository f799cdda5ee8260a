"""The SQLite schema of a workbook file (``.jxdb``): typed SQLAlchemy models, column types and identity.

One file holds one workbook. Every field of the interchange format and the app-only fields
(``Indicator.band``, ``Workbook.ruleset``) has a column; optional single children of a form
(``unit``, ``budget``, ``signoff``) are columns of the form row with a ``has_…`` flag, and optional
lists (``funds``, ``goals``, ``spending_plan``) have a ``has_…`` flag so that ``None`` and ``[]``
stay distinct. Decimals are stored as TEXT with exactly their digits, never as REAL.

A workbook file is recognised by ``PRAGMA application_id`` (:data:`APPLICATION_ID`) and its schema
version by ``PRAGMA user_version`` (:data:`SCHEMA_VERSION`) plus Alembic's ``alembic_version`` row.
"""

from __future__ import annotations

import enum
from decimal import Decimal
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, MetaData, Text, text
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from desktop.models.storage.identity import (
    ALLOWED_TABLES,
    APPLICATION_ID,
    DATA_TABLES,
    ENUM_COLUMNS,
    HEAD_COLUMNS,
    HEAD_REVISION,
    REVISIONS,
    SCHEMA_VERSION,
    configure_connection,
    text_to_decimal,
)

__all__ = [
    "ALLOWED_TABLES",
    "APPLICATION_ID",
    "DATA_TABLES",
    "ENUM_COLUMNS",
    "HEAD_COLUMNS",
    "HEAD_REVISION",
    "REVISIONS",
    "SCHEMA_VERSION",
    "Base",
    "DecimalText",
    "EnumText",
    "configure_connection",
    "text_to_decimal",
]

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class DecimalText(TypeDecorator[Decimal]):
    """An exact decimal stored as TEXT (``str(Decimal)``), read back with the same digits."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: object, dialect: Dialect) -> str | None:
        """Decimal (or int) → its exact text; floats are refused (they are never exact)."""
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, Decimal | int):
            raise TypeError(f"only Decimal values can be stored here, not {type(value).__name__}")
        return str(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        """TEXT → Decimal (``ValueError`` if the text is not a finite number)."""
        if value is None:
            return None
        return text_to_decimal(value)

    @property
    def python_type(self) -> type[Decimal]:
        """The Python type of values."""
        return Decimal


class EnumText(TypeDecorator[str]):
    """A ``StrEnum`` member stored as its value (TEXT)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        """Member → plain text value."""
        if value is None:
            return None
        if isinstance(value, enum.Enum):
            return str(value.value)
        return str(value)

    @property
    def python_type(self) -> type[str]:
        """The Python type of values."""
        return str


class Base(DeclarativeBase):
    """Declarative base of the workbook tables."""

    metadata = MetaData(naming_convention=NAMING)


class WorkbookRow(Base):
    """The one workbook of the file: its unit, year and scoring rule set."""

    __tablename__ = "workbook"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_code: Mapped[str] = mapped_column(Text, default="")
    unit_name: Mapped[str] = mapped_column(Text, default="")
    year: Mapped[int | None] = mapped_column(Integer)
    ruleset: Mapped[str] = mapped_column(Text, server_default=text("'central'"))
    template: Mapped[str] = mapped_column(Text, server_default=text("'central'"))
    #: Random id of this file (not of the workbook's content): new for every file written whole.
    file_id: Mapped[str] = mapped_column(Text, server_default=text("''"))


class FormRow(Base):
    """One form; single optional children are columns with a ``has_…`` flag."""

    __tablename__ = "form"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workbook_id: Mapped[int] = mapped_column(ForeignKey("workbook.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(EnumText)
    title: Mapped[str] = mapped_column(Text, default="")
    code: Mapped[str | None] = mapped_column(Text)
    has_unit: Mapped[bool] = mapped_column(Boolean, default=False)
    unit_code: Mapped[str | None] = mapped_column(Text)
    unit_name: Mapped[str | None] = mapped_column(Text)
    department: Mapped[str | None] = mapped_column(Text)
    money_unit: Mapped[str | None] = mapped_column(Text)
    purpose: Mapped[str | None] = mapped_column(Text)
    has_budget: Mapped[bool] = mapped_column(Boolean, default=False)
    budget_amount: Mapped[Decimal | None] = mapped_column(DecimalText)
    budget_fiscal: Mapped[Decimal | None] = mapped_column(DecimalText)
    budget_other: Mapped[Decimal | None] = mapped_column(DecimalText)
    has_funds: Mapped[bool] = mapped_column(Boolean, default=False)
    exec_weight: Mapped[Decimal | None] = mapped_column(DecimalText)
    exec_score: Mapped[Decimal | None] = mapped_column(DecimalText)
    has_spending_plan: Mapped[bool] = mapped_column(Boolean, default=False)
    overall_target: Mapped[str | None] = mapped_column(Text)
    overall_actual: Mapped[str | None] = mapped_column(Text)
    has_goals: Mapped[bool] = mapped_column(Boolean, default=False)
    deviation: Mapped[str | None] = mapped_column(Text)
    printed_total: Mapped[Decimal | None] = mapped_column(DecimalText)
    conclusion: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    has_signoff: Mapped[bool] = mapped_column(Boolean, default=False)
    signoff_head: Mapped[str | None] = mapped_column(Text)
    signoff_preparer: Mapped[str | None] = mapped_column(Text)
    signoff_phone: Mapped[str | None] = mapped_column(Text)
    signoff_date: Mapped[str | None] = mapped_column(Text)


class FundLineRow(Base):
    """One row of a form's fund (budget execution) table."""

    __tablename__ = "fund_line"
    __table_args__ = (Index("ix_fund_line_form_position", "form_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("form.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    line: Mapped[str] = mapped_column(Text)
    initial: Mapped[Decimal | None] = mapped_column(DecimalText)
    full_year: Mapped[Decimal | None] = mapped_column(DecimalText)
    executed: Mapped[Decimal | None] = mapped_column(DecimalText)


class SpendingStepRow(Base):
    """One step of a form's spending plan."""

    __tablename__ = "spending_step"
    __table_args__ = (Index("ix_spending_step_form_position", "form_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("form.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    by: Mapped[str] = mapped_column(Text, default="")
    percent: Mapped[Decimal | None] = mapped_column(DecimalText)


class GoalRow(Base):
    """One numbered goal of a form."""

    __tablename__ = "goal"
    __table_args__ = (Index("ix_goal_form_position", "form_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("form.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    no: Mapped[int] = mapped_column(Integer)
    target: Mapped[str | None] = mapped_column(Text)
    actual: Mapped[str | None] = mapped_column(Text)


class IndicatorRow(Base):
    """One 三级指标 row of a form (every field of ``domain.Indicator``)."""

    __tablename__ = "indicator"
    __table_args__ = (Index("ix_indicator_form_position", "form_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("form.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    level1: Mapped[str] = mapped_column(Text, default="")
    level2: Mapped[str] = mapped_column(Text, default="")
    name: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str | None] = mapped_column(Text)
    target: Mapped[str | None] = mapped_column(Text)
    basis: Mapped[str | None] = mapped_column(Text)
    actual: Mapped[str | None] = mapped_column(Text)
    weight: Mapped[Decimal | None] = mapped_column(DecimalText)
    score: Mapped[Decimal | None] = mapped_column(DecimalText)
    deviation: Mapped[str | None] = mapped_column(Text)
    goal: Mapped[int | None] = mapped_column(Integer)
    band: Mapped[str | None] = mapped_column(EnumText)
