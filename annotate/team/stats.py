"""Project figures for ``glossator stats`` and the dashboard screen.

Progress comes from the review statuses; throughput from the action log: an annotator's
*active time* is the sum of the gaps between their consecutive actions that are shorter than
:data:`IDLE` (a longer gap is a pause, counted as nothing); under :data:`MIN_ACTIVE` no rate is
given. Imports, merges and the pre-acceptance of agreed spans are bulk writes, not hand work, so
they count neither as time nor as output. Output is what the log says was made and
not undone: spans inserted, articles marked done.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from annotate.entities.matching import find_duplicates
from store import figures
from store.actions import REDO, UNDO
from store.models import DONE, IN_PROGRESS, SKIPPED, STATUSES, TODO, Action
from store.repo import Store

IDLE = 600.0  # seconds: a longer gap between two actions is a pause
MIN_ACTIVE = 60.0  # seconds: below this, a rate per hour says nothing
NOT_HAND_WORK = ("import", "merge_copy", "adjudicate_agreed")  # bulk writes, not hand work


@dataclass
class Throughput:
    """One annotator's output over their active time."""

    actions: int = 0
    seconds: float = 0.0
    spans: int = 0
    articles: int = 0

    @property
    def hours(self) -> float:
        """Active hours."""
        return self.seconds / 3600

    @property
    def spans_per_hour(self) -> float | None:
        """Spans made per active hour (None under a minute of active time)."""
        return self.spans / self.hours if self.seconds >= MIN_ACTIVE else None

    @property
    def articles_per_hour(self) -> float | None:
        """Articles marked done per active hour (None under a minute of active time)."""
        return self.articles / self.hours if self.seconds >= MIN_ACTIVE else None

    def to_dict(self) -> dict[str, Any]:
        """JSON-able figures."""
        return {"actions": self.actions, "active_hours": round(self.hours, 3), "spans": self.spans,
                "articles": self.articles, "spans_per_hour": _round(self.spans_per_hour),
                "articles_per_hour": _round(self.articles_per_hour)}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


@dataclass
class Stats:
    """Everything the stats command and the dashboard show."""

    articles: int = 0
    progress: dict[str, int] = field(default_factory=dict)  # overall status → articles
    skipped: int = 0  # of the todo articles, those someone skipped (a skip is no start: still todo)
    # annotator → status → articles; "skipped" counts the annotator's skips, which "todo" includes
    by_annotator: dict[str, dict[str, int]] = field(default_factory=dict)
    throughput: dict[str, Throughput] = field(default_factory=dict)
    labels: Counter = field(default_factory=Counter)  # gold spans per label, every annotator
    entities: int = 0
    merged_entities: int = 0
    linked: int = 0  # entity spans linked to a canonical entity
    unlinked: int = 0
    duplicate_clusters: int = 0

    def to_dict(self) -> dict[str, Any]:
        """JSON-able figures."""
        return {
            "articles": self.articles, "progress": self.progress, "skipped": self.skipped,
            "by_annotator": self.by_annotator,
            "throughput": {k: v.to_dict() for k, v in sorted(self.throughput.items())},
            "labels": dict(self.labels.most_common()),
            "entities": {"canonical": self.entities, "merged": self.merged_entities, "linked_spans": self.linked,
                         "unlinked_spans": self.unlinked, "duplicate_clusters": self.duplicate_clusters},
        }

    def lines(self) -> list[str]:
        """The plain-text report."""
        p = self.progress
        out = [f"articles: {self.articles}: {p.get(DONE, 0)} done, {p.get(IN_PROGRESS, 0)} in progress, "
               f"{todo_text(p.get(TODO, 0), self.skipped)}"]
        if self.by_annotator:
            head = ("annotator", "done", "in progress", "todo", "skipped", "active h", "spans/h", "articles/h")
            rows = []
            for name, counts in sorted(self.by_annotator.items()):
                t = self.throughput.get(name, Throughput())
                rows.append((name, str(counts.get(DONE, 0)), str(counts.get(IN_PROGRESS, 0)), str(counts.get(TODO, 0)),
                             str(counts.get(SKIPPED, 0)), f"{t.hours:.2f}", _fmt(t.spans_per_hour),
                             _fmt(t.articles_per_hour)))
            out += [""] + table(head, rows)
        if self.labels:
            out += ["", "labels: " + ", ".join(f"{k} {v}" for k, v in self.labels.most_common())]
        out += ["", f"entities: {self.entities} canonical ({self.merged_entities} merged away), "
                    f"{self.linked} linked spans, {self.unlinked} unlinked, "
                    f"{self.duplicate_clusters} duplicate clusters left"]
        return out


def todo_text(todo: int, skipped: int) -> str:
    """The todo figure, "12 todo (3 skipped)": the skipped articles are among the todo ones."""
    return f"{todo} todo ({skipped} skipped)"


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def table(head: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    """Aligned text rows: first column left, the others right."""
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    return ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
            for r in [head, *rows]]


def _seconds(stamp: str) -> float:
    return datetime.fromisoformat(stamp).timestamp()


def active_seconds(stamps: Iterable[str], idle: float = IDLE) -> float:
    """Sum of the gaps shorter than ``idle`` between consecutive timestamps."""
    times = sorted(_seconds(s) for s in stamps)
    return sum(b - a for a, b in zip(times, times[1:]) if b - a < idle)


def throughput(actions: list[Action], idle: float = IDLE) -> dict[str, Throughput]:
    """Per-annotator throughput from the log (oldest first or not: it is sorted here)."""
    reverted = Counter(a.undoes for a in actions if a.kind == UNDO)
    reverted.subtract(Counter(a.redoes for a in actions if a.kind == REDO))
    out: dict[str, Throughput] = {}
    stamps: dict[str, list[str]] = {}
    for action in actions:
        if action.kind in NOT_HAND_WORK:
            continue
        t = out.setdefault(action.annotator, Throughput())
        t.actions += 1
        stamps.setdefault(action.annotator, []).append(action.at)
        if reverted[action.id] > 0 or action.kind in (UNDO, REDO):
            continue
        t.spans += sum(1 for op in action.ops if op["table"] == "spans" and op["before"] is None)
        if action.kind == f"status:{DONE}":
            t.articles += 1
    for name, t in out.items():
        t.seconds = active_seconds(stamps[name], idle)
    return out


def compute(store: Store, duplicates: bool = True) -> Stats:
    """Read every figure from the store (``duplicates=False`` skips the clustering)."""
    found = store.count_articles()
    stats = Stats(progress={s: found.get(s, 0) for s in STATUSES})
    stats.articles = sum(stats.progress.values())
    stats.skipped = figures.skipped_todo(store)
    for name in figures.annotator_names(store):
        counts = store.count_articles(name)
        # A skip is no start: the article is still todo for them (the row sums to the articles).
        mine = {s: counts.get(s, 0) for s in STATUSES}
        mine[SKIPPED] = counts.get(SKIPPED, 0)
        mine[TODO] += mine[SKIPPED]
        stats.by_annotator[name] = mine
    stats.throughput = throughput(store.history(limit=-1))
    stats.labels = Counter(figures.label_counts(store))
    entities = store.entities(include_merged=True)
    live = [e for e in entities if e.merged_into is None]
    stats.entities = len(live)
    stats.merged_entities = len(entities) - len(live)
    stats.linked, stats.unlinked = figures.link_counts(store)
    if duplicates and live:
        stats.duplicate_clusters = len(find_duplicates(live))
    return stats
