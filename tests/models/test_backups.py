import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from desktop.models.errors import WorkbookFileError
from desktop.models.storage import backups, restore, store
from desktop.models.workbook.domain import Workbook
from tests.helpers.fixtures import snapshot


def _workbook(tmp_path: Path, wuwei: Workbook, name: str = "w.jxdb") -> Path:
    path = tmp_path / name
    store.create_workbook_file(path, wuwei).close()
    return path


def _edit(path: Path, title: str) -> None:
    document = store.open_workbook(path)
    document.set_fields(document.workbook.forms[0], title=title)
    document.close()


def test_backup_is_a_whole_workbook_with_a_date(tmp_path: Path, wuwei: Workbook) -> None:
    path = _workbook(tmp_path, wuwei)
    folder = tmp_path / "appdata" / "backups"
    started = dt.datetime.now() - dt.timedelta(seconds=1)
    made = backups.make_backup(path, folder)
    (info,) = backups.list_backups(folder, path)
    assert info.path == made and info.workbook_name == "w.jxdb" and info.size == made.stat().st_size
    assert started <= info.created <= dt.datetime.now()
    assert "w.jxdb" in info.label
    assert snapshot(store.load_any(made)) == snapshot(wuwei)
    assert [p.name for p in folder.iterdir()] == [made.name]  # no temporary file left


def test_a_later_backup_is_made_before_the_first_write_and_holds_the_file_as_opened(
    tmp_path: Path, wuwei: Workbook
) -> None:
    path = _workbook(tmp_path, wuwei)
    folder = tmp_path / "backups"
    document = store.open_workbook(path, backup_dir=folder, backup_later=True)
    assert backups.list_backups(folder, path) == []  # opening made none (the window shows the form first)
    title = document.workbook.forms[0].title
    document.set_fields(document.workbook.forms[0], title="改过的标题")
    document.set_fields(document.workbook.forms[0], title="又改了")
    document.close()
    (made,) = backups.list_backups(folder, path)  # one, before the first write
    assert store.load_any(made.path).forms[0].title == title
    assert store.load_any(path).forms[0].title == "又改了"


def test_a_later_backup_is_made_when_the_writer_is_readied(tmp_path: Path, wuwei: Workbook) -> None:
    path = _workbook(tmp_path, wuwei)
    folder = tmp_path / "backups"
    document = store.open_workbook(path, backup_dir=folder, backup_later=True)
    sqlite_store = document.store
    assert isinstance(sqlite_store, store.SqliteStore)
    sqlite_store.prepare()  # the window does this once the first form has painted
    assert len(backups.list_backups(folder, path)) == 1
    document.set_fields(document.workbook.forms[0], title="改过的标题")
    document.close()
    assert len(backups.list_backups(folder, path)) == 1


def test_a_later_backup_is_made_at_close_if_nothing_readied_the_writer(tmp_path: Path, wuwei: Workbook) -> None:
    path = _workbook(tmp_path, wuwei)
    folder = tmp_path / "backups"
    store.open_workbook(path, backup_dir=folder, backup_later=True).close()
    (made,) = backups.list_backups(folder, path)
    assert snapshot(store.load_any(made.path)) == snapshot(wuwei)


def test_a_later_backup_that_fails_is_said_and_the_edit_still_written(tmp_path: Path, wuwei: Workbook) -> None:
    path = _workbook(tmp_path, wuwei)
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the backup folder should be")
    document = store.open_workbook(path, backup_dir=blocked, backup_later=True)
    document.set_fields(document.workbook.forms[0], title="改过的标题")
    sqlite_store = document.store
    assert isinstance(sqlite_store, store.SqliteStore) and "备份" in sqlite_store.backup_error
    document.close()
    assert store.load_any(path).forms[0].title == "改过的标题"


def test_open_with_backup_dir_keeps_the_last_ten(tmp_path: Path, wuwei: Workbook) -> None:
    path = _workbook(tmp_path, wuwei)
    folder = tmp_path / "backups"
    for i in range(13):
        document = store.open_workbook(path, backup_dir=folder)
        document.set_fields(document.workbook.forms[0], title=f"第{i}版")
        document.close()
    found = backups.list_backups(folder, path)
    assert len(found) == backups.KEEP == 10
    assert [f.created for f in found] == sorted((f.created for f in found), reverse=True)
    titles = [store.load_any(f.path).forms[0].title for f in found]
    assert titles == [f"第{i}版" for i in range(11, 1, -1)]  # each backup is the file as it was opened


def test_an_unchanged_workbook_is_not_backed_up_twice(tmp_path: Path, wuwei: Workbook) -> None:
    path = _workbook(tmp_path, wuwei)
    folder = tmp_path / "backups"
    first = backups.make_backup(path, folder)
    assert backups.make_backup(path, folder) == first
    _edit(path, "改了")
    assert backups.make_backup(path, folder) != first
    assert len(backups.list_backups(folder, path)) == 2


def test_workbooks_with_the_same_name_keep_separate_histories(tmp_path: Path, wuwei: Workbook) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    one = _workbook(tmp_path / "a", wuwei)
    two = _workbook(tmp_path / "b", wuwei)
    folder = tmp_path / "backups"
    backups.make_backup(one, folder)
    backups.make_backup(two, folder)
    _edit(two, "b 的修改")
    backups.make_backup(two, folder)
    assert len(backups.list_backups(folder, one)) == 1
    assert len(backups.list_backups(folder, two)) == 2
    assert backups.list_backups(tmp_path / "missing", one) == []


def test_backup_of_an_open_workbook_is_consistent(tmp_path: Path, wuwei: Workbook) -> None:
    path = _workbook(tmp_path, wuwei)
    document = store.open_workbook(path)
    document.set_fields(document.workbook.forms[0], title="已保存的修改")
    made = backups.make_backup(path, tmp_path / "backups")
    document.close()
    assert store.load_any(made).forms[0].title == "已保存的修改"


def test_restore_writes_a_new_file_and_never_overwrites(tmp_path: Path, wuwei: Workbook) -> None:
    path = _workbook(tmp_path, wuwei)
    folder = tmp_path / "backups"
    backups.make_backup(path, folder)
    _edit(path, "后来的修改")
    (info,) = backups.list_backups(folder, path)
    with pytest.raises(WorkbookFileError, match="不会覆盖"):
        restore.restore_backup(info, path)
    assert store.load_any(path).forms[0].title == "后来的修改"
    restored = restore.restore_backup(info, tmp_path / "restored.jxdb")
    assert snapshot(store.load_any(restored)) == snapshot(wuwei)
    document = store.open_workbook(restored)  # a normal, editable workbook
    assert not document.read_only
    document.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backups", "restored.jxdb", "w.jxdb"]


def test_a_damaged_backup_is_not_restored(tmp_path: Path, wuwei: Workbook) -> None:
    path = _workbook(tmp_path, wuwei)
    made = backups.make_backup(path, tmp_path / "backups")
    conn = sqlite3.connect(made)
    conn.execute("CREATE VIEW v AS SELECT 1")
    conn.commit()
    conn.close()
    with pytest.raises(WorkbookFileError):
        restore.restore_backup(made, tmp_path / "restored.jxdb")
    assert not (tmp_path / "restored.jxdb").exists()


def test_backup_into_an_unwritable_place_gives_a_message(tmp_path: Path, wuwei: Workbook) -> None:
    path = _workbook(tmp_path, wuwei)
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    with pytest.raises(WorkbookFileError, match="无法在 .* 保存备份"):
        backups.make_backup(path, blocker / "backups")


def test_open_still_works_when_the_backup_cannot_be_made(tmp_path: Path, wuwei: Workbook) -> None:
    path = _workbook(tmp_path, wuwei)
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    document = store.open_workbook(path, backup_dir=blocker / "backups")
    assert not document.read_only
    assert isinstance(document.store, store.SqliteStore) and "无法" in document.store.backup_error
    document.close()
