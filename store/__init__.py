"""SQLite persistence for glossator. Imports nothing else of ours."""

from store.db import SchemaTooNew, StoreError, open_db
from store.repo import Store

__all__ = ["SchemaTooNew", "Store", "StoreError", "open_db"]
