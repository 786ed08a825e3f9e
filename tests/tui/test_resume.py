"""Resume position (issue 4): an article reopens where the annotator left it, across restarts.

The position is derived from the action log (the span of the annotator's last action in the
article), so it needs no table and follows undo, redo and merged copies.
"""

from __future__ import annotations

import pytest

from annotate.review.state import GOLD, PENDING
from annotate.service import Service
from tests.paths import SIZE
from tests.tui.support import first_id
from tui.app import GlossatorApp
from tui.screens.article.screen import ArticleScreen

pytestmark = pytest.mark.anyio


async def opened(svc: Service) -> ArticleScreen:
    """Open the app, open the highlighted article, return its screen (the app is closed again)."""
    async with GlossatorApp(svc).run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        screen = pilot.app.screen
        assert isinstance(screen, ArticleScreen)
        return screen


async def test_article_reopens_at_the_last_acted_span_after_a_restart(review_svc: Service) -> None:
    aid = first_id(review_svc)
    path = review_svc.store.path
    async with GlossatorApp(review_svc).run_test(size=SIZE) as pilot:
        await pilot.press("enter", "j", "j", "j", "j")
        screen = pilot.app.screen
        assert screen.item.text == "Nouri Al"
        await pilot.press("greater_than_sign")  # accepted as "Nouri Al Maliki"
        assert screen.item.text == "Nouri Al Maliki"

    again = Service.open(path, annotator="alice")  # a new process: nothing kept in memory
    try:
        screen = await opened(again)
        assert screen.article_id == aid
        assert (screen.item.text, screen.item.state) == ("Nouri Al Maliki", GOLD)
    finally:
        again.close()

    other = Service.open(path, annotator="bob")  # someone else: their own position, the first pending
    try:
        screen = await opened(other)
        assert (screen.item.text, screen.item.state) == ("Irak", PENDING)
    finally:
        other.close()


async def test_after_a_rejection_it_reopens_at_the_next_pending(review_svc: Service) -> None:
    async with GlossatorApp(review_svc).run_test(size=SIZE) as pilot:
        await pilot.press("enter", "j", "j", "j")
        assert pilot.app.screen.item.text == "AFP"
        await pilot.press("x")
    screen = await opened(review_svc)
    assert (screen.item.text, screen.item.state) == ("Nouri Al", PENDING)


async def test_after_an_argument_it_reopens_on_the_event_and_undo_moves_it(review_svc: Service) -> None:
    svc = review_svc
    aid = first_id(svc)
    state = svc.review.state(aid)
    meeting = next(i for i in state.items if i.label == "MEETING")
    person = next(i for i in state.items if i.text == "Alina Romanowski")
    event_id = svc.review.accept(aid, meeting.suggestion_id)
    svc.events.attach(event_id, "participants", suggestion_id=person.suggestion_id)  # the last action: on the event
    screen = await opened(svc)
    assert (screen.item.text, screen.item.label) == ("rencontre", "MEETING")
    assert svc.review.last_position(aid) == (meeting.start, meeting.end)

    svc.review.undo(aid)  # the attachment is undone: the position is still the event it was about
    assert svc.review.last_position(aid) == (meeting.start, meeting.end)
    svc.review.set_status(aid, "in_progress")  # status changes do not move it
    assert svc.review.last_position(aid) == (meeting.start, meeting.end)
