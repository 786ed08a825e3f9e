"""Event arguments from the keyboard.

On an event (a gold trigger, or a pending one), ``r`` picks a role, then the reviewer moves to the
filler (j/k, or the token cursor + ``v`` + a label key for a new span) and ``Enter`` attaches it;
``Esc`` cancels. The side panel shows the frame of the current event; ``[``/``]`` select an
argument there, ``y``/``n`` accept/reject a suggested one, ``R`` replaces a filler, ``X`` removes
an attached argument. Each is one Service call, so one undo step: a pending trigger becomes gold
in the same action as its first argument.
"""

from __future__ import annotations

from annotate.review.frames import ATTACHED, SUGGESTED, Frame, FrameRow
from annotate.review.state import GOLD, Item
from annotate.service import Service
from store.models import EVENT
from tui import keys
from tui.modals.dialogs import LabelPicker
from tui.screens.article.host import ArticleHost
from tui.screens.base import FAILED


class EventActions:
    """Role attachment and the event frame's keys; the screen routes its keys here."""

    def __init__(self, host: ArticleHost) -> None:
        self.host = host

    @property
    def _svc(self) -> Service:
        return self.host.svc

    # -- words on screen ----------------------------------------------------

    def keys_hint(self) -> str:
        """One or two lines naming the frame's keys as configured."""
        k = self._svc.config.keys
        if self.host.session.picking is not None:
            return f"{keys.key_name(k['attach_arg'])} attaches the current span · {keys.key_name(k['back'])} cancels"
        name = {action: keys.key_name(k[action]) for action in
                ("add_arg", "arg_prev", "arg_next", "accept_arg", "reject_arg", "replace_arg", "remove_arg")}
        return (f"{name['add_arg']} add a role · {name['arg_prev']} {name['arg_next']} select an argument\n"
                f"{name['accept_arg']} accept · {name['reject_arg']} reject · {name['replace_arg']} replace · "
                f"{name['remove_arg']} remove")

    def idle_hint(self) -> str:
        """What the event frame says away from an event: how to make one."""
        k = self._svc.config.keys
        return f"{keys.key_name(k['event_mode'])} marks the span or selection as an event"

    def pick_prompt(self) -> str:
        """The status-line prompt while a role waits for its filler."""
        session = self.host.session
        pick = session.picking
        if pick is None:
            return ""
        k = self._svc.config.keys
        what = f" (replacing “{pick.replacing_text}”)" if pick.replacing_text else ""
        if session.selection:
            return f"{pick.label} › {pick.role}{what}: a label key (or t) makes the span, then " \
                   f"{keys.key_name(k['attach_arg'])}"
        return (f"{pick.label} › {pick.role}{what}: choose a span, {keys.key_name(k['attach_arg'])} to attach, "
                f"{keys.key_name(k['back'])} to cancel")

    # -- helpers ------------------------------------------------------------

    def _selected_row(self, wanted: str | None = None) -> tuple[Frame, FrameRow] | None:
        host, session = self.host, self.host.session
        if session.picking is not None:
            host.refuse("choosing a filler: Enter attaches it, Esc cancels")
            return None
        frame = session.frame()
        if frame is None or not frame.choices:
            host.refuse("no argument selected: go to an event with arguments ([ / ] select one)")
            return None
        row = frame.choices[session.frame_row]
        if wanted is not None and row.state != wanted:
            host.refuse(f"the selected argument is {row.state}")
            return None
        return frame, row

    def _attach(self, event: Item, role: str, **filler: object) -> bool:
        """Attach a filler to ``event`` in one action (a pending trigger is accepted in the same one)."""
        host, svc = self.host, self._svc
        if event.state == GOLD:
            result = host.attempt(lambda: svc.events.attach(event.span_id, role, **filler))  # type: ignore[arg-type]
        else:
            result = host.attempt(lambda: svc.events.attach(None, role, trigger_suggestion_id=event.suggestion_id,
                                                     **filler))  # type: ignore[arg-type]
        if result is FAILED:
            return False
        host.reload(prefer=event.key)
        if event.state != GOLD:  # the trigger is gold now: show it by its new key
            session = host.session
            gold = next((i for i in session.state.items if i.state == GOLD and i.kind == EVENT
                         and (i.start, i.end, i.label) == (event.start, event.end, event.label)), None)
            if gold is not None:
                session.go(gold)
                host.paint()
        return True

    # -- attaching a role -------------------------------------------------

    def add_arg(self) -> None:
        """Pick a role of the current event, then choose its filler."""
        host, session = self.host, self.host.session
        event = session.frame_event()
        if event is None:
            host.refuse("r attaches a role to an event: go to an event trigger first (e makes one)")
            return
        session.picking = None
        color = self._svc.config.event_color
        roles = [(role, color) for role in self._svc.config.event_roles.get(event.label, ())]
        picker = LabelPicker(f"{event.label} “{event.text}” › role (number or type, Esc cancels)", roles)

        def chosen(role: str | None) -> None:
            if role:
                session.start_pick(event, role)
                host.paint()

        host.app.push_screen(picker, chosen)

    def cancel_pick(self) -> None:
        """Stop choosing a filler; back to the event."""
        self.host.session.cancel_pick()
        self.host.paint()

    def attach_arg(self) -> None:
        """Attach the current span (gold, or a suggestion: accepted with it) to the role being chosen."""
        host, session = self.host, self.host.session
        pick = session.picking
        if pick is None:
            host.refuse("Enter attaches a filler after r (pick a role on an event)")
            return
        item = session.item
        if item is None:
            hint = "label the selection first (a label key or t)" if session.selection else "choose a span (j / k)"
            host.refuse(hint)
            return
        if item.kind == EVENT:
            host.refuse("a filler is an entity or a value span (t offers DATE, QUANTITY)")
            return
        event = session.state.find(pick.event_key)
        if event is None:
            host.refuse("the event is gone (undone?): choose it again")
            session.picking = None
            host.paint()
            return
        filler = {"span_id": item.span_id} if item.state == GOLD else {"suggestion_id": item.suggestion_id}
        session.picking = None
        if self._attach(event, pick.role, replaces=pick.replaces, rejects=pick.rejects, **filler):
            host.say(f"{pick.label} › {pick.role}: “{item.text}”")
        else:
            session.picking = pick  # refused: still choosing
            host.paint(scroll=False)

    # -- the selected argument --------------------------------------------

    def arg_move(self, delta: int) -> None:
        """Select the next / previous argument of the frame."""
        if self.host.session.move_frame_row(delta):
            self.host.paint(scroll=False)

    def accept_arg(self) -> None:
        """Accept the selected suggested argument (its trigger and filler become gold if pending)."""
        found = self._selected_row(SUGGESTED)
        if found is None:
            return
        frame, row = found
        assert row.hint is not None
        if self._attach(frame.event, row.role, suggestion_id=row.hint.suggestion_id):
            self._next_suggested()

    def reject_arg(self) -> None:
        """Reject the selected suggested argument."""
        found = self._selected_row(SUGGESTED)
        if found is None:
            return
        frame, row = found
        host = self.host
        if host.attempt(lambda: self._svc.events.reject_arg(host.article_id, row.hint)) is not FAILED:  # type: ignore[arg-type]
            host.reload(prefer=frame.event.key)
            self._next_suggested()

    def _next_suggested(self) -> None:
        self.host.session.select_next_suggested()
        self.host.paint(scroll=False)

    def replace_arg(self) -> None:
        """Choose another filler for the selected argument (Enter attaches it, Esc cancels)."""
        found = self._selected_row()
        if found is None:
            return
        frame, row = found
        session = self.host.session
        if row.state == ATTACHED:
            session.start_pick(frame.event, row.role, replaces=row.arg_id, replacing_text=row.text)
        else:
            session.start_pick(frame.event, row.role, rejects=row.hint, replacing_text=row.text)
        self.host.paint()

    def remove_arg(self) -> None:
        """Detach the selected argument (its span stays)."""
        found = self._selected_row(ATTACHED)
        if found is None:
            return
        frame, row = found
        host = self.host
        if host.attempt(lambda: self._svc.events.remove_arg(row.arg_id)) is not FAILED:  # type: ignore[arg-type]
            host.reload(prefer=frame.event.key)
