"""Small modals of the entities screen: a name field (rename), a pick-one list (alias, keeper), and
the id of a new entity (Ctrl+N in the link picker)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from tui.screens.base import GlossatorModal
from tui.text import displayable, literal, one_line


class NameModal(GlossatorModal[str | None]):
    """Ask for a name; dismisses with the stripped text, or None (Esc or empty)."""

    CSS_PATH = "../styles/entities.tcss"
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="name_cancel")]

    def __init__(self, question: str, value: str) -> None:
        super().__init__()
        self.question = question
        self.value = value

    def compose(self) -> ComposeResult:
        """Question, field, hint."""
        with Vertical(id="dialog"):
            yield Label(literal(self.question), id="question")
            # The field shows the name literally; submitting it unchanged keeps the real name.
            yield Input(value=one_line(self.value), id="name")
            yield Label(Text("Enter confirms · Esc cancels"), id="hint")

    def on_mount(self) -> None:
        """Focus the field with the current name in it."""
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        name = " ".join(event.value.split())
        if name == " ".join(one_line(self.value).split()):
            name = self.value
        self.dismiss(name or None)


class ChoiceModal(GlossatorModal[str | None]):
    """Pick one of ``choices`` ((id, prompt) pairs); dismisses with the id, or None on Esc."""

    CSS_PATH = "../styles/entities.tcss"
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="choice_cancel")]

    def __init__(self, question: str, choices: Sequence[tuple[str, Text | str]], highlight: int = 0) -> None:
        super().__init__()
        self.question = question
        self.choices = list(choices)
        self.highlight = highlight

    def compose(self) -> ComposeResult:
        """Question, list, hint."""
        with Vertical(id="dialog"):
            yield Label(literal(self.question), id="question")
            yield OptionList(*(Option(prompt, id=key) for key, prompt in self.choices), id="choices")
            yield Label(Text("Enter picks · Esc cancels"), id="hint")

    def on_mount(self) -> None:
        """Focus the list on the suggested choice."""
        choices = self.query_one(OptionList)
        choices.focus()
        if self.choices:
            choices.highlighted = min(self.highlight, len(self.choices) - 1)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


class NewEntityModal(GlossatorModal[str | None]):
    """The id of a new entity: pre-filled with the id it would get (``proposed``), editable (slug
    characters only, at most ``max_length``); Enter creates it when ``problem(id)`` is None, Esc goes
    back. ``note`` says where the name comes from."""

    CSS_PATH = "../styles/entities.tcss"
    BINDINGS = [Binding("escape", "dismiss(None)", "Back", id="new_entity_cancel")]

    def __init__(self, name: str, type_: str, proposed: str, problem: Callable[[str], str | None],
                 chars: str = r"[a-z0-9_]", max_length: int = 64, note: str = "name: the typed text") -> None:
        super().__init__()
        self.note = note
        self.name_ = name
        self.type_ = type_
        self.proposed = proposed
        self.problem = problem
        self.chars = chars
        self.max_length = max_length

    def compose(self) -> ComposeResult:
        """What is created, the id field, the hint."""
        with Vertical(id="dialog"):
            question = Text("New entity ")
            question.append(f"“{displayable(self.name_)}”", style="bold")
            question.append(f"  {one_line(self.type_)}  ({self.note})")
            yield Label(question, id="question")
            yield Input(value=self.proposed, restrict=f"{self.chars}*", max_length=self.max_length, id="entity_id")
            yield Label(Text(f"id: a-z 0-9 _, at most {self.max_length} · Enter creates · Esc back"), id="hint")

    def on_mount(self) -> None:
        """Focus the id field."""
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        problem = self.problem(event.value)
        if problem:
            self.refuse(problem)
        else:
            self.dismiss(event.value)
