"""The headless ``jixiao`` commands: import, export (JSON / PDF / Excel), score, check and consolidate.

Each prints its result on stdout; any problem is one Chinese line on stderr and a non-zero exit,
never a traceback. FILE may be a ``.jxdb`` workbook or the JSON interchange form.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import sys
from collections.abc import Iterator, Sequence
from typing import NoReturn

from desktop import __version__
from desktop.models.errors import UserError

COMMANDS = ("import", "export", "score", "check", "consolidate")

EXIT_OK = 0
EXIT_FINDINGS = 1  # `check` found errors
EXIT_USER_ERROR = 2  # bad input, unreadable file, refused write
EXIT_BUG = 3  # an unexpected failure (a bug): still one line, no traceback


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one Chinese line."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USER_ERROR, f"jixiao：参数错误：{message}（用 jixiao {self.prog.split()[-1]} -h 查看用法）\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="jixiao", description="预算绩效填报：命令行工具")
    parser.add_argument("--version", action="version", version=f"jixiao {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("import", help="从 JSON 或 Excel (.xlsx) 导入，生成工作簿文件 (.jxdb)")
    p.add_argument("input", metavar="IN.json|IN.xlsx")
    p.add_argument("-o", "--output", metavar="OUT.jxdb", required=True)
    p.add_argument("--force", action="store_true", help="覆盖已存在的输出文件（工作簿只在没有程序打开时）")

    p = sub.add_parser("export", help="导出工作簿为 JSON 或 PDF")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--json", metavar="OUT.json", dest="json_out")
    p.add_argument("--pdf", metavar="OUT.pdf", dest="pdf_out")
    p.add_argument("--xlsx", metavar="OUT.xlsx", dest="xlsx_out", help="导出 Excel，每张表一个工作表")
    p.add_argument("--form", metavar="N", type=int, action="append", help="只导出第 N 张表（从 1 起，可重复）")
    p.add_argument("--force", action="store_true", help="覆盖已存在的输出文件（从不覆盖工作簿）")

    p = sub.add_parser("score", help="计算得分，输出 JSON")
    p.add_argument("file", metavar="FILE")

    p = sub.add_parser("check", help="审核工作簿，列出问题；有错误时退出码为 1")
    p.add_argument("file", metavar="FILE")

    from desktop.cli_consolidate import add_parser as add_consolidate

    add_consolidate(sub)
    return parser


def run(argv: Sequence[str]) -> int:
    """Run one command; returns the exit status."""
    from desktop import console

    console.ensure_streams()  # the windowed Windows program may have no stdout / stderr at all
    try:
        args = _parser().parse_args(list(argv))
    except SystemExit as exc:  # -h, --version, or a usage error already printed as one line
        return exc.code if isinstance(exc.code, int) else EXIT_USER_ERROR
    try:
        return _COMMANDS[args.command](args)
    except UserError as exc:
        print(f"jixiao：{exc.message}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("jixiao：已中断", file=sys.stderr)
        return EXIT_USER_ERROR
    except Exception as exc:  # a bug: keep it to one line for the user, as promised
        print(f"jixiao：程序内部错误（{type(exc).__name__}: {exc}）", file=sys.stderr)
        return EXIT_BUG


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while one command builds and drops a whole workbook at once.

    Reading a workbook makes a tree of tens of thousands of objects without cycles, and each
    collection walks all of them again (~0.2 s of a 36,000-indicator ``jixiao import``, ~0.08 s of a
    ``jixiao score``); nothing is freed that way that reference counting does not free anyway.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _cmd_import(args: argparse.Namespace) -> int:
    from desktop.models.storage import store as store
    from desktop.models.storage.outputs import check_output

    check_output(args.output, inputs=[args.input], force=args.force, workbook=True)
    if _is_spreadsheet(args.input):
        return _import_excel(args.input, args.output)
    with _collector_paused():
        store.import_json(args.input, args.output)
    return EXIT_OK


def _is_spreadsheet(path: str) -> bool:
    """An Excel file by its content (a zip package or an old .xls), or by its name when unreadable."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(8)
    except OSError:
        return path.lower().endswith((".xlsx", ".xlsm", ".xls"))
    return head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")) or path.lower().endswith((".xlsx", ".xls"))


def _import_excel(source: str, output: str) -> int:
    """The forms of an Excel file as a new workbook; the report of what was read goes to stderr."""
    from desktop.models.formats.excel_import import indicator_count, read_excel, workbook_of
    from desktop.models.scoring.rules import load_ruleset
    from desktop.models.storage import store as store

    found = read_excel(source, load_ruleset())
    report = "\n".join(found.report()) + "\n"
    buffer = getattr(sys.stderr, "buffer", None)
    if buffer is not None:  # UTF-8 whatever the console's code page, as _print does for stdout
        buffer.write(report.encode("utf-8"))
    else:
        sys.stderr.write(report)
    sys.stderr.flush()
    if not found.tables:
        raise UserError(f"{found.name} 中没有可以导入的指标表，未写入 {output}")
    store.write_imported(workbook_of(found), source, output)
    count = len(found.tables)
    _print(f"已写入 {output}：{count} 张表，{indicator_count(found.tables)} 个指标\n")
    return EXIT_OK


def _cmd_export(args: argparse.Namespace) -> int:
    if not args.json_out and not args.pdf_out and not args.xlsx_out:
        raise UserError("请用 --json OUT.json、--pdf OUT.pdf 或 --xlsx OUT.xlsx 指定导出文件")
    from desktop.models.formats import interchange
    from desktop.models.storage import store as store
    from desktop.models.storage.outputs import check_output, same_file

    outputs = [out for out in (args.json_out, args.pdf_out, args.xlsx_out) if out]
    for index, out in enumerate(outputs):
        if any(same_file(out, other) for other in outputs[:index]):
            raise UserError(f"两个导出文件是同一个文件：{out}")
        check_output(out, inputs=[args.file], force=args.force)
    workbook = store.load_any(args.file)
    if args.json_out:
        _write_text_atomically(args.json_out, interchange.dumps(workbook))
    if args.pdf_out or args.xlsx_out:
        from desktop.models.scoring.engine import ScoringEngine
        from desktop.models.scoring.rules import load_ruleset

        forms = None
        if args.form:
            count = len(workbook.forms)
            bad = [n for n in args.form if not 1 <= n <= count]
            if bad:
                raise UserError(f"没有第 {bad[0]} 张表（工作簿共 {count} 张表）")
            forms = [n - 1 for n in args.form]
        engine = ScoringEngine(load_ruleset(workbook.ruleset))
        if args.pdf_out:
            from desktop.reports import export_pdf

            export_pdf(workbook, args.pdf_out, forms=forms, scores=engine.score_form)
        if args.xlsx_out:
            from desktop.reports.xlsx import export_xlsx

            export_xlsx(workbook, args.xlsx_out, forms=forms, scores=engine.score_form)
    return EXIT_OK


def _cmd_score(args: argparse.Namespace) -> int:
    from desktop.models.formats.score_json import score_text
    from desktop.models.scoring.engine import ScoringEngine
    from desktop.models.scoring.rules import load_ruleset
    from desktop.models.storage import store as store

    with _collector_paused():
        workbook = store.load_any(args.file)
        engine = ScoringEngine(load_ruleset(workbook.ruleset))
        text = score_text(workbook, engine)
    _print(text)
    return EXIT_OK


def _cmd_check(args: argparse.Namespace) -> int:
    from desktop.models.scoring.engine import ScoringEngine
    from desktop.models.scoring.rules import load_ruleset
    from desktop.models.scoring.validation import check_workbook, describe_finding
    from desktop.models.storage import store as store

    workbook = store.load_any(args.file)
    engine = ScoringEngine(load_ruleset(workbook.ruleset))
    findings = check_workbook(workbook, engine)
    lines = [describe_finding(workbook, finding) for finding in findings]
    errors = sum(1 for finding in findings if finding.severity == "error")
    lines.append(f"共 {errors} 个错误，{len(findings) - errors} 个警告")
    _print("\n".join(lines) + "\n")
    return EXIT_FINDINGS if errors else EXIT_OK


def _print(text: str) -> None:
    """Write UTF-8 text to stdout whatever the console's code page (Windows cmd is often GBK)."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is not None:
        buffer.write(text.encode("utf-8"))
    else:  # a text-only stream (an IDE's console)
        sys.stdout.write(text)
    sys.stdout.flush()


def _write_text_atomically(path: str, text: str) -> None:
    from desktop.models.storage.atomic import write_atomically

    write_atomically(path, text.encode("utf-8"))


def _cmd_consolidate(args: argparse.Namespace) -> int:
    from desktop.cli_consolidate import run_consolidate

    return run_consolidate(args, _print)


_COMMANDS = {
    "import": _cmd_import,
    "export": _cmd_export,
    "score": _cmd_score,
    "check": _cmd_check,
    "consolidate": _cmd_consolidate,
}
