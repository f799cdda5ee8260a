"""Target quality (审核 of a 目标表): is each target measurable, in the right place, and ambitious enough?

Published commentary on 绩效目标表 names the usual faults: targets filled in as 「填空题」, no operator or unit,
满意度 standing in for 效益, 效益 written as outputs, and targets that merely repeat (or undercut) last year's
actual. Each finding says why. The history of earlier years comes from ``desktop.models.library.history``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from desktop.models.library.history import HistoryEntry
from desktop.models.library.suggest import fold
from desktop.models.scoring.rules import RuleSet
from desktop.models.scoring.values import Direction, ValueKind, comparable, read_value
from desktop.models.workbook.domain import Form, Indicator

NO_OPERATOR = "指标值没有比较符号，请注明 ≥、≤ 或 =（越高越好还是越低越好）"
SATISFACTION = "满意度指标"
BENEFIT = "效益指标"
#: Units that count things done: a 效益 indicator measured in these is usually an output.
COUNT_UNITS = frozenset(
    {"次", "个", "场", "场次", "件", "台", "套", "篇", "期", "项", "人次", "批", "份", "册", "门", "班"}
)
#: Verbs of doing: 「开展培训次数」 counts work done (an output); 「安全事件数」 counts an effect.
_DOING = re.compile(r"(开展|举办|召开|组织|举行|完成|发放|购置|采购|印发|编印|印制|培训|建设|维修|召集)")
_COUNTED = ("次数", "个数", "场次", "数量", "件数", "期数", "项数", "人次")
_HAS_DIGIT = re.compile(r"[0-9０-９]")


def target_problems(
    form: Form, ruleset: RuleSet, history: Iterable[HistoryEntry] = (), year: int | None = None
) -> list[tuple[int, str, str]]:
    """``(row, field, message)`` of each target-quality problem of a 目标表 (none for self-evaluations).

    ``validation.check_form`` reports them as warnings; ``year`` is the workbook's, so only earlier years'
    actuals count as "last year".
    """
    if form.kind.is_self_eval:
        return []
    last_actual = _last_actuals(history, year)
    return [
        (index, field, message)
        for index, ind in enumerate(form.indicators)
        for field, message in _row_problems(ind, ruleset, last_actual)
    ]


def _last_actuals(history: Iterable[HistoryEntry], year: int | None) -> dict[str, HistoryEntry]:
    """The latest earlier-year entry with an actual, by folded indicator name."""
    latest: dict[str, HistoryEntry] = {}
    for entry in history:
        if not entry.actual or entry.year is None or (year is not None and entry.year >= year):
            continue
        key = fold(entry.name)
        held = latest.get(key)
        if held is None or (held.year or 0) <= entry.year:
            latest[key] = entry
    return latest


def _row_problems(ind: Indicator, ruleset: RuleSet, last_actual: dict[str, HistoryEntry]) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    text = (ind.target or "").strip()
    level1 = ruleset.canonical_level1(ind.level1)
    if "满意" in ind.name and level1 != SATISFACTION and ind.level1.strip():
        problems.append(("level1", f"“{ind.name}”是满意度指标，应放在“{SATISFACTION}”下，不能代替效益指标"))
    if not text:
        return problems  # an empty target is reported by 审核 itself
    if "**" in text or "＊＊" in text:
        problems.append(("target", f"指标值“{text}”仍是占位符，请填写具体数值"))
        return problems
    value = read_value(text)
    if value.kind is ValueKind.QUALITATIVE and _HAS_DIGIT.search(text):
        problems.append(("target", f"指标值“{text}”含有数字但无法读出数值，请写成如“≥95%”“≤10万元”“12月底前”"))
    if value.kind is ValueKind.QUANTITY and value.quantity is not None:
        if value.direction is Direction.PLAIN and not _self_evident(value.quantity.number, value.quantity.unit):
            problems.append(("target", NO_OPERATOR))
        cost_row = "成本" in ind.level1 or "成本" in ind.level2  # a bare cost is in the table's money unit
        if not value.quantity.unit and not cost_row:
            problems.append(("target", f"指标值“{text}”没有计量单位（%、人、次、万元…）"))
    if level1 == BENEFIT and _DOING.search(ind.name):
        counted = value.quantity is not None and value.quantity.unit in COUNT_UNITS
        if counted or ind.name.endswith(_COUNTED):
            problems.append(("name", f"效益指标“{ind.name}”计的是做了多少，属于产出；效益应写带来的变化"))
    earlier = last_actual.get(fold(ind.name))
    if earlier is not None:
        problems.extend(_against_last_year(text, value.direction, earlier))
    return problems


def _self_evident(number: Decimal, unit: str) -> bool:
    """100% cannot be beaten and 0 cannot be undercut: such a bare target means "exactly this"."""
    return number == 0 or (unit == "%" and number == 100)


def _against_last_year(text: str, direction: Direction | None, earlier: HistoryEntry) -> list[tuple[str, str]]:
    actual = read_value(earlier.actual)
    target = read_value(text)
    said = f"{earlier.year}年实际 {earlier.actual}"
    if target.canonical and target.canonical == actual.canonical:
        return [("target", f"指标值与上年实际相同（{said}），请确认是否应有所提高")]
    if direction is not Direction.HIGHER or target.quantity is None or actual.quantity is None:
        return []
    pair = comparable(target.quantity, actual.quantity)
    if pair is not None and pair[0] < pair[1]:
        return [("target", f"指标值低于上年实际（{said}），越高越好的指标一般不应低于上年")]
    return []
