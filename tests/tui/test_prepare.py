"""Opening the app with paths: ingest, suggest in a worker (batches saved as they come), then the corpus."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from annotate.service import Service
from annotate.suggest.run import SuggestPlan
from store.models import DocSuggestions, SpanSuggestion
from tests.paths import SEEDS
from tests.tui.support import Notices
from tui.app import GlossatorApp
from tui.screens.corpus import CorpusScreen

pytestmark = pytest.mark.anyio


class FakeSuggester:
    """Stands in for the spaCy suggester: one LOC on the first word, computed off the main thread."""

    fingerprint = "fake-1"

    def __init__(self) -> None:
        self.threads: set[str] = set()

    def load(self) -> None:
        self.threads.add(threading.current_thread().name)

    def pipe(self, items, batch_size=32, n_process=1):
        for article_id, text, _regions in items:
            self.threads.add(threading.current_thread().name)
            end = len(text.split()[0])
            yield article_id, DocSuggestions(spans=(SpanSuggestion(0, end, "LOC"),))


async def test_ingest_then_suggest_then_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    svc = Service.open(tmp_path / "g.db", annotator="alice")
    fake = FakeSuggester()

    def plan(model=None, force=False):
        ids = [(r["id"], svc.data.article(r["id"]).text, ()) for r in svc.data.articles()]
        return SuggestPlan(fake, fake.fingerprint, ids)

    monkeypatch.setattr(svc.learn, "suggest_plan", plan)
    try:
        app = GlossatorApp(svc, ingest_paths=[SEEDS])
        async with app.run_test(size=(120, 40)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, CorpusScreen)
            assert len(app.screen.order()) == 5
        assert threading.main_thread().name not in fake.threads  # computed in the worker
        assert [r["suggestions"] for r in svc.data.articles()] == [1] * 5  # saved on the main thread
    finally:
        svc.close()


async def test_suggestions_unavailable_still_opens(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   notices: Notices) -> None:
    svc = Service.open(tmp_path / "g.db", annotator="alice")

    def missing(model=None, force=False):
        raise ImportError("cannot import name 'Suggester' from 'annotate.suggest'")

    monkeypatch.setattr(svc.learn, "suggest_plan", missing)
    try:
        app = GlossatorApp(svc, ingest_paths=[SEEDS])
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, CorpusScreen)
            assert notices.any("suggestions unavailable", "warning")
        assert len(svc.data.articles()) == 5
    finally:
        svc.close()


async def test_no_paths_never_plans_suggestions(review_svc: Service, monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden(*args, **kwargs):
        raise AssertionError("opening the app must not prepare the model")

    monkeypatch.setattr(review_svc.learn, "suggest_plan", forbidden)
    async with GlossatorApp(review_svc).run_test(size=(120, 40)) as pilot:
        await pilot.press("enter", "a", "escape")
        assert isinstance(pilot.app.screen, CorpusScreen)
