"""Resize propagation (issue 14): widening or trimming one mention does the same to its twins.

When the reviewer moves a span's bounds ("Maliki" → "Nouri al-Maliki", "Hezbollah libanais" →
"Hezbollah"), every other *pending* suggestion of the article that reads exactly as the span did,
with the same label, gets the same change in the same action (one undo reverts all), provided its
own surroundings allow it: a resize moves the start by ``left`` characters and the end by
``right``, and a twin at ``t``–``u`` becomes ``t - left``–``u + right`` only when that range reads
exactly as the resized span (the same characters added or removed beside it). A twin is left as
it is when its new range would

* cross a line break (so would the resized span: then nothing propagates),
* cut a word the resized span does not cut (``xNouri al-Maliki``),
* overlap a gold span of its layer, the resized span or a twin resized before it (no duplicate,
  no overlap: gold never overlaps within a layer).

Gold spans are never changed: a mention the reviewer already decided stays as decided. The twins
become gold spans of the resized span's label, linked as the resized span is (else as their new
surface is linked in the article) when ``[review] propagate_links`` is on. ``[review]
resize_propagates`` switches it all off. One pass over the article's items per resize.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotate.entities import kb
from annotate.review.state import GOLD, PENDING, Item, ReviewState, layer_of, overlaps
from annotate.service.context import ServiceContext
from store.actions import UnitOfWork
from store.models import Article

# What str.splitlines() breaks on: a span never runs across any of them.
LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


@dataclass(frozen=True)
class Twin:
    """A pending suggestion that a resize reaches, and the bounds it gets."""

    suggestion_id: int
    start: int
    end: int


@dataclass(frozen=True)
class Resized:
    """What a resize did: the resized span, and how many other mentions got the same change."""

    span_id: int
    others: int = 0


def _cuts(text: str, at: int) -> bool:
    """Whether a bound at ``at`` falls inside a word."""
    return 0 < at < len(text) and text[at - 1].isalnum() and text[at].isalnum()


def twins(state: ReviewState, source: Item, new: tuple[int, int], label: str, kind: str) -> list[Twin]:
    """The pending suggestions of ``state`` that moving ``source`` (gold or pending) to ``new``,
    labelled ``label`` of layer ``kind`` once resized, reaches, with their new bounds, in text order."""
    text = state.article.text
    start, end = new
    resized = text[start:end]
    if (source.start, source.end) == new or not resized.strip() or any(ch in LINE_BREAKS for ch in resized):
        return []
    left, right = source.start - start, end - source.end
    layer = layer_of(kind)
    taken = [(i.start, i.end) for i in state.items
             if i.state == GOLD and i.key != source.key and layer_of(i.kind) == layer]
    taken.append(new)
    found = []
    for item in state.items:
        if (item.state != PENDING or item.key == source.key or item.label != label
                or layer_of(item.kind) != layer or item.text != source.text):
            continue
        at, to = item.start - left, item.end + right
        if at < 0 or to > len(text) or text[at:to] != resized:
            continue
        if (_cuts(text, at) and not _cuts(text, start)) or (_cuts(text, to) and not _cuts(text, end)):
            continue
        if any(overlaps(a, b, at, to) for a, b in taken):
            continue
        taken.append((at, to))
        found.append(Twin(item.suggestion_id, at, to))  # type: ignore[arg-type]  # pending: it has one
    return found


def reached(ctx: ServiceContext, article: Article, source: Item, new: tuple[int, int], label: str) -> list[Twin]:
    """The twins that moving ``source`` to ``new`` (labelled ``label``) reaches in the article as this
    annotator sees it, none with ``[review] resize_propagates`` off. Called inside the resize's write
    transaction, like the overlap check: no other process adds a span between reading and writing."""
    if not ctx.config.resize_propagates or (source.start, source.end) == new:
        return []
    return twins(ctx.review_state(article.id), source, new, label, ctx.kind_of(label))


def resize_twins(uow: UnitOfWork, ctx: ServiceContext, article: Article, found: list[Twin], label: str,
                 entity_id: str | None = None) -> int:
    """Make the twins gold at their new bounds inside the caller's action, each linked to ``entity_id``
    (None: not linked); returns how many."""
    for twin in found:
        span_id = ctx.insert_span(uow, article, twin.start, twin.end, label)
        if entity_id is not None:
            kb.link_span(uow, ctx.store, span_id, entity_id)
    return len(found)
