"""Full-text search (FTS5, migration m010_fts): kept in sync, built for old databases, any query safe."""

import json

import pytest
from typer.testing import CliRunner

from annotate.corpus.listing import search
from cli.main import app
from store.db import open_db
from tests.paths import SEEDS


def ids(service, query, limit=20):
    return [h.id for h in search(service, query, limit)]


def test_search_finds_words_of_titles_and_texts_ignoring_case_and_accents(seeded):
    hits = search(seeded, "Soudâni", 10)
    assert len(hits) == 3  # "Soudani" is in three of the five seeds, written without the accent
    for hit in hits:
        assert any(hit.snippet[s:e].casefold() == "soudani" for s, e in hit.marks), hit.snippet
        assert "\n" not in hit.snippet
    assert ids(seeded, "Soud*") == ids(seeded, "soudani")
    assert ids(seeded, "washington 2500 soldats")  # every word, in any place
    assert ids(seeded, "washington zzzunknown") == []


def test_the_index_follows_every_write(service, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Titre\n\nLe Zanzibarois est arrivé.\n", encoding="utf-8")
    service.data.ingest([path])
    (aid,) = ids(service, "zanzibarois")
    service.store.db["articles"].insert({"id": "x1", "source": "s", "title": "Quokka", "text": "Un quokka.",
                                         "status": "todo"})
    assert ids(service, "quokka") == ["x1"]
    service.store.db["articles"].update("x1", {"title": "Wombat", "text": "Un wombat."})
    assert ids(service, "quokka") == [] and ids(service, "wombat") == ["x1"]
    service.store.db["articles"].update("x1", {"status": "done"})  # not an indexed column
    assert ids(service, "wombat") == ["x1"]
    service.store.db["articles"].delete("x1")
    assert ids(service, "wombat") == [] and ids(service, "zanzibarois") == [aid]


def test_the_migration_builds_the_index_of_an_older_database(tmp_path):
    path = tmp_path / "old.db"
    db = open_db(path)
    db.execute("DROP TRIGGER articles_fts_ai")  # written before the index existed
    db["articles"].insert({"id": "a1", "source": "s", "title": "Mossoul", "text": "La bataille de Mossoul.",
                           "status": "todo"})
    # Back to the schema before m010: no index, no triggers, no near-duplicate key.
    for name in ("articles_by_title", "articles_by_date", "articles_by_source", "articles_by_near_key"):
        db.execute(f"DROP INDEX {name}")
    for name in ("articles_fts_ad", "articles_fts_au"):
        db.execute(f"DROP TRIGGER {name}")
    db.execute("DROP TABLE articles_fts")
    db.execute("ALTER TABLE articles DROP COLUMN near_key")
    db.execute("DELETE FROM _sqlite_migrations WHERE name LIKE 'm010_%'")
    db.conn.commit()
    db.close()
    db = open_db(path)
    from store.search import search as fts_search

    assert [h.id for h in fts_search(db, "mossoul")] == ["a1"]
    db.close()


@pytest.mark.parametrize("query", ['"', '""', "*", "**", "a*b*", "NEAR(", "NEAR(a b)", "[/]", "AND", "OR NOT",
                                   "title:Irak", "Irak)", "^Irak", "-Irak", "'", "\\", "\x00", "Irak +", "{a b}"])
def test_any_query_is_safe(seeded, query):
    search(seeded, query, 5)  # never raises


def test_syntax_words_are_searched_as_words(seeded):
    assert ids(seeded, "Irak AND") == []  # no seed holds the word "and"
    assert ids(seeded, "irak") and ids(seeded, "IRAK") == ids(seeded, "irak")


def test_cli_search_prints_literal_lines_and_json(tmp_path):
    db = tmp_path / "g.db"
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(SEEDS), "--db", str(db)]).exit_code == 0
    evil = tmp_path / "evil.txt"
    evil.write_text("Titre \x1b]0;pwned\x07 quokka\n\nCorps.\n", encoding="utf-8")
    assert runner.invoke(app, ["ingest", str(evil), "--db", str(db)]).exit_code == 0
    out = runner.invoke(app, ["search", "quokka", "--db", str(db)])
    assert out.exit_code == 0 and "quokka" in out.stdout and "\x1b" not in out.stdout and "\x07" not in out.stdout
    out = runner.invoke(app, ["search", "soudani", "--db", str(db), "--json", "--limit", "2"])
    hits = json.loads(out.stdout)
    assert len(hits) == 2 and set(hits[0]) == {"id", "title", "snippet", "marks"}
    start, end = hits[0]["marks"][0]
    assert hits[0]["snippet"][start:end].lower() == "soudani"
    out = runner.invoke(app, ["search", 'NEAR("', "--db", str(db)])
    assert out.exit_code == 1 and "no match" in out.stdout
    out = runner.invoke(app, ["search", "x", "--db", str(tmp_path / "none.db")])
    assert out.exit_code == 1 and not (tmp_path / "none.db").exists()


def test_a_query_matching_too_many_comes_back_in_ingest_order_unranked(seeded, monkeypatch):
    from store import search as fts

    ranked = ids(seeded, "irak")
    monkeypatch.setattr(fts, "RANKED", 2)
    assert not fts.is_ranked(seeded.store.db, "irak")
    assert ids(seeded, "irak") == [a for a in seeded.store.article_ids() if a in ranked]
    assert fts.is_ranked(seeded.store.db, "soudani zzz")
