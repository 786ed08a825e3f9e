"""What each export format cannot hold, counted per export, and spans snapped to tokens.
Imports no format.

Every export report counts its losses (``report.losses``: what → how many) and its summary line
lists them; ``--strict`` turns any loss into an error that writes nothing.
"""

from __future__ import annotations

from typing import Any

from annotate.errors import InputError
from annotate.formats.records import stable_hash
from annotate.formats.reports import ExportReport, summary_of
from annotate.labels import VALUE_LABELS

MISALIGNED = "spans not on token boundaries (snapped to whole tokens)"
SNAP_OVERLAP = "spans left out (they overlap another once snapped to tokens)"
ARGS_IN_META = "event arguments (kept only in meta: doccano does not show them)"
KB_IN_META = "kb ids (kept only in meta: doccano does not show them)"
CROSS_LAYER = ('spans overlapping another layer (doccano shows them only with "Allow overlapping entity" '
               "on in the project)")
TRIGGERS = "event triggers"
ARGS = "event arguments"
VALUES = "DATE/QUANTITY values"
KB_IDS = "kb ids"


def check_strict(report: ExportReport, fmt: str) -> None:
    """With ``--strict``, any loss is an InputError (raised before the output is put in place)."""
    if report.losses:
        raise InputError(f"--strict: the {fmt} export {summary_of(report)}; nothing written")


def snap_to_tokens(record: dict[str, Any], report: ExportReport) -> dict[str, Any]:
    """The record with every span's characters on the token range its ``token_start``/``token_end``
    give (Prodigy reads both and they must agree). A span that cuts a token is widened to whole
    tokens, with a warning; one that then overlaps another span of its layer is left out (and the
    arguments that point at it)."""
    tokens, text, source = record["tokens"], record["text"], record["meta"]["source"]
    if all(_aligned(tokens, s) for s in record["spans"] + record["events"]):
        return record

    def snapped(s: dict[str, Any]) -> dict[str, Any]:
        if _aligned(tokens, s):
            return s
        start, end = tokens[s["token_start"]]["start"], tokens[s["token_end"]]["end"]
        report.warnings.append(f"{source}: span {s['start']}-{s['end']} {s['text']!r} does not align with tokens; "
                               f"exported as {start}-{end} {text[start:end]!r}")
        report.losses[MISALIGNED] += 1
        return {**s, "start": start, "end": end, "text": text[start:end]}

    def keep(spans: list[dict[str, Any]]) -> list[int | None]:
        """Per span, its index among the kept ones (None: left out)."""
        taken: list[tuple[int, int]] = []
        out: list[int | None] = []
        for s in spans:
            if any(s["start"] < e and b < s["end"] for b, e in taken):
                report.warnings.append(f"{source}: {s['label']} span {s['start']}-{s['end']} {s['text']!r} overlaps "
                                       "another once snapped to tokens; left out")
                report.losses[SNAP_OVERLAP] += 1
                out.append(None)
            else:
                out.append(len(taken))
                taken.append((s["start"], s["end"]))
        return out

    spans = [snapped(s) for s in record["spans"]]
    index = keep(spans)
    events = [snapped(e) for e in record["events"]]
    kept_events = keep(events)
    out_spans = [s for s, i in zip(spans, index) if i is not None]
    out_events = []
    for ev, k in zip(events, kept_events):
        if k is None:
            continue
        args = [{**a, "span": index[a["span"]]} for a in ev["args"] if index[a["span"]] is not None]
        out_events.append({**ev, "args": args})
    return {**record, "spans": out_spans, "events": out_events,
            "_task_hash": stable_hash(record["_input_hash"], out_spans, out_events)}


def _aligned(tokens: list[dict[str, Any]], s: dict[str, Any]) -> bool:
    return tokens[s["token_start"]]["start"] == s["start"] and tokens[s["token_end"]]["end"] == s["end"]


def doccano_losses(record: dict[str, Any], report: ExportReport) -> None:
    """doccano shows spans only: arguments and kb ids ride in meta; overlaps need a project setting."""
    report.losses[ARGS_IN_META] += sum(len(e["args"]) for e in record["events"])
    report.losses[KB_IN_META] += sum(1 for s in record["spans"] if s.get("kb_id"))
    spans = sorted((s["start"], s["end"]) for s in record["spans"] + record["events"])
    report.losses[CROSS_LAYER] += sum(1 for a, b in zip(spans, spans[1:]) if b[0] < a[1])
    drop_zeros(report)


def conll_losses(record: dict[str, Any], report: ExportReport) -> None:
    """CoNLL holds one layer of entity tags: events, arguments, values and kb ids go."""
    report.losses[TRIGGERS] += len(record["events"])
    report.losses[ARGS] += sum(len(e["args"]) for e in record["events"])
    report.losses[VALUES] += sum(1 for s in record["spans"] if s["label"] in VALUE_LABELS)
    report.losses[KB_IDS] += sum(1 for s in record["spans"] if s.get("kb_id"))
    drop_zeros(report)


def drop_zeros(report: ExportReport) -> None:
    """Forget the losses counted zero (the summary names only what was dropped)."""
    for what in [w for w, n in report.losses.items() if not n]:
        del report.losses[what]
