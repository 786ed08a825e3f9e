"""The one place where database rows become domain objects and back."""

from __future__ import annotations

import json
from typing import Any

from store.models import (
    Action,
    Alias,
    Article,
    Entity,
    EventArg,
    Flag,
    Region,
    Span,
    SuggestedArg,
    Suggestion,
)
from store.oplog import loads_ops


def article_to_row(article: Article) -> dict[str, Any]:
    """Row for the ``articles`` table."""
    return {
        "id": article.id,
        "source": article.source,
        "title": article.title,
        "date": article.date,
        "text": article.text,
        "meta": json.dumps(article.meta, ensure_ascii=False, sort_keys=True),
        "regions": json.dumps([[r.start, r.end, r.kind] for r in article.regions]),
        "flags": json.dumps(list(article.flags), ensure_ascii=False),
        "status": article.status,
        "created_at": article.created_at,
        "updated_at": article.updated_at,
    }


def row_to_article(row: dict[str, Any]) -> Article:
    """Article from an ``articles`` row."""
    return Article(
        id=row["id"],
        source=row["source"],
        title=row["title"] or "",
        date=row["date"],
        text=row["text"],
        meta=json.loads(row["meta"] or "{}"),
        regions=tuple(Region(s, e, k) for s, e, k in json.loads(row["regions"] or "[]")),
        flags=tuple(json.loads(row["flags"] or "[]")),
        status=row["status"],
        created_at=row["created_at"] or "",
        updated_at=row["updated_at"] or "",
    )


def row_to_suggestion(row: dict[str, Any]) -> Suggestion:
    """Suggestion from a ``suggestions`` row."""
    return Suggestion(
        id=row["id"],
        article_id=row["article_id"],
        start=row["start"],
        end=row["end"],
        label=row["label"],
        kind=row["kind"],
        source=row["source"] or "",
        score=row["score"],
    )


def row_to_suggested_arg(row: dict[str, Any]) -> SuggestedArg:
    """Suggested argument from a ``suggestion_args`` row."""
    return SuggestedArg(event_id=row["event_id"], role=row["role"], span_id=row["span_id"])


def row_to_span(row: dict[str, Any]) -> Span:
    """Gold span from a ``spans`` row."""
    return Span(
        id=row["id"],
        article_id=row["article_id"],
        start=row["start"],
        end=row["end"],
        label=row["label"],
        kind=row["kind"],
        annotator=row["annotator"],
        kb_id=row["kb_id"],
        created_at=row["created_at"] or "",
        updated_at=row["updated_at"] or "",
    )


def row_to_event_arg(row: dict[str, Any]) -> EventArg:
    """Gold event argument from an ``event_args`` row."""
    return EventArg(
        id=row["id"],
        event_id=row["event_id"],
        role=row["role"],
        span_id=row["span_id"],
        annotator=row["annotator"] or "",
    )


def row_to_entity(row: dict[str, Any], aliases: tuple[Alias, ...] = ()) -> Entity:
    """Canonical entity from an ``entities`` row and its aliases."""
    return Entity(
        id=row["id"],
        name=row["name"],
        type=row["type"],
        aliases=aliases,
        description=row["description"] or "",
        external_id=row["external_id"] or "",
        merged_into=row["merged_into"],
        created_at=row["created_at"] or "",
    )


def row_to_action(row: dict[str, Any]) -> Action:
    """Action-log entry from an ``actions`` row."""
    return Action(
        id=row["id"],
        at=row["at"],
        annotator=row["annotator"] or "",
        article_id=row["article_id"],
        kind=row["kind"],
        ops=tuple(loads_ops(row["ops"])),
        undoes=row["undoes"],
        redoes=row["redoes"],
    )


def row_to_flag(row: dict[str, Any]) -> Flag:
    """Flag from a ``flags`` row."""
    return Flag(id=row["id"], article_id=row["article_id"], annotator=row["annotator"], span_id=row["span_id"],
                note=row["note"] or "", created_at=row["created_at"] or "")


def flag_to_row(flag: Flag) -> dict[str, Any]:
    """Row for the ``flags`` table (``id`` None: the log's id sequence gives one)."""
    return {"id": flag.id or None, "article_id": flag.article_id, "span_id": flag.span_id,
            "annotator": flag.annotator, "note": flag.note, "created_at": flag.created_at}
