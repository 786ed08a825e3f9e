"""`A` links as `a` does (issue 14), through the pilot: the confirmation says how many it links,
one `y` accepts and links, one `u` undoes it all."""

from __future__ import annotations

import pytest

from annotate.service import Service
from tests.paths import SIZE
from tests.tui.support import find, first_id, suggest
from tui.app import GlossatorApp
from tui.modals.dialogs import ConfirmModal

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
        dialog = app.screen
        assert isinstance(dialog, ConfirmModal) and "(2 linked" in dialog.question
        await pilot.press("y")
        await pilot.pause()
        got = {(text[s.start:s.end], s.kb_id) for s in svc.store.spans(aid, "alice")}
        assert got == {("Irak", "iraq"), ("Alina Romanowski", None)}
        assert len(svc.store.spans(aid, "alice")) == 4
        await pilot.press("u")
        await pilot.pause()
        assert [(s.start, s.kb_id) for s in svc.store.spans(aid, "alice")] == [(start, "iraq")]
