import hashlib
import sqlite3
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.dialects import sqlite as sqlite_dialect

from desktop.models.storage import schema, store, writer
from desktop.models.storage.backups import list_backups
from desktop.models.workbook.domain import Workbook
from tests.helpers.fixtures import snapshot


def _config(connection: object | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(store.MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def test_revisions_listed_in_schema_match_the_migration_scripts() -> None:
    scripts = ScriptDirectory.from_config(_config())
    chain = [rev.revision for rev in reversed(list(scripts.walk_revisions()))]
    assert tuple(chain) == schema.REVISIONS
    assert scripts.get_current_head() == schema.HEAD_REVISION
    assert schema.SCHEMA_VERSION == len(schema.REVISIONS)


def test_migrated_schema_equals_the_models(tmp_path: Path) -> None:
    engine = writer.make_engine(tmp_path / "m.jxdb", create=True)
    with engine.connect() as conn:
        command.upgrade(_config(conn), "head")
        diffs = compare_metadata(MigrationContext.configure(conn), schema.Base.metadata)
        conn.commit()
    engine.dispose()
    assert diffs == []
    with sqlite3.connect(tmp_path / "m.jxdb") as raw:
        assert raw.execute("PRAGMA application_id").fetchone()[0] == schema.APPLICATION_ID
        assert raw.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
    raw.close()


def test_decimal_text_is_exact_and_refuses_floats() -> None:
    column = schema.DecimalText()
    dialect = sqlite_dialect.dialect()
    for text in ("114.00", "0.21", "-0", "1E+3", "12345678901234.5678"):
        stored = column.process_bind_param(Decimal(text), dialect)
        assert stored == text
        back = column.process_result_value(stored, dialect)
        assert back is not None and back.as_tuple() == Decimal(text).as_tuple()
    assert column.process_bind_param(None, dialect) is None
    with pytest.raises(TypeError):
        column.process_bind_param(1.5, dialect)
    with pytest.raises(ValueError):
        schema.text_to_decimal("NaN")


def test_files_are_marked_and_foreign_keys_cascade(tmp_path: Path, wuwei: Workbook) -> None:
    path = tmp_path / "w.jxdb"
    document = store.create_workbook_file(path, wuwei)
    assert isinstance(document.store, store.SqliteStore)
    conn = document.store._connection()
    pragmas = {name: conn.exec_driver_sql(f"PRAGMA {name}").scalar() for name in ("foreign_keys", "synchronous")}
    mode = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
    conn.commit()
    assert pragmas == {"foreign_keys": 1, "synchronous": 2} and mode == "delete"  # 2 = FULL
    document.remove_items(document.workbook, "forms", 0, 1)
    document.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.jxdb"]  # no -journal, -wal, -shm or lock left
    with sqlite3.connect(path) as raw:
        orphans = raw.execute("SELECT count(*) FROM indicator WHERE form_id NOT IN (SELECT id FROM form)").fetchone()
    raw.close()
    assert orphans == (0,)


def _version_1_file(path: Path, source: Path) -> None:
    """A workbook as the first schema version wrote it: migrate to 0001 and copy the rows over."""
    engine = writer.make_engine(path, create=True)
    with engine.connect() as conn:
        command.upgrade(_config(conn), "0001_initial")
        conn.commit()
    engine.dispose()
    with sqlite3.connect(path) as raw:
        raw.execute("ATTACH DATABASE ? AS src", (str(source),))
        for table in schema.DATA_TABLES:
            columns = [row[1] for row in raw.execute(f"PRAGMA main.table_info({table})")]
            names = ", ".join(f'"{c}"' for c in columns)
            raw.execute(f"INSERT INTO main.{table} ({names}) SELECT {names} FROM src.{table}")
        raw.commit()
        raw.execute("DETACH DATABASE src")
    raw.close()


def test_old_file_is_migrated_on_open_after_a_backup(tmp_path: Path, wuwei: Workbook) -> None:
    current = tmp_path / "current.jxdb"
    store.create_workbook_file(current, wuwei).close()
    old = tmp_path / "old.jxdb"
    _version_1_file(old, current)
    assert store.read_header(old).user_version == 1
    old_bytes = old.read_bytes()

    reader = store.open_workbook(old, read_only=True)  # read-only: migrates a temporary copy only
    assert snapshot(reader.workbook) == snapshot(wuwei)
    reader.close()
    assert old.read_bytes() == old_bytes

    backups = tmp_path / "backups"
    document = store.open_workbook(old, backup_dir=backups)
    assert snapshot(document.workbook) == snapshot(wuwei)
    assert document.workbook.ruleset == "central"
    document.set_fields(document.workbook.forms[0].indicators[0], band=None, actual="升级后可编辑")
    document.close()
    assert store.read_header(old).user_version == schema.SCHEMA_VERSION
    (backup,) = list_backups(backups, old)
    assert store.read_header(backup.path).user_version == 1  # the copy from before the migration
    assert hashlib.sha256(old.read_bytes()).digest() != hashlib.sha256(old_bytes).digest()


def test_plain_column_list_matches_the_sqlalchemy_models() -> None:
    tables = schema.Base.metadata.tables.items()
    declared = {name: tuple(column.name for column in table.columns) for name, table in tables}
    assert declared == schema.HEAD_COLUMNS
    assert set(declared) == set(schema.DATA_TABLES)


READ_WITHOUT_SQLALCHEMY = """
import sys
from desktop.models.storage import store
from desktop.models.scoring.engine import ScoringEngine, score_report
from desktop.models.scoring.rules import load_ruleset
document = store.open_workbook(sys.argv[1], backup_dir=sys.argv[2])
report = score_report(document.workbook, ScoringEngine(load_ruleset()))
assert "sqlalchemy" not in sys.modules, "opening a workbook imported SQLAlchemy"
document.set_fields(document.workbook.forms[0], title="改过的标题")
assert "sqlalchemy" in sys.modules
document.close()
assert store.load_any(sys.argv[1]).forms[0].title == "改过的标题"
print("ok")
"""


def test_opening_and_scoring_need_no_sqlalchemy_until_the_first_edit(tmp_path: Path, wuwei: Workbook) -> None:
    path = tmp_path / "w.jxdb"
    store.create_workbook_file(path, wuwei).close()
    result = subprocess.run(
        [sys.executable, "-c", READ_WITHOUT_SQLALCHEMY, str(path), str(tmp_path / "backups")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
