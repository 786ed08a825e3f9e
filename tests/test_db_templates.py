"""The database files most tests start from (tests/db_support.py, fixtures in tests/conftest.py) are
what opening a new file makes: a test on a copy sees the database it would have made itself."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from annotate.service import Service
from tests import db_support
from tests.paths import SEEDS


def dump(path: Path) -> dict[str, object]:
    """Everything in a database file but the migrations' timestamps: pragmas, schema, every row."""
    conn = sqlite3.connect(path)
    try:
        pragmas = {p: conn.execute(f"PRAGMA {p}").fetchone()[0]
                   for p in ("application_id", "user_version", "journal_mode", "page_size", "encoding")}
        schema = sorted(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall(), key=repr)
        rows = {}
        for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
            columns = [c[1] for c in conn.execute(f"PRAGMA table_info([{table}])")
                       if (table, c[1]) != ("_sqlite_migrations", "applied_at")]
            if columns:
                listed = ", ".join(f"[{c}]" for c in columns)
                rows[table] = sorted(conn.execute(f"SELECT {listed} FROM [{table}]").fetchall(), key=repr)
        return {"pragmas": pragmas, "schema": schema, "rows": rows}
    finally:
        conn.close()


def test_a_copy_of_the_empty_template_is_a_new_database(empty_db: Path, tmp_path: Path):
    new = tmp_path / "new.db"
    Service.open(new, annotator="alice").close()
    copy = db_support.copy(empty_db, tmp_path / "copy.db")
    assert dump(copy) == dump(new)
    assert dump(copy)["rows"]["_sqlite_migrations"], "the template is migrated"


def test_a_copy_of_the_seeds_template_is_the_seeds_ingested(seeds_db: Path, tmp_path: Path):
    new = tmp_path / "new.db"
    svc = Service.open(new, annotator="alice")
    svc.data.ingest([SEEDS])
    svc.close()
    copy, made = dump(db_support.copy(seeds_db, tmp_path / "copy.db")), dump(new)
    # The ingest time is the one difference: the rows are the same otherwise.
    at = ("created_at", "updated_at")
    columns = [c[1] for c in sqlite3.connect(new).execute("PRAGMA table_info(articles)")]
    stamps = [columns.index(c) for c in at if c in columns]
    for d in (copy, made):
        d["rows"]["articles"] = [tuple(v for i, v in enumerate(r) if i not in stamps) for r in d["rows"]["articles"]]
    assert copy == made
    assert len(copy["rows"]["articles"]) == len(list(SEEDS.glob("*.txt")))


def test_a_template_still_open_is_refused(tmp_path: Path):
    """A -wal beside the file would hold pages a copy of the file alone misses."""
    path = tmp_path / "open.db"
    held = Service.open(path, annotator="alice")
    try:
        held.data.ingest([SEEDS])
        with pytest.raises(AssertionError, match="still open"):
            db_support.build(path)
    finally:
        held.close()
