"""`m` / `M` (issue 14) through the pilot: the next / previous entity mention accept-all would leave
unlinked, in one key, wrapping round; events, values and linked mentions are passed over; the keys
are rebindable and in the help."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.review.state import GOLD, PENDING
from annotate.service import Service
from store.models import EVENT
from tests.paths import SEEDS, SIZE
from tests.tui.support import first_id, suggest
from tui.app import GlossatorApp
from tui.screens.article.screen import ArticleScreen
from tui.widgets.status_bar import StatusBar

pytestmark = pytest.mark.anyio

SPANS = [
    ("Irak", 0, "LOC", "entity"),
    ("rencontre", 0, "MEETING", EVENT),  # an event trigger: never linked, never a stop
    ("Al Maliki", 0, "PER", "entity"),
    ("22/01/2024", 0, "DATE", "value"),  # a value: never a stop either
    ("AFP", 0, "ORG", "entity"),
    ("Alina Romanowski", 0, "PER", "entity"),
    ("Irak", 1, "LOC", "entity"),
]


def status(screen: ArticleScreen) -> str:
    return str(screen.query_one(StatusBar).render())


def current(screen: ArticleScreen) -> tuple[str, str]:
    item = screen.item
    assert item is not None
    return item.text, item.state


async def test_m_goes_to_the_next_unlinked_mention_and_M_back_passing_over_linked_ones(svc: Service) -> None:
    from dataclasses import replace

    aid = first_id(svc)
    suggest(svc, aid, SPANS)
    svc.config = replace(svc.config, link_moves_on=False)  # only m / M move here (N moving on: test_review_keys)
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, ArticleScreen) and current(screen) == ("Irak", PENDING)
        await pilot.press("m")  # over the trigger
        assert current(screen) == ("Al Maliki", PENDING)
        assert "unlinked mention 2 of 5" in status(screen)
        await pilot.press("N")  # linked: no longer a stop
        await pilot.pause()
        assert screen.item.kb_id is not None
        await pilot.press("M")
        assert current(screen) == ("Irak", PENDING)
        await pilot.press("N")  # the starter catalog's iraq, and the second "Irak" with it
        await pilot.pause()
        assert [i.kb_id for i in screen.state.items if i.text == "Irak"] == ["iraq", "iraq"]
        await pilot.press("m")  # over the linked Al Maliki and the date
        assert current(screen) == ("AFP", PENDING) and "1 of 2" in status(screen)
        await pilot.press("m")
        assert current(screen) == ("Alina Romanowski", PENDING)
        await pilot.press("m")  # round to the top
        assert current(screen) == ("AFP", PENDING) and "wrapped round" in status(screen)
        await pilot.press("a")  # accepted without a link (no entity matches): still a stop, as gold
        await pilot.pause()
        assert current(screen) == ("Alina Romanowski", PENDING)
        await pilot.press("M")
        assert current(screen) == ("AFP", GOLD)
        await pilot.press("N", "m", "N")
        await pilot.pause()
        await pilot.press("m")  # nothing left to link: the cursor stays
        assert current(screen) == ("Alina Romanowski", GOLD)
        assert "no unlinked entity mention" in status(screen)


async def test_a_mention_accept_all_would_link_is_not_a_stop(svc: Service) -> None:
    aid = first_id(svc)
    text = svc.data.article(aid).text
    third = text.index("Irak", text.index("Irak", text.index("Irak") + 1) + 1)
    svc.entities.link_new(svc.review.add_span(aid, third, third + 4, "LOC"))  # "Irak" linked in the article
    suggest(svc, aid, [("Irak", 0, "LOC", "entity"), ("AFP", 0, "ORG", "entity"), ("Irak", 1, "LOC", "entity")])
    assert len(svc.review.accept_all_links(aid)) == 2  # so A links both pending "Irak"
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, ArticleScreen) and current(screen) == ("Irak", GOLD)  # where alice acted
        await pilot.press("k")
        assert current(screen) == ("Irak", PENDING)  # the second one, before it
        await pilot.press("m")  # round to the top, over the first pending "Irak"
        assert current(screen) == ("AFP", PENDING) and "1 of 1" in status(screen)
        await pilot.press("m")  # the only stop
        assert current(screen) == ("AFP", PENDING)


async def test_the_keys_are_rebound_from_the_config_and_shown_in_the_help(tmp_path: Path) -> None:
    (tmp_path / "glossator.toml").write_text('[keys]\nnext_unlinked = "i"\n', encoding="utf-8")
    svc = Service.open(tmp_path / "g.db", annotator="bob")
    try:
        svc.data.ingest([SEEDS])
        suggest(svc, first_id(svc), SPANS)
        async with GlossatorApp(svc).run_test(size=SIZE) as pilot:
            await pilot.press("enter")
            screen = pilot.app.screen
            await pilot.press("m")
            assert current(screen) == ("Irak", PENDING)  # m is no longer bound
            await pilot.press("i")
            assert current(screen) == ("Al Maliki", PENDING)
            await pilot.press("question_mark")
            rows = dict(pilot.app.screen.rows)
            assert rows["i"].startswith("Next entity mention A would leave unlinked")
            assert rows["M"].startswith("Previous entity mention A would leave unlinked")
    finally:
        svc.close()
