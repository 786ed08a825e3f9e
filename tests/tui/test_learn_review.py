"""Review by confidence in the app (issue 16.3): `z` orders j / k / accept lowest confidence first,
`B` bulk accepts a label above an estimated precision as one undoable action, the corpus sorts by
the lowest confidence of each article."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList

from annotate.review.state import GOLD
from annotate.service import Service
from annotate.service.learn import LearnOps
from store.models import DocSuggestions, SpanSuggestion
from tests.paths import SEEDS, SIZE
from tests.tui.support import find, first_id
from tui.app import GlossatorApp
from tui.modals.bulk import BulkAcceptModal
from tui.screens.article.screen import ArticleScreen
from tui.screens.corpus import CorpusScreen
from tui.widgets.status_bar import StatusBar

pytestmark = pytest.mark.anyio

# (surface, label, confidence) on the first seed, in text order.
SCORED = [("Irak", "LOC", 0.99), ("Al Maliki", "PER", 0.40), ("AFP", "ORG", 0.10),
          ("Nouri Al Maliki", "PER", 0.995), ("Alina Romanowski", "PER", 0.70)]


def scored(svc: Service, article_id: str, spans=SCORED) -> None:
    text = svc.data.article(article_id).text
    items = []
    for surface, label, score in spans:
        start = find(text, surface)
        items.append(SpanSuggestion(start, start + len(surface), label, "entity", score))
    items.sort(key=lambda s: s.start)
    svc.store.replace_suggestions([(article_id, DocSuggestions(spans=tuple(items)))], "fp-test", "test")


@pytest.fixture
def svc(tmp_path: Path):
    service = Service.open(tmp_path / "g.db", annotator="alice")
    service.data.ingest([SEEDS])
    scored(service, first_id(service))
    yield service
    service.close()


def gold(svc: Service, article_id: str) -> set[tuple[str, str]]:
    return {(i.text, i.label) for i in svc.review.state(article_id).items if i.state == GOLD}


def status(screen: ArticleScreen) -> str:
    return str(screen.query_one(StatusBar).render())


async def test_z_walks_and_accepts_lowest_confidence_first(svc: Service) -> None:
    aid = first_id(svc)
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, ArticleScreen) and screen.item.text == "Irak"
        await pilot.press("j")
        assert screen.item.text == "Al Maliki"  # text order
        await pilot.press("z")
        assert screen.item.text == "AFP"  # the least confident pending suggestion
        assert "lowest confidence first · confidence 0.10" in status(screen)
        await pilot.press("j")
        assert screen.item.text == "Al Maliki"  # 0.40 after 0.10
        await pilot.press("a")  # accept, then on to the next by confidence: 0.70
        assert screen.item.text == "Alina Romanowski"
        assert gold(svc, aid) == {("Al Maliki", "PER")}
        await pilot.press("x")  # reject it: then 0.99 (AFP 0.10 comes round again after the top)
        assert screen.item.text == "Irak"
        await pilot.press("k", "k")
        assert screen.item.text == "AFP"
        await pilot.press("z")
        assert "lowest confidence first" not in status(screen) and "order: text" in status(screen)
        await pilot.press("j")
        assert screen.item.text != "AFP"  # text order again: the span after AFP in the text
        assert screen.item.start > find(svc.data.article(aid).text, "AFP")


async def test_bulk_accept_from_the_article_is_one_undoable_action(svc: Service) -> None:
    aid = first_id(svc)
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, ArticleScreen)
        await pilot.press("B")
        modal = app.screen
        assert isinstance(modal, BulkAcceptModal)
        rows = {p.label: (len(p.chosen), p.available) for p in modal.plans}
        # PER: 0.995 alone reaches 0.98 (with 0.70 the mean is 0.85); LOC: 0.99; ORG: nothing.
        assert rows == {"PER": (1, 3), "LOC": (1, 1), "ORG": (0, 1)}
        threshold = modal.query_one("#threshold", Input)
        threshold.value = "0.8"
        await pilot.pause()
        assert {p.label: len(p.chosen) for p in modal.plans}["PER"] == 2  # (0.995 + 0.70) / 2 ≥ 0.8
        assert modal.plans[0].label == "PER"
        await pilot.press("enter")  # the PER row is highlighted
        assert app.screen is screen
        assert gold(svc, aid) == {("Nouri Al Maliki", "PER"), ("Alina Romanowski", "PER")}
        await pilot.press("u")  # one action: one undo
        assert gold(svc, aid) == set()
        assert screen.state.pending == 5


async def test_bulk_accept_in_the_corpus_and_its_undo(svc: Service) -> None:
    aid = first_id(svc)
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, CorpusScreen)
        await pilot.press("B")
        modal = app.screen
        assert isinstance(modal, BulkAcceptModal) and modal.scope is None
        await app.workers.wait_for_complete()  # the corpus is counted in a worker
        await pilot.pause()
        assert modal.plans[0].label == "PER"
        await pilot.press("down")  # LOC
        await pilot.press("enter")
        assert isinstance(app.screen, CorpusScreen)
        assert gold(svc, aid) == {("Irak", "LOC")}
        await pilot.press("u")
        assert gold(svc, aid) == set()


async def test_corpus_sorts_by_lowest_confidence(svc: Service) -> None:
    ids = svc.store.article_ids()
    second = next(i for i in ids if i != first_id(svc))
    text = svc.data.article(second).text
    word = text.split()[0]
    svc.store.replace_suggestions([(second, DocSuggestions(spans=(
        SpanSuggestion(0, len(word), "LOC", "entity", 0.05),)))], "fp-test", "test")
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, CorpusScreen)
        await pilot.press("z")
        assert screen.sort_column == "confidence"
        assert [r["id"] for r in screen.rows[:2]] == [second, first_id(svc)]  # 0.05, then 0.10
        await pilot.press("z")
        assert screen.sort_column is None


def option_texts(modal: BulkAcceptModal) -> list[str]:
    options = modal.query_one("#plans", OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


def gate_pending(monkeypatch, gate: threading.Event, threads: list[threading.Thread]) -> None:
    """The corpus read waits for ``gate`` and records the thread it runs on."""
    real_job = LearnOps.pending_job

    def gated_job(self, article_id=None):
        job = real_job(self, article_id)

        def waiting():
            threads.append(threading.current_thread())
            assert gate.wait(timeout=30), "the test never opened the gate"
            return job()

        return waiting

    monkeypatch.setattr(LearnOps, "pending_job", gated_job)


async def test_corpus_counts_are_read_in_a_worker_and_say_counting_meanwhile(svc: Service, monkeypatch) -> None:
    gate = threading.Event()
    threads: list[threading.Thread] = []
    gate_pending(monkeypatch, gate, threads)
    app = GlossatorApp(svc)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("B")
            modal = app.screen
            assert isinstance(modal, BulkAcceptModal) and modal.counting and modal.plans == []
            assert option_texts(modal) == ["counting the pending suggestions of the corpus…"]
            await pilot.press("enter")  # nothing to accept yet: the dialog stays, the UI answers
            assert app.screen is modal and modal.counting
            gate.set()
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert not modal.counting
            assert threads and threads[0] is not threading.main_thread()  # read off the UI thread
            rows = option_texts(modal)
            assert rows[0].startswith("PER") and "1 of 3" in rows[0]  # the figures, once counted
            assert {p.label: (len(p.chosen), p.available) for p in modal.plans} == {
                "PER": (1, 3), "LOC": (1, 1), "ORG": (0, 1)}
    finally:
        gate.set()


async def test_bulk_scope_toggle_counts_the_corpus_then_the_article_at_once(svc: Service) -> None:
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "B")
        modal = app.screen
        assert isinstance(modal, BulkAcceptModal) and not modal.counting and modal.plans  # article: no worker
        await pilot.press("ctrl+o")
        assert modal.scope is None  # counted in the worker (done already on this small corpus, or soon)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not modal.counting and modal.plans[0].label == "PER"
        await pilot.press("ctrl+o")
        assert modal.scope is not None and not modal.counting and modal.plans


async def test_closing_the_dialog_while_it_counts_is_quiet(svc: Service, monkeypatch, notices) -> None:
    gate = threading.Event()
    gate_pending(monkeypatch, gate, [])
    app = GlossatorApp(svc)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("B")
            assert isinstance(app.screen, BulkAcceptModal) and app.screen.counting
            await pilot.press("escape")
            assert isinstance(app.screen, CorpusScreen)
            gate.set()
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, CorpusScreen)
    finally:
        gate.set()
    assert not [n for n in notices if n.severity == "error"]
