"""The one API that the TUI and the CLI call.

A :class:`Service` is bound to one database and one annotator. Every method that
changes gold is one logged action, committed before it returns.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotate import kb, suggesting
from annotate.config import Config, ConfigError, config_path_for, load_config
from annotate.entity_service import EntityService
from annotate.errors import ReviewError, guarded
from annotate.ingest import IngestReport, InputError, Progress, ingest
from annotate.labels import kind_of
from annotate.status import set_review
from annotate.suggesting import Batch, SuggestPlan
from annotate.review import GOLD, ReviewState, build_state, check_bounds, layer_of, overlaps, trim
from store.actions import now
from store.db import StoreError
from store.models import DONE, EVENT, IN_PROGRESS, STATUSES, TODO, Article, Entity
from store.repo import Store

__all__ = ["ArgHint", "ConfigError", "InputError", "ReviewError", "Service", "StoreError", "resolve_db"]

DEFAULT_DB = "glossator.db"


def resolve_db(db: str | Path | None) -> Path:
    """``--db``, else ``$GLOSSATOR_DB``, else ``./glossator.db``."""
    return Path(db or os.environ.get("GLOSSATOR_DB") or DEFAULT_DB)


class Service:
    """Facade over store and annotation logic for one annotator."""

    def __init__(self, store: Store, config: Config) -> None:
        self.store = store
        self.config = config
        self.annotator = config.annotator
        self.kb = EntityService(store, self.annotator, config.entity_labels)

    @classmethod
    def open(cls, db: str | Path | None = None, annotator: str | None = None, *, readonly: bool = False) -> Service:
        """Open the database (``--db`` / ``$GLOSSATOR_DB`` / ``./glossator.db``) with its project config."""
        path = resolve_db(db)
        config = load_config(config_path_for(path), annotator=annotator)
        return cls(Store.open(path, readonly=readonly), config)

    def close(self) -> None:
        """Release the database."""
        self.store.close()

    # -- corpus -----------------------------------------------------------

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

    # -- export and import ------------------------------------------------

    def export_jsonl(self, target: str | Path, what: str = "gold", annotator: str | None = None) -> Any:
        """Write the Prodigy-compatible JSONL export atomically; returns its report."""
        from annotate.export_jsonl import export_jsonl

        return export_jsonl(self.store, target, what=what, annotator=annotator)

    @guarded
    def import_jsonl(self, path: Path) -> Any:
        """Import gold from JSONL in one transaction; returns its report."""
        from annotate.import_jsonl import import_jsonl

        return import_jsonl(self.store, path, self.annotator, self.config.entity_labels, self.config.event_roles)

    # -- suggestions ------------------------------------------------------

    def suggest_plan(self, model: str | None = None, force: bool = False) -> SuggestPlan:
        """What a suggest run has to process (loads no model yet)."""
        return suggesting.plan(self.store, model or self.config.model, self.config.event_lexicon, force)

    @guarded
    def save_suggestions(self, plan: SuggestPlan, batch: Batch) -> None:
        """Store one computed batch (call on the thread that opened the service)."""
        suggesting.save(self.store, plan, batch)

    # -- review -----------------------------------------------------------

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
        """Accept every pending suggestion of the article in one undoable action."""
        state = self.state(article_id)
        pending = [i for i in state.items if i.state != GOLD]
        if not pending:
            return 0
        with self.store.action("accept_all", self.annotator, article_id) as uow:
            for item in pending:
                self._insert_span(uow, state.article, item.start, item.end, item.label)
            self._touch(uow, state.article)
        return len(pending)

    @guarded
    def reject(self, article_id: str, suggestion_id: int) -> None:
        """Record that this annotator rejects a suggestion (it survives re-suggesting)."""
        article = self.store.get_article(article_id)
        sug = self.store.suggestion(suggestion_id)
        if sug is None or sug.article_id != article_id:
            raise ReviewError("that suggestion no longer exists (re-suggested?)")
        with self.store.action("reject", self.annotator, article_id) as uow:
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

    def _args_of(self, span_id: int) -> list[int]:
        rows = self.store.db.execute("SELECT id FROM event_args WHERE event_id = ? OR span_id = ?", [span_id, span_id])
        return [r[0] for r in rows]

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
        """Undo this annotator's latest action in the article; returns what was undone."""
        action = self.store.undo(article_id, self.annotator)
        return action.kind if action else None

    @guarded
    def redo(self, article_id: str | None) -> str | None:
        """Redo the latest undone action; returns what was redone."""
        action = self.store.redo(article_id, self.annotator)
        return action.kind if action else None

    # -- event arguments --------------------------------------------------

    @guarded
    def add_arg(self, event_span_id: int, role: str, span_id: int) -> int:
        """Attach a role filler to a gold event."""
        event = self.store.span(event_span_id)
        filler = self.store.span(span_id)
        if event.kind != EVENT:
            raise ReviewError("arguments attach to event triggers")
        if filler.kind == EVENT:
            raise ReviewError("an argument is an entity or a value span, not a trigger")
        roles = self.config.event_roles.get(event.label, ())
        if role not in roles:
            raise ReviewError(f"{event.label} has no role {role!r} (roles: {', '.join(roles)})")
        with self.store.action("add_arg", self.annotator, event.article_id) as uow:
            return uow.insert("event_args", {"event_id": event_span_id, "role": role, "span_id": span_id,
                                             "annotator": self.annotator})

    @guarded
    def remove_arg(self, arg_id: int) -> None:
        """Detach an argument."""
        row = self.store.db.execute(
            "SELECT s.article_id FROM event_args a JOIN spans s ON s.id = a.event_id WHERE a.id = ?", [arg_id]
        ).fetchone()
        if row is None:
            raise ReviewError("that argument no longer exists")
        with self.store.action("remove_arg", self.annotator, row[0]) as uow:
            uow.delete("event_args", arg_id)

    # -- canonical entities -----------------------------------------------

    def entities(self) -> list[Entity]:
        """Canonical entities (merged ones hidden)."""
        return self.kb.list()

    def match(self, query: str, type_: str | None = None, limit: int = 5) -> list[Any]:
        """Ranked canonical-entity candidates for a mention (see ``annotate.matching.Candidate``)."""
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
        with self.store.action("link", self.annotator, span.article_id) as uow:
            kb.link_span(uow, self.store, span_id, entity_id)

    @guarded
    def link_new(self, span_id: int, name: str | None = None, type_: str | None = None) -> str:
        """Create a canonical entity from a mention and link the mention to it; returns its id."""
        span = self.store.span(span_id)
        text = self.store.get_article(span.article_id).text[span.start:span.end]
        with self.store.action("link_new", self.annotator, span.article_id) as uow:
            entity_id = kb.create_entity(uow, self.store, name or " ".join(text.split()), type_ or span.label)
            kb.link_span(uow, self.store, span_id, entity_id)
        return entity_id

    # -- reliability (issue 9) --

    def backup(self, target: str | Path | None = None) -> Any:
        """Consistent online copy of the database (SQLite backup API), atomically written;
        returns its :class:`annotate.backup.BackupReport`. Safe while others write."""
        from annotate.backup import backup

        return backup(self.store.db.conn, self.store.path or resolve_db(None), target)

    # -- training data (issue 7) --------------------------------------------
    # Thin wrappers over annotate/export_formats, export_spacy, brat, evaluate and timeline.

    def export_data(self, target: str | Path, fmt: str = "jsonl", what: str = "gold",
                    statuses: Sequence[str] | None = None, annotator: str | None = None,
                    since: str | None = None, until: str | None = None, labels: Sequence[str] | None = None,
                    eval_split: float = 0.2, seed: int = 0) -> Any:
        """Export in any format (jsonl, spacy, doccano, conll, brat) with filters; returns the report.
        Files are written atomically, folders (spacy, brat) are replaced whole."""
        from annotate.export_formats import ExportFilters, export

        filters = ExportFilters(what=what, statuses=tuple(statuses) if statuses else None, annotator=annotator,
                                since=since, until=until, labels=frozenset(labels) if labels else None)
        return export(self.store, target, fmt, filters, self.config.entity_labels, eval_split=eval_split, seed=seed,
                      event_roles=self.config.event_roles)

    @guarded
    def import_brat(self, folder: Path) -> Any:
        """Import a folder of brat ``.txt``/``.ann`` files as gold in one transaction; returns its report."""
        from annotate.brat import import_brat

        return import_brat(self.store, Path(folder), self.annotator, self.config.entity_labels,
                           self.config.event_roles)

    def evaluate(self, model: str | None = None) -> Any:
        """Score a spaCy pipeline (name or folder; default: the project model) against the gold."""
        from annotate.evaluate import evaluate

        return evaluate(self.store, model or self.config.model)

    def events_timeline(self) -> list[Any]:
        """Gold events of reviewed articles by date, with arguments and canonical names."""
        from annotate.timeline import events

        return events(self.store, self.config.event_roles)

    def render_timeline(self, timeline: list[Any]) -> str:
        """The timeline as plain text for the terminal."""
        from annotate.timeline import render

        return render(timeline)

    # -- teams (issue 8) --
    # Thin wrappers over annotate/team (merge), agreement (figures and adjudication rows) and stats.

    @guarded
    def merge_copy(self, path: str | Path) -> Any:
        """Merge an annotator's copy of the database into this one (one transaction); returns its MergeReport."""
        from annotate.team import merge_database

        return merge_database(self.store, path, self.annotator, self.config.annotations_per_article)

    def agreement(self, annotators: Sequence[str] | None = None) -> Any:
        """Inter-annotator agreement over the articles each pair marked done (an AgreementReport)."""
        from annotate.agreement import compute

        return compute(self.store, annotators)

    def team_stats(self, duplicates: bool = True) -> Any:
        """Progress, throughput, labels and entities (a Stats); ``duplicates=False`` skips clustering."""
        from annotate.stats import compute

        return compute(self.store, duplicates)

    def adjudication(self, article_id: str) -> Any:
        """The other annotators' gold of an article aligned in rows, with this annotator's (the reviewer's) gold."""
        from annotate.agreement import build_adjudication

        return build_adjudication(self.store, article_id, self.annotator)

    def adjudication_articles(self) -> list[str]:
        """Articles with gold from at least two annotators other than this one, in ingest order."""
        rows = self.store.db.execute(
            """SELECT article_id FROM spans WHERE annotator != ? GROUP BY article_id
               HAVING count(DISTINCT annotator) >= 2""", [self.annotator]).fetchall()
        found = {r[0] for r in rows}
        return [a for a in self.store.article_ids() if a in found]

    @guarded
    def adjudicate_start(self, article_id: str) -> int:
        """Pre-accept the agreed rows as this reviewer's gold, in one action, if they have no gold yet."""
        from annotate.team import preaccept

        adj = self.adjudication(article_id)
        if len(adj.annotators) < 2:
            raise ReviewError("adjudication needs the gold of at least two other annotators")
        article = self.store.get_article(article_id)
        with self.store.action("adjudicate_agreed", self.annotator, article_id) as uow:
            made = preaccept(uow, self.store, adj, lambda m: self._insert_span(uow, article, m.start, m.end,
                                                                               m.label, m.kb_id))
            if made:
                self._touch(uow, article)
        return made

    @guarded
    def adjudicate_pick(self, article_id: str, row_index: int, annotator: str | None) -> int:
        """Make one annotator's version of a row the reviewer's gold there (None: nothing there); one action."""
        from annotate.team import pick

        adj = self.adjudication(article_id)
        if not 0 <= row_index < len(adj.rows):
            raise ReviewError("that row no longer exists")
        if annotator is not None and annotator not in adj.annotators:
            raise ReviewError(f"{annotator} has no gold in this article")
        article = self.store.get_article(article_id)
        with self.store.action("adjudicate", self.annotator, article_id) as uow:
            made = pick(uow, self.store, adj, adj.rows[row_index], annotator,
                        lambda m: self._insert_span(uow, article, m.start, m.end, m.label, m.kb_id))
            self._touch(uow, article)
        return made

    # -- events in the app (issue 6) --
    # Thin: each reviewer action on an event frame is one logged action (one undo step).
    # A rejected suggested argument is a row of ``rejections`` with kind ``arg``: its filler's
    # offsets, and ``role@trigger_start-trigger_end`` as label (no schema change; never equal to
    # a span suggestion, so span pending counts and agreement ignore it).

    def arg_hints(self, article_id: str) -> list[ArgHint]:
        """Suggested event arguments of the article resolved to offsets, less those this annotator rejected."""
        suggestions = {s.id: s for s in self.store.suggestions(article_id)}
        rejected = {(start, end, label) for start, end, label, kind in self.store.rejections(article_id, self.annotator)
                    if kind == ARG_REJECTION}
        hints = []
        for arg in self.store.suggested_args(article_id):
            trigger, filler = suggestions.get(arg.event_id), suggestions.get(arg.span_id)
            if trigger is None or filler is None:
                continue
            hint = ArgHint(trigger.start, trigger.end, trigger.label, arg.role, filler.id, filler.start, filler.end,
                           filler.label)
            if (filler.start, filler.end, hint.rejection_label) not in rejected:
                hints.append(hint)
        return hints

    def _gold_over(self, article_id: str, start: int, end: int, kind: str) -> Any:
        """This annotator's gold span in ``kind``'s layer over ``start``–``end`` (same offsets first), or None."""
        hits = [s for s in self.store.spans(article_id, self.annotator)
                if layer_of(s.kind) == layer_of(kind) and overlaps(s.start, s.end, start, end)]
        hits.sort(key=lambda s: (s.start, s.end) != (start, end))
        return hits[0] if hits else None

    @guarded
    def attach(self, event_span_id: int, role: str, *, span_id: int | None = None, suggestion_id: int | None = None,
               replaces: int | None = None, rejects: ArgHint | None = None) -> int:
        """Attach a role filler to a gold event in one action; returns the argument id.

        The filler is a gold span (``span_id``) or a suggestion (``suggestion_id``: this annotator's
        gold span over it if there is one, else the suggestion is accepted as gold in the same action).
        ``replaces``: an attached argument of the event that takes this role and filler instead (replace);
        ``rejects``: a suggested argument rejected in the same action (a suggestion replaced by another span).
        """
        event = self.store.span(event_span_id)
        if event.kind != EVENT:
            raise ReviewError("arguments attach to event triggers")
        roles = self.config.event_roles.get(event.label, ())
        if role not in roles:
            raise ReviewError(f"{event.label} has no role {role!r} (roles: {', '.join(roles)})")
        article = self.store.get_article(event.article_id)
        if span_id is None and suggestion_id is None:
            raise ReviewError("choose a span to attach")
        kind = "replace_arg" if replaces is not None or rejects is not None else (
            "accept_arg" if suggestion_id is not None else "add_arg")
        with self.store.action(kind, self.annotator, article.id) as uow:
            # checked inside the write transaction, as the other actions' overlap checks
            sug = None
            if span_id is not None:
                filler = self.store.span(span_id)
                if filler.article_id != article.id or filler.annotator != self.annotator:
                    raise ReviewError("the filler must be one of your spans in this article")
            else:
                sug = self.store.suggestion(suggestion_id)  # type: ignore[arg-type]
                if sug is None or sug.article_id != article.id:
                    raise ReviewError("that suggestion no longer exists (re-suggested?)")
                filler = self._gold_over(article.id, sug.start, sug.end, sug.kind)
            if (filler.kind if filler else sug.kind) == EVENT:  # type: ignore[union-attr]
                raise ReviewError("an argument is an entity or a value span, not a trigger")
            current = {a.id: a for a in self.store.event_args(article.id, self.annotator)
                       if a.event_id == event_span_id}
            if replaces is not None and replaces not in current:
                raise ReviewError("that argument no longer exists")
            if filler is not None and any(a.role == role and a.span_id == filler.id and a.id != replaces
                                          for a in current.values()):
                raise ReviewError(f"“{article.text[filler.start:filler.end]}” is already the {role} of this event")
            if filler is None:
                assert sug is not None
                filler_id = self._insert_span(uow, article, sug.start, sug.end, sug.label)
            else:
                filler_id = filler.id
            if rejects is not None:
                self._insert_arg_rejection(uow, article.id, rejects)
            if replaces is not None:
                uow.update("event_args", replaces, {"role": role, "span_id": filler_id})
                arg_id = replaces
            else:
                arg_id = uow.insert("event_args", {"event_id": event_span_id, "role": role, "span_id": filler_id,
                                                   "annotator": self.annotator})
            self._touch(uow, article)
        return arg_id

    def _insert_arg_rejection(self, uow: Any, article_id: str, hint: ArgHint) -> None:
        uow.insert("rejections", {"article_id": article_id, "annotator": self.annotator, "start": hint.start,
                                  "end": hint.end, "label": hint.rejection_label, "kind": ARG_REJECTION})

    @guarded
    def reject_arg(self, article_id: str, hint: ArgHint) -> None:
        """Reject a suggested argument (it stays rejected when the article is suggested again)."""
        article = self.store.get_article(article_id)
        with self.store.action("reject_arg", self.annotator, article_id) as uow:
            self._insert_arg_rejection(uow, article_id, hint)
            self._touch(uow, article)

    def last_position(self, article_id: str) -> tuple[int, int] | None:
        """Offsets of the span this annotator last acted on in the article (from the action log), or None.

        Undo and redo count as acting on their target's span; status changes are skipped. For an
        argument action it is the event's trigger.
        """
        actions = [a for a in self.store.history(article_id, limit=500) if a.annotator == self.annotator]
        by_id = {a.id: a for a in actions}
        for action in actions:
            target = by_id.get(action.undoes or action.redoes or -1) if action.kind in ("undo", "redo") else action
            for op in reversed(target.ops if target else ()):
                found = self._op_position(op)
                if found:
                    return found
        return None

    def _op_position(self, op: dict[str, Any]) -> tuple[int, int] | None:
        rows = [r for r in (op.get("after"), op.get("before")) if r]
        if op["table"] == "event_args":
            event_id = next((r["event_id"] for r in rows if "event_id" in r), None)
            if event_id is None:
                row = self.store.db.execute("SELECT event_id FROM event_args WHERE id = ?", [op["pk"]]).fetchone()
                event_id = row[0] if row else None
            op = {"table": "spans", "pk": event_id}
            rows = []
        if op["table"] == "spans":
            try:
                span = self.store.span(op["pk"])
                return span.start, span.end
            except KeyError:
                pass
        if op["table"] in ("spans", "rejections"):
            row = next((r for r in rows if "start" in r and "end" in r), None)
            return (row["start"], row["end"]) if row else None
        return None


ARG_REJECTION = "arg"


@dataclass(frozen=True)
class ArgHint:
    """A suggested event argument resolved to offsets (trigger and filler are suggestions)."""

    trigger_start: int
    trigger_end: int
    trigger_label: str
    role: str
    suggestion_id: int  # the filler's suggestion
    start: int
    end: int
    label: str

    @property
    def rejection_label(self) -> str:
        """How a rejection of this argument is recorded (``label`` of a ``rejections`` row)."""
        return f"{self.role}@{self.trigger_start}-{self.trigger_end}"
