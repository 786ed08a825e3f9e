"""An import writes the rows, log entries included, that the code before its speed-up wrote
(tests/data/import_rows.json, recorded from that code by tests/data/build_import_rows.py), and
its articles' full-text index is whole."""

import json
import sqlite3

from tests.annotate.import_rows_support import import_rows
from tests.paths import DATA, GOLD, SEEDS


def test_the_imports_write_the_rows_the_code_before_wrote(tmp_path):
    expected = json.loads((DATA / "import_rows.json").read_text(encoding="utf-8"))
    got = import_rows(tmp_path, GOLD, SEEDS)
    assert list(got) == list(expected)
    for name, rows in expected.items():
        if got[name] != rows and isinstance(rows, list) and len(got[name]) == len(rows):
            first = next(i for i, (a, b) in enumerate(zip(got[name], rows)) if a != b)
            assert got[name][first] == rows[first], f"{name}, row {first}"
        assert got[name] == rows, name
    conn = sqlite3.connect(tmp_path / "rows.db")
    # Raises unless the index holds exactly the articles' titles and texts.
    conn.execute("INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)")
    conn.close()


def test_an_import_into_tables_with_a_column_more_writes_and_logs_full_rows(service, tmp_path):
    # Rows are built as tuples in the columns' usual order; a table with another column (a later
    # migration) takes them through the other path, which must write and log the same rows.
    from annotate.labels import EVENT_ROLES
    from store.oplog import loads_ops

    db = service.store.db
    for table in ("spans", "event_args", "aliases"):
        db.execute(f"ALTER TABLE {table} ADD COLUMN extra TEXT")
    records = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()[:2]]
    for rec in records:
        rec["events"][0]["args"] = [{"role": EVENT_ROLES[rec["events"][0]["label"]][0], "span": 0}]
    path = tmp_path / "g.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    service.data.import_data(path)
    logged = {(op["table"], op["pk"]): op["after"] for (ops,) in db.execute("SELECT ops FROM actions")
              for op in loads_ops(ops) if op["before"] is None and op["table"] in ("spans", "event_args", "aliases")}
    for table in ("spans", "event_args", "aliases"):
        rows = list(db.query(f"SELECT * FROM [{table}]"))
        assert rows and all(r["extra"] is None for r in rows)
        assert all(list(logged[(table, r["id"])].items()) == list(r.items()) for r in rows), table
