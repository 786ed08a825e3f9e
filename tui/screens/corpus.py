"""The corpus screen: every article with its status and counts; search, filter, sort, open.

Rows are paged from SQL as they scroll into view (:class:`tui.widgets.corpus_list.CorpusList`
over :class:`annotate.corpus.listing.CorpusView`): the first screen is a few indexed queries
whatever the corpus size, and nothing keeps running after it. ``/`` searches titles and texts
through the full-text index (case and accents ignored) and shows each match in context; in a
corpus of 20,000 articles or more the query is read by a worker once typing pauses
(:mod:`tui.screens.corpus_search`), and the list keeps answering keys meanwhile. A long
view in another order than ingest order (20,000 rows or more) gets keyset anchors from a worker,
so that jumping into its middle and finding an article's row never step over every row before it.
Enter in a corpus that large reads the ids the article walks through (next, previous, ``d``) in a
worker too, then opens it (:class:`tui.screens.corpus_search.Opener`). Row cells: :mod:`tui.screens.corpus_rows`.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Input, Static
from textual.worker import get_current_worker

from annotate.corpus import listing_search
from annotate.corpus.listing import SORT_KEYS, CorpusView, Found, View
from annotate.service import Service
from store.flags import FLAGGED
from store.models import DONE, IN_PROGRESS, SKIPPED, STATUSES, TODO
from tui import keys
from tui.messages import ArticleChosen
from tui.screens.base import GlossatorScreen
from tui.screens.corpus_rows import STATUS_TEXT, Rows, cells
from tui.screens.corpus_search import DEBOUNCE, Opener, ReadAhead, Searcher
from tui.text import literal, one_line
from tui.widgets.corpus_list import PAGE, CorpusList

FILTERS = (None, *STATUSES, SKIPPED, FLAGGED)  # flagged: any status, with a flag of this annotator
NO_MATCH = "no match"
BEFORE, AFTER = 1_000, 5_000  # the slice of the list an opened article walks through
ANCHORS = "corpus-anchors"  # the worker group reading a long view's anchors


def _worker_cancelled() -> bool:
    """In a worker thread: whether its worker was cancelled (its read may stop)."""
    return get_current_worker().is_cancelled


class CorpusScreen(GlossatorScreen[None]):
    """Articles list with a search box, a status filter and sorting."""

    BINDINGS = [
        Binding("slash", "focus_filter", "Search", id="corpus_filter"),
        Binding("f", "cycle_status", "Status filter", id="corpus_status"),
        Binding("s", "cycle_sort", "Sort", id="corpus_sort"),
        Binding("escape", "clear_filter", "Clear search", show=False, id="corpus_clear"),
        *keys.bindings(keys.CORPUS_ACTIONS),
    ]

    def __init__(self, service: Service) -> None:
        super().__init__()
        self.svc = service
        self.view = View()
        self.listing = CorpusView(service, self.view)
        self._fresh = True
        self._counts: dict[str, int] | None = None  # per status, read again when the screen resumes
        self._view_anchors: dict[View, Any] = {}  # anchors of views left, that no review moves (forget keeps them)
        # A large corpus is searched in a worker: the view asked for is shown when its rows are read.
        self.searcher = Searcher(self, service, PAGE, self._found, self._search_failed)
        self._read_ahead = ReadAhead(self, service, PAGE, lambda: self.listing)
        self._opener = Opener(self, service, self._chosen, self._order_failed)

    # The old screen's attributes, read by callers and tests.
    @property
    def status_filter(self) -> str | None:
        """The status shown (None: all)."""
        return self.view.status

    @property
    def text_filter(self) -> str:
        """The search typed."""
        return self.view.text

    @property
    def rows(self) -> Rows:
        """The rows shown, read on demand (``rows[0]``, ``len(rows)``)."""
        return Rows(self.list)

    @property
    def sort_column(self) -> str | None:
        """The sort key (None: ingest order)."""
        return self.view.sort

    def compose(self) -> ComposeResult:
        """Summary, search box, list, footer."""
        yield Static(id="summary")
        yield Input(placeholder="/ search titles and texts (accents ignored)", id="filter")
        articles = CorpusList(lambda row: cells(row, articles.status_style), id="articles")
        yield articles
        yield Footer()

    @property
    def list(self) -> CorpusList:
        """The article list widget."""
        return self.query_one(CorpusList)

    def on_mount(self) -> None:
        """Show the first rows; put the cursor where work resumes."""
        if self.svc.store.path is not None:  # a search's next pages are read ahead in a worker
            self.list.ahead = self._ahead
        self._show()
        self.list.focus()
        self.resume()

    def _show(self, keep: str | None = None) -> None:
        """Show ``self.view`` from its first row (or on ``keep`` if it is shown)."""
        self._leave()
        self.listing = CorpusView(self.svc, self.view)
        if self.view in self._view_anchors:
            self.listing.adopt(self._view_anchors[self.view])
        total = self.listing.count()
        at = self._place(keep, 0)
        empty = NO_MATCH if self.view.text.strip() else ("no article with this status" if self.view.status
                                                          else "no article yet: glossator ingest FILES")
        self.list.reset(self.listing.rows, total, at or 0, snippets=bool(self.view.text.strip()), empty_text=empty)
        self._summary(total)

    def _place(self, keep: str | None, cursor: int) -> int | None:
        """Row of ``keep`` if the view shows it; a long view without anchors finds it in the worker
        that builds them (a count over a million rows takes seconds), then moves there from
        ``cursor`` (where the list shows it meanwhile) unless the reader moved."""
        listing = self.listing
        if listing.wants_anchors():
            job = self.svc.ctx.apart(lambda ctx: listing.anchor_job(ctx.store, _worker_cancelled))
            self._build_anchors(listing, job, keep, cursor)
            return None
        return self.listing.position(keep) if keep else None

    def _leave(self) -> None:
        """The view shown is left: its anchors are kept (if no review moves them) or their read stops."""
        self._keep_anchors()
        self.app.workers.cancel_group(self, ANCHORS)

    def _keep_anchors(self) -> None:
        listing = self.listing
        if listing.anchors is not None and listing.view.status is None and listing.view.sort != "confidence":
            self._view_anchors[listing.view] = listing.anchors

    @work(thread=True, exclusive=True, group=ANCHORS, exit_on_error=False, name="indexing the list")
    def _build_anchors(self, listing: CorpusView, job: Any, keep: str | None, at: int) -> None:
        """Anchors of a long view, read on their own connection; then the article kept in view."""
        anchors = job()
        if anchors is not None and not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._anchors_read, listing, anchors, keep, at)

    def _anchors_read(self, listing: CorpusView, anchors: Any, keep: str | None, at: int) -> None:
        if listing is not self.listing:  # another view meanwhile
            return
        listing.adopt(anchors)
        if keep and self.list.cursor == at:  # the reader has not moved meanwhile
            self.select(keep)

    def _set(self, **changes: Any) -> None:
        from dataclasses import replace

        # A new search starts at its best match; a new filter or sort keeps the article in view.
        keep = None if "text" in changes else self.current_id()
        view = replace(self.searcher.wanted or self.view, **changes)
        if view.match is not None and self._apart():
            self.searcher.ask(view, keep, 0, DEBOUNCE if "text" in changes else 0)
            self._summary(self.list.total, searching=view.text)
            return
        self.searcher.cancel()
        self.view = view
        self._show(keep)

    def _apart(self) -> bool:
        """Whether searches are read in a worker (a large corpus)."""
        if self._counts is None:
            self._counts = self.listing.status_counts()
        return listing_search.searches_apart(self.svc, sum(self._counts.values()))

    def _found(self, found: Found, at: int) -> None:
        """The rows of the search asked for last, read in the worker: shown as :meth:`_show` would."""
        self._leave()
        self.view = found.view
        self.listing = CorpusView(self.svc, found.view)
        self.listing.adopt_found(found)
        cursor = at if found.position is None else found.position
        self.list.reset(self.listing.rows, found.total, cursor, snippets=True, empty_text=NO_MATCH,
                        first=(found.offset, list(found.rows)))
        self._summary(found.total)

    def _ahead(self, page: int) -> None:
        if self._apart():
            self._read_ahead(page)

    def _search_failed(self, error: BaseException) -> None:
        self._summary(self.list.total)
        self.notify(f"the search failed: {error}", severity="error", markup=False)

    def _summary(self, shown: int, searching: str | None = None) -> None:
        if self._counts is None:
            self._counts = self.listing.status_counts()
        counts = self._counts
        total = sum(counts.values())
        text = Text(" glossator ", style="bold reverse")
        text.append(f"  {counts.get(DONE, 0)} of {total} done", style="bold")
        text.append(f" · {counts.get(IN_PROGRESS, 0)} in progress · {counts.get(TODO, 0)} to do · "
                    f"{one_line(self.svc.annotator)}")
        if counts.get(SKIPPED):
            text.append(f" · {counts[SKIPPED]} skipped", style="dim")
        if searching is not None:  # the list still shows the previous view's rows
            text.append("   searching “", style="dim")
            text.append_text(literal(searching, multiline=False))
            text.append("”…", style="dim")
        elif self.view.text.strip() and not shown:
            text.append(f"   {NO_MATCH}", style="bold")
        elif self.listing.capped:
            text.append(f"   showing the first {shown:,} matches (more match: add a word)", style="dim")
        else:
            text.append(f"   showing {shown}", style="dim")
        if self.view.status:
            text.append(f" · status={STATUS_TEXT[self.view.status]}", style="dim")
        if self.view.sort:
            text.append(f" · sorted by {self.view.sort}{' ↓' if self.view.reverse else ''}", style="dim")
        # One line whatever it says (#summary: height 1): no layout pass of the whole screen at each view.
        self.query_one("#summary", Static).update(text, layout=False)

    def current_id(self) -> str | None:
        """Id of the article under the cursor."""
        row = self.list.current()
        return row["id"] if row else None

    def select(self, article_id: str) -> None:
        """Move the cursor to an article if it is shown."""
        at = self.listing.position(article_id)
        if at is not None:
            self.list.move_to(at)

    def resume(self) -> None:
        """Cursor on the first article in progress, else the first to do."""
        for status in (IN_PROGRESS, TODO):
            found = self.listing.first_with_status(status)
            if found:
                self.select(found)
                return

    def order(self) -> list[str]:
        """Article ids in display order around the cursor (what `d` and next/previous walk through):
        up to :data:`BEFORE` rows before it and :data:`AFTER` from it, not a million ids at each Enter."""
        return self.listing.ids(*self._order_window())

    def _order_window(self) -> tuple[int, int]:
        start = max(self.list.cursor - BEFORE, 0)
        return start, self.list.cursor - start + AFTER

    def on_screen_resume(self) -> None:
        """Back from an article: counts and statuses may have changed (a status filter may now
        hide the article: the cursor stays at the same place in the list)."""
        if self._fresh:  # the first resume is the mount: nothing changed yet
            self._fresh = False
            return
        keep, at = self.current_id(), self.list.cursor
        self._counts = None
        if self.view.match is not None and self._apart():  # the old rows stay until the new ones are read
            self.searcher.ask(self.view, keep, at, 0)
            self._summary(self.list.total, searching=self.view.text)
            return
        self.listing.forget()  # statuses changed: a filtered view has other rows, its edges moved
        total = self.listing.count()
        position = self._place(keep, at)
        self.list.reset(self.listing.rows, total, at if position is None else position,
                        snippets=self.list.snippets, empty_text=self.list.empty_text)
        self._summary(total)

    @on(CorpusList.Selected)
    def _open(self, event: CorpusList.Selected) -> None:
        if self._apart() and self.svc.store.path is not None:  # a large corpus: the ids are read in a worker
            self._opener.open(event.article_id, self.listing, *self._order_window())
        else:
            self._chosen(event.article_id, self.order())

    def _chosen(self, article_id: str, order: list[str]) -> None:
        self.post_message(ArticleChosen(article_id, order))

    def _order_failed(self, article_id: str, error: BaseException) -> None:
        self.notify(f"the list's order could not be read ({error}): next and previous stay on this article",
                    severity="error", markup=False)
        self._chosen(article_id, [article_id])

    @on(CorpusList.HeaderClicked)
    def _header(self, event: CorpusList.HeaderClicked) -> None:
        column = event.column
        if column not in SORT_KEYS:
            self.notify(f"the list sorts by {', '.join(k for k in SORT_KEYS if k)} or ingest order "
                        "(those are indexed); use f to filter by status", severity="information")
            return
        self._set(sort=column, reverse=not self.view.reverse if self.view.sort == column else False)

    @on(Input.Changed, "#filter")
    def _filter(self, event: Input.Changed) -> None:
        if event.value != (self.searcher.wanted or self.view).text:
            self._set(text=event.value)

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.searcher.flush()
        self.list.focus()

    def action_focus_filter(self) -> None:
        """Type to search titles and texts."""
        self.query_one("#filter", Input).focus()

    def action_clear_filter(self) -> None:
        """Clear the search and go back to the list."""
        self.query_one("#filter", Input).value = ""
        self.list.focus()

    def action_cycle_status(self) -> None:
        """All → todo → in progress → done → skipped → flagged → all."""
        self._set(status=FILTERS[(FILTERS.index(self.view.status) + 1) % len(FILTERS)])

    def action_cycle_sort(self) -> None:
        """Cycle the sort key (ingest order first)."""
        self._set(sort=SORT_KEYS[(SORT_KEYS.index(self.view.sort) + 1) % len(SORT_KEYS)], reverse=False)

    def action_sort_confidence(self) -> None:
        """Sort by the lowest confidence of each article's suggestions (again: ingest order)."""
        self._set(sort=None if self.view.sort == "confidence" else "confidence", reverse=False)

    def action_bulk_accept(self) -> None:
        """Bulk accept a label's suggestions in the corpus above an estimated precision."""
        from tui.modals.bulk import open_bulk

        open_bulk(self, self.svc, None, done=lambda _n: self.on_screen_resume())

    def action_undo(self) -> None:
        """Undo this annotator's latest corpus-wide action (a bulk accept over the corpus)."""
        from tui.modals.bulk import undo_corpus

        undo_corpus(self, self.svc, done=self.on_screen_resume)
