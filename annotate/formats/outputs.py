"""Where an export goes: one file of lines written atomically (held back under ``--strict`` until
its losses are known), or a folder replaced whole with a manifest saying what it holds.
Imports no format."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from annotate.errors import InputError
from annotate.formats.atomic import atomic_writer, folder_lock, new_folder, recover_folder, swap_in
from annotate.formats.filters import ExportFilters
from annotate.formats.losses import check_strict
from annotate.formats.records import iter_records
from annotate.formats.reports import ExportReport
from annotate.formats.targets import TargetError, resolve_target
from store.db import StoreError
from store.repo import Store

MANIFEST = "glossator-export.json"

LineWriter = Callable[[Iterator[dict[str, Any]], IO[str], ExportReport], None]


def write_line_file(store: Store, target: str | Path, fmt: str, filters: ExportFilters, report: ExportReport,
                    writer: LineWriter, strict: bool = False) -> None:
    """Write the selected records with ``writer`` into one file (``-``: stdout), atomically.
    ``strict``: the output is held until every record is written, then refused on any loss."""
    checked = resolve_target(target, store.path)  # before any work: not the database, not a folder
    records = iter_records(store, filters, report)
    if strict:
        buffer = io.StringIO()
        writer(records, buffer, report)
        check_strict(report, fmt)
        with atomic_writer(checked) as stream:
            stream.write(buffer.getvalue())
        return
    with atomic_writer(checked) as stream:
        writer(records, stream, report)


def check_directory_target(target: str | Path, database: Path | None = None) -> Path:
    """The folder an export may write (or replace), links resolved; InputError otherwise. Called
    before any work. The open database's files (and any SQLite file) are refused by name too, so
    that ``-o g.db-wal`` cannot become a folder where SQLite keeps its log."""
    try:
        checked = resolve_target(target, database, folder=True)
    except TargetError as exc:
        raise InputError(str(exc)) from None
    assert checked.path is not None
    path = checked.path
    if path.is_dir() and any(path.iterdir()) and not (path / MANIFEST).exists():
        raise InputError(f"{target}: folder is not empty and holds no earlier glossator export; choose a new folder")
    return path


@contextmanager
def directory_writer(target: str | Path, manifest: dict[str, Any], database: Path | None = None) -> Iterator[Path]:
    """Yield a temp folder beside ``target``; on success it replaces ``target`` whole.

    An existing target is replaced only if it is empty or a previous glossator export (it holds
    the manifest), so that ``-o ~`` cannot wipe a folder of someone's files. The name always holds
    the old or the new export (see atomic.swap_in); leftovers of a killed run are cleaned here.
    """
    path = check_directory_target(target, database)
    try:
        with folder_lock(path.parent) as locked:
            recover_folder(path, locked)
            path = check_directory_target(target, database)  # a recovered folder is checked too
            tmp = new_folder(path)
            try:
                yield tmp
                with atomic_writer(tmp / MANIFEST) as stream:
                    stream.write(json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
                swap_in(tmp, path)
            except BaseException:
                shutil.rmtree(tmp, ignore_errors=True)
                raise
    except OSError as exc:
        # Full disk, quota, permissions: one clear line, not a traceback.
        raise StoreError(f"{target}: cannot write ({exc.strerror or exc}); nothing written, "
                         "any previous export is untouched") from exc


def manifest_of(fmt: str, filters: ExportFilters, **extra: Any) -> dict[str, Any]:
    """What a folder export says about itself (format, filters, split)."""
    return {"format": fmt, "what": filters.what, "statuses": list(filters.wanted_statuses()),
            "annotator": filters.annotator, "since": filters.since, "until": filters.until,
            "labels": sorted(filters.labels) if filters.labels else None, **extra}
