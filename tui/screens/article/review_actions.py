"""Reviewer decisions of the article screen: accept, reject, label, resize, link, done, undo.

Each is one Service call, run through the screen's ``attempt`` (refusals reported the one way),
committed at once, then shown with ``host.reload``: the state caught up with the action log.
"""

from __future__ import annotations

from collections.abc import Callable

from annotate.entities import kb
from annotate.labels import VALUE_LABELS
from annotate.review.state import GOLD, PENDING
from annotate.service import Service
from store.models import ENTITY
from tui.messages import ArticleFinished
from tui.modals.dialogs import ConfirmModal, LabelPicker
from tui.modals.link import LINK_ROWS, Candidate, LinkChoice, LinkPicker, NewEntity
from tui.screens.article.host import ArticleHost
from tui.screens.base import FAILED

# What undo / redo say they undid: plain words for the action kinds of the log.
PLAIN_ACTIONS = {
    "accept_edited": "accept", "accept_all": "accept all", "accept_link": "accept and link", "add": "new span",
    "delete": "delete", "link_new": "link", "add_arg": "add argument", "accept_arg": "accept argument",
    "replace_arg": "replace argument", "remove_arg": "remove argument", "reject_arg": "reject argument",
    "reject_label": "reject label",
}


def plain_action(kind: str) -> str:
    """``"link_new"`` → ``"link"``: an action kind of the log as the reviewer would say it."""
    return PLAIN_ACTIONS.get(kind, kind.replace("_", " "))


class ReviewActions:
    """Actions that change gold spans; the screen routes its keys here."""

    def __init__(self, host: ArticleHost, move_on: Callable[[str], None] | None = None) -> None:
        """``move_on(said)``: on to the next mention accept-all would leave unlinked, saying ``said``
        first, as `m` goes (a link moves on so; None: it only says)."""
        self.host = host
        self.move_on = move_on

    @property
    def _svc(self) -> Service:
        return self.host.svc

    def accept(self) -> None:
        """Accept the current suggestion and move to the next pending one."""
        host, session = self.host, self.host.session
        item = session.item
        if item is None:
            host.refuse("no current span: j / k move between spans")
            return
        if item.state == GOLD:
            session.settle(session.state, after=item.start + 1)
            host.paint()
            return
        if host.attempt(lambda: self._svc.review.accept(host.article_id, item.suggestion_id)) is not FAILED:
            host.reload(after=item.end)  # linked in the same key too, perhaps (and its identical mentions)

    def reject(self) -> None:
        """Reject the current suggestion."""
        host, session = self.host, self.host.session
        item = session.item
        if item is None or item.state != PENDING:
            host.refuse("x rejects a pending suggestion (delete removes gold)")
            return
        if host.attempt(lambda: self._svc.review.reject(host.article_id, item.suggestion_id)) is not FAILED:
            host.reload(after=item.start)

    def accept_all(self) -> None:
        """Accept every remaining suggestion at once, saying how many (``[review] confirm_bulk``: ask first)."""
        host = self.host
        pending = host.session.state.pending
        if not pending:
            host.say("no pending suggestion")
            return
        linked = host.attempt(lambda: len(self._svc.review.accept_all_links(host.article_id)))
        also = f" ({linked} linked as a would link them)" if linked else ""

        def accept() -> None:
            count = host.attempt(lambda: self._svc.review.accept_all(host.article_id))
            if count is not FAILED:
                host.reload(said=f"accepted {count} suggestion{'' if count == 1 else 's'}{also} (u undoes)")

        self._bulk(f"Accept all {pending} remaining suggestions{also}?", accept)

    def _bulk(self, question: str, act: Callable[[], None]) -> None:
        """A bulk action: at once (one undoable action, the status line says what it did), or after
        ``question`` when ``[review] confirm_bulk`` is on."""
        if not self._svc.config.confirm_bulk:
            act()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                act()

        self.host.app.push_screen(ConfirmModal(question), answered)

    def label_on_key(self, key: str) -> str | None:
        """The configured label of a label key, if any."""
        return next((lab.name for lab in self._svc.config.labels if lab.key == key), None)

    def number(self, digit: str) -> None:
        """A label key: apply the configured label with that key."""
        label = self.label_on_key(digit)
        if label is None:
            self.host.refuse(f"no label on key {digit}")
            return
        self.apply_label(label, move_on=True)

    def apply_label(self, label: str | None, move_on: bool = False) -> None:
        """Create a span from the selection, relabel gold, or accept a suggestion with this label.

        ``move_on`` (a label key): a relabelled gold span is left for the next pending one, as an
        accepted suggestion is; a picker's label leaves the gold span current."""
        if not label:
            return
        host, session, svc = self.host, self.host.session, self._svc
        selection = session.selection
        item = session.item
        if selection is None and item is None:
            selection = session.cursor_range
        if selection is not None:
            span_id = host.attempt(lambda: svc.review.add_span(host.article_id, *selection, label))
            if span_id is not FAILED:
                host.reload(prefer=f"s{span_id}")
        elif item is not None and item.state == GOLD:
            # as on a pending span, the key moves on; not while the span is being chosen as a filler
            stay = not move_on or session.picking is not None
            if item.label == label:
                if not stay:  # nothing to change: on to the next, as `a` on a gold span
                    session.settle(session.state, after=item.end)
                    host.paint()
            elif host.attempt(lambda: svc.review.relabel(item.span_id, label)) is not FAILED:
                host.reload(prefer=item.key if stay else None, after=None if stay else item.end)
        elif item is not None:
            if host.attempt(lambda: svc.review.accept(host.article_id, item.suggestion_id, label=label)) is not FAILED:
                host.reload(after=item.end)

    def event_mode(self) -> None:
        """Pick an event type by number or type-ahead."""
        config = self._svc.config
        picker = LabelPicker("Event type (number or type, Esc cancels)",
                             [(t, config.event_color) for t in config.event_roles])
        self.host.app.push_screen(picker, self.apply_label)

    def label_picker(self) -> None:
        """Pick any label (entities, events, values) with type-ahead."""
        config = self._svc.config
        labels = [(lab.name, lab.color) for lab in config.labels]
        labels += [(t, config.event_color) for t in config.event_roles]
        labels += [(v, config.value_color) for v in VALUE_LABELS]
        self.host.app.push_screen(LabelPicker("Label (type to filter, Enter picks)", labels, numbered=False),
                                  self.apply_label)

    def reject_label(self) -> None:
        """Reject every pending suggestion with the current span's label, one undoable action, saying
        how many (``[review] confirm_bulk``: after a confirmation that says how many)."""
        host, svc = self.host, self._svc
        item = host.session.item
        if item is None:
            host.refuse("Ctrl+X rejects the suggestions of the current span's label")
            return
        label = item.label
        count = sum(1 for i in host.session.state.items if i.state == PENDING and i.label == label)
        if not count:
            host.refuse(f"no pending {label} suggestion")
            return
        what = "the 1 pending suggestion" if count == 1 else f"all {count} pending suggestions"

        def reject() -> None:
            rejected = host.attempt(lambda: svc.review.reject_label(host.article_id, label))
            if rejected is not FAILED:
                plural = "suggestion" if rejected == 1 else "suggestions"
                host.reload(after=item.start, said=f"rejected {rejected} {label} {plural} (u undoes)")

        self._bulk(f"Reject {what} labelled {label} in this article?", reject)

    def resize(self, side: str, delta: int) -> None:
        """Grow (+1) or shrink (-1) the current span by a token on one side."""
        host, session, svc = self.host, self.host.session, self._svc
        item = session.item
        if item is None:
            return
        bounds = session.tokens.grow(item.start, item.end, side, delta)
        if bounds is None:
            host.refuse("cannot shrink or grow further")
            return
        if item.state == GOLD:
            done = host.attempt(lambda: svc.review.resize(item.span_id, *bounds))
        else:
            done = host.attempt(lambda: svc.review.accept_resized(host.article_id, item.suggestion_id, *bounds))
        if done is FAILED:
            return
        host.reload(prefer=f"s{done.span_id}")
        if done.others:  # its pending twins got the same change (`[review] resize_propagates`)
            others = "1 other mention" if done.others == 1 else f"{done.others} other mentions"
            host.say(f"resized {others} the same (u undoes all)")

    def delete_span(self) -> None:
        """Delete the current gold span (a pending suggestion is rejected)."""
        host = self.host
        item = host.session.item
        if item is None:
            return
        if item.state == PENDING:
            self.reject()
        elif host.attempt(lambda: self._svc.review.delete_span(item.span_id)) is not FAILED:
            host.reload(after=item.start)

    def link(self) -> None:
        """Link the current entity span to a canonical entity (a suggestion is accepted with the link)."""
        host, svc = self.host, self._svc
        item = host.session.item
        if item is None or item.kind != ENTITY:
            host.refuse("/ links an entity span")
            return

        def source(query: str) -> list[Candidate]:
            return self.link_candidates(query, item.label)

        def chosen(choice: LinkChoice | None) -> None:
            if choice is None:  # Esc: nothing changes, a pending suggestion stays pending
                return
            if choice.entity_id and svc.entities.get(choice.entity_id) is None:  # a starter-KB entry: made now
                choice = LinkChoice(new_id=choice.entity_id)
            span_id = item.span_id
            if item.state == PENDING:  # accepted and linked in one action (one undo step)
                span_id = host.attempt(lambda: svc.review.accept_link(host.article_id, item.suggestion_id,
                                                               choice.entity_id or None, choice.new_name,
                                                               choice.new_id))
                result = span_id
            elif choice.entity_id:
                result = host.attempt(lambda: svc.entities.link(span_id, choice.entity_id))
            else:
                result = host.attempt(lambda: svc.entities.link_new(span_id, choice.new_name,
                                                                    entity_id=choice.new_id))
            if result is not FAILED:
                host.reload(prefer=f"s{span_id}")
                now = host.session.item
                self._move_on(f"linked to {now.kb_id}" if now is not None and now.kb_id else "linked")

        # Ctrl+N proposes what N would create (nothing new when N links to an existing entity)
        plan = svc.entities.new_entity_plan(item.text, item.label, host.article_id, (item.start, item.end))
        new_entity = NewEntity(item.label, svc.entities.proposed_id, svc.entities.id_problem, kb.ID_MAX,
                               None if plan.existing else (plan.name, plan.entity_id))
        host.app.push_screen(LinkPicker(item.text, item.kb_name, source, new_entity), chosen)

    def link_new(self) -> None:
        """Link the current mention to the entity `N` plans for it (``annotate.entities.proposal``:
        the starter KB's entry, the article's fuller mention, else the mention's slug), created unless
        it exists, in one key and one undoable action (a suggestion is accepted with it)."""
        host, svc = self.host, self._svc
        item = host.session.item
        if item is None or item.kind != ENTITY:
            host.refuse("N links an entity span to a new entity")
            return
        existing = svc.entities.new_entity_plan(item.text, item.label, host.article_id, (item.start, item.end)).existing
        if item.state == PENDING:
            result = host.attempt(lambda: svc.review.accept_link(host.article_id, item.suggestion_id, None))
            span_id = result
        else:
            span_id = item.span_id
            result = host.attempt(lambda: svc.entities.link_new(span_id))
        if result is not FAILED:
            host.reload(prefer=f"s{span_id}")
            now = host.session.item
            if now is not None and now.kb_id:
                self._move_on(f"linked to {now.kb_id}" if existing else f"new entity {now.kb_id}")

    def _move_on(self, said: str) -> None:
        """After a link: on to the next mention left unlinked (``[review] link_moves_on``), saying what
        the key did and where it went."""
        if not self._svc.config.link_moves_on or self.host.session.picking is not None or self.move_on is None:
            self.host.say(said)
            return
        self.move_on(said)

    def link_candidates(self, query: str, type_: str) -> list[Candidate]:
        """Ranked canonical entities for a query, and the starter KB's entries not imported
        (``Service.entities.link_candidates``: name, alias hit, evidence)."""
        found = self.host.attempt(lambda: self._svc.entities.link_candidates(query, type_, LINK_ROWS))
        return [] if found is FAILED else list(found)

    def done(self) -> None:
        """Mark the article done and open the next one (after asking, when suggestions are left)."""
        host, svc = self.host, self._svc

        def finish() -> None:
            if host.attempt(lambda: svc.review.mark_done(host.article_id)) is not FAILED:
                host.post_message(ArticleFinished(host.article_id, host.order))

        pending = svc.review.state(host.article_id).pending  # the database's count, not the screen's
        if not pending:
            finish()
            return
        left = "1 suggestion is" if pending == 1 else f"{pending} suggestions are"

        def answered(yes: bool | None) -> None:
            if yes:
                finish()

        host.app.push_screen(ConfirmModal(f"{left} still undecided. Mark the article done anyway?"), answered)

    def undo(self) -> None:
        """Undo this annotator's latest action in the article."""
        self._history(self._svc.review.undo, "undid", "nothing to undo")

    def redo(self) -> None:
        """Redo the latest undone action."""
        self._history(self._svc.review.redo, "redid", "nothing to redo")

    def _history(self, method: Callable[[str], str | None], verb: str, empty: str) -> None:
        host = self.host
        kind = host.attempt(lambda: method(host.article_id))
        if kind is FAILED:
            return
        if kind:  # show what changed: the span the undone (redone) action touched
            host.reload(near=self._svc.review.last_position(host.article_id), said=f"{verb} {plain_action(kind)}")
        else:
            host.say(empty)
