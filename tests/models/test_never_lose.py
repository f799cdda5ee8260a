"""Issue 14 ("never lose a workbook, round 2") and issue 16 items 1, 2, 7: one test per numbered point.

Each of these failed on the code before the fix (see the issue for what happened then).
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli import run
from desktop.models.errors import UserError, WorkbookFileError, describe_os_error
from desktop.models.storage import atomic, safety, store
from desktop.models.workbook.domain import Workbook
from tests.helpers.fixtures import SAMPLES, snapshot

WUWEI = SAMPLES / "wuwei-zwfw-2022-selfeval.json"


def _book(folder: Path, workbook: Workbook, name: str = "w.jxdb") -> Path:
    path = folder / name
    store.create_workbook_file(path, workbook).close()
    return path


# ---- 1. export never destroys a workbook, an input, or another file without --force -------------


@pytest.mark.parametrize("flag", ["--pdf", "--json", "--xlsx"])
def test_1_export_onto_its_own_workbook_is_refused(
    flag: str, tmp_path: Path, wuwei: Workbook, capfd: pytest.CaptureFixture[str]
) -> None:
    book = _book(tmp_path, wuwei)
    before = book.read_bytes()
    assert run(["export", str(book), flag, str(book)]) == 2
    assert "输入文件本身" in capfd.readouterr().err
    assert book.read_bytes() == before


@pytest.mark.parametrize("flag", ["--pdf", "--json", "--xlsx"])
def test_1_export_onto_another_workbook_is_refused_even_with_force(
    flag: str, tmp_path: Path, wuwei: Workbook, capfd: pytest.CaptureFixture[str]
) -> None:
    other = _book(tmp_path, wuwei, "other.jxdb")
    held = store.open_workbook(other)  # a second program holds it open
    before = other.read_bytes()
    renamed = tmp_path / "looks-like.pdf"  # a workbook is known by content, not by name
    shutil.copyfile(other, renamed)
    for target in (other, renamed):
        assert run(["export", str(WUWEI), flag, str(target), "--force"]) == 2
        assert "工作簿" in capfd.readouterr().err
    assert other.read_bytes() == before and renamed.read_bytes() == before
    held.set_fields(held.workbook.forms[0], title="仍可保存")  # its next edit is not refused
    held.close()


def test_1_export_through_another_name_of_the_input_is_refused(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.json"
    shutil.copyfile(WUWEI, source)
    alias = tmp_path / "alias.json"
    os.link(source, alias)
    before = source.read_bytes()
    assert run(["export", str(source), "--json", str(alias), "--force"]) == 2
    assert "输入文件本身" in capfd.readouterr().err
    assert source.read_bytes() == before


def test_1_replacing_an_existing_file_needs_force(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.json"
    out.write_text("mine", encoding="utf-8")
    assert run(["export", str(WUWEI), "--json", str(out)]) == 2
    assert "--force" in capfd.readouterr().err and out.read_text(encoding="utf-8") == "mine"
    assert run(["export", str(WUWEI), "--json", str(out), "--force"]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["format"] == "jixiao-workbook"


def test_1_import_over_a_workbook_needs_force_and_never_one_held_open(
    tmp_path: Path, wuwei: Workbook, capfd: pytest.CaptureFixture[str]
) -> None:
    book = _book(tmp_path, wuwei)
    assert run(["import", str(WUWEI), "-o", str(book)]) == 2
    assert "--force" in capfd.readouterr().err
    held = store.open_workbook(book)
    assert run(["import", str(WUWEI), "-o", str(book), "--force"]) == 2
    assert "不能写入" in capfd.readouterr().err
    held.close()
    assert run(["import", str(WUWEI), "-o", str(book), "--force"]) == 0


def test_1_every_writer_refuses_a_workbook_target(tmp_path: Path, wuwei: Workbook) -> None:
    from desktop.reports import export_pdf
    from desktop.reports.xlsx import export_xlsx

    book = _book(tmp_path, wuwei)
    before = book.read_bytes()
    for write in (
        lambda: atomic.write_atomically(book, b"x"),
        lambda: export_pdf(wuwei, str(book)),
        lambda: export_xlsx(wuwei, str(book)),
        lambda: store.export_json(WUWEI, book),
    ):
        with pytest.raises(UserError, match="工作簿"):
            write()
    assert book.read_bytes() == before


# ---- 2. two programs can never both hold the write lock ------------------------------------------

_HOLDER = """
import sys, time
from desktop.models.storage import store
document = store.open_workbook(sys.argv[1])
print("WRITER" if not document.read_only else "READER", flush=True)
time.sleep(float(sys.argv[2]))
document.close()
"""


def test_2_a_lock_note_still_being_written_is_not_taken_for_stale(tmp_path: Path, wuwei: Workbook) -> None:
    path = _book(tmp_path, wuwei)
    first = store.open_workbook(path)
    safety.lock_path_for(path).write_bytes(b"")  # as seen between "create" and "write" of the note
    second = store.open_workbook(path)
    assert not first.read_only and second.read_only
    second.close()
    first.close()


def test_2_programs_starting_together_give_one_writer(tmp_path: Path, wuwei: Workbook) -> None:
    path = _book(tmp_path, wuwei)
    procs = [
        subprocess.Popen([sys.executable, "-c", _HOLDER, str(path), "3"], stdout=subprocess.PIPE, text=True)
        for _ in range(6)
    ]
    lines = [p.communicate(timeout=120)[0].strip() for p in procs]
    assert sorted(lines) == ["READER"] * 5 + ["WRITER"]


def test_2_the_lock_dies_with_its_process(tmp_path: Path, wuwei: Workbook) -> None:
    path = _book(tmp_path, wuwei)
    proc = subprocess.Popen([sys.executable, "-c", _HOLDER, str(path), "60"], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "WRITER"
    reader = store.open_workbook(path)
    assert reader.read_only
    reader.close()
    proc.kill()
    proc.wait()
    proc.stdout.close()
    assert safety.read_lock(safety.lock_path_for(path)) is not None  # its note is left behind …
    document = store.open_workbook(path)  # … and is stale, since the file is not locked
    assert not document.read_only
    document.close()


# ---- 3. a workbook replaced in place while open is noticed ---------------------------------------


def test_3_a_copy_over_the_open_file_stops_all_writing(tmp_path: Path, wuwei: Workbook, tianjin: Workbook) -> None:
    path = _book(tmp_path, wuwei)
    other = _book(tmp_path, tianjin, "other.jxdb")
    document = store.open_workbook(path)
    inode = path.stat().st_ino
    shutil.copyfile(other, path)  # like `cp other.jxdb w.jxdb` or a sync tool: same inode
    assert path.stat().st_ino == inode
    with pytest.raises(WorkbookFileError, match="已被其他程序改写"):
        document.set_fields(document.workbook.forms[0], title="不该写进别的工作簿")
    with pytest.raises(WorkbookFileError, match="已被其他程序改写"):
        document.set_fields(document.workbook.forms[1], title="以后也不写")
    document.close()
    check = store.open_workbook(path, read_only=True)
    assert snapshot(check.workbook) == snapshot(tianjin)
    check.close()


def test_3_an_older_copy_of_the_same_file_put_back_is_noticed(tmp_path: Path, wuwei: Workbook) -> None:
    path = _book(tmp_path, wuwei)
    older = tmp_path / "older.jxdb"
    shutil.copyfile(path, older)  # same file id inside: only the change counter differs
    document = store.open_workbook(path)
    document.set_fields(document.workbook.forms[0], title="第一次修改")
    shutil.copyfile(older, path)
    with pytest.raises(WorkbookFileError, match="已被其他程序改写"):
        document.set_fields(document.workbook.forms[0], title="第二次修改")
    document.close()


def test_3_own_edits_are_not_taken_for_a_change(tmp_path: Path, wuwei: Workbook) -> None:
    document = store.open_workbook(_book(tmp_path, wuwei))
    for n in range(5):
        document.set_fields(document.workbook.forms[0], title=f"第 {n} 次")
    reader = store.open_workbook(document.path or "", read_only=True)  # a reader does not disturb it
    reader.close()
    document.set_fields(document.workbook.forms[0], title="再一次")
    document.close()


# ---- 4. one file through two names ----------------------------------------------------------------


@pytest.mark.parametrize("how", ["symlink", "hardlink"])
def test_4_a_second_name_of_an_open_workbook_opens_read_only(tmp_path: Path, wuwei: Workbook, how: str) -> None:
    path = _book(tmp_path, wuwei)
    (tmp_path / "sub").mkdir()
    alias = tmp_path / "sub" / "alias.jxdb"
    (alias.symlink_to if how == "symlink" else alias.hardlink_to)(path)
    first = store.open_workbook(path)
    second = store.open_workbook(alias)
    assert not first.read_only and second.read_only
    with pytest.raises(UserError):
        second.set_fields(second.workbook.forms[0], title="x")
    first.set_fields(first.workbook.forms[0], title="只有一个写入者")
    second.close()
    first.close()


# ---- 9. file modes --------------------------------------------------------------------------------


@pytest.mark.skipif(os.name != "posix", reason="permission bits are POSIX")
def test_9_files_keep_the_mode_they_replace_and_otherwise_follow_the_umask(
    tmp_path: Path, wuwei: Workbook, capfd: pytest.CaptureFixture[str]
) -> None:
    old = os.umask(0o002)
    try:
        fresh = tmp_path / "fresh.json"
        atomic.write_atomically(fresh, b"{}")
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o664
        shared = tmp_path / "shared.json"
        shared.write_bytes(b"old")
        os.chmod(shared, 0o640)
        atomic.write_atomically(shared, b"new")
        assert stat.S_IMODE(shared.stat().st_mode) == 0o640
        book = _book(tmp_path, wuwei)
        os.chmod(book, 0o664)
        assert run(["import", str(WUWEI), "-o", str(book), "--force"]) == 0
        assert stat.S_IMODE(book.stat().st_mode) == 0o664
    finally:
        os.umask(old)


# ---- 10. stale, foreign and broken locks; honest messages ----------------------------------------


def test_10_a_note_from_another_host_whose_file_is_not_locked_is_stale(tmp_path: Path, wuwei: Workbook) -> None:
    path = _book(tmp_path, wuwei)
    note = safety.lock_path_for(path)
    note.write_text(json.dumps({"host": "旧电脑", "pid": os.getpid(), "os_lock": True}), encoding="utf-8")
    document = store.open_workbook(path)  # its program is gone: the OS lock died with it
    assert not document.read_only
    document.close()


def test_10_a_foreign_note_can_be_broken_after_naming_its_owner(tmp_path: Path, wuwei: Workbook) -> None:
    path = _book(tmp_path, wuwei)
    note = safety.lock_path_for(path)
    note.write_text(json.dumps({"host": "财务科-PC2", "pid": 4242, "user": "zhang"}), encoding="utf-8")
    document = store.open_workbook(path)
    refusal = document.lock_refusal
    assert document.read_only and refusal is not None and refusal.breakable and refusal.holder is not None
    assert "zhang@财务科-PC2" in document.lock_message and "强制解除锁定" in document.lock_message
    document.close()
    assert safety.break_lock(path, refusal.holder)
    document = store.open_workbook(path)
    assert not document.read_only
    # a live program's lock is never broken, whatever its note says
    assert not safety.break_lock(path, safety.read_lock(note) or refusal.holder)
    document.close()


def test_10_a_read_only_folder_does_not_tell_the_user_to_wait(
    tmp_path: Path, wuwei: Workbook, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _book(tmp_path, wuwei)
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == tmp_path else real_access(p, mode))
    document = store.open_workbook(path)
    assert document.read_only and "文件夹是只读的" in document.lock_message
    assert "对方" not in document.lock_message and "另存为" in document.lock_message
    document.close()


def test_10_a_full_disk_leaves_no_empty_lock_behind(
    tmp_path: Path, wuwei: Workbook, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _book(tmp_path, wuwei)
    real_write = os.write

    def full(fd: int, data: bytes) -> int:
        if b'"os_lock"' in bytes(data):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", full)
    document = store.open_workbook(path)
    monkeypatch.undo()
    assert [p.name for p in tmp_path.iterdir()] == ["w.jxdb"]
    assert not document.read_only  # the OS lock alone keeps others out
    reader = store.open_workbook(path)
    assert reader.read_only
    reader.close()
    document.close()


# ---- issue 16 items 1 and 7: Windows sharing violations and error codes ----------------------------


def _winerror(code: int, errno_value: int = errno.EACCES) -> PermissionError:
    exc = PermissionError(errno_value, "simulated Windows error")
    exc.winerror = code  # type: ignore[attr-defined]
    return exc


@pytest.mark.parametrize("code", [5, 32, 33])
def test_16_1_a_passing_sharing_violation_is_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    target = tmp_path / "out.pdf"
    target.write_bytes(b"old")
    real_replace = os.replace
    calls: list[int] = []

    def busy_twice(src: object, dst: object) -> None:
        calls.append(1)
        if len(calls) <= 2:
            raise _winerror(code)
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(atomic, "RETRY_DELAYS", (0.0,) * 6)
    monkeypatch.setattr(os, "replace", busy_twice)
    atomic.write_atomically(target, b"new")
    assert target.read_bytes() == b"new" and len(calls) == 3


@pytest.mark.parametrize("code", [32, 33])
def test_16_1_a_file_held_open_names_the_likely_holder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    target = tmp_path / "out.pdf"
    target.write_bytes(b"old")

    def always_busy(src: object, dst: object) -> None:
        raise _winerror(code)

    monkeypatch.setattr(atomic, "RETRY_DELAYS", (0.0,) * 6)
    monkeypatch.setattr(os, "replace", always_busy)
    with pytest.raises(UserError, match="文件正被其他程序（WPS/Excel/PDF 阅读器）打开") as caught:
        atomic.write_atomically(target, b"new")
    assert "只读" not in caught.value.message
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["out.pdf"]


def test_16_1_the_owner_note_write_retries_too(
    tmp_path: Path, wuwei: Workbook, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _book(tmp_path, wuwei)
    real_replace = os.replace
    calls: list[int] = []

    def busy_once(src: object, dst: object) -> None:
        calls.append(1)
        if len(calls) == 1:
            raise _winerror(32)
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(atomic, "RETRY_DELAYS", (0.0,) * 6)
    monkeypatch.setattr(os, "replace", busy_once)
    document = store.open_workbook(path)
    monkeypatch.undo()
    owner = safety.read_lock(safety.lock_path_for(path))
    assert owner is not None and owner.pid == os.getpid() and len(calls) == 2
    document.close()


@pytest.mark.parametrize(
    ("code", "errno_value", "expected", "wrong"),
    [
        (21, errno.EACCES, "设备未就绪", "只读"),  # USB stick pulled
        (29, errno.EACCES, "写入设备失败", "只读"),  # write fault
        (65, errno.EACCES, "网络访问被拒绝", "只读"),
        (206, errno.ENOENT, "路径太长", "文件夹不存在"),
        (53, errno.ENOENT, "网络路径", "文件夹不存在"),
        (112, errno.ENOSPC, "磁盘空间不足", "系统错误"),
        (39, errno.EINVAL, "磁盘空间不足", "系统错误"),
    ],
)
def test_16_7_windows_codes_give_the_right_message(code: int, errno_value: int, expected: str, wrong: str) -> None:
    exc = OSError(errno_value, "simulated")
    exc.winerror = code  # type: ignore[attr-defined]
    assert expected in describe_os_error(exc)
    message = atomic.write_error_message(exc, "D:/报表/out.pdf")
    assert expected in message and wrong not in message
    known = safety.classify(exc)
    assert known is not None and wrong not in known.message
