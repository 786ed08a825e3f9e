"""An import's log entries are the text json.dumps writes (import_write encodes span ops itself),
whatever the strings hold, and undo and redo work on them."""

import json

from annotate.service import Service
from tests.paths import GOLD

ODD = 'q"1\\é\u2028%s\n'


def gold_records(text_suffix: str) -> list[dict]:
    records = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()[:2]]
    for rec in records:
        rec["text"] += text_suffix
        rec["meta"] = {"source": "odd.txt", "annotator": 'bob "%d" \\ é'}
        for span in rec["spans"][:3]:
            span["kb_id"] = ODD
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
        spans = [op["after"] for op in json.loads(ops) if op["table"] == "spans" and op["before"] is None]
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
