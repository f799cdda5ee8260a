"""The bundled 指标库 is generated from its published sources, and every entry is fit to be offered.

The sources are the CSV lists under ``scripts/library_sources/`` (in the repository, so this test does not
read ../shared); ``common.json`` must be exactly what they produce.
"""

from collections import Counter
from pathlib import Path

import pytest

from desktop.models.library.build import SourceError, library_json, template_from_published
from desktop.models.library.entries import (
    BUNDLED,
    COMMON_CATEGORIES,
    LibraryEntry,
    bundled_library,
    guess_direction,
)
from desktop.models.library.history import History
from desktop.models.library.suggest import LIBRARY, SuggestionIndex
from desktop.models.scoring.rules import load_ruleset
from desktop.models.scoring.target_quality import target_problems
from desktop.models.workbook.domain import Form, FormKind, Indicator

SOURCES = Path(__file__).resolve().parents[2] / "scripts" / "library_sources"
BASE = SOURCES / "published-base.csv"
FORMS = SOURCES / "published-forms.csv"
HEADER = "category,level1,level2,level3,published,unit,direction,source_title,source_url\n"


def test_common_json_is_what_the_sources_produce() -> None:
    assert BUNDLED.read_text(encoding="utf-8") == library_json(BASE, FORMS), "run python scripts/build_library.py"


def test_every_entry_has_a_source_a_known_category_and_no_twin() -> None:
    entries = bundled_library()
    assert len(entries) >= 115 + 250
    assert all(entry.source.strip() for entry in entries)
    assert {entry.category for entry in entries} <= set(COMMON_CATEGORIES)
    twins = Counter((e.category, e.level1, e.level2, e.name) for e in entries)
    assert [key for key, n in twins.items() if n > 1] == []
    published = [e for e in entries if e.note.startswith("原表指标值")]
    assert len(published) >= 250


def _sensible(entry: LibraryEntry) -> bool:
    """The entry's direction agrees with its operator and with the words of its name."""
    target = entry.target
    if target.startswith(("≥", ">")) or target.endswith("以上"):
        return entry.direction == "higher"
    if target.startswith(("≤", "<", "不高于", "不超过")):
        return entry.direction == "lower"
    if target.startswith("="):
        return entry.direction == "equal"
    if guess_direction(entry.name, entry.level2, "") == "lower":
        return entry.direction in ("lower", "equal")
    if "满意度" in entry.name:
        return entry.direction == "higher"
    return True


def test_every_direction_is_sensible_for_its_words() -> None:
    wrong = [(e.category, e.name, e.target, e.direction) for e in bundled_library() if not _sensible(e)]
    assert wrong == []


def test_filled_in_templates_pass_the_target_quality_review() -> None:
    """A unit that fills the placeholders gets a readable target in the right place: 满意度 under 满意度指标,
    no output counted as 效益."""
    entries = bundled_library()
    indicators = [
        Indicator(
            level1=e.level1, level2=e.level2, name=e.name, target=e.target.replace("**年", "2025年").replace("**", "1")
        )
        for e in entries
    ]
    form = Form(kind=FormKind.PROJECT_TARGET, title="指标库", indicators=indicators)
    problems = target_problems(form, load_ruleset())
    serious = [
        (entries[row].name, message)
        for row, _field, message in problems
        if "满意度指标" in message or "属于产出" in message or "无法读出数值" in message
    ]
    assert serious == []


@pytest.mark.parametrize(
    ("published", "unit", "direction", "template"),
    [
        ("≥99%", "", "higher", "≥**%"),
        ("100%", "", "higher", "≥**%"),
        ("≥12", "次", "higher", "≥**次"),
        ("0次", "", "lower", "0次"),
        ("不高于9万元", "", "lower", "不高于**万元"),
        ("12月底前", "", "deadline", "**月底前"),
        ("5个工作日内", "", "deadline", "**个工作日内"),
        ("61.12万元", "", "equal", "=**万元"),
        ("合格", "", "", "合格"),
        ("98%以上", "", "higher", "**%以上"),
        (">=95.00%", "", "higher", "≥**%"),
        ("≧90%", "", "higher", "≥**%"),
        ("≤500元/100km", "", "lower", "≤**元/100km"),
    ],
)
def test_a_published_target_becomes_a_template(published: str, unit: str, direction: str, template: str) -> None:
    assert template_from_published(published, unit, direction) == template


def _forms_csv(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "forms.csv"
    path.write_text(HEADER + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path


def test_a_row_without_source_an_unknown_category_or_a_twin_stops_the_build(tmp_path: Path) -> None:
    good = "会议类,产出指标,数量指标,参会人数,≥1500人,,,某市2025年项目支出绩效目标表,http://x"
    assert "参会人数" in library_json(BASE, _forms_csv(tmp_path, good))
    with pytest.raises(SourceError, match="没有来源"):
        library_json(BASE, _forms_csv(tmp_path, "会议类,产出指标,数量指标,参会人数,≥1500人,,,,"))
    with pytest.raises(SourceError, match="不在 COMMON_CATEGORIES"):
        library_json(BASE, _forms_csv(tmp_path, good.replace("会议类", "杂项")))
    with pytest.raises(SourceError, match="重复"):
        library_json(BASE, _forms_csv(tmp_path, good, good))


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("物业服务", "物业服务费"),
        ("等保", "等保测评达标率"),
        ("债券利息", "债券利息发放率"),
        ("三公", "“三公经费”控制率"),
        ("系统故障", "系统故障响应时间"),
    ],
)
def test_typing_finds_the_new_entries(typed: str, expected: str) -> None:
    found = SuggestionIndex(History(), bundled_library()).suggest(typed)
    assert expected in [s.name for s in found]
    chosen = next(s for s in found if s.name == expected)
    assert chosen.origin == LIBRARY and chosen.source and chosen.category in COMMON_CATEGORIES
