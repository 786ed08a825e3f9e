"""Flags and skips in the review app (issue 14.8), driven by the pilot and checked in the database."""

from __future__ import annotations

import pytest

from annotate.service import Service
from tests.paths import SIZE
from tui.app import GlossatorApp
from tui.modals.note import NoteModal
from tui.screens.article.screen import ArticleScreen
from tui.screens.corpus import CorpusScreen
from tui.widgets.status_bar import StatusBar

pytestmark = pytest.mark.anyio


def flags(svc: Service) -> list[tuple[str, int | None, str]]:
    return [(f.article_id, f.span_id, f.note) for a in svc.data.articles() for f in svc.flags.flags(a["id"])]


async def test_bang_flags_the_current_gold_span_with_a_note_and_again_unflags(review_svc: Service) -> None:
    svc = review_svc
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "a", "k")  # Irak accepted, back on it
        screen = app.screen
        assert isinstance(screen, ArticleScreen) and screen.item.text == "Irak"
        span_id = screen.item.span_id
        await pilot.press("exclamation_mark")
        assert isinstance(app.screen, NoteModal)
        await pilot.press(*"LOC ou ORG ?", "enter")
        assert app.screen is screen
        assert flags(svc) == [(screen.article_id, span_id, "LOC ou ORG ?")]
        assert "flagged “Irak”" in str(screen.query_one(StatusBar).render())
        await pilot.press("j", "k")  # back on it later: the status line shows the flag and its note
        assert "⚑ span flagged: LOC ou ORG ?" in str(screen.query_one(StatusBar).render())
        await pilot.press("exclamation_mark")  # flagged: unflag, no question
        assert app.screen is screen and flags(svc) == []
        await pilot.press("u")  # the unflag undone
        assert flags(svc) == [(screen.article_id, span_id, "LOC ou ORG ?")]
        await pilot.press("u")  # the flag undone
        assert flags(svc) == []


async def test_a_pending_suggestion_is_not_flagged_and_at_flags_the_article(review_svc: Service) -> None:
    svc = review_svc
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        screen = app.screen
        await pilot.press("exclamation_mark")  # on the pending "Irak"
        assert app.screen is screen and flags(svc) == []
        assert "accept it first" in str(screen.query_one(StatusBar).render())  # refused
        await pilot.press("at")
        assert isinstance(app.screen, NoteModal)
        await pilot.press("escape")  # Esc: nothing flagged
        assert flags(svc) == []
        await pilot.press("at", "enter")  # no note
        assert flags(svc) == [(screen.article_id, None, "")]


async def test_s_skips_the_article_opens_the_next_and_the_skipped_one_is_not_offered_again(
        review_svc: Service) -> None:
    svc = review_svc
    order = [a["id"] for a in svc.data.articles()]
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        assert app.screen.article_id == order[0]
        await pilot.press("s")
        await pilot.app.workers.wait_for_complete()
        assert svc.review.status(order[0]) == "skipped"
        assert svc.data.article(order[0]).status == "todo"  # not done, not started
        assert isinstance(app.screen, ArticleScreen) and app.screen.article_id == order[1]
        await pilot.press("d")  # done → the next not done nor skipped
        assert app.screen.article_id == order[2]
        for _ in order[2:]:
            await pilot.press("s")
        # every article is done or skipped: back to the corpus, the skipped one not offered
        assert isinstance(app.screen, CorpusScreen)
        assert svc.review.status(order[1]) == "done"


async def test_the_corpus_filters_by_skipped_and_by_flagged(review_svc: Service) -> None:
    svc = review_svc
    order = [a["id"] for a in svc.data.articles()]
    svc.flags.skip(order[0])
    svc.flags.flag(order[2], None, "source?")
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        corpus = app.screen
        assert isinstance(corpus, CorpusScreen)
        assert corpus.current_id() == order[1]  # work resumes at the first to do, not the skipped one
        await pilot.press(*"f" * 4)  # all → todo → in progress → done → skipped
        assert corpus.status_filter == "skipped" and corpus.order() == [order[0]]
        await pilot.press("f")
        assert corpus.status_filter == "flagged" and corpus.order() == [order[2]]
        await pilot.press("f")
        assert corpus.status_filter is None and corpus.order() == order
