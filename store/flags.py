"""Flags (an annotator's doubt about a gold span or a whole article) and the reads around them.

Rows are written through the action log (``UnitOfWork.insert`` / ``delete`` on ``flags``), so
flagging, unflagging and their undo are one logged action each; this module only reads.
A span flag whose span is gone (deleted) is not returned: the reads join the spans.
"""

from __future__ import annotations

from typing import Any

import sqlite_utils

from store.convert import row_to_flag
from store.models import Flag

_LIVE = """SELECT f.* FROM flags f LEFT JOIN spans s ON s.id = f.span_id
           WHERE f.article_id = ? AND f.annotator = ? AND (f.span_id IS NULL OR s.id IS NOT NULL)"""

FLAGGED = "flagged"  # the corpus filter, beside the review statuses
# The corpus filter "flagged": articles with a flag of this annotator, through flags(annotator, article_id).
FLAGGED_CONDITION = "a.id IN (SELECT article_id FROM flags WHERE annotator = :who)"


def flags_of(db: sqlite_utils.Database, article_id: str, annotator: str) -> list[Flag]:
    """This annotator's flags in one article (the article's own first, then by span id)."""
    rows = db.execute(_LIVE + " ORDER BY f.span_id IS NOT NULL, f.span_id, f.id", [article_id, annotator])
    columns = [c[0] for c in rows.description]
    return [row_to_flag(dict(zip(columns, r, strict=True))) for r in rows.fetchall()]


def flag_on(db: sqlite_utils.Database, article_id: str, annotator: str, span_id: int | None) -> Flag | None:
    """The flag of this annotator on a span (``None``: on the article itself), if any."""
    return next((f for f in flags_of(db, article_id, annotator) if f.span_id == span_id), None)


def flagged_count(db: sqlite_utils.Database, annotator: str) -> int:
    """How many articles this annotator flagged something in."""
    sql = "SELECT count(DISTINCT article_id) FROM flags WHERE annotator = ?"
    return db.execute(sql, [annotator]).fetchone()[0]


def export_flags(db: sqlite_utils.Database) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """Every live flag for the export, by (article id, annotator): note, created_at and, for a span
    flag, the span's start, end and label (None for the article's own)."""
    rows = db.execute(
        """SELECT f.article_id, f.annotator, f.note, f.created_at, s.start, s."end", s.label
           FROM flags f LEFT JOIN spans s ON s.id = f.span_id
           WHERE f.span_id IS NULL OR s.id IS NOT NULL ORDER BY f.id""").fetchall()
    out: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for article_id, annotator, note, created_at, start, end, label in rows:
        out.setdefault((article_id, annotator), []).append(
            {"note": note or "", "created_at": created_at, "start": start, "end": end, "label": label})
    return out


def span_id_at(db: sqlite_utils.Database, article_id: str, annotator: str, start: int, end: int,
               label: str) -> int | None:
    """The id of this annotator's gold span with exactly these bounds and label, if any."""
    row = db.execute(
        """SELECT id FROM spans WHERE article_id = ? AND annotator = ? AND start = ? AND "end" = ? AND label = ?""",
        [article_id, annotator, start, end, label]).fetchone()
    return row[0] if row else None
