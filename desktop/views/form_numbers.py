"""Showing the form pane's numbers through the shared ``numbers`` module; ``workbook/cells.py`` reads them."""

from __future__ import annotations

from desktop.models.workbook import numbers
from desktop.models.workbook.numbers import HUNDRED, rate_of

__all__ = ["HUNDRED", "format_decimal", "format_rate", "format_score", "rate_of"]

# The screen shows numbers as the PDF and Excel do: ``desktop.models.workbook.numbers``.
format_decimal = numbers.plain
format_score = numbers.score
format_rate = numbers.rate
