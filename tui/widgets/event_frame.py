"""The event frame of the side panel: type, trigger, and each role with its filler.

The frame is built by ``annotate.review.frames.build_frame``; ``EventFrame`` draws the one
the screen gives it (``show``) and never reads the database.

The widget keeps its place and its height (``article.tcss``) whether or not the current span is
an event: showing or hiding it would be a layout pass, after which Textual repaints the span
panel's scrollbar a frame later, so that moving onto or off a trigger would write two or three
frames. Away from an event it says so, and how to make one; rows that do not fit its height are
windowed round the selected one.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.events import Resize
from textual.widgets import Static

from annotate.review.frames import ATTACHED, EMPTY, SUGGESTED, Frame, FrameRow
from annotate.review.state import GOLD
from tui.text import displayable, one_line


class EventFrame(Static):
    """The current event's frame; the selected argument marked, the role being chosen flagged."""

    COMPONENT_CLASSES = {
        "event-frame--ink", "event-frame--marker", "event-frame--attached", "event-frame--suggested",
        "event-frame--entity", "event-frame--idle",
    }

    _shown: tuple[Text, object] | None = None  # the text drawn and its base style (Text's == ignores it)
    _args: tuple | None = None

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"event-frame--{name}", partial=True)

    def show(self, frame: Frame | None, selected: int, choosing: str | None, keys_hint: str, color: str,
             idle_hint: str = "") -> None:
        """Draw ``frame`` (None: no event here, ``idle_hint`` says how to make one); ``selected``
        indexes ``frame.choices``; ``color``: of events. Never a layout pass; no repaint if unchanged."""
        self._args = (frame, selected, choosing, keys_hint, color, idle_hint)
        text = self._idle(idle_hint) if frame is None else self._frame(frame, selected, choosing, keys_hint, color)
        if (text, text.style) != self._shown:  # a theme change changes styles only
            self._shown = (text, text.style)
            self.update(text, layout=False)

    def on_resize(self, event: Resize) -> None:
        """A new height: window the rows again."""
        if self._args is not None:
            self.show(*self._args)

    def _idle(self, hint: str) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis", style=self._style("idle"))
        text.append(" EVENT ", style="reverse")
        text.append("  the current span is not an event")
        for line in hint.splitlines():
            text.append(f"\n {one_line(line)}")
        return text

    def _frame(self, frame: Frame, selected: int, choosing: str | None, keys_hint: str, color: str) -> Text:
        event = frame.event
        head = Text()
        head.append(" EVENT ", style="bold reverse")
        head.append(" ")
        gold = event.state == GOLD
        label_style = self._style("ink") + Style(bgcolor=color, bold=True, italic=True) if gold else \
            Style(color=color, italic=True, underline=True)
        head.append(f" {one_line(event.label)} ", style=label_style)
        head.append(f" “{_flat(event.text)}”", style="bold")
        head.append("  ✓ gold" if gold else "  · pending", style="italic dim")
        width = max((len(r.role) for r in frame.rows), default=4)
        chosen = frame.choices[selected] if 0 <= selected < len(frame.choices) else None
        rows = [self._row(row, width, chosen is not None and row is chosen, row.role == choosing)
                for row in frame.rows]
        hints = [Text(f" {one_line(line)}", style="dim") for line in keys_hint.splitlines()]
        room = self.size.height - 1 - len(hints)  # 0 before the first layout: every row
        if 0 < room < len(rows):
            at = next((n for n, row in enumerate(frame.rows) if row is chosen), 0)
            first = min(max(at - room // 2, 0), len(rows) - room)
            rows = rows[first:first + room]
            head.append(f"  rows {first + 1}–{first + room} of {len(frame.rows)}", style="dim")
        text = Text("\n", no_wrap=True, overflow="ellipsis").join([head, *rows, *hints])
        text.no_wrap, text.overflow = True, "ellipsis"
        return text

    def _row(self, row: FrameRow, width: int, is_selected: bool, is_choosing: bool) -> Text:
        marker = self._style("marker")
        text = Text()
        text.append("▌" if is_selected else " ", style=marker)
        text.append(one_line(row.role).ljust(width), style=marker if is_choosing else Style(bold=is_selected))
        if row.state == EMPTY:
            text.append("  —", style="dim")
        else:
            attached, suggested = self._style("attached"), self._style("suggested")
            mark, style = ("✓ ", attached) if row.state == ATTACHED else ("? ", suggested)
            text.append(f" {mark}", style=style)
            text.append(_flat(row.text), style="reverse" if is_selected else "")
            if row.label:
                text.append(f" {one_line(row.label)}", style="dim")
            if row.kb_name:
                text.append(f" → {displayable(row.kb_name)}", style=self._style("entity"))
            if row.state == SUGGESTED:
                text.append("  suggested", style=suggested + Style(italic=True))
        if is_choosing:
            text.append("  ← choosing", style=marker)
        return text


def _flat(text: str, limit: int = 40) -> str:
    """One line of literal text, cut at ``limit`` characters."""
    flat = " ".join(displayable(text).split())
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"
