"""The bundled library built from its published sources (``scripts/build_library.py`` writes common.json).

Two CSV lists are the reviewable source of truth; ``common.json`` is generated from them, never edited by hand:

- the first list (``published-base.csv``, 115 indicators: category, levels, a typical target where the page gives
  one, unit, direction, source address; a copy of ``../shared/spec/indicator-library-sources.csv``);
- indicators read from published 绩效目标表 / 绩效自评表 / 部门整体支出 tables (``published-forms.csv``), each
  with the target exactly as printed (``published``), the page title and address.

Nothing is invented. A target template is the published target with its numbers replaced by ``**`` (the value
a unit fills in) and, where the table printed a bare number, the operator of the indicator's direction put in
front; where the table printed no target, the template is the operator of the direction with a placeholder
(``entries.target_template``) and the entry's note says so. The note of a form entry keeps the published value
(「原表指标值 ≥99%」) so the user sees what a real unit set. Every category is one of ``COMMON_CATEGORIES``; a
category outside that list, a row without a source, or two entries with the same category, levels and name
stop the build.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from desktop.models.library.entries import (
    COMMON_CATEGORIES,
    LIBRARY_FORMAT,
    LIBRARY_VERSION,
    NUMBER_RE,
    blank_numbers,
    guess_direction,
    target_template,
)
from desktop.models.scoring.values import Direction, read_value

BASE_DIRECTIONS = {"正向(≥)": "higher", "反向(≤)": "lower", "等于(=)": "equal"}
#: The first list's categories as written there → the library's closed list.
BASE_CATEGORIES = {
    "会议培训/研究类(代码gx010104)": "会议培训类",
    "会议培训/研究类(代码gx010401)": "会议培训类",
    "会议培训/研究类(代码gx020101)": "专项业务类",
    "信息化运维[第三方解读]": "信息化运维类",
    "基础建设、修缮类": "基础设施建设类",
    "基础设施建设(房屋)": "基础设施建设类",
    "补助发放(助学金)": "学生资助类",
    "补助发放(孤儿助学)": "学生资助类",
    "补助发放(困难群众救助)": "社会救助类",
    "补助发放(计生特扶)": "补助发放类",
    "执法补助": "执法类",
    "设备购置(安可替代)": "设备购置类",
    "工资保障": "工资保障类",
}
NO_TARGET_NOTE = "原表只列指标名称、未给出指标值；此处指标值按指标方向生成"
_OPERATORS = {"higher": "≥", "lower": "≤", "equal": "="}
#: Look-alike operators as typed in published tables → the ones the library writes.
_SPELLINGS = ((">=", "≥"), ("<=", "≤"), ("≧", "≥"), ("≦", "≤"), ("＞", ">"), ("＜", "<"), ("＝", "="), ("═", "="))
_VALUE_DIRECTIONS = {
    Direction.HIGHER: "higher",
    Direction.LOWER: "lower",
    Direction.EQUAL: "equal",
    Direction.DEADLINE: "deadline",
}


class SourceError(ValueError):
    """A source row that cannot go into the library as it stands."""


def template_from_published(published: str, unit: str, direction: str) -> str:
    """The published target with ``**`` for each number (0 stays: 「0次」 is the target itself).

    Look-alike operators are written the usual way (``>=95.00%`` → ``≥**%``); a number inside a unit stays
    (``元/100km``). A bare number gets the direction's operator in front (``100%`` → ``≥**%``); a unit given
    apart from a bare published number is appended (``≥12`` + 次 → ``≥**次``); words and dates keep their form
    (``不高于9万元`` → ``不高于**万元``, ``12月底前`` → ``**月底前``); text without a number is kept.
    """
    text = published.strip()
    if not NUMBER_RE.search(text):
        return text
    template = blank_numbers(text)
    for typed, written in _SPELLINGS:
        template = template.replace(typed, written)
    if unit and template.endswith("**"):
        template += unit
    if read_value(text).direction is Direction.PLAIN and template.startswith("**"):
        template = _OPERATORS.get(direction, "") + template
    return template


def _direction(given: str, published: str, name: str, level2: str, unit: str) -> str:
    if given:
        return given
    read = read_value(published).direction if published else None
    return (_VALUE_DIRECTIONS.get(read) if read else None) or guess_direction(name, level2, unit)


def _readable(entry: dict[str, str]) -> dict[str, str]:
    """元/人天 (the unit of the 会议费 / 培训费 standards) written 元/人·天, which the value reader knows."""
    return {**entry, "target": entry["target"].replace("/人天", "/人·天")}


def _placed(entry: dict[str, str]) -> dict[str, str]:
    """A 满意度 indicator printed under 效果指标 (an older layout) goes under 满意度指标, as forms now have it;
    the note says where the table had it, so nothing published is lost."""
    if entry["level1"] == "效果指标" and "满意" in entry["name"]:
        moved = f"原表一级指标作“{entry['level1']}”"
        entry = {**entry, "level1": "满意度指标", "note": "；".join(n for n in (entry["note"], moved) if n)}
    return entry


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [{key: (value or "").strip() for key, value in row.items()} for row in csv.DictReader(handle)]


def base_entries(path: Path) -> list[dict[str, str]]:
    """The first list: a typical target becomes a template like a published one; a scoring scale is no target."""
    out = []
    for row in _rows(path):
        raw_category = re.sub(r"\s+", "", row["category"])
        name, unit = row["level3"], row["unit"]
        direction = BASE_DIRECTIONS.get(row["direction"]) or guess_direction(name, row["level2"], unit)
        typical = row["typical_target"].replace("(值由单位填)", "**").replace("（值由单位填）", "**")
        if "评价标准" in typical:  # a scoring scale (优100%/良90%…), not a target
            target, note = target_template("", unit, direction), f"原表评价标准 {typical}"
        elif "**" in typical:
            target, note = target_template(typical, unit, direction), ""
        elif typical:
            target, note = template_from_published(typical, unit, direction), f"原表指标值 {typical}"
        else:
            target, note = target_template("", unit, direction), NO_TARGET_NOTE
        out.append(
            {
                "category": BASE_CATEGORIES.get(raw_category, raw_category),
                "level1": row["level1"],
                "level2": row["level2"],
                "name": name,
                "target": target,
                "unit": unit,
                "direction": direction,
                "source": row["source_url"],
                "note": note,
            }
        )
    return out


def form_entries(path: Path) -> list[dict[str, str]]:
    """Indicators read from published forms: the template from the printed target, the note keeps it."""
    out = []
    for line, row in enumerate(_rows(path), start=2):
        name, published, unit = row["level3"], row["published"], row["unit"]
        source = " ".join(part for part in (row["source_title"], row["source_url"]) if part)
        if not source:
            raise SourceError(f"{path.name} 第{line}行“{name}”：没有来源")
        direction = _direction(row["direction"], published, name, row["level2"], unit)
        if published:
            target, note = template_from_published(published, unit, direction), f"原表指标值 {published}"
        else:
            target, note = target_template("", unit, direction), NO_TARGET_NOTE
        out.append(
            {
                "category": row["category"],
                "level1": row["level1"],
                "level2": row["level2"],
                "name": name,
                "target": target,
                "unit": unit,
                "direction": direction,
                "source": source,
                "note": note,
            }
        )
    return out


def library_data(base: Path, forms: Path) -> dict[str, object]:
    """The library file's content from the two lists; ``SourceError`` names a row that does not fit."""
    entries = [_readable(_placed(entry)) for entry in base_entries(base) + form_entries(forms)]
    seen: set[tuple[str, str, str, str]] = set()
    for entry in entries:
        if entry["category"] not in COMMON_CATEGORIES:
            raise SourceError(f"“{entry['name']}”：类别“{entry['category']}”不在 COMMON_CATEGORIES 中")
        key = (entry["category"], entry["level1"], entry["level2"], entry["name"])
        if key in seen:
            raise SourceError(f"重复的指标：{' / '.join(key)}")
        seen.add(key)
    order = {category: n for n, category in enumerate(COMMON_CATEGORIES)}
    entries.sort(key=lambda e: order[e["category"]])  # stable: each category keeps its sources' order
    cleaned = [{k: v for k, v in entry.items() if v} for entry in entries]
    return {"format": LIBRARY_FORMAT, "version": LIBRARY_VERSION, "entries": cleaned}


def library_json(base: Path, forms: Path) -> str:
    """The text of common.json as the two lists produce it."""
    return json.dumps(library_data(base, forms), ensure_ascii=False, indent=1) + "\n"
