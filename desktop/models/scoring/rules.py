"""Scoring rule sets: every number and formula choice of forms.md §4, loaded from ``rulesets/*.json``.

A rule set is data, not code: adding a province is adding one JSON file to ``rulesets/``. A file
may say ``"extends": "central"``; it then replaces only the keys it gives (``weights`` per form
kind: ``project`` / ``dept``). Every file is checked when loaded (weights total 100, bands in
order, known formula names …); a broken or unknown rule set raises ``UserError`` in Chinese.

Percentages are written in the JSON as percent numbers (``80``) and held here as fractions
(``Decimal("0.8")``).

Keys of a rule-set file (see ``rulesets/central.json``; ``hubei.json`` shows a province):

- ``name`` (= file name), ``label``, ``description``: identity, shown to the user;
- ``weights``: ``{"project": {"exec": 10, "levels": {"产出指标": 50, …}}, "dept": {…}}`` — 分值 of
  预算执行率 and of each canonical first level; each kind must total 100; ``levels`` may be empty
  (四川: 绩效指标 90 not split). ``dept`` is the layout A department table;
- ``level1_aliases`` / ``level2_aliases``: ``{"效果指标": "效益指标"}``; ``level2_standard``: the
  standard second levels per first level; ``level2_free``: first levels with free second levels;
- ``plain_lower_levels``: first / second levels under which a bare number is a cap (成本指标);
- ``plain_lower_names`` / ``plain_higher_names``: words in an indicator's name that say which way a
  bare number target points (``投诉率 3%`` is a cap, ``覆盖率 100%`` a floor); when a name holds words of
  both lists the one nearest its end wins (Chinese puts the head noun last: 事故处理完成率 is a rate
  of completion), then the longer one (不合格率 before 合格率);
- ``lower_formula``: ``"ratio"`` (A/B × 分值) or ``"linear"`` ((1 − (B − A)/A) × 分值);
- ``bands``: ``{"met": 80, "partly": 60}`` lower bounds; ``band_scores``: default share per band;
- ``over_target``: 130 (percent of the target from which a reason is needed);
  ``over_target_lower``: ``"cost"`` / ``"all"`` / ``"none"`` — which far-below-cap actuals to flag;
- ``grades``: ``[{"grade": "优", "min": 90}, …]`` best first, last ``min`` 0; ``grade_dept``;
- ``affirmative``: actual texts that mean 达成; ``decimals`` and ``rounding`` (``ROUND_HALF_UP``).
"""

from __future__ import annotations

import decimal
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from desktop.models.data_files import broken, read_extended
from desktop.models.errors import UserError
from desktop.models.workbook.domain import DEFAULT_RULESET, Band, FormKind

RULESET_DIR = Path(__file__).resolve().parent / "rulesets"

HUNDRED = Decimal(100)
# The first levels of the national framework (forms.md §2); other first levels are layout A ones.
FRAMEWORK_LEVEL1 = ("产出指标", "成本指标", "效益指标", "满意度指标")

LOWER_FORMULAS = ("ratio", "linear")
LOWER_FORMULA_LABELS = {
    "ratio": "指标值/实际值×分值",
    "linear": "(1-(实际值-指标值)/指标值)×分值",
}
OVER_TARGET_LOWER_SCOPES = ("cost", "all", "none")
ROUNDINGS = ("ROUND_HALF_UP", "ROUND_HALF_EVEN", "ROUND_DOWN", "ROUND_UP")
_CACHE_LIMIT = 10_000  # names remembered per rule set (level names people typed)
_WEIGHT_SUFFIX_RE = re.compile(r"[(（][0-9０-９]+(?:[.．][0-9０-９]+)?分[)）]$")
_KEYS = (
    "extends",
    "name",
    "label",
    "description",
    "weights",
    "level1_aliases",
    "level2_standard",
    "level2_aliases",
    "level2_free",
    "plain_lower_levels",
    "plain_lower_names",
    "plain_higher_names",
    "lower_formula",
    "bands",
    "band_scores",
    "over_target",
    "over_target_lower",
    "grades",
    "grade_dept",
    "affirmative",
    "decimals",
    "rounding",
)


@dataclass(frozen=True)
class WeightScheme:
    """Default 分值 of one form layout: budget execution plus each first level.

    Attributes:
        exec_weight: 分值 of 预算执行率.
        levels: (canonical 一级指标, 分值) pairs; empty when the rule set does not split the
            indicators' share by first level (四川: 绩效指标 90).
    """

    exec_weight: Decimal
    levels: tuple[tuple[str, Decimal], ...]

    @property
    def indicator_total(self) -> Decimal:
        """The share of all indicators together (100 − 预算执行率)."""
        return HUNDRED - self.exec_weight

    def level_weight(self, level1: str) -> Decimal | None:
        """The weight of a canonical first level, or None if the scheme does not name it."""
        for name, weight in self.levels:
            if name == level1:
                return weight
        return None

    @property
    def level_names(self) -> tuple[str, ...]:
        """The canonical first levels the scheme names, in order."""
        return tuple(name for name, _ in self.levels)


@dataclass(frozen=True)
class RuleSet:
    """Every number and formula choice used to score a self-evaluation (forms.md §4).

    Attributes:
        name: file name without ``.json`` (``central``, ``hubei`` …), stored in the workbook.
        label: Chinese name shown to the user.
        description: one paragraph in Chinese saying what differs.
        project: weights of project tables (项目支出绩效自评表, and layout B department tables).
        dept: weights of layout A department tables (部门管理 / 履职效果 / 能力建设 / 满意度).
        level1_aliases: (alias, canonical) first-level names (效果指标 → 效益指标).
        level2_standard: (canonical 一级, standard 二级 names) for combo boxes and validation.
        level2_aliases: (alias, standard) second-level names (可持续性影响 → 可持续影响指标).
        level2_free: first levels whose second levels are free (no warning for unlisted ones).
        plain_lower_levels: first or second levels under which a bare number target is a cap.
        plain_lower_names: words of an indicator name that make a bare number target a cap.
        plain_higher_names: words of an indicator name that make a bare number target a floor.
        lower_formula: ``"ratio"`` (A/B × 分值) or ``"linear"`` ((1 − (B − A)/A) × 分值).
        band_met: lower bound of 达成 as a fraction of 分值 (0.8).
        band_partly: lower bound of 部分达成 (0.6, or 0.5 in the 80/50 variant).
        band_scores: (band, default fraction of 分值) pairs.
        over_target: actual/target ratio from which a deviation reason is required (1.3).
        over_target_lower: for lower-is-better values, which far-below-cap actuals are flagged:
            ``"cost"`` (money values and 成本指标 only), ``"all"`` or ``"none"``.
        grades: (grade, lowest total) pairs, best first.
        grade_dept: whether department tables get a grade.
        affirmative: words that, as an actual value, mean 达成 for a qualitative target.
        decimals: scores are rounded to this many decimals.
        rounding: the ``decimal`` rounding mode name.
    """

    name: str
    label: str
    description: str
    project: WeightScheme
    dept: WeightScheme
    level1_aliases: tuple[tuple[str, str], ...]
    level2_standard: tuple[tuple[str, tuple[str, ...]], ...]
    level2_aliases: tuple[tuple[str, str], ...]
    level2_free: tuple[str, ...]
    plain_lower_levels: tuple[str, ...]
    lower_formula: str
    band_met: Decimal
    band_partly: Decimal
    band_scores: tuple[tuple[Band, Decimal], ...]
    over_target: Decimal
    over_target_lower: str
    grades: tuple[tuple[str, Decimal], ...]
    grade_dept: bool
    affirmative: frozenset[str]
    decimals: int
    rounding: str
    plain_lower_names: tuple[str, ...] = ()
    plain_higher_names: tuple[str, ...] = ()

    # ---- first and second levels ------------------------------------------------------------

    def canonical_level1(self, level1: str) -> str:
        """The canonical name of a first level (aliases folded, spaces dropped)."""
        return _canonical(self._level1_cache, self.level1_aliases, level1)

    def canonical_level2(self, level2: str) -> str:
        """The standard name of a second level (aliases folded, spaces dropped)."""
        return _canonical(self._level2_cache, self.level2_aliases, level2)

    @cached_property
    def _level1_cache(self) -> dict[str, str]:
        return {}

    @cached_property
    def _level2_cache(self) -> dict[str, str]:
        return {}

    @cached_property
    def _lower_cache(self) -> dict[tuple[str, str], bool]:
        return {}

    @property
    def level1_names(self) -> tuple[str, ...]:
        """Every standard first level (for combo boxes), framework order."""
        return tuple(name for name, _ in self.level2_standard)

    def standard_level2(self, level1: str) -> tuple[str, ...]:
        """The standard second levels of a first level (aliases accepted); empty if none."""
        canonical = self.canonical_level1(level1)
        for name, names in self.level2_standard:
            if name == canonical:
                return names
        return ()

    def is_standard_level2(self, level1: str, level2: str) -> bool | None:
        """Whether a second level is listed under its first level; None if the first level is free/unknown."""
        canonical = self.canonical_level1(level1)
        if canonical in self.level2_free:
            return None
        names = self.standard_level2(canonical)
        if not names:
            return None
        return self.canonical_level2(level2) in names

    def plain_is_lower(self, level1: str, level2: str) -> bool:
        """Whether a bare number target under these levels is a cap (lower is better)."""
        key = (level1, level2)
        found = self._lower_cache.get(key)
        if found is None:
            if len(self._lower_cache) > _CACHE_LIMIT:
                self._lower_cache.clear()
            found = self._lower_cache[key] = (
                self.canonical_level1(level1) in self.plain_lower_levels
                or self.canonical_level2(level2) in self.plain_lower_levels
            )
        return found

    def name_direction(self, name: str) -> tuple[bool, str] | None:
        """Which way a bare number points by the indicator's name: ``(is_lower, word)``, or None.

        The word found nearest the end of the name wins, then the longer word (see the module doc).
        """
        squashed = "".join(name.split())
        found = self._name_words
        if found is not None:  # one search of the reversed name: its first match is the word ending last
            pattern, lowers = found
            match = pattern.search(squashed[::-1])
            if match is None:
                return None
            word = match.group()[::-1]
            return lowers[word], word
        best: tuple[int, int, bool, str] | None = None
        for words, lower in ((self.plain_lower_names, True), (self.plain_higher_names, False)):
            for word in words:
                at = squashed.rfind(word)
                if at >= 0:
                    key = (at + len(word), len(word), lower, word)
                    if best is None or key[:2] > best[:2]:
                        best = key
        return None if best is None else (best[2], best[3])

    @cached_property
    def _name_words(self) -> tuple[re.Pattern[str], dict[str, bool]] | None:
        """The name words reversed in one pattern, longest first, and whether each is a cap word (None: no words).

        Searching the reversed name, the first place a word matches is where the word ending nearest
        the name's end ends, and the first alternative that matches there is the longest: the word
        ``name_direction``'s rule picks (a word in both lists is a cap word, as the lists are read in
        that order). ~1 µs instead of ~10 µs for forty words' ``rfind``.
        """
        lowers: dict[str, bool] = {}
        for words, lower in ((self.plain_lower_names, True), (self.plain_higher_names, False)):
            for word in words:
                lowers.setdefault(word, lower)
        if not lowers or "" in lowers:
            return None
        ordered = sorted(lowers, key=len, reverse=True)
        return re.compile("|".join(re.escape(word[::-1]) for word in ordered)), lowers

    # ---- weights ----------------------------------------------------------------------------

    def scheme(self, kind: FormKind, layout_a: bool = False) -> WeightScheme:
        """The weight scheme of a form kind; ``layout_a`` picks the department layout A scheme.

        Department tables of layout B (goals with the standard first levels 产出 / 效益 / 满意度)
        and department target tables use the project scheme.
        """
        if layout_a and kind in (FormKind.DEPT_SELF_EVAL, FormKind.DEPT_TARGET):
            return self.dept
        return self.project

    def is_dept_layout_a(self, level1_names: list[str] | tuple[str, ...]) -> bool:
        """Whether these first levels are those of a layout A department table (部门管理 / 履职效果 …)."""
        dept_only = set(self.dept.level_names) - set(FRAMEWORK_LEVEL1)
        return any(self.canonical_level1(name) in dept_only for name in dict.fromkeys(level1_names))  # each name once

    # ---- qualitative bands ------------------------------------------------------------------

    def band_range(self, band: Band) -> tuple[Decimal, Decimal]:
        """The allowed fraction of 分值 for a band: [low, high]; ``high`` is exclusive except for 达成."""
        if band is Band.MET:
            return self.band_met, Decimal(1)
        if band is Band.PARTLY:
            return self.band_partly, self.band_met
        return Decimal(0), self.band_partly

    def band_default(self, band: Band) -> Decimal:
        """The default fraction of 分值 suggested for a band (达成 → 1)."""
        for name, fraction in self.band_scores:
            if name is band:
                return fraction
        raise KeyError(band)  # pragma: no cover - every band is checked at load time

    def in_band(self, band: Band, fraction: Decimal) -> bool:
        """Whether a score (as a fraction of 分值) lies in a band."""
        low, high = self.band_range(band)
        if band is Band.MET:
            return low <= fraction <= high
        return low <= fraction < high

    def band_of(self, fraction: Decimal) -> Band:
        """The band a score (as a fraction of 分值) lies in."""
        if fraction >= self.band_met:
            return Band.MET
        if fraction >= self.band_partly:
            return Band.PARTLY
        return Band.NOT_MET

    @cached_property
    def band_text(self) -> str:
        """The bands in words: ``达成80%–100%、部分达成60%–80%、未达成60%以下``."""
        met = _percent(self.band_met)
        partly = _percent(self.band_partly)
        return f"达成{met}%–100%、部分达成{partly}%–{met}%、未达成{partly}%以下"

    # ---- totals -----------------------------------------------------------------------------

    def grade(self, total: Decimal) -> str:
        """The grade of a total (优 / 良 / 中 / 差)."""
        for name, low in self.grades:
            if total >= low:
                return name
        return self.grades[-1][0]

    def round(self, value: Decimal) -> Decimal:
        """A score rounded the rule set's way (2 decimals, ROUND_HALF_UP by default)."""
        quantum, rounding = self._rounding
        return value.quantize(quantum, rounding=rounding)

    @cached_property
    def _rounding(self) -> tuple[Decimal, str]:
        return Decimal(1).scaleb(-self.decimals), str(getattr(decimal, self.rounding))

    @property
    def lower_formula_label(self) -> str:
        """The lower-is-better formula in words."""
        return LOWER_FORMULA_LABELS[self.lower_formula]


def _canonical(cache: dict[str, str], aliases: tuple[tuple[str, str], ...], name: str) -> str:
    """``name`` without spaces and with its alias folded, remembered in ``cache``."""
    found = cache.get(name)
    if found is None:
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        squashed = _WEIGHT_SUFFIX_RE.sub("", "".join(name.split()))  # 产出指标(50分) is 产出指标
        found = cache[name] = dict(aliases).get(squashed, squashed)
    return found


def _percent(fraction: Decimal) -> str:
    value = (fraction * HUNDRED).normalize()
    return format(value, "f")


# ---- loading --------------------------------------------------------------------------------


def _broken(name: str, problem: str) -> UserError:
    return broken("评分规则", name, problem)


def _merged(directory: Path, name: str) -> dict[str, Any]:
    return read_extended(directory, name, kind="评分规则", keys=_KEYS, nested={"weights": 1}, decimals=True)


class _Checker:
    """Typed access to a merged rule-set object, raising ``UserError`` naming the problem."""

    def __init__(self, name: str, data: dict[str, Any]) -> None:
        self.name = name
        self.data = data

    def fail(self, problem: str) -> UserError:
        return _broken(self.name, problem)

    def get(self, key: str) -> Any:
        if key not in self.data:
            raise self.fail(f"缺少字段“{key}”")
        return self.data[key]

    def text(self, key: str) -> str:
        value = self.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"“{key}”应为非空文本")
        return value

    def number(self, value: Any, where: str, low: Decimal = Decimal(0), high: Decimal = HUNDRED) -> Decimal:
        if not isinstance(value, Decimal) or not value.is_finite() or not low <= value <= high:
            raise self.fail(f"“{where}”应为 {low} 到 {high} 之间的数")
        return value

    def mapping(self, key: str) -> Mapping[str, Any]:
        value = self.get(key)
        if not isinstance(value, dict):
            raise self.fail(f"“{key}”应为对象")
        return value

    def names(self, value: Any, where: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(f"“{where}”应为文本列表")
        return tuple(value)

    def pairs(self, key: str) -> tuple[tuple[str, str], ...]:
        out = []
        for alias, canonical in self.mapping(key).items():
            if not isinstance(canonical, str) or not canonical.strip():
                raise self.fail(f"“{key}.{alias}”应为文本")
            out.append((alias, canonical))
        return tuple(out)

    def scheme(self, kind: str, level1_aliases: dict[str, str]) -> WeightScheme:
        weights = self.mapping("weights")
        data = weights.get(kind)
        if not isinstance(data, dict) or set(data) - {"exec", "levels"} or "exec" not in data:
            raise self.fail(f'“weights.{kind}”应为 {{"exec": 分值, "levels": {{一级指标: 分值}}}}')
        exec_weight = self.number(data["exec"], f"weights.{kind}.exec")
        levels_data = data.get("levels", {})
        if not isinstance(levels_data, dict):
            raise self.fail(f"“weights.{kind}.levels”应为对象")
        levels: list[tuple[str, Decimal]] = []
        for level1, weight in levels_data.items():
            if level1 in level1_aliases:
                raise self.fail(f"“weights.{kind}.levels”应使用规范名称“{level1_aliases[level1]}”而非“{level1}”")
            levels.append((level1, self.number(weight, f"weights.{kind}.levels.{level1}")))
        total = exec_weight + sum((w for _, w in levels), Decimal(0))
        if levels and total != HUNDRED:
            raise self.fail(f"“weights.{kind}”的分值合计为 {total}，应为 100")
        return WeightScheme(exec_weight, tuple(levels))


def _build(name: str, data: dict[str, Any]) -> RuleSet:
    c = _Checker(name, data)
    if c.text("name") != name:
        raise c.fail(f"“name”应与文件名一致（{name}）")
    level1_aliases = c.pairs("level1_aliases")
    alias_map = dict(level1_aliases)
    standard: list[tuple[str, tuple[str, ...]]] = []
    for level1, names in c.mapping("level2_standard").items():
        standard.append((level1, c.names(names, f"level2_standard.{level1}")))
    lower_formula = c.get("lower_formula")
    if lower_formula not in LOWER_FORMULAS:
        raise c.fail(f"“lower_formula”应为 {' / '.join(LOWER_FORMULAS)}")
    bands = c.mapping("bands")
    if set(bands) != {"met", "partly"}:
        raise c.fail('“bands”应为 {"met": 达成下限, "partly": 部分达成下限}（百分数）')
    met = c.number(bands["met"], "bands.met") / HUNDRED
    partly = c.number(bands["partly"], "bands.partly") / HUNDRED
    if not Decimal(0) < partly < met <= Decimal(1):
        raise c.fail("分档应满足 0 < 部分达成下限 < 达成下限 ≤ 100")
    scores = c.mapping("band_scores")
    if set(scores) != {b.value for b in Band}:
        raise c.fail("“band_scores”应给出 met / partly / not_met 三档的默认得分率（百分数）")
    band_scores = tuple((b, c.number(scores[b.value], f"band_scores.{b.value}") / HUNDRED) for b in Band)
    over_target = c.number(c.get("over_target"), "over_target", Decimal(100), Decimal(1000)) / HUNDRED
    over_lower = c.get("over_target_lower")
    if over_lower not in OVER_TARGET_LOWER_SCOPES:
        raise c.fail(f"“over_target_lower”应为 {' / '.join(OVER_TARGET_LOWER_SCOPES)}")
    grades_data = c.get("grades")
    if not isinstance(grades_data, list) or not grades_data:
        raise c.fail("“grades”应为等级列表")
    grades: list[tuple[str, Decimal]] = []
    for i, item in enumerate(grades_data):
        if not isinstance(item, dict) or set(item) != {"grade", "min"} or not isinstance(item["grade"], str):
            raise c.fail(f'“grades[{i}]”应为 {{"grade": 等级, "min": 最低分}}')
        grades.append((item["grade"], c.number(item["min"], f"grades[{i}].min")))
    if any(a[1] <= b[1] for a, b in zip(grades, grades[1:], strict=False)) or grades[-1][1] != 0:
        raise c.fail("“grades”应按最低分从高到低排列，最后一档最低分为 0")
    grade_dept = c.get("grade_dept")
    if not isinstance(grade_dept, bool):
        raise c.fail("“grade_dept”应为 true 或 false")
    decimals = c.get("decimals")
    if not isinstance(decimals, Decimal) or decimals != decimals.to_integral_value() or not 0 <= decimals <= 4:
        raise c.fail("“decimals”应为 0 到 4 的整数")
    rounding = c.get("rounding")
    if rounding not in ROUNDINGS:
        raise c.fail(f"“rounding”应为 {' / '.join(ROUNDINGS)}")
    ruleset = RuleSet(
        name=name,
        label=c.text("label"),
        description=c.text("description"),
        project=c.scheme("project", alias_map),
        dept=c.scheme("dept", alias_map),
        level1_aliases=level1_aliases,
        level2_standard=tuple(standard),
        level2_aliases=c.pairs("level2_aliases"),
        level2_free=c.names(c.get("level2_free"), "level2_free"),
        plain_lower_levels=c.names(c.get("plain_lower_levels"), "plain_lower_levels"),
        lower_formula=lower_formula,
        band_met=met,
        band_partly=partly,
        band_scores=band_scores,
        over_target=over_target,
        over_target_lower=over_lower,
        grades=tuple(grades),
        grade_dept=grade_dept,
        affirmative=frozenset(c.names(c.get("affirmative"), "affirmative")),
        decimals=int(decimals),
        rounding=rounding,
    )
    for band, fraction in band_scores:
        if not ruleset.in_band(band, fraction):
            raise c.fail(f"“band_scores.{band.value}”不在该档范围内")
    lower_names = c.names(c.get("plain_lower_names"), "plain_lower_names")
    higher_names = c.names(c.get("plain_higher_names"), "plain_higher_names")
    both = sorted(set(lower_names) & set(higher_names))
    if both:
        raise c.fail(f"“{'、'.join(both)}”不能同时列在 plain_lower_names 和 plain_higher_names 中")
    for key, words in (("plain_lower_names", lower_names), ("plain_higher_names", higher_names)):
        if len(set(words)) != len(words):
            raise c.fail(f"“{key}”中有重复的词")
        if any(len("".join(w.split())) != len(w) for w in words):
            raise c.fail(f"“{key}”中的词不能含空格")
    ruleset = replace(ruleset, plain_lower_names=lower_names, plain_higher_names=higher_names)
    if not ruleset.dept.levels:
        raise c.fail("“weights.dept.levels”不能为空（部门整体自评表格式A按一级指标计分）")
    return ruleset


@lru_cache(maxsize=32)
def _load(directory: Path, name: str) -> RuleSet:
    return _build(name, _merged(directory, name))


def load_ruleset(name: str | None = None) -> RuleSet:
    """The rule set of this name (default ``central``).

    Raises:
        UserError: unknown name, or a file that is not a valid rule set (message in Chinese).
    """
    return _load(RULESET_DIR, name or DEFAULT_RULESET)


def available_rulesets() -> list[RuleSet]:
    """Every valid rule set shipped, the default first, then by name (broken files are skipped)."""
    out: list[RuleSet] = []
    for path in sorted(RULESET_DIR.glob("*.json")):
        try:
            out.append(_load(RULESET_DIR, path.stem))
        except UserError:
            continue
    out.sort(key=lambda r: (r.name != DEFAULT_RULESET, r.name))
    return out
