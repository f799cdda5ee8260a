"""Checking a workbook file before anything could change it: its header, size, journal and tables.

``read_header`` reads the 100-byte SQLite header (not SQLite, JSON, another program's database, a
newer version, truncated); ``check_size`` refuses a file shorter than its header says; ``validate``
checks an open connection (only our tables, no triggers or views, ``quick_check``, the version row,
columns, foreign keys, the exact schema). The refusals (``corrupt`` and the hostile-file rules) are
Chinese ``WorkbookFileError``s. Standard ``sqlite3`` only: no SQLAlchemy on the read path.
"""

from __future__ import annotations

import os
import sqlite3
import struct
from dataclasses import dataclass
from pathlib import Path

from desktop.models.errors import WorkbookFileError, describe_os_error
from desktop.models.storage.identity import (
    ALLOWED_TABLES,
    APPLICATION_ID,
    HEAD_COLUMNS,
    HEAD_REVISION,
    REVISIONS,
    SCHEMA_VERSION,
)
from desktop.models.storage.safety import classify

SQLITE_MAGIC = b"SQLite format 3\x00"


class HotJournal(Exception):
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


def looks_like_json(raw: bytes) -> bool:
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
        if looks_like_json(raw):
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


def journal_of(path: Path) -> Path:
    return path.with_name(path.name + "-journal")


def check_size(path: Path) -> None:
    """Refuse a file shorter than its header says (truncated by a copy), unless a journal explains it."""
    journal = journal_of(path)
    if journal.exists() and journal.stat().st_size > 0:
        return
    header = read_header(path)
    if header.count_valid and header.page_count and path.stat().st_size < header.page_size * header.page_count:
        raise WorkbookFileError(f"工作簿文件 {path.name} 不完整（可能在复制时被截断），无法打开。请从备份恢复。")


def corrupt(detail: str) -> WorkbookFileError:
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
            raise HotJournal() from exc
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
        raise corrupt("完整性检查未通过")
    versions = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    (user_version,) = conn.execute("PRAGMA user_version").fetchone()
    if len(versions) != 1:
        raise corrupt("版本记录缺失")
    revision = versions[0][0]
    if revision not in REVISIONS:
        raise WorkbookFileError(
            f"此工作簿的版本标记“{str(revision)[:40]}”本程序不认识，可能由更新版本的“预算绩效填报”保存，"
            "请升级程序后再打开。文件未作任何改动。"
        )
    if REVISIONS.index(revision) + 1 != user_version:
        raise corrupt("版本记录不一致")
    if revision == HEAD_REVISION:
        for name, columns in HEAD_COLUMNS.items():
            found = {row[1] for row in conn.execute(f'PRAGMA table_info("{name}")')}
            if found != set(columns):
                raise _foreign(f"的数据表“{name}”的列与本程序不符")
        if conn.execute("PRAGMA foreign_key_check").fetchone() is not None:
            raise corrupt("存在无所属表格的行")
    from desktop.models.storage.schema_check import expected, signature

    if signature(conn) != expected(revision):  # an extra index, a changed column, a missing index …
        raise _foreign("的表结构与本程序为该版本建立的不同（多出或缺少索引、列或约束）")
    return str(revision)
