"""The sign-off and contact lines of an imported form (no Qt): who signed, who filled it in, the phone and the date.

Templates print them in many places and wordings: 「填报人：张三 联系电话：… 填报日期：…」 in one cell under the
table (陕西 佳县, 四川 大英), 「项目负责人：」 and its name two cells on (四川 青神), 项目负责人 | 联系电话 as header
fields above the table (山东 济南, 陕西 佳县), 「项目负责人及电话 | 王五 0557-…」 (安徽 萧县), or a row of labels with
the values under them. Which label fills which ``Signoff`` field is data (``signoff_labels`` in
``excel_titles.json``); within a field the label listed first wins (单位负责人 before 项目负责人, as the printed
form's 单位负责人 line is the one the app prints). Labels the form has no field for (财务负责人, 审核人) and
values that lost to another label are not kept but reported, so nothing is dropped silently.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from desktop.models.formats.excel_cells import Grid, right_of, text
from desktop.models.formats.excel_labels import fund_column, indicator_column, is_block_label, label, titles
from desktop.models.formats.excel_tables import row_texts
from desktop.models.workbook.domain import Form, Signoff
from desktop.models.workbook.form_fields import SIGNOFF_FIELDS

_FIELDS = ("head", "preparer", "phone", "date")
_FIELD_NAMES = dict(SIGNOFF_FIELDS)
# What is left of a blank line to sign on once these are taken out: nothing.
_BLANK = re.compile(r"[\s:：()（）\[\]【】_\-—/.·年月日签字名盖章处]+")
_PHONE = re.compile(r"((?:\+?86[-\s]?)?(?:\d{3,4}[-－\s]?)?\d{7,8}(?:[-－]\d{1,5})?|1\d{10})\s*$")
_WITH_PHONE = re.compile(r"^(.+?)(?:及|和|、|/)(?:联系)?(?:电话|手机|联系方式)$")


@dataclass
class _Found:
    rank: int  # the label's place in its field's list (lower wins)
    shown: str  # the label as printed
    value: str


@cache
def _labels() -> dict[str, tuple[str, int]]:
    """label → (Signoff field or 'none', rank within the field)."""
    table: dict[str, list[str]] = titles()["signoff_labels"]
    found: dict[str, tuple[str, int]] = {}
    for key, names in table.items():
        if key.startswith("_"):
            continue
        for rank, name in enumerate(names):
            found.setdefault(label(name), (key, rank))
    return found


@cache
def _in_one_cell() -> re.Pattern[str]:
    """「label：value」 pairs, several in one cell (填报人：张三　联系电话：1234　填报日期：…)."""
    names = sorted({str(n) for key, v in titles()["signoff_labels"].items() if not key.startswith("_") for n in v})
    words = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    edge = r"(?:^|(?<=[\s，,;；、。]))"
    return re.compile(rf"{edge}({words})\s*[:：]\s*(.*?)\s*(?={edge}(?:{words})\s*[:：]|$)")


def signoff_key(shown: str) -> tuple[str, int] | None:
    """The field (or 'none') and rank a printed sign-off label names, else None (项目负责人及电话 → head)."""
    folded = label(shown)
    if folded in _labels():
        return _labels()[folded]
    matched = _WITH_PHONE.match(folded)
    if matched and matched.group(1) in _labels():
        return _labels()[matched.group(1)]
    return None


def is_title(folded: str) -> bool:
    """Whether a label is a column or block title (一级指标, 项目名称, 全年预算数), never a sign-off value."""
    return bool(indicator_column(folded) or fund_column(folded) or is_block_label(folded))


def _value(shown: str | None) -> str | None:
    """A value as written, or None for a blank line to sign on (（签字）, 年 月 日)."""
    if shown is None:
        return None
    cleaned = shown.strip()
    return cleaned if cleaned and _BLANK.sub("", cleaned) else None


def _beside(grid: Grid, row: int, column: int) -> str | None:
    """The value right of a label cell (up to two cells on), or under it when the right holds another label."""
    here = grid.merged.get((row, column), (row, column))
    place = right_of(grid, row, column, reach=2)
    shown = text(grid.cell(*place)) if place is not None else None
    if shown and shown.strip():
        if signoff_key(re.split(r"[:：]", shown)[0]) is None and not shown.strip().endswith((":", "：")):
            return shown  # else the next label: look under this one
    labels = [v for _c, v in row_texts(grid, row) if isinstance(v, str) and signoff_key(re.split(r"[:：]", v)[0])]
    last = max((r for (r, c), top in grid.merged.items() if top == here), default=row)
    if len(labels) >= 2 and last < grid.max_row:  # a row of labels (填报人 | 联系电话 | 填报日期), values under them
        below = text(grid.cell(last + 1, column))
        folded = label(below)
        if below and signoff_key(folded) is None and ":" not in folded and not is_title(folded):
            return below
    return None


def _pairs(grid: Grid, rows: Iterable[int]) -> Iterable[tuple[int, str, str | None]]:
    """(row, printed label, value) of every sign-off label in these rows."""
    for row in rows:
        for column, value in row_texts(grid, row):
            if not isinstance(value, str):
                continue
            several = list(_in_one_cell().finditer(value.strip()))
            if len(several) > 1 or (several and several[0].start() > 0):
                for matched in several:
                    yield row, matched.group(1), matched.group(2)
                continue
            head, colon, rest = value.replace(":", "：").partition("：")
            if signoff_key(head) is None:
                continue
            yield row, head.strip(), rest.strip() if colon and rest.strip() else _beside(grid, row, column)


def read_signoff(grid: Grid, rows: Iterable[int], form: Form) -> str:
    """Fill ``form.signoff`` from the sign-off labels in ``rows`` (the rows around the indicator table, never its
    own rows); the report line saying what went where and what was not kept ('' when no label has a value)."""
    found: dict[str, _Found] = {}
    left: list[str] = []
    for _row, shown, raw in _pairs(grid, rows):
        value = _value(raw)
        key = signoff_key(shown)
        if value is None or key is None:
            continue
        field, rank = key
        name = label(shown)
        if field == "none":
            left.append(f"{name}“{value}”（没有对应的栏目）")
            continue
        values = {field: value}
        if _WITH_PHONE.match(name) and (phone := _PHONE.search(value)) and phone.start() > 0:
            values = {field: value[: phone.start()].strip(), "phone": phone.group(1).strip()}
        for key_, value_ in values.items():
            have = found.get(key_)
            if have is None or rank < have.rank and key_ == field:
                if have is not None:
                    left.append(f"{have.shown}“{have.value}”（已按{name}填写{_FIELD_NAMES[key_]}）")
                found[key_] = _Found(rank if key_ == field else 99, name, value_)
            elif have.value != value_:
                left.append(f"{name}“{value_}”（已按{have.shown}填写{_FIELD_NAMES[key_]}）")
    if not found and not left:
        return ""
    if found:
        kept: dict[str, str | None] = {key: found[key].value if key in found else None for key in _FIELDS}
        form.signoff = Signoff(head=kept["head"], preparer=kept["preparer"], phone=kept["phone"], date=kept["date"])
    taken = "、".join(
        f"{_FIELD_NAMES[key]}“{found[key].value}”"
        + (f"（按{found[key].shown}）" if found[key].shown != label(_FIELD_NAMES[key]) else "")
        for key in _FIELDS
        if key in found
    )
    line = f"签字栏：{taken}" if taken else "签字栏"
    return line + (f"；未导入：{'、'.join(left)}" if left else "")
