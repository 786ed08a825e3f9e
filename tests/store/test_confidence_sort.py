"""m015_confidence_sort: each article's lowest suggestion confidence, kept and indexed for the corpus sort."""

from __future__ import annotations

import sqlite_utils

from store import Store
from store.convert import article_to_row
from store.listing import ids
from store.migrations import MIGRATIONS
from store.models import DocSuggestions, SpanSuggestion
from tests.store.support import make_article


def test_an_older_database_gets_the_key_of_its_suggestions(tmp_path):
    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    MIGRATIONS.apply(db, stop_before="m015_confidence_sort")
    db["articles"].insert(article_to_row(make_article()))
    db["suggestions"].insert_all([
        {"id": 1, "article_id": "a1", "start": 0, "end": 5, "label": "PER", "kind": "entity", "source": "t", "score": 0.7},
        {"id": 2, "article_id": "a1", "start": 6, "end": 9, "label": "LOC", "kind": "entity", "source": "t", "score": 0.3}])
    db.close()
    store = Store.open(path)
    assert store.db.execute("SELECT low_score FROM articles WHERE id = 'a1'").fetchone()[0] == 0.3


def test_saving_suggestions_keeps_the_key_and_the_sort_uses_it(tmp_path):
    store = Store.open(tmp_path / "g.db")
    for n in range(3):
        store.db["articles"].insert(article_to_row(make_article(aid=f"a{n}")))
    store.replace_suggestions([("a0", DocSuggestions((SpanSuggestion(0, 3, "LOC", "entity", 0.9),))),
                               ("a1", DocSuggestions((SpanSuggestion(0, 3, "LOC", "entity", 0.2),
                                                      SpanSuggestion(4, 6, "LOC", "entity", None))))], "fp", "t")
    low = dict(store.db.execute("SELECT id, low_score FROM articles").fetchall())
    assert low == {"a0": 0.9, "a1": 0.0, "a2": None}  # unscored counts as 0; nothing suggested: NULL
    assert ids(store.db, "alice", sort="confidence") == ["a1", "a0", "a2"]  # nothing suggested: last
    plan = store.db.execute("EXPLAIN QUERY PLAN SELECT a.id FROM articles a ORDER BY COALESCE(a.low_score, 2.0), "
                            "a.rowid LIMIT 10").fetchall()
    assert "articles_by_low_score" in str(plan)
