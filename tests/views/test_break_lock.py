"""The window's 强制解除锁定: a workbook kept read-only only by a lock note names its owner and can be freed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from desktop.models.storage import safety, store
from desktop.models.workbook.domain import Workbook
from tests.views.window_helpers import open_window


def _read_only(window: Any) -> bool:
    return bool(window.session is not None and window.session.document.read_only)


def test_a_foreign_lock_note_is_broken_only_after_confirming_its_owner(
    qtbot: Any, tmp_path: Path, wuwei: Workbook
) -> None:
    window, prompter = open_window(qtbot, tmp_path, wuwei)
    other = tmp_path / "shared.jxdb"
    store.create_workbook_file(other, wuwei).close()
    note = safety.lock_path_for(other)
    note.write_text(json.dumps({"host": "财务科-PC2", "pid": 4242, "user": "zhang"}), encoding="utf-8")

    prompter.confirms.append(False)
    assert window.open_path(str(other))
    assert "zhang@财务科-PC2" in prompter.questions[-1] and "强制解除锁定" in prompter.questions[-1]
    assert _read_only(window) and note.exists()

    prompter.confirms.append(True)
    assert window.open_path(str(other))
    assert window.session is not None and not _read_only(window)
    assert (safety.read_lock(note) or safety.LockOwner("", 0)).host == safety.this_host()
    window.close_document()


def test_a_live_program_is_never_broken(qtbot: Any, tmp_path: Path, wuwei: Workbook) -> None:
    window, prompter = open_window(qtbot, tmp_path, wuwei)
    other = tmp_path / "held.jxdb"
    held = store.create_workbook_file(other, wuwei)  # another program holds the OS lock
    assert window.open_path(str(other))
    assert _read_only(window)
    assert not prompter.questions or "强制解除锁定" not in prompter.questions[-1]  # nothing to offer
    window.close_document()
    held.close()
