"""The event frame of the side panel: type, trigger, and each role with its filler.

The frame is built by ``annotate.review.frames.build_frame``; ``EventFrame`` draws the one
the screen gives it (``show``) and never reads the database.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from annotate.review.frames import ATTACHED, EMPTY, SUGGESTED, Frame
from annotate.review.state import GOLD
from tui.text import displayable, one_line


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
