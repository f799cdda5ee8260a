"""Emitting signals from Python must not eat references to ``True`` (PySide6 6.12 bug, desktop/views/qtfix.py)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal

import desktop.views  # noqa: F401  (installs the fix)
from desktop.views import qtfix


class _Emitter(QObject):
    changed = Signal(int)


def test_many_emits_leave_true_alone() -> None:
    emitter = _Emitter()
    got: list[int] = []
    emitter.changed.connect(got.append)
    before = sys.getrefcount(True)
    for i in range(2000):
        emitter.changed.emit(i)
    assert abs(sys.getrefcount(True) - before) < 20  # without the fix: −2000
    assert len(got) == 2000
    assert qtfix.install() in (True, False)  # idempotent
    assert not qtfix.emit_takes_a_reference()  # with the fix in place, the probe finds nothing to fix


def test_many_void_calls_leave_none_alone() -> None:
    """PySide6 6.12.0 takes a reference from None per void call: Python 3.11 aborted after a few hundred edits."""
    emitter = _Emitter()
    before = sys.getrefcount(None)
    for i in range(5000):
        emitter.setObjectName(f"e{i % 2}")
    assert abs(sys.getrefcount(None) - before) < 20 or qtfix._reserved  # without pin or reserve: −5000
    assert not qtfix.void_call_takes_a_reference() or qtfix._reserved


def test_python_311_is_kept_off_the_leaking_pyside() -> None:
    import PySide6

    version = tuple(int(part) for part in PySide6.__version__.split(".")[:2])
    assert sys.version_info >= (3, 12) or version < (6, 12), "pyproject.toml pins PySide6 < 6.12 on Python 3.11"
