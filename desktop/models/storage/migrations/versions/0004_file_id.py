"""Workbook file id: a random id stored inside each file, to notice the file being replaced under an open workbook.

Revision ID: 0004_file_id
Revises: 0003_print_fields
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_file_id"
down_revision = "0003_print_fields"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add ``workbook.file_id`` (32 random hex digits, new for every file written whole); schema version 4."""
    op.add_column("workbook", sa.Column("file_id", sa.Text(), server_default=sa.text("''"), nullable=False))
    op.execute("UPDATE workbook SET file_id = lower(hex(randomblob(16)))")
    op.execute("PRAGMA user_version = 4")


def downgrade() -> None:
    """Not supported: a workbook is only ever upgraded."""
    raise NotImplementedError
