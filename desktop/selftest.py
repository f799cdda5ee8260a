"""``jixiao --selftest``: proves a built program works — sample, scores, window, PDF, embedded font, Excel.

Runs offscreen in a temporary folder and touches nothing of the user's. Prints one line and
returns 0, or 1 with the step that failed. A windowed Windows build has no console, so the line
is also written to ``jixiao-selftest.txt`` in the temporary folder of the system.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from desktop.models.workbook.document import WorkbookDocument


class _StepFailed(Exception):
    def __init__(self, step: str, problem: str) -> None:
        super().__init__(f"{step}：{problem}")


def _step(name: str, action: Callable[[], object]) -> object:
    try:
        return action()
    except _StepFailed:
        raise
    except Exception as exc:
        raise _StepFailed(name, f"{type(exc).__name__}: {exc}") from exc


def check_pdf_fonts(data: bytes) -> list[str]:
    """Names of the fonts a PDF uses; raises ``ValueError`` if any is not an embedded subset."""
    names = [name.decode("latin-1") for name in re.findall(rb"/BaseFont\s*/([^\s/<>\[\]]+)", data)]
    if not names:
        raise ValueError("PDF 中没有字体")
    not_subset = [name for name in names if not re.match(r"^[A-Z]{6}\+", name)]
    if not_subset:
        raise ValueError(f"字体未以子集嵌入：{', '.join(sorted(set(not_subset)))}")
    if data.count(b"/FontFile2") < len(set(names)):
        raise ValueError("有字体未嵌入（缺少 FontFile2）")
    return sorted(set(names))


def run_selftest() -> int:
    """Run every step; print one line; 0 when all passed."""
    started = time.perf_counter()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    workdir = Path(tempfile.mkdtemp(prefix="jixiao-selftest-"))
    try:
        summary = _run_steps(workdir)
        line = f"jixiao 自检通过：{summary}（用时 {time.perf_counter() - started:.1f} 秒）"
        status = 0
    except _StepFailed as exc:
        line = f"jixiao 自检失败：{exc}"
        status = 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    _report(line)
    return status


def _run_steps(workdir: Path) -> str:
    def load_modules() -> tuple[Any, ...]:
        from desktop.app import setup_application
        from desktop.models.scoring.engine import ScoringEngine
        from desktop.models.scoring.rules import load_ruleset
        from desktop.models.storage import store
        from desktop.reports import export_pdf
        from desktop.views.main_window import MainWindow

        return setup_application, store, load_ruleset, ScoringEngine, export_pdf, MainWindow

    from PySide6.QtCore import QCoreApplication, QSettings
    from PySide6.QtGui import QFontDatabase
    from PySide6.QtWidgets import QApplication

    from desktop.resources import SAMPLE_WORKBOOK, resource_path

    modules = cast(tuple[Any, ...], _step("加载模块", load_modules))
    setup_application, store, load_ruleset, ScoringEngine, export_pdf, MainWindow = modules
    app = QApplication.instance() or QApplication([sys.argv[0], "-platform", "offscreen"])
    assert isinstance(app, QApplication)
    _step("界面字体", lambda: setup_application(app))
    if not QFontDatabase.applicationFontFamilies(0):
        raise _StepFailed("界面字体", "内置中文字体未能加载")
    if QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel":
        raise _StepFailed("界面翻译", "未能加载 Qt 的中文翻译（qtbase_zh_CN.qm）")

    sample = resource_path(*SAMPLE_WORKBOOK)
    if not sample.is_file():
        raise _StepFailed("示例工作簿", f"找不到 {sample}")
    path = workdir / "selftest.jxdb"
    _step("导入示例", lambda: store.import_json(str(sample), str(path)))
    document = cast("WorkbookDocument", _step("打开工作簿", lambda: store.open_workbook(str(path))))
    try:
        workbook = document.workbook
        engine = ScoringEngine(load_ruleset(workbook.ruleset))
        try:
            scores = [engine.score_form(form) for form in workbook.forms]
        except Exception as exc:
            raise _StepFailed("计分", f"{type(exc).__name__}: {exc}") from exc
        totals = [score.total for score in scores if score.total is not None]
        if not totals:
            raise _StepFailed("计分", "没有算出总分")

        def show_window() -> None:
            settings = QSettings(str(workdir / "settings.ini"), QSettings.Format.IniFormat)
            window = MainWindow(settings, documents_dir=str(workdir), data_dir=str(workdir))
            window.set_document(document)
            window.resize(1280, 800)
            window.show()
            app.processEvents()
            if window.grab().isNull():
                raise ValueError("窗口无法绘制")
            window.close()
            window.deleteLater()
            app.processEvents()

        _step("主窗口", show_window)
        pdf = workdir / "selftest.pdf"
        result = _step("导出PDF", lambda: export_pdf(workbook, str(pdf), scores=engine.score_form))
        fonts = cast(list[str], _step("PDF字体", lambda: check_pdf_fonts(pdf.read_bytes())))
        sheets = cast(int, _step("导出Excel", lambda: _export_and_read_xlsx(workbook, engine, workdir)))
        indicators = sum(len(form.indicators) for form in workbook.forms)
        pages = getattr(result, "pages", "?")
        return (
            f"{len(workbook.forms)} 张表，{indicators} 个指标，总分 {', '.join(str(t) for t in totals)}；"
            f"PDF {pages} 页，字体已嵌入（{', '.join(fonts)}）；Excel {sheets} 个工作表"
        )
    finally:
        document.close()


def _export_and_read_xlsx(workbook: Any, engine: Any, workdir: Path) -> int:
    """Export the sample to Excel and read it back: one sheet per form, titled as printed, every indicator."""
    import openpyxl

    from desktop.reports.layouts import form_title
    from desktop.reports.xlsx import export_xlsx

    path = workdir / "selftest.xlsx"
    export_xlsx(workbook, str(path), scores=engine.score_form)
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        titles = [next(sheet.iter_rows(max_row=1, values_only=True))[0] for sheet in book.worksheets]
    finally:
        book.close()
    expected = [form_title(form, workbook) for form in workbook.forms]
    if titles != expected:
        raise ValueError(f"工作表标题不符：{titles[:2]}…")
    import openpyxl.xml

    from desktop.models.formats.excel_import import indicator_count, read_indicator_tables

    if not openpyxl.xml.DEFUSEDXML:
        raise ValueError("未打包 defusedxml，导入 Excel 时无法安全解析")
    tables = read_indicator_tables(path)
    if indicator_count(tables) != sum(len(form.indicators) for form in workbook.forms):
        raise ValueError("导出的 Excel 读回后指标数不符")
    return len(titles)


def _report(line: str) -> None:
    from desktop import console

    if console.usable(sys.stdout):
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is not None:
            buffer.write((line + "\n").encode("utf-8"))
        else:
            sys.stdout.write(line + "\n")
        sys.stdout.flush()
    else:  # windowed Windows build started from Explorer: no console
        Path(tempfile.gettempdir(), "jixiao-selftest.txt").write_text(line + "\n", encoding="utf-8")
