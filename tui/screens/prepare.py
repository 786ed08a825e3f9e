"""Progress while new articles are ingested and suggested, with a cancel key."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, ProgressBar, Static

from tui.messages import PreparationCancelled
from tui.screens.base import GlossatorScreen
from tui.text import literal


class PrepareScreen(GlossatorScreen[None]):
    """Shows what is being prepared; Esc / c stops suggesting (what is saved stays saved)."""

    BINDINGS = [Binding("escape,c", "cancel", "Cancel (keep what is done)", id="prepare_cancel")]

    def __init__(self) -> None:
        super().__init__()
        self._notes: list[str] = []

    def compose(self) -> ComposeResult:
        """Title, step, progress bar, notes."""
        with Vertical(id="prepare"):
            yield Static(Text("glossator: preparing articles", style="bold"), id="prepare-title")
            yield Static(Text("Ingesting…"), id="prepare-step")
            yield ProgressBar(id="prepare-bar", show_eta=True)
            yield Static("", id="prepare-notes")
        yield Footer()

    def step(self, text: str, total: int | None = None, done: int = 0) -> None:
        """Show a new step with its size (None: unknown)."""
        self.query_one("#prepare-step", Static).update(literal(text))
        bar = self.query_one(ProgressBar)
        bar.update(total=total, progress=done)

    def advance(self, done: int, total: int | None = None) -> None:
        """Move the bar."""
        self.query_one(ProgressBar).update(progress=done, total=total)

    def note(self, text: str) -> None:
        """Add a line under the bar (literal text)."""
        self._notes.append(text)
        self.query_one("#prepare-notes", Static).update(literal("\n".join(self._notes)))

    def action_cancel(self) -> None:
        """Ask the app to stop the worker."""
        self.post_message(PreparationCancelled())
