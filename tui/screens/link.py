"""The `/` picker: link an entity mention to a canonical entity, or create one from it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from store.models import Entity
from tui.widgets.text_view import displayable


@dataclass(frozen=True)
class Candidate:
    """A canonical entity offered for a mention, with why it matched."""

    id: str
    name: str
    type: str
    score: float = 0.0
    matched: str = ""


@dataclass(frozen=True)
class LinkChoice:
    """What the picker decided: link to ``entity_id``, or create a new entity named ``name``."""

    entity_id: str | None = None
    new_name: str | None = None


def substring_candidates(entities: Sequence[Entity], query: str, type_: str | None, limit: int = 50) -> list[Candidate]:
    """Entities whose name or an alias contains ``query`` (case-insensitive), same type first."""
    needle = " ".join(query.split()).casefold()
    out: list[Candidate] = []
    for entity in entities:
        names = [entity.name, *(a.text for a in entity.aliases)]
        hit = next((n for n in names if needle in " ".join(n.split()).casefold()), None)
        if hit is None:
            continue
        score = (1.0 if hit.casefold() == needle else 0.5) + (0.25 if entity.type == type_ else 0.0)
        out.append(Candidate(entity.id, entity.name, entity.type, score, hit))
    out.sort(key=lambda c: (-c.score, c.name.casefold()))
    return out[:limit]


class LinkPicker(ModalScreen[LinkChoice | None]):
    """Type-ahead over candidates: Enter links, Ctrl+N creates a new entity, Esc cancels."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", id="link_cancel"),
        Binding("ctrl+n", "create", "New entity from the mention", id="link_new"),
        Binding("down", "move(1)", "Down", show=False, id="link_down"),
        Binding("up", "move(-1)", "Up", show=False, id="link_up"),
    ]

    def __init__(self, mention: str, current: str | None, source: Callable[[str], list[Candidate]]) -> None:
        """``source(query)`` returns ranked candidates: the one place to swap in a better matcher."""
        super().__init__()
        self.mention = mention
        self.current = current
        self.source = source
        self.candidates: list[Candidate] = []

    def compose(self) -> ComposeResult:
        """Header, query input, candidate list, key hints."""
        with Vertical(id="dialog"):
            head = Text("Link ")
            head.append(f"“{displayable(self.mention)}”", style="bold")
            if self.current:
                head.append(f"  (now: {displayable(self.current)})", style="italic")
            yield Label(head, id="question")
            yield Input(value=" ".join(self.mention.split()), id="filter")
            yield OptionList(id="choices")
            yield Label(Text("Enter link · Ctrl+N new entity from the mention · Esc cancel"), id="hint")

    def on_mount(self) -> None:
        """Focus the query and list the first candidates."""
        self.query_one(Input).focus()
        self._refill(self.query_one(Input).value)

    def _refill(self, query: str) -> None:
        self.candidates = self.source(query)
        choices = self.query_one(OptionList)
        choices.clear_options()
        for c in self.candidates:
            prompt = Text(displayable(c.name), style="bold")
            prompt.append(f"  {c.type} · {displayable(c.id)}", style="dim")
            if c.matched and c.matched != c.name:
                prompt.append(f"  alias “{displayable(c.matched)}”", style="italic")
            choices.add_option(Option(prompt, id=c.id))
        if self.candidates:
            choices.highlighted = 0

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self._refill(event.value)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        choices = self.query_one(OptionList)
        if self.candidates and choices.highlighted is not None:
            self.dismiss(LinkChoice(entity_id=self.candidates[choices.highlighted].id))
        else:
            self.notify("No candidate: Ctrl+N creates a new entity", severity="warning")

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(LinkChoice(entity_id=event.option.id))

    def action_create(self) -> None:
        """A new canonical entity named after the query (the mention by default)."""
        name = " ".join(self.query_one(Input).value.split()) or " ".join(self.mention.split())
        self.dismiss(LinkChoice(new_name=name))

    def action_move(self, delta: int) -> None:
        """Move the highlight while typing."""
        choices = self.query_one(OptionList)
        if self.candidates:
            current = choices.highlighted or 0
            choices.highlighted = max(0, min(len(self.candidates) - 1, current + delta))
