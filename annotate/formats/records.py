"""Export records: one Prodigy-shaped dict per article and annotator, the shape every exporter
reads (``text``, ``meta``, ``tokens``, ``spans``, ``events`` with ``args`` pointing into ``spans``).
Imports no format."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from annotate.formats.filters import ExportFilters, in_range
from annotate.formats.reports import GOLD, ExportReport, FormatReport
from store.models import EVENT, Article, Span
from store.repo import Store


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


def _token_range(tokens: list[dict[str, Any]], start: int, end: int) -> tuple[int, int]:
    """(token_start, token_end inclusive) for a character span."""
    first = next((t["id"] for t in tokens if t["end"] > start), len(tokens) - 1)
    last = next((t["id"] for t in reversed(tokens) if t["start"] < end), first)
    return first, max(first, last)


def task(article: Article, annotator: str, spans: list[Span], args: list[tuple[int, str, int]],
         report: ExportReport | None = None, scores: dict[int, float] | None = None) -> dict[str, Any]:
    """One export record. ``args`` are (event span id, role, argument span id); ``scores``: span id →
    the suggester's calibrated confidence (suggestions only: gold has none)."""
    text = article.text
    tokens = tokens_of(text)
    entity_like = [s for s in spans if s.kind != EVENT]
    events = [s for s in spans if s.kind == EVENT]
    index = {s.id: i for i, s in enumerate(entity_like)}

    def span_dict(s: Span) -> dict[str, Any]:
        # Whether the span cuts a token is each format's business (losses.snap_to_tokens).
        first, last = _token_range(tokens, s.start, s.end)
        out: dict[str, Any] = {"start": s.start, "end": s.end, "token_start": first, "token_end": last,
                               "label": s.label, "text": text[s.start:s.end]}
        if s.kb_id:
            out["kb_id"] = s.kb_id
        if scores and scores.get(s.id) is not None:
            out["score"] = scores[s.id]
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


def iter_records(store: Store, filters: ExportFilters, report: ExportReport) -> Iterator[dict[str, Any]]:
    """The records of the articles and spans the filters select, streamed. Gold: one record per
    annotator whose own review status is wanted (by default: who marked the article done).
    Suggestions: one record per article whose overall status is wanted."""
    statuses = filters.wanted_statuses()
    undated = 0
    for article in store.iter_articles():
        if not in_range(article.date, filters.since, filters.until):
            undated += not article.date
            continue
        if filters.what == GOLD:
            names = sorted(name for name, status in store.reviews(article.id).items()
                           if status in statuses and filters.annotator in (None, name))
            if not names:
                continue
            report.articles += 1
            for name in names:
                spans = _keep(store.spans(article.id, name), filters.labels)
                args = [(a.event_id, a.role, a.span_id) for a in store.event_args(article.id, name)]
                yield task(article, name, spans, args, report=report)
        elif article.status in statuses:
            report.articles += 1
            sugs = store.suggestions(article.id)
            spans = _keep([Span(s.id, s.article_id, s.start, s.end, s.label, s.kind, s.source) for s in sugs],
                          filters.labels)
            args = [(a.event_id, a.role, a.span_id) for a in store.suggested_args(article.id)]
            yield task(article, sugs[0].source if sugs else "", spans, args, report=report,
                       scores={s.id: s.score for s in sugs if s.score is not None})
    if undated and isinstance(report, FormatReport):
        report.notes.append(f"{undated} undated articles are outside --since/--until")


def _keep(spans: list[Span], labels: frozenset[str] | None) -> list[Span]:
    return spans if labels is None else [s for s in spans if s.label in labels]


def warn_shared_articles(records: list[dict[str, Any]], report: ExportReport) -> None:
    """Training formats: say when one article is there twice (two annotators) rather than pick one."""
    by_article: dict[str, list[str]] = {}
    for rec in records:
        by_article.setdefault(rec["meta"]["article_id"], []).append(rec["meta"]["annotator"])
    for article_id, names in by_article.items():
        if len(names) > 1:
            report.warnings.append(f"article {article_id} has gold from {len(names)} annotators "
                                   f"({', '.join(names)}); each is a document, --annotator picks one")
