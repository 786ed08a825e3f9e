"""Row ids that are never handed out twice.

The action log restores rows by their id. SQLite gives a new row ``max(id) + 1``, so once
the row with the highest id is deleted (an undo, a delete) its id goes to the next insert,
and a later redo or undo of the first action would overwrite that unrelated row: another
article's or another annotator's gold. Ids of the tables the log restores are therefore
assigned here, inside the write transaction, above a high-water mark kept per table in
``id_sequences`` (seeded by migration m003 from the tables and from every id the log
mentions). Entity ids are slugs: every slug ever issued is kept in ``entity_ids``, so that a
new entity never takes the slug of one an undo removed.

This does not depend on the tables' DDL (no AUTOINCREMENT), so rebuilding a table keeps it.
"""

from __future__ import annotations

import sqlite_utils

# Integer-keyed tables whose rows the log restores (and suggestions, which the app holds by id).
SEQUENCED = ("spans", "event_args", "rejections", "aliases", "suggestions", "flags")


def reserve(db: sqlite_utils.Database, table: str, count: int = 1) -> int:
    """The first of ``count`` fresh ids of ``table``; call inside the write transaction."""
    if table not in SEQUENCED:
        raise ValueError(f"{table} has no id sequence")
    row = db.execute("SELECT high FROM id_sequences WHERE name = ?", [table]).fetchone()
    high = row[0] if row else 0
    # The table's own maximum too: a row written by a path that bypassed this function
    # must not be collided with.
    top = db.execute(f"SELECT COALESCE(max(id), 0) FROM [{table}]").fetchone()[0]
    first = max(high, top) + 1
    db.execute(
        "INSERT INTO id_sequences (name, high) VALUES (?, ?) "
        "ON CONFLICT(name) DO UPDATE SET high = max(high, excluded.high)",
        [table, first + count - 1],
    )
    return first


def note(db: sqlite_utils.Database, table: str, row_id: int) -> None:
    """Raise the high-water mark to an id written explicitly (a restore, a copy)."""
    if table in SEQUENCED and isinstance(row_id, int):
        db.execute(
            "INSERT INTO id_sequences (name, high) VALUES (?, ?) "
            "ON CONFLICT(name) DO UPDATE SET high = max(high, excluded.high)",
            [table, row_id],
        )


def issue_entity_id(db: sqlite_utils.Database, entity_id: str) -> None:
    """Record that an entity slug has been used (it is never given to another entity)."""
    db.execute("INSERT OR IGNORE INTO entity_ids (id) VALUES (?)", [entity_id])


def entity_id_issued(db: sqlite_utils.Database, entity_id: str) -> bool:
    """Whether an entity with this slug exists or ever existed."""
    sql = "SELECT 1 FROM entity_ids WHERE id = ? UNION ALL SELECT 1 FROM entities WHERE id = ? LIMIT 1"
    return db.execute(sql, [entity_id, entity_id]).fetchone() is not None
