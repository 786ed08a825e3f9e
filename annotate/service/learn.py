"""The model side of the service: planning and saving suggestions, evaluating a pipeline against
the gold, the uncertainty queue and calibrated bulk accept (see ``annotate.learn.review_ops``)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING

from annotate.errors import ReviewError, guarded
from annotate.learn.review_ops import BulkPlan, choose_bulk
from annotate.review.state import pending_suggestions
from annotate.service.context import ServiceContext
from annotate.suggest import run as suggesting
from annotate.suggest.run import Batch, SuggestPlan
from store.models import Suggestion
from store.repo import Store

if TYPE_CHECKING:  # imported where used: evaluation loads spaCy
    from annotate.learn.compare import Comparison
    from annotate.learn.evaluate import EvalReport
    from annotate.learn.train import TrainingInput


class LearnOps:
    """Suggestions in, confidence out (``Service.learn``)."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.store = ctx.store

    def suggest_plan(self, model: str | None = None, force: bool = False) -> SuggestPlan:
        """What a suggest run has to process (loads no model yet)."""
        config = self.ctx.config
        return suggesting.plan(self.store, model or config.model, config.event_lexicon, force)

    @guarded
    def save_suggestions(self, plan: SuggestPlan, batch: Batch) -> None:
        """Store one computed batch (call on the thread that opened the service)."""
        suggesting.save(self.store, plan, batch)

    def evaluate(self, model: str | None = None) -> EvalReport | Comparison:
        """Score a spaCy pipeline (name or folder; default: the project model) against the gold."""
        from annotate.learn.evaluate import evaluate

        if model is None:  # the project model, and beside it the newest `glossator train` version
            from annotate.learn.compare import evaluate_with_trained

            return evaluate_with_trained(self.store, self.ctx.config.model)
        return evaluate(self.store, model)

    def training_input(self, ner: bool = True) -> TrainingInput:
        """What ``glossator train`` reads from the database, read now (this thread), for
        :func:`annotate.learn.train.run` in a worker; refuses when no article is marked done."""
        from annotate.learn.train import gather

        config = self.ctx.config
        return gather(self.store, config.model, config.event_lexicon, ner)

    def model_meta(self) -> dict | None:
        """``meta.json`` of the newest trained version (None: no model trained yet); reads no database."""
        from annotate.learn.artifact import versions

        found = versions(self.store.path) if self.store.path is not None else []
        if not found:
            return None
        return json.loads((found[-1][1] / "meta.json").read_text(encoding="utf-8"))

    def scores(self, article_id: str) -> dict[int, float | None]:
        """Confidence of each of the article's suggestions (suggestion id → score; None: unscored)."""
        return {s.id: s.score for s in self.store.suggestions(article_id)}

    def _pending(self, article_id: str) -> list[Suggestion]:
        return _pending_in(self.store, self.ctx.annotator, article_id)

    def pending(self, article_id: str | None = None) -> list[Suggestion]:
        """This annotator's pending suggestions, of one article or (None) of the whole corpus."""
        ids = [article_id] if article_id else self.store.article_ids()
        return [s for a in ids for s in self._pending(a)]

    def pending_job(self, article_id: str | None = None) -> Callable[[], list[Suggestion]] | None:
        """:meth:`pending` as a function for a worker thread, on its own read-only connection (the
        corpus' pending suggestions take long to read on a big corpus); None when the database has
        no file to open twice (then read them here with :meth:`pending`)."""
        path, annotator = self.store.path, self.ctx.annotator
        if path is None or not path.exists():
            return None

        def job() -> list[Suggestion]:
            store = Store.open(path, readonly=True)
            try:
                ids = [article_id] if article_id else store.article_ids()
                return [s for a in ids for s in _pending_in(store, annotator, a)]
            finally:
                store.close()

        return job

    def uncertain(self, article_id: str | None = None, limit: int | None = None) -> list[Suggestion]:
        """This annotator's pending suggestions (one article's, or the corpus'), lowest confidence first;
        suggestions without a score (suggested before confidence existed) come first."""
        ids = [article_id] if article_id else self.store.article_ids()
        found = [s for a in ids for s in self._pending(a)]
        found.sort(key=lambda s: (-1.0 if s.score is None else s.score, s.article_id, s.start))
        return found[:limit] if limit is not None else found

    def plan_bulk_accept(self, label: str, min_precision: float, article_id: str | None = None) -> BulkPlan:
        """The largest set of most confident pending ``label`` suggestions whose estimated precision
        (mean confidence) is at least ``min_precision``."""
        if not 0.0 < min_precision <= 1.0:
            raise ReviewError(f"the estimated precision must be in (0, 1], not {min_precision}")
        self.ctx.kind_of(label)
        ids = [article_id] if article_id else self.store.article_ids()
        return choose_bulk([s for a in ids for s in self._pending(a)], label, min_precision, article_id)

    def bulk_plans(self, min_precision: float, article_id: str | None = None) -> list[BulkPlan]:
        """One bulk-accept plan per label (entity, value and event types) among the pending
        suggestions of the article or the corpus, labels with most pending first."""
        return bulk_plans_of(self.pending(article_id), min_precision, article_id)

    @guarded
    def bulk_accept(self, plan: BulkPlan) -> int:
        """Accept the plan's suggestions as one undoable action (scope: the article, or the corpus
        scope ``undo(None)``); refuses when any of them was re-suggested or decided since."""
        if not plan.chosen:
            return 0
        ctx = self.ctx
        with self.store.action(f"bulk_accept:{plan.label}", ctx.annotator, plan.article_id) as uow:
            by_article: dict[str, list[Suggestion]] = {}
            for sug in plan.chosen:
                by_article.setdefault(sug.article_id, []).append(sug)
            for article_id, sugs in by_article.items():
                still = {s.id for s in self._pending(article_id)}
                if any(s.id not in still for s in sugs):
                    raise ReviewError("suggestions changed since the plan was made; plan again")
                article = self.store.get_article(article_id)
                for sug in sugs:
                    ctx.insert_span(uow, article, sug.start, sug.end, sug.label)
                ctx.touch(uow, article)
        return len(plan.chosen)


def _pending_in(store: Store, annotator: str, article_id: str) -> list[Suggestion]:
    return pending_suggestions(store.suggestions(article_id), store.spans(article_id, annotator),
                               store.rejections(article_id, annotator))


def bulk_plans_of(pending: list[Suggestion], min_precision: float, article_id: str | None = None) -> list[BulkPlan]:
    """:meth:`LearnOps.bulk_plans` over pending suggestions already read (pure: any thread)."""
    if not 0.0 < min_precision <= 1.0:
        raise ReviewError(f"the estimated precision must be in (0, 1], not {min_precision}")
    by_label: dict[str, list[Suggestion]] = {}
    for sug in pending:
        by_label.setdefault(sug.label, []).append(sug)
    labels = sorted(by_label, key=lambda label: (-len(by_label[label]), label))
    # Each label's own list: choose_bulk filters by label, so this is one pass, not one per label.
    return [choose_bulk(by_label[label], label, min_precision, article_id) for label in labels]
