"""The consistency queue (issue 14, item 3), reached with ``C`` from the corpus and the article.

One row per surface this annotator labelled or linked differently across the corpus, or left
unlabelled (or pending) in an article they worked on while it is gold elsewhere: the surface, its
variants with counts ("ORG ×3 · MISC ×1", "→ iraq ×5 · → irak ×1", "unlabelled ×2") and what the
fix would do. ``Enter`` opens the article at the first disagreeing mention (a span made current,
plain text selected so that a label key makes it a span), ``a`` applies the majority label and
entity to the minority mentions as one action of the corpus scope, ``u`` undoes the latest one,
``r`` reads the queue again, ``Esc`` goes back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Footer, Static
from textual.worker import Worker, get_current_worker

from annotate.corpuswide.consistency import Mention, Queue, Row
from annotate.service import Service
from tui.screens.article.review_actions import plain_action
from tui.screens.base import FAILED, GlossatorScreen
from tui.text import one_line
from tui.theme import BAD, BUSY, tone


def variants_text(row: Row) -> Text:
    """``ORG ×3 · MISC ×1 · unlabelled ×2``, shown literally."""
    out = Text()
    for n, (name, count) in enumerate(row.variants()):
        if n:
            out.append(" · ", style="dim")
        out.append(one_line(name), style="bold" if n == 0 else "")
        out.append(f" ×{count}")
    return out


def fix_text(row: Row) -> str:
    """What ``a`` would do to the row, in words."""
    if row.majority_label is None:
        return "no majority (a tie): fix by hand"
    link = f" → {row.majority_kb}" if row.majority_kb else ""
    return f"{row.majority_label}{link} to {len(row.minority())}"


class ConsistencyScreen(GlossatorScreen[None]):
    """Surfaces labelled or linked differently across the corpus, with jump-to and one-key fixes."""

    CSS_PATH = "../styles/consistency.tcss"
    BINDINGS = [
        Binding("a", "fix", "Fix (majority)", id="consistency_fix"),
        Binding("u", "undo", "Undo", id="consistency_undo"),
        Binding("r", "reload", "Refresh", id="consistency_refresh"),
        Binding("j", "move(1)", "Down", show=False, id="consistency_down"),
        Binding("k", "move(-1)", "Up", show=False, id="consistency_up"),
        Binding("escape", "back", "Back", id="consistency_back"),
    ]

    @dataclass(eq=False)
    class JumpRequested(Message):
        """Open an article at a mention of the queue."""

        mention: Mention

    def __init__(self, service: Service) -> None:
        super().__init__()
        self.svc = service
        self.queue = Queue([])
        self.reading = False  # a read of the queue is under way (keys that change it wait for it)

    def compose(self) -> ComposeResult:
        """Summary, rows, details of the current row, footer."""
        yield Static(id="cons-summary")
        yield DataTable(id="cons-rows", cursor_type="row", zebra_stripes=True)
        yield Static(id="cons-detail")
        yield Footer()

    @property
    def table(self) -> DataTable[Any]:
        """The rows table."""
        return self.query_one("#cons-rows", DataTable)

    @property
    def rows(self) -> list[Row]:
        """The rows shown."""
        return self.queue.rows

    @property
    def current(self) -> Row | None:
        """The row under the cursor."""
        return self.queue.current

    def on_mount(self) -> None:
        """Read the queue and show it."""
        self.reload()
        self.table.focus()

    def reload(self) -> None:
        """Read the queue again in a worker (on its own connection), keeping the cursor's place."""
        summary = Text(" consistency ", style="bold reverse")
        summary.append("  reading the queue…", style="dim")
        self.query_one("#cons-summary", Static).update(summary)
        self.reading = True
        self._read(self.svc.corpuswide.consistency_job())

    @work(thread=True, exclusive=True, group="consistency", exit_on_error=False, name="reading the consistency queue")
    def _read(self, job: Callable[[], list[Row]]) -> None:
        rows = job()
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, rows)

    def worker_failed(self, worker: Worker) -> None:
        """The read failed (its error is shown): show an empty queue, ``r`` tries again."""
        if worker.group == "consistency":
            self._show([])

    def _show(self, rows: list[Row]) -> None:
        self.reading = False
        self.queue.replace(rows)
        table = self.table
        table.clear(columns=True)
        table.add_column(Text("Surface"), key="surface", width=24)
        table.add_column(Text("Variants"), key="variants")
        table.add_column(Text("Fix (a)"), key="fix", width=28)
        for n, row in enumerate(self.rows):
            table.add_row(Text(one_line(row.surface), style="bold", no_wrap=True, overflow="ellipsis"),
                          variants_text(row),
                          Text(one_line(fix_text(row)), style=tone(self, BUSY if row.majority_label else BAD)),
                          key=str(n))
        if self.rows:
            table.move_cursor(row=self.queue.cursor)
        summary = Text(" consistency ", style="bold reverse")
        summary.append(f"  {len(self.rows)} surfaces disagree" if self.rows else
                       "  every surface is labelled and linked alike", style="bold")
        summary.append(f" · {one_line(self.svc.annotator)}'s gold", style="dim")
        self.query_one("#cons-summary", Static).update(summary)
        self._describe()

    def _describe(self) -> None:
        row = self.current
        detail = Text()
        if row is not None:
            first = row.first_disagreeing()
            detail.append("Enter opens ")
            detail.append(one_line(first.title or first.article_id), style="bold")
            state = first.label if first.state == "gold" else first.state
            detail.append(f" at {first.start}–{first.end} ({one_line(state or '')})")
            if first.kb_id:
                detail.append(f" → {one_line(first.kb_id)}")
            detail.append(f"; a applies {one_line(fix_text(row))} of {len(row.mentions)} mentions")
        detail.append("\nEnter open · a fix with the majority (one action, u undoes) · r refresh · Esc back",
                      style="dim")
        self.query_one("#cons-detail", Static).update(detail)

    @on(DataTable.RowHighlighted, "#cons-rows")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.queue.cursor = event.cursor_row
        self._describe()

    @on(DataTable.RowSelected, "#cons-rows")
    def _selected(self) -> None:
        self.action_jump()

    def action_move(self, delta: int) -> None:
        """Cursor down / up."""
        self.queue.move(delta)
        if self.rows:
            self.table.move_cursor(row=self.queue.cursor)

    def action_jump(self) -> None:
        """Open the article at the row's first disagreeing mention."""
        row = self.current
        if row is None:
            self.refuse("no surface disagrees")
            return
        self.post_message(self.JumpRequested(row.first_disagreeing()))

    def action_fix(self) -> None:
        """Apply the majority label and entity to the row's minority mentions."""
        if self.reading:  # the rows shown may be the ones the last fix or undo changed
            self.refuse("the queue is being read again: a moment")
            return
        row = self.current
        if row is None:
            self.refuse("no surface disagrees")
            return
        changed = self.attempt(lambda: self.svc.corpuswide.fix(row))
        if changed is FAILED:
            return
        self.notify(f"“{row.surface}”: {changed} mentions now {fix_text(row).rsplit(' to ', 1)[0]} (u undoes)")
        self.reload()

    def action_undo(self) -> None:
        """Undo the latest change of the corpus scope (a fix, or an entity change)."""
        kind = self.attempt(lambda: self.svc.review.undo(None))
        if kind is FAILED:
            return
        self.notify(f"undid {plain_action(kind)}" if kind else "nothing to undo")
        self.reload()

    def action_reload(self) -> None:
        """Read the queue again."""
        self.reload()

    def action_back(self) -> None:
        """Back to the screen below."""
        self.dismiss(None)
