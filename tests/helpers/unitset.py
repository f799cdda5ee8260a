"""Generated sets of unit files for the consolidation tests and benchmark, including broken and hostile ones."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from decimal import Decimal
from pathlib import Path

from desktop.models.formats import interchange
from desktop.models.storage import store
from desktop.models.workbook.domain import Budget, Form, FormKind, FundLine, Indicator, Unit, Workbook

_ROWS = [
    ("产出指标", "数量指标", "≥{n}次", "{a}次"),
    ("产出指标", "质量指标", "≥95%", "{p}%"),
    ("产出指标", "时效指标", "12月底前", "12月底"),
    ("效益指标", "社会效益指标", "≥{n}人", "{a}人"),
    ("满意度指标", "服务对象满意度指标", "≥90%", "{p}%"),
]


def unit_workbook(
    number: int, *, projects: int = 2, indicators: int = 10, year: int = 2025, with_targets: bool = True
) -> Workbook:
    """Unit ``number``: for each project a 目标表 and a 自评表 (10 分 for execution, 90 over the rows)."""
    code = f"{319100 + number}"
    workbook = Workbook(unit=Unit(code=code, name=f"测试单位{number:03d}"), year=year)
    weight = (Decimal(90) / indicators).quantize(Decimal("0.01"))
    for p in range(projects):
        title = f"单位{number}项目{p + 1}"
        budget = Decimal(100 + 10 * ((number * 7 + p) % 13))
        executed = budget - Decimal((number + p) % 9)
        rows = []
        for i in range(indicators):
            level1, level2, target, actual = _ROWS[i % len(_ROWS)]
            n = 10 + (i * 7 + p + number) % 90
            values = {"n": n, "a": n - (i % 3), "p": 90 + i % 10}
            rows.append(
                Indicator(
                    level1=level1,
                    level2=level2,
                    name=f"服务事项{i + 1}完成情况",
                    target=target.format(**values),
                    actual=actual.format(**values),
                    weight=weight if i < indicators - 1 else Decimal(90) - weight * (indicators - 1),
                    deviation="完成较好，无偏差",
                )
            )
        if with_targets:
            workbook.forms.append(
                Form(
                    kind=FormKind.PROJECT_TARGET,
                    title=title,
                    code=f"{code}{p:03d}",
                    budget=Budget(amount=budget, fiscal=budget),
                    indicators=[Indicator(r.level1, r.level2, r.name, target=r.target) for r in rows],
                )
            )
        workbook.forms.append(
            Form(
                kind=FormKind.PROJECT_SELF_EVAL,
                title=title,
                code=f"{code}{p:03d}",
                funds=[FundLine("total", budget, budget, executed), FundLine("fiscal", budget, budget, executed)],
                exec_weight=Decimal(10),
                indicators=rows,
                deviation="执行正常",
                conclusion="完成良好",
            )
        )
    return workbook


def write_unit(folder: Path, workbook: Workbook, fmt: str = "jxdb", name: str | None = None) -> Path:
    """Write a unit's workbook as .jxdb, .json or .xlsx (this program's export)."""
    path = folder / f"{name or workbook.unit.code}.{fmt}"
    if fmt == "jxdb":
        store.create_workbook_file(path, workbook).close()
    elif fmt == "json":
        path.write_text(interchange.dumps(workbook), encoding="utf-8")
    else:
        from desktop.reports.xlsx import export_xlsx

        export_xlsx(workbook, path)
    return path


def write_hostile(folder: Path) -> dict[str, Path]:
    """Files a unit might hand over by mistake or malice; returns them by what they are."""
    out: dict[str, Path] = {}
    out["empty"] = folder / "空文件.jxdb"
    out["empty"].write_bytes(b"")
    out["text"] = folder / "说明.txt"
    out["text"].write_text("这不是工作簿", encoding="utf-8")
    out["pdf"] = folder / "扫描件.pdf"
    out["pdf"].write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    out["bad_json"] = folder / "坏的.json"
    out["bad_json"].write_text('{"format": "jixiao-workbook", "version": 1, "forms": [', encoding="utf-8")
    out["deep_json"] = folder / "嵌套.json"
    out["deep_json"].write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    out["foreign_sqlite"] = folder / "别的程序.jxdb"
    conn = sqlite3.connect(out["foreign_sqlite"])
    conn.execute("CREATE TABLE t(x)")
    conn.execute("INSERT INTO t VALUES (1)")
    conn.commit()
    conn.close()
    good = folder / "截断源.tmpdata"
    store.create_workbook_file(good, unit_workbook(900)).close()
    data = good.read_bytes()
    good.unlink()
    out["truncated"] = folder / "截断.jxdb"
    out["truncated"].write_bytes(data[: len(data) // 2])
    out["bad_zip"] = folder / "坏的.xlsx"
    out["bad_zip"].write_bytes(b"PK\x03\x04" + os.urandom(200))
    # A workbook of a newer program version: a valid file whose user_version is past ours.
    newer = folder / "新版本.jxdb"
    store.create_workbook_file(newer, unit_workbook(901)).close()
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    out["newer"] = newer
    # A workbook with a trigger planted in it (hostile: must never be run, nor the file opened).
    trigger = folder / "触发器.jxdb"
    store.create_workbook_file(trigger, unit_workbook(902)).close()
    conn = sqlite3.connect(trigger)
    conn.execute("CREATE TRIGGER evil AFTER INSERT ON form BEGIN DELETE FROM indicator; END")
    conn.commit()
    conn.close()
    out["trigger"] = trigger
    return out


def hashes(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under a folder, by relative path."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
