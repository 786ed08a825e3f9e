"""Random sequences of reviewer actions through the service (hypothesis state machine).

Invariants after every step: offsets lie inside the text, no two spans of a layer
overlap, a refused action writes nothing, undo restores the state before the action
it undoes and redo the state after it.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from annotate.review.state import layer_of, overlaps
from annotate.service import ReviewError, Service
from store.models import DocSuggestions, SpanSuggestion
from tests.reliability.support import SEEDS

LABELS = st.sampled_from(["PER", "ORG", "LOC", "MISC", "DATE", "ATTACK", "MEETING"])
TEXT = (SEEDS / "000_e36bfcae08118a28.txt").read_text(encoding="utf-8")[:600]
_TEMPLATE: dict[str, Path] = {}


def template() -> Path:
    """A database with one article and a few suggestions, built once and copied per example."""
    if "db" not in _TEMPLATE:
        folder = Path(tempfile.mkdtemp(prefix="glossator-fuzz-"))
        (folder / "a.txt").write_text(TEXT, encoding="utf-8")
        service = Service.open(folder / "t.db", annotator="alice")
        service.data.ingest([folder / "a.txt"])
        article_id = service.data.articles()[0]["id"]
        spans = tuple(SpanSuggestion(s, s + 6, lab, kind) for s, lab, kind in
                      [(3, "LOC", "entity"), (20, "PER", "entity"), (60, "ORG", "entity"), (62, "LOC", "entity"),
                       (100, "ATTACK", "event"), (140, "DATE", "value")])
        service.store.replace_suggestions([(article_id, DocSuggestions(spans=spans))], "fp", "fuzz")
        service.close()
        _TEMPLATE["db"] = folder / "t.db"
    return _TEMPLATE["db"]


class ReviewMachine(RuleBasedStateMachine):
    """One annotator working on one article."""

    @initialize()
    def open(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="glossator-fuzz-"))
        shutil.copy(template(), self.folder / "g.db")
        self.service = Service.open(self.folder / "g.db", annotator="alice")
        self.article_id = self.service.data.articles()[0]["id"]
        self.text = self.service.data.article(self.article_id).text
        # The model: states before each applied action (undo stack) and after each undone one.
        self.past: list[tuple] = []
        self.future: list[tuple] = []

    def teardown(self) -> None:
        if hasattr(self, "service"):
            self.service.close()
            shutil.rmtree(self.folder, ignore_errors=True)

    def snapshot(self) -> tuple:
        db = self.service.store.db
        spans = db.execute('SELECT id, start, "end", label, kind, kb_id FROM spans ORDER BY id').fetchall()
        rejected = db.execute('SELECT start, "end", label, kind FROM rejections ORDER BY id').fetchall()
        return tuple(spans), tuple(rejected)

    def log_size(self) -> int:
        return self.service.store.db.execute("SELECT count(*) FROM actions").fetchone()[0]

    def apply(self, action) -> None:
        """Run a reviewer action; a refusal must change nothing, a success is one undo step."""
        before, logged = self.snapshot(), self.log_size()
        try:
            action()
        except ReviewError:
            assert self.snapshot() == before and self.log_size() == logged
            return
        if self.log_size() > logged:
            self.past.append(before)
            self.future.clear()

    def span_ids(self) -> list[int]:
        return [s[0] for s in self.snapshot()[0]]

    def pending(self) -> list[int]:
        state = self.service.review.state(self.article_id)
        return [i.suggestion_id for i in state.items if i.suggestion_id is not None]

    @rule(start=st.integers(-5, 620), length=st.integers(-2, 40), label=LABELS)
    def add(self, start: int, length: int, label: str) -> None:
        self.apply(lambda: self.service.review.add_span(self.article_id, start, start + length, label))

    @rule(data=st.data(), ds=st.integers(-4, 4), de=st.integers(-4, 4))
    def resize(self, data, ds: int, de: int) -> None:
        ids = self.span_ids()
        if ids:
            span = self.service.store.span(data.draw(st.sampled_from(ids)))
            self.apply(lambda: self.service.review.resize(span.id, span.start + ds, span.end + de))

    @rule(data=st.data(), label=LABELS)
    def relabel(self, data, label: str) -> None:
        ids = self.span_ids()
        if ids:
            span_id = data.draw(st.sampled_from(ids))
            self.apply(lambda: self.service.review.relabel(span_id, label))

    @rule(data=st.data())
    def delete(self, data) -> None:
        ids = self.span_ids()
        if ids:
            span_id = data.draw(st.sampled_from(ids))
            self.apply(lambda: self.service.review.delete_span(span_id))

    @rule(data=st.data())
    def accept(self, data) -> None:
        pending = self.pending()
        if pending:
            suggestion_id = data.draw(st.sampled_from(pending))
            self.apply(lambda: self.service.review.accept(self.article_id, suggestion_id))

    @rule(data=st.data())
    def reject(self, data) -> None:
        pending = self.pending()
        if pending:
            suggestion_id = data.draw(st.sampled_from(pending))
            self.apply(lambda: self.service.review.reject(self.article_id, suggestion_id))

    @rule()
    def undo(self) -> None:
        current = self.snapshot()
        undone = self.service.review.undo(self.article_id)
        if not self.past:
            assert undone is None and self.snapshot() == current
            return
        assert undone is not None
        assert self.snapshot() == self.past[-1], f"undo of {undone} did not restore the state before it"
        self.past.pop()
        self.future.append(current)

    @rule()
    def redo(self) -> None:
        current = self.snapshot()
        redone = self.service.review.redo(self.article_id)
        if not self.future:
            assert redone is None and self.snapshot() == current
            return
        assert self.snapshot() == self.future[-1], f"redo of {redone} did not give back the undone state"
        self.future.pop()
        self.past.append(current)

    @rule()
    def undo_then_redo_is_identity(self) -> None:
        if self.past:
            before = self.snapshot()
            self.service.review.undo(self.article_id)
            self.service.review.redo(self.article_id)
            assert self.snapshot() == before

    @invariant()
    def offsets_inside_and_no_overlap(self) -> None:
        if not hasattr(self, "service"):
            return
        spans = self.snapshot()[0]
        for _, start, end, _, _, _ in spans:
            assert 0 <= start < end <= len(self.text)
            assert self.text[start:end].strip(), "a whitespace-only span"
        for i, a in enumerate(spans):
            for b in spans[i + 1:]:
                if layer_of(a[4]) == layer_of(b[4]):
                    assert not overlaps(a[1], a[2], b[1], b[2]), f"overlapping spans {a} and {b}"


ReviewMachine.TestCase.settings = settings(
    max_examples=40, stateful_step_count=30, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
test_review_actions_fuzzed = ReviewMachine.TestCase
