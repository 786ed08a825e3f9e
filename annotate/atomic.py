"""Writing output files atomically: a temp file beside the target, renamed at the end."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO


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
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent or ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
