"""Storage: the SQLite schema and store (SQLAlchemy + Alembic), locks, backups and atomic file writes."""
