"""Where a command may write: the one output-target policy of every ``-o`` (exports, backups,
entity exports, folder exports).

:func:`resolve_target` is called before any work. It refuses the open database, its
``-wal``/``-shm``/``-journal`` files and any other SQLite database (or one in use), whatever name
or link leads to them, and decides how the file is written: standard output, a *stream* written in
place (a device, a FIFO, ``/dev/stdout``: never renamed over, never turned into a regular file) or
an *atomic* replace of a regular file (a temp file beside it, renamed at the end).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from store.db import StoreError

SIDECARS = ("-wal", "-shm", "-journal")  # the files SQLite keeps beside a database
SQLITE_MAGIC = b"SQLite format 3\x00"
STDOUT, STREAM, ATOMIC, FOLDER = "stdout", "stream", "atomic", "folder"


class TargetError(StoreError):
    """An output target that must not be written; the message names it. Nothing was written."""


@dataclass(frozen=True)
class Target:
    """A checked output target. ``path`` is the file to write (links resolved; None for stdout),
    ``given`` the name the user gave (for messages), ``mode`` one of stdout, stream, atomic, folder."""

    given: str
    path: Path | None
    mode: str


def resolve_target(target: str | Path, database: Path | None = None, *, folder: bool = False,
                   sqlite_ok: bool = False) -> Target:
    """Check ``target`` against the policy above; TargetError (one line) if it must not be written.

    ``database`` is the open database (its own files are refused); ``folder`` asks for a folder
    export (a directory, never a stream); ``sqlite_ok`` lets a backup replace an older backup (a
    SQLite file that no one has open)."""
    given = str(target)
    if given == "-":
        if folder:
            raise TargetError("this format writes a folder: give it with -o DIR")
        return Target(given, None, STDOUT)
    if not given:
        raise TargetError("no output file given")
    path = Path(given)
    try:
        info = os.stat(path)  # follows links: what is written is what the name leads to
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise TargetError(f"{given}: cannot use as output ({exc.strerror})") from exc
    if info is not None and not stat.S_ISREG(info.st_mode) and not stat.S_ISDIR(info.st_mode):
        if folder:
            raise TargetError(f"{given}: exists and is not a folder ({_kind(info.st_mode)})")
        # A device, FIFO or socket: written in place as a stream, never replaced by a regular file.
        return Target(given, path, STREAM)
    real = Path(os.path.realpath(path))
    if not folder and _through_fd(given):
        # /dev/stdout (or /dev/fd/N) redirected to a file: append to the shell's open file,
        # never rename over the link /dev/stdout.
        return Target(given, path, STREAM)
    if info is not None and stat.S_ISDIR(info.st_mode) and not folder:
        raise TargetError(f"{given}: is a folder; this writes one file (give a file name)")
    if not real.parent.is_dir():
        raise TargetError(f"{given}: folder {Path(given).parent} does not exist")
    _check_not_a_database(given, real, database, sqlite_ok)
    return Target(given, real, FOLDER if folder else ATOMIC)


def _through_fd(given: str) -> bool:
    name = os.path.abspath(given)
    return name in ("/dev/stdout", "/dev/stderr") or name.startswith(("/dev/fd/", "/proc/"))


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _check_not_a_database(given: str, real: Path, database: Path | None, sqlite_ok: bool) -> None:
    if database is not None:
        base = os.path.realpath(database)
        for suffix in ("", *SIDECARS):
            own = Path(base + suffix)
            if str(real) == str(own) or _same_file(real, own):
                what = "the database itself" if not suffix else f"the database's {suffix} file"
                raise TargetError(f"{given}: is {what} ({database}); choose another file")
    for suffix in SIDECARS:
        if real.name.endswith(suffix) and is_sqlite(real.with_name(real.name[:-len(suffix)])):
            raise TargetError(f"{given}: is the {suffix} file of the SQLite database "
                              f"{real.name[:-len(suffix)]}; choose another file")
    if is_sqlite(real):
        if not sqlite_ok:
            raise TargetError(f"{given}: is a SQLite database; an export never overwrites one (choose another file)")
        busy = [s for s in SIDECARS if real.with_name(real.name + s).exists()]
        if busy:
            raise TargetError(f"{given}: is a SQLite database in use (it has a {busy[0]} file); choose another file")


def is_sqlite(path: Path) -> bool:
    """Whether ``path`` is a regular file that starts with the SQLite header."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return False
        with open(path, "rb") as stream:
            return stream.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def umask() -> int:
    """The process umask, read without changing it (another thread may be creating files)."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)  # no /proc: the classic read-and-restore
    os.umask(mask)
    return mask


def file_mode() -> int:
    """The mode a new file gets from ``open()`` under the current umask (0644 under 022)."""
    return 0o666 & ~umask()


def folder_mode() -> int:
    """The mode a new folder gets from ``mkdir`` under the current umask (0755 under 022)."""
    return 0o777 & ~umask()


def open_stream(target: Target, binary: bool = False, newline: str | None = "\n"):  # noqa: ANN201 - IO[str] | IO[bytes]
    """Open a stream target (device, FIFO, /dev/stdout) for writing, in place: no create, no rename."""
    assert target.path is not None and target.mode == STREAM
    try:
        # O_APPEND: through /dev/stdout onto a file opened with >>, keep what is there.
        fd = os.open(target.path, os.O_WRONLY | os.O_APPEND | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as exc:
        raise TargetError(f"{target.given}: cannot write ({exc.strerror}); nothing written") from exc
    if stat.S_ISREG(os.fstat(fd).st_mode) and not _through_fd(target.given):
        os.close(fd)  # replaced by a regular file since the check: not a stream after all
        raise TargetError(f"{target.given}: changed while being checked; nothing written, try again")
    if binary:
        return os.fdopen(fd, "wb")
    return os.fdopen(fd, "w", encoding="utf-8", newline=newline)
