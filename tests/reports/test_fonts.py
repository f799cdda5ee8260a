"""Tests of desktop.reports.fonts: the bundled font, the PC's own fonts, registration."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from desktop.models.errors import UserError
from desktop.models.workbook.domain import Workbook
from desktop.reports.fonts import (
    BUNDLED_LABEL,
    PrintFont,
    as_print_font,
    available_print_fonts,
    bundled_font,
    has_truetype_outlines,
    register_font,
)
from desktop.reports.pdf import export_pdf
from desktop.resources import FONT_FILE, resource_path


def base_fonts(path: Path) -> set[str]:
    names = set()
    for page in PdfReader(path).pages:
        resources: Any = page["/Resources"].get_object()
        for ref in resources["/Font"].values():
            names.add(str(ref.get_object()["/BaseFont"]))
    return names


@pytest.fixture
def font_dir(tmp_path: Path) -> Path:
    """A folder laid out like C:\\Windows\\Fonts: a 宋体 (a copy of the bundled TTC), a CFF 仿宋, noise."""
    folder = tmp_path / "Fonts"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(resource_path(*FONT_FILE), folder / "sub" / "SimSun.ttc")
    (folder / "simfang.ttf").write_bytes(b"OTTO" + b"\0" * 200)  # PostScript outlines: not embeddable
    (folder / "arial.ttf").write_bytes(b"\0\1\0\0" + b"\0" * 200)  # not a Chinese font we know
    return folder


def test_bundled_font_comes_first() -> None:
    fonts = available_print_fonts()
    assert fonts[0] == bundled_font()
    assert fonts[0].label == BUNDLED_LABEL and fonts[0].path.is_file()
    assert has_truetype_outlines(fonts[0].path, 0)


def test_scan_finds_known_truetype_fonts_only(font_dir: Path) -> None:
    found = available_print_fonts([font_dir])
    extra = [f for f in found[1:] if font_dir in f.path.parents]
    assert extra == [PrintFont("宋体 SimSun", font_dir / "sub" / "SimSun.ttc", 0)]


def test_truetype_check() -> None:
    path = resource_path(*FONT_FILE)
    assert has_truetype_outlines(path, 0)
    assert not has_truetype_outlines(path, 99)  # no such member in the collection
    assert not has_truetype_outlines(path.with_name("missing.ttf"))


def test_registration_is_cached() -> None:
    assert register_font() == register_font(bundled_font())


def test_print_with_another_font(font_dir: Path, tmp_path: Path, tianjin: Workbook) -> None:
    simsun = available_print_fonts([font_dir])[1]
    assert register_font(simsun) != register_font()
    for font in (simsun, str(simsun.path)):
        out = tmp_path / "simsun.pdf"
        result = export_pdf(tianjin, out, forms=[0], font=font)
        assert result.pages == 1
        assert all("+" in name for name in base_fonts(out))


def test_unusable_fonts_are_user_errors(font_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="不是 TrueType"):
        register_font(as_print_font(font_dir / "simfang.ttf"))
    with pytest.raises(UserError, match="找不到字体文件"):
        register_font(as_print_font(tmp_path / "nothing.ttf"))
