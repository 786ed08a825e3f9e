"""All occurrences of a span's surface in the other articles (issue 14, item 2), reached with
``o`` in the article screen.

One keyword-in-context row per occurrence (left context, the hit, right context, shown
literally), marked pending, unlabelled, labelled otherwise (with its label and entity), overlaps a
span (never changed here) or already the same. ``a`` marks the row to apply and moves on, ``x``
skips it, ``A`` marks every row that would not change a decision (another label or entity: those
are marked one by one), ``Enter`` / ``y`` applies the marked ones as one action (one ``u`` in the
article reverts all of it), ``Esc`` goes back. Rows are read a page at a time (``PAGE``): the
next page loads when the cursor reaches the last row.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Static

from annotate.corpuswide.occurrences import (
    ACCEPT,
    OTHER,
    OVERLAP,
    PENDING,
    SAME,
    SKIP,
    STATE_TEXT,
    Occurrence,
    OccurrenceList,
    Source,
)
from annotate.service import Service
from tui.screens.base import FAILED, GlossatorScreen
from tui.text import one_line
from tui.theme import BAD, BUSY, GOOD, INFO, tone

CONTEXT = 40  # characters of context shown on each side


def _link_text(kb_id: str | None, kb_name: str | None) -> str:
    if not kb_id:
        return ""
    return f" → {one_line(kb_name or kb_id)}"


class OccurrencesScreen(GlossatorScreen[int]):
    """Mark the occurrences of one surface across the corpus, then apply them in one action;
    dismisses with the number of occurrences changed."""

    CSS_PATH = "../styles/occurrences.tcss"
    BINDINGS = [
        Binding("a", "accept", "Accept", id="occurrences_accept"),
        Binding("x", "skip", "Skip", id="occurrences_skip"),
        Binding("A", "mark_all", "Mark all", id="occurrences_mark_all"),
        Binding("y", "apply", "Apply marked", id="occurrences_apply"),
        Binding("j", "move(1)", "Down", show=False, id="occurrences_down"),
        Binding("k", "move(-1)", "Up", show=False, id="occurrences_up"),
        Binding("escape", "back", "Back", id="occurrences_back"),
    ]

    def __init__(self, service: Service, source: Source) -> None:
        super().__init__()
        self.svc = service
        self.occurrences = OccurrenceList(source)

    def compose(self) -> ComposeResult:
        """Summary, rows, details of the current row, footer."""
        yield Static(id="occ-summary")
        yield DataTable(id="occ-rows", cursor_type="row", zebra_stripes=True)
        yield Static(id="occ-detail")
        yield Footer()

    @property
    def table(self) -> DataTable[Any]:
        """The rows table."""
        return self.query_one("#occ-rows", DataTable)

    def on_mount(self) -> None:
        """Columns, the first page, the cursor on the first row."""
        table = self.table
        table.add_column(Text("State"), key="state", width=26)
        table.add_column(Text("Article"), key="article", width=18)
        table.add_column(Text("…left · hit · right…"), key="kwic")
        self.load_more()
        table.focus()
        self._describe()

    # -- rows ----------------------------------------------------------------

    def load_more(self) -> None:
        """Read and show the next page of occurrences (nothing when all are shown)."""
        occ = self.occurrences
        if occ.after is None:
            return
        page = self.attempt(lambda: self.svc.corpuswide.occurrences(occ.source, after=occ.after or 0))
        if page is FAILED:
            occ.after = None
            return
        first = len(occ.items)
        occ.add_page(page)
        for n, item in enumerate(occ.items[first:], first):
            self.table.add_row(*self._cells(item), key=str(n))
        self._summary()

    def _state_text(self, item: Occurrence) -> Text:
        label = one_line(item.label or "")
        if item.state == PENDING:
            return Text(f"pending {label}", style=tone(self, INFO))
        if item.state == OTHER:
            return Text(f"labelled {label}{_link_text(item.kb_id, item.kb_name)}", style=tone(self, BUSY))
        if item.state == OVERLAP:
            return Text(f"overlaps {label} span", style=tone(self, BAD))
        if item.state == SAME:
            return Text(STATE_TEXT[SAME], style=tone(self, GOOD))
        return Text(STATE_TEXT[item.state])

    def _mark_text(self, item: Occurrence) -> Text:
        """The mark (✓ to apply, ✗ skipped, · undecided) and the state, in one cell."""
        mark = self.occurrences.mark_of(item)
        if mark == ACCEPT:
            out = Text("✓ ", style=tone(self, GOOD, "bold"))
        elif mark == SKIP:
            out = Text("✗ ", style="dim")
        else:
            out = Text("· ", style="dim")
        return out.append_text(self._state_text(item))

    def _cells(self, item: Occurrence) -> list[Text]:
        # One keyword-in-context cell (the hits aligned under each other): a row is three cells to
        # draw, not five, and a page of 200 opens in one go.
        left = one_line(item.left)[-CONTEXT:]
        kwic = Text(" " * (CONTEXT - len(left)) + left, no_wrap=True, overflow="ellipsis")
        kwic.append(one_line(item.text), style="bold reverse")
        kwic.append(one_line(item.right)[:CONTEXT])
        return [
            self._mark_text(item),
            Text(one_line(item.title or item.article_id), no_wrap=True, overflow="ellipsis"),
            kwic,
        ]

    def _summary(self) -> None:
        occ = self.occurrences
        source = occ.source
        text = Text(" all occurrences ", style="bold reverse")
        text.append("  “")
        text.append(one_line(source.text), style="bold")
        text.append(f"” {one_line(source.label)}{_link_text(source.kb_id, source.kb_name)}  ")
        more = " (more load as you scroll)" if occ.after is not None else ""
        text.append(f"{len(occ.items)} in other articles{more} · {len(occ.marked())} marked", style="dim")
        if not occ.items:
            text.append("   no other occurrence", style="bold")
        self.query_one("#occ-summary", Static).update(text)

    def _describe(self) -> None:
        """The current row in words, under the table."""
        item = self.occurrences.current
        detail = Text()
        if item is not None:
            detail.append(one_line(item.title or item.article_id), style="bold")
            detail.append(f"  {item.start}–{item.end}  ")
            detail.append(self._state_text(item))
            if item.state == OVERLAP:
                detail.append(f" “{one_line(item.overlapped)}”: resize or delete it in its article first")
            elif item.state == OTHER:
                detail.append(" — applying changes this decision: mark it with a")
        detail.append("\na accept · x skip · A mark all · Enter/y apply the marked ones (one u undoes) · Esc back",
                      style="dim")
        self.query_one("#occ-detail", Static).update(detail)

    def _sync(self, rows: range | list[int] = ()) -> None:
        """The list's cursor into the table, and the marks of ``rows``."""
        occ = self.occurrences
        table = self.table
        for n in rows:
            table.update_cell(str(n), "state", self._mark_text(occ.items[n]))
        if occ.items:
            table.move_cursor(row=occ.cursor)
        self._summary()
        self._describe()

    @on(DataTable.RowHighlighted, "#occ-rows")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        occ = self.occurrences
        occ.cursor = event.cursor_row
        if occ.cursor >= len(occ.items) - 1 and occ.after is not None:
            self.load_more()
        self._describe()

    @on(DataTable.RowSelected, "#occ-rows")
    def _selected(self) -> None:
        self.action_apply()

    # -- keys ----------------------------------------------------------------

    def action_move(self, delta: int) -> None:
        """Cursor down / up."""
        self.occurrences.move(delta)
        self._sync()

    def action_accept(self) -> None:
        """Mark the current occurrence to apply, and move on."""
        at = self.occurrences.cursor = self.table.cursor_row
        problem = self.occurrences.accept()
        if problem:
            self.refuse(problem)
        self._sync([at] if self.occurrences.items else [])

    def action_skip(self) -> None:
        """Leave the current occurrence as it is, and move on."""
        at = self.occurrences.cursor = self.table.cursor_row
        self.occurrences.skip()
        self._sync([at] if self.occurrences.items else [])

    def action_mark_all(self) -> None:
        """Mark every occurrence that would not change a decision."""
        occ = self.occurrences
        before = {o.key for o in occ.marked()}
        made = occ.mark_all()
        self._sync([n for n, o in enumerate(occ.items) if o.key not in before and occ.mark_of(o) is not None])
        self.notify(f"marked {made} more (labelled otherwise: mark each with a)" if made else "nothing more to mark")

    def action_apply(self) -> None:
        """Apply the marked occurrences in one action and go back to the article."""
        occ = self.occurrences
        done = self.attempt(lambda: self.svc.corpuswide.apply_occurrences(occ.source, occ.marked()))
        if done is FAILED:
            return
        changed, left = done
        note = f"; {left} left as they were (changed meanwhile)" if left else ""
        self.notify(f"applied to {changed} occurrences in other articles{note} (u undoes)")
        self.dismiss(changed)

    def action_back(self) -> None:
        """Back to the article, applying nothing."""
        self.dismiss(0)
