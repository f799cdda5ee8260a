"""Render the main window with each of the four form kinds to ``docs/screenshots/<kind>.png`` (1366×768).

Runs offscreen with the bundled font, on copies of the samples in a temporary folder (nothing is
written to the user's folders). The department self-evaluation uses layout B (numbered goals, each
with its own indicators), built here since no sample of it exists.

Usage: ``python scripts/screenshots.py [OUT_DIR]``
"""

from __future__ import annotations

import os
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from desktop.app import setup_application
from desktop.models.formats import interchange
from desktop.models.storage import store
from desktop.models.workbook.domain import Form, FormKind, FundLine, Goal, Indicator, Signoff, Workbook
from desktop.models.workbook.outline import NodeKind
from desktop.resources import SAMPLE_WORKBOOK, resource_path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "tests" / "data" / "samples"
SIZE = (1366, 768)


def _sample(name: str) -> Workbook:
    path = SAMPLES / name
    if not path.exists():  # outside the project checkout: the bundled sample is all there is
        path = resource_path(*SAMPLE_WORKBOOK)
    return interchange.load_path(str(path))


def dept_layout_b() -> Workbook:
    """A department self-evaluation in layout B: numbered goals, each with its own indicator rows."""
    goals = [
        Goal(1, "持续深化“放管服”改革，政务服务事项网上可办率达到95%以上。", "网上可办率达到98.6%，完成年度目标。"),
        Goal(2, "提升政务服务大厅服务质量，群众满意度保持在95%以上。", "全年好评率99.2%，无有效投诉。"),
        Goal(3, "加强12345热线运行管理，按时办结率不低于90%。", "按时办结率92.4%，较上年提高3个百分点。"),
    ]
    rows = [
        (1, "产出指标", "数量指标", "进驻大厅政务服务事项数", "≥1200项", "1263项", "8", None),
        (1, "产出指标", "质量指标", "网上可办率", "≥95%", "98.6%", "8", None),
        (
            1,
            "产出指标",
            "时效指标",
            "事项承诺时限压缩比例",
            "≥50%",
            "46%",
            "8",
            "部分事项受上级系统限制，下年度协调省级系统改造。",
        ),
        (1, "效益指标", "社会效益指标", "企业群众办事跑动次数", "≤1次", "0.8次", "15", None),
        (2, "产出指标", "数量指标", "全年受理办件量", "≥30万件", "32.7万件", "8", None),
        (2, "产出指标", "成本指标", "大厅运行维护成本", "≤180万元", "176.3万元", "8", None),
        (2, "满意度指标", "服务对象满意度指标", "办事群众满意度", "≥95%", "99.2%", "5", None),
        (3, "产出指标", "时效指标", "热线工单按时办结率", "≥90%", "92.4%", "10", None),
        (3, "效益指标", "可持续影响指标", "热线运行管理制度健全性", "健全", "健全", "15", None),
        (3, "满意度指标", "服务对象满意度指标", "来电群众满意度", "≥90%", "93%", "5", None),
    ]
    indicators = [
        Indicator(
            level1, level2, name, target=target, actual=actual, weight=Decimal(weight), deviation=reason, goal=goal
        )
        for goal, level1, level2, name, target, actual, weight, reason in rows
    ]
    form = Form(
        kind=FormKind.DEPT_SELF_EVAL,
        title="某市政务服务管理办公室",
        money_unit="万元",
        funds=[
            FundLine("total", Decimal("2580.28"), Decimal("2603.15"), Decimal("2541.86")),
            FundLine("basic", Decimal("1640.00"), Decimal("1652.40"), Decimal("1650.12")),
            FundLine("project", Decimal("940.28"), Decimal("950.75"), Decimal("891.74")),
        ],
        exec_weight=Decimal(10),
        overall_target="围绕优化营商环境，推进政务服务标准化、规范化、便利化。",
        overall_actual="各项年度目标基本完成，政务服务水平持续提升。",
        goals=goals,
        indicators=indicators,
        deviation="部分项目采购节约资金，执行率略低于预算。",
        conclusion="年度绩效目标基本完成，自评等级为优。",
        notes="无",
        signoff=Signoff("张主任", "李会计", "022-12345678", "2025年3月10日"),
    )
    return Workbook(unit=_sample("tianjin-zwfw-2025-targets.json").unit, year=2024, forms=[form])


def scenes() -> list[tuple[str, Workbook, int]]:
    """(file stem, workbook, form index) for each form kind."""
    return [
        (FormKind.PROJECT_TARGET.value, _sample("tianjin-zwfw-2025-targets.json"), 0),
        (FormKind.DEPT_TARGET.value, _sample("tangshan-xzsp-targets.json"), 1),
        (FormKind.PROJECT_SELF_EVAL.value, _sample("wuwei-zwfw-2022-selfeval.json"), 1),
        (FormKind.DEPT_SELF_EVAL.value, dept_layout_b(), 0),
    ]


def render(out_dir: Path) -> list[Path]:
    """Render every scene; returns the PNG files written."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    setup_application(app)
    from desktop.views.main_window import MainWindow

    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        for stem, workbook, form_index in scenes():
            path = Path(tmp) / f"{stem}.jxdb"
            store.create_workbook_file(path, workbook).close()
            settings = QSettings(str(Path(tmp) / f"{stem}.ini"), QSettings.Format.IniFormat)
            window = MainWindow(settings, documents_dir=tmp, data_dir=tmp)
            window.resize(*SIZE)
            window.show()
            window.open_path(str(path))
            session = window.session
            assert session is not None
            form = session.document.workbook.forms[form_index]
            tree = session.tree
            tree.select_object(form)
            node = session.tree_model.outline.node_for(form)
            if node is not None:  # show its levels (and goals) one step down
                for child in node.children:
                    tree.expand(session.tree_model.index_for(child))
                    if child.kind is NodeKind.GOAL and child.children:
                        tree.expand(session.tree_model.index_for(child.children[0]))
            tree.scrollTo(session.tree_model.index_for_object(form))
            app.processEvents()
            target = out_dir / f"{stem}.png"
            window.grab().save(str(target))
            written.append(target)
            window.close()
            window.deleteLater()
            app.processEvents()
    return written


def main(argv: list[str]) -> int:
    """Render to ``argv[1]`` (default ``docs/screenshots``) and print the files written."""
    out_dir = Path(argv[1]) if len(argv) > 1 else ROOT / "docs" / "screenshots"
    for path in render(out_dir):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
