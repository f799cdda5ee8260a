"""Print fields: the workbook's print template and a form's printed 总分 (imported, compared, never used).

Revision ID: 0003_print_fields
Revises: 0002_app_fields
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_print_fields"
down_revision = "0002_app_fields"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add ``workbook.template`` (default central) and ``form.printed_total``; schema version 3."""
    op.add_column("workbook", sa.Column("template", sa.Text(), server_default=sa.text("'central'"), nullable=False))
    op.add_column("form", sa.Column("printed_total", sa.Text(), nullable=True))
    op.execute("PRAGMA user_version = 3")


def downgrade() -> None:
    """Not supported: a workbook is only ever upgraded."""
    raise NotImplementedError
