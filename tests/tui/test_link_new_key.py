"""Keys per gold item (issue 14): `N` creates a canonical entity from the mention's slug and links
the span (and its identical mentions) to it in one key; `u` undoes it in one key."""

from __future__ import annotations

import pytest

from annotate.service import Service
from tests.paths import SIZE
from tests.tui.support import first_id, suggest
from tui.app import GlossatorApp
from tui.screens.article.screen import ArticleScreen

pytestmark = pytest.mark.anyio


async def test_N_on_a_pending_mention_accepts_it_and_links_it_to_a_new_slug_entity(svc: Service) -> None:
    aid = first_id(svc)
    suggest(svc, aid, [("Irak", n, "ORG", "entity") for n in range(2)])  # ORG: not the starter KB's country
    svc.entities.create("Irak", "PER")  # takes the slug "irak", another type's: the new one is made unique
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, ArticleScreen) and screen.item.text == "Irak"
        await pilot.press("N")
        await pilot.pause()
        ids = [i.kb_id for i in screen.state.items]
        assert len(set(ids)) == 1 and ids[0] not in (None, "irak") and ids[0].startswith("irak")
        assert screen.state.pending == 0  # both mentions, in the one key
        assert svc.entities.get(ids[0]).name == "Irak"
        await pilot.press("u")
        await pilot.pause()
        assert screen.state.pending == 2 and not screen.state.gold
    assert svc.entities.get(ids[0]) is None  # the undo removed the new entity too


async def test_N_links_to_an_existing_entity_of_its_slug_and_type_instead_of_doubling_it(svc: Service) -> None:
    aid = first_id(svc)
    suggest(svc, aid, [("Irak", n, "ORG", "entity") for n in range(2)])
    svc.entities.create("Irak", "ORG")  # "irak", an ORG: what N would create exists already
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        screen = app.screen
        assert screen.item.text == "Irak"
        await pilot.press("N")
        await pilot.pause()
        assert [i.kb_id for i in screen.state.items] == ["irak", "irak"]
    assert [e.id for e in svc.entities.list()] == ["irak"]


async def test_N_on_a_gold_unlinked_span_links_it_to_its_slug(svc: Service) -> None:
    aid = first_id(svc)
    text = svc.data.article(aid).text
    start = text.index("Irak")
    svc.review.add_span(aid, start, start + 4, "ORG")
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        screen = app.screen
        assert screen.item.text == "Irak" and screen.item.kb_id is None
        await pilot.press("N")
        await pilot.pause()
        assert screen.item.kb_id == "irak"
    assert [s.kb_id for s in svc.store.spans(aid, "alice")] == ["irak"]


async def test_N_on_a_mention_of_a_starter_kb_country_takes_its_stable_id(svc: Service) -> None:
    aid = first_id(svc)
    suggest(svc, aid, [("Irak", 0, "LOC", "entity")])
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        screen = app.screen
        assert screen.item.text == "Irak"
        await pilot.press("N")
        await pilot.pause()
        assert screen.item.kb_id == "iraq"  # the catalog's id, not the slug "irak"
        assert "Iraq" in {a.text for a in svc.entities.get("iraq").aliases}
        await pilot.press("u")
        await pilot.pause()
        assert screen.state.pending == 1
    assert svc.entities.get("iraq") is None


async def test_a_span_added_by_selection_is_linked_like_its_surface_elsewhere_in_the_article(svc: Service) -> None:
    aid = first_id(svc)
    text = svc.data.article(aid).text
    first = text.index("Irak")
    second = text.index("Irak", first + 1)
    svc.entities.link_new(svc.review.add_span(aid, first, first + 4, "LOC"), "Irak", entity_id="iraq")
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        screen = app.screen
        screen.session.go(None)
        screen.session.cursor = screen.session.tokens.at(second)
        await pilot.press("3")  # LOC on the word under the cursor
        await pilot.pause()
        added = next(i for i in screen.state.items if i.start == second)
        assert (added.state, added.kb_id) == ("gold", "iraq")
        await pilot.press("u")  # one undo: the span and its link
        await pilot.pause()
        assert [i.start for i in screen.state.items] == [first]
    assert [(s.start, s.kb_id) for s in svc.store.spans(aid, "alice")] == [(first, "iraq")]


async def test_ctrl_x_rejects_every_pending_suggestion_of_the_label_and_says_how_many(svc: Service) -> None:
    from tui.widgets.status_bar import StatusBar

    aid = first_id(svc)
    suggest(svc, aid, [("Irak", 0, "LOC", "entity"), ("Irak", 1, "LOC", "entity"), ("Irak", 2, "PER", "entity")])
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        screen = app.screen
        assert screen.item.label == "LOC"
        await pilot.press("ctrl+x")  # at once ([review] confirm_bulk = false)
        await pilot.pause()
        assert app.screen is screen and "rejected 2 LOC suggestions (u undoes)" in str(screen.query_one(StatusBar).render())
        assert [(i.label, i.state) for i in screen.state.items] == [("PER", "pending")]
        await pilot.press("u")  # one undo brings both back
        await pilot.pause()
        assert screen.state.pending == 3


@pytest.mark.parametrize("on", [False, True])
async def test_propagate_spans_adds_the_same_text_elsewhere_in_one_undoable_action(svc: Service, on: bool) -> None:
    from dataclasses import replace

    aid = first_id(svc)
    text = svc.data.article(aid).text
    where = [i for i in range(len(text)) if text.startswith("Irak", i) and not text[i + 4].isalnum()]
    assert len(where) >= 2
    svc.config = replace(svc.config, propagate_spans=on)
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        screen = app.screen
        screen.session.go(None)
        screen.session.cursor = screen.session.tokens.at(where[0])
        await pilot.press("3")
        await pilot.pause()
        got = [(i.start, i.label, i.state) for i in screen.state.items]
        assert got == ([(w, "LOC", "gold") for w in where] if on else [(where[0], "LOC", "gold")])
        await pilot.press("u")
        await pilot.pause()
        assert not screen.state.items


async def test_N_on_a_ministry_of_the_starter_kb_takes_its_stable_id_without_an_imported_kb(svc: Service) -> None:
    # issue 18's institutions: `N` on "ministère irakien des Affaires étrangères" is one key to the
    # catalog's entity (English id, French and English aliases), not a French slug to retype
    aid = next(r["id"] for r in svc.data.articles() if r["source"].startswith("001_"))
    suggest(svc, aid, [("ministère irakien des Affaires étrangères", 0, "ORG", "entity")])
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "enter")
        screen = app.screen
        assert isinstance(screen, ArticleScreen) and screen.article_id == aid
        assert screen.item.text == "ministère irakien des Affaires étrangères"
        await pilot.press("N")
        await pilot.pause()
    assert [s.kb_id for s in svc.store.spans(aid, "alice")] == ["iraq_ministry_of_foreign_affairs"]
    ministry = svc.entities.get("iraq_ministry_of_foreign_affairs")
    assert ministry.name == "Ministère irakien des Affaires étrangères"
    assert {"Iraqi Foreign Ministry", "Iraqi Ministry of Foreign Affairs"} <= {a.text for a in ministry.aliases}
