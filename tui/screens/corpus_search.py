"""The corpus screen's searches of a large corpus, read off the event loop.

Each key typed in the search box restarts a short timer (:data:`DEBOUNCE`); when it fires, the
query is read by a thread worker (:class:`annotate.corpus.listing_search.SearchJob`, its own
read-only connection) while the list keeps answering keys. A newer query cancels the older
one (its timer, its worker, its running statement), and a result that arrives for a query
that is no longer the one asked for is dropped: the list only ever shows the last query's rows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.dom import DOMNode
from textual.timer import Timer
from textual.worker import get_current_worker

from annotate.corpus.listing import CorpusView, Found, View
from annotate.corpus.listing_search import OrderJob, PageJob, SearchJob
from tui.widgets.corpus_list import CorpusList

DEBOUNCE = 0.1  # seconds without a key before a query is read: "soudani" typed fast reads one query, not seven
GROUP = "corpus-search"
AHEAD = "corpus-ahead"
OPEN = "corpus-open"


class Searcher:
    """The latest search asked for on ``node``'s screen, and the one being read for it.

    ``show(found, at)`` runs on the event loop with the rows of the last query asked for (``at``:
    where the cursor goes if the article asked for is not in the view); ``failed(error)`` when
    reading it raised."""

    def __init__(self, node: DOMNode, service: Any, page: int, show: Callable[[Found, int], None],
                 failed: Callable[[BaseException], None]) -> None:
        self.node, self.service, self.page = node, service, page
        self.show, self.failed = show, failed
        self._timer: Timer | None = None
        self._asked: tuple[View, str | None, int] | None = None  # view, article to keep, fallback row
        self._job: SearchJob | None = None

    @property
    def wanted(self) -> View | None:
        """The view asked for and not shown yet (None: none pending)."""
        return self._asked[0] if self._asked else None

    def ask(self, view: View, keep: str | None = None, at: int = 0, delay: float = DEBOUNCE) -> None:
        """Read ``view`` after ``delay`` seconds without another :meth:`ask` (0: now), instead of
        any search asked for before."""
        self.cancel()
        self._asked = (view, keep, at)
        if delay > 0:
            self._timer = self.node.set_timer(delay, self._start, name="search debounce")
        else:
            self._start()

    def flush(self) -> None:
        """Read the pending query now (Enter in the search box: no reason to wait)."""
        if self._timer is not None:
            self._timer.stop()
            self._start()

    def cancel(self) -> None:
        """Forget the pending query: its timer stops, its reading stops, its result is dropped."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self._job is not None:
            self._job.cancel()
            self._job = None
        self._asked = None

    def _start(self) -> None:
        self._timer = None
        if self._asked is None:
            return
        view, keep, at = self._asked
        job = self._job = SearchJob(self.service, view, keep, self.page)
        self.node.run_worker(lambda: self._read(job, at), thread=True, exclusive=True, group=GROUP,
                             exit_on_error=False, name="searching")

    def _read(self, job: SearchJob, at: int) -> None:
        """In the worker thread: read, then hand the result to the event loop (the only way a
        thread may touch the screen)."""
        try:
            found = job.run()
        except Exception as exc:  # shown on the screen, like any failed read
            if not job.cancelled and not get_current_worker().is_cancelled:
                self.node.app.call_from_thread(self._failed, job, exc)
            return
        if found is not None and not job.cancelled and not get_current_worker().is_cancelled:
            self.node.app.call_from_thread(self._arrived, job, found, at)

    def _arrived(self, job: SearchJob, found: Found, at: int) -> None:
        if job is not self._job:  # a newer query was asked for meanwhile
            return
        self._job, self._asked = None, None
        self.show(found, at)

    def _failed(self, job: SearchJob, exc: BaseException) -> None:
        if job is self._job:
            self._job, self._asked = None, None
            self.failed(exc)


class ReadAhead:
    """Pages of a search's rows read ahead of the cursor in a worker, so that PageDown and PageUp
    find them cached (their snippets cost milliseconds per row); ``listing()`` is the view shown."""

    def __init__(self, node: DOMNode, service: Any, page: int, listing: Callable[[], CorpusView]) -> None:
        self.node, self.service, self.page, self.listing = node, service, page, listing
        self._asked: set[tuple[int, int]] = set()  # (list version, page) read or being read

    def __call__(self, page: int) -> None:
        """Read ``page`` of the view shown, unless it is being read already."""
        listing, widget = self.listing(), self.node.query_one(CorpusList)
        if listing.match is None or (widget.version, page) in self._asked:
            return  # a window of a view without snippets is one indexed query of a millisecond
        self._asked.add((widget.version, page))
        job = PageJob(self.service, listing, page * self.page, self.page)
        version = widget.version
        self.node.run_worker(lambda: self._read(job, listing, page, version), thread=True, group=AHEAD,
                             exit_on_error=False, name="reading ahead")

    def _read(self, job: PageJob, listing: CorpusView, page: int, version: int) -> None:
        rows = job.run()
        if not get_current_worker().is_cancelled:
            self.node.app.call_from_thread(self._arrived, listing, page, version, rows)

    def _arrived(self, listing: CorpusView, page: int, version: int, rows: list[dict[str, Any]]) -> None:
        if listing is self.listing():
            listing.adopt_rows(page * self.page, rows)
            self.node.query_one(CorpusList).add_page(page, rows, version)


class Opener:
    """Enter on a large corpus: the ids the article walks through are read in a worker, then
    ``chosen(article_id, ids)`` runs on the event loop, unless another Enter came meanwhile (the
    last one opens, once) or the screen is no longer shown; ``failed(article_id, error)`` if the
    read raised."""

    def __init__(self, node: DOMNode, service: Any, chosen: Callable[[str, list[str]], None],
                 failed: Callable[[str, BaseException], None]) -> None:
        self.node, self.service, self.chosen, self.failed = node, service, chosen, failed
        self._job: OrderJob | None = None

    def open(self, article_id: str, listing: CorpusView, offset: int, limit: int) -> None:
        """Read ``limit`` ids of ``listing`` from ``offset``, then open ``article_id``."""
        if self._job is not None:
            self._job.cancel()
        job = self._job = OrderJob(self.service, listing, offset, limit)
        self.node.run_worker(lambda: self._read(job, article_id), thread=True, exclusive=True, group=OPEN,
                             exit_on_error=False, name="opening the article")

    def _read(self, job: OrderJob, article_id: str) -> None:
        try:
            ids = job.run()
        except Exception as exc:  # the article still opens, alone (see the screen's failed)
            if not job.cancelled:
                self.node.app.call_from_thread(self._done, job, article_id, None, exc)
            return
        if ids is not None and not job.cancelled:
            self.node.app.call_from_thread(self._done, job, article_id, ids, None)

    def _done(self, job: OrderJob, article_id: str, ids: list[str] | None, exc: BaseException | None) -> None:
        if job is not self._job:  # a newer Enter meanwhile
            return
        self._job = None
        if self.node.app.screen is not self.node:  # the reader went elsewhere meanwhile
            return
        if exc is not None or ids is None:
            self.failed(article_id, exc or RuntimeError("no ids read"))
        else:
            self.chosen(article_id, ids)
