"""Small modal screens: a yes/no question and a label picker with type-ahead."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, OptionList
from textual.widgets.option_list import Option

from tui.screens.base import GlossatorModal
from tui.text import literal, one_line


class ConfirmModal(GlossatorModal[bool]):
    """Ask a yes/no question; dismisses with True for yes."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm_yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm_no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        """The question and two buttons."""
        with Vertical(id="dialog"):
            yield Label(literal(self.question), id="question")
            with Horizontal(id="buttons"):
                yield Button("Yes (y)", variant="primary", id="yes")
                yield Button("No (n)", id="no")

    def on_mount(self) -> None:
        """Yes is focused so Enter confirms."""
        self.query_one("#yes", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        """Answer from the keyboard."""
        self.dismiss(yes)


class LabelPicker(GlossatorModal[str | None]):
    """Pick a label: type to filter, a number picks the nth, Enter picks the highlighted one."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", id="picker_cancel"),
        Binding("down", "move(1)", "Down", show=False, id="picker_down"),
        Binding("up", "move(-1)", "Up", show=False, id="picker_up"),
    ]

    def __init__(self, title: str, labels: Sequence[tuple[str, str]], numbered: bool = True) -> None:
        """``labels``: (name, colour) in order; with ``numbered`` the digit n picks the nth."""
        super().__init__()
        self.title_text = title
        self.labels = list(labels)
        self.numbered = numbered
        self.shown: list[str] = [name for name, _ in self.labels]

    def compose(self) -> ComposeResult:
        """Filter input over the list of labels."""
        with Vertical(id="dialog"):
            yield Label(literal(self.title_text), id="question")
            yield Input(placeholder="type to filter, Enter to pick", id="filter")
            yield OptionList(*self._options(""), id="choices")

    def on_mount(self) -> None:
        """Focus the filter; highlight the first label."""
        self.query_one(Input).focus()
        self.query_one(OptionList).highlighted = 0

    def _options(self, query: str) -> list[Option]:
        query = query.strip().upper()
        options = []
        self.shown = []
        for n, (name, color) in enumerate(self.labels, 1):
            if query and query not in name.upper():
                continue
            prompt = Text()
            if self.numbered and n <= 9:
                prompt.append(f"{n} ", style="bold")
            prompt.append(f" {one_line(name)} ", style=f"black on {color}")
            options.append(Option(prompt, id=name))
            self.shown.append(name)
        return options

    @on(Input.Changed)
    def _filter(self, event: Input.Changed) -> None:
        value = event.value.strip()
        if self.numbered and value.isdigit() and 1 <= int(value) <= min(len(self.labels), 9):
            self.dismiss(self.labels[int(value) - 1][0])
            return
        choices = self.query_one(OptionList)
        choices.clear_options()
        choices.add_options(self._options(value))
        if self.shown:
            choices.highlighted = 0

    @on(Input.Submitted)
    def _submitted(self) -> None:
        choices = self.query_one(OptionList)
        if choices.highlighted is not None and self.shown:
            self.dismiss(self.shown[choices.highlighted])

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_move(self, delta: int) -> None:
        """Move the highlight while typing."""
        choices = self.query_one(OptionList)
        if self.shown:
            current = choices.highlighted or 0
            choices.highlighted = max(0, min(len(self.shown) - 1, current + delta))
