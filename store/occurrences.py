"""Reads for annotating all occurrences across the corpus (``annotate/service/corpuswide.py``):
the articles whose text may hold a surface, through the FTS5 index of migration m010_fts, and
one annotator's gold, suggestions and rejections in a batch of articles.

Candidates come in ingest order (rowid) after a cursor, a batch at a time, so the first page of a
common word costs one batch whatever the corpus size; the caller finds the exact offsets in each
verbatim text (the index matches words, not the spacing or case of the surface).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from store.convert import row_to_span, row_to_suggestion
from store.models import Span, Suggestion
from store.repo import Store

CHUNK = 500  # ids per IN (...) list: well under SQLite's variable limit


def candidates(store: Store, phrase: str, exclude: str, after: int, limit: int) -> list[tuple[int, str, str, str]]:
    """(rowid, id, title, text) of up to ``limit`` articles matching the FTS5 ``phrase`` after
    rowid ``after``, in ingest order, ``exclude`` left out."""
    rows = store.db.execute(
        """SELECT a.rowid, a.id, a.title, a.text FROM articles_fts f JOIN articles a ON a.rowid = f.rowid
           WHERE articles_fts MATCH ? AND f.rowid > ? AND a.id != ? ORDER BY f.rowid LIMIT ?""",
        [phrase, after, exclude, limit]).fetchall()
    return [(r[0], r[1], r[2] or "", r[3]) for r in rows]


def _chunks(ids: Sequence[str]) -> list[Sequence[str]]:
    return [ids[n:n + CHUNK] for n in range(0, len(ids), CHUNK)]


def gold_in(store: Store, article_ids: Sequence[str], annotator: str) -> dict[str, list[Span]]:
    """This annotator's gold spans of each article, by position."""
    out: dict[str, list[Span]] = {}
    for chunk in _chunks(article_ids):
        marks = ", ".join("?" * len(chunk))
        for row in store.db.query(f"SELECT * FROM spans WHERE annotator = ? AND article_id IN ({marks}) "
                                  "ORDER BY start, \"end\", id", [annotator, *chunk]):
            span = row_to_span(row)
            out.setdefault(span.article_id, []).append(span)
    return out


def suggestions_in(store: Store, article_ids: Sequence[str]) -> dict[str, list[Suggestion]]:
    """The stored suggestions of each article, by position."""
    out: dict[str, list[Suggestion]] = {}
    for chunk in _chunks(article_ids):
        marks = ", ".join("?" * len(chunk))
        for row in store.db.query(f"SELECT * FROM suggestions WHERE article_id IN ({marks}) "
                                  "ORDER BY start, \"end\"", list(chunk)):
            sug = row_to_suggestion(row)
            out.setdefault(sug.article_id, []).append(sug)
    return out


def rejections_in(store: Store, article_ids: Sequence[str], annotator: str) -> dict[str, set[tuple[Any, ...]]]:
    """(start, end, label, kind) of the suggestions this annotator rejected, per article."""
    out: dict[str, set[tuple[Any, ...]]] = {}
    for chunk in _chunks(article_ids):
        marks = ", ".join("?" * len(chunk))
        rows = store.db.execute(f'SELECT article_id, start, "end", label, kind FROM rejections '
                                f"WHERE annotator = ? AND article_id IN ({marks})", [annotator, *chunk])
        for article_id, *rest in rows:
            out.setdefault(article_id, set()).add(tuple(rest))
    return out


def entity_names(store: Store, entity_ids: Sequence[str]) -> dict[str, str]:
    """id → name of these canonical entities."""
    out: dict[str, str] = {}
    ids = sorted(set(entity_ids))
    for chunk in _chunks(ids):
        marks = ", ".join("?" * len(chunk))
        out.update(store.db.execute(f"SELECT id, name FROM entities WHERE id IN ({marks})", list(chunk)).fetchall())
    return out


def has_index(store: Store) -> bool:
    """Whether the full-text index exists (a database being upgraded may lack it)."""
    return store.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'articles_fts'").fetchone() is not None
