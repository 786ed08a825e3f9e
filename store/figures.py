"""Counts over the whole database for ``glossator stats`` and the dashboard."""

from __future__ import annotations

from store.repo import Store


def annotator_names(store: Store) -> list[str]:
    """Everyone with a review status or a gold span, by name."""
    return sorted(r[0] for r in store.db.execute("SELECT annotator FROM reviews UNION SELECT annotator FROM spans"))


def label_counts(store: Store) -> dict[str, int]:
    """Gold spans per label, every annotator's."""
    return {label: n for label, n in store.db.execute("SELECT label, count(*) FROM spans GROUP BY label")}


def link_counts(store: Store) -> tuple[int, int]:
    """(linked, unlinked) entity spans."""
    linked, unlinked = store.db.execute(
        "SELECT count(kb_id), count(*) - count(kb_id) FROM spans WHERE kind = 'entity'").fetchone()
    return linked, unlinked


def skipped_todo(store: Store) -> int:
    """Articles still todo overall that at least one annotator skipped."""
    return store.db.execute(
        """SELECT count(*) FROM articles a WHERE a.status = 'todo'
           AND EXISTS (SELECT 1 FROM reviews r WHERE r.article_id = a.id AND r.status = 'skipped')""").fetchone()[0]
