"""What a reviewer sees of one article: gold spans and still-pending suggestions.

Pure functions over store objects; the service calls them.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
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


@dataclass(frozen=True)
class ReviewState:
    """An article as one annotator reviews it."""

    article: Article
    annotator: str
    items: tuple[Item, ...]
    args: tuple[EventArg, ...] = ()
    suggested_args: tuple[SuggestedArg, ...] = ()

    @cached_property
    def pending(self) -> int:
        """Suggestions still waiting for a decision (counted once: the status line reads it on every key)."""
        return sum(1 for i in self.items if i.state == PENDING)

    @property
    def gold(self) -> tuple[Item, ...]:
        """Gold items only."""
        return tuple(i for i in self.items if i.state == GOLD)

    def find(self, key: str) -> Item | None:
        """The item with this key, if still present."""
        return next((i for i in self.items if i.key == key), None)


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
) -> ReviewState:
    """Assemble the review state; ``names`` maps kb ids to canonical names."""
    text = article.text
    items = [
        Item(g.start, g.end, g.label, g.kind, GOLD, text[g.start:g.end], span_id=g.id, kb_id=g.kb_id,
             kb_name=names.get(g.kb_id) if g.kb_id else None)
        for g in gold
    ]
    items += [
        Item(s.start, s.end, s.label, s.kind, PENDING, text[s.start:s.end], suggestion_id=s.id)
        for s in pending_suggestions(suggestions, gold, rejected)
    ]
    order = {ENTITY: 0, VALUE: 0, EVENT: 1}
    items.sort(key=lambda i: (i.start, order.get(i.kind, 2), i.end))
    return ReviewState(article, annotator, tuple(items), tuple(args), tuple(suggested_args))


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
