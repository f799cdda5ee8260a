"""Before Qt starts on Linux: is there a screen, and can Qt's X11 plugin load? Said in Chinese.

Without this, a missing ``DISPLAY`` (an SSH session, a service) ends in Qt's own English abort that blames
``xcb-cursor`` — misleading when the screen is simply absent — and a missing system library ends the same way.
No Qt is imported here: the check must run before ``QApplication`` exists.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from pathlib import Path

#: The Debian / UOS / Kylin packages a real window needs beyond the ones any Qt start needs (README, measured
#: with ``ldd`` of Qt's xcb platform plugin on Debian 12).
WINDOW_PACKAGES: tuple[str, ...] = (
    "libx11-xcb1",
    "libxcb-cursor0",
    "libxcb-icccm4",
    "libxcb-image0",
    "libxcb-keysyms1",
    "libxcb-randr0",
    "libxcb-render-util0",
    "libxcb-render0",
    "libxcb-shape0",
    "libxcb-shm0",
    "libxcb-sync1",
    "libxcb-util1",
    "libxcb-xfixes0",
    "libxcb-xkb1",
    "libxkbcommon-x11-0",
)


def _package_of(soname: str) -> str | None:
    """``libxcb-cursor.so.0`` → ``libxcb-cursor0`` (Debian's naming of library packages)."""
    match = re.fullmatch(r"(lib[\w+-]+?)\.so\.(\d+)", soname)
    if match is None:
        return None
    stem, major = match.groups()
    guess = f"{stem}{'-' if stem[-1].isdigit() else ''}{major}"
    return guess if guess in WINDOW_PACKAGES else None


def xcb_plugin() -> Path | None:
    """Qt's X11 platform plugin of the PySide6 in use (checkout, installed or frozen alike)."""
    try:
        import PySide6
    except ImportError:
        return None
    path = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    return path if path.is_file() else None


def display_problem(environ: Mapping[str, str], platform: str = sys.platform, plugin: Path | None = None) -> str | None:
    """A Chinese message when the window cannot start here, else ``None``.

    Args:
        environ: the process environment.
        platform: ``sys.platform``.
        plugin: Qt's xcb plugin (found by :func:`xcb_plugin` when ``None``).
    """
    if not platform.startswith("linux"):
        return None
    chosen = environ.get("QT_QPA_PLATFORM", "").split(":")[0].strip()
    if chosen and chosen != "xcb":
        return None  # offscreen, wayland, vnc…: the user chose; Qt reports its own problems
    if not chosen and environ.get("WAYLAND_DISPLAY"):
        return None
    if not environ.get("DISPLAY"):
        return (
            "jixiao：找不到图形界面（没有设置 DISPLAY），无法打开窗口。\n"
            "请在桌面环境中双击启动，或在桌面的终端里运行。通过 SSH 登录时，命令行功能仍可使用"
            "（jixiao --help 列出它们）。"
        )
    plugin = plugin or xcb_plugin()
    if plugin is None:
        return None
    import ctypes  # here only: a Linux desktop with X11 (not imported on Windows)

    try:
        ctypes.CDLL(str(plugin))
    except OSError as exc:
        missing = re.search(r"(lib[\w.+-]+\.so[\d.]*)", str(exc))
        soname = missing.group(1) if missing else ""
        package = _package_of(soname) if soname else None
        which = f"缺少系统库 {soname}" + (f"（软件包 {package}）" if package else "") if soname else "缺少系统库"
        return (
            f"jixiao：{which}，无法打开窗口。\n"
            f"请让系统管理员安装窗口所需的软件包：apt-get install {' '.join(WINDOW_PACKAGES)}"
        )
    return None
