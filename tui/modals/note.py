"""The note of a flag (``!`` / ``@`` in the article): one line of text, possibly empty."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label

from tui.screens.base import GlossatorModal
from tui.text import literal

NOTE_MAX = 500  # as annotate.service.flags.NOTE_LENGTH: longer notes would be cut silently


class NoteModal(GlossatorModal[str | None]):
    """Ask for a note; dismisses with the text (``""``: a flag without a note), or None on Esc."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="note_cancel")]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        """Question, field, hint."""
        with Vertical(id="dialog"):
            yield Label(literal(self.question), id="question")
            yield Input(placeholder="why? (optional)", max_length=NOTE_MAX, id="note")
            yield Label(Text("Enter flags (the note may stay empty) · Esc cancels", style="dim"), id="hint")

    def on_mount(self) -> None:
        """Focus the field."""
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(" ".join(event.value.split()))
