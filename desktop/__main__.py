"""Entry point of ``jixiao`` and ``python -m desktop``: the window, a headless command, or the self-test.

The windowed Windows program has no console (``sys.stdout`` / ``sys.stderr`` are None): a command typed
in cmd attaches to that console, and whatever is still None becomes a sink (``desktop.console``), so
no write raises. A usage error with nobody to read it is shown in a message box.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

USAGE = """用法：
  jixiao [工作簿.jxdb]                     打开主窗口（首次启动打开示例工作簿）
  jixiao import IN.json -o OUT.jxdb        从 JSON 导入
  jixiao export FILE --json OUT.json       导出 JSON
  jixiao export FILE --pdf OUT.pdf [--form N]   导出 PDF
  jixiao score FILE                        计算得分（JSON）
  jixiao check FILE                        审核，列出问题
  jixiao consolidate 文件或文件夹... -o OUT.jxdb|.xlsx|.pdf [--units 名单.csv]
                                           汇总下级单位（-o 可重复；--help 查看全部选项）
  jixiao --selftest                        自检（打开示例、计分、导出PDF、检查字体）
  jixiao --version                         版本
"""


def main(argv: Sequence[str] | None = None) -> int:
    """Dispatch on the arguments; returns the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    from desktop import console

    if args and (args[0] in HEADLESS or args[0].startswith("-") or len(args) > 1):
        console.attach_parent_console()
    console.ensure_streams()
    if args and args[0] in ("import", "export", "score", "check", "consolidate"):
        from desktop.cli import run

        return run(args)
    if args and args[0] == "--selftest":
        from desktop.selftest import run_selftest

        return run_selftest()
    if args and args[0] in ("-h", "--help"):
        _write(USAGE)
        return 0
    if args and args[0] == "--version":
        from desktop import __version__

        _write(f"jixiao {__version__}\n")
        return 0
    if len(args) > 1 or (args and args[0].startswith("-")):
        text = f"jixiao：无法识别的参数 {' '.join(args)}"
        if console.usable(sys.stderr):
            sys.stderr.write(f"{text}\n{USAGE}")
        else:  # double-clicked with arguments (a shortcut, several files dropped on the icon)
            _message_box(f"{text}\n\n{USAGE}")
        return 2
    from desktop.app import run_gui

    return run_gui(args[0] if args else None)


HEADLESS = ("import", "export", "score", "check", "consolidate", "--selftest", "-h", "--help", "--version")


def _write(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def _message_box(text: str) -> None:
    """Say ``text`` in a message box (the windowed program, when nobody reads stderr)."""
    try:
        from PySide6.QtWidgets import QApplication, QMessageBox

        from desktop.app import DISPLAY_NAME

        _app = QApplication.instance() or QApplication([sys.argv[0]])
        QMessageBox(QMessageBox.Icon.Warning, DISPLAY_NAME, text, QMessageBox.StandardButton.Ok).exec()
    except Exception:  # no screen either: nothing more can be done; the exit status says it
        return


if __name__ == "__main__":
    sys.exit(main())
