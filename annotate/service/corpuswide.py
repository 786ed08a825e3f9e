"""Corpus-wide review (``Service.corpuswide``): every occurrence of a span's surface in the other
articles, applied as one action, and the consistency queue with its one-key fix.

Occurrences are found through the FTS5 index (a phrase query on the surface's words), a batch of
candidate articles at a time in ingest order, then located exactly in each verbatim text
(``annotate.corpuswide.surface``): a page of :data:`PAGE` occurrences reads a few batches, not the
corpus. Only this annotator's gold is read and written; other annotators' gold is never touched.

Applying the marked occurrences is one action logged in the source span's article, so ``u`` there
reverts all of it; the consistency fix is one action of the corpus scope (``review.undo(None)``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from annotate.corpuswide.consistency import GOLD, Mention, Row, build_queue
from annotate.corpuswide.occurrences import Occurrence, Page, Source, classify
from annotate.corpuswide.surface import context, find_all, fts_phrase, pattern
from annotate.entities import kb
from annotate.errors import ReviewError, guarded
from annotate.review.state import Item, layer_of, overlaps, pending_suggestions
from annotate.service.context import ServiceContext
from store import consistency as cq
from store import occurrences as oc
from store.actions import UnitOfWork, now
from store.models import ENTITY, Article, Span

PAGE = 200  # occurrences per page
BATCH = 50  # candidate articles read per query


class CorpusWideOps:
    """All occurrences of a surface, and the consistency queue, for one annotator."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.store = ctx.store

    # -- all occurrences ------------------------------------------------------

    def source(self, article_id: str, item: Item) -> Source:
        """The span the reviewer starts from (gold or pending), as :class:`Source`."""
        return Source(article_id, item.start, item.end, item.text, item.label, item.kind, item.kb_id, item.kb_name)

    def occurrences(self, source: Source, after: int = 0, limit: int | None = None) -> Page:
        """The next page of occurrences (``limit``, default :data:`PAGE`) of the source's surface in
        other articles, from the article after rowid ``after``; a page ends at an article boundary."""
        limit = limit or PAGE
        phrase, found_by = fts_phrase(source.text), pattern(source.text)
        if phrase is None or found_by is None or not oc.has_index(self.store):
            return Page((), None)
        annotator = self.ctx.annotator
        found: list[Occurrence] = []
        scanned = 0
        while len(found) < limit:
            batch = oc.candidates(self.store, phrase, source.article_id, after, BATCH)
            if not batch:
                return Page(tuple(found), None, scanned)
            scanned += len(batch)
            hits = {aid: list(find_all(text, source.text, found_by)) for _, aid, _, text in batch}
            ids = [aid for aid, places in hits.items() if places]
            gold = oc.gold_in(self.store, ids, annotator)
            sugs = oc.suggestions_in(self.store, ids)
            rejected = oc.rejections_in(self.store, ids, annotator)
            names = oc.entity_names(self.store, [s.kb_id for spans in gold.values() for s in spans if s.kb_id])
            for rowid, aid, title, text in batch:
                after = rowid
                spans = gold.get(aid, [])
                pending = pending_suggestions(sugs.get(aid, []), spans, rejected.get(aid, set()))
                for start, end in hits[aid]:
                    left, right = context(text, start, end)
                    found.append(Occurrence(aid, title, start, end, text[start:end], left, right,
                                            **classify(source, text, start, end, spans, pending, names)))
                if len(found) >= limit:
                    break
        more = oc.candidates(self.store, phrase, source.article_id, after, 1)
        return Page(tuple(found), after if more else None, scanned)

    @guarded
    def apply_occurrences(self, source: Source, marked: Sequence[Occurrence]) -> tuple[int, int]:
        """Give every marked occurrence the source's label (and its entity, if linked), as one
        action logged in the source's article; returns (changed, left as they were).

        Each is checked again inside the action: an occurrence that meanwhile overlaps a gold span
        of this annotator with other bounds is left, and so is a relabel across layers of a span
        with event arguments."""
        if not marked:
            raise ReviewError("nothing marked: a marks an occurrence, A marks all")
        ctx = self.ctx
        entity_id = source.kb_id if source.kind == ENTITY else None
        if entity_id is not None and self.store.entity(entity_id) is None:
            raise ReviewError(f"no entity {entity_id!r}")
        kind = ctx.kind_of(source.label)
        changed = left = 0
        with self.store.action("apply_occurrences", ctx.annotator, source.article_id) as uow:
            by_article: dict[str, list[Occurrence]] = {}
            for occ in marked:
                by_article.setdefault(occ.article_id, []).append(occ)
            for article_id, occs in by_article.items():
                article = self.store.get_article(article_id)
                made = 0
                for occ in occs:
                    if self._apply_one(uow, article, occ.start, occ.end, source.label, kind, entity_id):
                        made += 1
                    else:
                        left += 1
                if made:
                    ctx.touch(uow, article)
                changed += made
        return changed, left

    def _apply_one(self, uow: UnitOfWork, article: Article, start: int, end: int, label: str, kind: str,
                   entity_id: str | None) -> bool:
        """Make ``start``–``end`` gold ``label`` (linked to ``entity_id``) in the caller's action;
        False when it cannot be (overlap, arguments) or is already so."""
        ctx, store = self.ctx, self.store
        spans = [s for s in store.spans(article.id, ctx.annotator) if layer_of(s.kind) == layer_of(kind)
                 and overlaps(s.start, s.end, start, end)]
        exact = next((s for s in spans if (s.start, s.end) == (start, end)), None)
        if exact is None and spans:
            return False
        if exact is None:
            span_id = ctx.insert_span(uow, article, start, end, label)
            if entity_id is not None:
                kb.link_span(uow, store, span_id, entity_id)
            return True
        return self._change(uow, exact, label, kind, entity_id)

    def _change(self, uow: UnitOfWork, span: Span, label: str | None, kind: str | None,
                entity_id: str | None) -> bool:
        """Relabel (``label``) and link (``entity_id``) one gold span in the caller's action."""
        changed = False
        if label is not None and kind is not None and span.label != label:
            if kind != span.kind and self.ctx.args_of(span.id):
                return False
            uow.update("spans", span.id, {"label": label, "kind": kind, "updated_at": now()})
            changed = True
        if entity_id is not None and kind == ENTITY and span.kb_id != entity_id:
            kb.link_span(uow, self.store, span.id, entity_id)
            changed = True
        return changed

    # -- the consistency queue ------------------------------------------------

    def consistency(self) -> list[Row]:
        """Surfaces this annotator labelled or linked differently, or left untouched in an
        article they worked on while gold elsewhere; most mentions first."""
        annotator = self.ctx.annotator
        gold = cq.gold_mentions(self.store, annotator)
        articles = cq.worked_on(self.store, annotator)
        ids = [a for a, _, _ in articles]
        spans = oc.gold_in(self.store, ids, annotator)
        sugs = oc.suggestions_in(self.store, ids)
        rejected = oc.rejections_in(self.store, ids, annotator)
        pending = {a: pending_suggestions(sugs.get(a, []), spans.get(a, []), rejected.get(a, set())) for a in ids}
        return build_queue(gold, articles, pending)

    def consistency_job(self) -> Callable[[], list[Row]]:
        """:meth:`consistency` as a job for a worker thread, on its own read-only connection
        (the queue reads every gold span of this annotator: seconds on a large corpus)."""
        return self.ctx.apart(lambda ctx: CorpusWideOps(ctx).consistency())

    def entity_names(self, entity_ids: Sequence[str]) -> dict[str, str]:
        """id → name of these canonical entities."""
        return oc.entity_names(self.store, list(entity_ids))

    @guarded
    def fix(self, row: Row) -> int:
        """Give the row's minority mentions the majority label and entity, as one action of the
        corpus scope; returns how many changed. Refused when there is no majority (a tie)."""
        if row.majority_label is None:
            raise ReviewError(f"“{row.surface}” has no majority label (a tie): fix it by hand (Enter opens it)")
        ctx = self.ctx
        label = row.majority_label
        kind = ctx.kind_of(label)
        entity_id = row.majority_kb if kind == ENTITY else None
        minority = row.minority()
        if not minority:
            raise ReviewError("nothing to fix: every mention agrees")
        changed = 0
        with self.store.action("fix_consistency", ctx.annotator, None) as uow:
            articles: dict[str, Article] = {}
            for mention in minority:
                article = articles.get(mention.article_id) or self.store.get_article(mention.article_id)
                articles[article.id] = article
                if self._fix_one(uow, article, mention, label, kind, entity_id):
                    changed += 1
                    ctx.touch(uow, article)
        return changed

    def _fix_one(self, uow: UnitOfWork, article: Article, mention: Mention, label: str, kind: str,
                 entity_id: str | None) -> bool:
        if mention.state == GOLD and mention.span_id is not None:
            try:
                span = self.store.span(mention.span_id)
            except KeyError:
                return False
            return self._change(uow, span, label, kind, entity_id)
        return self._apply_one(uow, article, mention.start, mention.end, label, kind, entity_id)
