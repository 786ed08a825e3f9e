"""Routes for the keys_to_gold oracle: the cheapest key sequence to a span or a token, and to an
edited input value, computed on copies of the article screen's session (it only reads; the oracle
presses the keys it returns).

A route is a list of (tally name, key). Moves compared: `j` / `k` counts, `f` + a typed string +
Enter (+ `g`), `g` alone (the last find again), the token moves `l` / `h` / `w` / `b` mixed with
`j` / `k` as the cursor allows, and `m` / `M` (the next / previous entity mention accept-all would
leave unlinked: the screen's own list of them, ``stops``) pressed a few times, then any of the
span or token moves from where they land.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from typing import Any

from annotate.review.find import fold
from annotate.review.navigation import step, word_step
from annotate.review.state import Item
from annotate.review.unlinked import jump

Route = list[tuple[str, str]]


def typeable(ch: str) -> bool:
    """Whether the pilot types ``ch`` into an input (it drops characters such as « » ’ €, whose key
    names it cannot turn back into the character); a find query is planned from these only."""
    import unicodedata

    from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key

    if ch.isalnum():
        return True
    key = _character_to_key(ch)
    try:
        return unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key))) == ch
    except KeyError:
        return len(key) == 1
MAX_QUERY = 14  # characters the oracle would type into the find bar
MAX_G = 2  # `g` presses after a find


def same(a: Item | None, b: Item) -> bool:
    """The same span: bounds, label and state."""
    return a is not None and (a.start, a.end, a.label, a.state) == (b.start, b.end, b.label, b.state)


def _jk(session: Any, target: Item, keys: dict[str, str], limit: int) -> Route | None:
    s = copy.copy(session)
    route: Route = []
    for _ in range(limit):
        if same(s.item, target):
            return route
        order = [i.key for i in s.navigable()]
        want = next((n for n, i in enumerate(s.navigable()) if same(i, target)), None)
        if want is None:
            return None
        item = s.item
        forward = want > order.index(item.key) if item is not None and item.key in order \
            else target.start >= s.cursor_offset
        s.step(1 if forward else -1)
        route.append(("navigate", keys["next_span" if forward else "prev_span"]))
    return None


def _tokens(session: Any, token: int, selecting: bool, keys: dict[str, str], limit: int) -> Route | None:
    """The move (j / k, w / b, l / h) that lands nearest without passing ``token``, again and again."""
    s = copy.copy(session)
    route: Route = []
    text = s.state.article.text
    for _ in range(limit):
        here = s.cursor
        if here == token:
            return route
        delta = 1 if token > here else -1
        moves = [("cursor", here + delta), ("word", word_step(s.tokens, text, here, delta))]
        if not selecting:
            item = step(s.navigable(), s.current, s.cursor_offset, delta)
            if item is not None:
                moves.append(("span", s.tokens.at(item.start)))
        best = max((m for m in moves if (m[1] - here) * delta > 0 and (token - m[1]) * delta >= 0),
                   key=lambda m: abs(m[1] - here))
        if best[0] == "span":
            s.step(delta)
            route.append(("navigate", keys["next_span" if delta > 0 else "prev_span"]))
        else:
            s.move_cursor(delta, best[0] == "word")
            name = {("cursor", 1): "cursor_right", ("cursor", -1): "cursor_left",
                    ("word", 1): "word_right", ("word", -1): "word_left"}[(best[0], delta)]
            route.append(("navigate", keys[name]))
    return None


def _find(session: Any, token: int, ok: Callable[[Any], bool], keys: dict[str, str], budget: int) -> Route | None:
    """`g` alone, else the shortest `f` query typed from inside ``token`` whose hit (or one of the
    next ``MAX_G`` with `g`) satisfies ``ok``; None when nothing costs under ``budget`` keys."""
    best: Route | None = None
    if session.last_find:
        s = copy.copy(session)
        for m in range(1, min(MAX_G + 1, budget)):
            s.find(s.last_find)
            if ok(s):
                best = [("find", keys["find_next"])] * m
                budget = m
                break
    text = session.state.article.text
    start, end = session.tokens.spans[token]
    for p in range(start, end):
        for length in range(1, MAX_QUERY + 1):
            typed = fold(text[p:p + length])
            if p + length > len(text) or 2 + len(typed) >= budget or not all(map(typeable, typed)):
                break
            s = copy.copy(session)
            for m in range(MAX_G + 1):
                if 2 + len(typed) + m >= budget:
                    break
                _n, total, _wrapped = s.find(typed)
                if not total:
                    break
                if ok(s):
                    best = [("find", keys["find"]), *[("find", ch) for ch in typed], ("find", "enter"),
                            *[("find", keys["find_next"])] * m]
                    budget = len(best)
                    break
    return best


def _unlinked(session: Any, stops: Sequence[Item], keys: dict[str, str], budget: int,
              finish: Callable[[Any, int], Route | None]) -> Route | None:
    """`m` (or `M`) pressed 1, 2, … times, then ``finish`` (the rest of the way from where they land,
    under a key limit; [] when already there); the cheapest under ``budget`` keys, else None."""
    best: Route | None = None
    for delta, name in ((1, "next_unlinked"), (-1, "prev_unlinked")):
        s = copy.copy(session)
        for presses in range(1, len(stops) + 1):
            if presses >= budget:
                break
            found = jump(s.state.items, stops, s.current, s.cursor_offset, delta)
            if found is None:
                break
            s.go(found.item)
            rest = finish(s, budget - presses)
            if rest is not None and presses + len(rest) < budget:
                best = [("unlinked", keys[name])] * presses + rest
                budget = len(best)
    return best


def route_to_item(session: Any, target: Item, keys: dict[str, str], stops: Sequence[Item] = ()) -> Route | None:
    """The cheapest keys that make ``target`` the current span (``stops``: where `m` / `M` go)."""
    if same(session.item, target):
        return []
    routes = [r for r in (_jk(session, target, keys, len(session.state.items) + 2),) if r is not None]
    budget = min((len(r) for r in routes), default=10_000)
    if session.picking is None:  # while choosing a filler the oracle keeps to j / k
        found = _unlinked(session, stops, keys, budget, lambda s, limit: _jk(s, target, keys, limit))
        if found is not None:
            routes.append(found)
            budget = len(found)
        found = _find(session, session.tokens.at(target.start), lambda s: same(s.item, target), keys, budget)
        if found is not None:
            routes.append(found)
    return min(routes, key=len) if routes else None


def route_to_token(session: Any, token: int, selecting: bool, keys: dict[str, str],
                   stops: Sequence[Item] = ()) -> Route | None:
    """The cheapest keys that put the cursor on ``token`` (keeping the selection while ``selecting``;
    `m` / `M` only when not, as they drop it)."""
    if session.cursor == token:
        return []
    routes = [r for r in (_tokens(session, token, selecting, keys, 10_000),) if r is not None]
    budget = min((len(r) for r in routes), default=10_000)
    if not selecting:
        found = _unlinked(session, stops, keys, budget, lambda s, limit: _tokens(s, token, False, keys, limit))
        if found is not None:
            routes.append(found)
            budget = len(found)
    found = _find(session, token, lambda s: s.cursor == token, keys, budget)
    if found is not None:
        routes.append(found)
    return min(routes, key=len) if routes else None


def edit_keys(current: str, wanted: str) -> list[str]:
    """Keys that turn a just-focused input's ``current`` value into ``wanted``, fewest first. Textual
    selects an input's value when it gets the focus, so typing replaces it all; or keep a common
    prefix and / or suffix and change only the middle, reached from the nearer end: End and ← over
    the suffix then Backspace, or Home and → over the prefix then Delete. (Ctrl+K / Ctrl+U after a
    kept part never beat typing it again: the kept part costs a key a character either way.)"""
    if current == wanted:
        return []
    options = [list(wanted)]
    limit = min(len(current), len(wanted))
    prefix = 0
    while prefix < limit and current[prefix] == wanted[prefix]:
        prefix += 1
    for keep in range(prefix + 1):  # keep ``keep`` characters of the common prefix
        suffix = 0
        while suffix < limit - keep and current[-1 - suffix] == wanted[-1 - suffix]:
            suffix += 1
        for tail in range(suffix + 1):  # and ``tail`` of the common suffix
            cut = len(current) - keep - tail
            middle = list(wanted[keep:len(wanted) - tail])
            options.append(["end", *["left"] * tail, *["backspace"] * cut, *middle])
            options.append(["home", *["right"] * keep, *["delete"] * cut, *middle])
    return min(options, key=len)
