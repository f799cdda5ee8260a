import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from desktop.cli import run
from tests.helpers.fixtures import SAMPLES

WUWEI = SAMPLES / "wuwei-zwfw-2022-selfeval.json"


def _run(args: list[str], capfd: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = run(args)
    out, err = capfd.readouterr()
    return status, out, err


def test_score_prints_exactly_the_documented_json(capfd: pytest.CaptureFixture[str]) -> None:
    status, out, err = _run(["score", str(WUWEI)], capfd)
    assert status == 0 and err == ""
    report = json.loads(out, parse_float=Decimal)
    assert list(report) == ["forms"]
    assert len(report["forms"]) == 4
    form = report["forms"][1]
    assert list(form) == ["title", "kind", "exec_rate", "exec_score", "total", "grade", "unscored", "indicators"]
    assert (form["title"], form["kind"], form["exec_rate"], form["grade"], form["unscored"]) == (
        "政务服务经费",
        "project_self_eval",
        1,
        "优",
        0,
    )
    first = form["indicators"][0]
    assert list(first) == ["index", "name", "weight", "suggested", "score", "flags", "explain"]
    assert first["index"] == 0 and first["suggested"] == first["score"] == 3
    # The published 3 for 群众来电咨询接听率 (100% → 87%, 分值 4) is a manual score; the engine suggests 3.48.
    row = form["indicators"][12]
    assert (row["suggested"], row["score"]) == (Decimal("3.48"), 3)
    assert row["flags"]


def test_import_export_round_trip_and_score_the_same_from_either_form(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "w.jxdb"
    assert _run(["import", str(WUWEI), "-o", str(book)], capfd)[0] == 0
    out_json = tmp_path / "w.json"
    assert _run(["export", str(book), "--json", str(out_json)], capfd)[0] == 0
    expected = json.loads(WUWEI.read_text(encoding="utf-8"), parse_float=Decimal)
    assert json.loads(out_json.read_text(encoding="utf-8"), parse_float=Decimal) == expected
    assert _run(["score", str(book)], capfd)[1] == _run(["score", str(WUWEI)], capfd)[1]


def test_check_lists_findings_and_exits_1_on_errors(capfd: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(["check", str(WUWEI)], capfd)
    assert status == 1
    assert "[错误]" in out and "100" in out  # the department table's weights do not reach 100
    assert out.rstrip().splitlines()[-1].startswith("共 ")


def test_export_pdf_of_one_form(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    pdf = tmp_path / "f.pdf"
    assert _run(["export", str(WUWEI), "--pdf", str(pdf), "--form", "2"], capfd)[0] == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    status, _, err = _run(["export", str(WUWEI), "--pdf", str(pdf), "--form", "9", "--force"], capfd)
    assert status == 2 and "没有第 9 张表" in err


def test_export_xlsx_of_two_forms(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    import openpyxl

    xlsx = tmp_path / "f.xlsx"
    assert _run(["export", str(WUWEI), "--xlsx", str(xlsx), "--form", "2", "--form", "1"], capfd)[0] == 0
    assert openpyxl.load_workbook(xlsx).sheetnames == ["1.政务服务经费", "2.武威市政府政务服务中心"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["score", "missing.json"], "找不到文件：missing.json"),
        (["check", "missing.jxdb"], "找不到文件"),
        (["export", str(WUWEI)], "--json"),
        (["import", str(WUWEI)], "参数错误"),
    ],
)
def test_errors_are_one_chinese_line_and_no_traceback(
    args: list[str], message: str, capfd: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    status, out, err = _run(args, capfd)
    assert status == 2 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_a_broken_json_file_gives_one_line_from_the_real_command(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "jixiao-workbook", "version": 1, "forms": [{"kind": "x"}]}', encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "desktop", "score", str(broken)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip() == (
        "jixiao：forms[0].kind：“x” 不是表格种类"
        "（应为 project_target / dept_target / project_self_eval / dept_self_eval）"
    )


def test_import_of_an_excel_file_writes_its_forms_and_reports_on_stderr(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    from desktop.models.storage import store
    from tests.helpers.excel_corpus import CASES

    case = next(c for c in CASES if c.name == "tianjin-targets-stacked")
    xlsx, book = tmp_path / "t.xlsx", tmp_path / "t.jxdb"
    case.build(xlsx)
    status, out, err = _run(["import", str(xlsx), "-o", str(book)], capfd)
    assert status == 0 and out == f"已写入 {book}：3 张表，29 个指标\n"
    assert err.count("→ 项目支出绩效目标表") == 3 and "金额单位：万元" in err
    workbook = store.load_any(book)
    assert [f.title for f in workbook.forms] == [w.title for w in case.expected]
    assert (workbook.unit.code, workbook.year) == ("319101", 2025)
    assert all(f.unit is None for f in workbook.forms)  # the workbook's own unit is kept once


def test_import_of_an_excel_file_without_tables_exits_2_and_writes_nothing(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    import openpyxl

    xlsx, book = tmp_path / "plain.xlsx", tmp_path / "out.jxdb"
    sheet_book = openpyxl.Workbook()
    assert sheet_book.active is not None
    sheet_book.active.append(["年度", "金额"])
    sheet_book.save(xlsx)
    status, out, err = _run(["import", str(xlsx), "-o", str(book)], capfd)
    assert status == 2 and out == "" and not book.exists()
    assert err.splitlines()[-1] == f"jixiao：plain.xlsx 中没有可以导入的指标表，未写入 {book}"
    notes = tmp_path / "notes.txt"
    notes.write_text("不是工作簿", encoding="utf-8")
    sheet_book.active.append(["一级指标", "二级指标", "三级指标"])
    sheet_book.active.append(["产出指标", "数量指标", "次数"])
    sheet_book.save(xlsx)
    status, _, err = _run(["import", str(xlsx), "-o", str(notes)], capfd)
    assert status == 2 and "已存在。要覆盖它请加 --force" in err  # every writer asks first (issue 14)
    status, _, err = _run(["import", str(xlsx), "-o", str(notes), "--force"], capfd)
    assert status == 2 and "不是预算绩效工作簿，不会覆盖它" in err  # and never replaces a file that is not one
    assert notes.read_text(encoding="utf-8") == "不是工作簿"
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500)
    status, _, err = _run(["import", str(old), "-o", str(book)], capfd)
    assert status == 2 and "另存为 .xlsx" in err and not book.exists()


def test_score_and_import_leave_the_garbage_collector_as_they_found_it(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    import gc

    book = tmp_path / "w.jxdb"
    assert gc.isenabled()
    assert _run(["import", str(WUWEI), "-o", str(book)], capfd)[0] == 0
    assert gc.isenabled()
    assert _run(["score", str(book)], capfd)[0] == 0
    assert gc.isenabled()
    assert _run(["score", str(tmp_path / "missing.jxdb")], capfd)[0] == 2  # an error inside the pause
    assert gc.isenabled()
    gc.disable()
    try:
        assert _run(["score", str(book)], capfd)[0] == 0
        assert not gc.isenabled()
    finally:
        gc.enable()
