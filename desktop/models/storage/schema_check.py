"""The open-time check that a file's schema is exactly the one this program made for its version.

A ``.jxdb`` is untrusted: an extra index (a unique one makes every insert fail), a trigger, a view,
a changed column or a missing index would each make later writes fail or misbehave. The expected
schema of each revision is built once per process by running the program's own migrations on an
empty temporary file; a file is compared by structure (tables, columns with type, null, default and
key; indexes with their columns, uniqueness and condition; foreign keys; triggers and views), not by
the text of its ``CREATE`` statements, which older SQLAlchemy versions may have spelled differently.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

#: The Alembic migrations that build a workbook file (the store runs them; this module reads their result).
MIGRATIONS_DIR = Path(__file__).resolve().with_name("migrations")

Signature = tuple[tuple[object, ...], ...]
_EXPECTED: dict[str, Signature] = {}
_R = TypeVar("_R")


def signature(conn: sqlite3.Connection) -> Signature:
    """The structure of every schema object in ``conn`` (sorted; comparable between files)."""
    rows: list[tuple[object, ...]] = []
    master = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").fetchall()
    for kind, name, table, sql in master:
        if kind == "table":
            columns = conn.execute(f'PRAGMA table_info("{name}")').fetchall()
            keys = conn.execute(f'PRAGMA foreign_key_list("{name}")').fetchall()
            rows.append(("table", name, tuple(columns), tuple(sorted(k[2:] for k in keys))))
            for index in conn.execute(f'PRAGMA index_list("{name}")').fetchall():
                cols = conn.execute(f'PRAGMA index_xinfo("{index[1]}")').fetchall()
                auto = str(index[1]).startswith("sqlite_autoindex_")
                rows.append(("index", "auto" if auto else index[1], name, index[2], index[3], index[4], tuple(cols)))
        elif kind == "index":
            continue  # listed with its table above (index_list also shows the partial flag)
        else:  # trigger, view, anything else: its existence already differs from ours
            rows.append((str(kind), str(name), str(table), str(sql)))
    return tuple(sorted(rows, key=repr))


def expected(revision: str, *, shipped: bool = True) -> Signature:
    """The schema the program's migrations build up to ``revision`` (shipped, else computed once)."""
    if shipped:
        from desktop.models.storage.schema_expected import EXPECTED

        if revision in EXPECTED:
            return EXPECTED[revision]
    if revision not in _EXPECTED:
        _EXPECTED[revision] = _scratch(revision, signature)
    return _EXPECTED[revision]


def creating_sql(conn: sqlite3.Connection) -> tuple[str, ...]:
    """The ``CREATE`` statements of every schema object in ``conn``, in the order they were made."""
    rows = conn.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid").fetchall()
    return tuple(str(sql) for (sql,) in rows)


def head_sql() -> tuple[str, ...]:
    """The ``CREATE`` statements the migrations leave at the head revision (``schema_head.py`` ships them)."""
    from desktop.models.storage.identity import HEAD_REVISION

    return _scratch(HEAD_REVISION, creating_sql)


def _scratch(revision: str, read: Callable[[sqlite3.Connection], _R]) -> _R:
    """Run the migrations up to ``revision`` on an empty temporary file and ``read`` the result."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    from desktop.models.storage.schema import configure_connection

    with tempfile.TemporaryDirectory(prefix="jixiao-schema-") as folder:
        path = Path(folder) / "empty.jxdb"

        def connect() -> sqlite3.Connection:
            conn = sqlite3.connect(path, isolation_level=None)
            configure_connection(conn)
            return conn

        engine = create_engine("sqlite://", creator=connect, poolclass=NullPool)
        try:
            with engine.connect() as conn:
                _upgrade(conn, revision)
                conn.commit()
        finally:
            engine.dispose()
        raw = sqlite3.connect(path)
        try:
            return read(raw)
        finally:
            raw.close()


def _upgrade(conn: object, revision: str) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = conn
    command.upgrade(config, revision)


def _write_shipped() -> None:
    """Regenerate ``schema_expected.py`` and ``schema_head.py`` from the migrations."""
    import pprint

    from desktop.models.storage.schema import REVISIONS

    found = {revision: expected(revision, shipped=False) for revision in REVISIONS}
    target = Path(__file__).with_name("schema_expected.py")
    head = target.read_text(encoding="utf-8").split("EXPECTED:", 1)[0]
    body = pprint.pformat(found, width=110, sort_dicts=False)
    target.write_text(f"{head}EXPECTED: dict[str, tuple[tuple[object, ...], ...]] = {body}\n", encoding="utf-8")
    target = Path(__file__).with_name("schema_head.py")
    head = target.read_text(encoding="utf-8").split("HEAD_SQL:", 1)[0]
    body = pprint.pformat(head_sql(), width=110)
    target.write_text(f"{head}HEAD_SQL: tuple[str, ...] = {body}\n", encoding="utf-8")


if __name__ == "__main__":
    _write_shipped()
