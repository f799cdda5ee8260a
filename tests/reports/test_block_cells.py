"""Info blocks print plain cell text themselves exactly where a paragraph would have put it."""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest

from desktop.models.workbook.domain import Workbook
from desktop.reports import blocks
from desktop.reports.pdf import export_pdf


def words(path: Path) -> list[tuple[int, str, float, float]]:
    """Every word of the PDF with its page and position."""
    found = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages):
            for word in page.extract_words(use_text_flow=True, keep_blank_chars=False):
                found.append((number, word["text"], word["x0"], word["top"]))
    return found


def same_places(first: list[tuple[int, str, float, float]], second: list[tuple[int, str, float, float]]) -> bool:
    """The same words on the same pages, each within a thousandth of a point of the other's place."""
    return len(first) == len(second) and all(
        a[:2] == b[:2] and abs(a[2] - b[2]) < 1e-3 and abs(a[3] - b[3]) < 1e-3
        for a, b in zip(first, second, strict=True)
    )


def test_plain_cells_print_where_paragraphs_did(
    wuwei: Workbook, tianjin: Workbook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, workbook in (("wuwei", wuwei), ("tianjin", tianjin)):
        plain = tmp_path / f"{name}-plain.pdf"
        export_pdf(workbook, plain)
        with monkeypatch.context() as patch:
            patch.setattr(blocks, "_SPECIAL", re.compile("."))  # every block cell a paragraph, as before
            paragraphs = tmp_path / f"{name}-paragraphs.pdf"
            export_pdf(workbook, paragraphs)
        assert plain.read_bytes() != paragraphs.read_bytes()  # block cells were drawn the new way
        assert same_places(words(plain), words(paragraphs))


def test_texts_a_paragraph_would_change_stay_paragraphs() -> None:
    for text in ("两个  空格", "a&b", "<b>", "制表\t符", "全角\u3000空格"):
        assert blocks._SPECIAL.search(text)
    assert not blocks._SPECIAL.search("预算执行率\n≥95%（含）")
