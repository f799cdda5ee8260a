"""Rule sets: the shipped files, their checks when loaded, and the helpers scoring uses."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from desktop.models.errors import UserError
from desktop.models.scoring import rules
from desktop.models.scoring.rules import available_rulesets, load_ruleset
from desktop.models.workbook.domain import Band, FormKind

SHIPPED = sorted(p.stem for p in rules.RULESET_DIR.glob("*.json"))


@pytest.fixture
def ruleset_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A rule-set directory holding a copy of central.json, used instead of the shipped one."""
    shutil.copy(rules.RULESET_DIR / "central.json", tmp_path / "central.json")
    monkeypatch.setattr(rules, "RULESET_DIR", tmp_path)
    return tmp_path


def _write(directory: Path, name: str, data: dict[str, object]) -> None:
    (directory / f"{name}.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _central_data() -> dict[str, object]:
    data: dict[str, object] = json.loads((rules.RULESET_DIR / "central.json").read_text(encoding="utf-8"))
    return data


def test_at_least_the_four_required_rule_sets_ship() -> None:
    assert {"central", "hubei", "sichuan", "shandong"} <= set(SHIPPED)
    names = [r.name for r in available_rulesets()]
    assert names[0] == "central"
    assert sorted(names) == SHIPPED  # every shipped file loads


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_rule_set_totals_100(name: str) -> None:
    ruleset = load_ruleset(name)
    for scheme in (ruleset.project, ruleset.dept):
        if scheme.levels:
            assert scheme.exec_weight + sum(w for _, w in scheme.levels) == 100
        assert scheme.exec_weight + scheme.indicator_total == 100
    assert ruleset.label and ruleset.description
    assert ruleset.band_default(Band.MET) == 1


def test_central_numbers() -> None:
    r = load_ruleset()
    assert r.name == "central"
    assert r.project.exec_weight == 10
    assert dict(r.project.levels) == {"产出指标": 50, "效益指标": 30, "满意度指标": 10}
    assert dict(r.dept.levels) == {"部门管理": 20, "履职效果": 50, "能力建设": 10, "满意度指标": 10}
    assert (r.band_met, r.band_partly) == (Decimal("0.8"), Decimal("0.6"))
    assert r.over_target == Decimal("1.3")
    assert r.lower_formula == "linear"
    assert r.rounding == "ROUND_HALF_UP" and r.decimals == 2
    assert {"达成", "达到", "完成", "符合", "合格", "是", "有效", "及时", "按时"} <= r.affirmative


def test_province_variants() -> None:
    hubei = load_ruleset("hubei")
    assert hubei.project.exec_weight == 20
    assert hubei.project.level_weight("产出指标") == 40
    assert hubei.project.level_weight("效益指标") + hubei.project.level_weight("满意度指标") == 40  # type: ignore[operator]
    assert hubei.lower_formula == "ratio"
    assert (hubei.band_met, hubei.band_partly) == (Decimal("0.8"), Decimal("0.5"))
    sichuan = load_ruleset("sichuan")
    assert sichuan.project.exec_weight == 10
    assert sichuan.project.levels == ()
    assert sichuan.project.indicator_total == 90
    shandong = load_ruleset("shandong")
    assert (shandong.band_met, shandong.band_partly) == (Decimal("0.8"), Decimal("0.5"))
    assert shandong.project == load_ruleset("central").project  # inherited from central


def test_aliases_and_standard_levels() -> None:
    r = load_ruleset()
    assert r.canonical_level1("效果指标") == "效益指标"
    assert r.canonical_level1(" 产出 指标") == "产出指标"
    assert r.canonical_level1("服务对象满意度") == "满意度指标"
    assert r.standard_level2("产出指标") == ("数量指标", "质量指标", "时效指标", "成本指标")
    assert r.standard_level2("效果指标") == r.standard_level2("效益指标")
    assert r.is_standard_level2("效果指标", "可持续性影响") is True
    assert r.is_standard_level2("产出指标", "服务指标") is False
    assert r.is_standard_level2("部门管理", "随便什么") is None  # free second levels
    assert r.plain_is_lower("产出指标", "成本指标")
    assert r.plain_is_lower("成本指标", "经济成本指标")
    assert not r.plain_is_lower("产出指标", "数量指标")
    assert "产出指标" in r.level1_names


def test_schemes_per_kind_and_layout() -> None:
    r = load_ruleset()
    assert r.scheme(FormKind.PROJECT_SELF_EVAL) is r.project
    assert r.scheme(FormKind.DEPT_SELF_EVAL, layout_a=True) is r.dept
    assert r.scheme(FormKind.DEPT_SELF_EVAL, layout_a=False) is r.project
    assert r.is_dept_layout_a(["部门管理", "履职效果", "服务对象满意度"])
    assert not r.is_dept_layout_a(["产出指标", "效果指标", "满意度指标"])
    assert not r.is_dept_layout_a([])


def test_bands_and_grades() -> None:
    r = load_ruleset()
    assert r.band_of(Decimal("0.8")) is Band.MET
    assert r.band_of(Decimal("0.79")) is Band.PARTLY
    assert r.band_of(Decimal("0.6")) is Band.PARTLY
    assert r.band_of(Decimal("0.59")) is Band.NOT_MET
    assert r.in_band(Band.MET, Decimal(1)) and not r.in_band(Band.PARTLY, Decimal("0.8"))
    assert r.band_range(Band.PARTLY) == (Decimal("0.6"), Decimal("0.8"))
    assert load_ruleset("hubei").band_of(Decimal("0.5")) is Band.PARTLY
    assert r.band_text == "达成80%–100%、部分达成60%–80%、未达成60%以下"
    assert [r.grade(Decimal(x)) for x in ("100", "90", "89.99", "80", "79.99", "60", "59.99", "0")] == [
        "优", "优", "良", "良", "中", "中", "差", "差",
    ]  # fmt: skip


def test_rounding_is_half_up_to_two_decimals() -> None:
    r = load_ruleset()
    assert r.round(Decimal("0.025")) == Decimal("0.03")
    assert r.round(Decimal("2.344")) == Decimal("2.34")
    assert str(r.round(Decimal("3"))) == "3.00"


def test_unknown_and_invalid_names_are_user_errors() -> None:
    with pytest.raises(UserError, match="没有名为“guangdong”的评分规则"):
        load_ruleset("guangdong")
    with pytest.raises(UserError, match="名称"):
        load_ruleset("../central")


def test_adding_a_province_is_adding_a_file(ruleset_dir: Path) -> None:
    _write(ruleset_dir, "jiangxi", {"extends": "central", "name": "jiangxi", "label": "江西省规则",
                                    "description": "江西：定性指标按80%/50%分档。",
                                    "bands": {"met": 80, "partly": 50},
                                    "band_scores": {"met": 100, "partly": 65, "not_met": 25}})  # fmt: skip
    names = [r.name for r in available_rulesets()]
    assert names == ["central", "jiangxi"]
    jiangxi = load_ruleset("jiangxi")
    assert jiangxi.band_partly == Decimal("0.5")
    assert jiangxi.project == load_ruleset("central").project


def test_a_broken_file_is_skipped_in_the_list_but_explained_when_loaded(ruleset_dir: Path) -> None:
    (ruleset_dir / "broken.json").write_text("{", encoding="utf-8")
    assert [r.name for r in available_rulesets()] == ["central"]
    with pytest.raises(UserError, match="评分规则“broken”有误：不是有效的 JSON"):
        load_ruleset("broken")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"weights": {"project": {"exec": 10, "levels": {"产出指标": 50, "效益指标": 30, "满意度指标": 9}}}},
            "应为 100",
        ),
        (
            {"weights": {"project": {"exec": 10, "levels": {"产出指标": 50, "效果指标": 30, "满意度指标": 10}}}},
            "规范名称",
        ),
        ({"surprise": 1}, "未知字段“surprise”"),
        ({"lower_formula": "cubic"}, "lower_formula"),
        ({"bands": {"met": 50, "partly": 60}}, "分档"),
        ({"band_scores": {"met": 100, "partly": 90, "not_met": 30}}, "band_scores.partly"),
        ({"grades": [{"grade": "优", "min": 90}, {"grade": "良", "min": 95}, {"grade": "差", "min": 0}]}, "grades"),
        ({"over_target": 90}, "over_target"),
        ({"name": "other"}, "name"),
        ({"extends": "cyclic"}, "循环"),
        ({"rounding": "ROUND_SOMEHOW"}, "rounding"),
    ],
)
def test_broken_rule_sets_are_rejected(ruleset_dir: Path, change: dict[str, object], message: str) -> None:
    data = {**_central_data(), "name": "cyclic", **change}
    _write(ruleset_dir, "cyclic", data)
    with pytest.raises(UserError, match=message) as info:
        load_ruleset("cyclic")
    assert "评分规则“cyclic”有误" in info.value.message


def test_a_missing_key_is_named(ruleset_dir: Path) -> None:
    data = _central_data()
    del data["grades"]
    _write(ruleset_dir, "partial", {**data, "name": "partial"})
    with pytest.raises(UserError, match="缺少字段“grades”"):
        load_ruleset("partial")


def test_rule_sets_are_immutable() -> None:
    r = load_ruleset()
    with pytest.raises(AttributeError):
        r.over_target = Decimal(2)  # type: ignore[misc]
