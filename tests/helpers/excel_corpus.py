"""A corpus of Excel workbooks laid out the way units' real templates are, with what each prints written down.

Each case follows a published layout of ``shared/spec/form-layouts.md`` (the section is named in the
case) and fills it with the published indicators of the sample workbooks (tests/data/samples), so the
text is real. ``build`` writes the workbook with openpyxl; ``expected`` is what a reader must find
there: every printed field of every form. ``measure`` compares what a reader returns with it and
counts the fields it got right and the rows it took for indicators that are not.

Run ``python -m tests.helpers.excel_corpus [DIR]`` to print the recall of the current reader (and
write the workbooks into DIR, to open them in Excel or WPS).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from desktop.models.workbook.domain import Form, Indicator
from tests.helpers.excel_kit import INDICATOR_FIELDS, Case
from tests.helpers.excel_layouts_a import (
    anhui_xiaoxian,
    anhui_xuancheng,
    hubei_huangshi,
    shandong_jinan,
    sichuan_qingshen,
    tianjin_dept_layout_b,
    tianjin_stacked,
    yunnan_yongde,
)
from tests.helpers.excel_layouts_b import (
    anhui_chizhou_numbered,
    gansu_wuwei,
    hebei_langfang_stacked,
    hebei_tangshan,
    hunan_ningxiang,
    hunan_yueyang,
    sichuan_dazhou,
)
from tests.helpers.excel_layouts_c import (
    anhui_xiaoxian_breakdown,
    hubei_guangshui_dept_target,
    shaanxi_jiaxian_two_periods,
    sichuan_daying,
)

__all__ = ["CASES", "INDICATOR_FIELDS", "Case", "Score", "measure", "run"]

CASES: list[Case] = [
    tianjin_stacked(),
    tianjin_dept_layout_b(),
    anhui_xuancheng(),
    anhui_xiaoxian(),
    yunnan_yongde(),
    sichuan_qingshen(),
    hubei_huangshi(),
    shandong_jinan(),
    hunan_yueyang(),
    hebei_tangshan(),
    gansu_wuwei(),
    hunan_ningxiang(),
    sichuan_dazhou(),
    anhui_chizhou_numbered(),
    hebei_langfang_stacked(),
    sichuan_daying(),
    hubei_guangshui_dept_target(),
    anhui_xiaoxian_breakdown(),
    shaanxi_jiaxian_two_periods(),
]


# -- measuring ---------------------------------------------------------------------------------


@dataclass
class Score:
    """What a reader got right on one workbook."""

    fields: int = 0
    right: int = 0
    false_indicators: int = 0
    missed: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.fields += other.fields
        self.right += other.right
        self.false_indicators += other.false_indicators
        self.missed += other.missed

    @property
    def recall(self) -> float:
        return self.right / self.fields if self.fields else 1.0


def _same(got: Any, want: Any) -> bool:
    if isinstance(want, Decimal):
        return isinstance(got, Decimal) and got == want
    if isinstance(want, str):
        return isinstance(got, str) and got.strip() == want.strip()
    return bool(got == want)


def _fund_total(form: Form) -> tuple[Decimal | None, Decimal | None]:
    if form.budget is not None and form.budget.amount is not None:
        return form.budget.amount, None
    total = form.fund("total")
    if total is None:
        return None, None
    return (total.full_year if total.full_year is not None else total.initial), total.executed


def measure(case: Case, forms_by_sheet: Sequence[tuple[str, Form]]) -> Score:
    """Compare the forms a reader found (with the sheet of each) with what the case prints."""
    score = Score()
    pool: dict[str, list[Form]] = {}
    for sheet, form in forms_by_sheet:
        pool.setdefault(sheet, []).append(form)
    for sheet in case.skipped_sheets:
        score.false_indicators += sum(len(f.indicators) for f in pool.pop(sheet, []))
    for want in case.expected:
        found = pool.get(want.sheet, [])
        got = found.pop(0) if found else None
        checks: list[tuple[str, Any, Any]] = [
            ("kind", got and got.kind, want.kind),
            ("title", got and got.title, want.title),
        ]
        checks.append(("money_unit", got and got.effective_money_unit, want.money_unit))
        if want.printed_total is not None:
            checks.append(("printed_total", got and got.printed_total, want.printed_total))
        budget, executed = _fund_total(got) if got else (None, None)
        if want.budget is not None:
            checks.append(("budget", budget, want.budget))
        if want.executed is not None:
            checks.append(("executed", executed, want.executed))
        if want.overall_target is not None:
            checks.append(("overall_target", got and got.overall_target, want.overall_target))
        signoff = got.signoff if got else None
        for key, printed in (want.signoff or {}).items():
            checks.append((f"signoff.{key}", getattr(signoff, key) if signoff else None, printed))
        unused: list[Indicator] = list(got.indicators) if got else []
        for row in want.indicators:
            match = next((i for i in unused if i.name.strip() == row.name.strip()), None)
            if match is not None:
                unused.remove(match)
            for key in INDICATOR_FIELDS:
                expected = getattr(row, key)
                if expected is not None:
                    checks.append((f"{row.name}.{key}", getattr(match, key) if match else None, expected))
        score.false_indicators += len(unused)
        for key, value, expected in checks:
            score.fields += 1
            if _same(value, expected):
                score.right += 1
            else:
                score.missed.append(f"{case.name}/{want.title}: {key} = {value!r}, printed {expected!r}")
        for extra in unused:
            score.missed.append(f"{case.name}/{want.title}: not an indicator: {extra.name!r}")
    for sheet, left in pool.items():
        for form in left:
            score.false_indicators += len(form.indicators)
            score.missed.append(f"{case.name}: extra form {form.title!r} on {sheet} ({len(form.indicators)} rows)")
    return score


def run(folder: Path, read: Callable[[Path], Sequence[tuple[str, Form]]]) -> tuple[Score, dict[str, Score]]:
    """Build every case into ``folder``, read it with ``read``, and score it."""
    total = Score()
    each: dict[str, Score] = {}
    for case in CASES:
        path = folder / f"{case.name}.xlsx"
        case.build(path)
        score = measure(case, read(path))
        each[case.name] = score
        total.add(score)
    return total, each


def _current_reader(path: Path) -> list[tuple[str, Form]]:
    from desktop.models.formats.excel_import import read_indicator_tables

    return [(t.sheet, t.form) for t in read_indicator_tables(path)]


if __name__ == "__main__":
    import tempfile

    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp())
    target.mkdir(parents=True, exist_ok=True)
    total, each = run(target, _current_reader)
    for name, score in each.items():
        print(
            f"{name:32} {score.right:4}/{score.fields:<4} {score.recall:6.1%}  "
            f"false indicators {score.false_indicators}"
        )
    print(
        f"{'ALL':32} {total.right:4}/{total.fields:<4} {total.recall:6.1%}  false indicators {total.false_indicators}"
    )
    print(f"{len(CASES)} workbooks, {len({c.region for c in CASES})} regions; written to {target}")
    if "-v" in sys.argv:
        print("\n".join(total.missed))
