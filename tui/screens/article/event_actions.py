"""Event arguments from the keyboard: a mixin of :class:`tui.screens.article.screen.ArticleScreen`.

On an event (a gold trigger, or a pending one: accepted first), ``r`` picks a role, then the
reviewer moves to the filler (j/k, or the token cursor + ``v`` + a label key for a new span)
and ``Enter`` attaches it; ``Esc`` cancels. The side panel shows the frame of the current
event; ``[``/``]`` select an argument there, ``y``/``n`` accept/reject a suggested one, ``R``
replaces a filler, ``X`` removes an attached argument. Each is one Service call (one undo).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from annotate.review.state import GOLD, Item
from annotate.service import ArgHint
from store.models import EVENT
from tui import keys
from tui.screens.article.review_actions import FAILED
from tui.modals.dialogs import LabelPicker
from tui.widgets.event_frame import ATTACHED, SUGGESTED, Frame, FrameRow, build_frame

if TYPE_CHECKING:
    from tui.screens.article.screen import ArticleScreen

    Base = ArticleScreen
else:
    Base = object


@dataclass(frozen=True)
class Pick:
    """A role waiting for its filler: the gold event, the role, and what the filler replaces."""

    event_key: str
    event_span_id: int
    label: str
    role: str
    replaces: int | None = None  # an attached argument (EventArg id)
    rejects: ArgHint | None = None  # a suggested argument
    replacing_text: str = ""


class EventActions(Base):
    """Role attachment and the event frame's keys."""

    picking: Pick | None = None
    frame_row: int = 0
    _hints: list[ArgHint] | None = None
    _frame_event: str | None = None

    # -- the frame --------------------------------------------------------

    def frame_event(self) -> Item | None:
        """The event whose frame is shown: the one being filled, else the current span if it is an event."""
        if self.picking is not None:
            return self.state.find(self.picking.event_key)
        item = self.item
        return item if item is not None and item.kind == EVENT else None

    def frame(self) -> Frame | None:
        """The frame of :meth:`frame_event` (suggested arguments read once per state)."""
        event = self.frame_event()
        if event is None:
            return None
        if self._hints is None:
            self._hints = self.svc.events.arg_hints(self.article_id)
        if event.key != self._frame_event:
            self._frame_event = event.key
            self.frame_row = 0
        frame = build_frame(self.state, event, self._hints, self.svc.config.event_roles)
        self.frame_row = max(0, min(self.frame_row, len(frame.choices) - 1))
        return frame

    def forget_hints(self) -> None:
        """The database changed: read the suggested arguments again when next needed."""
        self._hints = None

    def frame_keys_hint(self) -> str:
        """One line naming the frame's keys as configured."""
        k = self.svc.config.keys
        if self.picking is not None:
            return f"{keys.key_name(k['attach_arg'])} attaches the current span · {keys.key_name(k['back'])} cancels"
        name = {action: keys.key_name(k[action]) for action in
                ("add_arg", "arg_prev", "arg_next", "accept_arg", "reject_arg", "replace_arg", "remove_arg")}
        return (f"{name['add_arg']} add a role · {name['arg_prev']} {name['arg_next']} select an argument\n"
                f"{name['accept_arg']} accept · {name['reject_arg']} reject · {name['replace_arg']} replace · "
                f"{name['remove_arg']} remove")

    def pick_prompt(self) -> str:
        """The status-line prompt while a role waits for its filler."""
        pick = self.picking
        if pick is None:
            return ""
        k = self.svc.config.keys
        what = f" (replacing “{pick.replacing_text}”)" if pick.replacing_text else ""
        if self.selection:
            return f"{pick.label} › {pick.role}{what}: a label key (or t) makes the span, then " \
                   f"{keys.key_name(k['attach_arg'])}"
        return (f"{pick.label} › {pick.role}{what}: choose a span, {keys.key_name(k['attach_arg'])} to attach, "
                f"{keys.key_name(k['back'])} to cancel")

    def _selected_row(self, wanted: str | None = None) -> tuple[Frame, FrameRow] | None:
        if self.picking is not None:
            self.notify("choosing a filler: Enter attaches it, Esc cancels", severity="warning")
            return None
        frame = self.frame()
        if frame is None or not frame.choices:
            self.notify("no argument selected: go to an event with arguments ([ / ] select one)", severity="warning")
            return None
        row = frame.choices[self.frame_row]
        if wanted is not None and row.state != wanted:
            self.notify(f"the selected argument is {row.state}", severity="warning")
            return None
        return frame, row

    def _gold_event(self, event: Item) -> Item | None:
        """The event as gold: a pending trigger is accepted first (its own undoable action)."""
        if event.state == GOLD:
            return event
        span_id = self._call(self.svc.review.accept, self.article_id, event.suggestion_id)
        if span_id is FAILED:
            return None
        self._reload(prefer=f"s{span_id}")
        return self.state.find(f"s{span_id}")

    # -- attaching a role -------------------------------------------------

    def action_add_arg(self) -> None:
        """Pick a role of the current event, then choose its filler."""
        event = self.frame_event()
        if event is None:
            self.notify("r attaches a role to an event: go to an event trigger first (e makes one)",
                        severity="warning")
            return
        self.picking = None
        event = self._gold_event(event)
        if event is None:
            return
        color = self.svc.config.event_color
        roles = [(role, color) for role in self.svc.config.event_roles.get(event.label, ())]
        picker = LabelPicker(f"{event.label} “{event.text}” › role (number or type, Esc cancels)", roles)

        def chosen(role: str | None) -> None:
            if role:
                self.start_pick(event, role)

        self.app.push_screen(picker, chosen)

    def start_pick(self, event: Item, role: str, replaces: int | None = None, rejects: ArgHint | None = None,
                   replacing_text: str = "") -> None:
        """Wait for the filler of ``role``: the reviewer moves to a span and presses Enter."""
        assert event.span_id is not None
        self.picking = Pick(event.key, event.span_id, event.label, role, replaces, rejects, replacing_text)
        self.paint()

    def cancel_pick(self) -> None:
        """Stop choosing a filler; back to the event."""
        pick, self.picking = self.picking, None
        if pick is not None:
            self._go(self.state.find(pick.event_key))

    def action_attach_arg(self) -> None:
        """Attach the current span (gold, or a suggestion: accepted with it) to the role being chosen."""
        pick = self.picking
        if pick is None:
            self.notify("Enter attaches a filler after r (pick a role on an event)", severity="warning")
            return
        item = self.item
        if item is None:
            hint = "label the selection first (a label key or t)" if self.selection else "choose a span (j / k)"
            self.notify(hint, severity="warning")
            return
        if item.kind == EVENT:
            self.notify("a filler is an entity or a value span (t offers DATE, QUANTITY)", severity="warning")
            return
        filler = {"span_id": item.span_id} if item.state == GOLD else {"suggestion_id": item.suggestion_id}
        result = self._call(self.svc.events.attach, pick.event_span_id, pick.role, replaces=pick.replaces,
                            rejects=pick.rejects, **filler)
        if result is not FAILED:
            self.picking = None
            self.notify(f"{pick.label} › {pick.role}: “{item.text}”", timeout=2)
            self._reload(prefer=pick.event_key)

    # -- the selected argument --------------------------------------------

    def action_arg_move(self, delta: int) -> None:
        """Select the next / previous argument of the frame."""
        frame = self.frame()
        if frame is None or not frame.choices:
            return
        self.frame_row = (self.frame_row + delta) % len(frame.choices)
        self.paint(scroll=False)

    def action_accept_arg(self) -> None:
        """Accept the selected suggested argument (its trigger and filler become gold if pending)."""
        found = self._selected_row(SUGGESTED)
        if found is None:
            return
        frame, row = found
        event = self._gold_event(frame.event)
        if event is None or row.hint is None or event.span_id is None:
            return
        result = self._call(self.svc.events.attach, event.span_id, row.role, suggestion_id=row.hint.suggestion_id)
        if result is not FAILED:
            self._reload(prefer=event.key)
            self._next_suggested()

    def action_reject_arg(self) -> None:
        """Reject the selected suggested argument."""
        found = self._selected_row(SUGGESTED)
        if found is None:
            return
        frame, row = found
        assert row.hint is not None
        if self._call(self.svc.events.reject_arg, self.article_id, row.hint) is not FAILED:
            self._reload(prefer=frame.event.key)
            self._next_suggested()

    def _next_suggested(self) -> None:
        """After a decision, select the next suggested argument (so y / n go down the frame)."""
        frame = self.frame()
        if frame is None:
            return
        choices = frame.choices
        later = [n for n, r in enumerate(choices) if r.state == SUGGESTED and n >= self.frame_row]
        first = [n for n, r in enumerate(choices) if r.state == SUGGESTED]
        if later or first:
            self.frame_row = (later or first)[0]
            self.paint(scroll=False)

    def action_replace_arg(self) -> None:
        """Choose another filler for the selected argument (Enter attaches it, Esc cancels)."""
        found = self._selected_row()
        if found is None:
            return
        frame, row = found
        event = self._gold_event(frame.event)
        if event is None:
            return
        if row.state == ATTACHED:
            self.start_pick(event, row.role, replaces=row.arg_id, replacing_text=row.text)
        else:
            self.start_pick(event, row.role, rejects=row.hint, replacing_text=row.text)

    def action_remove_arg(self) -> None:
        """Detach the selected argument (its span stays)."""
        found = self._selected_row(ATTACHED)
        if found is None:
            return
        frame, row = found
        if self._call(self.svc.events.remove_arg, row.arg_id) is not FAILED:
            self._reload(prefer=frame.event.key)
