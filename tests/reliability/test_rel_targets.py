"""Where commands write (issue 12, items 2, 3 and 16): never onto the database or a SQLite file in
use, devices and FIFOs as streams (never replaced), exports readable under the umask."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import threading
from pathlib import Path

import pytest

from annotate.service import Service, StoreError
from tests.cli_support import run as cli
from tests.reliability.support import GLOSSATOR, ROOT, env, integrity, run_cli

EXPORTS = (["export", "--what", "suggestions"], ["entities", "export"], ["export", "--format", "doccano",
                                                                          "--what", "suggestions"])


def snapshot(db: Path) -> tuple[bytes, bytes]:
    """The database and its log (a read-only open may leave an empty -wal and a -shm behind)."""
    wal = Path(f"{db}-wal")
    return db.read_bytes(), wal.read_bytes() if wal.exists() else b""


# -- item 2: never the database ------------------------------------------------------------


@pytest.mark.parametrize("command", EXPORTS + (["backup"],), ids=lambda c: " ".join(c[:2]))
def test_no_command_writes_onto_the_database(seeded_db: Path, command: list[str]):
    before = snapshot(seeded_db)
    proc = cli(*command, "--db", str(seeded_db), "-o", str(seeded_db), check=1)
    assert proc.stderr.strip().splitlines()[-1].startswith(f"error: {seeded_db}: is the database itself")
    assert snapshot(seeded_db) == before
    assert integrity(seeded_db) == "ok"


@pytest.mark.parametrize("suffix", ["-wal", "-shm", "-journal"])
def test_the_database_files_are_refused_while_the_app_has_it_open(seeded_db: Path, suffix: str):
    app = Service.open(seeded_db, annotator="alice")  # holds the -wal and -shm open, as the app does
    try:
        article = app.data.articles()[0]["id"]
        app.review.add_span(article, 0, 5, "PER")  # acknowledged work, still in the -wal
        before = snapshot(seeded_db)
        for command in (*EXPORTS, ["backup"], ["export", "--format", "brat", "--what", "suggestions"]):
            proc = run_cli(*command, "--db", str(seeded_db), "-o", f"{seeded_db}{suffix}", check=1)
            assert f"is the database's {suffix} file" in proc.stderr, proc.stderr
        assert snapshot(seeded_db) == before
    finally:
        app.close()
    assert integrity(seeded_db) == "ok"
    reopened = Service.open(seeded_db, annotator="alice", readonly=True)
    assert len(reopened.store.spans(article, "alice")) == 1
    reopened.close()


def test_links_to_the_database_are_refused(seeded_db: Path, tmp_path: Path):
    (tmp_path / "sym.jsonl").symlink_to(seeded_db)
    os.link(seeded_db, tmp_path / "hard.jsonl")
    before = seeded_db.read_bytes()
    for name in ("sym.jsonl", "hard.jsonl"):
        proc = cli("export", "--what", "suggestions", "--db", str(seeded_db), "-o", str(tmp_path / name), check=1)
        assert "is the database itself" in proc.stderr
    assert seeded_db.read_bytes() == before and (tmp_path / "sym.jsonl").is_symlink()


def test_another_sqlite_file_is_never_overwritten_by_an_export(seeded_db: Path, tmp_path: Path):
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (x)")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("INSERT INTO notes VALUES (1)")
    conn.commit()  # left open: other.db-wal and -shm exist, it is in use
    try:
        before = snapshot(other)
        for command in EXPORTS:
            proc = run_cli(*command, "--db", str(seeded_db), "-o", str(other), check=1)
            assert "is a SQLite database; an export never overwrites one" in proc.stderr
        for target in (other, Path(f"{other}-wal")):
            proc = run_cli("backup", "--db", str(seeded_db), "-o", str(target), check=1)
            assert "in use" in proc.stderr or "-wal file of the SQLite database" in proc.stderr, proc.stderr
        assert snapshot(other) == before
    finally:
        conn.close()


def test_a_backup_may_replace_an_older_backup_no_one_has_open(seeded_db: Path, tmp_path: Path):
    target = tmp_path / "nightly.db"
    cli("backup", "--db", str(seeded_db), "-o", str(target), check=0)
    first = target.stat().st_ino
    cli("backup", "--db", str(seeded_db), "-o", str(target), check=0)
    assert target.stat().st_ino != first and integrity(target) == "ok"


# -- item 3: devices and FIFOs are streams ------------------------------------------------------


def _read_fifo(path: Path, out: list[bytes]) -> threading.Thread:
    def reader() -> None:
        with open(path, "rb") as stream:
            out.append(stream.read())

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    return thread


@pytest.mark.parametrize("command", EXPORTS + (["backup"],), ids=lambda c: " ".join(c[:3]))
def test_a_fifo_is_written_as_a_stream_and_stays_a_fifo(seeded_db: Path, tmp_path: Path, command: list[str]):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    thread = _read_fifo(fifo, got)
    run_cli(*command, "--db", str(seeded_db), "-o", str(fifo))
    thread.join(30)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    if command[0] == "backup":
        assert got[0].startswith(b"SQLite format 3\x00")
    elif command[0] == "export":
        assert got[0].count(b"\n") == 5  # one line per seed article
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".pipe")] == []


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
@pytest.mark.parametrize("command", EXPORTS + (["backup"],), ids=lambda c: " ".join(c[:3]))
def test_a_character_device_stays_a_device_as_root(seeded_db: Path, tmp_path: Path, command: list[str]):
    null = tmp_path / "null"  # a private /dev/null: the real one is shared by everything
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    null.chmod(0o666)  # mknod applies the umask
    run_cli(*command, "--db", str(seeded_db), "-o", str(null))
    info = os.lstat(null)
    assert stat.S_ISCHR(info.st_mode) and info.st_rdev == os.makedev(1, 3)
    assert stat.S_IMODE(info.st_mode) == 0o666
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".null")] == []


def test_dev_stdout_works_on_a_pipe_and_on_a_file(seeded_db: Path, tmp_path: Path):
    proc = run_cli("export", "--what", "suggestions", "--db", str(seeded_db), "-o", "/dev/stdout")
    assert proc.stdout.count('"_view_id"') == 5
    out = tmp_path / "out.jsonl"
    with out.open("wb") as stdout:
        done = subprocess.run([*GLOSSATOR, "export", "--what", "suggestions", "--db", str(seeded_db), "-o", "/dev/stdout"],
                              cwd=ROOT, env=env(), stdout=stdout, stderr=subprocess.PIPE, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8").count('"_view_id"') == 5
    assert os.path.islink("/dev/stdout"), "the link /dev/stdout was replaced"
    done = subprocess.run([*GLOSSATOR, "backup", "--db", str(seeded_db), "-o", "-"], cwd=ROOT, env=env(),
                          capture_output=True, timeout=120)
    assert done.returncode == 0 and done.stdout.startswith(b"SQLite format 3\x00"), done.stderr
    assert b"wrote -" in done.stderr  # the summary is not mixed into the copy


def test_a_folder_export_onto_a_fifo_is_refused(seeded_db: Path, tmp_path: Path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    proc = run_cli("export", "--format", "brat", "--what", "suggestions", "--db", str(seeded_db), "-o", str(fifo),
                   check=1)
    assert f"{fifo}: exists and is not a folder (a FIFO)" in proc.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


# -- item 16: the umask --------------------------------------------------------------------------


@pytest.mark.parametrize("mask, file_mode, dir_mode", [(0o022, 0o644, 0o755), (0o077, 0o600, 0o700),
                                                        (0o002, 0o664, 0o775)])
def test_exports_honour_the_umask(seeded: Service, tmp_path: Path, mask: int, file_mode: int, dir_mode: int):
    old = os.umask(mask)
    try:
        seeded.data.export_data(tmp_path / "s.jsonl", what="suggestions")
        seeded.data.export_jsonl(tmp_path / "g.jsonl")
        seeded.entities.export_gazetteer(tmp_path / "kb.jsonl")
        seeded.data.export_data(tmp_path / "brat", fmt="brat", what="suggestions")
        seeded.data.export_data(tmp_path / "brat", fmt="brat", what="suggestions")  # replacing keeps the modes
        seeded.data.backup(tmp_path / "b.db")
    finally:
        os.umask(old)
    for name in ("s.jsonl", "g.jsonl", "kb.jsonl", "b.db"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == file_mode, name
    assert stat.S_IMODE((tmp_path / "brat").stat().st_mode) == dir_mode
    for inner in (tmp_path / "brat").iterdir():
        assert stat.S_IMODE(inner.stat().st_mode) == file_mode, inner.name


def test_the_service_refuses_the_database_as_a_target(seeded: Service):
    db = seeded.store.path
    before = db.read_bytes()
    for call in (lambda: seeded.data.export_jsonl(db), lambda: seeded.entities.export_gazetteer(db),
                 lambda: seeded.data.export_data(db, fmt="conll", what="suggestions"), lambda: seeded.data.backup(db)):
        with pytest.raises(StoreError, match="is the database itself"):
            call()
    assert db.read_bytes() == before
