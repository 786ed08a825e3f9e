"""Our Prodigy-compatible JSONL: export (one ``ner_manual`` task per article and annotator, with
our ``events``), and import of gold from it, from Prodigy's ``db-out`` and from doccano's JSONL.

Import checks the whole file first, then writes it (see import_write): a bad line changes nothing.
Lines answered reject or ignore are counted and left out, except our own skipped articles
(``meta.skipped``); flags (``meta.flag`` of the record or of a span) are read back (annotate.formats.marks).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import IO, Any

from annotate.corpus.jsonlines import BadLine, iter_lines, loads_line
from annotate.formats.doccano import from_doccano, from_doccano_relations
from annotate.formats.filters import ExportFilters, ExportOptions
from annotate.formats.import_write import write_gold
from annotate.formats.losses import snap_to_tokens
from annotate.formats.marks import ExportMarks, LineMarks, marks_of, write_marks
from annotate.formats.outputs import write_line_file
from annotate.formats.reports import GOLD, ExportReport, FormatReport, ImportReport
from annotate.formats.shapes import SKIPPED_ANSWERS, ShapeError, annotator_of, check_keys, shape_of
from annotate.formats.validate import LineError, Record, SkippedLine, check_record, fail_on
from annotate.gc_pause import collection_paused
from annotate.labels import EVENT_ROLES, EventRoles
from store.models import DONE, SKIPPED
from store.repo import Store

# -- export -----------------------------------------------------------------


def write_jsonl(records: Iterator[dict[str, Any]], stream: IO[str], report: ExportReport,
                marks: ExportMarks | None = None) -> None:
    """One JSON line per record, its spans snapped to whole tokens (Prodigy reads both offsets);
    with ``marks``, flags in ``meta`` and skipped articles answered ignore."""
    for record in records:
        if marks is not None:
            record = marks.apply(record)  # before snapping: flags are matched on the stored offsets
        stream.write(json.dumps(snap_to_tokens(record, report), ensure_ascii=False) + "\n")
        report.lines += 1


def export_records(store: Store, target: str | Path, filters: ExportFilters, report: ExportReport,
                   options: ExportOptions) -> None:
    """Write the JSONL export (``-``: stdout) atomically. Gold by default holds the done articles
    and, answered ignore, the skipped ones."""
    writer = write_jsonl
    if filters.what == GOLD:
        if filters.statuses is None:
            filters = replace(filters, statuses=(DONE, SKIPPED))
        writer = partial(write_jsonl, marks=ExportMarks(store))
    write_line_file(store, target, "jsonl", filters, report, writer, options.strict)


def export_jsonl(store: Store, target: str | Path, what: str = GOLD, annotator: str | None = None) -> FormatReport:
    """The JSONL export with only ``what`` and ``annotator`` chosen (the other filters at their
    defaults): the same bytes as ``export --format jsonl``."""
    report = FormatReport(fmt="jsonl", target=str(target))
    export_records(store, target, ExportFilters(what=what, annotator=annotator), report, ExportOptions())
    return report


# -- import -----------------------------------------------------------------


def parse_line(raw: str, n: int, path: Path, default_annotator: str, entity_labels: tuple[str, ...],
               event_roles: EventRoles = EVENT_ROLES, utf8: bool = False) -> Record:
    """Validate one line; raises LineError with a message naming file and line, SkippedLine for a
    line answered reject or ignore. ``utf8``: ``raw`` was decoded from UTF-8 (loads_line)."""
    where = f"{path}, line {n}"
    try:
        obj = loads_line(raw, utf8)  # invalid JSON, too deep, too many digits, lone surrogates
    except BadLine as exc:
        raise LineError(f"{where}: {exc}") from exc
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str) or not obj["text"]:
        raise LineError(f"{where}: expected an object with a non-empty \"text\" string")
    meta = obj.get("meta") or {}
    if not isinstance(meta, dict):
        raise LineError(f"{where}: \"meta\" must be an object")
    answer = obj.get("answer", "accept")
    ours_skipped = answer == "ignore" and meta.get("skipped") is True  # a skipped article of ours: read back
    if answer in SKIPPED_ANSWERS and not ours_skipped:
        raise SkippedLine(answer)
    meta = {k: v for k, v in meta.items() if k not in ("flag", "skipped")}  # read by marks_of, not article meta
    if answer != "accept" and not ours_skipped:
        raise LineError(f"{where}: only accepted answers are gold (answer is {answer!r})")
    try:
        shape = shape_of(obj)
        check_keys(obj, shape)
        if shape == "doccano":
            obj = {**obj, **from_doccano(obj, meta, entity_labels, tuple(event_roles))}
            meta = {k: v for k, v in meta.items() if k not in ("kb_id", "events")}
        elif shape == "doccano-relations":
            obj = {**obj, **from_doccano_relations(obj, entity_labels, tuple(event_roles))}
    except ShapeError as exc:
        raise LineError(f"{where}: {exc}") from None
    annotator = annotator_of(obj, meta, default_annotator)
    return check_record({**obj, "meta": meta}, where, n, annotator, entity_labels, event_roles)


def read_records(path: Path, default_annotator: str, entity_labels: tuple[str, ...],
                 event_roles: EventRoles = EVENT_ROLES, skipped: Counter | None = None,
                 marks: list[LineMarks] | None = None) -> list[Record]:
    """Parse and validate a whole file; InputError listing the bad lines if any. Lines answered
    reject or ignore are counted in ``skipped`` (by answer) and left out (our skipped articles
    excepted); our lines' flags and skips are appended to ``marks``."""
    records, errors = [], []
    # Read line by line (only "\n" ends a line, not U+2028); FIFOs and folders are refused first.
    for n, raw in iter_lines(path):
        try:
            record = parse_line(raw, n, path, default_annotator, entity_labels, event_roles, utf8=True)
            records.append(record)
            if marks is not None and ('"flag"' in raw or '"skipped"' in raw):  # only those lines parsed twice
                found = marks_of(loads_line(raw), record.annotator)
                if found is not None:
                    marks.append(found)
        except SkippedLine as exc:
            if skipped is not None:
                skipped[str(exc)] += 1
        except LineError as exc:
            errors.append(str(exc))
    fail_on(errors)
    return records


@collection_paused()
def import_jsonl(store: Store, path: Path, default_annotator: str, entity_labels: tuple[str, ...],
                 event_roles: EventRoles = EVENT_ROLES) -> ImportReport:
    """Import gold from JSONL (ours, Prodigy's, doccano's); the articles count as reviewed (done)."""
    report = ImportReport()
    marks: list[LineMarks] = []
    records = read_records(path, default_annotator, entity_labels, event_roles, report.answers_skipped, marks)
    write_gold(store, records, report)
    if marks:
        write_marks(store, marks)
    return report
