"""Reviewer decisions of the article screen: accept, reject, label, resize, link, done, undo.

A mixin of :class:`tui.screens.article.screen.ArticleScreen`, which provides the state
(``svc``, ``state``, ``tokens``, ``item``, ``selection``, ``cursor``) and the helpers
``_call`` (one Service call, errors notified), ``_reload``, ``_patched`` and ``_settle``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from annotate.labels import VALUE_LABELS
from annotate.review.state import GOLD, PENDING
from store.models import ENTITY
from tui.messages import ArticleFinished
from tui.navigation import with_accepted, with_rejected
from tui.modals.link import LINK_ROWS, Candidate, LinkChoice, LinkPicker
from tui.modals.dialogs import ConfirmModal, LabelPicker

FAILED: Any = object()

if TYPE_CHECKING:
    from tui.screens.article.screen import ArticleScreen

    Base = ArticleScreen
else:
    Base = object


class ReviewActions(Base):
    """Actions that change gold; each is one Service call, committed at once."""

    def action_accept(self) -> None:
        """Accept the current suggestion and move to the next pending one."""
        item = self.item
        if item is None:
            self.notify("no current span: j / k move between spans", severity="warning")
            return
        if item.state == GOLD:
            self._settle(self.state, after=item.start + 1)
            return
        span_id = self._call(self.svc.review.accept, self.article_id, item.suggestion_id)
        if span_id is not FAILED:
            self._patched(with_accepted(self.state, item, span_id), after=item.end)

    def action_reject(self) -> None:
        """Reject the current suggestion."""
        item = self.item
        if item is None or item.state != PENDING:
            self.notify("x rejects a pending suggestion (delete removes gold)", severity="warning")
            return
        if self._call(self.svc.review.reject, self.article_id, item.suggestion_id) is not FAILED:
            self._patched(with_rejected(self.state, item), after=item.start)

    def action_accept_all(self) -> None:
        """Accept every remaining suggestion, after asking."""
        if not self.state.pending:
            self.notify("no pending suggestion")
            return

        def answered(yes: bool | None) -> None:
            if yes:
                count = self._call(self.svc.review.accept_all, self.article_id)
                if count is not FAILED:
                    self.notify(f"accepted {count} suggestions (u undoes)")
                    self._reload()

        self.app.push_screen(ConfirmModal(f"Accept all {self.state.pending} remaining suggestions?"), answered)

    def action_number(self, digit: str) -> None:
        """A label key: apply the configured label with that key."""
        label = next((lab.name for lab in self.svc.config.labels if lab.key == digit), None)
        if label is None:
            self.notify(f"no label on key {digit}", severity="warning")
            return
        self.apply_label(label)

    def apply_label(self, label: str | None) -> None:
        """Create a span from the selection, relabel gold, or accept a suggestion with this label."""
        if not label:
            return
        selection = self.selection
        item = self.item
        if selection is None and item is None and len(self.tokens):
            selection = self.tokens.spans[self.cursor]
        if selection is not None:
            span_id = self._call(self.svc.review.add_span, self.article_id, *selection, label)
            if span_id is not FAILED:
                self._reload(prefer=f"s{span_id}")
        elif item is not None and item.state == GOLD:
            if item.label != label and self._call(self.svc.review.relabel, item.span_id, label) is not FAILED:
                self._reload(prefer=item.key)
        elif item is not None:
            span_id = self._call(self.svc.review.accept, self.article_id, item.suggestion_id, label=label)
            if span_id is not FAILED:
                as_labelled = replace(item, label=label, kind=self.svc.review.kind_of(label))
                self._patched(with_accepted(self.state, as_labelled, span_id), after=item.end)

    def action_event_mode(self) -> None:
        """Pick an event type by number or type-ahead."""
        color = self.svc.config.event_color
        picker = LabelPicker("Event type (number or type, Esc cancels)", [(t, color) for t in self.svc.config.event_roles])
        self.app.push_screen(picker, self.apply_label)

    def action_label_picker(self) -> None:
        """Pick any label (entities, events, values) with type-ahead."""
        config = self.svc.config
        labels = [(lab.name, lab.color) for lab in config.labels]
        labels += [(t, config.event_color) for t in config.event_roles]
        labels += [(v, config.value_color) for v in VALUE_LABELS]
        self.app.push_screen(LabelPicker("Label (type to filter, Enter picks)", labels, numbered=False),
                             self.apply_label)

    def action_resize(self, side: str, delta: int) -> None:
        """Grow (+1) or shrink (-1) the current span by a token on one side."""
        item = self.item
        if item is None:
            return
        bounds = self.tokens.grow(item.start, item.end, side, delta)
        if bounds is None:
            self.notify("cannot shrink or grow further", severity="warning")
            return
        if item.state == GOLD:
            if self._call(self.svc.review.resize, item.span_id, *bounds) is not FAILED:
                self._reload(prefer=item.key)
        else:
            span_id = self._call(self.svc.review.accept, self.article_id, item.suggestion_id, bounds=bounds)
            if span_id is not FAILED:
                self._reload(prefer=f"s{span_id}")

    def action_delete_span(self) -> None:
        """Delete the current gold span (a pending suggestion is rejected)."""
        item = self.item
        if item is None:
            return
        if item.state == PENDING:
            self.action_reject()
        elif self._call(self.svc.review.delete_span, item.span_id) is not FAILED:
            self._reload(after=item.start)

    def action_link(self) -> None:
        """Link the current entity span to a canonical entity (a suggestion is accepted with the link)."""
        item = self.item
        if item is None or item.kind != ENTITY:
            self.notify("/ links an entity span", severity="warning")
            return

        def source(query: str) -> list[Candidate]:
            return self.link_candidates(query, item.label)

        def chosen(choice: LinkChoice | None) -> None:
            if choice is None:  # Esc: nothing changes, a pending suggestion stays pending
                return
            span_id = item.span_id
            if item.state == PENDING:  # accepted and linked in one action (one undo step)
                span_id = self._call(self.svc.review.accept_link, self.article_id, item.suggestion_id,
                                     choice.entity_id or None, choice.new_name)
                result = span_id
            elif choice.entity_id:
                result = self._call(self.svc.entities.link, span_id, choice.entity_id)
            else:
                result = self._call(self.svc.entities.link_new, span_id, choice.new_name)
            if result is not FAILED:
                self._reload(prefer=f"s{span_id}")

        self.app.push_screen(LinkPicker(item.text, item.kb_name, source), chosen)

    def link_candidates(self, query: str, type_: str) -> list[Candidate]:
        """Ranked canonical entities for a query, from ``Service.entities.match`` (name, alias hit, evidence)."""
        found = self._call(self.svc.entities.match, query, type_, LINK_ROWS)
        return [] if found is FAILED else [Candidate.from_match(c) for c in found]

    def action_done(self) -> None:
        """Mark the article done and open the next one (after asking, when suggestions are left)."""
        def finish() -> None:
            if self._call(self.svc.review.mark_done, self.article_id) is not FAILED:
                self.post_message(ArticleFinished(self.article_id, self.order))

        pending = self.svc.review.state(self.article_id).pending  # the database's count, not the screen's
        if not pending:
            finish()
            return
        left = "1 suggestion is" if pending == 1 else f"{pending} suggestions are"

        def answered(yes: bool | None) -> None:
            if yes:
                finish()

        self.app.push_screen(ConfirmModal(f"{left} still undecided. Mark the article done anyway?"), answered)

    def action_undo(self) -> None:
        """Undo this annotator's latest action in the article."""
        self._history(self.svc.review.undo, "undid", "nothing to undo")

    def action_redo(self) -> None:
        """Redo the latest undone action."""
        self._history(self.svc.review.redo, "redid", "nothing to redo")

    def _history(self, method: Callable[[str], str | None], verb: str, empty: str) -> None:
        kind = self._call(method, self.article_id)
        if kind is FAILED:
            return
        self.notify(f"{verb} {kind}" if kind else empty, timeout=2)
        if kind:
            self._reload()

