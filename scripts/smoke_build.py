"""Smoke test of a built program (CI runs it after PyInstaller): it must work where users put it.

Usage: ``python scripts/smoke_build.py dist/jixiao/jixiao``

Runs the program from a read-only copy of its folder (a read-only bind mount, as from a USB stick
or a write-protected share; where mounting is not permitted it says so and runs in place), with a
fresh HOME, and checks:
- ``--selftest`` passes, and a normal start shows the main window with the sample workbook;
- nothing but the allow-listed lines on stderr (qutebrowser's smoke test does the same);
- no IPv4/IPv6 socket is ever opened (``strace``; Unix sockets for X11/D-Bus are fine);
- files are written only under the user's documents and application-data folders (and the
  system's temporary folder); the program folder is left exactly as it was.
Prints one line per check; exits 1 on the first failure.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# stderr lines a healthy run may print (none so far; add with a reason).
STDERR_ALLOWED: list[re.Pattern[str]] = []


def _fail(message: str) -> None:
    print(f"smoke: FAILED: {message}")
    raise SystemExit(1)


def _tree_state(folder: Path) -> dict[str, str]:
    state = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            state[str(path.relative_to(folder))] = hashlib.sha1(path.read_bytes()).hexdigest()
    return state


def _mount_read_only(source: Path, target: Path) -> bool:
    target.mkdir(parents=True, exist_ok=True)
    if subprocess.run(["mount", "--bind", str(source), str(target)], capture_output=True).returncode != 0:
        return False
    if subprocess.run(["mount", "-o", "remount,bind,ro", str(target)], capture_output=True).returncode != 0:
        subprocess.run(["umount", str(target)], capture_output=True)
        return False
    return True


def _run(program: Path, args: list[str], home: Path, trace: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "QT_"))},
        "HOME": str(home),
        "QT_QPA_PLATFORM": "offscreen",
        "JIXIAO_QUIT_WHEN_SHOWN": "1",
        "TMPDIR": str(home / "tmp"),
    }
    command = [str(program), *args]
    if shutil.which("strace"):
        command = ["strace", "-f", "-qq", "-e", "trace=socket,connect", "-o", str(trace), *command]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)


def _check(name: str, result: subprocess.CompletedProcess[str], trace: Path, expect: str) -> None:
    if result.returncode != 0:
        _fail(f"{name}: exit status {result.returncode}: {result.stdout[-500:]} {result.stderr[-1500:]}")
    if expect not in result.stdout:
        _fail(f"{name}: expected {expect!r} in its output, got {result.stdout[-500:]!r}")
    unexpected = [
        line for line in result.stderr.splitlines() if line.strip() and not any(p.search(line) for p in STDERR_ALLOWED)
    ]
    if unexpected:
        _fail(f"{name}: unexpected stderr: {unexpected[:5]}")
    if trace.exists():
        network = [line for line in trace.read_text().splitlines() if re.search(r"AF_INET6?\b", line)]
        if network:
            _fail(f"{name}: opened a network socket: {network[:3]}")
    print(f"smoke: {name}: ok" + ("" if trace.exists() else " (strace not installed: sockets not traced)"))


def main() -> None:
    """Run every check on the program named on the command line."""
    program = Path(sys.argv[1]).resolve()
    folder = program.parent
    before = _tree_state(folder)
    with tempfile.TemporaryDirectory() as work:
        home = Path(work) / "home"
        (home / "tmp").mkdir(parents=True)
        mount = Path(work) / "readonly"
        read_only = _mount_read_only(folder, mount)
        try:
            run_from = mount / program.name if read_only else program
            where = "a read-only mount" if read_only else "its folder (mount not permitted here)"
            print(f"smoke: running {program.name} from {where}")
            _check("selftest", _run(run_from, ["--selftest"], home, Path(work) / "t1"), Path(work) / "t1", "自检通过")
            _check("start", _run(run_from, [], home, Path(work) / "t2"), Path(work) / "t2", "SHOWN")
        finally:
            if read_only:
                subprocess.run(["umount", str(mount)], capture_output=True)
        written = sorted(str(p.relative_to(home)) for p in home.rglob("*") if p.is_file())
        allowed = ("Documents/", ".local/share/", "tmp/", ".config/")
        stray = [path for path in written if not path.startswith(allowed)]
        if stray:
            _fail(f"files written outside documents / app data: {stray}")
        if not any(path.startswith("Documents/") and path.endswith(".jxdb") for path in written):
            _fail(f"the first start did not put the sample workbook in the documents folder: {written}")
        print(f"smoke: files written only under documents / app data ({len(written)} files)")
    if _tree_state(folder) != before:
        _fail("the program folder was changed")
    print("smoke: program folder unchanged")


if __name__ == "__main__":
    main()
