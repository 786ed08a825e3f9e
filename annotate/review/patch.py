"""A review state patched after an action: the items over the changed ranges rebuilt from the
database's rows there, every other item kept as it was (the same objects, so that the widgets see
what changed by identity, and a key costs what it changed rather than what the article holds).

Why it is exact. An item's look depends on its own row and, for a pending suggestion, on the gold
spans of its layer that overlap it and on its rejection. An action changes gold spans and
rejections; ``window`` holds their bounds before and after it. A gold item that changed overlaps
``window`` (its old bounds are there); a suggestion whose status changed overlaps a changed gold
span or has a changed rejection, so it overlaps ``window`` too. The items overlapping ``window`` are
dropped and rebuilt from: the suggestions overlapping ``window``, this annotator's gold spans
overlapping ``window`` or any of those suggestions, and the rejections among them.
``tests/annotate/test_review_patch.py`` checks it against a state read whole, action after action.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterable, Sequence

from annotate.review.state import PENDING, ReviewState, build_items, order_key, pending_suggestions
from store.models import Article, EventArg, Span, Suggestion

Range = tuple[int, int]


def merge_ranges(ranges: Iterable[Range]) -> list[Range]:
    """Sorted, disjoint ranges covering the non-empty ``ranges`` (overlapping or touching ones merged)."""
    merged: list[Range] = []
    for start, end in sorted(r for r in ranges if r[1] > r[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def in_ranges(merged: Sequence[Range], starts: Sequence[int], start: int, end: int) -> bool:
    """Whether ``start``–``end`` shares a character with one of ``merged`` (``starts``: their starts)."""
    n = bisect_left(starts, end) - 1  # the last range starting before ``end`` reaches furthest
    return n >= 0 and merged[n][1] > start


def patch_state(state: ReviewState, window: Iterable[Range], gold: Iterable[Span], suggestions: Iterable[Suggestion],
                rejected: set[tuple[int, int, str, str]], names: dict[str, str],
                args: Sequence[EventArg] | None = None, logged: int | None = None,
                article: Article | None = None) -> ReviewState:
    """``state`` with the items overlapping ``window`` rebuilt from these rows (see the module's
    docstring for which rows are needed); ``names``: kb id → canonical name for those gold spans;
    ``args``: the article's event arguments now, ``article`` its row now (None: unchanged); ``logged``:
    the log's last id."""
    merged = merge_ranges(window)
    starts = [a for a, _ in merged]
    items = state.items
    # The slices of items that may overlap a range, merged: everything outside them is kept untouched.
    slices = merge_ranges(state.span_of_range(a, b) for a, b in merged)
    kept: list = []
    dropped = {}
    at = 0
    for lo, hi in slices:
        kept.extend(items[at:lo])
        for item in items[lo:hi]:
            if in_ranges(merged, starts, item.start, item.end):
                dropped[item.key] = item
            else:
                kept.append(item)
        at = hi
    kept.extend(items[at:])
    gold = list(gold)
    pending = [s for s in pending_suggestions(suggestions, gold, rejected) if in_ranges(merged, starts, s.start, s.end)]
    fresh = build_items(state.article.text, [g for g in gold if in_ranges(merged, starts, g.start, g.end)],
                        pending, names)
    keys = dict(state.keys)
    for key in dropped:
        del keys[key]
    count = state.pending - sum(1 for i in dropped.values() if i.state == PENDING)
    longest = state.longest
    for item in fresh:
        old = dropped.get(item.key)
        if old is not None and old == item:
            item = old  # unchanged: the same object, so that nothing repaints it
        insort(kept, item, key=order_key)
        keys[item.key] = item
        count += item.state == PENDING
        longest = max(longest, item.end - item.start)
    out = ReviewState(article or state.article, state.annotator, tuple(kept), state.args if args is None else tuple(args),
                      state.suggested_args, state.logged if logged is None else logged)
    return out.indexed(keys, count, longest)


def changed_middle(old: Sequence[object], new: Sequence[object]) -> tuple[int, int, int]:
    """``(head, old_end, new_end)``: ``old[head:old_end]`` became ``new[head:new_end]``, the rest is the
    same objects (compared by identity: a patched state keeps the items it did not rebuild)."""
    if old is new:
        return len(old), len(old), len(new)
    n = min(len(old), len(new))
    head = 0
    while head < n and old[head] is new[head]:
        head += 1
    tail = 0
    while tail < n - head and old[-1 - tail] is new[-1 - tail]:
        tail += 1
    return head, len(old) - tail, len(new) - tail
