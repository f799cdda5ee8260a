"""Printed labels of imported Excel forms (no Qt): normalising them and looking them up in the titles table.

What a label means is data, in ``excel_titles.json`` beside this module (column titles of the
indicator and fund tables, fund line names, the rows that end a table), so a new region's wording
is a data change. ``label`` is how a printed text is compared: NFKC (full-width letters, brackets
and colons folded), no blanks or line breaks, no bracketed notes such as （A） or （50分）, no
leading * or ★ and no trailing colon.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache, lru_cache
from importlib import resources
from typing import Any

_BRACKETS = re.compile(r"[(\[【][^)\]】]*[)\]】]")
_MARKS = re.compile(r"^[*★☆※]+|[:]+$")
_WEIGHT = re.compile(r"\s*[（(【\[]\s*\d+(?:\.\d+)?\s*分\s*[)）】\]]\s*")
_FIELD_LABEL = re.compile(r"^[^:：\d]{1,8}\s*[:：]")
_NOTE = re.compile(r"^(?:注|备注|说明)\s*\d*\s*[:：.、]")
_PLACEHOLDER = re.compile(r"^(?:指标\d*|[.…。·\-—_]+|\d+)$")
MONEY_UNIT = re.compile(r"(?:单位|金额单位)?[:：]?\s*[（(]?\s*(亿元|万元|千元|元)\s*[)）]?")
_UNIT_NOTE = re.compile(r"(?:单位\s*[:：]\s*|[（(]\s*)(亿元|万元|千元|元)(?:\s*[)）])?")


def label(value: Any) -> str:
    """A printed text as labels are compared (see the module docstring); '' for a blank or non-text cell."""
    if value is None or isinstance(value, bool | int | float):
        return ""
    return _label(str(value))


@lru_cache(maxsize=65_536)
def _label(value: str) -> str:
    folded = unicodedata.normalize("NFKC", value)
    folded = re.sub(r"\s+", "", folded)
    folded = _BRACKETS.sub("", folded)
    previous = None
    while previous != folded:
        previous = folded
        folded = _MARKS.sub("", folded)
    return folded


def without_weight(text: str) -> str:
    """A level cell without the block weight printed in it: 产出指标（50分） → 产出指标."""
    return _WEIGHT.sub("", text).strip()


def is_placeholder(text: str) -> bool:
    """Whether a 三级指标 cell is the template's placeholder (指标1：, ……) rather than an indicator."""
    return bool(_PLACEHOLDER.match(label(text)))


def money_unit_in(text: str) -> str | None:
    """The money unit a printed text declares: 单位：元, 金额单位：万元, 项目资金（元）, 单位:千元 …; else None."""
    folded = unicodedata.normalize("NFKC", text)
    found = _UNIT_NOTE.search(folded)
    return found.group(1) if found else None


@cache
def titles() -> dict[str, Any]:
    """The titles table (excel_titles.json), loaded once."""
    raw = resources.files("desktop.models.formats").joinpath("excel_titles.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(raw)
    return data


@cache
def _lookup(section: str) -> dict[str, str]:
    table: dict[str, list[str]] = titles()[section]
    found: dict[str, str] = {}
    for key, names in table.items():
        for name in names:
            found.setdefault(label(name), key)
    return found


def indicator_column(title: str) -> str | None:
    """The indicator field a column title names (``ignore`` for a known column that is not kept), or None."""
    key = _lookup("indicator_columns").get(title)
    if key is not None:
        return key
    for field, prefixes in titles()["indicator_prefixes"].items():
        if title.startswith(tuple(prefixes)):
            return str(field)
    return None


def fund_column(title: str) -> str | None:
    """The fund-line field a fund table's column title names, or None."""
    return _lookup("fund_columns").get(title)


def fund_line(text: str) -> str | None:
    """The fund line a row label names (其中： and a trailing colon dropped), or None."""
    return _lookup("fund_lines").get(re.sub(r"^其中:?", "", text))


@cache
def _names(section: str) -> tuple[str, ...]:
    return tuple(label(name) for name in titles()[section])


def row_kind(text: str, strict: bool = False) -> str | None:
    """What a row starting with this label is: total / conclusion / notes / deviation / end, or None.

    ``strict``: only the label itself or the label before a colon counts (填报人：…), not a longer text
    starting with it (联系电话接通率 is an indicator)."""
    if _NOTE.match(text):
        return "notes"
    for section, kind in (
        ("total_rows", "total"),
        ("conclusion_rows", "conclusion"),
        ("deviation_rows", "deviation"),
        ("note_rows", "notes"),
        ("end_rows", "end"),
    ):
        if _matches(text, _names(section), strict):
            return kind
    return None


def _matches(text: str, names: tuple[str, ...], strict: bool = False) -> bool:
    """Equal to a name, before a colon (填报人：张三), or starting with one of four characters or more."""
    head = text.split(":", 1)[0]
    if text in names or head in names:
        return True
    return not strict and any(len(name) >= 4 and text.startswith(name) for name in names)


def is_subtotal(text: str) -> bool:
    """Whether a cell is a subtotal label (小计, 产出指标小计): the row is not an indicator, the table goes on."""
    return any(text.endswith(name) for name in _names("subtotal_rows"))


def is_field_label(text: str) -> bool:
    """Whether a text is a short label before a colon (审核人：, 日期：) rather than a table value."""
    return bool(_FIELD_LABEL.match(text)) and not is_placeholder(text)


def is_block_label(text: str) -> bool:
    """Whether this label starts a block of a form's header (项目名称, 预算执行情况 …)."""
    return _matches(text, _names("block_labels"))


def name_labels() -> tuple[str, ...]:
    """The labels beside which a form's name is printed."""
    return _names("name_labels")
