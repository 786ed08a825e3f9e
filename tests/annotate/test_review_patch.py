"""A review state caught up with the log (``Service.review.catch_up``: patched over the ranges the
actions since changed) equals the state read whole from the database, action after action; and
its indexes agree with its items."""

from __future__ import annotations

import random
import re

import pytest

from annotate.errors import ReviewError
from annotate.review.patch import changed_middle, in_ranges, merge_ranges
from annotate.review.state import GOLD, PENDING, ReviewState, order_key
from annotate.service import Service
from store.models import EVENT, DocSuggestions, SpanSuggestion
from tests.paths import SEEDS

NAME = re.compile(r"\b[A-ZÉ][\w’'-]+(?: [A-ZÉ][\w’'-]+)*")
LABELS = ("PER", "ORG", "LOC", "MISC")


@pytest.fixture
def article(service: Service) -> str:
    """A seed article with name-shaped suggestions: some of them twice with another label, some
    inside a longer one, some spanning two names, every fifth an event trigger."""
    service.data.ingest([sorted(SEEDS.glob("*.txt"))[0]])
    aid = service.data.articles()[0]["id"]
    text = service.data.article(aid).text
    spans = []
    names = list(NAME.finditer(text))
    for n, m in enumerate(names):
        if n % 6 == 0 and n + 1 < len(names):  # over this name and the next: hidden by gold on either
            spans.append(SpanSuggestion(m.start(), names[n + 1].end(), "MISC"))
        if n % 5 == 2:
            spans.append(SpanSuggestion(m.start(), m.end(), "ATTACK", kind=EVENT))
            continue
        spans.append(SpanSuggestion(m.start(), m.end(), LABELS[n % 4]))
        if n % 3 == 0:
            spans.append(SpanSuggestion(m.start(), m.end(), LABELS[(n + 1) % 4]))  # the same bounds, another label
        if n % 4 == 1 and " " in m.group():
            spans.append(SpanSuggestion(m.start(), m.start() + m.group().index(" "), LABELS[n % 4]))  # inside it
    service.store.replace_suggestions([(aid, DocSuggestions(tuple(spans)))], "fp", "test")
    return aid


def check_indexes(state: ReviewState) -> None:
    assert list(state.items) == sorted(state.items, key=order_key)
    assert state.keys == {i.key: i for i in state.items}
    assert state.pending == sum(1 for i in state.items if i.state == PENDING)
    assert state.longest >= max((i.end - i.start for i in state.items), default=0)
    for n, item in enumerate(state.items):
        assert state.position(item.key) == n


def act(svc: Service, aid: str, state: ReviewState, rng: random.Random) -> None:
    """One reviewer action chosen at random (refusals are part of the game)."""
    items = state.items
    pending = [i for i in items if i.state == PENDING]
    gold = [i for i in items if i.state == GOLD]
    entities = [i for i in gold if i.kind != EVENT]
    what = rng.choice(["accept", "accept", "accept_as", "reject", "reject", "undo", "undo", "redo", "delete",
                       "relabel", "resize", "add", "link_new", "rename", "attach", "reject_label"])
    review = svc.review
    try:
        if what == "accept" and pending:
            review.accept(aid, rng.choice(pending).suggestion_id)
        elif what == "accept_as" and pending:
            item = rng.choice(pending)
            review.accept(aid, item.suggestion_id, label=rng.choice(LABELS))
        elif what == "reject" and pending:
            review.reject(aid, rng.choice(pending).suggestion_id)
        elif what == "undo":
            review.undo(aid)
        elif what == "redo":
            review.redo(aid)
        elif what == "delete" and gold:
            review.delete_span(rng.choice(gold).span_id)
        elif what == "relabel" and entities:
            review.relabel(rng.choice(entities).span_id, rng.choice(LABELS))
        elif what == "resize" and gold:
            item = rng.choice(gold)
            review.resize(item.span_id, item.start, item.end + rng.choice((-1, 2)))
        elif what == "add":
            start = rng.randrange(0, len(state.article.text) - 20)
            review.add_span(aid, start, start + rng.randrange(3, 15), rng.choice(LABELS))
        elif what == "link_new" and entities:
            svc.entities.link_new(rng.choice(entities).span_id)
        elif what == "rename" and any(i.kb_id for i in entities):
            entity = rng.choice([i.kb_id for i in entities if i.kb_id])
            svc.entities.rename(entity, f"Nom {rng.randrange(1000)}")
        elif what == "attach" and entities and any(i.kind == EVENT for i in gold):
            event = rng.choice([i for i in gold if i.kind == EVENT])
            role = svc.config.event_roles.get(event.label, ("agent",))[0]
            svc.events.add_arg(event.span_id, role, rng.choice(entities).span_id)
        elif what == "reject_label" and pending and rng.random() < 0.3:
            review.reject_label(aid, rng.choice(pending).label)
    except ReviewError:
        pass


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_caught_up_state_equals_the_state_read_whole(service: Service, article: str, seed: int) -> None:
    rng = random.Random(seed)
    state = service.review.state(article)
    check_indexes(state)
    for _ in range(60):
        act(service, article, state, rng)
        state = service.review.catch_up(state)
        fresh = service.review.state(article)
        assert state == fresh
        assert state.logged == fresh.logged
        check_indexes(state)


def test_catching_up_with_nothing_logged_gives_the_same_state(service: Service, article: str) -> None:
    state = service.review.state(article)
    assert service.review.catch_up(state) is state


def test_items_outside_what_an_action_changed_stay_the_same_objects(service: Service, article: str) -> None:
    state = service.review.state(article)
    item = next(i for i in state.items if i.state == PENDING)
    service.review.reject(article, item.suggestion_id)
    after = service.review.catch_up(state)
    assert item not in after.items
    same = [i for i in state.items if i.start >= item.end + 200 or i.end <= item.start - 200]
    assert same and all(any(i is j for j in after.items) for i in same)


def test_merged_ranges_and_membership() -> None:
    merged = merge_ranges([(10, 20), (0, 5), (18, 30), (5, 7), (40, 40)])
    assert merged == [(0, 7), (10, 30)]
    starts = [a for a, _ in merged]
    assert in_ranges(merged, starts, 6, 8) and in_ranges(merged, starts, 29, 35)
    assert not in_ranges(merged, starts, 7, 10) and not in_ranges(merged, starts, 30, 40)


def test_a_suggestion_hidden_by_gold_outside_the_change_stays_hidden(service: Service, article: str) -> None:
    """The MISC suggestion over two names is hidden by gold on the second; rejecting the first name's
    suggestion re-reads the MISC one, which must still see that gold (outside the change)."""
    state = service.review.state(article)
    text = state.article.text
    first, second = list(NAME.finditer(text))[:2]
    on = [i for i in state.items if i.state == PENDING]
    service.review.accept(article, next(i for i in on if (i.start, i.end) == second.span()).suggestion_id)
    state = service.review.catch_up(state)
    assert not any(i.label == "MISC" and (i.start, i.end) == (first.start(), second.end()) for i in state.items)
    service.review.reject(article, next(i for i in state.items if (i.start, i.end) == first.span()).suggestion_id)
    state = service.review.catch_up(state)
    assert state == service.review.state(article)
    check_indexes(state)


def test_the_changed_middle_of_two_sequences() -> None:
    a, b, c, d, e = (object() for _ in range(5))
    assert changed_middle((a, b, c, d), (a, b, c, d)) == (4, 4, 4)
    assert changed_middle((a, b, c, d), (a, e, c, d)) == (1, 2, 2)
    assert changed_middle((a, b, c, d), (a, d)) == (1, 3, 1)
    assert changed_middle((a, d), (a, b, c, d)) == (1, 1, 3)
    assert changed_middle((), (a,)) == (0, 0, 1)
    same = (a, b)
    assert changed_middle(same, same) == (2, 2, 2)
