"""Storage: SQLite via SQLAlchemy by default, PostgreSQL by URL."""

from kickcoach.storage.repo import SHARED_KINDS, PairRepo, Storage

__all__ = ["SHARED_KINDS", "PairRepo", "Storage"]
