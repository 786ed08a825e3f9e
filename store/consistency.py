"""Reads for the consistency queue (``annotate/service/corpuswide.py``): one annotator's gold
spans with their text, and the articles that annotator has worked on (where a surface left
unlabelled is a disagreement; in an article nobody opened yet it is only not reviewed)."""

from __future__ import annotations

from store.convert import row_to_span
from store.models import Span
from store.repo import Store


def gold_mentions(store: Store, annotator: str) -> list[tuple[Span, str]]:
    """Every gold span of this annotator with its text, in ingest order then position."""
    rows = store.db.query(
        """SELECT s.*, substr(a.text, s.start + 1, s."end" - s.start) AS surface
           FROM spans s JOIN articles a ON a.id = s.article_id WHERE s.annotator = ?
           ORDER BY a.rowid, s.start, s."end", s.id""", [annotator])
    return [(row_to_span(r), r["surface"]) for r in rows]


def worked_on(store: Store, annotator: str) -> list[tuple[str, str, str]]:
    """(id, title, text) of the articles this annotator started or finished or has gold in, in ingest order."""
    rows = store.db.execute(
        """SELECT a.id, a.title, a.text FROM articles a WHERE a.id IN
             (SELECT article_id FROM reviews WHERE annotator = :who AND status != 'todo'
              UNION SELECT article_id FROM spans WHERE annotator = :who)
           ORDER BY a.rowid""", {"who": annotator}).fetchall()
    return [(r[0], r[1] or "", r[2]) for r in rows]
