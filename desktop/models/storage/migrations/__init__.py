"""Alembic migrations of the workbook file schema, run programmatically by ``desktop.models.storage.store``."""
