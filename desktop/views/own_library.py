"""Where the user's own indicator library lives: the local app-data folder (beside backups and the error log)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths

from desktop.models.library.own import own_library_path


def own_library_file() -> Path:
    """The user's ``indicator-library.json`` (the folder is created when the file is first saved)."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppLocalDataLocation)
    return own_library_path(folder)


def own_library_for(data_dir: str | None) -> Path:
    """The user's library in a window's local app-data folder (the standard one when the window has none)."""
    return own_library_path(data_dir) if data_dir else own_library_file()
