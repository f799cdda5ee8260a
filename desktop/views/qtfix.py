"""Works around a PySide6 6.12 reference-count bug: ``SignalInstance.emit`` returns ``True`` without a new reference.

Every ``signal.emit(...)`` made from Python then takes one reference from ``True``; after a few
hundred edits ``True``'s count reaches zero and Python aborts ("bool_dealloc: deallocating True or
False"), at exit or in the middle of a session. ``install()`` measures whether the running PySide6
has the bug and, only then, wraps ``emit`` to give the missing reference back.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any, cast

from PySide6.QtCore import QObject, Signal, SignalInstance

_PROBES = 16
_installed = False


class _Probe(QObject):
    ping = Signal()


def _give_back(obj: object, count: int = 1) -> None:
    """Add ``count`` references to a singleton that emit took them from."""
    for _ in range(count):
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(obj))


def emit_takes_a_reference() -> bool:
    """Whether ``emit`` in this PySide6 takes a reference from its ``True`` result (the bug)."""
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(_PROBES):
        probe.ping.emit()
    lost = before - sys.getrefcount(True)
    if lost >= _PROBES:
        _give_back(True, lost)
        return True
    return False


def install() -> bool:
    """Patch ``SignalInstance.emit`` if this PySide6 has the bug; returns whether a patch is active."""
    global _installed
    if _installed:
        return True
    if not emit_takes_a_reference():
        return False
    original = SignalInstance.emit

    def emit(self: SignalInstance, *args: Any) -> Any:
        result = cast(object, original(self, *args))
        if isinstance(result, bool):
            _give_back(result)
        return result

    SignalInstance.emit = emit  # type: ignore[method-assign]
    _installed = True
    return True
