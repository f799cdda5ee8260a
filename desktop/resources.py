"""Where the bundled read-only resources are (fonts, the sample workbook, icons), frozen or not."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    """The ``resources/`` folder: beside the package in a checkout, inside the bundle when frozen."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root is not None:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """The path of one bundled resource, e.g. ``resource_path("fonts", "wqy-microhei.ttc")``."""
    return resources_dir().joinpath(*parts)


FONT_FILE = ("fonts", "wqy-microhei.ttc")
FONT_FAMILY = "WenQuanYi Micro Hei"
SAMPLE_WORKBOOK = ("samples", "sample-workbook.json")
