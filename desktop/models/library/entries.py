"""Library entries and the library file (the bundled ``common.json`` and a user's own, same format).

A library file is untrusted when a user imports it: it is read strictly (known keys only, bounded sizes,
Chinese messages naming the entry), never executed.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from desktop.models.errors import InvalidInputError, describe_os_error

LIBRARY_FORMAT = "jixiao-indicator-library"
LIBRARY_VERSION = 1
BUNDLED = Path(__file__).resolve().parent / "common.json"
MAX_ENTRIES = 100_000
MAX_FIELD = 2_000
MAX_FILE_BYTES = 50_000_000
PLACEHOLDER = "**"
# A number as typed: 1,200 / 95 / 99.5 / .5, in half- or full-width digits (Chinese numerals are words); not a
# count inside a per-unit (元/100km).
_DIGIT = "[0-9０-９]"
NUMBER_RE = re.compile(
    f"(?<![/／0-9０-９.．]){_DIGIT}{{1,3}}(?:[,，]{_DIGIT}{{3}})+(?:[.．]{_DIGIT}+)?"
    f"|(?<![/／0-9０-９.．,，]){_DIGIT}+(?:[.．]{_DIGIT}+)?|(?<![/／0-9０-９])[.．]{_DIGIT}+"
)


def blank_numbers(text: str) -> str:
    """A target as a template: each number a unit sets becomes ``**``; a 0 stays (「0次」 is the target itself)."""
    return NUMBER_RE.sub(lambda m: m.group() if not m.group().strip("0０,，.．") else PLACEHOLDER, text)


DIRECTIONS = ("higher", "lower", "equal", "deadline", "")

#: The bundled library's project categories, in the order they are offered (a user's own entries may use any).
COMMON_CATEGORIES = (
    "会议类",
    "培训类",
    "会议培训类",
    "专项业务类",
    "宣传类",
    "购置类",
    "设备购置类",
    "办公设备类",
    "信息化建设类",
    "信息化运维类",
    "基础设施建设类",
    "房屋修缮类",
    "物业管理类",
    "车辆运行类",
    "规划编制类",
    "补助发放类",
    "教育类",
    "学生资助类",
    "社会救助类",
    "卫生健康类",
    "农业农村类",
    "生态环境类",
    "文化体育类",
    "外事出国类",
    "工资保障类",
    "执法类",
    "文字性成果编纂类",
    "党建工作类",
    "债务付息类",
    "部门整体支出类",
)

#: Words that make an indicator lower-is-better when its direction is not given (a rate of bad things, a cost).
LOWER_WORDS = (
    "差错",
    "投诉",
    "事故",
    "结转结余",
    "超支",
    "超概算",
    "超标",
    "超期",
    "调整率",
    "违规",
    "失误",
    "故障",
    "返工",
    "逾期",
    "损失",
    "安全事件",
    "调整次数",
    "复发",
)
COST_WORDS = ("成本", "费用", "经费", "支出", "标准", "单价", "费")
_COUNT_SPLIT = re.compile(r"[/、，,]")


@dataclass(frozen=True)
class LibraryEntry:
    """One indicator of the library: where it belongs, a typical target, and where it was published.

    ``target`` is a template: ``**`` marks the value the unit fills in (``≥**%``, ``**月**日前``).
    ``note`` says how the entry was read from its source (the target as published, or that none was printed).
    """

    category: str
    level1: str
    level2: str
    name: str
    target: str = ""
    unit: str = ""
    direction: str = ""
    basis: str = ""
    source: str = ""
    note: str = ""


def guess_direction(name: str, level2: str, unit: str) -> str:
    """The direction an unlabelled indicator points, from its own words (``""`` when nothing says)."""
    if name.startswith("是否"):
        return "equal"
    if ("时效" in level2 and not name.endswith("率")) or name.endswith(("时间", "时限", "期限")):
        return "deadline"  # a rate under 时效 (按时发放率) is higher-is-better like any other rate
    if any(word in name for word in LOWER_WORDS):
        return "lower"
    if "成本" in level2 and any(word in name for word in COST_WORDS) and not name.endswith("率"):
        return "lower"
    if unit or name.endswith(("率", "度", "数", "数量", "人数", "次数")):
        return "higher"
    return ""


def target_template(typical: str, unit: str, direction: str) -> str:
    """A target with a placeholder: the published typical target, else the direction's operator."""
    options = _COUNT_SPLIT.split(unit) if unit and unit != "是/否" else [""]
    # 台/件/辆/套 lists alternatives (take the first); 元/人天 or 次/年 is one compound unit.
    first_unit = options[0] if len(options) >= 3 or "、" in unit else (unit if unit != "是/否" else "")
    if typical:
        if first_unit and not typical.endswith(first_unit) and re.search(r"[0-9*]$", typical):
            return typical + first_unit
        return typical
    if direction == "deadline":
        return "**月**日前"
    operator = {"higher": "≥", "lower": "≤", "equal": "="}.get(direction, "")
    return f"{operator}{PLACEHOLDER}{first_unit}" if (operator or first_unit) else ""


def _text(data: dict[str, object], key: str, where: str) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        raise InvalidInputError(f"{where}.{key}：应为文字")
    if len(value) > MAX_FIELD or any(ord(ch) < 32 and ch not in "\t\n" or 0xD800 <= ord(ch) <= 0xDFFF for ch in value):
        raise InvalidInputError(f"{where}.{key}：文字过长或含有控制字符")  # a lone surrogate could not be saved
    return value


def entries_from_data(data: object) -> list[LibraryEntry]:
    """Entries from parsed library JSON; ``InvalidInputError`` names the entry and the problem."""
    if not isinstance(data, dict) or data.get("format") != LIBRARY_FORMAT:
        raise InvalidInputError(f"这不是指标库文件（format 应为 “{LIBRARY_FORMAT}”）")
    if data.get("version") != LIBRARY_VERSION:
        raise InvalidInputError(f"不支持的指标库版本 {data.get('version')!r}")
    raw = data.get("entries")
    if not isinstance(raw, list) or len(raw) > MAX_ENTRIES:
        raise InvalidInputError(f"entries：应为不超过 {MAX_ENTRIES} 条的列表")
    keys = set(LibraryEntry.__dataclass_fields__)
    out: list[LibraryEntry] = []
    for index, item in enumerate(raw):
        where = f"entries[{index}]"
        if not isinstance(item, dict):
            raise InvalidInputError(f"{where}：应为对象")
        unknown = set(item) - keys
        if unknown:
            raise InvalidInputError(f"{where}.{sorted(unknown)[0]}：未知字段")
        fields = {key: _text(item, key, where) for key in keys}
        if not fields["name"].strip():
            raise InvalidInputError(f"{where}.name：指标名称不能为空")
        if fields["direction"] not in DIRECTIONS:
            raise InvalidInputError(f"{where}.direction：应为 {' / '.join(d for d in DIRECTIONS if d)} 或空")
        out.append(LibraryEntry(**fields))
    return out


def load_library(path: str | Path) -> list[LibraryEntry]:
    """Read a library file (the bundled one or a user's import)."""
    target = Path(path)
    try:
        if target.stat().st_size > MAX_FILE_BYTES:
            raise InvalidInputError(f"指标库文件 {target.name} 过大")
        text = target.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInputError(f"无法读取指标库文件 {target.name}：{describe_os_error(exc)}") from None
    except UnicodeDecodeError:
        raise InvalidInputError(f"指标库文件 {target.name} 不是 UTF-8 编码的文本") from None
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):  # ValueError: bad JSON, or an integer too long to convert (fuzzing)
        raise InvalidInputError(f"指标库文件 {target.name} 不是有效的 JSON") from None
    return entries_from_data(data)


def library_text(entries: list[LibraryEntry]) -> str:
    """The library file text of ``entries`` (what an export writes)."""
    data = {
        "format": LIBRARY_FORMAT,
        "version": LIBRARY_VERSION,
        "entries": [{k: v for k, v in asdict(entry).items() if v} for entry in entries],
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def bundled_library() -> list[LibraryEntry]:
    """The common library shipped with the program."""
    return load_library(BUNDLED)
