"""Reading gold back from JSONL (our export, Prodigy ``ner_manual`` output, or plain
``{"text", "spans"}`` lines). The whole file is checked first; then it is written in one
transaction, so a bad line changes nothing."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotate.formats.import_write import write_records
from annotate.entities.kb import slugify
from annotate.formats.shapes import (
    SKIPPED_ANSWERS,
    ShapeError,
    annotator_of,
    check_keys,
    from_doccano,
    from_doccano_relations,
    shape_of,
)
from annotate.corpus.ingest import InputError
from annotate.corpus.jsonlines import BadLine, iter_lines, loads_line
from annotate.labels import EVENT_ROLES, EventRoles, kind_of
from annotate.review.state import layer_of, overlaps, trim
from store.models import EVENT
from store.repo import Store


@dataclass(frozen=True)
class _SpanIn:
    start: int
    end: int
    label: str
    kind: str
    kb_id: str | None


@dataclass
class _Record:
    line: int
    text: str
    meta: dict[str, Any]
    annotator: str
    spans: list[_SpanIn]
    events: list[tuple[_SpanIn, list[tuple[str, int]]]]
    warnings: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    """What an import did."""

    articles: int = 0
    new_articles: int = 0
    spans: int = 0
    events: int = 0
    entities_created: int = 0
    errors: list[str] = field(default_factory=list)
    answers_skipped: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the terminal."""
        text = (f"{self.articles} articles ({self.new_articles} new), {self.spans} spans, {self.events} events, "
                f"{self.entities_created} canonical entities created")
        if self.answers_skipped:
            detail = ", ".join(f"{n} {answer}" for answer, n in sorted(self.answers_skipped.items()))
            text += f"; {sum(self.answers_skipped.values())} lines not accepted skipped ({detail})"
        return text


class LineError(Exception):
    pass


class SkippedLine(Exception):
    """A Prodigy line answered reject or ignore: not gold, counted and left out."""


def _int(obj: dict[str, Any], key: str, where: str) -> int:
    value = obj.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise LineError(f"{where}: \"{key}\" must be an integer, got {value!r}")
    return value


def _span(obj: Any, text: str, where: str, entity_labels: tuple[str, ...], want_event: bool,
          warnings: list[str]) -> _SpanIn:
    if not isinstance(obj, dict):
        raise LineError(f"{where}: must be an object")
    start, end = _int(obj, "start", where), _int(obj, "end", where)
    label = obj.get("label")
    if not isinstance(label, str) or not label:
        raise LineError(f"{where}: \"label\" must be a non-empty string")
    if not 0 <= start < end <= len(text):
        raise LineError(f"{where}: offsets {start}-{end} are outside the text (length {len(text)})")
    if "text" in obj and obj["text"] != text[start:end]:
        raise LineError(f"{where}: text {obj['text']!r} does not match the article at {start}-{end} "
                         f"({text[start:end]!r})")
    trimmed = trim(text, start, end)
    if trimmed != (start, end):
        # Other tools let a selection take the space after a word (or the CR of a CRLF line end);
        # gold never starts or ends on whitespace.
        if trimmed[0] == trimmed[1]:
            raise LineError(f"{where}: span {start}-{end} {text[start:end]!r} is only whitespace")
        warnings.append(f"{where}: span {start}-{end} {text[start:end]!r} trimmed of whitespace to "
                        f"{trimmed[0]}-{trimmed[1]}")
        start, end = trimmed
    kind = kind_of(label, entity_labels)
    if kind is None:
        raise LineError(f"{where}: unknown label {label!r}")
    if want_event != (kind == EVENT):
        raise LineError(f"{where}: label {label} does not belong in {'events' if want_event else 'spans'}")
    kb_id = obj.get("kb_id")
    if kb_id is not None and (not isinstance(kb_id, str) or not kb_id):
        raise LineError(f"{where}: \"kb_id\" must be a non-empty string")
    return _SpanIn(start, end, label, kind, kb_id)


def parse_line(raw: str, n: int, path: Path, default_annotator: str, entity_labels: tuple[str, ...],
               event_roles: EventRoles = EVENT_ROLES) -> _Record:
    """Validate one line; raises LineError with a message naming file and line."""
    where = f"{path}, line {n}"
    try:
        obj = loads_line(raw)  # invalid JSON, too deep, too many digits, lone surrogates
    except BadLine as exc:
        raise LineError(f"{where}: {exc}") from exc
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str) or not obj["text"]:
        raise LineError(f"{where}: expected an object with a non-empty \"text\" string")
    text = obj["text"]
    meta = obj.get("meta") or {}
    if not isinstance(meta, dict):
        raise LineError(f"{where}: \"meta\" must be an object")
    answer = obj.get("answer", "accept")
    if answer in SKIPPED_ANSWERS:
        raise SkippedLine(answer)
    if answer != "accept":
        raise LineError(f"{where}: only accepted answers are gold (answer is {answer!r})")
    try:
        shape = shape_of(obj)
        check_keys(obj, shape)
        if shape == "doccano":
            obj = {**obj, **from_doccano(obj, meta, entity_labels)}
            meta = {k: v for k, v in meta.items() if k not in ("kb_id", "events")}
        elif shape == "doccano-relations":
            obj = {**obj, **from_doccano_relations(obj, entity_labels)}
    except ShapeError as exc:
        raise LineError(f"{where}: {exc}") from None
    raw_spans = obj.get("spans") or []
    raw_events = obj.get("events") or []
    if not isinstance(raw_spans, list) or not isinstance(raw_events, list):
        raise LineError(f"{where}: \"spans\" and \"events\" must be lists")
    warnings: list[str] = []
    spans = [_span(s, text, f"{where}, spans[{i}]", entity_labels, False, warnings) for i, s in enumerate(raw_spans)]
    events = []
    for i, ev in enumerate(raw_events):
        span = _span(ev, text, f"{where}, events[{i}]", entity_labels, True, warnings)
        args = []
        raw_args = ev.get("args") or []
        if not isinstance(raw_args, list):
            raise LineError(f"{where}, events[{i}]: \"args\" must be a list")
        for j, arg in enumerate(raw_args):
            at = f"{where}, events[{i}].args[{j}]"
            if not isinstance(arg, dict) or not isinstance(arg.get("role"), str):
                raise LineError(f"{at}: expected {{\"role\": ..., \"span\": index}}")
            idx = _int(arg, "span", at)
            if not 0 <= idx < len(spans):
                raise LineError(f"{at}: span index {idx} is not in spans (0–{len(spans) - 1})")
            if arg["role"] not in event_roles.get(span.label, ()):
                raise LineError(f"{at}: {span.label} has no role {arg['role']!r}")
            args.append((arg["role"], idx))
        events.append((span, args))
    _check_overlaps(spans, where, "spans")
    _check_overlaps([e for e, _ in events], where, "events")
    annotator = annotator_of(obj, meta, default_annotator)
    unique, position = _dedupe(spans)
    events = [(ev, [(role, position[idx]) for role, idx in args]) for ev, args in events]
    return _Record(n, text, meta, annotator, unique, events, warnings)


def _dedupe(spans: list[_SpanIn]) -> tuple[list[_SpanIn], list[int]]:
    """Exact duplicates collapse into one span; returns the spans and, per input index, its new index."""
    unique: dict[_SpanIn, int] = {}
    position = [unique.setdefault(s, len(unique)) for s in spans]
    return list(unique), position


def _check_overlaps(spans: list[_SpanIn], where: str, what: str) -> None:
    ordered = sorted(set(spans), key=lambda s: (s.start, s.end))
    for a, b in zip(ordered, ordered[1:]):
        if layer_of(a.kind) == layer_of(b.kind) and overlaps(a.start, a.end, b.start, b.end):
            raise LineError(f"{where}: {what} {a.start}-{a.end} ({a.label}) and {b.start}-{b.end} ({b.label}) overlap")


def read_records(path: Path, default_annotator: str, entity_labels: tuple[str, ...],
                 event_roles: EventRoles = EVENT_ROLES, skipped: Counter | None = None) -> list[_Record]:
    """Parse and validate a whole file; InputError listing the bad lines if any. Lines answered
    reject or ignore are counted in ``skipped`` (by answer) and left out."""
    records, errors = [], []
    # Read line by line (only "\n" ends a line, not U+2028); FIFOs and folders are refused first.
    for n, raw in iter_lines(path):
        try:
            records.append(parse_line(raw, n, path, default_annotator, entity_labels, event_roles))
        except SkippedLine as exc:
            if skipped is not None:
                skipped[str(exc)] += 1
        except LineError as exc:
            errors.append(str(exc))
    if errors:
        more = f"\n… and {len(errors) - 10} more" if len(errors) > 10 else ""
        raise InputError("\n".join(errors[:10]) + more + "\nnothing was imported")
    return records


def import_jsonl(store: Store, path: Path, default_annotator: str, entity_labels: tuple[str, ...],
                 event_roles: EventRoles = EVENT_ROLES) -> ImportReport:
    """Import gold from JSONL; the articles count as reviewed (done)."""
    report = ImportReport()
    records = read_records(path, default_annotator, entity_labels, event_roles, report.answers_skipped)
    report.warnings.extend(w for rec in records for w in rec.warnings)
    names = _fullest_names(records)
    write_records(store, records, report, names)
    return report


def _fullest_names(records: list[_Record]) -> dict[str, str]:
    """kb_id → the surface form that best names a new entity.

    The slug was chosen by the annotators to name the referent (``iraq``, ``nouri_al_maliki``),
    so the form closest to it wins (Irak, not Baghdad, for a metonymic ``iraq``); then the
    fullest (most words, longest).
    """
    from rapidfuzz import fuzz

    forms: dict[str, set[str]] = {}
    for rec in records:
        for s in rec.spans:
            if s.kb_id:
                forms.setdefault(s.kb_id, set()).add(" ".join(rec.text[s.start:s.end].split()))

    def rank(kb_id: str, text: str) -> tuple[float, int, int, str]:
        return (fuzz.ratio(slugify(text).replace("_", " "), kb_id.replace("_", " ")), len(text.split()), len(text), text)

    return {kb_id: max(texts, key=lambda t: rank(kb_id, t)) for kb_id, texts in forms.items()}
