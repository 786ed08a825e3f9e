"""Team-copy builders shared by the team tests: the hand gold, bob's perturbed version, one
annotator's own database, and row counts of a merged database."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from annotate.service import Service
from tests.paths import GOLD, SEEDS

TABLES = ("articles", "spans", "event_args", "reviews", "rejections", "entities", "aliases", "actions")


def gold() -> list[dict]:
    """The hand gold of the seeds."""
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]


def perturbed(records: list[dict]) -> list[dict]:
    """Bob's version of the gold: some spans dropped, one relabelled, one boundary moved, and
    two canonical entities made under other ids (one obvious duplicate, one likely duplicate)."""
    out = copy.deepcopy(records)
    for rec in out:
        rec["spans"] = [s for i, s in enumerate(rec["spans"]) if i % 7 != 3]
        for span in rec["spans"]:
            if span.get("kb_id") == "syria":
                span["kb_id"] = "syrie"  # named "Syrie" like alice's "syria": merged as obvious
            if span["text"] == "Romanowski":
                span["kb_id"] = "romanowski"  # "Romanowski" vs "Alina Romanowski": listed
    first = out[0]["spans"]
    nouri = next(s for s in first if s["text"] == "Nouri Al Maliki")
    nouri["label"] = "ORG"
    alina = next(s for s in first if s["text"] == "Alina Romanowski")
    alina["start"] += len("Alina ")
    alina["text"] = out[0]["text"][alina["start"]:alina["end"]]
    return out


def write_jsonl(path: Path, records: list[dict], annotator: str) -> Path:
    """The records as JSONL under one annotator's name."""
    lines = [json.dumps({**r, "meta": {**r.get("meta", {}), "annotator": annotator}}, ensure_ascii=False)
             for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def annotator_copy(folder: Path, name: str, records: list[dict]) -> Path:
    """An annotator's own database: the seeds ingested, their gold imported (done)."""
    db = folder / f"{name}.db"
    svc = Service.open(db, annotator=name)
    svc.data.ingest([SEEDS])
    svc.data.import_jsonl(write_jsonl(folder / f"{name}.jsonl", records, name))
    svc.close()
    return db


def counts(svc: Service) -> dict[str, int]:
    return {t: svc.store.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
