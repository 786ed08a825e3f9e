"""A view of a large corpus read in a worker thread: the corpus screen's search as you type.

A search's count (up to :data:`annotate.corpus.listing.COUNT_CAP` matches) and its first rows with
snippets cost a tenth of a second at 100,000 articles, more for a prefix of one or two letters:
read at every key on the event loop, they held the screen that long per key typed. A
:class:`SearchJob` reads them on a read-only connection of its own (a connection belongs to the
thread that opened it); a newer query cancels it, which stops its statements at once
(:func:`store.listing.stop_when`) instead of letting them finish for nothing on a shared CPU.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

from annotate.corpus.listing import CorpusView, Found, View
from store import listing as sql
from store.repo import Store

__all__ = ["SEARCH_APART_FROM", "OrderJob", "PageJob", "SearchJob", "searches_apart"]

T = TypeVar("T")
SEARCH_APART_FROM = 20_000  # articles; below, a search takes a few ms: read at once, on the screen's connection


class _HasPath(Protocol):
    """The part of the service a job needs."""

    store: Store
    annotator: str


@dataclass(frozen=True)
class _Reader:
    """What :class:`CorpusView` reads through: a store and an annotator."""

    store: Store
    annotator: str


def searches_apart(service: _HasPath, articles: int) -> bool:
    """Whether a corpus of ``articles`` articles is searched in a worker (a database file that
    another connection can open, and enough articles for a search to take long)."""
    return service.store.path is not None and articles >= SEARCH_APART_FROM


def _file_of(service: _HasPath) -> Path:
    """The database file a job opens a connection of its own on."""
    if service.store.path is None:
        raise ValueError("a store without a file cannot be read apart")
    return service.store.path


def _handed_over(reader: _Reader, view: View, state: Any) -> CorpusView:
    """``view`` on the job's connection, starting from what the screen's listing had read."""
    listing = CorpusView(reader, view)
    listing.take_over(state)
    return listing


class _Job(Protocol):
    """What :func:`_read_apart` reads of a job."""

    path: Path
    who: str
    cancelled: bool


def _read_apart(job: _Job, read: Callable[[_Reader], T]) -> T | None:
    """``read`` on a read-only connection of the job's own, its statements stopped as soon as the
    job is cancelled (from any thread); None if it was."""
    if job.cancelled:
        return None
    store = Store.open(job.path, readonly=True)
    try:
        sql.stop_when(store.db, lambda: job.cancelled)
        return read(_Reader(store, job.who))
    except Exception as exc:
        if job.cancelled and sql.interrupted(exc):
            return None
        raise
    finally:
        store.close()


class SearchJob:
    """One view's first screen (:meth:`CorpusView.find`), read by :meth:`run` in a worker thread;
    :meth:`cancel` may be called from any thread, before, during or after the run."""

    def __init__(self, service: _HasPath, view: View, keep: str | None, page: int) -> None:
        self.path, self.who = _file_of(service), service.annotator
        self.view, self.keep, self.page = view, keep, page
        self.cancelled = False  # set by any thread, read by the reading one's progress handler

    def run(self) -> Found | None:
        """The view's count, the row of ``keep`` and its page of rows; None if cancelled."""
        return _read_apart(self, lambda reader: CorpusView(reader, self.view).find(self.keep, self.page))

    def cancel(self) -> None:
        """Drop this job: its result is never used, and the statement it runs (or runs next) stops."""
        self.cancelled = True


class PageJob:
    """The next page of a view, read ahead in a worker thread (a page of a search's rows with
    their snippets costs 5 to 40 ms at 100,000 articles: on the event loop, that much more for the
    PageDown that reaches it). Starts from ``listing``'s count and edges, on its own connection."""

    def __init__(self, service: _HasPath, listing: CorpusView, offset: int, limit: int) -> None:
        self.path, self.who = _file_of(service), service.annotator
        self.view, self.state = listing.view, listing.handover()
        self.offset, self.limit = offset, limit

    def run(self) -> list[dict[str, Any]]:
        """The rows, parsed as :meth:`CorpusView.rows` gives them."""
        store = Store.open(self.path, readonly=True)
        try:
            return _handed_over(_Reader(store, self.who), self.view, self.state).rows(self.offset, self.limit)
        finally:
            store.close()


class OrderJob:
    """The ids an opened article walks through (``limit`` rows of the view from ``offset``), read
    in a worker thread: up to 6,000 ids of a search (its full-text match, again) or of a long
    sorted list cost 50 to 300 ms at 100,000 articles, on the event loop at each Enter. Starts from
    ``listing``'s count, on its own connection; :meth:`cancel` stops its statement from any thread."""

    def __init__(self, service: _HasPath, listing: CorpusView, offset: int, limit: int) -> None:
        self.path, self.who = _file_of(service), service.annotator
        self.view, self.state = listing.view, listing.handover()
        self.offset, self.limit = offset, limit
        self.cancelled = False

    def run(self) -> list[str] | None:
        """The ids in the view's order; None if cancelled."""
        return _read_apart(self, lambda reader: _handed_over(reader, self.view, self.state).ids(self.offset,
                                                                                            self.limit))

    def cancel(self) -> None:
        """Drop this job: its ids are never used."""
        self.cancelled = True
