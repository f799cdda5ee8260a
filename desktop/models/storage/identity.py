"""What identifies a workbook file (``.jxdb``) and how its columns read back, without SQLAlchemy.

Reading a workbook (``loader.load``, ``jixiao score``, the window's open) needs only these and the
standard ``sqlite3`` module; ``schema.py`` (the SQLAlchemy models, imported for writing) re-exports
them, so that importing SQLAlchemy (~0.3 s) is left to the first write.
"""

from __future__ import annotations

import enum
import sqlite3
from decimal import Decimal, InvalidOperation

from desktop.models.workbook.domain import Band, FormKind

#: ``PRAGMA application_id`` of a workbook file: the bytes "JXDB".
APPLICATION_ID = 0x4A584442
#: ``PRAGMA user_version`` written by this program's newest migration.
SCHEMA_VERSION = 4
#: Alembic revisions in order; the index + 1 is the ``user_version`` each one sets.
REVISIONS: tuple[str, ...] = ("0001_initial", "0002_app_fields", "0003_print_fields", "0004_file_id")
HEAD_REVISION = REVISIONS[-1]

#: The tables of a workbook file, besides Alembic's ``alembic_version``.
DATA_TABLES: tuple[str, ...] = ("workbook", "form", "fund_line", "spending_step", "goal", "indicator")
ALLOWED_TABLES: frozenset[str] = frozenset((*DATA_TABLES, "alembic_version"))

#: The columns of each data table at the head revision, as ``schema.py`` declares them (a test checks
#: that they agree): ``file_checks.validate`` compares a file's tables with these without SQLAlchemy.
HEAD_COLUMNS: dict[str, tuple[str, ...]] = {
    "workbook": ("id", "unit_code", "unit_name", "year", "ruleset", "template", "file_id"),
    "form": (
        "id",
        "workbook_id",
        "position",
        "kind",
        "title",
        "code",
        "has_unit",
        "unit_code",
        "unit_name",
        "department",
        "money_unit",
        "purpose",
        "has_budget",
        "budget_amount",
        "budget_fiscal",
        "budget_other",
        "has_funds",
        "exec_weight",
        "exec_score",
        "has_spending_plan",
        "overall_target",
        "overall_actual",
        "has_goals",
        "deviation",
        "printed_total",
        "conclusion",
        "notes",
        "has_signoff",
        "signoff_head",
        "signoff_preparer",
        "signoff_phone",
        "signoff_date",
    ),  # fmt: skip
    "fund_line": ("id", "form_id", "position", "line", "initial", "full_year", "executed"),
    "spending_step": ("id", "form_id", "position", "by", "percent"),
    "goal": ("id", "form_id", "position", "no", "target", "actual"),
    "indicator": (
        "id",
        "form_id",
        "position",
        "level1",
        "level2",
        "name",
        "description",
        "target",
        "basis",
        "actual",
        "weight",
        "score",
        "deviation",
        "goal",
        "band",
    ),  # fmt: skip
}

#: Enumerations stored as text, for checking values read back.
ENUM_COLUMNS: dict[tuple[str, str], type[enum.StrEnum]] = {
    ("form", "kind"): FormKind,
    ("indicator", "band"): Band,
}


def text_to_decimal(value: object) -> Decimal:
    """Stored decimal text → a finite Decimal, else ``ValueError``."""
    if not isinstance(value, str):
        raise ValueError(f"decimal column holds {type(value).__name__}, not text")
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValueError(f"decimal column holds {value!r}") from None
    if not number.is_finite():
        raise ValueError(f"decimal column holds {value!r}")
    return number


def configure_connection(dbapi_connection: sqlite3.Connection, *, read_only: bool = False) -> None:
    """Per-connection settings: foreign keys on, untrusted schema, full fsync, rollback journal.

    The rollback journal (``DELETE``) keeps the ``.jxdb`` a single self-contained file once closed
    (no ``-wal``/``-shm`` beside it) and works on shared network folders, where WAL does not.
    """
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA trusted_schema = OFF")
        cursor.execute("PRAGMA foreign_keys = ON")
        if not read_only:
            cursor.execute("PRAGMA journal_mode = DELETE")
            cursor.execute("PRAGMA synchronous = FULL")
            cursor.execute("PRAGMA busy_timeout = 2000")
    finally:
        cursor.close()
