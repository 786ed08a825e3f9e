"""One error policy in the TUI: every screen is a GlossatorScreen, every worker's failure ends in an
error toast and its screen leaves its "in progress" state."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

import tui
from annotate.service import Service
from annotate.suggest.run import SuggestPlan
from tests.paths import GOLD, SEEDS, SIZE
from tests.tui.support import Notices, workers_done
from tui.app import GlossatorApp
from tui.screens.base import GlossatorScreen
from tui.screens.corpus import CorpusScreen
from tui.screens.dashboard import DashboardScreen
from tui.screens.duplicates import DuplicatesPane
from tui.screens.entities import EntitiesScreen

pytestmark = pytest.mark.anyio
TUI = Path(tui.__file__).parent


@pytest.fixture
def kb_svc(tmp_path: Path):
    """Seeds and their gold: canonical entities to cluster."""
    svc = Service.open(tmp_path / "g.db", annotator="alice")
    svc.data.ingest([SEEDS])
    svc.data.import_jsonl(GOLD)
    yield svc
    svc.close()


def broken(*args, **kwargs):
    raise RuntimeError("clustering broke")


async def test_a_failed_count_leaves_the_dashboard_counting_state(kb_svc: Service, notices: Notices,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("tui.screens.dashboard.find_duplicates", broken)
    app = GlossatorApp(kb_svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("D")
        await workers_done(app)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        line = str(screen.query_one("#dash-entities", Static).render())
        assert "counting…" not in line and "counting failed" in line
        assert notices.any("counting duplicate clusters failed: RuntimeError: clustering broke", "error")


async def test_a_failed_duplicates_scan_stops_its_progress(kb_svc: Service, notices: Notices,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("tui.screens.duplicates.find_duplicates", broken)
    app = GlossatorApp(kb_svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("E")
        await pilot.pause()  # the entities screen has its focus: "d" is its key, not a letter of the filter
        await pilot.press("d")
        await workers_done(app)
        await pilot.pause()
        assert isinstance(app.screen, EntitiesScreen)
        pane = app.screen.query_one(DuplicatesPane)
        assert not pane.scanning and not pane.query_one("#dup-progress").display
        assert "scan failed" in str(pane.query_one("#dup-status", Static).render())
        assert notices.any("looking for duplicates failed: RuntimeError: clustering broke", "error")
        await pilot.press("d", "d")  # it scans again on demand
        await workers_done(app)
        await pilot.pause()
        assert not pane.scanning


class FailingSuggester:
    """A model that breaks on the second article."""

    fingerprint = "failing-1"

    def load(self) -> None:
        pass

    def pipe(self, items, batch_size=32, n_process=1):
        from store.models import DocSuggestions

        for n, (article_id, _text, _regions) in enumerate(items):
            if n == 1:
                raise ValueError("model broke")
            yield article_id, DocSuggestions(spans=())


async def test_a_failed_suggestion_run_ends_on_the_corpus(tmp_path: Path, notices: Notices,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    svc = Service.open(tmp_path / "g.db", annotator="alice")
    fake = FailingSuggester()
    monkeypatch.setattr(svc.learn, "suggest_plan", lambda model=None, force=False: SuggestPlan(
        fake, fake.fingerprint, [(r["id"], svc.data.article(r["id"]).text, ()) for r in svc.data.articles()]))
    try:
        app = GlossatorApp(svc, ingest_paths=[SEEDS])
        async with app.run_test(size=SIZE) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, CorpusScreen)
            assert notices.any("suggesting failed: ValueError: model broke", "error")
    finally:
        svc.close()


def tui_classes() -> list[type]:
    """Every class defined in the ``tui`` package."""
    found = []
    for info in pkgutil.walk_packages([str(TUI)], "tui."):
        module = importlib.import_module(info.name)
        found += [c for _, c in inspect.getmembers(module, inspect.isclass) if c.__module__ == info.name]
    return found


def test_every_screen_and_modal_is_a_glossator_screen() -> None:
    screens = [c for c in tui_classes() if issubclass(c, Screen)]
    assert len(screens) >= 10
    assert [c.__qualname__ for c in screens if not issubclass(c, GlossatorScreen)] == []


def test_every_worker_runs_on_a_screen_or_the_app_and_keeps_the_app_running() -> None:
    """``Worker.StateChanged`` reaches only the node that started the worker: a widget's worker
    would escape the one handler. ``exit_on_error=False``: a failed scan must not end the session."""
    starts = 0
    for path in TUI.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        for call in ("@work(", "run_worker("):
            for chunk in source.split(call)[1:]:
                starts += 1
                assert "exit_on_error=False" in chunk.split(")\n")[0], f"{path.name}: {call} without exit_on_error=False"
    assert starts >= 4
    for cls in tui_classes():
        if issubclass(cls, Widget) and not issubclass(cls, Screen):
            source = inspect.getsource(cls).replace("self.screen.run_worker(", "")
            assert "@work(" not in source and "run_worker(" not in source, cls.__qualname__
