"""Bulk writers index their new articles in one statement (store/search.py bulk_index, m014):
the full-text index stays exactly in step with the texts, and every other writer still indexes
through the trigger."""

import json
import re

import pytest

from annotate.corpus import ingest as ingest_module
from annotate.corpus.cleaning import near_duplicate_key
from store import search as fts


def fts_rowids(db, word):
    return sorted(r[0] for r in db.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?",
                                           [f'"{word}"']))


def text_rowids(db, word):
    pattern = re.compile(rf"\b{word}\b", re.IGNORECASE)
    return sorted(rowid for rowid, title, text in db.execute("SELECT rowid, title, text FROM articles")
                  if pattern.search(title or "") or pattern.search(text))


def check_index(db):
    db.execute("INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)")
    assert db.execute("SELECT count(*) FROM fts_deferred").fetchone()[0] == 0


def test_an_ingest_in_several_batches_indexes_exactly_its_texts(service, tmp_path, monkeypatch):
    monkeypatch.setattr(ingest_module, "BATCH", 7)
    words = [f"mot{n}x" for n in range(40)]
    path = tmp_path / "c.jsonl"
    with open(path, "w", encoding="utf-8") as out:
        for n in range(50):
            text = f"Titre {n} {words[n % 40]}\n\nCorps de l'article {words[(n * 7) % 40]} numéro {n}."
            out.write(json.dumps({"text": text}) + "\n")
    seed = tmp_path / "a.txt"
    seed.write_text("Seul\n\nUn texte mot3x.\n", encoding="utf-8")
    service.data.ingest([seed])  # an article before: its rowid is below the batches'
    report = service.data.ingest([path])
    assert report.added_count == 50
    db = service.store.db
    check_index(db)
    for word in words + ["numéro", "titre", "seul"]:
        assert fts_rowids(db, word) == text_rowids(db, word), word
    # Every other write still goes through the trigger.
    db["articles"].insert({"id": "x1", "source": "s", "title": "Quokka", "text": "Un quokka.", "status": "todo"})
    assert fts_rowids(db, "quokka") == text_rowids(db, "quokka") != []
    check_index(db)


def test_a_failed_bulk_block_leaves_neither_rows_nor_index_nor_marker(service):
    db = service.store.db
    with pytest.raises(RuntimeError), db.atomic():
        with fts.bulk_index(db):
            db["articles"].insert({"id": "x1", "source": "s", "title": "Quokka", "text": "Un quokka.",
                                   "status": "todo"})
            raise RuntimeError("disk full")
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
    assert fts_rowids(db, "quokka") == []
    check_index(db)


def test_a_database_whose_trigger_cannot_be_deferred_indexes_row_by_row(service, tmp_path):
    db = service.store.db
    # As after m010 run again on a database that had m014 (tests of old databases do so).
    db.execute("DROP TRIGGER articles_fts_ai")
    db.execute("CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN "
               "INSERT INTO articles_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text); END")
    path = tmp_path / "a.txt"
    path.write_text("Titre\n\nLe Zanzibarois est arrivé.\n", encoding="utf-8")
    service.data.ingest([path])
    assert len(fts_rowids(db, "zanzibarois")) == 1
    check_index(db)


@pytest.mark.parametrize("text", ["", "a", "Σ'Β ΑΣ.Β İ x_y " * 300, "mot " * 399, "mot " * 401 + "fin",
                                  "l’État\u00a0islamique\u2028—\x1cDaech " * 100,
                                  "x " * 399 + "ΑΣ'ʰʰ" * 2000 + "Β", "mot " * 1999 + "ΑΣ" + "'ʰ" * 3000 + "Β"])
def test_the_near_duplicate_key_is_the_first_400_words_as_before(text):
    words = re.sub(r"[\W_]+", " ", text.lower()).split()
    assert near_duplicate_key(text) == " ".join(words[:400])


def test_an_ingest_merges_its_batches_segments_once_at_the_end(service, tmp_path, monkeypatch):
    from store import fts_merge

    monkeypatch.setattr(ingest_module, "BATCH", 5)
    path = tmp_path / "c.jsonl"
    path.write_text("".join(json.dumps({"text": f"Titre {n}\n\nCorps mot{n}x."}) + "\n" for n in range(60)),
                    encoding="utf-8")
    db = service.store.db
    real, at_end = fts_merge.finish, []

    def finish(db, progress=None):
        at_end.append((fts_merge.levels(db), dict(db.execute("SELECT k, v FROM articles_fts_config"))))
        real(db, progress)

    monkeypatch.setattr(fts_merge, "finish", finish)
    assert service.data.ingest([path]).added_count == 60
    (found, config), = at_end
    assert len(found[0].pages) == 12  # one segment a batch, none merged during the ingest …
    assert config["automerge"] == 4  # … and merging back on before the last merges run
    after = fts_merge.levels(db)
    assert all(len(lvl.pages) < fts_merge.USERMERGE and not lvl.merging for lvl in after)
    check_index(db)
    assert all(fts_rowids(db, f"mot{n}x") == text_rowids(db, f"mot{n}x") != [] for n in range(60))


def test_an_ingest_of_duplicates_only_leaves_the_index_settings_untouched(service, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Titre\n\nLe Zanzibarois est arrivé.\n", encoding="utf-8")
    service.data.ingest([path])
    db = service.store.db
    db.execute("DELETE FROM articles_fts_config WHERE k IN ('automerge', 'crisismerge')")
    changes = db.conn.total_changes
    assert service.data.ingest([path]).duplicate_count == 1
    assert db.conn.total_changes == changes  # nothing written, not even the settings
