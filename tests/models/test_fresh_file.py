"""A new workbook file made with sqlite3 alone (fresh.py) is the file the migrations and SQLAlchemy made."""

from __future__ import annotations

import copy
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from desktop.models.errors import UserError
from desktop.models.formats import interchange
from desktop.models.storage import schema_check, store
from desktop.models.storage.identity import DATA_TABLES, HEAD_REVISION
from desktop.models.storage.schema_head import HEAD_SQL
from desktop.models.storage.writer import Writer, alembic_upgrade, make_engine
from desktop.models.workbook.domain import Band, Workbook
from tests.helpers.bigworkbook import make_workbook
from tests.helpers.fixtures import load_sample

SAMPLES = (
    "wuwei-zwfw-2022-selfeval.json",
    "tianjin-zwfw-2025-targets.json",
    "tianjin-bgt-2025-targets.json",
    "tangshan-xzsp-targets.json",
)


def _migrated_file(path: Path, workbook: Workbook) -> None:
    """The way every new file was made before: all migrations, then the rows through SQLAlchemy."""
    engine = make_engine(path, create=True, bulk=True)
    try:
        with engine.connect() as conn:
            alembic_upgrade(conn)
            with conn.begin():
                Writer(conn).insert_workbook(workbook)
    finally:
        engine.dispose()


def _contents(path: Path) -> dict[str, object]:
    """Every row of every table with each value's storage class, the schema, and the file's stamps."""
    conn = sqlite3.connect(path)
    try:
        out: dict[str, object] = {
            "sql": schema_check.creating_sql(conn),
            "signature": schema_check.signature(conn),
            "pragmas": [conn.execute(f"PRAGMA {name}").fetchone() for name in ("application_id", "user_version")],
            "alembic": conn.execute("SELECT * FROM alembic_version").fetchall(),
        }
        for table in DATA_TABLES:
            columns = [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')]
            if table == "workbook":
                columns.remove("file_id")  # random per file
            select = ", ".join(f'"{c}", typeof("{c}")' for c in columns)
            out[table] = conn.execute(f'SELECT {select} FROM "{table}" ORDER BY id').fetchall()
        return out
    finally:
        conn.close()


def test_the_shipped_head_schema_is_what_the_migrations_build() -> None:
    assert schema_check.head_sql() == HEAD_SQL


def _every_field(workbook: Workbook) -> Workbook:
    """The workbook with the app-only fields set too (band, a manual score, printed total)."""
    form = workbook.forms[0]
    form.printed_total = Decimal("88.50")
    first = form.indicators[0]
    first.band, first.score, first.goal = Band.PARTLY, Decimal("3.25"), 1
    return workbook


@pytest.mark.parametrize("sample", SAMPLES)
def test_a_new_file_holds_exactly_what_the_migrated_way_wrote(tmp_path: Path, sample: str) -> None:
    workbook = _every_field(load_sample(sample)) if sample.startswith("wuwei") else load_sample(sample)
    reference = copy.deepcopy(workbook)
    store.create_workbook_file(tmp_path / "new.jxdb", workbook).close()
    _migrated_file(tmp_path / "old.jxdb", reference)
    assert _contents(tmp_path / "new.jxdb") == _contents(tmp_path / "old.jxdb")
    assert schema_check.signature(sqlite3.connect(tmp_path / "new.jxdb")) == schema_check.expected(HEAD_REVISION)
    # Every object got the id of its row, as the SQLAlchemy writer gave it.
    assert [f.db_id for f in workbook.forms] == [f.db_id for f in reference.forms]
    assert [i.db_id for f in workbook.forms for i in f.indicators] == [
        i.db_id for f in reference.forms for i in f.indicators
    ]
    # And it opens, edits and reads back as the workbook written.
    document = store.open_workbook(tmp_path / "new.jxdb")
    try:
        assert interchange.dumps(document.workbook) == interchange.dumps(workbook)
    finally:
        document.close()


def test_a_generated_workbook_is_the_same_too(tmp_path: Path) -> None:
    workbook = make_workbook(3, 40, long_texts=True)
    store.create_workbook_file(tmp_path / "new.jxdb", workbook).close()
    _migrated_file(tmp_path / "old.jxdb", copy.deepcopy(workbook))
    assert _contents(tmp_path / "new.jxdb") == _contents(tmp_path / "old.jxdb")


def test_a_new_file_is_complete_or_absent(tmp_path: Path) -> None:
    workbook = load_sample(SAMPLES[0])
    bad = workbook.forms[-1].indicators[-1]
    bad.weight = 2.5  # type: ignore[assignment]  # a float never reaches a file: the build fails late
    target = tmp_path / "book.jxdb"
    with pytest.raises((TypeError, UserError)):
        store.create_workbook_file(target, workbook)
    assert list(tmp_path.iterdir()) == []
