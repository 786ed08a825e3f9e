"""The rows a sequence of imports writes, in a form that can be compared across code versions.

:func:`import_rows` runs the same imports on a new database (over ingested seed articles, new
articles, two annotators, a re-import that replaces gold, several batches, a brat folder) and
returns every row of the tables an import writes, log entries decoded, timestamps replaced by
``"<time>"`` and article texts by their SHA-1. ``tests/data/import_rows.json`` holds what the code
before the import's speed-up returned (recorded by ``tests/data/build_import_rows.py --code DIR``,
which runs DIR's code); ``tests/annotate/test_import_rows.py`` compares ours to it.

Only the service's public calls are used, so the recorder can run an older tree's code.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

TABLES = {"articles": "id", "spans": "id", "event_args": "id", "aliases": "id", "entities": "id",
          "entity_ids": "id", "id_sequences": "name", "reviews": "article_id, annotator", "actions": "id",
          "flags": "id"}
TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00$")
ODD = 'q"1\\é\u2028 😀'  # quotes, a backslash, a line separator, a character outside the BMP


def _normal(value: Any) -> Any:
    if isinstance(value, str) and TIME.match(value):
        return "<time>"
    if isinstance(value, dict):
        return {k: _normal(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normal(v) for v in value]
    return value


def _write(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def _role(event: dict[str, Any], k: int) -> str:
    from annotate.labels import EVENT_ROLES

    return EVENT_ROLES[event["label"]][k]


def _records(gold: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines()]


def _first_file(gold: Path) -> list[dict[str, Any]]:
    """The seed gold as alice's, on the ingested seed texts: event arguments, a span to trim,
    an exact duplicate, odd kb ids, a flag."""
    records = _records(gold)
    for n, rec in enumerate(records):
        spans, events = rec["spans"], rec["events"]
        events[0]["args"] = [{"role": _role(events[0], 0), "span": 0}, {"role": _role(events[0], 1), "span": 1}]
        events[1]["args"] = [{"role": _role(events[1], 1), "span": 2}]
        spans.append(dict(spans[3]))  # an exact duplicate: collapses into one
        if n == 1:
            spans[4] = {**spans[4], "kb_id": ODD}
            spans[5] = {**spans[5], "kb_id": ODD}
        if n == 2:
            spans[0] = {k: v for k, v in spans[0].items() if k != "text"}
            spans[0]["end"] += 1  # takes the space after the word: trimmed, with a warning
        if n == 3:
            rec["meta"] = {**rec["meta"], "flag": {"note": "à revoir"}}
    return records


def _second_file(gold: Path) -> list[dict[str, Any]]:
    """New articles by bob and carol (meta.annotator), one article twice for bob (the later
    replaces the earlier), a linked mention holding a line break."""
    seeds = _records(gold)
    out = []
    for i in range(6):
        rec = json.loads(json.dumps(seeds[i % len(seeds)]))
        rec["text"] += f"\n\nCopie {i // 2}."
        rec["meta"] = {"source": f"copy_{i}.txt", "annotator": ("bob", "carol")[i % 2], "title": f"Titre {i}"}
        rec["spans"] = rec["spans"][i:i + 20]
        rec["events"] = rec["events"][:4]
        rec["events"][0]["args"] = [{"role": _role(rec["events"][0], 0), "span": 0}]
        for s in rec["spans"][::3]:
            s["kb_id"] = s.get("kb_id") or f"nouveau_{i}"
        out.append(rec)
    again = json.loads(json.dumps(out[0]))
    again["spans"] = again["spans"][5:12]
    again["events"] = again["events"][1:2]
    out.append(again)
    text = "Nouri\nal-Maliki a rencontré Alina Romanowski à Bagdad.\n"
    out.append({"text": text, "meta": {"source": "break.txt", "annotator": "bob"},
                "spans": [{"start": 0, "end": 15, "label": "PER", "kb_id": "nouri_al_maliki"},
                          {"start": 28, "end": 44, "label": "PER", "kb_id": "alina_romanowski"},
                          {"start": 47, "end": 53, "label": "LOC", "kb_id": ODD}],
                "events": [{"start": 18, "end": 27, "label": "MEETING",
                            "args": [{"role": "participants", "span": 0}, {"role": "participants", "span": 1}]}]})
    return out


def _third_file(gold: Path) -> list[dict[str, Any]]:
    """The first file again, changed: fewer spans, other labels, other arguments (replaces alice's gold)."""
    records = _first_file(gold)
    for n, rec in enumerate(records):
        rec["spans"] = rec["spans"][n:len(rec["spans"]) // 2]
        for s in rec["spans"][::4]:
            s["label"] = "MISC" if s["label"] != "MISC" else "ORG"
        rec["events"] = rec["events"][1:]
        rec["events"][0]["args"] = []
        rec["meta"] = {k: v for k, v in rec["meta"].items() if k != "flag"}
    return records


def _fourth_file(gold: Path) -> list[dict[str, Any]]:
    """Five new articles by dan, written two per batch."""
    seeds = _records(gold)
    out = []
    for i in range(5):
        rec = json.loads(json.dumps(seeds[i]))
        rec["text"] = f"Dépêche {i}.\n\n" + rec["text"]
        shift = len(f"Dépêche {i}.\n\n")
        for s in rec["spans"] + rec["events"]:
            s["start"] += shift
            s["end"] += shift
        rec["meta"] = {"source": f"dan_{i}.txt", "annotator": "dan", "date": f"2024-01-0{i + 1}"}
        out.append(rec)
    return out


def dump(db: Path) -> dict[str, Any]:
    """Every row of the tables an import writes (normalised), and what full-text search finds."""
    import sqlite3

    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    out: dict[str, Any] = {}
    for table, key in TABLES.items():
        rows = []
        for row in conn.execute(f"SELECT * FROM [{table}] ORDER BY {key}"):
            row = dict(row)
            if table == "articles":
                row["text"] = hashlib.sha1(row["text"].encode("utf-8")).hexdigest()
            if table == "actions":
                row["ops"] = json.loads(row["ops"])
            rows.append(_normal(row))
        out[table] = rows
    out["search"] = {term: [r[0] for r in conn.execute(
        "SELECT a.id FROM articles_fts f JOIN articles a ON a.rowid = f.rowid WHERE articles_fts MATCH ? "
        "ORDER BY a.id", [term])] for term in ("Copie", "Dépêche", "Maliki", "Romanowski", "Titre")}
    conn.close()
    return out


def import_rows(folder: Path, gold: Path, seeds: Path) -> dict[str, Any]:
    """Run the imports on a new database in ``folder``; the rows and each import's report."""
    from annotate.formats import import_write
    from annotate.service import Service

    db = folder / "rows.db"
    reports = []

    def report(r: Any) -> None:
        reports.append({"summary": r.summary(), "skipped": list(r.skipped),
                        "warnings": [w.replace(str(folder), "<folder>") for w in r.warnings]})

    alice = Service.open(db, annotator="alice")
    alice.data.ingest([seeds])
    report(alice.data.import_data(_write(folder / "a.jsonl", _first_file(gold))))
    report(alice.data.import_data(_write(folder / "b.jsonl", _second_file(gold))))
    report(alice.data.import_data(_write(folder / "c.jsonl", _third_file(gold))))
    saved = import_write.MAX_BATCH, import_write.PAUSE_SECONDS
    import_write.MAX_BATCH, import_write.PAUSE_SECONDS = 2, 0.0
    try:
        report(alice.data.import_data(_write(folder / "d.jsonl", _fourth_file(gold))))
    finally:
        import_write.MAX_BATCH, import_write.PAUSE_SECONDS = saved
    alice.data.export_data(folder / "brat", fmt="brat", annotator="carol")
    erin = Service.open(db, annotator="erin")
    report(erin.data.import_data(folder / "brat"))
    erin.close()
    alice.close()
    return {"reports": reports, **dump(db)}


def encode(rows: dict[str, Any]) -> str:
    """The JSON text of ``import_rows``'s result: one row a line, so that a diff names the row."""
    parts = []
    for name, value in rows.items():
        if isinstance(value, list):
            body = ",\n".join("  " + json.dumps(v, ensure_ascii=False, sort_keys=True) for v in value)
            parts.append(f"{json.dumps(name)}: [\n{body}\n]")
        else:
            parts.append(f"{json.dumps(name)}: {json.dumps(value, ensure_ascii=False, sort_keys=True)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"
