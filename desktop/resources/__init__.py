"""The bundled read-only resources (fonts, the sample workbook, icons): package data of ``desktop.resources``.

They sit beside this module in a checkout, in an installed wheel and inside the PyInstaller bundle alike
(``build.spec`` copies them to the same relative place), so there is one way to find them.
"""

from __future__ import annotations

from pathlib import Path


def resources_dir() -> Path:
    """The folder that holds the bundled resources."""
    return Path(__file__).resolve().parent


def resource_path(*parts: str) -> Path:
    """The path of one bundled resource, e.g. ``resource_path("fonts", "wqy-microhei.ttc")``."""
    return resources_dir().joinpath(*parts)


FONT_FILE = ("fonts", "wqy-microhei.ttc")
FONT_FAMILY = "WenQuanYi Micro Hei"
SAMPLE_WORKBOOK = ("samples", "sample-workbook.json")
