"""Database files the tests start from: built once per test process, copied for each test.

A new file runs every migration when it is first opened (a tenth of a second and more, most of a
short test); a copy of a migrated file costs a millisecond and is the same database. The copy is
taken of a *closed* file: closing the last connection checkpoints the -wal into the file and
removes it, so the file alone holds every page. Under pytest-xdist each worker is its own process
and builds its own templates in its own temp folder: nothing is shared between workers.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from annotate.service import Service


def build(path: Path, fill: Callable[[Service], object] | None = None, annotator: str = "alice") -> Path:
    """Make the database ``path`` (migrated, then ``fill``-ed), close it and return its path."""
    service = Service.open(path, annotator=annotator)
    try:
        if fill is not None:
            fill(service)
    finally:
        service.close()
    left = [p.name for p in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")) if p.exists()]
    # A -wal left behind would hold pages a copy of the file alone would miss.
    assert not left, f"{path}: still open somewhere ({left}), it cannot be copied as a template"
    return path


def copy(template: Path, to: Path) -> Path:
    """A private copy of the database ``template`` at ``to`` (the template itself is never opened by tests)."""
    shutil.copyfile(template, to)
    return to
