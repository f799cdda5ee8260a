"""The right-hand pane of a form: header fields, then tabs 绩效指标 | 资金与预算 | 绩效目标 | 结论与签署."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.models.errors import UserError
from desktop.models.scoring.engine import FLAG_MANUAL_NO_REASON, FLAG_NEEDS_REASON, ScoringEngine
from desktop.models.scoring.rules import RuleSet
from desktop.models.workbook import form_edits, form_fields
from desktop.models.workbook.document import Change, WorkbookDocument
from desktop.models.workbook.domain import Form, FormKind
from desktop.models.workbook.edits import Edit
from desktop.views.commands import EditStack
from desktop.views.form_numbers import format_decimal, format_score
from desktop.views.form_widgets import EDIT_TRIGGERS, CommitTextEdit, FormTableView, LongTextDelegate
from desktop.views.fund_model import FundModel
from desktop.views.goal_model import COL_ACTUAL, COL_NO, COL_TARGET, GoalModel
from desktop.views.plan_model import PlanModel

TAB_KEYS: tuple[str, ...] = ("indicators", "funds", "goals", "sign")
TAB_TITLES: tuple[str, ...] = ("绩效指标", "资金与预算", "绩效目标", "结论与签署")
WARNING_STYLE = "color: #b3261e;"


@dataclass
class _Row:
    """A label and its editor in a grid."""

    label: QLabel
    editor: QLineEdit | CommitTextEdit


def _text_of(editor: QLineEdit | CommitTextEdit) -> str:
    return editor.text() if isinstance(editor, QLineEdit) else editor.toPlainText()


def _show_text(editor: QLineEdit | CommitTextEdit, text: str) -> None:
    if isinstance(editor, QLineEdit):
        if editor.text() != text:
            editor.setText(text)
            editor.setCursorPosition(0)
    else:
        editor.set_text_quietly(text)


def _scrolled(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(widget)
    return area


def _fit_height(view: QTableView) -> None:
    """Make a short table exactly as high as its rows (no empty space, no scroll bar)."""
    view.resizeRowsToContents()
    height = view.horizontalHeader().height() + 2 * view.frameWidth()
    for row in range(view.model().rowCount()):
        height += view.rowHeight(row)
    if view.horizontalScrollBar().isVisible():
        height += view.horizontalScrollBar().height()
    view.setFixedHeight(height + 2)


class FormPane(QWidget):
    """The pane that shows and edits one form (see the GUI contract).

    Every edit is a ``form_edits`` action pushed on the shared undo stack; the pane repaints from
    ``engine.follow`` (so undo shows at once, scores already fresh). A refused edit emits ``message`` and the
    field shows the stored value again.

    Signals:
        message: a Chinese message for the user (a refused edit or number).
    """

    message = Signal(str)

    def __init__(
        self,
        document: WorkbookDocument,
        undo_stack: EditStack,
        engine: ScoringEngine,
        ruleset: RuleSet,
        indicator_table: QWidget,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._document = document
        self._stack = undo_stack
        self._engine = engine
        self._scores = engine.score_form
        self._ruleset = ruleset
        self._indicator_table = indicator_table
        self._form: Form | None = None
        self._refreshing = False

        self.fund_model = FundModel(document, undo_stack, engine, self)
        self.goal_model = GoalModel(document, undo_stack, self)
        self.plan_model = PlanModel(document, undo_stack, self)
        for model in (self.fund_model, self.goal_model, self.plan_model):
            model.message.connect(self.message)

        self._stack_widget = QStackedWidget()
        self._placeholder = QLabel("请在左侧选择一张表。")
        self._placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._stack_widget.addWidget(self._placeholder)
        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.setSpacing(4)
        content_layout.addWidget(self._build_header())
        self._tabs = QTabWidget()
        self._tabs.addTab(indicator_table, TAB_TITLES[0])
        self._tabs.addTab(_scrolled(self._build_funds_page()), TAB_TITLES[1])
        self._tabs.addTab(_scrolled(self._build_goals_page()), TAB_TITLES[2])
        self._tabs.addTab(_scrolled(self._build_sign_page()), TAB_TITLES[3])
        content_layout.addWidget(self._tabs, 1)
        self._stack_widget.addWidget(content)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self._stack_widget)

        self.fund_model.modelReset.connect(self._after_fund_change)
        self.fund_model.dataChanged.connect(self._after_fund_change)
        self.plan_model.modelReset.connect(self._after_plan_change)
        self.plan_model.dataChanged.connect(self._after_plan_change)
        self.goal_model.modelReset.connect(self._after_goals_reset)
        self.goal_model.dataChanged.connect(lambda *_: self._goal_view.resizeRowsToContents())
        engine.follow(self._on_change)  # the pane shows scores: it hears edits after they were rescored
        self.show_form(None)

    # ---- public -----------------------------------------------------------------------------

    def show_form(self, form: Form | None, tab: str | None = None) -> None:
        """Show (and edit) this form, or nothing; ``tab`` ("indicators"|"funds"|"goals"|"sign") selects a tab.

        Showing the form already shown only switches the tab (selections and scroll positions stay).
        The indicator table is given the form too when it has a ``set_form`` method.
        """
        previous = self._form
        if form is not None and form is previous:
            self._select_tab(tab)
            return
        self._form = form
        set_form = getattr(self._indicator_table, "set_form", None)
        if callable(set_form):
            set_form(form)
        self.fund_model.set_form(form)
        self.goal_model.set_form(form)
        self.plan_model.set_form(form if form is not None and form.kind is FormKind.DEPT_TARGET else None)
        if form is None:
            self._stack_widget.setCurrentIndex(0)
            return
        self._stack_widget.setCurrentIndex(1)
        self._layout_header(form)
        self._layout_pages(form)
        self._refresh()
        self._select_tab(tab)

    def _select_tab(self, tab: str | None) -> None:
        if tab is not None and tab in TAB_KEYS:
            self._tabs.setCurrentIndex(TAB_KEYS.index(tab))

    def form(self) -> Form | None:
        """The form shown."""
        return self._form

    def current_tab(self) -> str:
        """The key of the tab shown ("indicators"|"funds"|"goals"|"sign")."""
        return TAB_KEYS[self._tabs.currentIndex()]

    def tab_widget(self) -> QTabWidget:
        """The tabs (for the window's menus and tests)."""
        return self._tabs

    def header_fields(self) -> list[str]:
        """The keys of the header fields shown for the current form, in order."""
        if self._form is None:
            return []
        return form_fields.header_keys(self._form)

    def header_editor(self, key: str) -> QLineEdit | CommitTextEdit:
        """The editor of a header field ("title"|"code"|"department"|"unit"|"purpose")."""
        return self._header[key].editor

    def header_label_text(self, key: str) -> str:
        """The label shown beside a header field."""
        return self._header[key].label.text().rstrip("：")

    def text_editor(self, key: str) -> CommitTextEdit:
        """The editor of a long text ("overall_target"|"overall_actual"|"deviation"|"conclusion"|"notes")."""
        editor = self._texts[key].editor
        assert isinstance(editor, CommitTextEdit)
        return editor

    def text_visible(self, key: str) -> bool:
        """Whether a long text is shown for the current form."""
        return self._form is not None and form_fields.text_shown(self._form, key)

    def budget_editor(self, key: str) -> QLineEdit:
        """The editor of a budget amount ("amount"|"fiscal"|"other")."""
        editor = self._budget[key].editor
        assert isinstance(editor, QLineEdit)
        return editor

    def signoff_editor(self, key: str) -> QLineEdit:
        """The editor of a sign-off field ("head"|"preparer"|"phone"|"date")."""
        editor = self._signoff[key].editor
        assert isinstance(editor, QLineEdit)
        return editor

    def fund_view(self) -> QTableView:
        """The self-evaluation fund table."""
        return self._fund_view

    def goal_view(self) -> QTableView:
        """The goals table."""
        return self._goal_view

    def plan_view(self) -> QTableView:
        """The spending-plan table."""
        return self._plan_view

    def sections(self) -> dict[str, bool]:
        """Which blocks of the tabs are shown for the current form (budget, funds, plan, goals)."""
        form = self._form
        if form is None:
            return {"budget": False, "funds": False, "plan": False, "goals": False}
        return {
            "budget": form.kind is FormKind.PROJECT_TARGET,
            "funds": form.kind.is_self_eval,
            "plan": form.kind is FormKind.DEPT_TARGET and not form_fields.is_dept_unit_block(form),
            "goals": form_fields.goals_shown(form),
        }

    def budget_warning(self) -> str:
        """The warning under the budget (财政资金 + 其他资金 ≠ 预算数), or empty."""
        return self._budget_warning.text()

    def score_note(self) -> str:
        """The note under the fund table (manual score, a missing 偏差原因), or empty."""
        return self._score_note.text()

    def plan_warning(self) -> str:
        """The spending-plan warnings shown under the plan, or empty."""
        return self._plan_warning.text()

    def add_goal(self) -> None:
        """Add a goal after the current one and start editing its text."""
        row = self._goal_view.currentIndex().row()
        goal = self.goal_model.add_goal(row if row >= 0 else None)
        if goal is not None:
            new_row = self.goal_model.row_of(goal)
            index = self.goal_model.index(new_row, COL_TARGET)
            self._goal_view.setCurrentIndex(index)
            self._goal_view.setFocus()
            self._goal_view.edit(index)

    def remove_goal(self) -> None:
        """Remove the current goal."""
        row = self._goal_view.currentIndex().row()
        if row >= 0:
            self.goal_model.remove_goal(row)

    def move_goal(self, step: int) -> None:
        """Move the current goal up (-1) or down (+1)."""
        current = self._goal_view.currentIndex()
        row = current.row()
        if row < 0:
            return
        goal = self.goal_model.goal_at(row)
        if self.goal_model.move_goal(row, row + step):
            self._goal_view.setCurrentIndex(self.goal_model.index(self.goal_model.row_of(goal), current.column()))

    def restore_suggested_score(self) -> None:
        """Clear the manual 预算执行率得分 (the engine's suggestion applies again)."""
        form = self._form
        if form is not None and form.exec_score is not None:
            self._push(form_edits.restore_suggested_score(form))

    def detach(self) -> None:
        """Stop listening to the engine (the pane is going away)."""
        self._engine.unfollow(self._on_change)
        for model in (self.fund_model, self.goal_model, self.plan_model):
            model.detach()

    # ---- building ---------------------------------------------------------------------------

    def _line_row(self, key: str, label: str, commit: Callable[[str], None]) -> _Row:
        editor = QLineEdit()
        editor.setObjectName(key)
        editor.editingFinished.connect(lambda: commit(key))
        return _Row(QLabel(f"{label}："), editor)

    def _text_row(self, key: str, label: str, commit: Callable[[str], None], lines: int) -> _Row:
        editor = CommitTextEdit(lines=lines)
        editor.setObjectName(key)
        editor.editingFinished.connect(lambda: commit(key))
        return _Row(QLabel(f"{label}："), editor)

    def _build_header(self) -> QWidget:
        header = QWidget()
        outer = QVBoxLayout(header)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(4)
        top = QHBoxLayout()
        self._kind_label = QLabel()
        font = QFont(self._kind_label.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self._kind_label.setFont(font)
        self._money_label = QLabel()
        self._money_label.setToolTip("本表金额的单位")
        top.addWidget(self._kind_label)
        top.addStretch(1)
        top.addWidget(self._money_label)
        outer.addLayout(top)
        self._header_grid = QGridLayout()
        self._header_grid.setHorizontalSpacing(8)
        self._header_grid.setVerticalSpacing(4)
        self._header_grid.setColumnStretch(1, 1)
        self._header_grid.setColumnStretch(3, 1)
        outer.addLayout(self._header_grid)
        self._header: dict[str, _Row] = {}
        for key in ("title", "code", "department", "unit"):
            self._header[key] = self._line_row(key, key, self._commit_header)
        self._header["purpose"] = self._text_row("purpose", "purpose", self._commit_header, lines=2)
        for row in self._header.values():
            row.label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            row.label.setParent(header)
            row.editor.setParent(header)
            row.label.hide()
            row.editor.hide()
        self._header["purpose"].label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        return header

    def _build_funds_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)

        self._budget_box = QGroupBox("预算规模")
        grid = QGridLayout(self._budget_box)
        self._budget: dict[str, _Row] = {}
        for column, (key, label) in enumerate(form_fields.BUDGET_FIELDS):
            row = self._line_row(key, label, self._commit_budget)
            editor = row.editor
            assert isinstance(editor, QLineEdit)
            editor.setAlignment(Qt.AlignmentFlag.AlignRight)
            editor.setPlaceholderText("金额")
            grid.addWidget(row.label, 0, column * 2)
            grid.addWidget(row.editor, 0, column * 2 + 1)
            self._budget[key] = row
        self._budget_warning = QLabel()
        self._budget_warning.setStyleSheet(WARNING_STYLE)
        self._budget_warning.setWordWrap(True)
        grid.addWidget(self._budget_warning, 1, 0, 1, 6)
        layout.addWidget(self._budget_box)

        self._fund_box = QGroupBox("项目资金")
        fund_layout = QVBoxLayout(self._fund_box)
        self._fund_view = FormTableView()
        self._fund_view.setModel(self.fund_model)
        self._fund_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self._fund_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self._fund_view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._fund_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        fund_layout.addWidget(self._fund_view)
        buttons = QHBoxLayout()
        self._score_note = QLabel()
        self._score_note.setWordWrap(True)
        self._restore_button = QPushButton("恢复建议得分")
        self._restore_button.setToolTip("清除手工填写的预算执行率得分，改用按执行率计算的建议得分")
        self._restore_button.clicked.connect(self.restore_suggested_score)
        buttons.addWidget(self._score_note, 1)
        buttons.addWidget(self._restore_button)
        fund_layout.addLayout(buttons)
        self._texts: dict[str, _Row] = {}
        deviation = self._text_row("deviation", "偏差原因分析及改进措施", self._commit_text, lines=4)
        fund_layout.addWidget(deviation.label)
        fund_layout.addWidget(deviation.editor)
        self._texts["deviation"] = deviation
        layout.addWidget(self._fund_box)

        self._plan_box = QGroupBox("资金支出计划（%）")
        plan_layout = QVBoxLayout(self._plan_box)
        self._plan_view = FormTableView()
        self._plan_view.setModel(self.plan_model)
        self._plan_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self._plan_view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._plan_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        plan_layout.addWidget(self._plan_view)
        self._plan_warning = QLabel()
        self._plan_warning.setStyleSheet(WARNING_STYLE)
        self._plan_warning.setWordWrap(True)
        plan_layout.addWidget(self._plan_warning)
        plan_layout.addWidget(QLabel("按月累计填写：每期不低于上一期，12月底应达到 100%。"))
        layout.addWidget(self._plan_box)
        self._funds_hint = QLabel("部门整体目标表的资金支出计划按预算项目填写：请在左侧选择该单位的各预算项目表。")
        self._funds_hint.setWordWrap(True)
        layout.addWidget(self._funds_hint)
        layout.addStretch(1)
        return page

    def _build_goals_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        for key in ("overall_target", "overall_actual"):
            row = self._text_row(key, key, self._commit_text, lines=4)
            layout.addWidget(row.label)
            layout.addWidget(row.editor)
            self._texts[key] = row
        self._goals_box = QGroupBox("年度绩效目标")
        goals_layout = QVBoxLayout(self._goals_box)
        buttons = QHBoxLayout()
        self._goal_buttons: dict[str, QPushButton] = {}
        for key, label, slot in (
            ("add", "添加目标", self.add_goal),
            ("remove", "删除目标", self.remove_goal),
            ("up", "上移", lambda: self.move_goal(-1)),
            ("down", "下移", lambda: self.move_goal(1)),
        ):
            button = QPushButton(label)
            button.clicked.connect(slot)
            buttons.addWidget(button)
            self._goal_buttons[key] = button
        buttons.addStretch(1)
        goals_layout.addLayout(buttons)
        self._goal_view = FormTableView()
        self._goal_view.setModel(self.goal_model)
        self._goal_view.setItemDelegateForColumn(COL_TARGET, LongTextDelegate(self._goal_view))
        self._goal_view.setItemDelegateForColumn(COL_ACTUAL, LongTextDelegate(self._goal_view))
        self._goal_view.setWordWrap(True)
        self._goal_view.verticalHeader().hide()
        self._goal_view.setMinimumHeight(160)
        self._goal_view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._goal_view.selectionModel().currentChanged.connect(lambda *_: self._update_goal_buttons())
        self._goal_rows_timer = QTimer(self)
        self._goal_rows_timer.setSingleShot(True)
        self._goal_rows_timer.setInterval(0)
        self._goal_rows_timer.timeout.connect(self._goal_view.resizeRowsToContents)
        self._goal_view.horizontalHeader().sectionResized.connect(lambda *_: self._goal_rows_timer.start())
        goals_layout.addWidget(self._goal_view)
        goals_layout.addWidget(QLabel("添加、删除或移动目标时，后面的目标序号及其指标一并重新编号。"))
        layout.addWidget(self._goals_box, 1)
        layout.addStretch(0)
        return page

    def _build_sign_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        for key in ("conclusion", "notes"):
            row = self._text_row(key, key, self._commit_text, lines=5)
            layout.addWidget(row.label)
            layout.addWidget(row.editor)
            self._texts[key] = row
        box = QGroupBox("签署")
        grid = QGridLayout(box)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        self._signoff: dict[str, _Row] = {}
        for position, (key, label) in enumerate(form_fields.SIGNOFF_FIELDS):
            row = self._line_row(key, label, self._commit_signoff)
            grid.addWidget(row.label, position // 2, (position % 2) * 2)
            grid.addWidget(row.editor, position // 2, (position % 2) * 2 + 1)
            self._signoff[key] = row
        date_editor = self._signoff["date"].editor
        assert isinstance(date_editor, QLineEdit)
        date_editor.setPlaceholderText("例如 2025年1月20日")
        layout.addWidget(box)
        layout.addStretch(1)
        return page

    # ---- laying out per form ----------------------------------------------------------------

    def _layout_header(self, form: Form) -> None:
        grid = self._header_grid
        for row in self._header.values():
            grid.removeWidget(row.label)
            grid.removeWidget(row.editor)
            row.label.hide()
            row.editor.hide()
        keys = form_fields.header_keys(form)
        grid_row, column = 0, 0
        for key in keys:
            row = self._header[key]
            row.label.setText(f"{form_fields.header_label(form, key)}：")
            wide = key in ("title", "purpose") or (key == "code" and form.kind is FormKind.DEPT_TARGET)
            if wide and column:
                grid_row, column = grid_row + 1, 0
            grid.addWidget(row.label, grid_row, column)
            grid.addWidget(row.editor, grid_row, column + 1, 1, 3 if wide else 1)
            row.label.show()
            row.editor.show()
            if wide or column:
                grid_row, column = grid_row + 1, 0
            else:
                column = 2
        self._kind_label.setText(form.kind.label)
        self._money_label.setText(f"金额单位：{form.effective_money_unit}")
        read_only = self._document.read_only
        for row in (*self._header.values(), *self._budget.values(), *self._signoff.values(), *self._texts.values()):
            row.editor.setReadOnly(read_only)

    def _layout_pages(self, form: Form) -> None:
        shown = self.sections()
        unit = form.effective_money_unit
        self._budget_box.setTitle(f"预算规模（{unit}）")
        self._fund_box.setTitle(f"{'预算执行情况' if form.kind is FormKind.DEPT_SELF_EVAL else '项目资金'}（{unit}）")
        self._budget_box.setVisible(shown["budget"])
        self._fund_box.setVisible(shown["funds"])
        self._plan_box.setVisible(shown["plan"])
        self._funds_hint.setVisible(not (shown["budget"] or shown["funds"] or shown["plan"]))
        self._goals_box.setVisible(shown["goals"])
        for key, row in self._texts.items():
            visible = form_fields.text_shown(form, key)
            row.label.setText(f"{form_fields.text_label(form, key)}：")
            row.label.setVisible(visible)
            row.editor.setVisible(visible)
        self._goals_box.setTitle("分项绩效目标" if form.kind is FormKind.DEPT_TARGET else "年度绩效目标")
        triggers = QAbstractItemView.EditTrigger.NoEditTriggers if self._document.read_only else EDIT_TRIGGERS
        for view in (self._fund_view, self._plan_view, self._goal_view):
            view.setEditTriggers(triggers)
        self._update_goal_buttons()

    # ---- showing values ---------------------------------------------------------------------

    def _refresh(self) -> None:
        """Show the stored values in every field (after an edit, an undo, a refusal)."""
        form = self._form
        if form is None:
            return
        self._refreshing = True
        try:
            for key, row in self._header.items():
                _show_text(row.editor, form_fields.header_value(form, key))
            budget = form.budget
            for key, row in self._budget.items():
                _show_text(row.editor, format_decimal(getattr(budget, key)) if budget is not None else "")
            signoff = form.signoff
            for key, row in self._signoff.items():
                _show_text(row.editor, (getattr(signoff, key) or "") if signoff is not None else "")
            for key, row in self._texts.items():
                _show_text(row.editor, getattr(form, key) or "")
            self._money_label.setText(f"金额单位：{form.effective_money_unit}")
            self._budget_warning.setText(self._budget_check(form))
            self._budget_warning.setVisible(bool(self._budget_warning.text()))
        finally:
            self._refreshing = False

    @staticmethod
    def _budget_check(form: Form) -> str:
        budget = form.budget
        if budget is None or budget.amount is None or (budget.fiscal is None and budget.other is None):
            return ""
        parts = (budget.fiscal or Decimal(0)) + (budget.other or Decimal(0))
        if parts == budget.amount:
            return ""
        return f"⚠ 财政资金与其他资金之和（{format_decimal(parts)}）与预算数（{format_decimal(budget.amount)}）不一致。"

    def _after_fund_change(self, *_: object) -> None:
        if self._form is None or not self._form.kind.is_self_eval:
            return
        _fit_height(self._fund_view)
        manual = self.fund_model.is_manual_score()
        self._restore_button.setEnabled(manual and not self._document.read_only)
        if manual:
            suggested = self._scores(self._form).exec_suggested
            shown = format_score(suggested) if suggested is not None else "无"
            self._score_note.setText(f"✎ 得分为手动填写，建议得分 {shown}。")
        else:
            self._score_note.setText("得分按执行率计算；可直接在得分格中输入其他得分。")
        result = self._scores(self._form)
        if FLAG_NEEDS_REASON in result.exec_flags or FLAG_MANUAL_NO_REASON in result.exec_flags:
            self._score_note.setText(
                f"{self._score_note.text()}\n⚠ 得分低于分值或与建议得分不同，请填写偏差原因分析及改进措施。"
            )
            self._score_note.setStyleSheet(WARNING_STYLE)
        else:
            self._score_note.setStyleSheet("")

    def _after_plan_change(self, *_: object) -> None:
        if self._form is None or self._form.kind is not FormKind.DEPT_TARGET:
            return
        _fit_height(self._plan_view)
        warnings = self.plan_model.warnings()
        lines = [line for column in sorted(warnings) for line in warnings[column].splitlines()]
        self._plan_warning.setText("\n".join(f"⚠ {line}" for line in lines))
        self._plan_warning.setVisible(bool(warnings))

    def _after_goals_reset(self) -> None:
        view = self._goal_view
        header = view.horizontalHeader()
        if self.goal_model.columnCount() > 0:
            header.setSectionResizeMode(COL_NO, QHeaderView.ResizeMode.ResizeToContents)
            for column in range(1, self.goal_model.columnCount()):
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        view.resizeRowsToContents()
        self._update_goal_buttons()

    def _update_goal_buttons(self) -> None:
        row = self._goal_view.currentIndex().row()
        count = self.goal_model.rowCount()
        writable = self._form is not None and not self._document.read_only
        self._goal_buttons["add"].setEnabled(writable)
        self._goal_buttons["remove"].setEnabled(writable and row >= 0)
        self._goal_buttons["up"].setEnabled(writable and row > 0)
        self._goal_buttons["down"].setEnabled(writable and 0 <= row < count - 1)

    def _on_change(self, change: Change) -> None:
        if not shiboken6.isValid(self):
            self._engine.unfollow(self._on_change)
            return
        form = self._form
        if form is None:
            return
        if change.removes(form):
            self.show_form(None)
            return
        if change.obj is form or any(change.obj is child for child in (form.unit, form.budget, form.signoff)):
            self._refresh()
            if change.obj is form and change.attr == "goals" and not self._goals_box.isVisible():
                self._goals_box.setVisible(form_fields.goals_shown(form))

    # ---- committing -------------------------------------------------------------------------

    def _push(self, change: Edit) -> bool:
        refused = self._stack.push_edit(change)
        if refused is not None:
            self._refuse(refused)
            return False
        return True

    def _refuse(self, message: str) -> None:
        self.message.emit(message)
        self._refresh()

    def _commit(self, build: Callable[[Form], Edit]) -> None:
        form = self._form
        if form is None or self._refreshing:
            return
        try:
            change = build(form)
        except UserError as exc:
            self._refuse(exc.message)
            return
        self._push(change)

    def _commit_header(self, key: str) -> None:
        text = _text_of(self._header[key].editor)
        self._commit(lambda form: form_edits.header_field(form, key, text))

    def _commit_text(self, key: str) -> None:
        text = _text_of(self._texts[key].editor)
        self._commit(lambda form: form_edits.long_text(form, key, text))

    def _commit_budget(self, key: str) -> None:
        text = _text_of(self._budget[key].editor)
        self._commit(lambda form: form_edits.budget_field(form, key, text))

    def _commit_signoff(self, key: str) -> None:
        text = _text_of(self._signoff[key].editor)
        self._commit(lambda form: form_edits.signoff_field(form, key, text))
