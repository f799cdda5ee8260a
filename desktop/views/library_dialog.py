"""「从指标库添加…」: browse the bundled 指标库 by category and 一级 / 二级, search, tick many, add them at once.

The indicators are appended to the current form by ``table_edits.append_indicators``, one undo step.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.models.errors import UserError
from desktop.models.library.entries import LibraryEntry
from desktop.models.library.own import full_library
from desktop.models.library.suggest import fold
from desktop.models.workbook.table_edits import append_indicators
from desktop.views.host import WindowHost
from desktop.views.own_library import own_library_for

ALL = "全部类别"
ENTRY_ROLE = Qt.ItemDataRole.UserRole


def entry_fields(entry: LibraryEntry) -> dict[str, str]:
    """The indicator fields a library entry fills in."""
    fields = {"level1": entry.level1, "level2": entry.level2, "name": entry.name, "target": entry.target}
    if entry.basis:
        fields["basis"] = entry.basis
    return fields


class LibraryDialog(QDialog):
    """The library as a tree 一级 → 二级 → indicators with check boxes; ticks survive filtering."""

    def __init__(self, entries: Sequence[LibraryEntry], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("从指标库添加")
        self.resize(860, 600)
        self._entries = list(entries)
        self._ticked: set[int] = set()
        self._items: list[QTreeWidgetItem] = []
        self.category = QComboBox()
        self.category.addItem(ALL)
        self.category.addItems(sorted({e.category for e in self._entries if e.category}))
        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索指标名称、一级 / 二级指标")
        self.search.setClearButtonEnabled(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["指标", "指标值", "类别", "来源"])
        self.tree.setColumnWidth(0, 330)
        self.tree.setColumnWidth(1, 130)
        self.tree.setColumnWidth(2, 150)
        self.count = QLabel()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("添加")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(QLabel("类别："))
        top.addWidget(self.category)
        top.addWidget(self.search, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)
        layout.addLayout(bottom)
        self.category.currentTextChanged.connect(self._refill)
        self.search.textChanged.connect(self._refill)
        self.tree.itemChanged.connect(self._on_item_changed)
        self._refill()

    def shown_entries(self) -> list[int]:
        """Positions of the entries the filter shows now."""
        category = self.category.currentText()
        query = fold(self.search.text())
        return [
            n
            for n, e in enumerate(self._entries)
            if (category == ALL or e.category == category)
            and (not query or query in fold(f"{e.name}\n{e.level1}\n{e.level2}\n{e.category}"))
        ]

    def items(self) -> list[QTreeWidgetItem]:
        """The indicator lines shown (leaves of the tree)."""
        return list(self._items)

    def chosen(self) -> list[LibraryEntry]:
        """The ticked entries, in library order."""
        return [self._entries[n] for n in sorted(self._ticked)]

    def _refill(self, *_: object) -> None:
        self.tree.blockSignals(True)
        self.tree.clear()
        self._items = []
        groups: dict[tuple[str, str], QTreeWidgetItem] = {}
        tops: dict[str, QTreeWidgetItem] = {}
        for n in self.shown_entries():
            entry = self._entries[n]
            top = tops.get(entry.level1)
            if top is None:
                top = tops[entry.level1] = QTreeWidgetItem(self.tree, [entry.level1 or "（未分级）"])
            group = groups.get((entry.level1, entry.level2))
            if group is None:
                group = groups[(entry.level1, entry.level2)] = QTreeWidgetItem(top, [entry.level2 or "（未分级）"])
            item = QTreeWidgetItem(group, [entry.name, entry.target, entry.category, entry.source])
            item.setData(0, ENTRY_ROLE, n)
            self._items.append(item)
            item.setToolTip(3, entry.source)
            if entry.note:  # the target as a real unit published it: a hint for the value to fill in
                item.setToolTip(0, f"{entry.name}\n{entry.note}")
                item.setToolTip(1, entry.note)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Checked if n in self._ticked else Qt.CheckState.Unchecked)
        self.tree.expandAll()
        self.tree.blockSignals(False)
        self._show_count()

    def _on_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        n = item.data(0, ENTRY_ROLE)
        if column != 0 or n is None:
            return
        if item.checkState(0) == Qt.CheckState.Checked:
            self._ticked.add(int(n))
        else:
            self._ticked.discard(int(n))
        self._show_count()

    def _show_count(self) -> None:
        self.count.setText(f"显示 {len(self.shown_entries())} 个指标，已勾选 {len(self._ticked)} 个")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self._ticked))


def add_from_library(window: WindowHost, dialog: LibraryDialog | None = None) -> bool:
    """The 表格 menu's 「从指标库添加…」: pick indicators and append them to the current form (one undo step)."""
    session = window.session
    form = window.current_form()
    if session is None or form is None:
        window.show_message("请先在左侧选中一张表")
        return False
    if session.document.read_only:
        return False
    parent = window if isinstance(window, QWidget) else None
    dialog = dialog or LibraryDialog(full_library(own_library_for(window.data_dir)), parent)
    if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.chosen():
        return False
    try:
        change = append_indicators(form, [entry_fields(e) for e in dialog.chosen()])
    except UserError as exc:
        window.show_error(exc.message)
        return False
    refused = session.undo_stack.push_edit(change)
    if refused is not None:
        window.show_error(refused)
        return False
    window.show_message(f"已从指标库添加 {len(dialog.chosen())} 个指标，请填写指标值")
    return True
