"""Fixtures for the review app tests: a temp database with the seeds (a copy of the session's
``seeds_db``, tests/conftest.py) and known suggestions (helpers in tests/tui/support.py and
tests/tui/events_support.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.service import Service
from tests import db_support
from tests.paths import GOLD
from tests.tui.events_support import article_id, suggest_attack
from tests.tui.support import SUGGESTED, Notice, Notices, first_id, suggest
from tui.app import GlossatorApp


@pytest.fixture
def svc(tmp_path: Path, seeds_db: Path):
    """Seeds ingested, no suggestions, annotator alice (a module may define its own ``svc``)."""
    service = Service.open(db_support.copy(seeds_db, tmp_path / "g.db"), annotator="alice")
    yield service
    service.close()


@pytest.fixture
def curated_svc(tmp_path: Path, seeds_db: Path):
    """Seeds ingested, the canonical entities of the hand-made gold (imported by another annotator,
    ``curator``); alice reviews, with no gold of her own yet."""
    path = db_support.copy(seeds_db, tmp_path / "g.db")
    curator = Service.open(path, annotator="curator")
    curator.data.import_jsonl(GOLD)
    curator.close()
    service = Service.open(path, annotator="alice")
    yield service
    service.close()


@pytest.fixture
def review_svc(tmp_path: Path, seeds_db: Path):
    """Seeds ingested, known suggestions on the first article, annotator alice."""
    svc = Service.open(db_support.copy(seeds_db, tmp_path / "g.db"), annotator="alice")
    suggest(svc, first_id(svc), SUGGESTED)
    yield svc
    svc.close()


@pytest.fixture
def event_svc(tmp_path: Path, seeds_db: Path):
    """Seeds ingested, the ATTACK suggestions on seed 000, annotator alice."""
    svc = Service.open(db_support.copy(seeds_db, tmp_path / "g.db"), annotator="alice")
    suggest_attack(svc, article_id(svc, "000_"))
    yield svc
    svc.close()


@pytest.fixture
def anyio_backend() -> str:
    """The app runs on asyncio (anyio's pytest plugin runs the async tests)."""
    return "asyncio"


@pytest.fixture
def notices(monkeypatch: pytest.MonkeyPatch) -> Notices:
    """Every toast of the test's apps, recorded by wrapping ``GlossatorApp.notify`` (every screen's
    ``notify`` goes through it): public API only, where Textual keeps its own list privately."""
    seen = Notices()
    notify = GlossatorApp.notify

    def recording(app: GlossatorApp, message: str, *, title: str = "", severity="information",
                  timeout: float | None = None, markup: bool = False) -> None:
        seen.append(Notice(message, title, severity))
        notify(app, message, title=title, severity=severity, timeout=timeout, markup=markup)

    monkeypatch.setattr(GlossatorApp, "notify", recording)
    return seen
