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

The parts live beside this module: ``file_checks.py`` (header, size, journal, ``validate``),
``loader.py`` (rows → domain objects), ``columns.py`` (domain fields → columns) and ``writer.py``
(the SQLAlchemy engine, migrations and row writer).
"""

from __future__ import annotations

import contextlib
import copy
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from desktop.models.errors import UserError, WorkbookFileError, describe_os_error
from desktop.models.formats import interchange
from desktop.models.storage.atomic import atomic_path, write_atomically
from desktop.models.storage.columns import (
    CHILD_ATTR_OF,
    FORM_CHILDREN,
    FORM_LISTS,
    FORM_SCALARS,
    ITEM_FIELDS,
    ITEM_TABLE,
    child_columns,
)
from desktop.models.storage.file_checks import (
    NEWER_MESSAGE,
    SQLITE_MAGIC,
    FileHeader,
    HotJournal,
    corrupt,
    journal_of,
    looks_like_json,
    read_header,
)
from desktop.models.storage.fresh import build_file
from desktop.models.storage.identity import DATA_TABLES, configure_connection
from desktop.models.storage.loader import inspect_and_load
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
from desktop.models.storage.sqlite_file import sqlite_uri
from desktop.models.storage.writer import Writer, alembic_upgrade, make_engine, tables
from desktop.models.workbook.document import WorkbookDocument
from desktop.models.workbook.domain import Budget, Form, Signoff, Unit, Workbook

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

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

_T = TypeVar("_T")


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
        self._backup_dir: Path | None = None  # a backup still to make before the first write
        self._lock = lock
        self._engine: Engine | None = None
        self._conn: Connection | None = None
        self._writer_: Writer | None = None
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
        raw = self._raw
        if self._conn is not None or raw is None:
            # The same sqlite3 connection SQLAlchemy holds, inside its transaction: two reads on every edit
            # without SQLAlchemy's statement machinery (~0.2 ms of the key path).
            driver = self._connection().connection.driver_connection
            assert isinstance(driver, sqlite3.Connection)
            raw = driver
        found = raw.execute("SELECT file_id FROM workbook").fetchall()
        (number,) = raw.execute("PRAGMA data_version").fetchone() or (0,)
        return (str(found[0][0]) if len(found) == 1 else ""), int(number)

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
    def _write(self) -> Iterator[Writer]:
        with self.transaction(), translated_errors():
            yield self._writer

    def backup_before_writing(self, backup_dir: str | os.PathLike[str]) -> None:
        """Keep a backup of the file as opened in ``backup_dir`` when the writer is first readied (``prepare``,
        which the window calls once the first form has painted, or the first write), not while opening; at
        the latest when the store closes."""
        self._backup_dir = Path(backup_dir)

    def _make_pending_backup(self) -> None:
        folder, self._backup_dir = self._backup_dir, None
        if folder is not None:
            self.backup_error = _backup(self.path, folder)  # the workbook is still written; the GUI may warn

    def _connection(self) -> Connection:
        if self._conn is None:
            if self._closed or self._raw is None:
                raise WorkbookFileError("工作簿已关闭，不能再修改。")
            self._make_pending_backup()  # before anything is written
            raw, self._raw = self._raw, None
            with translated_errors():
                self._engine = make_engine(self.path, opened=raw)
                self._conn = self._engine.connect()
                self._writer_ = Writer(self._conn, self._next_ids)
        return self._conn

    def prepare(self) -> None:
        """Make ready for the first write now (imports SQLAlchemy): the window calls it once idle."""
        self._connection()
        tables()

    @property
    def _writer(self) -> Writer:
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
                attr = CHILD_ATTR_OF[type(obj)]
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

    def _update_form(self, writer: Writer, form: Form, fields: Sequence[str]) -> None:
        values: dict[str, Any] = {}
        for name in fields:
            if name in FORM_SCALARS:
                values[name] = getattr(form, name)
            elif name in FORM_CHILDREN:
                child = getattr(form, name)
                if child is not None:
                    child.db_id = form.db_id
                values.update(child_columns(name, child))
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

    def _update_workbook(self, writer: Writer, workbook: Workbook, fields: Sequence[str]) -> None:
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
                writer.conn.execute(tables()["form"].delete().where(tables()["form"].c.workbook_id == workbook.db_id))
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
                writer.update("form", parent.db_id, child_columns(attr, new))
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
            try:
                self._make_pending_backup()  # closed before its first paint: every opening still keeps one
            finally:
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


def _migrate(path: Path) -> None:
    engine = make_engine(path)
    try:
        with translated_errors(), engine.connect() as conn:
            alembic_upgrade(conn)
    finally:
        engine.dispose()


def _load_copy(path: Path) -> Workbook:
    """Load a workbook without writing to it: recover and/or migrate a temporary copy instead."""
    with tempfile.TemporaryDirectory(prefix="jixiao-", ignore_cleanup_errors=True) as folder:
        copy_path = Path(folder) / "copy.jxdb"
        with translated_errors():
            shutil.copyfile(path, copy_path)
            journal = journal_of(path)
            if journal.exists():
                shutil.copyfile(journal, journal_of(copy_path))
        revision, workbook = inspect_and_load(copy_path, recover=True)
        if workbook is None:
            _migrate(copy_path)
            revision, workbook = inspect_and_load(copy_path, recover=False)
        if workbook is None:  # pragma: no cover - migrations always end at the head
            raise corrupt("升级失败")
        return workbook


def _load_read_only(path: Path) -> Workbook:
    try:
        _revision, workbook = inspect_and_load(path, recover=False)
    except HotJournal:
        workbook = None
    return workbook if workbook is not None else _load_copy(path)


# ---- public API ----------------------------------------------------------------------------------


def _backup(path: Path, folder: str | os.PathLike[str]) -> str:
    """Keep a backup of ``path`` in ``folder``; why it failed ("" when made): the workbook still opens."""
    from desktop.models.storage.backups import make_backup

    try:
        make_backup(path, folder)
    except WorkbookFileError as exc:
        return exc.message
    return ""


def open_workbook(
    path: str | os.PathLike[str],
    *,
    read_only: bool = False,
    backup_dir: str | os.PathLike[str] | None = None,
    backup_later: bool = False,
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
        backup_later: make that backup when the writer is first readied instead (``SqliteStore.prepare``
            or the first write), unless the file needs a migration now: the window shows the first form
            sooner (copying and syncing a 600-form workbook took ~30 ms of CPU and a disk flush).
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
        revision, loaded = inspect_and_load(target, recover=True)
        later = backup_later and loaded is not None
        backup_error = _backup(target, backup_dir) if backup_dir is not None and not later else ""
        if loaded is None:
            _migrate(target)
            revision, loaded = inspect_and_load(target, recover=False)
        if loaded is None:  # pragma: no cover - migrations always end at the head
            raise corrupt("升级失败")
        store = SqliteStore(target, loaded, lock)
        store.backup_error = backup_error
        if backup_dir is not None and later:
            store.backup_before_writing(backup_dir)
    except BaseException:
        lock.release()
        raise
    return WorkbookDocument(loaded, store, path=str(target))


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
                build_file(tmp, workbook)  # the head schema and the rows, with sqlite3 alone
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
    if looks_like_json(raw):
        return interchange.load_path(str(target))
    if not raw:
        raise WorkbookFileError(f"文件是空的（0 字节）：{target.name}")
    raise WorkbookFileError(f"{target.name} 既不是预算绩效工作簿（.jxdb），也不是 JSON 交换文件。")
