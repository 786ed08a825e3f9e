"""Canonical-entity matching: name normalisation, candidate ranking and duplicate clustering.

Pure logic over :mod:`store.models` entities; no storage, no UI.

The names below are loaded on first use (PEP 562): normalising a name must not pay for numpy and the
duplicate clustering, which every CLI command would otherwise import at start-up.
"""

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from annotate.entities.matching.duplicates import Cluster, find_duplicates
    from annotate.entities.matching.index import Candidate, EntityIndex
    from annotate.entities.matching.normalise import normalise_name

__all__ = ["Candidate", "Cluster", "EntityIndex", "find_duplicates", "normalise_name"]

_HOMES = {
    "Cluster": "duplicates",
    "find_duplicates": "duplicates",
    "Candidate": "index",
    "EntityIndex": "index",
    "normalise_name": "normalise",
}


def __getattr__(name: str) -> object:
    """Load an exported name from its module the first time it is asked for."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
