"""Entity mentions not linked yet (issue 14): where `m` / `M` go.

Accept-all (`A`) settles every pending suggestion as it is and links the entity mentions it can
(``Service.review.accept_all_links``: the surface's entity in the article, else a confident top
candidate; then the unlinked gold mentions that read like one it links). What it leaves unlinked is
what a reviewer still has to visit with `/` or `N`: a gold entity span without a canonical entity, or
a pending entity suggestion accept-all would accept without one. Values (DATE, QUANTITY) and event
triggers are never linked, so never stops. Pure functions over review items; no Textual, no database.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from annotate.review.state import GOLD, PENDING, Item
from store.models import ENTITY


@dataclass(frozen=True)
class Jump:
    """Where `m` / `M` lands: the mention, its number among the unlinked ones (from 1), how many
    there are, and whether the walk wrapped round the end of the text."""

    item: Item
    number: int
    total: int
    wrapped: bool


def unlinked(items: Sequence[Item], links: Mapping[int, str],
             surface: Callable[[str], str] | None = None) -> list[Item]:
    """The entity mentions accept-all leaves unlinked, in text order.

    ``links``: suggestion id → the entity accept-all links that suggestion to (the ones it links).
    ``surface``: how accept-all compares a gold mention with the suggestions it links (it links an
    unlinked gold mention that reads like one of them); None when it does not (propagation off)."""
    linked_surfaces = set()
    if surface is not None:
        linked_surfaces = {surface(i.text) for i in items
                           if i.state == PENDING and i.suggestion_id in links}
        linked_surfaces.discard("")
    out = []
    for item in items:
        if item.kind != ENTITY:
            continue
        if item.state == GOLD:
            if item.kb_id is None and not (surface is not None and surface(item.text) in linked_surfaces):
                out.append(item)
        elif item.suggestion_id not in links:
            out.append(item)
    return out


def jump(items: Sequence[Item], stops: Sequence[Item], current: str | None, offset: int,
         delta: int) -> Jump | None:
    """The stop after (``delta`` 1) or before (-1) the current span, wrapping round; with no current
    span, the first starting at or after the cursor's ``offset`` (before it, backwards).
    ``stops``: a subsequence of ``items`` (e.g. :func:`unlinked`). None when there is no stop."""
    if not stops:
        return None
    order = {item.key: n for n, item in enumerate(items)}
    at = order.get(current) if current is not None else None

    def ahead(item: Item) -> bool:
        if at is not None:
            n = order.get(item.key, -1)
            return n > at if delta > 0 else n < at
        return item.start >= offset if delta > 0 else item.start < offset

    candidates = [i for i in stops if ahead(i)]
    wrapped = not candidates
    if delta > 0:
        found = candidates[0] if candidates else stops[0]
    else:
        found = candidates[-1] if candidates else stops[-1]
    number = next(n for n, i in enumerate(stops, 1) if i.key == found.key)
    return Jump(found, number, len(stops), wrapped)
