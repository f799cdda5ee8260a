"""Building blocks of the Excel template corpus (tests/helpers/excel_corpus.py): what a printed form is
expected to give (Want, WantForm, Case) and a small writer of template-like sheets with openpyxl."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from desktop.models.workbook.domain import Form, FormKind

INDICATOR_FIELDS = (
    "level1",
    "level2",
    "name",
    "target",
    "actual",
    "weight",
    "score",
    "deviation",
    "goal",
    "description",
)


@dataclass
class Want:
    """One printed indicator row as it should be read."""

    level1: str
    level2: str
    name: str
    target: str | None = None
    actual: str | None = None
    weight: Decimal | None = None
    score: Decimal | None = None
    deviation: str | None = None
    goal: int | None = None
    description: str | None = None  # 绩效指标描述 (or the 其中 rows under the indicator)


@dataclass
class WantForm:
    """One printed form: the fields a reader must find (None: not printed, not counted)."""

    sheet: str
    kind: FormKind
    title: str
    indicators: list[Want]
    money_unit: str = "万元"
    printed_total: Decimal | None = None
    budget: Decimal | None = None  # 预算数 / 全年预算数 of the total line, in money_unit
    executed: Decimal | None = None  # 全年执行数 of the total line
    signoff: dict[str, str] | None = None  # Signoff field → value printed (head, preparer, phone, date)
    overall_target: str | None = None  # 年度目标 / 年度总体目标 text


@dataclass
class Case:
    """One workbook of the corpus."""

    name: str
    region: str
    layout: str  # the section of form-layouts.md it follows
    variants: tuple[str, ...]
    build: Callable[[Path], None]
    expected: list[WantForm]
    skipped_sheets: tuple[str, ...] = ()  # sheets that must give no form (填报说明)


# -- writing sheets ------------------------------------------------------------------------------


class Writer:
    """Appends rows to a sheet from column ``left`` on, with merges."""

    def __init__(self, sheet: Worksheet, left: int = 1) -> None:
        self.sheet = sheet
        self.row = 0
        self.left = left

    def put(self, *cells: Any, spans: dict[int, int] | None = None) -> int:
        """Write a row; ``spans`` maps a cell's index to how many columns it is merged over."""
        self.row += 1
        for index, value in enumerate(cells):
            if value is not None:
                self.sheet.cell(self.row, self.left + index, value)
        for index, width in (spans or {}).items():
            column = self.left + index
            self.sheet.merge_cells(
                start_row=self.row, start_column=column, end_row=self.row, end_column=column + width - 1
            )
        return self.row

    def title(self, text: str, width: int) -> int:
        return self.put(text, spans={0: width})

    def down(self, index: int, first: int, last: int) -> None:
        """Merge the cell at ``index`` from row ``first`` to ``last``."""
        if last > first:
            column = self.left + index
            self.sheet.merge_cells(start_row=first, start_column=column, end_row=last, end_column=column)

    def skip(self) -> None:
        self.row += 1


_SPLIT = re.compile(r"^([≥≤><＞＜]?)(\d+(?:\.\d+)?)(.*)$")


def split_target(target: str | None) -> tuple[str | None, Any, str | None]:
    """A target as a template with 指标性质 | 指标值 | 度量单位 prints it (≥95% → ≥ | 95 | %)."""
    matched = _SPLIT.match(target or "")
    if not matched:
        return ("定性", target, None)
    sign, value, unit = matched.groups()
    return (sign or None, Decimal(value) if "." in value else int(value), unit or None)


def num(value: Decimal | None) -> Any:
    if value is None:
        return None
    return int(value) if value == value.to_integral() else float(value)


def indicator_rows(
    w: Writer,
    wants: Sequence[Want],
    columns: Sequence[str],
    *,
    merge_levels: bool = True,
    weighted_level1: dict[str, str] | None = None,
) -> None:
    """Write indicator rows: ``columns`` name the Want field of each column (``sign``/``value``/``unit``
    for split targets, ``""`` for a column left blank); 一级 / 二级 repeated below are merged or blank."""
    start: dict[str, int] = {}
    previous: Want | None = None
    for want in wants:
        values: list[Any] = []
        same1 = previous is not None and previous.level1 == want.level1 and previous.goal == want.goal
        same2 = same1 and previous is not None and previous.level2 == want.level2
        for key in columns:
            if key == "level1":
                values.append(None if same1 else (weighted_level1 or {}).get(want.level1, want.level1))
            elif key == "level2":
                values.append(None if same2 else want.level2)
            elif key in ("sign", "value", "unit"):
                values.append(split_target(want.target)[("sign", "value", "unit").index(key)])
            elif key in ("weight", "score"):
                values.append(num(getattr(want, key)))
            elif key:
                values.append(getattr(want, key, None))
            else:
                values.append(None)
        row = w.put(*values)
        for key in ("level1", "level2"):
            if key not in columns:
                continue
            index = columns.index(key)
            same = same1 if key == "level1" else same2
            if not same:
                start[key] = row
            elif merge_levels:
                top = start[key]
                for merged in list(w.sheet.merged_cells.ranges):
                    if merged.min_row == top and merged.min_col == w.left + index:
                        w.sheet.merged_cells.remove(merged)
                w.down(index, top, row)
        previous = want


def wants_of(form: Form, goal: int | None = None, limit: int | None = None) -> list[Want]:
    """The sample form's indicators as printed rows."""
    found = []
    for ind in form.indicators[:limit]:
        found.append(
            Want(
                ind.level1,
                ind.level2,
                ind.name,
                ind.target,
                ind.actual,
                ind.weight,
                ind.score,
                ind.deviation,
                goal if goal is not None else ind.goal,
            )
        )
    return found


def save(book: openpyxl.Workbook, path: Path) -> None:
    book.save(path)


def new_book(title: str) -> tuple[openpyxl.Workbook, Worksheet]:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    return book, sheet
