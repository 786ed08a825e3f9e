"""Canonical-entity matching: name normalisation, candidate ranking and duplicate clustering.

Pure logic over :mod:`store.models` entities; no storage, no UI.
"""

from annotate.entities.matching.duplicates import Cluster, find_duplicates
from annotate.entities.matching.index import Candidate, EntityIndex
from annotate.entities.matching.normalise import normalise_name

__all__ = ["Candidate", "Cluster", "EntityIndex", "find_duplicates", "normalise_name"]
