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
