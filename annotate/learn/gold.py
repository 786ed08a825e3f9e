"""The gold a model learns from: reviewed articles' entity spans, event triggers and rejections."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from annotate.labels import VALUE_LABELS
from store.repo import Store

ENTITY_LABELS = ("PER", "ORG", "LOC", "MISC")
Span = tuple[int, int, str]


@dataclass(frozen=True)
class GoldDoc:
    """One reviewed text: its gold entity spans and event triggers, and what reviewers rejected."""

    text: str
    entities: tuple[Span, ...]
    events: tuple[Span, ...] = ()
    rejected: tuple[Span, ...] = ()  # suggestions (entity layer) a reviewer said are not entities
    source: str = ""
    values: tuple[Span, ...] | None = None  # DATE / QUANTITY spans; None: not annotated in this gold
    linked: tuple[tuple[str, str, str], ...] = ()  # (surface, label, kb_id) of mentions linked to the KB


def from_record(record: dict[str, Any], rejected: Iterable[Span] = ()) -> GoldDoc:
    """A GoldDoc from a Prodigy-shaped record (the export's, or ``tests/data/seeds_gold.jsonl``)."""
    ents = tuple(sorted((s["start"], s["end"], s["label"]) for s in record.get("spans", ())
                        if s["label"] in ENTITY_LABELS))
    events = tuple(sorted((s["start"], s["end"], s["label"]) for s in record.get("events", ())))
    values = tuple(sorted((s["start"], s["end"], s["label"]) for s in record.get("spans", ())
                          if s["label"] in VALUE_LABELS))
    linked = tuple(sorted({(record["text"][s["start"]:s["end"]], s["label"], s["kb_id"]) for s in record.get("spans", ())
                           if s.get("kb_id") and s["label"] in ENTITY_LABELS}))
    return GoldDoc(record["text"], ents, events, tuple(sorted(rejected)), str(record.get("meta", {}).get("source", "")),
                   values if values else None, linked)


def load_jsonl(path: str | Path) -> list[GoldDoc]:
    """Gold documents of a JSONL file of records."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [from_record(json.loads(line)) for line in lines if line.strip()]


def load_seeds(gold: str | Path, args: str | Path | None = None) -> list[GoldDoc]:
    """The seed gold (``tests/data/seeds_gold.jsonl``) with the value spans of its argument file."""
    docs = load_jsonl(gold)
    if args is None or not Path(args).exists():
        return docs
    values = {}
    for line in Path(args).read_text(encoding="utf-8").splitlines():
        if line.strip():
            rec = json.loads(line)
            values[rec["source"]] = tuple(sorted((v["start"], v["end"], v["label"]) for v in rec.get("values", ())))
    return [replace(d, values=values.get(d.source, d.values)) for d in docs]


def from_store(store: Store) -> list[GoldDoc]:
    """Every annotator's gold of the articles they marked done (what the export writes)."""
    from annotate.formats.filters import ExportFilters
    from annotate.formats.records import iter_records
    from annotate.formats.reports import FormatReport

    out = []
    for record in iter_records(store, ExportFilters(), FormatReport()):
        meta = record["meta"]
        rejected = [(s, e, lab) for s, e, lab, kind in store.rejections(meta["article_id"], meta["annotator"])
                    if kind == "entity"]
        out.append(from_record(record, rejected))
    return out


def known_from(docs: Iterable[GoldDoc]) -> list[tuple[str, str, str]]:
    """The known names that importing these docs' gold gives the suggester (their linked mentions)."""
    return sorted({name for d in docs for name in d.linked})


def gold_hash(docs: Iterable[GoldDoc]) -> str:
    """Hash of the gold a model was trained on (recorded in its ``meta.json``)."""
    h = hashlib.sha256()
    for d in docs:
        h.update(json.dumps([d.text, d.entities, d.events, d.rejected], ensure_ascii=False).encode("utf-8"))
    return h.hexdigest()[:16]
