"""The Service methods behind the event frame (issue 6): one action each, refusals, rejections kept."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from annotate.review.state import GOLD, PENDING
from annotate.service import ReviewError, Service
from tests.tui.events_support import article_id, suggest_attack


def items(svc: Service, aid: str) -> dict[str, Any]:
    """Review items of the article by text."""
    return {i.text: i for i in svc.review.state(aid).items}


def test_accepting_a_suggested_argument_is_one_undoable_action(event_svc: Service) -> None:
    svc = event_svc
    aid = article_id(svc, "000_")
    by_text = items(svc, aid)
    event = svc.review.accept(aid, by_text["tirés"].suggestion_id)
    svc.events.attach(event, "time", suggestion_id=by_text["samedi"].suggestion_id)
    state = svc.review.state(aid)
    samedi = next(i for i in state.items if i.text == "samedi")
    assert samedi.state == GOLD and samedi.kind == "value" and len(state.args) == 1
    assert svc.review.undo(aid) == "accept_arg"
    state = svc.review.state(aid)
    assert not state.args and next(i for i in state.items if i.text == "samedi").state == PENDING
    assert svc.review.redo(aid) == "accept_arg" and len(svc.review.state(aid).args) == 1


def test_a_pending_trigger_and_its_first_argument_are_one_action(event_svc: Service) -> None:
    svc = event_svc
    aid = article_id(svc, "000_")
    by_text = items(svc, aid)
    svc.events.attach(None, "time", trigger_suggestion_id=by_text["tirés"].suggestion_id,
               suggestion_id=by_text["samedi"].suggestion_id)
    now = items(svc, aid)
    assert now["tirés"].state == GOLD and now["samedi"].state == GOLD and len(svc.review.state(aid).args) == 1
    assert svc.review.undo(aid) == "accept_arg"
    now = items(svc, aid)
    assert now["tirés"].state == PENDING and now["samedi"].state == PENDING and not svc.review.state(aid).args
    with pytest.raises(ReviewError):  # a trigger suggestion that is not an event
        svc.events.attach(None, "time", trigger_suggestion_id=by_text["Centcom"].suggestion_id,
                   suggestion_id=by_text["samedi"].suggestion_id)


def test_attach_refusals(event_svc: Service) -> None:
    svc = event_svc
    aid = article_id(svc, "000_")
    by_text = items(svc, aid)
    event = svc.review.accept(aid, by_text["tirés"].suggestion_id)
    target = svc.review.accept(aid, by_text["Centcom"].suggestion_id)
    with pytest.raises(ReviewError, match="no role"):
        svc.events.attach(event, "participants", span_id=target)
    with pytest.raises(ReviewError, match="event triggers"):
        svc.events.attach(target, "agent", span_id=event)
    with pytest.raises(ReviewError, match="not a trigger"):
        svc.events.attach(event, "agent", span_id=event)
    svc.events.attach(event, "agent", span_id=target)
    with pytest.raises(ReviewError, match="already the agent"):
        svc.events.attach(event, "agent", span_id=target)
    bob = Service(svc.store, replace(svc.config, annotator="bob"))
    with pytest.raises(ReviewError, match="your spans"):
        bob.events.attach(event, "target", span_id=target)


def test_a_rejected_suggested_argument_stays_rejected_after_suggesting_again(event_svc: Service) -> None:
    svc = event_svc
    aid = article_id(svc, "000_")
    hints = svc.events.arg_hints(aid)
    assert {h.role for h in hints} == {"agent", "target", "place", "time"}
    agent = next(h for h in hints if h.role == "agent")
    svc.events.reject_arg(aid, agent)
    assert {h.role for h in svc.events.arg_hints(aid)} == {"target", "place", "time"}
    suggest_attack(svc, aid)  # new suggestion ids, same offsets
    assert {h.role for h in svc.events.arg_hints(aid)} == {"target", "place", "time"}
    assert svc.review.state(aid).pending == 5  # rejecting an argument leaves its spans pending
    assert svc.review.undo(aid) == "reject_arg"
    assert len(svc.events.arg_hints(aid)) == 4


def test_replacing_an_attached_argument_keeps_its_id(event_svc: Service) -> None:
    svc = event_svc
    aid = article_id(svc, "000_")
    by_text = items(svc, aid)
    event = svc.review.accept(aid, by_text["tirés"].suggestion_id)
    arg = svc.events.attach(event, "target", suggestion_id=by_text["Centcom"].suggestion_id)
    again = svc.events.attach(event, "target", suggestion_id=by_text["Aïn Al\u00a0Assad"].suggestion_id, replaces=arg)
    assert again == arg
    state = svc.review.state(aid)
    (only,) = state.args
    assert next(i for i in state.items if i.span_id == only.span_id).text == "Aïn Al\u00a0Assad"
    assert svc.review.undo(aid) == "replace_arg"
    (only,) = svc.review.state(aid).args
    assert next(i for i in svc.review.state(aid).items if i.span_id == only.span_id).text == "Centcom"
