"""The `/` picker: link an entity mention to a canonical entity, or create one from it.

Candidates come from a ``source(query)`` callable (the article screen passes one backed by
``Service.entities.match``), as the matcher's own :class:`annotate.entities.matching.Candidate`: each row
shows the name, type, score and why it matched. The top candidate is pre-selected only when the
matcher calls it ``confident``; candidates scoring under :data:`MIN_SCORE` are not offered.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.events import Key
from textual.message import Message
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from annotate.entities.matching import Candidate
from tui.modals.entity import NewEntityModal
from tui.screens.base import GlossatorModal
from tui.text import displayable, one_line
from tui.theme import GOOD, INFO, tone

__all__ = ["LINK_ROWS", "MIN_SCORE", "PICKER_HELP", "PICK_ROWS", "Candidate", "LinkChoice", "LinkPicker", "NewEntity", "candidate_prompt"]

LINK_ROWS = 8  # candidates the picker asks for
# Scores run 0-100; under this a candidate is noise (the matcher floors penalised ones at 1),
# and listing it only costs the reviewer a look and a key.
MIN_SCORE = 10.0
PICK_ROWS = 9  # rows numbered for Alt+1 … Alt+9
PICKER_HELP = ("Link picker (/): Alt+1 … Alt+9 link the numbered row at once; Enter links the highlighted one, "
               "↑↓ move, Ctrl+N makes a new entity.")  # the article screen's help note


# What Textual reads when a terminal sends Alt+1 … Alt+9 as Esc and the digit (most Linux terminals,
# tmux, macOS with Option as Meta): the characters a Mac's Option+digit types. Only terminals with
# an extended keyboard protocol send alt+1 itself; the picker takes both.
ESCAPED_ALT_DIGITS = {char: row for row, char in enumerate("¡™£¢∞§¶•ª", 1)}
# the same keys by name, as Textual names a character ("™" → "trade_mark_sign")
ESCAPED_ALT_DIGITS |= {unicodedata.name(char).lower().replace(" ", "_").replace("-", "_"): row
                       for char, row in list(ESCAPED_ALT_DIGITS.items())}


class QueryInput(Input):
    """The picker's query: Alt+digit as an Esc-prefixed terminal sends it picks a row, not a character."""

    class RowPicked(Message):
        """Alt+``row`` was pressed in the query."""

        def __init__(self, row: int) -> None:
            super().__init__()
            self.row = row

    def on_key(self, event: Key) -> None:
        """Alt+digit (as Textual reads an Esc-prefixed one) picks that row instead of typing."""
        row = ESCAPED_ALT_DIGITS.get(event.character or "", ESCAPED_ALT_DIGITS.get(event.key))
        if row is not None:
            event.prevent_default()  # Input's own key handler would type the character
            event.stop()
            self.post_message(self.RowPicked(row))


@dataclass(frozen=True)
class NewEntity:
    """How the picker names a new entity: its type, the id it proposes for a name, why an id cannot be;
    ``planned``: the (name, id) `N` would create from the mention, proposed while the typed text is the
    mention unchanged (None: `N` creates nothing new, or there is no mention)."""

    type_: str
    propose: Callable[[str], str]
    problem: Callable[[str], str | None]
    max_length: int = 64
    planned: tuple[str, str] | None = None


@dataclass(frozen=True)
class LinkChoice:
    """What the picker decided: link to ``entity_id``, or create a new entity named ``new_name``
    (with the id ``new_id``, else its name's slug)."""

    entity_id: str | None = None
    new_name: str | None = None
    new_id: str | None = None


def candidate_prompt(c: Candidate, type_style: str = "bold", confident_style: str = "bold") -> Text:
    """Two lines: name, type, score and id; then the alias hit and the evidence."""
    prompt = Text(displayable(c.name), style="bold")
    prompt.append(f"  {one_line(c.type)}", style=type_style)
    if c.score:
        prompt.append(f"  {c.score:.0f}", style=confident_style if c.confident else "")
    prompt.append(f"  {displayable(c.id)}", style="dim")
    why = []
    if c.matched_alias and c.matched_alias != c.name:
        why.append(f"alias “{displayable(c.matched_alias)}”")
    if c.evidence:
        why.append(displayable(c.evidence))
    if why:
        prompt.append("\n  " + " · ".join(why), style="italic dim")
    return prompt


def numbered(n: int, prompt: Text) -> Text:
    """A candidate's row with its number (the Alt+number that links it), rows after the ninth unnumbered
    but aligned."""
    row = Text(f"{n} " if n <= PICK_ROWS else "  ", style="bold")
    row.append_text(prompt)
    return row


class LinkPicker(GlossatorModal[LinkChoice | None]):
    """Type-ahead over candidates: Enter links, Ctrl+N creates a new entity, Esc cancels.

    With no confident candidate nothing is highlighted: ↓ picks one, Ctrl+N creates.
    """

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", id="link_cancel"),
        Binding("ctrl+n", "create", "New entity from the typed text", id="link_new"),
        Binding("down", "move(1)", "Down", show=False, id="link_down"),
        Binding("up", "move(-1)", "Up", show=False, id="link_up"),
        # a numbered row in one key, instead of arrows + Enter (Alt: digits are typed into the query)
        *(Binding(f"alt+{n}", f"pick({n})", f"Link row {n}", show=False, id=f"link_row_{n}")
          for n in range(1, PICK_ROWS + 1)),
    ]

    def __init__(self, mention: str, current: str | None, source: Callable[[str], list[Candidate]],
                 new_entity: NewEntity | None = None) -> None:
        """``source(query)`` returns ranked candidates: the one place to swap in a better matcher;
        ``new_entity`` proposes and checks the id of a new entity (None: Ctrl+N creates at once)."""
        super().__init__()
        self.new_entity = new_entity
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
            yield QueryInput(value=" ".join(one_line(self.mention).split()), id="filter")
            yield OptionList(id="choices")
            yield Label(Text("Enter link · Alt+1…9 link that row · ↑↓ choose · Ctrl+N new entity from the typed text"
                             " · Esc cancel"), id="hint")

    def on_mount(self) -> None:
        """Focus the query and list the first candidates."""
        self.query_one(Input).focus()
        self._refill(self.query_one(Input).value)

    def _refill(self, query: str) -> None:
        self.candidates = [c for c in self.source(query) if c.score >= MIN_SCORE]
        choices = self.query_one(OptionList)
        choices.clear_options()
        type_style, confident_style = tone(self, INFO, "bold"), tone(self, GOOD, "bold")
        choices.add_options([Option(numbered(n, candidate_prompt(c, type_style, confident_style)), id=c.id)
                             for n, c in enumerate(self.candidates, 1)])
        choices.highlighted = 0 if self.candidates and self.candidates[0].confident else None

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self._refill(event.value)

    @on(QueryInput.RowPicked)
    def _row_picked(self, event: QueryInput.RowPicked) -> None:
        self.action_pick(event.row)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        choices = self.query_one(OptionList)
        if self.candidates and choices.highlighted is not None:
            self.dismiss(LinkChoice(entity_id=self.candidates[choices.highlighted].id))
        else:
            self.refuse("No candidate chosen: ↓ picks one, Ctrl+N creates a new entity")

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(LinkChoice(entity_id=event.option.id))

    def action_create(self) -> None:
        """A new canonical entity named after the typed text; its id is shown and may be edited first.
        While the text is the mention unchanged, the name and id proposed are those `N` would give
        (the starter KB's entry, the article's fuller mention, else the mention)."""
        name = " ".join(self.query_one(Input).value.split()) or " ".join(self.mention.split())
        if self.new_entity is None:
            self.dismiss(LinkChoice(new_name=name))
            return
        spec = self.new_entity
        proposed, note = None, "name: the typed text"
        if spec.planned is not None and name == " ".join(self.mention.split()):
            (name, proposed), note = spec.planned, "name and id as N makes them"

        def chosen(entity_id: str | None) -> None:
            if entity_id:
                self.dismiss(LinkChoice(new_name=name, new_id=entity_id))

        self.app.push_screen(NewEntityModal(name, spec.type_, proposed or spec.propose(name), spec.problem,
                                            max_length=spec.max_length, note=note), chosen)

    def action_pick(self, row: int) -> None:
        """Alt+``row``: link the candidate numbered ``row`` at once."""
        if row > len(self.candidates):
            self.refuse(f"no candidate {row}" if self.candidates else "no candidate: Ctrl+N creates a new entity")
            return
        self.dismiss(LinkChoice(entity_id=self.candidates[row - 1].id))

    def action_move(self, delta: int) -> None:
        """Move the highlight while typing."""
        choices = self.query_one(OptionList)
        if self.candidates:
            current = choices.highlighted if choices.highlighted is not None else (-1 if delta > 0 else 0)
            choices.highlighted = max(0, min(len(self.candidates) - 1, current + delta))
