"""Output of a program that may have no console: the windowed ``jixiao.exe``.

A windowed Windows program starts with ``sys.stdout`` and ``sys.stderr`` set to None, so any ``print``
or ``sys.stderr.write`` would raise (or, for ``print``, silently vanish). Two remedies, used by
``desktop.__main__`` before anything is written:

- ``attach_parent_console()``: when ``jixiao.exe score FILE`` is typed in cmd or PowerShell, attach to
  that console (``AttachConsole(ATTACH_PARENT_PROCESS)``) and write there. (The shell does not wait for a
  windowed program, so its prompt may come first: for scripts use ``jixiao-cli.exe``, the console
  program of the one-folder build, which the shell waits for and whose output can be redirected.)
- ``ensure_streams()``: whatever is still None becomes a sink, so a write never raises; ``usable()``
  tells a real stream from the sink (the self-test then writes its line to a file instead).
"""

from __future__ import annotations

import io
import sys
from typing import Any, TextIO

ATTACH_PARENT_PROCESS = -1  # DWORD(-1): the console of the process that started this one


class _DiscardingBuffer(io.BytesIO):
    """Bytes written here go nowhere."""

    def write(self, data: Any) -> int:
        return len(memoryview(data))


class _Sink(io.TextIOWrapper):
    """A text stream (with a ``.buffer``) that discards what is written; marks "no console"."""

    jixiao_sink = True

    def __init__(self) -> None:
        super().__init__(_DiscardingBuffer(), encoding="utf-8", errors="replace", write_through=True)


def usable(stream: object) -> bool:
    """Whether ``stream`` reaches somebody (a console, a pipe, a file), not None or the sink."""
    return stream is not None and not getattr(stream, "jixiao_sink", False)


PLATFORM = sys.platform


def _kernel32() -> Any:  # pragma: no cover - Windows only
    import ctypes

    return ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined,unused-ignore]


def _open_console() -> TextIO:
    # CONOUT$ opens as a console stream: Python writes it as UTF-16 through WriteConsoleW, so Chinese
    # shows correctly whatever the console's code page (GBK, usually).
    return open("CONOUT$", "w", encoding="utf-8", errors="replace")


def attach_parent_console() -> bool:
    """On Windows, give a console-less program the console of its parent; returns whether it did.

    Only a stream that is None is replaced (one redirected to a file or a pipe is kept).
    """
    if PLATFORM != "win32" or (sys.stdout is not None and sys.stderr is not None):
        return False
    if not _kernel32().AttachConsole(ATTACH_PARENT_PROCESS):
        return False  # started from Explorer or a shortcut: there is no console to attach to
    try:
        if sys.stdout is None:
            sys.stdout = _open_console()
        if sys.stderr is None:
            sys.stderr = _open_console()
    except OSError:
        return False
    return True


def ensure_streams() -> None:
    """Replace a None ``sys.stdout`` / ``sys.stderr`` by a sink, so that no write can raise."""
    if sys.stdout is None:
        sys.stdout = _Sink()
    if sys.stderr is None:
        sys.stderr = _Sink()
