"""Likely-duplicate clusters among canonical entities.

Blocking (shared word keys within a type) → ``process.cdist`` prefilter inside each block →
pairwise comparison → single-link clustering that refuses two kinds of merge: across a
cannot-link (two names that differ by nationality) and through an ambiguous short name (a
surname that fits two different people links to neither).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Callable, Iterable

from rapidfuzz import fuzz, process

from annotate.matching.index import form_keys
from annotate.matching.normalise import (
    NameForm,
    acronym_words,
    analyse,
    is_acronym,
    query_acronym_keys,
    translit,
)
from annotate.matching.scoring import CONTAINED, Comparison, compare
from store.models import Entity

DEFAULT_THRESHOLD = 85.0
MAX_BLOCK = 400        # larger blocks are common words (given names) shared by unrelated names
PREFILTER = 80.0       # token_set_ratio on phonetic keys below which a pair is not compared
PARALLEL_BLOCK = 300   # threads only pay off on large blocks
SMALL_BLOCK = 6        # below this, compare every pair directly (cdist call overhead)


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


def _phonetic(form: NameForm) -> str:
    # vowels kept: consonant skeletons alone collide too often to prune anything
    return " ".join(translit(t) for t in form.tokens)


def _candidate_pairs(rows, blocks, progress, total) -> set[tuple[int, int]]:
    """Row pairs worth a full comparison: every pair of a small block, cdist-filtered pairs of
    a larger one, acronym blocks only across one-word and many-word names."""
    pairs: set[tuple[int, int]] = set()
    step = max(1, total // 100)
    for done, (key, members) in enumerate(blocks, 1):
        if progress is not None and done % step == 0:
            progress(done, total)
        ents = {rows[m][0] for m in members}
        if len(ents) < 2:
            continue
        kind = key.split("|", 1)[1][:2]
        if kind in ("A:", "S:"):
            singles = [m for m in members if len(rows[m][1].tokens) == 1]
            multis = [m for m in members if len(rows[m][1].tokens) > 1]
            for a in singles:
                for b in multis:
                    if any(is_acronym(rows[a][1].raw[0], seq)
                           for seq in acronym_words(rows[b][1])):
                        pairs.add((min(a, b), max(a, b)))
            continue
        if len(members) <= SMALL_BLOCK:
            pairs.update((a, b) for i, a in enumerate(members) for b in members[i + 1:]
                         if rows[a][0] != rows[b][0])
            continue
        keys = [_phonetic(rows[m][1]) for m in members]
        matrix = process.cdist(keys, keys, scorer=fuzz.token_set_ratio, processor=None,
                               score_cutoff=PREFILTER, dtype="uint8",
                               workers=-1 if len(keys) >= PARALLEL_BLOCK else 1)
        for i, j in zip(*matrix.nonzero()):
            if i < j and rows[members[i]][0] != rows[members[j]][0]:
                pairs.add((members[i], members[j]))
    return pairs


def find_duplicates(entities: Iterable[Entity], threshold: float | None = None,
                    progress: Callable[[int, int], None] | None = None) -> list[Cluster]:
    """Cluster likely duplicates among ``entities`` (same type only), best clusters first.

    Entities in no cluster are not listed; ``progress(done, total)`` is called periodically.
    """
    threshold = DEFAULT_THRESHOLD if threshold is None else threshold
    ents = [e for e in entities if e.merged_into is None]
    rows: list[tuple[int, NameForm]] = []
    index: dict[str, list[int]] = defaultdict(list)
    for e_idx, entity in enumerate(ents):
        for text in dict.fromkeys([entity.name, *(a.text for a in entity.aliases)]):
            form = analyse(text)
            if not form.tokens:
                continue
            rows.append((e_idx, form))
            # prefix/suffix keys serve type-ahead; 2-letter phonetic keys are too common
            keys = {k for k in form_keys(form)
                    if k[0] not in "psX" and not (k[0] == "k" and len(k) < 5)}
            if entity.type == "PER":
                keys = {k for k in keys if k[0] not in "AS"}  # people have no acronyms
            elif len(form.tokens) == 1:
                keys |= query_acronym_keys(form.raw[0])
            for key in keys:
                index[entity.type + "|" + key].append(len(rows) - 1)
    blocks = [(k, v) for k, v in index.items() if 1 < len(v) <= MAX_BLOCK]
    # progress: the first half of ``total`` is blocking, the second half comparison
    total = 2 * len(blocks) + 1
    pairs = _candidate_pairs(rows, blocks, progress, total)
    step = max(1, len(pairs) // 100)

    best: dict[tuple[int, int], tuple[Comparison, int, int]] = {}
    conflicts: set[tuple[int, int]] = set()
    for done, (a, b) in enumerate(pairs, 1):
        if progress is not None and done % step == 0:
            progress(len(blocks) + done * len(blocks) // len(pairs), total)
        ea, eb = rows[a][0], rows[b][0]
        key = (min(ea, eb), max(ea, eb))
        if ea == eb or (key in best and best[key][0].score >= 99):
            continue
        fa, fb = rows[a][1], rows[b][1]
        cmp = compare(fa, fb, ents[ea].type)
        if cmp.conflict:
            conflicts.add(key)
        short = fa if len(fa.tokens) < len(fb.tokens) else fb
        shorter = ea if short is fa else eb
        if key not in best or cmp.score > best[key][0].score:
            best[key] = (cmp, shorter, len(short.tokens))

    edges = [(c.score, k, c, s, n) for k, (c, s, n) in best.items()
             if c.score >= threshold and k not in conflicts]
    edges = _drop_ambiguous(len(ents), edges)
    links = _Links(len(ents))
    for a, b in conflicts:
        links.forbid(a, b)
    used: dict[int, list[tuple[float, str]]] = defaultdict(list)
    for score, (a, b), cmp, _, _ in sorted(edges, key=lambda e: (-e[0], e[1])):
        if links.find(a) != links.find(b) and links.union(a, b):
            used[a].append((score, cmp.evidence))
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(ents)):
        groups[links.find(i)].append(i)
    edge_of: dict[int, list[tuple[float, str]]] = defaultdict(list)
    for a, items in used.items():
        edge_of[links.find(a)].extend(items)
    clusters = []
    for root, members in groups.items():
        if len(members) < 2:
            continue
        items = sorted(edge_of[root])
        evidence = " | ".join(ev for _, ev in items[:3])
        clusters.append(Cluster(tuple(ents[m].id for m in members), round(items[0][0], 1),
                                evidence))
    if progress is not None:
        progress(total, total)
    return sorted(clusters, key=lambda c: (-c.score, c.entity_ids))


def _drop_ambiguous(n: int, edges):
    """Drop the links of a one-word name contained in names of two referents ("Hussein" in
    "Saddam Hussein" and in "Fouad Hussein"); referents are what the other links join."""
    others = _Links(n)
    for _, (a, b), cmp, _, short_len in edges:
        if cmp.kind != CONTAINED or short_len > 1:
            others.union(a, b)
    targets: dict[int, set[int]] = defaultdict(set)
    for _, (a, b), cmp, shorter, short_len in edges:
        if cmp.kind == CONTAINED and short_len == 1:
            targets[shorter].add(others.find(b if shorter == a else a))
    ambiguous = {s for s, roots in targets.items() if len(roots) > 1}
    return [e for e in edges
            if not (e[2].kind == CONTAINED and e[4] == 1 and e[3] in ambiguous)]
