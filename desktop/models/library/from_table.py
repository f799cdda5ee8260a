"""加入指标库: indicators of a form become entries of the user's own library.

The target a unit wrote for one year (``≥95%``) is stored as a template for the next (``≥**%``), in the
form the bundled ``common.json`` uses: every number the unit sets becomes the ``**`` placeholder, the
operator, the unit and the words around it stay. A target the value reader cannot read as a quantity,
a date or a duration (「有效提升」, 「是」) is kept as written: it has no number to fill in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict

from desktop.models.errors import InvalidInputError
from desktop.models.library.entries import (
    LIBRARY_FORMAT,
    LIBRARY_VERSION,
    LibraryEntry,
    blank_numbers,
    entries_from_data,
    guess_direction,
)
from desktop.models.library.own import OWN_CATEGORY
from desktop.models.scoring.values import Direction, ValueKind, read_value
from desktop.models.workbook.domain import Form, Indicator, Workbook

_NO_NUMBER = (ValueKind.EMPTY, ValueKind.QUALITATIVE)
_DIRECTIONS = {Direction.HIGHER: "higher", Direction.LOWER: "lower", Direction.EQUAL: "equal"}


def placeholder_target(target: str) -> str:
    """A row's target as a library template: each number becomes ``**`` (``blank_numbers``); text targets are kept.

    ``≥95%`` → ``≥**%``; ``10月31日前`` → ``**月**日前``; ``95%-100%`` → ``**%-**%``;
    ``1,200人`` → ``**人``; ``有效提升`` and ``是`` stay as they are.
    """
    text = target.strip()
    if read_value(text).kind in _NO_NUMBER:
        return text
    return blank_numbers(text)


def _clean(text: str | None) -> str:
    """A cell's text as a library field: trimmed, line ends as ``\\n`` (the library refuses other controls)."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def entry_from_indicator(indicator: Indicator, category: str, source: str = "") -> LibraryEntry:
    """The library entry a table row gives: its levels, name, basis, and its target as a template.

    The direction comes from the target's operator (≥ higher, ≤ lower, a date or a time limit a
    deadline), else from the indicator's words; the unit from the target's quantity.
    """
    target = _clean(indicator.target)
    value = read_value(target)
    unit = f"{value.quantity.multiplier}{value.quantity.unit}" if value.quantity is not None else ""
    if value.kind in (ValueKind.DATE, ValueKind.DURATION) or value.direction is Direction.DEADLINE:
        direction = "deadline"
    else:
        direction = _DIRECTIONS.get(value.direction or Direction.PLAIN, "")
    name, level2 = _clean(indicator.name), _clean(indicator.level2)
    return LibraryEntry(
        category=category.strip() or OWN_CATEGORY,
        level1=_clean(indicator.level1),
        level2=level2,
        name=name,
        target=placeholder_target(target),
        unit=unit,
        direction=direction or guess_direction(name, level2, unit),
        basis=_clean(indicator.basis),
        source=_clean(source),
    )


def row_source(workbook: Workbook, form: Form) -> str:
    """Where a row added from the table came from: unit, year and form (「武威市政务服务中心 2022年《…》」)."""
    unit = (form.unit.name if form.unit is not None else "") or workbook.unit.name
    year = f"{workbook.year}年" if workbook.year else ""
    title = f"《{form.title.strip()}》" if form.title.strip() else ""
    return " ".join(part for part in (unit.strip(), f"{year}{title}") if part)


def entries_from_rows(indicators: Sequence[Indicator], category: str, source: str = "") -> list[LibraryEntry]:
    """The entries of the rows that have a 三级指标 name, checked as the library file reader checks them.

    Raises:
        InvalidInputError: a field the library file could not hold (too long), in Chinese.
    """
    entries = [entry_from_indicator(i, category, source) for i in indicators if i.name.strip()]
    for entry in entries:  # the same rules as reading the file back: what is saved can be opened again
        data = {"format": LIBRARY_FORMAT, "version": LIBRARY_VERSION, "entries": [asdict(entry)]}
        try:
            entries_from_data(data)
        except InvalidInputError as exc:
            field = exc.message.split(".", 1)[-1]
            raise InvalidInputError(f"指标「{entry.name[:30]}」不能加入指标库：{field}") from None
    return entries
