"""What the app tells a user about a row, in words: warnings at entry, the reasons of a score, an overview.

Qt-free rules the views only show:
- ``entry_notes``: after an indicator cell was edited, what the user should know at once (the value is kept):
  a negative actual on a higher-is-better row, a percentage target above 100%, a quantitative target whose
  actual cannot be read as a number (the row turns qualitative and scores nothing until a band is chosen),
  and a manual score that stays while the suggestion moved; ``block_notes`` the same for every cell a paste
  or a fill-down wrote, each named by its row;
- ``fund_notes``: 全年执行数 above 全年预算数 in the fund table;
- ``row_reasons``: the current row's explanation, flags in words, band rule and findings;
- ``overview``: score against weight per 一级 and how many indicators were met / partly / not met;
- ``group_findings``: one finding per kind per form where the same thing is missing on many rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING

from desktop.models.scoring.engine import FLAG_TEXTS, FLAG_UNREADABLE, FormScore, IndicatorScore, show
from desktop.models.scoring.rules import RuleSet
from desktop.models.scoring.values import Direction, ValueKind, read_value
from desktop.models.workbook import numbers
from desktop.models.workbook.domain import Band, Form, Indicator

if TYPE_CHECKING:  # 审核 itself is imported when it first runs (after the window has shown the form)
    from desktop.models.scoring.validation import Finding

INFO = "info"
WARNING = "warning"
ERROR = "error"
HUNDRED = Decimal(100)
ZERO = Decimal(0)
GROUP_AT_LEAST = 3  # this many rows with the same finding become one grouped finding

# The keys whose change can move the suggested score.
_VALUE_KEYS = frozenset({"target", "actual", "band", "weight", "level1", "level2"})


@dataclass(frozen=True)
class Note:
    """One message for the message area: ``severity`` is ``info``, ``warning`` or ``error``."""

    severity: str
    text: str


def _higher_is_better(indicator: Indicator, ruleset: RuleSet) -> bool:
    target = read_value(indicator.target or "")
    if target.direction is Direction.HIGHER:
        return True
    if target.direction is Direction.PLAIN and target.quantity is not None and target.quantity.number != ZERO:
        return not ruleset.plain_is_lower(indicator.level1, indicator.level2)
    return False


def entry_notes(
    indicator: Indicator,
    key: str,
    before: IndicatorScore | None,
    after: IndicatorScore | None,
    ruleset: RuleSet,
) -> list[Note]:
    """What to say after the ``key`` field of ``indicator`` was edited (the edit is already applied).

    ``before`` / ``after`` are the engine's verdicts on the row before and after the edit (None on forms
    without scores). Nothing is refused here: each note explains a value that was accepted.
    """
    notes: list[Note] = []
    target = read_value(indicator.target or "")
    actual = read_value(indicator.actual or "")
    if key in ("target", "actual") and actual.quantity is not None and actual.quantity.number < ZERO:
        if _higher_is_better(indicator, ruleset):
            notes.append(
                Note(
                    WARNING,
                    f"实际完成值“{indicator.actual}”是负数，而本指标越高越好：按此计分为 0 分。请核对是否输入有误。",
                )
            )
    if (
        key == "target"
        and target.quantity is not None
        and target.quantity.unit == "%"
        and target.quantity.number > HUNDRED
        and target.direction is not Direction.LOWER
    ):
        notes.append(
            Note(
                WARNING,
                f"指标值“{indicator.target}”超过 100%：完成率、合格率、覆盖率等比率不会超过 100%，请核对"
                "（若确为增长幅度等可超过 100% 的指标，可保留）。",
            )
        )
    if (
        key in ("target", "actual")
        and after is not None
        and FLAG_UNREADABLE in after.flags
        and target.quantity is not None
        and actual.kind is ValueKind.QUALITATIVE
        and indicator.band is None
    ):
        lost = f"总分中暂不计本行的 {numbers.score(indicator.weight)} 分" if indicator.weight else "本行暂不计分"
        notes.append(
            Note(
                WARNING,
                f"实际完成值“{indicator.actual}”无法读作数字，无法与指标值“{indicator.target}”比较：本行将按定性指标处理，"
                f"须在“完成情况”中选择完成等级；选择之前{lost}。",
            )
        )
    notes.extend(_manual_notes(key, before, after))
    return notes


BLOCK_NOTES_SHOWN = 5  # after a paste, this many row notes are listed; the rest are counted


def block_notes(
    cells: Sequence[tuple[int, Indicator, str, IndicatorScore | None, IndicatorScore | None]], ruleset: RuleSet
) -> list[Note]:
    """``entry_notes`` for every cell a paste or a fill-down wrote: (row, indicator, key, before, after).

    Each note is named by its row (「第 3 行：…」), a row's same note is said once, and past
    ``BLOCK_NOTES_SHOWN`` the rest are counted in one closing note.
    """
    found: list[Note] = []
    seen: set[tuple[int, str]] = set()
    for row, indicator, key, before, after in cells:
        for note in entry_notes(indicator, key, before, after, ruleset):
            if (row, note.text) not in seen:
                seen.add((row, note.text))
                found.append(Note(note.severity, f"第 {row + 1} 行：{note.text}"))
    if len(found) > BLOCK_NOTES_SHOWN:
        rest = len(found) - BLOCK_NOTES_SHOWN
        worst = WARNING if any(note.severity == WARNING for note in found[BLOCK_NOTES_SHOWN:]) else INFO
        found = [*found[:BLOCK_NOTES_SHOWN], Note(worst, f"另有 {rest} 条同类提示未列出，请查看各行得分说明。")]
    return found


def _manual_notes(key: str, before: IndicatorScore | None, after: IndicatorScore | None) -> list[Note]:
    """A manual score stays when the values under it change: say so, and how to drop it."""
    if key not in _VALUE_KEYS or before is None or after is None or not after.manual:
        return []
    if before.suggested == after.suggested:
        return []
    manual = numbers.score(after.score)
    suggested = numbers.score(after.suggested) or "无"
    how = "点击“采用建议分”（或在得分格按 Delete）改用建议分。"
    if before.manual and before.score == before.suggested:
        return [Note(WARNING, f"手动得分 {manual} 原与建议得分一致，现已不再跟随：建议得分变为 {suggested}。{how}")]
    return [Note(INFO, f"本行得分为手动填写（✎{manual}），已保留；按新的值建议得分为 {suggested}。{how}")]


def fund_notes(form: Form) -> list[Note]:
    """全年执行数 above 全年预算数 on a line of the fund table (kept, but rarely right)."""
    notes: list[Note] = []
    for line in form.funds or ():
        if line.executed is not None and line.full_year is not None and line.full_year > ZERO:
            if line.executed > line.full_year:
                rate = show((line.executed / line.full_year * HUNDRED).quantize(Decimal("0.01")))
                notes.append(
                    Note(
                        WARNING,
                        f"全年执行数 {numbers.plain(line.executed)} 大于全年预算数 {numbers.plain(line.full_year)}"
                        f"（执行率 {rate}%）：请核对，执行数一般不超过预算数。",
                    )
                )
    return notes


def row_reasons(
    indicator: Indicator, verdict: IndicatorScore | None, findings: Sequence[Finding], ruleset: RuleSet
) -> list[tuple[str, str]]:
    """The current row's reasons as (severity, line): how the score was reached, flags, band rule, findings."""
    lines: list[tuple[str, str]] = []
    if verdict is not None:
        suggested = numbers.score(verdict.suggested) or "无"
        if verdict.manual:
            agree = "，与建议一致" if verdict.score == verdict.suggested else ""
            lines.append((INFO, f"得分：✎ 手动 {numbers.score(verdict.score)}（建议 {suggested}{agree}）"))
        else:
            lines.append((INFO, f"得分：建议 {suggested}（按实际完成值自动计算）"))
        if verdict.explain:
            lines.append((INFO, f"计分依据：{verdict.explain}"))
        lines.extend((WARNING, f"⚠ {FLAG_TEXTS.get(flag, flag)}") for flag in verdict.flags)
        if verdict.band is not None or FLAG_UNREADABLE in verdict.flags:
            parts = []
            for band in Band:
                low, high = ruleset.band_range(band)
                parts.append(f"{band.label} {show(low * HUNDRED)}%–{show(high * HUNDRED)}%")
            lines.append((INFO, "定性指标按完成情况计分：" + "；".join(parts) + "（占分值的比例）"))
    for finding in findings:
        lines.append((finding.severity, f"审核：{finding.message}"))
    if not lines:
        lines.append((INFO, "本行没有需要注意的问题。"))
    return lines


@dataclass(frozen=True)
class LevelBar:
    """One 一级指标: its score against its weight."""

    name: str
    score: Decimal
    weight: Decimal


@dataclass(frozen=True)
class Overview:
    """A self-evaluation at a glance."""

    bars: tuple[LevelBar, ...]
    met: int
    partly: int
    not_met: int
    open: int  # not yet judged (no actual, qualitative without a band …)
    total: Decimal | None
    max_total: Decimal | None


def outcome(verdict: IndicatorScore, weight: Decimal | None) -> str:
    """``met`` / ``partly`` / ``not_met`` / ``open`` for one scored indicator."""
    if verdict.band is Band.PARTLY:
        return "partly"
    if verdict.band is Band.NOT_MET:
        return "not_met"
    if verdict.met is True:
        return "met"
    if verdict.met is False:
        score = verdict.score
        return "partly" if score is not None and score > ZERO else "not_met"
    return "open"


def overview(form: Form, result: FormScore) -> Overview:
    """Score against weight per 一级 (budget execution first) and the counts of outcomes."""
    counts = {"met": 0, "partly": 0, "not_met": 0, "open": 0}
    for indicator, verdict in zip(form.indicators, result.indicators, strict=False):
        counts[outcome(verdict, indicator.weight)] += 1
    bars = [LevelBar("预算执行率", result.exec_score or ZERO, result.exec_weight)] if result.exec_weight else []
    bars.extend(LevelBar(sub.level1, sub.score, sub.weight) for sub in result.subtotals if sub.weight > ZERO)
    return Overview(
        tuple(bars), counts["met"], counts["partly"], counts["not_met"], counts["open"], result.total, result.max_total
    )


def group_findings(findings: Sequence[Finding], least: int = GROUP_AT_LEAST) -> list[Finding]:
    """One finding per (form, severity, message) where at least ``least`` rows share it.

    The grouped finding reads 「23项未填写实际完成值」, points at the first row and keeps the rows it
    stands for in ``members`` (a view lists them on demand). Order follows each group's first member.
    """
    keyed: dict[tuple[int | None, str, str, str | None], list[Finding]] = {}
    for finding in findings:
        if finding.indicator_index is not None:
            keyed.setdefault((finding.form_index, finding.severity, finding.message, finding.field), []).append(finding)
    out: list[Finding] = []
    done: set[tuple[int | None, str, str, str | None]] = set()
    for finding in findings:
        key = (finding.form_index, finding.severity, finding.message, finding.field)
        members = keyed.get(key, []) if finding.indicator_index is not None else []
        if len(members) < least:
            out.append(finding)
            continue
        if key in done:
            continue
        done.add(key)
        where = finding.where.split(" 第", 1)[0]
        out.append(replace(finding, message=f"{len(members)}项{finding.message}", where=where, members=tuple(members)))
    return out
