"""Opening a workbook's SQLite file: its ``file:`` URI and a read-only connection.

Below both ``store`` (which opens workbooks) and ``backups`` (which copies them), so neither needs the other.
"""

from __future__ import annotations

import os
import sqlite3
import urllib.parse
from pathlib import Path

from desktop.models.storage.identity import configure_connection


def sqlite_uri(path: Path, mode: str) -> str:
    """A ``file:`` URI for SQLite with ``?mode=…`` (ro, rw, rwc).

    Windows drive paths become ``file:///C:/…`` and UNC paths (a shared folder,
    ``\\\\server\\share\\x.jxdb``) ``file:////server/share/x.jxdb``: SQLite refuses a URI authority
    other than ``localhost``, so the server goes into the path. ``?``, ``#`` and ``%`` are escaped.
    """
    text = str(path.resolve())
    if os.sep != "/":
        text = text.replace(os.sep, "/")
    if not text.startswith("/"):
        text = "/" + text
    return "file://" + urllib.parse.quote(text, safe="/:") + f"?mode={mode}"


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection to a workbook file (configured, waiting up to 2 s for a writer)."""
    conn = sqlite3.connect(sqlite_uri(path, "ro"), uri=True, isolation_level=None)
    configure_connection(conn, read_only=True)
    conn.execute("PRAGMA busy_timeout = 2000")
    return conn
