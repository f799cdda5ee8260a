"""The windowed program has no console: every entry point works with ``sys.stdout = sys.stderr = None``.

That is what a PyInstaller ``--windowed`` ``jixiao.exe`` (and ``pythonw``) starts with; a Python started
with its standard output and error closed starts the same way, which the subprocess test uses.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from desktop import console
from desktop.__main__ import main
from tests.helpers.fixtures import SAMPLES

WUWEI = SAMPLES / "wuwei-zwfw-2022-selfeval.json"


@pytest.fixture
def no_console(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Call it in the test body to get the streams of a windowed Windows program.

    (Not at fixture set-up: pytest's output capture re-installs its streams when the test starts.)
    """

    def take_away() -> None:
        monkeypatch.setattr(sys, "stdout", None)
        monkeypatch.setattr(sys, "stderr", None)

    return take_away


@pytest.mark.parametrize(
    ("args", "status"),
    [
        (["score", str(WUWEI)], 0),  # exit 3 (AttributeError on sys.stdout.buffer) before
        (["check", str(WUWEI)], 1),  # the sample has one error
        (["score", "missing.jxdb"], 2),  # the error line has nowhere to go, the status still says it
        (["import", str(WUWEI)], 2),  # argparse's usage error
        (["--help"], 0),
        (["--version"], 0),
        (["export", str(WUWEI)], 2),
    ],
)
def test_commands_run_without_a_console(
    args: list[str], status: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_console: Callable[[], None]
) -> None:
    no_console()
    monkeypatch.chdir(tmp_path)
    assert main(args) == status
    assert not console.usable(sys.stdout) and not console.usable(sys.stderr)


def test_export_without_a_console_writes_its_files(tmp_path: Path, no_console: Callable[[], None]) -> None:
    no_console()
    out = tmp_path / "导出.json"
    assert main(["export", str(WUWEI), "--json", str(out)]) == 0
    assert json.loads(out.read_text("utf-8"))["forms"]


def test_a_usage_error_without_a_console_is_a_message_box(
    monkeypatch: pytest.MonkeyPatch, no_console: Callable[[], None]
) -> None:
    no_console()
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []

    def fake_exec(box: QMessageBox) -> int:
        shown.append(box.text())
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    # Two files dropped on the program's icon.
    assert main(["a.jxdb", "b.jxdb"]) == 2
    assert len(shown) == 1 and "无法识别的参数 a.jxdb b.jxdb" in shown[0] and "用法" in shown[0]


def test_selftest_without_a_console_writes_its_line_to_a_file(
    no_console: Callable[[], None], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qapp_setup: Any
) -> None:
    no_console()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    assert main(["--selftest"]) == 0
    line = (tmp_path / "jixiao-selftest.txt").read_text("utf-8")
    assert line.startswith("jixiao 自检通过")


class _FakeKernel32:
    """kernel32 of a program started from cmd: ``AttachConsole(ATTACH_PARENT_PROCESS)`` succeeds."""

    def __init__(self, attach: bool) -> None:
        self.attach = attach
        self.calls: list[int] = []

    def AttachConsole(self, pid: int) -> int:
        self.calls.append(pid)
        return 1 if self.attach else 0


def test_a_command_typed_in_cmd_attaches_to_its_console(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_console: Callable[[], None]
) -> None:
    no_console()
    kernel32 = _FakeKernel32(attach=True)
    monkeypatch.setattr(console, "PLATFORM", "win32")
    monkeypatch.setattr(console, "_kernel32", lambda: kernel32)
    conout = tmp_path / "CONOUT$"  # stands for the console: opening "CONOUT$" here makes this file
    monkeypatch.chdir(tmp_path)
    assert main(["score", str(WUWEI)]) == 0
    assert kernel32.calls == [console.ATTACH_PARENT_PROCESS]
    assert console.usable(sys.stdout) and console.usable(sys.stderr)
    sys.stdout.close()
    sys.stderr.close()
    report = json.loads(conout.read_text("utf-8"), parse_float=Decimal)
    assert len(report["forms"]) == 4


def test_started_from_explorer_there_is_no_console_to_attach(
    monkeypatch: pytest.MonkeyPatch, no_console: Callable[[], None]
) -> None:
    no_console()
    kernel32 = _FakeKernel32(attach=False)
    monkeypatch.setattr(console, "PLATFORM", "win32")
    monkeypatch.setattr(console, "_kernel32", lambda: kernel32)
    assert main(["check", str(WUWEI)]) == 1
    assert kernel32.calls == [console.ATTACH_PARENT_PROCESS]
    assert not console.usable(sys.stdout)


def test_a_redirected_stream_is_kept(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """``jixiao.exe score X > out.json``: stdout is a file, only the missing stderr is attached."""
    kernel32 = _FakeKernel32(attach=True)
    monkeypatch.setattr(console, "PLATFORM", "win32")
    monkeypatch.setattr(console, "_kernel32", lambda: kernel32)
    monkeypatch.chdir(tmp_path)
    with open(tmp_path / "out.txt", "w", encoding="utf-8") as redirected:
        monkeypatch.setattr(sys, "stdout", redirected)
        monkeypatch.setattr(sys, "stderr", None)
        assert console.attach_parent_console()
        assert sys.stdout is redirected
        assert sys.stderr is not None and Path(sys.stderr.name).name == "CONOUT$"
        sys.stderr.close()


def _close_output() -> None:
    os.close(1)
    os.close(2)


def test_the_real_program_with_closed_output_streams(tmp_path: Path) -> None:
    """A Python whose fd 1 and 2 are closed starts with None streams, as the windowed program does."""
    out = tmp_path / "score.json"
    code = (
        "import sys\n"
        "assert sys.stdout is None and sys.stderr is None, (sys.stdout, sys.stderr)\n"
        "from desktop.__main__ import main\n"
        f"status = main(['export', {str(WUWEI)!r}, '--json', {str(out)!r}])\n"
        f"status = status * 10 + main(['score', {str(WUWEI)!r}])\n"
        "status = status * 10 + main(['score', 'missing.jxdb'])\n"
        "raise SystemExit(status)\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=tmp_path,
        timeout=120,
        preexec_fn=_close_output,
    )
    assert result.returncode == 2  # export 0, score 0, the missing file 2
    assert json.loads(out.read_text("utf-8"))["forms"]
