"""What every part of the service shares: one :class:`ServiceContext` (store, config, annotator)
and the checks and writes that the parts making gold have in common."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from annotate.config import Config
from annotate.errors import ReviewError
from annotate.labels import kind_of
from annotate.review.state import ReviewState, build_state, check_bounds, layer_of, overlaps, trim
from annotate.review.status import set_review
from store import window
from store.actions import UnitOfWork, now
from store.models import IN_PROGRESS, TODO, Article
from store.repo import Store

DEFAULT_DB = "glossator.db"
T = TypeVar("T")


def resolve_db(db: str | Path | None) -> Path:
    """``--db``, else ``$GLOSSATOR_DB``, else ``./glossator.db``."""
    return Path(db or os.environ.get("GLOSSATOR_DB") or DEFAULT_DB)


@dataclass
class ServiceContext:
    """The store, the project config and the annotator, shared by every part of a :class:`Service`
    (one object: a test that swaps the config or the annotator swaps it for all parts).

    Its methods are the checks and writes several parts make inside one action: the label's
    layer, the bounds and overlap checks, inserting a gold span and marking the article started."""

    store: Store
    config: Config
    annotator: str = ""  # who acts: every gold row and log entry written through this context; default: the config's

    def __post_init__(self) -> None:
        self.annotator = self.annotator or self.config.annotator

    def review_state(self, article_id: str) -> ReviewState:
        """The article with this annotator's gold and the suggestions still pending."""
        store, annotator = self.store, self.annotator
        logged = window.last_action_id(store.db)  # first: an action logged meanwhile is caught up again
        gold = store.spans(article_id, annotator)
        names = self.entity_names({g.kb_id for g in gold if g.kb_id})
        return build_state(store.get_article(article_id), annotator, gold, store.suggestions(article_id),
                           store.rejections(article_id, annotator), names, store.event_args(article_id, annotator),
                           store.suggested_args(article_id), logged)

    def entity_names(self, ids: set[str]) -> dict[str, str]:
        """Canonical name of each of these entities that exists."""
        return {e.id: e.name for e in (self.store.entity(i) for i in ids) if e}

    def apart(self, read: Callable[[ServiceContext], T]) -> Callable[[], T]:
        """``read`` as a job for a worker thread: it runs on a context of its own, with its own
        read-only connection to the same database (a connection belongs to the thread that made
        it, and a long read there never holds up the writes of this one)."""
        path, config, annotator = self.store.path, self.config, self.annotator
        if path is None:
            raise ValueError("a store without a file cannot be read apart")

        def job() -> T:
            store = Store.open(path, readonly=True)
            try:
                return read(ServiceContext(store, config, annotator))
            finally:
                store.close()

        return job

    def kind_of(self, label: str) -> str:
        """Layer of a label; ReviewError when the label is unknown."""
        kind = kind_of(label, self.config.entity_labels, tuple(self.config.event_roles))
        if kind is None:
            raise ReviewError(f"unknown label {label!r}")
        return kind

    def trimmed(self, article: Article, start: int, end: int) -> tuple[int, int]:
        """``start``–``end`` checked against the text and with surrounding whitespace trimmed."""
        problem = check_bounds(article.text, start, end)
        if problem:
            raise ReviewError(problem)
        return trim(article.text, start, end)

    def check_free(self, article: Article, start: int, end: int, kind: str, ignore: int | None = None) -> None:
        """ReviewError unless ``start``–``end`` is in the text and overlaps none of this annotator's
        gold spans of ``kind``'s layer (``ignore``: the span being moved or relabelled)."""
        # Called inside the action's write transaction, so no other process can add a span between check and write.
        problem = check_bounds(article.text, start, end)
        if problem:
            raise ReviewError(problem)
        for span in self.store.spans(article.id, self.annotator):
            if span.id != ignore and layer_of(span.kind) == layer_of(kind) and overlaps(span.start, span.end, start, end):
                text = article.text[span.start:span.end]
                raise ReviewError(f"overlaps the {span.label} span “{text}”; remove or shrink it first")

    def touch(self, uow: UnitOfWork, article: Article) -> None:
        """Mark the article in progress for this annotator if they had not started it."""
        if self.store.review_status(article.id, self.annotator) in (None, TODO):
            set_review(uow, self.store, article.id, self.annotator, IN_PROGRESS, self.config.annotations_per_article)

    def insert_span(self, uow: UnitOfWork, article: Article, start: int, end: int, label: str,
                    kb_id: str | None = None) -> int:
        """Write one gold span of this annotator in the action ``uow``; returns its id."""
        stamp = now()
        return uow.insert("spans", {
            "article_id": article.id, "start": start, "end": end, "label": label, "kind": self.kind_of(label),
            "annotator": self.annotator, "kb_id": kb_id, "created_at": stamp, "updated_at": stamp,
        })

    def args_of(self, span_id: int) -> list[int]:
        """Ids of the event arguments whose event or filler is this span."""
        return self.store.arg_ids_using(span_id)
