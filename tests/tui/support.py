"""Helpers shared by the review app tests: the first seed's known suggestions, offsets, toasts."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from textual.app import App
from textual.worker import WorkerFailed

from annotate.service import Service
from store.models import EVENT, DocSuggestions, SpanSuggestion
from tests.paths import SEEDS

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


async def workers_done(app: App) -> None:
    """Wait for the app's workers when one of them is meant to fail: ``wait_for_complete`` raises
    ``WorkerFailed`` for a failed worker it still holds, and whether it still holds it (or has
    dropped it already) depends on how fast the thread ran; the test checks the failure's toast."""
    with contextlib.suppress(WorkerFailed):
        await app.workers.wait_for_complete()
