"""Alembic revision scripts (one per schema version; each sets ``PRAGMA user_version``)."""
