"""The consistency queue (issue 14, item 3): surfaces this annotator labelled or linked
differently across the corpus, and the same surface left unlabelled (or still pending) in an
article they worked on while it is gold elsewhere.

Mentions are grouped by surface key (``surface.surface_key``: case, accents, apostrophes and
spaces folded) and layer (entities and values, or event triggers). A row disagrees when its gold
has several labels, several canonical entities (or some linked and some not), or when the surface
also occurs untouched. Its fix applies the majority label and the majority entity to the minority
mentions; a tie has no majority and is fixed by hand.

Finding the untouched occurrences is one pass over the tokens of each worked-on article, the
surfaces indexed by their first token (not one search per surface and article).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from annotate.corpuswide.surface import fold, surface_key
from annotate.review.state import layer_of, overlaps
from store.models import ENTITY, Span, Suggestion

GOLD, PENDING, UNLABELLED = "gold", "pending", "unlabelled"
_PIECE = re.compile(r"\w+|[^\w\s]")


@dataclass(frozen=True)
class Mention:
    """One occurrence of a row's surface: gold of this annotator, a pending suggestion, or text."""

    article_id: str
    title: str
    start: int
    end: int
    state: str
    label: str | None = None
    kb_id: str | None = None
    span_id: int | None = None
    suggestion_id: int | None = None

    @property
    def item_key(self) -> str | None:
        """The article screen's key of the span there (None: plain text)."""
        if self.span_id is not None:
            return f"s{self.span_id}"
        return f"g{self.suggestion_id}" if self.suggestion_id is not None else None


@dataclass(frozen=True)
class Row:
    """A surface whose mentions disagree, with the counts of each variant."""

    key: str
    layer: str
    surface: str
    mentions: tuple[Mention, ...]
    labels: tuple[tuple[str, int], ...]  # gold labels, most frequent first
    links: tuple[tuple[str | None, int], ...]  # entity (None: unlinked) of the gold entity mentions
    majority_label: str | None
    majority_kb: str | None

    @property
    def untouched(self) -> tuple[int, int]:
        """(pending, unlabelled) occurrences."""
        return (sum(1 for m in self.mentions if m.state == PENDING),
                sum(1 for m in self.mentions if m.state == UNLABELLED))

    def variants(self) -> list[tuple[str, int]]:
        """What the mentions are, with counts: labels, ``→ entity``, ``unlinked``, pending, unlabelled."""
        out: list[tuple[str, int]] = list(self.labels)
        if len({kb for kb, _ in self.links}) > 1:
            out += [(f"→ {kb}" if kb else "unlinked", n) for kb, n in self.links]
        pending, unlabelled = self.untouched
        out += [(name, n) for name, n in (("pending", pending), ("unlabelled", unlabelled)) if n]
        return out

    def is_minority(self, mention: Mention) -> bool:
        """Whether the fix changes this mention (needs a majority label)."""
        if self.majority_label is None:
            return False
        if mention.state != GOLD:
            return True
        if mention.label != self.majority_label:
            return True
        return self.layer == ENTITY and self.majority_kb is not None and mention.kb_id != self.majority_kb

    def minority(self) -> list[Mention]:
        """The mentions the fix changes."""
        return [m for m in self.mentions if self.is_minority(m)]

    def first_disagreeing(self) -> Mention:
        """Where Enter jumps: the first minority gold mention (labelled or linked otherwise), else
        the first untouched one, else (a tie) the first mention."""
        minority = self.minority()
        return next((m for m in minority if m.state == GOLD), next(iter(minority), self.mentions[0]))


def _majority(counts: Counter) -> object | None:
    top = counts.most_common(2)
    if not top or (len(top) == 2 and top[0][1] == top[1][1]):
        return None
    return top[0][0]


def _pieces(folded: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _PIECE.finditer(folded)]


def _shape(key: str) -> tuple[tuple[str, ...], tuple[bool, ...]]:
    """A key's pieces and, between each two, whether a space separates them."""
    pieces = _pieces(key)
    gaps = tuple(pieces[n][0] > pieces[n - 1][1] for n in range(1, len(pieces)))
    return tuple(p[2] for p in pieces), gaps


def find_keys(text: str, keys: Iterable[str]) -> list[tuple[int, int, str]]:
    """(start, end, key) of every occurrence of the keys in ``text``, on token boundaries, the
    longest where several start at one place, never overlapping each other."""
    index: dict[str, list[tuple[tuple[str, ...], tuple[bool, ...], str]]] = {}
    for key in keys:
        pieces, gaps = _shape(key)
        if pieces:
            index.setdefault(pieces[0], []).append((pieces, gaps, key))
    tokens = _pieces(fold(text))
    found: list[tuple[int, int, str]] = []
    n, end_of_last = 0, -1
    while n < len(tokens):
        best = None
        for pieces, gaps, key in index.get(tokens[n][2], ()):
            last = n + len(pieces) - 1
            if last >= len(tokens) or tokens[n][0] < end_of_last:
                continue
            if all(tokens[n + i][2] == pieces[i] for i in range(1, len(pieces))) and all(
                    (tokens[n + i][0] > tokens[n + i - 1][1]) == gaps[i - 1] for i in range(1, len(pieces))):
                if best is None or tokens[last][1] > best[1]:
                    best = (tokens[n][0], tokens[last][1], key)
        if best is not None:
            found.append(best)
            end_of_last = best[1]
        n += 1
    return found


def build_queue(gold: Sequence[tuple[Span, str]], articles: Sequence[tuple[str, str, str]],
                pending: dict[str, list[Suggestion]], titles: dict[str, str] | None = None) -> list[Row]:
    """The rows that disagree, most mentions first.

    ``gold``: this annotator's spans with their text; ``articles``: (id, title, text) of the
    articles worked on, searched for untouched occurrences; ``pending``: their suggestions still
    pending for this annotator."""
    titles = dict(titles or {})
    titles.update({a: t for a, t, _ in articles})
    order = {a: n for n, (a, _, _) in enumerate(articles)}
    groups: dict[tuple[str, str], list[tuple[Span, str]]] = {}
    for span, text in gold:
        key = surface_key(text)
        if key:
            groups.setdefault((key, layer_of(span.kind)), []).append((span, text))
    gold_by_article: dict[str, list[Span]] = {}
    for span, _ in gold:
        gold_by_article.setdefault(span.article_id, []).append(span)
    untouched: dict[tuple[str, str], list[Mention]] = {}
    layers_of: dict[str, list[str]] = {}
    for key, layer in groups:
        layers_of.setdefault(key, []).append(layer)
    for article_id, _title, text in articles:
        spans = gold_by_article.get(article_id, [])
        for start, end, key in find_keys(text, layers_of):
            for layer in layers_of[key]:
                if any(layer_of(s.kind) == layer and overlaps(s.start, s.end, start, end) for s in spans):
                    continue
                sug = next((s for s in pending.get(article_id, ()) if layer_of(s.kind) == layer
                            and overlaps(s.start, s.end, start, end)), None)
                mention = Mention(article_id, titles.get(article_id, ""), start, end,
                                  PENDING if sug else UNLABELLED, sug.label if sug else None,
                                  suggestion_id=sug.id if sug else None)
                untouched.setdefault((key, layer), []).append(mention)
    rows = []
    for (key, layer), members in groups.items():
        labels = Counter(span.label for span, _ in members)
        links = Counter(span.kb_id for span, _ in members if span.kind == ENTITY)
        extra = untouched.get((key, layer), [])
        linked = [kb for kb in links if kb]
        if len(labels) < 2 and not extra and not (linked and len(links) > 1):
            continue
        mentions = [Mention(s.article_id, titles.get(s.article_id, ""), s.start, s.end, GOLD, s.label, s.kb_id,
                            span_id=s.id) for s, _ in members] + extra
        mentions.sort(key=lambda m: (order.get(m.article_id, len(order)), m.start))
        shown = Counter(" ".join(t.split()) for _, t in members).most_common(1)[0][0]
        majority_kb = _majority(Counter({kb: n for kb, n in links.items() if kb}))
        rows.append(Row(key, layer, shown, tuple(mentions), tuple(labels.most_common()),
                        tuple(sorted(links.items(), key=lambda kv: -kv[1])), _majority(labels), majority_kb))
    rows.sort(key=lambda r: (-len(r.mentions), r.key))
    return rows


@dataclass
class Queue:
    """The rows shown and the cursor: read again after every fix, the cursor stays on its surface."""

    rows: list[Row]
    cursor: int = 0

    @property
    def current(self) -> Row | None:
        """The row under the cursor."""
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def move(self, delta: int) -> None:
        """Move the cursor, within the rows."""
        if self.rows:
            self.cursor = max(0, min(len(self.rows) - 1, self.cursor + delta))

    def replace(self, rows: list[Row]) -> None:
        """New rows (the queue read again): the cursor on the same surface if it is still listed,
        else at the same place."""
        here = self.current
        keys = [(r.key, r.layer) for r in rows]
        self.rows = rows
        if here is not None and (here.key, here.layer) in keys:
            self.cursor = keys.index((here.key, here.layer))
        else:
            self.cursor = max(0, min(self.cursor, len(rows) - 1))
