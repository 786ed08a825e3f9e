"""Review by confidence: pending suggestions lowest confidence first, and calibrated bulk accept.

The confidence of a suggestion estimates the chance it is right as it stands (see
``annotate.learn.confidence``), so the mean confidence of a set of suggestions estimates the share
of them a reviewer would accept unchanged: its precision. Bulk accept takes the most confident
pending suggestions of a label while that estimate stays at or above the target.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotate.errors import ReviewError, guarded
from annotate.review.state import pending_suggestions
from annotate.service.base import ServiceBase
from store.models import Suggestion


@dataclass(frozen=True)
class BulkPlan:
    """What a bulk accept would do: which suggestions, and the estimate that justifies it."""

    label: str
    target: float  # wanted estimated precision
    chosen: tuple[Suggestion, ...]
    available: int  # pending suggestions with that label
    article_id: str | None = None  # None: the whole corpus

    @property
    def estimate(self) -> float:
        """Estimated precision of the chosen set (mean confidence; 0 when empty)."""
        return sum(s.score or 0.0 for s in self.chosen) / len(self.chosen) if self.chosen else 0.0

    @property
    def threshold(self) -> float:
        """Lowest confidence in the chosen set."""
        return min((s.score or 0.0 for s in self.chosen), default=1.0)

    def summary(self) -> str:
        """One line: "accept the 412 LOC suggestions with estimated precision ≥ 0.98 (0.991) …"."""
        where = "in this article" if self.article_id else "in the corpus"
        if not self.chosen:
            return (f"no {self.label} suggestion set {where} reaches estimated precision ≥ {self.target:.2f} "
                    f"({self.available} pending)")
        return (f"accept the {len(self.chosen)} {self.label} suggestions {where} with estimated precision "
                f"≥ {self.target:.2f} (estimate {self.estimate:.3f}, confidence ≥ {self.threshold:.3f}; "
                f"{self.available - len(self.chosen)} of {self.available} pending left for review)")


class ConfidenceOps(ServiceBase):
    """Service methods: the uncertainty queue and calibrated bulk accept."""

    def _pending(self, article_id: str) -> list[Suggestion]:
        return pending_suggestions(self.store.suggestions(article_id), self.store.spans(article_id, self.annotator),
                                   self.store.rejections(article_id, self.annotator))

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
        self.kind_of(label)
        ids = [article_id] if article_id else self.store.article_ids()
        pending = [s for a in ids for s in self._pending(a) if s.label == label and s.score is not None]
        pending.sort(key=lambda s: (-(s.score or 0.0), s.article_id, s.start))
        total, best = 0.0, 0
        for n, sug in enumerate(pending, 1):
            total += sug.score or 0.0
            if total / n >= min_precision:
                best = n
        return BulkPlan(label, min_precision, tuple(pending[:best]), len(pending), article_id)

    @guarded
    def bulk_accept(self, plan: BulkPlan) -> int:
        """Accept the plan's suggestions as one undoable action (scope: the article, or the corpus
        scope ``undo(None)``); refuses when any of them was re-suggested or decided since."""
        if not plan.chosen:
            return 0
        with self.store.action(f"bulk_accept:{plan.label}", self.annotator, plan.article_id) as uow:
            by_article: dict[str, list[Suggestion]] = {}
            for sug in plan.chosen:
                by_article.setdefault(sug.article_id, []).append(sug)
            for article_id, sugs in by_article.items():
                still = {s.id for s in self._pending(article_id)}
                if any(s.id not in still for s in sugs):
                    raise ReviewError("suggestions changed since the plan was made; plan again")
                article = self.store.get_article(article_id)
                for sug in sugs:
                    self._insert_span(uow, article, sug.start, sug.end, sug.label)
                self._touch(uow, article)
        return len(plan.chosen)
