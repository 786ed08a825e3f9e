"""`A` links as `a` does (issue 14), through the pilot: one key accepts and links, the status line
says how many it linked, one `u` undoes it all."""

from __future__ import annotations

import pytest

from annotate.service import Service
from tests.paths import SIZE
from tests.tui.support import find, first_id, suggest
from tui.app import GlossatorApp
from tui.screens.article.screen import ArticleScreen
from tui.widgets.status_bar import StatusBar

pytestmark = pytest.mark.anyio


async def test_accept_all_links_the_surfaces_linked_here_and_u_undoes_it_in_one_key(review_svc: Service) -> None:
    svc = review_svc
    aid = first_id(svc)
    text = svc.data.article(aid).text
    start = find(text, "Irak")
    svc.entities.link_new(svc.review.add_span(aid, start, start + 4, "LOC"), "Irak", entity_id="iraq")
    suggest(svc, aid, [("Irak", 1, "LOC", "entity"), ("Irak", 2, "LOC", "entity"),
                       ("Alina Romanowski", 0, "PER", "entity")])
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "A")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ArticleScreen)  # at once: no confirmation ([review] confirm_bulk = false)
        assert "(2 linked as a would link them) (u undoes)" in str(screen.query_one(StatusBar).render())
        got = {(text[s.start:s.end], s.kb_id) for s in svc.store.spans(aid, "alice")}
        assert got == {("Irak", "iraq"), ("Alina Romanowski", None)}
        assert len(svc.store.spans(aid, "alice")) == 4
        await pilot.press("u")
        await pilot.pause()
        assert [(s.start, s.kb_id) for s in svc.store.spans(aid, "alice")] == [(start, "iraq")]
