"""Opening the SQLite file: pragmas, migrations, and the errors a user can meet."""

from __future__ import annotations

import contextlib
import functools
import os
import sqlite3
import stat
import time
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import sqlite_utils

from store.migrations import MIGRATIONS

BUSY_TIMEOUT_MS = 10_000
# PRAGMA application_id of a glossator database ("glos" in ASCII), written when it is created or
# first opened by a version that knows it. A file with another id, or SQLite tables of another
# application, is refused before anything (the journal mode included) is written to it.
APPLICATION_ID = 0x676C6F73
# Written out, not interpolated: PRAGMA takes no ? parameters (tests/reliability/test_rel_injection.py).
_SET_BUSY_TIMEOUT = "PRAGMA busy_timeout = 10000"
_MARK_OURS = "PRAGMA application_id = 1735159667"
assert _SET_BUSY_TIMEOUT.endswith(str(BUSY_TIMEOUT_MS)) and _MARK_OURS.endswith(str(APPLICATION_ID))


class StoreError(Exception):
    """A storage problem worth a clear message (never a traceback)."""


class SchemaTooNew(StoreError):
    """The database was written by a newer glossator than this one."""


class ReadOnlyDatabase(StoreError):
    """The file cannot be written: it can still be opened read-only."""


class NotFound(KeyError):
    """A lookup by id found no row (like sqlite-utils' ``NotFoundError``). A KeyError, so callers
    that catch KeyError keep working; not a StoreError: nothing failed to be saved, the row is gone."""

    def __init__(self, table: str, key: object, message: str | None = None) -> None:
        super().__init__(message or f"no {table} {key!r}")
        self.table, self.key = table, key

    def __str__(self) -> str:
        return str(self.args[0])


class Database(sqlite_utils.Database):
    """A sqlite_utils database whose outermost transactions start with BEGIN IMMEDIATE.

    sqlite_utils opens them with a plain (deferred) BEGIN: the transaction starts as a
    reader and upgrades to a writer at its first write. In WAL mode that upgrade fails
    at once with SQLITE_BUSY (busy timeout or not) when another process committed since
    the transaction's first read, which is exactly what two annotators on one file do.
    Taking the write lock at BEGIN makes a contended writer wait (up to the busy
    timeout) instead. Nested blocks still use savepoints.
    """

    @contextlib.contextmanager
    def atomic(self) -> Iterator[Database]:
        if self.conn.in_transaction:
            with super().atomic():
                yield self
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.rollback()
            raise
        try:
            self.conn.execute("COMMIT")
        except BaseException:
            self.rollback()
            raise


def open_db(path: str | Path, *, readonly: bool = False) -> sqlite_utils.Database:
    """Open (creating if needed) a glossator database and bring its schema up to date.

    WAL journal so readers never block the writer, foreign keys on, and a busy
    timeout so two processes (two annotators, or the app and a CLI import) can
    share the file without "database is locked" errors.
    """
    path = Path(path)
    _check_is_file(path)
    if readonly:
        if not path.exists():
            raise StoreError(f"{path}: no such database")
        conn = _connect_readonly(path)
    else:
        if path.parent and not path.parent.exists():
            raise StoreError(f"{path}: folder {path.parent} does not exist")
        if path.exists() and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
            # SQLite would open it anyway and fail at the first write (or, in WAL mode, at
            # the first read: it cannot create the -shm file): say what is wrong up front.
            raise ReadOnlyDatabase(f"{path}: the database is read-only (no write permission on the file or its "
                             "folder); changes cannot be saved. Commands that only read (export, backup) still work")
        try:
            conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
        except sqlite3.Error as exc:
            raise StoreError(f"{path}: cannot open database ({exc})") from exc
    try:
        conn.execute(_SET_BUSY_TIMEOUT)
        conn.execute("PRAGMA foreign_keys = ON")
        _check_is_sqlite(conn, path)
        # Refuse another application's file, then a newer database, before changing anything in
        # it (journal mode included).
        marked = _check_is_ours(conn, path)
        db = sqlite_utils.Database(conn) if readonly else Database(conn)
        _check_not_newer(db, path)
        if not readonly:
            # Switching to WAL needs a write lock; an existing WAL database answers at once.
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            if MIGRATIONS.pending(db) or not marked:
                # Under the write lock, so two processes opening a new file do not both
                # run the same migration ("table articles already exists"). Foreign keys off
                # (it cannot change inside a transaction): a migration rebuilding a table drops
                # one that others reference; they are all checked before the commit instead.
                conn.execute("PRAGMA foreign_keys = OFF")
                try:
                    with db.atomic():
                        _check_not_newer(db, path)
                        MIGRATIONS.apply(db)
                        conn.execute(_MARK_OURS)
                        broken = conn.execute("PRAGMA foreign_key_check").fetchall()
                        if broken:
                            raise StoreError(f"{path}: upgrading the schema would break {len(broken)} links "
                                             f"between rows (first: {broken[0][0]} row {broken[0][1]}); nothing "
                                             "was changed")
                finally:
                    conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(f"{path}: {explain(exc)}") from exc
    except StoreError:
        conn.close()
        raise
    return db


def _connect_readonly(path: Path) -> sqlite3.Connection:
    """A read-only connection; works even where the -shm file cannot be created."""
    # Quoted: a file name with ? or # would otherwise be cut into URI parameters.
    uri = f"file:{urllib.parse.quote(str(path))}?mode=ro"
    conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError as exc:
        wal = path.with_name(path.name + "-wal")
        if "readonly" not in str(exc) or wal.exists():
            return conn  # reported by _check_is_sqlite with the usual messages
        # A WAL database in a folder we cannot write (read-only mount, shared folder):
        # with no -wal file nobody can be writing to it, so it is safe to read as immutable.
        conn.close()
        conn = sqlite3.connect(uri + "&immutable=1", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.DatabaseError:
        pass  # not a database: _check_is_sqlite says so
    return conn


def _check_is_file(path: Path) -> None:
    """A database is a regular, non-empty file (or does not exist yet): a folder, a FIFO (SQLite
    would wait on it forever), a device or an empty file is refused before SQLite opens it."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StoreError(f"{path}: cannot open database ({exc.strerror})") from exc
    if stat.S_ISDIR(info.st_mode):
        raise StoreError(f"{path}: is a folder, not a database file")
    if not stat.S_ISREG(info.st_mode):
        raise StoreError(f"{path}: is not a regular file (a FIFO, socket or device), not a database")
    if info.st_size == 0 and not _grows(path, info):
        raise StoreError(f"{path}: is an empty file, not a glossator database (remove it to start a new one)")


def _grows(path: Path, info: os.stat_result) -> bool:
    """Whether an empty file just created is being made a database by another process right now
    (SQLite creates the file, then writes its header a moment later)."""
    if time.time() - info.st_mtime > 2:
        return False
    for _ in range(20):
        time.sleep(0.025)
        try:
            if os.stat(path).st_size > 0:
                return True
        except OSError:
            return False
    return False


def _check_is_ours(conn: sqlite3.Connection, path: Path) -> bool:
    """Whether the database is already marked as glossator's; StoreError if it is another
    application's. Unmarked files that are ours: a new (blank) database, or one made by an older
    glossator (it holds our migration log)."""
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    if app_id == APPLICATION_ID:
        return True
    if app_id != 0:
        raise StoreError(f"{path}: not a glossator database (a SQLite file of another application, "
                         f"application_id {app_id:#x}); nothing was changed")
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    if not tables and conn.execute("PRAGMA user_version").fetchone()[0] == 0:
        return False  # blank: ours to create
    if "_sqlite_migrations" in tables and conn.execute(
            "SELECT 1 FROM _sqlite_migrations WHERE migration_set = ? LIMIT 1", [MIGRATIONS.name]).fetchone():
        return False  # an older glossator's database: marked when opened for writing
    shown = ", ".join(sorted(tables)[:5]) + (" …" if len(tables) > 5 else "")
    raise StoreError(f"{path}: not a glossator database (a SQLite file of another application"
                     f"{', tables: ' + shown if tables else ''}); nothing was changed")


def _check_is_sqlite(conn: sqlite3.Connection, path: Path) -> None:
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        if isinstance(exc, sqlite3.OperationalError) and "not a database" not in str(exc):
            raise  # locked, read-only, I/O error …: explained by the caller, not "not a database"
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


F = TypeVar("F", bound=Callable[..., Any])


def guarded(method: F) -> F:
    """Turn SQLite failures (full disk, read-only file, lock) raised by ``method`` into a StoreError
    that says what was not saved (named after the method)."""

    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except sqlite3.Error as exc:
            raise StoreError(f"not saved ({method.__name__.replace('_', ' ')}): {explain(exc)}") from exc

    return wrapper  # type: ignore[return-value]


def explain(exc: sqlite3.Error) -> str:
    """What a SQLite failure means for the user, in one phrase."""
    text = str(exc)
    if "disk" in text and "full" in text:
        return "the disk is full; nothing was written by the last action"
    if "readonly" in text or "read-only" in text:
        return "the database is read-only; changes cannot be saved"
    if "locked" in text:
        return "the database is busy in another process; try again"
    return text
