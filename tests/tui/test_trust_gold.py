"""Keys that must never lose, overwrite or duplicate gold (issue 12: items 1, 7 and 9), driven by the pilot."""

from __future__ import annotations

import pytest

from annotate.review.state import GOLD
from annotate.service import Service
from tests.paths import SIZE
from tests.tui.support import first_id, suggest
from tui.app import GlossatorApp
from tui.modals.dialogs import ConfirmModal
from tui.modals.link import LinkPicker
from tui.screens.article.screen import ArticleScreen
from tui.screens.corpus import CorpusScreen

pytestmark = pytest.mark.anyio


def gold_rows(svc: Service, article_id: str, annotator: str = "alice") -> set[tuple[int, int, str]]:
    """(start, end, label) of one annotator's gold in an article, read from the database."""
    rows = svc.store.db.execute('SELECT start, "end", label FROM spans WHERE article_id = ? AND annotator = ?',
                                [article_id, annotator]).fetchall()
    return {tuple(r) for r in rows}


def log_size(svc: Service) -> int:
    return svc.store.db.execute("SELECT count(*) FROM actions").fetchone()[0]


async def test_redo_in_one_article_never_overwrites_another_articles_gold(review_svc: Service) -> None:
    svc = review_svc
    first, second = first_id(svc), svc.data.articles()[1]["id"]
    suggest(svc, second, [("États-Unis", 0, "LOC", "entity"), ("Irak", 0, "LOC", "entity")])
    text1, text2 = svc.data.article(first).text, svc.data.article(second).text
    irak = (text1.index("Irak"), text1.index("Irak") + 4, "LOC")
    usa = (text2.index("États-Unis"), text2.index("États-Unis") + len("États-Unis"), "LOC")
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        # The keys of the report: accept and undo in article 1, accept in article 2, redo in article 1.
        await pilot.press("enter", "a", "u", "escape")
        assert isinstance(app.screen, CorpusScreen)
        await pilot.press("down", "enter")
        assert isinstance(app.screen, ArticleScreen) and app.screen.article_id == second
        await pilot.press("a", "escape", "up", "enter")
        assert isinstance(app.screen, ArticleScreen) and app.screen.article_id == first
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert gold_rows(svc, first) == {irak}
        assert gold_rows(svc, second) == {usa}  # was gone: the redo restored row 1 over article 2's span
        await pilot.press("escape", "down", "enter")
        assert app.screen.article_id == second
        await pilot.press("u")  # undoes article 2's accept only (it used to delete article 1's span)
        await pilot.pause()
    assert gold_rows(svc, second) == set()
    assert gold_rows(svc, first) == {irak}


async def test_escape_in_the_link_picker_leaves_a_pending_suggestion_pending(review_svc: Service) -> None:
    svc = review_svc
    aid = first_id(svc)
    logged = log_size(svc)
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        screen = app.screen
        assert screen.item.text == "Irak" and screen.item.state != GOLD
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.screen, LinkPicker)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and screen.item.state != GOLD
        assert gold_rows(svc, aid) == set() and log_size(svc) == logged
        # Choosing does accept, with the link, in one undo step.
        await pilot.press("slash", "ctrl+n", "enter")
        await pilot.pause()
        irak = next(i for i in screen.state.items if i.text == "Irak")  # (the cursor moved on to the next unlinked)
        assert irak.state == GOLD and irak.kb_name == "Irak"
        spans = svc.store.spans(aid, "alice")
        assert len(spans) == 1 and spans[0].kb_id is not None
        await pilot.press("u")
        await pilot.pause()
    assert gold_rows(svc, aid) == set()


async def test_done_with_pending_suggestions_asks_with_the_count(review_svc: Service) -> None:
    svc = review_svc
    aid = first_id(svc)
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "a", "x")  # Irak accepted, "rencontre" rejected: 4 left
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        assert "4 suggestions are still undecided" in app.screen.question
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ArticleScreen) and app.screen.article_id == aid
        assert svc.review.status(aid) == "in_progress"
        await pilot.press("d", "y")
        await pilot.pause()
        assert not (isinstance(app.screen, ArticleScreen) and app.screen.article_id == aid)
    assert svc.review.status(aid) == "done"
