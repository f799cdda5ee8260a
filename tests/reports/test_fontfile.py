"""Tests of desktop.reports.fontfile: the bulk font reading gives ReportLab exactly what its own reading gives."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import reportlab
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

from desktop.reports.fontfile import FastFace, FastTTFont
from desktop.resources import FONT_FILE, resource_path

BUNDLED = resource_path(*FONT_FILE)  # a TTC: character map format 12, long glyph offsets
VERA = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"  # format 4, short glyph offsets
SEQUENCES = ("hmetrics", "glyphPos")  # decoded when read: compared as lists
ORDERED = ("charToGlyph", "glyphToChar")  # dicts whose order ReportLab's code could see


def attributes(face: TTFontFace) -> dict[str, Any]:
    """Everything a face holds, comparable (the scale function and the read position aside)."""
    found = {k: v for k, v in vars(face).items() if not k.startswith("_") or k in ("_ttf_data", "_full_font")}
    found["glyphToChar"] = face.glyphToChar
    for name in SEQUENCES:
        found[name] = list(getattr(face, name))
    return found


@pytest.fixture(scope="module")
def bundled_reportlab() -> TTFontFace:
    return TTFontFace(str(BUNDLED))


@pytest.mark.parametrize(("path", "index"), [(BUNDLED, 0), (BUNDLED, 1), (VERA, 0)])
def test_same_face_as_reportlab(path: Path, index: int) -> None:
    slow = TTFontFace(str(path), subfontIndex=index)
    fast = FastFace(str(path), subfontIndex=index)
    assert attributes(fast) == attributes(slow)
    for name in ORDERED:
        assert list(getattr(fast, name).items()) == list(getattr(slow, name).items())
    assert fast._pdfScale(1234) == slow._pdfScale(1234)


def test_same_subset_as_reportlab(bundled_reportlab: TTFontFace) -> None:
    fast = FastFace(str(BUNDLED))
    text = "项目支出绩效自评表（2025年度）≥95%，满意度调查 ABC xyz 0123456789 “引号”《书名》\u00a0"
    subset = [0, *sorted({ord(ch) for ch in text})]
    assert fast.makeSubset(subset) == bundled_reportlab.makeSubset(subset)
    glyphs = sorted(set(bundled_reportlab.charToGlyph.values()))
    for glyph in (glyphs[0], glyphs[len(glyphs) // 2], glyphs[-1], len(fast.hmetrics) - 1):
        assert fast.hmetrics[glyph] == bundled_reportlab.hmetrics[glyph]
        assert fast.glyphPos[glyph + 1] == bundled_reportlab.glyphPos[glyph + 1]


def test_same_font_object_as_reportlab() -> None:
    slow = TTFont("JXslow", str(VERA))
    fast = FastTTFont("JXslow", str(VERA))
    assert vars(fast).keys() == vars(slow).keys()
    same = {k: v for k, v in vars(fast).items() if k not in ("face", "state", "encoding")}
    assert same == {k: v for k, v in vars(slow).items() if k in same}
    assert vars(fast.encoding) == vars(slow.encoding) and type(fast.face).__mro__[1] is type(slow.face)
    assert fast.stringWidth("Budget 2025", 9) == slow.stringWidth("Budget 2025", 9)


def test_unusual_character_maps_are_read_by_reportlab(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(FastFace, "_cmap", lambda self, data: None)  # as for a format 6 map
    slow = TTFontFace(str(VERA))
    fast = FastFace(str(VERA))
    assert attributes(fast) == attributes(slow)
    assert isinstance(fast.glyphPos, list)  # ReportLab's own list
