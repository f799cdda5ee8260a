"""One unit's workbook summarised for the overview: per form budget, execution, score, 待评 and problems (no Qt).

Amounts are converted to 万元 so units that fill in 元 add up with the rest; a form whose money
unit cannot be converted keeps its figures out of the totals and says so. Scores come from the
scoring engine with the unit's own rule set, problems from the same 审核 the window runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from desktop.models.scoring.engine import FormScore, ScoringEngine
from desktop.models.scoring.rules import RuleSet, load_ruleset
from desktop.models.scoring.validation import Finding, check_form
from desktop.models.workbook.domain import Form, FormKind, Workbook

ERROR = "error"
WARNING = "warning"
INFO = "info"
SEVERITY_LABELS = {ERROR: "错误", WARNING: "警告", INFO: "提示"}

# Money units → how many 万元 one of them is.
TO_WAN: dict[str, Decimal] = {
    "万元": Decimal(1),
    "元": Decimal("0.0001"),
    "千元": Decimal("0.1"),
    "亿元": Decimal(10000),
}


@dataclass(frozen=True)
class Issue:
    """One line for the overview: a problem of a file, a unit, a form or a row.

    Attributes:
        severity: ``"error"``, ``"warning"`` or ``"info"``.
        code: what kind (``unreadable``, ``not_workbook``, ``newer_version``, ``duplicate``,
            ``mixed_year``, ``mixed_ruleset``, ``missing_self_eval``, ``absent``, ``money_unit``,
            ``validation``, ``empty``, ``import_note``).
        text: the line, in Chinese.
        form: the form's position in the unit's workbook, if it concerns one form.
        row: the indicator's position in that form, if it concerns one row.
    """

    severity: str
    code: str
    text: str
    form: int | None = None
    row: int | None = None


@dataclass
class FormSummary:
    """One form of a unit, as the overview shows it (amounts in 万元)."""

    index: int
    kind: FormKind
    title: str
    code: str | None
    budget: Decimal | None  # target: 预算数; self-evaluation: 全年预算数
    executed: Decimal | None  # self-evaluation: 全年执行数
    rate: Decimal | None  # 执行率 as a fraction
    total: Decimal | None  # 自评分 (None for target forms, or while incomplete)
    grade: str | None
    max_total: Decimal | None
    indicators: int
    unscored: int  # 待评: rows with neither a score nor a band to score by
    errors: int = 0
    warnings: int = 0
    findings: list[Finding] = field(default_factory=list)
    money_ok: bool = True
    row_scores: tuple[Decimal | None, ...] = ()  # each row's effective 自评分 (self-evaluations)


@dataclass
class UnitSummary:
    """Counts and figures of one unit's workbook (amounts in 万元)."""

    forms: list[FormSummary]

    def of_kind(self, *kinds: FormKind) -> list[FormSummary]:
        """The unit's forms of these kinds."""
        return [form for form in self.forms if form.kind in kinds]

    @property
    def self_evals(self) -> list[FormSummary]:
        """The scored forms."""
        return [form for form in self.forms if form.kind.is_self_eval]

    @property
    def errors(self) -> int:
        """审核 errors over all forms."""
        return sum(form.errors for form in self.forms)

    @property
    def warnings(self) -> int:
        """审核 warnings over all forms."""
        return sum(form.warnings for form in self.forms)

    @property
    def unscored(self) -> int:
        """待评 rows over all self-evaluations."""
        return sum(form.unscored for form in self.forms)


def to_wan(value: Decimal | None, money_unit: str) -> Decimal | None:
    """An amount in 万元 (None stays None; an unknown unit gives None)."""
    if value is None:
        return None
    factor = TO_WAN.get(money_unit.strip())
    return value * factor if factor is not None else None


def _unscored(form: Form, result: FormScore) -> int:
    """Rows with neither a score nor a band: the engine's own count where it has one."""
    counted = getattr(result, "unscored", None)
    if isinstance(counted, int):
        return counted
    return sum(
        1
        for indicator, verdict in zip(form.indicators, result.indicators, strict=True)
        if verdict.score is None and indicator.band is None
    )


def summarise_form(
    form: Form, index: int, engine: ScoringEngine, workbook: Workbook, check: bool = True
) -> FormSummary:
    """The overview figures of one form (scores from ``engine``; 审核 when ``check``)."""
    money_unit = form.effective_money_unit
    money_ok = money_unit.strip() in TO_WAN
    if form.kind.is_self_eval:
        line = form.fund("total")
        raw_budget = line.full_year if line is not None else None
        raw_executed = line.executed if line is not None else None
    else:
        raw_budget = form.budget.amount if form.budget is not None else None
        raw_executed = None
    budget, executed = to_wan(raw_budget, money_unit), to_wan(raw_executed, money_unit)
    result = engine.score_form(form)
    summary = FormSummary(
        index=index,
        kind=form.kind,
        title=form.title,
        code=form.code,
        budget=budget,
        executed=executed,
        rate=result.exec_rate if form.kind.is_self_eval else None,
        total=result.total if form.kind.is_self_eval else None,
        grade=result.grade,
        max_total=result.max_total,
        indicators=len(form.indicators),
        unscored=_unscored(form, result) if form.kind.is_self_eval else 0,
        money_ok=money_ok,
        row_scores=tuple(v.score for v in result.indicators) if form.kind.is_self_eval else (),
    )
    if check:
        summary.findings = check_form(workbook, index, engine)
        summary.errors = sum(1 for finding in summary.findings if finding.severity == ERROR)
        summary.warnings = len(summary.findings) - summary.errors
    return summary


_RULESETS: dict[str, RuleSet] = {}


def ruleset_for(name: str) -> RuleSet:
    """The rule set by id, loaded once per process (an unknown id raises ``UserError``)."""
    found = _RULESETS.get(name)
    if found is None:
        found = _RULESETS[name] = load_ruleset(name)
    return found


def summarise(workbook: Workbook, check: bool = True, ruleset: str | None = None) -> UnitSummary:
    """Every form of a unit's workbook summarised with its own rule set (or ``ruleset``)."""
    engine = ScoringEngine(ruleset_for(ruleset or workbook.ruleset))
    return UnitSummary([summarise_form(form, n, engine, workbook, check) for n, form in enumerate(workbook.forms)])


def missing_self_evals(workbook: Workbook) -> list[tuple[int, str]]:
    """Target forms with no matching self-evaluation: (form position, Chinese line).

    A project target matches a project self-evaluation with the same 项目编码, or the same title
    when either has no code; a department target matches any department self-evaluation.
    """
    codes = {f.code.strip() for f in workbook.forms if f.kind is FormKind.PROJECT_SELF_EVAL and f.code}
    titles = {f.title.strip() for f in workbook.forms if f.kind is FormKind.PROJECT_SELF_EVAL}
    has_dept = any(f.kind is FormKind.DEPT_SELF_EVAL for f in workbook.forms)
    found: list[tuple[int, str]] = []
    for index, form in enumerate(workbook.forms):
        if form.kind is FormKind.PROJECT_TARGET:
            if (form.code and form.code.strip() in codes) or form.title.strip() in titles:
                continue
            found.append((index, f"项目“{form.title or '（无名称）'}”有绩效目标表，没有对应的绩效自评表"))
        elif form.kind is FormKind.DEPT_TARGET and not has_dept:
            found.append((index, "有部门（单位）整体支出绩效目标表，没有整体支出绩效自评表"))
    return found
