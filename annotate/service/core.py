"""The one API that the TUI and the CLI call.

A :class:`Service` is bound to one database and one annotator. Every method that
changes gold is one logged action, committed before it returns. The facade is assembled
from parts by area (``service_events``, ``service_data``, ``service_team``) on a shared
base (``service_base``); callers only ever see ``Service``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from annotate.entities import kb
from annotate.suggest import run as suggesting
from annotate.config import ConfigError
from annotate.errors import ReviewError, guarded
from annotate.corpus.ingest import IngestReport, InputError, Progress, ingest
from annotate.review.status import overall, set_review
from annotate.suggest.run import Batch, SuggestPlan
from annotate.review.state import GOLD, ReviewState, build_state, layer_of, overlaps
from store.actions import Conflict, now
from store.db import ReadOnlyDatabase, StoreError
from store.models import DONE, STATUSES, TODO, Action, Article, Entity

from annotate.service.base import DEFAULT_DB, ServiceBase, resolve_db
from annotate.service.data import DataOps
from annotate.service.events import ArgHint, EventOps
from annotate.service.team import TeamOps
from annotate.learn.review_ops import ConfidenceOps

__all__ = ["DEFAULT_DB", "ArgHint", "ConfigError", "InputError", "ReadOnlyDatabase", "ReviewError", "Service", "ServiceBase", "StoreError", "resolve_db"]


class Service(EventOps, DataOps, TeamOps, ConfidenceOps):
    """Facade over store and annotation logic for one annotator."""

    @guarded
    def ingest(self, paths: Sequence[Path], progress: Progress | None = None) -> IngestReport:
        """Ingest .txt files, folders and .jsonl files."""
        return ingest(self.store, paths, progress)

    def articles(self) -> list[dict[str, Any]]:
        """Corpus rows (no text): this annotator's status, pending suggestions and gold count."""
        return self.store.article_summaries(self.annotator)

    def article(self, article_id: str) -> Article:
        """One article."""
        return self.store.get_article(article_id)

    def counts(self) -> dict[str, int]:
        """Articles per status of this annotator, with every status present."""
        found = self.store.count_articles(self.annotator)
        return {status: found.get(status, 0) for status in STATUSES}

    def export_jsonl(self, target: str | Path, what: str = "gold", annotator: str | None = None) -> Any:
        """Write the Prodigy-compatible JSONL export atomically; returns its report."""
        from annotate.formats.jsonl import export_jsonl

        return export_jsonl(self.store, target, what=what, annotator=annotator)

    @guarded
    def import_jsonl(self, path: Path) -> Any:
        """Import gold from JSONL in one transaction; returns its report."""
        from annotate.formats.jsonl import import_jsonl

        return import_jsonl(self.store, path, self.annotator, self.config.entity_labels, self.config.event_roles)

    def suggest_plan(self, model: str | None = None, force: bool = False) -> SuggestPlan:
        """What a suggest run has to process (loads no model yet)."""
        return suggesting.plan(self.store, model or self.config.model, self.config.event_lexicon, force)

    @guarded
    def save_suggestions(self, plan: SuggestPlan, batch: Batch) -> None:
        """Store one computed batch (call on the thread that opened the service)."""
        suggesting.save(self.store, plan, batch)

    def state(self, article_id: str) -> ReviewState:
        """The article with this annotator's gold and the suggestions still pending."""
        article = self.store.get_article(article_id)
        gold = self.store.spans(article_id, self.annotator)
        ids = {g.kb_id for g in gold if g.kb_id}
        names = {e.id: e.name for e in (self.store.entity(i) for i in ids) if e}
        return build_state(
            article,
            self.annotator,
            gold,
            self.store.suggestions(article_id),
            self.store.rejections(article_id, self.annotator),
            names,
            self.store.event_args(article_id, self.annotator),
            self.store.suggested_args(article_id),
        )

    @guarded
    def accept(self, article_id: str, suggestion_id: int, label: str | None = None,
               bounds: tuple[int, int] | None = None) -> int:
        """Make a suggestion gold (optionally relabelled or with new bounds); returns the span id."""
        article = self.store.get_article(article_id)
        sug = self.store.suggestion(suggestion_id)
        if sug is None or sug.article_id != article_id:
            raise ReviewError("that suggestion no longer exists (re-suggested?)")
        start, end = bounds or (sug.start, sug.end)
        label = label or sug.label
        kind = "accept" if (label, start, end) == (sug.label, sug.start, sug.end) else "accept_edited"
        with self.store.action(kind, self.annotator, article_id) as uow:
            self._check_free(article, start, end, self.kind_of(label))
            span_id = self._insert_span(uow, article, start, end, label)
            self._touch(uow, article)
        return span_id

    @guarded
    def accept_all(self, article_id: str) -> int:
        """Accept every pending suggestion of the article in one undoable action; returns how many.

        A pending suggestion that overlaps one accepted before it (in text order, same layer) is
        left out: gold never overlaps within a layer."""
        with self.store.action("accept_all", self.annotator, article_id) as uow:
            # Read inside the write transaction: a second process pressing A at the same time
            # waits here and then finds nothing pending, instead of accepting everything again.
            state = self.state(article_id)
            taken = [(g.start, g.end, layer_of(g.kind)) for g in state.items if g.state == GOLD]
            made = 0
            for item in state.items:
                if item.state == GOLD:
                    continue
                layer = layer_of(item.kind)
                if any(lay == layer and overlaps(s, e, item.start, item.end) for s, e, lay in taken):
                    continue
                self._insert_span(uow, state.article, item.start, item.end, item.label)
                taken.append((item.start, item.end, layer))
                made += 1
            if made:
                self._touch(uow, state.article)
        return made

    @guarded
    def reject(self, article_id: str, suggestion_id: int) -> None:
        """Record that this annotator rejects a suggestion (it survives re-suggesting)."""
        article = self.store.get_article(article_id)
        sug = self.store.suggestion(suggestion_id)
        if sug is None or sug.article_id != article_id:
            raise ReviewError("that suggestion no longer exists (re-suggested?)")
        with self.store.action("reject", self.annotator, article_id) as uow:
            if (sug.start, sug.end, sug.label, sug.kind) in self.store.rejections(article_id, self.annotator):
                return  # already rejected (by another process of this annotator): nothing to log
            uow.insert("rejections", {"article_id": article_id, "annotator": self.annotator, "start": sug.start,
                                      "end": sug.end, "label": sug.label, "kind": sug.kind})
            self._touch(uow, article)

    @guarded
    def add_span(self, article_id: str, start: int, end: int, label: str) -> int:
        """Create a gold span (whitespace trimmed); refuses overlaps within its layer."""
        article = self.store.get_article(article_id)
        start, end = self._trimmed(article, start, end)
        kind = self.kind_of(label)
        with self.store.action("add", self.annotator, article_id) as uow:
            self._check_free(article, start, end, kind)
            span_id = self._insert_span(uow, article, start, end, label)
            self._touch(uow, article)
        return span_id

    @guarded
    def relabel(self, span_id: int, label: str) -> None:
        """Change a gold span's label (its layer may change too)."""
        span = self.store.span(span_id)
        kind = self.kind_of(label)
        if kind != span.kind and self._args_of(span_id):
            raise ReviewError("this span is an event or an argument; detach its arguments first")
        with self.store.action("relabel", self.annotator, span.article_id) as uow:
            if layer_of(kind) != layer_of(span.kind):
                self._check_free(self.store.get_article(span.article_id), span.start, span.end, kind, ignore=span_id)
            uow.update("spans", span_id, {"label": label, "kind": kind, "updated_at": now()})

    @guarded
    def resize(self, span_id: int, start: int, end: int) -> None:
        """Move a gold span's boundaries."""
        span = self.store.span(span_id)
        article = self.store.get_article(span.article_id)
        start, end = self._trimmed(article, start, end)
        with self.store.action("resize", self.annotator, span.article_id) as uow:
            self._check_free(article, start, end, span.kind, ignore=span_id)
            uow.update("spans", span_id, {"start": start, "end": end, "updated_at": now()})

    @guarded
    def delete_span(self, span_id: int) -> None:
        """Remove a gold span and the event arguments that use it."""
        span = self.store.span(span_id)
        with self.store.action("delete", self.annotator, span.article_id) as uow:
            for arg_id in self._args_of(span_id):
                uow.delete("event_args", arg_id)
            uow.delete("spans", span_id)

    @guarded
    def set_status(self, article_id: str, status: str) -> None:
        """Mark an article todo, in progress or done."""
        if status not in STATUSES:
            raise ReviewError(f"unknown status {status!r}")
        self.store.get_article(article_id)
        with self.store.action(f"status:{status}", self.annotator, article_id) as uow:
            set_review(uow, self.store, article_id, self.annotator, status, self.config.annotations_per_article)

    def status(self, article_id: str) -> str:
        """This annotator's status for an article."""
        return self.store.review_status(article_id, self.annotator) or TODO

    def mark_done(self, article_id: str) -> None:
        """Mark an article reviewed."""
        self.set_status(article_id, DONE)

    @guarded
    def undo(self, article_id: str | None) -> str | None:
        """Undo this annotator's latest action in the article; returns what was undone.

        ReviewError (nothing changed) when it would revert a row someone else changed since."""
        try:
            action = self.store.undo(article_id, self.annotator, self._rederive)
        except Conflict as exc:
            raise ReviewError(str(exc)) from exc
        return action.kind if action else None

    @guarded
    def redo(self, article_id: str | None) -> str | None:
        """Redo the latest undone action; returns what was redone (refusals as for :meth:`undo`)."""
        try:
            action = self.store.redo(article_id, self.annotator, self._rederive)
        except Conflict as exc:
            raise ReviewError(str(exc)) from exc
        return action.kind if action else None

    def _rederive(self, _db: Any, action: Action) -> None:
        # The overall status is derived from everyone's reviews: restoring the value this
        # action saw would erase another annotator's progress.
        if action.article_id and any(op["table"] in ("reviews", "articles") for op in action.ops):
            statuses = self.store.reviews(action.article_id)
            self.store.set_overall_status(action.article_id, overall(statuses, self.config.annotations_per_article))

    def entities(self) -> list[Entity]:
        """Canonical entities (merged ones hidden)."""
        return self.kb.list()

    def match(self, query: str, type_: str | None = None, limit: int = 5) -> list[Any]:
        """Ranked canonical-entity candidates for a mention (see ``annotate.entities.matching.Candidate``)."""
        return self.kb.match(query, type_, limit)

    def entity(self, entity_id: str) -> Entity | None:
        """One canonical entity."""
        return self.store.entity(entity_id)

    @guarded
    def link(self, span_id: int, entity_id: str | None) -> None:
        """Link a gold entity span to a canonical entity (None unlinks)."""
        span = self.store.span(span_id)
        if entity_id is not None and self.store.entity(entity_id) is None:
            raise ReviewError(f"no entity {entity_id!r}")
        passed = None
        if entity_id is not None:
            surface = self.store.get_article(span.article_id).text[span.start:span.end]
            passed = self.kb.passed_over(surface, span.label, entity_id)
        with self.store.action("link", self.annotator, span.article_id) as uow:
            kb.link_span(uow, self.store, span_id, entity_id)
            if passed is not None:  # evidence for the matcher, undone with the link
                kb.record_passed_over(uow, passed[0], passed[1], entity_id, self.annotator)

    @guarded
    def link_new(self, span_id: int, name: str | None = None, type_: str | None = None) -> str:
        """Create a canonical entity from a mention and link the mention to it; returns its id."""
        span = self.store.span(span_id)
        text = self.store.get_article(span.article_id).text[span.start:span.end]
        with self.store.action("link_new", self.annotator, span.article_id) as uow:
            entity_id = kb.create_entity(uow, self.store, name or " ".join(text.split()), type_ or span.label)
            kb.link_span(uow, self.store, span_id, entity_id)
        return entity_id

    @guarded
    def accept_link(self, article_id: str, suggestion_id: int, entity_id: str | None,
                    new_name: str | None = None) -> int:
        """Accept a suggestion and link it, in one action: to ``entity_id``, else to a new entity
        (named ``new_name``, else after the mention). Returns the span id."""
        article = self.store.get_article(article_id)
        sug = self.store.suggestion(suggestion_id)
        if sug is None or sug.article_id != article_id:
            raise ReviewError("that suggestion no longer exists (re-suggested?)")
        if entity_id is not None and self.store.entity(entity_id) is None:
            raise ReviewError(f"no entity {entity_id!r}")
        with self.store.action("accept_link", self.annotator, article_id) as uow:
            self._check_free(article, sug.start, sug.end, self.kind_of(sug.label))
            span_id = self._insert_span(uow, article, sug.start, sug.end, sug.label)
            if entity_id is None:
                text = article.text[sug.start:sug.end]
                entity_id = kb.create_entity(uow, self.store, new_name or " ".join(text.split()), sug.label)
            kb.link_span(uow, self.store, span_id, entity_id)
            self._touch(uow, article)
        return span_id
