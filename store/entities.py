"""Reads about canonical entities that the knowledge-base operations need (annotate/entities/kb.py)."""

from __future__ import annotations

from store.repo import Store


def mention_ids(store: Store, entity_id: str, surface: str | None = None) -> list[int]:
    """Ids of the gold spans linked to an entity (only those whose text is ``surface``, if given)."""
    if surface is None:
        rows = store.db.execute("SELECT id FROM spans WHERE kb_id = ? ORDER BY id", [entity_id])
    else:
        rows = store.db.execute(
            """SELECT s.id FROM spans s JOIN articles a ON a.id = s.article_id
               WHERE s.kb_id = ? AND substr(a.text, s.start + 1, s."end" - s.start) = ? ORDER BY s.id""",
            [entity_id, surface])
    return [r[0] for r in rows.fetchall()]


def alias_ids(store: Store, entity_id: str) -> list[tuple[int, str]]:
    """(alias id, text) of every alias of an entity, oldest first."""
    rows = store.db.execute("SELECT id, text FROM aliases WHERE entity_id = ? ORDER BY id", [entity_id])
    return [(r[0], r[1]) for r in rows.fetchall()]
