"""The mentions of the highlighted entity, each in its sentence (issue 14.4), under the entity table.

Each option shows the sentence with the mention highlighted and, dim, the article's title and
the annotator. Data is shown literally (Rich ``Text`` built piece by piece, control characters
made visible). ``space`` marks mentions; the entities screen's ``U`` / ``L`` / ``S`` act on the
marked ones, else on the highlighted one; ``Enter`` asks to open the article at the mention.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from annotate.service.mentions import MentionInContext
from store.models import Entity
from tui.text import one_line
from tui.theme import BUSY, INFO, tone

ELLIPSIS = "…"
TITLE_WIDTH = 90  # the dim line under a mention stays one line


def clipped(text: str, width: int = TITLE_WIDTH) -> str:
    """``text`` on one line, at most ``width`` characters (an ellipsis when cut)."""
    flat = " ".join(one_line(text).split())
    return flat if len(flat) <= width else flat[:width - 1] + ELLIPSIS


class MentionList(OptionList):
    """The mention options; Enter opens the highlighted one, space marks it."""

    BINDINGS = [
        Binding("enter", "open_mention", "Open", id="entity_mention_open"),
        Binding("space", "toggle_mark", "Mark mention", show=False, id="entity_mention_mark"),
    ]

    class Open(Message):
        """Open the article at this mention."""

        def __init__(self, mention: MentionInContext) -> None:
            super().__init__()
            self.mention = mention

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.mentions: list[MentionInContext] = []
        self.marked: set[int] = set()  # span ids

    def current(self) -> MentionInContext | None:
        """The highlighted mention."""
        at = self.highlighted
        return self.mentions[at] if at is not None and 0 <= at < len(self.mentions) else None

    def prompt(self, m: MentionInContext) -> Text:
        """Two lines: the sentence with the mention highlighted; the article title and annotator, dim."""
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append("● " if m.span_id in self.marked else "  ", style=tone(self, BUSY, "bold"))
        if m.cut_before:
            text.append(ELLIPSIS, style="dim")
        text.append(one_line(m.before))
        text.append(one_line(m.text), style=tone(self, INFO, "bold reverse"))
        text.append(one_line(m.after))
        if m.cut_after:
            text.append(ELLIPSIS, style="dim")
        text.append("\n    ")
        text.append(clipped(m.title or m.article_id), style="dim")
        text.append(f" · {one_line(m.annotator)}", style="dim italic")
        return text

    def fill(self, mentions: list[MentionInContext], keep: int | None = None) -> None:
        """Show these mentions; the highlight on span ``keep`` (else where it was)."""
        old = self.highlighted
        self.mentions = mentions
        self.marked &= {m.span_id for m in mentions}
        self.clear_options()
        self.add_options([Option(self.prompt(m), id=str(m.span_id)) for m in mentions])
        if not mentions:
            return
        at = next((i for i, m in enumerate(mentions) if m.span_id == keep), None) if keep is not None else None
        self.highlighted = at if at is not None else min(old or 0, len(mentions) - 1)

    def action_open_mention(self) -> None:
        """Open the article at the highlighted mention."""
        mention = self.current()
        if mention is not None:
            self.post_message(self.Open(mention))

    def action_toggle_mark(self) -> None:
        """Mark or unmark the highlighted mention; the highlight moves down."""
        mention, at = self.current(), self.highlighted
        if mention is None or at is None:
            return
        self.marked ^= {mention.span_id}
        self.replace_option_prompt_at_index(at, self.prompt(mention))
        self.action_cursor_down()


class MentionsPane(Vertical):
    """A head line (entity, count, keys) over the :class:`MentionList`."""


    def compose(self) -> ComposeResult:
        """Head, list."""
        yield Static(id="ment-head")
        yield MentionList(id="ment-list")

    @property
    def list(self) -> MentionList:
        """The mention options."""
        return self.query_one(MentionList)

    def show(self, entity: Entity | None, mentions: list[MentionInContext], total: int,
             keep: int | None = None) -> None:
        """The mentions of ``entity`` (the first of ``total``)."""
        head = Text("Mentions", style="bold")
        if entity is not None:
            head.append(f" of {one_line(entity.name)}", style="bold")
            shown = f"{len(mentions)} of {total}" if total > len(mentions) else str(total)
            head.append(f" ({shown})")
            head.append("   Enter/Tab: to the list · space mark · U unlink · L relink · S split off · Enter open", style="dim")
        if entity is not None and not mentions:
            head.append("   none yet", style="dim")
        self.query_one("#ment-head", Static).update(head)
        self.list.fill(mentions, keep)

    def chosen(self) -> list[MentionInContext]:
        """The marked mentions, else the highlighted one."""
        mention_list = self.list
        marked = [m for m in mention_list.mentions if m.span_id in mention_list.marked]
        current = mention_list.current()
        return marked or ([current] if current is not None else [])

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()  # a click only highlights; Enter opens
