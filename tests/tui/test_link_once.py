"""Link once, not per mention (issue 14 item 1), through the pilot: `/` links the identical
mentions too, `a` links a surface already linked here or a confident candidate, `u` undoes each in one key."""

from __future__ import annotations

import pytest

from annotate.service import Service
from tests.paths import SIZE
from tests.tui.support import first_id, suggest
from tui.app import GlossatorApp
from tui.screens.article.screen import ArticleScreen

pytestmark = pytest.mark.anyio


def linked(svc: Service, aid: str) -> dict[str, set]:
    text = svc.data.article(aid).text
    out: dict[str, set] = {}
    for s in svc.store.spans(aid, "alice"):
        out.setdefault(text[s.start:s.end], set()).add(s.kb_id)
    return out


async def test_slash_links_every_identical_mention_and_u_undoes_them_in_one_key(svc: Service) -> None:
    aid = first_id(svc)
    suggest(svc, aid, [("Irak", n, "LOC", "entity") for n in range(3)])
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, ArticleScreen) and screen.item.text == "Irak"
        await pilot.press("slash", "ctrl+n", "enter")
        await pilot.pause()
        # all three, pending ones accepted; the id proposed is N's: the starter KB's "iraq"
        assert [i.kb_id for i in screen.state.items] == ["iraq"] * 3
        assert screen.state.pending == 0
        await pilot.press("u")
        await pilot.pause()
        assert screen.state.pending == 3 and not screen.state.gold
    assert linked(svc, aid) == {}


async def test_a_on_a_surface_already_linked_here_links_it_in_the_same_key(svc: Service) -> None:
    aid = first_id(svc)
    text = svc.data.article(aid).text
    start = text.index("Irak")
    svc.entities.link_new(svc.review.add_span(aid, start, start + 4, "LOC"), "Irak", entity_id="iraq")
    suggest(svc, aid, [("Irak", 1, "LOC", "entity")])
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        screen = app.screen
        pending = next(i for i in screen.state.items if i.state != "gold")
        screen.session.go(pending)
        await pilot.press("a")
        await pilot.pause()
        gold = [i for i in screen.state.items if i.start == pending.start]
        assert [(i.state, i.kb_id, i.kb_name) for i in gold] == [("gold", "iraq", "Irak")]  # shown at once
    assert linked(svc, aid) == {"Irak": {"iraq"}}


async def test_a_on_a_confident_top_candidate_links_it_unless_switched_off(svc: Service) -> None:
    from dataclasses import replace

    aid = first_id(svc)
    entity = svc.entities.create("Nouri al-Maliki", "PER")
    suggest(svc, aid, [("Nouri Al Maliki", 0, "PER", "entity"), ("Nouri Al Maliki", 1, "PER", "entity")])
    svc.config = replace(svc.config, propagate_links=False)  # each accept stands alone
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        screen = app.screen
        assert screen.item.text == "Nouri Al Maliki"
        await pilot.press("a")
        await pilot.pause()
        assert [i.kb_id for i in screen.state.gold] == [entity]
        svc.config = replace(svc.config, confident_links=False)
        await pilot.press("a")
        await pilot.pause()
        assert sorted(i.kb_id or "" for i in screen.state.gold) == ["", entity]
