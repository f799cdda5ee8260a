"""Writing rows of a workbook file: the SQLAlchemy engine of one connection, migrations, and ``Writer``.

``Writer`` inserts, deletes, updates and renumbers rows on one connection and assigns ``db_id`` to new
objects; ``make_engine`` opens exactly one SQLite connection; ``alembic_upgrade`` runs the migrations.
SQLAlchemy and Alembic are imported on first use only (opening and reading a workbook never need them).
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable, Sequence
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.models.storage.columns import FORM_CHILDREN, FORM_LISTS, ITEM_FIELDS, ITEM_TABLE, form_columns
from desktop.models.storage.identity import DATA_TABLES, configure_connection
from desktop.models.storage.schema_check import MIGRATIONS_DIR
from desktop.models.storage.sqlite_file import sqlite_uri
from desktop.models.workbook.domain import Form, Workbook

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine, Table

_TABLES: dict[str, Table] = {}


def tables() -> dict[str, Table]:
    """The SQLAlchemy tables, by name (SQLAlchemy is imported on first use: only writing needs it)."""
    if not _TABLES:
        from desktop.models.storage.schema import Base

        _TABLES.update({name: Base.metadata.tables[name] for name in DATA_TABLES})
    return _TABLES


@functools.cache
def _field_getter(fields: tuple[str, ...]) -> Callable[[object], tuple[Any, ...]]:
    """The values of ``fields`` of an item as one tuple (one C call per item)."""
    if len(fields) == 1:
        name = fields[0]
        return lambda item: (getattr(item, name),)
    return attrgetter(*fields)


class Writer:
    """Inserts, deletes and renumbers rows on one connection; assigns ``db_id`` to new objects."""

    def __init__(self, conn: Connection, next_ids: dict[str, int] | None = None) -> None:
        self.conn = conn
        self._next: dict[str, int] = dict(next_ids) if next_ids is not None else {}
        if next_ids is None:
            for name in DATA_TABLES:
                top = conn.exec_driver_sql(f"SELECT max(id) FROM {name}").scalar()
                self._next[name] = int(top or 0) + 1
        self._updates: dict[tuple[str, tuple[str, ...]], Any] = {}

    def new_id(self, table: str) -> int:
        value = self._next[table]
        self._next[table] = value + 1
        return value

    def update(self, table: str, row_id: int | None, values: dict[str, Any]) -> None:
        """``UPDATE table SET … WHERE id = row_id`` (a compiled statement cached per column set)."""
        if row_id is None:
            raise ValueError(f"object of table {table} is not stored (db_id is None)")
        columns = tuple(values)
        stmt = self._updates.get((table, columns))
        if stmt is None:
            from sqlalchemy import bindparam

            tbl = tables()[table]
            stmt = tbl.update().where(tbl.c.id == bindparam("_row_id")).values({c: bindparam(c) for c in columns})
            self._updates[(table, columns)] = stmt
        params = dict(values)
        params["_row_id"] = row_id
        self.conn.execute(stmt, params)

    def insert(self, table: str, rows: list[dict[str, Any]]) -> None:
        """Insert rows of one table (each a dict of column values)."""
        self.conn.execute(tables()[table].insert(), rows)

    def insert_workbook(self, workbook: Workbook) -> None:
        import secrets  # here: hashlib's start-up is not needed to read a workbook

        workbook.db_id = self.new_id("workbook")
        workbook.unit.db_id = workbook.db_id
        self.insert(
            "workbook",
            [
                {
                    "id": workbook.db_id,
                    "unit_code": workbook.unit.code,
                    "unit_name": workbook.unit.name,
                    "year": workbook.year,
                    "ruleset": workbook.ruleset,
                    "template": workbook.template,
                    "file_id": secrets.token_hex(16),
                }
            ],
        )
        self.insert_forms(workbook.db_id, workbook.forms, 0)

    def insert_forms(self, workbook_id: int, forms: Sequence[Form], start: int) -> None:
        rows: list[dict[str, Any]] = []
        children: dict[str, list[dict[str, Any]]] = {table: [] for _c, table, _f in FORM_LISTS.values()}
        for offset, form in enumerate(forms):
            form.db_id = self.new_id("form")
            for attr in FORM_CHILDREN:
                child = getattr(form, attr)
                if child is not None:
                    child.db_id = form.db_id
            row = form_columns(form)
            row.update(id=form.db_id, workbook_id=workbook_id, position=start + offset)
            rows.append(row)
            for attr, (_cls, table, _flag) in FORM_LISTS.items():
                children[table].extend(self._item_rows(table, form.db_id, getattr(form, attr) or (), 0))
        if rows:
            self.insert("form", rows)
        for table, item_rows in children.items():
            if item_rows:
                self.insert(table, item_rows)

    def _item_rows(self, table: str, form_id: int, items: Sequence[object], start: int) -> list[dict[str, Any]]:
        rows = []
        kind: type | None = None
        keys: tuple[str, ...] = ()
        getter = _field_getter(("db_id",))
        for offset, item in enumerate(items):
            if type(item) is not kind:  # the fields of a list's items are looked up once, not per item
                kind = type(item)
                fields = ITEM_FIELDS[kind]
                if ITEM_TABLE[kind] != table:
                    raise TypeError(f"{kind.__name__} does not belong in table {table}")
                getter = _field_getter(fields)
                keys = (*fields, "id", "form_id", "position")
            item_id = item.db_id = self.new_id(table)  # type: ignore[attr-defined]
            rows.append(dict(zip(keys, (*getter(item), item_id, form_id, start + offset), strict=True)))
        return rows

    def insert_items(self, table: str, form_id: int, items: Sequence[object], start: int) -> None:
        rows = self._item_rows(table, form_id, items, start)
        if rows:
            self.insert(table, rows)

    def delete(self, table: str, ids: Sequence[int | None]) -> None:
        tbl = tables()[table]
        keys = [i for i in ids if i is not None]
        if keys:
            self.conn.execute(tbl.delete().where(tbl.c.id.in_(keys)))

    def delete_children(self, table: str, form_id: int) -> None:
        tbl = tables()[table]
        self.conn.execute(tbl.delete().where(tbl.c.form_id == form_id))

    def renumber(self, table: str, items: Sequence[object]) -> None:
        """Write ``position = index`` for every item of a list."""
        if not items:
            return
        tbl = tables()[table]
        key = (table, ("position",))
        stmt = self._updates.get(key)
        if stmt is None:
            from sqlalchemy import bindparam

            stmt = tbl.update().where(tbl.c.id == bindparam("_row_id")).values(position=bindparam("_pos"))
            self._updates[key] = stmt
        self.conn.execute(stmt, [{"_row_id": item.db_id, "_pos": i} for i, item in enumerate(items)])  # type: ignore[attr-defined]


def make_engine(
    path: Path, *, create: bool = False, bulk: bool = False, opened: sqlite3.Connection | None = None
) -> Engine:
    """An engine of exactly one SQLite connection to ``path`` (never creates it unless ``create``).

    ``opened``: a connection already opened (and configured) on ``path``, handed out first.
    """
    from sqlalchemy import create_engine, event
    from sqlalchemy.pool import NullPool

    uri = sqlite_uri(path, "rwc" if create else "rw")
    ready = [opened] if opened is not None else []

    def connect() -> sqlite3.Connection:
        if ready:
            return ready.pop()
        conn = sqlite3.connect(uri, uri=True, isolation_level=None)
        configure_connection(conn)
        if bulk:  # a temporary file renamed into place only when complete: no journal needed
            conn.execute("PRAGMA journal_mode = MEMORY")
            conn.execute("PRAGMA synchronous = OFF")
        return conn

    engine = create_engine("sqlite://", creator=connect, poolclass=NullPool)

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def alembic_upgrade(conn: Connection) -> None:
    """Run the migrations in ``migrations/`` on this connection (no alembic.ini: works when frozen)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = conn
    command.upgrade(config, "head")
