"""Reads and writes the JSON interchange format (workbook-format.md, version 1).

Reading checks every key and type and raises ``InvalidInputError`` whose message names the path
and the problem in Chinese (``forms[2].indicators[5].weight：“abc” 不是数字``); nothing is
half-built. Numbers are read as ``Decimal`` (never binary floats) and written back with the
digits they were read with, so a file round-trips exactly.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from json.encoder import encode_basestring as _encode_string  # the C encoder where available
from typing import Any, TypeVar

from desktop.models.errors import InvalidInputError, describe_os_error
from desktop.models.limits import BAD_CHARS, number_problem, text_problem
from desktop.models.limits import MAX_TEXT_LENGTH as _TEXT_LIMIT
from desktop.models.workbook.domain import (
    DEFAULT_RULESET,
    DEFAULT_TEMPLATE,
    FUND_LINES,
    Band,
    Budget,
    Form,
    FormKind,
    FundLine,
    Goal,
    Indicator,
    Signoff,
    SpendingStep,
    Unit,
    Workbook,
)

FORMAT_NAME = "jixiao-workbook"
FORMAT_VERSION = 1
# Guards against hostile input: a real workbook is far below these.
MAX_TEXT_LENGTH = 100_000
MAX_DEPTH = 20
MAX_ITEMS = 100_000

T = TypeVar("T")


def _fail(path: str, problem: str) -> InvalidInputError:
    return InvalidInputError(f"{path}：{problem}" if path else problem)


def _show(value: object) -> str:
    if isinstance(value, str | Decimal):
        text = str(value)
    else:
        text = json.dumps(value, ensure_ascii=False, default=str)
    if len(text) > 40:
        text = text[:40] + "…"
    return f"“{text}”"


class _Reader:
    """Typed access to one JSON object, with its path for messages; rejects unknown keys."""

    def __init__(self, data: object, path: str, allowed: tuple[str, ...]) -> None:
        if not isinstance(data, dict):
            raise _fail(path, f"应为对象（{{…}}），实际为 {_show(data)}")
        if data.keys() - allowed:  # in C; the first unknown key in the file's order is named
            key = next(key for key in data if key not in allowed)
            raise _fail(_join(path, key), "未知字段")
        self.data: dict[str, Any] = data
        self.path = path

    def has(self, key: str) -> bool:
        return key in self.data

    def text(self, key: str, *, required: bool = False) -> str | None:
        value = self._get(key, required)
        if value is None:
            return None
        if type(value) is str and len(value) <= _TEXT_LIMIT and BAD_CHARS.search(value) is None:
            return value  # the common case, as text_problem would pass it
        if not isinstance(value, str):
            raise _fail(_join(self.path, key), f"{_show(value)} 不是文本")
        problem = text_problem(value)
        if problem is not None:
            raise _fail(_join(self.path, key), problem)
        return value

    def decimal(self, key: str) -> Decimal | None:
        value = self._get(key, False)
        if value is None:
            return None
        if type(value) is Decimal and value.is_finite() and number_problem(value) is None:
            return value  # the common case, without building the path for a message
        return to_decimal(value, _join(self.path, key))

    def integer(self, key: str, *, required: bool = False) -> int | None:
        value = self._get(key, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
            raise _fail(_join(self.path, key), f"{_show(value)} 不是整数")
        number = to_decimal(value, _join(self.path, key))
        if number != number.to_integral_value() or abs(number) > 10**9:
            raise _fail(_join(self.path, key), f"{_show(str(value))} 不是整数")
        return int(number)

    def items(self, key: str, build: Callable[[object, str], T], *, required: bool = False) -> list[T] | None:
        value = self._get(key, required)
        if value is None:
            return None
        path = _join(self.path, key)
        if not isinstance(value, list):
            raise _fail(path, f"应为列表（[…]），实际为 {_show(value)}")
        if len(value) > MAX_ITEMS:
            raise _fail(path, f"条目过多（{len(value)}）")
        return [build(item, f"{path}[{i}]") for i, item in enumerate(value)]

    def _get(self, key: str, required: bool) -> Any:
        if key not in self.data:
            if required:
                raise _fail(_join(self.path, key), "缺少必填字段")
            return None
        return self.data[key]


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def to_decimal(value: object, path: str = "") -> Decimal:
    """A JSON number or numeric string as a finite Decimal, else ``InvalidInputError``."""
    if isinstance(value, bool):
        raise _fail(path, f"{_show(value)} 不是数字")
    if isinstance(value, Decimal | int):
        number = Decimal(value)
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip().replace(",", ""))
        except InvalidOperation:
            raise _fail(path, f"{_show(value)} 不是数字") from None
    else:
        raise _fail(path, f"{_show(value)} 不是数字")
    if not number.is_finite() or (number != 0 and number.adjusted() >= 15):  # abs() would overflow on 1e999999999
        raise _fail(path, f"{_show(str(value))} 不是有效数字")
    problem = number_problem(number)
    if problem is not None:
        raise _fail(path, f"{_show(str(value)[:40])} {problem}")
    return number


def _unit(data: object, path: str) -> Unit:
    r = _Reader(data, path, ("code", "name"))
    return Unit(code=r.text("code") or "", name=r.text("name") or "")


def _budget(data: object, path: str) -> Budget:
    r = _Reader(data, path, ("amount", "fiscal", "other"))
    return Budget(amount=r.decimal("amount"), fiscal=r.decimal("fiscal"), other=r.decimal("other"))


def _fund(data: object, path: str) -> FundLine:
    r = _Reader(data, path, ("line", "initial", "full_year", "executed"))
    line = r.text("line", required=True)
    if line not in FUND_LINES:
        raise _fail(_join(path, "line"), f"{_show(line)} 不是资金行（应为 {' / '.join(FUND_LINES)}）")
    return FundLine(
        line=line, initial=r.decimal("initial"), full_year=r.decimal("full_year"), executed=r.decimal("executed")
    )


def _step(data: object, path: str) -> SpendingStep:
    r = _Reader(data, path, ("by", "percent"))
    return SpendingStep(by=r.text("by") or "", percent=r.decimal("percent"))


def _goal(data: object, path: str) -> Goal:
    r = _Reader(data, path, ("no", "target", "actual"))
    return Goal(no=r.integer("no", required=True) or 0, target=r.text("target"), actual=r.text("actual"))


def _signoff(data: object, path: str) -> Signoff:
    r = _Reader(data, path, ("head", "preparer", "phone", "date"))
    return Signoff(head=r.text("head"), preparer=r.text("preparer"), phone=r.text("phone"), date=r.text("date"))


_INDICATOR_KEYS = (
    "goal",
    "level1",
    "level2",
    "name",
    "description",
    "target",
    "basis",
    "actual",
    "weight",
    "score",
    "band",
    "deviation",
)
#: The completion band as the format writes it (workbook-format.md).
BAND_NAMES: dict[Band, str] = {Band.MET: "达成", Band.PARTLY: "部分达成", Band.NOT_MET: "未达成"}


def _band(r: _Reader) -> Band | None:
    name = r.text("band")
    if name is None:
        return None
    for band, band_name in BAND_NAMES.items():
        if name == band_name:
            return band
    raise _fail(_join(r.path, "band"), f"{_show(name)} 不是完成档次（应为 {' / '.join(BAND_NAMES.values())}）")


_INDICATOR_KEY_SET = frozenset(_INDICATOR_KEYS)
_INDICATOR_TEXTS = ("level1", "level2", "name", "description", "target", "basis", "actual", "deviation")
_BAND_BY_NAME = {name: band for band, name in BAND_NAMES.items()}
_GOAL_LIMIT = 10**9
_INT_LIMIT = 10**15  # a whole number below this is a plain Decimal (to_decimal's bound)


def _indicator(data: object, path: str) -> Indicator:
    if type(data) is dict:
        quick = _plain_indicator(data)
        if quick is not None:
            return quick
    return _read_indicator(data, path)


def _read_indicator(data: object, path: str) -> Indicator:
    r = _Reader(data, path, _INDICATOR_KEYS)
    return Indicator(
        goal=r.integer("goal"),
        level1=r.text("level1") or "",
        level2=r.text("level2") or "",
        name=r.text("name") or "",
        description=r.text("description"),
        target=r.text("target"),
        basis=r.text("basis"),
        actual=r.text("actual"),
        weight=r.decimal("weight"),
        score=r.decimal("score"),
        band=_band(r),
        deviation=r.text("deviation"),
    )


def _plain_indicator(data: dict[str, Any]) -> Indicator | None:
    """The indicator when every value is of the usual kind (what ``_Reader`` would accept as it is), else None.

    Texts are checked at once (joined by a line break, which both allow: only texts join, then one
    length check and one control-character search); anything else (a number written as text, an integer
    goal as a Decimal, a text over the limit…) goes through ``_Reader``, which converts it or names it.
    """
    if not data.keys() <= _INDICATOR_KEY_SET:
        return None
    get = data.get
    texts = tuple(map(get, _INDICATOR_TEXTS))
    try:
        joined = "\n".join([text for text in texts if text is not None])
    except TypeError:  # not text (a number, a list…): _Reader names it
        return None
    if len(joined) > _TEXT_LIMIT or BAD_CHARS.search(joined) is not None:
        return None
    weight, score, goal, band = get("weight"), get("score"), get("goal"), get("band")
    if weight is not None:
        if type(weight) is int and -_INT_LIMIT < weight < _INT_LIMIT:  # 2, as JSON writes a whole 分值
            weight = Decimal(weight)  # within every bound of number_problem
        elif type(weight) is not Decimal or number_problem(weight) is not None:
            return None
    if score is not None:
        if type(score) is int and -_INT_LIMIT < score < _INT_LIMIT:
            score = Decimal(score)
        elif type(score) is not Decimal or number_problem(score) is not None:
            return None
    if goal is not None and (type(goal) is not int or not -_GOAL_LIMIT <= goal <= _GOAL_LIMIT):
        return None
    band_value = None
    if band is not None:
        band_value = _BAND_BY_NAME.get(band) if type(band) is str else None
        if band_value is None:
            return None
    level1, level2, name, description, target, basis, actual, deviation = texts
    return Indicator(  # positionally, in the field order (half the time of keywords)
        level1 or "", level2 or "", name or "", description, target, basis, actual, weight, score, deviation,
        goal, band_value,
    )  # fmt: skip


_FORM_KEYS = (
    "kind",
    "title",
    "code",
    "unit",
    "department",
    "money_unit",
    "purpose",
    "budget",
    "funds",
    "exec_weight",
    "exec_score",
    "spending_plan",
    "overall_target",
    "overall_actual",
    "goals",
    "indicators",
    "deviation",
    "printed_total",
    "conclusion",
    "notes",
    "signoff",
)


def _form(data: object, path: str) -> Form:
    r = _Reader(data, path, _FORM_KEYS)
    kind_text = r.text("kind", required=True)
    try:
        kind = FormKind(kind_text or "")
    except ValueError:
        kinds = " / ".join(k.value for k in FormKind)
        raise _fail(_join(path, "kind"), f"{_show(kind_text)} 不是表格种类（应为 {kinds}）") from None
    return Form(
        kind=kind,
        title=r.text("title") or "",
        code=r.text("code"),
        unit=_unit(r.data["unit"], _join(path, "unit")) if r.data.get("unit") is not None else None,
        department=r.text("department"),
        money_unit=r.text("money_unit"),
        purpose=r.text("purpose"),
        budget=_budget(r.data["budget"], _join(path, "budget")) if r.data.get("budget") is not None else None,
        funds=r.items("funds", _fund),
        exec_weight=r.decimal("exec_weight"),
        exec_score=r.decimal("exec_score"),
        spending_plan=r.items("spending_plan", _step),
        overall_target=r.text("overall_target"),
        overall_actual=r.text("overall_actual"),
        goals=r.items("goals", _goal),
        indicators=r.items("indicators", _indicator) or [],
        deviation=r.text("deviation"),
        printed_total=r.decimal("printed_total"),
        conclusion=r.text("conclusion"),
        notes=r.text("notes"),
        signoff=_signoff(r.data["signoff"], _join(path, "signoff")) if r.data.get("signoff") is not None else None,
    )


def workbook_from_data(data: object) -> Workbook:
    """Build a workbook from parsed JSON data; raises ``InvalidInputError`` naming the path."""
    r = _Reader(data, "", ("format", "version", "unit", "year", "ruleset", "template", "forms"))
    if r.data.get("format") != FORMAT_NAME:
        raise _fail("format", f"应为 “{FORMAT_NAME}”，这不是预算绩效工作簿文件")
    version = r.integer("version", required=True)
    if version != FORMAT_VERSION:
        raise _fail("version", f"不支持的格式版本 {version}（本程序读取版本 {FORMAT_VERSION}）")
    return Workbook(
        unit=_unit(r.data["unit"], "unit") if r.data.get("unit") is not None else Unit(),
        year=r.integer("year"),
        forms=r.items("forms", _form, required=True) or [],
        ruleset=_identifier(r, "ruleset") or DEFAULT_RULESET,
        template=_identifier(r, "template") or DEFAULT_TEMPLATE,
    )


def _identifier(r: _Reader, key: str) -> str | None:
    """A rule-set or template id: a short name of letters, digits, ``-`` and ``_`` (it names a data file)."""
    value = r.text(key)
    if value is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", value):
        raise _fail(key, f"{_show(value)} 不是有效的名称（只能由字母、数字、- 和 _ 组成）")
    return value


_TOO_DEEP = f"JSON 嵌套过深（超过 {MAX_DEPTH} 层），不是工作簿文件"


def _too_deep(data: object) -> bool:
    """Whether lists and objects nest deeper than ``MAX_DEPTH`` (walked without recursion)."""
    if type(data) is not dict and type(data) is not list:
        return False
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        children = value.values() if type(value) is dict else value
        if _CONTAINERS.isdisjoint(map(type, children)):
            continue  # only plain values (an indicator's texts and numbers): no loop in Python over them
        for child in children:
            if type(child) is dict or type(child) is list:
                stack.append((child, depth + 1))
    return False


_CONTAINERS = frozenset({dict, list})


def loads(text: str) -> Workbook:
    """Parse interchange JSON text into a workbook (``InvalidInputError`` on any problem)."""
    try:
        data = json.loads(text, parse_float=Decimal, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise _fail("", f"不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}）") from None
    except ValueError:  # an integer literal longer than Python converts (found by fuzzing)
        raise _fail("", "含有位数过多的数字，不是工作簿文件") from None
    except RecursionError:  # the C parser stops at the interpreter's recursion limit, unharmed
        raise _fail("", _TOO_DEEP) from None
    if _too_deep(data):
        raise _fail("", _TOO_DEEP)
    return workbook_from_data(data)


def _reject_constant(name: str) -> object:
    raise _fail("", f"JSON 中不允许 {name}")


def load_path(path: str) -> Workbook:
    """Read an interchange JSON file (UTF-8, with or without BOM)."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(200_000_001)
    except OSError as exc:
        raise InvalidInputError(f"无法读取文件 {path}：{describe_os_error(exc)}") from None
    if len(raw) > 200_000_000:
        raise InvalidInputError(f"文件过大，不是工作簿文件：{path}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInputError(f"文件不是 UTF-8 编码的 JSON：{path}") from None
    return loads(text)


# ---- writing -------------------------------------------------------------------------------


def _put(out: dict[str, object], key: str, value: object) -> None:
    if value is not None:
        out[key] = value


def _unit_data(unit: Unit) -> dict[str, object]:
    return {"code": unit.code, "name": unit.name}


def _indicator_data(ind: Indicator) -> dict[str, object]:
    out: dict[str, object] = {}
    _put(out, "goal", ind.goal)
    out["level1"] = ind.level1
    out["level2"] = ind.level2
    out["name"] = ind.name
    for key in ("description", "target", "basis", "actual", "weight", "score"):
        _put(out, key, getattr(ind, key))
    if ind.band is not None:
        out["band"] = BAND_NAMES[ind.band]
    _put(out, "deviation", ind.deviation)
    return out


def _form_data(form: Form) -> dict[str, object]:
    out: dict[str, object] = {"kind": form.kind.value, "title": form.title}
    _put(out, "code", form.code)
    if form.unit is not None:
        out["unit"] = _unit_data(form.unit)
    for key in ("department", "money_unit", "purpose"):
        _put(out, key, getattr(form, key))
    if form.budget is not None:
        out["budget"] = {"amount": form.budget.amount, "fiscal": form.budget.fiscal, "other": form.budget.other}
    if form.funds is not None:
        funds = []
        for fund in form.funds:
            row: dict[str, object] = {"line": fund.line}
            for key in ("initial", "full_year", "executed"):
                _put(row, key, getattr(fund, key))
            funds.append(row)
        out["funds"] = funds
    _put(out, "exec_weight", form.exec_weight)
    _put(out, "exec_score", form.exec_score)
    if form.spending_plan is not None:
        out["spending_plan"] = [{"by": s.by, "percent": s.percent} for s in form.spending_plan]
    _put(out, "overall_target", form.overall_target)
    _put(out, "overall_actual", form.overall_actual)
    if form.goals is not None:
        goals = []
        for goal in form.goals:
            row = {"no": goal.no}
            _put(row, "target", goal.target)
            _put(row, "actual", goal.actual)
            goals.append(row)
        out["goals"] = goals
    if form.indicators:  # an absent list and an empty one mean the same; write neither
        out["indicators"] = [_indicator_data(ind) for ind in form.indicators]
    for key in ("deviation", "printed_total", "conclusion", "notes"):
        _put(out, key, getattr(form, key))
    if form.signoff is not None:
        out["signoff"] = {
            k: getattr(form.signoff, k)
            for k in ("head", "preparer", "phone", "date")
            if getattr(form.signoff, k) is not None
        }
    return out


def workbook_to_data(workbook: Workbook) -> dict[str, object]:
    """The workbook as JSON-ready data (Decimals kept as Decimal)."""
    out: dict[str, object] = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "unit": _unit_data(workbook.unit),
        "year": workbook.year,
    }
    # Written only when set (workbook-format.md, Changes), so files of the default rules read as before.
    if workbook.ruleset != DEFAULT_RULESET:
        out["ruleset"] = workbook.ruleset
    if workbook.template != DEFAULT_TEMPLATE:
        out["template"] = workbook.template
    out["forms"] = [_form_data(form) for form in workbook.forms]
    return out


def dumps(workbook: Workbook) -> str:
    """The workbook as interchange JSON text (indented, UTF-8 characters kept)."""
    return dumps_data(workbook_to_data(workbook))


def dumps_data(data: object, indent: int = 1) -> str:
    """JSON text of data that may hold Decimals, written with exactly their digits.

    The layout is ``json.dumps(..., indent=indent, ensure_ascii=False)``'s; strings go through the
    standard library's C string encoder (one ``json.dumps`` per value was ~9× slower).
    """
    parts: list[str] = []
    append = parts.append
    pads: list[str] = []

    def pad(level: int) -> str:
        while len(pads) <= level:
            pads.append("\n" + " " * (indent * len(pads)))
        return pads[level]

    def emit(value: object, level: int) -> None:
        kind = type(value)
        if kind is str:
            append(_encode_string(value))  # type: ignore[arg-type]
        elif kind is Decimal:
            append(format_decimal_json(value))  # type: ignore[arg-type]
        elif kind is dict or isinstance(value, Mapping):
            if not value:
                append("{}")
                return
            inner = pad(level + 1)
            separator = "{" + inner
            for key, item in value.items():  # type: ignore[attr-defined]
                append(separator + _encode_string(key if type(key) is str else str(key)) + ": ")
                emit(item, level + 1)
                separator = "," + inner
            append(pad(level) + "}")
        elif kind is list or kind is tuple or isinstance(value, list | tuple):
            if not value:
                append("[]")
                return
            inner = pad(level + 1)
            separator = "[" + inner
            for item in value:  # type: ignore[attr-defined]
                append(separator)
                emit(item, level + 1)
                separator = "," + inner
            append(pad(level) + "]")
        elif isinstance(value, Decimal):
            append(format_decimal_json(value))
        elif isinstance(value, float):
            raise TypeError("binary floats are not allowed in workbook data")
        elif value is None:
            append("null")
        elif kind is bool:
            append("true" if value else "false")
        elif kind is int:
            append(repr(value))
        elif isinstance(value, str):  # a StrEnum: its value, as json.dumps writes it
            append(_encode_string(value))
        else:
            append(json.dumps(value, ensure_ascii=False))

    emit(data, 0)
    return "".join(parts) + "\n"


def format_decimal_json(value: Decimal) -> str:
    """A Decimal as a JSON number literal, keeping its digits (no exponent)."""
    text = format(value, "f")
    return "0" if text in ("-0", "-0.0") else text
