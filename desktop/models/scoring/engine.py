"""The scoring engine: scored forms (totals, subtotals, grades, budget execution) and their cache.

Follows forms.md §4 with every number and formula taken from a rule set (``rules.py``); how one
indicator is judged is in ``verdicts.py`` (its names are re-exported here). Results are cached per
indicator; after one indicator changes only it is re-scored and its form's sums are updated by
difference (``sums.py``; a full recompute gives the same digits).

Budget execution: rate = 全年执行数 / 全年预算数 of the ``total`` fund line (年初预算数 when 全年预算数
is blank, and the explanation says so); score = min(rate × 分值, 分值); a manual ``form.exec_score``
wins. Total = execution score + Σ effective indicator scores. While any indicator has neither a
manual score nor a suggestion the form is incomplete: ``unscored`` counts those rows and ``total`` /
``grade`` are None (shown as 「待评（N项未评）」, ``pending_text``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from desktop.models.errors import UserError
from desktop.models.scoring.rules import RuleSet, load_ruleset
from desktop.models.scoring.sums import LevelSums
from desktop.models.scoring.verdicts import (
    FLAG_MANUAL_DIFFERS,
    FLAG_MANUAL_NO_REASON,
    FLAG_MANUAL_OUT_OF_BAND,
    FLAG_MISSING,
    FLAG_NEEDS_REASON,
    FLAG_NOT_MET,
    FLAG_OVER_TARGET,
    FLAG_REASON_ON_FULL,
    FLAG_TEXTS,
    FLAG_UNIT_MISMATCH,
    FLAG_UNREADABLE,
    ONE,
    ZERO,
    IndicatorScore,
    evaluate,
    has_reason,
    pct,
    pending_text,
    show,
    tidy,
)
from desktop.models.workbook.document import Change, Listener, WorkbookDocument
from desktop.models.workbook.domain import Form, FormKind, FundLine, Indicator, Workbook

__all__ = [
    "FLAG_MANUAL_DIFFERS",
    "FLAG_MANUAL_NO_REASON",
    "FLAG_MANUAL_OUT_OF_BAND",
    "FLAG_MISSING",
    "FLAG_NEEDS_REASON",
    "FLAG_NOT_MET",
    "FLAG_OVER_TARGET",
    "FLAG_REASON_ON_FULL",
    "FLAG_TEXTS",
    "FLAG_UNIT_MISMATCH",
    "FLAG_UNREADABLE",
    "FormScore",
    "IndicatorScore",
    "ScoringEngine",
    "Subtotal",
    "evaluate",
    "has_reason",
    "pending_text",
    "score_report",
    "show",
    "tidy",
]


@dataclass(frozen=True)
class Subtotal:
    """A first level's score against its weight."""

    level1: str
    weight: Decimal  # the sum of its indicators' 分值
    score: Decimal  # the sum of its indicators' effective scores
    expected: Decimal | None  # the rule set's weight for this first level, if it has one


@dataclass(frozen=True)
class FormScore:
    """A scored self-evaluation form (target forms get ``indicators`` with no scores).

    ``exec_flags`` / ``exec_explain`` review the budget execution part like an indicator's;
    ``max_total`` is 预算执行率分值 + Σ indicator 分值 (100 when the weights are right);
    ``layout_a`` tells a department table of layout A (部门管理 / 履职效果 …) from one of layout B.
    ``unscored`` counts indicators with neither a manual score nor a suggestion; while it is above 0
    the form is incomplete and ``total`` / ``grade`` are None (``scored_total`` is the sum so far).
    """

    exec_rate: Decimal | None  # 全年执行数 / 全年预算数
    exec_weight: Decimal
    exec_suggested: Decimal | None
    exec_score: Decimal | None  # effective: manual ``form.exec_score`` where set, else suggested
    indicators: tuple[IndicatorScore, ...]  # parallel to form.indicators
    subtotals: tuple[Subtotal, ...]
    total: Decimal | None
    grade: str | None  # 优 / 良 / 中 / 差
    exec_flags: tuple[str, ...] = ()
    exec_explain: str = ""
    max_total: Decimal | None = None
    layout_a: bool = False
    unscored: int = 0
    scored_total: Decimal | None = None

    @property
    def complete(self) -> bool:
        """Whether every indicator has a score and so the total counts (a target form has no total)."""
        return self.unscored == 0 and self.total is not None and all(i.score is not None for i in self.indicators)

    @property
    def pending(self) -> str:
        """「待评（N项未评）」 while indicators are unscored, else ""."""
        return pending_text(self.unscored) if self.unscored else ""

    def total_text(self, fmt: Callable[[Decimal], str], none: str = "—") -> str:
        """The total as shown: ``fmt(total)``, 「待评（N项未评）」 while incomplete, else ``none``."""
        if self.pending:
            return self.pending
        return fmt(self.total) if self.total is not None else none


_UNSCORED = IndicatorScore(None, None, False, (), "")


# ---- the engine -------------------------------------------------------------------------------


@dataclass
class _Entry:
    """Cached results of one form."""

    scores: dict[Indicator, IndicatorScore] = field(default_factory=dict)
    result: FormScore | None = None
    sums: LevelSums | None = None  # the last full loop's sums, updated by difference
    dirty: set[Indicator] = field(default_factory=set)  # rows changed since ``sums``


ScoresListener = Callable[[Form | None], None]

_FORM_FIELDS_ALL = frozenset({"kind", "money_unit", "indicators"})
_FORM_FIELDS_EXEC = frozenset({"exec_weight", "exec_score", "deviation", "funds"})


class ScoringEngine:
    """Scores forms with one rule set and caches the results until told what changed.

    Call ``indicator_changed`` / ``exec_changed`` / ``form_changed`` after editing (``attach`` does
    it for every edit of a ``WorkbookDocument``). ``subscribe`` tells a listener after the cache of a
    form was invalidated (``None``: every form); ``follow`` passes on each edit of the attached
    document after the scores it touches were invalidated, so a view that shows scores follows the
    engine rather than the document and never reads a stale score, whoever subscribed first.
    """

    def __init__(self, ruleset: RuleSet | None = None) -> None:
        self._ruleset = ruleset or load_ruleset()
        self._entries: dict[Form, _Entry] = {}
        self._document: WorkbookDocument | None = None
        self._listeners: list[ScoresListener] = []
        self._followers: list[Listener] = []

    @property
    def ruleset(self) -> RuleSet:
        """The rule set in use."""
        return self._ruleset

    def set_ruleset(self, ruleset: RuleSet) -> None:
        """Use another rule set (every cached result is dropped)."""
        self._ruleset = ruleset
        self.clear()

    def clear(self) -> None:
        """Drop every cached result."""
        self._entries.clear()
        self._notify(None)

    # ---- scoring ----------------------------------------------------------------------------

    def _entry(self, form: Form) -> _Entry:
        entry = self._entries.get(form)
        if entry is None:
            entry = self._entries[form] = _Entry()
        return entry

    def score_indicator(self, form: Form, indicator: Indicator) -> IndicatorScore:
        """The verdict on one indicator of a form (cached)."""
        if not form.kind.is_self_eval:
            return _UNSCORED
        entry = self._entry(form)
        result = entry.scores.get(indicator)
        if result is None:
            result = evaluate(indicator, self._ruleset, form.effective_money_unit)
            entry.scores[indicator] = result
        return result

    def score_form(self, form: Form) -> FormScore:
        """The scored form (cached until an invalidation touches it)."""
        entry = self._entry(form)
        if entry.result is None:
            entry.result = self._compute(form, entry)
        return entry.result

    def score_workbook(self, workbook: Workbook) -> list[FormScore]:
        """Every form of the workbook scored, in order (results of forms no longer in it are dropped)."""
        if len(self._entries) > len(workbook.forms):
            present = set(workbook.forms)
            for form in [f for f in self._entries if f not in present]:
                del self._entries[form]
        return [self.score_form(form) for form in workbook.forms]

    def _compute(self, form: Form, entry: _Entry) -> FormScore:
        rs = self._ruleset
        layout_a = form.kind in (FormKind.DEPT_SELF_EVAL, FormKind.DEPT_TARGET) and rs.is_dept_layout_a(
            [ind.level1 for ind in form.indicators]
        )
        scheme = rs.scheme(form.kind, layout_a)
        exec_weight = form.exec_weight if form.exec_weight is not None else scheme.exec_weight
        if not form.kind.is_self_eval:
            return FormScore(
                None, exec_weight, None, None, tuple(_UNSCORED for _ in form.indicators), (), None, None,
                layout_a=layout_a,
            )  # fmt: skip
        if not self._update_sums(form, entry):
            self._full_sums(form, entry)
        sums = entry.sums
        assert sums is not None
        weights = dict(sums.weights)
        levels = dict(sums.sums)
        indicator_weight = sums.weight_total
        indicator_total = sums.score_total
        unscored = sums.unscored
        for level1 in scheme.level_names:
            if level1 not in weights:
                weights[level1] = levels[level1] = ZERO
        subtotals = tuple(Subtotal(name, weights[name], levels[name], scheme.level_weight(name)) for name in weights)
        results = sums.results

        rate, exec_suggested, exec_flags, exec_explain = self._execution(form, exec_weight)
        exec_score = form.exec_score if form.exec_score is not None else exec_suggested
        scored_total = tidy(rs.round((exec_score or ZERO) + indicator_total))
        total = None if unscored else scored_total
        graded = total is not None and (rs.grade_dept or form.kind is not FormKind.DEPT_SELF_EVAL)
        return FormScore(
            exec_rate=rate,
            exec_weight=exec_weight,
            exec_suggested=exec_suggested,
            exec_score=exec_score,
            indicators=tuple(results),
            subtotals=subtotals,
            total=total,
            grade=rs.grade(total) if graded and total is not None else None,
            exec_flags=exec_flags,
            exec_explain=exec_explain,
            max_total=exec_weight + indicator_weight,
            layout_a=layout_a,
            unscored=unscored,
            scored_total=scored_total,
        )

    def _update_sums(self, form: Form, entry: _Entry) -> bool:
        """Update the kept sums for the rows changed since; False when the full loop must run."""
        sums = entry.sums
        if sums is None or sums.order != form.indicators:  # rows added, removed or moved
            return False
        rs = self._ruleset
        for ind in entry.dirty:
            result = entry.scores.get(ind)
            if result is None:
                result = entry.scores[ind] = evaluate(ind, rs, form.effective_money_unit)
            if not sums.update(ind, result, rs.canonical_level1(ind.level1)):
                return False
        entry.dirty.clear()
        return True

    def _full_sums(self, form: Form, entry: _Entry) -> None:
        """Score every row and add up the sums from scratch."""
        rs = self._ruleset
        scores = entry.scores
        results: list[IndicatorScore] = []
        levels: list[str] = []
        canonical: dict[str, str] = {}  # each first level as written → its canonical name, once per form
        money_unit = form.effective_money_unit
        for ind in form.indicators:
            result = scores.get(ind)
            if result is None:
                result = scores[ind] = evaluate(ind, rs, money_unit)
            results.append(result)
            level1 = canonical.get(ind.level1)
            if level1 is None:
                level1 = canonical[ind.level1] = rs.canonical_level1(ind.level1)
            levels.append(level1)
        if len(scores) > len(form.indicators):  # rows were removed without notice
            present = set(form.indicators)
            for ind in [i for i in scores if i not in present]:
                del scores[ind]
        entry.dirty.clear()
        entry.sums = LevelSums.build(form.indicators, results, levels)

    def _execution(self, form: Form, weight: Decimal) -> tuple[Decimal | None, Decimal | None, tuple[str, ...], str]:
        """预算执行率, its suggested score, flags and explanation."""
        rs = self._ruleset
        line = form.fund("total")
        flags: list[str] = []
        rate: Decimal | None = None
        suggested: Decimal | None = None
        budget, basis = (line.full_year, "全年预算数") if line is not None else (None, "全年预算数")
        if line is not None and budget is None and line.initial is not None:
            budget, basis = line.initial, "年初预算数"  # 全年预算数 blank: the budget did not change
        if line is None or budget is None or line.executed is None:
            missing = "全年预算数" if budget is None else "全年执行数"
            flags.append(FLAG_MISSING)
            explain = f"未填写{missing}，无法计算预算执行率"
        elif budget <= ZERO:
            flags.append(FLAG_MISSING)
            explain = f"{basis}为0，无法计算预算执行率"
        else:
            rate = line.executed / budget
            suggested = tidy(rs.round(min(max(rate, ZERO) * weight, weight)))
            fallback = "未填写全年预算数，按年初预算数计算：" if basis == "年初预算数" else ""
            explain = (
                f"{fallback}执行率{pct(rate)}%（{show(line.executed)}/{show(budget)}），"
                f"{show(weight)}分×执行率，得{show(suggested)}分"
            )
            if rate > ONE:
                explain += "（执行数超过预算数，得分以分值为限）"
        reason = has_reason(form.deviation)
        if form.exec_score is not None:
            if form.exec_score < ZERO or form.exec_score > weight:
                flags.append(FLAG_MANUAL_OUT_OF_BAND)
            if suggested is not None and form.exec_score != suggested:
                flags.append(FLAG_MANUAL_DIFFERS)
                if not reason:
                    flags.append(FLAG_MANUAL_NO_REASON)
        effective = form.exec_score if form.exec_score is not None else suggested
        if effective is not None and effective < weight and not reason:
            flags.append(FLAG_NEEDS_REASON)
        return rate, suggested, tuple(flags), explain

    # ---- invalidation -----------------------------------------------------------------------

    def indicator_changed(self, form: Form, indicator: Indicator) -> None:
        """One indicator of a form changed: only it and the form's sums are recomputed."""
        entry = self._entries.get(form)
        if entry is not None:
            entry.scores.pop(indicator, None)
            entry.result = None
            entry.dirty.add(indicator)
        self._notify(form)

    def exec_changed(self, form: Form) -> None:
        """A fund line, ``exec_weight``, ``exec_score`` or the form's 偏差原因 changed: execution and total."""
        entry = self._entries.get(form)
        if entry is not None:
            entry.result = None
        self._notify(form)

    def form_changed(self, form: Form) -> None:
        """Anything of a form may have changed (kind, money unit, rows added or removed)."""
        self._entries.pop(form, None)
        self._notify(form)

    def subscribe(self, listener: ScoresListener) -> None:
        """Call ``listener(form)`` after results of ``form`` were invalidated (``None``: all forms)."""
        self._listeners.append(listener)

    def unsubscribe(self, listener: ScoresListener) -> None:
        """Stop telling ``listener``."""
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _notify(self, form: Form | None) -> None:
        for listener in list(self._listeners):
            listener(form)

    # ---- following a document ---------------------------------------------------------------

    def attach(self, document: WorkbookDocument) -> None:
        """Follow a document's edits, invalidating exactly what each one touches, then telling followers."""
        self.detach()
        self._document = document
        document.subscribe(self._on_change)

    def detach(self) -> None:
        """Stop following the document given to ``attach``."""
        if self._document is not None:
            self._document.unsubscribe(self._on_change)
            self._document = None

    def follow(self, listener: Listener) -> None:
        """Call ``listener(change)`` for every edit of the attached document, after its scores were invalidated."""
        self._followers.append(listener)

    def unfollow(self, listener: Listener) -> None:
        """Stop telling ``listener``."""
        if listener in self._followers:
            self._followers.remove(listener)

    def _form_of(self, obj: object) -> Form | None:
        if isinstance(obj, Indicator):
            for form, entry in self._entries.items():
                if obj in entry.scores:
                    return form
        return self._document.form_of(obj) if self._document is not None else None

    def _on_change(self, change: Change) -> None:
        self._invalidate(change)
        for listener in list(self._followers):
            listener(change)

    def _invalidate(self, change: Change) -> None:
        obj = change.obj
        if change.kind == "fields":
            if isinstance(obj, Indicator):
                form = self._form_of(obj)
                if form is not None:
                    self.indicator_changed(form, obj)
            elif isinstance(obj, Form):
                fields = set(change.fields)
                if fields & _FORM_FIELDS_ALL:
                    self.form_changed(obj)
                elif fields & _FORM_FIELDS_EXEC:
                    self.exec_changed(obj)
            elif isinstance(obj, FundLine):
                form = self._form_of(obj)
                if form is not None:
                    self.exec_changed(form)
            elif isinstance(obj, Workbook) and "ruleset" in change.fields:
                try:
                    self.set_ruleset(load_ruleset(obj.ruleset))
                except UserError:
                    self.clear()  # unknown rule set: keep scoring with the current one
        elif change.kind in ("insert", "remove", "move"):
            if isinstance(obj, Form):
                if change.attr == "indicators":
                    entry = self._entries.get(obj)
                    if entry is not None:
                        if change.kind == "remove":
                            for item in change.items:
                                if isinstance(item, Indicator):
                                    entry.scores.pop(item, None)
                        entry.result = None
                    self._notify(obj)
                elif change.attr == "funds":
                    self.exec_changed(obj)
            elif isinstance(obj, Workbook) and change.attr == "forms" and change.kind == "remove":
                for item in change.items:
                    if isinstance(item, Form):
                        self._entries.pop(item, None)
                self._notify(None)


# ---- `jixiao score` output --------------------------------------------------------------------


def score_report(workbook: Workbook, engine: ScoringEngine) -> dict[str, Any]:
    """The ``jixiao score`` document of workbook-format.md (numbers as ``Decimal``).

    ``total`` and ``grade`` are null while ``unscored`` (rows with neither a score nor a band to
    score by) is above 0. Target forms are listed too, with ``exec_rate`` / ``exec_score`` /
    ``total`` / ``grade`` null, ``unscored`` 0 and every indicator's ``suggested`` / ``score`` null,
    no flags and an empty ``explain``.
    ``exec_rate`` is a fraction rounded to 4 decimals (0.976 for 97.6%).
    """
    forms: list[dict[str, Any]] = []
    for form, result in zip(workbook.forms, engine.score_workbook(workbook), strict=True):
        rate = tidy(result.exec_rate.quantize(Decimal("0.0001"))) if result.exec_rate is not None else None
        forms.append(
            {
                "title": form.title,
                "kind": form.kind.value,
                "exec_rate": rate,
                "exec_score": result.exec_score,
                "total": result.total,
                "grade": result.grade,
                "unscored": result.unscored,
                "indicators": [
                    {
                        "index": index,
                        "name": ind.name,
                        "weight": ind.weight,
                        "suggested": verdict.suggested,
                        "score": verdict.score,
                        "flags": list(verdict.flags),
                        "explain": verdict.explain,
                    }
                    for index, (ind, verdict) in enumerate(zip(form.indicators, result.indicators, strict=True))
                ],
            }
        )
    return {"forms": forms}
