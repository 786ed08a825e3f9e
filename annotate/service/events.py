"""Event arguments for the service: attach, accept, reject, replace and remove role fillers.

Each reviewer action on an event frame is one logged action (one undo step). A rejected
suggested argument is a row of ``rejections`` with kind ``arg``: its filler's offsets, and
``role@trigger_start-trigger_end`` as label (never equal to a span suggestion, so span
pending counts and agreement ignore it).
"""

from __future__ import annotations

from dataclasses import dataclass

from annotate.errors import ReviewError, guarded
from annotate.review.state import layer_of, overlaps
from annotate.service.context import ServiceContext
from store import window
from store.actions import UnitOfWork
from store.models import EVENT, Span

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


class EventOps:
    """Event-argument operations of the service (``Service.events``)."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.store = ctx.store

    def add_arg(self, event_span_id: int, role: str, span_id: int) -> int:
        """Attach a gold span as a role filler of a gold event (see :meth:`attach`)."""
        return self.attach(event_span_id, role, span_id=span_id)

    @guarded
    def remove_arg(self, arg_id: int) -> None:
        """Detach an argument."""
        article_id = self.store.arg_article(arg_id)
        if article_id is None:
            raise ReviewError("that argument no longer exists")
        with self.store.action("remove_arg", self.ctx.annotator, article_id) as uow:
            uow.delete("event_args", arg_id)

    def arg_hints(self, article_id: str) -> list[ArgHint]:
        """Suggested event arguments of the article resolved to offsets, less those this annotator rejected."""
        rejected = {(start, end, label) for start, end, label, kind in self.store.rejections(article_id, self.ctx.annotator)
                    if kind == ARG_REJECTION}
        hints = [ArgHint(*row) for row in window.suggested_arg_bounds(self.store.db, article_id)]
        return [h for h in hints if (h.start, h.end, h.rejection_label) not in rejected]

    def _gold_over(self, article_id: str, start: int, end: int, kind: str) -> Span | None:
        """This annotator's gold span in ``kind``'s layer over ``start``–``end`` (same offsets first), or None."""
        hits = [s for s in self.store.spans(article_id, self.ctx.annotator)
                if layer_of(s.kind) == layer_of(kind) and overlaps(s.start, s.end, start, end)]
        hits.sort(key=lambda s: (s.start, s.end) != (start, end))
        return hits[0] if hits else None

    @guarded
    def attach(self, event_span_id: int | None, role: str, *, span_id: int | None = None,
               suggestion_id: int | None = None, replaces: int | None = None, rejects: ArgHint | None = None,
               trigger_suggestion_id: int | None = None) -> int:
        """Attach a role filler to a gold event in one action; returns the argument id.

        The filler is a gold span (``span_id``) or a suggestion (``suggestion_id``: this annotator's
        gold span over it if there is one, else the suggestion is accepted as gold in the same action).
        ``replaces``: an attached argument of the event that takes this role and filler instead (replace);
        ``rejects``: a suggested argument rejected in the same action (a suggestion replaced by another span).
        ``trigger_suggestion_id`` (with ``event_span_id`` None): a pending trigger, accepted in the same action.
        """
        trigger = self.store.suggestion(trigger_suggestion_id) if trigger_suggestion_id is not None else None
        if trigger_suggestion_id is not None and trigger is None:
            raise ReviewError("that suggestion no longer exists (re-suggested?)")
        event = trigger if trigger is not None else self.store.span(event_span_id)  # type: ignore[arg-type]
        if event.kind != EVENT:
            raise ReviewError("arguments attach to event triggers")
        roles = self.ctx.config.event_roles.get(event.label, ())
        if role not in roles:
            raise ReviewError(f"{event.label} has no role {role!r} (roles: {', '.join(roles)})")
        article = self.store.get_article(event.article_id)
        if span_id is None and suggestion_id is None:
            raise ReviewError("choose a span to attach")
        kind = "replace_arg" if replaces is not None or rejects is not None else (
            "accept_arg" if suggestion_id is not None else "add_arg")
        with self.store.action(kind, self.ctx.annotator, article.id) as uow:
            # checked inside the write transaction, as the other actions' overlap checks
            if trigger is not None:  # the pending trigger becomes gold in this same action (one undo step)
                self.ctx.check_free(article, trigger.start, trigger.end, EVENT)
                event_span_id = self.ctx.insert_span(uow, article, trigger.start, trigger.end, trigger.label)
            sug = None
            if span_id is not None:
                filler = self.store.span(span_id)
                if filler.article_id != article.id or filler.annotator != self.ctx.annotator:
                    raise ReviewError("the filler must be one of your spans in this article")
            else:
                sug = self.store.suggestion(suggestion_id)  # type: ignore[arg-type]
                if sug is None or sug.article_id != article.id:
                    raise ReviewError("that suggestion no longer exists (re-suggested?)")
                filler = self._gold_over(article.id, sug.start, sug.end, sug.kind)
            if (filler.kind if filler else sug.kind) == EVENT:  # type: ignore[union-attr]
                raise ReviewError("an argument is an entity or a value span, not a trigger")
            current = {a.id: a for a in self.store.event_args(article.id, self.ctx.annotator)
                       if a.event_id == event_span_id}
            if replaces is not None and replaces not in current:
                raise ReviewError("that argument no longer exists")
            if filler is not None and any(a.role == role and a.span_id == filler.id and a.id != replaces
                                          for a in current.values()):
                raise ReviewError(f"“{article.text[filler.start:filler.end]}” is already the {role} of this event")
            if filler is None:
                assert sug is not None
                filler_id = self.ctx.insert_span(uow, article, sug.start, sug.end, sug.label)
            else:
                filler_id = filler.id
            if rejects is not None:
                self._insert_arg_rejection(uow, article.id, rejects)
            if replaces is not None:
                uow.update("event_args", replaces, {"role": role, "span_id": filler_id})
                arg_id = replaces
            else:
                arg_id = uow.insert("event_args", {"event_id": event_span_id, "role": role, "span_id": filler_id,
                                                   "annotator": self.ctx.annotator})
            self.ctx.touch(uow, article)
        return arg_id

    def _insert_arg_rejection(self, uow: UnitOfWork, article_id: str, hint: ArgHint) -> None:
        uow.insert("rejections", {"article_id": article_id, "annotator": self.ctx.annotator, "start": hint.start,
                                  "end": hint.end, "label": hint.rejection_label, "kind": ARG_REJECTION})

    @guarded
    def reject_arg(self, article_id: str, hint: ArgHint) -> None:
        """Reject a suggested argument (it stays rejected when the article is suggested again)."""
        article = self.store.get_article(article_id)
        with self.store.action("reject_arg", self.ctx.annotator, article_id) as uow:
            self._insert_arg_rejection(uow, article_id, hint)
            self.ctx.touch(uow, article)
