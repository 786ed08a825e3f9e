"""The shipped starter KB as a catalog for new entities: `N` on "États-Unis" creates `usa` with the
catalog's name, type and aliases, so a team without an imported KB still gets the stable ids.

Only an exact alias match (after the matcher's normalisation) of the mention's own label counts, and
a normalised surface that two catalog entries share is never used: a wrong id is worse than a slug.
"""

from __future__ import annotations

from functools import lru_cache

from annotate.entities import builtin
from annotate.entities.builtin import BuiltinEntity
from annotate.entities.matching.normalise import normalise_name


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
