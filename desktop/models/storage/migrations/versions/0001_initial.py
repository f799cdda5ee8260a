"""The first workbook schema: workbook, form and the form's lists (funds, spending plan, goals, indicators).

Revision ID: 0001_initial
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None

APPLICATION_ID = 0x4A584442  # "JXDB"; a copy, so that this script never changes with schema.py


def _child(name: str, *columns: sa.Column[object]) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("form_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        *columns,
        sa.ForeignKeyConstraint(["form_id"], ["form.id"], name=f"fk_{name}_form_id_form", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=f"pk_{name}"),
    )
    op.create_index(f"ix_{name}_form_position", name, ["form_id", "position"])


def upgrade() -> None:
    """Create the tables, mark the file as a workbook (application_id) of schema version 1."""
    op.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    op.create_table(
        "workbook",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_code", sa.Text(), nullable=False),
        sa.Column("unit_name", sa.Text(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_workbook"),
    )
    text = sa.Text
    op.create_table(
        "form",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workbook_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", text(), nullable=False),
        sa.Column("title", text(), nullable=False),
        sa.Column("code", text(), nullable=True),
        sa.Column("has_unit", sa.Boolean(), nullable=False),
        sa.Column("unit_code", text(), nullable=True),
        sa.Column("unit_name", text(), nullable=True),
        sa.Column("department", text(), nullable=True),
        sa.Column("money_unit", text(), nullable=True),
        sa.Column("purpose", text(), nullable=True),
        sa.Column("has_budget", sa.Boolean(), nullable=False),
        sa.Column("budget_amount", text(), nullable=True),
        sa.Column("budget_fiscal", text(), nullable=True),
        sa.Column("budget_other", text(), nullable=True),
        sa.Column("has_funds", sa.Boolean(), nullable=False),
        sa.Column("exec_weight", text(), nullable=True),
        sa.Column("exec_score", text(), nullable=True),
        sa.Column("has_spending_plan", sa.Boolean(), nullable=False),
        sa.Column("overall_target", text(), nullable=True),
        sa.Column("overall_actual", text(), nullable=True),
        sa.Column("has_goals", sa.Boolean(), nullable=False),
        sa.Column("deviation", text(), nullable=True),
        sa.Column("conclusion", text(), nullable=True),
        sa.Column("notes", text(), nullable=True),
        sa.Column("has_signoff", sa.Boolean(), nullable=False),
        sa.Column("signoff_head", text(), nullable=True),
        sa.Column("signoff_preparer", text(), nullable=True),
        sa.Column("signoff_phone", text(), nullable=True),
        sa.Column("signoff_date", text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["workbook_id"], ["workbook.id"], name="fk_form_workbook_id_workbook", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_form"),
    )
    op.create_index("ix_form_workbook_id", "form", ["workbook_id"])
    _child(
        "fund_line",
        sa.Column("line", text(), nullable=False),
        sa.Column("initial", text(), nullable=True),
        sa.Column("full_year", text(), nullable=True),
        sa.Column("executed", text(), nullable=True),
    )
    _child(
        "spending_step",
        sa.Column("by", text(), nullable=False),
        sa.Column("percent", text(), nullable=True),
    )
    _child(
        "goal",
        sa.Column("no", sa.Integer(), nullable=False),
        sa.Column("target", text(), nullable=True),
        sa.Column("actual", text(), nullable=True),
    )
    _child(
        "indicator",
        sa.Column("level1", text(), nullable=False),
        sa.Column("level2", text(), nullable=False),
        sa.Column("name", text(), nullable=False),
        sa.Column("description", text(), nullable=True),
        sa.Column("target", text(), nullable=True),
        sa.Column("basis", text(), nullable=True),
        sa.Column("actual", text(), nullable=True),
        sa.Column("weight", text(), nullable=True),
        sa.Column("score", text(), nullable=True),
        sa.Column("deviation", text(), nullable=True),
        sa.Column("goal", sa.Integer(), nullable=True),
    )
    op.execute("PRAGMA user_version = 1")


def downgrade() -> None:
    """Not supported: a workbook is only ever upgraded."""
    raise NotImplementedError
