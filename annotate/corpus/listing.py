"""The corpus as views paged from SQL (the corpus screen) and full-text search (``glossator search``).

Called with the service the screen and the CLI already hold: nothing here keeps rows, a view
asks the store for the window it shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Protocol

from store import listing as sql
from store import search as fts
from store.search import RANKED, SearchHit, fts_query, parse_snippet

__all__ = ["ANCHORS_FROM", "ANCHOR_EVERY", "COUNT_CAP", "RANKED", "SORT_KEYS", "CorpusView", "Found", "SearchHit", "View", "is_ranked", "live_query", "search", "statuses"]

SORT_KEYS = (None, "title", "date", "source", "confidence")  # the sort keys an index serves
COUNT_CAP = 2_000  # a search lists at most this many matches: counting them all costs seconds at 1M
ANCHOR_EVERY = 1_024  # rows between two anchors: a jump or a position steps over fewer than this
ANCHORS_FROM = 20_000  # below, OFFSET and counts are fast enough (a few ms): no anchors to build
STOP_EVERY = 100_000  # SQLite instructions between two checks that a worker's anchors are still wanted


class _HasStore(Protocol):
    store: Any
    annotator: str


@dataclass(frozen=True)
class View:
    """What the corpus list shows: a status of this annotator, a search, a sort key."""

    status: str | None = None
    text: str = ""
    sort: str | None = None
    reverse: bool = False

    @property
    def match(self) -> str | None:
        """The FTS5 query of ``text`` (None: no search)."""
        return live_query(self.text) or None


def live_query(text: str) -> str:
    """FTS5 query of text typed in a filter box: every word, the last one as a prefix (typing
    "Mal" already finds "Maliki") unless the text ends with a space."""
    if text and not text[-1].isspace() and not text.rstrip().endswith("*"):
        text = text + "*"
    return fts_query(text)


@dataclass(frozen=True)
class Found:
    """The first screen of a view, read by :meth:`CorpusView.find`: ``rows`` from ``offset``;
    ``position`` the row of the article asked for, None when the view does not show it."""

    view: View
    total: int
    capped: bool
    position: int | None
    offset: int
    rows: tuple[dict[str, Any], ...]


class CorpusView:
    """Windows, counts and positions of one view for one annotator."""

    def __init__(self, service: _HasStore, view: View) -> None:
        self.service = service
        self.db = service.store.db
        self.who = service.annotator
        self.view = view
        self.match = view.match
        self._total: int | None = None
        self.capped = False  # a search with more than COUNT_CAP matches: the first ones are listed
        self._edges: dict[int, tuple[Any, int]] = {}  # row index → (sort key, rowid) of rows read
        self._is_dense: bool | None = None
        self.anchors: list[tuple[Any, int]] | None = None  # (sort key, rowid) of every ANCHOR_EVERY-th row
        self._anchored = 0  # the count when the anchors were adopted

    def forget(self) -> None:
        """Statuses or the corpus changed: count again and page from scratch. The anchors of a
        view that no review changes (all statuses, sorted by a field of the article) are kept."""
        self._total = None
        self._is_dense = None
        self._edges.clear()
        if self.view.status is not None or self.view.sort == "confidence":
            self.anchors = None

    def wants_anchors(self) -> bool:
        """Whether jumps in this view need anchors (a long list not in plain ingest order), and
        none are built yet: then :meth:`anchor_job` in a worker, :meth:`adopt` on its result."""
        return (self.anchors is None and self.match is None and not self._dense()
                and self.count() >= ANCHORS_FROM)

    def anchor_job(self, store: Any, stopped: Callable[[], bool] | None = None) -> list[tuple[Any, int]] | None:
        """The anchors of this view, read from ``store`` (a worker's own read-only connection);
        None if ``stopped()`` turned true meanwhile (the view was left: its read stops at once
        instead of scanning the whole view for nothing, 90 ms at 100,000 articles, 1 s at 1M)."""
        if stopped is not None:
            if stopped():
                return None
            sql.stop_when(store.db, stopped, STOP_EVERY)
        try:
            return sql.anchors(store.db, self.who, ANCHOR_EVERY, status=self.view.status, sort=self.view.sort,
                               reverse=self.view.reverse)
        except Exception as exc:
            if stopped is not None and stopped() and sql.interrupted(exc):
                return None
            raise

    def adopt(self, anchors: list[tuple[Any, int]]) -> None:
        """Use anchors read by :meth:`anchor_job`."""
        self._anchored = self.count()
        self.anchors = anchors

    def _args(self) -> dict[str, Any]:
        return {"status": self.view.status, "match": self.match}

    def count(self) -> int:
        """Number of rows (a search: at most :data:`COUNT_CAP`; ``capped`` says there are more)."""
        if self.view.text.strip() and self.match is None:
            return 0  # only "*" typed: no word to search
        if self._total is None:
            cap = COUNT_CAP if self.match is not None else None
            found = sql.count(self.db, self.who, cap=cap, **self._args())
            self.capped = cap is not None and found > cap
            self._total = min(found, cap) if cap is not None else found
            if self.anchors is not None and self._total != self._anchored:
                self.anchors = None  # articles came or went: every anchor moved
        return self._total

    def rows(self, offset: int, limit: int) -> list[dict[str, Any]]:
        """Rows ``offset`` … ``offset + limit``; with a search, ``snippet`` and ``marks`` too."""
        if self.view.text.strip() and self.match is None:
            return []
        total = self.count()
        limit = max(min(limit, total - offset), 0)
        if not limit:
            return []
        found = self._read(offset, limit, total)
        if found:
            self._edges[offset] = self._edge(found[0])
            self._edges[offset + len(found) - 1] = self._edge(found[-1])
        for row in found:
            raw = row.pop("snippet")
            row["snippet"], row["marks"] = parse_snippet(raw) if raw is not None else ("", ())
        return found

    def _dense(self) -> bool:
        """Whether this view is the whole corpus in ingest order with rowids 1 … N (no gaps)."""
        if self.view.sort is not None or self.view.status is not None or self.match is not None:
            return False
        if self._is_dense is None:
            self._is_dense = sql.rowids_dense(self.db, self.count())
        return self._is_dense

    def _edge(self, row: dict[str, Any]) -> tuple[Any, int]:
        return (row["sort_key"], row["rowid"])

    def _read(self, offset: int, limit: int, total: int) -> list[dict[str, Any]]:
        """The window, read from the nearest known neighbour row when there is one (keyset), else
        from the nearer end of the view (OFFSET costs a step per row skipped)."""
        way = self.view.reverse
        args = {"sort": self.view.sort, "limit": limit, **self._args()}
        if offset == 0:
            return sql.window(self.db, self.who, reverse=way, **args)
        if self._dense():  # ingest order, nothing filtered, rowids 1…N: row i is rowid i + 1
            rowid = total - offset + 1 if way else offset
            return sql.window(self.db, self.who, reverse=way, after=(None, rowid), **args)
        if offset - 1 in self._edges:
            return sql.window(self.db, self.who, reverse=way, after=self._edges[offset - 1], **args)
        if offset + limit in self._edges:
            return sql.window(self.db, self.who, reverse=not way, after=self._edges[offset + limit], **args)[::-1]
        if self.anchors and offset >= ANCHOR_EVERY:
            return self._from_anchor(offset, limit, args)
        if offset > total // 2 and not self.capped:
            return sql.window(self.db, self.who, reverse=not way, offset=total - offset - limit, **args)[::-1]
        return sql.window(self.db, self.who, reverse=way, offset=offset, **args)

    def _from_anchor(self, offset: int, limit: int, args: dict[str, Any]) -> list[dict[str, Any]]:
        """The window read from the anchor before it, or backwards from the one after it if nearer."""
        assert self.anchors is not None
        way, every = self.view.reverse, ANCHOR_EVERY
        below = min(offset // every, len(self.anchors))  # anchors[below - 1] is row below * every - 1
        skip = offset - below * every
        if below < len(self.anchors):
            back = (below + 1) * every - 1 - offset - limit  # rows between the window and the next anchor
            if 0 <= back < skip:
                return sql.window(self.db, self.who, reverse=not way, after=self.anchors[below], offset=back,
                                  **args)[::-1]
        return sql.window(self.db, self.who, reverse=way, after=self.anchors[below - 1], offset=skip, **args)

    def find(self, keep: str | None, page: int) -> Found:
        """What the list shows first of this view, read at once: the count, the row of ``keep``
        (None: not shown, or not asked) and the page of ``page`` rows holding it (else the first).
        For a worker, on a connection of its own (a search's count and snippets take a tenth of
        a second at 100,000 articles); the screen hands the result to :meth:`adopt_found`."""
        total = self.count()
        at = self.position(keep) if keep else None
        offset = at // page * page if at else 0
        return Found(self.view, total, self.capped, at, offset, tuple(self.rows(offset, page)))

    def adopt_found(self, found: Found) -> None:
        """Use what :meth:`find` read elsewhere: the count, and the edges of its page for keyset paging."""
        self._total, self.capped = found.total, found.capped
        self.adopt_rows(found.offset, list(found.rows))

    def handover(self) -> tuple[int, bool, dict[int, tuple[Any, int]]]:
        """What a view of the same rows on another connection needs to page on from here (the
        count and the edges of the rows read): for :meth:`take_over`."""
        return self.count(), self.capped, dict(self._edges)

    def take_over(self, state: tuple[int, bool, dict[int, tuple[Any, int]]]) -> None:
        """Page on from :meth:`handover`'s state of another view of the same rows."""
        self._total, self.capped, edges = state
        self._edges.update(edges)

    def adopt_rows(self, offset: int, rows: list[dict[str, Any]]) -> None:
        """Rows from ``offset`` read elsewhere (by :meth:`take_over`'s view): their edges, for keyset paging."""
        if rows:
            self._edges[offset] = self._edge(rows[0])
            self._edges[offset + len(rows) - 1] = self._edge(rows[-1])

    def ids(self, offset: int = 0, limit: int | None = None) -> list[str]:
        """Article ids in order: every one, or ``limit`` of them from ``offset``."""
        if self.view.text.strip() and self.match is None:
            return []
        total = self.count()
        limit = total - offset if limit is None else min(limit, total - offset)
        return sql.ids(self.db, self.who, sort=self.view.sort, reverse=self.view.reverse, limit=max(limit, 0),
                       offset=offset, **self._args())

    def position(self, article_id: str) -> int | None:
        """Row index of an article, or None when the view does not show it."""
        if self.view.text.strip() and self.match is None:
            return None
        marks = self.anchors if self.match is None else None
        at = sql.position(self.db, self.who, article_id, sort=self.view.sort, reverse=self.view.reverse,
                          marks=marks, every=ANCHOR_EVERY, **self._args())
        return at if at is not None and at < self.count() else None

    def status_counts(self) -> dict[str, int]:
        """Articles per status of this annotator, the whole corpus (whatever the view)."""
        return sql.status_counts(self.db, self.who)

    def first_with_status(self, status: str) -> str | None:
        """The first article of this view that has the status."""
        if self.view.status not in (None, status):
            return None
        rows = CorpusView(self.service, replace(self.view, status=status)).rows(0, 1)
        return rows[0]["id"] if rows else None


def statuses(service: _HasStore, article_ids: list[str]) -> dict[str, str]:
    """This annotator's status of each of these articles (what `d` needs to find the next one not
    done, without reading the rows of the whole corpus as ``Service.data.articles()`` does)."""
    return sql.statuses(service.store.db, service.annotator, list(article_ids))


def search(service: _HasStore, query: str, limit: int = 20) -> list[SearchHit]:
    """Articles matching every word of ``query`` (case and accents ignored), best first, with a
    keyword-in-context snippet each. Any text is a valid query."""
    return fts.search(service.store.db, query, limit)


def is_ranked(service: _HasStore, query: str) -> bool:
    """Whether :func:`search` returns this query's matches best first (else: in ingest order,
    because too many articles match to rank them all quickly)."""
    return fts.is_ranked(service.store.db, query)


def count_matches(service: _HasStore, query: str, cap: int = 10_000) -> int:
    """Number of articles matching ``query``, up to ``cap`` (cap + 1: more)."""
    return fts.count_matches(service.store.db, query, cap)
