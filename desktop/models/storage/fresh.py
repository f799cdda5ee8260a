"""A new workbook file made with the ``sqlite3`` module alone: the head schema and its rows.

Creating a file by running every Alembic migration imports SQLAlchemy and Alembic (~0.4 s of a
``jixiao import``); a new file needs no migration, only the schema they end in. ``schema_head.py``
ships those ``CREATE`` statements (checked against the migrations by a test), and the rows are
written with ``executemany``, each value stored as the SQLAlchemy column types store it: a Decimal
as its exact text (``str``), an enum member as its value, a flag as 0 / 1.

The caller builds into a temporary file that ``atomic.py`` renames into place only when complete
(so the file needs no journal while it is built, and is complete and valid or absent).
"""

from __future__ import annotations

import enum
import sqlite3
from collections.abc import Mapping, Sequence
from decimal import Decimal
from operator import itemgetter
from pathlib import Path
from typing import Any

from desktop.models.storage.identity import (
    APPLICATION_ID,
    DATA_TABLES,
    HEAD_REVISION,
    SCHEMA_VERSION,
    configure_connection,
)
from desktop.models.storage.safety import translated_errors
from desktop.models.storage.schema_head import HEAD_SQL
from desktop.models.storage.sqlite_file import sqlite_uri
from desktop.models.storage.writer import Writer
from desktop.models.workbook.domain import Workbook


def build_file(path: Path, workbook: Workbook) -> None:
    """Write ``workbook`` into a new file at ``path`` in one transaction; sets every object's ``db_id``."""
    conn = connect_new(path)
    try:
        with translated_errors():
            conn.execute("BEGIN IMMEDIATE")
            create_schema(conn)
            _FreshWriter(conn).insert_workbook(workbook)
            conn.execute("COMMIT")
    finally:
        conn.close()


class _FreshWriter(Writer):
    """The rows of a new file, inserted on a plain ``sqlite3`` connection (ids from 1; inserts only)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.raw = conn
        self._next = {name: 1 for name in DATA_TABLES}
        self._updates = {}

    def insert(self, table: str, rows: list[dict[str, Any]]) -> None:
        """Insert rows with ``executemany``."""
        insert_rows(self.raw, table, rows)


def connect_new(path: Path) -> sqlite3.Connection:
    """A connection to a new, empty file at ``path`` (a temporary name: no journal, no sync until renamed)."""
    conn = sqlite3.connect(sqlite_uri(path, "rwc"), uri=True, isolation_level=None)
    try:
        configure_connection(conn)
        conn.execute("PRAGMA journal_mode = MEMORY")
        conn.execute("PRAGMA synchronous = OFF")
    except BaseException:
        conn.close()
        raise
    return conn


def create_schema(conn: sqlite3.Connection) -> None:
    """Make the head schema in an empty file, stamped as the migrations stamp it (inside the caller's transaction)."""
    for sql in HEAD_SQL:
        conn.execute(sql)
    conn.execute("INSERT INTO alembic_version (version_num) VALUES (?)", (HEAD_REVISION,))
    conn.execute(f"PRAGMA application_id = {int(APPLICATION_ID)}")
    conn.execute(f"PRAGMA user_version = {int(SCHEMA_VERSION)}")


_NATIVE = frozenset({str, int, bool})


def stored(value: object) -> object:
    """A domain value as its column stores it (Decimal → exact text, enum → value; floats are refused)."""
    if value is None or type(value) in _NATIVE:
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, float):
        raise TypeError("binary floats are never stored: only Decimal values")
    return value


def insert_rows(conn: sqlite3.Connection, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert rows (dicts of one table, every row with the same columns as the first)."""
    if not rows:
        return
    columns = tuple(rows[0])
    names = ", ".join(f'"{name}"' for name in columns)
    marks = ", ".join("?" * len(columns))
    conn.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', _stored_rows(rows, columns))


def _stored_rows(rows: Sequence[Mapping[str, Any]], columns: tuple[str, ...]) -> list[tuple[object, ...]]:
    """The rows as tuples of stored values: ``stored`` runs only over columns holding anything but str / int / None.

    The rows are taken apart and put together column by column in C (itemgetter, zip); a column of
    texts and integers is stored as it is, which is what ``stored`` would return for each of its values.
    """
    if len(columns) == 1:
        return [(stored(row[columns[0]]),) for row in rows]
    values = list(map(itemgetter(*columns), rows))
    by_column = list(zip(*values, strict=True))
    plain = _PLAIN_TYPES.issuperset
    for index, column in enumerate(by_column):
        if not plain(set(map(type, column))):
            by_column[index] = tuple(map(stored, column))
    return list(zip(*by_column, strict=True))


_PLAIN_TYPES = frozenset({str, int, type(None)})
