"""The rule-set loader and the rule set's helpers pinned at every check and boundary (issue 21).

Tables of (malformed rule-set file → its Chinese message), (file at a bound → what it loads as) and
(input → answer) for the helpers scoring uses: first-level weights, second-level lookups, the
direction a name gives a bare number, bands, grades (a negative total too) and ``extends``.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from desktop.models.errors import UserError
from desktop.models.scoring import rules
from desktop.models.scoring.rules import load_ruleset
from desktop.models.workbook.domain import Band, FormKind

D = Decimal
CENTRAL = load_ruleset("central")


@pytest.fixture
def ruleset_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copy(rules.RULESET_DIR / "central.json", tmp_path / "central.json")
    monkeypatch.setattr(rules, "RULESET_DIR", tmp_path)
    return tmp_path


def _central() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((rules.RULESET_DIR / "central.json").read_text(encoding="utf-8"))
    return data


def _load(directory: Path, data: dict[str, Any], name: str = "edge") -> rules.RuleSet:
    (directory / f"{name}.json").write_text(json.dumps({**data, "name": name}, ensure_ascii=False), encoding="utf-8")
    return load_ruleset(name)


# ---- each malformed file is refused with its own message ------------------------------------------

_DEPT = {"exec": 10, "levels": {"部门管理": 90}}
REFUSED: list[tuple[dict[str, Any], str]] = [
    ({"label": 5}, "“label”应为非空文本"),
    ({"description": "  "}, "“description”应为非空文本"),
    ({"name": 7}, "“name”应为非空文本"),
    ({"extends": 5}, "extends 应为评分规则名称"),
    ({"bands": {"met": 80, "partly": 60, "extra": 1}}, "“bands”应为"),
    ({"bands": {"met": "80", "partly": 60}}, "“bands.met”应为 0 到 100 之间的数"),
    ({"bands": {"met": 80, "partly": -1}}, "“bands.partly”应为 0 到 100 之间的数"),
    ({"band_scores": {"met": 100, "partly": 70}}, "“band_scores”应给出 met / partly / not_met 三档"),
    ({"band_scores": {"met": 100, "partly": 70, "not_met": 60}}, "“band_scores.not_met”不在该档范围内"),
    ({"band_scores": {"met": 79, "partly": 70, "not_met": 30}}, "“band_scores.met”不在该档范围内"),
    ({"band_scores": {"met": 100, "partly": 59, "not_met": 30}}, "“band_scores.partly”不在该档范围内"),
    ({"band_scores": {"met": 100, "partly": 80, "not_met": 30}}, "“band_scores.partly”不在该档范围内"),
    ({"grades": "优"}, "“grades”应为等级列表"),
    ({"grades": {}}, "“grades”应为等级列表"),
    ({"grades": ["优"]}, "“grades\\[0\\]”应为"),
    ({"grades": [{"grade": 5, "min": 0}]}, "“grades\\[0\\]”应为"),
    ({"grades": [{"grade": "优", "min": 0, "max": 100}]}, "“grades\\[0\\]”应为"),
    ({"grades": [{"grade": "优", "min": 90}, {"grade": "良", "min": 90}, {"grade": "差", "min": 0}]}, "从高到低"),
    ({"grades": [{"grade": "优", "min": 90}, {"grade": "差", "min": 1}]}, "最后一档最低分为 0"),
    ({"grades": [{"grade": "优", "min": 101}, {"grade": "差", "min": 0}]}, "“grades\\[0\\].min”应为 0 到 100 之间的数"),
    ({"grade_dept": 1}, "“grade_dept”应为 true 或 false"),
    ({"decimals": "2"}, "“decimals”应为 0 到 4 的整数"),
    ({"affirmative": "达成"}, "“affirmative”应为文本列表"),
    ({"affirmative": ["达成", 1]}, "“affirmative”应为文本列表"),
    ({"level2_free": {}}, "“level2_free”应为文本列表"),
    ({"plain_lower_levels": [""]}, "“plain_lower_levels”应为文本列表"),
    ({"level2_standard": {"产出指标": "数量指标"}}, "“level2_standard.产出指标”应为文本列表"),
    ({"level2_standard": []}, "“level2_standard”应为对象"),
    ({"level1_aliases": {"效果指标": 5}}, "“level1_aliases.效果指标”应为文本"),
    ({"level2_aliases": {"可持续影响": " "}}, "“level2_aliases.可持续影响”应为文本"),
    ({"plain_lower_names": ["成本"], "plain_higher_names": ["成本", "覆盖率"]}, "“成本”不能同时列在"),
    ({"plain_lower_names": ["成本", "成本"]}, "“plain_lower_names”中有重复的词"),
    ({"plain_higher_names": ["覆盖率", "覆盖率"]}, "“plain_higher_names”中有重复的词"),
    ({"plain_lower_names": ["投诉 率"]}, "“plain_lower_names”中的词不能含空格"),
    ({"plain_higher_names": ["覆盖\t率"]}, "“plain_higher_names”中的词不能含空格"),
    ({"lower_formula": 1}, "“lower_formula”应为 ratio / linear"),
    ({"weights": {"project": {"exec": 10, "levels": {"产出指标": 90}}}}, "“weights.dept”应为"),
    ({"weights": {"project": {"exec": 10, "levels": {"产出指标": 89}}, "dept": _DEPT}},
     "“weights.project”的分值合计为 99，应为 100"),
    ({"weights": {"project": {"exec": 10, "levels": {"产出指标": 91}}, "dept": _DEPT}},
     "“weights.project”的分值合计为 101，应为 100"),
    ({"weights": {"project": {"exec": 101}, "dept": {"exec": 10, "levels": {"部门管理": 90}}}},
     "“weights.project.exec”应为 0 到 100 之间的数"),
    ({"weights": {"project": {"exec": 10}, "dept": {"exec": 10, "levels": {"部门管理": "90"}}}},
     "“weights.dept.levels.部门管理”应为 0 到 100 之间的数"),
    ({"weights": {"project": {"exec": 10}, "dept": {"exec": 10, "levels": {"满意度": 90}}}},
     "“weights.dept.levels”应使用规范名称“满意度指标”而非“满意度”"),
    ({"weights": []}, "“weights”应为对象"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "message"), REFUSED)
def test_each_malformed_rule_set_is_refused_with_its_message(
    ruleset_dir: Path, change: dict[str, Any], message: str
) -> None:
    data = {**_central(), **change}
    if "name" in change:
        (ruleset_dir / "bad.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    else:
        (ruleset_dir / "bad.json").write_text(json.dumps({**data, "name": "bad"}, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(UserError, match=message) as info:
        load_ruleset("bad")
    assert info.value.message.startswith("评分规则“bad”有误：")


# ---- files at a bound load, and load as what they say ---------------------------------------------


def test_a_zero_band_score_loads(ruleset_dir: Path) -> None:
    zero = _load(ruleset_dir, {**_central(), "band_scores": {"met": 80, "partly": 60, "not_met": 0}})
    assert zero.band_scores == ((Band.MET, D("0.8")), (Band.PARTLY, D("0.6")), (Band.NOT_MET, D(0)))
    assert (zero.band_default(Band.MET), zero.band_default(Band.PARTLY), zero.band_default(Band.NOT_MET)) == (
        D("0.8"),
        D("0.6"),
        D(0),
    )


def test_a_band_score_just_below_the_next_band_loads(ruleset_dir: Path) -> None:
    rs = _load(ruleset_dir, {**_central(), "band_scores": {"met": 100, "partly": 79.99, "not_met": 59.99}})
    assert dict(rs.band_scores) == {Band.MET: 1, Band.PARTLY: D("0.7999"), Band.NOT_MET: D("0.5999")}


def test_a_grade_list_of_one_grade_from_0_loads_and_grades_everything(ruleset_dir: Path) -> None:
    rs = _load(ruleset_dir, {**_central(), "grades": [{"grade": "合格", "min": 0}]})
    assert rs.grades == (("合格", D(0)),)
    assert [rs.grade(D(x)) for x in ("100", "0", "-5")] == ["合格", "合格", "合格"]


# ---- extends: a child replaces only what it gives --------------------------------------------------


def test_extends_merges_weights_per_form_kind(ruleset_dir: Path) -> None:
    project = {"exec": 20, "levels": {"产出指标": 40, "效益指标": 30, "满意度指标": 10}}
    child = _load(
        ruleset_dir,
        {"extends": "central", "label": "子规则", "description": "只改项目表分值。", "weights": {"project": project}},
        "child",
    )
    assert child.project.exec_weight == 20 and child.project.level_weight("产出指标") == 40
    assert child.dept == CENTRAL.dept  # the kind it did not give comes from its parent
    assert (child.label, child.grades, child.affirmative) == ("子规则", CENTRAL.grades, CENTRAL.affirmative)
    bands = {"met": 90, "partly": 60}
    grandchild = _load(
        ruleset_dir, {"extends": "child", "label": "孙规则", "description": "再改分档。", "bands": bands}, "grandchild"
    )
    assert (grandchild.project, grandchild.dept, grandchild.band_met) == (child.project, CENTRAL.dept, D("0.9"))


def test_extends_a_missing_or_cyclic_parent_is_refused(ruleset_dir: Path) -> None:
    with pytest.raises(UserError, match="没有名为“nowhere”的评分规则"):
        _load(ruleset_dir, {"extends": "nowhere", "label": "x", "description": "x"}, "orphan")
    (ruleset_dir / "a.json").write_text(json.dumps({"extends": "b", "name": "a"}), encoding="utf-8")
    (ruleset_dir / "b.json").write_text(json.dumps({"extends": "a", "name": "b"}), encoding="utf-8")
    with pytest.raises(UserError, match="评分规则“b”有误：extends 形成循环"):
        load_ruleset("b")


# ---- the helpers scoring uses --------------------------------------------------------------------


def test_grades_at_each_bound_and_below_zero() -> None:
    totals = ["100", "90", "89.99", "80", "79.99", "60", "59.99", "0", "-0.01", "-50"]
    assert [CENTRAL.grade(D(t)) for t in totals] == ["优", "优", "良", "良", "中", "中", "差", "差", "差", "差"]


def test_level_weights_and_default_scheme() -> None:
    assert [CENTRAL.project.level_weight(n) for n in ("产出指标", "效益指标", "满意度指标", "效果指标", "")] == [
        D(50), D(30), D(10), None, None,
    ]  # fmt: skip
    assert CENTRAL.project.level_names == ("产出指标", "效益指标", "满意度指标")
    assert CENTRAL.project.indicator_total == 90
    assert CENTRAL.scheme(FormKind.DEPT_SELF_EVAL) is CENTRAL.project  # layout B unless told
    assert CENTRAL.scheme(FormKind.DEPT_TARGET, True) is CENTRAL.dept
    assert CENTRAL.scheme(FormKind.PROJECT_SELF_EVAL, True) is CENTRAL.project
    assert CENTRAL.scheme(FormKind.PROJECT_TARGET, True) is CENTRAL.project


@pytest.mark.parametrize(
    ("level1", "level2", "standard"),
    [
        ("产出指标", "数量指标", True),
        ("产出指标", "数量 指标", True),
        ("效果指标", "可持续影响", True),
        ("产出指标", "社会效益指标", False),
        ("履职效果", "随便", None),  # free second levels
        ("未知一级", "数量指标", None),  # no list to check against
        ("", "", None),
    ],
)
def test_standard_second_levels(level1: str, level2: str, standard: bool | None) -> None:
    assert CENTRAL.is_standard_level2(level1, level2) is standard


def test_standard_second_level_lists() -> None:
    assert CENTRAL.standard_level2("满意度") == ("服务对象满意度指标",)
    assert CENTRAL.standard_level2("未知一级") == ()
    assert CENTRAL.canonical_level2("可持续性影响") == "可持续影响指标"
    assert CENTRAL.canonical_level1("产出指标（50分）") == "产出指标"
    assert CENTRAL.canonical_level1("效果指标(30.5分)") == "效益指标"


@pytest.mark.parametrize(
    ("level1", "level2", "lower"),
    [
        ("产出指标", "成本指标", True),
        ("成本指标", "经济成本指标", True),
        ("成本指标", "", True),
        ("", "社会成本指标", True),
        ("产出指标", "数量指标", False),
        ("效益指标", "", False),
    ],
)
def test_bare_numbers_are_caps_under_the_cost_levels(level1: str, level2: str, lower: bool) -> None:
    assert CENTRAL.plain_is_lower(level1, level2) is lower
    assert CENTRAL.plain_is_lower(level1, level2) is lower  # the remembered answer is the same


@pytest.mark.parametrize(
    ("name", "direction"),
    [
        ("投诉率", (True, "投诉率")),  # a word at the very start
        ("覆盖率", (False, "覆盖率")),
        ("群众投诉率", (True, "投诉率")),
        ("不合格率", (True, "不合格率")),  # same end: the longer word wins
        ("产品合格率", (False, "合格率")),
        ("事故处理完成率", (False, "完成率")),  # the word nearest the end wins
        ("完成率 事故", (True, "事故")),
        ("投诉 率", (True, "投诉率")),  # spaces do not split a word
        ("培训人次", None),
        ("", None),
    ],
)
def test_the_direction_a_name_gives(name: str, direction: tuple[bool, str] | None) -> None:
    assert CENTRAL.name_direction(name) == direction


def test_a_complete_tie_keeps_the_cap_word() -> None:
    """Only a rule set built in code can list one word both ways (a file is refused): the cap is kept."""
    both = replace(CENTRAL, plain_lower_names=("达标率",), plain_higher_names=("达标率",))
    assert both.name_direction("达标率") == (True, "达标率")


@pytest.mark.parametrize(
    ("band", "fraction", "inside"),
    [
        (Band.MET, "0.8", True),
        (Band.MET, "1", True),
        (Band.MET, "0.7999", False),
        (Band.MET, "1.0001", False),
        (Band.PARTLY, "0.6", True),
        (Band.PARTLY, "0.7999", True),
        (Band.PARTLY, "0.8", False),
        (Band.PARTLY, "0.5999", False),
        (Band.NOT_MET, "0", True),
        (Band.NOT_MET, "0.5999", True),
        (Band.NOT_MET, "0.6", False),
        (Band.NOT_MET, "-0.0001", False),
    ],
)
def test_bands_include_their_lower_bound_and_only_met_its_upper(band: Band, fraction: str, inside: bool) -> None:
    assert CENTRAL.in_band(band, D(fraction)) is inside


def test_band_ranges_and_defaults() -> None:
    assert [CENTRAL.band_range(b) for b in Band] == [(D("0.8"), 1), (D("0.6"), D("0.8")), (0, D("0.6"))]
    assert [CENTRAL.band_default(b) for b in Band] == [1, D("0.7"), D("0.3")]
    assert [CENTRAL.band_of(D(x)) for x in ("1.5", "0", "-1")] == [Band.MET, Band.NOT_MET, Band.NOT_MET]


def test_the_default_and_an_explicit_name_load_their_own_file() -> None:
    assert load_ruleset().name == "central" and load_ruleset(None) is load_ruleset("central")
    assert load_ruleset("hubei").name == "hubei"
    assert CENTRAL.lower_formula_label == "(1-(实际值-指标值)/指标值)×分值"
    assert load_ruleset("hubei").lower_formula_label == "指标值/实际值×分值"


def test_a_child_replaces_a_form_kinds_weights_whole(ruleset_dir: Path) -> None:
    """``weights.project`` given by a child is the whole scheme: its ``exec`` is not taken from the parent."""
    levels = {"产出指标": 50, "效益指标": 30, "满意度指标": 10}
    with pytest.raises(UserError, match="“weights.project”应为"):
        _load(ruleset_dir, {"extends": "central", "weights": {"project": {"levels": levels}}}, "half")
