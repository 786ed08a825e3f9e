"""Writing validated import records, in short batches so that reviewers are not locked out.

The whole file is validated before anything is written (``jsonl_import.read_records``). Then,
batch after batch:

1. outside any lock, the batch's rows and log entries are built from a read of what the
   database holds for its articles (a WAL reader blocks nobody), with row ids reserved for the
   whole import first, in a transaction of a few milliseconds; the batch's articles new to the
   store are cleaned here too, so the pause below is spent working rather than sleeping;
2. in one write transaction, that read is checked again (another process may have written to
   the same articles or entities meanwhile: the batch is then built again, inside the lock) and
   the rows are written with ``executemany``.

So the write lock is held only for writing, batches are sized to hold it about
:data:`WRITE_SECONDS`, and between two batches it stays free at least :data:`PAUSE_SECONDS` (the
time of building the next one), longer than the longest sleep of SQLite's busy handler (100 ms):
a reviewer's waiting action always gets in and waits well under a second. Each article's import
is one logged action, as before (undo works on it). If a batch fails (disk full, I/O error), the
batches already committed are taken back, so the import is still all or nothing; a process
killed mid-import leaves whole articles only, and running the same import again completes it
(an import replaces the annotator's gold per article).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from operator import itemgetter
from typing import Any

from annotate.corpus.ingest import article_id as id_of_text
from annotate.corpus.ingest import build_article
from annotate.formats.validate import fullest_names
from annotate.review.status import overall
from store import bulk, oplog, search
from store.actions import now
from store.convert import article_to_row
from store.models import DONE, EVENT
from store.repo import Store

WRITE_SECONDS = 0.3  # target time holding the write lock per batch
PAUSE_SECONDS = 0.12  # the least time the lock stays free between two batches
MAX_BATCH = 400  # records
_TABLES = ("spans", "event_args", "aliases")  # ids reserved ahead of building
_TUPLES = ("aliases", "spans", "event_args")  # rows built as tuples (many per record), the others as dicts
_KEYS = {"spans": ("id", "article_id", "start", "end", "label", "kind", "annotator", "kb_id", "created_at", "updated_at"),
         "event_args": ("id", "event_id", "role", "span_id", "annotator"),
         "aliases": ("id", "entity_id", "text", "source"),
         "entities": ("id", "name", "type", "description", "external_id", "merged_into", "created_at"),
         "reviews": ("article_id", "annotator", "status", "updated_at")}


class _Articles:
    """Each record's article id (the hash of its text), and its article row built (cleaned: the
    costly part) only when a batch finds it new to the store, once: a re-import cleans nothing,
    and cleaning happens batch by batch outside the lock, in the pause between two writes."""

    def __init__(self, records: Sequence[Any]) -> None:
        self.records = records
        self.ids = [id_of_text(r.text) for r in records]
        self._built: dict[int, Any] = {}

    def build(self, k: int) -> Any:
        """The Article of record ``k``."""
        article = self._built.get(k)
        if article is None:
            rec = self.records[k]
            article = self._built[k] = build_article(rec.text, rec.meta,
                                                     str(rec.meta.get("source") or f"import:{rec.line}"), self.ids[k])
        return article


class _Snapshot:
    """What the database holds for a batch's articles and entities (compared again under the lock)."""

    def __init__(self, store: Store, records: Sequence[Any], arts: _Articles, i: int, end: int) -> None:
        db = store.db
        keys = list(dict.fromkeys((arts.ids[k], records[k].annotator) for k in range(i, end)))
        article_ids = list(dict.fromkeys(a for a, _ in keys))
        self.existing = bulk.existing_ids(db, "articles", article_ids)
        self.states = bulk.article_states(db, article_ids)
        self.reviews: dict[str, dict[str, dict[str, Any]]] = {}
        for row in bulk.review_rows(db, article_ids):
            self.reviews.setdefault(row["article_id"], {})[row["annotator"]] = row
        kb_ids = sorted({s.kb_id for k in range(i, end) for s in records[k].spans if s.kb_id})
        self.entities = bulk.existing_ids(db, "entities", kb_ids)
        self.aliases = bulk.alias_pairs(db, kb_ids)
        self.gold: dict[tuple[str, str], tuple[list[dict[str, Any]], list[dict[str, Any]]]] = {}
        for annotator in dict.fromkeys(a for _, a in keys):
            spans, args = bulk.gold_rows(db, [a for a, who in keys if who == annotator], annotator)
            for s in spans:
                self.gold.setdefault((s["article_id"], annotator), ([], []))[0].append(s)
            by_id = {s["id"]: s for s in spans}
            for a in args:
                owner = by_id.get(a["event_id"]) or by_id.get(a["span_id"])
                if owner is not None:
                    self.gold.setdefault((owner["article_id"], annotator), ([], []))[1].append(a)

    def same(self, other: _Snapshot) -> bool:
        return (self.existing, self.states, self.reviews, self.entities, self.aliases, self.gold) == \
            (other.existing, other.states, other.reviews, other.entities, other.aliases, other.gold)


class _Batch:
    """Rows and log entries of records ``i`` to ``end``, built in memory, written with executemany."""

    def __init__(self, store: Store, records: Sequence[Any], arts: _Articles, i: int, end: int,
                 first_ids: dict[str, int], names: dict[str, str]) -> None:
        self.db = store.db
        self.snapshot = _Snapshot(store, records, arts, i, end)
        self.cols = {t: bulk.columns(self.db, t) for t in ("spans", "event_args", "aliases", "entities", "reviews")}
        # Tables whose rows _one writes with every column (checked here once, not per row).
        self.complete = {t: set(self.cols[t]) == set(keys) for t, keys in _KEYS.items()}
        # ... and those whose columns are _KEYS in that order: _one's tuples are their rows as they are.
        self.in_order = {t: self.cols[t] == list(_KEYS[t]) for t in _TUPLES}
        self.ids = dict(first_ids)
        # Tuples (in the table's column order) for _TUPLES, dicts for the others; written in this order.
        self.inserts: dict[str, list[Any]] = {t: [] for t in
                                              ("articles", "entities", "aliases", "spans", "event_args", "reviews")}
        self.deletes: dict[str, list[Any]] = {"event_args": [], "spans": []}
        self.review_updates: list[tuple[str, dict[str, Any]]] = []
        self.article_updates: list[tuple[str, dict[str, Any]]] = []
        self.actions: list[dict[str, Any]] = []  # without ids: given under the lock
        self.counts = {"articles": 0, "new_articles": 0, "spans": 0, "events": 0, "entities_created": 0}
        self.new_articles: list[str] = []
        snap = self.snapshot
        # Copies: building changes them, the snapshot is compared as read.
        existing, states = set(snap.existing), dict(snap.states)
        reviews = {a: dict(r) for a, r in snap.reviews.items()}
        entities, aliases = set(snap.entities), set(snap.aliases)
        for k in range(i, end):
            key = (arts.ids[k], records[k].annotator)
            self._one(records[k], arts, k, key, existing, states, reviews, entities, aliases,
                      snap.gold.get(key, ([], [])), names)

    def new_id(self, table: str) -> int:
        value = self.ids[table]
        self.ids[table] += 1
        return value

    def row(self, table: str, values: dict[str, Any]) -> dict[str, Any]:
        """A full row (every column, as ``UnitOfWork.get`` would read it back)."""
        if self.complete[table] and len(values) == len(self.cols[table]):
            return values  # built here with exactly the table's columns
        return {c: values.get(c) for c in self.cols[table]}

    def tuple_row(self, table: str, values: tuple[Any, ...]) -> tuple[Any, ...]:
        """The full row (a tuple in the table's column order) of ``values`` given in ``_KEYS[table]``
        order: for a table whose columns are others or in another order (an added column is None)."""
        given = dict(zip(_KEYS[table], values))
        return tuple(given.get(c) for c in self.cols[table])

    def packed(self, table: str, same: dict[str, Any], rows: list[tuple[Any, ...]]) -> dict[str, Any]:
        """The packed log element inserting ``rows`` (full rows of ``table``, as tuples) whose
        ``same`` columns all hold the same values (store/oplog.py)."""
        cols = self.cols[table]
        same = {c: v for c, v in same.items() if c in cols}
        varying = [j for j, c in enumerate(cols) if c not in same]
        if len(varying) == 1:
            return oplog.packed(table, cols, same, [[r[varying[0]]] for r in rows])
        return oplog.packed(table, cols, same, list(map(itemgetter(*varying), rows)))

    def write(self) -> list[int]:
        """Write everything (inside the caller's transaction); returns the log entries' ids."""
        db = self.db
        bulk.delete_rows(db, "event_args", self.deletes["event_args"])
        bulk.delete_rows(db, "spans", self.deletes["spans"])
        with search.bulk_index(db):  # the new articles indexed in one statement (they are only inserted here)
            for table, rows in self.inserts.items():
                if table in _TUPLES:
                    bulk.insert_tuples(db, table, self.cols[table], rows)
                else:
                    bulk.insert_rows(db, table, rows)
        bulk.issue_entity_ids(db, [r["id"] for r in self.inserts["entities"]])
        bulk.update_rows(db, "reviews", self.review_updates, key=("article_id", "annotator"))
        bulk.update_rows(db, "articles", self.article_updates)
        first = bulk.next_id(db, "actions")
        rows = [{"id": first + n, **a} for n, a in enumerate(self.actions)]
        bulk.insert_rows(db, "actions", rows)
        return [r["id"] for r in rows]

    def _one(self, rec: Any, arts: _Articles, k: int, key: tuple[str, str], existing: set[str],
             states: dict[str, dict[str, Any]], reviews: dict[str, dict[str, dict[str, Any]]], entities: set[str],
             aliases: set[tuple[str, str]], old: tuple[list[dict[str, Any]], list[dict[str, Any]]],
             names: dict[str, str]) -> None:
        """The rows and the log entry of one record, in the order the unit of work used to write them."""
        article_id, annotator = key
        counts = self.counts
        if article_id not in existing:
            article = arts.build(k)
            self.inserts["articles"].append(article_to_row(article))
            existing.add(article_id)
            self.new_articles.append(article_id)
            states[article_id] = {"status": article.status, "updated_at": article.updated_at}
            counts["new_articles"] += 1
        counts["articles"] += 1
        ops: list[Any] = []  # plain op dicts, then the packed inserts (store/oplog.py)
        inserts = self.inserts

        old_spans, old_args = old
        for arg in old_args:
            self.deletes["event_args"].append(arg["id"])
            ops.append({"table": "event_args", "pk": arg["id"], "before": arg, "after": None})
        for span in old_spans:
            self.deletes["spans"].append(span["id"])
            ops.append({"table": "spans", "pk": span["id"], "before": span, "after": None})
        stamp = now()
        # This record's new rows per table (tuples in the table's column order: :meth:`tuple_row`),
        # logged packed in an order that undo (the reverse) and redo can replay under foreign keys:
        # entities, aliases, spans, event arguments. Built inline: this loop runs once per span.
        alias_rows: list[tuple[Any, ...]] = []
        span_rows: list[tuple[Any, ...]] = []
        arg_rows: list[tuple[Any, ...]] = []
        in_order = self.in_order
        spans_in_order, aliases_in_order = in_order["spans"], in_order["aliases"]
        text = rec.text
        first_span = next_span = self.ids["spans"]  # the record's spans take consecutive ids
        next_alias = self.ids["aliases"]
        for start, end, label, kind, kb_id in rec.spans:
            if kb_id:
                # A linked span names an entity (a foreign key): one is made for a new kb_id,
                # with its name as an alias before the linked surface.
                surface = text[start:end]
                if kb_id not in entities:
                    row = self.row("entities", {"id": kb_id, "name": names[kb_id], "type": label,
                                                "description": "", "external_id": "", "merged_into": None,
                                                "created_at": stamp})
                    inserts["entities"].append(row)
                    ops.append({"table": "entities", "pk": row["id"], "before": None, "after": row})
                    entities.add(kb_id)
                    counts["entities_created"] += 1
                    surfaces: tuple[tuple[str, str], ...] = ((names[kb_id], "name"), (surface, "link"))
                elif "\n" in surface or (kb_id, surface) not in aliases:
                    surfaces = ((surface, "link"),)
                else:
                    surfaces = ()  # the common case: a known alias, nothing to add
                for surface, source in surfaces:
                    surface = " ".join(surface.split()) if "\n" in surface else surface
                    if (kb_id, surface) not in aliases:
                        aliases.add((kb_id, surface))
                        arow = (next_alias, kb_id, surface, source)
                        alias_rows.append(arow if aliases_in_order else self.tuple_row("aliases", arow))
                        next_alias += 1
            row = (next_span, article_id, start, end, label, kind, annotator, kb_id, stamp, stamp)
            span_rows.append(row if spans_in_order else self.tuple_row("spans", row))
            next_span += 1
        counts["spans"] += len(rec.spans)
        next_arg = self.ids["event_args"]
        for ev, args in rec.events:
            ev_id = next_span
            next_span += 1
            row = (ev_id, article_id, ev.start, ev.end, ev.label, EVENT, annotator, None, stamp, stamp)
            span_rows.append(row if spans_in_order else self.tuple_row("spans", row))
            for role, idx in args:
                arow = (next_arg, ev_id, role, first_span + idx, annotator)
                arg_rows.append(arow if in_order["event_args"] else self.tuple_row("event_args", arow))
                next_arg += 1
        self.ids.update(spans=next_span, aliases=next_alias, event_args=next_arg)
        for table, rows, same in (("aliases", alias_rows, {}),
                                  ("spans", span_rows, {"article_id": article_id, "annotator": annotator,
                                                        "created_at": stamp, "updated_at": stamp}),
                                  ("event_args", arg_rows, {"annotator": annotator})):
            if rows:
                inserts[table].extend(rows)
                ops.append(self.packed(table, same, rows))
        counts["events"] += len(rec.events)
        # The annotator's review becomes done, and the article's overall status follows.
        by_annotator = reviews.setdefault(article_id, {})
        current = by_annotator.get(annotator)
        if current is None:
            row = self.row("reviews", {"article_id": article_id, "annotator": annotator, "status": DONE,
                                       "updated_at": stamp})
            inserts["reviews"].append(row)
            ops.append({"table": "reviews", "pk": [article_id, annotator], "before": None, "after": row})
            by_annotator[annotator] = row
        else:
            change = {"status": DONE, "updated_at": stamp}
            self.review_updates.append(([article_id, annotator], change))
            ops.append({"table": "reviews", "pk": [article_id, annotator],
                        "before": {"status": current["status"], "updated_at": current["updated_at"]},
                        "after": change})
            by_annotator[annotator] = {**current, **change}
        statuses = {name: row["status"] for name, row in by_annotator.items()}
        change = {"status": overall(statuses), "updated_at": stamp}
        self.article_updates.append((article_id, change))
        ops.append({"table": "articles", "pk": article_id, "before": dict(states[article_id]), "after": change})
        states[article_id] = change
        self.actions.append({"at": stamp, "annotator": annotator, "article_id": article_id, "kind": "import",
                             "ops": oplog.dumps_ops(ops), "undoes": None,
                             "redoes": None})


def write_records(store: Store, records: Sequence[Any], report: Any, names: dict[str, str]) -> None:
    """Write validated records (``jsonl_import._Record``) as gold, each article one logged action."""
    with bulk.bulk_writing(store.db):
        _write_batches(store, records, _Articles(records), report, names)


def _write_batches(store: Store, records: Sequence[Any], arts: _Articles, report: Any, names: dict[str, str]) -> None:
    """The loop of :func:`write_records`, batch after batch; taken back whole if one fails."""
    done_actions: list[int] = []
    new_articles: list[str] = []
    per_record = 0.002  # seconds of writing per record, measured as batches go
    i = 0
    try:
        # Every batch's ids at once (one short transaction, not one per batch): batch after batch,
        # the ids a batch may use follow those the one before may use, as separate reservations gave.
        cursor = _reserve(store, _need(records, 0, len(records)))
        freed = time.perf_counter()
        while i < len(records):
            end = _batch_end(records, arts, i, max(1, min(MAX_BATCH, int(WRITE_SECONDS / per_record))))
            first_ids = dict(cursor)
            for table, n in _need(records, i, end).items():
                cursor[table] += n
            batch = _Batch(store, records, arts, i, end, first_ids, names)
            # Leave the lock free long enough for a waiting reviewer's busy handler to get in.
            time.sleep(max(0.0, PAUSE_SECONDS - (time.perf_counter() - freed)))
            with store.transaction():
                started = time.perf_counter()
                if not batch.snapshot.same(_Snapshot(store, records, arts, i, end)):
                    batch = _Batch(store, records, arts, i, end, first_ids, names)  # someone wrote meanwhile
                actions = batch.write()
            freed = time.perf_counter()
            per_record = max(1e-5, (freed - started) / (end - i))
            done_actions.extend(actions)
            new_articles.extend(batch.new_articles)
            for name, n in batch.counts.items():
                setattr(report, name, getattr(report, name) + n)
            i = end
            bulk.checkpoint(store.db)
    except BaseException:
        if done_actions or new_articles:
            with store.transaction():
                bulk.revert(store.db, done_actions, new_articles)
        raise


def _batch_end(records: Sequence[Any], arts: _Articles, i: int, size: int) -> int:
    """Where a batch from ``i`` of at most ``size`` records ends: before the same article and
    annotator come again (the next batch reads what this one wrote)."""
    seen: set[tuple[str, str]] = set()
    k = i
    while k < min(i + size, len(records)):
        key = (arts.ids[k], records[k].annotator)
        if key in seen:
            break
        seen.add(key)
        k += 1
    return k


def _need(records: Sequence[Any], i: int, end: int) -> dict[str, int]:
    """How many ids of each table records ``i`` to ``end`` may take (aliases: at most the
    entity's name and the linked surface per linked span)."""
    return {"spans": sum(len(r.spans) + len(r.events) for r in records[i:end]),
            "event_args": sum(len(a) for r in records[i:end] for _, a in r.events),
            "aliases": 2 * sum(1 for r in records[i:end] for s in r.spans if s.kb_id)}


def _reserve(store: Store, need: dict[str, int]) -> dict[str, int]:
    """The first of ``need[table]`` fresh ids of each table, spent whatever happens to them (a
    short write transaction: nothing else is written in it)."""
    with store.transaction():
        return {t: bulk.reserve_ids(store.db, t, need[t]) for t in _TABLES}


def write_gold(store: Store, records: list[Any], report: Any) -> Any:
    """Write validated records whose new entities are named by their fullest mention (JSONL, Label
    Studio: formats without entity names of their own); their warnings go to ``report``, returned."""
    report.warnings.extend(w for rec in records for w in rec.warnings)
    write_records(store, records, report, fullest_names(records))
    return report
