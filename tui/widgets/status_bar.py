"""One-line status bar of the article screen (literal text only)."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from annotate.review.state import GOLD, Item
from tui.text import displayable, one_line


class StatusBar(Static):
    """Article n/N, spans left, annotator, mode, and the current span."""

    COMPONENT_CLASSES = {
        "status-bar--pending", "status-bar--finished", "status-bar--mode", "status-bar--entity", "status-bar--note",
        "status-bar--refused",
    }

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"status-bar--{name}", partial=True)

    def show(self, position: int, total: int, pending: int, gold: int, annotator: str,
             current: Item | None, mode: str = "", kb_name: str | None = None, note: str = "",
             refused: str = "") -> None:
        """Redraw from these values; ``note``: what the last key did ("undid accept"), at the end of the
        line; ``refused``: why the last key changed nothing, first after the article, where it is not cut."""
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f" article {position}/{total} ", style="bold reverse")
        if refused:
            text.append(" ")
            text.append(f" refused: {one_line(refused)} ", style=self._style("refused"))
        text.append(f"  {pending} left", style=self._style("pending" if pending else "finished"))
        text.append(f" · {gold} gold · {one_line(annotator)}")
        if mode:  # quotes span text (the filler being replaced)
            text.append(f"  {one_line(mode)} ", style=self._style("mode"))
        if current is not None:
            text.append("  │ ")
            text.append(one_line(current.label), style="bold")
            text.append(" ✓ gold" if current.state == GOLD else " · pending", style="italic")
            snippet = " ".join(displayable(current.text).split())
            if len(snippet) > 40:
                snippet = snippet[:39] + "…"
            text.append(f" “{snippet}”")
            if kb_name:
                text.append(f" → {displayable(kb_name)}", style=self._style("entity"))
        if note:
            text.append(f"  │ {one_line(note)}", style=self._style("note"))
        self.update(text, layout=False)  # one fixed-height line: no layout pass
