"""Works around two PySide6 6.12.0 reference-count bugs that abort Python 3.11 in the middle of a session.

- ``SignalInstance.emit`` returns ``True`` without a new reference: every ``signal.emit(...)`` made from
  Python takes one reference from ``True``, and after a few hundred edits Python aborts ("bool_dealloc").
  ``install()`` measures whether the running PySide6 has the bug and, only then, wraps ``emit`` to give
  the missing reference back.
- Every call of a void method (``setEnabled``, ``setText``, ``update``, ``processEvents``…) returns
  ``None`` without a new reference. There are too many calls to wrap, so when ``install()`` measures
  this leak it gives ``None`` a reserve of references no session can use up: what Python 3.12 does
  for every interpreter (``None`` is immortal there, and neither bug can abort). ``pyproject.toml``
  keeps Python 3.11 installs on PySide6 < 6.12; this is the guard for a program built against it anyway.
"""

from __future__ import annotations

import sys
from typing import Any, cast

from PySide6.QtCore import QObject, Signal, SignalInstance

_PROBES = 16
# References added to None when void calls leak them: at ~10⁹ Qt calls a second, over 30 years.
NONE_RESERVE = 1 << 60
_installed = False
_reserved = False


class _Probe(QObject):
    ping = Signal()


def _give_back(obj: object, count: int = 1) -> None:
    """Add ``count`` references to a singleton that emit took them from."""
    import ctypes  # only where the bug is present: not on the start-up path of a fixed PySide6

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


def void_call_takes_a_reference() -> bool:
    """Whether a void method call in this PySide6 takes a reference from the ``None`` it returns (the bug)."""
    probe = _Probe()
    before = sys.getrefcount(None)
    for _ in range(_PROBES):
        probe.setObjectName("probe")
    lost = before - sys.getrefcount(None)
    if lost >= _PROBES:
        _give_back(None, lost)
        return True
    return False


def reserve_none() -> bool:
    """Give ``None`` a reserve of references if void calls leak them (CPython < 3.12); returns whether it did."""
    global _reserved
    if _reserved or sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return _reserved
    if not void_call_takes_a_reference():
        return False
    import ctypes

    # ob_refcnt is the first field of every CPython object, and id() is the object's address.
    ctypes.c_ssize_t.from_address(id(None)).value += NONE_RESERVE
    _reserved = True
    return True


def install() -> bool:
    """Patch ``SignalInstance.emit`` if this PySide6 has the bug, and reserve ``None``'s references if void
    calls leak them; returns whether the ``emit`` patch is active."""
    global _installed
    reserve_none()
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
