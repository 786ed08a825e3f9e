"""The article's pending suggestions in confidence order (annotate/review/confidence_order.py)."""

from annotate.review import confidence_order as order
from annotate.review.state import GOLD, PENDING, Item


def item(start, sid, state=PENDING):
    return Item(start, start + 3, "LOC", "entity", state, "abc", span_id=None if state == PENDING else sid,
                suggestion_id=sid if state == PENDING else None)


ITEMS = (item(0, 1), item(10, 2), item(20, 3, GOLD), item(30, 4), item(40, 5))
SCORES = {1: 0.9, 2: 0.1, 4: None, 5: 0.5}


def test_lowest_first_unscored_before_all_gold_left_out():
    assert [i.suggestion_id for i in order.by_confidence(ITEMS, SCORES)] == [4, 2, 5, 1]


def test_step_walks_the_order_and_stops_at_its_ends():
    first = order.step(ITEMS, SCORES, None, 1)
    assert first.suggestion_id == 4
    assert order.step(ITEMS, SCORES, first, -1).suggestion_id == 4
    assert order.step(ITEMS, SCORES, first, 1).suggestion_id == 2
    assert order.step(ITEMS, SCORES, ITEMS[2], -1).suggestion_id == 1  # from gold, backwards: the most confident


def test_after_a_decision_the_next_in_the_order_then_round_again():
    decided = order.sort_key(ITEMS[1], SCORES)  # 0.1, decided: it is gone from the items
    rest = tuple(i for i in ITEMS if i.suggestion_id != 2)
    assert order.following(rest, SCORES, decided).suggestion_id == 5
    top = order.sort_key(ITEMS[0], SCORES)
    assert order.following(tuple(i for i in ITEMS if i.suggestion_id != 1), SCORES, top).suggestion_id == 4
    assert order.following((ITEMS[2],), SCORES, top) is None
