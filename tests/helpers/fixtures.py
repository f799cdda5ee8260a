"""Shared fixtures: sample workbooks and temporary paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.models.formats import interchange
from desktop.models.workbook.domain import Workbook

# Copies of ../shared/samples, kept in the project so a plain clone runs every test.
SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
SAMPLE_FILES = sorted(SAMPLES.glob("*.json"))


def load_sample(name: str) -> Workbook:
    """A sample workbook from tests/data/samples by file name."""
    return interchange.load_path(str(SAMPLES / name))


@pytest.fixture
def wuwei() -> Workbook:
    """The Wuwei 2022 self-evaluation sample (1 department + 3 project forms)."""
    return load_sample("wuwei-zwfw-2022-selfeval.json")


@pytest.fixture
def tianjin() -> Workbook:
    """The Tianjin 2025 target-table sample (14 project target forms)."""
    return load_sample("tianjin-zwfw-2025-targets.json")


def snapshot(obj: object) -> object:
    """Every data field of a domain tree as nested tuples (``None`` ≠ ``[]`` ≠ ``""``; Decimal digits kept).

    Two workbooks hold the same data exactly when their snapshots are equal (``db_id`` ignored).
    """
    from desktop.models.workbook.domain import data_fields

    if isinstance(obj, list):
        return ("list", tuple(snapshot(item) for item in obj))
    if hasattr(obj, "__dataclass_fields__"):
        return (type(obj).__name__, tuple((name, snapshot(getattr(obj, name))) for name in data_fields(obj)))
    return (type(obj).__name__, repr(obj))


@pytest.fixture(scope="session")
def qapp_setup(qapp: object) -> object:
    """The QApplication set up like the app's own (bundled Chinese font, zh_CN Qt translation, names)."""
    from desktop.app import setup_application

    setup_application(qapp)  # type: ignore[arg-type]
    return qapp


@pytest.fixture(scope="session", autouse=True)
def _pyside_emit_fix() -> None:
    """Install the app's own PySide6 6.12 ``emit`` reference fix (desktop/views/qtfix.py) for every test."""
    from desktop.views import qtfix

    qtfix.install()
