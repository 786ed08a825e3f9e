"""Reviewing one article's gold: its review state, accepting and rejecting suggestions, adding,
relabelling, resizing and deleting spans, the article's status, undo and redo.

Every method that changes gold is one logged action, committed before it returns (undo and
redo act on this annotator's log in the article, or in the corpus scope for ``None``).
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from annotate.entities import kb
from annotate.errors import ReviewError, guarded
from annotate.review.state import GOLD, PENDING, Item, ReviewState, layer_of, overlaps
from annotate.review.status import overall, set_review
from annotate.service import catchup, linking, resizing
from annotate.service.context import ServiceContext
from annotate.service.resizing import Resized
from store.actions import Conflict, logged_action, now
from store.models import DONE, ENTITY, STATUSES, TODO, Action

if TYPE_CHECKING:
    from annotate.service.entities import EntityOps


class ReviewOps:
    """Gold of one annotator, one action at a time (``Service.review``)."""

    def __init__(self, ctx: ServiceContext, entities: EntityOps | None = None) -> None:
        self.ctx = ctx
        self.store = ctx.store
        self.entities = entities  # for confident links on accept (None: none)

    def link_on_accept(self, article_id: str, suggestion_id: int, label: str | None = None,
                       bounds: tuple[int, int] | None = None) -> str | None:
        """The entity that accepting this suggestion (relabelled, resized) links it to in the same
        key: the one its surface is linked to in the article, else a confident top candidate."""
        sug = self.store.suggestion(suggestion_id)
        if sug is None or sug.article_id != article_id or self.entities is None:
            return None
        start, end = bounds or (sug.start, sug.end)
        return linking.link_for_accept(self.ctx, self.entities, article_id, start, end, label or sug.label)

    def kind_of(self, label: str) -> str:
        """Layer of a label; ReviewError when the label is unknown."""
        return self.ctx.kind_of(label)

    def state(self, article_id: str) -> ReviewState:
        """The article with this annotator's gold and the suggestions still pending."""
        return self.ctx.review_state(article_id)

    def catch_up(self, state: ReviewState) -> ReviewState:
        """``state`` after the actions logged since it was read, patched over what they changed
        (``annotate.service.catchup``; equal to :meth:`state` read now, at the cost of the change)."""
        return catchup.catch_up(self.ctx, state)

    @guarded
    def accept(self, article_id: str, suggestion_id: int, label: str | None = None,
               bounds: tuple[int, int] | None = None) -> int:
        """Make a suggestion gold (optionally relabelled or with new bounds); returns the span id.

        An entity mention is linked in the same action when :meth:`link_on_accept` names an entity
        (then its identical mentions in the article are linked too). New bounds reach the pending
        twins of the suggestion too, as :meth:`accept_resized` says."""
        return self._accept(article_id, suggestion_id, label, bounds).span_id

    @guarded
    def accept_resized(self, article_id: str, suggestion_id: int, start: int, end: int) -> Resized:
        """Accept a suggestion with new bounds; with ``[review] resize_propagates`` its pending twins
        in the article get the same change in the same action (``resizing``: same text, same label,
        the same characters beside them). Returns the span id and how many twins were resized."""
        return self._accept(article_id, suggestion_id, None, (start, end))

    def _accept(self, article_id: str, suggestion_id: int, label: str | None,
                bounds: tuple[int, int] | None) -> Resized:
        ctx = self.ctx
        article = self.store.get_article(article_id)
        sug = self.store.suggestion(suggestion_id)
        if sug is None or sug.article_id != article_id:
            raise ReviewError("that suggestion no longer exists (re-suggested?)")
        start, end = bounds or (sug.start, sug.end)
        label = label or sug.label
        kind = "accept" if (label, start, end) == (sug.label, sug.start, sug.end) else "accept_edited"
        entity_id = self.link_on_accept(article_id, suggestion_id, label, (start, end))
        with self.store.action("accept_link" if entity_id else kind, ctx.annotator, article_id) as uow:
            ctx.check_free(article, start, end, ctx.kind_of(label))
            source = Item(sug.start, sug.end, sug.label, sug.kind, PENDING, article.text[sug.start:sug.end],
                          suggestion_id=sug.id)
            found = resizing.reached(ctx, article, source, (start, end), label)
            span_id = ctx.insert_span(uow, article, start, end, label)
            others = resizing.resize_twins(uow, ctx, article, found, label)
            if entity_id is not None:  # linked in the same key, and so are its identical mentions (the twins too)
                kb.link_span(uow, self.store, span_id, entity_id)
                linking.propagate(uow, ctx, article, span_id, entity_id)
            ctx.touch(uow, article)
        return Resized(span_id, others)

    def accept_all_links(self, article_id: str) -> dict[int, str]:
        """Suggestion id → the entity that :meth:`accept_all` links it to (the ones it links)."""
        return {item.suggestion_id: entity for item, entity in self._accept_all_plan(self.state(article_id))
                if entity is not None and item.suggestion_id is not None}

    def _accept_all_plan(self, state: ReviewState) -> list[tuple[Item, str | None]]:
        """What accept-all accepts, in text order, each with the entity it links it to: as `a` one
        after the other would (the surface's entity in the article, else a confident top candidate)."""
        config = self.ctx.config
        taken = [(g.start, g.end, layer_of(g.kind)) for g in state.items if g.state == GOLD]
        here = (linking.surface_links((g.text, g.kb_id) for g in state.items if g.state == GOLD and g.kind == ENTITY)
                if config.propagate_links else {})
        confident: dict[tuple[str, str], str | None] = {}
        plan: list[tuple[Item, str | None]] = []
        for item in state.items:
            if item.state == GOLD:
                continue
            layer = layer_of(item.kind)
            if any(lay == layer and overlaps(s, e, item.start, item.end) for s, e, lay in taken):
                continue
            taken.append((item.start, item.end, layer))
            entity = None
            key = linking.surface_key(item.text) if item.kind == ENTITY else ""
            if key and config.propagate_links and key in here:
                entity = here[key].most_common(1)[0][0]
            elif key and config.confident_links and self.entities is not None:
                if (key, item.label) not in confident:
                    confident[(key, item.label)] = linking.confident_entity(self.entities, item.text, item.label)
                entity = confident[(key, item.label)]
            if entity is not None and config.propagate_links:
                here.setdefault(key, Counter())[entity] += 1
            plan.append((item, entity))
        return plan

    @guarded
    def accept_all(self, article_id: str) -> int:
        """Accept every pending suggestion of the article in one undoable action; returns how many.

        A pending suggestion that overlaps one accepted before it (in text order, same layer) is
        left out: gold never overlaps within a layer. Entity mentions are linked as `a` links them
        (:meth:`accept_all_links`), and so are this annotator's unlinked gold mentions that read the
        same, in the same action."""
        ctx = self.ctx
        with self.store.action("accept_all", ctx.annotator, article_id) as uow:
            # Read inside the write transaction: a second process pressing A at the same time
            # waits here and then finds nothing pending, instead of accepting everything again.
            state = self.state(article_id)
            made = 0
            linked: dict[str, str] = {}
            for item, entity in self._accept_all_plan(state):
                span_id = ctx.insert_span(uow, state.article, item.start, item.end, item.label)
                if entity is not None:
                    kb.link_span(uow, self.store, span_id, entity)
                    linked.setdefault(linking.surface_key(item.text), entity)
                made += 1
            if ctx.config.propagate_links:
                for g in state.items:
                    if g.state == GOLD and g.kind == ENTITY and g.kb_id is None and g.span_id is not None:
                        entity = linked.get(linking.surface_key(g.text))
                        if entity is not None:
                            kb.link_span(uow, self.store, g.span_id, entity)
            if made:
                ctx.touch(uow, state.article)
        return made

    @guarded
    def accept_link(self, article_id: str, suggestion_id: int, entity_id: str | None,
                    new_name: str | None = None, new_id: str | None = None) -> int:
        """Accept a suggestion and link it, in one action: to ``entity_id``, else to a new entity
        (named ``new_name``, else after the mention; its id ``new_id``, else the name's slug).
        Returns the span id."""
        ctx = self.ctx
        article = self.store.get_article(article_id)
        sug = self.store.suggestion(suggestion_id)
        if sug is None or sug.article_id != article_id:
            raise ReviewError("that suggestion no longer exists (re-suggested?)")
        if entity_id is not None and self.store.entity(entity_id) is None:
            raise ReviewError(f"no entity {entity_id!r}")
        if entity_id is None and new_id is not None and (problem := kb.id_problem(self.store, new_id)):
            raise ReviewError(problem)
        with self.store.action("accept_link", ctx.annotator, article_id) as uow:
            ctx.check_free(article, sug.start, sug.end, ctx.kind_of(sug.label))
            span_id = ctx.insert_span(uow, article, sug.start, sug.end, sug.label)
            if entity_id is None:
                text = article.text[sug.start:sug.end]
                entity_id = linking.new_entity(uow, ctx, article_id, text, sug.label, new_name, new_id)
            kb.link_span(uow, self.store, span_id, entity_id)
            linking.propagate(uow, ctx, article, span_id, entity_id)
            ctx.touch(uow, article)
        return span_id

    @guarded
    def reject(self, article_id: str, suggestion_id: int) -> None:
        """Record that this annotator rejects a suggestion (it survives re-suggesting)."""
        annotator = self.ctx.annotator
        article = self.store.get_article(article_id)
        sug = self.store.suggestion(suggestion_id)
        if sug is None or sug.article_id != article_id:
            raise ReviewError("that suggestion no longer exists (re-suggested?)")
        with self.store.action("reject", annotator, article_id) as uow:
            if (sug.start, sug.end, sug.label, sug.kind) in self.store.rejections(article_id, annotator):
                return  # already rejected (by another process of this annotator): nothing to log
            _insert_rejection(uow, annotator, sug)
            self.ctx.touch(uow, article)

    @guarded
    def reject_label(self, article_id: str, label: str) -> int:
        """Reject every pending suggestion labelled ``label`` in the article, in one undoable action;
        returns how many."""
        annotator = self.ctx.annotator
        article = self.store.get_article(article_id)
        with self.store.action("reject_label", annotator, article_id) as uow:
            # read inside the write transaction, as accept_all does
            found = (self.store.suggestion(i.suggestion_id) for i in self.state(article_id).items
                     if i.state == PENDING and i.label == label and i.suggestion_id is not None)
            rows = [sug for sug in found if sug is not None]
            for sug in rows:
                _insert_rejection(uow, annotator, sug)
            if rows:
                self.ctx.touch(uow, article)
        return len(rows)

    @guarded
    def add_span(self, article_id: str, start: int, end: int, label: str) -> int:
        """Create a gold span (whitespace trimmed); refuses overlaps within its layer. An entity span
        whose surface is already linked in the article is linked the same, in the same action
        (``[review] propagate_links``); with ``[review] propagate_spans`` the same text elsewhere in
        the article (whole words, where the layer is free) gets a span too, in the same action."""
        ctx = self.ctx
        article = self.store.get_article(article_id)
        start, end = ctx.trimmed(article, start, end)
        kind = ctx.kind_of(label)
        with self.store.action("add", ctx.annotator, article_id) as uow:
            ctx.check_free(article, start, end, kind)
            # read inside the write transaction, like the overlap check
            here = (linking.linked_here(ctx, article_id, article.text[start:end])
                    if kind == ENTITY and ctx.config.propagate_links else None)
            span_id = ctx.insert_span(uow, article, start, end, label)
            if here is not None:
                kb.link_span(uow, self.store, span_id, here)
            if ctx.config.propagate_spans:  # the same surface elsewhere in the article, in the same action
                taken = [(s.start, s.end) for s in self.store.spans(article_id, ctx.annotator)
                         if layer_of(s.kind) == layer_of(kind)]
                for at, to in linking.other_occurrences(article.text, start, end):
                    if not any(overlaps(a, b, at, to) for a, b in taken):
                        ctx.insert_span(uow, article, at, to, label, kb_id=here)
                        taken.append((at, to))
            ctx.touch(uow, article)
        return span_id

    @guarded
    def relabel(self, span_id: int, label: str) -> None:
        """Change a gold span's label (its layer may change too)."""
        ctx = self.ctx
        span = self.store.span(span_id)
        kind = ctx.kind_of(label)
        if kind != span.kind and ctx.args_of(span_id):
            raise ReviewError("this span is an event or an argument; detach its arguments first")
        with self.store.action("relabel", ctx.annotator, span.article_id) as uow:
            if layer_of(kind) != layer_of(span.kind):
                ctx.check_free(self.store.get_article(span.article_id), span.start, span.end, kind, ignore=span_id)
            uow.update("spans", span_id, {"label": label, "kind": kind, "updated_at": now()})

    @guarded
    def resize(self, span_id: int, start: int, end: int) -> Resized:
        """Move a gold span's boundaries; with ``[review] resize_propagates`` the article's pending
        twins of the span get the same change in the same action (``resizing``: same text, same
        label, the same characters beside them), linked as the span is. Returns how many."""
        ctx = self.ctx
        span = self.store.span(span_id)
        article = self.store.get_article(span.article_id)
        start, end = ctx.trimmed(article, start, end)
        with self.store.action("resize", ctx.annotator, span.article_id) as uow:
            ctx.check_free(article, start, end, span.kind, ignore=span_id)
            source = Item(span.start, span.end, span.label, span.kind, GOLD, article.text[span.start:span.end],
                          span_id=span_id)
            found = resizing.reached(ctx, article, source, (start, end), span.label)
            uow.update("spans", span_id, {"start": start, "end": end, "updated_at": now()})
            entity_id = None
            if found and span.kind == ENTITY and ctx.config.propagate_links:
                entity_id = span.kb_id or linking.linked_here(ctx, article.id, article.text[start:end])
            others = resizing.resize_twins(uow, ctx, article, found, span.label, entity_id)
        return Resized(span_id, others)

    @guarded
    def delete_span(self, span_id: int) -> None:
        """Remove a gold span and the event arguments that use it."""
        span = self.store.span(span_id)
        with self.store.action("delete", self.ctx.annotator, span.article_id) as uow:
            for arg_id in self.ctx.args_of(span_id):
                uow.delete("event_args", arg_id)
            uow.delete("spans", span_id)

    @guarded
    def set_status(self, article_id: str, status: str) -> None:
        """Mark an article todo, in progress or done."""
        if status not in STATUSES:
            raise ReviewError(f"unknown status {status!r}")
        self.store.get_article(article_id)
        ctx = self.ctx
        with self.store.action(f"status:{status}", ctx.annotator, article_id) as uow:
            set_review(uow, self.store, article_id, ctx.annotator, status, ctx.config.annotations_per_article)

    def status(self, article_id: str) -> str:
        """This annotator's status for an article."""
        return self.store.review_status(article_id, self.ctx.annotator) or TODO

    def mark_done(self, article_id: str) -> None:
        """Mark an article reviewed."""
        self.set_status(article_id, DONE)

    @guarded
    def undo(self, article_id: str | None) -> str | None:
        """Undo this annotator's latest action in the article; returns what was undone.

        ReviewError (nothing changed) when it would revert a row someone else changed since."""
        try:
            action = self.store.undo(article_id, self.ctx.annotator, self._rederive)
        except Conflict as exc:
            raise ReviewError(str(exc)) from exc
        return action.kind if action else None

    @guarded
    def redo(self, article_id: str | None) -> str | None:
        """Redo the latest undone action; returns what was redone (refusals as for :meth:`undo`)."""
        try:
            action = self.store.redo(article_id, self.ctx.annotator, self._rederive)
        except Conflict as exc:
            raise ReviewError(str(exc)) from exc
        return action.kind if action else None

    def _rederive(self, _db: object, action: Action) -> None:
        # The overall status is derived from everyone's reviews: restoring the value this
        # action saw would erase another annotator's progress.
        # An action may touch several articles (all occurrences, a consistency fix): each one's.
        touched = {op["pk"] for op in action.ops if op["table"] == "articles"}
        touched |= {op["pk"][0] for op in action.ops if op["table"] == "reviews"}
        for article_id in sorted(touched):
            statuses = self.store.reviews(article_id)
            self.store.set_overall_status(article_id, overall(statuses, self.ctx.config.annotations_per_article))

    def last_position(self, article_id: str) -> tuple[int, int] | None:
        """Offsets of the span this annotator last acted on in the article (from the action log), or None.

        Undo and redo count as acting on their target's span; status changes are skipped. For an
        argument action it is the event's trigger.
        """
        # Newest first, a few at a time: the latest action is nearly always the one (after an undo
        # or a redo, the action it replays, read by id when it is older than the page).
        for limit in (20, 500):
            actions = self.store.history(article_id, limit=limit, annotator=self.ctx.annotator)
            by_id = {a.id: a for a in actions}
            for action in actions:
                target = action
                if action.kind in ("undo", "redo"):
                    replayed = action.undoes or action.redoes or -1
                    target = by_id.get(replayed) or logged_action(self.store.db, replayed)
                for op in reversed(target.ops if target else ()):
                    found = self._op_position(op)
                    if found:
                        return found
            if len(actions) < limit:
                break
        return None

    def _op_position(self, op: dict[str, Any]) -> tuple[int, int] | None:
        rows = [r for r in (op.get("after"), op.get("before")) if r]
        if op["table"] == "event_args":
            event_id = next((r["event_id"] for r in rows if "event_id" in r), None)
            if event_id is None:
                event_id = self.store.arg_event(op["pk"])
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


def _insert_rejection(uow: Any, annotator: str, sug: Any) -> None:
    """The rejection row of one suggestion (``reject`` and ``reject_label``)."""
    uow.insert("rejections", {"article_id": sug.article_id, "annotator": annotator, "start": sug.start,
                              "end": sug.end, "label": sug.label, "kind": sug.kind})
