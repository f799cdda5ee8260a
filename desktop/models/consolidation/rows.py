"""The overview's rows: a unit file as read (or an expected unit that is absent), and the expected units.

Its own module so that the findings (which mark rows) and the run (which makes them) both build on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from desktop.models.consolidation.review import unit_key
from desktop.models.consolidation.sources import UnitFile
from desktop.models.consolidation.summary import ERROR, WARNING, Issue, UnitSummary
from desktop.models.consolidation.totals import Figures
from desktop.models.workbook.domain import FormKind, Workbook


@dataclass(frozen=True)
class ExpectedUnit:
    """A unit that should have handed in a file."""

    code: str
    name: str = ""


STATUS_LABELS = {
    "ok": "已读取",
    "error": "无法读取",
    "duplicate": "重复（未计入）",
    "other_year": "年度不同（未计入）",
    "absent": "未报送",
}


@dataclass
class UnitRow:
    """One row of the overview: a unit file as read, or an expected unit that is absent."""

    file: UnitFile | None
    summary: UnitSummary | None = None
    issues: list[Issue] = field(default_factory=list)
    counted: bool = True
    expected: ExpectedUnit | None = None
    figures: Figures | None = None
    other_year: bool = False  # a readable file of another year than most units': kept out of the totals

    @property
    def workbook(self) -> Workbook | None:
        """The unit's workbook (None: unreadable or absent)."""
        return self.file.workbook if self.file is not None else None

    @property
    def code(self) -> str:
        """The unit's code."""
        if self.workbook is not None:
            return self.workbook.unit.code.strip()
        return self.expected.code if self.expected is not None else ""

    @property
    def name(self) -> str:
        """The unit's name (the file's name when it could not be read)."""
        if self.workbook is not None:
            return self.workbook.unit.name.strip() or (self.file.path.stem if self.file else "")
        if self.expected is not None:
            return self.expected.name
        return self.file.path.name if self.file is not None else ""

    @property
    def key(self) -> str:
        """What the unit's reviews are filed under."""
        return unit_key(self.code, self.name)

    @property
    def year(self) -> int | None:
        """The budget year of the unit's workbook."""
        return self.workbook.year if self.workbook is not None else None

    @property
    def ruleset(self) -> str:
        """The rule set id the unit's workbook uses."""
        return self.workbook.ruleset if self.workbook is not None else ""

    @property
    def path_name(self) -> str:
        """The file's name, or empty for an absent unit."""
        return self.file.path.name if self.file is not None else ""

    @property
    def status(self) -> str:
        """``ok``, ``error``, ``duplicate``, ``other_year`` or ``absent``."""
        if self.file is None:
            return "absent"
        if self.workbook is None:
            return "error"
        if self.other_year:
            return "other_year"
        return "ok" if self.counted else "duplicate"

    def count(self, kind: FormKind) -> int:
        """How many forms of this kind the unit filed."""
        return len(self.summary.of_kind(kind)) if self.summary is not None else 0

    @property
    def errors(self) -> int:
        """Errors: 审核 errors plus error-level findings of the consolidation."""
        own = self.summary.errors if self.summary is not None else 0
        return own + sum(1 for issue in self.issues if issue.severity == ERROR)

    @property
    def warnings(self) -> int:
        """Warnings: 审核 warnings plus warning-level findings of the consolidation."""
        own = self.summary.warnings if self.summary is not None else 0
        return own + sum(1 for issue in self.issues if issue.severity == WARNING)
