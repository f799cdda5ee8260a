"""Consolidate many unit files into one overview: read, summarise, compare, total (no Qt).

``consolidate`` is what the window runs off the UI thread and what ``jixiao consolidate`` runs:
it reports progress per file and stops between files when asked (``Cancelled``). A file that
cannot be read is a row with its reason; the others go on. Nothing is written anywhere.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from desktop.models.consolidation.findings import absent_units, mark_duplicates, mark_mixed
from desktop.models.consolidation.review import ReviewBook
from desktop.models.consolidation.rows import ExpectedUnit, UnitRow
from desktop.models.consolidation.sources import Cache, collect, read_unit_file
from desktop.models.consolidation.summary import (
    ERROR,
    INFO,
    WARNING,
    Issue,
    missing_self_evals,
    ruleset_for,
    summarise,
)
from desktop.models.consolidation.totals import Figures, department_figures, unit_figures
from desktop.models.errors import UserError
from desktop.models.scoring.rules import RuleSet
from desktop.models.workbook.domain import DEFAULT_RULESET

Progress = Callable[[int, int, str], None]  # done, total, the file being read


class Cancelled(Exception):
    """The user cancelled the consolidation."""


@dataclass
class Consolidation:
    """The result: one row per unit file and per absent expected unit, and the department's totals."""

    rows: list[UnitRow]
    year: int | None
    ruleset: str
    totals: Figures
    files_read: int

    @property
    def counted(self) -> list[UnitRow]:
        """The rows that go into the totals."""
        return [row for row in self.rows if row.status == "ok"]

    def recompute(self, book: ReviewBook | None) -> None:
        """Recompute the figures after the reviewer changed a 复核分."""
        ruleset = _ruleset(self.ruleset)
        for row in self.rows:
            if row.summary is not None:
                row.figures = unit_figures(row.summary, _ruleset(row.ruleset), book, row.key)
            _mark_stale_review(row, book)
        self.totals = department_figures((row.figures for row in self.counted if row.figures), ruleset)

    def problem_lines(self) -> list[str]:
        """Every finding, one Chinese line each: ``单位（文件）：问题``."""
        lines: list[str] = []
        for row in self.rows:
            where = f"{row.name}（{row.path_name}）" if row.path_name else row.name
            lines.extend(f"{where}：{issue.text}" for issue in row.issues if issue.severity in (ERROR, WARNING))
        return lines


def _mark_stale_review(row: UnitRow, book: ReviewBook | None) -> None:
    """Say so when the reviews of a unit were made on another version of its file."""
    row.issues[:] = [issue for issue in row.issues if issue.code != "stale_review"]
    fingerprint = row.file.fingerprint if row.file is not None else None
    if book is None or fingerprint is None or row.workbook is None or not row.counted:
        return
    stale = [e for e in book.for_unit(row.key) if e.file_sha256 and e.file_sha256 != fingerprint.sha256]
    if stale:
        row.issues.append(
            Issue(
                WARNING,
                "stale_review",
                f"有 {len(stale)} 条复核记录是对该单位较早版本的文件做的，单位已报送新文件，请重新核对这些复核分",
            )
        )


def _ruleset(name: str) -> RuleSet:
    try:
        return ruleset_for(name or DEFAULT_RULESET)
    except UserError:
        return ruleset_for(DEFAULT_RULESET)


def _summarise_row(row: UnitRow, check: bool) -> None:
    workbook = row.workbook
    assert workbook is not None
    ruleset = workbook.ruleset
    try:
        ruleset_for(ruleset)
    except UserError:
        row.issues.append(Issue(WARNING, "ruleset", f"文件使用的评分规则“{ruleset}”本程序没有，按中央规则计分"))
        ruleset = DEFAULT_RULESET
    assert row.file is not None
    summary = row.file.summaries.get((ruleset, check))
    if summary is None:
        summary = row.file.summaries[(ruleset, check)] = summarise(workbook, check, ruleset)
    row.summary = summary
    for form in row.summary.forms:
        if not form.money_ok:
            row.issues.append(
                Issue(
                    WARNING,
                    "money_unit",
                    f"表“{form.title}”的金额单位“{workbook.forms[form.index].money_unit}”无法换算为万元，未计入合计",
                    form=form.index,
                )
            )
    for index, text in missing_self_evals(workbook):
        row.issues.append(Issue(WARNING, "missing_self_eval", text, form=index))
    if not workbook.forms:
        row.issues.append(Issue(WARNING, "empty", "文件中没有任何表"))


def consolidate(
    inputs: Iterable[str | os.PathLike[str]],
    *,
    expected: Sequence[ExpectedUnit] = (),
    book: ReviewBook | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    check: bool = True,
    cache: Cache | None = None,
) -> Consolidation:
    """Read every unit file under ``inputs`` and build the overview.

    Args:
        inputs: files and folders (folders are searched recursively for .jxdb / .json / .xlsx and
            other files, which are listed as not being workbooks).
        expected: the units that should be there; each one missing becomes an 未报送 row.
        book: the reviewer's 复核分, for the 复核分 figures.
        progress: called before each file with (files done, files in all, file name).
        cancelled: polled between files; when it returns True, ``Cancelled`` is raised.
        check: run 审核 on every form (its errors and warnings are counted).
        cache: files already read (by SHA-256), kept by the caller between runs; filled in.

    Raises:
        Cancelled: when ``cancelled()`` said so.
        UserError: nothing to consolidate (no file found).
    """
    paths, missing = collect(inputs)
    if not paths and not missing:
        raise UserError("所选文件夹中没有找到任何文件")
    rows = [UnitRow(file, issues=[Issue(ERROR, "unreadable", file.error or "")]) for file in missing]
    total = len(paths)
    for done, path in enumerate(paths):
        if cancelled is not None and cancelled():
            raise Cancelled()
        if progress is not None:
            progress(done, total, path.name)
        row = UnitRow(read_unit_file(path, cache))
        assert row.file is not None
        if row.file.error is not None:
            row.issues.append(Issue(ERROR, row.file.error_code or "unreadable", row.file.error))
        else:
            row.issues.extend(Issue(INFO, "import_note", note) for note in row.file.notes)
            _summarise_row(row, check)
        rows.append(row)
    if progress is not None:
        progress(total, total, "")
    mark_duplicates(rows)
    year, ruleset = mark_mixed(rows)
    for unit in absent_units(rows, expected):
        absent = UnitRow(None, expected=unit, counted=False)
        absent.issues.append(Issue(ERROR, "absent", "名单中的单位，未找到其报送的文件"))
        rows.append(absent)
    result = Consolidation(
        rows=rows,
        year=year,
        ruleset=ruleset or DEFAULT_RULESET,
        totals=department_figures((), _ruleset(ruleset or DEFAULT_RULESET)),
        files_read=sum(1 for row in rows if row.workbook is not None),
    )
    result.recompute(book)
    return result


def sort_key(row: UnitRow) -> tuple[int, str, str]:
    """Rows by status (problems first), then code and name."""
    order = {"error": 0, "absent": 1, "duplicate": 2, "other_year": 3, "ok": 4}
    return (order[row.status], row.code, row.name)


def rate_percent(rate: Decimal | None) -> str:
    """执行率 as printed: ``97.60%`` (empty when unknown)."""
    return "" if rate is None else f"{(rate * 100).quantize(Decimal('0.01'))}%"
