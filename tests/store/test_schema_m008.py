"""Migration m008 (issue 17.8): foreign keys to entities, the reviews key, the browsing view."""

from __future__ import annotations

import json
import sqlite3

import pytest
import sqlite_utils

from store import NotFound, Store
from store.convert import article_to_row
from store.migrations import MIGRATIONS
from tests.store.support import make_article

TAB_KEY = "a1\talice"


def old_database(path):
    """A database as glossator wrote it before m008, with a review logged under its TAB key, a link to
    an entity that does not exist and an entity merged into one that does not exist."""
    db = sqlite_utils.Database(path)
    MIGRATIONS.apply(db, stop_before="m008_browsable_schema")
    db["articles"].insert(article_to_row(make_article()))
    db["entities"].insert_all([
        {"id": "maliki", "name": "Nouri Al Maliki", "type": "PER", "merged_into": None, "created_at": "t"},
        {"id": "old_maliki", "name": "Maliki", "type": "PER", "merged_into": "lost_entity", "created_at": "t"}])
    db["spans"].insert_all([
        {"id": 1, "article_id": "a1", "start": 0, "end": 15, "label": "PER", "kind": "entity", "annotator": "alice",
         "kb_id": "maliki", "created_at": "t", "updated_at": "t"},
        {"id": 2, "article_id": "a1", "start": 40, "end": 46, "label": "LOC", "kind": "entity",
         "annotator": "alice", "kb_id": "baghdad", "created_at": "t", "updated_at": "t"}])
    review = {"id": TAB_KEY, "article_id": "a1", "annotator": "alice", "status": "done", "updated_at": "t2"}
    db["reviews"].insert(review)
    ops = [{"table": "reviews", "pk": TAB_KEY, "before": None, "after": review},
           {"table": "articles", "pk": "a1", "before": {"status": "todo", "updated_at": None},
            "after": {"status": "done", "updated_at": "t2"}}]
    db["actions"].insert({"at": "t2", "annotator": "alice", "article_id": "a1", "kind": "status:done",
                          "ops": json.dumps(ops, ensure_ascii=False), "undoes": None, "redoes": None})
    db.close()


def test_an_old_database_is_upgraded_in_place_keeping_every_row(tmp_path):
    path = tmp_path / "old.db"
    old_database(path)
    store = Store.open(path)
    db = store.db
    assert "m008_browsable_schema" in {m.name for m in MIGRATIONS.applied(db)}
    # Nothing lost: both links kept, the missing entities made (named by their id).
    assert [(s.id, s.kb_id) for s in store.spans("a1")] == [(1, "maliki"), (2, "baghdad")]
    assert store.entity("baghdad").name == "baghdad" and store.entity("baghdad").type == "LOC"
    assert store.entity("lost_entity").type == "PER"
    assert store.entity("old_maliki").merged_into == "lost_entity"
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    links = {(r[3], r[2], r[4]) for t in ("spans", "entities") for r in db.execute(f"PRAGMA foreign_key_list({t})")}
    assert {("kb_id", "entities", "id"), ("merged_into", "entities", "id")} <= links
    # The review key: two columns, no TAB anywhere, in the table or in the log.
    assert db["reviews"].pks == ["article_id", "annotator"]
    assert store.reviews("a1") == {"alice": "done"}
    (action,) = store.history("a1")
    assert action.ops[0]["pk"] == ["a1", "alice"] and "id" not in action.ops[0]["after"]
    assert "\t" not in db.execute("SELECT group_concat(ops) FROM actions").fetchone()[0]
    # The logged status change still undoes.
    assert store.undo("a1", "alice").kind == "status:done"
    assert store.reviews("a1") == {}
    # The redundant index is gone, spans_exact keeps the guard against exact duplicates.
    indexes = {r[1] for r in db.execute("PRAGMA index_list(spans)")}
    assert "spans_exact" in indexes and "idx_spans_article_id_annotator_kind_start" not in indexes
    store.close()


def test_links_must_name_an_entity(tmp_path):
    store = Store.open(tmp_path / "g.db")
    store.add_articles([make_article()])
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        with store.action("add", "alice", "a1") as uow:
            uow.insert("spans", {"article_id": "a1", "start": 0, "end": 5, "label": "PER", "kind": "entity",
                                 "annotator": "alice", "kb_id": "nobody"})
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        with store.action("add", "alice", None) as uow:
            uow.insert("entities", {"id": "x", "name": "X", "type": "PER", "merged_into": "nobody"})
    assert store.spans("a1") == [] and store.history() == []


def test_the_gold_view_shows_text_title_label_and_entity(tmp_path):
    store = Store.open(tmp_path / "g.db")
    store.add_articles([make_article()])
    with store.action("add", "alice", "a1") as uow:
        uow.insert("entities", {"id": "maliki", "name": "Nouri al-Maliki", "type": "PER"})
        uow.insert("spans", {"article_id": "a1", "start": 0, "end": 15, "label": "PER", "kind": "entity",
                             "annotator": "alice", "kb_id": "maliki"})
        uow.insert("spans", {"article_id": "a1", "start": 40, "end": 46, "label": "LOC", "kind": "entity",
                             "annotator": "alice", "kb_id": None})
    rows = list(store.db.query("SELECT article_title, text, label, entity_name, annotator FROM gold_spans_view "
                               "ORDER BY start"))
    assert rows == [{"article_title": "t", "text": "Nouri Al Maliki", "label": "PER", "entity_name": "Nouri al-Maliki",
                     "annotator": "alice"},
                    {"article_title": "t", "text": "Bagdad", "label": "LOC", "entity_name": None, "annotator": "alice"}]


def test_a_missing_row_is_a_typed_not_found(tmp_path):
    store = Store.open(tmp_path / "g.db")
    with pytest.raises(NotFound, match="no span 7"):
        store.span(7)
    with pytest.raises(KeyError):  # callers written against KeyError keep working
        store.get_article("nope")
