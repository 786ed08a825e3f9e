"""The corpus screen: every article with its status and counts; filter, sort, open."""

from __future__ import annotations

from functools import partial
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Input, Static

from annotate.service import Service
from store.models import DONE, IN_PROGRESS, STATUSES, TODO
from tui import keys
from tui.messages import ArticleChosen
from tui.screens.base import GlossatorScreen
from tui.text import one_line

COLUMNS = (("title", "Title"), ("date", "Date"), ("source", "Source"), ("status", "Status"),
           ("pending", "Left"), ("gold", "Gold"))
STATUS_STYLE = {TODO: "", IN_PROGRESS: "bold #ffd75f", DONE: "#87d75f"}
STATUS_TEXT = {TODO: "todo", IN_PROGRESS: "in progress", DONE: "done"}
FILTERS = (None, *STATUSES)
FIRST_ROWS = 120  # rows added before the first paint; the rest follow in chunks
CHUNK_ROWS = 500


def _cells(row: dict[str, Any]) -> list[Any]:
    status = row["status"]
    return [
        Text(one_line(row["title"] or row["source"] or row["id"]), no_wrap=True, overflow="ellipsis"),
        Text(one_line(row["date"] or "")),
        Text(one_line(row["source"] or ""), no_wrap=True, overflow="ellipsis"),
        Text(STATUS_TEXT.get(status, status), style=STATUS_STYLE.get(status, "")),
        row["pending"],
        row["gold"],
    ]


class CorpusScreen(GlossatorScreen[None]):
    """Articles table with a text filter, a status filter and sorting."""

    BINDINGS = [
        Binding("slash", "focus_filter", "Filter", id="corpus_filter"),
        Binding("f", "cycle_status", "Status filter", id="corpus_status"),
        Binding("s", "cycle_sort", "Sort", id="corpus_sort"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="corpus_clear"),
        *keys.bindings(keys.CORPUS_ACTIONS),
    ]

    def __init__(self, service: Service) -> None:
        super().__init__()
        self.svc = service
        self.rows: list[dict[str, Any]] = []
        self.status_filter: str | None = None
        self.text_filter = ""
        self.sort_column: str | None = None
        self.sort_reverse = False
        self._generation = 0
        self._want: str | None = None

    def compose(self) -> ComposeResult:
        """Summary, filter box, table, footer."""
        yield Static(id="summary")
        yield Input(placeholder="/ filter by title or source", id="filter")
        table: DataTable[Any] = DataTable(id="articles", cursor_type="row", zebra_stripes=True)
        for key, label in COLUMNS:
            table.add_column(label, key=key, width=None if key != "title" else 48)
        yield table
        yield Footer()

    def on_mount(self) -> None:
        """Load rows; put the cursor where work resumes."""
        self.reload()
        self.query_one(DataTable).focus()
        self.resume()

    def reload(self) -> None:
        """Fetch the corpus rows and fill the table."""
        self.rows = self.svc.data.articles()
        self._fill()

    def visible(self) -> list[dict[str, Any]]:
        """Rows passing the filters, in display order."""
        needle = self.text_filter.casefold()
        rows = [
            r for r in self.rows
            if (self.status_filter is None or r["status"] == self.status_filter)
            and (not needle or needle in (r["title"] or "").casefold() or needle in (r["source"] or "").casefold())
        ]
        if self.sort_column:
            col = self.sort_column
            rows.sort(key=lambda r: (r[col] is None, r[col] if r[col] is not None else ""), reverse=self.sort_reverse)
        return rows

    def _fill(self, keep: str | None = None) -> None:
        """Refill the table: the first rows at once, the rest in chunks so the screen shows at once."""
        table = self.query_one(DataTable)
        self._want = keep or self.current_id() or self._want
        self._generation += 1
        table.clear()
        rows = self.visible()
        self._summary(len(rows))
        self._add_rows(self._generation, rows, 0, FIRST_ROWS)

    def _add_rows(self, generation: int, rows: list[dict[str, Any]], start: int, count: int) -> None:
        if generation != self._generation:
            return  # a newer fill replaced this one
        table = self.query_one(DataTable)
        for row in rows[start:start + count]:
            table.add_row(*_cells(row), key=row["id"])
        if self._want and self._want in {r["id"] for r in rows[start:start + count]}:
            if table.cursor_row == 0:
                self.select(self._want)
            self._want = None
        if start + count < len(rows):
            self.set_timer(0.02, partial(self._add_rows, generation, rows, start + count, CHUNK_ROWS))

    def _summary(self, shown: int) -> None:
        counts = {s: 0 for s in STATUSES}
        for r in self.rows:
            counts[r["status"]] = counts.get(r["status"], 0) + 1
        total = len(self.rows)
        text = Text(" glossator ", style="bold reverse")
        text.append(f"  {counts[DONE]} of {total} done", style="bold")
        text.append(f" · {counts[IN_PROGRESS]} in progress · {counts[TODO]} to do · {one_line(self.svc.annotator)}")
        text.append(f"   showing {shown}", style="dim")
        if self.status_filter:
            text.append(f" · status={STATUS_TEXT[self.status_filter]}", style="dim")
        if self.sort_column:
            text.append(f" · sorted by {self.sort_column}{' ↓' if self.sort_reverse else ''}", style="dim")
        self.query_one("#summary", Static).update(text)

    def current_id(self) -> str | None:
        """Id of the article under the cursor."""
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def select(self, article_id: str) -> None:
        """Move the cursor to an article if it is shown."""
        table = self.query_one(DataTable)
        try:
            table.move_cursor(row=table.get_row_index(article_id), animate=False)
        except Exception:  # noqa: BLE001 - row filtered out: leave the cursor
            pass

    def resume(self) -> None:
        """Cursor on the first article in progress, else the first to do."""
        for status in (IN_PROGRESS, TODO):
            found = next((r["id"] for r in self.visible() if r["status"] == status), None)
            if found:
                self._want = found
                self.select(found)
                return

    def order(self) -> list[str]:
        """Article ids in display order (what `d` walks through)."""
        return [r["id"] for r in self.visible()]

    def on_screen_resume(self) -> None:
        """Back from an article: counts and statuses may have changed."""
        fresh = {r["id"]: r for r in self.svc.data.articles()}
        table = self.query_one(DataTable)
        for n, row in enumerate(self.rows):
            new = fresh.get(row["id"])
            if new and new != row:
                self.rows[n] = new
                try:
                    for (key, _), value in zip(COLUMNS, _cells(new)):
                        table.update_cell(row["id"], key, value)
                except Exception:  # noqa: BLE001 - row filtered out
                    pass
        if len(fresh) != len(self.rows):
            self.rows = list(fresh.values())
            self._fill()
        self._summary(table.row_count)

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        self.post_message(ArticleChosen(event.row_key.value, self.order()))

    @on(DataTable.HeaderSelected)
    def _header(self, event: DataTable.HeaderSelected) -> None:
        column = event.column_key.value
        self.sort_reverse = not self.sort_reverse if self.sort_column == column else False
        self.sort_column = column
        self._fill()

    @on(Input.Changed, "#filter")
    def _filter(self, event: Input.Changed) -> None:
        self.text_filter = event.value.strip()
        self._fill()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.query_one(DataTable).focus()

    def action_focus_filter(self) -> None:
        """Type to filter by title or source."""
        self.query_one("#filter", Input).focus()

    def action_clear_filter(self) -> None:
        """Clear the text filter and go back to the table."""
        self.query_one("#filter", Input).value = ""
        self.query_one(DataTable).focus()

    def action_cycle_status(self) -> None:
        """All → todo → in progress → done → all."""
        self.status_filter = FILTERS[(FILTERS.index(self.status_filter) + 1) % len(FILTERS)]
        self._fill()

    def action_cycle_sort(self) -> None:
        """Cycle the sort column (ingest order first)."""
        keys = [None, *(key for key, _ in COLUMNS)]
        self.sort_column = keys[(keys.index(self.sort_column) + 1) % len(keys)]
        self.sort_reverse = False
        self._fill()
