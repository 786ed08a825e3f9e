"""Find in the article (issue 14.5): where a typed string occurs in the verbatim text.

Matching ignores case and accents (``etats`` finds "États"), reads the typographic apostrophe as
``'`` and any whitespace as a space, so what the reviewer types finds what they read. Offsets are
always into the verbatim text (a folded character that came from a longer or shorter one maps back
to where it came from). Pure functions: no Textual, no database.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from functools import lru_cache

APOSTROPHES = "’‘ʼ´`"
LIGATURES = {"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae"}


def _fold_char(ch: str) -> str:
    if ch.isspace():
        return " "
    if ch in APOSTROPHES:
        return "'"
    if ch in LIGATURES:
        return LIGATURES[ch]
    decomposed = unicodedata.normalize("NFD", ch)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def fold(text: str) -> str:
    """``text`` without case and accents (as :func:`find_hits` compares it)."""
    return "".join(_fold_char(ch) for ch in text)


@lru_cache(maxsize=8)
def _folded(text: str) -> tuple[str, tuple[int, ...]]:
    """The folded text and, for each of its characters, the offset of the verbatim one it came from."""
    chars: list[str] = []
    origin: list[int] = []
    for n, ch in enumerate(text):
        folded = _fold_char(ch)
        chars.append(folded)
        origin.extend([n] * len(folded))
    return "".join(chars), tuple(origin)


def find_hits(text: str, query: str) -> list[int]:
    """Start offsets (in ``text``) of every occurrence of ``query``, case and accents ignored,
    in text order; overlapping occurrences count. An empty (or blank) query finds nothing."""
    needle = fold(query)
    if not needle.strip():
        return []
    haystack, origin = _folded(text)
    hits: list[int] = []
    at = haystack.find(needle)
    while at >= 0:
        start = origin[at]
        if not hits or hits[-1] != start:
            hits.append(start)
        at = haystack.find(needle, at + 1)
    return hits


def next_hit(hits: Sequence[int], after: int, delta: int = 1) -> tuple[int | None, bool]:
    """The first hit at or after offset ``after`` (``delta`` -1: the last one before it), wrapping
    round; returns (offset, wrapped). (None, False) when there is no hit at all."""
    if not hits:
        return None, False
    if delta > 0:
        n = bisect_right(hits, after - 1)
        return (hits[n], False) if n < len(hits) else (hits[0], True)
    n = bisect_right(hits, after - 1) - 1
    return (hits[n], False) if n >= 0 else (hits[-1], True)
