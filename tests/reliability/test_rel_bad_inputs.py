"""Bad inputs of issue 12, item 14: each is one clear line, a non-zero exit, no traceback, no hang,
and nothing changed. JSONL with lone surrogates or endless integers, a large import under a memory
watch, config and lexicon files that are folders or FIFOs or /dev/zero, and --db files that are
folders, FIFOs, empty or another application's SQLite database."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from annotate.config import ConfigError, load_config
from annotate.service import Service
from store.db import APPLICATION_ID
from tests.cli_support import run as cli
from tests.reliability.support import ROOT, env, query, run_cli

TEXT = "Le ministre Nouri Al Maliki est arrivé à Bagdad."


def counts(db: Path) -> tuple[int, int]:
    return query(db, "SELECT count(*) FROM articles")[0][0], query(db, "SELECT count(*) FROM spans")[0][0]


def one_error(proc: subprocess.CompletedProcess) -> str:
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 2 and lines[-1] == "nothing was imported" or len(lines) == 1, proc.stderr
    assert lines[0].startswith("error: "), proc.stderr
    return lines[0]


# -- JSONL -----------------------------------------------------------------------------------------

SURROGATE = "\\ud800"  # as written in the file: a JSON escape of a lone surrogate
BAD_LINES = {
    "text": '{"text": "Le ministre ' + SURROGATE + ' est arrivé.", "spans": []}',
    "meta.title": '{"text": "' + TEXT + '", "meta": {"title": "x' + SURROGATE + '"}, "spans": []}',
    "spans[0].kb_id": '{"text": "' + TEXT + '", "spans": [{"start": 12, "end": 27, "label": "PER", "kb_id": "n'
                      + SURROGATE + '"}]}',
    "meta.annotator": '{"text": "' + TEXT + '", "meta": {"annotator": "' + SURROGATE + '"}, "spans": []}',
    "a key of meta": '{"text": "' + TEXT + '", "meta": {"' + SURROGATE + '": 1}, "spans": []}',
}


@pytest.mark.parametrize("where", sorted(BAD_LINES))
def test_a_lone_surrogate_in_an_import_is_named(seeded_db: Path, tmp_path: Path, where: str):
    path = tmp_path / "gold.jsonl"
    good = json.dumps({"text": TEXT, "spans": [{"start": 12, "end": 27, "label": "PER"}]}, ensure_ascii=False)
    path.write_text(good + "\n" + BAD_LINES[where] + "\n", encoding="utf-8")
    before = counts(seeded_db)
    proc = cli("import", str(path), "--db", str(seeded_db), check=1)
    assert one_error(proc) == f"error: {path}, line 2: {where} holds a lone surrogate (an escape like \\ud800 " \
                               "that is no character); not valid Unicode text"
    assert counts(seeded_db) == before


def test_an_integer_of_5000_digits_is_named(seeded_db: Path, tmp_path: Path):
    path = tmp_path / "gold.jsonl"
    path.write_text('{"text": "' + TEXT + '", "spans": [{"start": ' + "1" * 5000 + ', "end": 27, "label": "PER"}]}\n',
                    encoding="utf-8")
    before = counts(seeded_db)
    proc = cli("import", str(path), "--db", str(seeded_db), check=1)
    assert one_error(proc) == f"error: {path}, line 1: invalid JSON (a number has too many digits)"
    assert counts(seeded_db) == before


@pytest.mark.parametrize("line, message", [
    ('{"text": "x' + SURROGATE + '"}', "text holds a lone surrogate"),
    ('{"text": "' + TEXT + '", "meta": {"title": "' + SURROGATE + '"}}', "meta.title holds a lone surrogate"),
    ('{"text": "' + TEXT + '", "n": ' + "9" * 4400 + '}', "invalid JSON (a number has too many digits)"),
])
def test_ingesting_such_jsonl_is_one_line(seeded_db: Path, tmp_path: Path, line: str, message: str):
    path = tmp_path / "corpus.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    before = counts(seeded_db)
    proc = cli("ingest", str(path), "--db", str(seeded_db), check=1)
    assert f"error: {path}, line 1: {message}" in proc.stderr
    assert counts(seeded_db) == before


def test_a_gazetteer_with_a_lone_surrogate_is_one_line(seeded_db: Path, tmp_path: Path):
    path = tmp_path / "kb.jsonl"
    path.write_text('{"name": "Bagdad' + SURROGATE + '", "type": "LOC"}\n', encoding="utf-8")
    proc = cli("entities", "import", str(path), "--db", str(seeded_db), check=1)
    assert proc.stderr.strip() == f"error: {path}, line 1: name holds a lone surrogate (an escape like \\ud800 that " \
                                  "is no character); not valid Unicode text; nothing was imported"
    assert query(seeded_db, "SELECT count(*) FROM entities")[0][0] == 0


def test_import_inputs_that_are_not_files(seeded_db: Path, tmp_path: Path):
    fifo = tmp_path / "gold.jsonl"
    os.mkfifo(fifo)
    for command in (["import", str(fifo), "--format", "jsonl"], ["ingest", str(fifo)], ["entities", "import", str(fifo)]):
        proc = run_cli(*command, "--db", str(seeded_db), check=1, timeout=60)
        assert f"{fifo}: " in proc.stderr and "not a regular file" in proc.stderr


# The CLI, then the peak memory of the process (kB) on stderr.
_PEAK = "import resource, sys\nfrom cli.main import main\nsys.argv[0] = 'glossator'\ntry:\n    main()\nfinally:\n" \
        "    print('peak', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"


def _peak_import(path: Path, db: Path) -> int:
    proc = subprocess.run([sys.executable, "-c", _PEAK, "import", str(path), "--db", str(db)], cwd=ROOT, env=env(),
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return int(proc.stderr.split("peak")[-1])


def test_a_large_import_is_streamed_memory_stays_flat(tmp_path: Path):
    words = "le ministre de la défense a rencontré à Bagdad les chefs des tribus et du gouvernement".split()
    body = " ".join(words[i % len(words)] for i in range(150_000))  # ~1 MB of text per line
    small, large = tmp_path / "small.jsonl", tmp_path / "large.jsonl"
    with large.open("w", encoding="utf-8") as out:
        for i in range(24):
            out.write(json.dumps({"text": f"Dépêche {i}. {body}", "spans": [{"start": 0, "end": 7, "label": "MISC"}]},
                                 ensure_ascii=False) + "\n")
    small.write_text(large.read_text(encoding="utf-8").split("\n")[0] + "\n", encoding="utf-8")
    size_kb = large.stat().st_size // 1024
    grown = _peak_import(large, tmp_path / "l.db") - _peak_import(small, tmp_path / "s.db")
    # Holding the file would cost several times its size (bytes, text, lines, records): ~3x here.
    assert grown < size_kb / 2, f"peak memory grew by {grown} kB for a {size_kb} kB file"
    assert counts(tmp_path / "l.db") == (24, 24)


# -- config and lexicon ---------------------------------------------------------------------------


def test_a_config_that_is_a_folder_or_a_fifo_is_refused_without_hanging(seeded_db: Path):
    toml = seeded_db.parent / "glossator.toml"
    for make in (toml.mkdir, lambda: os.mkfifo(toml)):
        make()
        proc = run_cli("stats", "--db", str(seeded_db), check=1, timeout=60)
        kind = "a FIFO" if toml.is_fifo() else "a folder"
        assert proc.stderr.strip() == f"error: {toml}: is {kind}; glossator.toml must be a regular file"
        toml.rmdir() if toml.is_dir() else toml.unlink()


def test_an_unreadable_config_is_one_line(tmp_path: Path, monkeypatch):
    toml = tmp_path / "glossator.toml"
    toml.write_text("[project]\n", encoding="utf-8")

    def denied(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_text", denied)  # root reads a chmod 000 file anyway
    with pytest.raises(ConfigError, match=r"glossator.toml: cannot read \(Permission denied\)"):
        load_config(toml)


@pytest.mark.parametrize("lexicon", ["/dev/zero", "fifo", "folder"])
def test_an_event_lexicon_that_is_not_a_file_is_refused_without_hanging(seeded_db: Path, lexicon: str):
    folder = seeded_db.parent
    if lexicon == "fifo":
        os.mkfifo(folder / "lex.toml")
        lexicon = str(folder / "lex.toml")
    elif lexicon == "folder":
        (folder / "lexdir").mkdir()
        lexicon = str(folder / "lexdir")
    (folder / "glossator.toml").write_text(f'[project]\nevent_lexicon = "{lexicon}"\n', encoding="utf-8")
    proc = run_cli("stats", "--db", str(seeded_db), check=1, timeout=60)
    assert proc.stderr.strip() == (f"error: {folder / 'glossator.toml'}: event_lexicon: {lexicon}: cannot read event "
                                   "lexicon: not a regular file (a folder, FIFO or device)")


# -- --db ------------------------------------------------------------------------------------------

COMMANDS = (["stats"], ["ingest", str(ROOT / "seeds")], ["export", "-o", "-"], ["review"])


@pytest.mark.parametrize("kind", ["folder", "fifo", "empty"])
def test_a_db_that_is_not_a_database_file(tmp_path: Path, kind: str):
    db = tmp_path / "g.db"
    {"folder": db.mkdir, "fifo": lambda: os.mkfifo(db), "empty": db.touch}[kind]()
    expected = {"folder": "is a folder, not a database file",
                "fifo": "is not a regular file (a FIFO, socket or device), not a database",
                "empty": "is an empty file, not a glossator database (remove it to start a new one)"}[kind]
    if kind == "empty":
        os.utime(db, (1, 1))  # not a database another process is creating this instant
    for command in COMMANDS:
        proc = run_cli(*command, "--db", str(db), check=1, timeout=60)
        assert proc.stderr.strip() == f"error: {db}: {expected}", (command, proc.stderr)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.db"]
    if kind == "empty":
        assert db.stat().st_size == 0


def another_application(path: Path, journal: str = "delete") -> bytes:
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA journal_mode = {journal}")
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    conn.execute("INSERT INTO invoices (total) VALUES (12.5)")
    conn.commit()
    conn.close()
    return path.read_bytes()


def test_another_applications_sqlite_file_is_never_modified(tmp_path: Path):
    db = tmp_path / "accounts.sqlite"
    before = another_application(db)
    for command in (*COMMANDS, ["backup", "-o", str(tmp_path / "b.db")], ["merge", str(tmp_path / "x.db")]):
        proc = run_cli(*command, "--db", str(db), check=1, timeout=60)
        assert proc.stderr.strip() == f"error: {db}: not a glossator database (a SQLite file of another application, " \
                                      "tables: invoices); nothing was changed", (command, proc.stderr)
    assert db.read_bytes() == before, "the file was changed (journal mode, tables, header)"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["accounts.sqlite"]
    assert query(db, "PRAGMA journal_mode")[0][0] == "delete"


def test_a_file_of_another_application_id_is_refused(tmp_path: Path):
    db = tmp_path / "other.db"
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA application_id = 42")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    proc = cli("stats", "--db", str(db), check=1)
    assert "not a glossator database (a SQLite file of another application, application_id 0x2a)" in proc.stderr
    assert db.read_bytes() == before


def test_glossator_databases_are_marked_and_older_ones_too(tmp_path: Path):
    db = tmp_path / "g.db"
    Service.open(db, annotator="alice").close()
    assert query(db, "PRAGMA application_id")[0][0] == APPLICATION_ID
    conn = sqlite3.connect(db)  # what a glossator from before the mark left
    conn.execute("PRAGMA application_id = 0")
    conn.commit()
    conn.close()
    reader = Service.open(db, annotator="alice", readonly=True)  # read-only: opened, not changed
    reader.close()
    assert query(db, "PRAGMA application_id")[0][0] == 0
    Service.open(db, annotator="alice").close()
    assert query(db, "PRAGMA application_id")[0][0] == APPLICATION_ID
