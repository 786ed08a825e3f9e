"""Schema migrations, applied in order and recorded in ``_sqlite_migrations``.

Never edit a migration that has shipped: add a new one.
"""

from __future__ import annotations

import sqlite_utils
from sqlite_utils import Migrations

MIGRATIONS = Migrations("glossator")


@MIGRATIONS()
def m001_initial(db: sqlite_utils.Database) -> None:
    db["articles"].create(
        {
            "id": str,
            "source": str,
            "title": str,
            "date": str,
            "text": str,
            "meta": str,
            "regions": str,
            "flags": str,
            "status": str,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"source", "text", "status"},
        defaults={"status": "todo", "meta": "{}", "regions": "[]", "flags": "[]"},
    )
    db["suggestions"].create(
        {
            "id": int,
            "article_id": str,
            "start": int,
            "end": int,
            "label": str,
            "kind": str,
            "source": str,
            "score": float,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
        not_null={"article_id", "start", "end", "label", "kind"},
    )
    db["suggestions"].create_index(["article_id", "start"])
    db["suggestion_args"].create(
        {"id": int, "event_id": int, "role": str, "span_id": int},
        pk="id",
        foreign_keys=[("event_id", "suggestions", "id"), ("span_id", "suggestions", "id")],
    )
    db["suggestion_args"].create_index(["event_id"])
    db["suggest_runs"].create(
        {"article_id": str, "fingerprint": str, "at": str},
        pk="article_id",
        foreign_keys=[("article_id", "articles", "id")],
    )
    db["entities"].create(
        {
            "id": str,
            "name": str,
            "type": str,
            "description": str,
            "external_id": str,
            "merged_into": str,
            "created_at": str,
        },
        pk="id",
        not_null={"name", "type"},
        defaults={"description": "", "external_id": ""},
    )
    db["aliases"].create(
        {"id": int, "entity_id": str, "text": str, "source": str},
        pk="id",
        foreign_keys=[("entity_id", "entities", "id")],
    )
    db["aliases"].create_index(["entity_id", "text"], unique=True)
    db["spans"].create(
        {
            "id": int,
            "article_id": str,
            "start": int,
            "end": int,
            "label": str,
            "kind": str,
            "annotator": str,
            "kb_id": str,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
        not_null={"article_id", "start", "end", "label", "kind", "annotator"},
    )
    db["spans"].create_index(["article_id", "annotator", "kind", "start"])
    db["spans"].create_index(["kb_id"])
    db["event_args"].create(
        {"id": int, "event_id": int, "role": str, "span_id": int, "annotator": str},
        pk="id",
        foreign_keys=[("event_id", "spans", "id"), ("span_id", "spans", "id")],
    )
    db["event_args"].create_index(["event_id"])
    db["event_args"].create_index(["span_id"])
    db["rejections"].create(
        {
            "id": int,
            "article_id": str,
            "annotator": str,
            "start": int,
            "end": int,
            "label": str,
            "kind": str,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
    )
    db["rejections"].create_index(["article_id", "annotator"])
    db["actions"].create(
        {
            "id": int,
            "at": str,
            "annotator": str,
            "article_id": str,
            "kind": str,
            "ops": str,
            "undoes": int,
            "redoes": int,
        },
        pk="id",
    )
    db["actions"].create_index(["article_id", "annotator"])


@MIGRATIONS()
def m002_reviews(db: sqlite_utils.Database) -> None:
    # Each annotator has their own status per article; articles.status becomes the overall one.
    db["reviews"].create(
        {"id": str, "article_id": str, "annotator": str, "status": str, "updated_at": str},
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
        not_null={"article_id", "annotator", "status"},
    )
    db["reviews"].create_index(["article_id", "annotator"], unique=True)
    db["reviews"].create_index(["annotator", "status"])
    # Databases from m001 kept one status per article: credit it to whoever last acted there.
    db.execute(
        """INSERT INTO reviews (id, article_id, annotator, status, updated_at)
           SELECT a.id || char(9) || x.annotator, a.id, x.annotator, a.status, a.updated_at
           FROM articles a JOIN (SELECT article_id, annotator, max(id) AS last FROM actions
                                 WHERE article_id IS NOT NULL GROUP BY article_id) x ON x.article_id = a.id
           WHERE a.status != 'todo'"""
    )


@MIGRATIONS()
def m003_gold_ids(db: sqlite_utils.Database) -> None:
    # Ids the action log restores are never reused (see store/ids.py): a high-water mark per
    # table and every entity slug ever issued, seeded from the tables and from every id the log
    # mentions. Self-contained on purpose: a shipped migration must not change with later code.
    import json
    from datetime import datetime, timezone

    db.execute("CREATE TABLE id_sequences (name TEXT PRIMARY KEY, high INTEGER NOT NULL)")
    db.execute("CREATE TABLE entity_ids (id TEXT PRIMARY KEY)")
    # Exact duplicate spans (two processes accepting at once used to make them): keep the oldest,
    # move the event arguments (and a link) of the others to it, and log the deletions.
    key = 'article_id, annotator, kind, start, "end", label'
    groups = db.execute(
        f"SELECT {key}, group_concat(id) FROM spans GROUP BY {key} HAVING count(*) > 1"
    ).fetchall()
    per_unit: dict[tuple[str, str], list[dict]] = {}
    for group in groups:
        ids = sorted(int(i) for i in group[-1].split(","))
        keep, ops = ids[0], per_unit.setdefault((group[0], group[1]), [])
        kept = next(db["spans"].rows_where("id = ?", [keep]))
        for dup in ids[1:]:
            row = next(db["spans"].rows_where("id = ?", [dup]))
            if kept["kb_id"] is None and row["kb_id"] is not None:
                db["spans"].update(keep, {"kb_id": row["kb_id"]})
                ops.append({"table": "spans", "pk": keep, "before": {"kb_id": None}, "after": {"kb_id": row["kb_id"]}})
                kept["kb_id"] = row["kb_id"]
            for arg in list(db["event_args"].rows_where("event_id = ? OR span_id = ?", [dup, dup], order_by="id")):
                moved = {c: keep for c in ("event_id", "span_id") if arg[c] == dup}
                new = {**arg, **moved}
                twin = db.execute("SELECT 1 FROM event_args WHERE event_id = ? AND role = ? AND span_id = ? AND id != ?",
                                  [new["event_id"], new["role"], new["span_id"], arg["id"]]).fetchone()
                if twin:
                    db["event_args"].delete(arg["id"])
                    ops.append({"table": "event_args", "pk": arg["id"], "before": arg, "after": None})
                else:
                    db["event_args"].update(arg["id"], moved)
                    ops.append({"table": "event_args", "pk": arg["id"], "before": {c: dup for c in moved},
                                "after": moved})
            db["spans"].delete(dup)
            ops.append({"table": "spans", "pk": dup, "before": row, "after": None})
    stamp = datetime.now(timezone.utc).isoformat(timespec="milliseconds")
    for (article_id, _annotator), ops in per_unit.items():
        # Logged under "glossator", not the annotator: it is on nobody's undo stack.
        db["actions"].insert({"at": stamp, "annotator": "glossator", "article_id": article_id,
                              "kind": "dedupe_spans", "ops": json.dumps(ops, ensure_ascii=False),
                              "undoes": None, "redoes": None})
    db["spans"].create_index(["article_id", "annotator", "kind", "start", "end", "label"],
                             index_name="spans_exact", unique=True)
    tables = ("spans", "event_args", "rejections", "aliases", "suggestions")
    high = {t: db.execute(f"SELECT COALESCE(max(id), 0) FROM [{t}]").fetchone()[0] for t in tables}
    entity_ids = {r[0] for r in db.execute("SELECT id FROM entities")}
    for (ops_json,) in db.execute("SELECT ops FROM actions"):
        for op in json.loads(ops_json or "[]"):
            table, pk = op.get("table"), op.get("pk")
            if table == "entities" and isinstance(pk, str):
                entity_ids.add(pk)
            elif table in high and isinstance(pk, int):
                high[table] = max(high[table], pk)
            if table == "event_args":
                for side in (op.get("before"), op.get("after")):
                    for col in ("event_id", "span_id"):
                        if side and isinstance(side.get(col), int):
                            high["spans"] = max(high["spans"], side[col])
    db.conn.executemany("INSERT INTO id_sequences (name, high) VALUES (?, ?)", sorted(high.items()))
    db.conn.executemany("INSERT INTO entity_ids (id) VALUES (?)", [(i,) for i in sorted(entity_ids)])


@MIGRATIONS()
def m007_link_rejections(db: sqlite_utils.Database) -> None:
    # A mention linked to another entity than the matcher's top candidate for its surface: the
    # candidate ranks lower for that surface from then on (annotate/service/entities.py).
    db["link_rejections"].create(
        {"id": int, "surface": str, "entity_id": str, "chosen": str, "annotator": str,
         "created_at": str},
        pk="id",
        not_null={"surface", "entity_id"},
    )
    db["link_rejections"].create_index(["surface"])


@MIGRATIONS()
def m008_browsable_schema(db: sqlite_utils.Database) -> None:
    # A database people can browse (issue 17.8): foreign keys from spans.kb_id and
    # entities.merged_into to entities.id, reviews keyed by (article_id, annotator) instead of a
    # TAB-joined string, a read-only view of the gold; and the spans index that spans_exact
    # already covers (same leading columns) goes. open_db runs migrations with foreign keys off
    # and checks them (PRAGMA foreign_key_check) before committing. Self-contained on purpose.
    import json
    from datetime import datetime, timezone

    db.execute("DROP VIEW IF EXISTS gold_spans_view")  # a view naming a table being rebuilt blocks the rename
    stamp = datetime.now(timezone.utc).isoformat(timespec="milliseconds")
    note = "made by migration m008: linked spans named this id, no entity had it"
    # Links to an entity that does not exist keep their kb_id: the entity is made, named by its id.
    missing = db.execute(
        """SELECT kb_id, min(label) FROM spans WHERE kb_id IS NOT NULL
           AND kb_id NOT IN (SELECT id FROM entities) GROUP BY kb_id""").fetchall()
    missing += db.execute(
        """SELECT merged_into, min(type) FROM entities WHERE merged_into IS NOT NULL
           AND merged_into NOT IN (SELECT id FROM entities) GROUP BY merged_into""").fetchall()
    for entity_id, type_ in dict(missing).items():
        db.execute("""INSERT INTO entities (id, name, type, description, external_id, merged_into, created_at)
                      VALUES (?, ?, ?, ?, '', NULL, ?)""", [entity_id, entity_id, type_, note, stamp])
        db.execute("INSERT OR IGNORE INTO entity_ids (id) VALUES (?)", [entity_id])
    db.execute("""CREATE TABLE "entities_m008" (
        "id" TEXT PRIMARY KEY,
        "name" TEXT NOT NULL,
        "type" TEXT NOT NULL,
        "description" TEXT DEFAULT '',
        "external_id" TEXT DEFAULT '',
        "merged_into" TEXT REFERENCES "entities"("id"),
        "created_at" TEXT)""")
    db.execute("""INSERT INTO entities_m008 (id, name, type, description, external_id, merged_into, created_at)
                  SELECT id, name, type, description, external_id, merged_into, created_at FROM entities""")
    db.execute("DROP TABLE entities")
    db.execute("ALTER TABLE entities_m008 RENAME TO entities")
    db.execute('CREATE INDEX "idx_entities_merged_into" ON "entities" ("merged_into")')
    db.execute("""CREATE TABLE "spans_m008" (
        "id" INTEGER PRIMARY KEY,
        "article_id" TEXT NOT NULL REFERENCES "articles"("id"),
        "start" INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        "label" TEXT NOT NULL,
        "kind" TEXT NOT NULL,
        "annotator" TEXT NOT NULL,
        "kb_id" TEXT REFERENCES "entities"("id"),
        "created_at" TEXT,
        "updated_at" TEXT)""")
    db.execute("""INSERT INTO spans_m008 (id, article_id, start, "end", label, kind, annotator, kb_id, created_at,
                  updated_at) SELECT id, article_id, start, "end", label, kind, annotator, kb_id, created_at,
                  updated_at FROM spans""")
    db.execute("DROP TABLE spans")
    db.execute("ALTER TABLE spans_m008 RENAME TO spans")
    db.execute('CREATE UNIQUE INDEX "spans_exact" ON "spans" ("article_id", "annotator", "kind", "start", "end", "label")')
    db.execute('CREATE INDEX "idx_spans_kb_id" ON "spans" ("kb_id")')
    db.execute("""CREATE TABLE "reviews_m008" (
        "article_id" TEXT NOT NULL REFERENCES "articles"("id"),
        "annotator" TEXT NOT NULL,
        "status" TEXT NOT NULL,
        "updated_at" TEXT,
        PRIMARY KEY ("article_id", "annotator"))""")
    db.execute("""INSERT INTO reviews_m008 (article_id, annotator, status, updated_at)
                  SELECT article_id, annotator, status, updated_at FROM reviews""")
    db.execute("DROP TABLE reviews")
    db.execute("ALTER TABLE reviews_m008 RENAME TO reviews")
    db.execute('CREATE INDEX "idx_reviews_annotator_status" ON "reviews" ("annotator", "status")')
    # Logged review changes named the row "article_id<TAB>annotator": now [article_id, annotator].
    rows = db.execute("""SELECT id, ops FROM actions WHERE ops LIKE '%"table": "reviews"%'""").fetchall()
    for action_id, ops_json in rows:
        ops = json.loads(ops_json)
        for op in ops:
            if op.get("table") == "reviews" and isinstance(op.get("pk"), str):
                article_id, _, annotator = op["pk"].partition("\t")
                op["pk"] = [article_id, annotator]
                for side in ("before", "after"):
                    if isinstance(op.get(side), dict):
                        op[side].pop("id", None)
        db.execute("UPDATE actions SET ops = ? WHERE id = ?", [json.dumps(ops, ensure_ascii=False), action_id])
    db.execute("""CREATE VIEW gold_spans_view AS
        SELECT s.id AS span_id, s.article_id, a.title AS article_title, s.annotator, s.kind, s.label,
               s.start, s."end", substr(a.text, s.start + 1, s."end" - s.start) AS text,
               s.kb_id AS entity_id, e.name AS entity_name, e.type AS entity_type, s.updated_at
        FROM spans s JOIN articles a ON a.id = s.article_id LEFT JOIN entities e ON e.id = s.kb_id""")


@MIGRATIONS()
def m010_fts(db: sqlite_utils.Database) -> None:
    # Full-text search over titles and texts (store/search.py). External content: the index holds
    # no second copy of the text; triggers keep it in step with every insert, update and delete.
    # unicode61 with remove_diacritics 2 folds case and accents ("Soudâni" matches "soudani").
    db.execute(
        "CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', "
        "content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')"
    )
    db.execute(
        """CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN
             INSERT INTO articles_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);
           END"""
    )
    db.execute(
        """CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN
             INSERT INTO articles_fts (articles_fts, rowid, title, text)
             VALUES ('delete', old.rowid, old.title, old.text);
           END"""
    )
    # Only when the indexed columns change: status and timestamps change at every review action.
    db.execute(
        """CREATE TRIGGER articles_fts_au AFTER UPDATE OF title, text ON articles BEGIN
             INSERT INTO articles_fts (articles_fts, rowid, title, text)
             VALUES ('delete', old.rowid, old.title, old.text);
             INSERT INTO articles_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);
           END"""
    )
    db.execute("INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')")


@MIGRATIONS()
def m010_corpus_indexes(db: sqlite_utils.Database) -> None:
    # The corpus screen pages rows from SQL in the order of a sort key: one index per key.
    for column in ("title", "date", "source"):
        db.execute(f"CREATE INDEX articles_by_{column} ON articles ([{column}] COLLATE NOCASE)")  # rowid is in every index
    # Status filters of one annotator are served by reviews(annotator, status) and the join by
    # reviews(article_id, annotator), both from m002.
    # Ingest finds near-duplicates through a hash of each text's near-duplicate key, indexed,
    # instead of holding every key of the corpus in memory. Filled by ingest (annotate/corpus/ingest.py)
    # for the rows that lack it, so articles written by other paths (imports, merges) are covered.
    db.execute("ALTER TABLE articles ADD COLUMN near_key TEXT")
    db.execute("CREATE INDEX articles_by_near_key ON articles (near_key)")


@MIGRATIONS()
def m012_suggest_known_names(db: sqlite_utils.Database) -> None:
    # Incremental suggestions (store/suggestions.py): each run records the fingerprint without the
    # known names (``base``) and the digest of the known-name table it matched on; the tables
    # themselves are kept by digest so that a later change can be diffed to the surfaces it touches.
    db["suggest_runs"].add_column("base", str)
    db["suggest_runs"].add_column("known_names", str)
    db["suggest_runs"].create_index(["base", "known_names"], index_name="suggest_runs_known")
    db["known_name_sets"].create({"digest": str, "names": bytes, "at": str}, pk="digest")


@MIGRATIONS()
def m013_flags(db: sqlite_utils.Database) -> None:
    # Flags (issue 14.8): an annotator marks a gold span, or a whole article (span_id NULL), as
    # uncertain, with a note. span_id has no foreign key on purpose: deleting a flagged span must
    # not fail; reads join the spans, so a flag on a span that is gone is not shown (an undo of the
    # deletion brings the span, and so its flag, back). The corpus filter "flagged" is served by
    # flags(annotator, article_id); skipping an article is a review status ("skipped"), served by
    # reviews(annotator, status) like the others.
    db.execute("""CREATE TABLE "flags" (
        "id" INTEGER PRIMARY KEY,
        "article_id" TEXT NOT NULL REFERENCES "articles"("id"),
        "span_id" INTEGER,
        "annotator" TEXT NOT NULL,
        "note" TEXT NOT NULL DEFAULT '',
        "created_at" TEXT)""")
    db.execute('CREATE INDEX "flags_by_annotator" ON "flags" ("annotator", "article_id")')
    db.execute('CREATE INDEX "flags_by_span" ON "flags" ("span_id")')


@MIGRATIONS()
def m014_fts_bulk(db: sqlite_utils.Database) -> None:
    # Bulk writers (ingest, import) index the articles a batch adds with one INSERT … SELECT at the
    # end of its transaction (store/search.py bulk_index): half the cost of the trigger row by row.
    # A row in fts_deferred turns the insert trigger off; bulk_index writes one and deletes it in
    # the same transaction, so no other transaction (nor a crash) ever sees it.
    db.execute("CREATE TABLE fts_deferred (id INTEGER PRIMARY KEY)")
    if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'articles_fts'").fetchone():
        db.execute("DROP TRIGGER IF EXISTS articles_fts_ai")
        db.execute(
            """CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles
               WHEN NOT EXISTS (SELECT 1 FROM fts_deferred) BEGIN
                 INSERT INTO articles_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);
               END"""
        )


@MIGRATIONS()
def m015_confidence_sort(db: sqlite_utils.Database) -> None:
    # The corpus sorts by the lowest confidence of each article's suggestions (unscored ones count
    # as 0; NULL: nothing suggested, sorted last as 2.0), kept on the article when its suggestions
    # are saved (Store.replace_suggestions) and indexed like the other sort keys (store/listing.py
    # orders by the same expression), so that the sorted list pages from an index instead of taking
    # the minimum over the suggestions table at every window.
    db.execute("ALTER TABLE articles ADD COLUMN low_score REAL")
    db.execute("""UPDATE articles SET low_score = (SELECT min(COALESCE(g.score, 0.0)) FROM suggestions g
                                                   WHERE g.article_id = articles.id)""")
    db.execute("CREATE INDEX articles_by_low_score ON articles (COALESCE(low_score, 2.0))")
