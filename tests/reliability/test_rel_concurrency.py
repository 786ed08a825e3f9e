"""Two processes, one database: no "database is locked" crash and no lost write.

The first version of these tests failed at once with "database is busy": a deferred
transaction that reads before it writes cannot upgrade to a writer in WAL mode once
another process has committed, and SQLite reports SQLITE_BUSY without waiting for the
busy timeout. store.db.Database now starts write transactions with BEGIN IMMEDIATE.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from annotate.service import Service
from store.db import open_db
from tests.reliability.support import SEEDS, gold_jsonl, integrity, query, start_cli, start_worker
from tests.reliability.worker import gold_digest


def finish(proc, timeout: float = 120) -> list[list[str]]:
    """Wait for a worker; it must end cleanly; returns its acknowledgements."""
    out, err = proc.communicate(timeout=timeout)
    assert "Traceback" not in err, err
    assert proc.returncode == 0, (out[-500:], err[-500:])
    assert out.rstrip().endswith("done"), out[-500:]
    return [line.split() for line in out.splitlines() if line.startswith("ack ")]


def check_nothing_lost(db: Path, annotator: str, acks: list[list[str]]) -> None:
    """Every acknowledged action is logged, and the gold is what the worker last saw."""
    logged = dict(query(db, "SELECT id, kind FROM actions WHERE annotator = ?", (annotator,)))
    assert len(logged) == len(acks), f"{annotator}: {len(acks)} acknowledged, {len(logged)} logged"
    for _, action_id, kind, _ in acks:
        assert logged[int(action_id)] == kind
    service = Service.open(db, annotator=annotator)
    try:
        assert gold_digest(service, annotator) == acks[-1][3], f"{annotator}: gold differs from the last ack"
    finally:
        service.close()


def test_two_annotators_write_concurrently_without_lock_errors_or_lost_writes(seeded_db: Path):
    workers = {name: start_worker(seeded_db, name, seed=i, count=250) for i, name in enumerate(("alice", "bob"))}
    acks = {name: finish(proc) for name, proc in workers.items()}
    assert integrity(seeded_db) == "ok"
    for name, mine in acks.items():
        assert len(mine) > 100
        check_nothing_lost(seeded_db, name, mine)


def test_cli_import_while_two_annotators_write(seeded_db: Path, tmp_path: Path):
    source = tmp_path / "gold.jsonl"
    total = gold_jsonl(source, 120)
    workers = {name: start_worker(seeded_db, name, seed=10 + i, count=200) for i, name in enumerate(("alice", "bob"))}
    importer = start_cli("import", str(source), "--db", str(seeded_db))
    out, err = importer.communicate(timeout=120)
    assert importer.returncode == 0 and "Traceback" not in err, err
    assert "120 articles (120 new)" in out
    acks = {name: finish(proc) for name, proc in workers.items()}
    assert integrity(seeded_db) == "ok"
    assert query(seeded_db, "SELECT count(*) FROM spans WHERE annotator = 'importer'")[0][0] == total
    assert query(seeded_db, "SELECT count(*) FROM articles")[0][0] == 125
    for name, mine in acks.items():
        check_nothing_lost(seeded_db, name, mine)


def test_processes_opening_a_new_file_together_migrate_it_once(tmp_path: Path):
    # Each of these used to run the first migration itself: "table ... already exists"
    # or "database is locked" for all but one.
    db = tmp_path / "new.db"
    procs = [start_cli("ingest", str(SEEDS / "000_e36bfcae08118a28.txt"), "--db", str(db)) for _ in range(4)]
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    assert integrity(db) == "ok"
    assert query(db, "SELECT count(*) FROM articles")[0][0] == 1
    names = [n for (n,) in query(db, "SELECT name FROM _sqlite_migrations")]
    assert len(names) == len(set(names))


def test_a_writer_waits_for_a_long_transaction_instead_of_failing(seeded_db: Path):
    # Another process holds the write lock for a while (a big import): the reviewer's
    # action waits for it (busy timeout) and then commits.
    other = sqlite3.connect(seeded_db, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE articles SET title = title")
    service = Service.open(seeded_db, annotator="alice")
    article_id = service.data.articles()[0]["id"]
    import threading

    timer = threading.Timer(0.5, lambda: other.execute("COMMIT"))
    timer.start()
    try:
        span_id = service.review.add_span(article_id, 0, 4, "LOC")
    finally:
        timer.join()
        other.close()
    assert service.store.span(span_id).start == 0
    service.close()


def test_undo_reads_the_log_inside_its_transaction(seeded_db: Path):
    # Two processes of one annotator undoing at once must undo two different actions.
    a = Service.open(seeded_db, annotator="alice")
    b = Service.open(seeded_db, annotator="alice")
    article_id = a.data.articles()[0]["id"]
    first = a.review.add_span(article_id, 0, 4, "LOC")
    a.review.add_span(article_id, 10, 14, "LOC")
    assert a.review.undo(article_id) == "add"
    assert b.review.undo(article_id) == "add"
    assert a.store.spans(article_id, "alice") == []
    assert b.review.redo(article_id) == "add"
    assert [s.id for s in a.store.spans(article_id, "alice")] == [first]
    a.close()
    b.close()


def test_write_transactions_take_the_lock_at_begin(tmp_path: Path):
    db = open_db(tmp_path / "g.db")
    with db.atomic():
        # A reserved lock is held from BEGIN: another connection cannot start writing.
        other = sqlite3.connect(tmp_path / "g.db", timeout=0)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()
    db.close()


def test_one_annotator_in_two_processes_cannot_make_overlapping_spans(tmp_path):
    """The overlap check runs inside the write transaction: two processes racing to add
    overlapping spans for the same annotator end with one span, the other refused."""
    import subprocess
    import sys

    from annotate.service import Service
    from tests.paths import ROOT

    db = tmp_path / "race.db"
    svc = Service.open(db, annotator="alice")
    text = tmp_path / "a.txt"
    text.write_text("Nouri Al Maliki a reçu Mme Romanowski à Bagdad.", encoding="utf-8")
    svc.data.ingest([text])
    article = svc.data.articles()[0]["id"]
    svc.close()
    code = (
        "import sys, time\n"
        "from annotate.service import Service, ReviewError\n"
        f"svc = Service.open({str(db)!r}, annotator='alice')\n"
        "start, end = int(sys.argv[1]), int(sys.argv[2])\n"
        "ok = 0\n"
        "for _ in range(30):\n"
        "    try:\n"
        f"        sid = svc.review.add_span({article!r}, start, end, 'PER'); ok += 1; svc.review.delete_span(sid)\n"
        "    except ReviewError:\n"
        "        pass\n"
        f"try:\n    svc.review.add_span({article!r}, start, end, 'PER')\nexcept ReviewError:\n    pass\n"
        "print(ok)\n"
    )
    procs = [subprocess.Popen([sys.executable, "-c", code, a, b], cwd=ROOT, stdout=subprocess.PIPE, text=True)
             for a, b in (("0", "15"), ("6", "20"))]
    for p in procs:
        p.wait(timeout=120)
        assert p.returncode == 0
    svc = Service.open(db, annotator="alice")
    spans = svc.store.spans(article, "alice")
    assert len(spans) == 1  # never both: they overlap
