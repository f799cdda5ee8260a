"""Named JSON data files shipped beside the code (scoring rule sets, print templates): read strictly, in Chinese.

A name is a short id (``central``, ``tianjin``) that names ``<directory>/<name>.json``; every problem is one
``UserError`` naming the kind of file and the name. A file may say ``"extends": "<other name>"``: it then
replaces only the keys it gives, and the keys named in ``nested`` are merged that many levels deeper.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from desktop.models.errors import UserError, describe_os_error

NAME_RE = re.compile(r"^[a-z0-9_-]{1,40}$")


def broken(kind: str, name: str, problem: str) -> UserError:
    """The error for a data file that exists but is wrong: 「评分规则“x”有误：…」."""
    return UserError(f"{kind}“{name}”有误：{problem}")


def read_named_json(
    directory: Path, name: str, *, kind: str, keys: Collection[str], decimals: bool = False
) -> dict[str, Any]:
    """The top-level object of ``directory/name.json``, its keys checked against ``keys``.

    Args:
        kind: what the file is, in the messages (评分规则, 打印模板).
        decimals: read every number as ``Decimal`` (rule sets); else JSON's own int / float.
    """
    if not NAME_RE.match(name):
        raise UserError(f"{kind}名称“{name}”无效（只能由小写字母、数字、下划线和连字符组成）。")
    path = directory / f"{name}.json"
    if not path.is_file():
        known = "、".join(p.stem for p in sorted(directory.glob("*.json")))
        raise UserError(f"没有名为“{name}”的{kind}（可用：{known or '无'}）。")
    number = Decimal if decimals else None
    try:
        data = json.loads(path.read_text(encoding="utf-8"), parse_float=number, parse_int=number)
    except OSError as exc:
        raise broken(kind, name, f"无法读取文件（{describe_os_error(exc)}）") from None
    except UnicodeDecodeError:
        raise broken(kind, name, "文件不是 UTF-8 编码的文本") from None
    except json.JSONDecodeError as exc:
        raise broken(kind, name, f"不是有效的 JSON（第{exc.lineno}行第{exc.colno}列）") from None
    if not isinstance(data, dict):
        raise broken(kind, name, "文件内容应为对象（{…}）")
    unknown = sorted(set(data) - set(keys))
    if unknown:
        raise broken(kind, name, f"未知字段“{unknown[0]}”")
    return data


def _overlay(base: object, data: object, depth: int) -> object:
    """``data`` laid over ``base``: objects merged key by key ``depth`` levels deep, anything else replaced."""
    if depth <= 0 or not isinstance(base, dict) or not isinstance(data, dict):
        return data
    return {**base, **{key: _overlay(base.get(key), value, depth - 1) for key, value in data.items()}}


def read_extended(
    directory: Path,
    name: str,
    *,
    kind: str,
    keys: Collection[str],
    nested: Mapping[str, int],
    decimals: bool = False,
    seen: tuple[str, ...] = (),
) -> dict[str, Any]:
    """``read_named_json`` with its ``extends`` chain resolved (a cycle or a non-name ``extends`` refused).

    Args:
        nested: key → how many levels below it are merged rather than replaced (``{"weights": 1}``: a
            child's ``weights`` replaces single weights, not the whole table).
    """
    if name in seen:
        raise broken(kind, name, "extends 形成循环")
    data = read_named_json(directory, name, kind=kind, keys=keys, decimals=decimals)
    parent = data.pop("extends", None)
    if parent is None:
        return data
    if not isinstance(parent, str):
        raise broken(kind, name, f"extends 应为{kind}名称")
    base = read_extended(directory, parent, kind=kind, keys=keys, nested=nested, decimals=decimals, seen=(*seen, name))
    return {**base, **{key: _overlay(base.get(key), value, nested.get(key, 0)) for key, value in data.items()}}
