"""SQLite persistence for glossator. Imports nothing else of ours."""

from store.db import NotFound, ReadOnlyDatabase, SchemaTooNew, StoreError, open_db
from store.repo import Store

__all__ = ["NotFound", "ReadOnlyDatabase", "SchemaTooNew", "Store", "StoreError", "open_db"]
