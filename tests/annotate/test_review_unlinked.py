"""Entity mentions accept-all leaves unlinked (issue 14, `m` / `M`): which mentions stop the walk,
and where the walk goes from a span, from the cursor, and round the ends."""

from __future__ import annotations

from annotate.review.state import GOLD, PENDING, Item
from annotate.review.unlinked import jump, unlinked
from store.models import ENTITY, EVENT, VALUE


def item(start: int, text: str, state: str = PENDING, kind: str = ENTITY, kb: str | None = None,
         label: str = "LOC") -> Item:
    n = start + 1
    return Item(start, start + len(text), label, kind, state, text,
                span_id=n if state == GOLD else None, suggestion_id=n if state == PENDING else None, kb_id=kb)


IRAK = item(0, "Irak", GOLD, kb="iraq")
MEETS = item(10, "rencontre", kind=EVENT, label="MEETING")
MALIKI = item(20, "Al Maliki", label="PER")
DATE = item(30, "hier", kind=VALUE, label="DATE")
BAGDAD = item(40, "Bagdad", GOLD)
AFP = item(50, "AFP", label="ORG")
IRAQ_AGAIN = item(60, "IRAK")
ITEMS = (IRAK, MEETS, MALIKI, DATE, BAGDAD, AFP, IRAQ_AGAIN)


def test_stops_are_entity_mentions_gold_without_a_link_or_pending_that_accept_all_would_not_link() -> None:
    links = {IRAQ_AGAIN.suggestion_id: "iraq"}  # accept-all links it (its surface is linked in the article)
    assert unlinked(ITEMS, links) == [MALIKI, BAGDAD, AFP]  # no event, no value, nothing linked or to be linked
    assert unlinked(ITEMS, {}) == [MALIKI, BAGDAD, AFP, IRAQ_AGAIN]


def test_a_gold_mention_that_reads_like_one_accept_all_links_is_not_a_stop_when_it_propagates() -> None:
    other_bagdad = item(70, "BAGDAD")
    items = (*ITEMS, other_bagdad)
    links = {other_bagdad.suggestion_id: "baghdad"}
    assert BAGDAD in unlinked(items, links)  # propagation off: accept-all leaves the gold one as it is
    assert BAGDAD not in unlinked(items, links, surface=str.lower)  # on: it links it with the suggestion


def test_the_walk_goes_from_the_current_span_and_wraps_round_both_ways() -> None:
    stops = unlinked(ITEMS, {})
    forward = jump(ITEMS, stops, MEETS.key, 0, 1)
    assert forward is not None and (forward.item, forward.number, forward.total, forward.wrapped) == (MALIKI, 1, 4, False)
    again = jump(ITEMS, stops, MALIKI.key, 0, 1)
    assert again is not None and again.item == BAGDAD
    last = jump(ITEMS, stops, IRAQ_AGAIN.key, 0, 1)
    assert last is not None and (last.item, last.wrapped) == (MALIKI, True)
    back = jump(ITEMS, stops, AFP.key, 0, -1)
    assert back is not None and (back.item, back.wrapped) == (BAGDAD, False)
    round_back = jump(ITEMS, stops, MALIKI.key, 0, -1)
    assert round_back is not None and (round_back.item, round_back.number, round_back.wrapped) == (IRAQ_AGAIN, 4, True)


def test_without_a_current_span_the_walk_starts_at_the_cursor() -> None:
    stops = unlinked(ITEMS, {})
    after = jump(ITEMS, stops, None, 35, 1)
    assert after is not None and after.item == BAGDAD  # the first starting at or after the cursor
    before = jump(ITEMS, stops, None, 35, -1)
    assert before is not None and before.item == MALIKI
    assert jump(ITEMS, [], None, 0, 1) is None
    only = jump(ITEMS, [AFP], AFP.key, 0, 1)
    assert only is not None and (only.item, only.wrapped) == (AFP, True)  # the only one: it stays
