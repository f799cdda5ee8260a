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
