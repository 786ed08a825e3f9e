"""SQLite persistence for glossator. Imports nothing else of ours."""

from store.db import ReadOnlyDatabase, SchemaTooNew, StoreError, open_db
from store.repo import Store

__all__ = ["ReadOnlyDatabase", "SchemaTooNew", "Store", "StoreError", "open_db"]
