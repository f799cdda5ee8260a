import hashlib
import os
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from desktop.models.errors import UserError, WorkbookFileError
from desktop.models.formats import interchange
from desktop.models.storage import schema, store
from desktop.models.storage.file_checks import SQLITE_MAGIC
from desktop.models.workbook.domain import Workbook
from tests.helpers.fixtures import load_sample

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _workbook_file(path: Path) -> None:
    store.create_workbook_file(path, load_sample("wuwei-zwfw-2022-selfeval.json")).close()


def _edit_sqlite(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def _random_bytes(path: Path) -> None:
    # A leading "{" or "[" (after blanks) would make the file look like a JSON file, which gets a message
    # of its own (about 1 run in 60 before this): random bytes are meant to be plain garbage.
    data = os.urandom(8192)
    path.write_bytes(b"\x00" + data[1:])


def _random_after_magic(path: Path) -> None:
    path.write_bytes(SQLITE_MAGIC + os.urandom(8192))


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _truncated_half(path: Path) -> None:
    _workbook_file(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _truncated_header(path: Path) -> None:
    _workbook_file(path)
    path.write_bytes(path.read_bytes()[:60])


def _other_sqlite(path: Path) -> None:
    _edit_sqlite(path, "CREATE TABLE contacts (name TEXT, phone TEXT)", "INSERT INTO contacts VALUES ('张三', '123')")


def _other_sqlite_claiming_our_id(path: Path) -> None:
    _edit_sqlite(path, f"PRAGMA application_id = {schema.APPLICATION_ID}", "CREATE TABLE contacts (name TEXT)")


def _with_trigger(path: Path) -> None:
    _workbook_file(path)
    _edit_sqlite(path, "CREATE TRIGGER evil AFTER UPDATE ON indicator BEGIN DELETE FROM form; END")


def _with_view(path: Path) -> None:
    _workbook_file(path)
    _edit_sqlite(path, "CREATE VIEW v AS SELECT * FROM indicator")


def _with_extra_table(path: Path) -> None:
    _workbook_file(path)
    _edit_sqlite(path, "CREATE TABLE extra (x)")


def _with_extra_column(path: Path) -> None:
    _workbook_file(path)
    _edit_sqlite(path, "ALTER TABLE indicator ADD COLUMN payload TEXT DEFAULT 'x'")


def _json_renamed(path: Path) -> None:
    path.write_text(interchange.dumps(load_sample("wuwei-zwfw-2022-selfeval.json")), encoding="utf-8")


def _newer_version(path: Path) -> None:
    _workbook_file(path)
    _edit_sqlite(path, "PRAGMA user_version = 99")


def _unknown_revision(path: Path) -> None:
    _workbook_file(path)
    _edit_sqlite(path, "UPDATE alembic_version SET version_num = '0099_future'")


def _damaged_page(path: Path) -> None:
    _workbook_file(path)
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[page * 2 : page * 2 + 200] = os.urandom(200)  # the third page: table rows or an index
    path.write_bytes(bytes(data))


def _orphan_rows(path: Path) -> None:
    _workbook_file(path)
    _edit_sqlite(
        path,
        "PRAGMA foreign_keys = OFF",
        "INSERT INTO indicator (id, form_id, position, level1, level2, name) VALUES (9999, 777, 0, '', '', 'x')",
    )


def _bad_decimal(path: Path) -> None:
    _workbook_file(path)
    _edit_sqlite(path, "UPDATE indicator SET weight = 'abc' WHERE id = (SELECT min(id) FROM indicator)")


def _blob_in_decimal_column(path: Path) -> None:
    _workbook_file(path)
    _edit_sqlite(path, "UPDATE indicator SET weight = x'00ff' WHERE id = (SELECT min(id) FROM indicator)")


def _bad_kind(path: Path) -> None:
    _workbook_file(path)
    _edit_sqlite(path, "UPDATE form SET kind = 'evil'")


def _invalid_utf8_text(path: Path) -> None:
    """Damaged text bytes in a text column (found by tests/benchmarks/fuzz_inputs.py)."""
    _workbook_file(path)
    _edit_sqlite(path, "UPDATE form SET notes = CAST(x'c3ff95' AS TEXT)")


def _two_workbook_rows(path: Path) -> None:
    _workbook_file(path)
    _edit_sqlite(path, "INSERT INTO workbook (id, unit_code, unit_name) VALUES (2, '', '')")


HOSTILE: dict[str, tuple[Callable[[Path], None], str]] = {
    "random bytes": (_random_bytes, "不是预算绩效工作簿"),
    "random after the SQLite magic": (_random_after_magic, ""),
    "empty file": (_empty, "空的"),
    "truncated workbook": (_truncated_half, "不完整"),
    "truncated header": (_truncated_header, "不完整"),
    "another program's SQLite": (_other_sqlite, "其他程序的 SQLite"),
    "SQLite claiming our application id": (_other_sqlite_claiming_our_id, "不认识的数据表"),
    "trigger added": (_with_trigger, "触发器或视图"),
    "view added": (_with_view, "触发器或视图"),
    "extra table": (_with_extra_table, "不认识的数据表"),
    "extra column": (_with_extra_column, "列与本程序不符"),
    "JSON renamed .jxdb": (_json_renamed, "JSON 交换文件"),
    "newer version": (_newer_version, "更新版本"),
    "unknown revision": (_unknown_revision, "版本标记"),
    "damaged page": (_damaged_page, ""),
    "orphan rows": (_orphan_rows, "损坏"),
    "bad decimal text": (_bad_decimal, "损坏"),
    "BLOB in a decimal column": (_blob_in_decimal_column, "损坏"),
    "unknown form kind": (_bad_kind, "损坏"),
    "two workbook rows": (_two_workbook_rows, "损坏"),
    "invalid UTF-8 text": (_invalid_utf8_text, "UTF-8"),
}


def _state(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


CASES = [
    pytest.param(case, how, id=f"{how}-{case}")
    for how in ("edit", "read_only", "load_any")
    for case in HOSTILE
    if not (how == "load_any" and case == "JSON renamed .jxdb")  # load_any reads JSON: tested below
]


@pytest.mark.parametrize(("case", "how"), CASES)
def test_hostile_file_is_refused_and_left_unchanged(case: str, how: str, tmp_path: Path) -> None:
    make, expected = HOSTILE[case]
    path = tmp_path / "book.jxdb"
    make(path)
    before = _state(tmp_path)
    with pytest.raises(UserError) as info:
        if how == "edit":
            store.open_workbook(path, backup_dir=tmp_path / "never")
        elif how == "read_only":
            store.open_workbook(path, read_only=True)
        else:
            store.load_any(path)
    message = info.value.message
    assert CHINESE.search(message), message
    assert expected in message
    assert isinstance(info.value, WorkbookFileError)
    assert _state(tmp_path) == before  # same bytes, no lock, journal or backup left behind


def test_json_renamed_jxdb_still_loads_as_json_through_load_any(tmp_path: Path, wuwei: Workbook) -> None:
    path = tmp_path / "book.jxdb"
    _json_renamed(path)
    assert len(store.load_any(path).forms) == len(wuwei.forms)


def test_a_folder_named_like_a_workbook_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "dir.jxdb"
    folder.mkdir()
    with pytest.raises(WorkbookFileError, match="不是文件"):
        store.open_workbook(folder)


def test_missing_file_is_refused_without_creating_it(tmp_path: Path) -> None:
    with pytest.raises(WorkbookFileError, match="找不到文件"):
        store.open_workbook(tmp_path / "nope.jxdb")
    assert list(tmp_path.iterdir()) == []
