"""Schema migrations, applied in order and recorded in ``_sqlite_migrations``.

Never edit a migration that has shipped: add a new one.
"""

from __future__ import annotations

import sqlite_utils
from sqlite_utils import Migrations

MIGRATIONS = Migrations("glossator")


@MIGRATIONS()
def m001_initial(db: sqlite_utils.Database) -> None:
    db["articles"].create(
        {
            "id": str,
            "source": str,
            "title": str,
            "date": str,
            "text": str,
            "meta": str,
            "regions": str,
            "flags": str,
            "status": str,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"source", "text", "status"},
        defaults={"status": "todo", "meta": "{}", "regions": "[]", "flags": "[]"},
    )
    db["suggestions"].create(
        {
            "id": int,
            "article_id": str,
            "start": int,
            "end": int,
            "label": str,
            "kind": str,
            "source": str,
            "score": float,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
        not_null={"article_id", "start", "end", "label", "kind"},
    )
    db["suggestions"].create_index(["article_id", "start"])
    db["suggestion_args"].create(
        {"id": int, "event_id": int, "role": str, "span_id": int},
        pk="id",
        foreign_keys=[("event_id", "suggestions", "id"), ("span_id", "suggestions", "id")],
    )
    db["suggestion_args"].create_index(["event_id"])
    db["suggest_runs"].create(
        {"article_id": str, "fingerprint": str, "at": str},
        pk="article_id",
        foreign_keys=[("article_id", "articles", "id")],
    )
    db["entities"].create(
        {
            "id": str,
            "name": str,
            "type": str,
            "description": str,
            "external_id": str,
            "merged_into": str,
            "created_at": str,
        },
        pk="id",
        not_null={"name", "type"},
        defaults={"description": "", "external_id": ""},
    )
    db["aliases"].create(
        {"id": int, "entity_id": str, "text": str, "source": str},
        pk="id",
        foreign_keys=[("entity_id", "entities", "id")],
    )
    db["aliases"].create_index(["entity_id", "text"], unique=True)
    db["spans"].create(
        {
            "id": int,
            "article_id": str,
            "start": int,
            "end": int,
            "label": str,
            "kind": str,
            "annotator": str,
            "kb_id": str,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
        not_null={"article_id", "start", "end", "label", "kind", "annotator"},
    )
    db["spans"].create_index(["article_id", "annotator", "kind", "start"])
    db["spans"].create_index(["kb_id"])
    db["event_args"].create(
        {"id": int, "event_id": int, "role": str, "span_id": int, "annotator": str},
        pk="id",
        foreign_keys=[("event_id", "spans", "id"), ("span_id", "spans", "id")],
    )
    db["event_args"].create_index(["event_id"])
    db["event_args"].create_index(["span_id"])
    db["rejections"].create(
        {
            "id": int,
            "article_id": str,
            "annotator": str,
            "start": int,
            "end": int,
            "label": str,
            "kind": str,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
    )
    db["rejections"].create_index(["article_id", "annotator"])
    db["actions"].create(
        {
            "id": int,
            "at": str,
            "annotator": str,
            "article_id": str,
            "kind": str,
            "ops": str,
            "undoes": int,
            "redoes": int,
        },
        pk="id",
    )
    db["actions"].create_index(["article_id", "annotator"])


@MIGRATIONS()
def m002_reviews(db: sqlite_utils.Database) -> None:
    # Each annotator has their own status per article; articles.status becomes the overall one.
    db["reviews"].create(
        {"id": str, "article_id": str, "annotator": str, "status": str, "updated_at": str},
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
        not_null={"article_id", "annotator", "status"},
    )
    db["reviews"].create_index(["article_id", "annotator"], unique=True)
    db["reviews"].create_index(["annotator", "status"])
    # Databases from m001 kept one status per article: credit it to whoever last acted there.
    db.execute(
        """INSERT INTO reviews (id, article_id, annotator, status, updated_at)
           SELECT a.id || char(9) || x.annotator, a.id, x.annotator, a.status, a.updated_at
           FROM articles a JOIN (SELECT article_id, annotator, max(id) AS last FROM actions
                                 WHERE article_id IS NOT NULL GROUP BY article_id) x ON x.article_id = a.id
           WHERE a.status != 'todo'"""
    )


@MIGRATIONS()
def m007_link_rejections(db: sqlite_utils.Database) -> None:
    # A mention linked to another entity than the matcher's top candidate for its surface: the
    # candidate ranks lower for that surface from then on (annotate/entity_service.py).
    db["link_rejections"].create(
        {"id": int, "surface": str, "entity_id": str, "chosen": str, "annotator": str,
         "created_at": str},
        pk="id",
        not_null={"surface", "entity_id"},
    )
    db["link_rejections"].create_index(["surface"])
