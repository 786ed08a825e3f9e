"""Review by confidence: pending suggestions lowest confidence first, and calibrated bulk accept.

The confidence of a suggestion estimates the chance it is right as it stands (see
``annotate.learn.confidence``), so the mean confidence of a set of suggestions estimates the share
of them a reviewer would accept unchanged: its precision. Bulk accept takes the most confident
pending suggestions of a label while that estimate stays at or above the target. The service
part that reads and writes them is ``annotate.service.learn``.
"""

from __future__ import annotations

from dataclasses import dataclass

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


def choose_bulk(pending: list[Suggestion], label: str, min_precision: float,
                article_id: str | None = None) -> BulkPlan:
    """The largest set of the most confident ``pending`` suggestions of ``label`` whose estimated
    precision (mean confidence) is at least ``min_precision`` (unscored suggestions never go in)."""
    chosen = [s for s in pending if s.label == label and s.score is not None]
    chosen.sort(key=lambda s: (-(s.score or 0.0), s.article_id, s.start))
    total, best = 0.0, 0
    for n, sug in enumerate(chosen, 1):
        total += sug.score or 0.0
        if total / n >= min_precision:
            best = n
    return BulkPlan(label, min_precision, tuple(chosen[:best]), len(chosen), article_id)
