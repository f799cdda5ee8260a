import json
from decimal import Decimal
from pathlib import Path

import pytest

from desktop.models.errors import InvalidInputError
from desktop.models.formats import interchange
from tests.helpers.fixtures import SAMPLE_FILES


def _parsed(text: str) -> object:
    return json.loads(text, parse_float=Decimal)


def test_samples_are_found() -> None:
    assert len(SAMPLE_FILES) >= 4


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_json_round_trip_is_exact(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert _parsed(interchange.dumps(interchange.loads(text))) == _parsed(text)


def test_decimals_keep_their_digits() -> None:
    text = (SAMPLE_FILES[0].parent / "tianjin-zwfw-2025-targets.json").read_text(encoding="utf-8")
    workbook = interchange.loads(text)
    amount = workbook.forms[0].budget.amount if workbook.forms[0].budget else None
    assert isinstance(amount, Decimal)
    assert '"amount": 114.00' in interchange.dumps(workbook)


def _doc(**form: object) -> str:
    base: dict[str, object] = {"kind": "project_self_eval", "title": "t", "indicators": [{"name": "a", "weight": 1}]}
    base.update(form)
    return json.dumps({"format": "jixiao-workbook", "version": 1, "forms": [base]}, ensure_ascii=False)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (_doc(indicators=[{}, {"weight": "abc"}]), "forms[0].indicators[1].weight：“abc” 不是数字"),
        (_doc(kind="x"), "forms[0].kind：“x” 不是表格种类"),
        (_doc(colour="red"), "forms[0].colour：未知字段"),
        (_doc(funds=[{"line": "total", "initial": True}]), "forms[0].funds[0].initial：“true” 不是数字"),
        (_doc(title=5), "forms[0].title：“5” 不是文本"),
        # a decimal where text belongs (found by tests/benchmarks/fuzz_inputs.py: the message itself crashed)
        (
            '{"format": "jixiao-workbook", "version": 1, "forms": [{"kind": "project_target", "title": 1.5}]}',
            "forms[0].title：“1.5” 不是文本",
        ),
        ('{"format": "x", "version": 1, "forms": []}', "format：应为 “jixiao-workbook”"),
        ('{"format": "jixiao-workbook", "version": 2, "forms": []}', "version：不支持的格式版本 2"),
        ('{"format": "jixiao-workbook", "version": 1}', "forms：缺少必填字段"),
        ("{", "不是有效的 JSON"),
        ("[" * 100 + "]" * 100, "嵌套过深"),
        ('{"format": "jixiao-workbook", "version": 1, "forms": [], "year": NaN}', "不允许 NaN"),
    ],
)
def test_invalid_input_names_path_and_problem(text: str, message: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        interchange.loads(text)
    assert message in str(info.value)


def test_new_optional_keys_round_trip_through_json_and_the_workbook_file(tmp_path: Path) -> None:
    """ruleset, template, printed_total and band (workbook-format.md, Changes) survive export → import."""
    from desktop.models.storage import store
    from desktop.models.workbook.domain import Band

    data = {
        "format": "jixiao-workbook",
        "version": 1,
        "unit": {"code": "1", "name": "单位"},
        "year": 2025,
        "ruleset": "hubei",
        "template": "tianjin",
        "forms": [
            {
                "kind": "project_self_eval",
                "title": "项目",
                "printed_total": 88,
                "indicators": [
                    {"level1": "产出指标", "level2": "质量指标", "name": "质量", "weight": 10, "band": "部分达成"}
                ],
            }
        ],
    }
    workbook = interchange.loads(json.dumps(data, ensure_ascii=False))
    assert (workbook.ruleset, workbook.template) == ("hubei", "tianjin")
    assert workbook.forms[0].printed_total == Decimal(88)
    assert workbook.forms[0].indicators[0].band is Band.PARTLY
    source = tmp_path / "in.json"
    source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    store.import_json(source, tmp_path / "w.jxdb")
    store.export_json(tmp_path / "w.jxdb", tmp_path / "out.json")
    assert json.loads((tmp_path / "out.json").read_text(encoding="utf-8")) == data


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [("band", "很好", "不是完成档次"), ("ruleset", "../x", "不是有效的名称")],
)
def test_bad_new_keys_are_refused_with_the_path(key: str, value: str, message: str) -> None:
    form: dict[str, object] = {"kind": "project_self_eval", "title": "t", "indicators": [{"name": "n"}]}
    data: dict[str, object] = {"format": "jixiao-workbook", "version": 1, "forms": [form]}
    if key == "band":
        form["indicators"] = [{"name": "n", "band": value}]
    else:
        data[key] = value
    with pytest.raises(InvalidInputError, match=message):
        interchange.loads(json.dumps(data, ensure_ascii=False))
