"""Writing validated import records, in short batches so that reviewers are not locked out.

The whole file is validated before anything is written (``import_jsonl.read_records``). The write
then runs in batches of one transaction each, none holding the write lock longer than
:data:`BATCH_SECONDS`; between batches the lock is left free for :data:`PAUSE_SECONDS`, longer than
the longest sleep of SQLite's busy handler (100 ms), so a reviewer's waiting action always gets in
and waits well under a second. Each article's import is one logged action, as before (undo works
on it). If a batch fails (disk full, I/O error), the batches already committed are taken back, so
the import is still all or nothing; a process killed mid-import leaves whole articles only, and
running the same import again completes it (an import replaces the annotator's gold per article).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from annotate.corpus.ingest import build_article
from annotate.review.status import overall
from store import bulk
from store.actions import now
from store.convert import article_to_row
from store.models import DONE, ENTITY, EVENT
from store.repo import Store

BATCH_SECONDS = 0.1  # building rows; writing them takes about as long again
PAUSE_SECONDS = 0.12


class _Batch:
    """Rows and log entries of one batch, built in memory and written with executemany."""

    def __init__(self, store: Store) -> None:
        db = store.db
        self.db = db
        self.ids = {t: bulk.next_id(db, t) for t in ("spans", "event_args", "aliases", "actions")}
        self.cols = {t: bulk.columns(db, t) for t in ("spans", "event_args", "aliases", "entities", "reviews")}
        self.inserts: dict[str, list[dict[str, Any]]] = {t: [] for t in
                                                         ("articles", "entities", "aliases", "spans", "event_args",
                                                          "reviews")}
        self.deletes: dict[str, list[Any]] = {"event_args": [], "spans": []}
        self.review_updates: list[tuple[str, dict[str, Any]]] = []
        self.article_updates: list[tuple[str, dict[str, Any]]] = []
        self.actions: list[dict[str, Any]] = []

    def new_id(self, table: str) -> int:
        value = self.ids[table]
        self.ids[table] += 1
        return value

    def row(self, table: str, values: dict[str, Any]) -> dict[str, Any]:
        """A full row (every column, as ``UnitOfWork.get`` would read it back)."""
        return {c: values.get(c) for c in self.cols[table]}

    def write(self) -> None:
        db = self.db
        for table, first in self.ids.items():
            if table != "actions" and first > 1:
                bulk.note_high(db, table, first - 1)  # the ids handed out are spent, even if undone later
        bulk.delete_rows(db, "event_args", self.deletes["event_args"])
        bulk.delete_rows(db, "spans", self.deletes["spans"])
        for table, rows in self.inserts.items():
            bulk.insert_rows(db, table, rows)
        bulk.update_rows(db, "reviews", self.review_updates)
        bulk.update_rows(db, "articles", self.article_updates)
        bulk.append_actions(db, self.actions)


def write_records(store: Store, records: Sequence[Any], report: Any, names: dict[str, str]) -> None:
    """Write validated records (``import_jsonl._Record``) as gold, each article one logged action."""
    built = [build_article(r.text, r.meta, str(r.meta.get("source") or f"import:{r.line}")) for r in records]
    done_actions: list[int] = []
    new_articles: list[str] = []
    i = 0
    try:
        while i < len(records):
            with store.transaction():
                i = _write_batch(store, records, built, i, report, names, done_actions, new_articles)
            paused = time.perf_counter()
            bulk.checkpoint(store.db)
            if i < len(records):
                # Let a waiting reviewer in: their busy handler retries at least every 100 ms.
                time.sleep(max(0.0, PAUSE_SECONDS - (time.perf_counter() - paused)) + 0.02)
    except BaseException:
        if done_actions or new_articles:
            with store.transaction():
                bulk.revert(store.db, done_actions, new_articles)
        raise


def _write_batch(store: Store, records: Sequence[Any], built: Sequence[Any], i: int, report: Any,
                 names: dict[str, str], done_actions: list[int], new_articles: list[str]) -> int:
    """Write records from ``i`` on until the time budget is spent; returns the next index."""
    started = time.perf_counter()
    db, batch = store.db, _Batch(store)
    # Read per batch: another process may have written since the last one.
    ahead = list({(built[k].id, records[k].annotator) for k in range(i, min(i + 200, len(records)))})
    article_ids = [a for a, _ in ahead]
    existing = bulk.existing_ids(db, "articles", article_ids)
    states = bulk.article_states(db, article_ids)
    reviews: dict[str, dict[str, dict[str, Any]]] = {}
    for row in bulk.review_rows(db, article_ids):
        reviews.setdefault(row["article_id"], {})[row["annotator"]] = row
    kb_ids = {s.kb_id for k in range(i, min(i + 200, len(records))) for s in records[k].spans if s.kb_id}
    entities = bulk.existing_ids(db, "entities", kb_ids)
    aliases = bulk.alias_pairs(db, sorted(kb_ids))
    gold: dict[tuple[str, str], tuple[list[dict[str, Any]], list[dict[str, Any]]]] = {}
    for annotator in {a for _, a in ahead}:
        spans, args = bulk.gold_rows(db, [a for a, who in ahead if who == annotator], annotator)
        for s in spans:
            gold.setdefault((s["article_id"], annotator), ([], []))[0].append(s)
        by_id = {s["id"]: s for s in spans}
        for a in args:
            owner = by_id.get(a["event_id"]) or by_id.get(a["span_id"])
            if owner is not None:
                gold.setdefault((owner["article_id"], annotator), ([], []))[1].append(a)
    seen: set[tuple[str, str]] = set()
    end = min(i + 200, len(records))
    k = i
    while k < end:
        key = (built[k].id, records[k].annotator)
        if key in seen:
            break  # the same article and annotator again: the next batch reads what this one wrote
        seen.add(key)
        _one(batch, records[k], built[k], key, existing, states, reviews, entities, aliases,
             gold.get(key, ([], [])), names, report, new_articles)
        k += 1
        if time.perf_counter() - started > BATCH_SECONDS:
            break
    batch.write()
    done_actions.extend(a["id"] for a in batch.actions)
    return k


def _one(batch: _Batch, rec: Any, article: Any, key: tuple[str, str], existing: set[str],
         states: dict[str, dict[str, Any]], reviews: dict[str, dict[str, dict[str, Any]]], entities: set[str],
         aliases: set[tuple[str, str]], old: tuple[list[dict[str, Any]], list[dict[str, Any]]],
         names: dict[str, str], report: Any, new_articles: list[str]) -> None:
    """The rows and the log entry of one record, in the order the unit of work used to write them."""
    article_id, annotator = key
    if article_id not in existing:
        batch.inserts["articles"].append(article_to_row(article))
        existing.add(article_id)
        new_articles.append(article_id)
        states[article_id] = {"status": article.status, "updated_at": article.updated_at}
        report.new_articles += 1
    report.articles += 1
    ops: list[dict[str, Any]] = []

    def insert(table: str, values: dict[str, Any]) -> dict[str, Any]:
        row = values if table == "entities" else batch.row(table, values)
        batch.inserts[table].append(row)
        ops.append({"table": table, "pk": row["id"], "before": None, "after": row})
        return row

    old_spans, old_args = old
    for arg in old_args:
        batch.deletes["event_args"].append(arg["id"])
        ops.append({"table": "event_args", "pk": arg["id"], "before": arg, "after": None})
    for span in old_spans:
        batch.deletes["spans"].append(span["id"])
        ops.append({"table": "spans", "pk": span["id"], "before": span, "after": None})
    stamp = now()

    def alias(entity_id: str, text: str, source: str) -> None:
        text = " ".join(text.split()) if "\n" in text else text
        if (entity_id, text) not in aliases:
            aliases.add((entity_id, text))
            insert("aliases", {"id": batch.new_id("aliases"), "entity_id": entity_id, "text": text, "source": source})

    ids = []
    for s in rec.spans:
        if s.kb_id and s.kind == ENTITY and s.kb_id not in entities:
            insert("entities", batch.row("entities", {"id": s.kb_id, "name": names[s.kb_id], "type": s.label,
                                                      "description": "", "external_id": "", "merged_into": None,
                                                      "created_at": stamp}))
            entities.add(s.kb_id)
            alias(s.kb_id, names[s.kb_id], "name")
            report.entities_created += 1
        ids.append(insert("spans", {"id": batch.new_id("spans"), "article_id": article_id, "start": s.start,
                                    "end": s.end, "label": s.label, "kind": s.kind, "annotator": annotator,
                                    "kb_id": s.kb_id, "created_at": stamp, "updated_at": stamp})["id"])
        if s.kb_id and s.kb_id in entities:
            alias(s.kb_id, rec.text[s.start:s.end], "link")
    report.spans += len(rec.spans)
    for ev, args in rec.events:
        ev_id = insert("spans", {"id": batch.new_id("spans"), "article_id": article_id, "start": ev.start,
                                 "end": ev.end, "label": ev.label, "kind": EVENT, "annotator": annotator,
                                 "kb_id": None, "created_at": stamp, "updated_at": stamp})["id"]
        for role, idx in args:
            insert("event_args", {"id": batch.new_id("event_args"), "event_id": ev_id, "role": role,
                                  "span_id": ids[idx], "annotator": annotator})
    report.events += len(rec.events)
    # The annotator's review becomes done, and the article's overall status follows.
    by_annotator = reviews.setdefault(article_id, {})
    current = by_annotator.get(annotator)
    if current is None:
        row = insert("reviews", {"id": f"{article_id}\t{annotator}", "article_id": article_id,
                                 "annotator": annotator, "status": DONE, "updated_at": stamp})
        by_annotator[annotator] = row
    else:
        change = {"status": DONE, "updated_at": stamp}
        batch.review_updates.append((current["id"], change))
        ops.append({"table": "reviews", "pk": current["id"],
                    "before": {"status": current["status"], "updated_at": current["updated_at"]}, "after": change})
        by_annotator[annotator] = {**current, **change}
    statuses = {name: row["status"] for name, row in by_annotator.items()}
    change = {"status": overall(statuses), "updated_at": stamp}
    batch.article_updates.append((article_id, change))
    ops.append({"table": "articles", "pk": article_id, "before": dict(states[article_id]), "after": change})
    states[article_id] = change
    batch.actions.append({"id": batch.new_id("actions"), "at": stamp, "annotator": annotator,
                          "article_id": article_id, "kind": "import", "ops": ops})
