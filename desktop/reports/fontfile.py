"""Loading a TrueType font for ReportLab in a few milliseconds instead of ~0.15 s.

ReportLab's ``TTFontFile.extractInfo`` reads the character map, the widths and the glyph locations
one number at a time through Python calls: for the bundled CJK font (34,600 characters, 49,531
glyphs) that is about 0.15 s, a quarter of a ``jixiao export --pdf`` process. ``FastFace`` lets
ReportLab read the font's names and headers as usual and reads those three tables with
``struct``/``array`` in bulk, building the attributes ReportLab builds with the same values (and
quirks), so subsetting and widths are unchanged; the per-glyph metrics and offsets, which only the
subsetting at save time reads for the few glyphs used, are decoded when read. Character maps of
formats other than 4 and 12, and anything unexpected, fall back to ReportLab's own reading.
"""

from __future__ import annotations

import struct
import sys
from array import array
from collections.abc import Sequence
from fnmatch import fnmatch
from itertools import repeat
from operator import mul
from typing import Any, overload
from weakref import WeakKeyDictionary

from reportlab import rl_config
from reportlab.pdfbase import ttfonts
from reportlab.pdfbase.ttfonts import TTEncoding, TTFont, TTFontFace


def _ushorts(data: bytes, offset: int, count: int) -> array[int]:
    """``count`` big-endian unsigned shorts from ``offset``."""
    values = array("H", data[offset : offset + 2 * count])
    if len(values) != count:
        raise ValueError("table cut short")
    if sys.byteorder == "little":
        values.byteswap()
    return values


def _ulongs(data: bytes, offset: int, count: int) -> array[int]:
    """``count`` big-endian unsigned 32-bit numbers from ``offset``."""
    values = array("I", data[offset : offset + 4 * count])
    if values.itemsize != 4 or len(values) != count:
        raise ValueError("table cut short")
    if sys.byteorder == "little":
        values.byteswap()
    return values


class _HMetrics(Sequence[tuple[Any, int]]):
    """``hmetrics`` as ReportLab lists it, (advance, left side bearing) per glyph, decoded when read
    (only the few glyphs a PDF uses ever are). Glyphs past the table's full pairs get ReportLab's
    *scaled* last advance, as its list has them."""

    def __init__(self, advances: array[int], bearings: array[int], trailing: array[int]) -> None:
        self._advances, self._bearings, self._trailing = advances, bearings, trailing
        self.last: Any = advances[-1]  # scaled as ReportLab scales it

    def __len__(self) -> int:
        return len(self._advances) + len(self._trailing)

    @overload
    def __getitem__(self, index: int) -> tuple[Any, int]: ...
    @overload
    def __getitem__(self, index: slice) -> list[tuple[Any, int]]: ...
    def __getitem__(self, index: int | slice) -> tuple[Any, int] | list[tuple[Any, int]]:
        if isinstance(index, slice):
            return [self[n] for n in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        full = len(self._advances)
        if index < full:
            return self._advances[index], self._bearings[index]
        return self.last, self._trailing[index - full]


class _Doubled(Sequence[int]):
    """Glyph offsets of a short ``loca`` table (stored halved), doubled when read."""

    def __init__(self, halves: array[int]) -> None:
        self._halves = halves

    def __len__(self) -> int:
        return len(self._halves)

    @overload
    def __getitem__(self, index: int) -> int: ...
    @overload
    def __getitem__(self, index: slice) -> list[int]: ...
    def __getitem__(self, index: int | slice) -> int | list[int]:
        if isinstance(index, slice):
            return [half << 1 for half in self._halves[index]]
        return self._halves[index] << 1


class FastFace(TTFontFace):  # type: ignore[misc]  # ReportLab is untyped
    """A ``TTFontFace`` whose character map, widths and glyph locations are read in bulk."""

    @property
    def glyphToChar(self) -> dict[int, list[int]]:  # ReportLab's name
        """Glyph → its characters in character map order, built when first read (only shaping reads it)."""
        found: dict[int, list[int]] | None = self.__dict__.get("_glyph_to_char")
        if found is None:
            found = {}
            chars, glyphs = self.__dict__["_listed"]  # the character map as listed (no space fix-up)
            for char, glyph in zip(chars, glyphs, strict=True):
                found.setdefault(glyph, []).append(char)
            self.__dict__["_glyph_to_char"] = found
        return found

    @glyphToChar.setter
    def glyphToChar(self, value: dict[int, list[int]]) -> None:  # ReportLab's name
        self.__dict__["_glyph_to_char"] = value

    def extractInfo(self, charInfo: int = 1) -> None:  # ReportLab's names
        """ReportLab's header reading, then the three big tables read in bulk (or ReportLab's way)."""
        super().extractInfo(0)  # names, head, OS/2, post, hhea, maxp (and their checks)
        if not charInfo:
            return
        try:
            done = self._char_info()
        except (ValueError, KeyError, IndexError, struct.error, OverflowError):
            done = False
        if not done:  # an unusual font: ReportLab reads (and checks) everything itself
            super().extractInfo(charInfo)

    def _char_info(self) -> bool:
        """Set charToGlyph, glyphToChar, charWidths, defaultWidth, hmetrics and glyphPos as
        ``TTFontFile.extractInfo`` does; False (nothing set) for a character map format it leaves to ReportLab."""
        data: bytes = self._ttf_data
        head = self.table["head"]["offset"]
        index_to_loc_format, glyph_data_format = struct.unpack_from(">HH", data, head + 50)
        if glyph_data_format != 0:
            return False
        (number_of_hmetrics,) = struct.unpack_from(">H", data, self.table["hhea"]["offset"] + 34)
        num_glyphs: int = self.numGlyphs
        char_to_glyph = self._cmap(data)
        if char_to_glyph is None or not 0 < number_of_hmetrics <= num_glyphs:
            return False
        chars, glyphs = list(char_to_glyph), list(char_to_glyph.values())
        if glyphs and max(glyphs) >= num_glyphs:
            return False  # a map to glyphs the font lacks: ReportLab's way
        hmtx = self.table["hmtx"]["offset"]
        pairs = _ushorts(data, hmtx, 2 * number_of_hmetrics)
        advances = pairs[0::2]
        trailing = num_glyphs - number_of_hmetrics
        hmetrics = _HMetrics(advances, pairs[1::2], _ushorts(data, hmtx + 4 * number_of_hmetrics, trailing))
        # ReportLab's scale (x * (1000 / unitsPerEm), or x itself at 1000); glyphs past the full pairs
        # take the last advance
        every = advances + array("H", advances[-1:]) * trailing
        units: int = self.unitsPerEm
        scaled = map(every.__getitem__, glyphs)
        if units != 1000:
            scaled = map(mul, scaled, repeat(1000 / units))
            hmetrics.last = advances[-1] * (1000 / units)
        char_widths: dict[int, Any] = dict(zip(chars, scaled, strict=True))

        loca = self.table["loca"]["offset"]
        if index_to_loc_format == 0:
            glyph_pos: Sequence[int] = _Doubled(_ushorts(data, loca, num_glyphs + 1))
        elif index_to_loc_format == 1:
            glyph_pos = _ulongs(data, loca, num_glyphs + 1)
        else:
            return False

        if 0x20 in char_to_glyph:
            char_to_glyph[0xA0] = char_to_glyph[0x20]
            char_widths[0xA0] = char_widths[0x20]
        elif 0xA0 in char_to_glyph:
            char_to_glyph[0x20] = char_to_glyph[0xA0]
            char_widths[0x20] = char_widths[0xA0]
        self.charToGlyph = char_to_glyph
        self.__dict__["_listed"] = (chars, glyphs)
        self.charWidths = char_widths
        self.defaultWidth = advances[0] if units == 1000 else advances[0] * (1000 / units)
        self.hmetrics = hmetrics
        self.glyphPos = glyph_pos
        return True

    def _cmap(self, data: bytes) -> dict[int, int] | None:
        """The character → glyph map ReportLab would pick (same subtable), for formats 4 and 12."""
        cmap = self.table["cmap"]["offset"]
        version, count = struct.unpack_from(">HH", data, cmap)
        if count == 0 and version != 0:
            count = version
        found: int | None = None
        chosen = 0
        for n in range(count):  # ReportLab's choice: the last Unicode subtable listed
            platform, encoding, offset = struct.unpack_from(">HHL", data, cmap + 4 + 8 * n)
            if platform == 3 or (platform == 1 and encoding == 1) or (platform == 0 and encoding != 5):
                chosen, found = 1, offset
            elif platform == 1 and encoding == 0 and chosen != 1:
                chosen, found = 2, offset
        if found is None:
            return None
        start = cmap + found
        (fmt,) = struct.unpack_from(">H", data, start)
        if fmt == 12:
            (groups,) = struct.unpack_from(">L", data, start + 12)
            table = _ulongs(data, start + 16, 3 * groups)
            result: dict[int, int] = {}
            listed = 0
            for first, end, glyph in zip(table[0::3], table[1::3], table[2::3], strict=True):
                result.update(zip(range(first, end + 1), range(glyph, glyph + end + 1 - first), strict=True))
                listed += end + 1 - first
            return result if listed == len(result) else None  # overlapping groups: ReportLab's way
        if fmt == 4:
            return self._cmap4(data, start)
        return None

    def _cmap4(self, data: bytes, start: int) -> dict[int, int] | None:
        (length,) = struct.unpack_from(">H", data, start + 2)
        limit = start + length
        (seg_x2,) = struct.unpack_from(">H", data, start + 6)
        segments = seg_x2 // 2
        ends = _ushorts(data, start + 14, segments)
        starts = _ushorts(data, start + 16 + 2 * segments, segments)
        deltas = struct.unpack_from(f">{segments}h", data, start + 16 + 4 * segments)
        range_start = start + 16 + 6 * segments
        range_offsets = _ushorts(data, range_start, segments)
        result: dict[int, int] = {}
        for n in range(segments):
            first, end, delta, range_offset = starts[n], ends[n], deltas[n], range_offsets[n]
            chars = range(first, end + 1)
            if range_offset == 0:
                result.update(zip(chars, [(char + delta) & 0xFFFF for char in chars], strict=True))
                continue
            at = range_start + 2 * n + range_offset
            usable = max(0, min(len(chars), (limit - at + 1) // 2))  # ReportLab reads 0 past the subtable
            glyphs = _ushorts(data, at, usable) if usable else array("H")
            values = [(glyph + delta) & 0xFFFF if glyph else 0 for glyph in glyphs]
            values += [0] * (len(chars) - usable)
            result.update(zip(chars, values, strict=True))
        listed = sum(end + 1 - first for first, end in zip(starts, ends, strict=True) if end >= first)
        return result if listed == len(result) else None  # overlapping segments: ReportLab's way


class FastTTFont(TTFont):  # type: ignore[misc]  # ReportLab is untyped
    """ReportLab's ``TTFont`` on a ``FastFace``: the same attributes ``TTFont.__init__`` sets
    (``tests/reports/test_fontfile.py`` checks them against ReportLab's on the bundled font)."""

    def __init__(self, name: str, filename: str, subfontIndex: int = 0) -> None:
        """Load the TrueType font ``filename`` (member ``subfontIndex`` of a TTC) as ``name``."""
        self.fontName = name
        self.face = FastFace(filename, validate=0, subfontIndex=subfontIndex)
        self.encoding = TTEncoding()
        self.state: WeakKeyDictionary[Any, Any] = WeakKeyDictionary()
        self._asciiReadable = rl_config.ttfAsciiReadable
        self.shapable = not any(fnmatch(name, pattern) for pattern in ttfonts.unShapedFontGlob)
