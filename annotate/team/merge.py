"""Bringing annotators' copies of a database together (``glossator merge``).

The unit of annotation is one article × one annotator: their spans, event arguments,
rejections and review status. An annotator only ever edits their own unit, so the merge keeps,
for every unit, the version with the latest activity (its last logged action, review or span
change) and copies it whole, with new row ids. The action log entries are copied too, with
who and when kept and the row ids inside them remapped, so that history stays readable. A unit
that is already as recent in the target is left alone, and log entries already present (same
time, annotator, article and kind) are not copied again: merging twice adds nothing.

Canonical entities are global: an entity id already in the target is the same entity (its
aliases are united); a new entity whose normalised name and type equal an existing one's is
merged into it (one logged ``merge_copy`` action, undoable like any merge); likely duplicates left
are reported as clusters for ``glossator entities duplicates``.

Suggestions are not copied (they are model output: ``glossator suggest`` remakes them).

The end of the module writes an adjudication (the reviewer's final gold) inside the Service's action.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from annotate.entities import kb
from annotate.team.agreement import Adjudication, Mark, Row, merged_targets
from annotate.corpus.ingest import InputError
from annotate.entities.matching import Cluster, find_duplicates, normalise_name
from annotate.config import DEFAULT_ENTITY_LABELS
from annotate.labels import EVENT_ROLES, EventRoles
from annotate.review.status import overall
from annotate.team.checks import check_source
from annotate.review.state import layer_of, overlaps
from store import ids
from store.actions import UnitOfWork, now
from store.db import StoreError
from store.migrations import MIGRATIONS
from store.repo import Store

REMAPPED = ("spans", "event_args", "rejections", "aliases")  # tables whose ids differ between copies


@dataclass
class MergeReport:
    """What merging one source database did."""

    source: str
    articles: int = 0
    units: int = 0  # article × annotator annotations copied (new or newer)
    kept: int = 0  # units where the target was newer and was kept
    spans: int = 0
    event_args: int = 0
    reviews: int = 0
    rejections: int = 0
    actions: int = 0
    entities: int = 0
    aliases: int = 0
    merged: list[tuple[str, str]] = field(default_factory=list)  # (entity, merged into)
    clusters: list[Cluster] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the terminal."""
        return (f"{self.source}: {self.articles} articles added, {self.units} annotations copied "
                f"({self.spans} spans, {self.event_args} event args, {self.reviews} reviews, "
                f"{self.rejections} rejections), {self.kept} kept as newer here, {self.actions} log entries, "
                f"{self.entities} entities added ({len(self.merged)} merged as obvious duplicates), "
                f"{len(self.clusters)} duplicate clusters to check")

    def to_dict(self) -> dict[str, Any]:
        """JSON-able report."""
        out = {k: v for k, v in self.__dict__.items() if k not in ("clusters", "merged")}
        out["merged"] = [list(m) for m in self.merged]
        out["clusters"] = [{"entity_ids": list(c.entity_ids), "score": c.score, "evidence": c.evidence}
                           for c in self.clusters]
        return out


# -- opening a source ------------------------------------------------------------


@contextmanager
def open_source(path: str | Path) -> Iterator[Store]:
    """Open an annotator's copy without changing it; an older schema is upgraded in a temporary copy."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such database")
    try:
        store = Store.open(path, readonly=True)
    except StoreError as exc:  # another application's file, a newer schema …: the copy is bad input
        raise InputError(str(exc)) from None
    try:
        if not MIGRATIONS.pending(store.db):
            yield store
            return
        if "articles" not in store.db.table_names():
            raise InputError(f"{path}: not a glossator database (no articles table)")
        with tempfile.TemporaryDirectory(prefix="glossator-merge-") as tmp:
            copy = Path(tmp) / "source.db"
            target = sqlite3.connect(copy)
            store.db.conn.backup(target)
            target.close()
            upgraded = Store.open(copy)
            try:
                yield upgraded
            finally:
                upgraded.close()
    finally:
        store.close()


# -- the merge -------------------------------------------------------------------------


def merge_database(target: Store, path: str | Path, merger: str, required: int = 1,
                   entity_labels: tuple[str, ...] = tuple(n for n, _, _ in DEFAULT_ENTITY_LABELS), event_roles: EventRoles = EVENT_ROLES) -> MergeReport:
    """Merge one annotator's copy into ``target`` in one transaction.

    ``merger`` is who runs the merge (the obvious entity merges are logged under their name);
    ``required`` is ``annotations_per_article`` (overall article status). The copy's gold is
    checked first against the project's labels and roles (see team_checks): a bad row merges nothing.
    """
    if target.path is not None and Path(path).resolve() == target.path.resolve():
        raise InputError(f"{path}: cannot merge a database into itself")
    with open_source(path) as source:
        check_source(source, path, entity_labels, event_roles)
        report = MergeReport(str(path))
        with target.db.atomic():
            _Merge(target, source, merger, required, report).run()
    return report


class _Merge:
    """One source merged into the target (inside the caller's transaction)."""

    def __init__(self, target: Store, source: Store, merger: str, required: int, report: MergeReport) -> None:
        self.t, self.s, self.merger, self.required, self.report = target, source, merger, required, report
        self.ids: dict[str, dict[Any, Any]] = {table: {} for table in REMAPPED}
        self.spare: dict[str, int] = {}
        self.touched: set[str] = set()
        self.new_entities: list[str] = []

    def run(self) -> None:
        """Articles, entities, annotations, log, statuses, duplicates: in that order."""
        self.articles()
        self.entities()
        self.resolve = merged_targets(self.t)
        for article_id, annotator in self.units():
            self.unit(article_id, annotator)
        self.aliases_map()
        self.actions()
        self.statuses()
        self.duplicates()

    # -- articles and entities ----------------------------------------------------

    def articles(self) -> None:
        for row in self.s.db["articles"].rows_where(order_by="rowid"):
            if not self.t.has_article(row["id"]):
                self.t.db["articles"].insert({**row, "status": "todo"})
                self.touched.add(row["id"])
                self.report.articles += 1

    def entities(self) -> None:
        existing = {r["id"]: r for r in self.t.db["entities"].rows}
        by_name: dict[tuple[str, str], str | None] = {}
        for r in existing.values():
            if not r["merged_into"]:
                key = (normalise_name(r["name"]), r["type"])
                by_name[key] = None if key in by_name else r["id"]  # a name two entities share is not obvious
        for row in self.s.db["entities"].rows_where(order_by="created_at, id"):
            old = existing.get(row["id"])
            if old is None:
                self.t.db["entities"].insert(row)
                ids.issue_entity_id(self.t.db, row["id"])
                self.report.entities += 1
                if not row["merged_into"]:
                    self.new_entities.append(row["id"])
            elif (old["name"], old["type"]) != (row["name"], row["type"]) and \
                    self.t.alias_id(row["id"], row["name"]) is None:
                self.report.notes.append(f"entity {row['id']}: kept {old['name']!r} ({old['type']}), "
                                         f"{row['name']!r} ({row['type']}) becomes an alias")
        moved = merged_targets(self.t)  # an alias of an entity merged here lives on the one it became
        for row in self.s.db["aliases"].rows_where(order_by="id"):
            entity_id = moved.get(row["entity_id"], row["entity_id"])
            if self.t.alias_id(entity_id, row["text"]) is None:
                self.t.db["aliases"].insert({"id": ids.reserve(self.t.db, "aliases"), "entity_id": entity_id,
                                             "text": row["text"], "source": row["source"]})
                self.report.aliases += 1
        # Merges made in the copy, then obvious duplicates of new entities: one logged action.
        with self.t.action("merge_copy", self.merger, None) as uow:
            for row in self.s.db["entities"].rows_where("merged_into IS NOT NULL"):
                here = self.t.entity(row["id"])
                into = self.t.entity(row["merged_into"])
                if here and into and here.merged_into is None and row["id"] in existing:
                    kb.merge_entities(uow, self.t, into.id, [here.id])
                    self.report.merged.append((here.id, into.id))
            for entity_id in list(self.new_entities):
                entity = self.t.entity(entity_id)
                if entity is None:
                    continue
                # Only against entities the target already had: two entities of one copy were
                # kept apart by their annotator, which is theirs to settle.
                keep = by_name.get((normalise_name(entity.name), entity.type))
                if keep and keep != entity_id:
                    kb.merge_entities(uow, self.t, keep, [entity_id])
                    self.report.merged.append((entity_id, keep))
                    self.new_entities.remove(entity_id)

    # -- annotation units ----------------------------------------------------------

    def units(self) -> list[tuple[str, str]]:
        sql = """SELECT article_id, annotator FROM spans UNION SELECT article_id, annotator FROM reviews
                 UNION SELECT article_id, annotator FROM rejections
                 UNION SELECT article_id, annotator FROM actions WHERE article_id IS NOT NULL
                 ORDER BY 1, 2"""
        return [(a, n) for a, n in self.s.db.execute(sql) if self.s.has_article(a)]

    @staticmethod
    def activity(store: Store, article_id: str, annotator: str) -> str:
        """Latest time anything of this unit changed ('' when the unit is empty)."""
        args = [article_id, annotator]
        row = store.db.execute(
            """SELECT max(t) FROM (SELECT max(at) AS t FROM actions WHERE article_id = ? AND annotator = ?
                 UNION ALL SELECT max(updated_at) FROM reviews WHERE article_id = ? AND annotator = ?
                 UNION ALL SELECT max(updated_at) FROM spans WHERE article_id = ? AND annotator = ?)""",
            args * 3,
        ).fetchone()
        return row[0] or ""

    def unit(self, article_id: str, annotator: str) -> None:
        ours, theirs = self.activity(self.t, article_id, annotator), self.activity(self.s, article_id, annotator)
        if theirs <= ours:
            if theirs < ours:
                self.report.kept += 1
            return
        self.report.units += 1
        self.touched.add(article_id)
        db, where = self.t.db, "article_id = ? AND annotator = ?"
        old = [r[0] for r in db.execute(f"SELECT id FROM spans WHERE {where}", [article_id, annotator])]
        if old:
            marks = ",".join("?" * len(old))
            db.execute(f"DELETE FROM event_args WHERE event_id IN ({marks}) OR span_id IN ({marks})", old + old)
            db.execute(f"DELETE FROM spans WHERE id IN ({marks})", old)
        db.execute(f"DELETE FROM rejections WHERE {where}", [article_id, annotator])
        db.execute(f"DELETE FROM reviews WHERE {where}", [article_id, annotator])
        for row in self.s.db["spans"].rows_where(where, [article_id, annotator], order_by="id"):
            kb_id = self.resolve.get(row["kb_id"], row["kb_id"]) if row["kb_id"] else None
            self.ids["spans"][row["id"]] = self._insert("spans", {**row, "kb_id": kb_id})
            self.report.spans += 1
        sql = "SELECT a.* FROM event_args a JOIN spans s ON s.id = a.event_id WHERE s.article_id = ? AND s.annotator = ?"
        for row in self.s.db.query(sql + " ORDER BY a.id", [article_id, annotator]):
            spans = self.ids["spans"]
            if row["event_id"] in spans and row["span_id"] in spans:
                self.ids["event_args"][row["id"]] = self._insert(
                    "event_args", {**row, "event_id": spans[row["event_id"]], "span_id": spans[row["span_id"]]})
                self.report.event_args += 1
        for row in self.s.db["rejections"].rows_where(where, [article_id, annotator], order_by="id"):
            self.ids["rejections"][row["id"]] = self._insert("rejections", row)
            self.report.rejections += 1
        for row in self.s.db["reviews"].rows_where(where, [article_id, annotator]):
            db["reviews"].insert(row)
            self.report.reviews += 1

    def _insert(self, table: str, row: dict[str, Any]) -> int:
        # A fresh id from the sequence: never one the target's log already names.
        new_id = ids.reserve(self.t.db, table)
        self.t.db.table(table).insert({**row, "id": new_id})
        return new_id

    def aliases_map(self) -> None:
        moved = merged_targets(self.t)
        for row in self.s.db["aliases"].rows:
            found = self.t.alias_id(moved.get(row["entity_id"], row["entity_id"]), row["text"])
            if found is not None:
                self.ids["aliases"][row["id"]] = found

    # -- the action log ---------------------------------------------------------------

    def actions(self) -> None:
        def key(r: Any) -> tuple[Any, ...]:
            return (r["at"], r["annotator"], r["article_id"] or "", r["kind"])

        present = {key(r): r["id"] for r in self.t.db.query("SELECT id, at, annotator, article_id, kind FROM actions")}
        mapped: dict[int, int] = {}
        table = self.t.db.table("actions")
        for row in self.s.db["actions"].rows_where(order_by="id"):
            found = present.get(key(row))
            if found is not None:
                mapped[row["id"]] = found
                continue
            ops = [self._remap(op) for op in json.loads(row["ops"] or "[]")]
            table.insert({**{k: v for k, v in row.items() if k != "id"}, "ops": json.dumps(ops, ensure_ascii=False),
                          "undoes": mapped.get(row["undoes"]) if row["undoes"] else None,
                          "redoes": mapped.get(row["redoes"]) if row["redoes"] else None})
            mapped[row["id"]] = table.last_pk
            self.report.actions += 1

    def _id(self, table: str, source_id: Any) -> Any:
        """The target id of a source row; rows the target does not hold get fresh negative ids,
        which no new row ever takes, so an undo of an old entry cannot touch an unrelated row."""
        ids = self.ids[table]
        if source_id not in ids:
            if table not in self.spare:
                low = self.t.db.execute(f"SELECT min(id) FROM [{table}]").fetchone()[0] or 0
                self.spare[table] = min(low, 0) - 1
            ids[source_id] = self.spare[table]
            self.spare[table] -= 1
        return ids[source_id]

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
            out[side] = row
        return out

    # -- after -------------------------------------------------------------------------

    def statuses(self) -> None:
        for article_id in sorted(self.touched):
            status = overall(self.t.reviews(article_id), self.required)
            row = self.t.db.execute("SELECT status FROM articles WHERE id = ?", [article_id]).fetchone()
            if row and row[0] != status:
                self.t.db["articles"].update(article_id, {"status": status, "updated_at": now()})

    def duplicates(self) -> None:
        if not self.new_entities:
            return
        new = set(self.new_entities)
        self.report.clusters = [c for c in find_duplicates(self.t.entities()) if new & set(c.entity_ids)]


# -- adjudication: writing the reviewer's gold (inside the Service's action) -------------------


def preaccept(uow: UnitOfWork, store: Store, adj: Adjudication, insert: Callable[[Mark], int]) -> int:
    """Create the agreed rows' spans (and the arguments everyone agrees on) for a reviewer with no gold yet."""
    if adj.final:
        return 0
    agreed = [m for row in adj.rows if row.agreed for m in row.versions[0][1]]
    for mark in agreed:
        insert(mark)
    adopt_args(uow, store, adj.article_id, adj.reviewer, adj.annotators, everyone=True)
    return len(agreed)


def pick(uow: UnitOfWork, store: Store, adj: Adjudication, row: Row, annotator: str | None,
         insert: Callable[[Mark], int]) -> int:
    """Replace the reviewer's spans of a row by one annotator's version (None: by nothing)."""
    reviewer, article_id = adj.reviewer, adj.article_id
    for span in store.spans(article_id, reviewer):
        if layer_of(span.kind) == row.layer and overlaps(span.start, span.end, row.start, row.end):
            for arg in store.event_args(article_id, reviewer):
                if span.id in (arg.event_id, arg.span_id) and uow.get("event_args", arg.id):
                    uow.delete("event_args", arg.id)
            uow.delete("spans", span.id)
    chosen = row.version(annotator) if annotator else ()
    for mark in chosen:
        insert(mark)
    # The other proposals of the row are rejected by the reviewer: the row reads as decided, and
    # the same spans suggested again stay hidden for them.
    kept = {(m.start, m.end, m.label, m.kind) for m in chosen}
    proposed = {(m.start, m.end, m.label, m.kind) for _, ms in row.versions for m in ms}
    for start, end, label, kind in sorted(proposed - kept - store.rejections(article_id, reviewer)):
        uow.insert("rejections", {"article_id": article_id, "annotator": reviewer, "start": start, "end": end,
                                  "label": label, "kind": kind})
    if annotator:
        adopt_args(uow, store, article_id, reviewer, (annotator,), everyone=False)
    return len(chosen)


def adopt_args(uow: UnitOfWork, store: Store, article_id: str, reviewer: str, annotators: Sequence[str],
               everyone: bool) -> None:
    """Copy event arguments whose trigger and filler both exist (same bounds and label) in the reviewer's
    gold: those all ``annotators`` share (``everyone``), or those of any of them."""
    def keyed(name: str) -> set[tuple[Any, ...]]:
        spans = {s.id: (s.start, s.end, s.label) for s in store.spans(article_id, name)}
        return {(spans[a.event_id], a.role, spans[a.span_id]) for a in store.event_args(article_id, name)
                if a.event_id in spans and a.span_id in spans}

    sets = [keyed(n) for n in annotators]
    if not sets:
        return
    wanted = set.intersection(*sets) if everyone else set.union(*sets)
    mine = {(s.start, s.end, s.label): s.id for s in store.spans(article_id, reviewer)}
    for event, role, filler in sorted(wanted - keyed(reviewer)):
        if event in mine and filler in mine:
            uow.insert("event_args", {"event_id": mine[event], "role": role, "span_id": mine[filler],
                                      "annotator": reviewer})
