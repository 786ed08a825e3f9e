"""The adjudication screen: several annotators' gold of one article, side by side.

Each row is a stretch of text where some annotators marked spans (overlapping spans of one
layer form one row); a row is *agreed* when every annotator has exactly the same spans there.
The reviewer's final gold is their own annotation (the Service is the reviewer's): when the
screen opens, the agreed rows are pre-accepted in one undoable action (if the reviewer has no
gold in the article yet); then the reviewer walks the disagreements and picks a version.

Keys: ``n`` / ``N`` next / previous disagreement, ``a`` / ``b`` / ``c`` pick the first /
second / third annotator's version, ``x`` keep nothing there, ``s`` skip, ``e`` edit in the
article screen, ``u`` undo, ``d`` mark done, ``escape`` back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Footer, Static

from annotate.service import Service
from annotate.team.agreement import NOTHING, Adjudication, Mark, Row
from tui.screens.base import FAILED, GlossatorScreen
from tui.text import displayable, literal, one_line
from tui.theme import BAD, BUSY, GOOD, tone

PICK_KEYS = "abc"
CONTEXT = 60  # characters of text shown around the current row


def _marks_text(text: str, marks: tuple[Mark, ...], row: Row) -> Text:
    """One version of a row, e.g. ``PER Al Maliki → nouri_al_maliki``; ``—`` for nothing."""
    if not marks:
        return Text("—", style="dim")
    out = Text()
    for n, m in enumerate(marks):
        if n:
            out.append(" · ")
        out.append(one_line(m.label), style="bold")
        surface = " ".join(one_line(text[m.start:m.end]).split())
        whole = (m.start, m.end) == (row.start, row.end)
        out.append(f" {surface}" if not whole or len(marks) > 1 else "")
        if m.kb_id:
            out.append(f" → {one_line(m.kb_id)}", style="italic")
    return out


class AdjudicateScreen(GlossatorScreen[None]):
    """Settle the annotators' disagreements on one article into the reviewer's gold."""

    CSS_PATH = "../styles/adjudicate.tcss"
    BINDINGS = [
        Binding("n", "next_disagreement", "Next disagreement", id="adjudicate_next"),
        Binding("N", "prev_disagreement", "Previous", id="adjudicate_prev"),
        Binding("a", "pick(0)", "Pick A", id="adjudicate_pick_a"),
        Binding("b", "pick(1)", "Pick B", id="adjudicate_pick_b"),
        Binding("c", "pick(2)", "Pick C", show=False, id="adjudicate_pick_c"),
        Binding("x", "pick_none", "Neither", id="adjudicate_none"),
        Binding("s", "skip", "Skip", id="adjudicate_skip"),
        Binding("e", "edit", "Edit", id="adjudicate_edit"),
        Binding("u", "undo", "Undo", id="adjudicate_undo"),
        Binding("d", "done", "Done", id="adjudicate_done"),
        Binding("escape", "back", "Back", id="adjudicate_back"),
    ]

    @dataclass(eq=False)
    class EditRequested(Message):
        """The reviewer asked to edit their gold of the article by hand, at offset ``start``."""

        article_id: str
        start: int

    @dataclass(eq=False)
    class Finished(Message):
        """The reviewer marked the adjudicated article done."""

        article_id: str

    def __init__(self, service: Service, article_id: str) -> None:
        super().__init__()
        self.svc = service
        self.article_id = article_id
        self.adj: Adjudication | None = None
        self.preaccepted = 0

    def compose(self) -> ComposeResult:
        """Summary, rows table, context of the current row, footer."""
        yield Static(id="adj-summary")
        yield DataTable(id="adj-rows", cursor_type="row", zebra_stripes=True)
        yield Static(id="adj-context")
        yield Footer()

    def on_mount(self) -> None:
        """Pre-accept the agreed rows, show the table, go to the first open disagreement."""
        started = self.attempt(lambda: self.svc.team.adjudicate_start(self.article_id))
        self.preaccepted = 0 if started is FAILED else started
        if self.preaccepted:
            self.notify(f"{self.preaccepted} agreed spans pre-accepted (u undoes)")
        self.reload()
        self.query_one(DataTable).focus()
        self.goto(self._next_open(-1))

    def gone(self) -> None:
        """A row of the action no longer exists (the gold changed elsewhere): say so and re-read."""
        super().gone()
        self.reload()

    # -- state ------------------------------------------------------------------

    @property
    def table(self) -> DataTable[Any]:
        """The rows table."""
        return self.query_one("#adj-rows", DataTable)

    @property
    def row_index(self) -> int:
        """Index of the row under the cursor."""
        return self.table.cursor_row

    def reload(self) -> None:
        """Re-read the adjudication and refill the table, keeping the cursor."""
        keep = self.table.cursor_row if self.table.row_count else 0
        self.adj = adj = self.svc.team.adjudication(self.article_id)
        table = self.table
        table.clear(columns=True)
        table.add_column(Text(), key="mark", width=1)
        table.add_column(Text("Text"), key="text", width=28)
        for n, name in enumerate(adj.annotators):  # a str label would be parsed as markup
            label = f"{PICK_KEYS[n]}: {name}" if n < len(PICK_KEYS) else name
            table.add_column(literal(label, multiline=False), key=f"v{n}")
        table.add_column(literal(f"Final ({adj.reviewer})", multiline=False), key="final")
        for i, row in enumerate(adj.rows):
            surface = " ".join(one_line(adj.text[row.start:row.end]).split())
            cells: list[Any] = [Text("✓", style=tone(self, GOOD, "bold")) if row.agreed
                                else Text("≠", style=tone(self, BAD, "bold")),
                                Text(surface, no_wrap=True, overflow="ellipsis")]
            cells += [_marks_text(adj.text, marks, row) for _, marks in row.versions]
            cells.append(self._final_cell(row))
            table.add_row(*cells, key=str(i))
        if adj.rows:
            table.move_cursor(row=min(keep, len(adj.rows) - 1))
        self._summary()
        self._show_context()

    def _final_cell(self, row: Row) -> Text:
        assert self.adj is not None
        choice = self.adj.choice(row)
        if choice is None:
            return Text("(open)" if not row.agreed else "—", style="dim")
        if choice == NOTHING:
            return Text("nothing kept", style=tone(self, GOOD))
        if choice == "edited":
            return Text("edited: ", style=tone(self, BUSY)) + _marks_text(self.adj.text, self.adj.decided(row), row)
        names = [name for name, marks in row.versions if tuple(m.key for m in marks) ==
                 tuple(m.key for m in self.adj.decided(row))]
        return literal("= " + ", ".join(names), tone(self, GOOD), multiline=False)

    def open_disagreements(self) -> list[int]:
        """Disagreement rows the reviewer has not settled yet."""
        assert self.adj is not None
        return [i for i in self.adj.disagreements if self.adj.choice(self.adj.rows[i]) is None]

    def _summary(self) -> None:
        assert self.adj is not None
        adj = self.adj
        article = self.svc.data.article(self.article_id)
        agreed = len(adj.rows) - len(adj.disagreements)
        text = (f"{article.title or article.source} · {', '.join(adj.annotators) or 'no annotators'} · "
                f"{len(adj.rows)} rows: {agreed} agreed, {len(adj.disagreements)} differ, "
                f"{len(self.open_disagreements())} open · final gold: {adj.reviewer}")
        self.query_one("#adj-summary", Static).update(literal(text))

    def _show_context(self) -> None:
        """The current row in its text, then every version on its own line."""
        adj = self.adj
        if adj is None or not adj.rows:
            self.query_one("#adj-context", Static).update(Text("nothing to adjudicate in this article"))
            return
        row = adj.rows[self.row_index]
        start, end = max(0, row.start - CONTEXT), min(len(adj.text), row.end + CONTEXT)
        text = Text("…" + one_line(adj.text[start:row.start]))  # one line of context
        text.append(one_line(adj.text[row.start:row.end]), style="reverse")
        text.append(one_line(adj.text[row.end:end]) + "…")
        for n, (name, marks) in enumerate(row.versions):
            key = PICK_KEYS[n] if n < len(PICK_KEYS) else " "
            text.append(f"\n{key} {displayable(name)}: ")
            text.append_text(_marks_text(adj.text, marks, Row(-1, -1, row.layer, ())))
        self.query_one("#adj-context", Static).update(text)

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._show_context()

    def goto(self, index: int | None) -> None:
        """Put the cursor on a row (None: stay)."""
        if index is not None and self.adj and 0 <= index < len(self.adj.rows):
            self.table.move_cursor(row=index)
            self._show_context()

    def _next_open(self, after: int) -> int | None:
        rows = self.open_disagreements() or (self.adj.disagreements if self.adj else [])
        return next((i for i in rows if i > after), rows[0] if rows else None)

    # -- actions --------------------------------------------------------------------

    def action_next_disagreement(self) -> None:
        """Cursor to the next disagreement (wrapping)."""
        rows = self.adj.disagreements if self.adj else []
        self.goto(next((i for i in rows if i > self.row_index), rows[0] if rows else None))

    def action_prev_disagreement(self) -> None:
        """Cursor to the previous disagreement (wrapping)."""
        rows = self.adj.disagreements if self.adj else []
        self.goto(next((i for i in reversed(rows) if i < self.row_index), rows[-1] if rows else None))

    def action_skip(self) -> None:
        """Leave this row open and go to the next open disagreement."""
        self.goto(self._next_open(self.row_index))

    def _pick(self, annotator: str | None) -> None:
        if not self.adj or not self.adj.rows:
            return
        index = self.row_index
        if self.attempt(lambda: self.svc.team.adjudicate_pick(self.article_id, index, annotator)) is FAILED:
            return
        self.reload()
        self.goto(self._next_open(index))

    def action_pick(self, n: int) -> None:
        """Make the n-th annotator's version of the row the final gold."""
        if self.adj and n < len(self.adj.annotators):
            self._pick(self.adj.annotators[n])
        else:
            self.refuse(f"there is no annotator {PICK_KEYS[n].upper()} here")

    def action_pick_none(self) -> None:
        """Keep no span in this row."""
        self._pick(None)

    def action_undo(self) -> None:
        """Undo the reviewer's latest action in this article."""
        kind = self.attempt(lambda: self.svc.review.undo(self.article_id))
        if kind is FAILED:
            return
        self.notify(f"undone: {kind}" if kind else "nothing to undo")
        self.reload()

    def action_edit(self) -> None:
        """Ask the app to open the article screen on the reviewer's gold."""
        start = self.adj.rows[self.row_index].start if self.adj and self.adj.rows else 0
        self.post_message(self.EditRequested(self.article_id, start))

    def action_done(self) -> None:
        """Mark the article done for the reviewer (open disagreements are only warned about)."""
        left = len(self.open_disagreements())
        if self.attempt(lambda: self.svc.review.mark_done(self.article_id)) is FAILED:
            return
        self.notify(f"marked done{f' with {left} disagreements left open' if left else ''}")
        self.post_message(self.Finished(self.article_id))

    def action_back(self) -> None:
        """Leave the screen."""
        self.dismiss()
