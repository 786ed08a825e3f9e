"""The append-only action log: every change is recorded as row operations.

A unit of work groups the row changes of one reviewer action in one transaction,
together with its log entry, so that a crash loses at most the action in flight.
Undo and redo are themselves appended to the log; which action an undo reverts is
derived by replaying the log of the scope (an article and an annotator).

An undo or redo first checks that every row it would change is still as its action left it
(or already as it would leave it): a row changed since by another scope (another annotator,
an entity merge, a team merge) makes it refuse with :class:`Conflict`, changing nothing.
Row ids are never reused (``store.ids``), so an id in the log names one row for ever.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any

import sqlite_utils

from store import ids
from store.convert import row_to_action
from store.identifiers import column_list
from store.models import Action

UNDO = "undo"
REDO = "redo"
# Derived rows (the article's overall status and timestamp, recomputed by the caller's hook):
# every annotator's actions write them, so they are not compared before an undo or redo.
DERIVED = ("articles",)
# Tables keyed by several columns (every other table by ``id``): their pk in the log is a list.
KEYS = {"reviews": ("article_id", "annotator")}
_WHERE = {"reviews": "article_id = ? AND annotator = ?"}
NOUNS = {"spans": "a span", "event_args": "an event argument", "rejections": "a rejection",
         "aliases": "an alias", "entities": "an entity", "reviews": "the review status", "flags": "a flag"}


class Conflict(Exception):
    """An undo or redo that would overwrite a row changed since by another action; nothing was changed."""


def now() -> str:
    """UTC timestamp with milliseconds, sortable as text."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


class UnitOfWork:
    """Row changes of one action; recorded as ``ops`` for undo, redo and audit."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self.ops: list[dict[str, Any]] = []

    def get(self, table: str, pk: Any) -> dict[str, Any] | None:
        """The current row, or None."""
        return _row(self.db, table, pk)

    def insert(self, table: str, row: dict[str, Any]) -> Any:
        """Insert a row; returns its primary key."""
        row = dict(row)
        if table in ids.SEQUENCED:
            if row.get("id") is None:
                row["id"] = ids.reserve(self.db, table)
            else:
                ids.note(self.db, table, row["id"])
        elif table == "entities":
            ids.issue_entity_id(self.db, row["id"])
        rowid = _insert(self.db, table, row)
        if table in KEYS:
            pk: Any = [row[c] for c in KEYS[table]]
        else:
            pk = row["id"] if "id" in row and row["id"] is not None else rowid
        after = self.get(table, pk)
        self.ops.append({"table": table, "pk": pk, "before": None, "after": after})
        return pk

    def update(self, table: str, pk: Any, changes: dict[str, Any]) -> dict[str, Any]:
        """Update some columns of a row; only those columns are logged."""
        current = self.get(table, pk)
        if current is None:
            raise KeyError(f"{table} {pk} does not exist")
        before = {k: current[k] for k in changes}
        if before == changes:
            return current
        _update(self.db, table, pk, changes)
        self.ops.append({"table": table, "pk": pk, "before": before, "after": dict(changes)})
        return {**current, **changes}

    def delete(self, table: str, pk: Any) -> None:
        """Delete a row, logging it whole so undo can restore it."""
        current = self.get(table, pk)
        if current is None:
            return
        _delete(self.db, table, pk)
        self.ops.append({"table": table, "pk": pk, "before": current, "after": None})


def _entity_in_use(db: sqlite_utils.Database, entity_id: str) -> bool:
    row = db.execute(
        """SELECT 1 FROM spans WHERE kb_id = :id UNION ALL SELECT 1 FROM aliases WHERE entity_id = :id
           UNION ALL SELECT 1 FROM entities WHERE merged_into = :id LIMIT 1""",
        {"id": entity_id},
    ).fetchone()
    return row is not None


def apply_state(db: sqlite_utils.Database, op: dict[str, Any], side: str) -> None:
    """Bring the row of ``op`` to its ``before`` or ``after`` state.

    A canonical entity is shared by the whole corpus: undoing the action that created it
    keeps it when mentions or aliases made by later actions elsewhere still use it.
    """
    table, pk, target = op["table"], op["pk"], op[side]
    exists = _row(db, table, pk) is not None
    if target is None:
        if exists and not (table == "entities" and _entity_in_use(db, pk)):
            _delete(db, table, pk)
    elif exists:
        _update(db, table, pk, target)
    else:
        _insert(db, table, target)
        ids.note(db, table, pk)


@contextmanager
def record(
    db: sqlite_utils.Database,
    kind: str,
    annotator: str,
    article_id: str | None,
) -> Iterator[UnitOfWork]:
    """Run one action's changes in a transaction and append it to the log."""
    with db.atomic():
        uow = UnitOfWork(db)
        yield uow
        if uow.ops:
            _append(db, kind, annotator, article_id, uow.ops)


def _append(
    db: sqlite_utils.Database,
    kind: str,
    annotator: str,
    article_id: str | None,
    ops: list[dict[str, Any]],
    undoes: int | None = None,
    redoes: int | None = None,
) -> int:
    return _insert(db, "actions", {
        "at": now(),
        "annotator": annotator,
        "article_id": article_id,
        "kind": kind,
        "ops": json.dumps(ops, ensure_ascii=False),
        "undoes": undoes,
        "redoes": redoes,
    })


def scope_actions(db: sqlite_utils.Database, article_id: str | None, annotator: str) -> list[Action]:
    """Every logged action of one scope, oldest first, without their ops (what :func:`stacks` reads:
    decoding every op of a long session at each undo would cost more than the undo)."""
    if article_id is None:
        where, args = "article_id IS NULL AND annotator = ?", [annotator]
    else:
        where, args = "article_id = ? AND annotator = ?", [article_id, annotator]
    rows = db.execute(f"SELECT id, at, annotator, article_id, kind, undoes, redoes FROM actions WHERE {where} "
                      "ORDER BY id", args).fetchall()
    return [Action(action_id, at, who or "", article, kind, (), undoes, redoes)
            for action_id, at, who, article, kind, undoes, redoes in rows]


def logged_action(db: sqlite_utils.Database, action_id: int) -> Action | None:
    """One logged action, with its ops, or None."""
    row = _row(db, "actions", action_id)
    return row_to_action(row) if row is not None else None


def _action(db: sqlite_utils.Database, action_id: int) -> Action:
    """One logged action that exists (an id from the log), with its ops."""
    return logged_action(db, action_id)  # type: ignore[return-value]


def stacks(actions: list[Action]) -> tuple[list[int], list[int]]:
    """Replay a scope's log into (done, redoable) stacks of action ids."""
    done: list[int] = []
    redo: list[int] = []
    for action in actions:
        if action.kind == UNDO:
            if done and done[-1] == action.undoes:
                redo.append(done.pop())
        elif action.kind == REDO:
            if redo and redo[-1] == action.redoes:
                done.append(redo.pop())
        else:
            done.append(action.id)
            redo.clear()
    return done, redo


def key_of(table: str, pk: Any) -> tuple[str, list[Any]]:
    """The WHERE clause and its parameters that find the row ``pk`` of ``table``."""
    if table in KEYS:
        return _WHERE[table], list(pk)
    return "id = ?", [pk]


# Rows are read and written with plain statements rather than sqlite-utils' table methods, which ask
# the schema what each table is (two or three queries more per row: most of an action's statements).
# Table names come from this code and the log it wrote; column names go through ``column_list``.


def _row(db: sqlite_utils.Database, table: str, pk: Any) -> dict[str, Any] | None:
    where, args = key_of(table, pk)
    cursor = db.execute(f'SELECT * FROM "{table}" WHERE {where}', args)
    row = cursor.fetchone()
    return dict(zip([c[0] for c in cursor.description], row, strict=True)) if row is not None else None


def _insert(db: sqlite_utils.Database, table: str, row: dict[str, Any]) -> int:
    """Insert ``row``; returns its rowid."""
    marks = ", ".join("?" * len(row))
    return db.execute(f'INSERT INTO "{table}" ({column_list(db, table, list(row))}) VALUES ({marks})',
                      list(row.values())).lastrowid


def _update(db: sqlite_utils.Database, table: str, pk: Any, changes: dict[str, Any]) -> None:
    where, args = key_of(table, pk)
    db.execute(f'UPDATE "{table}" SET {column_list(db, table, list(changes), each="{} = ?")} WHERE {where}',
               [*changes.values(), *args])


def _delete(db: sqlite_utils.Database, table: str, pk: Any) -> None:
    where, args = key_of(table, pk)
    db.execute(f'DELETE FROM "{table}" WHERE {where}', args)


def _matches(current: dict[str, Any] | None, state: dict[str, Any] | None) -> bool:
    if state is None:
        return current is None
    return current is not None and all(current.get(k) == v for k, v in state.items())


def _check(db: sqlite_utils.Database, target: Action, ops: list[dict[str, Any]], side: str, verb: str) -> None:
    """Refuse (Conflict) unless every row of ``ops`` is in the state the action left it (for an undo;
    the state before it, for a redo) or already in the state it is about to get."""
    other = "after" if side == "before" else "before"
    virtual: dict[tuple[str, Any], dict[str, Any] | None] = {}
    for op in ops:
        if op["table"] in DERIVED:
            continue
        key = (op["table"], tuple(op["pk"]) if isinstance(op["pk"], list) else op["pk"])
        current = virtual[key] if key in virtual else _row(db, op["table"], op["pk"])
        if not (_matches(current, op[other]) or _matches(current, op[side])):
            raise Conflict(f"cannot {verb} {target.kind}: {NOUNS.get(op['table'], 'a row')} it changed was "
                           f"changed since {_culprit(db, target, op)}; nothing was changed")
        if op[side] is None:
            kept = op["table"] == "entities" and current is not None and _entity_in_use(db, op["pk"])
            virtual[key] = current if kept else None
        else:
            virtual[key] = {**(current or {}), **op[side]}


def _culprit(db: sqlite_utils.Database, target: Action, op: dict[str, Any]) -> str:
    """Who changed the row of ``op`` since ``target`` (from the log), as words for the refusal."""
    pattern = f'%"table": {json.dumps(op["table"])}, "pk": {json.dumps(op["pk"], ensure_ascii=False)},%'
    row = db.execute(
        """SELECT annotator, article_id, kind FROM actions WHERE id > ? AND ops LIKE ?
           AND NOT (annotator = ? AND article_id IS ?) ORDER BY id DESC LIMIT 1""",
        [target.id, pattern, target.annotator, target.article_id],
    ).fetchone()
    if row is None:
        return "by another action"
    annotator, article_id, kind = row
    if article_id is None:
        where = "in the entities"
    elif article_id == target.article_id:
        where = "in this article"
    else:
        where = "in another article"
    return f"by {annotator} ({kind} {where})"


def _replay(db: sqlite_utils.Database, target: Action, side: str, verb: str) -> None:
    ops = target.ops if side == "after" else list(reversed(target.ops))
    _check(db, target, ops, side, verb)
    try:
        for op in ops:
            apply_state(db, op, side)
    except sqlite3.IntegrityError as exc:  # e.g. the exact span was made again since
        raise Conflict(f"cannot {verb} {target.kind}: it would duplicate gold made since ({exc}); "
                       "nothing was changed") from exc


Hook = Callable[[sqlite_utils.Database, Action], None]


def undo(db: sqlite_utils.Database, article_id: str | None, annotator: str, hook: Hook | None = None) -> Action | None:
    """Revert the latest applied action of the scope; None when there is nothing to undo.

    Raises Conflict (nothing changed) when a row it would revert was changed since by another
    scope. ``hook`` runs in the same transaction afterwards (to recompute derived rows).
    """
    # The log is read inside the write transaction: two processes of one annotator
    # must not both undo the same action.
    with db.atomic():
        actions = scope_actions(db, article_id, annotator)
        done, _ = stacks(actions)
        if not done:
            return None
        target = _action(db, done[-1])
        _replay(db, target, "before", "undo")
        _append(db, UNDO, annotator, article_id, [], undoes=target.id)
        if hook is not None:
            hook(db, target)
    return target


def redo(db: sqlite_utils.Database, article_id: str | None, annotator: str, hook: Hook | None = None) -> Action | None:
    """Re-apply the latest undone action of the scope; None when there is nothing to redo (see :func:`undo`)."""
    with db.atomic():  # read inside the write transaction, as in undo()
        actions = scope_actions(db, article_id, annotator)
        _, redoable = stacks(actions)
        if not redoable:
            return None
        target = _action(db, redoable[-1])
        _replay(db, target, "after", "redo")
        _append(db, REDO, annotator, article_id, [], redoes=target.id)
        if hook is not None:
            hook(db, target)
    return target
