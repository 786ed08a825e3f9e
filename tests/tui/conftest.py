"""Fixtures for the review app tests: a temp database with the seeds and known suggestions."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.service import Service
from store.models import EVENT, DocSuggestions, SpanSuggestion

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
