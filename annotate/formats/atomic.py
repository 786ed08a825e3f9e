"""Writing output files and folders atomically: a temp file (or folder) beside the target, put in
place at the end in one step. Targets are checked first by :mod:`annotate.formats.targets`."""

from __future__ import annotations

import errno
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from annotate.formats.targets import ATOMIC, STDOUT, STREAM, Target, file_mode, folder_mode, open_stream, resolve_target
from store.db import StoreError


class WriteError(StoreError, OSError):
    """An output file could not be written; the message names it. Nothing was left behind.

    A StoreError so that the CLI prints one line; still an OSError for callers that catch those."""


STALE_AFTER_S = 3600  # a temp file this old is not another writer's: its process died


def sweep_stale(target: Path, suffix: str = ".part", max_age: float = STALE_AFTER_S) -> None:
    """Remove temp files of ``target`` left by a killed writer (``.NAME.*.part`` older than ``max_age``)."""
    folder = target.parent if str(target.parent) else Path(".")
    try:
        candidates = list(folder.glob(f".{target.name}.*{suffix}"))
    except OSError:
        return
    for path in candidates:
        try:
            if max_age <= 0 or time.time() - path.lstat().st_mtime >= max_age:
                shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
        except OSError:
            pass  # gone already, or not ours to remove: harmless


@contextmanager
def atomic_writer(target: str | Path | Target, newline: str | None = "\n",
                  database: Path | None = None) -> Iterator[IO[str]]:
    """Yield a text stream; the target appears (whole) only if the block succeeds.

    ``-`` writes to standard output, a device or FIFO is written in place as a stream. A regular
    file is written to a temp file renamed over it at the end: a failure removes the temp file
    and leaves any previous target untouched. ``database`` is the open database, which (with its
    -wal/-shm/-journal files and any other SQLite file) is refused as a target.
    """
    checked = target if isinstance(target, Target) else resolve_target(target, database)
    if checked.mode == STDOUT:
        yield sys.stdout
        sys.stdout.flush()
        return
    if checked.mode == STREAM:
        with open_stream(checked, newline=newline) as stream:
            yield stream
        return
    assert checked.mode == ATOMIC and checked.path is not None
    path = checked.path
    sweep_stale(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
        os.fchmod(fd, file_mode())  # mkstemp makes 0600: an export is for others to read too
    except OSError as exc:
        raise WriteError(f"{checked.given}: cannot write ({exc.strerror}); nothing written") from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError):
            # Full disk, quota, folder gone …: one clear line, not a traceback.
            raise WriteError(f"{checked.given}: cannot write ({exc.strerror or exc}); nothing written, "
                             "any previous file is untouched") from exc
        raise


# -- folders -------------------------------------------------------------------------

RENAME_EXCHANGE = 2  # linux/fs.h


def exchange(a: Path, b: Path) -> bool:
    """Swap two existing names in one step (Linux ``renameat2(RENAME_EXCHANGE)``); False where the
    system or file system cannot, so the caller falls back to two renames."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False  # glibc < 2.28 has no wrapper
    at_fdcwd = -100
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


@contextmanager
def folder_lock(folder: Path) -> Iterator[bool]:
    """Hold an exclusive lock on ``folder`` (the parent of a folder export) while one export is
    written, so that leftovers of a killed run can be cleaned at once (no other writer can own
    them). Yields False where no lock can be taken (leftovers are then cleaned by age)."""
    import fcntl

    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        yield False
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            locked = True
        except OSError:
            locked = False
        yield locked
    finally:
        os.close(fd)  # releases the lock


def recover_folder(target: Path, locked: bool) -> None:
    """Clean what a killed folder export left beside ``target``: a ``.NAME.*.old`` copy is put
    back when ``target`` is missing (killed between two renames), then removed with the
    ``.NAME.*.part`` folders. Without the lock, only leftovers older than an hour are touched."""
    max_age = 0 if locked else STALE_AFTER_S
    parent = target.parent
    for old in sorted(parent.glob(f".{target.name}.*.old")):
        kept = old / "x"
        if not os.path.lexists(target) and kept.is_dir() and (locked or _age(old) >= max_age):
            try:
                os.rename(kept, target)
            except OSError:
                pass
    sweep_stale(target, ".old", max_age)
    sweep_stale(target, ".part", max_age)


def _age(path: Path) -> float:
    try:
        return time.time() - path.lstat().st_mtime
    except OSError:
        return 0.0


def new_folder(target: Path) -> Path:
    """A temp folder beside ``target`` with the mode a new folder gets under the umask."""
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent))
    os.chmod(tmp, folder_mode())  # mkdtemp makes 0700: a brat server or a colleague must read it
    return tmp


def swap_in(tmp: Path, target: Path) -> None:
    """Put the complete folder ``tmp`` at ``target``; ``target`` names the old or the new folder at
    every instant (one atomic exchange), and the old one is removed afterwards."""
    if not os.path.lexists(target):
        os.rename(tmp, target)
        return
    if exchange(tmp, target):
        shutil.rmtree(tmp, ignore_errors=True)  # tmp now holds the old export
        return
    # No exchange on this system: two renames; a run killed between them leaves the old folder in
    # .NAME.*.old/x, which recover_folder() puts back at the next export.
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
    os.rename(target, old / "x")
    os.rename(tmp, target)
    shutil.rmtree(old, ignore_errors=True)
