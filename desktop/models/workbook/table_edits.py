"""User actions on the indicator table: type into a cell, clear, paste a block, fill down, insert / delete / move rows.

Rows are positions in ``form.indicators`` and columns the form's ``columns_for(form)``. Scores
the engine suggests come in as ``suggested(indicator)``: typing or pasting the suggestion back into
an unscored cell leaves it a suggestion (it does not become a manual score).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from desktop.models.errors import UserError
from desktop.models.workbook import numbers
from desktop.models.workbook.cells import SCORE_KEY, Column, cell_text, check_score, columns_for
from desktop.models.workbook.clipboard import plan_paste
from desktop.models.workbook.document import differs
from desktop.models.workbook.domain import MAX_INDICATORS_PER_FORM, Form, Indicator
from desktop.models.workbook.edits import Edit, Operation, edit, insert, move, remove, set_fields

Suggest = Callable[[Indicator], Decimal | None]
Levels = tuple[str, str]  # (一级, 二级) a new row of an empty form starts with


@dataclass(frozen=True)
class Rect:
    """A rectangle of cells: first row and column, and how many rows and columns."""

    top: int
    left: int
    rows: int
    columns: int


def no_suggestion(indicator: Indicator) -> Decimal | None:
    """For forms without scores: nothing is suggested."""
    return None


def set_cell(form: Form, rows: Sequence[int], column: Column, text: str, suggested: Suggest = no_suggestion) -> Edit:
    """Type ``text`` into a cell that stands for ``rows`` (one row, or a merged run of 一级 / 二级).

    Raises:
        UserError: the text is not valid in this column, or a score would exceed its 分值.
    """
    parsed = column.parse(text)
    ops: list[Operation] = []
    for row in rows:
        indicator = form.indicators[row]
        if column.key == SCORE_KEY and indicator.score is None and parsed is not None:
            if parsed == suggested(indicator):
                continue  # confirming the suggestion does not make it manual
        if not differs(getattr(indicator, column.key), parsed):
            continue
        values = {column.key: parsed}
        check_score(values.get("weight", indicator.weight), values.get("score", indicator.score))
        ops.append(set_fields(indicator, values))
    return edit(f"修改“{column.title}”", *ops)


def clear_cells(form: Form, cells: Iterable[tuple[int, Column]], label: str = "清除内容") -> Edit:
    """Clear cells (Delete, or the second half of 剪切); a cleared 得分 returns to the suggested score."""
    values: dict[int, dict[str, Any]] = {}
    for row, column in cells:
        blank = column.parse("")
        if getattr(form.indicators[row], column.key) != blank:
            values.setdefault(row, {})[column.key] = blank
    return edit(label, *(set_fields(form.indicators[row], fields) for row, fields in sorted(values.items())))


def default_levels(form: Form, first: Levels) -> dict[str, Any]:
    """What a new row continues: the last row's goal and levels, or ``first`` in an empty form."""
    if form.indicators:
        last = form.indicators[-1]
        return {"level1": last.level1, "level2": last.level2, "goal": last.goal}
    return {"level1": first[0], "level2": first[1]}


def paste_block(
    form: Form,
    block: list[list[str]],
    at: Rect,
    label: str = "粘贴",
    suggested: Suggest = no_suggestion,
    first: Levels = ("", ""),
) -> tuple[Edit, Rect]:
    """Write a block of texts at a selection, as Excel does (``clipboard.plan_paste``), as one step.

    A single value fills the whole selection; rows past the last one become new indicators that
    continue the last row's goal and levels; a value a column cannot take refuses the whole paste.
    Returns the edit (with a ``note`` when columns were cut off on the right) and the cells written.

    Raises:
        UserError: a value is invalid, a score exceeds its 分值, or the form would get too many rows.
    """
    columns = columns_for(form)
    count = len(form.indicators)
    plan = plan_paste(block, at.top, at.left, at.rows, at.columns, count, len(columns))
    if not plan.cells:
        return Edit(label), at
    if count + plan.new_rows > MAX_INDICATORS_PER_FORM:
        raise UserError(
            f"{label}内容需新增 {plan.new_rows} 行，"
            f"超过一张表最多 {MAX_INDICATORS_PER_FORM} 个指标，未{label}任何内容。"
        )
    values: dict[int, dict[str, Any]] = {}
    for row, col, text in plan.cells:
        column = columns[col]
        try:
            values.setdefault(row, {})[column.key] = column.parse(text)
        except UserError as exc:
            raise UserError(f"第 {row + 1} 行“{column.title}”：{exc.message}未{label}任何内容。") from None
    for row, fields in values.items():
        current = form.indicators[row] if row < count else Indicator()
        try:
            check_score(fields.get("weight", current.weight), fields.get(SCORE_KEY, current.score))
        except UserError as exc:
            raise UserError(f"第 {row + 1} 行：{exc.message}未{label}任何内容。") from None
    ops: list[Operation] = []
    for row in sorted(r for r in values if r < count):
        indicator = form.indicators[row]
        changed = {k: v for k, v in values[row].items() if differs(getattr(indicator, k), v)}
        if SCORE_KEY in changed and indicator.score is None and changed[SCORE_KEY] == suggested(indicator):
            del changed[SCORE_KEY]  # the suggestion pasted back stays a suggestion
        if changed:
            ops.append(set_fields(indicator, changed))
    new_rows = sorted(r for r in values if r >= count)
    if new_rows:
        inherited = default_levels(form, first)
        ops.append(insert(form, "indicators", count, [Indicator(**{**inherited, **values[r]}) for r in new_rows]))
    note = "粘贴的内容超出了表格的最后一列，多出的列已略去。" if plan.clipped_columns else ""
    written = Rect(
        at.top, at.left, max(r for r, _, _ in plan.cells) - at.top + 1, max(c for _, c, _ in plan.cells) - at.left + 1
    )
    return edit(label, *ops, note=note), written


def shown_text(indicator: Indicator, column: Column, suggested: Suggest = no_suggestion) -> str:
    """The text a cell offers for editing and copying (得分: the manual score, else the suggestion)."""
    if column.key == SCORE_KEY and indicator.score is None:
        return numbers.score(suggested(indicator))
    return cell_text(indicator, column.key)


def fill_down(
    form: Form, at: Rect, suggested: Suggest = no_suggestion, first: Levels = ("", "")
) -> tuple[Edit, Rect] | None:
    """Ctrl+D, as in Excel: the selection's top row is copied into the rows below it.

    With one row selected, the row above is copied into it (None on the first row: nothing to copy).

    Raises:
        UserError: a value a cell cannot take (as for a paste).
    """
    if at.rows == 1:
        if at.top == 0:
            return None
        source, target = at.top - 1, Rect(at.top, at.left, 1, at.columns)
    else:
        source, target = at.top, Rect(at.top + 1, at.left, at.rows - 1, at.columns)
    columns = columns_for(form)[at.left : at.left + at.columns]
    row = [shown_text(form.indicators[source], column, suggested) for column in columns]
    return paste_block(form, [row], target, "向下填充", suggested, first)


def insert_rows(form: Form, rows: Sequence[int], above: bool, first: Levels = ("", "")) -> tuple[Edit, int, int]:
    """插入行: as many new rows as are selected, above or below them, taking their goal and levels.

    Returns the edit, the first new row and how many there are.
    """
    count = max(1, len(rows))
    if rows:
        reference = form.indicators[rows[0] if above else rows[-1]]
        at = rows[0] if above else rows[-1] + 1
        template: dict[str, Any] = {"level1": reference.level1, "level2": reference.level2, "goal": reference.goal}
    else:
        at = len(form.indicators)
        template = default_levels(form, first)
    return edit("插入行", insert(form, "indicators", at, [Indicator(**template) for _ in range(count)])), at, count


def delete_rows(form: Form, rows: Sequence[int]) -> Edit:
    """删除行: the rows at these positions, in one step."""
    blocks: list[tuple[int, int]] = []  # (first row, count), bottom first
    for row in sorted(set(rows), reverse=True):
        if blocks and blocks[-1][0] == row + 1:
            blocks[-1] = (row, blocks[-1][1] + 1)
        else:
            blocks.append((row, 1))
    return edit(f"删除 {len(set(rows))} 行", *(remove(form, "indicators", first, count) for first, count in blocks))


def move_rows(form: Form, rows: Sequence[int], step: int) -> Edit:
    """上移 / 下移 a block of consecutive rows by one (an empty edit at either end or for a gapped selection)."""
    label = "上移" if step < 0 else "下移"
    if not rows or rows[-1] - rows[0] + 1 != len(rows):
        return Edit(label)
    first, last = rows[0], rows[-1]
    if step < 0 and first > 0:
        return edit(label, move(form, "indicators", first - 1, last))
    if step > 0 and last < len(form.indicators) - 1:
        return edit(label, move(form, "indicators", last + 1, first))
    return Edit(label)
