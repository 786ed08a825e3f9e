"""The shipped starter KB as a catalog for new entities: `N` on "États-Unis" creates `usa` with the
catalog's name, type and aliases, so a team without an imported KB still gets the stable ids.

Only an exact alias match (after the matcher's normalisation) of the mention's own label counts, and
a normalised surface that two catalog entries share is never used: a wrong id is worse than a slug.

The link picker (`/`) also offers the catalog's entries that are not entities of the database yet,
ranked by the matcher (:func:`index`, built once: about 0.1 s for the starter KB's 371 entries);
one is made from its entry when chosen (:func:`entry_by_id`).
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from annotate.entities import builtin
from annotate.entities.builtin import BuiltinEntity
from annotate.entities.matching.normalise import normalise_name

if TYPE_CHECKING:  # built where used: the matcher loads rapidfuzz
    from annotate.entities.matching import EntityIndex


@lru_cache(maxsize=2)
def _index(name: str) -> dict[tuple[str, str], BuiltinEntity | None]:
    out: dict[tuple[str, str], BuiltinEntity | None] = {}
    for entry in builtin.load(name):
        for text in (entry.name, *entry.aliases):
            key = (normalise_name(text), entry.type)
            if not key[0]:
                continue
            if key in out:
                seen = out[key]
                if seen is not None and seen.id != entry.id:
                    out[key] = None  # ambiguous: two entries read so
            else:
                out[key] = entry
    return out


def entry_for(surface: str, label: str, name: str = "starter") -> BuiltinEntity | None:
    """The catalog entry whose name or alias reads like ``surface`` with type ``label``, when exactly one does."""
    return _index(name).get((normalise_name(surface), label))


@lru_cache(maxsize=2)
def _by_id(name: str) -> dict[str, BuiltinEntity]:
    return {entry.id: entry for entry in builtin.load(name)}


def entry_by_id(entity_id: str, name: str = "starter") -> BuiltinEntity | None:
    """The catalog entry with the id ``entity_id``, if any."""
    return _by_id(name).get(entity_id)


@lru_cache(maxsize=2)
def index(name: str = "starter") -> EntityIndex:
    """The catalog's entries in a match index of their own (as entities: name, type, aliases)."""
    from annotate.entities.matching import EntityIndex
    from store.models import Alias, Entity

    return EntityIndex(Entity(e.id, e.name, e.type, tuple(Alias(a) for a in e.aliases), e.description,
                              e.external_id) for e in builtin.load(name))
