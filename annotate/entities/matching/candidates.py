"""Candidate pairs for duplicate detection: blocking, then a prefilter inside each block.

Every name and alias of an entity is a *row*, filed under blocking keys within its entity type.
A block yields pairs of rows of different entities: every pair of a small block, every
one-word × many-word pair of an acronym block, and the pairs of a larger block that pass a
``process.cdist`` prefilter on phonetic keys. A large KB has millions of such pairs (100k
entities: ~5M), so they travel as sorted int64 codes ``a * n_rows + b`` with ``a < b``, never
as a set of Python tuples.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Sequence

import numpy as np
from rapidfuzz import fuzz, process

from annotate.entities.matching import lexicon as lx
from annotate.entities.matching.acronyms import (
    acronym_keys,
    acronym_words,
    initial_strings,
    letters_key,
    query_acronym_keys,
)
from annotate.entities.matching.knowledge import known
from annotate.entities.matching.normalise import NameForm, analyse, skeleton, translit
from store.models import Entity

MAX_BLOCK = 400        # larger blocks are common words (given names) shared by unrelated names
PREFILTER = 80.0       # token_set_ratio on phonetic keys below which a pair is not compared
PARALLEL_BLOCK = 64    # cdist threads (it releases the GIL) only pay off on larger blocks
SMALL_BLOCK = 6        # below this, compare every pair directly (cdist call overhead)


@dataclass
class Rows:
    """The analysed names and aliases of the entities being clustered, and their blocks."""

    forms: list[NameForm]
    entity: np.ndarray                     # entity index of each row
    blocks: list[tuple[str, list[int]]]    # (type|key, rows in ascending order)
    name_row: np.ndarray                   # row of each entity's canonical name, or -1

    @property
    def n(self) -> int:
        return len(self.forms)


@lru_cache(maxsize=1 << 18)
def _word_keys(token: str) -> tuple[str, ...]:
    # the word and its phonetic key; prefix/suffix keys (index.word_keys) serve type-ahead
    # only, and 2-letter phonetic keys are too common to say anything
    key = skeleton(token)
    return ("t:" + token, "k:" + key) if len(key) >= 3 else ("t:" + token,)


def block_keys(form: NameForm, etype: str) -> set[str]:
    """Blocking keys of one row for duplicate detection."""
    keys: set[str] = set()
    for token in dict.fromkeys(form.tokens + form.raw):
        keys.update(_word_keys(token))
    keys.add("j:" + form.joined)
    keys.update("K:" + slug for slug in known(form))  # names the starter KB gives one entity
    base = tuple(t for t, w in zip(form.tokens, form.raw) if w not in lx.DEMONYMS)
    if base and len(base) < len(form.tokens):
        # names alike but for a nationality ("Hezbollah irakien" / "Hezbollah libanais") are
        # where cannot-links come from: always compare them, whatever the prefilter says
        keys.add("d:" + " ".join(base))
    if etype != "PER":
        if len(form.tokens) > 1:
            keys |= acronym_keys(form)
        else:
            keys |= query_acronym_keys(form.raw[0])
            letters = letters_key(form) if etype != "LOC" else None
            if letters:
                keys.add(letters)
    elif len(form.tokens) > 1:
        # people go by initials only in capitals ("MBS"), and never by syllables
        keys.update(k for k in acronym_keys(form) if k.startswith("A:"))
    elif form.single_upper:
        keys.add("A:" + form.raw[0])
    return keys


def build_rows(ents: Sequence[Entity]) -> Rows:
    """Analyse every distinct name of ``ents`` and file it under its blocking keys."""
    forms: list[NameForm] = []
    owner: list[int] = []
    index: dict[str, list[int]] = defaultdict(list)
    name_row = np.full(len(ents), -1, dtype=np.int64)
    for e_idx, entity in enumerate(ents):
        for text in dict.fromkeys([entity.name, *(a.text for a in entity.aliases)]):
            form = analyse(text)
            if not form.tokens:
                continue
            row = len(forms)
            if text == entity.name:
                name_row[e_idx] = row
            forms.append(form)
            owner.append(e_idx)
            prefix = entity.type + "|"
            for key in block_keys(form, entity.type):
                index[prefix + key].append(row)
    blocks = [(k, v) for k, v in index.items() if 1 < len(v) <= MAX_BLOCK]
    return Rows(forms, np.asarray(owner, dtype=np.int64), blocks, name_row)


def _phonetic(form: NameForm) -> str:
    # vowels kept: consonant skeletons alone collide too often to prune anything
    return " ".join(translit(t) for t in form.tokens)


def candidate_pairs(rows: Rows, progress: Callable[[int, int], None] | None = None,
                    total: int = 0, workers: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Pair codes worth scoring, and the subset already proven to be acronym/expansion pairs
    (which need no comparison: ``compare`` would find the same acronym first).

    ``progress(done, total)`` is called per percent of the blocks done; ``workers`` threads
    run the prefilter of a large block.
    """
    n = rows.n
    owner = rows.entity
    owner_list = owner.tolist()
    ntok = np.fromiter((len(f.tokens) for f in rows.forms), dtype=np.int64, count=n)
    phonetic: dict[int, str] = {}
    small: list[int] = []
    chunks: list[np.ndarray] = []
    acro_chunks: list[np.ndarray] = []
    s_blocks: list[list[int]] = []
    step = max(1, len(rows.blocks) // 100)
    for done, (key, members) in enumerate(rows.blocks, 1):
        if progress is not None and done % step == 0:
            progress(done, total)
        kind = key[key.index("|") + 1:][:2]
        if kind == "S:":
            s_blocks.append(members)
            continue
        if (len(members) <= SMALL_BLOCK or kind in ("P:", "d:")) and kind != "A:":
            # (anagram and nationality blocks are compared in full: the prefilter would drop
            # their pairs)
            # the bulk of blocks: plain Python beats numpy call overhead here
            for i, a in enumerate(members):
                ea = owner_list[a]
                small.extend(a * n + b for b in members[i + 1:] if owner_list[b] != ea)
            continue
        m = np.asarray(members, dtype=np.int64)
        own = owner[m]
        if own.min() == own.max():
            continue  # all rows of one entity
        if kind == "A:":
            # A one-word row here *is* the initials of every many-word row's key sequence
            # (both filed under "A:" + those letters), so every such pair is an acronym pair.
            one = ntok[m] == 1
            s, many = m[one], m[~one]
            if s.size and many.size:
                a = np.repeat(s, many.size)
                b = np.tile(many, s.size)
                keep = owner[a] != owner[b]
                acro_chunks.append(np.minimum(a, b)[keep] * n + np.maximum(a, b)[keep])
        else:
            keys = []
            for r in members:
                text = phonetic.get(r)
                if text is None:
                    text = phonetic[r] = _phonetic(rows.forms[r])
                keys.append(text)
            matrix = process.cdist(keys, keys, scorer=fuzz.token_set_ratio, processor=None,
                                   score_cutoff=PREFILTER, dtype="uint8",
                                   workers=workers if len(keys) >= PARALLEL_BLOCK else 1)
            i, j = np.nonzero(np.triu(matrix, 1))
            a, b = m[i], m[j]
            keep = owner[a] != owner[b]
            chunks.append(a[keep] * n + b[keep])
    acronym = sorted_unique(np.concatenate(
        [np.asarray(_syllabic_pairs(rows, s_blocks), dtype=np.int64), *acro_chunks]))
    pairs = sorted_unique(np.concatenate([np.asarray(small, dtype=np.int64), *chunks, acronym]))
    return pairs, acronym


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """``np.unique`` by sorting: numpy's hash-based unique takes seconds on millions of
    int64 (8.8 s against 0.07 s for 10M, numpy 2.4)."""
    values = np.sort(values)
    keep = np.ones(len(values), dtype=bool)
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


def member(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    """Whether each of ``values`` is in ``sorted_set`` (sorted, unique); a faster np.isin."""
    if not len(sorted_set):
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_set, values), len(sorted_set) - 1)
    return sorted_set[at] == values


def _syllabic_pairs(rows: Rows, s_blocks: list[list[int]]) -> list[int]:
    """Pair codes of one-word and many-word rows sharing an "S:" block where the word is an
    acronym of the name (``spells``): by syllables ("centcom" ← central commandement) or by
    initials. Testing every one-word × many-word pair of every such block costs millions of
    checks at 100k entities; instead each name spells out its acronyms, pruned to the
    prefixes of the one-word rows, and looks them up.
    """
    n = rows.n
    owner = rows.entity.tolist()
    blocks_of: dict[int, set[int]] = defaultdict(set)
    for b, members in enumerate(s_blocks):
        for r in members:
            blocks_of[r].add(b)
    words: dict[str, list[int]] = defaultdict(list)
    names = []
    for r in sorted(blocks_of):
        form = rows.forms[r]
        if len(form.tokens) == 1:
            words[form.raw[0]].append(r)
        else:
            names.append(r)
    prefixes = {w[:i] for w in words for i in range(2, len(w) + 1)}
    out = []
    for m in names:
        found: set[str] = set()
        for seq in acronym_words(rows.forms[m]):
            _spelt(seq, 0, "", prefixes, words, found)
            found.update(acro for acro in initial_strings(seq) if acro in words)
        for acro in found:
            for s in words[acro]:
                if owner[s] != owner[m] and blocks_of[s] & blocks_of[m]:
                    out.append(min(s, m) * n + max(s, m))
    return out


def _spelt(seq: tuple[str, ...], i: int, head: str, prefixes: set[str],
           words: dict[str, list[int]], found: set[str]) -> None:
    """Add to ``found`` the words that take at least two letters of every word of ``seq``
    from ``i`` on, in order, after ``head`` (the rule of ``acronyms.is_acronym``)."""
    word, last = seq[i], i == len(seq) - 1
    for cut in range(2, len(word) + 1):
        text = head + word[:cut]
        if text not in prefixes:
            break  # no one-word row starts like this, nor with any longer cut
        if last:
            if text in words:
                found.add(text)
        else:
            _spelt(seq, i + 1, text, prefixes, words, found)
