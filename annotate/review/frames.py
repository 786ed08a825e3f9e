"""The frame of an event: its type's roles in order, each with its attached or suggested filler.

Pure (review state + suggested arguments → rows): the article screen asks for the frame of the
current event and hands it to the ``EventFrame`` widget, which only draws it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from annotate.labels import EVENT_ROLES, EventRoles
from annotate.review.state import GOLD, PENDING, Item, ReviewState, overlaps
from store.models import EVENT

ATTACHED = "attached"
SUGGESTED = "suggested"
EMPTY = "empty"


class ArgumentHint(Protocol):
    """A suggested event argument resolved to offsets (the service's ``ArgHint``)."""

    @property
    def trigger_start(self) -> int: ...
    @property
    def trigger_end(self) -> int: ...
    @property
    def trigger_label(self) -> str: ...
    @property
    def role(self) -> str: ...
    @property
    def suggestion_id(self) -> int: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def label(self) -> str: ...


@dataclass(frozen=True)
class FrameRow:
    """One role of the frame: an attached argument, a suggested one, or nothing yet."""

    role: str
    state: str  # ATTACHED | SUGGESTED | EMPTY
    text: str = ""
    label: str = ""
    kb_name: str | None = None
    arg_id: int | None = None  # the gold EventArg (attached)
    hint: ArgumentHint | None = None  # the suggested argument
    filler_key: str | None = None  # review Item key of the filler, when it is shown in the text
    filler_pending: bool = False  # a suggested filler that is not gold yet

    @property
    def start(self) -> int | None:
        """Offset of the filler (suggested rows), for sorting and highlighting."""
        return self.hint.start if self.hint else None


@dataclass(frozen=True)
class Frame:
    """An event with its roles filled (or not)."""

    event: Item
    rows: tuple[FrameRow, ...]

    @property
    def choices(self) -> tuple[FrameRow, ...]:
        """Rows that hold an argument (the ones ``[`` / ``]`` move between)."""
        return tuple(r for r in self.rows if r.state != EMPTY)

    def filler_ranges(self, state: ReviewState) -> list[tuple[int, int]]:
        """Character ranges of the fillers (attached and suggested), to mark in the text."""
        out = []
        for row in self.choices:
            item = state.find(row.filler_key) if row.filler_key else None
            if item is not None:
                out.append((item.start, item.end))
            elif row.hint is not None:
                out.append((row.hint.start, row.hint.end))
        return out

    def next_suggested(self, row: int) -> int | None:
        """The first suggested choice at or after ``row``, wrapping round; None when none is left."""
        suggested = [n for n, r in enumerate(self.choices) if r.state == SUGGESTED]
        return next((n for n in suggested if n >= row), suggested[0] if suggested else None)


def hint_matches(event: Item, hint: ArgumentHint) -> bool:
    """Whether a suggested argument belongs to this event (its trigger suggestion, or gold over it)."""
    if event.state == PENDING:
        return (hint.trigger_start, hint.trigger_end, hint.trigger_label) == (event.start, event.end, event.label)
    return overlaps(event.start, event.end, hint.trigger_start, hint.trigger_end)


def build_frame(state: ReviewState, event: Item, hints: Sequence[ArgumentHint],
                event_roles: EventRoles = EVENT_ROLES) -> Frame:
    """The frame of ``event``: its type's roles in order, attached arguments first, then suggested ones."""
    # Items through the state's indexes (by key, over a range): the frame costs its rows, not the article.
    def gold(span_id: int) -> Item | None:
        return state.find(f"s{span_id}")

    args = [a for a in state.args if event.span_id is not None and a.event_id == event.span_id]
    roles = list(event_roles.get(event.label, ()))
    roles += [a.role for a in args if a.role not in roles]  # roles of an earlier type (relabelled event)
    rows: list[FrameRow] = []
    for role in dict.fromkeys(roles):
        found: list[FrameRow] = []
        attached = [f for f in (gold(a.span_id) for a in args if a.role == role) if f is not None]
        for arg in (a for a in args if a.role == role):
            filler = gold(arg.span_id)
            found.append(FrameRow(role, ATTACHED, filler.text if filler else "?", filler.label if filler else "",
                                  filler.kb_name if filler else None, arg_id=arg.id,
                                  filler_key=filler.key if filler else None))
        seen: set[tuple[int, int]] = set()
        for hint in hints:
            if hint.role != role or not hint_matches(event, hint) or (hint.start, hint.end) in seen:
                continue
            if any(overlaps(f.start, f.end, hint.start, hint.end) for f in attached):
                continue  # already attached (perhaps with other bounds)
            seen.add((hint.start, hint.end))
            item = state.find(f"g{hint.suggestion_id}") or next(
                (i for i in state.overlapping(hint.start, hint.end) if i.state == GOLD and i.kind != EVENT), None)
            text = item.text if item else state.article.text[hint.start:hint.end]
            found.append(FrameRow(role, SUGGESTED, text, item.label if item else hint.label,
                                  item.kb_name if item else None, hint=hint, filler_key=item.key if item else None,
                                  filler_pending=item is None or item.state == PENDING))
        rows += found or [FrameRow(role, EMPTY)]
    return Frame(event, tuple(rows))
