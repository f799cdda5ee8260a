"""The shared reader of named JSON data files: ``extends`` chains and how deep a child's keys merge."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.models.data_files import read_extended
from desktop.models.errors import UserError

KEYS = {"name", "extends", "weights", "forms", "title"}


def _write(folder: Path, name: str, data: dict[str, object]) -> None:
    (folder / f"{name}.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _read(folder: Path, name: str) -> dict[str, object]:
    return read_extended(folder, name, kind="打印模板", keys=KEYS, nested={"weights": 1, "forms": 2})


def test_a_child_replaces_only_what_it_gives_at_each_nested_depth(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "base",
        {
            "title": "基础",
            "weights": {"产出指标": 50, "效益指标": 30},
            "forms": {"target": {"font": 9, "margin": 10}, "self_eval": {"font": 10}},
        },
    )
    _write(tmp_path, "mid", {"extends": "base", "weights": {"效益指标": 20}, "forms": {"target": {"font": 8}}})
    _write(tmp_path, "leaf", {"extends": "mid", "title": "叶"})
    assert _read(tmp_path, "leaf") == {
        "title": "叶",
        "weights": {"产出指标": 50, "效益指标": 20},
        "forms": {"target": {"font": 8, "margin": 10}, "self_eval": {"font": 10}},
    }


def test_a_key_not_named_nested_is_replaced_whole(tmp_path: Path) -> None:
    _write(tmp_path, "base", {"title": {"a": 1, "b": 2}})
    _write(tmp_path, "child", {"extends": "base", "title": {"a": 3}})
    assert _read(tmp_path, "child") == {"title": {"a": 3}}


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"a": {"extends": "b"}, "b": {"extends": "a"}}, "打印模板“a”有误：extends 形成循环"),
        ({"a": {"extends": "a"}}, "打印模板“a”有误：extends 形成循环"),
        ({"a": {"extends": 3}}, "打印模板“a”有误：extends 应为打印模板名称"),
        ({"a": {"extends": "missing"}}, "没有名为“missing”的打印模板"),
    ],
)
def test_a_broken_chain_is_refused_in_chinese(
    tmp_path: Path, files: dict[str, dict[str, object]], message: str
) -> None:
    for name, data in files.items():
        _write(tmp_path, name, data)
    with pytest.raises(UserError) as caught:
        _read(tmp_path, "a")
    assert message in caught.value.message
