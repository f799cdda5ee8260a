"""Page geometry, paragraph styles and table styles of the printed forms (kept apart from the data)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

PORTRAIT = A4
LANDSCAPE = landscape(A4)

# Margins: a wide left margin leaves room for binding (装订线).
MARGIN_LEFT = 25 * mm
MARGIN_RIGHT = 15 * mm
MARGIN_TOP = 18 * mm
MARGIN_BOTTOM = 18 * mm
FOOTER_Y = 9 * mm  # baseline of the page number line
HEADER_Y_FROM_TOP = 10 * mm  # baseline of the running title on continuation pages

CELL_PAD_H = 3.0  # left/right cell padding, points
CELL_PAD_V = 2.5  # top/bottom cell padding, points

BODY_SIZE = 9.0
BODY_LEADING = 12.0
TITLE_SIZE = 16.0
FOOTER_SIZE = 8.0

GRID_COLOR = colors.black
HEADER_FILL = colors.Color(0.90, 0.90, 0.90)
GOAL_FILL = colors.Color(0.95, 0.95, 0.95)
RUNNING_COLOR = colors.Color(0.35, 0.35, 0.35)

TableCommands = list[tuple[Any, ...]]

RULE_WIDTH = 0.6

# Cell alignment and padding of every form table (FONTNAME is added per export: ``table_style``).
CELL_STYLE: TableCommands = [
    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD_H),
    ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD_H),
    ("TOPPADDING", (0, 0), (-1, -1), CELL_PAD_V),
    ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PAD_V),
]

# The fully ruled grid of an indicator table.
GRID_STYLE: TableCommands = [("GRID", (0, 0), (-1, -1), RULE_WIDTH, GRID_COLOR), *CELL_STYLE]

# The column-title row of an indicator table.
HEADER_ROW_STYLE: TableCommands = [
    ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
]

# A borderless line of fields (the sign-off line).
PLAIN_STYLE: TableCommands = [
    ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
    ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ("RIGHTPADDING", (0, 0), (-1, -1), 6),
    ("TOPPADDING", (0, 0), (-1, -1), 0),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
]


def table_style(font: str, *command_lists: TableCommands) -> TableCommands:
    """The commands of ``command_lists`` plus the font for every cell (no stray Helvetica)."""
    commands: TableCommands = [
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("FONTSIZE", (0, 0), (-1, -1), BODY_SIZE),
        ("LEADING", (0, 0), (-1, -1), BODY_LEADING),
    ]
    for command_list in command_lists:
        commands += command_list
    return commands


@dataclass(frozen=True)
class Styles:
    """The paragraph styles of one export, all in the export's font.

    Attributes:
        font: the registered ReportLab font name.
        title: the form title, centred.
        subtitle: a second title line (the year, 天津), centred.
        unit: the unit line under the title.
        money: ``单位：万元``, right-aligned.
        cell: text in a table cell, wrapped CJK style.
        center: centred cell text (numbers, short values, labels).
        head: column titles.
        goal: a goal row across an indicator table.
        plain: body text outside tables (sign-off line).
        note: footnotes under the table (注1：…).
    """

    font: str
    title: ParagraphStyle
    subtitle: ParagraphStyle
    unit: ParagraphStyle
    money: ParagraphStyle
    cell: ParagraphStyle
    center: ParagraphStyle
    head: ParagraphStyle
    goal: ParagraphStyle
    plain: ParagraphStyle
    note: ParagraphStyle


def make_styles(font: str) -> Styles:
    """The paragraph styles for an export printed in ``font``."""
    base = ParagraphStyle(
        "jx-base",
        fontName=font,
        fontSize=BODY_SIZE,
        leading=BODY_LEADING,
        wordWrap="CJK",
        alignment=TA_LEFT,
    )
    return Styles(
        font=font,
        title=ParagraphStyle(
            "jx-title", parent=base, fontSize=TITLE_SIZE, leading=TITLE_SIZE * 1.4, alignment=TA_CENTER, spaceAfter=6
        ),
        subtitle=ParagraphStyle("jx-subtitle", parent=base, fontSize=12, leading=17, alignment=TA_CENTER, spaceAfter=4),
        unit=ParagraphStyle("jx-unit", parent=base, fontSize=10.5, leading=14),
        money=ParagraphStyle("jx-money", parent=base, fontSize=10.5, leading=14, alignment=TA_RIGHT),
        cell=ParagraphStyle("jx-cell", parent=base),
        center=ParagraphStyle("jx-center", parent=base, alignment=TA_CENTER),
        head=ParagraphStyle("jx-head", parent=base, alignment=TA_CENTER),
        goal=ParagraphStyle("jx-goal", parent=base),
        plain=ParagraphStyle("jx-plain", parent=base, fontSize=10, leading=14),
        note=ParagraphStyle("jx-note", parent=base, fontSize=8.5, leading=12),
    )
