"""Flags and skips in our JSONL (issue 14.8), both ways.

Export: a flag goes to ``meta.flag`` (the article's) or to the span's own ``meta.flag``, as
``{"note", "annotator"}``; a skipped article is a Prodigy ``"answer": "ignore"`` line with
``meta.skipped: true`` (its gold so far beside it). Import: our own lines are read back: the
article and span flags, and ``skipped`` as the review status (Prodigy's ignore lines without
``meta.skipped`` are still left out). Imports no format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from annotate.corpus.ingest import article_id as id_of_text
from annotate.review.status import set_review
from store import flags as flag_rows
from store.actions import now
from store.convert import flag_to_row
from store.models import DONE, SKIPPED, Flag
from store.repo import Store

IGNORE = "ignore"


class ExportMarks:
    """The flags and statuses the export adds to each record (flags read once, statuses per record)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.flags = flag_rows.export_flags(store.db)

    def apply(self, record: dict[str, Any]) -> dict[str, Any]:
        """The record with its flags in ``meta`` and, skipped by its annotator, answered ignore."""
        meta = record["meta"]
        article_id, annotator = meta["article_id"], meta["annotator"]
        out = record
        flags = self.flags.get((article_id, annotator), [])
        by_bounds = {(f["start"], f["end"], f["label"]): f for f in flags if f["start"] is not None}
        own = next((f for f in flags if f["start"] is None), None)
        if own is not None or by_bounds:
            out = {**record, "meta": dict(meta)}
            if own is not None:
                out["meta"]["flag"] = {"note": own["note"], "annotator": annotator}
            for key in ("spans", "events"):
                out[key] = [_span_flag(s, by_bounds, annotator) for s in record[key]]
        if self.store.review_status(article_id, annotator) == SKIPPED:
            out = {**out, "meta": {**out["meta"], "skipped": True}, "answer": IGNORE}
        return out


def _span_flag(span: dict[str, Any], by_bounds: dict[tuple[Any, Any, Any], dict[str, Any]],
               annotator: str) -> dict[str, Any]:
    flag = by_bounds.get((span["start"], span["end"], span["label"]))
    if flag is None:
        return span
    return {**span, "meta": {**(span.get("meta") or {}), "flag": {"note": flag["note"], "annotator": annotator}}}


@dataclass
class LineMarks:
    """What one imported line says beyond gold: skipped, the article's flag note, span flags."""

    text: str
    annotator: str
    skipped: bool = False
    note: str | None = None  # the article's flag (None: no flag)
    spans: list[tuple[int, int, str, str]] = field(default_factory=list)  # start, end, label, note


def _note(value: Any) -> str | None:
    if isinstance(value, dict):
        return str(value.get("note") or "")
    return None


def marks_of(obj: dict[str, Any], annotator: str) -> LineMarks | None:
    """The flags and skip of a parsed line of ours (None: it carries neither)."""
    meta = obj.get("meta") if isinstance(obj.get("meta"), dict) else {}
    marks = LineMarks(obj["text"], annotator, skipped=obj.get("answer") == IGNORE and meta.get("skipped") is True,
                      note=_note(meta.get("flag")))
    for key in ("spans", "events"):
        for span in obj.get(key) or ():
            note = _note((span.get("meta") or {}).get("flag")) if isinstance(span, dict) else None
            if note is not None and isinstance(span.get("start"), int) and isinstance(span.get("end"), int):
                marks.spans.append((span["start"], span["end"], str(span.get("label")), note))
    if not (marks.skipped or marks.note is not None or marks.spans):
        return None
    return marks


def write_marks(store: Store, lines: list[LineMarks], required: int = 1) -> int:
    """After the gold is written: each line's flags and skip, one logged action per line; returns
    the flags written. A flag on a span the import did not make (trimmed, refused) is left out."""
    written = 0
    for line in lines:
        article_id = id_of_text(line.text)
        if not store.has_article(article_id):
            continue
        with store.action("import_marks", line.annotator, article_id) as uow:
            targets: list[tuple[int | None, str]] = [(None, line.note)] if line.note is not None else []
            for start, end, label, note in line.spans:
                span_id = flag_rows.span_id_at(store.db, article_id, line.annotator, start, end, label)
                if span_id is not None:
                    targets.append((span_id, note))
            for span_id, note in targets:
                if flag_rows.flag_on(store.db, article_id, line.annotator, span_id) is None:
                    uow.insert("flags", flag_to_row(Flag(0, article_id, line.annotator, span_id, note, now())))
                    written += 1
            if line.skipped and store.review_status(article_id, line.annotator) in (None, DONE):
                # the import marked it done with its gold; the line says the annotator skipped it
                set_review(uow, store, article_id, line.annotator, SKIPPED, required)
    return written
