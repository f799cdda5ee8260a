"""Print templates: how a region prints each form kind, read from ``templates/<name>.json``.

A template names, per printed layout (``PRINT_KINDS``), the title pattern, which blocks print in
what order, the indicator table's columns, whether empty standard 二级 rows print, whether 一级
labels carry their block weight, footnotes and the sign-off fields; and, for the whole export, the
decimals of money, rates and scores and the preferred font (the PC's own 宋体/仿宋 where present).
A file may ``extends`` another; its ``forms`` entries are merged key by key. Adding a region is
adding a file. Every problem in a file is one Chinese ``UserError`` naming the file and the key.

Title patterns use ``{title}`` (the form's title), ``{kind}`` (the kind's Chinese name),
``{year}``, ``{unit}`` and ``{seq}`` (the form's number among the exported forms of its kind);
a part in square brackets is left out when a placeholder in it is empty: ``[（{year}年度）]``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from desktop.models.data_files import broken, read_extended
from desktop.models.errors import UserError
from desktop.models.workbook.domain import DEFAULT_TEMPLATE, Form, FormKind

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
_FIELD_RE = re.compile(r"\{(\w+)\}")
_OPTIONAL_RE = re.compile(r"\[([^\[\]]*)\]")

# The printed layouts: the four kinds, with the department target's project blocks and the
# department self-evaluation's layout B (goals with their own indicators) apart.
PRINT_KINDS: tuple[str, ...] = (
    "project_target",
    "dept_target",
    "dept_target_project",
    "project_self_eval",
    "dept_self_eval",
    "dept_self_eval_b",
)
PRINT_KIND_LABELS: dict[str, str] = {
    "project_target": "项目支出绩效目标表",
    "dept_target": "部门整体支出绩效目标表",
    "dept_target_project": "部门整体支出绩效目标表（项目）",
    "project_self_eval": "项目支出绩效自评表",
    "dept_self_eval": "部门整体支出绩效自评表（格式A）",
    "dept_self_eval_b": "部门整体支出绩效自评表（格式B）",
}
_SELF_EVAL_KINDS = ("project_self_eval", "dept_self_eval", "dept_self_eval_b")

# Blocks each layout can print (the order in a template is the printed order).
BLOCKS: dict[str, frozenset[str]] = {
    "project_target": frozenset({"header", "funds", "goals", "indicators", "notes", "footnotes", "signoff"}),
    "dept_target": frozenset({"header", "goals", "measures", "indicators", "footnotes", "signoff"}),
    "dept_target_project": frozenset({"header", "funds", "plan", "goals", "indicators", "footnotes", "signoff"}),
    "project_self_eval": frozenset(
        {"header", "funds", "goals", "indicators", "conclusion", "notes", "footnotes", "signoff"}
    ),
    "dept_self_eval": frozenset(
        {"header", "funds", "goals", "indicators", "conclusion", "notes", "footnotes", "signoff"}
    ),
    "dept_self_eval_b": frozenset(
        {"header", "funds", "goals", "indicators", "conclusion", "notes", "footnotes", "signoff"}
    ),
}

# Indicator table columns: the field each shows. ``section`` and ``goal`` (layout B only) are merged
# label columns left of 一级: a vertical section label and 绩效目标N.
COLUMN_FIELDS = frozenset(
    {"section", "goal", "level1", "level2", "name", "description", "target", "basis", "actual"}
    | {"weight", "score", "deviation"}
)
LABEL_FIELDS = ("section", "goal", "level1", "level2")
_SCORE_FIELDS = frozenset({"weight", "score", "actual", "deviation"})

# Sign-off labels and the Signoff field they show (others print a blank line to sign on).
SIGNOFF_FIELDS: dict[str, str] = {
    "单位负责人": "head",
    "项目负责人": "head",
    "主要领导签字": "head",
    "填报人": "preparer",
    "联系电话": "phone",
    "填报日期": "date",
}

_TOP_KEYS = frozenset({"name", "label", "description", "extends", "font", "decimals", "forms"})
_FORM_KEYS = frozenset(
    {"title", "subtitle", "blocks", "columns", "empty_level2", "level1_weights", "footnotes", "signoff"}
)


@dataclass(frozen=True)
class Column:
    """One indicator table column: the field it shows and its printed head."""

    field: str
    head: str


@dataclass(frozen=True)
class FormLayout:
    """How one printed layout prints under a template.

    Attributes:
        title: the title pattern (see the module docstring).
        subtitle: a second title line pattern (empty: none), e.g. ``[（{year}年度）]``.
        blocks: the blocks that print, in order.
        columns: the indicator table's columns, label columns first.
        empty_level2: print every standard 二级 of a printed 一级, empty ones included.
        level1_weights: 一级 labels carry their block weight (``产出指标(50分)``).
        footnotes: lines printed under the table (注1：…).
        signoff: the sign-off labels, in order (empty: no sign-off line).
    """

    title: str
    subtitle: str
    blocks: tuple[str, ...]
    columns: tuple[Column, ...]
    empty_level2: bool
    level1_weights: bool
    footnotes: tuple[str, ...]
    signoff: tuple[str, ...]

    def shows(self, block: str) -> bool:
        """Whether ``block`` prints."""
        return block in self.blocks

    @property
    def label_count(self) -> int:
        """How many merged label columns lead the indicator table."""
        return sum(1 for column in self.columns if column.field in LABEL_FIELDS)

    def column(self, field: str) -> int | None:
        """The position of the column showing ``field``, if any."""
        return next((n for n, column in enumerate(self.columns) if column.field == field), None)


@dataclass(frozen=True)
class Decimals:
    """Decimals printed: money (None: as entered), rates (percent) and scores (at most, zeros dropped)."""

    money: int | None
    rate: int
    score: int


@dataclass(frozen=True)
class PrintTemplate:
    """A region's print template.

    Attributes:
        name: the file name without ``.json`` (what ``Workbook.template`` records).
        label: its Chinese name for menus.
        description: what it reproduces, with its sources.
        fonts: preferred font labels (``fonts.KNOWN_FONT_FILES``), the first found on this PC wins.
        decimals: number formats.
        layouts: the layout of each print kind.
    """

    name: str
    label: str
    description: str
    fonts: tuple[str, ...]
    decimals: Decimals
    layouts: Mapping[str, FormLayout]

    def layout(self, kind: str) -> FormLayout:
        """The layout of print kind ``kind``."""
        return self.layouts[kind]


def fill_pattern(pattern: str, values: Mapping[str, str]) -> str:
    """A title pattern with its placeholders filled; ``[…]`` parts with an empty placeholder vanish."""

    def optional(match: re.Match[str]) -> str:
        part = match.group(1)
        if any(not values.get(name, "") for name in _FIELD_RE.findall(part)):
            return ""
        return part

    text = _OPTIONAL_RE.sub(optional, pattern)
    return _FIELD_RE.sub(lambda m: values.get(m.group(1), ""), text)


def print_kind(form: Form, *, project_block: bool, goal_layout: bool) -> str:
    """The print kind of a form (its kind, with the two split layouts told apart)."""
    if form.kind is FormKind.DEPT_TARGET and project_block:
        return "dept_target_project"
    if form.kind is FormKind.DEPT_SELF_EVAL and goal_layout:
        return "dept_self_eval_b"
    return form.kind.value


# ---- loading ---------------------------------------------------------------------------------


def _broken(name: str, problem: str) -> UserError:
    return broken("打印模板", name, problem)


def _merged(directory: Path, name: str) -> dict[str, Any]:
    return read_extended(directory, name, kind="打印模板", keys=_TOP_KEYS, nested={"forms": 2, "decimals": 2})


class _Checker:
    """Typed access to one object of a template, raising ``UserError`` naming the key."""

    def __init__(self, name: str, data: Mapping[str, Any], where: str = "") -> None:
        self.name = name
        self.data = data
        self.where = where

    def fail(self, key: str, problem: str) -> UserError:
        return _broken(self.name, f"“{self.where}{key}”{problem}")

    def get(self, key: str) -> Any:
        if key not in self.data:
            raise _broken(self.name, f"缺少字段“{self.where}{key}”")
        return self.data[key]

    def text(self, key: str, *, empty: bool = False) -> str:
        value = self.get(key)
        if not isinstance(value, str) or (not empty and not value.strip()):
            raise self.fail(key, "应为非空文本" if not empty else "应为文本")
        return value

    def flag(self, key: str) -> bool:
        value = self.get(key)
        if not isinstance(value, bool):
            raise self.fail(key, "应为 true 或 false")
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.get(key)
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(key, "应为文本列表")
        return tuple(value)

    def places(self, key: str, *, none: bool = False) -> int | None:
        value = self.get(key)
        if value is None and none:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 4:
            raise self.fail(key, "应为 0 到 4 的整数" + ("或 null（按录入显示）" if none else ""))
        return value


def _pattern(c: _Checker, key: str, *, empty: bool = False) -> str:
    pattern = c.text(key, empty=empty)
    for field in _FIELD_RE.findall(pattern):
        if field not in {"title", "kind", "year", "unit", "seq"}:
            raise c.fail(key, f"含未知占位符“{{{field}}}”")
    return pattern


def _columns(c: _Checker, kind: str) -> tuple[Column, ...]:
    value = c.get("columns")
    if not isinstance(value, list) or not value:
        raise c.fail("columns", '应为列的列表（[{"field": …, "head": …}, …]）')
    columns: list[Column] = []
    for n, item in enumerate(value):
        if not isinstance(item, dict) or set(item) != {"field", "head"} or not isinstance(item["head"], str):
            raise c.fail(f"columns[{n}]", '应为 {"field": 字段, "head": 列标题}')
        if item["field"] not in COLUMN_FIELDS:
            raise c.fail(f"columns[{n}].field", f"应为 {' / '.join(sorted(COLUMN_FIELDS))} 之一")
        columns.append(Column(item["field"], item["head"]))
    fields = [column.field for column in columns]
    if len(set(fields)) != len(fields):
        raise c.fail("columns", "含重复的字段")
    labels = [f for f in fields if f in LABEL_FIELDS]
    if fields[: len(labels)] != labels or labels[-2:] != ["level1", "level2"]:
        raise c.fail("columns", "应以合并的标签列开头并以 level1、level2 结束标签列")
    if ("goal" in labels or "section" in labels) and kind != "dept_self_eval_b":
        raise c.fail("columns", "只有 dept_self_eval_b 可以有 goal / section 列")
    if "name" not in fields:
        raise c.fail("columns", "缺少三级指标列（name）")
    if kind not in _SELF_EVAL_KINDS and _SCORE_FIELDS & set(fields):
        raise c.fail("columns", "目标表不能有实际完成值、分值、得分或偏差原因列")
    return tuple(columns)


def _layout(name: str, kind: str, data: Any) -> FormLayout:
    if not isinstance(data, dict):
        raise _broken(name, f"“forms.{kind}”应为对象")
    unknown = sorted(set(data) - _FORM_KEYS)
    if unknown:
        raise _broken(name, f"未知字段“forms.{kind}.{unknown[0]}”")
    c = _Checker(name, data, f"forms.{kind}.")
    blocks = c.texts("blocks")
    for block in blocks:
        if block not in BLOCKS[kind]:
            raise c.fail("blocks", f"含未知的块“{block}”（可用：{' / '.join(sorted(BLOCKS[kind]))}）")
    if len(set(blocks)) != len(blocks):
        raise c.fail("blocks", "含重复的块")
    if "indicators" not in blocks and kind != "dept_target":
        raise c.fail("blocks", "缺少 indicators")
    signoff = c.get("signoff")
    if not isinstance(signoff, list) or not all(isinstance(v, str) and v.strip() for v in signoff):
        raise c.fail("signoff", "应为签字栏标签的列表（可为空）")
    if signoff and "signoff" not in blocks:
        raise c.fail("signoff", "有签字栏标签，但 blocks 中没有 signoff")
    footnotes = c.get("footnotes")
    if not isinstance(footnotes, list) or not all(isinstance(v, str) and v.strip() for v in footnotes):
        raise c.fail("footnotes", "应为文本列表（可为空）")
    weights = c.flag("level1_weights")
    if weights and kind not in _SELF_EVAL_KINDS:
        raise c.fail("level1_weights", "只适用于自评表")
    return FormLayout(
        title=_pattern(c, "title"),
        subtitle=_pattern(c, "subtitle", empty=True),
        blocks=blocks,
        columns=_columns(c, kind),
        empty_level2=c.flag("empty_level2"),
        level1_weights=weights,
        footnotes=tuple(footnotes),
        signoff=tuple(signoff),
    )


def _build(name: str, data: dict[str, Any]) -> PrintTemplate:
    c = _Checker(name, data)
    if c.text("name") != name:
        raise c.fail("name", f"应与文件名一致（{name}）")
    forms = c.get("forms")
    if not isinstance(forms, dict):
        raise c.fail("forms", "应为对象")
    missing = [kind for kind in PRINT_KINDS if kind not in forms]
    if missing:
        raise _broken(name, f"缺少“forms.{missing[0]}”")
    unknown = sorted(set(forms) - set(PRINT_KINDS))
    if unknown:
        raise _broken(name, f"未知的表样“forms.{unknown[0]}”")
    decimals_data = c.get("decimals")
    if not isinstance(decimals_data, dict) or set(decimals_data) != {"money", "rate", "score"}:
        raise c.fail("decimals", '应为 {"money": 小数位或 null, "rate": 小数位, "score": 小数位}')
    d = _Checker(name, decimals_data, "decimals.")
    decimals = Decimals(money=d.places("money", none=True), rate=d.places("rate") or 0, score=d.places("score") or 0)
    return PrintTemplate(
        name=name,
        label=c.text("label"),
        description=c.text("description"),
        fonts=c.texts("font"),
        decimals=decimals,
        layouts={kind: _layout(name, kind, forms[kind]) for kind in PRINT_KINDS},
    )


@lru_cache(maxsize=32)
def _load(directory: Path, name: str) -> PrintTemplate:
    return _build(name, _merged(directory, name))


def load_template(name: str | None = None, directory: Path = TEMPLATE_DIR) -> PrintTemplate:
    """The print template of this name (default ``central``).

    Raises:
        UserError: unknown name, or a file that is not a valid template (message in Chinese).
    """
    return _load(directory, name or DEFAULT_TEMPLATE)


def available_templates(directory: Path = TEMPLATE_DIR) -> list[PrintTemplate]:
    """Every valid template shipped, the default first, then by name (broken files are skipped)."""
    out: list[PrintTemplate] = []
    for path in sorted(directory.glob("*.json")):
        try:
            out.append(_load(directory, path.stem))
        except UserError:
            continue
    out.sort(key=lambda t: (t.name != DEFAULT_TEMPLATE, t.name))
    return out
