"""A corpus of Excel workbooks laid out the way units' real templates are, with what each prints written down.

Each case follows a published layout of ``shared/spec/form-layouts.md`` (the section is named in the
case) and fills it with the published indicators of the sample workbooks (tests/data/samples), so the
text is real. ``build`` writes the workbook with openpyxl; ``expected`` is what a reader must find
there: every printed field of every form. ``measure`` compares what a reader returns with it and
counts the fields it got right and the rows it took for indicators that are not.

Run ``python -m tests.helpers.excel_corpus [DIR]`` to print the recall of the current reader (and
write the workbooks into DIR, to open them in Excel or WPS).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from desktop.models.workbook.domain import Form, FormKind, Indicator
from tests.helpers.fixtures import load_sample

INDICATOR_FIELDS = ("level1", "level2", "name", "target", "actual", "weight", "score", "deviation", "goal")


@dataclass
class Want:
    """One printed indicator row as it should be read."""

    level1: str
    level2: str
    name: str
    target: str | None = None
    actual: str | None = None
    weight: Decimal | None = None
    score: Decimal | None = None
    deviation: str | None = None
    goal: int | None = None


@dataclass
class WantForm:
    """One printed form: the fields a reader must find (None: not printed, not counted)."""

    sheet: str
    kind: FormKind
    title: str
    indicators: list[Want]
    money_unit: str = "万元"
    printed_total: Decimal | None = None
    budget: Decimal | None = None  # 预算数 / 全年预算数 of the total line, in money_unit
    executed: Decimal | None = None  # 全年执行数 of the total line


@dataclass
class Case:
    """One workbook of the corpus."""

    name: str
    region: str
    layout: str  # the section of form-layouts.md it follows
    variants: tuple[str, ...]
    build: Callable[[Path], None]
    expected: list[WantForm]
    skipped_sheets: tuple[str, ...] = ()  # sheets that must give no form (填报说明)


# -- writing sheets ------------------------------------------------------------------------------


class Writer:
    """Appends rows to a sheet from column ``left`` on, with merges."""

    def __init__(self, sheet: Worksheet, left: int = 1) -> None:
        self.sheet = sheet
        self.row = 0
        self.left = left

    def put(self, *cells: Any, spans: dict[int, int] | None = None) -> int:
        """Write a row; ``spans`` maps a cell's index to how many columns it is merged over."""
        self.row += 1
        for index, value in enumerate(cells):
            if value is not None:
                self.sheet.cell(self.row, self.left + index, value)
        for index, width in (spans or {}).items():
            column = self.left + index
            self.sheet.merge_cells(
                start_row=self.row, start_column=column, end_row=self.row, end_column=column + width - 1
            )
        return self.row

    def title(self, text: str, width: int) -> int:
        return self.put(text, spans={0: width})

    def down(self, index: int, first: int, last: int) -> None:
        """Merge the cell at ``index`` from row ``first`` to ``last``."""
        if last > first:
            column = self.left + index
            self.sheet.merge_cells(start_row=first, start_column=column, end_row=last, end_column=column)

    def skip(self) -> None:
        self.row += 1


_SPLIT = re.compile(r"^([≥≤><＞＜]?)(\d+(?:\.\d+)?)(.*)$")


def split_target(target: str | None) -> tuple[str | None, Any, str | None]:
    """A target as a template with 指标性质 | 指标值 | 度量单位 prints it (≥95% → ≥ | 95 | %)."""
    matched = _SPLIT.match(target or "")
    if not matched:
        return ("定性", target, None)
    sign, value, unit = matched.groups()
    return (sign or None, Decimal(value) if "." in value else int(value), unit or None)


def _num(value: Decimal | None) -> Any:
    if value is None:
        return None
    return int(value) if value == value.to_integral() else float(value)


def indicator_rows(
    w: Writer,
    wants: Sequence[Want],
    columns: Sequence[str],
    *,
    merge_levels: bool = True,
    weighted_level1: dict[str, str] | None = None,
) -> None:
    """Write indicator rows: ``columns`` name the Want field of each column (``sign``/``value``/``unit``
    for split targets, ``""`` for a column left blank); 一级 / 二级 repeated below are merged or blank."""
    start: dict[str, int] = {}
    previous: Want | None = None
    for want in wants:
        values: list[Any] = []
        same1 = previous is not None and previous.level1 == want.level1 and previous.goal == want.goal
        same2 = same1 and previous is not None and previous.level2 == want.level2
        for key in columns:
            if key == "level1":
                values.append(None if same1 else (weighted_level1 or {}).get(want.level1, want.level1))
            elif key == "level2":
                values.append(None if same2 else want.level2)
            elif key in ("sign", "value", "unit"):
                values.append(split_target(want.target)[("sign", "value", "unit").index(key)])
            elif key in ("weight", "score"):
                values.append(_num(getattr(want, key)))
            elif key:
                values.append(getattr(want, key, None))
            else:
                values.append(None)
        row = w.put(*values)
        for key in ("level1", "level2"):
            if key not in columns:
                continue
            index = columns.index(key)
            same = same1 if key == "level1" else same2
            if not same:
                start[key] = row
            elif merge_levels:
                top = start[key]
                for merged in list(w.sheet.merged_cells.ranges):
                    if merged.min_row == top and merged.min_col == w.left + index:
                        w.sheet.merged_cells.remove(merged)
                w.down(index, top, row)
        previous = want


def wants_of(form: Form, goal: int | None = None, limit: int | None = None) -> list[Want]:
    """The sample form's indicators as printed rows."""
    found = []
    for ind in form.indicators[:limit]:
        found.append(
            Want(
                ind.level1,
                ind.level2,
                ind.name,
                ind.target,
                ind.actual,
                ind.weight,
                ind.score,
                ind.deviation,
                goal if goal is not None else ind.goal,
            )
        )
    return found


def _save(book: openpyxl.Workbook, path: Path) -> None:
    book.save(path)


def _book(title: str) -> tuple[openpyxl.Workbook, Worksheet]:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    return book, sheet


# -- the cases ---------------------------------------------------------------------------------


def _tianjin_stacked() -> Case:
    """天津 target forms (layouts 1d): three project tables one after another on one sheet."""
    forms = load_sample("tianjin-zwfw-2025-targets.json").forms[:3]
    expected = [
        WantForm("目标表", FormKind.PROJECT_TARGET, f.title, wants_of(f), budget=f.budget.amount if f.budget else None)
        for f in forms
    ]

    def build(path: Path) -> None:
        book, sheet = _book("目标表")
        w = Writer(sheet)
        for n, form in enumerate(forms, 1):
            w.title(f"{n}.{form.title}绩效目标表", 5)
            w.put("319101天津市人民政府政务服务办公室", spans={0: 3})
            w.put(None, None, None, None, "单位：万元")
            w.put("项目名称", form.title, spans={1: 4})
            assert form.budget is not None
            top = w.put("预算规模及资金用途", "预算数", _num(form.budget.amount))
            sheet.cell(top, 3).number_format = "0.00"
            w.put(None, "其中：财政    资金", _num(form.budget.fiscal), "其他资金", None)
            w.put(None, form.purpose or "项目经费", spans={1: 4})
            w.down(0, top, w.row)
            w.put("绩效目标", form.overall_target, spans={1: 4})
            w.put("一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值")
            indicator_rows(w, wants_of(form), ["level1", "level2", "name", "description", "target"], merge_levels=False)
            for row in range(w.row - len(form.indicators) + 1, w.row + 1):
                sheet.cell(row, 4).value = form.indicators[row - w.row + len(form.indicators) - 1].description
            w.skip()
        _save(book, path)

    return Case(
        "tianjin-targets-stacked",
        "天津",
        "1d",
        ("several tables on one sheet", "预算规模及资金用途", "unit line under the title", "单位：万元 at the right"),
        build,
        expected,
    )


def _tianjin_dept_layout_b() -> Case:
    """天津 department self-evaluation, layout B (forms.md §1.4): goals table, vertically merged 绩效目标N column."""
    source = load_sample("wuwei-zwfw-2022-selfeval.json").forms
    wants = wants_of(source[1], goal=1, limit=7) + wants_of(source[2], goal=2, limit=6)
    total = sum((x.score or Decimal(0) for x in wants), Decimal(10))
    expected = [
        WantForm(
            "Sheet1",
            FormKind.DEPT_SELF_EVAL,
            "天津市某某服务中心",
            wants,
            printed_total=total,
            budget=Decimal("1234.56"),
            executed=Decimal("1200.1"),
        )
    ]

    def build(path: Path) -> None:
        book, sheet = _book("Sheet1")
        w = Writer(sheet)
        w.title("2024年度部门整体支出绩效自评表", 9)
        w.put("部门名称", "天津市某某服务中心", spans={1: 8})
        w.put("预算执行情况（万元）", spans={0: 9})
        w.put(
            "年初预算数",
            "全年预算数（A）",
            "全年执行数（B）",
            "分值",
            "执行率（B/A）",
            "得分",
            "偏差原因分析及改进措施",
        )
        w.put(1000, 1234.56, 1200.1, 10, "97.21%", 9.72, "无")
        w.put("年度绩效目标完成情况", spans={0: 9})
        w.put("目标序号", "年度绩效目标", None, None, "实际完成情况", spans={1: 3, 4: 5})
        w.put(1, "推行一窗受理", None, None, "已完成", spans={1: 3, 4: 5})
        w.put(2, "热线24小时人工接听", None, None, "已完成", spans={1: 3, 4: 5})
        w.put("年度指标完成情况", spans={0: 9})
        w.put(
            "绩效目标",
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            "实际完成值",
            "分值",
            "得分",
            "偏差原因分析及改进措施",
        )
        for goal, text in ((1, "绩效目标1：推行一窗受理"), (2, "绩效目标2：热线24小时人工接听")):
            rows = [x for x in wants if x.goal == goal]
            first = w.row + 1
            indicator_rows(
                w, rows, ["", "level1", "level2", "name", "target", "actual", "weight", "score", "deviation"]
            )
            sheet.cell(first, 1).value = text
            w.down(0, first, w.row)
        w.put("总分", None, None, None, None, None, 100, _num(total), spans={0: 6})
        _save(book, path)

    return Case(
        "tianjin-dept-selfeval-b",
        "天津",
        "4b (forms.md §1.4 layout B)",
        (
            "vertically merged 绩效目标N column",
            "部门整体支出绩效自评表 with 部门名称",
            "funds without 年初预算数 label row",
        ),
        build,
        expected,
    )


def _anhui_xuancheng() -> Case:
    """安徽 standard project self-evaluation (3a): 附件 / year line, two-row fund header, block weights in 一级."""
    form = load_sample("wuwei-zwfw-2022-selfeval.json").forms[1]
    wants = wants_of(form)
    total = sum((x.score or Decimal(0) for x in wants), Decimal(10))
    expected = [
        WantForm(
            "自评表",
            FormKind.PROJECT_SELF_EVAL,
            "政务服务经费",
            wants,
            printed_total=total,
            budget=Decimal("291.54"),
            executed=Decimal("291.54"),
        )
    ]
    weighted = {"产出指标": "产出指标（50分）", "效益指标": "效益指标（30分）", "满意度指标": "满意度指标（10分）"}

    def build(path: Path) -> None:
        book, sheet = _book("自评表")
        w = Writer(sheet)
        w.put("附件：")
        w.title("项目支出绩效自评表", 9)
        w.title("（2022年度）", 9)
        w.put("项目名称", "政务服务经费", spans={1: 8})
        w.put(
            "主管部门",
            "219-宣城市人民政府办公室",
            None,
            None,
            None,
            "实施单位",
            "219001-宣城市政务服务中心",
            spans={1: 4, 6: 3},
        )
        top = w.put(
            "项目资金（万元）",
            None,
            "年初预算数",
            "全年预算数（A）",
            "全年执行数（B）",
            "分值",
            "执行率（B/A）",
            "得分",
        )
        w.put(None, "年度资金总额", 245, 291.54, 291.54, 10, "100%", 10)
        w.put(None, "其中：本年财政拨款", 245, 291.54, 291.54, "—", "—", "—")
        w.put(None, "上年结转资金", None, None, None, "—", "—", "—")
        w.put(None, "其他资金", None, None, None, "—", "—", "—")
        w.down(0, top, w.row)
        w.put("年度总体目标", "预期目标", None, None, None, "年度总体目标完成情况", spans={1: 4, 5: 4})
        w.put(None, form.overall_target, None, None, None, "全部完成", spans={1: 4, 5: 4})
        w.down(0, w.row - 1, w.row)
        top = w.put(
            "年度绩效指标完成情况",
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            "实际完成值",
            "分值",
            "得分",
            "偏差原因分析及改进措施",
        )
        w.left = 2
        indicator_rows(
            w,
            wants,
            ["level1", "level2", "name", "target", "actual", "weight", "score", "deviation"],
            weighted_level1=weighted,
        )
        w.put("指标1：", None, None, None, None, None, None)
        w.put("……")
        w.left = 1
        w.down(0, top, w.row)
        w.put("总分", None, None, None, None, None, 100, _num(total), spans={0: 6})
        _save(book, path)

    return Case(
        "anhui-xuancheng-project",
        "安徽",
        "3a",
        (
            "附件 and （2022年度） lines",
            "two-row 项目资金（万元） header",
            "一级 with （50分）",
            "placeholder rows 指标1：/……",
        ),
        build,
        expected,
    )


def _anhui_xiaoxian() -> Case:
    """安徽 county 绩效目标自评表 (3b): 分值 before the values, no 年初预算数, formulas without cached values."""
    form = load_sample("wuwei-zwfw-2022-selfeval.json").forms[2]
    wants = wants_of(form)
    total = sum((x.score or Decimal(0) for x in wants), Decimal(10))
    expected = [
        WantForm(
            "Sheet1",
            FormKind.PROJECT_SELF_EVAL,
            form.title,
            wants,
            printed_total=total,
            budget=Decimal(150),
            executed=Decimal("148.2"),
        )
    ]

    def build(path: Path) -> None:
        book, sheet = _book("Sheet1")
        w = Writer(sheet)
        w.title("绩效目标自评表", 9)
        w.title("（2023年度）", 9)
        w.put("项目名称", form.title, None, None, "项目负责人及电话", "王五 0557-1234567", spans={1: 3, 5: 4})
        w.put(
            "主管部门",
            "[155]萧县政务服务管理局",
            None,
            None,
            "实施单位",
            "[155001]萧县政务服务中心",
            spans={1: 3, 5: 4},
        )
        top = w.put("资金情况（万元）", None, "全年预算数（A）", "全年执行数（B）", "分值", "执行率（B/A）", "得分")
        w.put(None, "年度资金总额：", 150, 148.2, 10, "=D{0}/C{0}".format(w.row + 1), 10)
        w.put(None, "其中：本年财政拨款", 150, 148.2, None, "=D{0}/C{0}".format(w.row + 1), None)
        w.put(None, "其他资金", None, None, None, None, None)
        w.down(0, top, w.row)
        w.put("年度总体目标", "年初设定目标", None, None, "年度总体目标完成情况综述", spans={1: 3, 4: 5})
        w.put(None, form.overall_target, None, None, "完成", spans={1: 3, 4: 5})
        w.put(
            "一级指标",
            "二级指标",
            "三级指标",
            "分值",
            "年度指标值",
            "全年实际值",
            "得分",
            "未完成原因及拟采取的改进措施",
        )
        indicator_rows(w, wants, ["level1", "level2", "name", "weight", "target", "actual", "score", "deviation"])
        w.put("总分", None, None, 100, None, None, _num(total), spans={0: 3})
        w.put(
            "注：1.一级指标分值统一设置为：产出指标50分、效益指标30分、满意度指标10分、预算资金执行率10分。",
            spans={0: 8},
        )
        _save(book, path)

    return Case(
        "anhui-xiaoxian-county",
        "安徽",
        "3b",
        (
            "分值 before 年度指标值",
            "全年实际值",
            "未完成原因及拟采取的改进措施",
            "funds without 年初预算数",
            "formulas without values",
            "注： note row",
        ),
        build,
        expected,
    )


def _yunnan_yongde() -> Case:
    """云南 永德 (3a variant): blank spacer column, 公开14表, money in 元, split 指标性质|指标值|度量单位,
    a grade after 总分."""
    form = load_sample("wuwei-zwfw-2022-selfeval.json").forms[3]
    wants = wants_of(form)
    for want in wants:  # the split columns print what the target's parts are
        sign, value, unit = split_target(want.target)
        want.target = "".join(str(x) for x in (sign if sign != "定性" else None, value, unit) if x is not None)
    total = sum((x.score or Decimal(0) for x in wants), Decimal(10))
    expected = [
        WantForm(
            "Sheet1",
            FormKind.PROJECT_SELF_EVAL,
            form.title,
            wants,
            money_unit="元",
            printed_total=total,
            budget=Decimal(500000),
            executed=Decimal(486500),
        )
    ]

    def build(path: Path) -> None:
        book, sheet = _book("Sheet1")
        w = Writer(sheet, left=2)
        w.put("部门：临沧市永德县明朗中学", None, None, None, None, None, None, None, None, "公开14表")
        w.title("项目支出绩效自评表", 11)
        w.title("（2022年度）", 11)
        w.put("项目名称", form.title, spans={1: 10})
        w.put("主管部门", "永德县教育体育局", None, None, None, "实施单位", "永德县明朗中学", spans={1: 4, 6: 5})
        top = w.put("项目资金（元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
        w.put(None, "年度资金总额", 500000, 500000, 486500, 10, "97.3%", 9.73)
        w.put(None, "其中：当年财政拨款", 500000, 500000, 486500, "—", "—", "—")
        w.down(0, top, w.row)
        head = w.put(
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            None,
            None,
            "实际完成值",
            "分值",
            "得分",
            "偏差原因分析及改进措施",
            spans={3: 3},
        )
        w.put(None, None, None, "指标性质", "指标值", "度量单位")
        for index in (0, 1, 2, 6, 7, 8, 9):
            w.down(index, head, head + 1)
        indicator_rows(
            w, wants, ["level1", "level2", "name", "sign", "value", "unit", "actual", "weight", "score", "deviation"]
        )
        w.put("效益指标", "生态效益指标", None, None, None, None, None, None, None, None)
        w.put("其他需要说明事项", "无", spans={1: 9})
        w.put("总分", None, None, None, None, None, None, 100, _num(total), "优", spans={0: 7})
        _save(book, path)

    return Case(
        "yunnan-yongde",
        "云南",
        "3a (永德 variant)",
        (
            "blank spacer column A",
            "公开14表 / 部门： line",
            "单位 元 in 项目资金（元）",
            "split 指标性质|指标值|度量单位",
            "总分 with grade",
        ),
        build,
        expected,
    )


def _sichuan_qingshen() -> Case:
    """四川 510000_0013zp (3c): code glued to the name, 调整后预算数, 权重, 完成值, 合 计, 评价结论."""
    form = load_sample("wuwei-zwfw-2022-selfeval.json").forms[1]
    wants = wants_of(form, limit=10)
    for want in wants:
        sign, value, unit = split_target(want.target)
        want.target = "".join(str(x) for x in (sign if sign != "定性" else None, value, unit) if x is not None)
    total = sum((x.weight or Decimal(0) for x in wants), Decimal(0))
    scored = sum((x.score or Decimal(0) for x in wants), Decimal(0))
    expected = [
        WantForm(
            "510000_0013zp",
            FormKind.PROJECT_SELF_EVAL,
            "工资性支出",
            wants,
            printed_total=scored,
            budget=Decimal("88.5"),
            executed=Decimal("88.5"),
        )
    ]

    def build(path: Path) -> None:
        book, sheet = _book("510000_0013zp")
        w = Writer(sheet)
        w.title("部门预算项目支出绩效自评表（2023年度）", 10)
        w.put("报表编号：510000_0013zp", None, None, None, None, None, None, "金额单位：万元")
        w.put("项目名称", "51000021R000000019951-工资性支出", spans={1: 9})
        w.put(
            "主管部门", "青神县人民政府办公室", None, None, "实施单位（盖章）", "青神县政务服务中心", spans={1: 3, 5: 5}
        )
        w.put("项目基本情况", "项目年度目标", None, None, None, "年度目标完成情况", spans={1: 4, 5: 5})
        w.put(None, form.overall_target, None, None, None, "完成", spans={1: 4, 5: 5})
        w.put(
            "预算执行情况（10分）",
            "年度预算数（万元）",
            "年初预算",
            "调整后预算数",
            "预算执行数",
            "预算执行率",
            "权重",
            "得分",
            "原因",
        )
        w.put(None, "总额", 80, 88.5, 88.5, "100%", 10, 10, None)
        w.put(None, "其中：财政资金", 80, 88.5, 88.5, "100%", None, None)
        w.put(None, "财政专户管理资金", None, None, None, None, None, None)
        w.put(None, "单位资金", None, None, None, None, None, None)
        w.down(0, w.row - 4, w.row)
        head = w.put("绩效指标（90分）", None, None, None, None, None, None, None, None, None, spans={0: 10})
        w.put(
            "一级指标",
            "二级指标",
            "三级指标",
            "指标性质",
            "指标值",
            "度量单位",
            "完成值",
            "权重",
            "得分",
            "未完成原因分析",
        )
        assert head
        indicator_rows(
            w, wants, ["level1", "level2", "name", "sign", "value", "unit", "actual", "weight", "score", "deviation"]
        )
        w.put("合 计", None, None, None, None, None, None, _num(total), _num(scored), spans={0: 7})
        w.put("评价结论", "项目完成较好", spans={1: 9})
        w.put("存在问题", "无", spans={1: 9})
        w.put("改进措施", "无", spans={1: 9})
        w.put("项目负责人：", None, "张三", None, None, "财务负责人：", None, "李四")
        _save(book, path)

    return Case(
        "sichuan-qingshen",
        "四川",
        "3c",
        (
            "code glued to the name",
            "调整后预算数 / 预算执行数 / 权重",
            "完成值",
            "未完成原因分析",
            "合 计 with a space",
            "评价结论",
            "sign-off value two cells away",
        ),
        build,
        expected,
    )


def _hubei_huangshi() -> Case:
    """湖北 20/80 layout (3d): goal rows across the table, 年初目标值（A）, no 分值 column, 预算数（A）."""
    form = load_sample("wuwei-zwfw-2022-selfeval.json").forms[1]
    first = wants_of(form, goal=1, limit=8)
    second = wants_of(load_sample("wuwei-zwfw-2022-selfeval.json").forms[2], goal=2, limit=6)
    wants = first + second
    for want in wants:
        want.weight = None  # not printed in this layout
        want.deviation = None
    scored = sum((x.score or Decimal(0) for x in wants), Decimal(20))
    expected = [
        WantForm(
            "Sheet1",
            FormKind.PROJECT_SELF_EVAL,
            "图书馆免费开放",
            wants,
            printed_total=scored,
            budget=Decimal("120.3"),
            executed=Decimal("118"),
        )
    ]

    def build(path: Path) -> None:
        book, sheet = _book("Sheet1")
        w = Writer(sheet)
        w.title("项目支出绩效自评表", 6)
        w.put("单位名称：黄石市图书馆", None, None, "填报日期：2023年3月1日", spans={0: 3, 3: 3})
        w.put("项目名称", "图书馆免费开放", None, "主管部门", "黄石市文化和旅游局", spans={1: 2, 4: 2})
        w.put("项目实施单位", "黄石市图书馆", spans={1: 5})
        w.put("预算执行情况（万元）（20分）", spans={0: 6})
        w.put(None, "预算数（A）", "执行数（B）", "执行率（B/A）", "得分（20分*执行率）", spans={4: 2})
        w.put("年度财政资金总额", 120.3, 118, "98.09%", 19.6, spans={4: 2})
        w.put("年度绩效目标1（40分）", spans={0: 6})
        head = w.put("绩效指标", None, None, "年初目标值（A）", "实际完成值（B）", "得分", spans={0: 3})
        w.put("一级指标", "二级指标", "三级指标")
        for index in (3, 4, 5):
            w.down(index, head, head + 1)
        indicator_rows(w, first, ["level1", "level2", "name", "target", "actual", "score"])
        w.put("年度绩效目标2（40分）", spans={0: 6})
        indicator_rows(w, second, ["level1", "level2", "name", "target", "actual", "score"])
        w.put("总分", None, None, None, None, _num(scored), spans={0: 5})
        w.put("偏差大或目标未完成原因分析", "无", spans={1: 5})
        w.put("改进措施及结果应用方案", "继续加强管理", spans={1: 5})
        w.put("单位主要负责人签批意见", "签名：    年  月  日", spans={1: 5})
        _save(book, path)

    return Case(
        "hubei-huangshi",
        "湖北",
        "3d",
        (
            "goal rows 年度绩效目标N（40分） across the table",
            "绩效指标 merged over 一级/二级/三级 (two-row header)",
            "年初目标值（A）",
            "no 分值 column",
            "预算数（A）/执行数（B） with 年度财政资金总额",
            "偏差大或目标未完成原因分析 row",
        ),
        build,
        expected,
    )


def _shandong_jinan() -> Case:
    """山东 济南 (3e): 单位：万元 line, 年初预算数（A）, 预期指标值（A）, 实际完成指标值（B）, 得分计算方法, 复核分."""
    form = load_sample("wuwei-zwfw-2022-selfeval.json").forms[2]
    wants = wants_of(form, limit=9)
    total = sum((x.score or Decimal(0) for x in wants), Decimal(10))
    expected = [
        WantForm(
            "自评表",
            FormKind.PROJECT_SELF_EVAL,
            "文化馆免费开放",
            wants,
            printed_total=total,
            budget=Decimal(60),
            executed=Decimal("57.5"),
        )
    ]

    def build(path: Path) -> None:
        book, sheet = _book("自评表")
        w = Writer(sheet)
        w.title("区级部门预算项目支出绩效自评表", 10)
        w.put(
            "主管部门（盖章）：历城区文化和旅游局", None, None, None, None, None, None, None, "单位：万元", spans={0: 5}
        )
        w.put("项目名称", "文化馆免费开放", None, None, "主管部门", "历城区文化和旅游局", spans={1: 3, 5: 5})
        w.put(
            "项目实施单位", "历城区文化馆", None, None, "项目负责人", "赵六", "联系电话", "0531-1234567", spans={1: 3}
        )
        w.put("年度总体目标", "年初设定目标", None, None, "年度总体目标完成情况综述", spans={1: 3, 4: 6})
        w.put(None, form.overall_target, None, None, "完成", spans={1: 3, 4: 6})
        w.put(
            "项目预算执行情况（10分）",
            None,
            "年初预算数（A）",
            "全年执行数（B）",
            "分值",
            "执行率（B/A）",
            "得分",
            "得分计算方法",
            spans={0: 2},
        )
        w.put("年度资金总额", None, 60, 57.5, 10, "95.83%", 9.58, "执行率×分值", spans={0: 2})
        w.put("其中：财政拨款", None, 60, 57.5, None, None, None, None, spans={0: 2})
        w.put(
            "一级指标",
            "二级指标",
            "三级指标",
            "预期指标值（A）",
            "实际完成指标值（B）",
            "分值",
            "得分",
            "复核分",
            "未完成原因",
            "得分计算方法",
        )
        indicator_rows(
            w, wants, ["level1", "level2", "name", "target", "actual", "weight", "score", "", "deviation", ""]
        )
        w.put("总 分", None, None, None, None, 100, _num(total), None, spans={0: 5})
        w.put("填报人：", None, "钱七", None, "填报日期：", "2020年3月5日")
        _save(book, path)

    return Case(
        "shandong-jinan",
        "山东",
        "3e",
        (
            "单位：万元 line",
            "年初预算数（A） only",
            "预期指标值（A）",
            "实际完成指标值（B）",
            "复核分 and 得分计算方法 columns",
            "总 分 with a space",
            "未完成原因",
        ),
        build,
        expected,
    )


def _hunan_yueyang() -> Case:
    """湖南 岳阳 整体绩效目标表 (2b): no 部门 in the title, 指标值类型 / 计量单位 / 指标解释 / 评（扣）分标准 / 备注."""
    form = load_sample("tangshan-xzsp-targets.json").forms[1]
    wants = wants_of(form)
    for want in wants:
        sign, value, unit = split_target(want.target)
        want.target = "".join(str(x) for x in (sign if sign != "定性" else None, value, unit) if x is not None)
    expected = [WantForm("Sheet1", FormKind.DEPT_TARGET, "岳阳楼区价格认证鉴定中心", wants)]

    def build(path: Path) -> None:
        book, sheet = _book("Sheet1")
        w = Writer(sheet)
        w.title("2023年度整体绩效目标表", 9)
        w.put("部门（单位）名称", "岳阳楼区价格认证鉴定中心", spans={1: 8})
        w.put("*部门（单位）职责", "价格认定", spans={1: 8})
        w.put("*年度总体绩效目标", form.overall_target, spans={1: 8})
        head = w.put("绩效指标", spans={0: 9})
        assert head
        w.put(
            "一级指标",
            "二级指标",
            "三级指标",
            "指标值类型",
            "*指标值",
            "计量单位",
            "*指标解释",
            "*评（扣）分标准",
            "备注",
        )
        rows = []
        for want in wants:
            sign, value, unit = split_target(want.target)
            rows.append(
                (
                    want,
                    "定性" if sign == "定性" else "定量",
                    (sign or "") + str(value) if sign != "定性" else value,
                    unit,
                )
            )
        previous: Want | None = None
        for want, kind, value, unit in rows:
            same1 = previous is not None and previous.level1 == want.level1
            w.put(
                None if same1 else want.level1,
                want.level2,
                want.name,
                kind,
                value,
                unit,
                "按年度统计",
                "未完成酌情扣分",
                None,
            )
            previous = want
        w.put(None, "经济效益指标", None, None, None, None, None, None, None)
        _save(book, path)

    return Case(
        "hunan-yueyang-dept-target",
        "湖南",
        "2b",
        ("整体绩效目标表 without 部门", "*-marked titles", "指标值类型 / 计量单位 split", "empty template row"),
        build,
        expected,
    )


def _hebei_tangshan() -> Case:
    """河北 唐山 department target (2c, seed 003): preamble heading above, 指标值确定依据, two forms on two sheets."""
    forms = load_sample("tangshan-xzsp-targets.json").forms[1:4]
    expected = []
    for n, form in enumerate(forms):
        kind = FormKind.DEPT_TARGET if n == 0 else FormKind.PROJECT_TARGET  # as each sheet's title prints it
        expected.append(WantForm(f"表{n + 1}", kind, form.title, wants_of(form)))

    def build(path: Path) -> None:
        book = openpyxl.Workbook()
        book.remove(book.active)  # type: ignore[arg-type]
        for n, form in enumerate(forms):
            sheet = book.create_sheet(f"表{n + 1}")
            w = Writer(sheet)
            w.put("一、总体绩效目标")
            w.title("部门（单位）整体支出绩效目标表" if n == 0 else "项目绩效目标表", 6)
            w.put("部门（单位）名称" if n == 0 else "项目名称", form.title, spans={1: 5})
            w.put("年度绩效目标", form.overall_target or "无", spans={1: 5})
            w.put("一级指标", "二级指标", "三级指标", "指标值", "指标值确定依据", "备注")
            indicator_rows(w, wants_of(form), ["level1", "level2", "name", "target", "basis", ""])
            for row in range(w.row - len(form.indicators) + 1, w.row + 1):
                sheet.cell(row, 5).value = "日常工作"
            w.put("备注：指标值确定依据填写历史数据、行业标准等。", spans={0: 6})
        _save(book, path)

    return Case(
        "hebei-tangshan-dept-target",
        "河北",
        "2c",
        ("preamble heading 一、总体绩效目标", "指标值确定依据", "备注 rows"),
        build,
        expected,
    )


def _gansu_wuwei() -> Case:
    """甘肃 武威 department self-evaluation, layout A (4a): 整体支出绩效自评表 without 部门, plus a 填报说明 sheet."""
    form = load_sample("wuwei-zwfw-2022-selfeval.json").forms[0]
    wants = wants_of(form)
    expected = [
        WantForm(
            "整体自评",
            FormKind.DEPT_SELF_EVAL,
            "武威市政府政务服务中心",
            wants,
            printed_total=Decimal(88),
            budget=Decimal("494.39"),
        )
    ]

    def build(path: Path) -> None:
        book, sheet = _book("填报说明")
        w = Writer(sheet)
        w.title("填报说明", 6)
        w.put("一、本表由部门（单位）填报。二、示例如下：", spans={0: 6})
        w.put("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值")
        w.put("产出指标", "数量指标", "示例：培训人次", "≥100人次", "120人次", 10)
        sheet = book.create_sheet("整体自评")
        w = Writer(sheet)
        w.title("2022年武威市政府政务服务中心整体支出绩效自评表", 7)
        w.put("武威市政府政务服务中心")
        w.put("部门（单位）名称", "年初预算数", "全年预算数（A）", "实际支出数（B）", "执行率（B/A）", "分值", "得分")
        w.put("部门（单位）整体支出（万元）", 361.95, 494.39, None, "100%", 10, 10)
        w.put("其中：基本支出", 116.95, 150.85, None, "100%", "—", "—")
        w.put("项目支出", 245, 343.54, None, "100%", "—", "—")
        w.put("预期目标", None, None, "目标实际完成情况", spans={0: 3, 3: 4})
        w.put(form.overall_target, None, None, form.overall_actual, spans={0: 3, 3: 4})
        w.put("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施")
        indicator_rows(w, wants, ["level1", "level2", "name", "target", "actual", "weight", "score", "deviation"])
        w.put("合计", None, None, None, None, 100, 88, spans={0: 5})
        w.put("自评结论", "较好完成年度目标", spans={1: 7})
        w.put("单位负责人：", "张三", None, "填报人：", None, "李四")
        _save(book, path)

    return Case(
        "gansu-wuwei-dept-selfeval",
        "甘肃",
        "4a",
        (
            "整体支出绩效自评表 without 部门",
            "填报说明 sheet with an example table",
            "实际支出数（B）",
            "合计 and 自评结论 rows",
        ),
        build,
        expected,
        skipped_sheets=("填报说明",),
    )


def _hunan_ningxiang() -> Case:
    """湖南 宁乡 / 陕西 佳县 family (1a/1b): no 三级 column (一级 | 二级 | 指标内容 | 指标值 | 备注), 填报说明 below."""
    form = load_sample("tianjin-bgt-2025-targets.json").forms[0]
    wants = [Want(x.level1, x.level2, x.name, x.target) for x in wants_of(form)]
    expected = [WantForm("Sheet1", FormKind.PROJECT_TARGET, form.title, wants, budget=Decimal(470))]

    def build(path: Path) -> None:
        book, sheet = _book("Sheet1")
        w = Writer(sheet)
        w.title("项目绩效目标表（2021年度）", 5)
        w.put("填报单位（盖章）：宁乡市坝塘镇人民政府", spans={0: 5})
        w.put("项目名称", form.title, spans={1: 4})
        w.put("项目属性", "新增□ 延续√", "主管部门", "宁乡市财政局", None)
        top = w.put("年度资金总额及构成", "总额", 470, None, None)
        w.put(None, "财政拨款", 470, None, None)
        w.put(None, "自有资金", None, None, None)
        w.down(0, top, w.row)
        w.put("项目绩效目标", "年度目标", form.overall_target, spans={2: 3})
        w.put("年度绩效指标", spans={0: 5})
        w.put("一级指标", "二级指标", "指标内容", "指标值", "备注")
        indicator_rows(w, wants, ["level1", "level2", "name", "target", ""])
        w.put(None, "可持续影响指标", None, None, None)
        w.put("其他说明的问题", "无", spans={1: 4})
        w.put("填报人：", "周八", "单位负责人：", "吴九", "填报日期：2021年1月5日")
        w.put("填报说明", spans={0: 5})
        w.put("一、适用范围：本表适用于申请财政资金的项目。", spans={0: 5})
        w.put("二、指标值填写示例：≥95%", spans={0: 5})
        _save(book, path)

    return Case(
        "hunan-ningxiang-no-level3",
        "湖南",
        "1b (1a family)",
        (
            "no 三级 column: 指标内容",
            "年度资金总额及构成",
            "填报说明 rows under the table",
            "sign-off 填报人/单位负责人/填报日期",
        ),
        build,
        expected,
    )


def _sichuan_dazhou() -> Case:
    """四川 达州 rubric (4c): weights printed in the level cells, a 得分 column only, 合计 in the label column."""
    rows = [
        ("部门决策", "目标任务（15分）", "相关性（5分）", Decimal(5)),
        ("部门决策", "目标任务（15分）", "明确性（5分）", Decimal(4)),
        ("部门决策", "预算编制（10分）", "测算依据（5分）", Decimal(5)),
        ("综合管理", "绩效监控（5分）", "预算执行进度监控（2分）", Decimal(2)),
        ("综合管理", "绩效监控（5分）", "绩效目标动态监控（3分）", Decimal(3)),
        ("部门绩效情况", "满意度（10分）", "社会公众满意度（4分）", Decimal("3.5")),
    ]
    wants = [Want(a, re.sub(r"（\d+分）", "", b), c, score=s) for a, b, c, s in rows]
    expected = [WantForm("得分表", FormKind.DEPT_SELF_EVAL, "达州市农业农村局", wants, printed_total=Decimal("22.5"))]

    def build(path: Path) -> None:
        book, sheet = _book("得分表")
        w = Writer(sheet)
        w.title("部门整体支出绩效评价得分表", 4)
        w.put("部门名称：达州市农业农村局", spans={0: 4})
        w.put("一级指标", "二级指标", "三级指标", "得分")
        weighted = {
            "部门决策": "部门决策（25分）",
            "综合管理": "综合管理（30分）",
            "部门绩效情况": "部门绩效情况（45分）",
        }
        previous = None
        for a, b, c, s in rows:
            w.put(None if previous == a else weighted[a], b, c, _num(s))
            previous = a
        w.put("合计", None, None, 22.5, spans={0: 3})
        _save(book, path)

    return Case(
        "sichuan-dazhou-rubric",
        "四川",
        "4c",
        ("weights inside 一级/二级 cells", "得分 column only", "部门名称： label in one cell"),
        build,
        expected,
    )


def _anhui_chizhou_numbered() -> Case:
    """安徽 池州 (3a): a 序号 column, 「绩效指标」 merged over 一级/二级/三级 with the other titles merged down,
    titles broken over lines (「年度\\n指标值」, 「分　值」), 一级 repeated on every row, 合计 in the third column,
    then a 填报说明 with an example table on the same sheet."""
    form = load_sample("wuwei-zwfw-2022-selfeval.json").forms[3]
    wants = wants_of(form, limit=9)
    scored = sum((x.score or Decimal(0) for x in wants), Decimal(0))
    expected = [WantForm("Sheet1", FormKind.PROJECT_SELF_EVAL, form.title, wants, printed_total=scored)]

    def build(path: Path) -> None:
        book, sheet = _book("Sheet1")
        w = Writer(sheet)
        w.put("附件：")
        w.title("项目支出绩效自评表", 9)
        w.put("项目名称", form.title, spans={1: 8})
        w.put("实施单位", "219-池州市贵池区棠溪镇人民政府", spans={1: 8})
        head = w.put(
            "序号",
            "绩效指标",
            None,
            None,
            "年度\n指标值",
            "实际\n完成值",
            "分　值",
            "得　分",
            "偏差原因分析",
            spans={1: 3},
        )
        w.put(None, "一级指标", "二级指标", "三级指标")
        for index in (0, 4, 5, 6, 7, 8):
            w.down(index, head, head + 1)
        for n, want in enumerate(wants, 1):
            w.put(
                n,
                want.level1,
                want.level2,
                want.name,
                want.target,
                want.actual,
                _num(want.weight),
                _num(want.score),
                want.deviation,
            )
        w.put(None, None, "合计", None, None, None, None, _num(scored))
        w.put(None, "备注：本表由项目实施单位填报。", spans={1: 8})
        w.put("填报说明", spans={0: 9})
        w.put("示例：", spans={0: 9})
        w.put("序号", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分")
        w.put(1, "产出指标", "数量指标", "示例：培训人次", "≥100人次", "120人次", 10, 10)
        _save(book, path)

    return Case(
        "anhui-chizhou-numbered",
        "安徽",
        "3a (池州)",
        (
            "序号 column",
            "titles with line breaks and full-width spaces",
            "合计 in the third column",
            "填报说明 with an example table below the form",
        ),
        build,
        expected,
    )


def _hebei_langfang_stacked() -> Case:
    """河北 廊坊 (3a): two project self-evaluations one under the other with no title between, money in 元."""
    source = load_sample("wuwei-zwfw-2022-selfeval.json").forms[1:3]
    expected = []
    for form in source:
        wants = wants_of(form, limit=6)
        total = sum((x.score or Decimal(0) for x in wants), Decimal(0))
        expected.append(
            WantForm(
                "附件1",
                FormKind.PROJECT_SELF_EVAL,
                form.title,
                wants,
                money_unit="元",
                printed_total=total,
                budget=Decimal(120000),
                executed=Decimal(118000),
            )
        )

    def build(path: Path) -> None:
        book, sheet = _book("附件1")
        w = Writer(sheet)
        w.put("附件1")
        w.title("项目支出绩效自评表（2019年度）", 8)
        for form, want in zip(source, expected, strict=True):
            w.put("项目名称", form.title, spans={1: 7})
            w.put("项目资金（元）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
            w.put("年度资金总额", 100000, 120000, 118000, 10, "98.3%", 9.8)
            w.put(
                "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"
            )
            indicator_rows(
                w, want.indicators, ["level1", "level2", "name", "target", "actual", "weight", "score", "deviation"]
            )
            w.put("指标1：")
            w.put("总分", None, None, None, None, 100, _num(want.printed_total), spans={0: 5})
            w.skip()
        _save(book, path)

    return Case(
        "hebei-langfang-stacked",
        "河北",
        "3a (廊坊)",
        ("two forms stacked with no title between", "项目资金（元）", "placeholder row 指标1："),
        build,
        expected,
    )


CASES: list[Case] = [
    _tianjin_stacked(),
    _tianjin_dept_layout_b(),
    _anhui_xuancheng(),
    _anhui_xiaoxian(),
    _yunnan_yongde(),
    _sichuan_qingshen(),
    _hubei_huangshi(),
    _shandong_jinan(),
    _hunan_yueyang(),
    _hebei_tangshan(),
    _gansu_wuwei(),
    _hunan_ningxiang(),
    _sichuan_dazhou(),
    _anhui_chizhou_numbered(),
    _hebei_langfang_stacked(),
]


# -- measuring ---------------------------------------------------------------------------------


@dataclass
class Score:
    """What a reader got right on one workbook."""

    fields: int = 0
    right: int = 0
    false_indicators: int = 0
    missed: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.fields += other.fields
        self.right += other.right
        self.false_indicators += other.false_indicators
        self.missed += other.missed

    @property
    def recall(self) -> float:
        return self.right / self.fields if self.fields else 1.0


def _same(got: Any, want: Any) -> bool:
    if isinstance(want, Decimal):
        return isinstance(got, Decimal) and got == want
    if isinstance(want, str):
        return isinstance(got, str) and got.strip() == want.strip()
    return bool(got == want)


def _fund_total(form: Form) -> tuple[Decimal | None, Decimal | None]:
    if form.budget is not None and form.budget.amount is not None:
        return form.budget.amount, None
    total = form.fund("total")
    if total is None:
        return None, None
    return (total.full_year if total.full_year is not None else total.initial), total.executed


def measure(case: Case, forms_by_sheet: Sequence[tuple[str, Form]]) -> Score:
    """Compare the forms a reader found (with the sheet of each) with what the case prints."""
    score = Score()
    pool: dict[str, list[Form]] = {}
    for sheet, form in forms_by_sheet:
        pool.setdefault(sheet, []).append(form)
    for sheet in case.skipped_sheets:
        score.false_indicators += sum(len(f.indicators) for f in pool.pop(sheet, []))
    for want in case.expected:
        found = pool.get(want.sheet, [])
        got = found.pop(0) if found else None
        checks: list[tuple[str, Any, Any]] = [
            ("kind", got and got.kind, want.kind),
            ("title", got and got.title, want.title),
        ]
        checks.append(("money_unit", got and got.effective_money_unit, want.money_unit))
        if want.printed_total is not None:
            checks.append(("printed_total", got and got.printed_total, want.printed_total))
        budget, executed = _fund_total(got) if got else (None, None)
        if want.budget is not None:
            checks.append(("budget", budget, want.budget))
        if want.executed is not None:
            checks.append(("executed", executed, want.executed))
        unused: list[Indicator] = list(got.indicators) if got else []
        for row in want.indicators:
            match = next((i for i in unused if i.name.strip() == row.name.strip()), None)
            if match is not None:
                unused.remove(match)
            for key in INDICATOR_FIELDS:
                expected = getattr(row, key)
                if expected is not None:
                    checks.append((f"{row.name}.{key}", getattr(match, key) if match else None, expected))
        score.false_indicators += len(unused)
        for key, value, expected in checks:
            score.fields += 1
            if _same(value, expected):
                score.right += 1
            else:
                score.missed.append(f"{case.name}/{want.title}: {key} = {value!r}, printed {expected!r}")
        for extra in unused:
            score.missed.append(f"{case.name}/{want.title}: not an indicator: {extra.name!r}")
    for sheet, left in pool.items():
        for form in left:
            score.false_indicators += len(form.indicators)
            score.missed.append(f"{case.name}: extra form {form.title!r} on {sheet} ({len(form.indicators)} rows)")
    return score


def run(folder: Path, read: Callable[[Path], Sequence[tuple[str, Form]]]) -> tuple[Score, dict[str, Score]]:
    """Build every case into ``folder``, read it with ``read``, and score it."""
    total = Score()
    each: dict[str, Score] = {}
    for case in CASES:
        path = folder / f"{case.name}.xlsx"
        case.build(path)
        score = measure(case, read(path))
        each[case.name] = score
        total.add(score)
    return total, each


def _current_reader(path: Path) -> list[tuple[str, Form]]:
    from desktop.models.formats.excel_import import read_indicator_tables

    return [(t.sheet, t.form) for t in read_indicator_tables(path)]


if __name__ == "__main__":
    import tempfile

    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp())
    target.mkdir(parents=True, exist_ok=True)
    total, each = run(target, _current_reader)
    for name, score in each.items():
        print(
            f"{name:32} {score.right:4}/{score.fields:<4} {score.recall:6.1%}  "
            f"false indicators {score.false_indicators}"
        )
    print(
        f"{'ALL':32} {total.right:4}/{total.fields:<4} {total.recall:6.1%}  false indicators {total.false_indicators}"
    )
    print(f"{len(CASES)} workbooks, {len({c.region for c in CASES})} regions; written to {target}")
    if "-v" in sys.argv:
        print("\n".join(total.missed))
