"""The one API that the TUI and the CLI call: :class:`Service`, bound to one database and one
annotator, made of parts by area that share one :class:`ServiceContext`.

``service.review`` (one article's gold), ``service.events`` (event arguments),
``service.entities`` (canonical entities and links), ``service.team`` (merge, agreement,
adjudication), ``service.data`` (corpus, import, export, backup), ``service.learn``
(suggestions, evaluation, confidence), ``service.flags`` (flags and skips), ``service.mentions``
(an entity's mentions in context) and ``service.corpuswide`` (all occurrences of a surface, the
consistency queue). Every method that changes gold is one logged action, committed before it
returns.
"""

from __future__ import annotations

from pathlib import Path
from typing import Self

from annotate.config import Config, config_path_for, load_config
from annotate.service.context import ServiceContext, resolve_db
from annotate.service.corpuswide import CorpusWideOps
from annotate.service.data import DataOps
from annotate.service.entities import EntityOps
from annotate.service.events import EventOps
from annotate.service.flags import FlagOps
from annotate.service.learn import LearnOps
from annotate.service.mentions import MentionOps
from annotate.service.review import ReviewOps
from annotate.service.team import TeamOps
from store.repo import Store


class Service:
    """Facade over store and annotation logic for one annotator: its parts do the work."""

    def __init__(self, store: Store, config: Config) -> None:
        self.ctx = ServiceContext(store, config)
        self.entities = EntityOps(self.ctx)  # holds the match index: one per service
        self.review = ReviewOps(self.ctx, self.entities)  # accepting may link (confident candidates)
        self.events = EventOps(self.ctx)
        self.team = TeamOps(self.ctx)
        self.data = DataOps(self.ctx)
        self.learn = LearnOps(self.ctx)
        self.flags = FlagOps(self.ctx)  # flags and skips (issue 14.8)
        self.mentions = MentionOps(self.ctx)  # an entity's mentions in context (issue 14.4)
        self.corpuswide = CorpusWideOps(self.ctx)  # all occurrences, consistency queue

    @classmethod
    def open(cls, db: str | Path | None = None, annotator: str | None = None, *, readonly: bool = False) -> Self:
        """Open the database (``--db`` / ``$GLOSSATOR_DB`` / ``./glossator.db``) with its project config."""
        path = resolve_db(db)
        config = load_config(config_path_for(path), annotator=annotator)
        return cls(Store.open(path, readonly=readonly), config)

    def close(self) -> None:
        """Release the database."""
        self.ctx.store.close()

    @property
    def store(self) -> Store:
        """The database this service works on."""
        return self.ctx.store

    @property
    def config(self) -> Config:
        """The project config (labels, roles, model, annotations per article)."""
        return self.ctx.config

    @config.setter
    def config(self, config: Config) -> None:
        self.ctx.config = config

    @property
    def annotator(self) -> str:
        """Who this service acts as."""
        return self.ctx.annotator

    @annotator.setter
    def annotator(self, annotator: str) -> None:
        self.ctx.annotator = annotator
