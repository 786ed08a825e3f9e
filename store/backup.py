"""Consistent copies of an open database (SQLite's backup API), for backups and merges."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from store.db import StoreError


@dataclass(frozen=True)
class Snapshot:
    """What a copy holds."""

    articles: int
    actions: int


class CopyFailed(StoreError):
    """The copy could not be made or fails the integrity check; the message says why."""


def snapshot(source: Any, dest: str | Path) -> Snapshot:
    """Copy the open database ``source`` (a connection, or a sqlite_utils database) into the file
    ``dest`` in one step, from one snapshot, as a self-contained file (no -wal beside it) that
    passes ``PRAGMA integrity_check``. CopyFailed otherwise (``dest`` is then the caller's to remove)."""
    conn = getattr(source, "conn", source)
    try:
        copy = sqlite3.connect(str(dest))
        try:
            # pages=-1: the whole database in one step, from one snapshot (consistent); under a
            # read lock that never blocks writers in WAL mode.
            conn.backup(copy, pages=-1)
            copy.execute("PRAGMA journal_mode = DELETE")
            check = copy.execute("PRAGMA integrity_check").fetchone()[0]
            if check != "ok":
                raise CopyFailed(f"the copy fails the integrity check ({check})")
            return Snapshot(_count(copy, "SELECT count(*) FROM articles"), _count(copy, "SELECT count(*) FROM actions"))
        finally:
            copy.close()
    except sqlite3.Error as exc:
        raise CopyFailed(f"backup failed ({exc})") from exc


def _count(conn: sqlite3.Connection, sql: str) -> int:
    try:
        return conn.execute(sql).fetchone()[0]
    except sqlite3.OperationalError:  # no such table: a blank database
        return 0
