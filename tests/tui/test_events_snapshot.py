"""SVG snapshot of the article screen with an event frame in the side panel, at 120×40."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.service import Service
from tests.paths import SEEDS, SIZE
from tests.tui.events_support import ATTACK_SENTENCE, article_id, near, suggest_attack
from tui.app import GlossatorApp


@pytest.fixture
def frame_svc(tmp_path: Path):
    """Seed 000 with the ATTACK "tirés" gold and half its frame filled: agent (by hand) and target
    (linked to canonical entities), time (a DATE value); Centcom and the title's Irak still suggested."""
    svc = Service.open(tmp_path / "g.db", annotator="alice")
    svc.data.ingest([SEEDS])
    aid = article_id(svc, "000_")
    suggest_attack(svc, aid)
    text = svc.data.article(aid).text
    line = text.index(ATTACK_SENTENCE)
    by_text = {i.text: i for i in svc.review.state(aid).items}
    event = svc.review.accept(aid, by_text["tirés"].suggestion_id)
    target = svc.review.accept(aid, by_text["Aïn Al\u00a0Assad"].suggestion_id)
    svc.entities.link_new(target, "Aïn al-Asad")
    svc.events.attach(event, "target", span_id=target)
    agent = svc.review.add_span(aid, *near(text, "Résistance islamique en Irak"), "ORG")
    svc.entities.link_new(agent)
    svc.events.attach(event, "agent", span_id=agent)
    svc.events.attach(event, "time", suggestion_id=by_text["samedi"].suggestion_id)
    assert near(text, "samedi", line)[0] > line
    yield svc
    svc.close()


def test_article_screen_with_an_event_frame(frame_svc: Service, snap_compare) -> None:
    # the last action was on the event: the article reopens there, its frame above the span list
    assert snap_compare(GlossatorApp(frame_svc), press=["enter"], terminal_size=SIZE)
