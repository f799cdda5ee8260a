"""The printed layout of each form kind (forms.md §1), in the blocks and order the template names.

Each print kind has a function per block (header, funds, goals, plan, measures, notes, footnotes,
sign-off); ``form_story`` prints the heading, the blocks before the indicator table, then the table
with every block after it kept on the page of its last rows. Texts, columns, row order and numbers
come from the form's ``PrintedForm`` (``printed.py``), which the Excel writer draws as well.
Scores printed on self-evaluations are the engine's (``FormScore``), never recomputed here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable

from desktop.models.errors import UserError
from desktop.models.workbook import numbers
from desktop.models.workbook.domain import DEPT_FUND_LINE_LABELS, FUND_LINE_LABELS, Form, Workbook
from desktop.reports.blocks import Block, FormPrint, footnotes, heading, indicator_grid, signoff, unit_of
from desktop.reports.pages import LANDSCAPE_TEMPLATE, PORTRAIT_TEMPLATE
from desktop.reports.printed import is_dept_project_block, kind_of, title_lines
from desktop.reports.template import PrintTemplate, load_template

DASH = "—"

FUND_HEADS = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
BUDGET_HEADS_A = ("年初预算数", "全年预算数（A）", "实际支出数（B）", "执行率（B/A）", "分值", "得分")
BUDGET_HEADS_B = (
    "年初预算数",
    "全年预算数（A）",
    "全年执行数（B）",
    "分值",
    "得分",
    "执行率（B/A）",
    "偏差原因分析及改进措施",
)
# The central template's indicator columns (tests and the LibreOffice benchmark use them).
SELF_EVAL_HEADER = tuple(c.head for c in load_template().layout("project_self_eval").columns)
TARGET_HEADER = tuple(c.head for c in load_template().layout("project_target").columns)

Part = Callable[[FormPrint], list[Flowable]]
BlockCell = tuple[str | None, int, int] | tuple[str | None, int, int, ParagraphStyle]


def form_title(form: Form, workbook: Workbook, template: PrintTemplate | None = None, seq: int = 1) -> str:
    """The printed title of a form (its subtitle line appended, if the template has one)."""
    title, subtitle = title_lines(form, workbook, template or load_template(workbook.template), seq)
    return f"{title}{subtitle}"


def selected_forms(workbook: Workbook, forms: Sequence[int] | None) -> list[Form]:
    """The forms an export covers: these positions in order (default: all).

    Raises:
        UserError: no form is chosen.
        IndexError: a position is not in the workbook (a caller's mistake, not the user's).
    """
    chosen = list(range(len(workbook.forms))) if forms is None else list(forms)
    if not chosen:
        raise UserError("没有要导出的表。请至少选择一张表。")
    for position in chosen:
        if not 0 <= position < len(workbook.forms):
            raise IndexError(f"form {position} is not in the workbook")
    return [workbook.forms[position] for position in chosen]


def template_of(form: Form) -> str:
    """The page template (orientation) a form prints on: self-evaluations need landscape."""
    return LANDSCAPE_TEMPLATE if form.kind.is_self_eval else PORTRAIT_TEMPLATE


def goals_text(form: Form, field: str) -> str:
    """Numbered goal texts (目标1：…) joined by lines, from ``goal.target`` or ``goal.actual``."""
    lines = []
    for goal in sorted(form.goals or (), key=lambda g: g.no):
        text = getattr(goal, field)
        if text:
            lines.append(f"目标{goal.no}：{text}")
    return "\n".join(lines)


def _nothing(job: FormPrint) -> list[Flowable]:
    return []


# -- 项目支出绩效目标表 ----------------------------------------------------------------------------


def _pt_header(job: FormPrint) -> list[Flowable]:
    block = job.block((32, 138))
    block.row([("项目名称", 0, 0), (job.form.title, 1, 1, job.styles.cell)])
    return [block.table()]


def _pt_funds(job: FormPrint) -> list[Flowable]:
    form, s = job.form, job.styles
    budget = form.budget
    block = job.block((32, 30, 108))
    first = block.row(
        [("预算规模及资金用途", 0, 0), ("预算数", 1, 1), (job.money(budget.amount if budget else None), 2, 2)]
    )
    block.row([("其中：财政资金", 1, 1), (job.money(budget.fiscal if budget else None), 2, 2)], rule_from=1)
    block.row([("其他资金", 1, 1), (job.money(budget.other if budget else None), 2, 2)], rule_from=1)
    block.row([("资金用途", 1, 1), (form.purpose, 2, 2, s.cell)], rule_from=1)
    block.span_rows(0, first, first + 3)
    return [block.table()]


def _pt_goals(job: FormPrint) -> list[Flowable]:
    form = job.form
    block = job.block((32, 138))
    goals = "\n".join(t for t in (form.overall_target, goals_text(form, "target")) if t)
    block.row([("绩效目标", 0, 0), (goals, 1, 1, job.styles.cell)])
    return [block.table()]


def _pt_notes(job: FormPrint) -> list[Flowable]:
    if not job.form.notes:
        return []
    block = job.block((32, 138))
    block.row([("说明", 0, 0), (job.form.notes, 1, 1, job.styles.cell)])
    return [block.table()]


# -- 部门整体支出绩效目标表 --------------------------------------------------------------------------


def _dt_header(job: FormPrint) -> list[Flowable]:
    form = job.form
    if not form.overall_target:
        return []
    block = job.block((32, 138))
    block.row([("总体绩效目标", 0, 0), (form.overall_target, 1, 1, job.styles.cell)])
    return [block.table()]


def _dt_goals(job: FormPrint) -> list[Flowable]:
    form = job.form
    goals = sorted(form.goals or (), key=lambda g: g.no)
    if not goals:
        return []
    block = job.block((32, 12, 126))
    for n, goal in enumerate(goals):
        block.row(
            [("分项绩效目标" if n == 0 else None, 0, 0), (str(goal.no), 1, 1), (goal.target, 2, 2, job.styles.cell)],
            rule_from=0 if n == 0 else 1,
        )
    if 1 < len(block.data) == len(goals):  # one row per goal: merge the label
        block.span_rows(0, 0, len(block.data) - 1)
    return [block.table()]


def _dt_measures(job: FormPrint) -> list[Flowable]:
    if not job.form.notes:
        return []
    block = job.block((32, 138))
    block.row([("目标规划及保障措施", 0, 0), (job.form.notes, 1, 1, job.styles.cell)])
    return [block.table()]


def _dtp_header(job: FormPrint) -> list[Flowable]:
    form, s = job.form, job.styles
    block = job.block((32, 38, 30, 70))
    block.row([("项目编码", 0, 0), (form.code, 1, 1), ("预算项目名称", 2, 2), (form.title, 3, 3, s.cell)])
    block.row([("项目资金主要用途", 0, 0), (form.purpose, 1, 3, s.cell)])
    return [block.table()]


def _dtp_funds(job: FormPrint) -> list[Flowable]:
    budget = job.form.budget
    if budget is None:
        return []
    block = job.block((32, 38, 30, 70))
    block.row(
        [("预算数", 0, 0), (job.money(budget.amount), 1, 1), ("其中：财政资金", 2, 2), (job.money(budget.fiscal), 3, 3)]
    )
    block.row([("其他资金", 2, 2), (job.money(budget.other), 3, 3)], rule_from=2)
    return [block.table()]


def _dtp_plan(job: FormPrint) -> list[Flowable]:
    steps = job.form.spending_plan or []
    if not steps:
        return []
    share = 138 / len(steps)
    plan = job.block((32, *([share] * len(steps))))
    first = plan.row([("资金支出计划（%）", 0, 0), *((step.by, n + 1, n + 1) for n, step in enumerate(steps))])
    plan.row([(numbers.percent(step.percent), n + 1, n + 1) for n, step in enumerate(steps)], rule_from=1)
    plan.span_rows(0, first, first + 1)
    return [plan.table()]


def _dtp_goals(job: FormPrint) -> list[Flowable]:
    block = job.block((32, 138))
    block.row([("绩效目标", 0, 0), (job.form.overall_target, 1, 1, job.styles.cell)])
    return [block.table()]


# -- 自评表 ---------------------------------------------------------------------------------------


def _fund_cells(job: FormPrint, key: str, first_col: int) -> list[tuple[str | None, int, int]]:
    """年初预算数, 全年预算数, 全年执行数 of one fund line from column ``first_col`` on."""
    fund = job.form.fund(key)
    values = (fund.initial, fund.full_year, fund.executed) if fund else (None, None, None)
    return [(job.money(value), first_col + n, first_col + n) for n, value in enumerate(values)]


def exec_rate(job: FormPrint, key: str) -> str:
    """The execution rate of a fund line (the engine's for the total)."""
    fmt = job.printed.fmt
    if key == "total" and job.score is not None:
        return fmt.rate(job.score.exec_rate)
    fund = job.form.fund(key)
    return fmt.rate(numbers.rate_of(fund.executed, fund.full_year) if fund else None)


def _exec_weight(job: FormPrint) -> str:
    return job.printed.fmt.score(job.score.exec_weight if job.score else job.form.exec_weight)


def _exec_score(job: FormPrint) -> str:
    return job.printed.fmt.score(job.score.exec_score if job.score else None)


def _pse_header(job: FormPrint) -> list[Flowable]:
    form, s = job.form, job.styles
    unit = unit_of(form, job.workbook)
    block = job.block((32, 45, 30, 30, 30, 30, 30, 30))
    block.row([("项目名称", 0, 0), (form.title, 1, 7, s.cell)])
    block.row([("主管部门", 0, 0), (form.department, 1, 3, s.cell), ("实施单位", 4, 4), (unit.name, 5, 7, s.cell)])
    return [block.table()]


def _pse_funds(job: FormPrint) -> list[Flowable]:
    form, s = job.form, job.styles
    block = job.block((32, 45, 30, 30, 30, 30, 30, 30))
    first = block.row(
        [(f"项目资金（{form.effective_money_unit}）", 0, 0), *((h, n + 2, n + 2) for n, h in enumerate(FUND_HEADS))]
    )
    for key in ("total", "fiscal", "carryover", "other"):
        is_total = key == "total"
        block.row(
            [
                (FUND_LINE_LABELS[key], 1, 1),
                *_fund_cells(job, key, 2),
                (_exec_weight(job) if is_total else DASH, 5, 5),
                (exec_rate(job, key), 6, 6),
                (_exec_score(job) if is_total else DASH, 7, 7),
            ],
            rule_from=1,
        )
    block.span_rows(0, first, first + 4)
    if form.deviation:
        block.row([("偏差原因分析及改进措施", 0, 0), (form.deviation, 1, 7, s.cell)])
    return [block.table()]


def _pse_goals(job: FormPrint) -> list[Flowable]:
    form, s = job.form, job.styles
    target = form.overall_target or goals_text(form, "target")
    actual = form.overall_actual or goals_text(form, "actual")
    goals = job.block((32, 112.5, 112.5))
    first = goals.row([("年度总体目标", 0, 0), ("预期目标", 1, 1), ("实际完成情况", 2, 2)])
    goals.row([(None, 0, 0), (target, 1, 1, s.cell), (actual, 2, 2, s.cell)], rule_from=1)
    if len(goals.data) == first + 2:  # the texts fit one row: centre the label over both rows
        goals.span_rows(0, first, first + 1)
    return [goals.table(repeat_rows=1)]


def _dse_header(job: FormPrint) -> list[Flowable]:
    form, s = job.form, job.styles
    block = job.block((40, 217))
    block.row([("部门（单位）名称", 0, 0), (form.title or job.workbook.unit.name, 1, 1, s.cell)])
    return [block.table()]


def _dse_funds(job: FormPrint) -> list[Flowable]:
    form, s = job.form, job.styles
    money = form.effective_money_unit
    lines = [key for key in ("total", "basic", "project") if key == "total" or form.fund(key) is not None]
    layout_b = job.printed.kind == "dept_self_eval_b"
    if layout_b:
        block = job.block((40, 28, 28, 28, 18, 18, 24, 73))
        block.row([(f"预算执行情况（{money}）", 0, 0), *((h, n + 1, n + 1) for n, h in enumerate(BUDGET_HEADS_B))])
    else:
        block = job.block((40, 36, 36, 36, 36, 36, 37))
        block.row([(f"预算执行情况（{money}）", 0, 0), *((h, n + 1, n + 1) for n, h in enumerate(BUDGET_HEADS_A))])
    for key in lines:
        is_total = key == "total"
        label = DEPT_FUND_LINE_LABELS[key] if is_total else f"其中：{DEPT_FUND_LINE_LABELS[key]}"
        weight, score = (_exec_weight(job), _exec_score(job)) if is_total else (DASH, DASH)
        tail: list[BlockCell]
        if layout_b:
            tail = [
                (weight, 4, 4),
                (score, 5, 5),
                (exec_rate(job, key), 6, 6),
                (form.deviation if is_total else None, 7, 7, s.cell),
            ]
        else:
            tail = [(exec_rate(job, key), 4, 4), (weight, 5, 5), (score, 6, 6)]
        block.row([(label, 0, 0), *_fund_cells(job, key, 1), *tail])
    if form.deviation and not layout_b:
        block.row([("偏差原因分析及改进措施", 0, 0), (form.deviation, 1, 6, s.cell)])
    return [block.table()]


def _dse_goals(job: FormPrint) -> list[Flowable]:
    form, s = job.form, job.styles
    if job.printed.kind == "dept_self_eval_b":
        goals = job.block((24, 116.5, 116.5))
        goals.row([("年度绩效目标完成情况", 0, 2)], fill=True)
        goals.row([("目标序号", 0, 0), ("年度绩效目标", 1, 1), ("实际完成情况", 2, 2)])
        for goal in sorted(form.goals or (), key=lambda g: g.no):
            goals.row([(str(goal.no), 0, 0), (goal.target, 1, 1, s.cell), (goal.actual, 2, 2, s.cell)])
        return [goals.table(repeat_rows=2)]
    target = form.overall_target or goals_text(form, "target")
    actual = form.overall_actual or goals_text(form, "actual")
    goals = job.block((128.5, 128.5))
    goals.row([("预期目标", 0, 0), ("目标实际完成情况", 1, 1)])
    goals.row([(target, 0, 0, s.cell), (actual, 1, 1, s.cell)])
    return [goals.table(repeat_rows=1)]


_SELF_EVAL_PARTS: dict[str, Part] = {"conclusion": _nothing, "notes": _nothing}
PARTS: dict[str, dict[str, Part]] = {
    "project_target": {"header": _pt_header, "funds": _pt_funds, "goals": _pt_goals, "notes": _pt_notes},
    "dept_target": {"header": _dt_header, "goals": _dt_goals, "measures": _dt_measures},
    "dept_target_project": {"header": _dtp_header, "funds": _dtp_funds, "plan": _dtp_plan, "goals": _dtp_goals},
    "project_self_eval": {"header": _pse_header, "funds": _pse_funds, "goals": _pse_goals, **_SELF_EVAL_PARTS},
    "dept_self_eval": {"header": _dse_header, "funds": _dse_funds, "goals": _dse_goals, **_SELF_EVAL_PARTS},
    "dept_self_eval_b": {"header": _dse_header, "funds": _dse_funds, "goals": _dse_goals, **_SELF_EVAL_PARTS},
}


def form_story(job: FormPrint) -> list[Flowable]:
    """The flowables of one form: heading, blocks in the template's order, the indicator table."""
    printed = job.printed
    parts = PARTS[printed.kind]
    before: list[Flowable] = []
    after: list[Flowable] = []
    has_table = "indicators" in printed.layout.blocks and (job.form.indicators or printed.kind != "dept_target")
    seen_table = False
    for name in printed.layout.blocks:
        if name == "indicators":
            seen_table = True
            continue
        if name == "footnotes":
            flowables = footnotes(job)
        elif name == "signoff":
            flowables = signoff(job)
        else:
            flowables = parts[name](job)
        (after if seen_table and has_table else before).extend(flowables)
    story = [*heading(job), *before]
    if has_table:
        story.append(indicator_grid(job, after))
    else:
        story += after
    return story


__all__ = [
    "Block",
    "FormPrint",
    "form_story",
    "form_title",
    "goals_text",
    "is_dept_project_block",
    "kind_of",
    "selected_forms",
    "template_of",
]
