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

The matcher's evidence (``link_rejections``: a mention linked away from the top candidate) is
copied once, checked like the gold, its entities followed to what they were merged into.
Suggestions are not copied (they are model output: ``glossator suggest`` remakes them).

This module decides what to copy; the rows are read and written by :mod:`store.merge`.

The end of the module writes an adjudication (the reviewer's final gold) inside the Service's action.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotate.config import DEFAULT_ENTITY_LABELS
from annotate.entities import kb
from annotate.entities.matching import Cluster, find_duplicates, normalise_name
from annotate.errors import InputError
from annotate.labels import EVENT_ROLES, EventRoles
from annotate.review.state import layer_of, overlaps
from annotate.review.status import overall
from annotate.team.agreement import Adjudication, Mark, Row, merged_targets
from annotate.team.checks import check_source
from store import merge as copying
from store.actions import UnitOfWork
from store.db import StoreError
from store.repo import Store


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
    link_rejections: int = 0  # matcher evidence: links made against the top candidate
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
                f"{self.rejections} rejections), {self.link_rejections} link rejections, {self.kept} kept as newer here, {self.actions} log entries, "
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
        if not copying.needs_upgrade(store):
            yield store
            return
        if not copying.has_articles(store):
            raise InputError(f"{path}: not a glossator database (no articles table)")
        with copying.upgraded_copy(store) as upgraded:
            yield upgraded
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
        with target.transaction():
            _Merge(target, source, merger, required, report).run()
    return report


class _Merge:
    """One source merged into the target (inside the caller's transaction): what to copy is
    decided here, the rows are written by :class:`store.merge.Copier`."""

    def __init__(self, target: Store, source: Store, merger: str, required: int, report: MergeReport) -> None:
        self.t, self.s, self.merger, self.required, self.report = target, source, merger, required, report
        self.copy = copying.Copier(target, source)
        self.touched: set[str] = set()
        self.new_entities: list[str] = []

    def run(self) -> None:
        """Articles, entities, annotations, matcher evidence, log, statuses, duplicates: in that order."""
        self.articles()
        self.entities()
        self.resolve = merged_targets(self.t)
        for article_id, annotator in self.copy.units():
            self.unit(article_id, annotator)
        self.copy.map_aliases(merged_targets(self.t))
        self.report.link_rejections = self.copy.link_rejections(copying.link_rejection_rows(self.s), self.resolve)
        self.report.actions = self.copy.actions()
        self.statuses()
        self.duplicates()

    # -- articles and entities ----------------------------------------------------

    def articles(self) -> None:
        added = self.copy.new_articles()
        self.touched.update(added)
        self.report.articles += len(added)

    def entities(self) -> None:
        existing = self.copy.target_entities()
        by_name: dict[tuple[str, str], str | None] = {}
        for r in existing.values():
            if not r["merged_into"]:
                key = (normalise_name(r["name"]), r["type"])
                by_name[key] = None if key in by_name else r["id"]  # a name two entities share is not obvious
        for row in self.copy.source_entities():
            old = existing.get(row["id"])
            if old is None:
                self.copy.add_entity(row)
                self.report.entities += 1
                if not row["merged_into"]:
                    self.new_entities.append(row["id"])
            elif (old["name"], old["type"]) != (row["name"], row["type"]) and \
                    self.t.alias_id(row["id"], row["name"]) is None:
                self.report.notes.append(f"entity {row['id']}: kept {old['name']!r} ({old['type']}), "
                                         f"{row['name']!r} ({row['type']}) becomes an alias")
        moved = merged_targets(self.t)  # an alias of an entity merged here lives on the one it became
        for row in self.copy.source_aliases():
            if self.copy.add_alias(moved.get(row["entity_id"], row["entity_id"]), row["text"], row["source"]):
                self.report.aliases += 1
        # Merges made in the copy, then obvious duplicates of new entities: one logged action.
        with self.t.action("merge_copy", self.merger, None) as uow:
            for row in self.copy.source_entities(merged=True):
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

    def unit(self, article_id: str, annotator: str) -> None:
        ours = copying.activity(self.t, article_id, annotator)
        theirs = copying.activity(self.s, article_id, annotator)
        if theirs <= ours:
            if theirs < ours:
                self.report.kept += 1
            return
        self.report.units += 1
        self.touched.add(article_id)
        done = self.copy.replace_unit(article_id, annotator, self.resolve)
        self.report.spans += done.spans
        self.report.event_args += done.event_args
        self.report.rejections += done.rejections
        self.report.reviews += done.reviews

    # -- after -------------------------------------------------------------------------

    def statuses(self) -> None:
        for article_id in sorted(self.touched):
            self.t.set_overall_status(article_id, overall(self.t.reviews(article_id), self.required))

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
