"""Review by confidence in one article: pending suggestions lowest confidence first (issue 16.3).

Pure functions over review items and the confidences of their suggestions (``suggestion id →
score``; ``None``: suggested before confidence existed, which comes first, as in ``glossator
uncertain``). The article screen asks them where j / k and accept-and-move-on go when the
reviewer switched the order with `z`; in text order it never calls them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from annotate.review.state import PENDING, Item

Scores = Mapping[int, float | None]
Key = tuple[float, int, int]


def sort_key(item: Item, scores: Scores) -> Key:
    """Where an item stands in the confidence order: (confidence, start, end); unscored first."""
    score = scores.get(item.suggestion_id) if item.suggestion_id is not None else None
    return (-1.0 if score is None else score, item.start, item.end)


def by_confidence(items: Sequence[Item], scores: Scores) -> list[Item]:
    """The pending suggestions, lowest confidence first (ties in text order)."""
    return sorted((i for i in items if i.state == PENDING), key=lambda i: sort_key(i, scores))


def step(items: Sequence[Item], scores: Scores, current: Item | None, delta: int) -> Item | None:
    """The pending suggestion after (1) or before (-1) ``current`` in the confidence order.

    From a span that is not pending (gold, or none) the walk starts at the least confident one;
    it stops at either end (like j / k in text order)."""
    order = by_confidence(items, scores)
    if not order:
        return current
    if current is None or current.state != PENDING:
        return order[0] if delta > 0 else order[-1]
    keys = [i.key for i in order]
    n = keys.index(current.key) if current.key in keys else 0
    return order[max(0, min(len(order) - 1, n + delta))]


def following(items: Sequence[Item], scores: Scores, decided: Key | None) -> Item | None:
    """After a decision on a suggestion that stood at ``decided`` in the order: the next pending
    one after it, wrapping round to the least confident (None: nothing pending)."""
    order = by_confidence(items, scores)
    if not order:
        return None
    if decided is None:
        return order[0]
    return next((i for i in order if sort_key(i, scores) > decided), order[0])


def describe(score: float | None) -> str:
    """A confidence as the status line shows it."""
    return "confidence ?" if score is None else f"confidence {score:.2f}"
