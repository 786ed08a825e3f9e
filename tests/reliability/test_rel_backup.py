"""``glossator backup``: a consistent online copy while another process writes."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import pytest

from annotate.service import Service, StoreError
from tests.reliability.support import integrity, query, run_cli, start_worker


def test_backups_taken_during_writes_are_consistent_and_complete(seeded_db: Path, tmp_path: Path):
    worker = start_worker(seeded_db, "alice", seed=3, count=100_000)
    backups = []
    try:
        deadline = time.monotonic() + 30
        while not query(seeded_db, "SELECT count(*) FROM actions")[0][0] and time.monotonic() < deadline:
            time.sleep(0.05)
        for i in range(3):
            committed = query(seeded_db, "SELECT max(id) FROM actions")[0][0]
            target = tmp_path / f"backup{i}.db"
            proc = run_cli("backup", "--db", str(seeded_db), "-o", str(target))
            assert proc.stdout.startswith(f"wrote {target} (5 articles, ")
            assert integrity(target) == "ok"
            copied = query(target, "SELECT max(id) FROM actions")[0][0]
            assert copied >= committed, "an action committed before the backup is missing from it"
            assert query(target, "PRAGMA journal_mode")[0][0] == "delete"
            assert not Path(f"{target}-wal").exists()
            backups.append((target, copied))
    finally:
        worker.kill()
        out, _ = worker.communicate()
    assert worker.returncode != 0  # it was still writing: the backups did not stop it
    # Consistent: each copy is one snapshot, the gold exactly as the worker saw it right
    # after the last action the copy holds.
    seen = {int(line.split()[1]): line.split()[3] for line in out.splitlines() if line.startswith("ack ")}
    for target, copied in backups:
        assert digest(target) == seen[copied], f"{target.name} mixes two moments"
    # A backup is a working glossator database.
    restored = Service.open(backups[-1][0], annotator="alice")
    assert len(restored.data.articles()) == 5
    restored.close()


def digest(db: Path) -> str:
    """tests/reliability/worker.py's gold digest, read from a file."""
    rows = query(db, 'SELECT id, article_id, start, "end", label, kb_id FROM spans WHERE annotator = ? ORDER BY id',
                 ("alice",))
    return hashlib.sha1(repr(rows).encode()).hexdigest()[:16]


def test_backup_through_the_service_while_a_transaction_is_open(seeded: Service, tmp_path: Path):
    article_id = seeded.data.articles()[0]["id"]
    seeded.review.add_span(article_id, 0, 4, "LOC")
    writer = Service.open(seeded.store.path, annotator="bob")
    with writer.store.db.atomic():  # an uncommitted write in another connection
        writer.store.db.execute("UPDATE articles SET title = 'pas encore' WHERE id = ?", [article_id])
        report = seeded.data.backup(tmp_path / "b.db")
    writer.close()
    assert report.articles == 5 and report.actions == 1
    assert query(tmp_path / "b.db", "SELECT count(*) FROM spans")[0][0] == 1
    assert query(tmp_path / "b.db", "SELECT count(*) FROM articles WHERE title = 'pas encore'")[0][0] == 0


def test_default_name_is_beside_the_database(seeded_db: Path):
    proc = run_cli("backup", "--db", str(seeded_db))
    (made,) = [p for p in seeded_db.parent.iterdir() if p.name.startswith("g-") and p.suffix == ".db"]
    assert str(made) in proc.stdout
    assert integrity(made) == "ok"


def test_backup_refuses_to_overwrite_the_database_and_bad_targets(seeded_db: Path, tmp_path: Path):
    before = seeded_db.read_bytes()
    proc = run_cli("backup", "--db", str(seeded_db), "-o", str(seeded_db), check=1)
    assert "is the database itself" in proc.stderr
    assert seeded_db.read_bytes() == before
    proc = run_cli("backup", "--db", str(seeded_db), "-o", str(tmp_path / "nope" / "b.db"), check=1)
    assert proc.stderr.strip() == f"error: {tmp_path / 'nope' / 'b.db'}: folder {tmp_path / 'nope'} does not exist"
    proc = run_cli("backup", "--db", str(tmp_path / "missing.db"), check=1)
    assert "no such database" in proc.stderr


def test_a_failed_backup_leaves_nothing(seeded: Service, tmp_path: Path, monkeypatch):
    import annotate.backup

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(annotate.backup.os, "fsync", broken)
    with pytest.raises(StoreError, match=r"b\.db: backup failed \(No space left on device\); nothing written"):
        seeded.data.backup(tmp_path / "b.db")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(("b.db", ".b.db"))] == []
