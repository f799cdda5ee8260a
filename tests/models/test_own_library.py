"""The user's own indicator library: load (missing = empty), add without duplicates, export/import round trip."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from desktop.models.errors import UserError
from desktop.models.library.entries import LibraryEntry, bundled_library, library_text, load_library
from desktop.models.library.own import (
    OWN_CATEGORY,
    add_to_own,
    full_library,
    load_own,
    own_library_path,
)

ENTRY = LibraryEntry("", "产出指标", "数量指标", "培训人数", target="≥120人", basis="年度计划")


def test_missing_file_is_an_empty_library(tmp_path: Path) -> None:
    assert load_own(own_library_path(tmp_path)) == []


def test_add_keeps_target_and_refuses_duplicates(tmp_path: Path) -> None:
    path = own_library_path(tmp_path)
    mine = replace(ENTRY, category=OWN_CATEGORY)
    assert add_to_own(path, [ENTRY]) == ([mine], [])
    assert add_to_own(path, [ENTRY]) == ([], [mine])
    entries = load_own(path)
    assert len(entries) == 1
    assert entries[0].target == "≥120人"
    assert entries[0].category == OWN_CATEGORY
    assert full_library(path)[-1] == entries[0]
    assert len(full_library(path)) == len(bundled_library()) + 1


def test_export_then_import_into_fresh_folder_round_trips(tmp_path: Path) -> None:
    first = own_library_path(tmp_path / "a")
    add_to_own(first, [ENTRY, LibraryEntry("自定", "效益指标", "满意度指标", "群众满意度", target="≥90%")])
    exported = tmp_path / "export.json"
    exported.write_text(library_text(load_own(first)), encoding="utf-8")
    fresh = own_library_path(tmp_path / "b")
    added, present = add_to_own(fresh, load_library(exported))
    assert (len(added), present) == (2, [])
    assert load_own(fresh) == load_own(first)


def test_broken_own_file_is_a_chinese_error_and_left_out_of_the_full_library(tmp_path: Path) -> None:
    path = own_library_path(tmp_path)
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(UserError, match="不是有效的 JSON"):
        load_own(path)
    with pytest.raises(UserError):
        add_to_own(path, [ENTRY])
    assert path.read_text(encoding="utf-8") == "{not json"
    assert full_library(path) == bundled_library()
