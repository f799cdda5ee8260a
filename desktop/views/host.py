"""What the main window offers the helpers that do its menus' work (``Transfers``, ``WorkbookFiles``).

A ``Protocol``, so that the helpers need not import the window that imports them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QStatusBar

from desktop.models.workbook.document import WorkbookDocument
from desktop.models.workbook.domain import Form
from desktop.views.dialogs import Prompter
from desktop.views.session import Session

_T = TypeVar("_T")


class WindowHost(Protocol):
    """The main window as its menu helpers see it."""

    session: Session | None
    settings: QSettings
    prompter: Prompter
    documents_dir: str
    data_dir: str | None

    def show_message(self, text: str) -> None:
        """A transient message in the status bar."""
        ...

    def show_error(self, text: str) -> None:
        """An error message box (and the status bar)."""
        ...

    def attempt(self, work: Callable[[], _T]) -> _T | None:
        """Run ``work``; a UserError or OSError becomes a message box and None."""
        ...

    def guard(self, work: Callable[[], object]) -> bool:
        """Run ``work``; whether it succeeded."""
        ...

    def suggest_path(self, name: str) -> str:
        """Where a new file of this name is suggested."""
        ...

    def select_form(self, form: Form | None) -> None:
        """Select a form in the tree."""
        ...

    def current_form(self) -> Form | None:
        """The form shown."""
        ...

    def set_document(self, document: WorkbookDocument) -> None:
        """Show an open workbook (closing the one shown before)."""
        ...

    def show_recent(self, recent: list[str]) -> None:
        """The recent files changed: show the new list."""
        ...

    def statusBar(self) -> QStatusBar:
        """The window's status bar."""
        ...
