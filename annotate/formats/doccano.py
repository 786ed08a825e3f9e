"""doccano: export as its sequence-labelling JSONL, and read both its export shapes back.

Export: one line per article and annotator, every span (entities, values, event triggers) in
``label: [[start, end, LABEL]]``; kb ids and event arguments, which doccano has no place for, ride
in ``meta`` (and come back from there, or from the top level where doccano puts meta columns).
Import: doccano files are JSONL, read by :func:`annotate.formats.jsonl.import_jsonl`, which calls
:func:`from_doccano` (``label``) or :func:`from_doccano_relations` (``entities``/``relations``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from annotate.formats.filters import ExportFilters, ExportOptions
from annotate.formats.losses import doccano_losses
from annotate.formats.outputs import write_line_file
from annotate.formats.reports import ExportReport
from annotate.formats.shapes import ShapeError
from annotate.labels import EVENT_ROLES, kind_of
from store.models import EVENT
from store.repo import Store

# -- export -----------------------------------------------------------------


def doccano_line(record: dict[str, Any]) -> dict[str, Any]:
    """A doccano sequence-labelling line: every span (entities, values, event triggers) in ``label``;
    kb ids and event arguments, which doccano has no place for, go in ``meta``."""
    spans, events = record["spans"], record["events"]
    label = sorted([[s["start"], s["end"], s["label"]] for s in spans + events])
    meta = dict(record["meta"])
    meta["kb_id"] = [[s["start"], s["end"], s["kb_id"]] for s in spans if s.get("kb_id")]
    meta["events"] = [{"trigger": [e["start"], e["end"], e["label"]],
                       "args": [[a["role"], spans[a["span"]]["start"], spans[a["span"]]["end"]] for a in e["args"]]}
                      for e in events]
    return {"text": record["text"], "label": label, "meta": meta}


def write_doccano(records: Iterator[dict[str, Any]], stream: IO[str], report: ExportReport) -> None:
    """doccano JSONL, one line per article and annotator."""
    for record in records:
        doccano_losses(record, report)
        stream.write(json.dumps(doccano_line(record), ensure_ascii=False) + "\n")
        report.lines += 1


def export_doccano(store: Store, target: str | Path, filters: ExportFilters, report: ExportReport,
                   options: ExportOptions) -> None:
    """Write the doccano JSONL export (``-``: stdout) atomically."""
    write_line_file(store, target, "doccano", filters, report, write_doccano, options.strict)


# -- import -----------------------------------------------------------------


def _triple(item: Any, where: str) -> tuple[int, int, str]:
    if not (isinstance(item, list) and len(item) == 3 and isinstance(item[2], str)):
        raise ShapeError(f"{where}: expected [start, end, LABEL], got {item!r}")
    return item[0], item[1], item[2]


def _from_meta(obj: dict[str, Any], meta: dict[str, Any], key: str) -> Any:
    """Our doccano export keeps kb ids and events in ``meta``; doccano gives meta columns back at top level."""
    return meta.get(key) if key in meta else obj.get(key)


def _is_event(label: str, entity_labels: tuple[str, ...], event_types: tuple[str, ...]) -> bool:
    return kind_of(label, entity_labels, event_types) == EVENT


def from_doccano(obj: dict[str, Any], meta: dict[str, Any], entity_labels: tuple[str, ...],
                 event_types: tuple[str, ...] = tuple(EVENT_ROLES)) -> dict[str, Any]:
    """A doccano sequence-labelling line (ours or doccano's own export) in our record shape."""
    label = obj.get("label")
    if not isinstance(label, list):
        raise ShapeError("\"label\" must be a list of [start, end, LABEL]")
    spans: list[dict[str, Any]] = []
    triggers: list[dict[str, Any]] = []
    for i, item in enumerate(label):
        start, end, name = _triple(item, f"label[{i}]")
        span = {"start": start, "end": end, "label": name}
        (triggers if _is_event(name, entity_labels, event_types) else spans).append(span)
    kb_ids = _from_meta(obj, meta, "kb_id") or []
    if not isinstance(kb_ids, list):
        raise ShapeError("\"kb_id\" must be a list of [start, end, kb_id]")
    for i, item in enumerate(kb_ids):
        start, end, kb_id = _triple(item, f"kb_id[{i}]")
        target = next((s for s in spans if (s["start"], s["end"]) == (start, end)), None)
        if target is None:
            raise ShapeError(f"kb_id[{i}]: no span at {start}-{end} in \"label\"")
        target["kb_id"] = kb_id
    events = [dict(t, args=[]) for t in triggers]
    for i, ev in enumerate(_from_meta(obj, meta, "events") or []):
        where = f"events[{i}]"
        if not isinstance(ev, dict):
            raise ShapeError(f"{where}: expected {{\"trigger\": [start, end, LABEL], \"args\": [[role, start, end]]}}")
        start, end, name = _triple(ev.get("trigger"), f"{where}.trigger")
        frame = next((e for e in events if (e["start"], e["end"], e["label"]) == (start, end, name)), None)
        if frame is None:
            raise ShapeError(f"{where}: no {name} trigger at {start}-{end} in \"label\"")
        for j, arg in enumerate(ev.get("args") or []):
            if not (isinstance(arg, list) and len(arg) == 3 and isinstance(arg[0], str)):
                raise ShapeError(f"{where}.args[{j}]: expected [role, start, end], got {arg!r}")
            index = next((k for k, s in enumerate(spans) if (s["start"], s["end"]) == (arg[1], arg[2])), None)
            if index is None:
                raise ShapeError(f"{where}.args[{j}]: no span at {arg[1]}-{arg[2]} in \"label\"")
            frame["args"].append({"role": arg[0], "span": index})
    return {"spans": spans, "events": events}


def from_doccano_relations(obj: dict[str, Any], entity_labels: tuple[str, ...],
                           event_types: tuple[str, ...] = tuple(EVENT_ROLES)) -> dict[str, Any]:
    """doccano's relation export: entity spans, and relations from an event trigger to its arguments
    (``type`` is the role)."""
    entities, relations = obj.get("entities"), obj.get("relations") or []
    if not isinstance(entities, list) or not isinstance(relations, list):
        raise ShapeError("\"entities\" and \"relations\" must be lists")
    spans: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    where_is: dict[Any, tuple[str, int]] = {}
    for i, ent in enumerate(entities):
        if not isinstance(ent, dict) or not isinstance(ent.get("label"), str):
            raise ShapeError(f"entities[{i}]: expected {{\"id\", \"label\", \"start_offset\", \"end_offset\"}}")
        span = {"start": ent.get("start_offset"), "end": ent.get("end_offset"), "label": ent["label"]}
        if _is_event(ent["label"], entity_labels, event_types):
            where_is[ent.get("id")] = ("event", len(events))
            events.append(dict(span, args=[]))
        else:
            where_is[ent.get("id")] = ("span", len(spans))
            spans.append(span)
    for i, rel in enumerate(relations):
        if not isinstance(rel, dict) or not isinstance(rel.get("type"), str):
            raise ShapeError(f"relations[{i}]: expected {{\"from_id\", \"to_id\", \"type\"}}")
        source, target = where_is.get(rel.get("from_id")), where_is.get(rel.get("to_id"))
        if source is None or target is None:
            raise ShapeError(f"relations[{i}]: from_id/to_id is not the id of an entity of this line")
        if source[0] != "event" or target[0] != "span":
            raise ShapeError(f"relations[{i}]: a relation must go from an event trigger to an entity or value "
                             "(its type is the role)")
        events[source[1]]["args"].append({"role": rel["type"], "span": target[1]})
    return {"spans": spans, "events": events}
