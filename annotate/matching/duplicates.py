"""Likely-duplicate clusters among canonical entities.

Blocking (shared word keys within a type) → ``process.cdist`` prefilter inside each block
(:mod:`.candidates`) → pairwise scores, one comparison per distinct pair of names, spread over
processes for a large KB (:mod:`.pairscore`) → single-link clustering that refuses two kinds of
merge: across a cannot-link (two names that differ by nationality) and through an ambiguous
short name (a surname that fits two different people links to neither).

Between two entities the link is their best-scoring pair of names (ties: the first pair in row
order), and any pair of their names in conflict keeps them apart. Everything is computed in a
fixed order, so the result does not depend on the number of worker processes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Callable, Iterable

import numpy as np

from annotate.matching.candidates import build_rows, candidate_pairs, member, sorted_unique
from annotate.matching.index import bulk
from annotate.matching.pairscore import KIND_CODE, default_workers, score_pairs
from annotate.matching.scoring import CONTAINED, compare
from store.models import Entity

DEFAULT_THRESHOLD = 85.0
_CONTAINED = KIND_CODE[CONTAINED]


@dataclass(frozen=True)
class Cluster:
    """Entities that are likely one referent; ``score`` is the weakest link's score."""

    entity_ids: tuple[str, ...]
    score: float
    evidence: str


class _Links:
    """Union-find whose components remember which components they must never join."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.cannot: dict[int, set[int]] = defaultdict(set)

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def forbid(self, a: int, b: int) -> None:
        self.cannot[a].add(b)
        self.cannot[b].add(a)

    def union(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if any(self.find(x) == rb for x in self.cannot.get(ra, ())):
            return False
        if len(self.cannot.get(ra, ())) < len(self.cannot.get(rb, ())):
            ra, rb = rb, ra
        self.parent[rb] = ra
        if rb in self.cannot:
            self.cannot[ra] |= self.cannot.pop(rb)
        return True


def find_duplicates(entities: Iterable[Entity], threshold: float | None = None,
                    progress: Callable[[int, int], None] | None = None,
                    workers: int | None = None) -> list[Cluster]:
    """Cluster likely duplicates among ``entities`` (same type only), best clusters first.

    Entities in no cluster are not listed; ``progress(done, total)`` is called periodically.
    ``workers`` is the number of processes comparing names (default: the CPUs available, at
    most 4); the result is the same for any value.
    """
    threshold = DEFAULT_THRESHOLD if threshold is None else threshold
    workers = default_workers() if workers is None else max(1, workers)
    ents = [e for e in entities if e.merged_into is None]
    with bulk():
        rows = build_rows(ents)
        # progress: the first half of ``total`` is blocking, the second half comparison
        n_blocks = len(rows.blocks)
        total = 2 * n_blocks + 1
        pairs, acronym = candidate_pairs(rows, progress, total, workers)

        def compared(done: int, tasks: int) -> None:
            if progress is not None:
                progress(n_blocks + done * n_blocks // tasks, total)

        score, kind, conflict = score_pairs(rows.forms, rows.entity, [e.type for e in ents],
                                            pairs, acronym, workers, compared)
        edges = _best_links(rows, pairs, score, kind, conflict, threshold, len(ents))
        clusters = _cluster(ents, rows, edges)
    if progress is not None:
        progress(total, total)
    return clusters


def _best_links(rows, pairs, score, kind, conflict, threshold: float, n_ents: int):
    """One link per entity pair at or above ``threshold`` and without conflict, strongest
    first: (score, (a, b), kind, pair code, shorter entity, word count of its name)."""
    n = rows.n
    a, b = pairs // n, pairs % n
    ea, eb = rows.entity[a], rows.entity[b]
    ekey = np.minimum(ea, eb) * n_ents + np.maximum(ea, eb)
    order = np.lexsort((pairs, -score, ekey))  # per entity pair: best score, then row order
    first = np.ones(len(order), dtype=bool)
    first[1:] = ekey[order][1:] != ekey[order][:-1]
    best = order[first]
    keep = (score[best] >= threshold) & ~member(ekey[best], sorted_unique(ekey[conflict]))
    best = best[keep]
    ntok = np.fromiter((len(f.tokens) for f in rows.forms), dtype=np.int64, count=n)
    na, nb = ntok[a[best]], ntok[b[best]]
    shorter = np.where(na < nb, ea[best], eb[best])
    lo, hi = np.minimum(ea[best], eb[best]), np.maximum(ea[best], eb[best])
    rank = np.lexsort((hi, lo, -score[best]))
    cols = [x[rank].tolist() for x in (score[best], lo, hi, kind[best], pairs[best], shorter,
                                        np.minimum(na, nb))]
    edges = [(s, (x, y), k, p, sh, sl) for s, x, y, k, p, sh, sl in zip(*cols)]
    conflicts = {(x, y) for x, y in zip(np.minimum(ea, eb)[conflict].tolist(),
                                        np.maximum(ea, eb)[conflict].tolist())}
    return _drop_ambiguous(n_ents, edges), conflicts


def _cluster(ents: list[Entity], rows, links_and_conflicts) -> list[Cluster]:
    edges, conflicts = links_and_conflicts
    links = _Links(len(ents))
    for a, b in sorted(conflicts):
        links.forbid(a, b)
    used: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for score, (a, b), _, code, _, _ in edges:  # strongest first
        if links.find(a) != links.find(b) and links.union(a, b):
            used[a].append((score, code))
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(ents)):
        groups[links.find(i)].append(i)
    edge_of: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for a, items in used.items():
        edge_of[links.find(a)].extend(items)
    clusters = []
    for root, members in groups.items():
        if len(members) < 2:
            continue
        items = sorted(edge_of[root])
        # The three weakest links, ties broken by their evidence: only links up to the third
        # weakest score need their evidence written (a comparison each).
        cut = items[min(2, len(items) - 1)][0]
        shown = sorted((s, _evidence(ents, rows, code)) for s, code in items if s <= cut)
        evidence = " | ".join(ev for _, ev in shown[:3])
        clusters.append(Cluster(tuple(ents[m].id for m in members), round(items[0][0], 1),
                                evidence))
    return sorted(clusters, key=lambda c: (-c.score, c.entity_ids))


def _evidence(ents: list[Entity], rows, code: int) -> str:
    a, b = divmod(code, rows.n)
    return compare(rows.forms[a], rows.forms[b], ents[int(rows.entity[a])].type).evidence


def _drop_ambiguous(n: int, edges):
    """Drop the links of a one-word name contained in names of two referents ("Hussein" in
    "Saddam Hussein" and in "Fouad Hussein"); referents are what the other links join."""
    others = _Links(n)
    for _, (a, b), kind, _, _, short_len in edges:
        if kind != _CONTAINED or short_len > 1:
            others.union(a, b)
    targets: dict[int, set[int]] = defaultdict(set)
    for _, (a, b), kind, _, shorter, short_len in edges:
        if kind == _CONTAINED and short_len == 1:
            targets[shorter].add(others.find(b if shorter == a else a))
    ambiguous = {s for s, roots in targets.items() if len(roots) > 1}
    return [e for e in edges if not (e[2] == _CONTAINED and e[5] == 1 and e[4] in ambiguous)]
