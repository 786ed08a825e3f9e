"""Scoring a spaCy pipeline's entities against the gold in the database.

A predicted entity is right when its character offsets and label equal a gold entity's (exact match,
as in CoNLL and spaCy's ``ents_per_type``); the scores are per label and micro-averaged over all.
Gold is what the export would write by default: reviewed articles, every annotator's spans.
DATE/QUANTITY values and event triggers are not entities and are not scored.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from annotate.errors import InputError
from annotate.formats.filters import ExportFilters
from annotate.formats.records import iter_records
from annotate.formats.reports import FormatReport
from annotate.labels import VALUE_LABELS
from store.repo import Store

ALL = "ALL"


@dataclass(frozen=True)
class LabelScore:
    """Counts and scores of one label (or of all, micro-averaged)."""

    label: str
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        """tp / predicted (0 when nothing was predicted)."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        """tp / gold (0 when there is no gold)."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"label": self.label, "tp": self.tp, "fp": self.fp, "fn": self.fn, "gold": self.tp + self.fn,
                "predicted": self.tp + self.fp, "precision": self.precision, "recall": self.recall, "f1": self.f1}


@dataclass(frozen=True)
class EvalReport:
    """The scores of one pipeline on the gold."""

    model: str
    documents: int
    labels: tuple[LabelScore, ...]
    total: LabelScore

    def table(self) -> str:
        """Per-label precision, recall and F1 as a plain-text table."""
        head = f"{'label':<10}{'gold':>6}{'pred':>6}{'tp':>6}{'fp':>6}{'fn':>6}{'P':>8}{'R':>8}{'F1':>8}"
        rows = [f"{self.model} on {self.documents} gold documents", head, "-" * len(head)]
        for score in (*self.labels, self.total):
            if score is self.total:
                rows.append("-" * len(head))
            rows.append(f"{score.label:<10}{score.tp + score.fn:>6}{score.tp + score.fp:>6}{score.tp:>6}{score.fp:>6}"
                        f"{score.fn:>6}{100 * score.precision:>8.1f}{100 * score.recall:>8.1f}{100 * score.f1:>8.1f}")
        return "\n".join(rows)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"model": self.model, "documents": self.documents, "labels": [s.as_dict() for s in self.labels],
                "total": self.total.as_dict()}


def load_pipeline(model: str) -> Any:
    """An installed pipeline package or a pipeline folder (e.g. ``out/model-best``); InputError if neither."""
    import spacy

    try:
        return spacy.load(model)
    except (OSError, ValueError, ImportError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(f"cannot load spaCy pipeline {model!r}: {first}") from exc


def score(gold: list[set[tuple[int, int, str]]], predicted: list[set[tuple[int, int, str]]], model: str) -> EvalReport:
    """Exact-match scores from (start, end, label) sets, one pair of sets per document."""
    tp, fp, fn = Counter(), Counter(), Counter()
    for g, p in zip(gold, predicted, strict=True):
        for _, _, label in g & p:
            tp[label] += 1
        for _, _, label in p - g:
            fp[label] += 1
        for _, _, label in g - p:
            fn[label] += 1
    labels = sorted(set(tp) | set(fp) | set(fn))
    per_label = tuple(LabelScore(lab, tp[lab], fp[lab], fn[lab]) for lab in labels)
    total = LabelScore(ALL, sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return EvalReport(model, len(gold), per_label, total)


def evaluate(store: Store, model: str, filters: ExportFilters | None = None, batch_size: int = 8) -> EvalReport:
    """Run the pipeline over the gold documents and score its ``doc.ents``."""
    records = list(iter_records(store, filters or ExportFilters(), FormatReport()))
    if not records:
        raise InputError("no gold to evaluate against: no reviewed article in the database")
    nlp = load_pipeline(model)
    gold = [{(s["start"], s["end"], s["label"]) for s in r["spans"] if s["label"] not in VALUE_LABELS}
            for r in records]
    predicted = [{(e.start_char, e.end_char, e.label_) for e in doc.ents}
                 for doc in nlp.pipe((r["text"] for r in records), batch_size=batch_size)]
    return score(gold, predicted, model)
