"""Find the unit files to consolidate and read each one read-only, whole or not at all (no Qt).

A unit hands over a ``.jxdb`` workbook, an interchange ``.json`` file, or an ``.xlsx`` file this
program exported. Each is untrusted: it goes through the project's own readers (``store`` with its
schema checks and read-only connection, ``interchange``, ``excel_import``), and any problem —
damaged, hostile, from a newer program, not a workbook at all — becomes one Chinese line on that
file's entry while the other files go on. Nothing is ever written to a unit's file: ``.jxdb``
files are opened through SQLite's read-only mode, and a hot journal is rolled back on a temporary
copy by ``store``.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.models.errors import UserError, describe_os_error
from desktop.models.workbook.domain import Unit, Workbook

WORKBOOK_SUFFIXES = (".jxdb", ".json", ".xlsx")
# Files beside the workbooks that are not unit files: locks, journals, backups, Office's owner files,
# and the consolidation's own review file.
_IGNORED_SUFFIXES = (".lock", "-journal", ".tmp", ".jxreview")
_IGNORED_PREFIXES = (".", "~$")
MAX_FILES = 5_000  # a folder with more is not a department's submissions
_YEAR_NOTE = re.compile(r"[（(]\s*(\d{4})\s*年度?\s*[）)]")

if TYPE_CHECKING:
    from desktop.models.consolidation.summary import UnitSummary

FORMAT_LABELS = {"jxdb": "工作簿", "json": "JSON", "xlsx": "Excel", "": "未知"}


@dataclass(frozen=True)
class Fingerprint:
    """What identifies one version of a file: size, modification time and SHA-256 of its bytes."""

    size: int
    mtime_ns: int
    sha256: str


@dataclass
class UnitFile:
    """One file handed over by a unit, as read.

    Attributes:
        path: the file.
        fmt: ``"jxdb"``, ``"json"``, ``"xlsx"`` or ``""`` when it is none of them.
        workbook: the workbook read from it (None when it could not be read).
        error: why it could not be read, one Chinese line (None when it was read).
        error_code: ``"unreadable"``, ``"not_workbook"`` or ``"newer_version"`` with ``error``.
        fingerprint: size, time and hash of the bytes read (None when the file could not be read).
        notes: what a reader left out (rows of an Excel sheet it could not read).
    """

    path: Path
    fmt: str = ""
    workbook: Workbook | None = None
    error: str | None = None
    error_code: str = ""
    fingerprint: Fingerprint | None = None
    notes: list[str] = field(default_factory=list)
    # Summaries of this file's workbook by (rule set, 审核 or not), shared by the cached copies.
    summaries: dict[tuple[str, bool], UnitSummary] = field(default_factory=dict, repr=False)


def collect(inputs: Iterable[str | os.PathLike[str]]) -> tuple[list[Path], list[UnitFile]]:
    """The files named, and those in the folders named (recursively), without duplicates.

    Returns:
        The files to read, and entries for what could not even be listed (a missing path, an
        unreadable folder), each already carrying its Chinese error.
    """
    files: list[Path] = []
    problems: list[UnitFile] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            files.append(path)

    for item in inputs:
        path = Path(item)
        if path.is_dir():
            try:
                found = sorted(p for p in path.rglob("*") if p.is_file() and not _ignored(p))
            except OSError as exc:
                problems.append(
                    UnitFile(path, error=f"无法读取文件夹：{describe_os_error(exc)}", error_code="unreadable")
                )
                continue
            for child in found:
                add(child)
        elif path.exists():
            add(path)
        else:
            problems.append(UnitFile(path, error="找不到该文件或文件夹", error_code="unreadable"))
        if len(files) > MAX_FILES:
            raise UserError(f"要汇总的文件超过 {MAX_FILES} 个，请只选择各单位报送的文件或文件夹。")
    return files, problems


def _ignored(path: Path) -> bool:
    name = path.name
    return name.startswith(_IGNORED_PREFIXES) or name.lower().endswith(_IGNORED_SUFFIXES)


def fingerprint(path: Path) -> Fingerprint:
    """Size, modification time and SHA-256 of a file (raises OSError)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        stat = os.fstat(handle.fileno())
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return Fingerprint(stat.st_size, stat.st_mtime_ns, digest.hexdigest())


def _sniff(path: Path) -> str:
    """The file's format by its first bytes (the name may lie): ``jxdb``, ``json``, ``xlsx`` or ``""``."""
    with open(path, "rb") as handle:
        head = handle.read(64)
    if head.startswith(b"SQLite format 3\x00"):
        return "jxdb"
    if head.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n").startswith((b"{", b"[")):
        return "json"
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    return ""


def _not_workbook_reason(path: Path) -> str:
    suffix = path.suffix.lower()
    named = {".pdf": "PDF 文件", ".doc": "Word 文件", ".docx": "Word 文件", ".xls": "旧版 Excel（.xls）文件"}
    if suffix in named:
        return f"这是 {named[suffix]}，不是预算绩效工作簿；请单位导出 .jxdb、JSON 或本程序导出的 Excel（.xlsx）"
    return "不是预算绩效工作簿（.jxdb）、JSON 交换文件或本程序导出的 Excel 文件"


Cache = dict[str, "UnitFile"]  # SHA-256 of a file's bytes → what reading those bytes gave


def read_unit_file(path: Path, cache: Cache | None = None) -> UnitFile:
    """Read one unit file read-only; every problem becomes ``error`` on the entry, never an exception.

    With ``cache``, a file whose bytes were read before (same SHA-256) is not parsed again: the
    window consolidates again after each file or list added, and only new or changed files cost time.
    """
    entry = UnitFile(path)
    try:
        entry.fingerprint = fingerprint(path)
        entry.fmt = _sniff(path)
    except OSError as exc:
        entry.error, entry.error_code = f"无法读取：{describe_os_error(exc)}", "unreadable"
        return entry
    known = cache.get(entry.fingerprint.sha256) if cache is not None else None
    if known is not None:
        return replace(known, path=path, fingerprint=entry.fingerprint, notes=list(known.notes))
    _parse(entry)
    if cache is not None:
        cache[entry.fingerprint.sha256] = entry
    return entry


def _parse(entry: UnitFile) -> None:
    path = entry.path
    assert entry.fingerprint is not None
    if entry.fingerprint.size == 0:
        entry.error, entry.error_code = "文件是空的（0 字节），不是预算绩效工作簿", "not_workbook"
        return
    if not entry.fmt:
        entry.error, entry.error_code = _not_workbook_reason(path), "not_workbook"
        return
    try:
        if entry.fmt == "xlsx":
            entry.workbook = _read_xlsx(path, entry.notes)
        else:
            from desktop.models.storage import store

            entry.workbook = store.load_any(path)
    except UserError as exc:
        entry.error = exc.message
        entry.error_code = "newer_version" if "更新版本" in exc.message else "unreadable"
    except RecursionError:
        entry.error, entry.error_code = "文件嵌套过深，不是正常的工作簿文件，未读取", "unreadable"
    except MemoryError:
        entry.error, entry.error_code = "文件过大，无法读取", "unreadable"
    except Exception as exc:  # a damaged file that a reader did not foresee: one line, the rest go on
        entry.error, entry.error_code = f"文件已损坏，无法读取（{type(exc).__name__}）", "unreadable"
    if entry.error is not None:
        entry.workbook = None
    elif entry.workbook is not None and not entry.workbook.forms:
        entry.notes.append("文件中没有任何表")


def _read_xlsx(path: Path, notes: list[str]) -> Workbook:
    """A workbook from an Excel file this program exported: its forms, and the unit and year they print."""
    from desktop.models.formats.excel_import import read_indicator_tables

    tables = read_indicator_tables(path)
    if not tables:
        raise UserError("Excel 文件中没有绩效指标表（不是本程序导出的绩效表）")
    forms = [table.form for table in tables]
    for table in tables:
        notes.extend(f"工作表“{table.sheet}”：{note}" for note in table.notes)
    # Target forms print 实施单位 (a name), self-evaluations the code run into the name: prefer a coded one.
    units = Counter((form.unit.code, form.unit.name) for form in forms if form.unit is not None)
    ranked = sorted(units.items(), key=lambda item: (bool(item[0][0]), item[1]), reverse=True)
    unit = Unit(*ranked[0][0]) if ranked else Unit(code="", name=path.stem)
    for form in forms:
        if form.unit is not None and form.unit.name == unit.name and form.unit.code in ("", unit.code):
            form.unit = None  # the workbook's own unit, as the app keeps it
    return Workbook(unit=unit, year=_xlsx_year(path), forms=forms)


def _xlsx_year(path: Path) -> int | None:
    """The year printed in the forms' titles (…绩效自评表（2025年度）); the most common one.

    Read with a pattern from the start of each sheet's XML (where the title row is) and from the
    shared text table, not parsed: the file was already size-checked by the Excel reader, and a
    second openpyxl load would double the time an Excel unit takes.
    """
    import zipfile

    years: Counter[int] = Counter()
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            if name.startswith("xl/worksheets/sheet") or name == "xl/sharedStrings.xml":
                with package.open(name) as handle:
                    text = handle.read(256 * 1024).decode("utf-8", errors="replace")
                years.update(int(found.group(1)) for found in _YEAR_NOTE.finditer(text))
    return years.most_common(1)[0][0] if years else None


def read_all(paths: Sequence[Path]) -> list[UnitFile]:
    """Read every file (in order); a convenience for tests and small sets."""
    return [read_unit_file(path) for path in paths]
