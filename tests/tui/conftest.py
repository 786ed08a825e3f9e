"""Fixtures for the review app tests: a temp database with the seeds and known suggestions."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from annotate.service import Service
from store.models import EVENT, DocSuggestions, SpanSuggestion
from tui.app import GlossatorApp

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
FIRST = SEEDS / "000_e36bfcae08118a28.txt"

# (surface, occurrence, label, kind) suggested for the first seed article, in text order.
SUGGESTED = [
    ("Irak", 0, "LOC", "entity"),
    ("rencontre", 0, "MEETING", EVENT),
    ("Al Maliki", 0, "LOC", "entity"),  # wrong label: relabelled PER
    ("AFP", 0, "ORG", "entity"),  # byline: rejected
    ("Nouri Al", 0, "PER", "entity"),  # too short: grown to "Nouri Al Maliki"
    ("Alina Romanowski", 0, "PER", "entity"),
]


def find(text: str, surface: str, occurrence: int = 0) -> int:
    """Offset of the n-th occurrence of ``surface``."""
    at = -1
    for _ in range(occurrence + 1):
        at = text.index(surface, at + 1)
    return at


def suggest(svc: Service, article_id: str, spans: list[tuple[str, int, str, str]]) -> None:
    """Store suggestions for an article directly (the suggester is not needed)."""
    text = svc.data.article(article_id).text
    items = []
    for surface, occurrence, label, kind in spans:
        start = find(text, surface, occurrence)
        items.append(SpanSuggestion(start, start + len(surface), label, kind))
    items.sort(key=lambda s: s.start)
    svc.store.replace_suggestions([(article_id, DocSuggestions(spans=tuple(items)))], "fp-test", "test")


def first_id(svc: Service) -> str:
    """Id of the first seed article."""
    return next(r["id"] for r in svc.data.articles() if r["source"].startswith("000_"))


@pytest.fixture
def review_svc(tmp_path: Path):
    """Seeds ingested, known suggestions on the first article, annotator alice."""
    svc = Service.open(tmp_path / "g.db", annotator="alice")
    svc.data.ingest([SEEDS])
    suggest(svc, first_id(svc), SUGGESTED)
    yield svc
    svc.close()


@pytest.fixture
def anyio_backend() -> str:
    """The app runs on asyncio (anyio's pytest plugin runs the async tests)."""
    return "asyncio"


@dataclass(frozen=True)
class Notice:
    """One toast the app was asked to show."""

    message: str
    title: str
    severity: str


class Notices(list):
    """The toasts of a test, in order (see the ``notices`` fixture)."""

    def messages(self) -> list[str]:
        """Their messages."""
        return [n.message for n in self]

    def any(self, text: str, severity: str | None = None) -> bool:
        """True if a toast's message contains ``text`` (with ``severity``, if given)."""
        return any(text in n.message and severity in (None, n.severity) for n in self)


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
