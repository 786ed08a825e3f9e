"""What a reviewer sees of one article: gold spans and still-pending suggestions.

Pure functions over store objects; the service calls them. A state is read once when the article
opens and then patched after each action (``annotate.review.patch``), so that a key costs what it
changed, not what the article holds: the lookups a key makes (an item by key, its position, the
items over a range) use indexes that a patched state gets from the one before, updated.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from store.models import ENTITY, EVENT, VALUE, Article, EventArg, Span, SuggestedArg, Suggestion

GOLD = "gold"
PENDING = "pending"


@dataclass(frozen=True)
class Item:
    """One reviewable span: gold (accepted or made) or a pending suggestion."""

    start: int
    end: int
    label: str
    kind: str
    state: str
    text: str
    span_id: int | None = None
    suggestion_id: int | None = None
    kb_id: str | None = None
    kb_name: str | None = None

    @property
    def key(self) -> str:
        """Stable identity across refreshes."""
        return f"s{self.span_id}" if self.span_id is not None else f"g{self.suggestion_id}"


_LAYER_ORDER = {ENTITY: 0, VALUE: 0, EVENT: 1}


def order_key(item: Item) -> tuple[int, int, int, bool, int]:
    """Where an item stands among a state's items: by start, the entity layer before events, by end;
    then gold before pending and by suggestion id (only suggestions with the same bounds tie so far)."""
    return (item.start, _LAYER_ORDER.get(item.kind, 2), item.end, item.state != GOLD, item.suggestion_id or 0)


@dataclass(frozen=True)
class ReviewState:
    """An article as one annotator reviews it.

    ``logged``: the id of the last action in the log when it was read (0: none; None: unknown), from which
    ``Service.review.catch_up`` patches it. The indexes (``find``, ``position``, ``overlapping``,
    ``pending``) are built on first use, or handed over by the patch that made the state; they are
    not init fields, so ``dataclasses.replace`` never carries stale ones over.
    """

    article: Article
    annotator: str
    items: tuple[Item, ...]
    args: tuple[EventArg, ...] = ()
    suggested_args: tuple[SuggestedArg, ...] = ()
    logged: int | None = field(default=None, compare=False)
    _keys: dict[str, Item] | None = field(default=None, init=False, compare=False, repr=False)
    _pending: int | None = field(default=None, init=False, compare=False, repr=False)
    _longest: int | None = field(default=None, init=False, compare=False, repr=False)

    def indexed(self, keys: dict[str, Item], pending: int, longest: int) -> ReviewState:
        """This state with its indexes given (``longest``: at least the longest item's length)."""
        object.__setattr__(self, "_keys", keys)
        object.__setattr__(self, "_pending", pending)
        object.__setattr__(self, "_longest", longest)
        return self

    @property
    def keys(self) -> dict[str, Item]:
        """Item key → item (do not change it: a patched state gets a copy)."""
        if self._keys is None:
            object.__setattr__(self, "_keys", {i.key: i for i in self.items})
        return self._keys  # type: ignore[return-value]

    @property
    def pending(self) -> int:
        """Suggestions still waiting for a decision (counted once: the status line reads it on every key)."""
        if self._pending is None:
            object.__setattr__(self, "_pending", sum(1 for i in self.items if i.state == PENDING))
        return self._pending  # type: ignore[return-value]

    @property
    def longest(self) -> int:
        """An upper bound of the items' lengths (bounds the search of :meth:`overlapping`)."""
        if self._longest is None:
            object.__setattr__(self, "_longest", max((i.end - i.start for i in self.items), default=0))
        return self._longest  # type: ignore[return-value]

    @cached_property
    def starts(self) -> list[int]:
        """The items' starts, in order (for bisection)."""
        return [i.start for i in self.items]

    @property
    def gold(self) -> tuple[Item, ...]:
        """Gold items only."""
        return tuple(i for i in self.items if i.state == GOLD)

    def find(self, key: str | None) -> Item | None:
        """The item with this key, if still present."""
        return self.keys.get(key) if key is not None else None

    def position(self, key: str | None) -> int | None:
        """Index in ``items`` of the item with this key (a bisection: items are in :func:`order_key` order)."""
        item = self.find(key)
        if item is None:
            return None
        n = bisect_left(self.items, order_key(item), key=order_key)
        if n < len(self.items) and self.items[n] is item:
            return n
        return self.items.index(item)  # keys that tie (not expected): a walk

    def span_of_range(self, start: int, end: int) -> tuple[int, int]:
        """``lo``, ``hi``: ``items[lo:hi]`` holds every item overlapping ``start``–``end`` (and a few more)."""
        lo = bisect_left(self.starts, start - self.longest)
        return lo, bisect_left(self.starts, max(end, start + 1))

    def overlapping(self, start: int, end: int) -> list[Item]:
        """Items sharing a character with ``start``–``end`` (an empty range: the items over ``start``), in order."""
        lo, hi = self.span_of_range(start, end)
        stop = max(end, start + 1)
        return [i for i in self.items[lo:hi] if i.end > start and i.start < stop]

    def first_from(self, offset: int) -> int:
        """Index of the first item starting at or after ``offset``."""
        return bisect_left(self.starts, offset)


def overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    """Whether two half-open ranges share at least one character."""
    return a_start < b_end and b_start < a_end


def layer_of(kind: str) -> str:
    """Spans overlap-check within a layer; value spans share the entity layer."""
    return EVENT if kind == EVENT else ENTITY


def pending_suggestions(
    suggestions: Iterable[Suggestion],
    gold: Iterable[Span],
    rejected: set[tuple[int, int, str, str]],
) -> list[Suggestion]:
    """Suggestions neither rejected nor superseded by an overlapping gold span of the same layer.

    Gold spans of a layer never overlap each other, so sorted by start their ends are sorted
    too: one binary search per suggestion finds the only candidates (n log n, not n × gold).
    """
    layers: dict[str, tuple[list[int], list[int]]] = {}
    for g in sorted(gold, key=lambda g: g.start):
        starts, ends = layers.setdefault(layer_of(g.kind), ([], []))
        starts.append(g.start)
        ends.append(g.end)
    out = []
    for sug in suggestions:
        if (sug.start, sug.end, sug.label, sug.kind) in rejected:
            continue
        starts, ends = layers.get(layer_of(sug.kind), ((), ()))
        i = bisect_right(starts, sug.start) - 1  # last gold starting at or before the suggestion
        if i >= 0 and ends[i] > sug.start:
            continue
        if i + 1 < len(starts) and starts[i + 1] < sug.end:
            continue
        out.append(sug)
    return out


def build_state(
    article: Article,
    annotator: str,
    gold: list[Span],
    suggestions: list[Suggestion],
    rejected: set[tuple[int, int, str, str]],
    names: dict[str, str],
    args: list[EventArg],
    suggested_args: list[SuggestedArg],
    logged: int | None = None,
) -> ReviewState:
    """Assemble the review state; ``names`` maps kb ids to canonical names; ``logged``: the log's
    last action id when the rows were read."""
    items = build_items(article.text, gold, pending_suggestions(suggestions, gold, rejected), names)
    items.sort(key=order_key)
    return ReviewState(article, annotator, tuple(items), tuple(args), tuple(suggested_args), logged)


def build_items(text: str, gold: Iterable[Span], pending: Iterable[Suggestion], names: dict[str, str]) -> list[Item]:
    """The items of these gold spans and pending suggestions (unsorted)."""
    items = [
        Item(g.start, g.end, g.label, g.kind, GOLD, text[g.start:g.end], span_id=g.id, kb_id=g.kb_id,
             kb_name=names.get(g.kb_id) if g.kb_id else None)
        for g in gold
    ]
    items += [Item(s.start, s.end, s.label, s.kind, PENDING, text[s.start:s.end], suggestion_id=s.id)
              for s in pending]
    return items


def check_bounds(text: str, start: int, end: int) -> str | None:
    """An error message when a range is not a non-empty slice of ``text``."""
    if not (0 <= start < end <= len(text)):
        return f"span {start}–{end} is outside the text (length {len(text)})"
    if not text[start:end].strip():
        return "a span cannot be only whitespace"
    return None


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop leading and trailing whitespace from a range inside the text."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
