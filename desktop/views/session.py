"""One open workbook's session: the document, its scoring engine and undo stack, the views built over them,
and how they stay in step — validation after edits (审核, on a short timer) and the selection shared by the
tree, the form pane, the indicator table and the summary bar.

The main window holds a ``Session`` while a workbook is open and only places its ``body`` and answers
its signals; a change of rule set builds a new session over the same document and stack.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLineEdit, QSplitter, QVBoxLayout, QWidget

from desktop.models.errors import UserError
from desktop.models.library.history import HistoryEntry
from desktop.models.scoring.engine import ScoringEngine
from desktop.models.scoring.guidance import fund_notes, group_findings
from desktop.models.scoring.rules import RuleSet
from desktop.models.workbook.document import Change, WorkbookDocument
from desktop.models.workbook.domain import Form, FundLine, Indicator, Workbook
from desktop.models.workbook.outline import NodeKind, OutlineNode, levels_from_ruleset
from desktop.models.workbook.search import Hit
from desktop.views.commands import EditStack
from desktop.views.form_pane import FormPane
from desktop.views.indicator_table import IndicatorTable
from desktop.views.message_area import MessageArea
from desktop.views.problems import form_of, tab_for
from desktop.views.summary import SummaryBar
from desktop.views.table_tab import TableTab
from desktop.views.tree_model import NodeProblem, TreeModel
from desktop.views.workbook_tree import WorkbookTree

if TYPE_CHECKING:  # 审核 runs after the first form has painted: its module is imported then
    from desktop.models.scoring.validation import Finding

VALIDATION_DELAY_MS = 300
FOLLOW_DELAY_MS = 300  # the tree follows the table's Enter / Tab after an edit once the typing pauses this long
TREE_MIN_WIDTH = 300  # default tree width: a quarter of the window, within these bounds
TREE_MAX_WIDTH = 460

Confirm = Callable[[str, str], bool]


class Session(QObject):
    """Everything built for one open workbook, and the wiring between its parts.

    Signals:
        message: a transient message for the status bar.
        currentChanged: the node current in the tree changed (the window updates its actions).
        validated: the findings of every form, after a check (the window shows them).
        edited: the document changed (the window's find bar starts again).
        rulesetEdited: the workbook's rule set changed (the window builds a new session under it).
    """

    message = Signal(str)
    currentChanged = Signal()
    validated = Signal(list)
    edited = Signal()
    rulesetEdited = Signal()

    def __init__(
        self,
        document: WorkbookDocument,
        ruleset: RuleSet,
        undo_stack: EditStack,
        confirm: Confirm,
        splitter_state: object = None,
        width: int = 1280,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.ruleset = ruleset
        self.undo_stack = undo_stack
        self.engine = ScoringEngine(ruleset)
        self.engine.attach(document)  # views showing scores follow the engine, which tells them after rescoring
        self.findings: dict[int, list[Finding]] = {}  # id(form) → its findings
        self.history: Sequence[HistoryEntry] = ()  # the unit's earlier indicators, for the target review
        self._syncing = False
        self._dirty_forms: set[int] = set()
        self._validate_all = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(VALIDATION_DELAY_MS)
        self._timer.timeout.connect(self.validate_now)
        self._following: Indicator | None = None  # the table's current row the tree has still to follow
        self._follow = QTimer(self)
        self._follow.setSingleShot(True)
        self._follow.setInterval(FOLLOW_DELAY_MS)
        self._follow.timeout.connect(self.follow_now)

        self.tree_model = TreeModel(document, self.engine, levels_from_ruleset(ruleset))
        self.tree = WorkbookTree(document, undo_stack, self.tree_model, confirm, ruleset)
        self.tree_model.setParent(self.tree)  # deleted with the views when the workbook closes
        self.table = IndicatorTable(document, undo_stack, self.engine, ruleset)
        self.table.set_history(lambda: self.history)  # the 指标库 suggestions read it at first use
        self.table_tab = TableTab(
            document, self.table, undo_stack, self.engine, ruleset, lambda form: self.findings.get(id(form), [])
        )
        self.pane = FormPane(document, undo_stack, self.engine, ruleset, self.table_tab)
        self.notes = MessageArea()
        self.summary = SummaryBar(document, self.engine)
        self.splitter = self._build_splitter(splitter_state, width)
        self.body = QWidget()
        layout = QVBoxLayout(self.body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.summary)

        self.tree.selectionModel().currentChanged.connect(self._on_tree_current)
        self.tree.pressed.connect(lambda _index: self._drop_follow())  # a click in the tree wins
        self.table.indicatorSelected.connect(self._on_table_indicator)
        for part in (self.tree, self.table, self.pane, self.table_tab):
            part.message.connect(self.refused)
        self.table.notes.connect(self.notes.add_notes)
        undo_stack.writeRefused.connect(self.refused)  # an edit whose commit failed after the paint
        self.engine.follow(self._on_change)

    def refused(self, text: str) -> None:
        """A refused edit: in the message area (red) until the next successful edit, and the status bar."""
        self.notes.show_note("error", text)
        self.message.emit(text)

    def _build_splitter(self, state: object, width: int) -> QSplitter:
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("mainSplitter")
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(2)
        right_layout.addWidget(self.pane, 1)
        right_layout.addWidget(self.notes)
        splitter.addWidget(self.tree)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        self.tree.setMinimumWidth(220)
        tree_width = max(TREE_MIN_WIDTH, min(TREE_MAX_WIDTH, width // 4))
        splitter.setSizes([tree_width, max(600, width - tree_width)])
        if isinstance(state, QByteArray):
            splitter.restoreState(state)
        return splitter

    def detach(self) -> None:
        """Take the views off the document and the engine (the session is going away)."""
        self._timer.stop()
        self._drop_follow()
        self.undo_stack.writeRefused.disconnect(self.refused)
        self.engine.unfollow(self._on_change)
        for part in (self.summary, self.pane, self.table_tab, self.table, self.tree_model):
            part.detach()
        self.engine.detach()

    # ---- selection: tree ↔ pane / table / summary -------------------------------------------

    def current_node(self) -> OutlineNode | None:
        """The node current in the tree (once it has followed the table's last move)."""
        return self.synced_tree().current_node()

    def synced_tree(self) -> WorkbookTree:
        """The tree, once it has followed the table's last move (for actions on its current node)."""
        self.follow_now()
        return self.tree

    def follow_now(self) -> None:
        """Let the tree follow the table's current row now if it still has to (see ``_on_table_indicator``)."""
        indicator, self._following = self._following, None
        self._follow.stop()
        if indicator is None:
            return
        self._syncing = True
        try:
            self.tree.follow_object(indicator)
        finally:
            self._syncing = False

    def _drop_follow(self) -> None:
        self._following = None
        self._follow.stop()

    def select_form(self, form: Form | None) -> None:
        """Select a form in the tree (None: the workbook node), which shows it on the right."""
        if form is not None and any(item is form for item in self.document.workbook.forms):
            self.tree.select_object(form)
        else:
            self.tree.setCurrentIndex(self.tree_model.index(0, 0))

    def _on_tree_current(self, current: QModelIndex, previous: QModelIndex) -> None:
        node = self.tree_model.node(current) if current.isValid() else None
        self.currentChanged.emit()
        if self._syncing:
            return
        self._drop_follow()  # the user moved in the tree
        self._syncing = True
        try:
            self.show_node(node)
        finally:
            self._syncing = False

    def show_node(self, node: OutlineNode | None, tab: str | None = None) -> None:
        """Show a node's form in the pane and select its indicators in the table."""
        form = node.form if node is not None else None
        if form is not self.pane.form() or tab is not None:
            self.pane.show_form(form, tab)
        self.summary.set_form(form)
        if node is not None and node.kind in (NodeKind.GOAL, NodeKind.LEVEL1, NodeKind.LEVEL2, NodeKind.INDICATOR):
            self.table.select_indicators(node.indicators())

    def _on_table_indicator(self, indicator: object) -> None:
        if self._syncing or not isinstance(indicator, Indicator):
            return
        if self.table.moving_after_edit():
            # Enter / Tab after an edit: the tree follows (without unfolding) once the typing pauses, not
            # at every key (its current row, and perhaps its scrolling, repaint much of it).
            self._following = indicator
            self._follow.start()
            return
        self._drop_follow()
        self._syncing = True
        try:
            self.tree.select_object(indicator)
        finally:
            self._syncing = False

    def select_indicator(self, form: Form, indicator: Indicator | None, tab: str | None = None) -> None:
        """Show a form (on a tab) and select one of its indicators, in the tree and the table."""
        self._syncing = True
        try:
            self.tree.select_object(indicator if indicator is not None else form)
            self.pane.show_form(form, tab)
            self.summary.set_form(form)
            if indicator is not None:
                self.table.select_indicators([indicator])
        finally:
            self._syncing = False
        self.currentChanged.emit()

    def focus_cell(self, indicator: Indicator, field: str, focus: bool = True) -> None:
        """Make the table cell of an indicator's field current (the row alone if the column is not shown)."""
        view = self.table.view()
        model = self.table.model()
        column, row = model.column_index(field), model.row_of(indicator)
        if column is not None and row is not None:
            index = model.index(row, column)
            view.setCurrentIndex(index)
            view.scrollTo(index)
        if focus:
            view.setFocus()

    def show_finding(self, finding: Finding) -> None:
        """Show what a finding is about: its form on the right tab, its indicator's cell current."""
        form = form_of(self.document.workbook, finding)
        if form is None:
            self.tree.select_node(self.tree_model.outline.workbook_node)
            return
        indicator = None
        if finding.indicator_index is not None and 0 <= finding.indicator_index < len(form.indicators):
            indicator = form.indicators[finding.indicator_index]
        self.select_indicator(form, indicator, tab_for(finding))
        if indicator is not None and finding.field:
            self.focus_cell(indicator, finding.field)

    def show_hit(self, hit: Hit, keep_focus: bool) -> None:
        """Show one place a searched text occurs: the cell, or the form's title selected."""
        workbook = self.document.workbook
        if not 0 <= hit.form_index < len(workbook.forms):
            return
        form = workbook.forms[hit.form_index]
        if hit.indicator_index is None or not 0 <= hit.indicator_index < len(form.indicators):
            self.select_indicator(form, None)
            editor = self.pane.header_editor("title")
            if not keep_focus:
                editor.setFocus()
            if isinstance(editor, QLineEdit):
                editor.selectAll()
            return
        indicator = form.indicators[hit.indicator_index]
        self.select_indicator(form, indicator, "indicators")
        self.focus_cell(indicator, hit.field, focus=not keep_focus)

    # ---- validation -------------------------------------------------------------------------

    def _on_change(self, change: Change) -> None:
        obj = change.obj
        form = self.document.form_of(obj) if not isinstance(obj, Form) else obj
        self.edited.emit()
        self.notes.clear()  # a successful edit: the last message is stale
        if isinstance(obj, FundLine) and form is not None:
            self.notes.add_notes([(note.severity, note.text) for note in fund_notes(form)])
        if change.attr == "forms":
            self.pane.guide.refresh()
        if isinstance(obj, Workbook) and "ruleset" in change.fields:
            self.rulesetEdited.emit()
        if form is None or change.attr == "forms":
            self._validate_all = True
        else:
            self._dirty_forms.add(id(form))
        self._timer.start()

    def validate_all(self) -> None:
        """Check every form now."""
        self._validate_all = True
        self.validate_now()

    def validate_now(self) -> None:
        """Re-check the forms changed since the last check, mark the tree and tell ``validated``."""
        from desktop.models.scoring.validation import Finding, check_form

        self._timer.stop()
        workbook = self.document.workbook
        present = {id(form) for form in workbook.forms}
        for key in [k for k in self.findings if k not in present]:
            del self.findings[key]
        for index, form in enumerate(workbook.forms):
            if self._validate_all or id(form) in self._dirty_forms or id(form) not in self.findings:
                try:
                    self.findings[id(form)] = check_form(workbook, index, self.engine, self.history)
                except UserError as exc:
                    self.findings[id(form)] = [Finding("error", exc.message, form_index=index)]
        self._validate_all = False
        self._dirty_forms.clear()
        findings: list[Finding] = []
        for form in workbook.forms:
            findings.extend(self.findings.get(id(form), []))
        self.tree_model.set_problems(self._place(findings))
        self.table_tab.refresh_findings()
        self.validated.emit(group_findings(findings))

    def _place(self, findings: Sequence[Finding]) -> list[tuple[OutlineNode, NodeProblem]]:
        outline = self.tree_model.outline
        return [
            (self._node_of(finding) or outline.workbook_node, NodeProblem(finding.message, finding.severity == "error"))
            for finding in findings
        ]

    def _node_of(self, finding: Finding) -> OutlineNode | None:
        outline = self.tree_model.outline
        form = form_of(self.document.workbook, finding)
        if form is None:
            return None
        if finding.indicator_index is not None and 0 <= finding.indicator_index < len(form.indicators):
            node = outline.node_for(form.indicators[finding.indicator_index])
            if node is not None:
                return node
        form_node = outline.node_for(form)
        if form_node is not None and finding.goal_no is not None:
            for child in form_node.children:
                if child.kind is NodeKind.GOAL and child.goal == finding.goal_no:
                    return child
        return form_node
