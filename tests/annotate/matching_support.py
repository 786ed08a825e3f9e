"""Helpers of the matching tests: clusters of made-up names, string rules only."""

from annotate.entities.matching import find_duplicates, knowledge
from store.models import Entity


def clustered(names, etype):
    """The duplicate clusters of NAMES (all of type ETYPE) as sets of names, without the starter KB."""
    ents = [Entity(id=f"e{k}", name=name, type=etype) for k, name in enumerate(names)]
    by_id = {e.id: e.name for e in ents}
    with knowledge.disabled():
        return [{by_id[i] for i in c.entity_ids} for c in find_duplicates(ents, workers=1)]
