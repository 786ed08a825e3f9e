"""Writing output files atomically: a temp file beside the target, renamed at the end."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from store.db import StoreError


class WriteError(StoreError, OSError):
    """An output file could not be written; the message names it. Nothing was left behind.

    A StoreError so that the CLI prints one line; still an OSError for callers that catch those."""


STALE_AFTER_S = 3600  # a temp file this old is not another writer's: its process died


def sweep_stale(target: Path, suffix: str = ".part") -> None:
    """Remove temp files of ``target`` left by a killed writer (``.NAME.*.part`` older than an hour)."""
    import shutil
    import time

    folder = target.parent if str(target.parent) else Path(".")
    try:
        candidates = list(folder.glob(f".{target.name}.*{suffix}"))
    except OSError:
        return
    for path in candidates:
        try:
            if time.time() - path.stat().st_mtime > STALE_AFTER_S:
                shutil.rmtree(path) if path.is_dir() else path.unlink()
        except OSError:
            pass  # gone already, or not ours to remove: harmless


@contextmanager
def atomic_writer(target: str | Path, newline: str | None = "\n") -> Iterator[IO[str]]:
    """Yield a text stream; the target appears (whole) only if the block succeeds.

    ``-`` writes to standard output. A failure removes the temp file and leaves any
    previous target untouched, so no half-written export is left under its final name.
    """
    if str(target) == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    target = Path(target)
    sweep_stale(target)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent or ".")
    except OSError as exc:
        raise WriteError(f"{target}: cannot write ({exc.strerror}); nothing written") from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(tmp, target)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError):
            # Full disk, quota, folder gone …: one clear line, not a traceback.
            raise WriteError(f"{target}: cannot write ({exc.strerror or exc}); nothing written, "
                             "any previous file is untouched") from exc
        raise
