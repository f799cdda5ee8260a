"""Showing the form pane's numbers (money, weights, scores, percents) as text; ``workbook/cells.py`` reads them."""

from __future__ import annotations

from decimal import Decimal

HUNDRED = Decimal(100)


def format_decimal(value: Decimal | None) -> str:
    """The plain text of a number as the user typed it (``291.54``, ``10``); empty for None."""
    if value is None:
        return ""
    return format(value, "f")


def format_score(value: Decimal | None) -> str:
    """A score without trailing zeros (``9.8``, ``10``); empty for None."""
    if value is None:
        return ""
    if value == value.to_integral_value():
        return format(value.quantize(Decimal(1)), "f")
    return format(value.normalize(), "f")


def format_rate(rate: Decimal | None) -> str:
    """A fraction as a percent with two decimals: ``Decimal("0.976")`` → ``97.60%``."""
    if rate is None:
        return ""
    return f"{(rate * HUNDRED).quantize(Decimal('0.01')):f}%"


def rate_of(executed: Decimal | None, full_year: Decimal | None) -> Decimal | None:
    """执行率 = 全年执行数 / 全年预算数, or None when either is missing or the budget is 0."""
    if executed is None or full_year is None or full_year == 0:
        return None
    return executed / full_year
