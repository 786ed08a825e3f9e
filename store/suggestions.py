"""Suggestion bookkeeping that ``annotate/suggest/run.py`` needs: the known-name table it matches on."""

from __future__ import annotations

from store.repo import Store


def known_names(store: Store) -> list[tuple[str, str, str]]:
    """(surface, type, kb_id) of every alias of every live canonical entity."""
    rows = store.db.execute(
        "SELECT a.text, e.type, e.id FROM aliases a JOIN entities e ON e.id = a.entity_id WHERE e.merged_into IS NULL"
    ).fetchall()
    return [(r[0], r[1], r[2]) for r in rows]
