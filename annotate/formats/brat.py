"""brat standoff: export (one ``.txt`` and one ``.ann`` per article) and import back as gold.

``.ann`` lines written: ``T`` for entity, value and trigger spans (``T3<TAB>PER 12 27<TAB>text``; a
span crossing a line break is written as fragments ``12 20;21 27`` as brat wants), ``E`` for events
with their role arguments (``E1<TAB>ATTACK:T5 agent:T1 target:T2``; a repeated role gets a number,
``participants2``), and ``N`` normalising linked mentions to their canonical entity
(``N1<TAB>Reference T1 glossator:iraq<TAB>Irak``). Offsets are ``str`` indices into the ``.txt``,
which is the article text byte for byte (CRLF kept), so it must be read without newline translation.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotate.corpus.ingest import decode
from annotate.errors import InputError
from annotate.formats.brat_conf import (
    ANNOTATION_CONF,
    DB,
    TOOLS_CONF,
    VISUAL_CONF,
    annotation_conf,
    tools_conf,
    visual_conf,
)
from annotate.formats.filters import ExportFilters, ExportOptions
from annotate.formats.import_write import write_records
from annotate.formats.outputs import check_directory_target, directory_writer, manifest_of
from annotate.formats.records import iter_records
from annotate.formats.reports import FormatReport, ImportReport
from annotate.formats.validate import LineError, check_record, fail_on
from annotate.gc_pause import collection_paused
from annotate.labels import EVENT_ROLES, EventRoles, kind_of
from annotate.review.state import layer_of, overlaps
from store.models import ENTITY, EVENT
from store.repo import Store

_NEWLINE = re.compile(r"[\r\n]+")


# -- export -----------------------------------------------------------------


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The (start, end) pieces of a span between line breaks (brat's discontinuous-span syntax)."""
    pieces, cursor = [], start
    for m in _NEWLINE.finditer(text, start, end):
        if m.start() > cursor:
            pieces.append((cursor, m.start()))
        cursor = m.end()
    if cursor < end:
        pieces.append((cursor, end))
    return pieces or [(start, end)]


def ann_lines(record: dict[str, Any], names: dict[str, str]) -> list[str]:
    """The ``.ann`` lines of one export record; ``names`` maps kb ids to canonical names."""
    text = record["text"]
    lines, norms = [], []
    ids: list[str] = []

    def t_line(s: dict[str, Any]) -> str:
        tid = f"T{len(ids) + 1}"
        ids.append(tid)
        pieces = fragments(text, s["start"], s["end"])
        offsets = ";".join(f"{a} {b}" for a, b in pieces)
        lines.append(f"{tid}\t{s['label']} {offsets}\t{' '.join(text[a:b] for a, b in pieces)}")
        return tid

    span_ids = []
    for s in record["spans"]:
        tid = t_line(s)
        span_ids.append(tid)
        if s.get("kb_id"):
            norms.append(f"N{len(norms) + 1}\tReference {tid} {DB}:{s['kb_id']}\t{names.get(s['kb_id'], s['kb_id'])}")
    events = []
    for n, ev in enumerate(record["events"], 1):
        trigger = t_line(ev)
        seen: dict[str, int] = defaultdict(int)
        args = []
        for arg in ev["args"]:
            seen[arg["role"]] += 1
            role = arg["role"] if seen[arg["role"]] == 1 else f"{arg['role']}{seen[arg['role']]}"
            args.append(f"{role}:{span_ids[arg['span']]}")
        events.append(f"E{n}\t{ev['label']}:{trigger}" + "".join(f" {a}" for a in args))
    return lines + events + norms


def _stem(source: str) -> str:
    stem = Path(source).stem if source else "article"
    return re.sub(r"[^\w.-]+", "_", stem) or "article"


def export_brat(store: Store, target: str | Path, filters: ExportFilters, report: FormatReport,
                options: ExportOptions) -> None:
    """Write ``NAME.txt`` + ``NAME.ann`` per exported record, and brat's ``annotation.conf``,
    ``visual.conf`` and ``tools.conf``, into ``target``: a brat server opens the folder as is.
    brat holds everything glossator has (``strict`` has nothing to refuse).
    NAME is the article's source file name; the annotator, then the article id, are appended when
    needed to keep names apart."""
    check_directory_target(target, store.path)
    records = list(iter_records(store, filters, report))
    per_article: dict[str, int] = defaultdict(int)
    for rec in records:
        per_article[rec["meta"]["article_id"]] += 1
    names = _canonical_names(store, {s["kb_id"] for r in records for s in r["spans"] if s.get("kb_id")})
    used: set[str] = set()
    files = []
    for rec in records:
        meta = rec["meta"]
        name = _stem(meta["source"])
        if per_article[meta["article_id"]] > 1:
            name += "." + (_stem(meta["annotator"]) or "anonymous")
        if name.lower() in used:
            name += f"-{meta['article_id']}"
        used.add(name.lower())
        files.append((name, rec))
    with directory_writer(target, manifest_of("brat", filters), store.path) as tmp:
        for name, rec in files:
            # newline="" writes the text as it is: brat offsets count every character, CR included.
            with open(tmp / f"{name}.txt", "w", encoding="utf-8", newline="") as out:
                out.write(rec["text"])
            with open(tmp / f"{name}.ann", "w", encoding="utf-8", newline="\n") as out:
                out.write("".join(line + "\n" for line in ann_lines(rec, names)))
            report.lines += 1
        confs = {ANNOTATION_CONF: annotation_conf(options.entity_labels, options.event_roles),
                 VISUAL_CONF: visual_conf(options.entity_labels, options.event_roles, options.colors),
                 TOOLS_CONF: tools_conf()}
        for name, text in confs.items():
            (tmp / name).write_text(text, encoding="utf-8")


def _canonical_names(store: Store, kb_ids: set[str]) -> dict[str, str]:
    out = {}
    for kb_id in kb_ids:
        entity = store.entity(kb_id)
        if entity is not None:
            out[kb_id] = entity.name
    return out


# -- import -----------------------------------------------------------------


@dataclass(frozen=True)
class _T:
    line: int
    start: int
    end: int
    label: str
    kind: str


class _AnnError(Exception):
    pass


def _parse_t(fields: list[str], text: str, where: str, entity_labels: tuple[str, ...], event_types: tuple[str, ...],
             n: int) -> _T:
    if len(fields) < 3:
        raise _AnnError(f"{where}: a T line is ID<TAB>LABEL START END<TAB>TEXT")
    label, _, offsets = fields[1].partition(" ")
    kind = kind_of(label, entity_labels, event_types)
    if kind is None:
        raise _AnnError(f"{where}: unknown label {label!r}")
    try:
        pieces = [tuple(int(x) for x in part.split()) for part in offsets.split(";")]
    except ValueError:
        raise _AnnError(f"{where}: offsets {offsets!r} are not numbers") from None
    if not pieces or any(len(p) != 2 or not 0 <= p[0] < p[1] <= len(text) for p in pieces):
        raise _AnnError(f"{where}: offsets {offsets!r} are outside the text (length {len(text)})")
    written = " ".join(text[a:b] for a, b in pieces)
    if fields[2] != written:
        raise _AnnError(f"{where}: text {fields[2]!r} does not match the .txt at {offsets} ({written!r})")
    return _T(n, pieces[0][0], pieces[-1][1], label, kind)


def parse_ann(ann: Path, text: str, entity_labels: tuple[str, ...], skipped: list[str],
              event_roles: EventRoles = EVENT_ROLES) -> dict[str, Any]:
    """One brat document as an import record ``{"text", "meta", "spans", "events"}``; _AnnError names
    the file and line of the first problem. Lines we have no place for are listed in ``skipped``."""
    ts: dict[str, _T] = {}
    events: list[tuple[int, str, str, list[tuple[str, str]]]] = []
    norms: dict[str, tuple[int, str, str]] = {}
    data = ann.read_bytes()
    content = decode(ann, data) if data.strip() else ""  # an empty .ann is an article without annotations
    # Only "\n" ends a line (a CR before it is dropped): span text may hold U+2028, U+0085 ….
    for n, raw in enumerate(content.split("\n"), 1):
        raw = raw.removesuffix("\r")
        where = f"{ann}, line {n}"
        if not raw.strip() or raw.startswith("#"):
            continue  # blank lines and AnnotatorNotes comments
        fields = raw.split("\t", 2)
        key = fields[0]
        if key.startswith("T"):
            ts[key] = _parse_t(fields, text, where, entity_labels, tuple(event_roles), n)
        elif key.startswith("E"):
            head, *args = fields[1].split() if len(fields) > 1 else [""]
            etype, _, trigger = head.partition(":")
            pairs = []
            for arg in args:
                role, _, ref = arg.partition(":")
                pairs.append((re.sub(r"\d+$", "", role), ref))
            events.append((n, etype, trigger, pairs))
        elif key.startswith("N"):
            parts = fields[1].split() if len(fields) > 1 else []
            if len(parts) != 3 or ":" not in parts[2]:
                raise _AnnError(f"{where}: an N line is ID<TAB>Reference T.. DB:ID<TAB>NAME")
            db, _, kb_id = parts[2].partition(":")
            if db != DB:
                skipped.append(f"{where}: normalisation to {db!r} (only {DB}: ids are kb ids)")
                continue
            norms[parts[1]] = (n, kb_id, fields[2] if len(fields) > 2 else "")
        else:
            skipped.append(f"{where}: {key[:1]} lines (relations, attributes …) are not imported")
    order = sorted((t for t in ts.items() if t[1].kind != EVENT), key=lambda kv: (kv[1].start, kv[1].end))
    spans: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    for tid, t in order:
        span: dict[str, Any] = {"start": t.start, "end": t.end, "label": t.label}
        if tid in norms:
            if t.kind != ENTITY:
                raise _AnnError(f"{ann}, line {norms[tid][0]}: {tid} is a {t.label} value; only entities have kb ids")
            span["kb_id"] = norms[tid][1]
        # The same span written twice (two T ids) is one span: both ids point at it.
        index[tid] = spans.index(span) if span in spans else len(spans)
        if index[tid] == len(spans):
            spans.append(span)
    for tid, (n, _, _) in norms.items():
        if tid not in ts:
            raise _AnnError(f"{ann}, line {n}: {tid} is not a T line of this file")
    _check_overlaps(ann, list(ts.values()))
    return {"text": text, "meta": {"source": ann.with_suffix(".txt").name},
            "spans": spans, "events": _events(ann, ts, index, events, event_roles), "names": _names(norms)}


def _events(ann: Path, ts: dict[str, _T], index: dict[str, int],
            events: list[tuple[int, str, str, list[tuple[str, str]]]],
            event_roles: EventRoles = EVENT_ROLES) -> list[dict[str, Any]]:
    frames: dict[str, dict[str, Any]] = {}
    for n, etype, trigger, pairs in events:
        where = f"{ann}, line {n}"
        t = ts.get(trigger)
        if t is None or t.kind != EVENT:
            raise _AnnError(f"{where}: trigger {trigger!r} is not an event T line of this file")
        if etype != t.label:
            raise _AnnError(f"{where}: event type {etype} differs from its trigger's label {t.label}")
        # Two E lines on one trigger are one event for us: their arguments are pooled.
        frame = frames.setdefault(trigger, {"start": t.start, "end": t.end, "label": t.label, "args": []})
        for role, ref in pairs:
            if role not in event_roles.get(etype, ()):
                raise _AnnError(f"{where}: {etype} has no role {role!r}")
            if ref not in index:
                raise _AnnError(f"{where}: argument {ref!r} is not an entity or value T line of this file")
            frame["args"].append({"role": role, "span": index[ref]})
    for tid, t in ts.items():
        if t.kind == EVENT and tid not in frames:
            frames[tid] = {"start": t.start, "end": t.end, "label": t.label, "args": []}
    return sorted(frames.values(), key=lambda e: (e["start"], e["end"]))


def _names(norms: dict[str, tuple[int, str, str]]) -> dict[str, str]:
    """kb id → canonical name given by the N lines."""
    return {kb_id: " ".join(name.split()) for _, kb_id, name in norms.values() if name.strip()}


def _check_overlaps(ann: Path, ts: list[_T]) -> None:
    unique = sorted(set(ts), key=lambda t: (t.start, t.end))
    for i, a in enumerate(unique):
        for b in unique[i + 1:]:
            if b.start >= a.end:
                break
            if layer_of(a.kind) == layer_of(b.kind) and overlaps(a.start, a.end, b.start, b.end) and \
                    (a.start, a.end, a.label) != (b.start, b.end, b.label):
                raise _AnnError(f"{ann}, lines {a.line} and {b.line}: {a.label} {a.start}-{a.end} and "
                                f"{b.label} {b.start}-{b.end} overlap")


@collection_paused()
def import_brat(store: Store, folder: Path, annotator: str, entity_labels: tuple[str, ...],
                event_roles: EventRoles = EVENT_ROLES) -> ImportReport:
    """Import every ``.ann`` (with its ``.txt``) of a folder as gold, in one transaction. Everything
    is checked first: one bad line (named with file and number) imports nothing. The lines we have
    no place for are listed in ``report.skipped``."""
    if not folder.is_dir():
        raise InputError(f"{folder}: not a folder (brat import reads a folder of .txt and .ann files)")
    anns = sorted(folder.rglob("*.ann"))
    if not anns:
        raise InputError(f"{folder}: no .ann files in this folder")
    report = ImportReport()
    parsed, errors = [], []
    for ann in anns:
        txt = ann.with_suffix(".txt")
        try:
            if not txt.is_file():
                raise _AnnError(f"{ann}: no {txt.name} beside it")
            doc = parse_ann(ann, decode(txt, txt.read_bytes()), entity_labels, report.skipped, event_roles)
            names = doc.pop("names")
            # The shared checks (roles, overlaps, kb ids) run on the same record shape; the file is the unit.
            record = check_record(doc, str(ann), 1, annotator, entity_labels, event_roles)
            report.warnings.extend(record.warnings)
            parsed.append((record, names))
        except (_AnnError, InputError, LineError) as exc:
            errors.append(str(exc))
    fail_on(errors)
    # New entities are named by the N lines (brat's normalisation names the referent), else by the
    # fullest mention in the folder.
    named = {kb_id: name for _, from_n in parsed for kb_id, name in from_n.items()}
    names: dict[str, str] = {}
    for record, _ in parsed:
        for span in record.spans:
            mention = " ".join(record.text[span.start:span.end].split())
            if span.kb_id and len(mention) > len(names.get(span.kb_id, "")):
                names[span.kb_id] = mention
    names.update(named)
    write_records(store, [record for record, _ in parsed], report, names)
    return report
