"""Find in the article (issue 14.5) through the pilot: `f` + text + Enter moves the cursor to the
next hit (the span there becomes current), `g` finds again (wrapping), `v` starts a selection at
the hit, Esc cancels, "no match" is said on the status line."""

from __future__ import annotations

import pytest

from annotate.review.state import GOLD, PENDING
from annotate.service import Service
from tests.paths import SIZE
from tests.tui.support import find
from tui.app import GlossatorApp
from tui.screens.article.find import FindBar
from tui.screens.article.screen import ArticleScreen
from tui.widgets.status_bar import StatusBar

pytestmark = pytest.mark.anyio


def gold(svc: Service, aid: str) -> set[tuple[str, str]]:
    text = svc.data.article(aid).text
    return {(text[s.start:s.end], s.label) for s in svc.store.spans(aid, "alice")}


async def open_article(app: GlossatorApp, pilot) -> ArticleScreen:
    await pilot.press("enter")
    screen = app.screen
    assert isinstance(screen, ArticleScreen)
    return screen


async def test_f_jumps_to_the_next_hit_ignoring_case_and_accents_and_its_span_becomes_current(
        review_svc: Service) -> None:
    app = GlossatorApp(review_svc)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_article(app, pilot)
        text = screen.state.article.text
        assert screen.item.text == "Irak"
        await pilot.press("f")
        assert isinstance(app.screen, FindBar)
        await pilot.press(*"ROMANOWSKI", "enter")
        assert app.screen is screen
        assert screen.session.cursor_offset == find(text, "Romanowski")
        assert (screen.item.text, screen.item.state) == ("Alina Romanowski", PENDING)  # the span there
        await pilot.press("g")  # the next one: no span there
        assert screen.session.cursor_offset == find(text, "Romanowski", 1) and screen.item is None
        here = screen.session.cursor_offset
        await pilot.press("f", *"americaine", "enter")  # the accent is not needed
        assert screen.session.cursor_offset == text.index("américaine", here)  # the first one after the cursor


async def test_v_after_a_find_selects_from_the_hit_and_a_label_key_makes_the_span(review_svc: Service) -> None:
    app = GlossatorApp(review_svc)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_article(app, pilot)
        aid = screen.article_id
        await pilot.press("f", *"etats-u", "enter", "v", "3")
        await pilot.pause()
        assert ("Etats-Unis", "LOC") in gold(review_svc, aid)
        await pilot.press("f", *"mer rou", "enter", "v")  # a find while selecting grows the selection
        await pilot.press("f", *"rouge", "enter", "3")
        await pilot.pause()
        assert ("mer Rouge", "LOC") in gold(review_svc, aid)
        assert screen.item is not None and screen.item.state == GOLD


async def test_esc_cancels_and_g_wraps_round_or_says_no_match(review_svc: Service) -> None:
    app = GlossatorApp(review_svc)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_article(app, pilot)
        text = screen.state.article.text
        status = screen.query_one(StatusBar)
        await pilot.press("g")
        assert "f finds" in str(status.render())
        before = screen.session.cursor
        await pilot.press("f", *"baghdad", "escape")
        assert app.screen is screen and screen.session.cursor == before and screen.session.last_find == ""
        await pilot.press("f", *"Baghdad", "enter")
        hits = [n for n in range(len(text)) if text.startswith("Baghdad", n)]
        assert screen.session.cursor_offset == hits[0]
        for hit in hits[1:]:
            await pilot.press("g")
            assert screen.session.cursor_offset == hit
        await pilot.press("g")
        assert screen.session.cursor_offset == hits[0] and "wrapped" in str(status.render())
        await pilot.press("f", *"zzzq", "enter")  # the bar opens empty
        assert screen.session.cursor_offset == hits[0] and "no match" in str(status.render())
        await pilot.press("g")
        assert "no match for 'zzzq'" in str(status.render())
