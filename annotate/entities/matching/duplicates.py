"""Likely-duplicate clusters among canonical entities.

Blocking (shared word keys within a type) → ``process.cdist`` prefilter inside each block
(:mod:`.candidates`) → pairwise scores, one comparison per distinct pair of names, spread over
processes for a large KB (:mod:`.pairscore`) → single-link clustering that refuses two kinds of
merge: across a cannot-link (two names that differ by nationality) and through an ambiguous
short name (a surname that fits two different people links to neither).

Between two entities the link is their best-scoring pair of names (ties: the first pair in row
order), and any pair of their names in conflict keeps them apart. An entity's aliases are every
surface linked to it, metonymic ones included (``iraq`` carries "Baghdad", ``usa`` carries
"Washington", ANNOTATION.md §3), so a link through an alias unlike its own entity's name counts
only when the two canonical names agree too: an alias shared by "Irak" and "Baghdad" is
ambiguity, not identity, and that link is held under the threshold ("shared alias only").
Everything is computed in a fixed order, so the result does not depend on the number of
worker processes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Callable, Iterable

import numpy as np

from annotate.entities.matching import lexicon as lx
from annotate.entities.matching.candidates import build_rows, candidate_pairs, member, sorted_unique
from annotate.entities.matching.context import Context, Evidence
from annotate.entities.matching.normalise import skeleton
from annotate.entities.matching.pairscore import KIND_CODE, default_workers, score_pairs
from annotate.entities.matching.scoring import CONTAINED, FULL, compare
from annotate.gc_pause import collection_paused
from store.models import Entity

DEFAULT_THRESHOLD = 85.0
# An alias link between entities whose names disagree is kept at this score, under the default
# threshold: shown only to a reviewer who asks for weak links, with evidence saying why.
ALIAS_ONLY_SCORE = 70.0
# Two canonical names agree when their own comparison reaches this: a surname against the full
# name ("Soudani" / "Mohammed Shia al-Sudani", 86) or a given name (82) does, a capital against
# its country ("Baghdad" / "Irak", 0) or a shared word ("Fouad Hussein" / "Saddam Hussein") not.
NAMES_AGREE = 75.0
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
                    workers: int | None = None,
                    context: Context | None = None) -> list[Cluster]:
    """Cluster likely duplicates among ``entities`` (same type only), best clusters first.

    Entities in no cluster are not listed; ``progress(done, total)`` is called periodically.
    ``workers`` is the number of processes comparing names (default: the CPUs available, at
    most 4); the result is the same for any value. ``context`` (shared mentions, articles in
    common, from the annotators' links) raises the pairs it supports (:mod:`.context`).
    """
    threshold = DEFAULT_THRESHOLD if threshold is None else threshold
    workers = default_workers() if workers is None else max(1, workers)
    ents = [e for e in entities if e.merged_into is None]
    with collection_paused():
        rows = build_rows(ents)
        # progress: the first half of ``total`` is blocking, the second half comparison
        n_blocks = len(rows.blocks)
        total = 2 * n_blocks + 1
        pairs, acronym = candidate_pairs(rows, progress, total, workers)

        def compared(done: int, tasks: int) -> None:
            if progress is not None:
                progress(n_blocks + done * n_blocks // tasks, total)

        etypes = [e.type for e in ents]
        score, kind, conflict = score_pairs(rows.forms, rows.entity, etypes,
                                            pairs, acronym, workers, compared)
        evidence = Evidence(context, [e.id for e in ents])
        pairs, score, kind, conflict = evidence.apply(rows, etypes, pairs, score, kind, conflict,
                                                      _CONTAINED, KIND_CODE[FULL])
        links = _best_links(rows, pairs, score, kind, conflict, threshold, ents, evidence)
        clusters = _cluster(ents, rows, links, evidence)
    if progress is not None:
        progress(total, total)
    return clusters


def _best_links(rows, pairs, score, kind, conflict, threshold: float, ents: list[Entity],
                evidence: Evidence):
    """One link per entity pair at or above ``threshold`` and without conflict, strongest
    first: (score, (a, b), kind, pair code, shorter entity, weak containment?); also the
    entity pairs in conflict and the pair codes of links held down as alias-only."""
    n, n_ents = rows.n, len(ents)
    a, b = pairs // n, pairs % n
    ea, eb = rows.entity[a], rows.entity[b]
    ekey = np.minimum(ea, eb) * n_ents + np.maximum(ea, eb)
    in_conflict = sorted_unique(ekey[conflict])
    best = _best_per_entity_pair(np.arange(len(pairs)), ekey, score, pairs)
    best = best[(score[best] >= threshold) & ~member(ekey[best], in_conflict)]
    score, alias_only, best = _hold_alias_only(rows, ents, pairs, score, threshold, ekey, best,
                                               evidence.exempt)
    best = best[score[best] >= threshold]
    ntok = np.fromiter((len(f.tokens) for f in rows.forms), dtype=np.int64, count=n)
    na, nb = ntok[a[best]], ntok[b[best]]
    shorter = np.where(na < nb, ea[best], eb[best])
    lo, hi = np.minimum(ea[best], eb[best]), np.maximum(ea[best], eb[best])
    rank = np.lexsort((hi, lo, -score[best]))
    cols = [x[rank].tolist() for x in (score[best], lo, hi, kind[best], pairs[best], shorter,
                                        np.minimum(na, nb))]
    edges = [(s, (x, y), k, p, sh, k == _CONTAINED and (sl == 1 or _weak(rows, p)))
             for s, x, y, k, p, sh, sl in zip(*cols)]
    conflicts = {(x, y) for x, y in zip(np.minimum(ea, eb)[conflict].tolist(),
                                        np.maximum(ea, eb)[conflict].tolist())}
    conflicts |= _sibling_conflicts(rows, ents, edges)
    return _drop_ambiguous(n_ents, edges, evidence), conflicts, alias_only


def _best_per_entity_pair(idx: np.ndarray, ekey: np.ndarray, score: np.ndarray,
                          pairs: np.ndarray) -> np.ndarray:
    """Of the pair positions ``idx``, the best-scoring one per entity pair (ties: row order)."""
    order = idx[np.lexsort((pairs[idx], -score[idx], ekey[idx]))]
    first = np.ones(len(order), dtype=bool)
    first[1:] = ekey[order][1:] != ekey[order][:-1]
    return order[first]


def _hold_alias_only(rows, ents: list[Entity], pairs: np.ndarray, score: np.ndarray,
                     threshold: float, ekey: np.ndarray, best: np.ndarray,
                     exempt: set[int] = frozenset()):
    """Hold alias-only links down to ``ALIAS_ONLY_SCORE``: (scores, their pair codes, the
    best pair per entity pair once they are held).

    A pair involving an alias is identity evidence when the two canonical names agree, or
    when every alias in it agrees with its own entity's name (a spelling or fuller form of
    it: "Corps des gardiens de la révolution islamique" on "Gardiens de la Révolution"
    matching another entity's name "CGRI"). An alias unlike its own name ("Baghdad" on
    "Irak") is a metonymic or context-given surface: sharing it says nothing. Only the best
    link of each entity pair is checked, then the other pairs of the entity pairs it fails
    for (a second, sound link may still join them). Each alias is compared with its name
    at most once, in-process: a pool would fork a second time for ~10% of the comparisons.
    Pair positions in ``exempt`` (raised by shared mentions) are never held.
    """
    n = rows.n
    a, b = (pairs // n).tolist(), (pairs % n).tolist()
    owner, name_row = rows.entity.tolist(), rows.name_row.tolist()
    etype = [e.type for e in ents]
    row_ok: dict[int, bool] = {}

    def sound(i: int) -> bool:  # both rows are names, or aliases that agree with their name
        for r in (a[i], b[i]):
            ok = row_ok.get(r)
            if ok is None:
                e = owner[r]
                ok = row_ok[r] = _agree(rows, etype[e], r, name_row[e])
            if not ok:
                return False
        return True

    failing = [int(ekey[i]) for i in best.tolist() if i not in exempt and not sound(i) and not _agree(
        rows, etype[owner[a[i]]], name_row[owner[a[i]]], name_row[owner[b[i]]])]
    if not failing:
        return score, set(), best
    failing_keys = sorted_unique(np.asarray(failing, dtype=np.int64))
    redo = np.nonzero(member(ekey, failing_keys) & (score >= threshold))[0]
    hold = [i for i in redo.tolist() if i not in exempt and not sound(i)]
    score = score.copy()
    score[hold] = np.minimum(score[hold], ALIAS_ONLY_SCORE)
    best = np.concatenate([best[~member(ekey[best], failing_keys)],
                           _best_per_entity_pair(redo, ekey, score, pairs)])
    return score, set(pairs[hold].tolist()), best


def _keys(tokens: tuple[str, ...]) -> set[str]:
    return {skeleton(t) for t in tokens}


def _agree(rows, etype: str, r: int, s: int) -> bool:
    """Whether rows ``r`` and ``s`` (of one entity type) could name one referent."""
    if r == s or r < 0 or s < 0:
        return True  # the same row, or a name without words, which says nothing either way
    fr, fs = rows.forms[r], rows.forms[s]
    if fr.tokens == fs.tokens:
        return True  # compare's first rule: the same words
    if len(fr.tokens) > 1 and len(fs.tokens) > 1 and \
            _keys(fr.tokens).isdisjoint(_keys(fs.tokens)):
        # Many-word names without a word in common, even phonetically, hardly ever align
        # enough words to agree (one-word ones may still be acronyms or split spellings):
        # most names compared here are unrelated, and this spares comparing them.
        return False
    if etype == "PER":
        # a person's name within the other, word for word ("M. Soudani" on "Mohamed Chia
        # al-Soudani"), scores 82–90 in compare; most aliases of people are such
        small, big = sorted((set(fr.tokens), set(fs.tokens)), key=len)
        if small <= big and not small <= lx.GENERIC:
            return True
    cmp = compare(fr, fs, etype, explain=False)
    return cmp.score >= NAMES_AGREE and not cmp.conflict


def _cluster(ents: list[Entity], rows, links, context: Evidence) -> list[Cluster]:
    edges, conflicts, alias_only = links
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
        shown = sorted((s, _evidence(ents, rows, code, code in alias_only, context))
                       for s, code in items if s <= cut)
        evidence = " | ".join(ev for _, ev in shown[:3])
        clusters.append(Cluster(tuple(ents[m].id for m in members), round(items[0][0], 1),
                                evidence))
    return sorted(clusters, key=lambda c: (-c.score, c.entity_ids))


def _evidence(ents: list[Entity], rows, code: int, alias_only: bool,
              evidence: Evidence) -> str:
    a, b = divmod(code, rows.n)
    x, y = int(rows.entity[a]), int(rows.entity[b])
    text = compare(rows.forms[a], rows.forms[b], ents[x].type).evidence
    note = evidence.notes.get((min(x, y), max(x, y)))
    if note:
        text = f"{text}; {note}" if text else note
    if alias_only:
        text += f"; shared alias only; names differ ('{ents[x].name}' / '{ents[y].name}')"
    return text


def _weak(rows, code: int) -> bool:
    """Whether a containment link only says "fits": the longer name adds a nationality
    ("ministère des Affaires étrangères" in "ministère irakien des …") or the shorter is made of
    common words ("État islamique" opening "État islamique en Irak et au Levant")."""
    fa, fb = rows.forms[code // rows.n], rows.forms[code % rows.n]
    short, long = (fa, fb) if len(fa.tokens) <= len(fb.tokens) else (fb, fa)
    if all(t in lx.GENERIC for t in short.tokens):
        return True
    return any(w in lx.DEMONYMS and w not in short.raw for w in long.raw)


# Short names of one long name compared with each other: at most this many per link score
# (a long name's strong links come first and would otherwise crowd out the weaker ones).
MAX_SIBLINGS = 4


def _sibling_conflicts(rows, ents: list[Entity], edges) -> set[tuple[int, int]]:
    """Cannot-links between people whose names are both short forms of one longer name
    ("Bachar al-Assad" and "Hafez al-Assad" in "Bachar Hafez al-Assad"): blocking on a common
    surname prunes most such pairs before they are compared, so the few found here are
    compared now, and the stronger link of the longer name wins."""
    shorts: dict[int, dict[int, int]] = defaultdict(dict)  # long entity → short entity → row
    per_score: dict[tuple[int, float], int] = defaultdict(int)
    for score, (x, y), kind, code, shorter, _ in edges:
        if kind != _CONTAINED or ents[x].type != "PER":
            continue
        a, b = divmod(code, rows.n)
        row = a if int(rows.entity[a]) == shorter else b
        longer = y if shorter == x else x
        if per_score[longer, score] < MAX_SIBLINGS and shorter not in shorts[longer]:
            per_score[longer, score] += 1
            shorts[longer][shorter] = row
    out: set[tuple[int, int]] = set()
    for siblings in shorts.values():
        items = sorted(siblings.items())
        for i, (ex, rx) in enumerate(items):
            for ey, ry in items[i + 1:]:
                if compare(rows.forms[rx], rows.forms[ry], "PER", explain=False).conflict:
                    out.add((min(ex, ey), max(ex, ey)))
    return out


def _drop_ambiguous(n: int, edges, evidence: Evidence):
    """Drop the weak containment links of a name contained in names of two referents
    ("Hussein" in "Saddam Hussein" and in "Fouad Hussein", "ministère des Affaires étrangères"
    in the Iraqi and the Iranian one); referents are what the other links join."""
    others = _Links(n)
    for _, (a, b), _, _, _, weak in edges:
        if not weak:
            others.union(a, b)
    targets: dict[int, set[int]] = defaultdict(set)
    for _, (a, b), _, _, shorter, weak in edges:
        if weak:
            targets[shorter].add(others.find(b if shorter == a else a))
    ambiguous = {s for s, roots in targets.items() if len(roots) > 1}
    # ... unless the annotators' links show it beside one of them ("Hussein" in the articles
    # of "Saddam Hussein")
    ends: dict[int, list[int]] = defaultdict(list)
    for _, (a, b), _, _, shorter, weak in edges:
        if weak and shorter in ambiguous:
            ends[shorter].append(b if shorter == a else a)
    keep = {s: evidence.prefer(s, others) for s, others in ends.items()}
    return [e for e in edges if not (e[5] and e[4] in ambiguous and keep.get(e[4]) != (
        e[1][1] if e[4] == e[1][0] else e[1][0]))]
