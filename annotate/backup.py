"""Online backups: a consistent copy of the database while the app (or anyone) writes.

The copy is made with SQLite's backup API in one step, which reads one snapshot of the
source under a read lock; in WAL mode that lock never blocks writers, so annotators
keep working. The copy goes to a temp file beside the target and is renamed into place
only once it is complete and passes ``PRAGMA integrity_check``: a crash or a full
disk never leaves a half-written backup under its final name.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from annotate.atomic import sweep_stale
from store.db import StoreError


class BackupError(StoreError):
    """The backup could not be made; the message names the file. No target was written."""


@dataclass(frozen=True)
class BackupReport:
    """What a backup wrote."""

    target: Path
    articles: int
    actions: int
    size: int

    def summary(self) -> str:
        """One line for the terminal."""
        return (f"wrote {self.target} ({self.articles} articles, {self.actions} logged actions, "
                f"{self.size / 1e6:.1f} MB); integrity ok")


def default_target(db_path: Path, when: datetime | None = None) -> Path:
    """``glossator-20240601-120000.db`` beside ``glossator.db``."""
    stamp = (when or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return db_path.with_name(f"{db_path.stem}-{stamp}{db_path.suffix or '.db'}")


def backup(source: sqlite3.Connection, db_path: Path, target: str | Path | None = None) -> BackupReport:
    """Copy the open database ``source`` (the file ``db_path``) to ``target``, atomically."""
    target = Path(target) if target is not None else default_target(db_path)
    if target.exists() and _same_file(target, db_path):
        raise BackupError(f"{target}: is the database itself; choose another file")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise BackupError(f"{target}: folder {folder} does not exist")
    sweep_stale(target)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise BackupError(f"{target}: cannot write ({exc.strerror})") from exc
    os.close(fd)
    try:
        dest = sqlite3.connect(tmp)
        try:
            # pages=-1: the whole database in one step, from one snapshot (consistent).
            source.backup(dest, pages=-1)
            # A self-contained single file: no -wal beside the copy.
            dest.execute("PRAGMA journal_mode = DELETE")
            check = dest.execute("PRAGMA integrity_check").fetchone()[0]
            if check != "ok":
                raise BackupError(f"{target}: the copy fails the integrity check ({check}); not written")
            articles = _count(dest, "articles")
            actions = _count(dest, "actions")
        finally:
            dest.close()
        with open(tmp, "rb") as stream:
            os.fsync(stream.fileno())
        os.replace(tmp, target)
    except sqlite3.Error as exc:
        _remove(tmp)
        raise BackupError(f"{target}: backup failed ({exc}); nothing written") from exc
    except OSError as exc:
        _remove(tmp)
        raise BackupError(f"{target}: backup failed ({exc.strerror}); nothing written") from exc
    except BaseException:
        _remove(tmp)
        raise
    return BackupReport(target, articles, actions, target.stat().st_size)


def _count(conn: sqlite3.Connection, table: str) -> int:
    try:
        return conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # fixed table names only
    except sqlite3.OperationalError:
        return 0


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
