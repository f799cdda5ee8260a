"""The consolidated workbook (``-o OUT.jxdb``): every counted unit's forms in one new workbook file (no Qt).

Each form keeps its unit (实施单位 / 填报单位) so the department's workbook shows whose it is; the
workbook itself is the department's, with the year and rule set most units use. The forms are
fresh copies (through the interchange form), so the units' files are never touched; an output
path that is one of the units' files is refused.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from desktop.models.consolidation.run import Consolidation
from desktop.models.errors import UserError, WorkbookFileError
from desktop.models.formats import interchange
from desktop.models.workbook.domain import Unit, Workbook


def merged_workbook(result: Consolidation, department: str = "") -> Workbook:
    """A new workbook holding copies of every counted unit's forms, each marked with its unit."""
    merged = Workbook(unit=Unit(code="", name=department or "汇总"), year=result.year, ruleset=result.ruleset)
    for row in result.counted:
        source = row.workbook
        if source is None:
            continue
        copy = interchange.workbook_from_data(interchange.workbook_to_data(source))
        for form in copy.forms:
            if form.unit is None:
                form.unit = Unit(code=source.unit.code, name=source.unit.name)
        merged.forms.extend(copy.forms)
    return merged


def refuse_inputs(out_path: str | os.PathLike[str], inputs: Iterable[Path]) -> None:
    """Refuse to write over one of the units' files (or anything inside the folders read)."""
    target = Path(out_path).resolve()
    for path in inputs:
        source = path.resolve()
        if target == source:
            raise UserError(f"输出文件 {Path(out_path).name} 是要汇总的单位文件之一，不能覆盖它。请换一个文件名。")


def write_merged(result: Consolidation, out_path: str | os.PathLike[str], department: str = "") -> Path:
    """Write the consolidated workbook as a new ``.jxdb`` (whole or not at all)."""
    from desktop.models.storage import store

    target = Path(out_path)
    refuse_inputs(target, (row.file.path for row in result.rows if row.file is not None))
    if target.exists():
        try:
            store.read_header(target)
        except WorkbookFileError:
            raise WorkbookFileError(f"{target} 已存在且不是预算绩效工作簿，不会覆盖它。请换一个文件名。") from None
    workbook = merged_workbook(result, department)
    if not workbook.forms:
        raise UserError("没有可以汇总的表（所有文件都无法读取）")
    store.create_workbook_file(target, workbook).close()
    return target
