"""Storage: SQLite via SQLAlchemy by default, PostgreSQL by URL."""

from kickcoach.storage.repo import PairRepo, Storage

__all__ = ["PairRepo", "Storage"]
