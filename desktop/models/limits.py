"""The same bounds on every value that enters a workbook: JSON, Excel, typing and paste (no Qt).

- text: at most :data:`MAX_TEXT_LENGTH` characters, no control characters other than tab and line
  breaks (openpyxl cannot write them: an Excel export would fail), no lone surrogates (not UTF-8);
  such text is refused, never silently changed;
- numbers: finite, below 10^15 in size, at most :data:`MAX_FRACTION_DIGITS` digits after the point
  and :data:`MAX_DIGITS` digits in all — ``1e-999999999`` would make scoring and JSON export
  spend gigabytes on its zeros.
"""

from __future__ import annotations

import re
from decimal import Decimal

from desktop.models.errors import InvalidInputError

MAX_TEXT_LENGTH = 100_000
MAX_DIGITS = 30
MAX_FRACTION_DIGITS = 15
_PLAIN_DIGITS = 15  # digits of a number that, with an exponent in [-MAX_FRACTION_DIGITS, 0], is within every bound
BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


def _where(path: str) -> str:
    return f"{path}：" if path else ""


def text_problem(value: str) -> str | None:
    """What is wrong with a text value (Chinese), or None."""
    if len(value) > MAX_TEXT_LENGTH:
        return f"文本过长（{len(value)} 字，最多 {MAX_TEXT_LENGTH} 字）"
    bad = BAD_CHARS.search(value)
    if bad is not None:
        return f"含有不可见的控制字符（U+{ord(bad.group()):04X}），请删除后重试"
    return None


def number_problem(value: Decimal) -> str | None:
    """What is wrong with a number (Chinese), or None."""
    if not value.is_finite():
        return "不是有效数字"
    _sign, raw_digits, raw_exponent = value.as_tuple()
    if -MAX_FRACTION_DIGITS <= raw_exponent <= 0 and len(raw_digits) <= _PLAIN_DIGITS:  # type: ignore[operator]
        return None  # the common case (5, 12.5, 0.976): below 10^15, no check below can fail
    if value != 0 and value.adjusted() >= 15:  # not abs(value) >= LIMIT: abs() overflows on 1e999999999
        return "数值过大（应小于 10 的 15 次方）"
    fraction_error = f"小数位数过多（最多 {MAX_FRACTION_DIGITS} 位）"
    if len(raw_digits) > 2 * MAX_DIGITS:  # trailing zeros too: they are kept and written
        return f"数字位数过多（最多 {MAX_DIGITS} 位有效数字）"
    if isinstance(raw_exponent, int) and raw_exponent > MAX_DIGITS:  # 0E+999999999: arithmetic would overflow
        return "数值过大（应小于 10 的 15 次方）"
    if isinstance(raw_exponent, int) and raw_exponent < -2 * MAX_FRACTION_DIGITS:
        return fraction_error  # even 0E-999999999 would be written with all its zeros
    if value != 0 and value.adjusted() < -MAX_FRACTION_DIGITS:
        return fraction_error
    _sign, digits, exponent = value.normalize().as_tuple()
    if isinstance(exponent, int) and exponent < -MAX_FRACTION_DIGITS:
        return fraction_error
    if len(digits) > MAX_DIGITS:
        return f"有效数字过多（最多 {MAX_DIGITS} 位）"
    return None


def check_text(value: str, path: str = "") -> str:
    """``value`` if it is within the bounds, else ``InvalidInputError`` naming ``path``."""
    problem = text_problem(value)
    if problem is not None:
        raise InvalidInputError(_where(path) + problem)
    return value


def check_number(value: Decimal, path: str = "") -> Decimal:
    """``value`` if it is within the bounds, else ``InvalidInputError`` naming ``path``."""
    problem = number_problem(value)
    if problem is not None:
        raise InvalidInputError(_where(path) + problem)
    return value


def check_value(value: object, path: str = "") -> None:
    """Check one field value (text or number; other types pass)."""
    if isinstance(value, str):
        check_text(value, path)
    elif isinstance(value, Decimal):
        check_number(value, path)


def check_tree(obj: object, path: str = "") -> None:
    """Check every text and number in a domain object and its children (lists, single children)."""
    from desktop.models.workbook.domain import data_fields

    if isinstance(obj, list | tuple):
        for index, item in enumerate(obj):
            check_tree(item, f"{path}[{index}]")
        return
    if hasattr(obj, "__dataclass_fields__"):
        for name in data_fields(obj):
            check_tree(getattr(obj, name), f"{path}.{name}" if path else name)
        return
    check_value(obj, path)
