"""The list of 指标库 suggestions shown under the 三级指标 editor while the user types (issue 20).

The list never takes the keyboard focus: the editor keeps it, and the delegate forwards Up / Down /
Enter / Esc to the list while it shows. A click on a line chooses it too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from desktop.models.library.suggest import HISTORY, Suggestion

Suggester = Callable[[str], Sequence[Suggestion]]


def suggestion_label(suggestion: Suggestion) -> str:
    """One line of the list: name, typical target, levels, and the hint (history's actual or the category)."""
    levels = "/".join(part for part in (suggestion.level1, suggestion.level2) if part)
    target = f"  {suggestion.target}" if suggestion.target else ""
    return f"{suggestion.name}{target}    〔{levels}〕  {suggestion.hint}"


class SuggestionPopup(QListWidget):
    """Suggestions for the text of one editor, placed just below it inside its window.

    Signals:
        chosen: the Suggestion the user picked (click, or Enter through ``choose_current``).
    """

    chosen = Signal(object)

    def __init__(self, editor: QWidget, suggester: Suggester) -> None:
        super().__init__(editor.window())
        self._editor = editor
        self._suggester = suggester
        self._suggestions: list[Suggestion] = []
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setObjectName("suggestionPopup")
        self.setUniformItemSizes(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.itemClicked.connect(lambda item: self._choose(self.row(item)))
        self.hide()

    def suggestions(self) -> list[Suggestion]:
        """What the list offers now (history first)."""
        return list(self._suggestions)

    def update_for(self, text: str) -> None:
        """Show the matches of ``text`` (hide when there are none)."""
        self._suggestions = list(self._suggester(text)) if text.strip() else []
        self.clear()
        for suggestion in self._suggestions:
            item = QListWidgetItem(suggestion_label(suggestion))
            item.setToolTip(suggestion.source or suggestion.hint)
            if suggestion.origin == HISTORY:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.addItem(item)
        if not self._suggestions:
            self.hide()
            return
        self.setCurrentRow(0)
        window = self.parentWidget()
        assert window is not None
        at = self._editor.mapTo(window, QPoint(0, self._editor.height()))
        rows = min(len(self._suggestions), 10)
        chrome = 2 * self.frameWidth() + self.verticalScrollBar().sizeHint().width() + 8
        width = min(max(self._editor.width(), self.sizeHintForColumn(0) + chrome), window.width())
        height = self.sizeHintForRow(0) * rows + 2 * self.frameWidth() + 2
        if at.y() + height > window.height():  # no room below: show it above the editor
            at = self._editor.mapTo(window, QPoint(0, 0)) - QPoint(0, height)
        at.setX(max(0, min(at.x(), window.width() - width)))
        self.setGeometry(at.x(), max(0, at.y()), width, height)
        self.show()
        self.raise_()

    def step(self, by: int) -> None:
        """Move the current line (Up / Down in the editor)."""
        if self.count():
            self.setCurrentRow(max(0, min(self.count() - 1, self.currentRow() + by)))

    def choose_current(self) -> bool:
        """Enter in the editor: pick the current line; False when there is none."""
        if not self.isVisible() or self.currentRow() < 0:
            return False
        self._choose(self.currentRow())
        return True

    def _choose(self, row: int) -> None:
        if 0 <= row < len(self._suggestions):
            self.hide()
            self.chosen.emit(self._suggestions[row])
