"""The line shapes ``glossator import`` reads, brought to our own record shape.

Our JSONL and Prodigy ``ner_manual`` lines hold ``spans`` (and our ``events``); doccano writes its
sequence-labelling export as ``label: [[start, end, LABEL]]`` and its relation export as ``entities``
(``start_offset``/``end_offset``) plus ``relations`` (``from_id``/``to_id``/``type``). Each is turned
into ``{"text", "meta", "spans", "events"}`` for the shared checks. A line that carries annotations
under a key none of these shapes reads is an error, never an article imported with empty gold.
"""

from __future__ import annotations

from typing import Any

from annotate.labels import kind_of
from store.models import EVENT

# Keys every shape may carry that hold no annotations (or that we read elsewhere).
_COMMON = frozenset({"text", "meta", "id", "tokens", "answer", "_input_hash", "_task_hash", "_view_id",
                     "_annotator_id", "_session_id", "_timestamp", "_is_binary", "Comments", "comments",
                     "annotation_approver", "created_at", "updated_at"})
_OURS = frozenset({"spans", "events"})
_DOCCANO_SEQ = frozenset({"label", "kb_id", "events"})
_DOCCANO_REL = frozenset({"entities", "relations"})
SKIPPED_ANSWERS = ("reject", "ignore")


class ShapeError(Exception):
    """A line whose shape cannot be read; the message names the key at fault (not the line)."""


def shape_of(obj: dict[str, Any]) -> str:
    """``ours`` (our JSONL, Prodigy), ``doccano`` (``label``) or ``doccano-relations`` (``entities``)."""
    if "spans" in obj:
        return "ours"
    if "label" in obj:
        return "doccano"
    if "entities" in obj:
        return "doccano-relations"
    return "ours"


def check_keys(obj: dict[str, Any], shape: str) -> None:
    """Refuse annotations under keys this shape does not read (``accept`` of a Prodigy choice task,
    ``relations`` beside ``spans``, a ``labels`` column …): importing them as nothing would be silent loss."""
    read = {"ours": _OURS, "doccano": _DOCCANO_SEQ, "doccano-relations": _DOCCANO_REL}[shape]
    for key, value in obj.items():
        if key in _COMMON or key in read:
            continue
        if isinstance(value, (list, dict)) and value:
            raise ShapeError(f"annotations under {key!r} are not read (glossator reads \"spans\"/\"events\", "
                             "doccano's \"label\" or \"entities\"/\"relations\"); nothing would be imported from them")


def annotator_of(obj: dict[str, Any], meta: dict[str, Any], default: str) -> str:
    """Who made the line: our meta's annotator, else Prodigy's ``_annotator_id`` / ``_session_id``."""
    for value in (meta.get("annotator"), obj.get("_annotator_id"), obj.get("_session_id")):
        if isinstance(value, str) and value.strip():
            return value
    return default


def _triple(item: Any, where: str) -> tuple[int, int, str]:
    if not (isinstance(item, list) and len(item) == 3 and isinstance(item[2], str)):
        raise ShapeError(f"{where}: expected [start, end, LABEL], got {item!r}")
    return item[0], item[1], item[2]


def _from_meta(obj: dict[str, Any], meta: dict[str, Any], key: str) -> Any:
    """Our doccano export keeps kb ids and events in ``meta``; doccano gives meta columns back at top level."""
    return meta.get(key) if key in meta else obj.get(key)


def _is_event(label: str, entity_labels: tuple[str, ...]) -> bool:
    return kind_of(label, entity_labels) == EVENT


def from_doccano(obj: dict[str, Any], meta: dict[str, Any], entity_labels: tuple[str, ...]) -> dict[str, Any]:
    """A doccano sequence-labelling line (ours or doccano's own export) in our record shape."""
    label = obj.get("label")
    if not isinstance(label, list):
        raise ShapeError("\"label\" must be a list of [start, end, LABEL]")
    spans: list[dict[str, Any]] = []
    triggers: list[dict[str, Any]] = []
    for i, item in enumerate(label):
        start, end, name = _triple(item, f"label[{i}]")
        span = {"start": start, "end": end, "label": name}
        (triggers if _is_event(name, entity_labels) else spans).append(span)
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


def from_doccano_relations(obj: dict[str, Any], entity_labels: tuple[str, ...]) -> dict[str, Any]:
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
        if _is_event(ent["label"], entity_labels):
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
