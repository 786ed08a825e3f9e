"""What `N` does with a mention: which entity it links to, and whether it creates it.

In order, for a mention of label L:

1. the starter KB's entry when the mention reads like exactly one entry of L (``catalog``);
2. else, when the mention is a short form of one fullest L mention of the same article
   (``fuller``): the entity that mention is linked to, else its catalog entry, else a new entity
   named after it (the short form becomes an alias when the mention is linked);
3. else a new entity named after the mention.

An id that an entity of label L already has (followed through merges) is linked to, never doubled by
a ``_2``; an id that was issued to something else (another type, an entity an undo removed) is not
reused: the name's unique slug is taken instead, as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from annotate.entities import catalog
from annotate.entities.builtin import BuiltinEntity
from annotate.entities.fuller import Mention, fuller_mention
from annotate.entities.kb import add_alias, create_entity, slugify, unique_slug
from store.actions import UnitOfWork
from store.models import Entity
from store.repo import Store


@dataclass(frozen=True)
class NewEntityPlan:
    """The entity `N` links a mention to: its id and name, whether it exists already (then nothing is
    created), and the starter-KB entry a new one is made from (None: a plain new entity)."""

    entity_id: str
    name: str
    existing: bool = False
    entry: BuiltinEntity | None = None


def live_entity(store: Store, entity_id: str, label: str | None = None) -> Entity | None:
    """The entity ``entity_id`` stands for now (its keeper when it was merged), when it exists and,
    with ``label``, has that type."""
    seen: set[str] = set()
    entity = store.entity(entity_id)
    while entity is not None and entity.merged_into and entity.id not in seen:
        seen.add(entity.id)
        entity = store.entity(entity.merged_into)
    if entity is None or entity.merged_into or (label is not None and entity.type != label):
        return None
    return entity


def _named(store: Store, name: str, label: str) -> NewEntityPlan:
    same = live_entity(store, slugify(name), label)
    if same is not None:
        return NewEntityPlan(same.id, same.name, existing=True)
    return NewEntityPlan(unique_slug(store, name), name)


def plan_for_mention(store: Store, text: str, label: str, mentions: Sequence[Mention] = ()) -> NewEntityPlan:
    """What `N` does with a mention reading ``text`` labelled ``label``; ``mentions`` are the entity
    mentions of its article (gold and pending), for the fuller name it may abbreviate."""
    surface = " ".join(text.split())
    name = surface
    entry = catalog.entry_for(surface, label)
    if entry is None:
        full = fuller_mention(surface, label, mentions)
        if full is not None:
            linked = live_entity(store, full.kb_id) if full.kb_id else None
            if linked is not None:  # the article already says who the full name is
                return NewEntityPlan(linked.id, linked.name, existing=True)
            name = full.name
            entry = catalog.entry_for(name, label)
    if entry is not None:
        same = live_entity(store, entry.id, label)
        if same is not None:
            return NewEntityPlan(same.id, same.name, existing=True)
        if not store.entity_id_issued(entry.id):
            return NewEntityPlan(entry.id, entry.name, entry=entry)
    return _named(store, name, label)


def as_planned(plan: NewEntityPlan, name: str | None, entity_id: str | None) -> bool:
    """Whether a new entity asked for with ``name`` and ``entity_id`` is the plan's own (nothing chosen,
    or the new-entity dialog's proposal taken unchanged), so that it is made as `N` makes it."""
    if name is None and entity_id is None:
        return True
    return not plan.existing and entity_id == plan.entity_id and name in (None, plan.name)


def carry_out(uow: UnitOfWork, store: Store, plan: NewEntityPlan, label: str) -> str:
    """Create the plan's entity unless it exists (inside the caller's action); returns its id. From a
    catalog entry: its name, type, aliases, external id and description."""
    if plan.existing:
        return plan.entity_id
    entry = plan.entry
    if entry is None:
        return create_entity(uow, store, plan.name, label, entity_id=plan.entity_id)
    create_entity(uow, store, entry.name, entry.type, entity_id=plan.entity_id, description=entry.description,
                  external_id=entry.external_id)
    for alias in entry.aliases:
        add_alias(uow, store, plan.entity_id, alias, "import")
    return plan.entity_id
