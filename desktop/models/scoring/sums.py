"""First-level sums of a scored form, kept so that one changed indicator updates them by difference.

The full loop adds each indicator's 分值 and effective score (``x or ZERO``) to its first level's
sums, starting from ZERO; Decimal addition is exact here, so a sum's value does not depend on the
order, and its exponent is the smallest of 0 and its terms' exponents. ``LevelSums`` keeps the
terms and, per first level, how many terms have each negative exponent: after subtracting the old
term and adding the new one the sum is quantized back to that exponent, so it equals, digit for
digit, what the full loop gives. Terms too large or too fine for the sums to stay exact at the
context's precision are refused (``build`` returns None, ``update`` False): the caller recomputes.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from desktop.models.scoring.verdicts import ZERO, IndicatorScore
from desktop.models.workbook.domain import Indicator

_MAX_ROWS = 10_000
_MIN_EXP = -10  # 10 fraction digits ...
_MAX_ADJ = 10  # ... and below 10^11: 10 000 such terms sum to under 10^15, 25 digits < prec 28


def _exp(term: Decimal) -> int | None:
    """The term's exponent, None when it would not keep the sums exact."""
    if not term.is_finite():
        return None
    exp = term.as_tuple().exponent
    assert isinstance(exp, int)
    if exp < _MIN_EXP or (term and term.adjusted() > _MAX_ADJ):
        return None
    return exp


def _requantize(value: Decimal, exps: Counter[int]) -> Decimal:
    target = min(exps, default=0)
    return value.quantize(Decimal((0, (1,), min(target, 0))))


class LevelSums:
    """The terms, results and per-first-level sums of one form's last full scoring."""

    __slots__ = (
        "exact", "levels", "order", "position", "results", "score_total", "sexp", "sums", "terms", "unscored",
        "weight_total", "wexp", "weights",
    )  # fmt: skip

    def __init__(self, order: list[Indicator], results: list[IndicatorScore], levels: list[str]) -> None:
        self.order = order  # a copy of form.indicators
        self.results = results
        self.levels = levels  # canonical first level of each row
        self.position = {ind: i for i, ind in enumerate(order)}
        self.terms: list[tuple[Decimal, Decimal]] = []
        self.weights: dict[str, Decimal] = {}  # in order of first appearance, as the full loop builds them
        self.sums: dict[str, Decimal] = {}
        # Negative exponents of the weight and score terms per first level → how many (None: not counted yet).
        self.wexp: dict[str, Counter[int]] | None = None
        self.sexp: dict[str, Counter[int]] | None = None
        self.unscored = 0
        self.exact = True  # False: kept only for this scoring, ``update`` refuses
        self.weight_total = ZERO  # Σ weights and Σ scores in row order, as the full loop adds them
        self.score_total = ZERO

    @classmethod
    def build(cls, order: list[Indicator], results: list[IndicatorScore], levels: list[str]) -> LevelSums:
        """The sums of a form from its rows (``exact`` False when they cannot be updated by difference).

        The exponents an update needs are counted at the first ``update``: a full scoring that is never
        updated (``jixiao score``, a form only looked at) does not pay for them.
        """
        state = cls(list(order), list(results), levels)
        state.exact = len(order) <= _MAX_ROWS and len(state.position) == len(order)  # not the same row twice
        terms, weights, sums = state.terms, state.weights, state.sums
        weight_total = score_total = ZERO
        unscored = 0
        for ind, result, level in zip(order, results, levels, strict=True):
            weight = ind.weight or ZERO
            if result.score is None:
                unscored += 1
            score = result.score or ZERO  # a zero of any exponent adds as ZERO, as the full loop always did
            terms.append((weight, score))
            weights[level] = weights.get(level, ZERO) + weight
            sums[level] = sums.get(level, ZERO) + score
            weight_total += weight
            score_total += score
        state.weight_total, state.score_total, state.unscored = weight_total, score_total, unscored
        return state

    def _count_exponents(self) -> bool:
        """Count the negative exponents of every term per first level; False (not exact) if a term cannot be."""
        self.wexp, self.sexp = {}, {}
        for (weight, score), level in zip(self.terms, self.levels, strict=True):
            wc = self.wexp.setdefault(level, Counter())
            sc = self.sexp.setdefault(level, Counter())
            wexp, sexp = _exp(weight), _exp(score)
            if wexp is None or sexp is None:
                self.exact = False
                return False
            if wexp < 0:
                wc[wexp] += 1
            if sexp < 0:
                sc[sexp] += 1
        return True

    def update(self, ind: Indicator, result: IndicatorScore, level: str) -> bool:
        """Replace one row's terms; False (nothing changed) when the full loop must run instead."""
        i = self.position.get(ind)
        if (
            not self.exact or i is None or self.levels[i] != level
        ):  # a row moving to another first level may reorder them
            return False
        if self.wexp is None and not self._count_exponents():
            return False
        weight = ind.weight or ZERO
        score = result.score or ZERO
        wexp, sexp = _exp(weight), _exp(score)
        if wexp is None or sexp is None:
            return False
        old_weight, old_score = self.terms[i]
        old_wexp, old_sexp = _exp(old_weight), _exp(old_score)
        assert old_wexp is not None and old_sexp is not None
        assert self.wexp is not None and self.sexp is not None
        wc, sc = self.wexp[level], self.sexp[level]
        for counter, old, new in ((wc, old_wexp, wexp), (sc, old_sexp, sexp)):
            if old < 0:
                counter[old] -= 1
                if not counter[old]:
                    del counter[old]
            if new < 0:
                counter[new] += 1
        self.weights[level] = _requantize(self.weights[level] - old_weight + weight, wc)
        self.sums[level] = _requantize(self.sums[level] - old_score + score, sc)
        self.weight_total = sum(self.weights.values(), ZERO)  # exact: equals the row-order sum, digit for digit
        self.score_total = sum(self.sums.values(), ZERO)
        self.terms[i] = (weight, score)
        self.unscored += (result.score is None) - (self.results[i].score is None)
        self.results[i] = result
        return True
