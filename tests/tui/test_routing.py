"""Routes between screens: dashboard and entities from every screen, adjudication from the corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.service import Service
from tests.paths import SIZE
from tests.team_support import gold, perturbed, write_jsonl
from tui.app import GlossatorApp
from tui.screens.adjudicate import AdjudicateScreen
from tui.screens.article.screen import ArticleScreen
from tui.screens.corpus import CorpusScreen
from tui.screens.dashboard import DashboardScreen
from tui.screens.entities import EntitiesScreen

pytestmark = pytest.mark.anyio


@pytest.fixture
def team(tmp_path: Path):
    """alice (hand gold) and bob (perturbed) annotated the first seed; the reviewer is rita."""
    records = gold()[:1]
    svc = Service.open(tmp_path / "g.db", annotator="rita")
    svc.data.import_jsonl(write_jsonl(tmp_path / "a.jsonl", records, "alice"))
    svc.data.import_jsonl(write_jsonl(tmp_path / "b.jsonl", perturbed(records), "bob"))
    yield svc
    svc.close()


async def test_dashboard_and_entities_from_the_corpus_and_an_article(review_svc: Service) -> None:
    app = GlossatorApp(review_svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("D")
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("D")  # not twice
        assert sum(isinstance(s, DashboardScreen) for s in app.screen_stack) == 1
        await pilot.press("E")  # from the dashboard to the entities
        assert isinstance(app.screen, EntitiesScreen)
        await pilot.press("escape", "escape")
        assert isinstance(app.screen, CorpusScreen)

        await pilot.press("enter")
        article = app.screen
        assert isinstance(article, ArticleScreen)
        await pilot.press("D")
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("escape")
        assert app.screen is article
        await pilot.press("E")
        assert isinstance(app.screen, EntitiesScreen)
        await pilot.press("escape")
        assert app.screen is article


async def test_rebound_route_keys(review_svc: Service) -> None:
    review_svc.config.keys["dashboard"] = "ctrl+g"
    app = GlossatorApp(review_svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("D")
        assert isinstance(app.screen, CorpusScreen)
        await pilot.press("ctrl+g")
        assert isinstance(app.screen, DashboardScreen)


async def test_adjudicate_from_the_corpus_edit_and_finish(team: Service) -> None:
    svc = team
    aid = svc.store.article_ids()[0]
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, CorpusScreen) and app.screen.current_id() == aid
        await pilot.press("J")
        adjudicating = app.screen
        assert isinstance(adjudicating, AdjudicateScreen) and adjudicating.article_id == aid
        start = adjudicating.adj.rows[adjudicating.row_index].start

        await pilot.press("e")  # EditRequested: the article screen, on the row's span
        article = app.screen
        assert isinstance(article, ArticleScreen) and article.article_id == aid
        assert article.item is not None and article.item.start >= start
        await pilot.press("escape")
        assert app.screen is adjudicating

        await pilot.press("d")  # Finished: back to the corpus, refreshed
        await pilot.pause()
        assert isinstance(app.screen, CorpusScreen)
        assert app.screen.current_id() == aid
        assert app.screen.rows[0]["status"] == svc.data.articles()[0]["status"]
        assert not any(isinstance(s, AdjudicateScreen) for s in app.screen_stack)


async def test_adjudication_needs_two_other_annotators(review_svc: Service) -> None:
    app = GlossatorApp(review_svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("J")
        assert isinstance(app.screen, CorpusScreen)


async def test_the_palette_offers_the_routes(team: Service) -> None:
    from tui.commands import GlossatorCommands

    app = GlossatorApp(team)
    async with app.run_test(size=SIZE) as pilot:
        provider = GlossatorCommands(app.screen)
        await provider.startup()
        actions = {action for _, action, _ in provider._actions()}
        assert {"app.show_entities", "app.show_dashboard", "app.adjudicate"} <= actions
        hits = [hit async for hit in provider.search("Adjudicate")]
        assert any("Adjudicate:" in str(hit.text) for hit in hits)
        hit = next(h for h in hits if str(h.text).startswith("Adjudicate:"))
        hit.command()
        await pilot.pause()
        assert isinstance(app.screen, AdjudicateScreen)


async def test_a_large_knowledge_base_gets_its_match_index_built_in_a_worker(tmp_path, monkeypatch) -> None:
    import tui.app as app_module
    from annotate.service import Service
    from tests.paths import GOLD
    from tui.app import GlossatorApp

    svc = Service.open(tmp_path / "g.db", annotator="alice")
    svc.data.import_jsonl(GOLD)
    monkeypatch.setattr(app_module, "PREBUILD_INDEX_FROM", 10)  # the seeds' 48 entities count as large here
    app = GlossatorApp(svc)
    async with app.run_test() as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert svc.entities._index is not None  # built by the worker, before any `/`
        assert svc.entities.match("Soudani", "PER")[0].id == "mohammed_shia_al_sudani"
