"""The fonts a PDF can be printed with: the bundled WenQuanYi Micro Hei and the PC's own 宋体/仿宋.

ReportLab embeds TrueType outlines only (as subsets), so a font is offered only when its file
holds TrueType outlines; CFF fonts (Noto/Source Han) are left out. Registration is cached: each
font file is read once per process, in bulk (``fontfile.FastTTFont``: ~15 ms instead of ~0.1 s).
"""

from __future__ import annotations

import hashlib
import os
import struct
import sys
import threading
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from reportlab.pdfbase import pdfmetrics

from desktop.models.errors import UserError, describe_os_error
from desktop.reports.fontfile import FastTTFont
from desktop.resources import FONT_FILE, resource_path


class PrintFont(NamedTuple):
    """A font file that can print Chinese: its label for the user, path and TTC subfont index."""

    label: str
    path: Path
    subfont_index: int = 0


BUNDLED_LABEL = "文泉驿微米黑（内置）"

# Known Chinese TrueType files (lower-case file name) → (label, subfont index) entries.
KNOWN_FONT_FILES: dict[str, tuple[tuple[str, int], ...]] = {
    "simsun.ttc": (("宋体 SimSun", 0),),
    "simsun.ttf": (("宋体 SimSun", 0),),
    "simfang.ttf": (("仿宋 FangSong", 0),),
    "fs_gb2312.ttf": (("仿宋_GB2312", 0),),
    "fangsong_gb2312.ttf": (("仿宋_GB2312", 0),),
    "simkai.ttf": (("楷体 KaiTi", 0),),
    "simhei.ttf": (("黑体 SimHei", 0),),
    "uming.ttc": (("AR PL UMing（宋体风格）", 0),),
    "ukai.ttc": (("AR PL UKai（楷体风格）", 0),),
    "wqy-zenhei.ttc": (("文泉驿正黑", 0),),
}

_TRUETYPE_TAGS = (b"\x00\x01\x00\x00", b"true")
_lock = threading.Lock()
_registered: dict[tuple[str, int], str] = {}


def bundled_font() -> PrintFont:
    """The font shipped with the app (always available, frozen or not)."""
    return PrintFont(BUNDLED_LABEL, resource_path(*FONT_FILE), 0)


def font_dirs() -> list[Path]:
    """The folders where Windows and Linux keep system and per-user fonts."""
    dirs: list[Path] = []
    if sys.platform == "win32":
        windir = os.environ.get("WINDIR") or os.environ.get("SystemRoot") or r"C:\Windows"
        dirs.append(Path(windir) / "Fonts")
        local = os.environ.get("LOCALAPPDATA")
        if local:
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    else:
        dirs += [Path("/usr/share/fonts"), Path("/usr/local/share/fonts")]
        home = Path.home()
        dirs += [home / ".local" / "share" / "fonts", home / ".fonts"]
    return dirs


def has_truetype_outlines(path: Path, subfont_index: int = 0) -> bool:
    """Whether the font file (TTF or TTC member) holds TrueType outlines ReportLab can embed."""
    try:
        with path.open("rb") as stream:
            head = stream.read(12)
            if head[:4] == b"ttcf":
                (count,) = struct.unpack(">I", head[8:12])
                if subfont_index >= count:
                    return False
                stream.seek(12 + 4 * subfont_index)
                (offset,) = struct.unpack(">I", stream.read(4))
                stream.seek(offset)
                head = stream.read(4)
            return head[:4] in _TRUETYPE_TAGS
    except (OSError, struct.error):
        return False


def _scan(dirs: Iterable[Path]) -> list[PrintFont]:
    found: list[PrintFont] = []
    seen: set[str] = set()
    for folder in dirs:
        if not folder.is_dir():
            continue
        for root, _subdirs, files in os.walk(folder):
            for name in sorted(files):
                entries = KNOWN_FONT_FILES.get(name.lower())
                if not entries:
                    continue
                path = Path(root) / name
                for label, index in entries:
                    if label in seen or not has_truetype_outlines(path, index):
                        continue
                    seen.add(label)
                    found.append(PrintFont(label, path, index))
    return found


def available_print_fonts(extra_dirs: Iterable[Path] = ()) -> list[PrintFont]:
    """The fonts the user may print with: the bundled one first, then the PC's own Chinese fonts.

    Args:
        extra_dirs: more folders to scan (before the usual system folders).
    """
    return [bundled_font(), *_scan([*extra_dirs, *font_dirs()])]


@lru_cache(maxsize=1)
def _system_fonts() -> tuple[PrintFont, ...]:
    return tuple(_scan(font_dirs()))


def template_font(labels: Iterable[str]) -> PrintFont:
    """The first of a print template's preferred fonts found on this PC (never bundled), else the
    bundled face. The PC's font folders are scanned once per process."""
    found = {font.label: font for font in _system_fonts()}
    for label in labels:
        if label in found:
            return found[label]
    return bundled_font()


def register_font(font: PrintFont | None = None) -> str:
    """Register ``font`` (default: the bundled one) with ReportLab once and return its font name.

    The name is also registered as a family, so ``<b>`` and ``<i>`` in paragraphs map to it
    and never fall back to a built-in (non-embedded) font.

    Raises:
        UserError: the file is missing or is not a usable TrueType font.
    """
    font = font or bundled_font()
    key = (str(font.path), font.subfont_index)
    with _lock:
        name = _registered.get(key)
        if name is not None:
            return name
        digest = hashlib.sha1(f"{key[0]}#{key[1]}".encode()).hexdigest()[:8]
        name = f"JX{digest}"
        if not font.path.is_file():
            raise UserError(f"找不到字体文件“{font.path}”。")
        if not has_truetype_outlines(font.path, font.subfont_index):
            raise UserError(f"字体“{font.label}”不是 TrueType 字体，无法嵌入 PDF，请换用其他字体。")
        try:
            pdfmetrics.registerFont(FastTTFont(name, str(font.path), subfontIndex=font.subfont_index))
        except OSError as exc:
            raise UserError(f"无法读取字体“{font.label}”：{describe_os_error(exc)}") from exc
        except Exception as exc:  # ReportLab raises plain Exception/TTFError subclasses for bad files
            raise UserError(f"无法读取字体“{font.label}”：字体文件已损坏或格式不受支持") from exc
        pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)
        _registered[key] = name
        return name


def as_print_font(font: PrintFont | str | os.PathLike[str] | None) -> PrintFont:
    """Normalise the ``font`` argument of an export: a PrintFont, a font file path, or None."""
    if font is None:
        return bundled_font()
    if isinstance(font, PrintFont):
        return font
    path = Path(font)
    return PrintFont(path.stem, path, 0)
