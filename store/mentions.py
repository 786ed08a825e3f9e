"""An entity's mentions with the text around each (the entities screen shows them in context)."""

from __future__ import annotations

from typing import Any

import sqlite_utils


def mentions_in_context(db: sqlite_utils.Database, entity_id: str, limit: int = 200,
                        window: int = 200) -> list[dict[str, Any]]:
    """Gold spans linked to an entity, in ingest order, each with up to ``window`` characters of its
    article's text on either side: span_id, article_id, title, start, end, label, annotator,
    ``context`` (that stretch of text) and ``context_start`` (its offset in the text)."""
    sql = """SELECT s.id AS span_id, s.article_id, a.title, s.start, s."end" AS "end", s.label, s.annotator,
                    max(s.start - :w, 0) AS context_start,
                    substr(a.text, max(s.start - :w, 0) + 1, s."end" - max(s.start - :w, 0) + :w) AS context
             FROM spans s JOIN articles a ON a.id = s.article_id WHERE s.kb_id = :id
             ORDER BY a.rowid, s.start, s.id LIMIT :limit"""
    return [dict(r) for r in db.query(sql, {"id": entity_id, "w": window, "limit": limit})]


def mention_count(db: sqlite_utils.Database, entity_id: str) -> int:
    """How many gold spans are linked to the entity."""
    return db.execute("SELECT count(*) FROM spans WHERE kb_id = ?", [entity_id]).fetchone()[0]
