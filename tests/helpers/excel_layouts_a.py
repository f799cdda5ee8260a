"""Corpus workbooks, part 1: 天津, 安徽, 云南, 四川 (青神), 湖北 and 山东 layouts of shared/spec/form-layouts.md."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from desktop.models.workbook.domain import FormKind
from tests.helpers.excel_kit import (
    Case,
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


def tianjin_stacked() -> Case:
    """天津 target forms (layouts 1d): three project tables one after another on one sheet."""
    forms = load_sample("tianjin-zwfw-2025-targets.json").forms[:3]
    expected = [
        WantForm("目标表", FormKind.PROJECT_TARGET, f.title, wants_of(f), budget=f.budget.amount if f.budget else None)
        for f in forms
    ]

    def build(path: Path) -> None:
        book, sheet = new_book("目标表")
        w = Writer(sheet)
        for n, form in enumerate(forms, 1):
            w.title(f"{n}.{form.title}绩效目标表", 5)
            w.put("319101天津市人民政府政务服务办公室", spans={0: 3})
            w.put(None, None, None, None, "单位：万元")
            w.put("项目名称", form.title, spans={1: 4})
            assert form.budget is not None
            top = w.put("预算规模及资金用途", "预算数", num(form.budget.amount))
            sheet.cell(top, 3).number_format = "0.00"
            w.put(None, "其中：财政    资金", num(form.budget.fiscal), "其他资金", None)
            w.put(None, form.purpose or "项目经费", spans={1: 4})
            w.down(0, top, w.row)
            w.put("绩效目标", form.overall_target, spans={1: 4})
            w.put("一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值")
            indicator_rows(w, wants_of(form), ["level1", "level2", "name", "description", "target"], merge_levels=False)
            for row in range(w.row - len(form.indicators) + 1, w.row + 1):
                sheet.cell(row, 4).value = form.indicators[row - w.row + len(form.indicators) - 1].description
            w.skip()
        save(book, path)

    return Case(
        "tianjin-targets-stacked",
        "天津",
        "1d",
        ("several tables on one sheet", "预算规模及资金用途", "unit line under the title", "单位：万元 at the right"),
        build,
        expected,
    )


def tianjin_dept_layout_b() -> Case:
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
        book, sheet = new_book("Sheet1")
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
        w.put("总分", None, None, None, None, None, 100, num(total), spans={0: 6})
        save(book, path)

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


def anhui_xuancheng() -> Case:
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
        book, sheet = new_book("自评表")
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
        w.put("总分", None, None, None, None, None, 100, num(total), spans={0: 6})
        save(book, path)

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


def anhui_xiaoxian() -> Case:
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
            signoff={"head": "王五", "phone": "0557-1234567"},  # 项目负责人及电话 in the header
        )
    ]

    def build(path: Path) -> None:
        book, sheet = new_book("Sheet1")
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
        w.put("总分", None, None, 100, None, None, num(total), spans={0: 3})
        w.put(
            "注：1.一级指标分值统一设置为：产出指标50分、效益指标30分、满意度指标10分、预算资金执行率10分。",
            spans={0: 8},
        )
        save(book, path)

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


def yunnan_yongde() -> Case:
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
        book, sheet = new_book("Sheet1")
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
        w.put("总分", None, None, None, None, None, None, 100, num(total), "优", spans={0: 7})
        save(book, path)

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


def sichuan_qingshen() -> Case:
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
            signoff={"head": "张三"},  # 项目负责人; 财务负责人 has no field (reported)
        )
    ]

    def build(path: Path) -> None:
        book, sheet = new_book("510000_0013zp")
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
        w.put("合 计", None, None, None, None, None, None, num(total), num(scored), spans={0: 7})
        w.put("评价结论", "项目完成较好", spans={1: 9})
        w.put("存在问题", "无", spans={1: 9})
        w.put("改进措施", "无", spans={1: 9})
        w.put("项目负责人：", None, "张三", None, None, "财务负责人：", None, "李四")
        save(book, path)

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


def hubei_huangshi() -> Case:
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
        book, sheet = new_book("Sheet1")
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
        w.put("总分", None, None, None, None, num(scored), spans={0: 5})
        w.put("偏差大或目标未完成原因分析", "无", spans={1: 5})
        w.put("改进措施及结果应用方案", "继续加强管理", spans={1: 5})
        w.put("单位主要负责人签批意见", "签名：    年  月  日", spans={1: 5})
        save(book, path)

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


def shandong_jinan() -> Case:
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
            signoff={"head": "赵六", "phone": "0531-1234567", "preparer": "钱七", "date": "2020年3月5日"},
        )
    ]

    def build(path: Path) -> None:
        book, sheet = new_book("自评表")
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
        w.put("总 分", None, None, None, None, 100, num(total), None, spans={0: 5})
        w.put("填报人：", None, "钱七", None, "填报日期：", "2020年3月5日")
        save(book, path)

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
