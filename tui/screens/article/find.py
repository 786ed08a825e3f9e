"""Find in the article (issue 14.5): `f` opens a find bar, Enter jumps the token cursor to the
next hit after it (the span there becomes current; `v` then starts a selection at the hit), Esc
cancels; `g` finds the last query again. The matching is :mod:`annotate.review.find` (case and
accents ignored, offsets into the verbatim text); the move is the session's.

`m` / `M` (issue 14) jump to the next / previous entity mention that accept-all would leave
unlinked (:mod:`annotate.review.unlinked`), wrapping round: the places left for `/` or `N`."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label

from annotate.review import unlinked as mentions
from annotate.review.state import Item, ReviewState
from annotate.service.linking import surface_key
from tui.screens.article.host import ArticleHost
from tui.screens.base import FAILED, GlossatorModal
from tui.text import literal


class FindBar(GlossatorModal[str | None]):
    """A one-line find bar: type (the hit count follows each key), Enter finds, Esc cancels."""

    CSS_PATH = "../../styles/article.tcss"
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="find_cancel")]

    def __init__(self, count: Callable[[str], int]) -> None:
        """``count``: how many hits a query has (shown as the reviewer types)."""
        super().__init__()
        self.count = count

    def compose(self) -> ComposeResult:
        """The query input and the hit count."""
        with Vertical(id="dialog"):
            yield Input(placeholder="find in the text (case and accents ignored)", id="find")
            yield Label(self._hint(""), id="hint")

    def on_mount(self) -> None:
        """Focus the input (empty: `g` finds the last query again)."""
        self.query_one(Input).focus()

    def _hint(self, query: str) -> Text:
        if not query.strip():
            return literal("Enter finds the next hit after the cursor, Esc cancels; g finds the last one again")
        n = self.count(query)
        return literal(f"{n} match{'es' if n != 1 else ''}" if n else "no match")

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self.query_one("#hint", Label).update(self._hint(event.value))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)


class FindActions:
    """`f` and `g` of the article screen."""

    def __init__(self, host: ArticleHost) -> None:
        self.host = host
        self._unlinked: tuple[ReviewState, list[Item]] | None = None  # for the state shown

    def find(self) -> None:
        """Open the find bar; Enter jumps to the next hit after the cursor."""
        from annotate.review.find import find_hits

        host = self.host
        text = host.session.state.article.text

        def found(query: str | None) -> None:
            if query is not None and query.strip():
                self._jump(query)

        host.app.push_screen(FindBar(lambda q: len(find_hits(text, q))), found)

    def find_next(self, delta: int = 1) -> None:
        """The next hit of the last query (wrapping round)."""
        query = self.host.session.last_find
        if not query:
            self.host.say("no search yet: f finds in the text")
            return
        self._jump(query, delta)

    def _jump(self, query: str, delta: int = 1) -> None:
        host = self.host
        number, total, wrapped = host.session.find(query, delta)
        if not total:
            host.say(f"no match for {query!r}")
            return
        host.say(f"{query!r}: {number} of {total}" + (" (wrapped round)" if wrapped else ""))

    def unlinked(self) -> list[Item]:
        """The entity mentions accept-all would leave unlinked, in text order (read once per state
        shown: every change of the article, or of the entities, comes with a new state)."""
        host = self.host
        state = host.session.state
        if self._unlinked is None or self._unlinked[0] is not state:
            links = host.attempt(lambda: host.svc.review.accept_all_links(host.article_id))
            if links is FAILED:
                return []
            surface = surface_key if host.svc.config.propagate_links else None
            self._unlinked = (state, mentions.unlinked(state.items, links, surface))
        return self._unlinked[1]

    def next_unlinked(self, delta: int = 1, after: str | None = None) -> None:
        """`m` (`M` backwards): the next entity mention accept-all would leave unlinked, wrapping round.
        ``after``: what a link just did, said first (a link moves on so, ``[review] link_moves_on``)."""
        host, session = self.host, self.host.session
        found = mentions.jump(session.state.items, self.unlinked(), session.current, session.cursor_offset, delta)
        if found is None:
            host.say(f"{after}; no unlinked mention left" if after is not None
                     else "no unlinked entity mention: every one is linked, or A links it")
            return
        session.go(found.item)
        where = f"unlinked mention {found.number} of {found.total}" + (" (wrapped round)" if found.wrapped else "")
        host.say(f"{after}; on to {where}" if after is not None else where)
