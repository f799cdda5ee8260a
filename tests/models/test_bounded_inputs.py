"""Issue 14 points 5–8 and 11: hostile Excel shapes, exponents, control characters, foreign schema
objects, and every stored field surviving ``export --json`` → ``import``."""

from __future__ import annotations

import dataclasses
import enum
import io
import sqlite3
import time
import typing
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from desktop.cli import run
from desktop.models.errors import InvalidInputError, WorkbookFileError
from desktop.models.formats import excel_import, interchange
from desktop.models.storage import store
from desktop.models.workbook.domain import Band, Form, Indicator, Workbook, data_fields
from tests.helpers.fixtures import SAMPLES, snapshot

WUWEI = SAMPLES / "wuwei-zwfw-2022-selfeval.json"


def _xlsx_with(path: Path, sheet_extra: str, cells: str = "") -> Path:
    """A minimal .xlsx (openpyxl-made) whose sheet XML gets ``sheet_extra`` after sheetData."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for column, title in enumerate(("一级指标", "二级指标", "三级指标", "分值"), start=1):
        sheet.cell(1, column, title)
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, zipfile.ZipFile(path, "w") as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = data.decode("utf-8")
                text = text.replace("</sheetData>", cells + "</sheetData>" + sheet_extra)
                data = text.encode("utf-8")
            out.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return path


@pytest.mark.parametrize(
    ("extra", "cells", "expected"),
    [
        ('<mergeCells count="1"><mergeCell ref="J50:XFD1048576"/></mergeCells>', "", "合并区域"),
        ("", '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>', "超出范围"),
    ],
)
def test_5_a_hostile_sheet_is_refused_quickly(tmp_path: Path, extra: str, cells: str, expected: str) -> None:
    path = _xlsx_with(tmp_path / "bad.xlsx", extra, cells)
    assert path.stat().st_size < 20_000
    started = time.perf_counter()
    with pytest.raises(InvalidInputError, match=expected):
        excel_import.read_indicator_tables(path)
    assert time.perf_counter() - started < 5


def test_5_a_zip_that_lies_about_its_size_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.models.formats import excel_bounds

    path = _xlsx_with(
        tmp_path / "big.xlsx", "", "".join(f'<row r="{r}"><c r="A{r}"><v>1</v></c></row>' for r in range(2, 3000))
    )
    monkeypatch.setattr(excel_bounds, "MAX_UNPACKED_BYTES", 50_000)  # bytes really inflated are counted
    with pytest.raises(InvalidInputError, match="解压后过大"):
        excel_import.read_indicator_tables(path)


@pytest.mark.parametrize(
    "literal",
    ["1e-999999999", "1e-16", "0.0000000000000000001", "1" + "0" * 70 + "e-70", "1e999999999", "0E+999999999"],
)
def test_6_tiny_exponents_and_too_many_digits_are_refused(literal: str) -> None:
    text = WUWEI.read_text(encoding="utf-8").replace('"weight": 3,', f'"weight": {literal},', 1)
    assert literal in text
    started = time.perf_counter()
    with pytest.raises(InvalidInputError, match="weight"):
        interchange.loads(text)
    assert time.perf_counter() - started < 5


def test_6_typed_numbers_meet_the_same_bounds(tmp_path: Path, wuwei: Workbook) -> None:
    document = store.create_workbook_file(tmp_path / "w.jxdb", wuwei)
    indicator = document.workbook.forms[1].indicators[0]
    with pytest.raises(InvalidInputError, match="小数位数过多"):
        document.set_fields(indicator, weight=Decimal("1e-999999999"))
    document.set_fields(indicator, weight=Decimal("2.5"))
    document.close()


@pytest.mark.parametrize("char", ["\x01", "\x0b", "\x1f", "\ud800"])
def test_7_control_characters_are_refused_from_json_and_typing(tmp_path: Path, wuwei: Workbook, char: str) -> None:
    data = interchange.workbook_to_data(wuwei)
    data["forms"][0]["title"] = f"标题{char}"  # type: ignore[index]
    with pytest.raises(InvalidInputError, match="控制字符"):
        interchange.workbook_from_data(data)
    document = store.create_workbook_file(tmp_path / "w.jxdb", wuwei)
    with pytest.raises(InvalidInputError, match="控制字符"):
        document.set_fields(document.workbook.forms[0], title=f"粘贴{char}")
    pasted = dataclasses.replace(document.workbook.forms[1].indicators[0], name=f"粘贴{char}", db_id=None)
    with pytest.raises(InvalidInputError, match="控制字符"):
        document.insert_items(document.workbook.forms[1], "indicators", 0, [pasted])
    document.close()
    out = tmp_path / "w.xlsx"
    assert run(["export", str(tmp_path / "w.jxdb"), "--xlsx", str(out)]) == 0  # the Excel export still works


@pytest.mark.parametrize(
    "statement",
    [
        "CREATE UNIQUE INDEX ix_extra ON indicator(id, name)",
        "CREATE INDEX ix_extra ON form(title)",
        "DROP INDEX ix_indicator_form_id",
    ],
)
def test_8_a_schema_object_we_did_not_make_is_refused_unchanged(
    tmp_path: Path, wuwei: Workbook, statement: str
) -> None:
    path = tmp_path / "w.jxdb"
    store.create_workbook_file(path, wuwei).close()
    raw = sqlite3.connect(path)
    if statement.startswith("DROP"):
        name = raw.execute("SELECT name FROM sqlite_master WHERE type='index' AND tbl_name='indicator'").fetchone()[0]
        statement = f"DROP INDEX {name}"
    raw.execute(statement)
    raw.commit()
    raw.close()
    before = path.read_bytes()
    with pytest.raises(WorkbookFileError, match="不是本程序保存的"):
        store.open_workbook(path)
    assert path.read_bytes() == before


def test_8_the_shipped_schema_of_each_revision_is_what_its_migrations_build() -> None:
    from desktop.models.storage import schema_check
    from desktop.models.storage.schema import REVISIONS
    from desktop.models.storage.schema_expected import EXPECTED

    assert list(EXPECTED) == list(REVISIONS)
    for revision in REVISIONS:
        assert schema_check.expected(revision, shipped=False) == EXPECTED[revision], revision


# ---- 11. every stored field survives export --json → import -------------------------------------


def _fill(cls: type, used: dict[str, object]) -> object:
    """An instance of a domain class with every data field set to a distinctive non-default value."""
    values: dict[str, object] = {}
    for field in dataclasses.fields(cls):
        if field.name == "db_id":
            continue
        values[field.name] = used[f"{cls.__name__}.{field.name}"]
    return cls(**values)


def _sample_value(hint: object, name: str) -> object:
    """A distinctive value of a field's declared type (the first non-None member of a union)."""
    options = [a for a in typing.get_args(hint) if a is not type(None)] or [hint]
    kind = options[0]
    if kind is str:
        return f"填写的{name}"
    if kind is Decimal:
        return Decimal("12.5")
    if kind is int:
        return 1
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return list(kind)[-1]
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        hints = typing.get_type_hints(kind)
        return kind(**{field: _sample_value(hints[field], field) for field in data_fields(kind)})
    if typing.get_origin(kind) is list:
        return [_sample_value(typing.get_args(kind)[0], name)]
    raise AssertionError(f"no sample value for {name}: {hint!r}; extend _sample_value")


def test_11_every_domain_field_round_trips_through_json(tmp_path: Path, wuwei: Workbook) -> None:
    """Built from ``data_fields``: a new field of any stored class fails here until JSON carries it."""
    workbook = wuwei
    workbook.ruleset = "central"
    workbook.template = workbook.template
    form = next(f for f in workbook.forms if f.indicators)
    form.printed_total = Decimal("87.5")
    indicator = form.indicators[0]
    indicator.band = next(iter(Band))
    objects: list[object] = [workbook, workbook.unit]
    for f in workbook.forms:
        objects.append(f)
        for name in data_fields(f):
            value = getattr(f, name)
            if isinstance(value, list):
                objects.extend(value)
            elif dataclasses.is_dataclass(value):
                objects.append(value)
    classes = {type(obj) for obj in objects}
    assert {Workbook, Form, Indicator} <= classes
    # every field of every stored class gets a non-empty value somewhere, or the check would prove nothing
    for cls in classes:
        hints = typing.get_type_hints(cls)
        for name in data_fields(cls):
            instances = [obj for obj in objects if type(obj) is cls]
            if not any(getattr(obj, name) not in (None, "", []) for obj in instances):
                setattr(instances[0], name, _sample_value(hints[name], name))
    book = tmp_path / "w.jxdb"
    store.create_workbook_file(book, workbook).close()
    out = tmp_path / "w.json"
    assert run(["export", str(book), "--json", str(out)]) == 0
    again = tmp_path / "again.jxdb"
    assert run(["import", str(out), "-o", str(again)]) == 0
    document = store.open_workbook(again, read_only=True)
    assert snapshot(document.workbook) == snapshot(workbook)
    document.close()
