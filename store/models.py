"""Domain objects of glossator: frozen dataclasses shared by every layer.

Offsets are Python ``str`` indices into an article's verbatim text, end exclusive.
Layers (``kind``): ``entity`` (PER/ORG/LOC/MISC), ``event`` (ATTACK, MEETING, …) and
``value`` (QUANTITY, DATE: argument spans that are not entities). Spans never overlap
within a layer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ENTITY = "entity"
EVENT = "event"
VALUE = "value"
KINDS = (ENTITY, EVENT, VALUE)

TODO = "todo"
IN_PROGRESS = "in_progress"
DONE = "done"
STATUSES = (TODO, IN_PROGRESS, DONE)
# An annotator skipped the article (issue 14.8): not done, not offered next again; not in STATUSES
# (those are the progress states counted everywhere), a status of its own in reviews.
SKIPPED = "skipped"
REVIEW_STATUSES = (*STATUSES, SKIPPED)


@dataclass(frozen=True)
class Region:
    """A stretch of an article that is not news prose (site furniture, metadata)."""

    start: int
    end: int
    kind: str  # "boilerplate" | "metadata"


@dataclass(frozen=True)
class Article:
    """One ingested document; ``text`` is exactly the decoded file content."""

    id: str  # content hash of text
    source: str
    title: str
    date: str | None
    text: str
    meta: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    regions: tuple[Region, ...] = ()
    flags: tuple[str, ...] = ()  # e.g. "repeated_lead", "duplicate_of:<id>"
    status: str = TODO
    created_at: str = ""
    updated_at: str = ""


@dataclass(frozen=True)
class SpanSuggestion:
    """A span proposed by a suggester, before it is stored."""

    start: int
    end: int
    label: str
    kind: str = ENTITY
    score: float | None = None


@dataclass(frozen=True)
class ArgSuggestion:
    """An argument of a suggested event: indexes into ``DocSuggestions.spans``."""

    event: int
    role: str
    span: int


@dataclass(frozen=True)
class DocSuggestions:
    """Everything a suggester proposes for one text."""

    spans: tuple[SpanSuggestion, ...] = ()
    args: tuple[ArgSuggestion, ...] = ()


@dataclass(frozen=True)
class Suggestion:
    """A stored suggestion (model output) for an article."""

    id: int
    article_id: str
    start: int
    end: int
    label: str
    kind: str
    source: str  # pipeline name+version and rules hash
    score: float | None = None


@dataclass(frozen=True)
class SuggestedArg:
    """A stored argument of a suggested event."""

    event_id: int  # Suggestion.id of the trigger
    role: str
    span_id: int  # Suggestion.id of the argument span


@dataclass(frozen=True)
class Span:
    """A gold span made by an annotator."""

    id: int
    article_id: str
    start: int
    end: int
    label: str
    kind: str
    annotator: str
    kb_id: str | None = None
    created_at: str = ""
    updated_at: str = ""


@dataclass(frozen=True)
class EventArg:
    """A gold role filler: the event trigger span and the argument span."""

    id: int
    event_id: int  # Span.id of the trigger (kind event)
    role: str
    span_id: int  # Span.id of the argument (kind entity or value)
    annotator: str = ""


@dataclass(frozen=True)
class Alias:
    """A surface form of a canonical entity; ``count`` is its number of linked mentions."""

    text: str
    count: int = 0


@dataclass(frozen=True)
class Entity:
    """A canonical entity (knowledge-base record) that mentions link to by ``kb_id``."""

    id: str  # stable slug, e.g. "mohammed_shia_al_sudani"
    name: str
    type: str  # PER / ORG / LOC / MISC
    aliases: tuple[Alias, ...] = ()
    description: str = ""
    external_id: str = ""
    merged_into: str | None = None
    created_at: str = ""


@dataclass(frozen=True)
class Action:
    """One entry of the append-only action log.

    ``ops`` holds row changes ``{"table", "pk", "before", "after"}``; undo restores
    ``before``, redo restores ``after``. ``undoes``/``redoes`` name the action reverted.
    """

    id: int
    at: str
    annotator: str
    article_id: str | None
    kind: str
    ops: tuple[dict[str, Any], ...] = ()
    undoes: int | None = None
    redoes: int | None = None


@dataclass(frozen=True)
class Flag:
    """An annotator's doubt: about a gold span (``span_id``) or the whole article (``span_id`` None)."""

    id: int
    article_id: str
    annotator: str
    span_id: int | None = None
    note: str = ""
    created_at: str = ""
