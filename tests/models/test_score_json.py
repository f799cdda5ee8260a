"""The ``jixiao score`` text written directly is byte for byte ``dumps_data`` of the report.

``score_text`` (from the engine's results, no report dicts) gives the same bytes as ``score_json``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from desktop.models.formats.interchange import dumps_data
from desktop.models.formats.score_json import score_json, score_text
from desktop.models.scoring.engine import ScoringEngine, score_report
from desktop.models.scoring.rules import load_ruleset
from desktop.models.workbook.domain import Form, FormKind, Workbook
from tests.helpers.bigworkbook import make_workbook
from tests.helpers.fixtures import load_sample

SAMPLES = (
    "wuwei-zwfw-2022-selfeval.json",
    "tianjin-zwfw-2025-targets.json",
    "tianjin-bgt-2025-targets.json",
    "tangshan-xzsp-targets.json",
)


def _report(workbook: Workbook) -> dict[str, Any]:
    return score_report(workbook, ScoringEngine(load_ruleset(workbook.ruleset)))


@pytest.mark.parametrize("sample", SAMPLES)
def test_the_samples_are_written_as_dumps_data_writes_them(sample: str) -> None:
    report = _report(load_sample(sample))
    assert score_json(report) == dumps_data(report)


def test_generated_workbooks_with_long_texts_and_empty_forms() -> None:
    workbook = make_workbook(4, 30, long_texts=True)
    workbook.forms.append(Form(kind=FormKind.PROJECT_SELF_EVAL, title='空表 "引号" \\ 与换行\n'))
    workbook.forms.append(Form(kind=FormKind.PROJECT_TARGET, title="目标表"))
    report = _report(workbook)
    assert any(ind["flags"] for form in report["forms"] for ind in form["indicators"])
    assert score_json(report) == dumps_data(report)
    assert score_json({"forms": []}) == dumps_data({"forms": []})


def test_anything_unusual_falls_back_to_the_general_writer() -> None:
    report = _report(load_sample(SAMPLES[0]))
    changes: list[Callable[[dict[str, Any]], object]] = [
        lambda r: r["forms"][0]["indicators"][0].__setitem__("weight", 5),  # an int where a Decimal was
        lambda r: r["forms"][0]["indicators"][0].__setitem__("flags", ("a",)),
        lambda r: r["forms"][0].__setitem__("extra", Decimal("1.50")),
        lambda r: r["forms"][0]["indicators"][0].pop("explain"),
        lambda r: r.__setitem__("version", 1),
    ]
    for change in changes:
        unusual = copy.deepcopy(report)
        change(unusual)
        assert score_json(unusual) == dumps_data(unusual)


def _both(workbook: Workbook) -> tuple[str, str]:
    engine = ScoringEngine(load_ruleset(workbook.ruleset))
    expected = dumps_data(score_report(workbook, engine))
    return score_text(workbook, ScoringEngine(load_ruleset(workbook.ruleset))), expected


@pytest.mark.parametrize("sample", SAMPLES)
def test_score_text_of_the_samples_is_dumps_data_of_the_report(sample: str) -> None:
    written, expected = _both(load_sample(sample))
    assert written == expected


def test_score_text_of_generated_workbooks_and_odd_forms() -> None:
    workbook = make_workbook(4, 30, long_texts=True)
    workbook.forms.append(Form(kind=FormKind.PROJECT_SELF_EVAL, title='空表 "引号" \\ 与换行\n'))
    workbook.forms.append(Form(kind=FormKind.PROJECT_TARGET, title="目标表"))
    workbook.forms[0].indicators[0].weight = Decimal("-0")
    workbook.forms[0].indicators[1].weight = Decimal("2.50")
    workbook.forms[0].indicators[2].weight = None
    written, expected = _both(workbook)
    assert '"weight": null' in written and '"weight": 2.50' in written
    assert written == expected
    assert _both(Workbook()) == ('{\n "forms": []\n}\n',) * 2


def test_score_text_falls_back_to_the_report_on_anything_unusual() -> None:
    workbook = load_sample(SAMPLES[0])
    workbook.forms[0].indicators[0].name = FormKind.PROJECT_TARGET  # a str subclass: the general writer
    written, expected = _both(workbook)
    assert written == expected
    assert '"name": "project_target"' in written
