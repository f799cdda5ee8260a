"""Alembic environment: migrate the SQLite connection handed over in ``config.attributes``.

There is no ``alembic.ini`` and no offline (SQL script) mode: ``desktop.models.storage.store`` builds the
``Config`` itself and passes an open connection, so this works the same in a PyInstaller build.
"""

from __future__ import annotations

from alembic import context

from desktop.models.storage.schema import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reachable by running the alembic command line
    raise RuntimeError("workbook migrations run through desktop.models.storage.store, with a connection")

context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
