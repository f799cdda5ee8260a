"""Bounds on an untrusted .xlsx before openpyxl builds anything from it (no Qt).

openpyxl turns a ``<mergeCell ref="J50:XFD1048576"/>`` into one object per covered cell, and a reader
walking a sheet whose last cell is ``XFD1048576`` walks 17 billion cells: a 10 KB file took minutes
and gigabytes. :func:`check_sheets` streams every worksheet's XML once — counting the bytes really
unpacked, not the sizes the zip directory claims — and refuses, with one Chinese message naming
the sheet and the cell, any cell, dimension or merged range beyond :data:`MAX_ROWS` ×
:data:`MAX_COLUMNS`, more than :data:`MAX_MERGES` merged ranges or :data:`MAX_MERGED_CELLS`
merged cells, and any DTD (entity expansion). The reader calls it right before opening the file.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError, XMLPullParser

from desktop.models.errors import InvalidInputError

MAX_ROWS = 10_000  # a form sheet has a few hundred rows
MAX_COLUMNS = 256  # column IV; form sheets use fewer than 30
MAX_MERGES = 20_000
MAX_MERGED_CELLS = 500_000
MAX_CELLS = 2_000_000
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # bytes really inflated, over all sheets
_CHUNK = 1 << 16
_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d{1,7})$")


def _cell(ref: str) -> tuple[int, int] | None:
    match = _REF.match(ref.strip().upper())
    if match is None:
        return None
    column = 0
    for letter in match.group(1):
        column = column * 26 + ord(letter) - 64
    return int(match.group(2)), column


def _area(ref: str) -> tuple[int, int, int, int] | None:
    first, _, last = ref.partition(":")
    top = _cell(first)
    bottom = _cell(last) if last else top
    if top is None or bottom is None:
        return None
    return min(top[0], bottom[0]), min(top[1], bottom[1]), max(top[0], bottom[0]), max(top[1], bottom[1])


class _Sheet:
    """Running counts for one worksheet's XML."""

    def __init__(self, file: str, sheet: str) -> None:
        self.file = file
        self.sheet = sheet
        self.merges = 0
        self.merged_cells = 0
        self.cells = 0

    def refuse(self, problem: str) -> InvalidInputError:
        return InvalidInputError(f"{self.file} 的工作表“{self.sheet}”{problem}，不像是一份绩效表，未导入。")

    def check_ref(self, ref: str, what: str) -> tuple[int, int, int, int]:
        area = _area(ref)
        if area is None:
            raise self.refuse(f"含有无效的单元格地址“{ref[:20]}”")
        if area[2] > MAX_ROWS or area[3] > MAX_COLUMNS:
            raise self.refuse(f"的{what}“{ref[:30]}”超出范围（最多 {MAX_ROWS} 行、{MAX_COLUMNS} 列）")
        return area

    def element(self, tag: str, attrib: dict[str, str]) -> None:
        local = tag.rsplit("}", 1)[-1]
        if local == "c":
            self.cells += 1
            if self.cells > MAX_CELLS:
                raise self.refuse(f"单元格过多（超过 {MAX_CELLS} 个）")
            if "r" in attrib:
                self.check_ref(attrib["r"], "单元格")
        elif local == "row" and "r" in attrib:
            if not attrib["r"].isdigit() or int(attrib["r"]) > MAX_ROWS:
                raise self.refuse(f"的第 {attrib['r'][:10]} 行超出范围（最多 {MAX_ROWS} 行）")
        elif local == "mergeCell":
            self.merges += 1
            if self.merges > MAX_MERGES:
                raise self.refuse(f"合并单元格过多（超过 {MAX_MERGES} 处）")
            top, left, bottom, right = self.check_ref(attrib.get("ref", ""), "合并区域")
            self.merged_cells += (bottom - top + 1) * (right - left + 1)
            if self.merged_cells > MAX_MERGED_CELLS:
                raise self.refuse("合并的单元格过多")
        elif local == "dimension":
            self.check_ref(attrib.get("ref", "A1"), "范围")


def _sheet_names(package: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part → a name for messages (the part's own name; titles need the workbook XML)."""
    names: dict[str, str] = {}
    for info in package.infolist():
        if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
            names[info.filename] = Path(info.filename).stem
    return names


def check_sheets(path: str | Path, name: str) -> None:
    """Refuse an .xlsx whose worksheets exceed the bounds above (``InvalidInputError``).

    Only called on a file that is a zip package (the caller checked); reading errors surface as
    ``InvalidInputError`` too.
    """
    unpacked = 0
    try:
        with zipfile.ZipFile(path) as package:
            for part, sheet_name in _sheet_names(package).items():
                counts = _Sheet(name, sheet_name)
                parser: XMLPullParser[Element] = XMLPullParser(events=("start",))
                tail = b""
                with package.open(part) as stream:
                    while chunk := stream.read(_CHUNK):
                        unpacked += len(chunk)
                        if unpacked > MAX_UNPACKED_BYTES:
                            raise InvalidInputError(f"{name} 解压后过大，不像是一份绩效表，未导入。")
                        window = tail + chunk
                        if b"<!DOCTYPE" in window or b"<!ENTITY" in window:
                            raise counts.refuse("含有文档类型定义（DTD）")
                        tail = chunk[-16:]
                        parser.feed(chunk)
                        for item in parser.read_events():
                            element: object = item[-1]
                            if isinstance(element, Element):
                                counts.element(element.tag, element.attrib)
                                element.clear()
                parser.close()
    except InvalidInputError:
        raise
    except (zipfile.BadZipFile, ParseError, EOFError, ValueError, NotImplementedError) as exc:
        raise InvalidInputError(f"{name} 已损坏，无法读取（{type(exc).__name__}）。") from None
    except OSError as exc:
        from desktop.models.errors import describe_os_error

        raise InvalidInputError(f"无法读取 {name}：{describe_os_error(exc)}") from None
