"""Resize propagation (issue 14) through the pilot: `<` / `.` on a mention resize its pending twins
too, in the same key and one `u`; the status line says how many; gold twins are left."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.service import Service
from tests.paths import SIZE
from tests.tui.support import suggest
from tui.app import GlossatorApp
from tui.screens.article.screen import ArticleScreen
from tui.widgets.status_bar import StatusBar

pytestmark = pytest.mark.anyio

TEXT = ("Nouri al-Maliki est arrivé. Nouri al-Maliki a parlé. Le chef Maliki a ri. Nouri al-Maliki part.\n"
        "Le Hezbollah libanais frappe. Le Hezbollah libanais recule. Le Hezbollah libanais répond.\n"
        "Le Hachd al Chaabi arrive, le Hachd al Chaabi part.\n")


@pytest.fixture
def svc(tmp_path: Path):
    """One article of the text above, annotator alice."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "maliki.txt").write_text(TEXT, encoding="utf-8")
    service = Service.open(tmp_path / "g.db", annotator="alice")
    service.data.ingest([tmp_path / "in"])
    yield service
    service.close()


def surfaces(svc: Service, aid: str) -> list[str]:
    return sorted(TEXT[s.start:s.end] for s in svc.store.spans(aid, "alice"))


async def test_growing_a_pending_mention_grows_its_twins_and_u_undoes_all(svc: Service) -> None:
    aid = svc.data.articles()[0]["id"]
    suggest(svc, aid, [("Maliki", n, "PER", "entity") for n in range(4)])
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, ArticleScreen) and screen.item.text == "Maliki"
        await pilot.press("less_than_sign")
        await app.workers.wait_for_complete()
        await pilot.pause()
        # the 3rd ("chef Maliki") has no "Nouri al-" before it: still pending
        assert surfaces(svc, aid) == ["Nouri al-Maliki"] * 3
        assert screen.item.text == "Nouri al-Maliki"
        assert "resized 2 other mentions the same" in str(screen.query_one(StatusBar).render())
        assert [i.text for i in screen.state.items if i.state == "pending"] == ["Maliki"]
        await pilot.press("u")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.state.pending == 4
    assert surfaces(svc, aid) == []


async def test_trimming_a_gold_span_trims_pending_twins_and_leaves_gold_ones(svc: Service) -> None:
    aid = svc.data.articles()[0]["id"]
    first = TEXT.index("Hezbollah libanais")
    third = TEXT.index("Hezbollah libanais", TEXT.index("recule"))
    svc.review.add_span(aid, first, first + len("Hezbollah libanais"), "ORG")
    svc.review.add_span(aid, third, third + len("Hezbollah libanais"), "ORG")  # decided: left as it is
    suggest(svc, aid, [("Hezbollah libanais", 1, "ORG", "entity")])
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, ArticleScreen)
        screen.session.go(next(i for i in screen.state.items if i.start == first))
        await pilot.press("full_stop")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "resized 1 other mention the same" in str(screen.query_one(StatusBar).render())
    assert surfaces(svc, aid) == ["Hezbollah", "Hezbollah", "Hezbollah libanais"]
    assert svc.review.undo(aid) == "resize"
    assert surfaces(svc, aid) == ["Hezbollah libanais"] * 2


async def test_a_widening_in_two_keys_takes_the_twins_all_the_way_and_u_steps_back_one(svc: Service) -> None:
    aid = svc.data.articles()[0]["id"]
    suggest(svc, aid, [("Hachd", n, "ORG", "entity") for n in range(2)])
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, ArticleScreen) and screen.item.text == "Hachd"
        await pilot.press("greater_than_sign", "greater_than_sign")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert surfaces(svc, aid) == ["Hachd al Chaabi"] * 2
        assert "resized 1 other mention the same" in str(screen.query_one(StatusBar).render())
        await pilot.press("u")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert surfaces(svc, aid) == ["Hachd al"] * 2
