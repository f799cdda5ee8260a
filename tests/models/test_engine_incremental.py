"""The engine's sums updated by difference equal a full recompute, digit for digit (hypothesis).

After each random edit of one row (分值, manual score, actual, first level, including values with
many fraction digits or too large to keep exactly) the cached engine, told only
``indicator_changed``, gives the same FormScore as a fresh engine scoring the form from scratch:
the same subtotals, totals, counts, and the same Decimal exponents (``str`` of every number).
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.models.scoring.engine import FormScore, ScoringEngine
from desktop.models.scoring.rules import load_ruleset
from desktop.models.workbook.domain import Form, FormKind, Indicator

D = Decimal
RULESETS = {name: load_ruleset(name) for name in ("central", "hubei")}

values = st.one_of(
    st.none(),
    st.sampled_from([D(0), D("0.0"), D("0.00"), D(5), D("5.0"), D("2.5"), D("10"), D("1E+1"), D("-1.5")]),
    st.decimals(min_value=D(0), max_value=D(60), places=2),
    st.decimals(min_value=D(0), max_value=D(60), places=12),  # too fine to keep exactly: full loop
    st.just(D("123456789012345.678")),
)
level1s = st.sampled_from(["产出指标", "效益指标", "满意度指标", "产出", "其他"])
actuals = st.sampled_from([None, "100%", "80%", "≥95%", "3次", "未完成"])


@st.composite
def rows(draw: st.DrawFn) -> Indicator:
    return Indicator(
        draw(level1s), "数量指标", "指标", target="≥90%", actual=draw(actuals), weight=draw(values), score=draw(values)
    )


edits = st.tuples(
    st.integers(min_value=0, max_value=1000), st.sampled_from(["weight", "score", "actual", "level1"]), st.data()
)


def _shown(result: FormScore) -> str:
    return repr(result)  # Decimal reprs carry the exponent: Decimal('20.0') != Decimal('20') here


@settings(max_examples=200, deadline=None)
@given(
    st.lists(rows(), min_size=1, max_size=12),
    st.lists(edits, max_size=8),
    st.sampled_from(sorted(RULESETS)),
    st.sampled_from([FormKind.PROJECT_SELF_EVAL, FormKind.DEPT_SELF_EVAL]),
)
def test_updated_sums_equal_a_full_recompute(
    indicators: list[Indicator], changes: list[tuple[int, str, st.DataObject]], ruleset: str, kind: FormKind
) -> None:
    form = Form(kind=kind, indicators=indicators)
    engine = ScoringEngine(RULESETS[ruleset])
    engine.score_form(form)
    for index, attr, data in changes:
        row = form.indicators[index % len(form.indicators)]
        if attr == "level1":
            row.level1 = data.draw(level1s)
        elif attr == "actual":
            row.actual = data.draw(actuals)
        else:
            setattr(row, attr, data.draw(values))
        engine.indicator_changed(form, row)
        assert _shown(engine.score_form(form)) == _shown(ScoringEngine(RULESETS[ruleset]).score_form(form))


def test_an_unscored_row_keeps_the_total_pending_whatever_its_weight() -> None:
    # A weight too large to update by difference once skipped the row's count of unscored rows.
    huge = D("123456789012345.678")
    form = Form(
        kind=FormKind.PROJECT_SELF_EVAL,
        indicators=[
            Indicator("产出指标", "数量指标", "次数", target="≥10次", actual="10次", weight=D(40)),
            Indicator("满意度指标", "服务对象满意度指标", "口碑", target="提升", actual="有所改善", weight=huge),
        ],
    )
    engine = ScoringEngine(RULESETS["central"])
    result = engine.score_form(form)
    assert result.indicators[1].score is None
    assert (result.unscored, result.total) == (1, None)
    form.indicators[0].actual = "8次"
    engine.indicator_changed(form, form.indicators[0])  # the full loop again (not exact): still pending
    assert (engine.score_form(form).unscored, engine.score_form(form).total) == (1, None)
