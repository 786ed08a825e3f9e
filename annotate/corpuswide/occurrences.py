"""Annotate all occurrences across the corpus (issue 14, item 2): the same surface in the other
articles, each with what this annotator has there, and the reviewer's marks.

:func:`classify` says what one occurrence is for the annotator: a pending suggestion, unlabelled
text, a gold span labelled or linked otherwise (same bounds), a gold span that overlaps it with
other bounds (shown, never changed: resize it first), or already the same. :class:`OccurrenceList`
holds the rows and the marks (``a`` accept, ``x`` skip, ``A`` all): a plain object the screen
drives and the tests drive without Textual. Marking all leaves out what would change a reviewer's
decision (another label, another entity): those are marked one by one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from annotate.review.state import layer_of, overlaps
from store.models import ENTITY, Span, Suggestion

PENDING = "pending"  # a pending suggestion of this annotator there
UNLABELLED = "unlabelled"  # nothing of this annotator there
OTHER = "other"  # this annotator's gold with the same bounds, labelled or linked otherwise
OVERLAP = "overlap"  # this annotator's gold overlapping it with other bounds: not applicable
SAME = "same"  # already gold with the same label (and entity)

STATE_TEXT = {PENDING: "pending", UNLABELLED: "unlabelled", OTHER: "labelled otherwise",
              OVERLAP: "overlaps a span", SAME: "already same"}
ACCEPT, SKIP = "accept", "skip"


@dataclass(frozen=True)
class Source:
    """The span the reviewer started from: what every marked occurrence becomes."""

    article_id: str
    start: int
    end: int
    text: str
    label: str
    kind: str
    kb_id: str | None = None
    kb_name: str | None = None


@dataclass(frozen=True)
class Occurrence:
    """One occurrence of the source's surface in another article, as this annotator has it."""

    article_id: str
    title: str
    start: int
    end: int
    text: str  # verbatim
    left: str  # context, one line
    right: str
    state: str
    label: str | None = None  # the gold's or the pending suggestion's label
    kb_id: str | None = None
    kb_name: str | None = None
    span_id: int | None = None  # the gold span at those bounds (OTHER, SAME) or overlapping (OVERLAP)
    overlapped: str = ""  # OVERLAP: the overlapping span's text

    @property
    def key(self) -> tuple[str, int, int]:
        """Identity of the occurrence."""
        return self.article_id, self.start, self.end

    @property
    def changes_decision(self) -> bool:
        """Applying it would change this annotator's label or entity of a gold span."""
        return self.state == OTHER


@dataclass(frozen=True)
class Page:
    """Occurrences found in one pass, and where to go on (None: there are no more)."""

    items: tuple[Occurrence, ...]
    after: int | None  # cursor of the next page
    scanned: int = 0  # candidate articles read


def classify(source: Source, text: str, start: int, end: int, gold: Iterable[Span],
             pending: Iterable[Suggestion], names: dict[str, str]) -> dict[str, object]:
    """State, label, entity and span of one occurrence ``start``–``end`` of ``text`` (the fields
    of :class:`Occurrence` after its place): ``gold`` this annotator's spans of the article,
    ``pending`` its suggestions still pending."""
    layer = layer_of(source.kind)
    same_layer = [g for g in gold if layer_of(g.kind) == layer and overlaps(g.start, g.end, start, end)]
    exact = next((g for g in same_layer if (g.start, g.end) == (start, end)), None)
    if exact is not None:
        linked_same = source.kb_id is None or exact.kb_id == source.kb_id
        state = SAME if exact.label == source.label and linked_same else OTHER
        return {"state": state, "label": exact.label, "kb_id": exact.kb_id,
                "kb_name": names.get(exact.kb_id) if exact.kb_id else None, "span_id": exact.id}
    if same_layer:
        first = same_layer[0]
        return {"state": OVERLAP, "label": first.label, "kb_id": first.kb_id,
                "kb_name": names.get(first.kb_id) if first.kb_id else None, "span_id": first.id,
                "overlapped": " ".join(text[first.start:first.end].split())}
    sug = next((s for s in pending if layer_of(s.kind) == layer and overlaps(s.start, s.end, start, end)), None)
    if sug is not None:
        return {"state": PENDING, "label": sug.label}
    return {"state": UNLABELLED}


def needs_link(source: Source, occurrence: Occurrence) -> bool:
    """Whether applying links the occurrence (the source is linked, an entity, and it is not yet)."""
    return source.kind == ENTITY and source.kb_id is not None and occurrence.kb_id != source.kb_id


@dataclass
class OccurrenceList:
    """The occurrences shown for one source span, the cursor and the reviewer's marks."""

    source: Source
    items: list[Occurrence] = field(default_factory=list)
    after: int | None = 0  # cursor of the next page; None: everything is loaded
    cursor: int = 0
    marks: dict[tuple[str, int, int], str] = field(default_factory=dict)

    def add_page(self, page: Page) -> None:
        """Append a page of occurrences."""
        self.items.extend(page.items)
        self.after = page.after

    @property
    def current(self) -> Occurrence | None:
        """The occurrence under the cursor."""
        return self.items[self.cursor] if 0 <= self.cursor < len(self.items) else None

    def move(self, delta: int) -> None:
        """Move the cursor, within the list."""
        if self.items:
            self.cursor = max(0, min(len(self.items) - 1, self.cursor + delta))

    def refusal(self, occurrence: Occurrence) -> str | None:
        """Why ``occurrence`` cannot be marked, or None."""
        if occurrence.state == SAME:
            return "already the same there"
        if occurrence.state == OVERLAP:
            return (f"it overlaps the {occurrence.label} span “{occurrence.overlapped}”: "
                    "resize or delete that one in its article first")
        return None

    def accept(self) -> str | None:
        """Mark the current occurrence to apply and move on; the refusal, if it cannot be."""
        occ = self.current
        if occ is None:
            return "no occurrence"
        problem = self.refusal(occ)
        if problem:
            return problem
        self.marks[occ.key] = ACCEPT
        self.move(1)
        return None

    def skip(self) -> None:
        """Leave the current occurrence as it is (drops its mark) and move on."""
        occ = self.current
        if occ is not None:
            self.marks[occ.key] = SKIP
            self.move(1)

    def mark_all(self) -> int:
        """Mark every loaded occurrence that can be applied without changing a decision (pending,
        unlabelled, and a same-label gold span to link); skipped ones stay skipped. Returns the
        number marked now."""
        made = 0
        for occ in self.items:
            if occ.key in self.marks or self.refusal(occ) or occ.changes_decision and not self._only_link(occ):
                continue
            self.marks[occ.key] = ACCEPT
            made += 1
        return made

    def _only_link(self, occ: Occurrence) -> bool:
        """A gold span with the source's label that only lacks its link (not linked elsewhere)."""
        return occ.label == self.source.label and occ.kb_id is None

    def mark_of(self, occurrence: Occurrence) -> str | None:
        """ACCEPT, SKIP or None (undecided)."""
        return self.marks.get(occurrence.key)

    def marked(self) -> list[Occurrence]:
        """The occurrences marked to apply, in list order."""
        return [o for o in self.items if self.marks.get(o.key) == ACCEPT]
