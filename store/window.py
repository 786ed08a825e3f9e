"""Reads over a few character ranges of one article, and of the action log since an entry: what
patching a review state after an action needs (``annotate.service.catchup``) instead of reading
the whole article again; and the suggested event arguments of an article with their suggestions
in one join (the event frame's hints), rather than all the article's suggestions.

Ranges are handed to SQLite as one JSON array (``json_each``): one statement per table, whatever
their number; each range is looked up through the table's ``(article_id, …, start)`` index.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import sqlite_utils

from store.convert import row_to_action, row_to_span, row_to_suggestion
from store.models import Action, Span, Suggestion

Range = tuple[int, int]

# r.value is one [start, end] pair of the JSON array
_OVER = """r.value ->> 0 < t."end" AND t.start < r.value ->> 1"""


def _ranges(ranges: Iterable[Range]) -> str:
    return json.dumps([[start, end] for start, end in ranges])


def suggestions_over(db: sqlite_utils.Database, article_id: str, ranges: Iterable[Range]) -> list[Suggestion]:
    """The article's stored suggestions sharing a character with one of ``ranges``, by position."""
    sql = f"""SELECT DISTINCT t.* FROM json_each(?) r, suggestions t WHERE t.article_id = ? AND {_OVER}
              ORDER BY t.start, t."end", t.id"""
    return [row_to_suggestion(row) for row in db.query(sql, [_ranges(ranges), article_id])]


def spans_over(db: sqlite_utils.Database, article_id: str, annotator: str, ranges: Iterable[Range]) -> list[Span]:
    """This annotator's gold spans of the article sharing a character with one of ``ranges``, by position."""
    sql = f"""SELECT DISTINCT t.* FROM json_each(?) r, spans t WHERE t.article_id = ? AND t.annotator = ? AND {_OVER}
              ORDER BY t.start, t."end", t.id"""
    return [row_to_span(row) for row in db.query(sql, [_ranges(ranges), article_id, annotator])]


def rejections_over(db: sqlite_utils.Database, article_id: str, annotator: str,
                    ranges: Iterable[Range]) -> set[tuple[int, int, str, str]]:
    """(start, end, label, kind) of this annotator's rejections in the article over one of ``ranges``."""
    sql = f"""SELECT DISTINCT t.start, t."end", t.label, t.kind FROM json_each(?) r, rejections t
              WHERE t.article_id = ? AND t.annotator = ? AND {_OVER}"""
    return {tuple(row) for row in db.execute(sql, [_ranges(ranges), article_id, annotator]).fetchall()}


def span_bounds(db: sqlite_utils.Database, span_ids: Iterable[int]) -> list[Range]:
    """(start, end) of those of these gold spans that exist."""
    sql = 'SELECT start, "end" FROM spans WHERE id IN (SELECT value FROM json_each(?))'
    return [tuple(row) for row in db.execute(sql, [json.dumps(list(span_ids))]).fetchall()]


def last_action_id(db: sqlite_utils.Database) -> int:
    """The id of the latest entry of the action log (0: none yet)."""
    return db.execute("SELECT coalesce(max(id), 0) FROM actions").fetchone()[0]


def actions_after(db: sqlite_utils.Database, action_id: int, limit: int) -> list[Action]:
    """Up to ``limit`` entries of the whole log after ``action_id``, oldest first (every scope)."""
    cursor = db.execute("SELECT * FROM actions WHERE id > ? ORDER BY id LIMIT ?", [action_id, limit])
    columns = [c[0] for c in cursor.description]
    return [row_to_action(dict(zip(columns, row, strict=True))) for row in cursor.fetchall()]


def suggested_arg_bounds(db: sqlite_utils.Database, article_id: str) -> list[tuple[int, int, str, str, int, int, int, str]]:
    """The article's suggested event arguments with their trigger's and filler's suggestion, in one join
    (not every suggestion of the article): ``(trigger start, end, label, role, filler id, start, end,
    label)``, in the arguments' order."""
    sql = """SELECT t.start, t."end", t.label, a.role, f.id, f.start, f."end", f.label
             FROM suggestion_args a JOIN suggestions t ON t.id = a.event_id JOIN suggestions f ON f.id = a.span_id
             WHERE t.article_id = ? AND f.article_id = ? ORDER BY a.id"""
    return [tuple(row) for row in db.execute(sql, [article_id, article_id]).fetchall()]


def article_status(db: sqlite_utils.Database, article_id: str) -> tuple[str, str]:
    """An article's overall status and its time stamp: what actions change of an article's row
    (its text and the rest never change after ingest)."""
    return tuple(db.execute("SELECT status, updated_at FROM articles WHERE id = ?", [article_id]).fetchone())
