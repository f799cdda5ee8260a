"""The 绩效指标 tab: the at-a-glance overview (self-evaluations), the indicator table, and below it the
current row's reasons (explanation, flags in words, band rule, 审核 findings) with 采用建议分."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from desktop.models.scoring.engine import ScoringEngine
from desktop.models.scoring.guidance import overview, row_reasons
from desktop.models.scoring.rules import RuleSet
from desktop.models.workbook import table_edits
from desktop.models.workbook.document import Change, WorkbookDocument
from desktop.models.workbook.domain import Form, Indicator
from desktop.models.workbook.edits import Edit
from desktop.views.commands import EditStack
from desktop.views.indicator_table import IndicatorTable
from desktop.views.opaque import fill_as_tab_pane
from desktop.views.overview_chart import OverviewChart

if TYPE_CHECKING:  # 审核 runs after the first form has painted: its module is imported then
    from desktop.models.scoring.validation import Finding

Findings = Callable[[Form], Sequence["Finding"]]
_COLOURS = {"error": "#B3261E", "warning": "#8A5A00", "info": "#202124"}


class _DetailBox(QWidget):
    """Holds the detail label outside any layout: a new text repaints the label alone, with no relayout of
    the window (a relayout would run after the edit's paint and the commit, and paint once more)."""

    def __init__(self) -> None:
        super().__init__()
        self.label = QLabel(self)
        self.setMinimumHeight(self.fontMetrics().height() * 2)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.label.setGeometry(self.rect())
        super().resizeEvent(event)


class TableTab(QWidget):
    """Overview, table and row detail of the form shown.

    Signals:
        message: a refused 采用建议分 (the store said no).
    """

    message = Signal(str)

    def __init__(
        self,
        document: WorkbookDocument,
        table: IndicatorTable,
        undo_stack: EditStack,
        engine: ScoringEngine,
        ruleset: RuleSet,
        findings: Findings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.table = table
        self._document = document
        self._stack = undo_stack
        self._engine = engine
        self._ruleset = ruleset
        self._findings = findings
        self._form: Form | None = None
        self.chart = OverviewChart()
        box = _DetailBox()
        self.detail = box.label
        self.detail.setObjectName("rowDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for widget in (self.chart, self.detail):  # repainted on every edit: not the tab widget under them too
            fill_as_tab_pane(widget)
        self._detail_due = False
        self.adopt_row = QPushButton("采用本行建议分")
        self.adopt_row.setToolTip("清除本行手动填写的得分，改用按实际完成值计算的建议得分（可撤销）")
        self.adopt_row.clicked.connect(self.adopt_current_row)
        self.adopt_all = QPushButton("全表采用建议分")
        self.adopt_all.setToolTip("清除本表全部手动得分，改用建议得分（一步，可撤销）")
        self.adopt_all.clicked.connect(self.adopt_whole_form)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        title = QLabel("<b>当前行</b>")
        buttons.addWidget(title)
        buttons.addStretch(1)
        buttons.addWidget(self.adopt_row)
        buttons.addWidget(self.adopt_all)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(4, 2, 4, 2)
        lower_layout.addLayout(buttons)
        lower_layout.addWidget(box, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("tableDetailSplitter")
        self.splitter.addWidget(table)
        self.splitter.addWidget(lower)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([500, 130])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.chart)
        layout.addWidget(self.splitter, 1)
        table.view().selectionModel().currentRowChanged.connect(self._on_current_row)
        engine.follow(self._on_change)
        self._refresh()

    # ---- contract used by the form pane and the session -------------------------------------

    def set_form(self, form: Form | None) -> None:
        """Show this form (the table, its overview and the current row's reasons)."""
        self._form = form
        self.table.set_form(form)
        self._refresh()

    def detach(self) -> None:
        """Stop following the engine."""
        self._engine.unfollow(self._on_change)

    def refresh_findings(self) -> None:
        """The findings changed (after 审核): show the current row's again."""
        self._refresh_detail()

    def current_indicator(self) -> Indicator | None:
        """The indicator of the table's current row."""
        row = self.table.view().currentIndex().row()
        model = self.table.model()
        return model.indicator(row) if 0 <= row < model.rowCount() else None

    def detail_text(self) -> str:
        """The detail panel's text without markup (tests, screenshots)."""
        return "\n".join(text for _, text in self._lines())

    # ---- actions ----------------------------------------------------------------------------

    def adopt_current_row(self) -> None:
        """采用建议分 for the current row."""
        form, indicator = self._form, self.current_indicator()
        if form is None or indicator is None:
            return
        rows = [i for i, item in enumerate(form.indicators) if item is indicator]
        self._push(table_edits.adopt_suggested(form, rows))

    def adopt_whole_form(self) -> None:
        """采用建议分 for every row of the form, as one undo step."""
        if self._form is not None:
            self._push(table_edits.adopt_suggested(self._form))

    def _push(self, change: Edit) -> None:
        if change.empty:
            return
        refused = self._stack.push_edit(change)
        if refused is not None:
            self.message.emit(refused)

    # ---- showing ----------------------------------------------------------------------------

    def _on_current_row(self, current: QModelIndex | QPersistentModelIndex, previous: object) -> None:
        self._detail_soon()

    def _detail_soon(self) -> None:
        """Refresh the detail once the key (an edit, then the move to the next row) is handled, before
        the paint: one text and one paint instead of two. The buttons follow at once."""
        self._update_buttons(whole_form=False)  # the whole form's button follows with the detail
        if not self._detail_due:
            self._detail_due = True
            QTimer.singleShot(0, self, self._refresh_detail)

    def _on_change(self, change: Change) -> None:
        if not shiboken6.isValid(self):
            self._engine.unfollow(self._on_change)
            return
        if self._form is not None:
            self._refresh(soon=True)

    def _refresh(self, soon: bool = False) -> None:
        form = self._form
        scored = form is not None and form.kind.is_self_eval
        self.chart.setVisible(scored)
        if form is not None and scored:
            self.chart.set_overview(overview(form, self._engine.score_form(form)))
        else:
            self.chart.set_overview(None)
        if soon:
            self._detail_soon()
        else:
            self._refresh_detail()

    def _lines(self) -> list[tuple[str, str]]:
        form, indicator = self._form, self.current_indicator()
        if form is None or indicator is None:
            return [("info", "选中表格中的一行，这里显示它的计分依据和审核意见。")]
        row = next((i for i, item in enumerate(form.indicators) if item is indicator), None)
        verdict = self._engine.score_form(form).indicators[row] if row is not None and form.kind.is_self_eval else None
        findings = [f for f in self._findings(form) if f.indicator_index == row]
        return row_reasons(indicator, verdict, findings, self._ruleset)

    def _refresh_detail(self) -> None:
        self._detail_due = False
        if not shiboken6.isValid(self):
            return
        indicator = self.current_indicator()
        lines = self._lines()
        html = "<br>".join(
            f'<span style="color:{_COLOURS.get(severity, "#202124")}">{escape(text)}</span>' for severity, text in lines
        )
        if indicator is not None and indicator.name:
            html = f"<b>{escape(indicator.name)}</b><br>{html}"
        if html != self.detail.text():
            self.detail.setText(html)
            self.detail.heightForWidth(self.detail.width())  # lays the text out now, not during its paint
        self._update_buttons()

    def _update_buttons(self, whole_form: bool = True) -> None:
        form, indicator = self._form, self.current_indicator()
        writable = form is not None and form.kind.is_self_eval and not self._document.read_only
        self.adopt_row.setVisible(form is not None and form.kind.is_self_eval)
        self.adopt_all.setVisible(form is not None and form.kind.is_self_eval)
        self.adopt_row.setEnabled(writable and indicator is not None and indicator.score is not None)
        if whole_form:  # every row's manual score: not on each move of the current row
            self.adopt_all.setEnabled(
                writable and form is not None and any(i.score is not None for i in form.indicators)
            )
