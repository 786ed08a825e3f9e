"""Set-at-a-time reads and writes for bulk imports.

A reviewer action goes through :class:`store.actions.UnitOfWork`, one row at a time. An import
of thousands of articles cannot: it must hold the write lock for short stretches only (a
reviewer waits on it), so it reads what it needs per batch in a few queries and writes with
``executemany``. Its log entries have the same shape as a unit of work's, so undo works on them.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Iterator, Sequence
from operator import itemgetter
from typing import Any

import sqlite_utils

from store.actions import apply_state
from store.corpus import large_cache
from store.identifiers import column_list, columns  # noqa: F401  (columns: bulk.columns, the importer reads it here)
from store.oplog import loads_ops

_CHUNK = 500  # SQLite's default limit on ? parameters is 999 (older builds) or 32766
# Written out, not interpolated: PRAGMA takes no ? parameters (tests/reliability/test_rel_injection.py).
# temp_store's values 0, 1, 2 in order.
_TEMP_STORE = ("PRAGMA temp_store = DEFAULT", "PRAGMA temp_store = FILE", "PRAGMA temp_store = MEMORY")


def _in(db: sqlite_utils.Database, sql: str, values: Sequence[Any], extra: Sequence[Any] = ()) -> list[Any]:
    """Run ``sql`` (holding one ``{}`` for the IN list) over ``values`` in chunks; rows as dicts."""
    out: list[Any] = []
    values = list(values)
    for i in range(0, len(values), _CHUNK):
        part = values[i:i + _CHUNK]
        cursor = db.execute(sql.format(",".join("?" * len(part))), [*extra, *part])
        names = [d[0] for d in cursor.description]
        out.extend(dict(zip(names, row)) for row in cursor.fetchall())
    return out


@contextlib.contextmanager
def bulk_writing(db: sqlite_utils.Database) -> Iterator[None]:
    """This connection set for a bulk import in the block, then as before: a 64 MiB page cache
    (the indexes an import's batches update stay in memory instead of being read back from the
    WAL: 100 MB of reads for 2,000 records) and statement journals in memory (every insert into a
    table with foreign keys keeps one inside a transaction, spilled to a temporary file past
    64 KiB: 137 MB written to it for 2,000 records). Inside a transaction SQLite may refuse to
    change where temporary storage lives: it is then left as it is."""
    temp = None if db.conn.in_transaction else int(db.execute("PRAGMA temp_store").fetchone()[0])
    if temp is not None:
        db.execute(_TEMP_STORE[2])  # drops this connection's temporary tables: ours are made when used
    try:
        with large_cache(db):
            yield
    finally:
        if temp is not None:
            db.execute(_TEMP_STORE[temp])


def existing_ids(db: sqlite_utils.Database, table: str, ids: Iterable[Any]) -> set[Any]:
    """Which of ``ids`` are primary keys of ``table``."""
    return {r["id"] for r in _in(db, f"SELECT id FROM [{table}] WHERE id IN ({{}})", list(set(ids)))}


def gold_rows(db: sqlite_utils.Database, article_ids: Sequence[str],
              annotator: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The annotator's span rows and event-argument rows in these articles."""
    spans = _in(db, "SELECT * FROM spans WHERE annotator = ? AND article_id IN ({}) ORDER BY id", article_ids,
                [annotator])
    ids = [s["id"] for s in spans]
    args = _in(db, "SELECT * FROM event_args WHERE event_id IN ({0}) ORDER BY id", ids)
    seen = {a["id"] for a in args}
    args += [a for a in _in(db, "SELECT * FROM event_args WHERE span_id IN ({0}) ORDER BY id", ids)
             if a["id"] not in seen]
    return spans, args


def review_rows(db: sqlite_utils.Database, article_ids: Sequence[str]) -> list[dict[str, Any]]:
    """Every review row of these articles."""
    return _in(db, "SELECT * FROM reviews WHERE article_id IN ({})", article_ids)


def article_states(db: sqlite_utils.Database, article_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """article id → its ``status`` and ``updated_at``."""
    rows = _in(db, "SELECT id, status, updated_at FROM articles WHERE id IN ({})", article_ids)
    return {r["id"]: {"status": r["status"], "updated_at": r["updated_at"]} for r in rows}


def alias_pairs(db: sqlite_utils.Database, entity_ids: Sequence[str]) -> set[tuple[str, str]]:
    """(entity id, alias text) of every alias of these entities."""
    return {(r["entity_id"], r["text"])
            for r in _in(db, "SELECT entity_id, text FROM aliases WHERE entity_id IN ({})", entity_ids)}


def next_id(db: sqlite_utils.Database, table: str) -> int:
    """The first integer id above every id of ``table`` and above its recorded high-water mark
    (store/ids.py), so an id freed by a delete or an undo is never handed out again."""
    top = db.execute(f"SELECT coalesce(max(id), 0) FROM [{table}]").fetchone()[0] or 0
    row = db.execute("SELECT high FROM id_sequences WHERE name = ?", [table]).fetchone()
    return max(top, row[0] if row else 0) + 1


def note_high(db: sqlite_utils.Database, table: str, high: int) -> None:
    """Raise ``table``'s high-water mark of issued ids to ``high``."""
    db.execute("INSERT INTO id_sequences (name, high) VALUES (?, ?) "
               "ON CONFLICT(name) DO UPDATE SET high = max(high, excluded.high)", [table, high])


def reserve_ids(db: sqlite_utils.Database, table: str, count: int) -> int:
    """The first of ``count`` fresh ids of ``table`` (``count`` may be 0), spent from now on
    whether or not rows take them; inside a write transaction."""
    first = next_id(db, table)
    if count:
        note_high(db, table, first + count - 1)
    return first


def issue_entity_ids(db: sqlite_utils.Database, entity_ids: Sequence[str]) -> None:
    """Record entity slugs as used (store/ids.py: never given to another entity)."""
    db.conn.executemany("INSERT OR IGNORE INTO entity_ids (id) VALUES (?)", [(i,) for i in entity_ids])


def delete_rows(db: sqlite_utils.Database, table: str, ids: Sequence[Any]) -> None:
    """Delete rows by primary key."""
    db.conn.executemany(f"DELETE FROM [{table}] WHERE id = ?", [(i,) for i in ids])


def insert_rows(db: sqlite_utils.Database, table: str, rows: Sequence[dict[str, Any]]) -> None:
    """Insert rows that all have the same keys."""
    if not rows:
        return
    keys = list(rows[0])
    insert_tuples(db, table, keys, map(itemgetter(*keys), rows) if len(keys) > 1 else ([r[keys[0]]] for r in rows))


def insert_tuples(db: sqlite_utils.Database, table: str, cols: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Insert rows given as sequences of the values of ``cols``, in that order (no dict per row:
    an import inserts a hundred thousand span rows); nothing for no rows."""
    sql = f"INSERT INTO [{table}] ({column_list(db, table, cols)}) VALUES ({', '.join('?' * len(cols))})"
    db.conn.executemany(sql, rows)


def update_rows(db: sqlite_utils.Database, table: str, changes: Sequence[tuple[Any, dict[str, Any]]],
                key: Sequence[str] = ("id",)) -> None:
    """Update some columns (the same ones for every row) of rows given by primary key (a list of
    values when ``key`` names several columns)."""
    if not changes:
        return
    keys = list(changes[0][1])
    sql = (f"UPDATE [{table}] SET {column_list(db, table, keys, each='{} = ?')} "
           f"WHERE {column_list(db, table, key, each='{} = ?', sep=' AND ')}")
    if len(key) == 1:
        db.conn.executemany(sql, [[c[k] for k in keys] + [pk] for pk, c in changes])
    else:
        db.conn.executemany(sql, [[c[k] for k in keys] + list(pk) for pk, c in changes])


def append_actions(db: sqlite_utils.Database, rows: Sequence[dict[str, Any]]) -> None:
    """Log entries (``id``, ``at``, ``annotator``, ``article_id``, ``kind``, ``ops`` as a list)."""
    insert_rows(db, "actions", [{**r, "ops": json.dumps(r["ops"], ensure_ascii=False), "undoes": None,
                                 "redoes": None} for r in rows])


def checkpoint(db: sqlite_utils.Database) -> None:
    """Copy the WAL into the database without blocking anyone (PASSIVE). A bulk writer calls it
    between batches: otherwise the next small commit past the auto-checkpoint threshold (often a
    reviewer's) pays for copying everything the import wrote."""
    db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()


def revert(db: sqlite_utils.Database, action_ids: Sequence[int], article_ids: Sequence[str]) -> None:
    """Take back logged actions (newest first) and remove their entries, then delete articles that
    the same import added: used when a bulk import fails after some of its batches were committed."""
    rows = _in(db, "SELECT id, ops FROM actions WHERE id IN ({}) ORDER BY id DESC", action_ids)
    for row in rows:
        for op in reversed(loads_ops(row["ops"])):
            apply_state(db, op, "before")
    delete_rows(db, "actions", [r["id"] for r in rows])
    delete_rows(db, "articles", article_ids)
