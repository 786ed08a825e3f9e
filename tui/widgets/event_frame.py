"""The event frame of the side panel: type, trigger, and each role with its filler.

The frame is built by ``annotate.review.frames.build_frame``; ``EventFrame`` draws the one
the screen gives it (``show``) and never reads the database.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from annotate.review.frames import ATTACHED, EMPTY, SUGGESTED, Frame
from annotate.review.state import GOLD
from tui.text import displayable, one_line


class EventFrame(Static):
    """The current event's frame; the selected argument marked, the role being chosen flagged."""

    COMPONENT_CLASSES = {
        "event-frame--ink", "event-frame--marker", "event-frame--attached", "event-frame--suggested",
        "event-frame--entity",
    }

    _lines = 0

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"event-frame--{name}", partial=True)

    def show(self, frame: Frame | None, selected: int, choosing: str | None, keys_hint: str, color: str) -> None:
        """Draw ``frame`` (None hides the widget); ``selected`` indexes ``frame.choices``; ``color``: of events."""
        self.set_class(frame is not None, "-shown")
        if frame is None:
            return
        marker, attached, suggested, entity = (self._style(n) for n in ("marker", "attached", "suggested", "entity"))
        event = frame.event
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(" EVENT ", style="bold reverse")
        text.append(" ")
        gold = event.state == GOLD
        label_style = self._style("ink") + Style(bgcolor=color, bold=True, italic=True) if gold else \
            Style(color=color, italic=True, underline=True)
        text.append(f" {one_line(event.label)} ", style=label_style)
        text.append(f" “{_flat(event.text)}”", style="bold")
        text.append("  ✓ gold" if gold else "  · pending", style="italic dim")
        width = max((len(r.role) for r in frame.rows), default=4)
        chosen = frame.choices[selected] if 0 <= selected < len(frame.choices) else None
        for row in frame.rows:
            text.append("\n")
            is_selected = chosen is not None and row is chosen
            text.append("▌" if is_selected else " ", style=marker)
            role_style = marker if row.role == choosing else Style(bold=is_selected)
            text.append(one_line(row.role).ljust(width), style=role_style)
            if row.state == EMPTY:
                text.append("  —", style="dim")
                if row.role == choosing:
                    text.append("  ← choosing", style=marker)
                continue
            mark, style = ("✓ ", attached) if row.state == ATTACHED else ("? ", suggested)
            text.append(f" {mark}", style=style)
            text.append(_flat(row.text), style="reverse" if is_selected else "")
            if row.label:
                text.append(f" {one_line(row.label)}", style="dim")
            if row.kb_name:
                text.append(f" → {displayable(row.kb_name)}", style=entity)
            if row.state == SUGGESTED:
                text.append("  suggested", style=suggested + Style(italic=True))
            if row.role == choosing:
                text.append("  ← choosing", style=marker)
        for line in keys_hint.splitlines():
            text.append(f"\n {one_line(line)}", style="dim")
        lines = text.plain.count("\n") + 1
        self.update(text, layout=lines != self._lines)  # a layout pass only when the height changes
        self._lines = lines


def _flat(text: str, limit: int = 40) -> str:
    """One line of literal text, cut at ``limit`` characters."""
    flat = " ".join(displayable(text).split())
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"
