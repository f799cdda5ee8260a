"""查找: where a piece of text occurs in a workbook's forms and indicator tables (no Qt).

The find bar (``desktop/views/find_bar.py``) asks ``find_text`` for every place a text occurs and
steps through them like Excel's 查找下一个. Matching ignores case and the full-width / half-width
difference (``１００％`` finds ``100%``), because both are typed in the same column of real forms.
A merged 一级 / 二级 cell is one place, as on screen: only the first row of a run is reported.

替换 (``replace_plan``) is exact: it changes the text as typed, case and width included, so that
replacing ``2024`` never touches ``２０２４`` in a quoted document number by surprise; it changes
every row of a merged cell, so the cell stays merged.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass

from desktop.models.errors import UserError
from desktop.models.workbook.domain import MAX_CELL_TEXT, Form, Indicator, Workbook

# The indicator fields searched, in the order of the table's columns.
INDICATOR_FIELDS: tuple[str, ...] = (
    "level1",
    "level2",
    "name",
    "description",
    "target",
    "basis",
    "actual",
    "deviation",
)

# Columns merged over a run of rows (as the indicator table draws them): a field, and the fields
# that must repeat from the row above for the two cells to be one.
_MERGED: dict[str, tuple[str, ...]] = {"level1": ("goal", "level1"), "level2": ("goal", "level1", "level2")}


@dataclass(frozen=True)
class Hit:
    """One place where the text occurs.

    Attributes:
        form_index: the form's position in the workbook.
        indicator_index: the indicator's position in ``form.indicators`` (None: the form's title).
        field: the field holding the text (``"title"`` for a form's title).
        text: the whole value of that field.
    """

    form_index: int
    indicator_index: int | None
    field: str
    text: str

    @property
    def order(self) -> tuple[int, int, int]:
        """Its position in reading order: form, row (the title before the rows), column."""
        row = -1 if self.indicator_index is None else self.indicator_index
        column = INDICATOR_FIELDS.index(self.field) if self.field in INDICATOR_FIELDS else -1
        return (self.form_index, row, column)


@functools.lru_cache(maxsize=65_536)  # cell texts repeat from search to search (each keystroke)
def fold(text: str) -> str:
    """The form of a text that matching compares: NFKC (full-width → half-width), then case-folded."""
    return unicodedata.normalize("NFKC", text).casefold()


def find_text(workbook: Workbook, needle: str) -> list[Hit]:
    """Every place where ``needle`` occurs, form by form, row by row, column by column.

    Args:
        workbook: the workbook searched.
        needle: the text looked for; blank text finds nothing.

    Returns:
        The places, in reading order.
    """
    wanted = fold(needle.strip())
    if not wanted:
        return []
    hits: list[Hit] = []
    for form_index, form in enumerate(workbook.forms):
        if wanted in fold(form.title):
            hits.append(Hit(form_index, None, "title", form.title))
        hits.extend(_indicator_hits(form_index, form, wanted))
    return hits


def _indicator_hits(form_index: int, form: Form, wanted: str) -> list[Hit]:
    hits: list[Hit] = []
    previous: Indicator | None = None
    for row, indicator in enumerate(form.indicators):
        for field in INDICATOR_FIELDS:
            value = getattr(indicator, field)
            if not value or wanted not in fold(value):
                continue
            merged_with = _MERGED.get(field)
            if (
                merged_with
                and previous is not None
                and all(getattr(previous, key) == getattr(indicator, key) for key in merged_with)
            ):
                continue  # the same merged cell as the row above
            hits.append(Hit(form_index, row, field, value))
        previous = indicator
    return hits


@dataclass(frozen=True)
class Replacement:
    """One field to change for 全部替换.

    Attributes:
        obj: the form (its ``title``) or the indicator.
        field: the field.
        old: its text now.
        new: its text after the replacement.
    """

    obj: Form | Indicator
    field: str
    old: str
    new: str


def replace_plan(workbook: Workbook, needle: str, replacement: str) -> list[Replacement]:
    """Every field that 全部替换 of ``needle`` by ``replacement`` changes (exact, case and width kept).

    Raises:
        UserError: the text to replace is empty, or a replaced text would exceed ``MAX_CELL_TEXT``.
    """
    if not needle:
        raise UserError("请先填写要查找的文字。")
    plan: list[Replacement] = []
    for form in workbook.forms:
        if needle in form.title:
            plan.append(Replacement(form, "title", form.title, form.title.replace(needle, replacement)))
        for indicator in form.indicators:
            for field in INDICATOR_FIELDS:
                value = getattr(indicator, field)
                if value and needle in value:
                    plan.append(Replacement(indicator, field, value, value.replace(needle, replacement)))
    too_long = next((r for r in plan if len(r.new) > MAX_CELL_TEXT), None)
    if too_long is not None:
        raise UserError(f"替换后有内容超过 {MAX_CELL_TEXT} 字，未替换任何内容。")
    return plan
