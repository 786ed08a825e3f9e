"""Inter-annotator agreement and the alignment the adjudication screen shows.

Pure functions over store objects, plus :func:`compute` that reads a store. Figures:

- span-level F1 between two annotators, exact (same start, end, label) and overlap (same
  label, ranges sharing a character, matched one to one); F1 = 2·matches / (n_a + n_b), which
  is symmetric, so no annotator is "the reference";
- Cohen's kappa on tokens: every token of the light tokeniser gets, in each layer (entity-like
  and event), the label of the span covering it or ``O``; overall kappa pools the (token, layer)
  items, the per-label kappa is the binary "this label or not" over the label's layer;
- link agreement: among exactly matched entity spans where at least one side is linked, the
  share with the same canonical entity (merged entities are followed to the one they became).

Only articles that both annotators marked done are compared: half-done work would read as
disagreement.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from annotate.review.state import layer_of, overlaps
from annotate.review.tokens import tokenize
from store.models import ENTITY, EVENT, Span
from store.repo import Store

OUTSIDE = "O"
OVERALL = "overall"
NOTHING = "nothing"


# -- matching -----------------------------------------------------------------


def exact_pairs(a: Sequence[Span], b: Sequence[Span]) -> list[tuple[Span, Span]]:
    """Pairs of spans with the same start, end and label."""
    index = {(s.start, s.end, s.label): s for s in b}
    return [(s, index[(s.start, s.end, s.label)]) for s in a if (s.start, s.end, s.label) in index]


def overlap_pairs(a: Sequence[Span], b: Sequence[Span]) -> list[tuple[Span, Span]]:
    """One-to-one pairs of same-label overlapping spans, largest shared stretch first."""
    candidates = []
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            if x.label == y.label and overlaps(x.start, x.end, y.start, y.end):
                shared = min(x.end, y.end) - max(x.start, y.start)
                candidates.append((-shared, x.start, i, j))
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs = []
    for _, _, i, j in sorted(candidates):
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((a[i], b[j]))
    return pairs


def token_labels(text: str, spans: Iterable[Span], layer: str) -> list[str]:
    """The label of every token in one layer (``O`` outside spans)."""
    tokens = tokenize(text)
    labels = [OUTSIDE] * len(tokens)
    for span in spans:
        if layer_of(span.kind) != layer:
            continue
        for n, (start, end) in enumerate(tokens):
            if labels[n] == OUTSIDE and overlaps(start, end, span.start, span.end):
                labels[n] = span.label
    return labels


def kappa(confusion: Counter) -> float | None:
    """Cohen's kappa from a Counter of (label_a, label_b) → count; None when undefined (pe = 1)."""
    total = sum(confusion.values())
    if not total:
        return None
    observed = sum(n for (x, y), n in confusion.items() if x == y) / total
    left: Counter = Counter()
    right: Counter = Counter()
    for (x, y), n in confusion.items():
        left[x] += n
        right[y] += n
    expected = sum(left[k] * right[k] for k in left) / (total * total)
    if expected >= 1:
        return None
    return (observed - expected) / (1 - expected)


# -- figures --------------------------------------------------------------------


@dataclass
class Scores:
    """Counts of one label (or all labels) for one pair of annotators."""

    a: int = 0  # spans of the first annotator
    b: int = 0  # spans of the second
    exact: int = 0  # exact matches
    overlap: int = 0  # overlap matches (one to one)
    links_equal: int = 0
    links_total: int = 0
    kappa: float | None = None

    @staticmethod
    def _f1(matches: int, a: int, b: int) -> float | None:
        return 2 * matches / (a + b) if a + b else None

    @property
    def exact_f1(self) -> float | None:
        """2 · exact matches / (n_a + n_b)."""
        return self._f1(self.exact, self.a, self.b)

    @property
    def overlap_f1(self) -> float | None:
        """2 · overlap matches / (n_a + n_b)."""
        return self._f1(self.overlap, self.a, self.b)

    @property
    def links(self) -> float | None:
        """Share of exactly matched linked spans with the same canonical entity."""
        return self.links_equal / self.links_total if self.links_total else None

    def to_dict(self) -> dict[str, Any]:
        """JSON-able figures."""
        return {"a": self.a, "b": self.b, "exact": self.exact, "overlap": self.overlap,
                "exact_f1": self.exact_f1, "overlap_f1": self.overlap_f1, "kappa": self.kappa,
                "links_equal": self.links_equal, "links_total": self.links_total, "links": self.links}


@dataclass
class PairAgreement:
    """Agreement of two annotators over the articles both marked done."""

    a: str
    b: str
    articles: int = 0
    labels: dict[str, Scores] = field(default_factory=dict)
    overall: Scores = field(default_factory=Scores)
    confusion: Counter = field(default_factory=Counter)  # (layer, label_a, label_b) → tokens

    def label(self, name: str) -> Scores:
        """The scores of one label, created on first use."""
        return self.labels.setdefault(name, Scores())

    def add_article(self, text: str, spans_a: Sequence[Span], spans_b: Sequence[Span],
                    resolve: dict[str, str] | None = None) -> None:
        """Count one article; ``resolve`` maps merged entity ids to the entity they became."""
        resolve = resolve or {}
        self.articles += 1
        for label in sorted({s.label for s in (*spans_a, *spans_b)}):
            sa = [s for s in spans_a if s.label == label]
            sb = [s for s in spans_b if s.label == label]
            scores = self.label(label)
            scores.a += len(sa)
            scores.b += len(sb)
            scores.exact += len(exact_pairs(sa, sb))
            scores.overlap += len(overlap_pairs(sa, sb))
        for x, y in exact_pairs(spans_a, spans_b):
            if x.kind == ENTITY and (x.kb_id or y.kb_id):
                equal = bool(x.kb_id and y.kb_id and resolve.get(x.kb_id, x.kb_id) == resolve.get(y.kb_id, y.kb_id))
                scores = self.label(x.label)
                scores.links_total += 1
                scores.links_equal += equal
        for layer in (ENTITY, EVENT):
            la = token_labels(text, spans_a, layer)
            lb = token_labels(text, spans_b, layer)
            self.confusion.update((layer, x, y) for x, y in zip(la, lb))

    def finish(self, layer_of_label: dict[str, str]) -> None:
        """Fill kappas and the overall row from the accumulated counts."""
        self.overall = Scores()
        for scores in self.labels.values():
            for name in ("a", "b", "exact", "overlap", "links_equal", "links_total"):
                setattr(self.overall, name, getattr(self.overall, name) + getattr(scores, name))
        self.overall.kappa = kappa(Counter({((l1, x), (l1, y)): n for (l1, x, y), n in self.confusion.items()}))
        for label, scores in self.labels.items():
            layer = layer_of_label.get(label, ENTITY)
            binary: Counter = Counter()
            for (lay, x, y), n in self.confusion.items():
                if lay == layer:
                    binary[(x == label, y == label)] += n
            scores.kappa = kappa(binary)

    def to_dict(self) -> dict[str, Any]:
        """JSON-able figures."""
        return {"a": self.a, "b": self.b, "articles": self.articles,
                "labels": {k: v.to_dict() for k, v in sorted(self.labels.items())},
                "overall": self.overall.to_dict()}


@dataclass
class AgreementReport:
    """Agreement of every pair of annotators who share done articles."""

    pairs: list[PairAgreement] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-able report."""
        return {"pairs": [p.to_dict() for p in self.pairs]}

    def table(self) -> str:
        """A plain-text table per pair."""
        if not self.pairs:
            return "no article was marked done by two annotators: nothing to compare"
        blocks = []
        for pair in self.pairs:
            head = ("label", pair.a, pair.b, "exact F1", "overlap F1", "kappa", "links")
            rows = [_row(label, s) for label, s in sorted(pair.labels.items())] + [_row(OVERALL, pair.overall)]
            widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
            lines = [f"{pair.a} × {pair.b}: {pair.articles} articles"]
            for row in [head, *rows]:
                lines.append("  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)
                                       for i, (c, w) in enumerate(zip(row, widths))))
            blocks.append("\n".join(lines))
        return "\n\n".join(blocks)


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _row(label: str, s: Scores) -> tuple[str, ...]:
    links = f"{s.links_equal}/{s.links_total}" if s.links_total else "-"
    return (label, str(s.a), str(s.b), _fmt(s.exact_f1), _fmt(s.overlap_f1), _fmt(s.kappa), links)


def merged_targets(store: Store) -> dict[str, str]:
    """Entity id → the entity it ended up merged into (following chains)."""
    parent = {e.id: e.merged_into for e in store.entities(include_merged=True) if e.merged_into}
    out = {}
    for start in parent:
        seen, node = {start}, start
        while node in parent and parent[node] not in seen:
            node = parent[node]
            seen.add(node)
        out[start] = node
    return out


def compute(store: Store, annotators: Sequence[str] | None = None) -> AgreementReport:
    """Agreement of every pair of annotators over the articles both marked done."""
    done: dict[str, list[str]] = {}
    for article_id in store.article_ids():
        names = store.done_by(article_id)
        if annotators is not None:
            names = [n for n in names if n in annotators]
        if len(names) >= 2:
            done[article_id] = names
    resolve = merged_targets(store)
    pairs: dict[tuple[str, str], PairAgreement] = {}
    layers: dict[str, str] = {}
    for article_id, names in done.items():
        text = store.get_article(article_id).text
        spans = {n: store.spans(article_id, n) for n in names}
        for span in (s for group in spans.values() for s in group):
            layers[span.label] = layer_of(span.kind)
        for a, b in combinations(sorted(names), 2):
            pair = pairs.setdefault((a, b), PairAgreement(a, b))
            pair.add_article(text, spans[a], spans[b], resolve)
    for pair in pairs.values():
        pair.finish(layers)
    return AgreementReport([pairs[k] for k in sorted(pairs)])


# -- alignment for adjudication ---------------------------------------------------


@dataclass(frozen=True)
class Mark:
    """One annotator's span inside an aligned row."""

    start: int
    end: int
    label: str
    kind: str
    kb_id: str | None = None

    @property
    def key(self) -> tuple[int, int, str, str | None]:
        """What two annotators must share to agree."""
        return (self.start, self.end, self.label, self.kb_id)


@dataclass(frozen=True)
class Row:
    """Overlapping spans of one layer across annotators: one decision for the reviewer."""

    start: int
    end: int
    layer: str
    versions: tuple[tuple[str, tuple[Mark, ...]], ...]  # (annotator, marks) in annotator order

    @property
    def agreed(self) -> bool:
        """Every annotator has exactly the same spans (bounds, label and link) here."""
        keys = {tuple(m.key for m in marks) for _, marks in self.versions}
        return len(keys) == 1

    def version(self, annotator: str) -> tuple[Mark, ...]:
        """One annotator's marks in this row (empty: they marked nothing here)."""
        return dict(self.versions).get(annotator, ())


def align(spans: dict[str, Sequence[Span]], resolve: dict[str, str] | None = None) -> list[Row]:
    """Group every annotator's spans into rows of same-layer overlapping spans, by position."""
    resolve = resolve or {}
    names = sorted(spans)
    rows: list[Row] = []
    for layer in (ENTITY, EVENT):
        items = sorted(
            ((s.start, s.end, name, s) for name in names for s in spans[name] if layer_of(s.kind) == layer),
            key=lambda t: (t[0], t[1], t[2]),
        )
        group: list[tuple[int, int, str, Span]] = []
        reach = -1
        for item in items + [None]:  # type: ignore[list-item]
            if item is None or (group and item[0] >= reach):
                if group:
                    rows.append(_row_of(group, names, layer, resolve))
                group, reach = [], -1
            if item is not None:
                group.append(item)
                reach = max(reach, item[1])
    rows.sort(key=lambda r: (r.start, r.layer != ENTITY, r.end))
    return rows


def _row_of(group: list[tuple[int, int, str, Span]], names: list[str], layer: str,
            resolve: dict[str, str]) -> Row:
    versions = []
    for name in names:
        marks = tuple(Mark(s.start, s.end, s.label, s.kind, resolve.get(s.kb_id, s.kb_id) if s.kb_id else None)
                      for _, _, who, s in group if who == name)
        versions.append((name, marks))
    return Row(min(g[0] for g in group), max(g[1] for g in group), layer, tuple(versions))


@dataclass(frozen=True)
class Adjudication:
    """An article as a reviewer settles it: the annotators' rows and the reviewer's own gold."""

    article_id: str
    text: str
    reviewer: str
    annotators: tuple[str, ...]
    rows: tuple[Row, ...]
    final: tuple[Span, ...]  # the reviewer's gold
    rejected: frozenset[tuple[int, int, str, str]] = frozenset()  # the reviewer's rejections


    def decided(self, row: Row) -> tuple[Mark, ...]:
        """The reviewer's spans inside a row's stretch, in its layer."""
        return tuple(Mark(s.start, s.end, s.label, s.kind, s.kb_id) for s in self.final
                     if layer_of(s.kind) == row.layer and overlaps(s.start, s.end, row.start, row.end))

    def choice(self, row: Row) -> str | None:
        """Whose version the reviewer's gold equals in this row: an annotator, ``"edited"``, ``"nothing"``
        (every proposal rejected, and no annotator left the row empty), or None (not decided yet)."""
        mine = tuple(m.key for m in self.decided(row))
        if not mine:
            # Keeping nothing is a decision only when every proposal of the row was rejected.
            proposed = {(m.start, m.end, m.label, m.kind) for _, marks in row.versions for m in marks}
            if not proposed or not proposed <= self.rejected:
                return None
            return next((name for name, marks in row.versions if not marks), NOTHING)
        for name, marks in row.versions:
            if tuple(m.key for m in marks) == mine:
                return name
        return "edited"

    @property
    def disagreements(self) -> list[int]:
        """Indexes of the rows where annotators differ."""
        return [i for i, r in enumerate(self.rows) if not r.agreed]


def build_adjudication(store: Store, article_id: str, reviewer: str) -> Adjudication:
    """Align every other annotator's gold of the article (those with spans or a review)."""
    article = store.get_article(article_id)
    names = sorted((set(store.annotators(article_id)) | set(store.reviews(article_id))) - {reviewer})
    resolve = merged_targets(store)
    rows = align({n: store.spans(article_id, n) for n in names}, resolve)
    return Adjudication(article_id, article.text, reviewer, tuple(names), tuple(rows),
                        tuple(store.spans(article_id, reviewer)), frozenset(store.rejections(article_id, reviewer)))
