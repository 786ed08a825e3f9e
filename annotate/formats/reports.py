"""What an export or an import did: counts, warnings, losses. Imports no format."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

GOLD = "gold"
SUGGESTIONS = "suggestions"


def summary_of(report: ExportReport) -> str:
    """``drops: 3 event triggers, 5 kb ids`` or ``nothing dropped``."""
    if not report.losses:
        return "nothing dropped"
    return "drops: " + ", ".join(f"{n} {what}" for what, n in report.losses.items())


@dataclass
class ExportReport:
    """Counts and warnings of one export."""

    articles: int = 0
    lines: int = 0
    labels: Counter = field(default_factory=Counter)
    events: int = 0
    warnings: list[str] = field(default_factory=list)
    losses: Counter = field(default_factory=Counter)  # what the format could not hold → how many

    def summary(self) -> str:
        """Human summary for the terminal."""
        per_label = ", ".join(f"{k} {v}" for k, v in sorted(self.labels.items())) or "no spans"
        text = f"{self.lines} lines from {self.articles} articles; {per_label}; {self.events} events"
        text += f"; {summary_of(self)}"
        if self.warnings:
            text += f"; {len(self.warnings)} warnings"
        return text


@dataclass
class FormatReport(ExportReport):
    """An export report that also names the files written and counts the training split."""

    fmt: str = "jsonl"
    target: str = "-"
    train: int = 0
    dev: int = 0
    notes: list[str] = field(default_factory=list)
    unit: str = "lines"  # what ``lines`` counts: lines (jsonl, doccano) or documents

    def summary(self) -> str:
        """Human summary for the terminal (articles, spans per label, events, warnings)."""
        per_label = ", ".join(f"{k} {v}" for k, v in sorted(self.labels.items())) or "no spans"
        text = f"{self.lines} {self.unit} from {self.articles} articles; {per_label}; {self.events} events"
        if self.fmt == "spacy":
            text += f"; train {self.train} documents, dev {self.dev} documents"
        text += f"; {summary_of(self)}"
        text += f"; {len(self.warnings)} warnings"
        if self.target != "-":
            text += f"; wrote {self.target}"
        return text


@dataclass
class ImportReport:
    """What an import did."""

    articles: int = 0
    new_articles: int = 0
    spans: int = 0
    events: int = 0
    entities_created: int = 0
    errors: list[str] = field(default_factory=list)
    answers_skipped: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # input lines we have no place for (brat R/A lines …)

    def summary(self) -> str:
        """One line for the terminal."""
        text = (f"{self.articles} articles ({self.new_articles} new), {self.spans} spans, {self.events} events, "
                f"{self.entities_created} canonical entities created")
        if self.answers_skipped:
            detail = ", ".join(f"{n} {answer}" for answer, n in sorted(self.answers_skipped.items()))
            text += f"; {sum(self.answers_skipped.values())} lines not accepted skipped ({detail})"
        if self.skipped:
            text += f"; {len(self.skipped)} lines skipped"
        return text
