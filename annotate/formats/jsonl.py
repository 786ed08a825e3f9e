"""Prodigy-compatible JSONL export of gold or suggestions, streamed and written atomically."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from annotate.formats.atomic import atomic_writer
from store.models import EVENT, Article, Span
from store.repo import Store

GOLD = "gold"
SUGGESTIONS = "suggestions"


@dataclass
class ExportReport:
    """Counts and warnings of one export."""

    articles: int = 0
    lines: int = 0
    labels: Counter = field(default_factory=Counter)
    events: int = 0
    warnings: list[str] = field(default_factory=list)
    losses: Counter = field(default_factory=Counter)  # what the format could not hold → how many

    def summary(self) -> str:
        """Human summary for the terminal."""
        from annotate.formats.losses import summary_of

        per_label = ", ".join(f"{k} {v}" for k, v in sorted(self.labels.items())) or "no spans"
        text = f"{self.lines} lines from {self.articles} articles; {per_label}; {self.events} events"
        text += f"; {summary_of(self)}"
        if self.warnings:
            text += f"; {len(self.warnings)} warnings"
        return text


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    import spacy

    return spacy.blank("fr").tokenizer


def tokens_of(text: str) -> list[dict[str, Any]]:
    """Prodigy tokens of a text (spaCy's French tokenizer; no model needed)."""
    doc = _tokenizer()(text)
    return [
        {"text": t.text, "start": t.idx, "end": t.idx + len(t.text), "id": t.i, "ws": bool(t.whitespace_)}
        for t in doc
    ]


def stable_hash(*parts: Any) -> int:
    """A signed 32-bit hash of JSON-able parts, stable across runs and machines."""
    blob = json.dumps(parts, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return int.from_bytes(hashlib.sha1(blob).digest()[:4], "big", signed=True)


def _token_range(tokens: list[dict[str, Any]], start: int, end: int) -> tuple[int, int, bool]:
    """(token_start, token_end inclusive, aligned) for a character span."""
    first = next((t["id"] for t in tokens if t["end"] > start), len(tokens) - 1)
    last = next((t["id"] for t in reversed(tokens) if t["start"] < end), first)
    aligned = tokens[first]["start"] == start and tokens[last]["end"] == end
    return first, max(first, last), aligned


def task(article: Article, annotator: str, spans: list[Span], args: list[tuple[int, str, int]],
         names: dict[str, str] | None = None, report: ExportReport | None = None) -> dict[str, Any]:
    """One JSONL record. ``args`` are (event span id, role, argument span id)."""
    text = article.text
    tokens = tokens_of(text)
    entity_like = [s for s in spans if s.kind != EVENT]
    events = [s for s in spans if s.kind == EVENT]
    index = {s.id: i for i, s in enumerate(entity_like)}

    def span_dict(s: Span) -> dict[str, Any]:
        # Whether the span cuts a token is each format's business (export_losses.snap_to_tokens).
        first, last, _aligned = _token_range(tokens, s.start, s.end)
        out: dict[str, Any] = {"start": s.start, "end": s.end, "token_start": first, "token_end": last,
                               "label": s.label, "text": text[s.start:s.end]}
        if s.kb_id:
            out["kb_id"] = s.kb_id
        if report is not None:
            report.labels[s.label] += 1
        return out

    out_spans = [span_dict(s) for s in entity_like]
    out_events = []
    for ev in events:
        record = span_dict(ev)
        record["args"] = [{"role": role, "span": index[a]} for e, role, a in args if e == ev.id and a in index]
        out_events.append(record)
    if report is not None:
        report.events += len(out_events)
    meta = {"source": article.source, "article_id": article.id, "title": article.title, "date": article.date,
            "annotator": annotator}
    input_hash = stable_hash(text)
    return {
        "text": text,
        "meta": meta,
        "tokens": tokens,
        "spans": out_spans,
        "events": out_events,
        "answer": "accept",
        "_input_hash": input_hash,
        "_task_hash": stable_hash(input_hash, out_spans, out_events),
        "_view_id": "ner_manual",
    }


def iter_tasks(store: Store, what: str = GOLD, annotator: str | None = None,
               report: ExportReport | None = None) -> Iterator[dict[str, Any]]:
    """Records one article at a time (memory stays flat on large corpora).

    Gold: one record per annotator who marked the article done.
    """
    for article in store.iter_articles():
        if what == GOLD:
            who = [n for n in store.done_by(article.id) if annotator in (None, n)]
            if not who:
                continue
            if report is not None:
                report.articles += 1
            for name in who:
                spans = store.spans(article.id, name)
                args = [(a.event_id, a.role, a.span_id) for a in store.event_args(article.id, name)]
                yield task(article, name, spans, args, report=report)
        else:
            if report is not None:
                report.articles += 1
            sugs = store.suggestions(article.id)
            spans = [Span(s.id, s.article_id, s.start, s.end, s.label, s.kind, s.source) for s in sugs]
            args = [(a.event_id, a.role, a.span_id) for a in store.suggested_args(article.id)]
            source = sugs[0].source if sugs else ""
            yield task(article, source, spans, args, report=report)


def export_jsonl(store: Store, target: str | Path, what: str = GOLD, annotator: str | None = None) -> ExportReport:
    """Write the JSONL export to ``target`` (``-`` for stdout), atomically."""
    from annotate.formats.losses import snap_to_tokens

    report = ExportReport()
    with atomic_writer(target, database=store.path) as stream:
        for record in iter_tasks(store, what, annotator, report):
            record = snap_to_tokens(record, report)
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
            report.lines += 1
    return report
