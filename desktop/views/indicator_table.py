"""The indicator table widget: a spreadsheet-like view of one form's indicators with row tools and clipboard."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QFont,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QSizePolicy,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from desktop.models.errors import UserError
from desktop.models.library.background import BackgroundIndex, HistorySource, LibrarySource
from desktop.models.library.own import full_library
from desktop.models.library.suggest import Suggestion, SuggestionIndex, placeholder_span, row_fields
from desktop.models.scoring.engine import ScoringEngine
from desktop.models.scoring.rules import RuleSet
from desktop.models.workbook import table_edits
from desktop.models.workbook.cells import Column, Kind
from desktop.models.workbook.clipboard import parse_tsv, to_tsv
from desktop.models.workbook.document import WorkbookDocument
from desktop.models.workbook.domain import Form, Indicator
from desktop.models.workbook.edits import Edit
from desktop.models.workbook.table_edits import Rect, fill_row
from desktop.views.commands import EditStack
from desktop.views.delegates import IndicatorDelegate, StandardNames
from desktop.views.indicator_model import IndicatorModel, column_width
from desktop.views.indicator_view import MAX_ROW_LINES, IndicatorView
from desktop.views.own_library import own_library_file
from desktop.views.row_heights import RowHeights

ModelIndex = QModelIndex | QPersistentModelIndex
# The row tools: (name, text, keys, tip). Their keys are listed in 帮助 → 快捷键 from here.
ROW_ACTIONS: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    ("insert_above", "在上方插入行", ("Ctrl+Shift+I",), "在当前行上方插入新指标行"),
    ("insert_below", "在下方插入行", ("Ctrl+I", "Ctrl++", "Ctrl+Shift+="), "在当前行下方插入新指标行"),
    ("delete_rows", "删除行", ("Ctrl+-",), "删除选中的指标行（可撤销）"),
    ("move_up", "上移", ("Alt+Up",), "把选中的行上移一行"),
    ("move_down", "下移", ("Alt+Down",), "把选中的行下移一行"),
)
# Keys the table view handles itself (not actions), for 帮助 → 快捷键.
VIEW_KEYS: tuple[tuple[str, str], ...] = (
    ("直接输入", "改写当前单元格（中文输入法同样可以）"),
    ("F2", "修改当前单元格"),
    ("Enter / Shift+Enter", "确认并下移 / 上移"),
    ("Tab / Shift+Tab", "确认并右移 / 左移"),
    ("Esc", "放弃正在输入的内容"),
    ("Delete", "清除选中的单元格"),
    ("Ctrl+C / Ctrl+X / Ctrl+V", "复制 / 剪切 / 粘贴区域（与 Excel、WPS 互通）"),
    ("Ctrl+D", "向下填充"),
    ("Ctrl+滚轮", "缩放表格"),
)
ZOOM_STEPS: tuple[int, ...] = (50, 67, 75, 80, 90, 100, 110, 125, 150, 175, 200)  # percent, as in Excel
_SCORE_ONLY_KEYS = frozenset({"weight", "score", "band", "goal"})
SUGGESTIONS_POLL_MS = 30


class IndicatorTable(QWidget):
    """One form's indicators, edited like a spreadsheet, with row tools (insert / delete / move).

    Signals:
        indicatorSelected: the current row's Indicator, or None (not emitted for ``select_indicators``).
        message: a Chinese message to show (a refused edit, a number that is not one).
        zoomChanged: the zoom in percent, after it changed (Ctrl + wheel or ``set_zoom``).
        addToLibraryRequested: the selected rows' Indicators (右键 → 加入指标库…; the window adds them).
    """

    indicatorSelected = Signal(object)
    message = Signal(str)
    notes = Signal(list)  # [(severity, text)]: a value accepted with something to say about it
    zoomChanged = Signal(int)
    addToLibraryRequested = Signal(list)

    def __init__(
        self,
        document: WorkbookDocument,
        undo_stack: EditStack,
        engine: ScoringEngine,
        ruleset: RuleSet,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._document = document
        self._stack = undo_stack
        self._names = StandardNames(ruleset)
        self._syncing = False
        self._fitting = False
        self._user_widths = False
        self._zoom = 100
        self._model = IndicatorModel(document, undo_stack, engine, self)
        self._delegate = IndicatorDelegate(self._names, self)
        self._view = IndicatorView(self, self)
        self._view.setModel(self._model)
        self._view.setItemDelegate(self._delegate)
        self._setup_view()
        self._heights = RowHeights(self._view, self._model, MAX_ROW_LINES)
        self._actions = self._make_actions()
        self._toolbar = self._make_toolbar()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self._toolbar)
        layout.addWidget(self._view, 1)

        self._model.message.connect(self.message)
        self._model.notes.connect(self.notes)
        self._delegate.message.connect(self.message)
        self._delegate.moveRequested.connect(self._view.move_current)
        self._suggestions = BackgroundIndex(library=lambda: full_library(own_library_file()))
        self._suggestions_poll = QTimer(self)  # refreshes an open list once a large history is indexed
        self._suggestions_poll.setInterval(SUGGESTIONS_POLL_MS)
        self._suggestions_poll.timeout.connect(self._poll_suggestions)
        self._delegate.set_suggester(self._suggest)
        self._delegate.suggestionChosen.connect(self._fill_from_suggestion)
        self._model.spansChanged.connect(self._apply_spans)
        self._model.modelReset.connect(self._after_reset)
        self._model.rowsInserted.connect(self._after_rows_inserted)
        self._model.dataChanged.connect(self._after_data_changed)
        self._view.selectionModel().currentRowChanged.connect(self._on_current_row)
        self._view.selectionModel().selectionChanged.connect(self._update_actions)
        self._update_actions()
        model = self._model
        self.destroyed.connect(lambda *_: model.detach())

    # ---- contract ---------------------------------------------------------------------------

    def detach(self) -> None:
        """Stop following the engine (the table is going away)."""
        self._model.detach()

    def set_form(self, form: Form | None) -> None:
        """Show this form's indicators (or an empty table); the form shown already stays as it is."""
        if form is self._model.form():
            self._update_actions()
            return
        self._syncing = True
        try:
            self._model.set_form(form)
            if self._model.rowCount():
                self._view.setCurrentIndex(self._model.index(0, self._name_column()))
        finally:
            self._syncing = False
        self._update_actions()

    def select_indicators(self, indicators: Sequence[Indicator]) -> None:
        """Select the rows of these indicators and scroll to the first (does not emit ``indicatorSelected``)."""
        rows = sorted(r for r in (self._model.row_of(i) for i in indicators) if r is not None)
        selection = QItemSelection()
        last = self._model.columnCount() - 1
        for row in rows:
            selection.select(self._model.index(row, 0), self._model.index(row, last))
        self._syncing = True
        try:
            flags = QItemSelectionModel.SelectionFlag
            selection_model = self._view.selectionModel()
            if rows:
                first = self._model.index(rows[0], self._name_column())
                selection_model.setCurrentIndex(first, flags.NoUpdate)
                self._view.scrollTo(first)
            selection_model.select(selection, flags.ClearAndSelect)
        finally:
            self._syncing = False
        self._update_actions()

    def moving_after_edit(self) -> bool:
        """Whether the current row is moving because an edit was just committed (Enter / Tab in a cell)."""
        return self._view.moving_after_edit()

    def view(self) -> QTableView:
        """The table view (for focus, selection and tests)."""
        return self._view

    # ---- parts ------------------------------------------------------------------------------

    def model(self) -> IndicatorModel:
        """The table model."""
        return self._model

    def delegate(self) -> IndicatorDelegate:
        """The cell editor delegate."""
        return self._delegate

    def action(self, name: str) -> QAction:
        """One of the row / clipboard actions: insert_above, insert_below, delete_rows, move_up, move_down,
        copy, cut, paste, clear."""
        return self._actions[name]

    def _setup_view(self) -> None:
        view = self._view
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        triggers = QAbstractItemView.EditTrigger
        view.setEditTriggers(triggers.DoubleClicked | triggers.EditKeyPressed | triggers.AnyKeyPressed)
        view.setWordWrap(True)
        view.setTabKeyNavigation(True)
        view.setAlternatingRowColors(False)
        view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._context_menu)
        header = view.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        header.setStretchLastSection(False)
        header.sectionResized.connect(self._on_section_resized)
        header.setHighlightSections(False)
        # Not the cells' selection: it highlights nothing, so each move of the current cell need not repaint it.
        header.setSelectionModel(QItemSelectionModel(self._model, header))
        view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        view.verticalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        view.setStyleSheet("QTableView { gridline-color: #B8B8B8; }")

    def _make_actions(self) -> dict[str, QAction]:
        slots: dict[str, Callable[[], None]] = {
            "insert_above": lambda: self.insert_rows(above=True),
            "insert_below": lambda: self.insert_rows(above=False),
            "delete_rows": self.delete_rows,
            "move_up": lambda: self.move_rows(-1),
            "move_down": lambda: self.move_rows(1),
        }
        actions: dict[str, QAction] = {}
        for name, text, keys, tip in ROW_ACTIONS:
            slot = slots[name]
            action = QAction(text, self)
            action.setShortcuts([QKeySequence(k) for k in keys])
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.setToolTip(f"{tip}（{QKeySequence(keys[0]).toString(QKeySequence.SequenceFormat.NativeText)}）")
            action.triggered.connect(lambda _checked=False, slot=slot: slot())
            self.addAction(action)
            actions[name] = action
        # Clipboard actions are keyed by the view itself (so a window menu's Ctrl+C is not ambiguous).
        for name, text, key, slot in [
            ("copy", "复制", "Ctrl+C", self.copy_selection),
            ("cut", "剪切", "Ctrl+X", self.cut_selection),
            ("paste", "粘贴", "Ctrl+V", self.paste),
            ("clear", "清除内容", "Delete", lambda: self.clear_selection()),
            ("fill_down", "向下填充", "Ctrl+D", self.fill_down),
        ]:
            action = QAction(f"{text}\t{key}", self)
            action.triggered.connect(lambda _checked=False, slot=slot: slot())
            actions[name] = action
        library = QAction("加入指标库…", self)
        library.setToolTip("把选中行的指标（指标值中的数字换成 **）加入本单位指标库，以后输入三级指标时可选用")
        library.triggered.connect(self.request_add_to_library)
        actions["add_to_library"] = library
        return actions

    def _make_toolbar(self) -> QWidget:
        bar = QWidget(self)
        layout = QHBoxLayout(bar)
        layout.setContentsMargins(0, 0, 0, 0)
        tools = QToolBar(bar)
        tools.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for name in ("insert_above", "insert_below", "delete_rows"):
            tools.addAction(self._actions[name])
        tools.addSeparator()
        for name in ("move_up", "move_down"):
            tools.addAction(self._actions[name])
        layout.addWidget(tools)
        layout.addStretch(1)
        hint = QLabel(
            "输入即编辑 · Enter 下移 · Tab 右移 · F2 修改 · Delete 清除 · "
            "Ctrl+C / Ctrl+V 与 Excel 互相复制粘贴 · Ctrl+D 向下填充",
            bar,
        )
        hint.setStyleSheet("color: #777;")
        hint.setToolTip(hint.text())
        hint.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)  # may be cut, never widens
        layout.addWidget(hint)
        return bar

    def _context_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        for name in ("insert_above", "insert_below", "delete_rows", "", "move_up", "move_down", ""):
            if name:
                menu.addAction(self._actions[name])
            else:
                menu.addSeparator()
        for name in ("copy", "cut", "paste", "clear", "fill_down", "", "add_to_library"):
            if name:
                menu.addAction(self._actions[name])
            else:
                menu.addSeparator()
        menu.exec(self._view.viewport().mapToGlobal(pos))
        menu.deleteLater()

    def _update_actions(self, *_: Any) -> None:
        has_form = self._model.form() is not None
        writable = has_form and not self._document.read_only
        rows = self._selected_rows()
        count = self._model.rowCount()
        contiguous = bool(rows) and rows[-1] - rows[0] + 1 == len(rows)
        self._actions["insert_above"].setEnabled(writable)
        self._actions["insert_below"].setEnabled(writable)
        self._actions["delete_rows"].setEnabled(writable and bool(rows))
        self._actions["move_up"].setEnabled(writable and contiguous and rows[0] > 0)
        self._actions["move_down"].setEnabled(writable and contiguous and rows[-1] < count - 1)
        for name in ("cut", "paste", "clear", "fill_down"):
            self._actions[name].setEnabled(writable)
        self._actions["add_to_library"].setEnabled(has_form and bool(rows))  # read-only too: the workbook stays

    # ---- view upkeep ------------------------------------------------------------------------

    def _apply_spans(self) -> None:
        view = self._view
        view.clearSpans()
        for (row, column), length in self._model.spans().items():
            view.setSpan(row, column, length, 1)

    def _after_reset(self) -> None:
        self._user_widths = False
        self._heights.reset()  # new rows: fit them whatever the widths
        self.fit_columns()

    def fit_columns(self) -> None:
        """Give each column its default width (at the zoom), spreading spare room over the long-text columns.

        When the defaults do not fit the window they shrink together (to 60% at most) and texts wrap, so
        that the last column (偏差原因) stays in view at 1280 pixels wide; a zoom above 100% scales exactly
        (the user asked for bigger cells).

        Once the user has dragged a column border, widths are left alone until another form is shown.
        """
        columns = self._model.columns()
        if not columns or self._user_widths:
            self._heights.fit_soon()  # the view may show more rows now
            return
        widths = [column_width(column) * self._zoom // 100 for column in columns]
        available = self._view.viewport().width()
        if sum(widths) > available > 0 and self._zoom <= 100:  # shrink to fit (text wraps), to 60% at most
            scale = max(0.6, available / sum(widths))
            widths = [int(width * scale) for width in widths]
        spare = max(0, available - sum(widths))
        long_total = sum(w for w, c in zip(widths, columns, strict=True) if c.kind == Kind.LONG)
        header = self._view.horizontalHeader()
        self._fitting = True
        try:
            for i, (width, column) in enumerate(zip(widths, columns, strict=True)):
                extra = spare * width // long_total if column.kind == Kind.LONG and long_total else 0
                header.resizeSection(i, width + extra)
        finally:
            self._fitting = False
        self._heights.widths_changed()  # estimates for every row, an exact fit of the rows in view

    # ---- zoom -------------------------------------------------------------------------------

    def zoom(self) -> int:
        """The table's zoom in percent (100: the window's own font size)."""
        return self._zoom

    def set_zoom(self, percent: int) -> int:
        """Show the table at ``percent`` (kept within 50–200); returns the zoom applied.

        Text, column widths and row heights scale together; widths the user dragged are given up.
        """
        percent = max(ZOOM_STEPS[0], min(ZOOM_STEPS[-1], int(percent)))
        if percent == self._zoom:
            return percent
        self._zoom = percent
        base = self.font()
        font = QFont(base)
        if base.pointSizeF() > 0:
            font.setPointSizeF(base.pointSizeF() * percent / 100)
        else:
            font.setPixelSize(max(1, base.pixelSize() * percent // 100))
        self._view.setFont(font)
        for header in (self._view.horizontalHeader(), self._view.verticalHeader()):
            header.setFont(font)  # headers take the application's font otherwise, not the view's
            header.viewport().setFont(font)
        self._user_widths = False
        self.fit_columns()
        self.zoomChanged.emit(percent)
        return percent

    def zoom_step(self, direction: int) -> int:
        """One step of ``ZOOM_STEPS`` up (``direction`` > 0) or down; returns the zoom applied."""
        if direction > 0:
            larger = [step for step in ZOOM_STEPS if step > self._zoom]
            return self.set_zoom(larger[0] if larger else ZOOM_STEPS[-1])
        smaller = [step for step in ZOOM_STEPS if step < self._zoom]
        return self.set_zoom(smaller[-1] if smaller else ZOOM_STEPS[0])

    def _on_section_resized(self, index: int, old: int, new: int) -> None:
        if not self._fitting:
            self._user_widths = True

    def _after_rows_inserted(self, parent: ModelIndex, first: int, last: int) -> None:
        self._heights.row_changed(first, last)

    def _after_data_changed(self, top_left: ModelIndex, bottom_right: ModelIndex, roles: Sequence[int] = ()) -> None:
        if roles and Qt.ItemDataRole.DisplayRole not in roles:
            return
        keys = {c.key for c in self._model.columns()[top_left.column() : bottom_right.column() + 1]}
        if keys <= _SCORE_ONLY_KEYS:
            return  # short values: the row height does not change
        if top_left == bottom_right:
            self._heights.cell_changed(top_left, self._model.text_before_edit(top_left))  # one cell typed
            return
        self._heights.row_changed(top_left.row(), bottom_right.row())

    def _on_current_row(self, current: ModelIndex, previous: ModelIndex) -> None:
        self._update_actions()
        if self._syncing:
            return
        indicator = self._model.indicator(current.row()) if current.isValid() else None
        self.indicatorSelected.emit(indicator)

    def _name_column(self) -> int:
        column = self._model.column_index("name")
        return column if column is not None else 0

    # ---- selection helpers ------------------------------------------------------------------

    def _selected_indexes(self) -> list[QModelIndex]:
        indexes = self._view.selectionModel().selectedIndexes()
        if not indexes and self._view.currentIndex().isValid():
            indexes = [self._view.currentIndex()]
        return indexes

    def _selected_rows(self) -> list[int]:
        return sorted({index.row() for index in self._selected_indexes()})

    def _selection_rect(self) -> tuple[int, int, int, int] | None:
        """(top, left, rows, columns) of the selection's bounding rectangle, or None."""
        indexes = self._selected_indexes()
        if not indexes:
            return None
        rows = [i.row() for i in indexes]
        columns = [i.column() for i in indexes]
        return min(rows), min(columns), max(rows) - min(rows) + 1, max(columns) - min(columns) + 1

    def _select_rect(self, top: int, left: int, rows: int, columns: int) -> None:
        model = self._model
        bottom = min(top + rows, model.rowCount()) - 1
        right = min(left + columns, model.columnCount()) - 1
        if bottom < top or right < left:
            return
        flags = QItemSelectionModel.SelectionFlag
        selection_model = self._view.selectionModel()
        selection_model.setCurrentIndex(model.index(top, left), flags.NoUpdate)
        selection_model.select(QItemSelection(model.index(top, left), model.index(bottom, right)), flags.ClearAndSelect)

    def _push(self, change: Edit) -> bool:
        """Do ``change`` on the undo stack; say why if it was refused; False when refused or empty."""
        if change.empty:
            return False
        refused = self._stack.push_edit(change)
        if refused is not None:
            self.message.emit(refused)
            return False
        if change.note:
            self.message.emit(change.note)
        return True

    def _first_levels(self, form: Form) -> tuple[str, str]:
        """The standard 一级 / 二级 a first row of an empty form starts with."""
        level1 = next(iter(self._names.level1(form.kind)), "")
        level2 = next(iter(self._names.level2(form.kind, level1)), "") if level1 else ""
        return level1, level2

    def _suggested(self, indicator: Indicator) -> Any:
        verdict = self._model.score_of(indicator)
        return verdict.suggested if verdict is not None else None

    # ---- 指标库 suggestions (issue 20) -------------------------------------------------------

    def set_history(self, history: HistorySource) -> None:
        """Where the unit's earlier indicators come from (read when the suggestions are first prepared)."""
        self._suggestions.set_history(history)

    def set_library(self, library: LibrarySource) -> None:
        """Where the library comes from (bundled plus the user's own); read again after ``library_changed``."""
        self._suggestions.set_library(library)

    def library_changed(self) -> None:
        """The user's library changed (加入指标库, 导入): the next suggestion reads it again."""
        self._suggestions.library_changed()

    def prepare_suggestions(self) -> None:
        """Index the history now (a large one on a worker thread), so that the first keystroke need not wait."""
        self._suggestions.start()
        if not self._suggestions.ready():
            self._suggestions_poll.start()

    def suggestions_ready(self) -> bool:
        """Whether the history answers suggestions yet (until then the library alone does)."""
        return self._suggestions.ready()

    def suggestion_index(self) -> SuggestionIndex:
        """What answers a keystroke now (history + library once the history is indexed, else the library)."""
        return self._suggestions.index()

    def _suggest(self, typed: str) -> list[Suggestion]:
        found = self._suggestions.suggest(typed)
        if not self._suggestions.ready():
            self._suggestions_poll.start()
        return found

    def _poll_suggestions(self) -> None:
        if self._suggestions.ready():
            self._suggestions_poll.stop()
            self._delegate.refresh_suggestions()  # an open list shows the history as soon as it can

    def request_add_to_library(self) -> None:
        """右键 → 加入指标库…: ask the window to add the selected rows' indicators to the user's library."""
        indicators = [self._model.indicator(row) for row in self._selected_rows()]
        if indicators:
            self.addToLibraryRequested.emit(indicators)

    def _fill_from_suggestion(self, row: int, suggestion: Suggestion) -> None:
        """Fill the row from a chosen suggestion (one undo step), then edit its 指标值 with the value selected."""
        form = self._model.form()
        if form is None or not 0 <= row < len(form.indicators):
            return
        if not self._push(fill_row(form, row, row_fields(suggestion))):
            return
        column = self._model.column_index("target")
        if column is None or not suggestion.target:
            return
        index = self._model.index(row, column)
        self._view.setCurrentIndex(index)
        self._view.edit(index)
        editor = self._view.indexWidget(index)
        if isinstance(editor, QLineEdit):
            start, end = placeholder_span(editor.text())
            editor.setSelection(start, end - start)

    # ---- clipboard --------------------------------------------------------------------------

    def copy_selection(self) -> None:
        """Copy the selected rectangle as tab-separated text (what Excel / WPS paste as cells).

        Only plain text: a Python-made QMimeData handed to the clipboard makes PySide6 6.12 crash
        when the application exits (it is freed twice), so Qt builds the mime data itself.
        """
        rect = self._selection_rect()
        if rect is None:
            return
        top, left, height, width = rect
        rows = [
            [str(self._model.index(r, c).data(Qt.ItemDataRole.EditRole) or "") for c in range(left, left + width)]
            for r in range(top, top + height)
        ]
        QApplication.clipboard().setText(to_tsv(rows))

    def cut_selection(self) -> None:
        """Copy the selected cells, then clear them (one undo step)."""
        self.copy_selection()
        self.clear_selection(text="剪切")

    def clear_selection(self, text: str = "清除内容") -> None:
        """Clear the selected cells (Delete); a cleared 得分 returns to the suggested score. One undo step."""
        model = self._model
        form = model.form()
        if form is None:
            return
        columns = model.columns()
        cells: list[tuple[int, Column]] = []
        for index in self._selected_indexes():
            if model.flags(index) & Qt.ItemFlag.ItemIsEditable:
                column = columns[index.column()]
                cells.extend((row, column) for row in model.run_rows(index.row(), index.column()))
        self._push(table_edits.clear_cells(form, cells, text))

    def paste(self) -> None:
        """Paste a tab-separated block from Excel / WPS at the selection, as one undo step.

        A single value fills the whole selection; rows past the last one become new indicators; a
        value a column cannot take (a non-number in 分值) refuses the whole paste with a message.
        """
        block = parse_tsv(QApplication.clipboard().text())
        at = Rect(*(self._selection_rect() or (self._model.rowCount(), 0, 1, 1)))
        self._write(
            lambda form: table_edits.paste_block(form, block, at, "粘贴", self._suggested, self._first_levels(form))
        )

    def fill_down(self) -> None:
        """Ctrl+D, as in Excel: the selection's top row is copied into the rows below it (one undo step)."""
        rect = self._selection_rect()
        if rect is None:
            return
        at = Rect(*rect)
        if self._write(lambda form: table_edits.fill_down(form, at, self._suggested, self._first_levels(form))):
            self._select_rect(*rect)

    def _write(self, build: Callable[[Form], tuple[Edit, Rect] | None]) -> bool:
        """Push a paste or a fill and select what it wrote; say why if it was refused."""
        form = self._model.form()
        if form is None or self._document.read_only:
            return False
        try:
            result = build(form)
        except UserError as exc:
            self.message.emit(exc.message)
            return False
        if result is None:
            return False
        change, written = result
        if change.empty and change.note:
            self.message.emit(change.note)
        rows = range(written.top, written.top + written.rows)
        before = self._model.scores_of_rows(rows)
        if not self._push(change):
            return False
        self._select_rect(written.top, written.left, written.rows, written.columns)
        self._model.emit_block_notes(rows, range(written.left, written.left + written.columns), before)
        return True

    # ---- rows -------------------------------------------------------------------------------

    def insert_rows(self, above: bool) -> None:
        """Insert as many new indicator rows as are selected, above or below them, inheriting their 一级 / 二级."""
        form = self._model.form()
        if form is None:
            return
        change, at, count = table_edits.insert_rows(form, self._selected_rows(), above, self._first_levels(form))
        if self._push(change):
            self._select_rect(at, self._name_column(), count, 1)
            self._view.scrollTo(self._model.index(at, self._name_column()))

    def delete_rows(self) -> None:
        """Delete the selected rows (one undo step)."""
        form = self._model.form()
        rows = self._selected_rows()
        if form is None or not rows:
            return
        column = max(0, self._view.currentIndex().column())
        if self._push(table_edits.delete_rows(form, rows)) and self._model.rowCount():
            row = min(rows[0], self._model.rowCount() - 1)
            self._select_rect(row, column, 1, 1)

    def move_rows(self, step: int) -> None:
        """Move the selected block of rows up (step −1) or down (step 1), one undo step."""
        form = self._model.form()
        if form is None:
            return
        rect = self._selection_rect()
        if self._push(table_edits.move_rows(form, self._selected_rows(), step)) and rect is not None:
            top, left, height, width = rect
            self._select_rect(top + step, left, height, width)

    # ---- undo -------------------------------------------------------------------------------

    def undo(self) -> None:
        """Undo the last edit (Ctrl+Z when no window menu has it); a refused undo leaves the stack as it was."""
        refused = self._stack.undo_edit()
        if refused is not None:
            self.message.emit(f"无法撤销：{refused}")

    def redo(self) -> None:
        """Redo the edit undone last (Ctrl+Y / Ctrl+Shift+Z when no window menu has them)."""
        refused = self._stack.redo_edit()
        if refused is not None:
            self.message.emit(f"无法重做：{refused}")


def table_key_help() -> list[tuple[str, str]]:
    """(keys, what they do) of the indicator table, for 帮助 → 快捷键."""
    native = QKeySequence.SequenceFormat.NativeText
    rows = [(" / ".join(QKeySequence(k).toString(native) for k in keys), text) for _n, text, keys, _t in ROW_ACTIONS]
    return [*VIEW_KEYS, *rows]
