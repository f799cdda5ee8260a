"""Forms and score functions for the PDF tests and scripts/render_pdfs.py."""

from __future__ import annotations

import copy
import re
from decimal import Decimal
from pathlib import Path

import pdfplumber

from desktop.models.scoring.engine import FormScore, IndicatorScore
from desktop.models.workbook.domain import Form, FormKind, Goal, Indicator, Signoff, Workbook


def manual_scores(form: Form) -> FormScore:
    """A FormScore made of the form's own manual scores (exec rate from its 年度资金总额 line)."""
    indicators = tuple(
        IndicatorScore(suggested=None, score=ind.score, manual=ind.score is not None, flags=(), explain="")
        for ind in form.indicators
    )
    total_line = form.fund("total")
    rate = None
    if total_line is not None and total_line.executed is not None and total_line.full_year:
        rate = total_line.executed / total_line.full_year
    exec_score = form.exec_score
    total = sum((ind.score or Decimal(0) for ind in form.indicators), exec_score or Decimal(0))
    grade = "优" if total >= 90 else "良" if total >= 80 else "中" if total >= 60 else "差"
    return FormScore(
        exec_rate=rate,
        exec_weight=form.exec_weight if form.exec_weight is not None else Decimal(10),
        exec_suggested=None,
        exec_score=exec_score,
        indicators=indicators,
        subtotals=(),
        total=total,
        grade=grade,
    )


def layout_b_form(workbook: Workbook) -> Form:
    """A layout-B department self-evaluation: the Wuwei department form with its indicators
    assigned to its four goals (one goal per first level), a conclusion and a sign-off."""
    source = next(form for form in workbook.forms if form.kind is FormKind.DEPT_SELF_EVAL)
    form = copy.deepcopy(source)
    goals = form.goals or [Goal(1, "完成年度工作任务", "已完成")]
    form.goals = goals
    level1s = list(dict.fromkeys(ind.level1 for ind in form.indicators))
    for ind in form.indicators:
        ind.goal = goals[min(level1s.index(ind.level1), len(goals) - 1)].no
    total = form.fund("total")
    if total is not None and total.executed is None:
        total.executed = Decimal("482.60")
    form.deviation = "部分项目年底前未完成支付，结转下年使用。"
    form.conclusion = "本次自评等级为优。预算执行率较高，年度绩效目标基本完成。"
    form.signoff = Signoff(head="张三", preparer="李四", phone="0935-1234567", date="2023年3月15日")
    return form


def big_group_form(rows: int = 200) -> Form:
    """A project self-evaluation whose indicators all share one 一级/二级 group."""
    indicators = [
        Indicator(
            level1="产出指标",
            level2="数量指标",
            name=f"第{n + 1}项考核内容的完成数量",
            target=f"≥{n + 10}次",
            actual=f"{n + 11}次",
            weight=Decimal("0.45"),
            score=Decimal("0.45"),
            deviation="无偏差",
        )
        for n in range(rows)
    ]
    return Form(
        kind=FormKind.PROJECT_SELF_EVAL, title="单组大表测试项目", indicators=indicators, exec_weight=Decimal(10)
    )


# -- reading a PDF back ------------------------------------------------------------------


def squash(text: str | None) -> str:
    """Text with every whitespace removed (extraction breaks CJK cells into lines)."""
    return re.sub(r"\s+", "", text or "")


def table_rows(path: Path, pages: range) -> list[list[str]]:
    """Every table row on ``pages`` (0-based) as its non-merged cells, whitespace removed."""
    rows: list[list[str]] = []
    with pdfplumber.open(path) as pdf:
        for number in pages:
            for table in pdf.pages[number].extract_tables():
                rows += [[squash(cell) for cell in row if cell is not None] for row in table]
    return rows


def page_texts(path: Path) -> list[str]:
    """The text of every page, whitespace removed."""
    with pdfplumber.open(path) as pdf:
        return [squash(page.extract_text()) for page in pdf.pages]


def has_run(rows: list[list[str]], run: list[str]) -> bool:
    """Whether some row holds the cells ``run`` side by side."""
    size = len(run)
    return any(row[n : n + size] == run for row in rows for n in range(len(row) - size + 1))


def page_ranges(form_pages: tuple[int, ...]) -> list[range]:
    """The 0-based page numbers of each exported form."""
    ranges, start = [], 0
    for count in form_pages:
        ranges.append(range(start, start + count))
        start += count
    return ranges
