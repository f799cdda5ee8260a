"""Writes desktop/models/library/common.json from the published sources under scripts/library_sources/.

Run whenever a source list changes: ``python scripts/build_library.py`` (``--check`` only compares).
The CSV files are the reviewable source of truth (every row with its source); the conversion rules are in
``desktop.models.library.build``. Never edit common.json by hand: a test rebuilds it and compares.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from desktop.models.library.build import library_json  # noqa: E402
from desktop.models.library.entries import BUNDLED  # noqa: E402

SOURCES = ROOT / "scripts" / "library_sources"
BASE = SOURCES / "published-base.csv"
FORMS = SOURCES / "published-forms.csv"


def main(argv: list[str]) -> int:
    """Write common.json (or, with ``--check``, say whether it is up to date)."""
    text = library_json(BASE, FORMS)
    if "--check" in argv:
        same = BUNDLED.read_text(encoding="utf-8") == text
        print("common.json is up to date" if same else "common.json differs from the sources: rebuild it")
        return 0 if same else 1
    BUNDLED.write_text(text, encoding="utf-8")
    print(f"{len(json.loads(text)['entries'])} entries → {BUNDLED.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
