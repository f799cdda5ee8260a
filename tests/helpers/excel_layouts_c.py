"""Corpus workbooks, part 3: sign-off lines (四川 大英, 湖北 广水), 其中 sub-rows (安徽 萧县) and a target form with a
长期 and a 年度 indicator table (陕西 佳县), each following its section of shared/spec/form-layouts.md."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

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


def sichuan_daying() -> Case:
    """四川 大英县 2023 (3c, https://dyxrmt.cn/article-157795-21.html): the 510000_0013zp table with its footer
    「项目负责人：… 财务负责人：…」 typed into one merged cell, as a Word table pasted into Excel leaves it."""
    form = load_sample("wuwei-zwfw-2022-selfeval.json").forms[3]
    wants = wants_of(form)
    scored = sum((x.score or Decimal(0) for x in wants), Decimal(0))
    expected = [
        WantForm(
            "自评表",
            FormKind.PROJECT_SELF_EVAL,
            form.title,
            wants,
            budget=Decimal(2),
            executed=Decimal(2),
            signoff={"head": "赵一", "preparer": "孙三", "phone": "0825-2212345", "date": "2024年3月10日"},
        )
    ]

    def build(path: Path) -> None:
        book, sheet = new_book("自评表")
        w = Writer(sheet)
        w.title("部门预算项目支出绩效自评表（2023年度）", 10)
        w.put("报表编号：510000_0013zp", None, None, None, None, None, None, "金额单位：万元")
        w.put("项目名称", f"51090321R000000031207-{form.title}", spans={1: 9})
        w.put(
            "主管部门", "大英县人民政府办公室", None, None, "实施单位（盖章）", "大英县政务服务中心", spans={1: 3, 5: 5}
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
        )
        w.put(None, "总额", 2, 2, 2, "100%", 10, 10)
        w.put(None, "其中：财政资金", 2, 2, 2, "100%", None, None)
        w.put(None, "单位资金", None, None, None, None, None, None)
        w.down(0, w.row - 3, w.row)
        w.put("绩效指标（90分）", spans={0: 10})
        titles = ("一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值", "权重", "得分")
        w.put(*titles, "未完成原因分析")
        indicator_rows(
            w, wants, ["level1", "level2", "name", "sign", "value", "unit", "actual", "weight", "score", "deviation"]
        )
        w.put("合计", None, None, None, None, None, None, 90, num(scored), spans={0: 7})
        w.put("评价结论", "项目完成较好", spans={1: 9})
        w.put("项目负责人：赵一　　　　财务负责人：钱二　　　　审核人：（签字）", spans={0: 10})
        w.put("填报人：孙三　　联系电话：0825-2212345　　填报日期：2024年3月10日", spans={0: 10})
        save(book, path)

    return Case(
        "sichuan-daying-signoff",
        "四川",
        "3c (大英)",
        ("several sign-off labels in one merged cell", "财务负责人 / 审核人 with no field", "a placeholder （签字）"),
        build,
        expected,
    )


def hubei_guangshui_dept_target() -> Case:
    """湖北 广水 部门整体支出绩效目标申报表 2021 (2a, https://pdf.chddh.cn/archives/m536dx2vr743xlkg7098.html): 填报日期
    above the table, 部门（单位）名称 | 填报人 | 联系电话 as label and value side by side; the indicator table (cut in
    the stored copy) as in 2b."""
    form = load_sample("tangshan-xzsp-targets.json").forms[2]
    wants = [Want(x.level1, x.level2, x.name, x.target) for x in wants_of(form)]
    expected = [
        WantForm(
            "附件2",
            FormKind.DEPT_TARGET,
            "广水市公共资源交易中心",
            wants,
            signoff={"preparer": "陈晓", "phone": "0722-6412345", "date": "2021年1月8日"},
        )
    ]

    def build(path: Path) -> None:
        book, sheet = new_book("附件2")
        w = Writer(sheet)
        w.title("部门整体支出绩效目标申报表", 6)
        w.put("（2021年度）", spans={0: 6})
        w.put(None, None, None, None, "填报日期：2021年1月8日", spans={4: 2})
        w.put("部门（单位）名称", "广水市公共资源交易中心", "填报人", "陈晓", "联系电话", "0722-6412345")
        w.put("部门总体资金情况（单位：万元）", spans={0: 6})
        w.put("收入构成", "当年金额", "占比", "支出构成", "当年金额", "占比")
        w.put("财政拨款", 320, "100%", "基本支出", 250, "78%")
        w.put("合计", 320, "100%", "项目支出", 70, "22%")
        w.put("部门职能概述", "负责全市公共资源交易的组织实施。", spans={1: 5})
        w.put("年度总体绩效目标", form.overall_target, spans={1: 5})
        w.put("一级指标", "二级指标", "三级指标", "指标值", "备注", None)
        indicator_rows(w, wants, ["level1", "level2", "name", "target", ""])
        save(book, path)

    return Case(
        "hubei-guangshui-dept-target",
        "湖北",
        "2a",
        ("填报人 / 联系电话 beside the unit name above the table", "填报日期 in one cell", "合计 in the funds block"),
        build,
        expected,
    )


def anhui_xiaoxian_breakdown() -> Case:
    """安徽 萧县 2023 绩效目标自评表 (3b, https://www.ahxx.gov.cn/grassroots/279/158998981.html): 「其中：…」 rows
    without 分值 / 得分 under an indicator (a breakdown of its value) and under the 年度资金总额 of the funds block."""
    form = load_sample("wuwei-zwfw-2022-selfeval.json").forms[1]
    wants = wants_of(form)[:8]
    parent = wants[0]
    subs = [("其中：省级资金", "≥60万元", "60万元"), ("市级资金", "≥40万元", "41万元")]
    joined = "；".join(f"{name} {target}，完成 {actual}" for name, target, actual in subs)
    expected_wants = [Want(**{**parent.__dict__, "name": f"{parent.name}（{joined}）"}), *wants[1:]]
    total = sum((x.score or Decimal(0) for x in wants), Decimal(10))
    expected = [
        WantForm(
            "Sheet1",
            FormKind.PROJECT_SELF_EVAL,
            form.title,
            expected_wants,
            printed_total=total,
            budget=Decimal(100),
            executed=Decimal(98),
            signoff={"head": "刘强", "phone": "0557-5012345"},
        )
    ]

    def build(path: Path) -> None:
        book, sheet = new_book("Sheet1")
        w = Writer(sheet)
        w.title("绩效目标自评表", 8)
        w.title("（2023年度）", 8)
        w.put("项目名称", form.title, None, None, "项目负责人及电话", "刘强　0557-5012345", spans={1: 3, 5: 3})
        w.put(
            "主管部门",
            "[155]萧县政务服务管理局",
            None,
            None,
            "实施单位",
            "[155001]萧县政务服务中心",
            spans={1: 3, 5: 3},
        )
        top = w.put("资金情况（万元）", None, "全年预算数（A）", "全年执行数（B）", "分值", "执行率（B/A）", "得分")
        w.put(None, "年度资金总额：", 100, 98, 10, "98%", 10)
        w.put(None, "其中：本年财政拨款", 90, 88, None, "97.78%", None)
        w.put(None, "其中：省级资金", 60, 60, None, "100%", None)
        w.put(None, "其中：县级资金", 30, 28, None, "93.33%", None)
        w.put(None, "其他资金", 10, 10, None, "100%", None)
        w.down(0, top, w.row)
        w.put("年度总体目标", "年初设定目标", None, None, "年度总体目标完成情况综述", spans={1: 3, 4: 4})
        w.put(None, form.overall_target, None, None, "完成", spans={1: 3, 4: 4})
        titles = ("一级指标", "二级指标", "三级指标", "分值", "年度指标值", "全年实际值", "得分")
        w.put(*titles, "未完成原因及拟采取的改进措施")
        columns = ["level1", "level2", "name", "weight", "target", "actual", "score", "deviation"]
        indicator_rows(w, wants[:1], columns, merge_levels=False)
        for name, target, actual in subs:
            w.put(None, None, name, None, target, actual, None, None)
        indicator_rows(w, wants[1:], columns, merge_levels=False)
        w.put("总分", None, None, 100, None, None, num(total), spans={0: 3})
        save(book, path)

    return Case(
        "anhui-xiaoxian-breakdown",
        "安徽",
        "3b (萧县)",
        ("其中 rows under an indicator", "其中 rows in the funds block", "项目负责人及电话 in one cell"),
        build,
        expected,
    )


def shaanxi_jiaxian_two_periods() -> Case:
    """陕西 佳县 财政支出项目绩效目标申报表 (1a, https://docx.baby/p/20793843881926.html): 长期目标 | 年度目标 side by
    side, then a 长期绩效指标 and a 年度绩效指标 table (一级 | 二级 | 指标内容 | 指标值 | 备注, the template's empty
    rows printed), each on a new page under the title printed again; 其他说明的问题, footer 填报人 / 单位负责人 /
    填报日期, and the 填报说明."""
    form = load_sample("tianjin-bgt-2025-targets.json").forms[1]
    annual = [Want(x.level1, x.level2, x.name, x.target) for x in wants_of(form)]
    longer = [
        Want("产出指标", "数量指标", "论坛累计举办届数", "≥5届"),
        Want("产出指标", "质量指标", "论坛议题落实率", "≥90%"),
        Want("效益指标", "社会效益指标", "城市国际影响力", "持续提升"),
        Want("满意度指标", "服务对象满意度指标", "参会嘉宾满意度", "≥90%"),
    ]
    long_text = "2021—2025年连续举办论坛，打造城市国际交流品牌。"
    signoff = {"head": "吴九", "preparer": "周八", "phone": "0912-6712345", "date": "2021年1月5日"}
    expected = [
        WantForm(
            "Sheet1",
            FormKind.PROJECT_TARGET,
            f"{form.title}（长期绩效目标）",
            longer,
            budget=Decimal(470),
            overall_target=long_text,
        ),
        WantForm(
            "Sheet1",
            FormKind.PROJECT_TARGET,
            form.title,
            annual,
            budget=Decimal(470),
            overall_target=form.overall_target,
            signoff=signoff,
        ),
    ]

    def table(w: Writer, title: str, wants: list[Want]) -> None:
        w.title("佳县财政支出项目绩效目标申报表", 5)  # printed again at the top of each page, as in the source
        w.put(title, spans={0: 5})
        w.put("一级指标", "二级指标", "指标内容", "指标值", "备注")
        indicator_rows(w, wants, ["level1", "level2", "name", "target", ""])
        w.put(None, "可持续影响指标", None, None, None)

    def build(path: Path) -> None:
        book, sheet = new_book("Sheet1")
        w = Writer(sheet)
        w.title("佳县财政支出项目绩效目标申报表", 5)
        w.title("（2021年度）", 5)
        w.put("填报单位（盖章）：佳县文化和旅游局", spans={0: 5})
        w.put("项目名称", form.title, "项目属性", "新增项目□ 延续项目√", spans={3: 2})
        w.put("主管部门", "佳县文化和旅游局", "主管部门编码", "612728", spans={3: 2})
        w.put("项目实施单位", "佳县文化馆", "项目负责人", "刘一", spans={3: 2})
        w.put("联系电话", "0912-6712345", "项目起止时间", "2021年1月—2025年12月", spans={3: 2})
        top = w.put("项目资金申请（万元）", "资金总额：", 470, None, None)
        w.put(None, "财政拨款：", 470, None, None)
        w.put(None, "自有资金：", None, None, None)
        w.down(0, top, w.row)
        w.put("单位职能概述", "负责全县文化和旅游事业的规划与管理。", spans={1: 4})
        w.put("项目概况", "举办年度国际交流论坛。", spans={1: 4})
        w.put("项目实施进度计划", "项目实施内容", None, "开始时间", "完成时间", spans={1: 2})
        w.put(None, "1、筹备与举办", None, "2021年3月", "2021年9月", spans={1: 2})
        w.down(0, w.row - 1, w.row)
        w.put("项目绩效目标", "长期目标", None, "年度目标", None, spans={1: 2, 3: 2})
        w.put(None, long_text, None, form.overall_target, None, spans={1: 2, 3: 2})
        w.down(0, w.row - 1, w.row)
        table(w, "长期绩效指标", longer)
        table(w, "年度绩效指标", annual)
        w.put("其他说明的问题", "无", spans={1: 4})
        w.put("填报人：", "周八", "单位负责人：", "吴九", "填报日期：2021年1月5日")
        w.put("填报说明", spans={0: 5})
        w.put("一、适用范围：本表适用于预算部门在申请项目支出预算时填报。", spans={0: 5})
        save(book, path)

    return Case(
        "shaanxi-jiaxian-two-periods",
        "陕西",
        "1a",
        (
            "长期绩效指标 and 年度绩效指标 tables of one project",
            "长期目标 | 年度目标 texts under their labels",
            "项目负责人 in the header and 单位负责人 in the footer",
        ),
        build,
        expected,
    )


__all__ = [
    "anhui_xiaoxian_breakdown",
    "hubei_guangshui_dept_target",
    "shaanxi_jiaxian_two_periods",
    "sichuan_daying",
    "split_target",
]
