"""A long import leaves reviewers the lock, and stays all or nothing."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import pytest

from annotate.formats import import_write
from annotate.service import Service
from store.db import StoreError
from tests.paths import GOLD
from tests.reliability.support import ROOT, query, start_cli


def many_records(path: Path, n: int) -> Path:
    """``n`` gold records from the seed gold, each on a text of its own."""
    seeds = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]
    with open(path, "w", encoding="utf-8") as out:
        for i in range(n):
            rec = dict(seeds[i % len(seeds)], text=seeds[i % len(seeds)]["text"] + f"\n\nCopie {i}.",
                       meta={"source": f"copy_{i}.txt"})
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return path


def test_a_reviewer_write_during_a_big_import_succeeds_within_a_second(seeded_db, tmp_path):
    data = many_records(tmp_path / "big.jsonl", 600)
    reviewer = Service.open(seeded_db, annotator="reviewer")
    article = reviewer.data.articles()[0]["id"]
    proc = start_cli("import", str(data), "--db", str(seeded_db), "--annotator", "importer")
    # Wait until the import has begun writing, so the actions below really contend with it.
    deadline = time.monotonic() + 120
    while not query(seeded_db, "SELECT 1 FROM actions WHERE kind = 'import' LIMIT 1") and proc.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    waits, during = [], 0
    while proc.poll() is None:
        t0 = time.perf_counter()
        span = reviewer.review.add_span(article, 0, 4, "LOC")
        t1 = time.perf_counter()
        reviewer.review.delete_span(span)
        waits += [t1 - t0, time.perf_counter() - t1]
        during += proc.poll() is None
    out, err = proc.communicate()
    reviewer.close()
    assert proc.returncode == 0, err
    assert "600 articles (600 new)" in out
    assert during >= 3, "the import ended before the reviewer could contend with it"
    assert max(waits) < 1.0, max(waits)
    assert query(seeded_db, "SELECT count(*) FROM actions WHERE annotator = 'reviewer'")[0][0] == len(waits)


def test_a_batch_that_fails_takes_back_the_batches_already_committed(service, tmp_path, monkeypatch):
    data = many_records(tmp_path / "g.jsonl", 12)
    service.data.ingest([ROOT / "seeds"])
    before = {t: service.store.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("articles", "spans", "event_args", "actions", "reviews", "entities", "aliases")}
    monkeypatch.setattr(import_write, "MAX_BATCH", 1)  # one record per batch
    monkeypatch.setattr(import_write, "PAUSE_SECONDS", 0.0)
    calls = []
    real_write = import_write._Batch.write

    def failing_write(self):
        calls.append(1)
        if len(calls) == 5:
            raise sqlite3.OperationalError("database or disk is full")
        return real_write(self)

    monkeypatch.setattr(import_write._Batch, "write", failing_write)
    with pytest.raises(StoreError, match="disk is full"):
        service.data.import_jsonl(data)
    after = {t: service.store.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in before}
    assert len(calls) == 5 and after == before


def test_an_import_in_batches_is_undoable_per_article(service, tmp_path, monkeypatch):
    monkeypatch.setattr(import_write, "MAX_BATCH", 1)
    monkeypatch.setattr(import_write, "PAUSE_SECONDS", 0.0)
    service.data.import_jsonl(GOLD)
    service.data.import_jsonl(GOLD)  # the second import replaces the first, logged as deletions then inserts
    article = service.data.articles()[0]["id"]
    spans = service.store.spans(article, "alice")
    assert service.review.undo(article) == "import"
    assert [(s.start, s.end, s.label, s.kb_id) for s in service.store.spans(article, "alice")] == \
        [(s.start, s.end, s.label, s.kb_id) for s in spans]
    assert service.review.undo(article) == "import"
    assert service.store.spans(article, "alice") == [] and service.review.status(article) == "todo"


def test_a_batch_built_outside_the_lock_is_built_again_when_its_articles_changed(service, tmp_path,
                                                                                   monkeypatch):
    # Rows are built from a read made outside the write lock; a write to the same article by
    # another process in between must not survive beside (or under) the import's gold.
    import types

    data = many_records(tmp_path / "g.jsonl", 1)
    service.data.import_jsonl(data)
    article = service.data.articles()[0]["id"]
    wanted = [(s.start, s.end, s.label) for s in service.store.spans(article, "alice")]
    other = Service.open(service.store.path, annotator="alice")
    done = []

    def meanwhile(seconds):
        if not done:
            service.store.db.conn.commit()  # nothing open: the other connection writes freely
            start = service.data.article(article).text.rindex("Copie")  # no gold there
            done.append(other.review.add_span(article, start, start + 5, "MISC"))

    monkeypatch.setattr(import_write, "time", types.SimpleNamespace(sleep=meanwhile,
                                                                    perf_counter=time.perf_counter))
    service.data.import_jsonl(data)
    other.close()
    assert done
    assert [(s.start, s.end, s.label) for s in service.store.spans(article, "alice")] == wanted
