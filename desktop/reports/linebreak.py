"""Chinese line breaking for printed cells and titles (GB/T 15834 punctuation rules, 避头尾).

``wrap_lines`` breaks text to a width in points. No line starts with closing punctuation
(」）》，。：；、？！” …) and none ends with an opening bracket or quote: a character that may not
start a line is pulled back onto the line before (hanging a little into the cell padding, as
Chinese typesetting does) when it fits there, else the last character of that line moves down
with it. Latin words, numbers and values like ``≥95%`` or ``2025年`` digits stay whole unless
they are wider than the line. ReportLab's own CJK wrap hangs one character only and knows none
of the full-width colon, semicolon, question mark, comma or closing quotes.
"""

from __future__ import annotations

import re
from functools import lru_cache

from reportlab.pdfbase.pdfmetrics import stringWidth

# Characters that may not begin a line (closing brackets and quotes, pause and stop marks).
NO_LINE_START = frozenset("」』）》〉】〕〗］｝”’，。．：；、？！…‥·～%％)]},.:;?!・〃々ー")
# Characters that may not end a line (opening brackets and quotes).
NO_LINE_END = frozenset("「『（《〈【〔〖［｛“‘([{")
# How far a pulled-back character may hang past the line width (one full-width mark is ~1 em;
# the cell padding leaves room for about a third of it).
HANG_EM = 0.34


# Characters that glue together into an unbreakable run: Latin letters, digits and the signs of values.
_WORD_CHARS = "A-Za-z0-9.%+\\-/:_'<>=≥≤＞＜＝≧≦％"
# A break opportunity: a run of word characters, or any single other character (CJK, spaces, marks)
# but a line break.
_TOKEN = re.compile(f"[{_WORD_CHARS}]+|.")


def _tokens(line: str) -> list[str]:
    """Break opportunities: single CJK characters, or runs of Latin/number characters."""
    return _TOKEN.findall(line)


@lru_cache(maxsize=65536)
def _width(text: str, font: str, size: float) -> float:
    return float(stringWidth(text, font, size))


def _split_long(token: str, font: str, size: float, width: float) -> list[str]:
    """A token wider than the line, cut into line-sized parts."""
    parts: list[str] = []
    part = ""
    for ch in token:
        if part and _width(part + ch, font, size) > width:
            parts.append(part)
            part = ""
        part += ch
    if part:
        parts.append(part)
    return parts


def _wrap_paragraph(text: str, font: str, size: float, width: float) -> list[str]:
    lines: list[list[str]] = [[]]
    used = 0.0
    hang = HANG_EM * size
    for token in _tokens(text):
        w = _width(token, font, size)
        if w > width and len(token) > 1:
            for part in _split_long(token, font, size, width):
                if lines[-1]:
                    lines.append([])
                lines[-1].append(part)
                used = _width(part, font, size)
            continue
        line = lines[-1]
        if used + w <= width or not line or token.isspace():
            line.append(token)
            used += w
            continue
        if token[0] in NO_LINE_START and used + w <= width + hang and line[-1][-1] not in NO_LINE_START:
            line.append(token)  # hang one closing mark in the margin
            used += w
            continue
        carry: list[str] = []
        if token[0] in NO_LINE_START:  # move the last character(s) down with it
            while len(line) > 1:
                carry.insert(0, line.pop())
                if carry[0][0] not in NO_LINE_START:
                    break
        while line and line[-1][-1] in NO_LINE_END:
            carry.insert(0, line.pop())
        if not line:
            lines.pop()
        lines.append([*carry, token])
        used = _width("".join(lines[-1]), font, size)
    return ["".join(line) for line in lines]


def wrap_lines(text: str, font: str, size: float, width: float) -> list[str]:
    """``text`` broken into lines no wider than ``width`` points (its own line breaks kept)."""
    out: list[str] = []
    for paragraph in text.replace("\r\n", "\n").split("\n"):
        if not paragraph or _width(paragraph, font, size) <= width:
            out.append(paragraph)
        else:
            out.extend(_wrap_paragraph(paragraph, font, size, width))
    return out


def widest_unit(text: str, font: str, size: float) -> float:
    """The width of the widest piece of ``text`` that cannot be broken (a word, a value, one character)."""
    return max((_width(token, font, size) for token in set(_TOKEN.findall(text))), default=0.0)


def line_width(text: str, font: str, size: float) -> float:
    """The width of the longest of ``text``'s own lines, unwrapped."""
    return max((_width(line, font, size) for line in text.split("\n")), default=0.0)
