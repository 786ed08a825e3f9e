"""The rows of ``glossator merge``: copying an annotator's copy of a database into the target.

What to copy is decided in annotate/team/merge.py (the newest version of each article ×
annotator unit, which entities are obvious duplicates); this module reads the copy and writes
the rows, with fresh ids in the target (ids differ between copies) and the ids inside copied log
entries remapped to them. Everything here runs inside the caller's transaction.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from store import ids as id_seq
from store.backup import snapshot
from store.migrations import MIGRATIONS
from store.oplog import loads_ops
from store.repo import Store

# Tables whose row ids differ between copies: log entries naming them are remapped.
REMAPPED = ("spans", "event_args", "rejections", "aliases", "link_rejections", "flags")
_UNIT = "article_id = ? AND annotator = ?"


# -- opening a copy --------------------------------------------------------------------


def needs_upgrade(store: Store) -> bool:
    """Whether the copy's schema is older than ours."""
    return bool(MIGRATIONS.pending(store.db))


def has_articles(store: Store) -> bool:
    """Whether the file has glossator's articles table at all."""
    return "articles" in store.db.table_names()


@contextmanager
def upgraded_copy(store: Store) -> Iterator[Store]:
    """The database brought to our schema in a temporary copy (the original is never changed)."""
    with tempfile.TemporaryDirectory(prefix="glossator-merge-") as tmp:
        copy = Path(tmp) / "source.db"
        snapshot(store.db, copy)
        upgraded = Store.open(copy)
        try:
            yield upgraded
        finally:
            upgraded.close()


# -- reading a copy for the checks ------------------------------------------------------


def article_texts(store: Store) -> dict[str, str]:
    """article id → text."""
    return {r["id"]: r["text"] for r in store.db.query("SELECT id, text FROM articles")}


def span_rows(store: Store) -> list[dict[str, Any]]:
    """Every gold span as stored (values unchecked)."""
    return list(store.db.query('SELECT id, article_id, start, "end", label, kind, annotator, kb_id FROM spans'))


def event_arg_rows(store: Store) -> list[dict[str, Any]]:
    """Every gold event argument as stored."""
    return list(store.db.query("SELECT id, event_id, role, span_id FROM event_args"))


def review_rows(store: Store) -> list[dict[str, Any]]:
    """Every review status as stored."""
    return list(store.db.query("SELECT article_id, annotator, status FROM reviews"))


def link_rejection_rows(store: Store) -> list[dict[str, Any]]:
    """Every link rejection as stored, oldest first (none before m007)."""
    if "link_rejections" not in store.db.table_names():
        return []
    return list(store.db.query("SELECT * FROM link_rejections ORDER BY id"))


def entity_ids(store: Store) -> set[str]:
    """Every entity id, merged ones included."""
    return {r[0] for r in store.db.execute("SELECT id FROM entities")}


# -- copying ----------------------------------------------------------------------------


@dataclass
class UnitCopied:
    """Rows one annotation unit brought."""

    spans: int = 0
    event_args: int = 0
    rejections: int = 0
    reviews: int = 0


def activity(store: Store, article_id: str, annotator: str) -> str:
    """Latest time anything of this unit changed ('' when the unit is empty)."""
    row = store.db.execute(
        """SELECT max(t) FROM (SELECT max(at) AS t FROM actions WHERE article_id = ? AND annotator = ?
             UNION ALL SELECT max(updated_at) FROM reviews WHERE article_id = ? AND annotator = ?
             UNION ALL SELECT max(updated_at) FROM spans WHERE article_id = ? AND annotator = ?)""",
        [article_id, annotator] * 3,
    ).fetchone()
    return row[0] or ""


class Copier:
    """Rows of ``source`` written into ``target``, remembering which target id each source id got."""

    def __init__(self, target: Store, source: Store) -> None:
        self.t, self.s = target, source
        # Rows arrive in an order that may name an entity before it is copied (merged_into):
        # the foreign keys are checked when the merge's transaction commits.
        target.db.execute("PRAGMA defer_foreign_keys = ON")
        self.ids: dict[str, dict[Any, Any]] = {table: {} for table in REMAPPED}
        self.spare: dict[str, int] = {}

    # -- articles and entities

    def new_articles(self) -> list[str]:
        """Copy the articles the target lacks (status todo: the reviews decide it); their ids."""
        added = []
        for row in self.s.db["articles"].rows_where(order_by="rowid"):
            if not self.t.has_article(row["id"]):
                self.t.db["articles"].insert({**row, "status": "todo"})
                added.append(row["id"])
        return added

    def target_entities(self) -> dict[str, dict[str, Any]]:
        """The target's entity rows by id (merged ones included)."""
        return {r["id"]: r for r in self.t.db["entities"].rows}

    def source_entities(self, merged: bool = False) -> list[dict[str, Any]]:
        """The copy's entity rows, oldest first (``merged``: only those merged into another)."""
        where = "merged_into IS NOT NULL" if merged else None
        return list(self.s.db["entities"].rows_where(where, order_by="created_at, id"))

    def add_entity(self, row: dict[str, Any]) -> None:
        """Insert an entity of the copy as is (its id is new to the target)."""
        self.t.db["entities"].insert(row)
        id_seq.issue_entity_id(self.t.db, row["id"])

    def source_aliases(self) -> list[dict[str, Any]]:
        """The copy's alias rows, oldest first."""
        return list(self.s.db["aliases"].rows_where(order_by="id"))

    def add_alias(self, entity_id: str, text: str, source: str) -> bool:
        """Give an entity of the target an alias unless it has it; whether it was added."""
        if self.t.alias_id(entity_id, text) is not None:
            return False
        self.t.db["aliases"].insert({"id": id_seq.reserve(self.t.db, "aliases"), "entity_id": entity_id,
                                     "text": text, "source": source})
        return True

    def map_aliases(self, moved: Mapping[str, str]) -> None:
        """Note the target id of every alias of the copy (``moved``: entity → the one it was merged into)."""
        for row in self.source_aliases():
            found = self.t.alias_id(moved.get(row["entity_id"], row["entity_id"]), row["text"])
            if found is not None:
                self.ids["aliases"][row["id"]] = found

    # -- annotation units

    def units(self) -> list[tuple[str, str]]:
        """(article id, annotator) of every unit of the copy that has anything, by article."""
        sql = """SELECT article_id, annotator FROM spans UNION SELECT article_id, annotator FROM reviews
                 UNION SELECT article_id, annotator FROM rejections
                 UNION SELECT article_id, annotator FROM actions WHERE article_id IS NOT NULL
                 ORDER BY 1, 2"""
        return [(a, n) for a, n in self.s.db.execute(sql).fetchall() if self.s.has_article(a)]

    def replace_unit(self, article_id: str, annotator: str, entity_map: Mapping[str, str]) -> UnitCopied:
        """Replace the target's unit (spans, event arguments, rejections, review) by the copy's;
        ``entity_map`` sends a kb_id to the entity the target knows it as."""
        db, key, done = self.t.db, [article_id, annotator], UnitCopied()
        old = [r[0] for r in db.execute(f"SELECT id FROM spans WHERE {_UNIT}", key).fetchall()]
        if old:
            marks = ",".join("?" * len(old))
            db.execute(f"DELETE FROM event_args WHERE event_id IN ({marks}) OR span_id IN ({marks})", old + old)
            db.execute(f"DELETE FROM spans WHERE id IN ({marks})", old)
        db.execute(f"DELETE FROM rejections WHERE {_UNIT}", key)
        db.execute(f"DELETE FROM reviews WHERE {_UNIT}", key)
        db.execute(f"DELETE FROM flags WHERE {_UNIT}", key)
        spans = self.ids["spans"]
        for row in self.s.db["spans"].rows_where(_UNIT, key, order_by="id"):
            kb_id = entity_map.get(row["kb_id"], row["kb_id"]) if row["kb_id"] else None
            spans[row["id"]] = self._insert("spans", {**row, "kb_id": kb_id})
            done.spans += 1
        sql = ("SELECT a.* FROM event_args a JOIN spans s ON s.id = a.event_id "
               "WHERE s.article_id = ? AND s.annotator = ? ORDER BY a.id")
        for row in self.s.db.query(sql, key):
            if row["event_id"] in spans and row["span_id"] in spans:
                self.ids["event_args"][row["id"]] = self._insert(
                    "event_args", {**row, "event_id": spans[row["event_id"]], "span_id": spans[row["span_id"]]})
                done.event_args += 1
        for row in self.s.db["rejections"].rows_where(_UNIT, key, order_by="id"):
            self.ids["rejections"][row["id"]] = self._insert("rejections", row)
            done.rejections += 1
        for row in self.s.db["reviews"].rows_where(_UNIT, key):
            db["reviews"].insert(row)
            done.reviews += 1
        for row in self.s.db["flags"].rows_where(_UNIT, key, order_by="id"):  # a span's flag goes with the span
            if row["span_id"] is None or row["span_id"] in spans:
                span_id = spans[row["span_id"]] if row["span_id"] is not None else None
                self.ids["flags"][row["id"]] = self._insert("flags", {**row, "span_id": span_id})
        return done

    def _insert(self, table: str, row: dict[str, Any]) -> int:
        # A fresh id from the sequence: never one the target's log already names.
        new_id = id_seq.reserve(self.t.db, table)
        self.t.db.table(table).insert({**row, "id": new_id})
        return new_id

    # -- matcher evidence

    def link_rejections(self, rows: list[dict[str, Any]], entity_map: Mapping[str, str]) -> int:
        """Copy link rejections (checked by the caller) the target does not hold yet (same surface,
        entities, annotator and time); entities go through ``entity_map``. Returns how many."""
        def key(r: Mapping[str, Any]) -> tuple[Any, ...]:
            return (r["surface"], r["entity_id"], r["chosen"], r["annotator"], r["created_at"])

        table = self.t.db.table("link_rejections")
        present = {key(r): r["id"] for r in table.rows}
        copied = 0
        for row in rows:
            new = {**row, "entity_id": entity_map.get(row["entity_id"], row["entity_id"]),
                   "chosen": entity_map.get(row["chosen"], row["chosen"]) if row["chosen"] else row["chosen"]}
            found = present.get(key(new))
            if found is None:
                table.insert({k: v for k, v in new.items() if k != "id"})
                found = present[key(new)] = table.last_pk
                copied += 1
            self.ids["link_rejections"][row["id"]] = found
        return copied

    # -- the action log

    def actions(self) -> int:
        """Copy the log entries the target lacks (same time, annotator, article and kind), with the
        row ids inside them remapped; returns how many."""
        def key(r: Mapping[str, Any]) -> tuple[Any, ...]:
            return (r["at"], r["annotator"], r["article_id"] or "", r["kind"])

        present = {key(r): r["id"] for r in self.t.db.query("SELECT id, at, annotator, article_id, kind FROM actions")}
        mapped: dict[int, int] = {}
        table = self.t.db.table("actions")
        copied = 0
        for row in self.s.db["actions"].rows_where(order_by="id"):
            found = present.get(key(row))
            if found is not None:
                mapped[row["id"]] = found
                continue
            ops = [self._remap(op) for op in loads_ops(row["ops"])]
            table.insert({**{k: v for k, v in row.items() if k != "id"}, "ops": json.dumps(ops, ensure_ascii=False),
                          "undoes": mapped.get(row["undoes"]) if row["undoes"] else None,
                          "redoes": mapped.get(row["redoes"]) if row["redoes"] else None})
            mapped[row["id"]] = table.last_pk
            copied += 1
        return copied

    def _id(self, table: str, source_id: Any) -> Any:
        """The target id of a source row; rows the target does not hold get fresh negative ids,
        which no new row ever takes, so an undo of an old entry cannot touch an unrelated row."""
        known = self.ids[table]
        if source_id not in known:
            if table not in self.spare:
                low = self.t.db.execute(f"SELECT min(id) FROM [{table}]").fetchone()[0] or 0
                self.spare[table] = min(low, 0) - 1
            known[source_id] = self.spare[table]
            self.spare[table] -= 1
        return known[source_id]

    def _remap(self, op: dict[str, Any]) -> dict[str, Any]:
        table = op["table"]
        if table not in self.ids:
            return op
        pk = self._id(table, op["pk"])
        out = {**op, "pk": pk}
        for side in ("before", "after"):
            row = op.get(side)
            if row is None:
                continue
            row = dict(row)
            if "id" in row:
                row["id"] = pk
            if table == "event_args":
                for col in ("event_id", "span_id"):
                    if row.get(col) is not None:
                        row[col] = self._id("spans", row[col])
            if table == "flags" and row.get("span_id") is not None:
                row["span_id"] = self._id("spans", row["span_id"])
            out[side] = row
        return out
