"""Link once, not per mention (issue 14): which mentions of an article a link reaches, and which
entity a mention gets when it is accepted.

Linking a mention links, in the same action, every mention of the article that reads the same
once normalised (``normalise_name``: case, accents, titles, apostrophes): this annotator's gold
entity spans that are not linked yet, and the pending entity suggestions
(accepted with the linked span's label). Accepting a mention links it when its surface is already
linked in the article, else when the matcher's top candidate is ``confident`` (the link picker's
pre-selection rule). ``[review] propagate_links`` and ``confident_links`` switch each off.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

from annotate.entities import catalog, kb, proposal
from annotate.entities.fuller import Mention
from annotate.entities.proposal import NewEntityPlan
from annotate.review.state import GOLD, PENDING, layer_of, overlaps
from annotate.service.context import ServiceContext
from store.actions import UnitOfWork
from store.models import ENTITY, Article

if TYPE_CHECKING:
    from annotate.service.entities import EntityOps

# Building the match index for a large knowledge base takes seconds: an accept never waits for it
# (the app builds it in the background; until then a confident link is not looked for).
CONFIDENT_INDEX_LIMIT = 20_000


def surface_key(text: str) -> str:
    """How two mentions are compared: the matcher's normalised name ("" matches nothing)."""
    from annotate.entities.matching.normalise import normalise_name

    return normalise_name(" ".join(text.split()))


def surface_links(mentions: Iterable[tuple[str, str | None]]) -> dict[str, Counter]:
    """Normalised surface → how many of these (text, entity) mentions are linked to each entity."""
    links: dict[str, Counter] = {}
    for text, entity_id in mentions:
        key = surface_key(text)
        if entity_id and key:
            links.setdefault(key, Counter())[entity_id] += 1
    return links


def article_mentions(ctx: ServiceContext, article_id: str, at: tuple[int, int] | None = None) -> tuple[Mention, ...]:
    """The article's entity mentions as this annotator sees them (gold, and suggestions still pending),
    in text order: where `N` looks for the fuller name a short form abbreviates. Pending ones
    overlapping ``at`` are left out: they are other readings of that very mention, and accepting it
    hides them."""
    return tuple(Mention(i.text, i.label, i.kb_id, i.state == GOLD)
                 for i in ctx.review_state(article_id).items
                 if i.kind == ENTITY and not (at and i.state == PENDING and overlaps(*at, i.start, i.end)
                                              and (i.start, i.end) != at))


def plan_new_entity(ctx: ServiceContext, article_id: str, text: str, label: str,
                    at: tuple[int, int] | None = None) -> NewEntityPlan:
    """What `N` does with the mention ``at`` of the article reading ``text`` (``proposal.plan_for_mention``)."""
    return proposal.plan_for_mention(ctx.store, text, label, article_mentions(ctx, article_id, at))


def new_entity(uow: UnitOfWork, ctx: ServiceContext, article_id: str, text: str, label: str,
               name: str | None = None, entity_id: str | None = None) -> str:
    """The entity a mention of the article gets from `N` or the new-entity dialog (inside the caller's
    action): `N`'s plan when nothing is chosen or the dialog's proposal is kept, else a new entity
    named ``name`` (else after the mention) with the id ``entity_id`` (else the name's slug)."""
    plan = plan_new_entity(ctx, article_id, text, label)
    if proposal.as_planned(plan, name, entity_id):
        return proposal.carry_out(uow, ctx.store, plan, label)
    entry = catalog.entry_by_id(entity_id) if entity_id else None
    if entry is not None and entry.type == label and name in (None, entry.name):  # a starter-KB entry chosen
        return proposal.carry_out(uow, ctx.store, NewEntityPlan(entry.id, entry.name, entry=entry), label)
    return kb.create_entity(uow, ctx.store, name or " ".join(text.split()), label, entity_id=entity_id)


def linked_here(ctx: ServiceContext, article_id: str, surface: str) -> str | None:
    """The entity this annotator's gold mentions of ``surface`` in the article are linked to (the
    most frequent), or None."""
    key = surface_key(surface)
    if not key:
        return None
    text = ctx.store.get_article(article_id).text
    found = surface_links((text[s.start:s.end], s.kb_id) for s in ctx.store.spans(article_id, ctx.annotator)
                          if s.kind == ENTITY).get(key)
    return found.most_common(1)[0][0] if found else None


def confident_entity(entities: EntityOps, surface: str, label: str) -> str | None:
    """The matcher's top candidate for ``surface`` when it is confident, or None."""
    if not entities.index_built and entities.entity_count() > CONFIDENT_INDEX_LIMIT:
        return None
    top = entities.match(surface, label, 1)
    return top[0].id if top and top[0].confident else None


def link_for_accept(ctx: ServiceContext, entities: EntityOps, article_id: str, start: int, end: int,
                    label: str) -> str | None:
    """The entity an accepted mention ``start``–``end`` labelled ``label`` is linked to in the same key."""
    config = ctx.config
    if ctx.kind_of(label) != ENTITY or not (config.propagate_links or config.confident_links):
        return None
    surface = ctx.store.get_article(article_id).text[start:end]
    if config.propagate_links:
        here = linked_here(ctx, article_id, surface)
        if here:
            return here
    if config.confident_links:
        return confident_entity(entities, surface, label)
    return None


def propagate(uow: UnitOfWork, ctx: ServiceContext, article: Article, span_id: int, entity_id: str) -> int:
    """Link the article's other mentions that read as span ``span_id`` to ``entity_id`` (inside the
    caller's action); returns how many. Gold spans already linked are left."""
    if not ctx.config.propagate_links:
        return 0
    store = ctx.store
    source = store.span(span_id)
    key = surface_key(article.text[source.start:source.end])
    if not key:
        return 0
    state = ctx.review_state(article.id)
    taken = [(i.start, i.end) for i in state.items if i.state == GOLD and layer_of(i.kind) == ENTITY]
    made = 0
    for item in state.items:
        if item.kind != ENTITY or item.span_id == span_id or surface_key(item.text) != key:
            continue
        if item.state == GOLD:
            # only unlinked ones: a mention linked otherwise was decided (a relink that dragged the
            # others along would undo a deliberate metonymy, "Baghdad" the government, each time)
            if item.kb_id is None:
                kb.link_span(uow, store, item.span_id, entity_id)
                made += 1
        elif item.state == PENDING and not any(overlaps(s, e, item.start, item.end) for s, e in taken):
            new_id = ctx.insert_span(uow, article, item.start, item.end, source.label)
            kb.link_span(uow, store, new_id, entity_id)
            taken.append((item.start, item.end))
            made += 1
    return made


def other_occurrences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Where else ``text[start:end]`` occurs in ``text`` as whole words (case kept; any run of
    whitespace matches any other), in text order; the span itself is left out."""
    words = text[start:end].split()
    if not words:
        return []
    pattern = re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)")
    return [(m.start(), m.end()) for m in pattern.finditer(text) if (m.start(), m.end()) != (start, end)]
