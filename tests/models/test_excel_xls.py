"""Old binary .xls files are read by the same reader as .xlsx (through xlrd): the same forms come out."""

from __future__ import annotations

import datetime
from pathlib import Path

import openpyxl
import pytest
import xlwt

from desktop.models.errors import InvalidInputError
from desktop.models.formats import excel_xls
from desktop.models.formats.excel_import import read_excel
from tests.helpers.excel_corpus import CASES, measure


def _as_xls(source: Path, target: Path) -> None:
    """Write an .xlsx workbook's values, number formats and merged ranges as an .xls file (as Excel's 另存为 does)."""
    book = openpyxl.load_workbook(source)
    out = xlwt.Workbook(encoding="utf-8")
    for sheet in book.worksheets:
        sheet_out = out.add_sheet(sheet.title, cell_overwrite_ok=True)
        merged = {(r.min_row, r.min_col): r for r in sheet.merged_cells.ranges}
        covered = {(row, col) for r in merged.values() for row, col in r.cells} - set(merged)
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if (cell.row, cell.column) in covered or value is None:
                    continue
                if isinstance(value, str) and value.startswith("="):
                    continue  # a formula with no saved value: the .xls keeps none either
                fmt = "YYYY-MM-DD" if isinstance(value, datetime.date) else cell.number_format
                style = xlwt.easyxf(num_format_str=fmt or "General")
                span = merged.get((cell.row, cell.column))
                if span is not None:
                    sheet_out.write_merge(
                        span.min_row - 1, span.max_row - 1, span.min_col - 1, span.max_col - 1, value, style
                    )
                else:
                    assert cell.row is not None and cell.column is not None
                    sheet_out.write(cell.row - 1, cell.column - 1, value, style)
    out.save(str(target))


@pytest.mark.parametrize(
    "name", ["yunnan-yongde", "tianjin-targets-stacked", "hubei-huangshi", "gansu-wuwei-dept-selfeval"]
)
def test_an_xls_copy_reads_like_the_xlsx(name: str, tmp_path: Path) -> None:
    case = next(c for c in CASES if c.name == name)
    xlsx, xls = tmp_path / f"{name}.xlsx", tmp_path / f"{name}.xls"
    case.build(xlsx)
    _as_xls(xlsx, xls)
    assert xls.read_bytes().startswith(excel_xls.OLE_MAGIC)
    score = measure(case, [(t.sheet, t.form) for t in read_excel(xls).tables])
    assert (score.recall, score.false_indicators) == (1.0, 0), score.missed
    assert read_excel(xls).report() == read_excel(xlsx).report()


def test_a_damaged_or_oversized_xls_says_to_save_as_xlsx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "old.xls"
    broken.write_bytes(excel_xls.OLE_MAGIC + b"\x00" * 600)
    with pytest.raises(InvalidInputError, match="旧版 .xls 文件已损坏.*另存为 .xlsx"):
        read_excel(broken)
    good = tmp_path / "good.xls"
    case = CASES[0]
    case.build(tmp_path / "good.xlsx")
    _as_xls(tmp_path / "good.xlsx", good)
    monkeypatch.setattr(excel_xls, "MAX_XLS_CELLS", 10)
    with pytest.raises(InvalidInputError, match="过大"):
        read_excel(good)
