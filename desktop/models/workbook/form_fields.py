"""Which header fields, long texts and tables each form kind shows, and what the printed form calls them.

The form pane lays itself out from these; the actions of ``form_edits`` name their undo steps with them.
"""

from __future__ import annotations

from desktop.models.workbook.domain import Form, FormKind

MULTI_LINE_HEADER = frozenset({"purpose"})


# Header fields: (key, shown always?) per form kind, in order. Optional ones show when the form holds a value.
HEADER_LAYOUT: dict[FormKind, tuple[tuple[str, bool], ...]] = {
    FormKind.PROJECT_TARGET: (("title", True), ("code", False), ("department", False), ("unit", False),
                              ("purpose", True)),
    FormKind.DEPT_TARGET: (("title", True), ("code", True), ("purpose", True)),
    FormKind.PROJECT_SELF_EVAL: (("title", True), ("code", False), ("department", True), ("unit", True)),
    FormKind.DEPT_SELF_EVAL: (("title", True), ("department", False)),
}  # fmt: skip
BUDGET_FIELDS: tuple[tuple[str, str], ...] = (("amount", "预算数"), ("fiscal", "其中：财政资金"), ("other", "其他资金"))
SIGNOFF_FIELDS: tuple[tuple[str, str], ...] = (
    ("head", "单位负责人"),
    ("preparer", "填报人"),
    ("phone", "联系电话"),
    ("date", "填报日期"),
)
TEXT_FIELDS: tuple[str, ...] = ("overall_target", "overall_actual", "deviation", "conclusion", "notes")


def is_dept_unit_block(form: Form) -> bool:
    """Whether a department target form is the unit's own block (goals, measures), not one of its projects."""
    return (
        form.kind is FormKind.DEPT_TARGET
        and not form.code
        and not form.spending_plan
        and not form.purpose
        and bool(form.goals or form.notes)
    )


def is_dept_project_block(form: Form) -> bool:
    """Whether a department target form is one of the unit's budget projects (code, use, spending plan)."""
    return form.kind is FormKind.DEPT_TARGET and bool(form.code or form.spending_plan or form.purpose)


def header_label(form: Form, key: str) -> str:
    """The printed name of a header field of this form."""
    kind = form.kind
    if key == "title":
        if kind is FormKind.DEPT_SELF_EVAL:
            return "部门名称"
        if kind is FormKind.DEPT_TARGET:
            if is_dept_unit_block(form):
                return "单位名称"
            return "预算项目名称" if is_dept_project_block(form) else "单位或项目名称"
        return "项目名称"
    if key == "purpose":
        return "项目资金主要用途" if kind is FormKind.DEPT_TARGET else "资金用途"
    return {"code": "项目编码", "department": "主管部门", "unit": "实施单位"}[key]


def header_keys(form: Form) -> list[str]:
    """The header fields shown for this form: its kind's fields, the optional ones only when filled in."""
    if is_dept_unit_block(form):
        return ["title"]
    return [key for key, always in HEADER_LAYOUT[form.kind] if always or header_value(form, key)]


def header_value(form: Form, key: str) -> str:
    """The text a header field shows (the 实施单位 is the name of the form's unit)."""
    if key == "unit":
        return form.unit.name if form.unit is not None else ""
    value = getattr(form, key)
    return value if isinstance(value, str) else ""


def text_label(form: Form, key: str) -> str:
    """The label of one of the form's long texts."""
    if key == "overall_target":
        return "总体绩效目标" if form.kind is FormKind.DEPT_TARGET else "总体目标（预期目标）"
    if key == "notes" and form.kind is FormKind.DEPT_TARGET:
        return "目标规划及保障措施"
    return {
        "overall_actual": "实际完成情况",
        "deviation": "偏差原因分析及改进措施",
        "conclusion": "自评结论",
        "notes": "说明",
    }[key]


def text_shown(form: Form, key: str) -> bool:
    """Whether a long text belongs on this form kind."""
    if key in ("overall_actual", "deviation"):
        return form.kind.is_self_eval
    if key == "conclusion":
        return form.kind is FormKind.DEPT_SELF_EVAL
    return True


def goals_shown(form: Form) -> bool:
    """Whether the goals table is shown: department tables (not their project blocks), or any form with goals."""
    return (
        form.kind is FormKind.DEPT_SELF_EVAL
        or (form.kind is FormKind.DEPT_TARGET and not is_dept_project_block(form))
        or bool(form.goals)
    )
