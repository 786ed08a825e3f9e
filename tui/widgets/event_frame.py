"""The event frame of the side panel: type, trigger, and each role with its filler.

``build_frame`` is pure (review state + suggested arguments → rows); ``EventFrame`` draws
a frame given to it by the screen (``show``) and never reads the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.widgets import Static

from annotate.labels import EVENT_ROLES, EventRoles
from annotate.review.state import GOLD, PENDING, Item, ReviewState, overlaps
from annotate.service import ArgHint
from store.models import EVENT
from tui.text import displayable, one_line

ATTACHED = "attached"
SUGGESTED = "suggested"
EMPTY = "empty"


@dataclass(frozen=True)
class FrameRow:
    """One role of the frame: an attached argument, a suggested one, or nothing yet."""

    role: str
    state: str  # ATTACHED | SUGGESTED | EMPTY
    text: str = ""
    label: str = ""
    kb_name: str | None = None
    arg_id: int | None = None  # the gold EventArg (attached)
    hint: ArgHint | None = None  # the suggested argument
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


def hint_matches(event: Item, hint: ArgHint) -> bool:
    """Whether a suggested argument belongs to this event (its trigger suggestion, or gold over it)."""
    if event.state == PENDING:
        return (hint.trigger_start, hint.trigger_end, hint.trigger_label) == (event.start, event.end, event.label)
    return overlaps(event.start, event.end, hint.trigger_start, hint.trigger_end)


def build_frame(state: ReviewState, event: Item, hints: Sequence[ArgHint],
                event_roles: EventRoles = EVENT_ROLES) -> Frame:
    """The frame of ``event``: its type's roles in order, attached arguments first, then suggested ones."""
    gold = {i.span_id: i for i in state.items if i.span_id is not None}
    pending = {i.suggestion_id: i for i in state.items if i.suggestion_id is not None}
    args = [a for a in state.args if event.span_id is not None and a.event_id == event.span_id]
    roles = list(event_roles.get(event.label, ()))
    roles += [a.role for a in args if a.role not in roles]  # roles of an earlier type (relabelled event)
    entities = [i for i in state.items if i.state == GOLD and i.kind != EVENT]
    rows: list[FrameRow] = []
    for role in dict.fromkeys(roles):
        found: list[FrameRow] = []
        attached = [gold[a.span_id] for a in args if a.role == role and a.span_id in gold]
        for arg in (a for a in args if a.role == role):
            filler = gold.get(arg.span_id)
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
            item = pending.get(hint.suggestion_id) or next(
                (i for i in entities if overlaps(i.start, i.end, hint.start, hint.end)), None)
            text = item.text if item else state.article.text[hint.start:hint.end]
            found.append(FrameRow(role, SUGGESTED, text, item.label if item else hint.label,
                                  item.kb_name if item else None, hint=hint, filler_key=item.key if item else None,
                                  filler_pending=item is None or item.state == PENDING))
        rows += found or [FrameRow(role, EMPTY)]
    return Frame(event, tuple(rows))


class EventFrame(Static):
    """The current event's frame; the selected argument marked, the role being chosen flagged."""

    def show(self, frame: Frame | None, selected: int = 0, choosing: str | None = None, keys_hint: str = "",
             color: str = "#ff5f87") -> None:
        """Draw ``frame`` (None hides the widget); ``selected`` indexes ``frame.choices``."""
        self.set_class(frame is not None, "-shown")
        if frame is None:
            return
        event = frame.event
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(" EVENT ", style="bold reverse")
        text.append(" ")
        gold = event.state == GOLD
        text.append(f" {one_line(event.label)} ", style=f"bold italic black on {color}" if gold else f"italic underline {color}")
        text.append(f" “{_flat(event.text)}”", style="bold")
        text.append("  ✓ gold" if gold else "  · pending", style="italic dim")
        width = max((len(r.role) for r in frame.rows), default=4)
        chosen = frame.choices[selected] if 0 <= selected < len(frame.choices) else None
        for row in frame.rows:
            text.append("\n")
            is_selected = chosen is not None and row is chosen
            text.append("▌" if is_selected else " ", style="bold #ffd75f")
            role_style = "bold #ffd75f" if row.role == choosing else ("bold" if is_selected else "")
            text.append(one_line(row.role).ljust(width), style=role_style)
            if row.state == EMPTY:
                text.append("  —", style="dim")
                if row.role == choosing:
                    text.append("  ← choosing", style="bold #ffd75f")
                continue
            mark, style = ("✓ ", "#87d75f") if row.state == ATTACHED else ("? ", "#ffd75f")
            text.append(f" {mark}", style=style)
            text.append(_flat(row.text), style="reverse" if is_selected else "")
            if row.label:
                text.append(f" {one_line(row.label)}", style="dim")
            if row.kb_name:
                text.append(f" → {displayable(row.kb_name)}", style="italic #87afd7")
            if row.state == SUGGESTED:
                text.append("  suggested", style="italic #ffd75f")
            if row.role == choosing:
                text.append("  ← choosing", style="bold #ffd75f")
        for line in keys_hint.splitlines():
            text.append(f"\n {one_line(line)}", style="dim")
        self.update(text)


def _flat(text: str, limit: int = 40) -> str:
    """One line of literal text, cut at ``limit`` characters."""
    flat = " ".join(displayable(text).split())
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"
