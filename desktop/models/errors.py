"""User-facing errors: each carries one clear Chinese message and means nothing was changed.

Anything else that escapes the domain layer is a bug. Views and the command line show these
messages as they are; they never show a traceback to the user.
"""

from __future__ import annotations


class UserError(Exception):
    """An error caused by input or environment, with a Chinese message for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InvalidInputError(UserError):
    """Imported data (JSON or a cell value) is not valid; names the path and the problem."""


class WorkbookFileError(UserError):
    """A workbook file cannot be opened or written (not a workbook, too new, locked, disk full…)."""
