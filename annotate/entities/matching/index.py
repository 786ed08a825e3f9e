"""Blocking index over canonical entities and their aliases, and candidate ranking.

A lookup never scans every alias: each alias is filed under a few keys per word (the word, its
phonetic key, its first and last four letters) plus acronym keys; a query gathers the aliases
sharing its keys, keeps the best-supported few hundred, and fully compares only a shortlist of
them: the best-supported by blocking and the closest by a plain string prefilter.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Mapping

import numpy as np
from rapidfuzz import fuzz, process

from annotate.entities.matching import lexicon as lx
from annotate.entities.matching.acronyms import acronym_keys, letters_key, query_acronym_keys
from annotate.entities.matching.knowledge import known
from annotate.entities.matching.normalise import NameForm, analyse, skeleton, uninformative
from annotate.entities.matching.scoring import compare
from annotate.gc_pause import collection_paused, keep_for_good
from store.models import Entity

FULL_SCAN_ROWS = 20_000  # a KB this small is also scanned when blocking finds too little
SCAN_WEIGHT = 0.6        # plain string similarity is weak evidence: rank it behind the rest
MAX_BLOCK = 4000        # a key shared by more aliases than this says nothing about identity
MAX_CANDIDATES = 250    # aliases gathered per query
# of which fully compared: the best-supported by blocking, and the closest by a plain string
# prefilter (at 100k entities the top-5 is the same as comparing all 250, at ~1/3 the time)
SHORTLIST_BLOCKING = 40
SHORTLIST_STRING = 40
# An index this large is moved out of the cycle collector's reach once built (gc.freeze):
# otherwise a full collection rescans its millions of objects and stalls a lookup for seconds
# (at 100k entities: 2.8 s of CPU). Its objects hold no cycles, so reference counting still
# frees them when the index goes.
FREEZE_ROWS = 50_000
CONFIDENT_SCORE = 88.0  # a top candidate at least this good, and clearly ahead, is pre-selected
CONFIDENT_MARGIN = 3.0
METONYMY_PENALTY = 10.0
# A candidate the annotators passed over for this very surface (they linked the mention to
# another entity while it was the top one) ranks this much lower per time, up to three times.
REJECTED_PENALTY = 8.0
# A query of only a particle, title or one or two lowercase letters ("Al", "M.", "le") fits
# many names equally: its candidates keep their order but rank this much lower, never confident.
VAGUE_PENALTY = 30.0
# LOC and ORG swap by metonymy ("Washington a recensé", "Maison Blanche" as a place) and
# pre-annotation often gets that label wrong, so the other one is ranked, behind; every other
# type mismatch is excluded.
SOFT_TYPES = frozenset({("LOC", "ORG"), ("ORG", "LOC")})


@dataclass(frozen=True)
class Candidate:
    """A ranked canonical entity for a query; ``evidence`` says why it matched."""

    id: str
    name: str
    type: str
    score: float
    matched_alias: str
    evidence: str
    confident: bool = False


@lru_cache(maxsize=1 << 18)
def word_keys(token: str) -> tuple[str, ...]:
    """Blocking keys of one normalised word (cached: words recur across many aliases)."""
    keys = ["t:" + token]
    key = skeleton(token)
    if len(key) >= 2:
        keys.append("k:" + key)
    if len(token) >= 5:
        keys.append("p:" + token[:4])
    if len(token) >= 6:
        keys.append("s:" + token[-4:])
    return tuple(keys)


def form_keys(form: NameForm) -> set[str]:
    """Every blocking key an alias is filed under."""
    keys: set[str] = set()
    for token in set(form.tokens) | set(form.raw):
        keys.update(word_keys(token))
    keys.add("j:" + form.joined)
    keys.update("K:" + slug for slug in known(form))  # names the starter KB gives one entity
    if len(form.tokens) > 1:
        keys |= acronym_keys(form)
    elif form.tokens:
        keys.add("X:" + form.tokens[0])
        letters = letters_key(form)
        if letters:
            keys.add(letters)
    return keys


def type_penalty(query_type: str | None, entity_type: str) -> float | None:
    """Score penalty for a type mismatch, or None when the types are incompatible."""
    if not query_type or query_type == entity_type:
        return 0.0
    if (query_type, entity_type) in SOFT_TYPES:
        return METONYMY_PENALTY
    return None


class EntityIndex:
    """Incremental candidate index over canonical entities (name + aliases + type)."""

    def __init__(self, entities: Iterable[Entity] = ()) -> None:
        self._entities: dict[str, Entity] = {}
        self._rows: list[tuple[str, str, NameForm] | None] = []
        self._rows_of: dict[str, list[int]] = {}
        self._blocks: dict[str, list[int]] = defaultdict(list)
        # the same blocks as arrays, made on first lookup and dropped when the block grows:
        # summing a query's block weights in numpy is ~5× the Python loop on large blocks
        self._arrays: dict[str, np.ndarray] = {}
        with collection_paused():
            for entity in entities:
                self.add(entity)
        if len(self._rows) >= FREEZE_ROWS:
            keep_for_good()

    def __len__(self) -> int:
        return len(self._entities)

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self._entities

    def add(self, entity: Entity) -> None:
        """Index ``entity`` (replacing a previous version with the same id)."""
        if entity.id in self._entities:
            self.remove(entity.id)
        self._entities[entity.id] = entity
        rows = []
        texts = dict.fromkeys([entity.name, *(a.text for a in entity.aliases)])
        for text in texts:
            form = analyse(text)
            if not form.tokens:
                continue
            row = len(self._rows)
            self._rows.append((entity.id, text, form))
            rows.append(row)
            for key in form_keys(form):
                self._blocks[key].append(row)
                if self._arrays:
                    self._arrays.pop(key, None)
        self._rows_of[entity.id] = rows

    def remove(self, entity_id: str) -> None:
        """Forget ``entity_id``; its rows stay in the blocks as tombstones skipped on lookup."""
        self._entities.pop(entity_id, None)
        for row in self._rows_of.pop(entity_id, ()):
            self._rows[row] = None

    def _gather(self, form: NameForm) -> list[int]:
        scores: dict[int, float] = defaultdict(float)
        probes: list[tuple[str, float]] = []
        for token in dict.fromkeys(form.tokens + form.raw):
            weight = 0.3 if token in lx.GENERIC else 1.0
            probes += [(key, weight) for key in word_keys(token)]
        probes += [("K:" + slug, 3.0) for slug in known(form)]
        if len(form.tokens) == 1:
            probes += [(key, 1.5) for key in query_acronym_keys(form.raw[0])]
            letters = letters_key(form)
            if letters:
                probes.append((letters, 1.5))
        else:
            probes.append(("j:" + form.joined, 2.0))
            probes += [("X:" + key[2:], 1.5) for key in acronym_keys(form) if key[0] == "A"]
        arrays: list[np.ndarray] = []
        bonuses: list[float] = []
        oversized: list[list[int]] = []
        for key, weight in probes:
            block = self._blocks.get(key)
            if not block:
                continue
            if len(block) > MAX_BLOCK:
                oversized.append(block)
                continue
            array = self._arrays.get(key)
            if array is None:
                array = self._arrays[key] = np.asarray(block, dtype=np.int32)
            arrays.append(array)
            bonuses.append(weight / (1.0 + math.log(len(block))))
        if not arrays:
            # only very common words: fall back to a slice of their smallest block
            for block in sorted(oversized, key=len)[:1]:
                return block[:MAX_CANDIDATES * 4][:MAX_CANDIDATES]
            return []
        if len(arrays) == 1:
            return arrays[0][:MAX_CANDIDATES].tolist()
        rows = np.concatenate(arrays)
        weights = np.repeat(np.asarray(bonuses), [len(a) for a in arrays])
        unique, inverse = np.unique(rows, return_inverse=True)
        scores = np.bincount(inverse, weights=weights)
        # best first; equal scores by row, so that a lookup does not depend on numpy's sort
        if len(unique) > MAX_CANDIDATES:
            top = np.argpartition(-scores, MAX_CANDIDATES - 1)[:MAX_CANDIDATES]
            top = top[np.lexsort((unique[top], -scores[top]))]
        else:
            top = np.lexsort((unique, -scores))
        return unique[top].tolist()

    def _shortlist(self, form: NameForm, rows: list[int]) -> list[int]:
        """The gathered rows worth a full comparison: the best-supported ones by blocking
        and the closest ones by a plain token-set ratio on transliteration keys (C++, a few
        µs for all of them). Full comparison costs ~40 µs a pair in Python, so at a million
        aliases it decides a lookup's time."""
        if len(rows) <= SHORTLIST_BLOCKING + SHORTLIST_STRING:
            return rows
        keys = [entry[2].key if (entry := self._rows[row]) is not None else "" for row in rows]
        found = process.extract(form.key, keys, scorer=fuzz.token_set_ratio, processor=None,
                                limit=SHORTLIST_STRING)
        chosen = dict.fromkeys(rows[:SHORTLIST_BLOCKING])
        chosen.update(dict.fromkeys(rows[i] for _, _, i in found))
        return list(chosen)

    def match(self, query: str, type: str | None = None, limit: int = 5,
              demoted: Mapping[tuple[str, str], int] | None = None) -> list[Candidate]:
        """Rank canonical entities for ``query`` (best first, at most ``limit``).

        With ``type``, entities of another type are excluded, except LOC↔ORG which rank
        behind with a penalty (metonymy). The first candidate is ``confident`` when it scores
        at least 88 and leads the next one by 3 points, unless the query is only a particle,
        title or very short word (:func:`~.normalise.uninformative`), which ranks lower.
        ``demoted`` maps (normalised surface, entity id) to the times annotators linked a mention
        so written elsewhere while that entity was the top candidate: it ranks lower for that
        surface (``REJECTED_PENALTY`` each, at most three) and is never confident.
        """
        form = analyse(query)
        if not form.tokens:
            return []
        best: dict[str, tuple[float, str, str]] = {}
        for row in self._shortlist(form, self._gather(form)):
            entry = self._rows[row]
            if entry is None:
                continue
            entity_id, text, alias_form = entry
            entity = self._entities[entity_id]
            penalty = type_penalty(type, entity.type)
            if penalty is None:
                continue
            cmp = compare(form, alias_form, entity.type, query=True)
            score = cmp.score - penalty
            if score <= 0:
                continue
            evidence = cmp.evidence
            if penalty:
                evidence += f"; type {entity.type} for a {type} query (metonymy)"
            if entity_id not in best or score > best[entity_id][0]:
                best[entity_id] = (score, text, evidence)
        if len(best) < limit and len(self._rows) <= FULL_SCAN_ROWS:
            self._fill_by_scan(form, type, limit, best)
        passed_over: set[str] = set()
        if demoted:
            for entity_id, (score, text, evidence) in list(best.items()):
                times = demoted.get((form.norm, entity_id), 0)
                if times:
                    passed_over.add(entity_id)
                    best[entity_id] = (max(1.0, score - REJECTED_PENALTY * min(times, 3)), text,
                                       f"{evidence}; linked elsewhere {times}× for this surface")
        ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], kv[0]))[:limit]
        vague = uninformative(form)
        if vague:
            ranked = [(eid, (max(1.0, score - VAGUE_PENALTY), text,
                             evidence + "; query too short or only a particle/title"))
                      for eid, (score, text, evidence) in ranked]
        out = []
        for rank, (entity_id, (score, text, evidence)) in enumerate(ranked):
            entity = self._entities[entity_id]
            confident = not vague and rank == 0 and entity_id not in passed_over and \
                score >= CONFIDENT_SCORE and (
                len(ranked) == 1 or score - ranked[1][1][0] >= CONFIDENT_MARGIN)
            out.append(Candidate(entity_id, entity.name, entity.type, round(score, 1), text,
                                 evidence, confident))
        return out

    def _fill_by_scan(self, form: NameForm, type: str | None, limit: int,
                      best: dict[str, tuple[float, str, str]]) -> None:
        """Complete a short candidate list from a plain WRatio scan of a small KB, so the
        picker still offers something for names no rule connects (exonyms, nicknames)."""
        choices = {row: entry[2].norm for row, entry in enumerate(self._rows)
                   if entry is not None and entry[0] not in best}
        found = process.extract(form.norm, choices, scorer=fuzz.WRatio, processor=None,
                                limit=limit * 4, score_cutoff=50)
        for _, score, row in found:
            entity_id, text, _ = self._rows[row]  # type: ignore[misc]
            penalty = type_penalty(type, self._entities[entity_id].type)
            if penalty is None or entity_id in best:
                continue
            best[entity_id] = (score * SCAN_WEIGHT - penalty, text,
                               f"weak string similarity to alias '{text}'")
            if len(best) >= limit:
                break
