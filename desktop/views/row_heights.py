"""Row heights of the indicator table: exact for the rows in view, estimated for the others.

An exact fit asks the delegate for the size of every cell of the row (``sizeHintForRow``); doing that for
every row of a 600-row form on each open cost ~5,400 size hints and most of the open. Instead, when the
column widths or the font change, every row gets an estimate from the length of its texts (cheap), and
the rows in view are fitted exactly before the next paint — and so is every row that scrolls into view,
and every row whose text changed. So no text shown is ever cut off; only the scroll bar's length rests
partly on estimates. While rows scrolling into view change height, the current row (or the first row in
view) is kept where it was on screen, so that the table does not jump under the user's eyes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import shiboken6
from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer
from PySide6.QtWidgets import QTableView

from desktop.views.indicator_model import IndicatorModel

ModelIndex = QModelIndex | QPersistentModelIndex
MAX_FIT_ROUNDS = 8  # rows that shrink let more rows into view; this many rounds settle any screen


class RowHeights(QObject):
    """Keeps the heights of ``view``'s rows (showing ``model``) fitted where it matters, lazily."""

    def __init__(self, view: QTableView, model: IndicatorModel, max_lines: int) -> None:
        super().__init__(view)
        self._view = view
        self._model = model
        self._max_lines = max_lines
        self._fitted: set[int] = set()  # rows fitted exactly since the widths / font / rows last changed
        self._changed: set[int] = set()  # rows whose text changed: fitted again
        self._due = False
        self._key: tuple[tuple[int, ...], str] | None = None
        view.verticalScrollBar().valueChanged.connect(self.fit_soon)
        for signal in (model.rowsInserted, model.rowsRemoved, model.rowsMoved, model.layoutChanged):
            signal.connect(self._rows_moved)

    def reset(self) -> None:
        """New rows (another form): estimate and fit them whatever the widths."""
        self._key = None
        self._fitted.clear()
        self._changed.clear()

    def widths_changed(self) -> None:
        """The column widths, the font or the viewport may have changed: estimate again if they did."""
        view = self._view
        header = view.horizontalHeader()
        key = (tuple(header.sectionSize(i) for i in range(header.count())), view.font().key())
        if key != self._key:
            self._key = key
            self._fitted.clear()
            self._estimate()
        self.fit_soon()

    def row_changed(self, first: int, last: int) -> None:
        """These rows' texts changed: fit them again (before the next paint, once however often told)."""
        self._changed.update(range(first, last + 1))
        self.fit_soon()

    def cell_changed(self, index: ModelIndex, before: str | None) -> None:
        """One cell's text changed from ``before`` (None: not known): fit its row again, unless the old and
        the new text are each surely one line, so that the cell, and so the row, keeps its height (the
        common case of a short value typed over another: no 9 size hints of the row on the key's path)."""
        row = index.row()
        if (
            before is None
            or row not in self._fitted
            or row in self._changed
            or self._view.rowSpan(row, index.column()) > 1
            or not self._one_line(before, index.column())
            or not self._one_line(index.data(Qt.ItemDataRole.DisplayRole), index.column())
        ):
            self.row_changed(row, row)

    def _one_line(self, text: object, column: int) -> bool:
        """Whether a text surely fits a cell of the column on one line (bold and the cell's margins allowed)."""
        if not isinstance(text, str) or not text or "\n" in text:
            return False
        return self._view.fontMetrics().horizontalAdvance(text) * 1.2 + 24 <= self._view.columnWidth(column)

    def _rows_moved(self, *_: object) -> None:
        self._fitted.clear()  # row numbers moved: what was fitted is not known by number any more
        self.fit_soon()

    def fit_soon(self, *_: object) -> None:
        """Fit the rows in view once control returns to the event loop (before the paint)."""
        if not self._due:
            self._due = True
            QTimer.singleShot(0, self, self.fit_now)

    def fit_now(self) -> None:
        """Fit exactly the rows whose text changed and every row in view not fitted yet."""
        self._due = False
        view, count = self._view, self._model.rowCount()
        if not shiboken6.isValid(view) or not count:
            return
        for row in sorted(r for r in self._changed if r < count):
            view.resizeRowToContents(row)
            self._fitted.add(row)
        self._changed.clear()
        anchor = self._anchor(count)
        before = view.rowViewportPosition(anchor) if anchor is not None else 0
        for _ in range(MAX_FIT_ROUNDS):
            todo = [row for row in self._rows_in_view(count) if row not in self._fitted]
            if not todo:
                break
            for row in todo:
                view.resizeRowToContents(row)
                self._fitted.add(row)
        if anchor is not None:
            moved = view.rowViewportPosition(anchor) - before
            if moved:
                bar = view.verticalScrollBar()
                bar.setValue(bar.value() + moved)

    def _rows_in_view(self, count: int) -> range:
        view = self._view
        top = view.rowAt(0)
        bottom = view.rowAt(max(0, view.viewport().height() - 1))
        return range(max(0, top), (bottom if bottom >= 0 else count - 1) + 1)

    def _anchor(self, count: int) -> int | None:
        """The row kept in place on screen: the current one if in view, else the first (partly) in view."""
        view = self._view
        current = view.currentIndex().row()
        shown = self._rows_in_view(count)
        if current in shown and view.rowViewportPosition(current) >= 0:
            return current
        first = view.rowAt(0)
        if first < 0:
            return None
        return first + 1 if view.rowViewportPosition(first) < 0 and first + 1 < count else first

    def _estimate(self) -> None:
        """Every row's height from its texts' length against its columns' widths (wide characters)."""
        view, model = self._view, self._model
        metrics = view.fontMetrics()
        char = max(1, metrics.horizontalAdvance("中"))
        line = metrics.lineSpacing()
        single = max(view.verticalHeader().minimumSectionSize(), metrics.height() + 8)
        header = view.horizontalHeader()
        columns: Sequence[tuple[str, int]] = [
            (column.key, max(char, header.sectionSize(i) - 10)) for i, column in enumerate(model.columns())
        ]
        vertical = view.verticalHeader()
        for row in range(model.rowCount()):
            indicator = model.indicator(row)
            lines = 1
            for key, width in columns:
                text = getattr(indicator, key, None)
                if isinstance(text, str) and (len(text) * char > width or "\n" in text):
                    parts = text.split("\n")
                    lines = max(lines, sum(max(1, math.ceil(len(part) * char / width)) for part in parts))
            height = single + (min(lines, self._max_lines) - 1) * line
            if vertical.sectionSize(row) != height:
                vertical.resizeSection(row, height)
