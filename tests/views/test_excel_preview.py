"""The window's Excel import: before anything changes, the user sees what each sheet became, the money unit
used and (under 显示详细信息) every row skipped and why."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from desktop.models.workbook.domain import FormKind, Unit, Workbook
from tests.helpers.excel_corpus import CASES
from tests.views.window_helpers import open_window


def _empty() -> Workbook:
    return Workbook(unit=Unit("530000", "测试单位"), year=2022)


def test_the_preview_names_the_money_unit_and_lists_skipped_rows(qtbot: Any, tmp_path: Path) -> None:
    source = tmp_path / "永德.xlsx"
    case = next(c for c in CASES if c.name == "yunnan-yongde")
    case.build(source)
    window, prompter = open_window(qtbot, tmp_path, _empty())
    session = window.session
    assert session is not None
    before = len(session.document.workbook.forms)
    prompter.open_paths.append(str(source))
    prompter.confirms.append(True)
    window.acts.import_xlsx.trigger()
    question = prompter.questions[-1]
    assert "找到 1 张指标表，共 16 个指标" in question
    assert "金额单位：元（按表中“项目资金（元）”）" in question
    assert "第 27 行“生态效益指标”没有三级指标（模板中的空行），未导入" in question  # the details
    assert "第 28 行“其他需要说明事项”起是表尾" in question
    form = session.document.workbook.forms[before]
    assert (form.kind, form.money_unit, form.printed_total) == (
        FormKind.PROJECT_SELF_EVAL,
        "元",
        case.expected[0].printed_total,
    )


def test_a_file_without_tables_says_what_each_sheet_was(qtbot: Any, tmp_path: Path) -> None:
    import openpyxl

    source = tmp_path / "说明.xlsx"
    book = openpyxl.Workbook()
    assert book.active is not None
    book.active.title = "填报说明"
    book.active.append(["一级指标", "二级指标", "三级指标"])
    book.active.append(["产出指标", "数量指标", "示例"])
    book.save(source)
    window, prompter = open_window(qtbot, tmp_path, _empty())
    assert not window.transfers.import_excel(str(source))
    assert "工作表“填报说明”：是填报说明，未导入" in prompter.errors[-1]
