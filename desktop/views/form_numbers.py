"""Reading and showing the numbers of the form pane (money, weights, scores, percents) as Decimal text."""

from __future__ import annotations

import unicodedata
from decimal import Decimal, InvalidOperation

from desktop.models.errors import UserError

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


def parse_decimal(
    text: str,
    label: str,
    *,
    percent: bool = False,
    maximum: Decimal | None = None,
    example: str = "291.54",
) -> Decimal | None:
    """Read a number the user typed into a field called ``label``; empty text means "not filled in".

    Full-width digits, thousands separators and spaces are accepted; with ``percent`` a trailing
    ``%`` is too.

    Args:
        text: what the user typed.
        label: the field's Chinese name, used in the message.
        percent: allow a trailing percent sign.
        maximum: the largest value allowed, if any.
        example: an example number for the message.

    Returns:
        The number, or None for empty text.

    Raises:
        UserError: with a Chinese message when the text is not a non-negative number (within ``maximum``).
    """
    cleaned = unicodedata.normalize("NFKC", text).strip().replace(",", "").replace(" ", "")
    if percent and cleaned.endswith("%"):
        cleaned = cleaned[:-1]
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise UserError(f"{label}必须是数字（例如 {example}），「{text.strip()}」不是数字。")
    if value < 0:
        raise UserError(f"{label}不能是负数（输入的是 {text.strip()}）。")
    if maximum is not None and value > maximum:
        raise UserError(f"{label}不能超过 {format_score(maximum)}（输入的是 {text.strip()}）。")
    return value
