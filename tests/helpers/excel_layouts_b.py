"""Corpus workbooks, part 2: 湖南, 河北, 甘肃 and 四川 (达州) layouts, and two more 安徽 / 河北 variants."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import openpyxl

from desktop.models.workbook.domain import FormKind
from tests.helpers.excel_kit import (
    Case,
    Want,
    WantForm,
    Writer,
    indicator_rows,
    new_book,
    num,
    save,
    split_target,
    wants_of,
)
from tests.helpers.fixtures import load_sample


def hunan_yueyang() -> Case:
    """湖南 岳阳 整体绩效目标表 (2b): no 部门 in the title, 指标值类型 / 计量单位 / 指标解释 / 评（扣）分标准 / 备注."""
    form = load_sample("tangshan-xzsp-targets.json").forms[1]
    wants = wants_of(form)
    for want in wants:
        sign, value, unit = split_target(want.target)
        want.target = "".join(str(x) for x in (sign if sign != "定性" else None, value, unit) if x is not None)
    expected = [WantForm("Sheet1", FormKind.DEPT_TARGET, "岳阳楼区价格认证鉴定中心", wants)]

    def build(path: Path) -> None:
        book, sheet = new_book("Sheet1")
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
        save(book, path)

    return Case(
        "hunan-yueyang-dept-target",
        "湖南",
        "2b",
        ("整体绩效目标表 without 部门", "*-marked titles", "指标值类型 / 计量单位 split", "empty template row"),
        build,
        expected,
    )


def hebei_tangshan() -> Case:
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
        save(book, path)

    return Case(
        "hebei-tangshan-dept-target",
        "河北",
        "2c",
        ("preamble heading 一、总体绩效目标", "指标值确定依据", "备注 rows"),
        build,
        expected,
    )


def gansu_wuwei() -> Case:
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
            signoff={"head": "张三", "preparer": "李四"},
        )
    ]

    def build(path: Path) -> None:
        book, sheet = new_book("填报说明")
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
        save(book, path)

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


def hunan_ningxiang() -> Case:
    """湖南 宁乡 / 陕西 佳县 family (1a/1b): no 三级 column (一级 | 二级 | 指标内容 | 指标值 | 备注), 填报说明 below."""
    form = load_sample("tianjin-bgt-2025-targets.json").forms[0]
    wants = [Want(x.level1, x.level2, x.name, x.target) for x in wants_of(form)]
    signoff = {"head": "吴九", "preparer": "周八", "date": "2021年1月5日"}
    expected = [WantForm("Sheet1", FormKind.PROJECT_TARGET, form.title, wants, budget=Decimal(470), signoff=signoff)]

    def build(path: Path) -> None:
        book, sheet = new_book("Sheet1")
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
        save(book, path)

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


def sichuan_dazhou() -> Case:
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
        book, sheet = new_book("得分表")
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
            w.put(None if previous == a else weighted[a], b, c, num(s))
            previous = a
        w.put("合计", None, None, 22.5, spans={0: 3})
        save(book, path)

    return Case(
        "sichuan-dazhou-rubric",
        "四川",
        "4c",
        ("weights inside 一级/二级 cells", "得分 column only", "部门名称： label in one cell"),
        build,
        expected,
    )


def anhui_chizhou_numbered() -> Case:
    """安徽 池州 (3a): a 序号 column, 「绩效指标」 merged over 一级/二级/三级 with the other titles merged down,
    titles broken over lines (「年度\\n指标值」, 「分　值」), 一级 repeated on every row, 合计 in the third column,
    then a 填报说明 with an example table on the same sheet."""
    form = load_sample("wuwei-zwfw-2022-selfeval.json").forms[3]
    wants = wants_of(form, limit=9)
    scored = sum((x.score or Decimal(0) for x in wants), Decimal(0))
    expected = [WantForm("Sheet1", FormKind.PROJECT_SELF_EVAL, form.title, wants, printed_total=scored)]

    def build(path: Path) -> None:
        book, sheet = new_book("Sheet1")
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
                num(want.weight),
                num(want.score),
                want.deviation,
            )
        w.put(None, None, "合计", None, None, None, None, num(scored))
        w.put(None, "备注：本表由项目实施单位填报。", spans={1: 8})
        w.put("填报说明", spans={0: 9})
        w.put("示例：", spans={0: 9})
        w.put("序号", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分")
        w.put(1, "产出指标", "数量指标", "示例：培训人次", "≥100人次", "120人次", 10, 10)
        save(book, path)

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


def hebei_langfang_stacked() -> Case:
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
        book, sheet = new_book("附件1")
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
            w.put("总分", None, None, None, None, 100, num(want.printed_total), spans={0: 5})
            w.skip()
        save(book, path)

    return Case(
        "hebei-langfang-stacked",
        "河北",
        "3a (廊坊)",
        ("two forms stacked with no title between", "项目资金（元）", "placeholder row 指标1："),
        build,
        expected,
    )
