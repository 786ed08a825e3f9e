"""Checking an annotator's copy before ``glossator merge`` copies anything from it.

A copy is a file someone sent: it may be damaged, edited by hand or written by a buggy tool. Its
gold is checked as ``glossator import`` checks a JSONL line: offsets inside the article text,
known labels in the layer they belong to, no overlap within a layer,
kb ids that are non-empty strings, event arguments whose roles the event type has and that point
at spans of the same annotation, link rejections between two entities of the copy. One bad row
merges nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from annotate.errors import InputError
from annotate.labels import EVENT_ROLES, EventRoles, kind_of
from annotate.review.state import layer_of, overlaps
from store import merge as copying
from store.models import EVENT, REVIEW_STATUSES
from store.repo import Store

SHOWN = 10


def check_source(source: Store, path: str | Path, entity_labels: tuple[str, ...],
                 event_roles: EventRoles = EVENT_ROLES) -> None:
    """InputError naming the copy and its first bad rows; nothing is merged then."""
    errors: list[str] = []
    texts = copying.article_texts(source)
    entities = copying.entity_ids(source)
    spans: dict[int, dict[str, Any]] = {}
    units: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in copying.span_rows(source):
        where = f"{path}: span {row['id']} of {row['annotator']!r} in article {row['article_id']}"
        problem = _span_problem(row, texts.get(row["article_id"]), entity_labels, event_roles)
        if problem is None and row["kb_id"] is not None and row["kb_id"] not in entities:
            problem = f"kb_id {row['kb_id']!r} is not an entity of the copy"
        if problem:
            errors.append(f"{where}: {problem}")
            continue
        spans[row["id"]] = row
        units.setdefault((row["article_id"], row["annotator"]), []).append(row)
    for (article_id, annotator), rows in units.items():
        ordered = sorted(rows, key=lambda r: (r["start"], r["end"]))
        for i, a in enumerate(ordered):
            for b in ordered[i + 1:]:
                if b["start"] >= a["end"]:
                    break
                if layer_of(a["kind"]) == layer_of(b["kind"]) and overlaps(a["start"], a["end"], b["start"], b["end"]):
                    errors.append(f"{path}: spans {a['id']} and {b['id']} of {annotator!r} in article {article_id} "
                                  f"({a['start']}-{a['end']} {a['label']}, {b['start']}-{b['end']} {b['label']}) overlap")
    for row in copying.event_arg_rows(source):
        problem = _arg_problem(row, spans, event_roles)
        if problem:
            errors.append(f"{path}: event argument {row['id']}: {problem}")
    for row in copying.review_rows(source):
        if row["status"] not in REVIEW_STATUSES:  # a skip (issue 14.8) is a review status too
            errors.append(f"{path}: review of {row['annotator']!r} in article {row['article_id']}: "
                          f"unknown status {row['status']!r}")
    for row in copying.link_rejection_rows(source):
        problem = _link_rejection_problem(row, entities)
        if problem:
            errors.append(f"{path}: link rejection {row['id']}: {problem}")
    if errors:
        more = f"\n… and {len(errors) - SHOWN} more" if len(errors) > SHOWN else ""
        raise InputError("\n".join(errors[:SHOWN]) + more + "\nnothing was merged")


def _span_problem(row: dict[str, Any], text: str | None, entity_labels: tuple[str, ...],
                  event_roles: EventRoles) -> str | None:
    start, end, label = row["start"], row["end"], row["label"]
    if text is None:
        return "its article is not in the copy"
    if not isinstance(row["annotator"], str) or not row["annotator"].strip():
        return "no annotator"
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
        return f"offsets {start!r}-{end!r} are not whole numbers"
    if not 0 <= start < end <= len(text):
        return f"offsets {start}-{end} are outside the text (length {len(text)})"
    kind = kind_of(label, entity_labels, tuple(event_roles)) if isinstance(label, str) else None
    if kind is None:
        return f"unknown label {label!r}"
    if row["kind"] != kind:
        return f"label {label} belongs to the {kind} layer, the span says {row['kind']!r}"
    if row["kb_id"] is not None and (not isinstance(row["kb_id"], str) or not row["kb_id"].strip()):
        return f"kb_id {row['kb_id']!r} is not a non-empty string"
    return None


def _link_rejection_problem(row: dict[str, Any], entities: set[str]) -> str | None:
    if not isinstance(row["surface"], str) or not row["surface"].strip():
        return f"surface {row['surface']!r} is not a non-empty string"
    for col in ("entity_id", "chosen"):
        if row[col] not in entities:
            return f"{col} {row[col]!r} is not an entity of the copy"
    if row["entity_id"] == row["chosen"]:
        return "the entity passed over is the one chosen"
    if not isinstance(row["annotator"], str) or not row["annotator"].strip():
        return "no annotator"
    return None


def _arg_problem(row: dict[str, Any], spans: dict[int, dict[str, Any]], event_roles: EventRoles) -> str | None:
    event, filler = spans.get(row["event_id"]), spans.get(row["span_id"])
    if event is None or event["kind"] != EVENT:
        return f"event {row['event_id']} is not a valid event span of the copy"
    if filler is None or filler["kind"] == EVENT:
        return f"argument {row['span_id']} is not a valid entity or value span of the copy"
    if (event["article_id"], event["annotator"]) != (filler["article_id"], filler["annotator"]):
        return "the event and its argument belong to different annotations"
    if row["role"] not in event_roles.get(event["label"], ()):
        return f"{event['label']} has no role {row['role']!r}"
    return None
