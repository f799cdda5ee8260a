"""The tree view on the left and what its context menu does (new/duplicate/delete forms, add and move rows).

Every change goes through an undo command (``desktop/views/commands.py``); the tree then updates
itself from the document's change notices, like every other view.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTreeView, QWidget

from desktop.models.errors import UserError
from desktop.models.scoring.rules import RuleSet
from desktop.models.workbook import edits
from desktop.models.workbook.document import WorkbookDocument
from desktop.models.workbook.domain import Form, FormKind, Goal, Indicator
from desktop.models.workbook.edits import Edit, move_target
from desktop.models.workbook.forms import blank_form, duplicate_form
from desktop.models.workbook.outline import NodeKind, OutlineNode
from desktop.views.commands import EditStack
from desktop.views.tree_model import TreeModel

Confirm = Callable[[str, str], bool]


# The tree's own keys: (what, key). Listed in 帮助 → 快捷键 from here.
TREE_KEYS: tuple[tuple[str, str], ...] = (
    ("删除", "Del"),
    ("上移", "Ctrl+Up"),
    ("下移", "Ctrl+Down"),
    ("在此添加指标", "Ctrl+Return"),
)


class WorkbookTree(QTreeView):
    """The workbook outline with its context menu.

    Signals:
        message(str): a Chinese message for the status bar (a refused edit).
    """

    message = Signal(str)

    def __init__(
        self,
        document: WorkbookDocument,
        undo_stack: EditStack,
        model: TreeModel,
        confirm: Confirm,
        ruleset: RuleSet | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ruleset = ruleset
        self.document = document
        self.undo_stack = undo_stack
        self.confirm = confirm
        self.tree_model = model
        self.setModel(model)
        self.setObjectName("workbookTree")
        self.setUniformRowHeights(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._show_menu)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # a fixed-width score column: ResizeToContents would re-measure every row on each edit
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setMinimumSectionSize(40)
        header.resizeSection(1, self.fontMetrics().horizontalAdvance("100.00/100") + 16)
        slots: dict[str, Callable[[], object]] = {
            "删除": self.delete_current,
            "上移": lambda: self.move_current(-1),
            "下移": lambda: self.move_current(1),
            "在此添加指标": self.add_indicator_here,
        }
        for text, key in TREE_KEYS:
            self._add_shortcut(text, QKeySequence(key), slots[text])
        self.expand_default()

    def _add_shortcut(self, text: str, keys: QKeySequence, slot: Callable[[], object]) -> None:
        action = QAction(text, self)
        action.setShortcut(keys)
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.triggered.connect(slot)
        self.addAction(action)

    # ---- navigation -------------------------------------------------------------------------

    def expand_default(self) -> None:
        """Expand the workbook and every form down to the first levels."""
        root = self.tree_model.index(0, 0)
        self.expand(root)
        for row in range(self.tree_model.rowCount(root)):
            self.expand(self.tree_model.index(row, 0, root))

    def current_node(self) -> OutlineNode | None:
        """The node of the current row (None when nothing is current)."""
        index = self.currentIndex()
        return self.tree_model.node(index) if index.isValid() else None

    def select_object(self, obj: object) -> bool:
        """Make a form, goal or indicator's node current and visible."""
        index = self.tree_model.index_for_object(obj)
        if not index.isValid():
            return False
        self.select_index_quietly(index)
        return True

    def follow_object(self, obj: object) -> bool:
        """Make an object's node current without unfolding the tree (the table's Enter / Tab after an edit):
        if a branch above it is folded, the outermost folded node becomes current instead."""
        index = self.tree_model.index_for_object(obj)
        if not index.isValid():
            return False
        shown, parent = index, index.parent()
        while parent.isValid():
            if not self.isExpanded(parent):
                shown = parent
            parent = parent.parent()
        self._select(shown)
        self._reveal_current()
        return True

    def select_node(self, node: OutlineNode) -> None:
        """Make a node current and visible."""
        self.select_index_quietly(self.tree_model.index_for(node))

    def select_index_quietly(self, index: object) -> None:
        """Set the current row and scroll to it: to the middle when it was out of view.

        Centring (not scrolling just far enough) lets the tree follow the table's current row down a
        column without scrolling, and repainting all of itself, at every row.
        """
        if not isinstance(index, QModelIndex) or not index.isValid():
            return
        parent = index.parent()
        while parent.isValid():
            self.expand(parent)
            parent = parent.parent()
        self._select(index)
        self._reveal_current()

    def _select(self, index: QModelIndex) -> None:
        flags = QItemSelectionModel.SelectionFlag
        auto = self.hasAutoScroll()
        self.setAutoScroll(False)  # the view would scroll to a new current row itself (just far enough)
        try:
            self.selectionModel().setCurrentIndex(index, flags.ClearAndSelect | flags.Rows)
        finally:
            self.setAutoScroll(auto)

    def _shows(self, index: QModelIndex) -> bool:
        rect = self.visualRect(index)
        return rect.isValid() and self.viewport().rect().contains(rect)

    def _reveal_current(self) -> None:
        index = self.currentIndex()
        if index.isValid() and not self._shows(index):
            self.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)

    # ---- operations -------------------------------------------------------------------------

    def _push(self, change: Edit) -> bool:
        error = self.undo_stack.push_edit(change)
        if error:
            self.message.emit(error)
            return False
        return True

    def new_form(self, kind: FormKind) -> Form | None:
        """Insert a blank form of a kind after the current form (at the end when none)."""
        node = self.current_node()
        form = blank_form(kind, ruleset=self.ruleset)
        after = node.form if node is not None else None
        return form if self.insert_form_after(after, form, f"新建{kind.label}") else None

    def insert_form_after(self, source: Form | None, form: Form, text: str) -> bool:
        """Insert a prepared form right after another one (at the end when None) and select it."""
        return self.add_form(edits.add_forms(self.document, [form], text, after=source), form)

    def add_form(self, change: Edit, form: Form) -> bool:
        """Push an edit that adds ``form``, then select it."""
        if not self._push(change):
            return False
        self.select_object(form)
        self.expand(self.currentIndex())
        return True

    def duplicate_current(self) -> Form | None:
        """Insert a copy of the current form after it."""
        node = self.current_node()
        if node is None or node.form is None:
            self.message.emit("请先在左侧选中要复制的表")
            return None
        clone = duplicate_form(node.form)
        return clone if self.insert_form_after(node.form, clone, "复制表") else None

    def add_indicator_here(self) -> Indicator | None:
        """Add an empty indicator at the current node (taking its goal and levels)."""
        node = self.current_node()
        if node is None:
            self.message.emit("请先在左侧选中一张表或一个指标层级")
            return None
        try:
            change, indicator = edits.add_indicator_at(node)
        except UserError as exc:
            self.message.emit(exc.message)
            return None
        if not self._push(change):
            return None
        self.select_object(indicator)
        return indicator

    def move_current(self, step: int) -> bool:
        """Move the current form, goal or indicator up (−1) or down (+1)."""
        node = self.current_node()
        change = edits.move_node(node, step) if node is not None else None
        if node is None or change is None or change.empty:
            return False
        obj = node.obj
        if not self._push(change):
            return False
        if obj is not None:
            self.select_object(obj)
        return True

    def delete_current(self) -> bool:
        """Delete the current form, goal, level (its indicators) or indicator, after asking."""
        node = self.current_node()
        if node is None or node.form is None:
            return False
        try:
            deletion = edits.delete_node(self.document, node)
        except UserError as exc:
            self.message.emit(exc.message)
            return False
        if not self.confirm("删除", deletion.question):
            return False
        return self._push(deletion.edit)

    # ---- context menu -----------------------------------------------------------------------

    def build_menu(self, node: OutlineNode | None) -> QMenu:
        """The context menu for a node (None: the empty area)."""
        menu = QMenu(self)
        new_menu = menu.addMenu("新建表")
        for kind in FormKind:
            action = new_menu.addAction(kind.label)
            action.triggered.connect(lambda _=False, k=kind: self.new_form(k))
        if node is not None and node.kind is NodeKind.FORM:
            menu.addAction("复制表", self.duplicate_current)
        if node is not None and node.form is not None:
            menu.addSeparator()
            menu.addAction("在此添加指标", self.add_indicator_here)
            up = menu.addAction("上移", lambda: self.move_current(-1))
            up.setEnabled(move_target(node, -1) is not None)
            down = menu.addAction("下移", lambda: self.move_current(1))
            down.setEnabled(move_target(node, 1) is not None)
            menu.addSeparator()
            delete = menu.addAction("删除…", self.delete_current)
            delete.setEnabled(node.kind is NodeKind.FORM or bool(node.indicators()) or isinstance(node.obj, Goal))
        return menu

    def _show_menu(self, pos: QPoint) -> None:
        index = self.indexAt(pos)
        if index.isValid():
            self.setCurrentIndex(index)
        node = self.tree_model.node(index) if index.isValid() else None
        self.build_menu(node).exec(self.viewport().mapToGlobal(pos))
