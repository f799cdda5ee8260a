"""What a typed text means in each kind of cell: one converter per column kind, shared by every reader.

Each converter parses the text a user typed or pasted (``parse``) into the value stored, or refuses
it with the Chinese message the user sees; ``problem`` says the same about a value already stored
(a workbook read from JSON or Excel, or written by an older version), so that the table, a paste,
Excel import, the JSON reader and 审核 (validation) agree on what is allowed: a value the table
refuses is one validation reports, and the reverse.

The indicator table's columns (key, printed title, kind) live here too, since a paste or a fill
maps column positions to fields the same way the screen does.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from desktop.models.errors import UserError
from desktop.models.workbook import numbers
from desktop.models.workbook.domain import (
    BAND_LABELS,
    DEPT_FUND_LINE_LABELS,
    FUND_LINE_LABELS,
    MAX_CELL_TEXT,
    Band,
    Form,
    FormKind,
    Indicator,
)

HUNDRED = Decimal(100)
_GOAL_RE = re.compile(r"^(?:绩效)?(?:目标)?\s*(\d+)$")


class Kind(enum.StrEnum):
    """How an indicator column is edited (and what its text means)."""

    TEXT = "text"  # one line of free text
    LONG = "long"  # long free text (multi-line editor)
    NUMBER = "number"  # a decimal (分值 / 得分)
    LEVEL = "level"  # 一级 / 二级: an editable combo of the standard names
    CHOICE = "choice"  # 指标值确定依据: an editable combo of the usual bases
    BAND = "band"  # 完成情况: a fixed list
    GOAL = "goal"  # the goal number


@dataclass(frozen=True)
class NumberRule:
    """A number field: what it is called, how many decimals and how large it may be.

    Attributes:
        label: the field's Chinese name, used in messages.
        places: the most decimals allowed (None: any).
        maximum: the largest value allowed (None: no limit); never below 0.
        percent: a trailing ``%`` is accepted.
        example: an example number for the message.
    """

    label: str
    places: int | None = 2
    maximum: Decimal | None = None
    percent: bool = False
    example: str = "5"

    def parse(self, text: str, maximum: Decimal | None = None) -> Decimal | None:
        """The number typed (full-width digits, separators, a trailing 分 or % allowed); None for blank.

        Raises:
            UserError: not a number, negative, too many decimals, or above the maximum.
        """
        typed = text.strip()
        cleaned = unicodedata.normalize("NFKC", text).strip().replace(",", "").replace(" ", "")
        if cleaned.endswith("分") or (self.percent and cleaned.endswith("%")):
            cleaned = cleaned[:-1]
        if cleaned == "":
            return None
        try:
            number: Decimal | None = Decimal(cleaned)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise UserError(f"{self.label}必须是数字（例如 {self.example}），“{typed}”不是数字。")
        problem = self.problem(number, maximum)
        if problem is not None:
            raise UserError(f"{problem}，输入的是 {typed}。")
        return number

    def problem(self, value: Decimal | None, maximum: Decimal | None = None) -> str | None:
        """Why a stored number is not allowed here (None: it is, or it is blank)."""
        if value is None:
            return None
        if not value.is_finite():
            return f"{self.label}不是有效的数字"
        if value < 0:
            return f"{self.label}不能是负数"
        exponent = value.as_tuple().exponent
        if self.places is not None and isinstance(exponent, int) and exponent < -self.places:
            return f"{self.label}最多保留{_PLACES[self.places]}位小数"
        limit = self.maximum if maximum is None else maximum
        if limit is not None and value > limit:
            return f"{self.label}不能超过 {numbers.score(limit)}（应在 0 到 {numbers.score(limit)} 之间）"
        return None


_PLACES = {0: "零", 1: "一", 2: "两", 3: "三", 4: "四"}

WEIGHT = NumberRule("分值", maximum=HUNDRED)
SCORE = NumberRule("得分", example="4.5")


def money_rule(label: str) -> NumberRule:
    """A money field (预算数, 全年执行数 …): not negative, any size."""
    return NumberRule(label, places=None, example="291.54")


def percent_rule(label: str) -> NumberRule:
    """A cumulative spending percent: 0–100, a trailing % allowed."""
    return NumberRule(label, places=None, maximum=HUNDRED, percent=True, example="50")


EXEC_WEIGHT = NumberRule("预算执行率分值", maximum=HUNDRED, example="10")
EXEC_SCORE = NumberRule("预算执行率得分", example="9.8")


def parse_band(text: str) -> Band | None:
    """A completion band from its Chinese name (or the start of it); None for blank.

    Raises:
        UserError: the text names no band.
    """
    cleaned = text.strip()
    if cleaned == "":
        return None
    for band, label in BAND_LABELS.items():
        if cleaned in (label, band.value):
            return band
    matches = [band for band, label in BAND_LABELS.items() if label.startswith(cleaned)]
    if len(matches) == 1:
        return matches[0]
    names = "、".join(BAND_LABELS.values())
    raise UserError(f"“完成情况”只能选择：{names}；“{cleaned}”不是其中之一。")


def parse_goal(text: str) -> int | None:
    """A goal number (``2``, ``目标2``, ``绩效目标2``); None for blank.

    Raises:
        UserError: not a positive whole number.
    """
    cleaned = unicodedata.normalize("NFKC", text).strip()
    if cleaned == "":
        return None
    match = _GOAL_RE.match(cleaned)
    if match is None or int(match.group(1)) < 1:
        raise UserError(f"“目标”只能填目标序号（正整数，如 1、2），“{cleaned}”不是。")
    return int(match.group(1))


def text_problem(title: str, text: str | None) -> str | None:
    """Why a stored text does not fit in one cell (None: it does)."""
    if text is not None and len(text) > MAX_CELL_TEXT:
        return f"“{title}”内容过长（{len(text)} 字），一个单元格最多 {MAX_CELL_TEXT} 字"
    return None


# ---- the indicator table's columns --------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of the indicator table.

    Attributes:
        key: the Indicator field it shows (``goal``, ``level1``, … ``deviation``).
        title: the printed header.
        tip: what the column holds (the header's tooltip).
        kind: how it is edited and read.
    """

    key: str
    title: str
    tip: str
    kind: Kind

    def parse(self, text: str) -> Any:
        """The Indicator field value a typed or pasted text stands for in this column.

        Raises:
            UserError: the text is not valid here (a non-number in 分值 …), with a Chinese message.
        """
        too_long = text_problem(self.title, text)
        if too_long is not None:
            raise UserError(f"{too_long}。")
        if self.kind == Kind.NUMBER:
            return (WEIGHT if self.key == "weight" else NumberRule(self.title)).parse(text)
        if self.kind == Kind.BAND:
            return parse_band(text)
        if self.kind == Kind.GOAL:
            return parse_goal(text)
        cleaned = text.strip()
        if self.key in REQUIRED_TEXT:
            return cleaned
        return cleaned or None


# Fields that are plain ``str`` (never None) on Indicator; the others are optional.
REQUIRED_TEXT = frozenset({"level1", "level2", "name"})
SCORE_KEY = "score"

_GOAL = Column("goal", "目标", "这些指标所属的年度绩效目标的序号（绩效目标1、2…）", Kind.GOAL)
_LEVEL1 = Column("level1", "一级指标", "一级指标：产出指标、效益指标、满意度指标等（可自行填写）", Kind.LEVEL)
_LEVEL2 = Column("level2", "二级指标", "二级指标：数量指标、质量指标、时效指标、成本指标等（可自行填写）", Kind.LEVEL)
_NAME = Column("name", "三级指标", "三级指标：本单位自定的具体指标名称", Kind.LONG)
_DESCRIPTION = Column("description", "绩效指标描述", "对三级指标含义、口径的说明", Kind.LONG)
_TARGET = Column("target", "指标值", "指标值，如 ≥95%、≤114万元、12月底前、合格", Kind.TEXT)
_BASIS = Column("basis", "指标值确定依据", "指标值的确定依据：计划标准、行业标准、历史标准、其他", Kind.CHOICE)
_ANNUAL = Column("target", "年度指标值", "年初设定的年度指标值（目标表的指标值）", Kind.TEXT)
_ACTUAL = Column("actual", "实际完成值", "全年实际完成的数值或情况；填写后自动计分", Kind.TEXT)
_WEIGHT = Column("weight", "分值", "本指标的分值（0–100，可带两位小数）", Kind.NUMBER)
_SCORE = Column(
    "score", "得分", "自动计算的建议得分；可直接改为手动得分（✎ 标记），按 Delete 恢复为建议得分", Kind.NUMBER
)
_BAND = Column(
    "band",
    "完成情况",
    "定性指标的完成情况：达成 / 部分达成并具有一定效果 / 未达成且效果较差（得分须落在对应区间）",
    Kind.BAND,
)
_DEVIATION = Column("deviation", "偏差原因分析及改进措施", "得分低于分值或偏差较大时须说明原因和改进措施", Kind.LONG)

TARGET_COLUMNS: tuple[Column, ...] = (_LEVEL1, _LEVEL2, _NAME, _DESCRIPTION, _TARGET)
DEPT_TARGET_COLUMNS: tuple[Column, ...] = (*TARGET_COLUMNS, _BASIS)
SELF_EVAL_COLUMNS: tuple[Column, ...] = (_LEVEL1, _LEVEL2, _NAME, _ANNUAL, _ACTUAL, _WEIGHT, _SCORE, _BAND, _DEVIATION)
GOAL_SELF_EVAL_COLUMNS: tuple[Column, ...] = (_GOAL, *SELF_EVAL_COLUMNS)
# Every indicator field a cell edits, with the title used when a stored value is reported.
INDICATOR_TEXT_TITLES: dict[str, str] = {
    c.key: c.title for c in (*DEPT_TARGET_COLUMNS, *GOAL_SELF_EVAL_COLUMNS) if c.kind not in (Kind.NUMBER, Kind.GOAL)
}


def columns_for(form: Form | None) -> tuple[Column, ...]:
    """The columns the printed form of this kind has (none without a form)."""
    if form is None:
        return ()
    if form.kind == FormKind.PROJECT_TARGET:
        return TARGET_COLUMNS
    if form.kind == FormKind.DEPT_TARGET:
        return DEPT_TARGET_COLUMNS
    if form.kind == FormKind.DEPT_SELF_EVAL and form.goals:
        return GOAL_SELF_EVAL_COLUMNS
    return SELF_EVAL_COLUMNS


def check_score(weight: Decimal | None, score: Decimal | None) -> None:
    """Refuse a manual score above the indicator's 分值.

    Raises:
        UserError: the score exceeds the weight.
    """
    if score is not None and weight is not None and score > weight:
        raise UserError(f"得分（{numbers.score(score)}）不能超过分值（{numbers.score(weight)}）。")


def indicator_problems(indicator: Indicator) -> list[tuple[str, str]]:
    """(field, message) for each stored value of an indicator that its cell would refuse.

    The same rules as typing into the table: 分值 0–100 with at most two decimals, 得分 with at most
    two decimals, no cell longer than ``MAX_CELL_TEXT`` (a 得分 below 0 or above its 分值 is
    reported by the scoring checks, which know the 分值 in force).
    """
    found: list[tuple[str, str]] = []
    weight = WEIGHT.problem(indicator.weight)
    if weight is not None:
        found.append(("weight", weight))
    score = indicator.score
    if score is not None and score >= 0:
        problem = SCORE.problem(score)
        if problem is not None:
            found.append(("score", problem))
    for key, title in INDICATOR_TEXT_TITLES.items():
        value = getattr(indicator, key)
        problem = text_problem(title, value if isinstance(value, str) else None)
        if problem is not None:
            found.append((key, problem))
    return found


def form_number_problems(form: Form) -> list[tuple[str, str]]:
    """(field, message) for each stored number of 预算规模, the fund table and 预算执行率 its field would refuse."""
    found: list[tuple[str, str]] = []
    if form.budget is not None:
        for key, label in (("amount", "预算数"), ("fiscal", "财政资金"), ("other", "其他资金")):
            problem = money_rule(label).problem(getattr(form.budget, key))
            if problem is not None:
                found.append(("budget", problem))
    labels = DEPT_FUND_LINE_LABELS if form.kind is FormKind.DEPT_SELF_EVAL else FUND_LINE_LABELS
    for fund in form.funds or ():
        line = labels.get(fund.line, fund.line).removeprefix("其中：")
        for key, label in (("initial", "年初预算数"), ("full_year", "全年预算数"), ("executed", "全年执行数")):
            problem = money_rule(f"{line}的{label}").problem(getattr(fund, key))
            if problem is not None:
                found.append(("funds", problem))
    problem = EXEC_WEIGHT.problem(form.exec_weight)
    if problem is not None:
        found.append(("exec_weight", problem))
    return found


def cell_text(indicator: Indicator, key: str) -> str:
    """The stored value of one field as the text a cell shows and copies."""
    value = getattr(indicator, key)
    if value is None:
        return ""
    if isinstance(value, Band):
        return value.label
    if isinstance(value, Decimal):
        return numbers.score(value)
    return str(value)
