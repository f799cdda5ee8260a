"""Review before submission (审核): what a reviewer checks on each form, as a list of findings.

forms.md §5 plus the arithmetic of the tables. Errors are what a finance bureau would send back
(missing required fields, weights not totalling 100, fund table columns that do not add up, a
spending plan that does not reach 100% or falls, scores outside their 分值); warnings are what it
would question (qualitative targets, unlisted second levels, deductions without a reason …).

The interchange format holds no printed 总分, so "the total does not match its parts" shows as:
the 分值 not totalling 100 (error), a first level's 分值 differing from the rule set's weight, a
manual 预算执行率得分 that differs from the computed one or cannot be checked (全年执行数
missing), and a total or grade stated in the 自评结论 / 说明 text that differs from the computed
one (warnings).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from desktop.models.library.history import HistoryEntry
from desktop.models.scoring.engine import (
    FLAG_MANUAL_NO_REASON,
    FLAG_MANUAL_OUT_OF_BAND,
    FLAG_NEEDS_REASON,
    FLAG_OVER_TARGET,
    FLAG_UNIT_MISMATCH,
    FLAG_UNREADABLE,
    FormScore,
    IndicatorScore,
    ScoringEngine,
    has_reason,
    show,
)
from desktop.models.scoring.rules import FRAMEWORK_LEVEL1
from desktop.models.scoring.target_quality import NO_OPERATOR, target_problems
from desktop.models.scoring.values import Direction, Quantity, ValueKind, comparable, read_value
from desktop.models.workbook.cells import form_number_problems, indicator_problems
from desktop.models.workbook.domain import DEPT_FUND_LINE_LABELS, FUND_LINE_LABELS, Form, FormKind, Indicator, Workbook

ERROR = "error"
WARNING = "warning"
HUNDRED = Decimal(100)
ZERO = Decimal(0)

# The standard first levels every project (and layout B department) table needs.
REQUIRED_LEVEL1 = ("产出指标", "效益指标", "满意度指标")
OUTPUT_LEVEL2 = ("数量指标", "质量指标", "时效指标", "成本指标")
_FUND_COLUMNS = (("initial", "年初预算数"), ("full_year", "全年预算数"), ("executed", "全年执行数"))
_STATED_TOTAL = re.compile(r"(?:总分|合计|自评得分|综合得分|得分)\s*(?:为|是|：|:)?\s*(\d{1,3}(?:\.\d{1,2})?)\s*分")
_STATED_GRADE = re.compile(r"(?:自评)?等级\s*(?:为|是|：|:)?\s*[“\"]?([优良中差])")


@dataclass(frozen=True)
class Finding:
    """One thing the reviewer would point out.

    Attributes:
        severity: ``"error"`` (must be fixed before submitting) or ``"warning"`` (check it).
        message: what is wrong, in Chinese, without the location.
        form_index: position of the form in the workbook (None: the workbook itself).
        goal_no: the goal number of the indicator's goal, if any.
        indicator_index: position of the indicator in ``form.indicators``.
        field: the field concerned (``"title"``, ``"funds"``, ``"weight"``, ``"deviation"`` …).
        where: the location in words (``表2“政务服务经费” 第13行“群众来电咨询接听率”``).
    """

    severity: str
    message: str
    form_index: int | None = None
    goal_no: int | None = None
    indicator_index: int | None = None
    field: str | None = None
    where: str = ""

    @property
    def text(self) -> str:
        """Location and message on one line."""
        return f"{self.where}：{self.message}" if self.where else self.message


SEVERITY_LABELS = {ERROR: "错误", WARNING: "警告"}


def describe_finding(workbook: Workbook, finding: Finding) -> str:
    """One line for the command line: ``[错误] 表1“…” 第3行“…”：message``.

    ``workbook`` is the one the finding was made on (its location text is kept in the finding;
    a workbook-level finding is named by the unit).
    """
    where = finding.where or (f"工作簿“{workbook.unit.name}”" if workbook.unit.name else "工作簿")
    return f"[{SEVERITY_LABELS.get(finding.severity, finding.severity)}] {where}：{finding.message}"


class _Collector:
    """Builds the findings of one form."""

    def __init__(self, form: Form, form_index: int) -> None:
        self.form = form
        self.form_index = form_index
        self.where = f"表{form_index + 1}“{form.title or form.kind.label}”"
        self.items: list[Finding] = []

    def add(self, severity: str, message: str, field: str | None = None) -> None:
        self.items.append(Finding(severity, message, self.form_index, None, None, field, self.where))

    def row(self, severity: str, index: int, message: str, field: str | None = None) -> None:
        ind = self.form.indicators[index]
        where = f"{self.where} 第{index + 1}行“{ind.name or '（未命名）'}”"
        self.items.append(Finding(severity, message, self.form_index, ind.goal, index, field, where))


def check_workbook(workbook: Workbook, engine: ScoringEngine, history: Sequence[HistoryEntry] = ()) -> list[Finding]:
    """Every finding of the workbook: its header first, then form by form.

    ``history`` (the indicators of earlier years, ``desktop.models.library.history``) lets the target-quality
    review compare each target with last year's actual.
    """
    findings: list[Finding] = []
    if not workbook.unit.name.strip():
        findings.append(Finding(WARNING, "未填写单位名称", field="unit"))
    if workbook.year is None:
        findings.append(Finding(WARNING, "未填写年度", field="year"))
    if not workbook.forms:
        findings.append(Finding(WARNING, "工作簿中没有表格", field="forms"))
    for index in range(len(workbook.forms)):
        findings.extend(check_form(workbook, index, engine, history))
    return findings


def check_form(
    workbook: Workbook, form_index: int, engine: ScoringEngine, history: Sequence[HistoryEntry] = ()
) -> list[Finding]:
    """The findings of one form of the workbook (a 目标表's include the target-quality review)."""
    form = workbook.forms[form_index]
    c = _Collector(form, form_index)
    result = engine.score_form(form)
    if not form.title.strip():
        c.add(
            ERROR,
            "未填写单位名称" if form.kind in (FormKind.DEPT_TARGET, FormKind.DEPT_SELF_EVAL) else "未填写项目名称",
            "title",
        )
    if form.kind.is_self_eval:
        _check_funds(c, engine, result)
    else:
        _check_budget(c)
        _check_spending_plan(c)
        if not (form.overall_target or "").strip() and not form.goals:
            c.add(WARNING, "未填写绩效目标", "overall_target")
    for field, problem in form_number_problems(form):  # what the field itself would refuse when typed
        c.add(ERROR, problem, field)
    _check_structure(c, engine, result)
    _check_indicators(c, engine, result)
    if form.kind.is_self_eval:
        _check_totals(c, engine, result)
    else:
        _check_target_quality(c, engine, workbook, history)
    return c.items


def _check_target_quality(
    c: _Collector, engine: ScoringEngine, workbook: Workbook, history: Sequence[HistoryEntry]
) -> None:
    """The target-quality review; a missing operator on many rows is one finding naming the rows."""
    bare: list[int] = []
    for index, field, message in target_problems(c.form, engine.ruleset, history, workbook.year):
        if message == NO_OPERATOR:
            bare.append(index)
        else:
            c.row(WARNING, index, message, field)
    if len(bare) == 1:
        c.row(WARNING, bare[0], NO_OPERATOR, "target")
    elif bare:
        rows = "、".join(str(index + 1) for index in bare)
        c.add(WARNING, f"第{rows}行（{len(bare)}项）{NO_OPERATOR}", "target")


# ---- fund table / budget ----------------------------------------------------------------------


def _check_funds(c: _Collector, engine: ScoringEngine, result: FormScore) -> None:
    form = c.form
    total = form.fund("total")
    if total is None or total.full_year is None:
        c.add(ERROR, "未填写年度资金总额（部门整体支出）的全年预算数", "funds")
    elif total.executed is None:
        checked = "，填报的预算执行率得分无法核对" if form.exec_score is not None else ""
        c.add(WARNING, f"未填写全年执行数，无法计算预算执行率{checked}", "funds")
    dept = form.kind is FormKind.DEPT_SELF_EVAL
    parts = ("basic", "project") if dept else ("fiscal", "carryover", "other")
    names = "基本支出 + 项目支出" if dept else "当年财政拨款 + 上年结转资金 + 其他资金"
    if total is not None:
        for attr, label in _FUND_COLUMNS:
            amounts = [getattr(line, attr) for p in parts if (line := form.fund(p)) is not None]
            if all(a is None for a in amounts):
                continue
            whole = getattr(total, attr)
            summed = sum((a for a in amounts if a is not None), ZERO)
            if whole is None or summed != whole:
                shown = "未填写" if whole is None else show(whole)
                c.add(ERROR, f"{label}：{names} = {show(summed)}，与合计 {shown} 不符", "funds")
    explained = has_reason(form.deviation)
    for line in form.funds or ():
        if (
            line.executed is not None
            and line.full_year is not None
            and line.executed > line.full_year
            and not explained
        ):
            c.add(
                WARNING,
                f"{_fund_label(form, line.line)}的全年执行数 {show(line.executed)} 超过全年预算数 "
                f"{show(line.full_year)}，请在偏差原因中说明",
                "funds",
            )
    rs = engine.ruleset
    scheme = rs.scheme(form.kind, result.layout_a)
    if form.exec_weight is not None and form.exec_weight != scheme.exec_weight:
        c.add(
            WARNING,
            f"预算执行率分值为 {show(form.exec_weight)}，“{rs.label}”规定为 {show(scheme.exec_weight)}",
            "exec_weight",
        )
    if form.exec_score is not None:
        weight = result.exec_weight
        if form.exec_score < ZERO or form.exec_score > weight:
            c.add(ERROR, f"预算执行率得分 {show(form.exec_score)} 超出分值 {show(weight)}", "exec_score")
        elif result.exec_suggested is not None and form.exec_score != result.exec_suggested:
            c.add(
                WARNING,
                f"填报的预算执行率得分 {show(form.exec_score)} 与按执行率计算的 {show(result.exec_suggested)} 不符",
                "exec_score",
            )
    if FLAG_NEEDS_REASON in result.exec_flags and result.exec_score is not None:
        c.add(
            WARNING,
            f"预算执行率得分 {show(result.exec_score)} 低于分值 {show(result.exec_weight)}，请在偏差原因中说明",
            "deviation",
        )


def _fund_label(form: Form, line: str) -> str:
    labels = DEPT_FUND_LINE_LABELS if form.kind is FormKind.DEPT_SELF_EVAL else FUND_LINE_LABELS
    return labels.get(line, line).removeprefix("其中：")


def _check_budget(c: _Collector) -> None:
    form = c.form
    budget = form.budget
    if budget is None or budget.amount is None:
        if form.kind is FormKind.PROJECT_TARGET:
            c.add(WARNING, "未填写预算数", "budget")
        return
    if budget.fiscal is None and budget.other is None:
        return
    summed = (budget.fiscal or ZERO) + (budget.other or ZERO)
    if summed != budget.amount:
        c.add(ERROR, f"财政资金 + 其他资金 = {show(summed)}，与预算数 {show(budget.amount)} 不符", "budget")


def _check_spending_plan(c: _Collector) -> None:
    plan = c.form.spending_plan
    if not plan:
        return
    previous: Decimal | None = None
    for step in plan:
        if step.percent is None:
            c.add(ERROR, f"资金支出计划“{step.by}”未填写百分比", "spending_plan")
            continue
        if step.percent < ZERO or step.percent > HUNDRED:
            c.add(ERROR, f"资金支出计划“{step.by}”为 {show(step.percent)}%，应在 0–100% 之间", "spending_plan")
        if previous is not None and step.percent < previous:
            c.add(
                ERROR,
                f"资金支出计划是累计进度，不应下降：“{step.by}”{show(step.percent)}% 低于上一期 {show(previous)}%",
                "spending_plan",
            )
        previous = step.percent
    last = plan[-1].percent
    if last is not None and last != HUNDRED:
        c.add(ERROR, f"资金支出计划最后一期（{plan[-1].by}）应达到 100%，现为 {show(last)}%", "spending_plan")


# ---- completeness of the indicator table --------------------------------------------------------


def _check_structure(c: _Collector, engine: ScoringEngine, result: FormScore) -> None:
    form = c.form
    rs = engine.ruleset
    if not form.indicators:
        if not (form.kind is FormKind.DEPT_TARGET and form.goals):  # a unit's own block: goals carry its 指标
            c.add(ERROR, "没有绩效指标", "indicators")
        return
    present = {engine.ruleset.canonical_level1(ind.level1) for ind in form.indicators}
    if result.layout_a:
        for level1 in rs.dept.level_names:
            if level1 not in present:
                c.add(WARNING, f"没有“{level1}”下的指标", "indicators")
    else:
        for level1 in REQUIRED_LEVEL1:
            if level1 not in present:
                c.add(ERROR, f"至少应有一个“{level1}”下的指标", "indicators")
        output = {
            rs.canonical_level2(ind.level2)
            for ind in form.indicators
            if engine.ruleset.canonical_level1(ind.level1) == "产出指标"
        }
        if "产出指标" in present:
            for level2 in OUTPUT_LEVEL2:
                if level2 not in output and not (level2 == "成本指标" and "成本指标" in present):
                    c.add(WARNING, f"产出指标未涵盖“{level2}”", "indicators")
    if form.goals is not None:
        numbers = {goal.no for goal in form.goals}
        for index, ind in enumerate(form.indicators):
            if ind.goal is not None and ind.goal not in numbers:
                c.row(ERROR, index, f"所属绩效目标{ind.goal}不存在", "goal")


def _check_indicators(c: _Collector, engine: ScoringEngine, result: FormScore) -> None:
    form = c.form
    rs = engine.ruleset
    known = set(rs.level1_names) | set(rs.dept.level_names) | set(FRAMEWORK_LEVEL1)
    self_eval = form.kind.is_self_eval
    for index, ind in enumerate(form.indicators):
        level1 = engine.ruleset.canonical_level1(ind.level1)
        for field, problem in indicator_problems(ind):  # what the table itself would refuse when typed
            c.row(ERROR, index, problem, field)
        if not ind.name.strip():
            c.row(ERROR, index, "未填写三级指标名称", "name")
        if not ind.level1.strip():
            c.row(ERROR, index, "未填写一级指标", "level1")
        elif level1 not in known:
            c.row(WARNING, index, f"一级指标“{ind.level1}”不在标准指标体系中", "level1")
        if not ind.level2.strip():
            c.row(WARNING, index, "未填写二级指标", "level2")
        elif rs.is_standard_level2(level1, ind.level2) is False:
            standard = "、".join(rs.standard_level2(level1))
            c.row(WARNING, index, f"二级指标“{ind.level2}”不是“{level1}”的标准二级指标（{standard}）", "level2")
        target_text = (ind.target or "").strip()
        if not target_text:
            c.row(ERROR, index, "未填写指标值", "target")
        else:
            target = read_value(target_text)
            if level1 == "产出指标" and target.kind is ValueKind.QUALITATIVE:
                c.row(WARNING, index, f"指标值“{target_text}”未量化，产出指标宜填写可衡量的数值或时限", "target")
            _check_cost(c, engine, index, ind, target.quantity, target.direction)
        if self_eval:
            _check_scores(c, engine, index, ind, result.indicators[index])


def _check_cost(
    c: _Collector,
    engine: ScoringEngine,
    index: int,
    ind: Indicator,
    quantity: Quantity | None,
    direction: Direction | None,
) -> None:
    """A cost cap must not exceed the form's budget (预算数 / 全年预算数)."""
    form = c.form
    if quantity is None or direction is Direction.HIGHER or not engine.ruleset.plain_is_lower(ind.level1, ind.level2):
        return
    if form.kind.is_self_eval:
        line = form.fund("total")
        budget = line.full_year if line is not None else None
    else:
        budget = form.budget.amount if form.budget is not None else None
    if budget is None:
        return
    money_unit = form.effective_money_unit
    try:
        pair = comparable(quantity, Quantity(budget, money_unit), money_unit)
    except (ArithmeticError, InvalidOperation):  # pragma: no cover - the reader never raises
        pair = None
    if pair is None:
        return
    cap, amount = pair
    if cap > amount:
        c.row(
            WARNING,
            index,
            f"成本指标值“{(ind.target or '').strip()}”超过预算（{show(budget)}{money_unit}）",
            "target",
        )


def _check_scores(c: _Collector, engine: ScoringEngine, index: int, ind: Indicator, verdict: IndicatorScore) -> None:
    rs = engine.ruleset
    if ind.weight is None:
        c.row(ERROR, index, "未填写分值", "weight")
    if not (ind.actual or "").strip():
        c.row(ERROR, index, "未填写实际完成值", "actual")
    flags = verdict.flags
    if FLAG_UNIT_MISMATCH in flags:
        c.row(WARNING, index, "指标值与实际完成值单位不一致，无法自动计分", "actual")
    elif FLAG_UNREADABLE in flags:
        c.row(WARNING, index, f"无法自动判断完成情况，请选择完成等级（{rs.band_text}）", "band")
    if FLAG_MANUAL_OUT_OF_BAND in flags and ind.score is not None:
        if ind.weight is not None and (ind.score < ZERO or ind.score > ind.weight):
            c.row(ERROR, index, f"得分 {show(ind.score)} 超出分值范围（0–{show(ind.weight)}）", "score")
        elif verdict.band is not None:
            c.row(ERROR, index, f"得分 {show(ind.score)} 不在完成等级“{verdict.band.label}”的分数范围内", "score")
    if FLAG_MANUAL_NO_REASON in flags and ind.score is not None and verdict.suggested is not None:
        c.row(
            WARNING,
            index,
            f"填报得分 {show(ind.score)} 与建议得分 {show(verdict.suggested)} 不同，请在偏差原因中说明",
            "deviation",
        )
    elif FLAG_NEEDS_REASON in flags:
        if FLAG_OVER_TARGET in flags and not (
            verdict.score is not None and ind.weight is not None and verdict.score < ind.weight
        ):
            c.row(WARNING, index, "实际完成值大幅偏离指标值，请在偏差原因中说明", "deviation")
        else:
            c.row(WARNING, index, "得分低于分值，请在偏差原因中说明", "deviation")


# ---- totals -------------------------------------------------------------------------------------


def _check_totals(c: _Collector, engine: ScoringEngine, result: FormScore) -> None:
    form = c.form
    rs = engine.ruleset
    if result.max_total is not None and result.max_total != HUNDRED:
        c.add(
            ERROR,
            f"预算执行率分值与各指标分值合计为 {show(result.max_total)}，应为 100（总分与各部分不符）",
            "weight",
        )
    for sub in result.subtotals:
        if sub.expected is not None and sub.weight != sub.expected:
            c.add(
                WARNING,
                f"一级指标“{sub.level1}”分值合计 {show(sub.weight)}，“{rs.label}”规定为 {show(sub.expected)}",
                "weight",
            )
    if result.total is None:
        return
    text = "\n".join(t for t in (form.conclusion, form.notes) if t)
    for match in _STATED_TOTAL.finditer(text):
        try:
            stated = Decimal(match.group(1))
        except InvalidOperation:  # pragma: no cover - the pattern only matches numbers
            continue
        if stated != result.total:
            c.add(WARNING, f"文字中写明总分 {show(stated)} 分，按各项得分合计为 {show(result.total)} 分", "conclusion")
        break
    grade = _STATED_GRADE.search(text)
    if grade is not None and result.grade is not None and grade.group(1) != result.grade:
        c.add(
            WARNING,
            f"自评结论写明等级为“{grade.group(1)}”，按总分 {show(result.total)} 应为“{result.grade}”",
            "conclusion",
        )
