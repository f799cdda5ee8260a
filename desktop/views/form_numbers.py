"""Reading the numbers typed into the form pane; showing them through the shared ``numbers`` module."""

from __future__ import annotations

import unicodedata
from decimal import Decimal, InvalidOperation

from desktop.models.errors import UserError
from desktop.models.workbook import numbers
from desktop.models.workbook.numbers import HUNDRED, rate_of

__all__ = ["HUNDRED", "format_decimal", "format_rate", "format_score", "parse_decimal", "rate_of"]

# The screen shows numbers as the PDF and Excel do: ``desktop.models.workbook.numbers``.
format_decimal = numbers.plain
format_score = numbers.score
format_rate = numbers.rate


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
