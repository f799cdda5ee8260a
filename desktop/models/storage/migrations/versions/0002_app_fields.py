"""App-only fields: the workbook's scoring rule set and an indicator's completion band.

Revision ID: 0002_app_fields
Revises: 0001_initial
Create Date: 2025-01-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_app_fields"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add ``workbook.ruleset`` (default central) and ``indicator.band``; schema version 2."""
    op.add_column("workbook", sa.Column("ruleset", sa.Text(), server_default=sa.text("'central'"), nullable=False))
    op.add_column("indicator", sa.Column("band", sa.Text(), nullable=True))
    op.execute("PRAGMA user_version = 2")


def downgrade() -> None:
    """Not supported: a workbook is only ever upgraded."""
    raise NotImplementedError
