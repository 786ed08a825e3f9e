"""The article screen's state without Textual: a ReviewSession and event frames, driven directly."""

from __future__ import annotations

from dataclasses import dataclass

from annotate.review.frames import ATTACHED, EMPTY, SUGGESTED, build_frame
from annotate.review.session import ReviewSession
from annotate.review.state import GOLD, PENDING, Item, ReviewState
from store.models import ENTITY, EVENT, Article, EventArg

TEXT = "Des roquettes ont été tirés samedi sur Aïn Assad par Centcom en Irak."
ROLES = {"ATTACK": ("agent", "target", "time")}


@dataclass(frozen=True)
class Hint:
    """A suggested argument, shaped as the service's ArgHint."""

    trigger_start: int
    trigger_end: int
    trigger_label: str
    role: str
    suggestion_id: int
    start: int
    end: int
    label: str


def span(surface: str, label: str, kind: str = ENTITY, *, gold: int | None = None, sug: int | None = None) -> Item:
    start = TEXT.index(surface)
    state = GOLD if gold is not None else PENDING
    return Item(start, start + len(surface), label, kind, state, surface, span_id=gold, suggestion_id=sug)


TRIGGER = span("tirés", "ATTACK", EVENT, sug=1)
TARGET = span("Aïn Assad", "LOC", sug=2)
AGENT = span("Centcom", "ORG", gold=10)
PLACE = span("Irak", "LOC", sug=3)
ARTICLE = Article("a1", "a.txt", "A", None, TEXT)


def state(*items: Item, args: tuple[EventArg, ...] = ()) -> ReviewState:
    return ReviewState(ARTICLE, "alice", tuple(sorted(items, key=lambda i: i.start)), args)


def hint(trigger: Item, role: str, filler: Item) -> Hint:
    return Hint(trigger.start, trigger.end, trigger.label, role, filler.suggestion_id or 0, filler.start,
                filler.end, filler.label)


def test_steps_between_spans_and_the_cursor_follows() -> None:
    session = ReviewSession(state(TRIGGER, TARGET, AGENT, PLACE), start=TRIGGER)
    assert session.item == TRIGGER and session.cursor_range == (TRIGGER.start, TRIGGER.end)
    session.step(1)
    assert session.item == TARGET
    session.step(-1)
    session.step(-1)  # the first span stays current
    assert session.item == TRIGGER


def test_the_token_cursor_makes_the_span_under_it_current_and_selects() -> None:
    session = ReviewSession(state(TARGET, AGENT), start=None)
    assert session.item is None
    while session.item != TARGET:
        session.move_cursor(1, by_word=True)
    session.toggle_selection()
    assert session.item is None and session.selection == (TARGET.start, TARGET.start + len("Aïn"))
    session.move_cursor(1, by_word=True)
    assert session.selection == (TARGET.start, TARGET.end)
    session.toggle_selection()
    assert session.selection is None


def test_while_choosing_a_filler_events_are_skipped() -> None:
    session = ReviewSession(state(TRIGGER, TARGET, AGENT), start=TRIGGER)
    session.start_pick(TRIGGER, "target")
    session.step(-1)
    assert session.item == TARGET  # not the trigger, although it comes first
    session.cancel_pick()
    assert session.picking is None and session.item == TRIGGER


def test_settle_prefers_a_key_then_the_next_pending_then_the_same() -> None:
    session = ReviewSession(state(TRIGGER, TARGET, AGENT, PLACE), start=TARGET)
    session.settle(state(TRIGGER, AGENT, PLACE), after=TARGET.end)  # the target rejected
    assert session.item == PLACE
    session.settle(state(TRIGGER, AGENT, PLACE), prefer=AGENT.key)
    assert session.item == AGENT
    assert session.reconcile(state(TRIGGER, AGENT, PLACE)) is False
    assert session.reconcile(state(TRIGGER, PLACE)) is True and session.item == PLACE  # its span went


def test_the_frame_of_a_pending_trigger_lists_its_roles_and_suggestions() -> None:
    reads = []

    def hints() -> list[Hint]:
        reads.append(1)
        return [hint(TRIGGER, "target", TARGET), hint(TRIGGER, "time", PLACE)]

    session = ReviewSession(state(TRIGGER, TARGET, AGENT, PLACE), hints, ROLES, start=TRIGGER)
    frame = session.frame()
    assert [(r.role, r.state, r.text) for r in frame.rows] == [
        ("agent", EMPTY, ""), ("target", SUGGESTED, "Aïn Assad"), ("time", SUGGESTED, "Irak")]
    assert session.related(frame) == [(TARGET.start, TARGET.end), (PLACE.start, PLACE.end)]
    assert session.move_frame_row(1) and session.frame_row == 1
    session.move_frame_row(1)
    assert session.frame_row == 0  # wraps round
    session.frame()
    assert len(reads) == 1  # read once per state
    session.forget_hints()
    session.frame()
    assert len(reads) == 2
    session.step(1)
    assert session.frame() is None  # not an event


def test_attached_arguments_come_first_and_hide_the_same_suggestion() -> None:
    gold_trigger = span("tirés", "ATTACK", EVENT, gold=20)
    gold_target = span("Aïn Assad", "LOC", gold=21)
    args = (EventArg(1, 20, "target", 21), EventArg(2, 20, "agent", 10))
    current = state(gold_trigger, gold_target, AGENT, args=args)
    frame = build_frame(current, gold_trigger, [hint(TRIGGER, "target", TARGET)], ROLES)
    assert [(r.role, r.state, r.text) for r in frame.rows] == [
        ("agent", ATTACHED, "Centcom"), ("target", ATTACHED, "Aïn Assad"), ("time", EMPTY, "")]
    assert frame.next_suggested(0) is None


def test_next_suggested_goes_down_then_wraps() -> None:
    frame = build_frame(state(TRIGGER, TARGET, PLACE), TRIGGER,
                        [hint(TRIGGER, "agent", TARGET), hint(TRIGGER, "time", PLACE)], ROLES)
    assert [r.role for r in frame.choices] == ["agent", "time"]
    assert frame.next_suggested(1) == 1 and frame.next_suggested(2) == 0


def test_after_the_last_suggested_argument_the_selection_stays() -> None:
    hints = [hint(TRIGGER, "agent", TARGET), hint(TRIGGER, "time", PLACE)]
    session = ReviewSession(state(TRIGGER, TARGET, PLACE), lambda: hints, ROLES, start=TRIGGER)
    session.frame()
    session.move_frame_row(1)  # time, the last one
    session.select_next_suggested()
    assert session.frame_row == 1
    session.frame_row = 0
    session.select_next_suggested()
    assert session.frame_row == 0  # itself, still suggested


def test_go_near_finds_the_span_an_undo_touched() -> None:
    session = ReviewSession(state(TRIGGER, TARGET, AGENT), start=AGENT)
    session.go_near(TARGET.start, TARGET.end)
    assert session.item == TARGET
    session.go_near(TARGET.start + 1, TARGET.end + 20)  # other bounds: the span under its start
    assert session.item == TARGET
    gone = TEXT.index("Des")
    session.go_near(gone, gone + 3)  # nothing there any more: the cursor goes there
    assert session.item is None and session.cursor_offset == gone
