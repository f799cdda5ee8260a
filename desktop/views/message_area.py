"""The message area near the table: one message at a time, in a readable size, coloured by severity.

A refused edit is an error, a value accepted with a doubt a warning, a remark (a manual score kept) an
info. The session clears the area after the next successful edit, so nothing stale stays in view.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

# severity → (background, border, text colour, mark)
STYLES: dict[str, tuple[str, str, str, str]] = {
    "error": ("#FDECEA", "#D93025", "#8C1D18", "✖"),
    "warning": ("#FFF4E0", "#E8A100", "#6B4700", "⚠"),
    "info": ("#E8F0FE", "#4A7FD4", "#174EA6", "ℹ"),
}


class MessageArea(QFrame):
    """Shows one message (``show_note``) until ``clear`` or the user closes it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageArea")
        self._severity = ""
        self._label = QLabel()
        self._label.setObjectName("messageText")
        self._label.setWordWrap(True)
        self._label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = QFont(self._label.font())
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self._label.setFont(font)
        close = QToolButton()
        close.setText("×")
        close.setToolTip("关闭此消息")
        close.setAutoRaise(True)
        close.clicked.connect(self.clear)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self._label, 1)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_note(self, severity: str, text: str) -> None:
        """Show ``text`` (several lines allowed) with the colours of ``severity`` (error / warning / info)."""
        if not text:
            return
        background, border, colour, mark = STYLES.get(severity, STYLES["info"])
        self._severity = severity
        self.setStyleSheet(
            f"QFrame#messageArea {{ background: {background}; border: 1px solid {border}; border-radius: 4px; }}"
            f"QLabel#messageText {{ color: {colour}; }}"
        )
        lines = [line for line in text.splitlines() if line.strip()]
        self._label.setText("\n".join(f"{mark} {line}" for line in lines))
        self.show()

    def add_notes(self, notes: list[tuple[str, str]]) -> None:
        """Show several (severity, text) at once: the gravest severity colours them all."""
        if not notes:
            return
        order = ("error", "warning", "info")
        severity = min((s for s, _ in notes), key=lambda s: order.index(s) if s in order else len(order))
        self.show_note(severity, "\n".join(text for _, text in notes))

    def clear(self) -> None:
        """Remove the message."""
        self._severity = ""
        self._label.setText("")
        self.hide()

    def text(self) -> str:
        """The message shown (marks included), or empty."""
        return self._label.text() if self.isVisible() or self._severity else ""

    def severity(self) -> str:
        """The severity shown, or empty."""
        return self._severity
