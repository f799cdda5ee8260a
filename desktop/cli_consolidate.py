"""``jixiao consolidate FILES_OR_FOLDERS... -o OUT.jxdb|.xlsx|.pdf``: 汇总下级单位 from the command line.

Reads every unit file read-only, prints one line per unit and every finding, then writes each
``-o`` output by its suffix: ``.jxdb`` a workbook with every counted unit's forms, ``.xlsx`` the
汇总表 (and 问题清单), ``.pdf`` the 汇总表. ``--all-forms`` writes every unit's forms into one PDF
with bookmarks, ``--review-sheets DIR`` a 复核意见表 (PDF and Excel) per unit that has reviews.
Exit status 0 when every file was read and nothing needs checking, 1 when some file could not be
counted (unreadable, duplicate, absent, other year) — the outputs are written either way — and 2
on bad arguments or an output that cannot be written.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop.models.errors import UserError

EXIT_OK = 0
EXIT_FINDINGS = 1
OUTPUT_SUFFIXES = (".jxdb", ".xlsx", ".pdf")


def add_parser(sub: Any) -> None:
    """Add the ``consolidate`` subcommand to the main parser's subparsers."""
    p = sub.add_parser("consolidate", help="汇总下级单位的工作簿（.jxdb / JSON / 本程序导出的 Excel）")
    p.add_argument("inputs", metavar="FILES_OR_FOLDER", nargs="+", help="各单位报送的文件，或存放它们的文件夹")
    p.add_argument(
        "-o",
        "--output",
        metavar="OUT.jxdb|.xlsx|.pdf",
        action="append",
        required=True,
        help="输出：.jxdb 合并工作簿，.xlsx 汇总表 Excel，.pdf 汇总表 PDF（可重复）",
    )
    p.add_argument("--units", metavar="名单.csv", help="应报送的单位名单（每行：代码,名称），缺报的单位会列出")
    p.add_argument("--review", metavar="复核.jxreview", help="复核文件：汇总表中列出复核分")
    p.add_argument("--department", metavar="名称", default="", help="主管部门名称（印在汇总表上）")
    p.add_argument("--all-forms", metavar="OUT.pdf", help="把各单位的全部报表合成一个 PDF（每个单位、每张表一个书签）")
    p.add_argument("--review-sheets", metavar="DIR", help="为每个有复核意见的单位输出复核意见表（PDF 和 Excel）")


def _cell(value: object, empty: str = "") -> str:
    return empty if value is None else str(value)


def _safe_name(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", text).strip("_") or "单位"


def run_consolidate(args: argparse.Namespace, write: Callable[[str], None]) -> int:
    """Run the command; ``write`` prints UTF-8 text to stdout."""
    from desktop.models.consolidation.findings import read_expected
    from desktop.models.consolidation.review import ReviewBook
    from desktop.models.consolidation.rows import STATUS_LABELS
    from desktop.models.consolidation.run import consolidate, rate_percent

    outputs = [Path(path) for path in args.output]
    for path in outputs:
        if path.suffix.lower() not in OUTPUT_SUFFIXES:
            raise UserError(f"不认识的输出格式“{path.name}”：-o 只能是 .jxdb、.xlsx 或 .pdf 文件")
    expected = read_expected(args.units) if args.units else []
    book = ReviewBook.load(args.review) if args.review else None
    result = consolidate(args.inputs, expected=expected, book=book)
    inputs = [row.file.path for row in result.rows if row.file is not None]

    lines = [
        "状态\t单位代码\t单位名称\t文件\t年度\t目标表\t自评表\t预算数\t执行数\t执行率\t自评分\t等级\t待评\t错误\t警告"
    ]
    from desktop.models.workbook.domain import FormKind

    for row in result.rows:
        figures = row.figures
        targets = row.count(FormKind.PROJECT_TARGET) + row.count(FormKind.DEPT_TARGET)
        evals = row.count(FormKind.PROJECT_SELF_EVAL) + row.count(FormKind.DEPT_SELF_EVAL)
        cells = [
            STATUS_LABELS[row.status],
            row.code,
            row.name,
            row.path_name,
            _cell(row.year),
            str(targets),
            str(evals),
            _cell(figures.budget if figures else None),
            _cell(figures.executed if figures else None),
            rate_percent(figures.rate) if figures else "",
            _cell(figures.score if figures else None),
            (figures.grade or "") if figures else "",
            str(row.summary.unscored if row.summary else 0),
            str(row.errors),
            str(row.warnings),
        ]
        lines.append("\t".join(cells))
    totals = result.totals
    lines.append(
        f"合计：{len(result.counted)} 个单位，预算数 {_cell(totals.budget, '—')} 万元，"
        f"执行数 {_cell(totals.executed, '—')} 万元，执行率 {rate_percent(totals.rate) or '—'}，"
        f"加权自评分 {_cell(totals.score, '—')}"
        + (f"，加权复核分 {totals.review}" if totals.review is not None else "")
    )
    problems = result.problem_lines()
    if problems:
        lines.append(f"需要核实的问题（{len(problems)} 条）：")
        lines.extend(problems)
    write("\n".join(lines) + "\n")
    if not result.files_read:
        raise UserError("没有读到任何单位的工作簿，未写入输出文件")

    for path in outputs:
        _refuse_input(path, inputs)
        suffix = path.suffix.lower()
        if suffix == ".jxdb":
            from desktop.models.consolidation.merge import write_merged

            write_merged(result, path, args.department)
        elif suffix == ".xlsx":
            from desktop.reports.consolidation_xlsx import export_summary_xlsx

            export_summary_xlsx(result, path, book, args.department)
        else:
            from desktop.reports.consolidation_pdf import export_summary_pdf

            export_summary_pdf(result, path, book, args.department)
        write(f"已写入 {path}\n")
    if args.all_forms:
        from desktop.reports.consolidation_pdf import export_all_forms_pdf

        _refuse_input(Path(args.all_forms), inputs)
        target, pages = export_all_forms_pdf(result, args.all_forms)
        write(f"已写入 {target}（{pages} 页）\n")
    if args.review_sheets:
        if book is None:
            raise UserError("--review-sheets 需要同时用 --review 指定复核文件")
        folder = Path(args.review_sheets)
        folder.mkdir(parents=True, exist_ok=True)
        from desktop.reports.consolidation_pdf import export_review_pdf
        from desktop.reports.consolidation_xlsx import export_review_xlsx

        for row in result.rows:
            if row.workbook is None or not book.for_unit(row.key):
                continue
            stem = _safe_name(f"{row.code}{row.name}复核意见")
            export_review_pdf(row, book, folder / f"{stem}.pdf", result.year)
            export_review_xlsx(row, book, folder / f"{stem}.xlsx", result.year)
            write(f"已写入 {folder / stem}.pdf / .xlsx\n")
    needs_checking = any(row.status != "ok" for row in result.rows) or any(
        issue.code == "mixed_year" for row in result.rows for issue in row.issues
    )
    return EXIT_FINDINGS if needs_checking else EXIT_OK


def _refuse_input(path: Path, inputs: list[Path]) -> None:
    from desktop.models.consolidation.merge import refuse_inputs

    refuse_inputs(path, inputs)
