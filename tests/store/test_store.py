import sqlite3

import pytest

from store import SchemaTooNew, Store, StoreError
from store.convert import article_to_row, row_to_article
from store.models import ArgSuggestion, DocSuggestions, SpanSuggestion
from tests.store.support import make_article


def test_open_sets_wal_foreign_keys_and_records_migrations(tmp_path):
    store = Store.open(tmp_path / "g.db")
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    names = [r[0] for r in store.db.execute("SELECT name FROM _sqlite_migrations")]
    assert names[:2] == ["m001_initial", "m002_reviews"]
    assert {"m003_gold_ids", "m007_link_rejections"} <= set(names)
    store.close()
    # reopening applies nothing twice
    again = Store.open(tmp_path / "g.db")
    assert again.db.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0] == len(names)


def test_database_from_a_newer_version_is_refused_clearly(tmp_path):
    store = Store.open(tmp_path / "g.db")
    store.db["_sqlite_migrations"].insert({"migration_set": "glossator", "name": "m999_future", "applied_at": "x"})
    store.close()
    with pytest.raises(SchemaTooNew, match="newer glossator.*m999_future"):
        Store.open(tmp_path / "g.db")


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    bad = tmp_path / "notes.db"
    bad.write_text("hello, I am not SQLite" * 100)
    with pytest.raises(StoreError, match="not a glossator database"):
        Store.open(bad)


def test_article_row_round_trip_keeps_everything():
    article = make_article(text="Al\u00a0Maliki\r\n« [bold] »\x1b[31m")
    assert row_to_article(article_to_row(article)) == article
    assert row_to_article(article_to_row(article)).meta == {"k": "v"}


def test_undo_redo_follow_the_log_and_survive_reopening(tmp_path):
    path = tmp_path / "g.db"
    store = Store.open(path)
    store.add_articles([make_article()])

    def add(start, end):
        with store.action("add", "alice", "a1") as uow:
            return uow.insert("spans", {"article_id": "a1", "start": start, "end": end, "label": "PER",
                                        "kind": "entity", "annotator": "alice"})

    first, second = add(0, 5), add(23, 36)
    with store.action("relabel", "alice", "a1") as uow:
        uow.update("spans", second, {"label": "ORG"})
    assert [s.label for s in store.spans("a1")] == ["PER", "ORG"]
    store.undo("a1", "alice")
    assert [s.label for s in store.spans("a1")] == ["PER", "PER"]
    store.close()

    store = Store.open(path)
    assert store.undo("a1", "alice").kind == "add"
    assert [s.id for s in store.spans("a1")] == [first]
    assert store.redo("a1", "alice").kind == "add"
    assert [s.id for s in store.spans("a1")] == [first, second]
    # a new action clears what could be redone
    add(40, 46)
    assert store.redo("a1", "alice") is None
    # another annotator's undo does not touch alice's work
    assert store.undo("a1", "bob") is None
    assert len(store.spans("a1")) == 3


def test_delete_is_undone_with_the_same_row(tmp_path):
    store = Store.open(tmp_path / "g.db")
    store.add_articles([make_article()])
    with store.action("add", "alice", "a1") as uow:
        uow.insert("entities", {"id": "nouri_al_maliki", "name": "Nouri al-Maliki", "type": "PER"})
        sid = uow.insert("spans", {"article_id": "a1", "start": 0, "end": 5, "label": "PER", "kind": "entity",
                                   "annotator": "alice", "kb_id": "nouri_al_maliki"})
    before = store.span(sid)
    with store.action("delete", "alice", "a1") as uow:
        uow.delete("spans", sid)
    assert store.spans("a1") == []
    store.undo("a1", "alice")
    assert store.span(sid) == before


def test_failed_action_writes_nothing_not_even_a_log_entry(tmp_path):
    store = Store.open(tmp_path / "g.db")
    store.add_articles([make_article()])
    with pytest.raises(sqlite3.IntegrityError):
        with store.action("add", "alice", "a1") as uow:
            uow.insert("spans", {"article_id": "a1", "start": 0, "end": 5, "label": "PER", "kind": "entity",
                                 "annotator": "alice"})
            uow.insert("spans", {"article_id": "missing", "start": 0, "end": 5, "label": "PER",
                                 "kind": "entity", "annotator": "alice"})
    assert store.spans("a1") == []
    assert store.history() == []


def test_replace_suggestions_replaces_old_ones_and_keeps_args(tmp_path):
    store = Store.open(tmp_path / "g.db")
    store.add_articles([make_article()])
    doc = DocSuggestions(
        spans=(SpanSuggestion(0, 15, "PER"), SpanSuggestion(16, 22, "MEETING", kind="event")),
        args=(ArgSuggestion(event=1, role="participants", span=0),),
    )
    store.replace_suggestions([("a1", doc)], "fp1", "model-1")
    store.replace_suggestions([("a1", doc)], "fp2", "model-2")
    sugs = store.suggestions("a1")
    assert [(s.start, s.end, s.label, s.source) for s in sugs] == [(0, 15, "PER", "model-2"), (16, 22, "MEETING", "model-2")]
    args = store.suggested_args("a1")
    assert len(args) == 1 and args[0].event_id == sugs[1].id and args[0].span_id == sugs[0].id
    assert store.fingerprints() == {"a1": "fp2"}


def test_m002_credits_old_statuses_to_the_last_annotator(tmp_path):
    from store.migrations import MIGRATIONS

    path = tmp_path / "old.db"
    import sqlite_utils

    db = sqlite_utils.Database(path)
    MIGRATIONS.apply(db, stop_before="m002_reviews")
    db["articles"].insert(article_to_row(make_article()) | {"status": "done"})
    db["actions"].insert({"at": "t", "annotator": "bob", "article_id": "a1", "kind": "add", "ops": "[]"})
    db.close()
    store = Store.open(path)
    assert store.reviews("a1") == {"bob": "done"}
