"""The Service methods behind the event frame (issue 6): one action each, refusals, rejections kept."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from annotate.review.state import GOLD, PENDING
from annotate.service.core import ReviewError, Service
from tests.tui.test_events import article_id, event_svc, suggest_attack  # noqa: F401 - fixture

__all__ = ["event_svc"]


def items(svc: Service, aid: str) -> dict[str, Any]:
    """Review items of the article by text."""
    return {i.text: i for i in svc.state(aid).items}


def test_accepting_a_suggested_argument_is_one_undoable_action(event_svc: Service) -> None:
    svc = event_svc
    aid = article_id(svc, "000_")
    by_text = items(svc, aid)
    event = svc.accept(aid, by_text["tirés"].suggestion_id)
    svc.attach(event, "time", suggestion_id=by_text["samedi"].suggestion_id)
    state = svc.state(aid)
    samedi = next(i for i in state.items if i.text == "samedi")
    assert samedi.state == GOLD and samedi.kind == "value" and len(state.args) == 1
    assert svc.undo(aid) == "accept_arg"
    state = svc.state(aid)
    assert not state.args and next(i for i in state.items if i.text == "samedi").state == PENDING
    assert svc.redo(aid) == "accept_arg" and len(svc.state(aid).args) == 1


def test_a_pending_trigger_and_its_first_argument_are_one_action(event_svc: Service) -> None:
    svc = event_svc
    aid = article_id(svc, "000_")
    by_text = items(svc, aid)
    svc.attach(None, "time", trigger_suggestion_id=by_text["tirés"].suggestion_id,
               suggestion_id=by_text["samedi"].suggestion_id)
    now = items(svc, aid)
    assert now["tirés"].state == GOLD and now["samedi"].state == GOLD and len(svc.state(aid).args) == 1
    assert svc.undo(aid) == "accept_arg"
    now = items(svc, aid)
    assert now["tirés"].state == PENDING and now["samedi"].state == PENDING and not svc.state(aid).args
    with pytest.raises(ReviewError):  # a trigger suggestion that is not an event
        svc.attach(None, "time", trigger_suggestion_id=by_text["Centcom"].suggestion_id,
                   suggestion_id=by_text["samedi"].suggestion_id)


def test_attach_refusals(event_svc: Service) -> None:
    svc = event_svc
    aid = article_id(svc, "000_")
    by_text = items(svc, aid)
    event = svc.accept(aid, by_text["tirés"].suggestion_id)
    target = svc.accept(aid, by_text["Centcom"].suggestion_id)
    with pytest.raises(ReviewError, match="no role"):
        svc.attach(event, "participants", span_id=target)
    with pytest.raises(ReviewError, match="event triggers"):
        svc.attach(target, "agent", span_id=event)
    with pytest.raises(ReviewError, match="not a trigger"):
        svc.attach(event, "agent", span_id=event)
    svc.attach(event, "agent", span_id=target)
    with pytest.raises(ReviewError, match="already the agent"):
        svc.attach(event, "agent", span_id=target)
    bob = Service(svc.store, replace(svc.config, annotator="bob"))
    with pytest.raises(ReviewError, match="your spans"):
        bob.attach(event, "target", span_id=target)


def test_a_rejected_suggested_argument_stays_rejected_after_suggesting_again(event_svc: Service) -> None:
    svc = event_svc
    aid = article_id(svc, "000_")
    hints = svc.arg_hints(aid)
    assert {h.role for h in hints} == {"agent", "target", "place", "time"}
    agent = next(h for h in hints if h.role == "agent")
    svc.reject_arg(aid, agent)
    assert {h.role for h in svc.arg_hints(aid)} == {"target", "place", "time"}
    suggest_attack(svc, aid)  # new suggestion ids, same offsets
    assert {h.role for h in svc.arg_hints(aid)} == {"target", "place", "time"}
    assert svc.state(aid).pending == 5  # rejecting an argument leaves its spans pending
    assert svc.undo(aid) == "reject_arg"
    assert len(svc.arg_hints(aid)) == 4


def test_replacing_an_attached_argument_keeps_its_id(event_svc: Service) -> None:
    svc = event_svc
    aid = article_id(svc, "000_")
    by_text = items(svc, aid)
    event = svc.accept(aid, by_text["tirés"].suggestion_id)
    arg = svc.attach(event, "target", suggestion_id=by_text["Centcom"].suggestion_id)
    again = svc.attach(event, "target", suggestion_id=by_text["Aïn Al\u00a0Assad"].suggestion_id, replaces=arg)
    assert again == arg
    state = svc.state(aid)
    (only,) = state.args
    assert next(i for i in state.items if i.span_id == only.span_id).text == "Aïn Al\u00a0Assad"
    assert svc.undo(aid) == "replace_arg"
    (only,) = svc.state(aid).args
    assert next(i for i in svc.state(aid).items if i.span_id == only.span_id).text == "Centcom"
