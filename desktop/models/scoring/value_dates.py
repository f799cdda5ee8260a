"""The date reader of the value reader: deadlines and periods (``12月底前``, ``2025年2月前``, ``1月至12月``).

``read_date(text)`` reads ``[label][截至…]date|period[前/之前/内][verb]`` from normalised text (see
``values.read_value``); a month with no day means the end of that month, a year with no month the
end of that year.
"""

from __future__ import annotations

import calendar
import re

from desktop.models.scoring.value_types import Direction, Reading, Span, ValueKind
from desktop.models.scoring.value_words import CJK_REST_RE, LABEL_RE, NOTE_RE, VERBS, cn_int

_CN_MONTH = "[一二三四五六七八九十]{1,3}"
_CN_DAY = "[一二三四五六七八九十]{1,4}"

_DIGIT_RE = re.compile("[0-9]")
_YEAR = "((?:19|20|21)[0-9]{2})年度?"
_PART = "底|末|上旬|中旬|下旬|初|中|上半年|下半年|第?[一二三四1-4]季度(?:末|底)?"
_ATOM_RE = re.compile(f"(?:{_YEAR})?(?:([0-9]{{1,2}}|{_CN_MONTH})月份?(?:([0-9]{{1,2}}|{_CN_DAY})[日号])?)?({_PART})?")
_RANGE_RE = re.compile(f"(?:{_YEAR})?([0-9]{{1,2}}|{_CN_MONTH})(?:月份?)?(?:[0-9]{{1,2}}[日号])?(?:至|到|-|~)")
_NUMDATE_RE = re.compile(r"((?:19|20|21)[0-9]{2})([-/.])([0-9]{1,2})\2([0-9]{1,2})[日号]?")
_YEARWORD_RE = re.compile("(?:当|本|今)?年度?(底|末|内)")
_DPRE_END_RE = re.compile("(?:截至|截止到|截止|不晚于|不迟于|最迟于|最迟|最晚|于|在|至|到)$")
_DPRE_START_RE = re.compile("截至|截止到|截止|不晚于|不迟于|最迟于|最迟|最晚|于|在")
_DSUF_RE = re.compile("之前|以前|前|之内|以内|内|为止|止")


def _small_int(text: str) -> int | None:
    return int(text) if text.isdigit() else cn_int(text)


def _part_month(part: str) -> int | None:
    """The month a year-level part word ends in (上半年 → 6, 三季度 → 9, 底 → 12)."""
    if part in ("底", "末", "下半年"):
        return 12
    if part == "上半年" or part == "中":
        return 6
    if part == "初":
        return 3
    if "季度" in part:
        quarter = _small_int(part.lstrip("第")[0])
        return 3 * quarter if quarter else None
    return None


def _atom(s: str, pos: int) -> tuple[int | None, int | None, int | None, bool, int] | None:
    """One date ``(year, month, day, has_part, end)`` at ``pos``, or None."""
    match = _ATOM_RE.match(s, pos)
    if match is None or match.end() == pos:
        return None
    year_text, month_text, day_text, part = match.groups()
    year = int(year_text) if year_text else None
    month = _small_int(month_text) if month_text else None
    day = _small_int(day_text) if day_text else None
    if month is None:
        if part:
            if part in ("上旬", "中旬", "下旬"):
                return None
            month = _part_month(part)
            if month is None:
                return None
        elif year is None:
            return None
    elif part:
        if day is not None or "季度" in part or "半年" in part:
            return None
        day = {"初": 10, "上旬": 10, "中": 20, "中旬": 20}.get(part)
    return year, month, day, bool(part), match.end()


def _valid(year: int | None, month: int | None, day: int | None) -> bool:
    if month is None:
        return day is None
    if not 1 <= month <= 12:
        return False
    return day is None or 1 <= day <= calendar.monthrange(year or 2000, month)[1]


def _date_body(s: str, pos: int) -> tuple[Span, bool, int] | None:
    """A date or period at ``pos``: (span, has_part, end), or None."""
    match = _NUMDATE_RE.match(s, pos)
    if match:
        y, m, d = int(match.group(1)), int(match.group(3)), int(match.group(4))
        return (Span(y, m, d), False, match.end()) if _valid(y, m, d) else None
    match = _RANGE_RE.match(s, pos)
    if match:
        start_month = _small_int(match.group(2))
        second = _atom(s, match.end())
        if second and second[1] is not None and start_month and 1 <= start_month <= 12:
            year = second[0] if second[0] is not None else (int(match.group(1)) if match.group(1) else None)
            if start_month <= second[1] and _valid(year, second[1], second[2]):
                return Span(year, second[1], second[2]), second[3], second[4]
    atom = _atom(s, pos)
    if atom:
        year, month, day, has_part, end = atom
        return (Span(year, month, day), has_part, end) if _valid(year, month, day) else None
    match = _YEARWORD_RE.match(s, pos)
    if match:
        within = match.group(1) == "内"
        return Span(None, 12, None), not within, match.end() if not within else match.start(1)
    return None


def read_date(s: str) -> Reading | None:
    """Read ``[label][截至…]date|period[前/之前/内][verb]``."""
    digit = _DIGIT_RE.search(s)
    starts = [digit.start()] if digit else []
    if not digit or digit.start() != 0:
        starts.append(0)
    for start in starts:
        label = s[:start]
        pos = start
        if start == 0:
            prefix = _DPRE_START_RE.match(s)
            if prefix:
                pos = prefix.end()
        else:
            prefix = _DPRE_END_RE.search(label)
            if prefix:
                label = label[: prefix.start()]
            if label and not LABEL_RE.fullmatch(label):
                continue
        body = _date_body(s, pos)
        if body is None:
            continue
        span, has_part, pos = body
        suffix = _DSUF_RE.match(s, pos)
        if suffix:
            pos = suffix.end()
        rest = s[pos:]
        if rest.startswith("后"):
            continue  # 12月31日前后: around, not by
        limited = bool(suffix) or has_part
        if (
            not rest
            or rest in VERBS
            or NOTE_RE.fullmatch(rest)
            or (limited and CJK_REST_RE.fullmatch(rest))
            or (suffix and not label and rest[0] in ",;:")
        ):
            return Reading(ValueKind.DATE, Direction.DEADLINE, span=span, label=label)
    return None
