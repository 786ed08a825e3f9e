"""Full-text search of titles and texts through the FTS5 index of migration m010_fts.

User input never reaches FTS5's query syntax: every word becomes a quoted FTS5 string, so
``"``, ``*``, ``NEAR``, ``AND``, ``(``, ``[/]`` are searched as text and never raise. A word
ending in ``*`` (``Soud*``) is a prefix search. Words are all required (implicit AND); case and
accents do not matter (the index folds them: ``unicode61 remove_diacritics 2``).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass

import sqlite_utils

# Marks around the matched words in snippet(): noncharacters, which no article text holds in
# practice (if one does, its highlight is off, its text is not).
OPEN, CLOSE = "\ufdd0", "\ufdd1"
ELLIPSIS = "…"
_SPACE = re.compile(r"[\r\n\t\x0b\x0c\x85\u2028\u2029]")


@dataclass(frozen=True)
class SearchHit:
    """One matching article: ``snippet`` is a one-line keyword-in-context extract of its title
    or text, ``marks`` the (start, end) offsets of the matched words in the snippet."""

    id: str
    title: str
    snippet: str
    marks: tuple[tuple[int, int], ...] = ()


def fts_query(text: str) -> str:
    """An FTS5 query matching every word of ``text`` literally ("" when there is no word)."""
    terms = []
    # FTS5 reads a query as a C string: a NUL would end it inside a quoted word.
    for word in text.replace("\x00", " ").split():
        prefix = word.endswith("*") and word.strip("*") != ""
        word = word.rstrip("*") if prefix else word
        if not word.strip("*"):
            continue  # "*" alone: nothing to search for
        terms.append('"' + word.replace('"', '""') + '"' + ("*" if prefix else ""))
    return " ".join(terms)


def parse_snippet(raw: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The snippet without its marks, on one line, and where the marks were."""
    out: list[str] = []
    marks: list[tuple[int, int]] = []
    start = None
    length = 0
    for piece in re.split(f"([{OPEN}{CLOSE}])", raw):
        if piece == OPEN:
            start = length
        elif piece == CLOSE:
            if start is not None:
                marks.append((start, length))
            start = None
        else:
            piece = _SPACE.sub(" ", piece)  # one for one: the offsets hold
            out.append(piece)
            length += len(piece)
    return "".join(out), tuple(marks)


RANKED = 5_000  # matches ranked by bm25 at most: above, ranking every one costs seconds


def search(db: sqlite_utils.Database, query: str, limit: int = 20, tokens: int = 12) -> list[SearchHit]:
    """Best matches first (bm25, titles weighing twice the text), with snippets of ``tokens`` words.

    A query matching more than :data:`RANKED` articles (a common word in a large corpus) is not
    ranked: its first matches in ingest order come back (see :func:`is_ranked`)."""
    match = fts_query(query)
    if not match or limit <= 0:
        return []
    order = "bm25(articles_fts, 2.0, 1.0)" if count_matches(db, query, RANKED) <= RANKED else "articles_fts.rowid"
    sql = f"""SELECT a.id, a.title, snippet(articles_fts, -1, '{OPEN}', '{CLOSE}', '{ELLIPSIS}', ?)
              FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid
              WHERE articles_fts MATCH ? ORDER BY {order} LIMIT ?"""
    hits = []
    for article_id, title, raw in db.execute(sql, [tokens, match, limit]):
        snippet, marks = parse_snippet(raw or "")
        hits.append(SearchHit(article_id, title or "", snippet, marks))
    return hits


def is_ranked(db: sqlite_utils.Database, query: str) -> bool:
    """Whether :func:`search` ranks this query's matches (at most :data:`RANKED` of them)."""
    return count_matches(db, query, RANKED) <= RANKED


def count_matches(db: sqlite_utils.Database, query: str, cap: int = 10_000) -> int:
    """How many articles match, counted up to ``cap`` (cap + 1 means "more than cap")."""
    match = fts_query(query)
    if not match:
        return 0
    sql = "SELECT count(*) FROM (SELECT 1 FROM articles_fts WHERE articles_fts MATCH ? LIMIT ?)"
    return db.execute(sql, [match, cap + 1]).fetchone()[0]


def rebuild(db: sqlite_utils.Database) -> None:
    """Rebuild the index from the articles (after a restore of a copy whose rowids changed)."""
    with db.atomic():
        db.execute("INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')")


@contextlib.contextmanager
def bulk_index(db: sqlite_utils.Database) -> Iterator[None]:
    """Inside a write transaction: the articles inserted in the block are indexed by one
    ``INSERT … SELECT`` at its end instead of the trigger of m014 row by row (half the time).

    The block may insert articles and change any other table; it must not delete or retitle the
    articles it inserts (they are not in the index yet). If it raises, its savepoint is rolled
    back. A database whose insert trigger cannot be deferred (no index, or an index built again
    by m010 after m014) keeps indexing row by row."""
    trigger = db.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'articles_fts_ai'").fetchone()
    if trigger is None or "fts_deferred" not in trigger[0]:
        yield
        return
    with db.atomic():  # a savepoint of the caller's transaction
        first = db.execute("SELECT coalesce(max(rowid), 0) FROM articles").fetchone()[0]
        db.execute("INSERT INTO fts_deferred (id) VALUES (1)")
        yield
        db.execute("DELETE FROM fts_deferred")
        # Inside the write transaction nobody else inserts: the rowids above ``first`` are the block's.
        db.execute("INSERT INTO articles_fts (rowid, title, text) SELECT rowid, title, text FROM articles "
                   "WHERE rowid > ?", [first])
