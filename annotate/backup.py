"""Online backups: a consistent copy of the database while the app (or anyone) writes.

The copy is made with SQLite's backup API in one step, which reads one snapshot of the
source under a read lock; in WAL mode that lock never blocks writers, so annotators
keep working. The copy goes to a temp file beside the target and is renamed into place
only once it is complete and passes ``PRAGMA integrity_check``: a crash or a full
disk never leaves a half-written backup under its final name.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from annotate.formats.atomic import sweep_stale
from annotate.formats.targets import STDOUT, STREAM, Target, TargetError, file_mode, open_stream, resolve_target
from store.backup import CopyFailed, snapshot
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
    streamed: bool = False  # written to standard output, a device or a FIFO

    def summary(self) -> str:
        """One line for the terminal."""
        return (f"wrote {self.target} ({self.articles} articles, {self.actions} logged actions, "
                f"{self.size / 1e6:.1f} MB); integrity ok")


def default_target(db_path: Path, when: datetime | None = None) -> Path:
    """``glossator-20240601-120000.db`` beside ``glossator.db``."""
    stamp = (when or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return db_path.with_name(f"{db_path.stem}-{stamp}{db_path.suffix or '.db'}")


def backup(source: Any, db_path: Path, target: str | Path | None = None) -> BackupReport:
    """Copy the open database ``source`` (its connection; the file ``db_path``) to ``target``, atomically.

    The target follows the policy of :mod:`annotate.formats.targets`: never the database or its
    -wal/-shm/-journal files, never a SQLite file in use; a device or FIFO (``-`` is standard
    output) gets the finished copy as a stream and is never replaced by a regular file."""
    given = target if target is not None else default_target(db_path)
    try:
        checked = resolve_target(given, db_path, sqlite_ok=True)
    except TargetError as exc:
        raise BackupError(str(exc)) from None
    streamed = checked.mode in (STDOUT, STREAM)
    shown = Path(str(given)) if streamed else checked.path
    assert shown is not None
    if not streamed:
        sweep_stale(shown)
    # A stream gets a copy made in the system's temp folder first (a device's folder is no place for it).
    folder = None if streamed else shown.parent
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{shown.name}.", suffix=".part", dir=folder)
        os.fchmod(fd, file_mode())  # the mode SQLite gives a new database under the umask, not 0600
    except OSError as exc:
        raise BackupError(f"{given}: cannot write ({exc.strerror})") from exc
    os.close(fd)
    try:
        try:
            copied = snapshot(source, tmp)
        except CopyFailed as exc:
            raise BackupError(f"{given}: {exc}; nothing written") from exc
        articles, actions = copied.articles, copied.actions
        if streamed:
            size = _stream_copy(tmp, checked)
            _remove(tmp)
            return BackupReport(shown, articles, actions, size, streamed=True)
        with open(tmp, "rb") as stream:
            os.fsync(stream.fileno())
        os.replace(tmp, shown)
    except OSError as exc:
        _remove(tmp)
        raise BackupError(f"{given}: backup failed ({exc.strerror}); nothing written") from exc
    except BaseException:
        _remove(tmp)
        raise
    return BackupReport(shown, articles, actions, shown.stat().st_size)


def _stream_copy(tmp: str, target: Target) -> int:
    """Write the finished copy to standard output or a device/FIFO; returns the bytes written."""
    import shutil
    import sys

    with open(tmp, "rb") as copy:
        if target.mode == STDOUT:
            sys.stdout.flush()
            shutil.copyfileobj(copy, sys.stdout.buffer)
            sys.stdout.buffer.flush()
        else:
            with open_stream(target, binary=True) as out:
                shutil.copyfileobj(copy, out)
        return copy.tell()


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
