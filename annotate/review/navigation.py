"""Pure helpers for moving around an article's items and tokens (no Textual, no database)."""

from __future__ import annotations

from collections.abc import Sequence

from annotate.review.state import PENDING, Item
from annotate.review.tokens import TokenIndex
from store.models import EVENT


def index_of(items: Sequence[Item], key: str | None) -> int | None:
    """Position of the item with ``key``."""
    if key is None:
        return None
    return next((n for n, item in enumerate(items) if item.key == key), None)


def step(items: Sequence[Item], key: str | None, offset: int, delta: int) -> Item | None:
    """The item after (delta=1) or before (-1) the current one, or the one nearest ``offset``."""
    if not items:
        return None
    n = index_of(items, key)
    if n is None:
        if delta > 0:
            return next((i for i in items if i.start >= offset), items[-1])
        return next((i for i in reversed(items) if i.start < offset), items[0])
    return items[max(0, min(len(items) - 1, n + delta))]


def next_pending(items: Sequence[Item], after: int) -> Item | None:
    """The first pending suggestion starting at or after ``after``, wrapping round to the top."""
    pending = [i for i in items if i.state == PENDING]
    return next((i for i in pending if i.start >= after), pending[0] if pending else None)


def resume_item(items: Sequence[Item], position: tuple[int, int] | None = None) -> Item | None:
    """Where to resume an article: the span at ``position`` (where the annotator last acted), else
    the next pending suggestion after it, else the first pending suggestion, else the first span."""
    if position is not None:
        start, end = position
        exact = [i for i in items if (i.start, i.end) == (start, end)]
        if exact:
            return exact[0]
        after = next_pending(items, start) or next((i for i in items if i.start >= start), None)
        if after is not None:
            return after
    return next((i for i in items if i.state == PENDING), items[0] if items else None)


def item_at(items: Sequence[Item], start: int, end: int) -> Item | None:
    """The item covering ``start``–``end`` (entities before events)."""
    hits = [i for i in items if i.start <= start and end <= i.end]
    hits.sort(key=lambda i: (i.kind == EVENT, i.end - i.start))
    return hits[0] if hits else None


def word_step(tokens: TokenIndex, text: str, index: int, delta: int) -> int:
    """Next/previous token that starts a word (skips punctuation)."""
    n = index + delta
    while 0 <= n < len(tokens):
        start, end = tokens.spans[n]
        if any(ch.isalnum() for ch in text[start:end]):
            return n
        n += delta
    return index


def token_range(tokens: TokenIndex, first: int, last: int) -> tuple[int, int]:
    """Character range from token ``first`` to token ``last`` (either order)."""
    a, b = sorted((first, last))
    return tokens.starts[a], tokens.ends[b]
