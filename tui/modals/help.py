"""Help (`?`): every key of the screen underneath, generated from its live bindings."""

from __future__ import annotations

from collections.abc import Callable

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.keys import format_key
from textual.screen import Screen
from textual.widgets import Static

from tui.screens.base import GlossatorModal
from tui.theme import KEY, tone

HIDDEN_ACTIONS = {"command_palette", "screen.copy_text", "app.copy_text", "copy_text"}


def help_rows(screen: Screen, describe: Callable[[Binding], str | None] | None = None) -> list[tuple[str, str]]:
    """(keys, description) for every binding active on ``screen``, keys of one action joined.

    ``describe`` may rename a binding (e.g. number keys → the configured label) or hide it (None).
    """
    keys: dict[str, list[str]] = {}
    texts: dict[str, str] = {}
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if binding.action in HIDDEN_ACTIONS or binding.system:
            continue
        text = describe(binding) if describe else binding.tooltip or binding.description
        if text is None:
            continue
        text = text or binding.action
        keys.setdefault(binding.action, []).append(binding.key_display or format_key(key))
        texts.setdefault(binding.action, text)
    return [(" ".join(dict.fromkeys(keys[action])), texts[action]) for action in keys]


class HelpScreen(GlossatorModal[None]):
    """A table of keys; any of Esc, q, ? closes it."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss(None)", "Close help", id="help_close")]

    def __init__(self, title: str, rows: list[tuple[str, str]], notes: list[str] | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.rows = rows
        self.notes = notes or []

    def compose(self) -> ComposeResult:
        """Two-column key table (literal text)."""
        half = (len(self.rows) + 1) // 2
        left, right = self.rows[:half], self.rows[half:]
        wide = Table.grid(expand=True, padding=(0, 3))
        wide.add_column(ratio=1)
        wide.add_column(ratio=1)
        wide.add_row(self._table(left), self._table(right))
        with VerticalScroll(id="dialog"):
            yield Static(Text(self.title_text, style="bold"), id="help-title")
            yield Static(wide, id="help-keys")
            for note in self.notes:
                yield Static(Text(note, style="italic"), classes="help-note")
            yield Static(Text("Esc / ? to close", style="dim"), id="help-close")

    def _table(self, rows: list[tuple[str, str]]) -> Table:
        table = Table(show_header=True, header_style="bold", box=None, expand=True, padding=(0, 1))
        table.add_column("Key", style=tone(self, KEY, "bold"), no_wrap=True)
        table.add_column("Action")
        for keys, text in rows:
            table.add_row(Text(keys), Text(text))
        return table
