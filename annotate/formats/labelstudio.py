"""Label Studio: export tasks JSON and the labelling config, and import Label Studio's JSON and
JSON-MIN exports back as gold.

Export: one task per article and annotator (as the other formats: one record each), ``data`` holding
the text and our meta; gold in ``annotations[0].result``, suggestions in ``predictions[0].result``.
Each span is a ``labels`` region (``value``: start, end, text, labels) of the control ``label`` on
``text``; an event is its trigger's region plus one ``relation`` per argument, from the trigger to
the argument, labelled with the role; a kb id is a per-region ``textarea`` result of the control
``kb_id`` (the same region id). Offsets are code points, as Label Studio stores them since 1.4
(its frontend once counted UTF-16 units), so they are the article's ``str`` indices.

Import: each task's annotations (not cancelled ones) are gold records by their annotator (our
``data.annotator``, else ``completed_by``'s email or id, else the importing user); tasks with only
predictions are counted and skipped. Results of other types (choices, ratings …) are listed as
skipped. Every record then goes through the same checks as any import (:mod:`validate`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import quoteattr

from annotate.corpus.ingest import decode
from annotate.errors import InputError
from annotate.formats.atomic import atomic_writer
from annotate.formats.filters import ExportFilters, ExportOptions
from annotate.formats.import_write import write_gold
from annotate.formats.outputs import LineWriter, write_line_file
from annotate.formats.reports import GOLD, ExportReport, FormatReport, ImportReport
from annotate.formats.targets import resolve_target
from annotate.formats.validate import LineError, Record, check_record, fail_on
from annotate.gc_pause import collection_paused
from annotate.labels import EVENT_ROLES, VALUE_LABELS, EventRoles, hex_color
from store.repo import Store

LABEL, TEXT, KB_ID = "label", "text", "kb_id"  # the control and object names of our labelling config

# -- export -----------------------------------------------------------------


def _region(rid: str, span: dict[str, Any]) -> dict[str, Any]:
    region = {"id": rid, "from_name": LABEL, "to_name": TEXT, "type": "labels",
              "value": {"start": span["start"], "end": span["end"], "text": span["text"], "labels": [span["label"]]}}
    if span.get("score") is not None:  # a suggestion's confidence: Label Studio shows it per region
        region["score"] = span["score"]
    return region


def result_of(record: dict[str, Any]) -> list[dict[str, Any]]:
    """The ``result`` list of one export record: regions, kb ids, then the event arguments."""
    out: list[dict[str, Any]] = []
    ids = [f"s{i}" for i in range(len(record["spans"]))]
    for rid, span in zip(ids, record["spans"]):
        out.append(_region(rid, span))
        if span.get("kb_id"):
            out.append({"id": rid, "from_name": KB_ID, "to_name": TEXT, "type": "textarea",
                        "value": {"start": span["start"], "end": span["end"], "text": [span["kb_id"]]}})
    relations = []
    for n, event in enumerate(record["events"]):
        rid = f"e{n}"
        out.append(_region(rid, event))
        relations += [{"from_id": rid, "to_id": ids[arg["span"]], "type": "relation", "direction": "right",
                       "labels": [arg["role"]]} for arg in event["args"]]
    return out + relations


def task_of(record: dict[str, Any], what: str) -> dict[str, Any]:
    """One Label Studio task of an export record."""
    meta = record["meta"]
    data = {"text": record["text"], **{k: meta[k] for k in ("article_id", "source", "title", "date", "annotator")}}
    if what == GOLD:
        return {"data": data, "annotations": [{"result": result_of(record), "was_cancelled": False}]}
    result = result_of(record)
    scores = [r["score"] for r in result if "score" in r]
    prediction: dict[str, Any] = {"model_version": meta["annotator"], "result": result}
    if scores:  # the task's score (Label Studio sorts and filters by it): the mean region confidence
        prediction["score"] = round(sum(scores) / len(scores), 4)
    return {"data": data, "predictions": [prediction]}


def _writer(what: str) -> LineWriter:
    def write(records: Iterator[dict[str, Any]], stream: IO[str], report: ExportReport) -> None:
        # A JSON array written one task per line: streamed, and still one JSON document.
        stream.write("[")
        for n, record in enumerate(records):
            stream.write(("\n" if n == 0 else ",\n") + json.dumps(task_of(record, what), ensure_ascii=False))
            report.lines += 1
        stream.write("\n]\n")
    return write


def export_labelstudio(store: Store, target: str | Path, filters: ExportFilters, report: ExportReport,
                       options: ExportOptions) -> None:
    """Write the Label Studio tasks JSON (``-``: stdout) atomically; Label Studio holds everything."""
    write_line_file(store, target, "labelstudio", filters, report, _writer(filters.what), options.strict)


def labelling_config(entity_labels: tuple[str, ...], event_roles: EventRoles,
                     colors: Mapping[str, str] | None = None) -> str:
    """The labelling config (XML) for our labels: one ``Labels`` control over the text, a
    relation label per role, and a per-region text area for kb ids."""
    colors = colors or {}
    labels = []
    for label in (*entity_labels, *VALUE_LABELS, *event_roles):
        color = hex_color(colors[label]) if label in colors else None
        labels.append(f"    <Label value={quoteattr(label)}" + (f" background={quoteattr(color)}" if color else "") + "/>")
    roles = sorted({role for roles in event_roles.values() for role in roles})
    return "\n".join(["<View>",
                      "  <Relations>", *(f"    <Relation value={quoteattr(role)}/>" for role in roles), "  </Relations>",
                      f'  <Labels name="{LABEL}" toName="{TEXT}">', *labels, "  </Labels>",
                      f'  <Text name="{TEXT}" value="$text"/>',
                      f'  <TextArea name="{KB_ID}" toName="{TEXT}" perRegion="true" editable="true" '
                      'maxSubmissions="1" placeholder="kb id"/>',
                      "</View>", ""])


def export_config(store: Store, target: str | Path, filters: ExportFilters, report: ExportReport,
                  options: ExportOptions) -> None:
    """Write the labelling config that matches the tasks export (``--format labelstudio --config``)."""
    with atomic_writer(resolve_target(target, store.path)) as stream:
        stream.write(labelling_config(options.entity_labels, options.event_roles, options.colors))
    if isinstance(report, FormatReport):
        report.unit = "labelling configs"
    report.lines = 1


# -- import -----------------------------------------------------------------


def _annotator(task: dict[str, Any], annotation: dict[str, Any], default: str) -> str:
    ours = (task.get("data") or {}).get("annotator")
    if isinstance(ours, str) and ours.strip():
        return ours
    who = annotation.get("completed_by")
    if isinstance(who, dict):
        who = who.get("email") or who.get("id")
    if isinstance(who, str) and who.strip():
        return who
    if isinstance(who, int) and not isinstance(who, bool):
        return f"labelstudio-{who}"
    return default


def record_of(text: str, meta: dict[str, Any], result: Any, where: str, skipped: list[str],
              event_types: tuple[str, ...]) -> dict[str, Any]:
    """A Label Studio ``result`` list in our record shape (checked afterwards by check_record)."""
    if not isinstance(result, list):
        raise LineError(f"{where}: \"result\" must be a list")
    regions: dict[Any, list[dict[str, Any]]] = {}
    kb_ids: dict[Any, str] = {}
    relations = []
    for i, item in enumerate(result):
        at = f"{where}, result[{i}]"
        if not isinstance(item, dict):
            raise LineError(f"{at}: must be an object")
        kind, value = item.get("type"), item.get("value")
        if kind in ("labels", "hypertextlabels") and isinstance(value, dict):
            names = value.get("labels")
            if not isinstance(names, list) or not names:
                raise LineError(f"{at}: \"value.labels\" must be a non-empty list")
            regions.setdefault(item.get("id"), []).extend(
                {"start": value.get("start"), "end": value.get("end"), "label": name,
                 **({"text": value["text"]} if isinstance(value.get("text"), str) else {})} for name in names)
        elif kind == "textarea" and item.get("from_name") == KB_ID and isinstance(value, dict):
            texts = [t.strip() for t in value.get("text") or [] if isinstance(t, str) and t.strip()]
            if texts:
                kb_ids[item.get("id")] = texts[0]
        elif kind == "relation":
            relations.append((at, item))
        else:
            skipped.append(f"{at}: a {kind!r} result has no place in glossator; not imported")
    spans: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    where_is: dict[Any, tuple[str, int]] = {}
    for rid, found in regions.items():
        for span in found:
            if span["label"] in event_types:
                where_is[rid] = ("event", len(events))
                events.append({**span, "args": []})
            else:
                where_is.setdefault(rid, ("span", len(spans)))
                if rid in kb_ids:
                    span["kb_id"] = kb_ids[rid]
                spans.append(span)
    for at, rel in relations:
        source, target = where_is.get(rel.get("from_id")), where_is.get(rel.get("to_id"))
        if rel.get("direction") == "left":
            source, target = target, source
        roles = rel.get("labels") or []
        if source is None or target is None:
            raise LineError(f"{at}: from_id/to_id is not the id of a region of this annotation")
        if source[0] != "event" or target[0] != "span" or len(roles) != 1:
            raise LineError(f"{at}: a relation must go from an event trigger to an entity or value, "
                            "labelled with one role")
        events[source[1]]["args"].append({"role": roles[0], "span": target[1]})
    return {"text": text, "meta": meta, "spans": spans, "events": events}


def _min_result(task: dict[str, Any]) -> list[dict[str, Any]]:
    """A JSON-MIN task's regions (under the control's name, ``label`` for our config) as results."""
    out = []
    for key, value in task.items():
        if isinstance(value, list) and all(isinstance(v, dict) and "labels" in v for v in value):
            out += [{"id": None, "type": "labels", "value": v} for v in value]
    return out


def read_tasks(path: Path, default_annotator: str, entity_labels: tuple[str, ...], event_roles: EventRoles,
               report: ImportReport) -> list[Record]:
    """Every annotation of a Label Studio JSON (or JSON-MIN) export as a checked record."""
    try:
        tasks = json.loads(decode(path, path.read_bytes()))
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: not a Label Studio JSON export ({exc})") from None
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list):
        raise InputError(f"{path}: a Label Studio export is a JSON list of tasks")
    types = tuple(event_roles)
    records, errors = [], []
    for t, task in enumerate(tasks):
        where = f"{path}, task {t}"
        try:
            if not isinstance(task, dict):
                raise LineError(f"{where}: must be an object")
            if "data" not in task:  # JSON-MIN: the data keys and one list per control at the top level
                text = task.get(TEXT)
                meta = {k: task[k] for k in ("article_id", "source", "title", "date") if k in task}
                annotator = task.get("annotator") if isinstance(task.get("annotator"), str) else default_annotator
                doc = record_of(text, meta, _min_result(task), where, report.skipped, types)
                records.append(check_record(doc, where, t + 1, annotator, entity_labels, event_roles))
                continue
            data = task["data"] if isinstance(task["data"], dict) else {}
            meta = {k: data[k] for k in ("article_id", "source", "title", "date") if k in data}
            annotations = [a for a in task.get("annotations") or [] if isinstance(a, dict)]
            if not annotations:
                report.answers_skipped["tasks without annotations"] += 1
            for a, annotation in enumerate(annotations):
                if annotation.get("was_cancelled"):
                    report.answers_skipped["cancelled"] += 1
                    continue
                at = f"{where}, annotations[{a}]"
                doc = record_of(data.get(TEXT), meta, annotation.get("result") or [], at, report.skipped, types)
                annotator = _annotator(task, annotation, default_annotator)
                records.append(check_record(doc, at, t + 1, annotator, entity_labels, event_roles))
        except LineError as exc:
            errors.append(str(exc))
    fail_on(errors)
    return records


@collection_paused()
def import_labelstudio(store: Store, path: Path, default_annotator: str, entity_labels: tuple[str, ...],
                       event_roles: EventRoles = EVENT_ROLES) -> ImportReport:
    """Import a Label Studio JSON or JSON-MIN export as gold; the articles count as reviewed."""
    report = ImportReport()
    return write_gold(store, read_tasks(Path(path), default_annotator, entity_labels, event_roles, report), report)
