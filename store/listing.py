"""Windows of corpus rows, paged from SQL in the order of an index (the corpus screen).

A view is a sort key (ingest order, title, date, source, lowest suggestion confidence), an
optional status of one annotator and an optional full-text query. Every window is one query with
ORDER BY … LIMIT served by an index (m010_corpus_indexes, m015_confidence_sort), so the first
screen costs the same at 5 and at 1,000,000 articles; the per-row counts (gold, pending) are
computed for the rows of the window only. A window next to one already read starts after that
window's edge row (keyset paging: ``after``), because OFFSET steps over every row it skips (a
fifth of a second in the middle of 100,000 articles).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

import sqlite_utils

from store.flags import FLAGGED, FLAGGED_CONDITION
from store.search import CLOSE, ELLIPSIS, OPEN

SORTS = {None: "a.rowid", "title": "a.title COLLATE NOCASE", "date": "a.date COLLATE NOCASE",
         "source": "a.source COLLATE NOCASE", "confidence": "COALESCE(a.low_score, 2.0)"}

# Pending needs an overlap test per suggestion; articles the annotator never touched (most of a
# large corpus) have all their suggestions pending, so the test runs only where a review row exists.
_COUNTS = """
    (SELECT count(*) FROM spans s WHERE s.article_id = a.id AND s.annotator = :who) AS gold,
    (SELECT count(*) FROM suggestions g WHERE g.article_id = a.id) AS suggestions,
    CASE WHEN r.article_id IS NULL THEN (SELECT count(*) FROM suggestions g WHERE g.article_id = a.id)
    ELSE (SELECT count(*) FROM suggestions g WHERE g.article_id = a.id
          AND NOT EXISTS (SELECT 1 FROM rejections x WHERE x.article_id = a.id AND x.annotator = :who
                          AND x.start = g.start AND x."end" = g."end" AND x.label = g.label
                          AND x.kind = g.kind)
          AND NOT EXISTS (SELECT 1 FROM spans s WHERE s.article_id = a.id AND s.annotator = :who
                          AND (s.kind = 'event') = (g.kind = 'event')
                          AND s.start < g."end" AND g.start < s."end"))
    END AS pending"""

# Whether this annotator flagged the article or a span of it (what the "flagged" filter shows).
_FLAGGED = "EXISTS (SELECT 1 FROM flags x WHERE x.annotator = :who AND x.article_id = a.id) AS flagged"

# Every article with this annotator's status and counts, in ingest order (Store.article_summaries).
ALL_ROWS = f"""SELECT a.id, a.source, a.title, a.date, COALESCE(r.status, 'todo') AS status,
                      a.status AS overall, a.updated_at, {_COUNTS}
               FROM articles a LEFT JOIN reviews r ON r.article_id = a.id AND r.annotator = :who
               ORDER BY a.rowid"""

def _from(status: str | None, match: str | None) -> tuple[str, list[str]]:
    """FROM clause and conditions of a view (named parameters :who, :status, :match)."""
    source = "articles_fts f JOIN articles a ON a.rowid = f.rowid" if match else "articles a"
    conds = ["articles_fts MATCH :match"] if match else []
    if status is None or status in ("todo", FLAGGED):
        source += " LEFT JOIN reviews r ON r.article_id = a.id AND r.annotator = :who"
        if status == "todo":
            conds.append("(r.article_id IS NULL OR r.status = 'todo')")
        elif status == FLAGGED:  # any status; the few flagged articles found through flags(annotator, …)
            conds.append(FLAGGED_CONDITION)
    else:
        # An inner join: the few reviewed articles are found through reviews(annotator, status).
        source += " JOIN reviews r ON r.article_id = a.id AND r.annotator = :who"
        conds.append("r.status = :status")
    return source, conds


def _where(conds: list[str]) -> str:
    return f" WHERE {' AND '.join(conds)}" if conds else ""


def _order(sort: str | None, reverse: bool, match: str | None) -> str:
    key = "f.rowid" if match and sort is None else SORTS[sort]
    way = " DESC" if reverse else ""
    return f"{key}{way}" if sort is None else f"{key}{way}, a.rowid{way}"


LAST_ROWID = 2**63 - 1  # "after (NULL, LAST_ROWID)" in descending order: every NULL key


def _after(sort: str | None, reverse: bool, match: str | None, key_is_null: bool, nulls_tail: bool = False,
           key: str = ":key", rowid_arg: str = ":rowid") -> str:
    """Condition "the row comes after (:key, :rowid) in the view's order", written so that the
    sort index serves it as a range (a CASE on :key would make SQLite scan from the start).
    Descending, the NULL keys that follow a non-NULL one are a second range: ``window`` reads
    them when the first is short; ``nulls_tail`` puts them in the condition (for a count)."""
    rowid = "f.rowid" if match and sort is None else "a.rowid"
    if sort is None:
        return f"{rowid} {'<' if reverse else '>'} {rowid_arg}"
    column = SORTS[sort]
    # NULL keys sort first (ascending) and last (descending).
    if key_is_null:
        return (f"({column} IS NULL AND a.rowid < {rowid_arg})" if reverse
                else f"(({column} IS NULL AND a.rowid > {rowid_arg}) OR {column} IS NOT NULL)")
    if reverse:
        tail = f" OR {column} IS NULL" if nulls_tail else ""
        return f"({column} <= {key} AND ({column} < {key} OR a.rowid < {rowid_arg}){tail})"
    return f"({column} >= {key} AND ({column} > {key} OR a.rowid > {rowid_arg}))"


def window(db: sqlite_utils.Database, who: str, *, status: str | None = None, match: str | None = None,
           sort: str | None = None, reverse: bool = False, offset: int = 0, limit: int = 50,
           tokens: int = 10, after: tuple[Any, int] | None = None) -> list[dict[str, Any]]:
    """Rows ``offset`` … ``offset + limit`` of the view, with this annotator's status, gold and
    pending counts, whether they flagged it (and a snippet with marks when ``match`` is an FTS5 query); ``after`` = (sort
    key, rowid) of a row: the ``limit`` rows that follow it instead (``offset`` counts from there).
    Every row carries its ``rowid`` and ``sort_key``, so that it can be the next window's ``after``."""
    source, conds = _from(status, match)
    if after is not None:
        conds = [*conds, _after(sort, reverse, match, after[0] is None)]
    snippet = (f", snippet(articles_fts, -1, '{OPEN}', '{CLOSE}', '{ELLIPSIS}', :tokens) AS snippet"
               if match else ", NULL AS snippet")
    sort_key = f"{SORTS[sort]} AS sort_key" if sort is not None else "NULL AS sort_key"
    sql = f"""SELECT a.id, a.rowid AS rowid, {sort_key}, a.source, a.title, a.date, COALESCE(r.status, 'todo') AS status,
                     a.status AS overall, a.updated_at, {_COUNTS}, {_FLAGGED} {snippet}
              FROM {source}{_where(conds)} ORDER BY {_order(sort, reverse, match)}
              LIMIT :limit OFFSET :offset"""
    args = {"who": who, "status": status, "match": match, "limit": limit, "offset": offset, "tokens": tokens}
    if after is not None:
        args["key"], args["rowid"] = after
    rows = [dict(r) for r in db.query(sql, args)]
    if after is not None and after[0] is not None and reverse and sort is not None and len(rows) < limit:
        skip = 0
        if offset and not rows:  # the OFFSET went past this range: skip the rest in the NULL keys
            inner = f"SELECT 1 FROM {source}{_where(conds)} LIMIT :offset"
            skip = offset - db.execute(f"SELECT count(*) FROM ({inner})", args).fetchone()[0]
        rows += window(db, who, status=status, match=match, sort=sort, reverse=True, limit=limit - len(rows),
                       tokens=tokens, after=(None, LAST_ROWID), offset=skip)
    return rows


def anchors(db: sqlite_utils.Database, who: str, every: int, *, status: str | None = None,
            sort: str | None = None, reverse: bool = False) -> list[tuple[Any, int]]:
    """(sort key, rowid) of rows ``every - 1``, ``2 * every - 1`` … of the view (no search): one
    read of the sort index, so that a jump or a position starts from the nearest of them (keyset)
    instead of stepping over every row before it (OFFSET, a count). Seconds at 1M: for a worker."""
    source, conds = _from(status, None)
    key = SORTS[sort] if sort is not None else "NULL"
    sql = f"SELECT {key}, a.rowid FROM {source}{_where(conds)} ORDER BY {_order(sort, reverse, None)}"
    out = []
    for n, (value, rowid) in enumerate(db.execute(sql, {"who": who, "status": status}), start=1):
        if n % every == 0:
            out.append((value, rowid))
    return out


def rowids_dense(db: sqlite_utils.Database, total: int) -> bool:
    """Whether the articles' rowids are exactly 1 … ``total`` (an index look-up for each end)."""
    # Two statements: SQLite answers a lone min() or max() from the end of the b-tree, but scans
    # the table for both in one (18 ms at 100,000 articles, at each return to ingest order).
    low = db.execute("SELECT min(rowid) FROM articles").fetchone()[0]
    high = db.execute("SELECT max(rowid) FROM articles").fetchone()[0]
    return total == 0 or (low == 1 and high == total)


def count(db: sqlite_utils.Database, who: str, *, status: str | None = None, match: str | None = None,
          cap: int | None = None) -> int:
    """Number of rows of the view; counted up to ``cap`` + 1 when given (a search of a common
    word in a million articles matches most of them: counting them all costs seconds)."""
    if match is None and status is None:
        return db.execute("SELECT count(*) FROM articles").fetchone()[0]
    if match is None and status == "todo":
        # Everything but the reviewed articles not in todo: two index counts, no scan of the join.
        total = db.execute("SELECT count(*) FROM articles").fetchone()[0]
        other = db.execute("SELECT count(*) FROM reviews WHERE annotator = ? AND status != 'todo'", [who]).fetchone()[0]
        return total - other
    source, conds = _from(status, match)
    inner = f"SELECT 1 FROM {source}{_where(conds)}" + (" LIMIT :cap" if cap is not None else "")
    args = {"who": who, "status": status, "match": match, "cap": (cap or 0) + 1}
    return db.execute(f"SELECT count(*) FROM ({inner})", args).fetchone()[0]


def status_counts(db: sqlite_utils.Database, who: str) -> dict[str, int]:
    """Articles per status of this annotator, from the reviews index and one count of the articles
    (no join of the corpus with the reviews: the summary line is read at every key of a search)."""
    counts = {status: n for status, n in db.execute(
        "SELECT status, count(*) FROM reviews WHERE annotator = ? AND status != 'todo' GROUP BY status", [who])}
    total = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    counts["todo"] = total - sum(counts.values())
    return counts


def statuses(db: sqlite_utils.Database, who: str, article_ids: list[str]) -> dict[str, str]:
    """article id → this annotator's status, for these articles only (chunked primary-key look-ups)."""
    out: dict[str, str] = {}
    for i in range(0, len(article_ids), 500):
        part = article_ids[i:i + 500]
        marks = ",".join("?" * len(part))
        out.update(db.execute(
            f"""SELECT a.id, COALESCE(r.status, 'todo') FROM articles a
                LEFT JOIN reviews r ON r.article_id = a.id AND r.annotator = ? WHERE a.id IN ({marks})""",
            [who, *part]).fetchall())
    return out


def ids(db: sqlite_utils.Database, who: str, *, status: str | None = None, match: str | None = None,
        sort: str | None = None, reverse: bool = False, limit: int = -1, offset: int = 0,
        after: tuple[Any, int] | None = None) -> list[str]:
    """Article ids of the view in order (``limit`` of them from ``offset``; -1: all); ``after``:
    from the row after this (sort key, rowid), as in :func:`window`."""
    source, conds = _from(status, match)
    if after is not None:
        conds = [*conds, _after(sort, reverse, match, after[0] is None)]
    sql = (f"SELECT a.id FROM {source}{_where(conds)} ORDER BY {_order(sort, reverse, match)} "
           "LIMIT :limit OFFSET :offset")
    args = {"who": who, "status": status, "match": match, "limit": limit, "offset": offset}
    if after is not None:
        args["key"], args["rowid"] = after
    found = [r[0] for r in db.execute(sql, args)]
    if after is not None and after[0] is not None and reverse and sort is not None and not offset \
            and (limit < 0 or len(found) < limit):  # descending: the NULL keys follow
        found += ids(db, who, status=status, match=match, sort=sort, reverse=True,
                     limit=limit - len(found) if limit >= 0 else -1, after=(None, LAST_ROWID))
    return found


def position(db: sqlite_utils.Database, who: str, article_id: str, *, status: str | None = None,
             match: str | None = None, sort: str | None = None, reverse: bool = False,
             marks: list[tuple[Any, int]] | None = None, every: int = 0) -> int | None:
    """Index of an article in the view, or None when the view does not show it; ``marks``:
    the view's :func:`anchors` (every ``every`` rows), to count from the nearest one."""
    key = SORTS[sort] if sort is not None else "NULL"
    row = db.execute(f"SELECT a.rowid, {key} FROM articles a WHERE a.id = ?", [article_id]).fetchone()
    if row is None:
        return None
    source, conds = _from(status, match)
    args = {"who": who, "status": status, "match": match, "id": article_id, "rowid": row[0], "key": row[1]}
    shown = db.execute(f"SELECT count(*) FROM {source}{_where([*conds, 'a.id = :id'])}", args).fetchone()[0]
    if not shown:
        return None
    if marks and match is None:
        return _from_anchor(db, who, article_id, row, marks, every, status=status, sort=sort, reverse=reverse)
    # The rows before it are the rows after it in the reversed order.
    before = _after(sort, not reverse, match, row[1] is None, nulls_tail=True)
    sql = f"SELECT count(*) AS n FROM {source}{_where([*conds, before])}"
    return db.execute(sql, args).fetchone()[0]



def _from_anchor(db: sqlite_utils.Database, who: str, article_id: str, row: Any, marks: list[tuple[Any, int]],
                 every: int, *, status: str | None, sort: str | None, reverse: bool) -> int:
    """Position of a shown article from the last anchor before it (a bisection of look-ups of
    its own row, then at most ``every`` ids read from that anchor)."""
    args = {"rowid": row[0]}

    def past(mark: tuple[Any, int]) -> bool:  # the article comes after this anchor
        cond = _after(sort, reverse, None, mark[0] is None, nulls_tail=True, key=":akey", rowid_arg=":arowid")
        probe = f"SELECT count(*) FROM articles a WHERE a.rowid = :rowid AND {cond}"
        return bool(db.execute(probe, {**args, "akey": mark[0], "arowid": mark[1]}).fetchone()[0])

    low, high = 0, len(marks)  # marks[:low] are before the article, marks[high:] are not
    while low < high:
        mid = (low + high) // 2
        if past(marks[mid]):
            low = mid + 1
        else:
            high = mid
    if low == 0:
        start, after = 0, None
    else:
        start, after = low * every, marks[low - 1]
    following = ids(db, who, status=status, sort=sort, reverse=reverse, limit=every, after=after)
    return start + following.index(article_id)



def stop_when(db: sqlite_utils.Database, stopped: Callable[[], bool], every: int = 100_000) -> None:
    """Make every statement on ``db`` stop (raising :func:`interrupted`) once ``stopped()`` is true,
    checked every ``every`` SQLite instructions (well under a millisecond apart, and seldom enough
    that the checks, which take the GIL, do not slow the event loop's thread): a search that is no
    longer wanted ends at once, whether it was running or about to start (not inside one FTS5 step:
    a one-letter prefix's doclists are merged in one). Call it from the thread that owns ``db``."""
    db.conn.set_progress_handler(lambda: 1 if stopped() else 0, every)


def interrupted(exc: BaseException) -> bool:
    """Whether ``exc`` is a statement stopped through :func:`stop_when`."""
    return isinstance(exc, sqlite3.OperationalError) and "interrupt" in str(exc)
