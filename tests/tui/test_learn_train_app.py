"""`T` trains in the background and the app swaps to the new model without a pause (issue 16.1):
the new version's suggestions are computed in the background suggest worker; a stopped training
leaves nothing. Fast training (label memory and confidence only, ``ner=False``) on a blank pipeline."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from annotate.learn import artifact
from annotate.learn import train as training
from annotate.service import Service
from annotate.suggest.run import compute
from tests.paths import GOLD, SEEDS, SIZE
from tui.app import GlossatorApp
from tui.modals.dialogs import ConfirmModal
from tui.screens.article.screen import ArticleScreen
from tui.screens.corpus import CorpusScreen
from tui.training import TrainingBanner

pytestmark = pytest.mark.anyio


@pytest.fixture
def svc(tmp_path: Path, blank_pipeline: str):
    (tmp_path / "glossator.toml").write_text(f'[project]\nmodel = "{blank_pipeline}"\n', encoding="utf-8")
    service = Service.open(tmp_path / "g.db", annotator="alice")
    record = json.loads(GOLD.read_text(encoding="utf-8").splitlines()[4])  # the shortest seed article, done
    # Entities only: a blank pipeline has no parser to attach the arguments of taught triggers to.
    record["events"] = []
    (tmp_path / "gold.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    service.data.import_jsonl(tmp_path / "gold.jsonl")
    service.data.ingest([SEEDS / "000_e36bfcae08118a28.txt"])
    plan = service.learn.suggest_plan()
    for batch in compute(plan):
        service.learn.save_suggestions(plan, batch)
    assert service.learn.suggest_plan().items == []
    yield service
    service.close()


async def settle(app: GlossatorApp, pilot) -> None:
    """Until no worker runs (training starts the suggest worker when it ends)."""
    for _ in range(4):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def test_T_trains_then_re_suggests_in_the_background(svc: Service, tmp_path: Path, notices) -> None:
    app = GlossatorApp(svc)
    app.training.options.ner = False
    before = {a: [s.id for s in svc.store.suggestions(a)] for a in svc.store.article_ids()}
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, CorpusScreen)
        await pilot.press("T")
        await settle(app, pilot)
        assert isinstance(app.screen, CorpusScreen)  # the reviewer was never sent anywhere
        assert not app.screen.query(TrainingBanner) and app.training.line == ""
    assert [n for n, _ in artifact.versions(tmp_path / "g.db")] == [1]
    assert any(n.message == "model v1 ready; re-suggesting 2 articles" for n in notices)
    plan = svc.learn.suggest_plan()
    assert plan.suggester.learned.version == "v1" and plan.items == []  # saved with the new model
    after = {a: [s.id for s in svc.store.suggestions(a)] for a in svc.store.article_ids()}
    assert all(after[a] and set(after[a]).isdisjoint(before[a]) for a in before)  # every article re-suggested


def gated(monkeypatch) -> threading.Event:
    """Hold the real training before it fits until the test opens the returned gate."""
    gate = threading.Event()
    real_fit = training.fit

    def gated_fit(*args, **kwargs):
        assert gate.wait(timeout=30), "the test never opened the gate"
        return real_fit(*args, **kwargs)

    monkeypatch.setattr(training, "fit", gated_fit)
    return gate


async def test_T_again_stops_the_training_and_nothing_is_saved(svc: Service, tmp_path: Path, notices,
                                                               monkeypatch) -> None:
    gate = gated(monkeypatch)
    app = GlossatorApp(svc)
    app.training.options.ner = False
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("T")
            await pilot.pause()
            assert app.training.running and app.training.line.startswith("training")
            assert app.screen.query(TrainingBanner)
            await pilot.press("T")
            assert isinstance(app.screen, ConfirmModal)
            await pilot.press("y")
            gate.set()  # the real training goes on and meets the cancel flag at its next check
            await settle(app, pilot)
            assert not app.training.running and not app.screen.query(TrainingBanner)
    finally:
        gate.set()
    assert artifact.versions(tmp_path / "g.db") == []
    assert not list((tmp_path / "g.models").glob(".tmp-*")) if (tmp_path / "g.models").exists() else True
    assert any(n.message == "training stopped; nothing was saved" for n in notices)
    assert svc.learn.suggest_plan().items == []  # nothing to re-suggest: the model did not change


async def test_T_without_done_articles_is_refused(tmp_path: Path, blank_pipeline: str, notices) -> None:
    (tmp_path / "glossator.toml").write_text(f'[project]\nmodel = "{blank_pipeline}"\n', encoding="utf-8")
    svc = Service.open(tmp_path / "g.db", annotator="alice")
    try:
        svc.data.ingest([SEEDS / "000_e36bfcae08118a28.txt"])
        app = GlossatorApp(svc)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("T")
            await pilot.pause()
            assert not app.training.running
        assert any(n.title == "Refused" and "no article is marked done" in n.message for n in notices)
    finally:
        svc.close()


async def test_a_failed_training_is_shown_and_its_banner_goes(svc: Service, notices, monkeypatch) -> None:
    def broken(*_args, **_kwargs):
        raise ValueError("out of disk")

    monkeypatch.setattr(training, "run", broken)
    app = GlossatorApp(svc)
    app.training.options.ner = False
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("T")
        await settle(app, pilot)
        assert not app.training.running and app.training.line == "" and not app.screen.query(TrainingBanner)
    assert any(n.severity == "error" and "training failed: ValueError: out of disk" in n.message for n in notices)


def footer_keys(app: GlossatorApp) -> dict[str, str]:
    """What the footer of the screen in front offers: key → description."""
    return {key: active.binding.description for key, active in app.screen.active_bindings.items()
            if active.binding.show}


async def test_escape_stops_the_training_then_goes_back_as_usual(svc: Service, tmp_path: Path, notices,
                                                                 monkeypatch) -> None:
    gate = gated(monkeypatch)
    app = GlossatorApp(svc)
    app.training.options.ner = False
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("enter")
            article = app.screen
            assert isinstance(article, ArticleScreen)
            assert footer_keys(app)["escape"] == "Back"  # no training: Esc is the screen's
            await pilot.press("T")
            await pilot.pause()
            assert app.training.running and "Esc stops" in app.training.line
            assert footer_keys(app)["escape"] == "Stop training"
            await pilot.press("escape")
            assert app.screen is article  # Esc stopped the training, it did not leave the article
            assert app.training.worker is not None and app.training.worker.is_cancelled
            assert "stopping" in app.training.line
            gate.set()  # the real training goes on and meets the cancel flag at its next check
            await settle(app, pilot)
            assert not app.training.running and not app.screen.query(TrainingBanner)
            assert footer_keys(app)["escape"] == "Back"
            await pilot.press("escape")  # Esc is back again
            assert isinstance(app.screen, CorpusScreen)
    finally:
        gate.set()
    assert artifact.versions(tmp_path / "g.db") == []  # nothing of the stopped training was kept
    assert any(n.message == "training stopped; nothing was saved" for n in notices)
    assert svc.learn.suggest_plan().items == []  # the suggestions are those of the model as it was


async def test_escape_without_training_goes_back_and_closes_dialogs(svc: Service) -> None:
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        assert isinstance(app.screen, ArticleScreen)
        assert "Stop training" not in footer_keys(app).values()
        await pilot.press("escape")
        assert isinstance(app.screen, CorpusScreen)


async def test_escape_in_the_stop_dialog_closes_the_dialog_only(svc: Service, monkeypatch) -> None:
    gate = threading.Event()
    real_fit = training.fit
    monkeypatch.setattr(training, "fit", lambda *a, **k: (gate.wait(timeout=30), real_fit(*a, **k))[1])
    app = GlossatorApp(svc)
    app.training.options.ner = False
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("T")
            await pilot.pause()
            await pilot.press("T")
            assert isinstance(app.screen, ConfirmModal)
            await pilot.press("escape")  # the dialog's Esc: no, keep training
            assert not isinstance(app.screen, ConfirmModal)
            assert app.training.stoppable
            gate.set()
            await settle(app, pilot)
    finally:
        gate.set()
