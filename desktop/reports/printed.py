"""What a printed form shows, decided once for the PDF and the Excel writer (``layouts``, ``xlsx``).

``describe`` turns a form, its scores and the workbook's print template into a ``PrintedForm``:
title lines, the indicator table's columns and rows in paper order (grouped by 一级 in the
standard order, then 二级 in the standard order, entry order within; empty standard 二级 rows
where the template asks), every number already formatted with the template's decimals, the
total row (「待评」 while any scored row is still unscored), footnotes and sign-off texts.
The screen keeps entry order: only paper is regrouped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from desktop.models.scoring.engine import FormScore
from desktop.models.scoring.rules import RuleSet, load_ruleset
from desktop.models.workbook import numbers
from desktop.models.workbook.domain import Form, FormKind, Indicator, Workbook
from desktop.reports.template import (
    SIGNOFF_FIELDS,
    Decimals,
    FormLayout,
    PrintTemplate,
    fill_pattern,
    print_kind,
)

UNSCORED = "待评"
CORE_LEVEL1 = ("产出指标", "效益指标", "满意度指标")


@dataclass(frozen=True)
class NumberFormat:
    """The template's number formats, as functions of a value."""

    decimals: Decimals

    def money(self, value: Decimal | None) -> str:
        """An amount (as entered, or with the template's fixed decimals)."""
        return numbers.money(value, self.decimals.money)

    def score(self, value: Decimal | None) -> str:
        """A score or weight."""
        return numbers.score(value, self.decimals.score)

    def rate(self, fraction: Decimal | None) -> str:
        """A rate in percent."""
        return numbers.rate(fraction, self.decimals.rate)


@dataclass
class TableRow:
    """One row of the indicator table.

    Attributes:
        labels: the merged label texts (section, goal, 一级, 二级 as the layout's label columns).
        cells: the texts of the other columns.
        values: the same as numbers where a column is a weight or score (for Excel), else None.
        goal: for layout B printed as goal rows, the goal title row this row belongs to.
        position: the indicator's position in ``form.indicators`` (-1 for an empty standard row).
    """

    labels: tuple[str, ...]
    cells: list[str]
    values: list[Decimal | None]
    goal: str | None = None
    position: int = -1


@dataclass
class PrintedForm:
    """Everything printed about one form, in paper order.

    Attributes:
        kind: the print kind (``template.PRINT_KINDS``).
        layout: the template's layout for it.
        fmt: number formats.
        title: the title line; subtitle: a second title line (may be empty).
        goal_rows: layout B prints each goal as a row across the table (not as a label column).
        rows: the indicator rows.
        total: the 总分 row's texts: (分值, 得分, grade text); None for target tables.
        total_values: the same as numbers (None where not a number).
        tail: further rows under the table: (label, text) of 自评结论 / 说明.
        footnotes: lines under the table; signoff: (label, value) pairs.
    """

    kind: str
    layout: FormLayout
    fmt: NumberFormat
    title: str
    subtitle: str
    goal_rows: bool
    rows: list[TableRow] = field(default_factory=list)
    total: tuple[str, str, str] | None = None
    total_values: tuple[Decimal | None, Decimal | None] = (None, None)
    tail: list[tuple[str, str]] = field(default_factory=list)
    footnotes: tuple[str, ...] = ()
    signoff: tuple[tuple[str, str], ...] = ()

    @property
    def heads(self) -> list[str]:
        """The column heads."""
        return [column.head for column in self.layout.columns]


def is_dept_project_block(form: Form) -> bool:
    """Whether a 部门整体支出绩效目标表 form is one of its budget project blocks."""
    return bool(form.code or form.spending_plan or form.purpose or form.budget)


def uses_goal_layout(form: Form) -> bool:
    """Whether a department self-evaluation prints layout B (indicators grouped under goals)."""
    return any(indicator.goal is not None for indicator in form.indicators)


def kind_of(form: Form) -> str:
    """The form's print kind."""
    return print_kind(form, project_block=is_dept_project_block(form), goal_layout=uses_goal_layout(form))


def title_lines(form: Form, workbook: Workbook, template: PrintTemplate, seq: int = 1) -> tuple[str, str]:
    """The title and subtitle of a form under ``template``; ``seq`` numbers it among its kind."""
    layout = template.layout(kind_of(form))
    values = {
        "title": form.title,
        "kind": form.kind.label,
        "year": str(workbook.year) if workbook.year else "",
        "unit": workbook.unit.name,
        "seq": str(seq),
    }
    return fill_pattern(layout.title, values), fill_pattern(layout.subtitle, values)


def _ruleset(workbook: Workbook) -> RuleSet | None:
    try:
        return load_ruleset(workbook.ruleset)
    except Exception:  # an unknown rule set only loses the standard order on paper
        return None


def level1_order(ruleset: RuleSet | None, indicators: Sequence[Indicator]) -> tuple[str, ...]:
    """The 一级 order on paper: a layout-A department table's own (部门管理, 履职效果, 能力建设,
    满意度), else the framework's (产出, 成本, 效益, 满意度)."""
    if ruleset is None:
        return ()
    dept = tuple(name for name, _ in ruleset.dept.levels)
    project = {name for name, _ in ruleset.project.levels}
    own = {ruleset.canonical_level1(i.level1) for i in indicators}
    if own & (set(dept) - project):
        return (*dept, *(n for n in ruleset.level1_names if n not in dept))
    return ruleset.level1_names


def _order(
    indicators: Sequence[tuple[int, Indicator]], ruleset: RuleSet | None, first: Sequence[str] = ()
) -> list[tuple[int, Indicator]]:
    """Indicators grouped by 一级 (in ``first``'s order, then first appearance), then 二级 in the
    standard order (then first appearance); entry order within a group."""
    level1_rank: dict[str, int] = {}
    level2_rank: dict[tuple[str, str], int] = {}
    std1 = {name: n for n, name in enumerate(first)}
    for _position, indicator in indicators:
        one = ruleset.canonical_level1(indicator.level1) if ruleset else indicator.level1
        level1_rank.setdefault(one, std1.get(one, len(std1) + len(level1_rank)))
    for _position, indicator in indicators:
        one = ruleset.canonical_level1(indicator.level1) if ruleset else indicator.level1
        names = ruleset.standard_level2(one) if ruleset else ()
        two = ruleset.canonical_level2(indicator.level2) if ruleset else indicator.level2
        key = (one, two)
        if key not in level2_rank:
            rank = names.index(two) if two in names else len(names) + len(level2_rank)
            level2_rank[key] = rank

    def sort_key(item: tuple[int, Indicator]) -> tuple[int, int, int]:
        position, indicator = item
        one = ruleset.canonical_level1(indicator.level1) if ruleset else indicator.level1
        two = ruleset.canonical_level2(indicator.level2) if ruleset else indicator.level2
        return level1_rank[one], level2_rank[(one, two)], position

    return sorted(indicators, key=sort_key)


def _empty_level2(
    ordered: list[tuple[int, Indicator]], ruleset: RuleSet | None, layout_a: bool, first: Sequence[str]
) -> list[tuple[int, Indicator]]:
    """The rows with an empty row for each standard 二级 of a printed 一级 that has none."""
    if ruleset is None:
        return ordered
    present = [ruleset.canonical_level1(i.level1) for _, i in ordered]
    level1s = list(dict.fromkeys(present))
    if not layout_a:
        for name in CORE_LEVEL1:
            if name not in level1s:
                level1s.append(name)
        level1s.sort(key=lambda n: first.index(n) if n in first else len(first))
    out: list[tuple[int, Indicator]] = []
    for one in level1s:
        members = [(p, i) for p, i in ordered if ruleset.canonical_level1(i.level1) == one]
        label = members[0][1].level1 if members else one
        have = {ruleset.canonical_level2(i.level2) for _, i in members}
        for two in ruleset.standard_level2(one):
            if two not in have:
                members.append((-1, Indicator(level1=label, level2=two)))
        out += _order(members, ruleset, first)
    return out


class _Describer:
    """Builds a ``PrintedForm`` (one per form; holds the pieces the rows share)."""

    def __init__(
        self, workbook: Workbook, form: Form, template: PrintTemplate, score: FormScore | None, seq: int
    ) -> None:
        self.workbook = workbook
        self.form = form
        self.score = score
        self.kind = kind_of(form)
        self.layout = template.layout(self.kind)
        self.fmt = NumberFormat(template.decimals)
        self.ruleset = _ruleset(workbook)
        title, subtitle = title_lines(form, workbook, template, seq)
        fields = [c.field for c in self.layout.columns]
        self.printed = PrintedForm(
            kind=self.kind,
            layout=self.layout,
            fmt=self.fmt,
            title=title,
            subtitle=subtitle,
            goal_rows=self.kind == "dept_self_eval_b" and "goal" not in fields,
        )
        self.weights = self._level1_weights()

    def indicator_score(self, position: int) -> Decimal | None:
        if self.score is None or not 0 <= position < len(self.score.indicators):
            return None
        return self.score.indicators[position].score

    def _level1_weights(self) -> dict[str, Decimal]:
        weights: dict[str, Decimal] = {}
        if not self.layout.level1_weights:
            return weights
        for indicator in self.form.indicators:
            key = self._key1(indicator.level1)
            weights[key] = weights.get(key, Decimal(0)) + (indicator.weight or Decimal(0))
        return weights

    def _key1(self, level1: str) -> str:
        return self.ruleset.canonical_level1(level1) if self.ruleset else level1

    def level1_label(self, level1: str) -> str:
        weight = self.weights.get(self._key1(level1))
        if weight is None:
            return level1
        return f"{level1}({self.fmt.score(weight)}分)"

    def row(self, position: int, indicator: Indicator, goal: str | None, goal_label: str) -> TableRow:
        labels: list[str] = []
        cells: list[str] = []
        values: list[Decimal | None] = []
        scored = self.form.kind.is_self_eval
        for column in self.layout.columns:
            name = column.field
            if name == "section":
                labels.append(column.head)
            elif name == "goal":
                labels.append(goal_label)
            elif name == "level1":
                labels.append(self.level1_label(indicator.level1))
            elif name == "level2":
                labels.append(indicator.level2)
            elif name == "weight":
                cells.append(self.fmt.score(indicator.weight))
                values.append(numbers.as_number(indicator.weight, self.fmt.decimals.score))
            elif name == "score":
                got = self.indicator_score(position)
                if got is None and scored and position >= 0 and indicator.weight is not None and self.score:
                    cells.append(UNSCORED)
                    values.append(None)
                else:
                    cells.append(self.fmt.score(got))
                    values.append(numbers.as_number(got, self.fmt.decimals.score))
            else:
                cells.append(getattr(indicator, name) or "")
                values.append(None)
        return TableRow(tuple(labels), cells, values, goal=goal, position=position)

    def sections(self) -> list[tuple[str | None, str, list[tuple[int, Indicator]]]]:
        """(goal title row or None, goal label, indicators) in print order."""
        numbered = list(enumerate(self.form.indicators))
        if self.kind != "dept_self_eval_b":
            return [(None, "", numbered)]
        goals = sorted(self.form.goals or (), key=lambda g: g.no)
        known = {goal.no for goal in goals}
        out: list[tuple[str | None, str, list[tuple[int, Indicator]]]] = []
        for goal in goals:
            members = [(p, i) for p, i in numbered if i.goal == goal.no]
            title = f"绩效目标{goal.no}：{goal.target or ''}"
            out.append((title, f"绩效目标{goal.no}", members))
        orphans = [(p, i) for p, i in numbered if i.goal not in known]
        if orphans:
            out.append(("未关联绩效目标的指标", "未关联绩效目标", orphans))
        return out

    def build(self) -> PrintedForm:
        printed = self.printed
        layout_a = self.score.layout_a if self.score is not None else False
        first = level1_order(self.ruleset, self.form.indicators)
        for title, goal_label, members in self.sections():
            ordered = _order(members, self.ruleset, first)
            if self.layout.empty_level2:
                ordered = _empty_level2(ordered, self.ruleset, layout_a or self.kind == "dept_self_eval", first)
            goal = title if printed.goal_rows else None
            printed.rows += [self.row(p, i, goal, goal_label) for p, i in ordered]
        if self.form.kind.is_self_eval:
            self._total()
        for block in self.layout.blocks:
            if block == "conclusion" and self.form.conclusion and self.form.kind.is_self_eval:
                printed.tail.append(("自评结论", self.form.conclusion))
            if block == "notes" and self.form.kind.is_self_eval:
                label = "其他需要说明的问题" if self.kind == "dept_self_eval" else "说明"
                printed.tail.append((label, self.form.notes or "无"))
        if self.layout.shows("footnotes"):
            printed.footnotes = self.layout.footnotes
        if self.layout.shows("signoff"):
            printed.signoff = self._signoff()
        return printed

    def _total(self) -> None:
        score = self.score
        weight = sum((i.weight or Decimal(0) for i in self.form.indicators), Decimal(0))
        if score is not None and score.max_total is not None:
            weight = score.max_total
        elif score is not None:
            weight += score.exec_weight
        elif self.form.exec_weight is not None:
            weight += self.form.exec_weight
        total = score.total if score is not None else None
        complete = self.is_complete()
        grade = f"自评等级：{score.grade}" if score is not None and score.grade and complete else ""
        total_text = self.fmt.score(total) if complete else UNSCORED
        self.printed.total = (self.fmt.score(weight), total_text, grade)
        self.printed.total_values = (
            numbers.as_number(weight, self.fmt.decimals.score),
            numbers.as_number(total, self.fmt.decimals.score) if complete else None,
        )

    def is_complete(self) -> bool:
        """Whether every scored row (and the execution rate) has a score."""
        score = self.score
        if score is None:
            return False
        flag = getattr(score, "complete", None)  # FormScore.complete (issue 12) where the engine has it
        if isinstance(flag, bool):
            return flag
        if score.total is None:
            return False
        return all(
            self.indicator_score(n) is not None for n, i in enumerate(self.form.indicators) if i.weight is not None
        )

    def _signoff(self) -> tuple[tuple[str, str], ...]:
        signoff = self.form.signoff
        pairs = []
        for label in self.layout.signoff:
            name = SIGNOFF_FIELDS.get(label)
            value = getattr(signoff, name) if signoff is not None and name else None
            pairs.append((label, value or ""))
        return tuple(pairs)


def describe(
    workbook: Workbook, form: Form, template: PrintTemplate, score: FormScore | None = None, seq: int = 1
) -> PrintedForm:
    """What ``form`` prints under ``template`` (``score``: the engine's result for a self-evaluation)."""
    return _Describer(workbook, form, template, score if form.kind.is_self_eval else None, seq).build()


def sequence_numbers(forms: Sequence[Form]) -> list[int]:
    """Each form's number among the exported forms of its kind (1, 2, … per kind)."""
    seen: dict[FormKind, int] = {}
    out = []
    for form in forms:
        seen[form.kind] = seen.get(form.kind, 0) + 1
        out.append(seen[form.kind])
    return out
