"""The 汇总表 and the review sheets as plain rows, shared by the PDF and Excel writers (no Qt).

The 汇总表 lists each unit counted, its self-evaluation forms under it (per project), and the
department's total, with the rule the totals follow. Units left out (unreadable, duplicate,
absent) are listed after the total with their reason, so nothing disappears silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from desktop.models.consolidation.review import ReviewBook
from desktop.models.consolidation.rows import STATUS_LABELS, UnitRow
from desktop.models.consolidation.run import Consolidation, rate_percent
from desktop.models.consolidation.totals import RULE_TEXT, form_review_score
from desktop.models.workbook.domain import FormKind

HEADERS = (
    "序号",
    "单位代码",
    "单位 / 项目",
    "预算数（万元）",
    "执行数（万元）",
    "执行率",
    "自评分",
    "等级",
    "复核分",
    "待评",
)
MONEY = Decimal("0.01")


@dataclass(frozen=True)
class TableRow:
    """One printed row: ``level`` is ``unit``, ``form``, ``total`` or ``excluded``."""

    level: str
    cells: tuple[str | Decimal | int | None, ...]


def _money(value: Decimal | None) -> Decimal | None:
    return value.quantize(MONEY) if value is not None else None


_score = _money  # scores print with 2 decimals too


def summary_rows(result: Consolidation, book: ReviewBook | None = None) -> list[TableRow]:
    """The 汇总表's rows: units with their self-evaluations, the total, then the units left out."""
    rows: list[TableRow] = []
    number = 0
    for unit in result.counted:
        number += 1
        figures = unit.figures
        if figures is None or unit.summary is None:
            continue
        rows.append(
            TableRow(
                "unit",
                (
                    number,
                    unit.code,
                    unit.name,
                    _money(figures.budget),
                    _money(figures.executed),
                    rate_percent(figures.rate),
                    _score(figures.score),
                    figures.grade or "",
                    _score(figures.review),
                    unit.summary.unscored,
                ),
            )
        )
        for form in unit.summary.self_evals:
            review = form_review_score(form, book, unit.key)
            label = form.title if form.kind is FormKind.PROJECT_SELF_EVAL else f"{form.title}（整体支出）"
            rows.append(
                TableRow(
                    "form",
                    (
                        "",
                        form.code or "",
                        label,
                        _money(form.budget),
                        _money(form.executed),
                        rate_percent(form.rate),
                        _score(form.total),
                        form.grade or "",
                        _score(review),
                        form.unscored,
                    ),
                )
            )
    totals = result.totals
    rows.append(
        TableRow(
            "total",
            (
                "",
                "",
                f"合计（{len(result.counted)} 个单位）",
                _money(totals.budget),
                _money(totals.executed),
                rate_percent(totals.rate),
                _score(totals.score),
                totals.grade or "",
                _score(totals.review),
                sum(u.summary.unscored for u in result.counted if u.summary is not None),
            ),
        )
    )
    for unit in result.rows:
        if unit.status == "ok":
            continue
        reason = unit.issues[0].text if unit.issues else ""
        rows.append(
            TableRow("excluded", ("", unit.code, f"{unit.name}：{STATUS_LABELS[unit.status]}（{reason}）", *[None] * 7))
        )
    return rows


def title(result: Consolidation) -> str:
    """The 汇总表's title."""
    year = f"{result.year}年度" if result.year else ""
    return f"{year}下级单位绩效自评汇总表"


def rule_text() -> str:
    """The rule printed under the table."""
    return RULE_TEXT


REVIEW_HEADERS = ("表", "行", "指标 / 项目", "自评分", "复核分", "复核意见")


def review_rows(unit: UnitRow, book: ReviewBook) -> list[tuple[str, str, str, Decimal | None, Decimal | None, str]]:
    """A unit's review sheet: each reviewed form and row with 自评分, 复核分 and the comment."""
    out: list[tuple[str, str, str, Decimal | None, Decimal | None, str]] = []
    workbook = unit.workbook
    if workbook is None or unit.summary is None:
        return out
    for entry in book.for_unit(unit.key):
        if entry.form >= len(unit.summary.forms):
            out.append((str(entry.form + 1), "", f"{entry.form_title}（表已不存在）", None, entry.score, entry.comment))
            continue
        form = unit.summary.forms[entry.form]
        if entry.row is None:
            out.append((str(form.index + 1), "整表", form.title, form.total, entry.score, entry.comment))
            continue
        name = entry.row_name
        own: Decimal | None = None
        if entry.row < len(form.row_scores) or entry.row < form.indicators:
            indicators = workbook.forms[form.index].indicators
            if entry.row < len(indicators):
                name = indicators[entry.row].name
            if entry.row < len(form.row_scores):
                own = form.row_scores[entry.row]
        out.append((str(form.index + 1), str(entry.row + 1), f"{form.title}：{name}", own, entry.score, entry.comment))
    return out
