"""An import's log entries are the text json.dumps writes, with the inserts packed per table
(store/oplog.py), whatever the strings hold; unpacked they are the rows written, and undo and
redo work on them."""

import json

import pytest

from annotate.labels import EVENT_ROLES
from annotate.service import ReviewError, Service
from store.oplog import loads_ops
from tests.paths import GOLD

ODD = 'q"1\\é\u2028%s\n'


def gold_records(text_suffix: str, n: int = 2) -> list[dict]:
    records = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()[:n]]
    for rec in records:
        rec["text"] += text_suffix
        rec["meta"] = {"source": "odd.txt", "annotator": 'bob "%d" \\ é'}
        for span in rec["spans"][:3]:
            span["kb_id"] = ODD
        event = rec["events"][0]
        role = EVENT_ROLES[event["label"]][0]
        event["args"] = [{"role": role, "span": 1}, {"role": role, "span": 2}]
    return records


def test_the_log_entries_are_json_dumps_text_and_undo_redo_work(service, tmp_path):
    path = tmp_path / "g.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in gold_records("\n\nCopie.")),
                    encoding="utf-8")
    report = service.data.import_data(path)
    assert report.spans > 0 and report.events > 0
    db = service.store.db
    rows = db.execute("SELECT ops FROM actions WHERE kind = 'import'").fetchall()
    assert len(rows) == 2
    for (ops,) in rows:
        assert ops == json.dumps(json.loads(ops), ensure_ascii=False)
        assert any("rows" in op for op in json.loads(ops))  # packed
        spans = [op["after"] for op in loads_ops(ops) if op["table"] == "spans" and op["before"] is None]
        stored = {r["id"]: r for r in db.query("SELECT * FROM spans")}
        assert spans and all(stored[s["id"]] == s for s in spans)
    assert db.execute("SELECT count(*) FROM spans WHERE kb_id = ?", [ODD]).fetchone()[0] > 0
    # Undo and redo of the import, as its annotator.
    article_id, annotator = db.execute("SELECT article_id, annotator FROM actions WHERE kind = 'import'").fetchone()
    before = db.execute("SELECT count(*) FROM spans WHERE article_id = ?", [article_id]).fetchone()[0]
    importer = Service.open(service.store.path, annotator=annotator)
    importer.review.undo(article_id)
    assert db.execute("SELECT count(*) FROM spans WHERE article_id = ?", [article_id]).fetchone()[0] == 0
    importer.review.redo(article_id)
    importer.close()
    assert db.execute("SELECT count(*) FROM spans WHERE article_id = ?", [article_id]).fetchone()[0] == before


def test_unpacked_ops_are_the_rows_of_every_table_and_the_log_is_small(service, tmp_path):
    path = tmp_path / "g.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in gold_records("\n\nAutre.", 5)),
                    encoding="utf-8")
    service.data.import_data(path)
    db = service.store.db
    logged: dict[str, dict] = {}
    size = plain = 0
    for (ops,) in db.execute("SELECT ops FROM actions WHERE kind = 'import'"):
        unpacked = loads_ops(ops)
        size, plain = size + len(ops), plain + len(json.dumps(unpacked, ensure_ascii=False))
        for op in unpacked:
            assert set(op) == {"table", "pk", "before", "after"}
            if op["before"] is None:
                assert op["pk"] == (op["after"]["id"] if op["table"] != "reviews" else
                                    [op["after"]["article_id"], op["after"]["annotator"]])
                logged[f'{op["table"]}:{op["pk"]}'] = op["after"]
    for table in ("spans", "event_args", "aliases", "entities"):
        rows = list(db.query(f"SELECT * FROM [{table}]"))
        assert rows and all(logged[f"{table}:{r['id']}"] == r for r in rows), table
        # every column, in the table's order, as a unit of work reads a row
        assert all(list(logged[f"{table}:{r['id']}"]) == list(r) for r in rows)
    assert size * 3 < plain  # one op per row took over three times the text


def test_an_import_undone_after_its_packed_rows_were_changed_is_refused(service, tmp_path):
    path = tmp_path / "g.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in gold_records("\n\nTrois.")[:1]),
                    encoding="utf-8")
    service.data.import_data(path)
    db = service.store.db
    article_id, annotator = db.execute("SELECT article_id, annotator FROM actions WHERE kind = 'import'").fetchone()
    linked = db.execute("SELECT count(*) FROM spans WHERE kb_id = ?", [ODD]).fetchone()[0]
    other = Service.open(service.store.path, annotator="bob")
    label = db.execute("SELECT type FROM entities WHERE id = ?", [ODD]).fetchone()[0]
    other.entities.merge(other.entities.create("Cible", label), [ODD])  # moves the imported mentions
    importer = Service.open(service.store.path, annotator=annotator)
    before = list(db.query("SELECT * FROM spans WHERE article_id = ? ORDER BY id", [article_id]))
    with pytest.raises(ReviewError, match=r"^cannot undo import: a span it changed was changed since by bob \(merge"):
        importer.review.undo(article_id)
    importer.close()
    other.close()
    assert linked and list(db.query("SELECT * FROM spans WHERE article_id = ? ORDER BY id", [article_id])) == before
