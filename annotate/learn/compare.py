"""``glossator evaluate`` once a model is trained: the base pipeline beside the newest version."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from annotate.formats.filters import ExportFilters
from annotate.formats.records import iter_records
from annotate.formats.reports import FormatReport
from annotate.labels import VALUE_LABELS
from annotate.learn.artifact import newest
from annotate.learn.evaluate import EvalReport, evaluate, score
from store.repo import Store


@dataclass(frozen=True)
class Comparison:
    """Scores of the base pipeline and of the trained version's pipeline on the same gold."""

    base: EvalReport
    trained: EvalReport
    version: str

    def table(self) -> str:
        """Both tables; the trained one is in-sample (it learnt from this gold)."""
        note = (f"{self.version} was trained on this gold: its figures are in-sample. "
                "Held-out figures: benchmarks/learning_curve.py")
        return "\n\n".join([self.base.table(), self.trained.table(), note])

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"base": self.base.as_dict(), "trained": self.trained.as_dict(), "version": self.version,
                "trained_in_sample": True}


def evaluate_with_trained(store: Store, model: str) -> EvalReport | Comparison:
    """The base report, and the newest trained version's beside it when there is one with a NER."""
    base = evaluate(store, model)
    learned = newest(store.path)
    if learned.ner_dir is None:
        return base
    records = list(iter_records(store, ExportFilters(), FormatReport()))
    nlp = learned.load_pipeline(model)
    gold = [{(s["start"], s["end"], s["label"]) for s in r["spans"] if s["label"] not in VALUE_LABELS}
            for r in records]
    predicted = [{(e.start_char, e.end_char, e.label_) for e in doc.ents}
                 for doc in nlp.pipe((r["text"] for r in records), batch_size=8)]
    return Comparison(base, score(gold, predicted, f"{model} + {learned.version}"), learned.version)
