"""Opening the SQLite file: pragmas, migrations, and the errors a user can meet."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from store.migrations import MIGRATIONS

BUSY_TIMEOUT_MS = 10_000


class StoreError(Exception):
    """A storage problem worth a clear message (never a traceback)."""


class SchemaTooNew(StoreError):
    """The database was written by a newer glossator than this one."""


def open_db(path: str | Path, *, readonly: bool = False) -> sqlite_utils.Database:
    """Open (creating if needed) a glossator database and bring its schema up to date.

    WAL journal so readers never block the writer, foreign keys on, and a busy
    timeout so two processes (two annotators, or the app and a CLI import) can
    share the file without "database is locked" errors.
    """
    path = Path(path)
    if readonly:
        if not path.exists():
            raise StoreError(f"{path}: no such database")
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    else:
        if path.parent and not path.parent.exists():
            raise StoreError(f"{path}: folder {path.parent} does not exist")
        try:
            conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
        except sqlite3.Error as exc:
            raise StoreError(f"{path}: cannot open database ({exc})") from exc
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        _check_is_sqlite(conn, path)
        db = sqlite_utils.Database(conn)
        if not readonly:
            # Switching to WAL needs a write lock; an existing WAL database answers at once.
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
        _check_not_newer(db, path)
        if not readonly:
            MIGRATIONS.apply(db)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(f"{path}: {explain(exc)}") from exc
    except StoreError:
        conn.close()
        raise
    return db


def _check_is_sqlite(conn: sqlite3.Connection, path: Path) -> None:
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: not a glossator database ({exc})") from exc


def _check_not_newer(db: sqlite_utils.Database, path: Path) -> None:
    known = {m.name for m in MIGRATIONS._migrations}  # noqa: SLF001 - no public accessor
    applied = {m.name for m in MIGRATIONS.applied(db)}
    unknown = sorted(applied - known)
    if unknown:
        raise SchemaTooNew(
            f"{path}: this database was written by a newer glossator "
            f"(unknown schema migrations: {', '.join(unknown)}); upgrade glossator to open it"
        )


def explain(exc: sqlite3.Error) -> str:
    text = str(exc)
    if "disk" in text and "full" in text:
        return "the disk is full; nothing was written by the last action"
    if "readonly" in text or "read-only" in text:
        return "the database is read-only; changes cannot be saved"
    if "locked" in text:
        return "the database is busy in another process; try again"
    return text
