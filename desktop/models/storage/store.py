"""Workbook files (``.jxdb``, SQLite): create, open, check, migrate, load, and write each edit as one transaction.

Public API:

- :func:`create_workbook_file` writes a new file whole or not at all (temporary file, fsync, rename);
- :func:`open_workbook` checks a file before anything could change it (header, ``application_id``,
  schema version, no triggers/views/foreign tables, ``quick_check``), refuses files from a newer
  program, runs the Alembic migrations, takes the one-writer lock (else opens read-only with a
  message) and loads the whole workbook into domain objects;
- :class:`SqliteStore` is the ``Store`` of ``document.py``: one transaction per user edit, direct
  ``UPDATE … WHERE id = ?`` statements keyed by each object's ``db_id``;
- :func:`save_as`, :func:`import_json`, :func:`export_json`, :func:`load_any`.

The file is always whole on disk: ``synchronous=FULL`` and a rollback journal (``DELETE``) that is
removed at each commit, so no sidecar file stays next to a closed workbook.
"""

from __future__ import annotations

import contextlib
import copy
import os
import secrets
import shutil
import sqlite3
import struct
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from desktop.models.errors import UserError, WorkbookFileError, describe_os_error
from desktop.models.formats import interchange
from desktop.models.storage.atomic import atomic_path, write_atomically
from desktop.models.storage.identity import (
    ALLOWED_TABLES,
    APPLICATION_ID,
    DATA_TABLES,
    HEAD_COLUMNS,
    HEAD_REVISION,
    REVISIONS,
    SCHEMA_VERSION,
    configure_connection,
    text_to_decimal,
)
from desktop.models.storage.oslock import LockUnsupported, OsLock, try_lock
from desktop.models.storage.safety import (
    LockRefusal,
    WorkbookLock,
    acquire,
    adopt_lock,
    classify,
    read_only_message,
    translated_errors,
)
from desktop.models.storage.schema_check import MIGRATIONS_DIR
from desktop.models.storage.sqlite_file import connect_read_only, sqlite_uri
from desktop.models.workbook.document import WorkbookDocument

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine, Table
from desktop.models.workbook.domain import (
    FUND_LINES,
    Band,
    Budget,
    Form,
    FormKind,
    FundLine,
    Goal,
    Indicator,
    Signoff,
    SpendingStep,
    Unit,
    Workbook,
    data_fields,
)

__all__ = [
    "MIGRATIONS_DIR",
    "NEWER_MESSAGE",
    "FileHeader",
    "ReadOnlyStore",
    "SqliteStore",
    "WorkbookDocument",
    "create_workbook_file",
    "export_json",
    "import_json",
    "load_any",
    "open_workbook",
    "read_header",
    "save_as",
    "sqlite_uri",
]

SQLITE_MAGIC = b"SQLite format 3\x00"
_T = TypeVar("_T")
_TABLES: dict[str, Table] = {}


def _tables() -> dict[str, Table]:
    """The SQLAlchemy tables, by name (SQLAlchemy is imported on first use: only writing needs it)."""
    if not _TABLES:
        from desktop.models.storage.schema import Base

        _TABLES.update({name: Base.metadata.tables[name] for name in DATA_TABLES})
    return _TABLES


# ---- how domain objects map to columns ----------------------------------------------------------

# Every data field of a list item is a column of the same name (domain.data_fields, in declaration order).
ITEM_FIELDS: dict[type, tuple[str, ...]] = {cls: data_fields(cls) for cls in (Indicator, FundLine, Goal, SpendingStep)}
ITEM_TABLE: dict[type, str] = {
    Indicator: "indicator",
    FundLine: "fund_line",
    Goal: "goal",
    SpendingStep: "spending_step",
}
#: Form list attribute → (item class, table, ``has_…`` flag column or None when the list is never absent).
FORM_LISTS: dict[str, tuple[type, str, str | None]] = {
    "indicators": (Indicator, "indicator", None),
    "funds": (FundLine, "fund_line", "has_funds"),
    "goals": (Goal, "goal", "has_goals"),
    "spending_plan": (SpendingStep, "spending_step", "has_spending_plan"),
}
FORM_SCALARS: tuple[str, ...] = (
    "kind",
    "title",
    "code",
    "department",
    "money_unit",
    "purpose",
    "exec_weight",
    "exec_score",
    "overall_target",
    "overall_actual",
    "deviation",
    "printed_total",
    "conclusion",
    "notes",
)
#: Form single child attribute → (class, flag column, column prefix, fields).
FORM_CHILDREN: dict[str, tuple[type, str, str, tuple[str, ...]]] = {
    "unit": (Unit, "has_unit", "unit_", ("code", "name")),
    "budget": (Budget, "has_budget", "budget_", ("amount", "fiscal", "other")),
    "signoff": (Signoff, "has_signoff", "signoff_", ("head", "preparer", "phone", "date")),
}
_CHILD_ATTR_OF: dict[type, str] = {Budget: "budget", Signoff: "signoff"}


def _child_columns(attr: str, child: object | None) -> dict[str, Any]:
    _cls, flag, prefix, fields = FORM_CHILDREN[attr]
    values: dict[str, Any] = {flag: child is not None}
    for name in fields:
        values[prefix + name] = getattr(child, name) if child is not None else None
    return values


def _form_columns(form: Form) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(form, name) for name in FORM_SCALARS}
    for attr in FORM_CHILDREN:
        values.update(_child_columns(attr, getattr(form, attr)))
    for attr, (_cls, _table, flag) in FORM_LISTS.items():
        if flag is not None:
            values[flag] = getattr(form, attr) is not None
    return values


# ---- writing rows ---------------------------------------------------------------------------------


class _Writer:
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

            tbl = _tables()[table]
            stmt = tbl.update().where(tbl.c.id == bindparam("_row_id")).values({c: bindparam(c) for c in columns})
            self._updates[(table, columns)] = stmt
        params = dict(values)
        params["_row_id"] = row_id
        self.conn.execute(stmt, params)

    def insert_workbook(self, workbook: Workbook) -> None:
        workbook.db_id = self.new_id("workbook")
        workbook.unit.db_id = workbook.db_id
        self.conn.execute(
            _tables()["workbook"].insert(),
            {
                "id": workbook.db_id,
                "unit_code": workbook.unit.code,
                "unit_name": workbook.unit.name,
                "year": workbook.year,
                "ruleset": workbook.ruleset,
                "template": workbook.template,
                "file_id": secrets.token_hex(16),
            },
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
            row = _form_columns(form)
            row.update(id=form.db_id, workbook_id=workbook_id, position=start + offset)
            rows.append(row)
            for attr, (_cls, table, _flag) in FORM_LISTS.items():
                children[table].extend(self._item_rows(table, form.db_id, getattr(form, attr) or (), 0))
        if rows:
            self.conn.execute(_tables()["form"].insert(), rows)
        for table, item_rows in children.items():
            if item_rows:
                self.conn.execute(_tables()[table].insert(), item_rows)

    def _item_rows(self, table: str, form_id: int, items: Sequence[object], start: int) -> list[dict[str, Any]]:
        rows = []
        for offset, item in enumerate(items):
            fields = ITEM_FIELDS[type(item)]
            if ITEM_TABLE[type(item)] != table:
                raise TypeError(f"{type(item).__name__} does not belong in table {table}")
            item.db_id = self.new_id(table)  # type: ignore[attr-defined]
            row = {name: getattr(item, name) for name in fields}
            row.update(id=item.db_id, form_id=form_id, position=start + offset)  # type: ignore[attr-defined]
            rows.append(row)
        return rows

    def insert_items(self, table: str, form_id: int, items: Sequence[object], start: int) -> None:
        rows = self._item_rows(table, form_id, items, start)
        if rows:
            self.conn.execute(_tables()[table].insert(), rows)

    def delete(self, table: str, ids: Sequence[int | None]) -> None:
        tbl = _tables()[table]
        keys = [i for i in ids if i is not None]
        if keys:
            self.conn.execute(tbl.delete().where(tbl.c.id.in_(keys)))

    def delete_children(self, table: str, form_id: int) -> None:
        tbl = _tables()[table]
        self.conn.execute(tbl.delete().where(tbl.c.form_id == form_id))

    def renumber(self, table: str, items: Sequence[object]) -> None:
        """Write ``position = index`` for every item of a list."""
        if not items:
            return
        tbl = _tables()[table]
        key = (table, ("position",))
        stmt = self._updates.get(key)
        if stmt is None:
            from sqlalchemy import bindparam

            stmt = tbl.update().where(tbl.c.id == bindparam("_row_id")).values(position=bindparam("_pos"))
            self._updates[key] = stmt
        self.conn.execute(stmt, [{"_row_id": item.db_id, "_pos": i} for i, item in enumerate(items)])  # type: ignore[attr-defined]


# ---- the store ------------------------------------------------------------------------------------


def _make_engine(
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


def _alembic_upgrade(conn: Connection) -> None:
    """Run the migrations in ``migrations/`` on this connection (no alembic.ini: works when frozen)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = conn
    command.upgrade(config, "head")


class ReadOnlyStore:
    """The store of a workbook opened read-only: every write is refused with the reason."""

    def __init__(self, message: str) -> None:
        self.message = message or "工作簿以只读方式打开，不能修改。"

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Nothing to group; writes inside are refused."""
        yield

    def _refuse(self) -> None:
        raise WorkbookFileError(self.message)

    def update(self, obj: object, fields: Sequence[str]) -> None:
        """Refused."""
        self._refuse()

    def insert(self, parent: object, attr: str, index: int, items: Sequence[object]) -> None:
        """Refused."""
        self._refuse()

    def remove(self, parent: object, attr: str, items: Sequence[object]) -> None:
        """Refused."""
        self._refuse()

    def reorder(self, parent: object, attr: str) -> None:
        """Refused."""
        self._refuse()

    def set_child(self, parent: object, attr: str, old: object | None, new: object | None) -> None:
        """Refused."""
        self._refuse()

    def close(self) -> None:
        """Nothing is held open."""


class SqliteStore:
    """Writes the edits of one open workbook to its ``.jxdb`` file, one transaction per edit.

    Objects are found by their ``db_id`` (the row id, set on load and on insert). A form's single
    children (``unit``, ``budget``, ``signoff``) are columns of the form row and carry the form's
    ``db_id``; the workbook's own ``unit`` is recognised by identity.
    """

    def __init__(self, path: str | os.PathLike[str], workbook: Workbook, lock: WorkbookLock | None = None) -> None:
        self.path = Path(path)
        self.workbook = workbook
        #: Why the backup made on open failed ("" if it did not fail or none was asked for).
        self.backup_error = ""
        self._lock = lock
        self._engine: Engine | None = None
        self._conn: Connection | None = None
        self._writer_: _Writer | None = None
        # The file is opened for writing now (so that a file that cannot be written is refused at
        # once), with the standard sqlite3 module; SQLAlchemy takes this same connection over at
        # the first write or at ``prepare``, which keeps its import (~0.3 s) out of opening a workbook.
        self._raw: sqlite3.Connection | None = None
        self._closed = False
        try:
            with translated_errors():
                self._raw = sqlite3.connect(sqlite_uri(self.path, "rw"), uri=True, isolation_level=None)
                configure_connection(self._raw)
                self._raw.execute("BEGIN IMMEDIATE")
                self._next_ids = {
                    name: int(self._raw.execute(f"SELECT max(id) FROM {name}").fetchone()[0] or 0) + 1
                    for name in DATA_TABLES
                }
                self._file_id, self._data_version = self._stamp()
                self._raw.execute("COMMIT")
            self._identity = _file_identity(self.path)
            if lock is not None and lock.identity is not None and lock.identity != self._identity:
                raise WorkbookFileError(f"工作簿文件在打开时被替换了：{self.path}。请重新打开它。")
        except BaseException:
            self.close()
            raise

    # ---- transactions ----

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One SQLite transaction (``BEGIN IMMEDIATE`` … ``COMMIT``); rolled back if the block raises."""
        conn = self._connection()
        if conn.in_transaction():
            yield
            return
        self._check_still_there()
        with translated_errors():
            tx = conn.begin()
        try:
            with translated_errors():
                self._check_same_content()
            yield
        except BaseException:
            with contextlib.suppress(Exception):
                tx.rollback()
            raise
        try:
            tx.commit()
        except BaseException as exc:
            with contextlib.suppress(Exception):
                tx.rollback()
            with contextlib.suppress(Exception):  # SQLite keeps a transaction whose COMMIT failed open (busy)
                raw = conn.connection.dbapi_connection
                if raw is not None and raw.in_transaction:
                    raw.rollback()
            known = classify(exc)
            if known is None:
                raise
            raise known from exc

    def _check_still_there(self) -> None:
        """Refuse to write when the file was deleted, moved or replaced while open.

        SQLite would go on writing into the unlinked file (on Linux), and every later edit would
        vanish at close; the user is told instead and can 另存为 what the window shows.
        """
        try:
            same = _file_identity(self.path) == self._identity
        except OSError:
            same = False
        if not same:
            raise WorkbookFileError(
                f"工作簿文件已被删除、移动或替换：{self.path}。"
                "本次修改未保存；请用“文件 → 另存为”把当前内容保存到新文件。"
            )

    def _stamp(self) -> tuple[str, int]:
        """The file id stored inside and SQLite's data version (changes when anyone else writes the file)."""
        if self._conn is None and self._raw is not None:  # not handed to SQLAlchemy yet
            found = self._raw.execute("SELECT file_id FROM workbook").fetchall()
            (number,) = self._raw.execute("PRAGMA data_version").fetchone() or (0,)
            return (str(found[0][0]) if len(found) == 1 else ""), int(number)
        conn = self._connection()
        row = conn.exec_driver_sql("SELECT file_id FROM workbook").fetchall()
        (version,) = conn.exec_driver_sql("PRAGMA data_version").fetchone() or (0,)
        return (str(row[0][0]) if len(row) == 1 else ""), int(version)

    def _check_same_content(self) -> None:
        """Inside the write transaction: refuse if the file was rewritten by anyone but us since open.

        Another program, a copy over the file (``cp``, Explorer) or a sync tool changes SQLite's data
        version (the file change counter) or the file id; edits keyed by row id would then land in
        another workbook's rows. From then on every write is refused until the file is reopened.
        """
        if self._changed_under_us or self._stamp() != (self._file_id, self._data_version):
            self._changed_under_us = True
            raise WorkbookFileError(
                f"工作簿文件已被其他程序改写（可能被复制覆盖或被同步软件替换）：{self.path}。"
                "为避免写错内容，本次及以后的修改都不会写入它；请关闭后重新打开该文件，"
                "或用“文件 → 另存为”把窗口中的内容保存到新文件。"
            )

    _changed_under_us = False

    @contextlib.contextmanager
    def _write(self) -> Iterator[_Writer]:
        with self.transaction(), translated_errors():
            yield self._writer

    def _connection(self) -> Connection:
        if self._conn is None:
            if self._closed or self._raw is None:
                raise WorkbookFileError("工作簿已关闭，不能再修改。")
            raw, self._raw = self._raw, None
            with translated_errors():
                self._engine = _make_engine(self.path, opened=raw)
                self._conn = self._engine.connect()
                self._writer_ = _Writer(self._conn, self._next_ids)
        return self._conn

    def prepare(self) -> None:
        """Make ready for the first write now (imports SQLAlchemy): the window calls it once idle."""
        self._connection()
        _tables()

    @property
    def _writer(self) -> _Writer:
        self._connection()
        assert self._writer_ is not None
        return self._writer_

    # ---- Store protocol ----

    def update(self, obj: object, fields: Sequence[str]) -> None:
        """Write these fields of a stored object (one ``UPDATE`` per table touched)."""
        with self._write() as writer:
            if type(obj) in ITEM_TABLE:
                allowed = ITEM_FIELDS[type(obj)]
                values = {name: getattr(obj, name) for name in fields if _check_field(name, allowed)}
                writer.update(ITEM_TABLE[type(obj)], obj.db_id, values)  # type: ignore[attr-defined]
            elif isinstance(obj, Form):
                self._update_form(writer, obj, fields)
            elif isinstance(obj, Budget | Signoff):
                attr = _CHILD_ATTR_OF[type(obj)]
                _cls, _flag, prefix, allowed = FORM_CHILDREN[attr]
                values = {prefix + name: getattr(obj, name) for name in fields if _check_field(name, allowed)}
                writer.update("form", obj.db_id, values)
            elif isinstance(obj, Unit):
                names = [name for name in fields if _check_field(name, ("code", "name"))]
                values = {"unit_" + name: getattr(obj, name) for name in names}
                if obj is self.workbook.unit:
                    writer.update("workbook", self.workbook.db_id, values)
                else:
                    writer.update("form", obj.db_id, values)
            elif isinstance(obj, Workbook):
                self._update_workbook(writer, obj, fields)
            else:
                raise TypeError(f"cannot store {type(obj).__name__}")

    def _update_form(self, writer: _Writer, form: Form, fields: Sequence[str]) -> None:
        values: dict[str, Any] = {}
        for name in fields:
            if name in FORM_SCALARS:
                values[name] = getattr(form, name)
            elif name in FORM_CHILDREN:
                child = getattr(form, name)
                if child is not None:
                    child.db_id = form.db_id
                values.update(_child_columns(name, child))
            elif name in FORM_LISTS:
                _cls, table, flag = FORM_LISTS[name]
                items = getattr(form, name)
                if form.db_id is None:
                    raise ValueError("form is not stored (db_id is None)")
                writer.delete_children(table, form.db_id)
                writer.insert_items(table, form.db_id, items or (), 0)
                if flag is not None:
                    values[flag] = items is not None
            else:
                raise ValueError(f"Form has no stored field {name!r}")
        if values:
            writer.update("form", form.db_id, values)

    def _update_workbook(self, writer: _Writer, workbook: Workbook, fields: Sequence[str]) -> None:
        values: dict[str, Any] = {}
        for name in fields:
            if name in ("year", "ruleset", "template"):
                values[name] = getattr(workbook, name)
            elif name == "unit":
                workbook.unit.db_id = workbook.db_id
                values.update(unit_code=workbook.unit.code, unit_name=workbook.unit.name)
            elif name == "forms":
                if workbook.db_id is None:
                    raise ValueError("workbook is not stored (db_id is None)")
                writer.conn.execute(_tables()["form"].delete().where(_tables()["form"].c.workbook_id == workbook.db_id))
                writer.insert_forms(workbook.db_id, workbook.forms, 0)
            else:
                raise ValueError(f"Workbook has no stored field {name!r}")
        if values:
            writer.update("workbook", workbook.db_id, values)

    def insert(self, parent: object, attr: str, index: int, items: Sequence[object]) -> None:
        """Store new items now at ``parent.<attr>[index:index+len(items)]`` and renumber the list."""
        with self._write() as writer:
            if isinstance(parent, Workbook) and attr == "forms":
                if parent.db_id is None:
                    raise ValueError("workbook is not stored (db_id is None)")
                writer.insert_forms(parent.db_id, [_as(Form, item) for item in items], index)
                writer.renumber("form", parent.forms)
            elif isinstance(parent, Form) and attr in FORM_LISTS:
                cls, table, flag = FORM_LISTS[attr]
                if parent.db_id is None:
                    raise ValueError("form is not stored (db_id is None)")
                writer.insert_items(table, parent.db_id, [_as(cls, item) for item in items], index)
                writer.renumber(table, getattr(parent, attr))
                if flag is not None:
                    writer.update("form", parent.db_id, {flag: True})
            else:
                raise ValueError(f"{type(parent).__name__}.{attr} is not a stored list")

    def remove(self, parent: object, attr: str, items: Sequence[object]) -> None:
        """Delete these items' rows (their own lists go with them: ON DELETE CASCADE)."""
        with self._write() as writer:
            writer.delete(self._list_table(parent, attr), [item.db_id for item in items])  # type: ignore[attr-defined]

    def reorder(self, parent: object, attr: str) -> None:
        """Write ``position`` of every item of ``parent.<attr>`` as the list now stands."""
        with self._write() as writer:
            writer.renumber(self._list_table(parent, attr), getattr(parent, attr) or ())

    def set_child(self, parent: object, attr: str, old: object | None, new: object | None) -> None:
        """Set or clear ``form.unit`` / ``form.budget`` / ``form.signoff`` (or replace ``workbook.unit``)."""
        with self._write() as writer:
            if isinstance(parent, Form) and attr in FORM_CHILDREN:
                cls = FORM_CHILDREN[attr][0]
                if new is not None:
                    child: Unit | Budget | Signoff = _as(cls, new)
                    child.db_id = parent.db_id
                writer.update("form", parent.db_id, _child_columns(attr, new))
            elif isinstance(parent, Workbook) and attr == "unit":
                unit = _as(Unit, new) if new is not None else Unit()
                unit.db_id = parent.db_id
                writer.update("workbook", parent.db_id, {"unit_code": unit.code, "unit_name": unit.name})
            else:
                raise ValueError(f"{type(parent).__name__}.{attr} is not a stored child")

    def close(self) -> None:
        """Close the connection (the journal is gone; the ``.jxdb`` alone is whole) and release the lock."""
        self._closed = True
        try:
            if self._raw is not None:
                with contextlib.suppress(Exception):
                    if self._raw.in_transaction:
                        self._raw.rollback()
                self._raw.close()
            if self._conn is not None:
                with contextlib.suppress(Exception):
                    if self._conn.in_transaction():
                        self._conn.rollback()
                self._conn.close()
            if self._engine is not None:
                self._engine.dispose()
        finally:
            self._raw = None
            self._conn = None
            self._engine = None
            if self._lock is not None:
                self._lock.release()
                self._lock = None

    @staticmethod
    def _list_table(parent: object, attr: str) -> str:
        if isinstance(parent, Workbook) and attr == "forms":
            return "form"
        if isinstance(parent, Form) and attr in FORM_LISTS:
            return FORM_LISTS[attr][1]
        raise ValueError(f"{type(parent).__name__}.{attr} is not a stored list")


def _file_identity(path: Path) -> tuple[int, int]:
    """Device and inode of a file: changes when it is deleted and recreated or replaced."""
    info = os.stat(path)
    return info.st_dev, info.st_ino


def _check_field(name: str, allowed: Sequence[str]) -> bool:
    if name not in allowed:
        raise ValueError(f"no stored field {name!r}")
    return True


def _as(cls: type[_T], obj: object) -> _T:
    if not isinstance(obj, cls):
        raise TypeError(f"expected {cls.__name__}, got {type(obj).__name__}")
    return obj


# ---- checking a file before anything could change it ----------------------------------------------


class _HotJournal(Exception):
    """The file has a journal left by a crashed writer; it must be rolled back before reading."""


@dataclass(frozen=True)
class FileHeader:
    """What the 100-byte SQLite header says about a file."""

    page_size: int
    page_count: int
    count_valid: bool
    user_version: int
    application_id: int


NEWER_MESSAGE = (
    "此工作簿由更新版本的“预算绩效填报”保存（文件格式版本 {found}，本程序只支持到版本 {supported}），"
    "请升级程序后再打开。文件未作任何改动。"
)


def _looks_like_json(raw: bytes) -> bool:
    return raw.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n").startswith((b"{", b"["))


def read_header(path: str | os.PathLike[str]) -> FileHeader:
    """Check that ``path`` is a workbook file of a version this program reads, from its header only.

    Raises:
        WorkbookFileError: not found, empty, JSON, not SQLite, another program's SQLite, too new.
    """
    target = Path(path)
    try:
        if not target.exists():
            raise WorkbookFileError(f"找不到文件：{target}")
        if not target.is_file():
            raise WorkbookFileError(f"{target} 不是文件。")
        with open(target, "rb") as handle:
            raw = handle.read(100)
    except OSError as exc:
        known = classify(exc)
        raise (known or WorkbookFileError(f"无法读取 {target}：{describe_os_error(exc)}")) from None
    if not raw:
        raise WorkbookFileError(f"文件是空的（0 字节），不是预算绩效工作簿：{target.name}")
    if not raw.startswith(SQLITE_MAGIC):
        if _looks_like_json(raw):
            raise WorkbookFileError(f"{target.name} 是 JSON 交换文件，不是工作簿文件（.jxdb）。请用“导入”打开它。")
        raise WorkbookFileError(f"{target.name} 不是预算绩效工作簿文件（.jxdb）。")
    if len(raw) < 100:
        raise WorkbookFileError(f"工作簿文件 {target.name} 不完整（可能在复制时被截断），无法打开。请从备份恢复。")
    (page_size,) = struct.unpack(">H", raw[16:18])
    (page_count,) = struct.unpack(">I", raw[28:32])
    (user_version,) = struct.unpack(">i", raw[60:64])
    (application_id,) = struct.unpack(">i", raw[68:72])
    header = FileHeader(
        page_size=65536 if page_size == 1 else page_size,
        page_count=page_count,
        count_valid=raw[24:28] == raw[92:96],
        user_version=user_version,
        application_id=application_id,
    )
    if application_id != APPLICATION_ID:
        raise WorkbookFileError(f"{target.name} 是其他程序的 SQLite 数据库，不是预算绩效工作簿。")
    if user_version > SCHEMA_VERSION:
        raise WorkbookFileError(NEWER_MESSAGE.format(found=user_version, supported=SCHEMA_VERSION))
    return header


def _journal_of(path: Path) -> Path:
    return path.with_name(path.name + "-journal")


def _check_size(path: Path) -> None:
    """Refuse a file shorter than its header says (truncated by a copy), unless a journal explains it."""
    journal = _journal_of(path)
    if journal.exists() and journal.stat().st_size > 0:
        return
    header = read_header(path)
    if header.count_valid and header.page_count and path.stat().st_size < header.page_size * header.page_count:
        raise WorkbookFileError(f"工作簿文件 {path.name} 不完整（可能在复制时被截断），无法打开。请从备份恢复。")


def _corrupt(detail: str) -> WorkbookFileError:
    return WorkbookFileError(f"工作簿文件已损坏或被其他程序改动过（{detail}），无法打开。请从备份恢复。")


def _foreign(detail: str) -> WorkbookFileError:
    return WorkbookFileError(f"文件{detail}，不是本程序保存的预算绩效工作簿；为安全起见不打开它。文件未作任何改动。")


def validate(conn: sqlite3.Connection) -> str:
    """Check an open workbook database; returns its Alembic revision.

    Checks: only the expected tables and their indexes (no triggers, views, virtual or unknown
    tables), ``quick_check``, the version row against ``user_version``, and at the current
    revision the exact columns and ``foreign_key_check``.
    """
    try:
        master = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    except sqlite3.OperationalError as exc:
        if getattr(exc, "sqlite_errorname", "") == "SQLITE_READONLY_ROLLBACK":
            raise _HotJournal() from exc
        raise
    tables: set[str] = set()
    for kind, name, table, sql in master:
        if kind in ("trigger", "view"):
            raise _foreign("含有触发器或视图")
        if kind == "table":
            if name not in ALLOWED_TABLES:
                raise _foreign(f"含有本程序不认识的数据表“{name}”")
            if not str(sql or "").lstrip().upper().startswith("CREATE TABLE"):
                raise _foreign(f"的数据表“{name}”不是普通数据表")
            tables.add(name)
        elif kind != "index" or table not in ALLOWED_TABLES:
            raise _foreign(f"含有本程序不认识的对象“{name}”")
    missing = sorted(ALLOWED_TABLES - tables)
    if missing:
        raise _foreign(f"缺少数据表“{missing[0]}”")
    check = conn.execute("PRAGMA quick_check").fetchall()
    if check != [("ok",)]:
        raise _corrupt("完整性检查未通过")
    versions = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    (user_version,) = conn.execute("PRAGMA user_version").fetchone()
    if len(versions) != 1:
        raise _corrupt("版本记录缺失")
    revision = versions[0][0]
    if revision not in REVISIONS:
        raise WorkbookFileError(
            f"此工作簿的版本标记“{str(revision)[:40]}”本程序不认识，可能由更新版本的“预算绩效填报”保存，"
            "请升级程序后再打开。文件未作任何改动。"
        )
    if REVISIONS.index(revision) + 1 != user_version:
        raise _corrupt("版本记录不一致")
    if revision == HEAD_REVISION:
        for name, columns in HEAD_COLUMNS.items():
            found = {row[1] for row in conn.execute(f'PRAGMA table_info("{name}")')}
            if found != set(columns):
                raise _foreign(f"的数据表“{name}”的列与本程序不符")
        if conn.execute("PRAGMA foreign_key_check").fetchone() is not None:
            raise _corrupt("存在无所属表格的行")
    from desktop.models.storage.schema_check import expected, signature

    if signature(conn) != expected(revision):  # an extra index, a changed column, a missing index …
        raise _foreign("的表结构与本程序为该版本建立的不同（多出或缺少索引、列或约束）")
    return str(revision)


# ---- loading rows into domain objects ---------------------------------------------------------------


class _Bad(Exception):
    pass


def _text(value: object) -> str:
    if type(value) is not str:
        raise _Bad
    return value


def _opt_text(value: object) -> str | None:
    if value is None:
        return None
    if type(value) is not str:
        raise _Bad
    return value


def _int(value: object) -> int:
    if type(value) is not int:
        raise _Bad
    return value


def _opt_int(value: object) -> int | None:
    return None if value is None else _int(value)


def _opt_dec(value: object) -> Decimal | None:
    if value is None:
        return None
    try:
        return text_to_decimal(value)
    except ValueError:
        raise _Bad from None


def _flag(value: object) -> bool:
    if value not in (0, 1) or type(value) is not int:
        raise _Bad
    return bool(value)


def _select(conn: sqlite3.Connection, table: str, order: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    columns = list(HEAD_COLUMNS[table])
    sql = f"SELECT {', '.join(f'{chr(34)}{c}{chr(34)}' for c in columns)} FROM {table} ORDER BY {order}"
    return columns, conn.execute(sql).fetchall()


def load(conn: sqlite3.Connection) -> Workbook:
    """Read the whole workbook (already validated at the current revision) into domain objects."""
    where = "工作簿记录"
    try:
        _cols, rows = _select(conn, "workbook", "id")
        if len(rows) != 1:
            raise _corrupt("应有且只有一个工作簿记录")
        wid, unit_code, unit_name, year, ruleset, template, _file_id = rows[0]
        workbook = Workbook(
            unit=Unit(code=_text(unit_code), name=_text(unit_name), db_id=wid),
            year=_opt_int(year),
            ruleset=_text(ruleset),
            template=_text(template),
            db_id=_int(wid),
        )
        forms: dict[int, Form] = {}
        where = "表格记录"
        cols, rows = _select(conn, "form", "position, id")
        c = {name: i for i, name in enumerate(cols)}
        for row in rows:
            where = f"表格记录 #{row[0]}"
            form_id = _int(row[c["id"]])
            form = Form(
                kind=FormKind(_text(row[c["kind"]])),
                title=_text(row[c["title"]]),
                code=_opt_text(row[c["code"]]),
                department=_opt_text(row[c["department"]]),
                money_unit=_opt_text(row[c["money_unit"]]),
                purpose=_opt_text(row[c["purpose"]]),
                exec_weight=_opt_dec(row[c["exec_weight"]]),
                exec_score=_opt_dec(row[c["exec_score"]]),
                overall_target=_opt_text(row[c["overall_target"]]),
                overall_actual=_opt_text(row[c["overall_actual"]]),
                deviation=_opt_text(row[c["deviation"]]),
                printed_total=_opt_dec(row[c["printed_total"]]),
                conclusion=_opt_text(row[c["conclusion"]]),
                notes=_opt_text(row[c["notes"]]),
                db_id=form_id,
            )
            if _flag(row[c["has_unit"]]):
                form.unit = Unit(code=_text(row[c["unit_code"]]), name=_text(row[c["unit_name"]]), db_id=form_id)
            if _flag(row[c["has_budget"]]):
                form.budget = Budget(
                    amount=_opt_dec(row[c["budget_amount"]]),
                    fiscal=_opt_dec(row[c["budget_fiscal"]]),
                    other=_opt_dec(row[c["budget_other"]]),
                    db_id=form_id,
                )
            if _flag(row[c["has_signoff"]]):
                form.signoff = Signoff(
                    head=_opt_text(row[c["signoff_head"]]),
                    preparer=_opt_text(row[c["signoff_preparer"]]),
                    phone=_opt_text(row[c["signoff_phone"]]),
                    date=_opt_text(row[c["signoff_date"]]),
                    db_id=form_id,
                )
            form.funds = [] if _flag(row[c["has_funds"]]) else None
            form.goals = [] if _flag(row[c["has_goals"]]) else None
            form.spending_plan = [] if _flag(row[c["has_spending_plan"]]) else None
            forms[form_id] = form
            workbook.forms.append(form)
        order = "form_id, position, id"
        where = "资金行记录"
        for fid, form_id, _pos, line, initial, full_year, executed in _select(conn, "fund_line", order)[1]:
            where = f"资金行记录 #{fid}"
            if line not in FUND_LINES:
                raise _Bad
            fund = FundLine(line, _opt_dec(initial), _opt_dec(full_year), _opt_dec(executed), db_id=fid)
            _list_of(forms[form_id], "funds").append(fund)
        where = "支出计划记录"
        for sid, form_id, _pos, by, percent in _select(conn, "spending_step", order)[1]:
            where = f"支出计划记录 #{sid}"
            _list_of(forms[form_id], "spending_plan").append(SpendingStep(_text(by), _opt_dec(percent), db_id=sid))
        where = "绩效目标记录"
        for gid, form_id, _pos, no, target, actual in _select(conn, "goal", order)[1]:
            where = f"绩效目标记录 #{gid}"
            _list_of(forms[form_id], "goals").append(Goal(_int(no), _opt_text(target), _opt_text(actual), db_id=gid))
        where = "指标记录"
        cols, rows = _select(conn, "indicator", order)
        if cols[3:] != list(ITEM_FIELDS[Indicator]):
            raise _Bad
        for iid, form_id, _pos, l1, l2, name, desc, target, basis, actual, weight, score, dev, goal, band in rows:
            where = f"指标记录 #{iid}"
            forms[form_id].indicators.append(
                Indicator(
                    level1=_text(l1),
                    level2=_text(l2),
                    name=_text(name),
                    description=_opt_text(desc),
                    target=_opt_text(target),
                    basis=_opt_text(basis),
                    actual=_opt_text(actual),
                    weight=_opt_dec(weight),
                    score=_opt_dec(score),
                    deviation=_opt_text(dev),
                    goal=_opt_int(goal),
                    band=None if band is None else Band(_text(band)),
                    db_id=iid,
                )
            )
    except (_Bad, ValueError, KeyError):
        raise _corrupt(f"{where}的内容不合规") from None
    return workbook


def _list_of(form: Form, attr: str) -> list[Any]:
    items = getattr(form, attr)
    if items is None:  # rows present although the form says the list is absent
        raise _Bad
    return items  # type: ignore[no-any-return]


def _inspect_and_load(path: Path, *, recover: bool) -> tuple[str, Workbook | None]:
    """Validate the file through a read-only connection; load it if it is at the current revision.

    With ``recover``, a journal left by a crashed writer is rolled back in place first (the caller
    holds the lock); without, ``_HotJournal`` is raised.
    """
    for attempt in range(2):
        with translated_errors():
            _check_size(path)
            conn = connect_read_only(path)
            try:
                revision = validate(conn)
                return revision, load(conn) if revision == HEAD_REVISION else None
            except UnicodeDecodeError:
                raise _corrupt("文本内容不是有效的 UTF-8") from None
            except sqlite3.OperationalError as exc:
                if "decode" not in str(exc).lower():  # found by fuzzing: damaged text bytes in a row
                    raise
                raise _corrupt("文本内容不是有效的 UTF-8") from None
            except _HotJournal:
                if not recover or attempt:
                    raise
            finally:
                conn.close()
            _roll_back_journal(path)
    raise AssertionError("unreachable")  # pragma: no cover


def _roll_back_journal(path: Path) -> None:
    """Let SQLite roll back the hot journal of a crashed writer (a read-write open does it)."""
    conn = sqlite3.connect(sqlite_uri(path, "rw"), uri=True, isolation_level=None)
    try:
        configure_connection(conn)
        conn.execute("PRAGMA schema_version").fetchone()
    finally:
        conn.close()


def _migrate(path: Path) -> None:
    engine = _make_engine(path)
    try:
        with translated_errors(), engine.connect() as conn:
            _alembic_upgrade(conn)
    finally:
        engine.dispose()


def _load_copy(path: Path) -> Workbook:
    """Load a workbook without writing to it: recover and/or migrate a temporary copy instead."""
    with tempfile.TemporaryDirectory(prefix="jixiao-", ignore_cleanup_errors=True) as folder:
        copy_path = Path(folder) / "copy.jxdb"
        with translated_errors():
            shutil.copyfile(path, copy_path)
            journal = _journal_of(path)
            if journal.exists():
                shutil.copyfile(journal, _journal_of(copy_path))
        revision, workbook = _inspect_and_load(copy_path, recover=True)
        if workbook is None:
            _migrate(copy_path)
            revision, workbook = _inspect_and_load(copy_path, recover=False)
        if workbook is None:  # pragma: no cover - migrations always end at the head
            raise _corrupt("升级失败")
        return workbook


def _load_read_only(path: Path) -> Workbook:
    try:
        _revision, workbook = _inspect_and_load(path, recover=False)
    except _HotJournal:
        workbook = None
    return workbook if workbook is not None else _load_copy(path)


# ---- public API ----------------------------------------------------------------------------------


def open_workbook(
    path: str | os.PathLike[str], *, read_only: bool = False, backup_dir: str | os.PathLike[str] | None = None
) -> WorkbookDocument:
    """Open a ``.jxdb`` workbook for editing (or read-only) and load it whole.

    The file is checked before anything could change it; a file of another program, a damaged or
    truncated file, or one from a newer version of this program is refused with a Chinese
    ``WorkbookFileError`` and left as it was. If another program holds the workbook (lock file),
    or the file or its folder is read-only, it opens read-only and ``document.lock_message`` says why.

    Args:
        path: the workbook file.
        read_only: open without the lock and refuse every edit.
        backup_dir: when given (and the workbook opens for writing), a backup copy is kept there
            before any migration (see ``backups.make_backup``).
    """
    target = Path(path)
    read_header(target)
    lock: WorkbookLock | None = None
    refusal: LockRefusal | None = None
    if not read_only:
        lock, refusal = acquire(target)
        if lock is not None and not os.access(target, os.W_OK):
            lock.release()
            lock, refusal = None, LockRefusal("工作簿文件是只读的")
    if lock is None:
        workbook = _load_read_only(target)
        message = read_only_message(refusal) if refusal is not None else ""
        document = WorkbookDocument(workbook, ReadOnlyStore(message), path=str(target), read_only=True)
        document.lock_message = message
        document.lock_refusal = refusal
        return document
    try:
        revision, loaded = _inspect_and_load(target, recover=True)
        backup_error = ""
        if backup_dir is not None:
            from desktop.models.storage.backups import make_backup

            try:
                make_backup(target, backup_dir)
            except WorkbookFileError as exc:  # the workbook still opens; the GUI may warn
                backup_error = exc.message
        if loaded is None:
            _migrate(target)
            revision, loaded = _inspect_and_load(target, recover=False)
        if loaded is None:  # pragma: no cover - migrations always end at the head
            raise _corrupt("升级失败")
        store = SqliteStore(target, loaded, lock)
        store.backup_error = backup_error
    except BaseException:
        lock.release()
        raise
    return WorkbookDocument(loaded, store, path=str(target))


def _build_file(path: Path, workbook: Workbook) -> None:
    engine = _make_engine(path, create=True, bulk=True)
    try:
        with translated_errors(), engine.connect() as conn:
            _alembic_upgrade(conn)
            with conn.begin():
                _Writer(conn).insert_workbook(workbook)
    finally:
        engine.dispose()


def create_workbook_file(path: str | os.PathLike[str], workbook: Workbook) -> WorkbookDocument:
    """Write ``workbook`` as a new ``.jxdb`` file (whole or not at all) and open it for editing.

    The file is built under a temporary name in the same folder, fsynced, then renamed over
    ``path``: a process killed at any moment leaves no file or a complete one. ``db_id`` of every
    object is set. Refuses to overwrite a workbook another program holds.
    """
    target = Path(path)
    if not os.access(target.parent if str(target.parent) else ".", os.W_OK):
        raise WorkbookFileError(f"工作簿所在文件夹是只读的，不能写入 {target.name}。请换一个位置保存。")
    old_lock: WorkbookLock | None = None
    if os.path.lexists(target):
        if not target.is_file():
            raise WorkbookFileError(f"{target} 不是文件，不能写入。")
        old_lock, refusal = acquire(target)  # nobody else may hold the workbook being replaced
        if old_lock is None:
            reason = refusal.reason if refusal is not None else "无法取得工作簿的锁"
            raise WorkbookFileError(f"{reason}，不能写入 {target.name}。")
    new_lock: OsLock | None = None
    lock: WorkbookLock | None = None
    try:
        try:
            with atomic_path(target, replace_workbook=True) as tmp:
                _build_file(tmp, workbook)
                # Lock the complete file before it gets its name: no other program can take it between.
                with contextlib.suppress(LockUnsupported):
                    new_lock = try_lock(tmp)
        except UserError as exc:
            if isinstance(exc, WorkbookFileError):
                raise
            raise WorkbookFileError(exc.message) from exc
        if old_lock is not None:
            old_lock.release()
            old_lock = None
        lock, refusal = adopt_lock(target, new_lock)
        new_lock = None
        if lock is None:
            reason = refusal.reason if refusal is not None else "无法取得工作簿的锁"
            raise WorkbookFileError(f"{reason}，不能写入 {target.name}。")
        store = SqliteStore(target, workbook, lock)
    except BaseException:
        for held in (old_lock, lock, new_lock):
            if held is not None:
                held.release()
        raise
    return WorkbookDocument(workbook, store, path=str(target))


def save_as(document: WorkbookDocument, path: str | os.PathLike[str]) -> WorkbookDocument:
    """Write a copy of the document's workbook to ``path`` and open it (the old document stays open).

    The new document holds its own copy of the domain tree; the caller closes the old one and
    shows the new one. Saving onto the document's own file returns the document unchanged (every
    edit is already saved).
    """
    target = Path(path)
    if document.path is not None and _same_file(Path(document.path), target):
        return document
    return create_workbook_file(target, copy.deepcopy(document.workbook))


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (b.exists() and a.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def import_json(json_path: str | os.PathLike[str], out_path: str | os.PathLike[str]) -> Path:
    """Read an interchange JSON file and write it as a new workbook file; returns the path written.

    ``out_path`` may replace an existing workbook that nobody holds, never any other file.
    """
    source, target = Path(json_path), Path(out_path)
    if target.exists() and _same_file(source, target):
        raise WorkbookFileError("导入的 JSON 文件和要写入的工作簿是同一个文件。")
    return write_imported(interchange.load_path(str(source)), source, target)


def write_imported(workbook: Workbook, source: str | os.PathLike[str], out_path: str | os.PathLike[str]) -> Path:
    """Write a workbook read from ``source`` (JSON, Excel) as a new workbook file, whole or not at all.

    ``out_path`` may replace an existing workbook that nobody holds, never any other file (nor ``source``).
    """
    target = Path(out_path)
    if target.exists():
        if _same_file(Path(source), target):
            raise WorkbookFileError("导入的文件和要写入的工作簿是同一个文件。")
        try:
            read_header(target)
        except WorkbookFileError:
            raise WorkbookFileError(f"{target} 已存在且不是预算绩效工作簿，不会覆盖它。请换一个文件名。") from None
    create_workbook_file(target, workbook).close()
    return target


def export_json(path: str | os.PathLike[str], out_json: str | os.PathLike[str]) -> None:
    """Write a workbook (``.jxdb`` or JSON) as interchange JSON, whole or not at all."""
    workbook = load_any(path)
    write_atomically(out_json, interchange.dumps(workbook).encode("utf-8"))


def load_any(path: str | os.PathLike[str]) -> Workbook:
    """Read a workbook from a ``.jxdb`` file or an interchange JSON file (detected by content)."""
    target = Path(path)
    try:
        with open(target, "rb") as handle:
            raw = handle.read(64)
    except OSError as exc:
        known = classify(exc)
        raise (known or WorkbookFileError(f"无法读取 {target}：{describe_os_error(exc)}")) from None
    if raw.startswith(SQLITE_MAGIC):
        document = open_workbook(target, read_only=True)
        document.close()
        return document.workbook
    if _looks_like_json(raw):
        return interchange.load_path(str(target))
    if not raw:
        raise WorkbookFileError(f"文件是空的（0 字节）：{target.name}")
    raise WorkbookFileError(f"{target.name} 既不是预算绩效工作簿（.jxdb），也不是 JSON 交换文件。")
