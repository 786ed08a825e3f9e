"""After a change of known names, opening the app with paths shows the corpus at once and
re-suggests the few affected articles in the background (issue 15.4)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from annotate.service import Service
from annotate.suggest.run import compute
from tests.paths import SEEDS
from tui.app import GlossatorApp
from tui.screens.corpus import CorpusScreen
from tui.screens.prepare import PrepareScreen

pytestmark = pytest.mark.anyio


class Gated:
    """The real suggester, held back until the test has seen the corpus screen."""

    def __init__(self, suggester, gate: threading.Event) -> None:
        self.suggester, self.gate = suggester, gate

    def load(self) -> None:
        self.suggester.load()

    def pipe(self, items, **kwargs):
        assert self.gate.wait(timeout=30), "the test never opened the gate"
        yield from self.suggester.pipe(items, **kwargs)


async def test_known_name_change_opens_the_corpus_and_re_suggests_behind_it(tmp_path: Path, blank_pipeline: str,
                                                                            monkeypatch) -> None:
    svc = Service.open(tmp_path / "g.db", annotator="alice")
    gate = threading.Event()
    try:
        svc.data.ingest([SEEDS])
        plan = svc.learn.suggest_plan(model=blank_pipeline)
        for batch in compute(plan):
            svc.learn.save_suggestions(plan, batch)
        ids = {r["id"]: [s.id for s in svc.store.suggestions(r["id"])] for r in svc.data.articles()}
        svc.entities.create("Soudani", "PER")
        holding = {i for i in ids if "Soudani" in svc.data.article(i).text}
        plans = []

        def gated_plan(model_=None, force=False):
            plan = type(svc.learn).suggest_plan(svc.learn, model=blank_pipeline, force=force)
            plan.suggester = Gated(plan.suggester, gate)
            plans.append(plan)
            return plan

        monkeypatch.setattr(svc.learn, "suggest_plan", gated_plan)
        app = GlossatorApp(svc, ingest_paths=[SEEDS])
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            # The suggester has not produced anything yet, and the corpus is already open.
            assert not gate.is_set() and plans and plans[0].background
            assert isinstance(app.screen, CorpusScreen) and not isinstance(app.screen, PrepareScreen)
            gate.set()
            await app.workers.wait_for_complete()
            await pilot.pause()
        after = {r["id"]: [s.id for s in svc.store.suggestions(r["id"])] for r in svc.data.articles()}
        assert {i for i in ids if after[i] != ids[i]} == holding
    finally:
        gate.set()
        svc.close()
