"""What the whole-process benchmarks share: compiled bytecode, as the built program has it, and child CPU time.

The shipped program (PyInstaller) and a wheel install carry compiled bytecode; an editable checkout run
with ``PYTHONDONTWRITEBYTECODE=1`` (as our shells set it) has none, and every new process would then
compile ~1 MB of the project's source again (~0.15 s) — time no user ever waits for. ``compile_project``
writes the bytecode once before timing (into ``__pycache__``, ignored by git); the children only read it.
"""

from __future__ import annotations

import compileall
import resource
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def compile_project() -> None:
    """Compile the ``desktop`` package's bytecode (quietly; only what is out of date)."""
    compileall.compile_dir(ROOT / "desktop", quiet=1, force=False)


def child_cpu() -> float:
    """CPU seconds (user + system) used so far by this process's finished children."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime
