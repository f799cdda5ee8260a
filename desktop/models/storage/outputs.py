"""Where an export, import or copy may write: never onto a workbook, an input, or a file held open.

:func:`check_output` is called by every writer's entry point (command line, window) before any work
is done; :mod:`atomic` refuses a workbook target once more at the moment of the rename, so a writer
that forgot the check still cannot destroy a workbook. Replacing any other existing file needs the
caller's consent (``--force`` on the command line, a question in the window).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from desktop.models.errors import UserError
from desktop.models.storage.atomic import is_workbook_file
from desktop.models.storage.safety import lock_path_for, read_lock


class OutputExistsError(UserError):
    """The output file exists and the caller did not say it may be replaced."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} 已存在。要覆盖它请加 --force，或换一个文件名。")
        self.path = path


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Whether two names reach the same file (same path after links, or the same device and inode)."""
    try:
        if os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b)):
            return True
        return os.path.exists(a) and os.path.exists(b) and os.path.samefile(a, b)
    except OSError:
        return False


def check_output(
    path: str | os.PathLike[str],
    *,
    inputs: Iterable[str | os.PathLike[str]] = (),
    force: bool = False,
    workbook: bool = False,
) -> Path:
    """Refuse an output path that would destroy something; returns it as a ``Path``.

    Args:
        path: the file to be written.
        inputs: files the command reads (the output may not be one of them, by any name).
        force: an existing file that is none of the above may be replaced.
        workbook: the output is a workbook (``import``): it may replace an existing workbook that no
            program holds (the lock decides later), but still only with ``force``.

    Raises:
        UserError: a folder, an input, a workbook (for non-workbook output), a workbook some
            program has open; ``OutputExistsError`` for any other existing file without ``force``.
    """
    target = Path(path)
    for source in inputs:
        if same_file(source, target):
            raise UserError(f"输出文件 {target} 就是输入文件本身，不能覆盖它。请换一个文件名。")
    if not os.path.lexists(target):
        return target
    if target.is_dir():
        raise UserError(f"{target} 是一个文件夹，不能作为输出文件。")
    if is_workbook_file(target):
        if not workbook:
            raise UserError(f"{target} 是一个工作簿文件，导出不会覆盖工作簿。请换一个文件名。")
        holder = read_lock(lock_path_for(target))
        if holder is not None and not force:
            raise UserError(f"{target} 是一个可能正被打开的工作簿（{holder.describe()}），不会覆盖它。")
    if not force:
        raise OutputExistsError(target)
    return target
