"""Flags and skips (issue 14.8): an annotator marks a gold span, or a whole article, as uncertain
with an optional note, and skips an article (recorded as the review status ``skipped``: not done,
not offered next again).

Reached as ``Service.flags``. Each change is one logged action in the article's scope, so the
article's ``u`` undoes it like any other.
"""

from __future__ import annotations

from annotate.errors import ReviewError, guarded
from annotate.review.status import set_review
from annotate.service.context import ServiceContext
from store import flags as rows
from store.actions import now
from store.convert import flag_to_row
from store.models import SKIPPED, Flag

NOTE_LENGTH = 500  # a note is a reminder, not a report


class FlagOps:
    """Flags and skips of one annotator (``Service.flags``)."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.store = ctx.store

    def flags(self, article_id: str) -> list[Flag]:
        """This annotator's flags in the article (the article's own first)."""
        return rows.flags_of(self.store.db, article_id, self.ctx.annotator)

    def flag_on(self, article_id: str, span_id: int | None = None) -> Flag | None:
        """This annotator's flag on a gold span (None: on the article), if any."""
        return rows.flag_on(self.store.db, article_id, self.ctx.annotator, span_id)

    def flagged_count(self) -> int:
        """Articles this annotator flagged (the article or a span of it)."""
        return rows.flagged_count(self.store.db, self.ctx.annotator)

    def _check_span(self, article_id: str, span_id: int | None) -> None:
        if span_id is None:
            self.store.get_article(article_id)
            return
        span = self.store.span(span_id)
        if span.article_id != article_id or span.annotator != self.ctx.annotator:
            raise ReviewError("only your own gold spans of this article can be flagged")

    @guarded
    def flag(self, article_id: str, span_id: int | None = None, note: str = "") -> int:
        """Flag a gold span of this annotator (None: the article) as uncertain, with ``note``; a flag
        already there gets the new note. Returns the flag's id."""
        note = " ".join(note.split())[:NOTE_LENGTH]
        self._check_span(article_id, span_id)
        annotator = self.ctx.annotator
        with self.store.action("flag", annotator, article_id) as uow:
            # Read inside the write transaction: two processes flagging at once make one flag.
            current = rows.flag_on(self.store.db, article_id, annotator, span_id)
            if current is not None:
                uow.update("flags", current.id, {"note": note})
                return current.id
            return uow.insert("flags", flag_to_row(Flag(0, article_id, annotator, span_id, note, now())))

    @guarded
    def unflag(self, article_id: str, span_id: int | None = None) -> bool:
        """Remove this annotator's flag on a span (None: on the article); False when there was none."""
        annotator = self.ctx.annotator
        with self.store.action("unflag", annotator, article_id) as uow:
            current = rows.flag_on(self.store.db, article_id, annotator, span_id)
            if current is None:
                return False
            uow.delete("flags", current.id)
        return True

    @guarded
    def skip(self, article_id: str) -> None:
        """Record that this annotator skips the article (its gold stays; ``d`` later marks it done)."""
        self.store.get_article(article_id)
        ctx = self.ctx
        with self.store.action("skip", ctx.annotator, article_id) as uow:
            set_review(uow, self.store, article_id, ctx.annotator, SKIPPED, ctx.config.annotations_per_article)

    def skipped(self, article_id: str) -> bool:
        """Whether this annotator skipped the article."""
        return self.store.review_status(article_id, self.ctx.annotator) == SKIPPED
