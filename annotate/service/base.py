"""The base of the service facade: construction, and the checks and writes every part shares."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Self

from annotate.config import Config, config_path_for, load_config
from annotate.service.entities import EntityService
from annotate.errors import ReviewError
from annotate.labels import kind_of
from annotate.review.status import set_review
from annotate.review.state import check_bounds, layer_of, overlaps, trim
from store.actions import now
from store.models import IN_PROGRESS, TODO, Article
from store.repo import Store



DEFAULT_DB = "glossator.db"


def resolve_db(db: str | Path | None) -> Path:
    """``--db``, else ``$GLOSSATOR_DB``, else ``./glossator.db``."""
    return Path(db or os.environ.get("GLOSSATOR_DB") or DEFAULT_DB)


class ServiceBase:
    """What every part of the service shares: the store, the project config and the annotator."""

    def __init__(self, store: Store, config: Config) -> None:
        self.store = store
        self.config = config
        self.annotator = config.annotator
        self.kb = EntityService(store, self.annotator, config.entity_labels)

    @classmethod
    def open(cls, db: str | Path | None = None, annotator: str | None = None, *, readonly: bool = False) -> Self:
        """Open the database (``--db`` / ``$GLOSSATOR_DB`` / ``./glossator.db``) with its project config."""
        path = resolve_db(db)
        config = load_config(config_path_for(path), annotator=annotator)
        return cls(Store.open(path, readonly=readonly), config)

    def close(self) -> None:
        """Release the database."""
        self.store.close()

    def kind_of(self, label: str) -> str:
        """Layer of a label; ReviewError when the label is unknown."""
        kind = kind_of(label, self.config.entity_labels, tuple(self.config.event_roles))
        if kind is None:
            raise ReviewError(f"unknown label {label!r}")
        return kind

    def _trimmed(self, article: Article, start: int, end: int) -> tuple[int, int]:
        problem = check_bounds(article.text, start, end)
        if problem:
            raise ReviewError(problem)
        return trim(article.text, start, end)

    def _check_free(self, article: Article, start: int, end: int, kind: str, ignore: int | None = None) -> None:
        # Called inside the action's write transaction, so no other process can add a span between check and write.
        problem = check_bounds(article.text, start, end)
        if problem:
            raise ReviewError(problem)
        for span in self.store.spans(article.id, self.annotator):
            if span.id != ignore and layer_of(span.kind) == layer_of(kind) and overlaps(span.start, span.end, start, end):
                text = article.text[span.start:span.end]
                raise ReviewError(f"overlaps the {span.label} span “{text}”; remove or shrink it first")

    def _touch(self, uow: Any, article: Article) -> None:
        if self.store.review_status(article.id, self.annotator) in (None, TODO):
            set_review(uow, self.store, article.id, self.annotator, IN_PROGRESS, self.config.annotations_per_article)

    def _insert_span(self, uow: Any, article: Article, start: int, end: int, label: str, kb_id: str | None = None) -> int:
        stamp = now()
        return uow.insert("spans", {
            "article_id": article.id, "start": start, "end": end, "label": label, "kind": self.kind_of(label),
            "annotator": self.annotator, "kb_id": kb_id, "created_at": stamp, "updated_at": stamp,
        })

    def _args_of(self, span_id: int) -> list[int]:
        rows = self.store.db.execute("SELECT id FROM event_args WHERE event_id = ? OR span_id = ?", [span_id, span_id])
        return [r[0] for r in rows]
