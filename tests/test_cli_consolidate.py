"""``jixiao consolidate``: a generated unit set (with broken and hostile files) into 汇总表 PDF / Excel / .jxdb."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from desktop.cli import run
from desktop.models.consolidation.review import ReviewBook, ReviewEntry
from desktop.models.storage import store
from tests.helpers.unitset import hashes, unit_workbook, write_hostile, write_unit


def _run(args: list[str], capfd: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = run(args)
    out, err = capfd.readouterr()
    return status, out, err


@pytest.fixture
def units(tmp_path: Path) -> Path:
    folder = tmp_path / "units"
    folder.mkdir()
    for number, fmt in ((1, "jxdb"), (2, "json"), (3, "xlsx")):
        write_unit(folder, unit_workbook(number), fmt)
    return folder


def test_consolidate_writes_every_output(units: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    before = hashes(units)
    out = tmp_path / "out"
    out.mkdir()
    status, stdout, err = _run(
        [
            "consolidate",
            str(units),
            "-o",
            str(out / "汇总.pdf"),
            "-o",
            str(out / "汇总.xlsx"),
            "-o",
            str(out / "汇总.jxdb"),
            "--all-forms",
            str(out / "全部.pdf"),
            "--department",
            "测试主管部门",
        ],
        capfd,
    )
    assert (status, err) == (0, "")
    lines = stdout.splitlines()
    assert lines[0].split("\t")[:3] == ["状态", "单位代码", "单位名称"]
    assert [line.split("\t")[1] for line in lines[1:4]] == ["319101", "319102", "319103"]
    assert any(line.startswith("合计：3 个单位") for line in lines)
    assert hashes(units) == before

    text = "".join(page.extract_text() for page in PdfReader(out / "汇总.pdf").pages)
    assert "下级单位绩效自评汇总表" in text and "测试单位002" in text and "合计规则" in text
    book = openpyxl.load_workbook(out / "汇总.xlsx")
    assert book.sheetnames == ["汇总表", "问题清单"]
    names = [row[2] for row in book["汇总表"].iter_rows(min_row=4, values_only=True)]
    assert "测试单位001" in names and any(str(name).startswith("合计") for name in names)
    merged = store.load_any(out / "汇总.jxdb")
    assert merged.unit.name == "测试主管部门" and len(merged.forms) == 12

    reader = PdfReader(out / "全部.pdf")
    top = [item for item in reader.outline if not isinstance(item, list)]
    assert [item.title for item in top] == ["319101 测试单位001", "319102 测试单位002", "319103 测试单位003"]
    children = reader.outline[1]
    assert isinstance(children, list) and len(children) == 4
    first = children[0]
    assert not isinstance(first, list) and str(first.title).startswith("1. 项目支出绩效目标表")


def test_bad_files_are_listed_and_exit_one(units: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    write_hostile(units)
    before = hashes(units)
    names = tmp_path / "名单.csv"
    names.write_text("319101,测试单位001\n319177,没交的单位\n", encoding="utf-8")
    status, stdout, err = _run(
        ["consolidate", str(units), "-o", str(tmp_path / "汇总.pdf"), "--units", str(names)], capfd
    )
    assert status == 1 and err == ""
    assert "未报送\t319177\t没交的单位" in stdout
    assert "触发器.jxdb（触发器.jxdb）：文件含有触发器或视图" in stdout
    assert "新版本.jxdb（新版本.jxdb）：此工作簿由更新版本" in stdout
    assert "Traceback" not in stdout
    assert (tmp_path / "汇总.pdf").exists()
    assert hashes(units) == before


def test_review_sheets(units: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    review = tmp_path / "复核.jxreview"
    ReviewBook(review).set(ReviewEntry("319102", 1, 0, Decimal(5), "指标1依据不足", "单位2项目1", "服务事项1完成情况"))
    sheets = tmp_path / "复核意见"
    status, stdout, _err = _run(
        ["consolidate", str(units), "-o", str(tmp_path / "a.xlsx"), "--review", str(review)]
        + ["--review-sheets", str(sheets)],
        capfd,
    )
    assert status == 0
    written = sorted(path.name for path in sheets.iterdir())
    assert written == ["319102测试单位002复核意见.pdf", "319102测试单位002复核意见.xlsx"]
    text = PdfReader(sheets / written[0]).pages[0].extract_text()
    assert "指标1依据不足" in text and "复核意见表" in text
    rows = list(openpyxl.load_workbook(sheets / written[1]).active.iter_rows(min_row=4, values_only=True))  # type: ignore[union-attr]
    assert rows[0][4] == 5 and rows[0][5] == "指标1依据不足"


def test_refusals(units: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    before = hashes(units)
    status, _out, err = _run(["consolidate", str(units), "-o", str(units / "319101.jxdb")], capfd)
    assert status == 2 and "单位文件之一" in err
    status, _out, err = _run(["consolidate", str(units), "-o", str(tmp_path / "x.docx")], capfd)
    assert status == 2 and "只能是 .jxdb、.xlsx 或 .pdf" in err
    status, _out, err = _run(["consolidate", str(tmp_path / "没有"), "-o", str(tmp_path / "x.pdf")], capfd)
    assert status == 2 and "没有读到任何单位的工作簿" in err and not (tmp_path / "x.pdf").exists()
    status, _out, err = _run(["consolidate", str(units)], capfd)
    assert status == 2 and err.startswith("jixiao：参数错误")
    assert hashes(units) == before


def test_main_dispatches_consolidate(units: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "desktop", "consolidate", str(units / "319101.jxdb"), "-o", str(tmp_path / "a.pdf")],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert "测试单位001" in done.stdout.decode("utf-8")
    usage = subprocess.run([sys.executable, "-m", "desktop", "--help"], capture_output=True, timeout=60, check=False)
    assert "jixiao consolidate" in usage.stdout.decode("utf-8")
