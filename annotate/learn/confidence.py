"""Confidence of a suggestion: a calibrated estimate of the chance a reviewer accepts it unchanged.

Each suggestion is described by a few discrete features: its layer and label, where it came from
(the model, the known names, the label memory, a document rule), whether the label memory agrees,
and its length in words. A :class:`Calibrator` maps features to the rate at which suggestions like
it were exactly right on held-out gold, smoothed from coarse to fine (a label with few examples
falls back to its layer's rate). Those rates are calibrated by construction on the data they come
from; :func:`reliability` measures it on other data (expected calibration error). A layer
(entities, events) with n examples is capped at (n+1)/(n+2), and the shipped table counts as at
most :data:`DEFAULT_WEIGHT` examples per level, so a few examples never make a suggestion certain.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from typing import Any

from store.models import ENTITY, EVENT, DocSuggestions

Features = tuple[str, str, str, str, str]  # kind, label, source, memory agreement, length
SMOOTHING = 3.0  # pseudo-counts a finer level borrows from the coarser one
DEFAULT_FILE = "default_calibration.json"
DEFAULT_WEIGHT = 30  # the shipped table counts as at most this many examples per level


@dataclass(frozen=True)
class Evidence:
    """What produced one document's entity and trigger suggestions (see ``Suggester.from_doc``)."""

    model: frozenset[tuple[int, int, str]] = frozenset()  # model spans after the rules
    known: frozenset[tuple[int, int, str]] = frozenset()
    taught: frozenset[tuple[int, int, str]] = frozenset()  # names added by the label memory
    rule_triggers: frozenset[tuple[int, int, str]] = frozenset()  # lexicon triggers before the memory


def features(text: str, doc: Any, start: int, end: int, label: str, kind: str, evidence: Evidence,
             memory: Any | None) -> Features:
    """The calibration features of one suggestion."""
    key = (start, end, label)
    if kind == ENTITY:
        if key in evidence.known:
            source = "known"
        elif key in evidence.taught:
            source = "taught"
        elif key in evidence.model:
            source = "model"
        else:
            source = "rule"  # propagated, merged or relabelled by a document rule
    elif kind == EVENT:
        source = "lexicon" if key in evidence.rule_triggers else "taught"
    else:
        source = "args"
    agree = "nomem"
    if memory is not None and kind == ENTITY:
        best, _share, _n = memory.vote(text, start, end)
        agree = "unseen" if best is None else ("pos" if best == label else ("neg" if best == "O" else "other"))
    elif memory is not None and kind == EVENT and doc is not None:
        span = doc.char_span(start, end, alignment_mode="expand")
        best = memory.trigger_vote(span.root.lemma_)[0] if span is not None else None
        agree = "unseen" if best is None else ("pos" if best == label else ("neg" if best == "O" else "other"))
    words = len(text[start:end].split())
    length = "1" if words <= 1 else ("2" if words == 2 else "3+")
    return (kind, label, source, agree, length)


def _levels(f: Features) -> list[tuple[str, ...]]:
    kind, label, source, agree, length = f
    return [(kind,), (kind, label), (kind, label, source), (kind, label, source, agree), tuple(f)]


class Calibrator:
    """Smoothed accept-unchanged rates per feature level (see the module doc)."""

    def __init__(self, counts: dict[str, list[float]] | None = None, prior: float = 0.5, capped: bool = True):
        self.counts = dict(counts or {})  # "kind|label|…" → [correct, total]
        self.prior = prior
        self.capped = capped  # False only to measure the uncapped rates (benchmarks)

    @classmethod
    def fit(cls, examples: Iterable[tuple[Features, bool]]) -> Calibrator:
        """Rates from (features, was exactly right) pairs."""
        counts: dict[str, list[int]] = {}
        right = total = 0
        for f, ok in examples:
            right, total = right + ok, total + 1
            for level in _levels(f):
                c = counts.setdefault("|".join(level), [0, 0])
                c[0] += ok
                c[1] += 1
        return cls(counts, (right + 1) / (total + 2))

    def __call__(self, f: Features) -> float:
        """Estimated probability that a suggestion with these features is right, in [0, 1]."""
        p = self.prior
        for level in _levels(f):
            right, total = self.counts.get("|".join(level), (0, 0))
            p = (right + SMOOTHING * p) / (total + SMOOTHING)
        if self.capped:
            # n examples of a layer (entities, events), all right, are no proof of certainty:
            # at most Laplace's (n+1)/(n+2) (one half when the layer has no example at all).
            n = self.counts.get(f[0], (0, 0))[1]
            p = min(p, (n + 1) / (n + 2))
        return min(1.0, max(0.0, p))

    def weighed(self, most: float) -> Calibrator:
        """The same rates with every level's count scaled down to at most ``most`` examples."""
        counts = {k: ([r * most / t, float(most)] if t > most else [r, t]) for k, (r, t) in self.counts.items()}
        return Calibrator(counts, self.prior, self.capped)

    def to_json(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"prior": self.prior, "counts": self.counts}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Calibrator:
        """Inverse of :meth:`to_json`."""
        return cls({k: list(v) for k, v in data.get("counts", {}).items()}, float(data.get("prior", 0.5)))

    @property
    def digest(self) -> str:
        """Hash of the table (part of the suggestion fingerprint)."""
        blob = json.dumps(self.to_json(), sort_keys=True)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


_DEFAULT: Calibrator | None = None


def default_calibrator() -> Calibrator:
    """The table shipped with glossator (base suggester on the seed gold; see benchmarks/calibration.py)."""
    global _DEFAULT
    if _DEFAULT is None:
        try:
            data = json.loads(resources.files("annotate.learn").joinpath(DEFAULT_FILE).read_text(encoding="utf-8"))
        except FileNotFoundError:
            data = {}
        # The seeds are a handful of articles: their table must not sound surer than that.
        _DEFAULT = Calibrator.from_json(data).weighed(DEFAULT_WEIGHT)
    return _DEFAULT


def score_doc(text: str, doc: Any, sugg: DocSuggestions, evidence: Evidence, memory: Any | None,
              calibrator: Calibrator) -> DocSuggestions:
    """The suggestions with ``score`` set to their calibrated confidence."""
    spans = tuple(replace(sp, score=round(calibrator(features(text, doc, sp.start, sp.end, sp.label, sp.kind,
                                                                   evidence, memory)), 4))
                  for sp in sugg.spans)
    return DocSuggestions(spans, sugg.args)


@dataclass(frozen=True)
class Reliability:
    """Predicted confidence against observed accuracy, per bin, and the expected calibration error."""

    bins: tuple[tuple[float, float, float, int], ...]  # (low, mean confidence, accuracy, count)
    ece: float
    n: int

    def table(self) -> str:
        """The reliability table as plain text."""
        rows = [f"{'bin':<11}{'n':>6}{'conf':>8}{'acc':>8}"]
        for low, conf, acc, n in self.bins:
            rows.append(f"{low:.1f}–{low + 0.1:.1f}  {n:>6}{conf:>8.3f}{acc:>8.3f}")
        rows.append(f"ECE {self.ece:.3f} over {self.n} suggestions")
        return "\n".join(rows)


def brier(pairs: Sequence[tuple[float, bool]]) -> float:
    """Mean squared error of (confidence, was right) pairs (0 is perfect)."""
    return sum((c - ok) ** 2 for c, ok in pairs) / len(pairs) if pairs else 0.0


def reliability(pairs: Sequence[tuple[float, bool]], n_bins: int = 10) -> Reliability:
    """Reliability table and ECE of (confidence, was right) pairs, equal-width bins."""
    bins = []
    ece = 0.0
    for b in range(n_bins):
        low, high = b / n_bins, (b + 1) / n_bins
        inside = [(c, ok) for c, ok in pairs if low <= c < high or (b == n_bins - 1 and c == 1.0)]
        if not inside:
            continue
        conf = sum(c for c, _ in inside) / len(inside)
        acc = sum(ok for _, ok in inside) / len(inside)
        ece += len(inside) / len(pairs) * abs(conf - acc)
        bins.append((low, conf, acc, len(inside)))
    return Reliability(tuple(bins), ece, len(pairs))
