"""Builds desktop/models/library/common.json from the published indicator list (../shared/spec/...csv).

Run once when the source list changes: ``python scripts/build_library.py PATH/indicator-library-sources.csv``.
Each entry keeps its source address; ``**`` marks the value a unit fills in. Nothing is invented: a target
template is the published typical target where one is given, else the operator of the published direction
(or of the indicator's own words, see ``desktop.models.library.entries.guess_direction``) with a placeholder.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from desktop.models.library.entries import guess_direction, target_template  # noqa: E402

DIRECTIONS = {"正向(≥)": "higher", "反向(≤)": "lower", "等于(=)": "equal"}


def main(source: str) -> None:
    """Convert the CSV into the bundled library file."""
    entries = []
    with open(source, encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            category = re.sub(r"\s+", "", row["category"])
            name = row["level3"].strip()
            unit = row["unit"].strip()
            direction = DIRECTIONS.get(row["direction"].strip()) or guess_direction(name, row["level2"], unit)
            typical = row["typical_target"].strip().replace("(值由单位填)", "**").replace("（值由单位填）", "**")
            entries.append(
                {
                    "category": category,
                    "level1": row["level1"].strip(),
                    "level2": row["level2"].strip(),
                    "name": name,
                    "target": target_template(typical, unit, direction),
                    "unit": unit,
                    "direction": direction,
                    "source": row["source_url"].strip(),
                }
            )
    out = ROOT / "desktop" / "models" / "library" / "common.json"
    data = {"format": "jixiao-indicator-library", "version": 1, "entries": entries}
    out.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(entries)} entries → {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else str(ROOT.parent / "shared" / "spec" / "indicator-library-sources.csv"))
