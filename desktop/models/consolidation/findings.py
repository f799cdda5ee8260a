"""What the units' files say about each other: duplicates, mixed years and rule sets, absent units (no Qt).

Each finding is an ``Issue`` on the unit row it concerns, worded so the reviewer knows which files
are meant and what the consolidation did about it (a duplicate's older file is kept out of the
totals, and the line says so). The list of expected units is a plain text or CSV file, one unit a
line: its code, optionally followed by its name.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from desktop.models.consolidation.rows import ExpectedUnit, UnitRow
from desktop.models.consolidation.summary import ERROR, WARNING, Issue
from desktop.models.errors import UserError, describe_os_error

MAX_LIST_BYTES = 2 * 1024 * 1024
_CODE = re.compile(r"^[0-9A-Za-z]{2,32}$")


def read_expected(path: str | os.PathLike[str]) -> list[ExpectedUnit]:
    """The expected units from a text / CSV file: ``代码[,，\\t 空格]名称`` a line; a header line is skipped.

    Raises:
        UserError: the file cannot be read, is too large, or has no unit code in it.
    """
    target = Path(path)
    try:
        with open(target, "rb") as handle:
            raw = handle.read(MAX_LIST_BYTES + 1)
    except OSError as exc:
        raise UserError(f"无法读取单位名单 {target.name}：{describe_os_error(exc)}") from None
    if len(raw) > MAX_LIST_BYTES:
        raise UserError(f"单位名单 {target.name} 过大（超过 2 MB），不像是单位名单")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any bytes
        raise UserError(f"单位名单 {target.name} 的编码无法识别")
    units: list[ExpectedUnit] = []
    seen: set[str] = set()
    for row in csv.reader(io.StringIO(text.replace("，", ",").replace("\t", ","))):
        cells = [cell.strip() for cell in row if cell.strip()]
        if len(cells) == 1 and " " in cells[0]:
            cells = cells[0].split(None, 1)
        if not cells or not _CODE.match(cells[0]):
            continue  # a header, a blank or a comment line
        if cells[0] not in seen:
            seen.add(cells[0])
            units.append(ExpectedUnit(cells[0], cells[1] if len(cells) > 1 else ""))
    if not units:
        raise UserError(f"单位名单 {target.name} 中没有找到单位代码（每行：代码,名称）")
    return units


def _when(row: UnitRow) -> str:
    fp = row.file.fingerprint if row.file is not None else None
    if fp is None:
        return ""
    return datetime.fromtimestamp(fp.mtime_ns / 1e9).strftime("%Y-%m-%d %H:%M")


def mark_duplicates(rows: Sequence[UnitRow]) -> None:
    """Units whose code (or, without a code, name) appears in more than one file.

    The most recently modified file is counted; the others are kept out of the totals. Each of the
    rows gets a line naming every file of that unit.
    """
    groups: dict[str, list[UnitRow]] = defaultdict(list)
    for row in rows:
        if row.workbook is not None:
            groups[row.key].append(row)
    for key, group in groups.items():
        if len(group) < 2:
            continue
        group.sort(key=lambda r: r.file.fingerprint.mtime_ns if r.file and r.file.fingerprint else 0, reverse=True)
        newest = group[0]
        names = "、".join(f"{r.path_name}（修改于 {_when(r)}）" for r in group)
        what = f"单位代码 {key}" if not key.startswith("名称:") else f"单位“{key[3:]}”"
        for row in group:
            if row is newest:
                row.issues.append(
                    Issue(WARNING, "duplicate", f"{what} 出现在 {len(group)} 个文件中：{names}；汇总计入最新的本文件")
                )
            else:
                row.counted = False
                row.issues.append(
                    Issue(
                        ERROR,
                        "duplicate",
                        f"{what} 出现在 {len(group)} 个文件中：{names}；本文件较旧，未计入汇总"
                        f"（计入 {newest.path_name}）",
                    )
                )


def _majority(values: Sequence[object]) -> object:
    counts = Counter(values)
    return counts.most_common(1)[0][0] if counts else None


def mark_mixed(rows: Sequence[UnitRow]) -> tuple[int | None, str | None]:
    """Mark units whose year or rule set differs from most units'; returns (year, rule set) of most."""
    counted = [row for row in rows if row.workbook is not None and row.counted]
    years = [row.year for row in counted if row.year is not None]
    year = _majority(years)
    rulesets = [row.ruleset for row in counted]
    ruleset = _majority(rulesets)
    for row in counted:
        if row.year is None:
            row.issues.append(Issue(WARNING, "mixed_year", "文件未注明年度"))
        elif year is not None and row.year != year:
            row.other_year = True
            row.issues.append(
                Issue(
                    ERROR,
                    "mixed_year",
                    f"年度为 {row.year} 年，与多数单位（{year} 年）不同，未计入合计；请确认是否报错了文件",
                )
            )
        if ruleset is not None and row.ruleset != ruleset and len(set(rulesets)) > 1:
            row.issues.append(
                Issue(WARNING, "mixed_ruleset", f"使用评分规则“{row.ruleset}”，与多数单位（“{ruleset}”）不同")
            )
    return (year if isinstance(year, int) else None), (ruleset if isinstance(ruleset, str) else None)


def absent_units(rows: Sequence[UnitRow], expected: Sequence[ExpectedUnit]) -> list[ExpectedUnit]:
    """Expected units for which no readable file was found."""
    present = {row.code for row in rows if row.workbook is not None and row.code}
    present_names = {row.name for row in rows if row.workbook is not None and not row.code}
    return [unit for unit in expected if unit.code not in present and not (unit.name and unit.name in present_names)]
