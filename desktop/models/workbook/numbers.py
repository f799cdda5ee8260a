"""How numbers read on screen, on paper and in Excel: money, weights, scores, rates, percents.

One module so the form pane, the PDF and the Excel export agree (an execution rate of 0.976
reads 97.6% everywhere). Scores and rates are rounded half-up to at most ``places`` decimals
with trailing zeros dropped (``9.8``, ``10``, ``97.6%``); money keeps the digits the user typed
(``114.00`` stays ``114.00``) unless a print template asks for a fixed number of decimals.
Every function takes ``None`` for "not filled in" and returns empty text for it.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
SCORE_PLACES = 2  # scores and weights: at most two decimals (forms.md §4)
RATE_PLACES = 2  # rates in percent: at most two decimals


def _quantum(places: int) -> Decimal:
    return Decimal(1).scaleb(-places)


def plain(value: Decimal | None) -> str:
    """A number exactly as stored, without exponent (``291.54``, ``114.00``, ``10``)."""
    if value is None:
        return ""
    return format(value, "f")


def trimmed(value: Decimal | None, places: int = SCORE_PLACES) -> str:
    """A number rounded half-up to at most ``places`` decimals, trailing zeros dropped (``3.5``, ``10``)."""
    if value is None:
        return ""
    text = format(value.quantize(_quantum(places), rounding=ROUND_HALF_UP), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def score(value: Decimal | None, places: int = SCORE_PLACES) -> str:
    """A score or weight (分值 / 得分): at most ``places`` decimals, no trailing zeros (``9.8``)."""
    return trimmed(value, places)


def money(value: Decimal | None, places: int | None = None) -> str:
    """An amount: as entered (``places`` None), or rounded half-up to exactly ``places`` decimals."""
    if value is None:
        return ""
    if places is None:
        return plain(value)
    return format(value.quantize(_quantum(places), rounding=ROUND_HALF_UP), "f")


def rate(fraction: Decimal | None, places: int = RATE_PLACES) -> str:
    """A fraction as a percent, at most ``places`` decimals: ``Decimal("0.976")`` → ``97.6%``."""
    if fraction is None:
        return ""
    return trimmed(fraction * HUNDRED, places) + "%"


def percent(value: Decimal | None) -> str:
    """A value already in percent (a spending-plan step) with its sign: ``25`` → ``25%``."""
    return "" if value is None else trimmed(value, RATE_PLACES) + "%"


def rate_of(executed: Decimal | None, full_year: Decimal | None) -> Decimal | None:
    """执行率 = 全年执行数 / 全年预算数, or None when either is missing or the budget is 0."""
    if executed is None or full_year is None or full_year == 0:
        return None
    return executed / full_year


def as_number(value: Decimal | None, places: int = SCORE_PLACES) -> Decimal | None:
    """A score as the number a spreadsheet cell holds: the printed text read back (``9.8``)."""
    text = trimmed(value, places)
    return Decimal(text) if text else None


def decimals_of(value: Decimal) -> int:
    """How many decimals a number was written with (``114.00``: 2), for a spreadsheet's number format."""
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0
