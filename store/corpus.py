"""Set-at-a-time reads and writes for ingesting articles in batches.

An ingest of a million articles cannot hold them, nor their ids or near-duplicate keys, in
memory: every check goes through an index, one batch at a time, inside a short write
transaction the caller opens with ``db.atomic()``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Any

import sqlite_utils

from store.convert import article_to_row
from store.models import Article

_CHUNK = 500  # below SQLite's limit on ? parameters (999 on older builds)
_COLUMNS = ("id", "source", "title", "date", "text", "meta", "regions", "flags", "status",
            "created_at", "updated_at", "near_key")


def _chunks(values: Sequence[Any]) -> list[Sequence[Any]]:
    return [values[i:i + _CHUNK] for i in range(0, len(values), _CHUNK)]


def existing_ids(db: sqlite_utils.Database, ids: Sequence[str]) -> set[str]:
    """Which of these article ids are stored (primary-key look-ups)."""
    found: set[str] = set()
    for part in _chunks(list(dict.fromkeys(ids))):
        sql = f"SELECT id FROM articles WHERE id IN ({','.join('?' * len(part))})"
        found.update(r[0] for r in db.execute(sql, list(part)))
    return found


def near_key_owners(db: sqlite_utils.Database, keys: Sequence[str]) -> dict[str, str]:
    """near-duplicate key hash → id of the first article (in ingest order) that has it."""
    owners: dict[str, str] = {}
    for part in _chunks(list(dict.fromkeys(keys))):
        sql = (f"SELECT near_key, id FROM articles WHERE near_key IN ({','.join('?' * len(part))}) "
               "ORDER BY rowid DESC")
        for key, article_id in db.execute(sql, list(part)):
            owners[key] = article_id  # descending: the earliest article is written last
    return owners


def insert_articles(db: sqlite_utils.Database, articles: Sequence[tuple[Article, str]]) -> None:
    """Insert (article, near-duplicate key hash) pairs with one ``executemany``."""
    sql = (f"INSERT INTO articles ({', '.join(f'[{c}]' for c in _COLUMNS)}) "
           f"VALUES ({', '.join('?' * len(_COLUMNS))})")
    rows = []
    for article, near_key in articles:
        row = article_to_row(article)
        row["near_key"] = near_key
        rows.append([row[c] for c in _COLUMNS])
    db.conn.executemany(sql, rows)


def missing_near_keys(db: sqlite_utils.Database, limit: int) -> list[tuple[int, str]]:
    """(rowid, text) of up to ``limit`` articles without a near-duplicate key (written by an
    import, a merge, or before migration m010)."""
    return [tuple(r) for r in db.execute(
        "SELECT rowid, text FROM articles WHERE near_key IS NULL ORDER BY rowid LIMIT ?", [limit])]


def set_near_keys(db: sqlite_utils.Database, keys: Sequence[tuple[int, str]]) -> None:
    """Store (rowid, near-duplicate key hash) pairs."""
    db.conn.executemany("UPDATE articles SET near_key = ? WHERE rowid = ?", [(k, r) for r, k in keys])


def checkpoint(db: sqlite_utils.Database) -> None:
    """Copy the WAL into the database without blocking anyone (PASSIVE), between batches, so a
    reviewer's next small commit does not pay for copying everything the ingest wrote."""
    db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()


# Written out, not interpolated: PRAGMA takes no ? parameters (tests/reliability/test_rel_injection.py).
_LARGE_CACHE = "PRAGMA cache_size = -65536"  # KiB: 64 MiB


@contextlib.contextmanager
def large_cache(db: sqlite_utils.Database) -> Iterator[None]:
    """A 64 MiB page cache for the block (an ingest: the FTS index and the id and near-key indexes
    it updates stay in memory instead of being read again batch after batch), then the previous size."""
    before = int(db.execute("PRAGMA cache_size").fetchone()[0])
    db.execute(_LARGE_CACHE)
    try:
        yield
    finally:
        db.execute(f"PRAGMA cache_size = {before:d}")  # an int read back from SQLite, formatted as one
