"""The checks every import runs on a record in our shape ``{"text", "meta", "spans", "events"}``
(JSONL, doccano, brat and Label Studio are each brought to it first), and the names new entities
get. Imports no format: each format's reader calls :func:`check_record`, then
:func:`annotate.formats.import_write.write_records` writes the checked records."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, NamedTuple

from annotate.entities.kb import slugify
from annotate.errors import InputError
from annotate.labels import EVENT_ROLES, EventRoles, kind_of
from annotate.review.state import layer_of, overlaps, trim
from store.models import EVENT


class SpanIn(NamedTuple):
    """A checked span of an import record. A NamedTuple rather than a frozen dataclass: an import
    makes one per span (154,800 for 2,000 seed-sized records), and a tuple is made, hashed and
    sorted several times faster; it is as immutable."""

    start: int
    end: int
    label: str
    kind: str
    kb_id: str | None


@dataclass
class Record:
    """A checked import record: one article's gold by one annotator."""

    line: int
    text: str
    meta: dict[str, Any]
    annotator: str
    spans: list[SpanIn]
    events: list[tuple[SpanIn, list[tuple[str, int]]]]
    warnings: list[str] = field(default_factory=list)


# start, end, label, kind, kb_id: a SpanIn's fields
_Fields = tuple[int, int, str, str, "str | None"]


class LineError(Exception):
    """A record that cannot be imported; the message names its file and line (or item)."""


class SkippedLine(Exception):
    """A line that is not gold (a Prodigy reject or ignore): counted and left out."""


def fail_on(errors: list[str]) -> None:
    """InputError listing the first ten problems, if any: one bad record imports nothing."""
    if errors:
        more = f"\n… and {len(errors) - 10} more" if len(errors) > 10 else ""
        raise InputError("\n".join(errors[:10]) + more + "\nnothing was imported")


def _int(obj: dict[str, Any], key: str, where: str) -> int:
    value = obj.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise LineError(f"{where}: \"{key}\" must be an integer, got {value!r}")
    return value


def _span(obj: Any, text: str, where: str, i: int, what: str, kinds: _Kinds,
          want_event: bool, warnings: list[str]) -> _Fields:
    """The checked span ``obj`` as the fields of a :class:`SpanIn` (``what[i]`` of the record at
    ``where``; the place is spelled out only for a message: this runs once per span of every import)."""
    if not isinstance(obj, dict):
        raise LineError(f"{where}, {what}[{i}]: must be an object")
    start, end = obj.get("start"), obj.get("end")
    if type(start) is not int or type(end) is not int:  # noqa: E721 (bool is an int subclass: refused)
        at = f"{where}, {what}[{i}]"
        start, end = _int(obj, "start", at), _int(obj, "end", at)
    label = obj.get("label")
    if not isinstance(label, str) or not label:
        raise LineError(f"{where}, {what}[{i}]: \"label\" must be a non-empty string")
    if not 0 <= start < end <= len(text):
        raise LineError(f"{where}, {what}[{i}]: offsets {start}-{end} are outside the text (length {len(text)})")
    if "text" in obj and obj["text"] != text[start:end]:
        raise LineError(f"{where}, {what}[{i}]: text {obj['text']!r} does not match the article at {start}-{end} "
                        f"({text[start:end]!r})")
    if text[start].isspace() or text[end - 1].isspace():
        # Other tools let a selection take the space after a word (or the CR of a CRLF line end);
        # gold never starts or ends on whitespace.
        trimmed = trim(text, start, end)
        if trimmed[0] == trimmed[1]:
            raise LineError(f"{where}, {what}[{i}]: span {start}-{end} {text[start:end]!r} is only whitespace")
        warnings.append(f"{where}, {what}[{i}]: span {start}-{end} {text[start:end]!r} trimmed of whitespace to "
                        f"{trimmed[0]}-{trimmed[1]}")
        start, end = trimmed
    kind = kinds[label]
    if kind is None:
        raise LineError(f"{where}, {what}[{i}]: unknown label {label!r}")
    if want_event != (kind == EVENT):
        raise LineError(f"{where}, {what}[{i}]: label {label} does not belong in "
                        f"{'events' if want_event else 'spans'}")
    kb_id = obj.get("kb_id")
    if kb_id is not None and (not isinstance(kb_id, str) or not kb_id):
        raise LineError(f"{where}, {what}[{i}]: \"kb_id\" must be a non-empty string")
    return start, end, label, kind, kb_id


def _spans_of(raw: list[Any], text: str, where: str, what: str, kinds: _Kinds, want_event: bool,
              warnings: list[str]) -> list[SpanIn]:
    """The checked spans of the list ``raw`` (``what`` of the record at ``where``), as
    :func:`_span` checks them. The common case (integer offsets inside the text, not on
    whitespace, a known label of the right layer, a matching ``text`` if any) is checked here
    inline, since this runs for every span of an import; anything else goes through :func:`_span`,
    which gives the same result, the trimming warning or the error."""
    out: list[SpanIn] = []
    # tuple.__new__ makes the NamedTuple in C (SpanIn._make is a Python-level classmethod).
    append, new, size = out.append, tuple.__new__, len(text)
    for i, obj in enumerate(raw):
        if type(obj) is dict:
            start, end, label, kb_id = obj.get("start"), obj.get("end"), obj.get("label"), obj.get("kb_id")
            if type(start) is int and type(end) is int and 0 <= start < end <= size and type(label) is str \
                    and label and (kb_id is None or (type(kb_id) is str and kb_id)) \
                    and not text[start].isspace() and not text[end - 1].isspace():
                kind = kinds[label]
                if kind is not None and (kind == EVENT) == want_event and \
                        ("text" not in obj or obj["text"] == text[start:end]):
                    append(new(SpanIn, (start, end, label, kind, kb_id)))
                    continue
        append(new(SpanIn, _span(obj, text, where, i, what, kinds, want_event, warnings)))
    return out


class _Kinds(dict):
    """label → kind (None: unknown), filled as labels come (kind_of once per label, not per span)."""

    def __init__(self, entity_labels: tuple[str, ...], event_types: tuple[str, ...]) -> None:
        super().__init__()
        self.entity_labels, self.event_types = entity_labels, event_types

    def __missing__(self, label: str) -> str | None:
        kind = self[label] = kind_of(label, self.entity_labels, self.event_types)
        return kind


def check_record(obj: Any, where: str, n: int, annotator: str, entity_labels: tuple[str, ...],
                 event_roles: EventRoles = EVENT_ROLES) -> Record:
    """Check one record in our shape; LineError naming ``where`` (and the span at fault) otherwise.
    Spans are trimmed of whitespace (with a warning), exact duplicates collapse into one."""
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str) or not obj["text"]:
        raise LineError(f"{where}: expected an object with a non-empty \"text\" string")
    text = obj["text"]
    meta = obj.get("meta") or {}
    if not isinstance(meta, dict):
        raise LineError(f"{where}: \"meta\" must be an object")
    raw_spans = obj.get("spans") or []
    raw_events = obj.get("events") or []
    if not isinstance(raw_spans, list) or not isinstance(raw_events, list):
        raise LineError(f"{where}: \"spans\" and \"events\" must be lists")
    kinds = _Kinds(entity_labels, tuple(event_roles))
    warnings: list[str] = []
    spans = _spans_of(raw_spans, text, where, "spans", kinds, False, warnings)
    try:
        checked: list[SpanIn] | None = _spans_of(raw_events, text, where, "events", kinds, True, warnings)
    except LineError:
        checked = None  # each event is checked again below, so the error named is the first in order
    events = []
    for i, ev in enumerate(raw_events):
        span = checked[i] if checked is not None else SpanIn._make(
            _span(ev, text, where, i, "events", kinds, True, warnings))
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
    # Exact duplicates collapse into one span: per input index, its index among the unique ones.
    unique: dict[SpanIn, int] = {}
    position = [unique.setdefault(s, len(unique)) for s in spans]
    _check_overlaps(unique, where, "spans")
    _check_overlaps(dict.fromkeys(e for e, _ in events), where, "events")
    return Record(n, text, meta, annotator, list(unique),
                  [(ev, [(role, position[idx]) for role, idx in args]) for ev, args in events], warnings)


def _check_overlaps(spans: Iterable[_Fields], where: str, what: str) -> None:
    """LineError at the first two distinct spans of a layer that share a character."""
    ordered = sorted(spans, key=itemgetter(0, 1))
    for a, b in zip(ordered, ordered[1:]):
        # Sorted by start, a starts before b ends (b is not empty): b starting before a ends is
        # the whole overlap test, made inline first since this runs once per span.
        if b[0] < a[1] and overlaps(a[0], a[1], b[0], b[1]) and layer_of(a[3]) == layer_of(b[3]):
            raise LineError(f"{where}: {what} {a[0]}-{a[1]} ({a[2]}) and {b[0]}-{b[1]} ({b[2]}) overlap")


def fullest_names(records: list[Record]) -> dict[str, str]:
    """kb_id → the surface form that best names a new entity.

    The slug was chosen by the annotators to name the referent (``iraq``, ``nouri_al_maliki``),
    so the form closest to it wins (Irak, not Baghdad, for a metonymic ``iraq``); then the
    fullest (most words, longest).
    """
    from rapidfuzz import fuzz

    # The distinct (kb_id, surface as written) first: an import links the same few surfaces
    # thousands of times, and only the distinct ones need their whitespace normalised.
    written = dict.fromkeys((s.kb_id, rec.text[s.start:s.end]) for rec in records for s in rec.spans if s.kb_id)
    forms: dict[str, set[str]] = {}
    for kb_id, surface in written:
        forms.setdefault(kb_id, set()).add(" ".join(surface.split()))

    def rank(kb_id: str, text: str) -> tuple[float, int, int, str]:
        return (fuzz.ratio(slugify(text).replace("_", " "), kb_id.replace("_", " ")), len(text.split()), len(text), text)

    return {kb_id: max(texts, key=lambda t: rank(kb_id, t)) for kb_id, texts in forms.items()}
