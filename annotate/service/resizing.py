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

Gold spans are never changed — a mention the reviewer already decided stays as decided — but for
the ones the reviewer's previous key made or moved along with the span being resized again
(``carried``): a widening in several keys carries its twins all the way. The pending twins become
gold spans of the resized span's label, linked as the resized span is (else as their new surface
is linked in the article) when ``[review] propagate_links`` is on. ``[review] resize_propagates``
switches it all off. One pass over the article's items per resize, plus one read of the log.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotate.entities import kb
from annotate.review.state import GOLD, PENDING, Item, ReviewState, layer_of, overlaps
from annotate.service.context import ServiceContext
from store.actions import UnitOfWork, now
from store.models import Article

# What str.splitlines() breaks on: a span never runs across any of them.
LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


# The actions after which a resize of their span carries along the spans they made or moved with it.
CHAINED = frozenset({"resize", "accept_edited", "accept_link"})


@dataclass(frozen=True)
class Twin:
    """A mention that a resize reaches, and the bounds it gets: a pending suggestion, or a gold span
    the reviewer's previous key made or moved with the span being resized (``span_id``)."""

    suggestion_id: int | None
    start: int
    end: int
    span_id: int | None = None


@dataclass(frozen=True)
class Resized:
    """What a resize did: the resized span, and how many other mentions got the same change."""

    span_id: int
    others: int = 0


def _cuts(text: str, at: int) -> bool:
    """Whether a bound at ``at`` falls inside a word."""
    return 0 < at < len(text) and text[at - 1].isalnum() and text[at].isalnum()


def twins(state: ReviewState, source: Item, new: tuple[int, int], label: str, kind: str,
          carried: frozenset[int] = frozenset()) -> list[Twin]:
    """The pending suggestions of ``state`` (and the gold spans ``carried``) that moving ``source``
    (gold or pending) to ``new``, labelled ``label`` of layer ``kind`` once resized, reaches, with
    their new bounds, in text order."""
    text = state.article.text
    start, end = new
    resized = text[start:end]
    if (source.start, source.end) == new or not resized.strip() or any(ch in LINE_BREAKS for ch in resized):
        return []
    left, right = source.start - start, end - source.end
    layer = layer_of(kind)
    taken = [(i.start, i.end, i.key) for i in state.items
             if i.state == GOLD and i.key != source.key and layer_of(i.kind) == layer]
    taken.append((start, end, source.key))
    found = []
    for item in state.items:
        reachable = item.state == PENDING or item.span_id in carried
        if (not reachable or item.key == source.key or item.label != label
                or layer_of(item.kind) != layer or item.text != source.text):
            continue
        at, to = item.start - left, item.end + right
        if at < 0 or to > len(text) or text[at:to] != resized:
            continue
        if (_cuts(text, at) and not _cuts(text, start)) or (_cuts(text, to) and not _cuts(text, end)):
            continue
        if any(overlaps(a, b, at, to) for a, b, key in taken if key != item.key):  # a carried span leaves its place
            continue
        taken.append((at, to, item.key))
        found.append(Twin(item.suggestion_id, at, to, item.span_id))
    return found


def carried(ctx: ServiceContext, article: Article, span_id: int) -> frozenset[int]:
    """The gold spans that this annotator's latest action in the article made or moved along with
    span ``span_id`` (twins it resized, mentions it accepted with a link), when that action was an
    accept or a resize of that span: a widening in several keys ("Hashd" → "Hashd al" → "Hashd
    al-Chaabi") carries its twins all the way, not only at the first key. Any other action since
    (an undo included) ends the chain."""
    last = ctx.store.history(article.id, limit=1, annotator=ctx.annotator)
    if not last or last[0].kind not in CHAINED:
        return frozenset()
    ops = [op for op in last[0].ops if op["table"] == "spans"]
    # The action's own span is its first span row (the one accepted or resized); the twins follow.
    # A twin it moved, resized in turn, starts a chain of its own.
    if not ops or ops[0]["pk"] != span_id:
        return frozenset()
    made = {op["pk"] for op in ops if op["pk"] != span_id and op.get("before") is None and op.get("after")}
    moved = {op["pk"] for op in ops if op["pk"] != span_id and op.get("before") and op.get("after")
             and ("start" in op["after"] or "end" in op["after"])}
    return frozenset(made | moved)


def reached(ctx: ServiceContext, article: Article, source: Item, new: tuple[int, int], label: str) -> list[Twin]:
    """The twins that moving ``source`` to ``new`` (labelled ``label``) reaches in the article as this
    annotator sees it, none with ``[review] resize_propagates`` off. Called inside the resize's write
    transaction, like the overlap check: no other process adds a span between reading and writing."""
    if not ctx.config.resize_propagates or (source.start, source.end) == new:
        return []
    chain = carried(ctx, article, source.span_id) if source.span_id is not None else frozenset()
    return twins(ctx.review_state(article.id), source, new, label, ctx.kind_of(label), chain)


def resize_twins(uow: UnitOfWork, ctx: ServiceContext, article: Article, found: list[Twin], label: str,
                 entity_id: str | None = None) -> int:
    """Make the pending twins gold at their new bounds inside the caller's action, each linked to
    ``entity_id`` (None: not linked), and move the carried ones (their links kept); returns how many."""
    for twin in found:
        if twin.span_id is not None:
            uow.update("spans", twin.span_id, {"start": twin.start, "end": twin.end, "updated_at": now()})
            continue
        span_id = ctx.insert_span(uow, article, twin.start, twin.end, label)
        if entity_id is not None:
            kb.link_span(uow, ctx.store, span_id, entity_id)
    return len(found)
