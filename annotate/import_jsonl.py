"""Reading gold back from JSONL (our export, Prodigy ``ner_manual`` output, or plain
``{"text", "spans"}`` lines). The whole file is checked first; then it is written in one
transaction, so a bad line changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotate import kb
from annotate.kb import slugify
from annotate.ingest import InputError, build_article
from annotate.jsonlines import BadLine, iter_lines, loads_line
from annotate.labels import EVENT_ROLES, EventRoles, kind_of
from annotate.review import layer_of, overlaps
from annotate.status import set_review
from store.actions import now
from store.models import DONE, ENTITY, EVENT
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


@dataclass
class ImportReport:
    """What an import did."""

    articles: int = 0
    new_articles: int = 0
    spans: int = 0
    events: int = 0
    entities_created: int = 0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the terminal."""
        return (f"{self.articles} articles ({self.new_articles} new), {self.spans} spans, {self.events} events, "
                f"{self.entities_created} canonical entities created")


class LineError(Exception):
    pass


def _int(obj: dict[str, Any], key: str, where: str) -> int:
    value = obj.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise LineError(f"{where}: \"{key}\" must be an integer, got {value!r}")
    return value


def _span(obj: Any, text: str, where: str, entity_labels: tuple[str, ...], want_event: bool) -> _SpanIn:
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
    if obj.get("answer", "accept") != "accept":
        raise LineError(f"{where}: only accepted answers are gold (answer is {obj.get('answer')!r})")
    raw_spans = obj.get("spans") or []
    raw_events = obj.get("events") or []
    if not isinstance(raw_spans, list) or not isinstance(raw_events, list):
        raise LineError(f"{where}: \"spans\" and \"events\" must be lists")
    spans = [_span(s, text, f"{where}, spans[{i}]", entity_labels, False) for i, s in enumerate(raw_spans)]
    events = []
    for i, ev in enumerate(raw_events):
        span = _span(ev, text, f"{where}, events[{i}]", entity_labels, True)
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
    annotator = str(meta.get("annotator") or default_annotator)
    unique, position = _dedupe(spans)
    events = [(ev, [(role, position[idx]) for role, idx in args]) for ev, args in events]
    return _Record(n, text, meta, annotator, unique, events)


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


def iter_records(path: Path, default_annotator: str, entity_labels: tuple[str, ...],
                 event_roles: EventRoles = EVENT_ROLES) -> Iterator[_Record | str]:
    """Each line of the file, streamed from disk: a validated record, or the error message of a
    bad line. InputError when the file as a whole cannot be read (not UTF-8, binary, empty)."""
    for n, raw in iter_lines(path):
        try:
            yield parse_line(raw, n, path, default_annotator, entity_labels, event_roles)
        except LineError as exc:
            yield str(exc)
        except MemoryError:
            yield f"{path}, line {n}: too large to check in memory"


def check_records(path: Path, default_annotator: str, entity_labels: tuple[str, ...],
                  event_roles: EventRoles = EVENT_ROLES) -> tuple[dict[str, str], int]:
    """Validate a whole file, one line at a time (memory stays flat on a multi-GiB file); returns
    the names of new entities and the number of records. InputError listing the bad lines if any."""
    errors: list[str] = []
    forms: dict[str, set[str]] = {}
    count = 0
    for rec in iter_records(path, default_annotator, entity_labels, event_roles):
        if isinstance(rec, str):
            errors.append(rec)
            continue
        count += 1
        _add_forms(forms, rec)
    if errors:
        more = f"\n… and {len(errors) - 10} more" if len(errors) > 10 else ""
        raise InputError("\n".join(errors[:10]) + more + "\nnothing was imported")
    return _fullest_names(forms), count


def read_records(path: Path, default_annotator: str, entity_labels: tuple[str, ...],
                 event_roles: EventRoles = EVENT_ROLES) -> list[_Record]:
    """Parse and validate a whole file into memory; InputError listing the bad lines if any."""
    check_records(path, default_annotator, entity_labels, event_roles)
    return [r for r in iter_records(path, default_annotator, entity_labels, event_roles) if not isinstance(r, str)]


def import_jsonl(store: Store, path: Path, default_annotator: str, entity_labels: tuple[str, ...],
                 event_roles: EventRoles = EVENT_ROLES) -> ImportReport:
    """Import gold from JSONL; the articles count as reviewed (done).

    Two passes over the file, neither holding it in memory: every line is checked first (a bad
    line imports nothing), then the lines are read again and written in one transaction. A file
    changed between the passes is caught by the same checks and rolls everything back."""
    names, _ = check_records(path, default_annotator, entity_labels, event_roles)
    report = ImportReport()
    with store.db.atomic():
        for rec in iter_records(path, default_annotator, entity_labels, event_roles):
            if isinstance(rec, str):
                raise InputError(f"{rec}\n{path} changed while being imported; nothing was imported")
            names.update({k: v for k, v in _fullest_names(_add_forms({}, rec)).items() if k not in names})
            write_record(store, rec, report, names)
    return report


def _add_forms(forms: dict[str, set[str]], rec: _Record) -> dict[str, set[str]]:
    """Collect the surface forms of the record's linked spans (kb_id → forms)."""
    for s in rec.spans:
        if s.kb_id:
            forms.setdefault(s.kb_id, set()).add(" ".join(rec.text[s.start:s.end].split()))
    return forms


def _fullest_names(forms: dict[str, set[str]]) -> dict[str, str]:
    """kb_id → the surface form that best names a new entity.

    The slug was chosen by the annotators to name the referent (``iraq``, ``nouri_al_maliki``),
    so the form closest to it wins (Irak, not Baghdad, for a metonymic ``iraq``); then the
    fullest (most words, longest).
    """
    from rapidfuzz import fuzz

    def rank(kb_id: str, text: str) -> tuple[float, int, int, str]:
        return (fuzz.ratio(slugify(text).replace("_", " "), kb_id.replace("_", " ")), len(text.split()), len(text), text)

    return {kb_id: max(texts, key=lambda t: rank(kb_id, t)) for kb_id, texts in forms.items()}


def write_record(store: Store, rec: _Record, report: ImportReport, names: dict[str, str]) -> None:
    """Replace the annotator's gold of one article with a validated record, as one logged action."""
    article = build_article(rec.text, rec.meta, str(rec.meta.get("source") or f"import:{rec.line}"))
    if not store.has_article(article.id):
        store.add_articles([article])
        report.new_articles += 1
    report.articles += 1
    with store.action("import", rec.annotator, article.id) as uow:
        for old in store.spans(article.id, rec.annotator):
            for arg in store.event_args(article.id, rec.annotator):
                if arg.event_id == old.id or arg.span_id == old.id:
                    if uow.get("event_args", arg.id):
                        uow.delete("event_args", arg.id)
            uow.delete("spans", old.id)
        ids = []
        stamp = now()
        for s in rec.spans:
            if s.kb_id and s.kind == ENTITY and store.entity(s.kb_id) is None:
                kb.create_entity(uow, store, names[s.kb_id], s.label, entity_id=s.kb_id)
                report.entities_created += 1
            ids.append(uow.insert("spans", {"article_id": article.id, "start": s.start, "end": s.end,
                                            "label": s.label, "kind": s.kind, "annotator": rec.annotator,
                                            "kb_id": s.kb_id, "created_at": stamp, "updated_at": stamp}))
            if s.kb_id and store.entity(s.kb_id) is not None:
                kb.add_alias(uow, store, s.kb_id, rec.text[s.start:s.end], "link")
        report.spans += len(rec.spans)
        for ev, args in rec.events:
            ev_id = uow.insert("spans", {"article_id": article.id, "start": ev.start, "end": ev.end,
                                         "label": ev.label, "kind": EVENT, "annotator": rec.annotator,
                                         "kb_id": None, "created_at": stamp, "updated_at": stamp})
            for role, idx in args:
                uow.insert("event_args", {"event_id": ev_id, "role": role, "span_id": ids[idx],
                                          "annotator": rec.annotator})
        report.events += len(rec.events)
        set_review(uow, store, article.id, rec.annotator, DONE)
