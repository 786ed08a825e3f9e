"""One reviewer's place in one article: the state shown, the current span, the token cursor, the
selection, the role waiting for its filler and the event frame's selected row.

A plain object without Textual or a database: the article screen owns one, changes it from its key
actions and hands it to its widgets to draw. Tests drive it directly. The service is reached only
through ``hints``, a callable returning the article's suggested arguments (read once per state).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from annotate.labels import EVENT_ROLES, EventRoles
from annotate.review.find import find_hits, next_hit
from annotate.review.frames import ArgumentHint, Frame, build_frame
from annotate.review.navigation import item_at, step, token_range, word_step
from annotate.review.state import PENDING, Item, ReviewState
from annotate.review.tokens import TokenIndex
from store.models import EVENT

Range = tuple[int, int]


@dataclass(frozen=True)
class Pick:
    """A role waiting for its filler: the event, the role, and what the filler replaces.

    ``event_key`` names a gold trigger, or a pending one that becomes gold with its first argument.
    """

    event_key: str
    label: str
    role: str
    replaces: int | None = None  # an attached argument (EventArg id)
    rejects: ArgumentHint | None = None  # a suggested argument
    replacing_text: str = ""


class ReviewSession:
    """The review of one article as the screen shows it; every method is a pure change of this object."""

    def __init__(self, state: ReviewState, hints: Callable[[], Sequence[ArgumentHint]] = list,
                 event_roles: EventRoles = EVENT_ROLES, start: Item | None = None) -> None:
        self.state = state
        self.tokens = TokenIndex(state.article.text)
        self.current: str | None = None
        self.cursor = 0  # index of a token
        self.anchor: int | None = None  # token where a keyboard selection started
        self.mouse_selection: Range | None = None
        self.picking: Pick | None = None
        self.frame_row = 0
        self._load_hints = hints
        self._hints: Sequence[ArgumentHint] | None = None
        self._frame_event: tuple[int, int, str] | None = None
        self._event_roles = event_roles
        self.last_find = ""  # the latest find query (`g` finds it again)
        self.go(start)

    # -- what is current --------------------------------------------------

    @property
    def item(self) -> Item | None:
        """The current span, if any."""
        return self.state.find(self.current) if self.current else None

    @property
    def selection(self) -> Range | None:
        """Characters selected with `v` + cursor or with the mouse."""
        if self.anchor is not None and len(self.tokens):
            return token_range(self.tokens, self.anchor, self.cursor)
        return self.mouse_selection

    @property
    def cursor_range(self) -> Range | None:
        """Characters of the token under the cursor."""
        return self.tokens.spans[self.cursor] if len(self.tokens) else None

    @property
    def cursor_offset(self) -> int:
        """Character offset of the cursor."""
        return self.tokens.starts[self.cursor] if len(self.tokens) else 0

    def target(self) -> Range | None:
        """What the text should keep in view: the current span, else the cursor."""
        item = self.item
        return (item.start, item.end) if item and not self.selection else self.cursor_range

    # -- moving -----------------------------------------------------------

    def go(self, item: Item | None) -> None:
        """Make ``item`` current (None: none); the cursor goes to its start, the selection is dropped."""
        self.current = item.key if item else None
        self.anchor = None
        self.mouse_selection = None
        if item is not None and len(self.tokens):
            self.cursor = self.tokens.at(item.start)

    def navigable(self) -> tuple[Item, ...]:
        """The spans j / k visit: all, or while choosing a filler only entity and value spans."""
        if self.picking is None:
            return self.state.items
        return tuple(i for i in self.state.items if i.kind != EVENT)

    def step(self, delta: int) -> None:
        """Next (1) or previous (-1) span in the text."""
        if self.picking is not None:
            self.go(step(self.navigable(), self.current, self.cursor_offset, delta))
        else:
            self.go(self._step(self.state, self.current, self.cursor_offset, delta))

    @staticmethod
    def _step(state: ReviewState, key: str | None, offset: int, delta: int) -> Item | None:
        """``navigation.step`` over all of ``state``'s items, through its indexes (no walk through the article)."""
        items = state.items
        if not items:
            return None
        n = state.position(key)
        if n is None:
            at = state.first_from(offset)  # the first item starting at or after ``offset``
            return items[min(at, len(items) - 1)] if delta > 0 else items[max(at - 1, 0)]
        return items[max(0, min(len(items) - 1, n + delta))]

    @staticmethod
    def _next_pending(state: ReviewState, after: int) -> Item | None:
        """``navigation.next_pending`` through ``state``'s indexes: a walk from ``after`` to the next pending one."""
        items, at = state.items, state.first_from(after)
        found = next((i for i in items[at:] if i.state == PENDING), None)
        return found or next((i for i in items[:at] if i.state == PENDING), None)

    def move_cursor(self, delta: int, by_word: bool) -> None:
        """Move the token cursor; the span under it becomes current (unless selecting)."""
        if not len(self.tokens):
            return
        if by_word:
            self.cursor = word_step(self.tokens, self.state.article.text, self.cursor, delta)
        else:
            self.cursor = max(0, min(len(self.tokens) - 1, self.cursor + delta))
        self._cursor_moved()

    def _cursor_moved(self) -> None:
        self.mouse_selection = None
        if self.anchor is None:
            start, end = self.tokens.spans[self.cursor]
            under = item_at(self.state.overlapping(start, end), start, end)
            self.current = under.key if under else None

    def find(self, query: str, delta: int = 1) -> tuple[int, int, bool]:
        """Move the cursor to the next hit of ``query`` after the cursor's token (``delta`` -1: the
        one before), wrapping round; the span there becomes current (while selecting, the selection
        grows to it instead). Remembers ``query`` for the next find. Returns (hit number from 1,
        hits, wrapped); (0, 0, False) when nothing matches (the cursor stays)."""
        self.last_find = query
        hits = find_hits(self.state.article.text, query)
        if not hits or not len(self.tokens):
            return 0, len(hits), False
        start, end = self.tokens.spans[self.cursor]
        hit, wrapped = next_hit(hits, end if delta > 0 else start, delta)
        assert hit is not None
        self.cursor = self.tokens.at(hit)
        self._cursor_moved()
        return hits.index(hit) + 1, len(hits), wrapped

    def toggle_selection(self) -> None:
        """Start a selection at the cursor (again: drop it)."""
        if self.anchor is None and self.mouse_selection is None:
            self.anchor = self.cursor
            self.current = None
        else:
            self.drop_selection()

    def drop_selection(self) -> None:
        """Forget the selection (keyboard or mouse)."""
        self.anchor = None
        self.mouse_selection = None

    def mouse_select(self, start: int, end: int, final: bool) -> None:
        """The mouse selected ``start``–``end`` (snapped to tokens); a click moves the cursor there."""
        start, end = self.tokens.snap(start, end)
        first, last = self.tokens.at(start), self.tokens.at(max(end - 1, start))
        self.cursor = last
        self.anchor = None
        if final and first == last:
            self.mouse_selection = None
            under = item_at(self.state.overlapping(start, end), start, end)
            self.current = under.key if under else None
        else:
            self.mouse_selection = (start, end)
            self.current = None

    # -- a new state --------------------------------------------------------

    def settle(self, state: ReviewState, prefer: str | None = None, after: int | None = None) -> None:
        """Show ``state``; current = ``prefer``, else the next pending after ``after``, else the same, else nearest."""
        self.state = state
        item = state.find(prefer) if prefer else None
        if item is None and after is not None:
            item = self._next_pending(state, after) or self._step(state, None, after, 1)
        if item is None and self.current:
            item = state.find(self.current)
        if item is None:
            item = self._step(state, None, self.cursor_offset, 1)
        self.go(item)

    def reconcile(self, fresh: ReviewState) -> bool:
        """Take the database's state; True when it differs from the one shown (then repaint; else the
        state shown stays, its items the same objects, so that the widgets see nothing changed)."""
        changed = (fresh.items, fresh.args) != (self.state.items, self.state.args)
        if changed:
            self.state = fresh
            self.forget_hints()
            if self.current and fresh.find(self.current) is None:
                self.go(self._step(fresh, None, self.cursor_offset, 1))
        return changed

    def go_near(self, start: int, end: int) -> None:
        """Make current the span at ``start``–``end``, else the one under ``start``, else the cursor goes there."""
        exact = next((i for i in self.state.overlapping(start, end) if (i.start, i.end) == (start, end)), None)
        under = exact or item_at(self.state.overlapping(start, start + 1), start, start + 1)
        if under is not None:
            self.go(under)
        elif len(self.tokens):
            self.go(None)
            self.cursor = self.tokens.at(start)

    def forget_hints(self) -> None:
        """The database changed: read the suggested arguments again when next needed."""
        self._hints = None

    # -- the event frame ----------------------------------------------------

    def frame_event(self) -> Item | None:
        """The event whose frame is shown: the one being filled, else the current span if it is an event."""
        if self.picking is not None:
            return self.state.find(self.picking.event_key)
        item = self.item
        return item if item is not None and item.kind == EVENT else None

    def frame(self) -> Frame | None:
        """The frame of :meth:`frame_event`; the selected row goes back to the top for another event."""
        event = self.frame_event()
        if event is None:
            return None
        if self._hints is None:
            self._hints = self._load_hints()
        same = (event.start, event.end, event.label)  # a pending trigger made gold is the same event
        if same != self._frame_event:
            self._frame_event = same
            self.frame_row = 0
        frame = build_frame(self.state, event, self._hints, self._event_roles)
        self.frame_row = max(0, min(self.frame_row, len(frame.choices) - 1))
        return frame

    def related(self, frame: Frame | None) -> list[Range]:
        """Ranges to mark beside the current span: the frame's fillers (and the event while filling it)."""
        related = frame.filler_ranges(self.state) if frame else []
        if frame is not None and self.picking is not None:
            related.append((frame.event.start, frame.event.end))
        return related

    def move_frame_row(self, delta: int) -> bool:
        """Select the next / previous argument of the frame; False when there is none."""
        frame = self.frame()
        if frame is None or not frame.choices:
            return False
        self.frame_row = (self.frame_row + delta) % len(frame.choices)
        return True

    def select_next_suggested(self) -> None:
        """After a decision, select the next suggested argument below (so y / n go down the frame);
        when none is left below, the selection stays where it is (it never jumps back up)."""
        frame = self.frame()
        found = frame.next_suggested(self.frame_row) if frame else None
        if found is not None and found >= self.frame_row:
            self.frame_row = found

    def start_pick(self, event: Item, role: str, replaces: int | None = None,
                   rejects: ArgumentHint | None = None, replacing_text: str = "") -> None:
        """Wait for the filler of ``role`` (the reviewer moves to a span and attaches it)."""
        self.picking = Pick(event.key, event.label, role, replaces, rejects, replacing_text)

    def cancel_pick(self) -> None:
        """Stop choosing a filler; back to the event."""
        pick, self.picking = self.picking, None
        if pick is not None:
            self.go(self.state.find(pick.event_key))
