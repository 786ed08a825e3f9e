"""Canonical entities in the store: create, link, merge, split, rename.

Every change goes through one logged action so that it can be undone.
"""

from __future__ import annotations

import re
import unicodedata

from store import entities as entity_reads
from store.actions import UnitOfWork, now
from store.db import NotFound
from store.repo import Store


def slugify(name: str) -> str:
    """A kb_id slug: ASCII, lower case, underscores (``Mohammed Shia al-Sudani`` → ``mohammed_shia_al_sudani``)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_")
    return slug or "entity"


ID_MAX = 64  # characters of a kb_id chosen by hand (a slug of a long name is not cut)
ID_CHARS = r"[a-z0-9_]"  # what an id chosen by hand may contain (a slug's characters)


def id_problem(store: Store, entity_id: str) -> str | None:
    """Why ``entity_id`` cannot be the id of a new entity (None: it can)."""
    if not entity_id:
        return "an id cannot be empty"
    if len(entity_id) > ID_MAX:
        return f"an id has at most {ID_MAX} characters"
    if not re.fullmatch(f"{ID_CHARS}+", entity_id):
        return "an id uses a-z, 0-9 and _ only"
    if store.entity_id_issued(entity_id):
        return f"the id {entity_id!r} is taken"
    return None


def unique_slug(store: Store, name: str) -> str:
    """A slug for ``name`` not yet used by any entity."""
    base = slugify(name)
    slug, n = base, 1
    while store.entity_id_issued(slug):  # never the id of an entity an undo removed: a redo restores it
        n += 1
        slug = f"{base}_{n}"
    return slug


def create_entity(uow: UnitOfWork, store: Store, name: str, type_: str, entity_id: str | None = None,
                  description: str = "", external_id: str = "") -> str:
    """Insert a canonical entity (its name is also its first alias); returns its id."""
    entity_id = entity_id or unique_slug(store, name)
    uow.insert("entities", {"id": entity_id, "name": name, "type": type_, "description": description,
                            "external_id": external_id, "merged_into": None, "created_at": now()})
    add_alias(uow, store, entity_id, name, "name")
    return entity_id


def alias_text(text: str) -> str:
    """How a surface is stored as an alias (a mention over a line break on one line)."""
    return " ".join(text.split()) if "\n" in text else text


def add_alias(uow: UnitOfWork, store: Store, entity_id: str, text: str, source: str) -> None:
    """Record a surface form of an entity, once."""
    text = alias_text(text)
    if store.alias_id(entity_id, text) is None:
        uow.insert("aliases", {"entity_id": entity_id, "text": text, "source": source})


def link_span(uow: UnitOfWork, store: Store, span_id: int, entity_id: str | None) -> None:
    """Point a gold span at a canonical entity (None unlinks); the surface becomes an alias.

    Re-linking or unlinking takes the old entity's alias of this surface with it when only
    links made it (source ``link``) and no other mention linked to that entity reads so:
    a wrong link must not leave the wrong entity matching that surface for ever.
    """
    span = store.span(span_id)
    text = alias_text(store.get_article(span.article_id).text[span.start:span.end])
    old = span.kb_id
    uow.update("spans", span_id, {"kb_id": entity_id, "updated_at": now()})
    if old is not None and old != entity_id:
        alias = store.alias_row(old, text)
        if alias is not None and alias["source"] == "link" and \
                text not in {alias_text(t) for t in store.linked_surfaces(old, exclude_span=span_id)}:
            uow.delete("aliases", alias["id"])
    if entity_id is not None:
        add_alias(uow, store, entity_id, text, "link")


def record_passed_over(uow: UnitOfWork, surface: str, entity_id: str, chosen: str, annotator: str) -> None:
    """Note that a mention written ``surface`` (normalised) went to ``chosen`` while ``entity_id``
    was the matcher's top candidate for it."""
    uow.insert("link_rejections", {"surface": surface, "entity_id": entity_id, "chosen": chosen,
                                   "annotator": annotator, "created_at": now()})


def merge_entities(uow: UnitOfWork, store: Store, keep: str, others: list[str]) -> int:
    """Move every mention and alias of ``others`` to ``keep``; returns mentions moved."""
    moved = 0
    for other in others:
        for span_id in entity_reads.mention_ids(store, other):
            uow.update("spans", span_id, {"kb_id": keep})
            moved += 1
        for alias_id, text in entity_reads.alias_ids(store, other):
            if store.alias_id(keep, text) is None:
                uow.update("aliases", alias_id, {"entity_id": keep})
            else:
                uow.delete("aliases", alias_id)
        uow.update("entities", other, {"merged_into": keep})
    return moved


def split_alias(uow: UnitOfWork, store: Store, entity_id: str, alias: str) -> str:
    """Give one alias (and the mentions written that way) an entity of its own; returns the new id."""
    entity = store.entity(entity_id)
    if entity is None:
        raise NotFound("entity", entity_id)
    alias_id = store.alias_id(entity_id, alias)
    if alias_id is None:
        raise NotFound("aliases", alias, f"{entity_id} has no alias {alias!r}")
    new_id = unique_slug(store, alias)
    uow.insert("entities", {"id": new_id, "name": alias, "type": entity.type, "description": "",
                            "external_id": "", "merged_into": None, "created_at": now()})
    uow.update("aliases", alias_id, {"entity_id": new_id})
    for span_id in entity_reads.mention_ids(store, entity_id, surface=alias):
        uow.update("spans", span_id, {"kb_id": new_id})
    return new_id


def rename_entity(uow: UnitOfWork, store: Store, entity_id: str, name: str) -> None:
    """Change the canonical name (the id stays, so exports stay stable)."""
    uow.update("entities", entity_id, {"name": name})
    add_alias(uow, store, entity_id, name, "name")
