"""Export filters shared by every format, and the line formats other tools read: doccano JSONL,
CoNLL-2003 BIO columns and our own JSONL. The directory formats (spaCy, brat) live in
``export_spacy`` and ``brat``; :func:`export` dispatches to all of them."""

from __future__ import annotations

import io
import json
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from annotate.formats.atomic import atomic_writer, folder_lock, new_folder, recover_folder, swap_in
from annotate.formats.jsonl import GOLD, SUGGESTIONS, ExportReport, task
from annotate.formats.losses import (
    MISALIGNED,
    SNAP_OVERLAP,
    check_strict,
    conll_losses,
    doccano_losses,
    snap_to_tokens,
    summary_of,
)
from annotate.corpus.ingest import InputError
from annotate.labels import EVENT_ROLES, VALUE_LABELS, EventRoles
from annotate.formats.targets import TargetError, resolve_target
from store.db import StoreError
from store.models import DONE, STATUSES, Span
from store.repo import Store

FORMATS = ("jsonl", "spacy", "doccano", "conll", "brat")
DIRECTORY_FORMATS = ("spacy", "brat")
MANIFEST = "glossator-export.json"
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
# The line spaCy's conll_ner_to_docs splits documents on (CoNLL-2003 readers only look at "-DOCSTART-").
DOCSTART = "-DOCSTART- -X- O O"
_SENTENCE_END = {".", "!", "?", "…"}


@dataclass(frozen=True)
class ExportFilters:
    """Which articles and spans an export holds. ``statuses`` None means: done for gold, all for
    suggestions. Dates are ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, compared at the coarser of the two
    precisions (an article dated ``2023-12`` is inside ``--since 2023-12-15``)."""

    what: str = GOLD
    statuses: tuple[str, ...] | None = None
    annotator: str | None = None
    since: str | None = None
    until: str | None = None
    labels: frozenset[str] | None = None

    def wanted_statuses(self) -> tuple[str, ...]:
        """The statuses exported."""
        if self.statuses:
            return self.statuses
        return (DONE,) if self.what == GOLD else STATUSES


@dataclass
class FormatReport(ExportReport):
    """An export report that also names the files written and counts the training split."""

    fmt: str = "jsonl"
    target: str = "-"
    train: int = 0
    dev: int = 0
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """Human summary for the terminal (articles, spans per label, events, warnings)."""
        per_label = ", ".join(f"{k} {v}" for k, v in sorted(self.labels.items())) or "no spans"
        unit = "lines" if self.fmt in ("jsonl", "doccano") else "documents"
        text = f"{self.lines} {unit} from {self.articles} articles; {per_label}; {self.events} events"
        if self.fmt == "spacy":
            text += f"; train {self.train} documents, dev {self.dev} documents"
        text += f"; {summary_of(self)}"
        text += f"; {len(self.warnings)} warnings"
        if self.target != "-":
            text += f"; wrote {self.target}"
        return text


def check_filters(filters: ExportFilters, known_labels: tuple[str, ...]) -> None:
    """Raise InputError (one line) on a filter that cannot mean anything."""
    if filters.what not in (GOLD, SUGGESTIONS):
        raise InputError(f"--what must be gold or suggestions, not {filters.what!r}")
    for status in filters.statuses or ():
        if status not in STATUSES:
            raise InputError(f"unknown status {status!r} (known: {', '.join(STATUSES)})")
    for name, value in (("--since", filters.since), ("--until", filters.until)):
        if value is not None and not _DATE.match(value):
            raise InputError(f"{name} {value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    if filters.since and filters.until and _cut(filters.since, filters.until) > _cut(filters.until, filters.since):
        raise InputError(f"--since {filters.since} is after --until {filters.until}")
    unknown = sorted((filters.labels or frozenset()) - set(known_labels))
    if unknown:
        raise InputError(f"unknown label {', '.join(unknown)} (known: {', '.join(known_labels)})")
    if filters.annotator and filters.what != GOLD:
        raise InputError("--annotator selects gold; suggestions have no annotator")


def _cut(date: str, other: str) -> str:
    return date[:min(len(date), len(other))]


def in_range(date: str | None, since: str | None, until: str | None) -> bool:
    """Whether an article date falls in [since, until] (undated articles fall in no range)."""
    if since is None and until is None:
        return True
    if not date:
        return False
    return (since is None or _cut(date, since) >= _cut(since, date)) and \
           (until is None or _cut(date, until) <= _cut(until, date))


def iter_records(store: Store, filters: ExportFilters, report: ExportReport) -> Iterator[dict[str, Any]]:
    """Prodigy-shaped records (see export_jsonl.task) of the articles and spans the filters select,
    streamed. Gold: one record per annotator whose own review status is wanted (by default: who
    marked the article done, as export_jsonl does). Suggestions: one record per article whose
    overall status is wanted."""
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
            yield task(article, sugs[0].source if sugs else "", spans, args, report=report)
    if undated and isinstance(report, FormatReport):
        report.notes.append(f"{undated} undated articles are outside --since/--until")


def _keep(spans: list[Span], labels: frozenset[str] | None) -> list[Span]:
    return spans if labels is None else [s for s in spans if s.label in labels]


def known_labels(entity_labels: tuple[str, ...]) -> tuple[str, ...]:
    """Every label an export can filter on."""
    return (*entity_labels, *VALUE_LABELS, *EVENT_ROLES)


def warn_shared_articles(records: list[dict[str, Any]], report: ExportReport) -> None:
    """Training formats: say when one article is there twice (two annotators) rather than pick one."""
    by_article: dict[str, list[str]] = {}
    for rec in records:
        by_article.setdefault(rec["meta"]["article_id"], []).append(rec["meta"]["annotator"])
    for article_id, names in by_article.items():
        if len(names) > 1:
            report.warnings.append(f"article {article_id} has gold from {len(names)} annotators "
                                   f"({', '.join(names)}); each is a document, --annotator picks one")


# -- line formats -----------------------------------------------------------


def write_jsonl(records: Iterator[dict[str, Any]], stream: IO[str], report: ExportReport) -> None:
    """Our Prodigy-compatible JSONL, byte-identical to export_jsonl."""
    for record in records:
        stream.write(json.dumps(snap_to_tokens(record, report), ensure_ascii=False) + "\n")
        report.lines += 1


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


def conll_lines(record: dict[str, Any], report: ExportReport) -> list[str]:
    """CoNLL-2003 columns (token, -X-, _, IOB2 tag) of one document's entities (not DATE/QUANTITY
    values, not event triggers: like spaCy's ``doc.ents``, this is the NER layer).

    Whitespace tokens are left out (a column file cannot hold them); sentences end after . ! ? …
    or at a line break, never inside an entity. A span that does not align is expanded to whole
    tokens (its record already carries the expanded token range); one that then overlaps another is
    reported and left out.
    """
    tokens, source = record["tokens"], record["meta"]["source"]
    tags = ["O"] * len(tokens)
    for span in record["spans"]:
        if span["label"] in VALUE_LABELS:
            continue
        first, last = span["token_start"], span["token_end"]
        if any(t != "O" for t in tags[first:last + 1]):
            report.warnings.append(f"{source}: {span['label']} span {span['start']}-{span['end']} "
                                   f"{span['text']!r} overlaps another once snapped to tokens; left out of CoNLL")
            report.losses[SNAP_OVERLAP] += 1
            continue
        if (tokens[first]["start"], tokens[last]["end"]) != (span["start"], span["end"]):
            report.warnings.append(f"{source}: {span['label']} span {span['start']}-{span['end']} {span['text']!r} "
                                   "does not align with tokens; tagged on whole tokens")
            report.losses[MISALIGNED] += 1
        tags[first] = f"B-{span['label']}"
        for i in range(first + 1, last + 1):
            tags[i] = f"I-{span['label']}"
    lines = [DOCSTART, ""]
    sentence: list[str] = []
    for tok, tag in zip(tokens, tags):
        word = tok["text"]
        if not word.strip():
            if "\n" in word and sentence and not tag.startswith("I-"):
                lines.extend([*sentence, ""])
                sentence = []
            continue
        if any(c.isspace() for c in word):
            report.warnings.append(f"{source}: token {word!r} at {tok['start']} holds whitespace; written with _")
            word = re.sub(r"\s", "_", word)
        sentence.append(f"{word} -X- _ {tag}")
        following = tags[tok["id"] + 1] if tok["id"] + 1 < len(tags) else "O"
        if word in _SENTENCE_END and not following.startswith("I-"):
            lines.extend([*sentence, ""])
            sentence = []
    if sentence:
        lines.extend([*sentence, ""])
    return lines


def write_conll(records: Iterator[dict[str, Any]], stream: IO[str], report: ExportReport) -> None:
    """CoNLL-2003 style BIO, ``-DOCSTART-`` before each document."""
    for record in records:
        conll_losses(record, report)
        stream.write("\n".join(conll_lines(record, report)) + "\n")
        report.lines += 1


# -- directory outputs ------------------------------------------------------


def check_directory_target(target: str | Path, database: Path | None = None) -> Path:
    """The folder an export may write (or replace), links resolved; InputError otherwise. Called
    before any work. The open database's files (and any SQLite file) are refused by name too, so
    that ``-o g.db-wal`` cannot become a folder where SQLite keeps its log."""
    try:
        checked = resolve_target(target, database, folder=True)
    except TargetError as exc:
        raise InputError(str(exc)) from None
    assert checked.path is not None
    path = checked.path
    if path.is_dir() and any(path.iterdir()) and not (path / MANIFEST).exists():
        raise InputError(f"{target}: folder is not empty and holds no earlier glossator export; choose a new folder")
    return path


@contextmanager
def directory_writer(target: str | Path, manifest: dict[str, Any], database: Path | None = None) -> Iterator[Path]:
    """Yield a temp folder beside ``target``; on success it replaces ``target`` whole.

    An existing target is replaced only if it is empty or a previous glossator export (it holds
    the manifest), so that ``-o ~`` cannot wipe a folder of someone's files. The name always holds
    the old or the new export (see atomic.swap_in); leftovers of a killed run are cleaned here.
    """
    path = check_directory_target(target, database)
    try:
        with folder_lock(path.parent) as locked:
            recover_folder(path, locked)
            path = check_directory_target(target, database)  # a recovered folder is checked too
            tmp = new_folder(path)
            try:
                yield tmp
                with atomic_writer(tmp / MANIFEST) as stream:
                    stream.write(json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
                swap_in(tmp, path)
            except BaseException:
                shutil.rmtree(tmp, ignore_errors=True)
                raise
    except OSError as exc:
        # Full disk, quota, permissions: one clear line, not a traceback.
        raise StoreError(f"{target}: cannot write ({exc.strerror or exc}); nothing written, "
                         "any previous export is untouched") from exc


def manifest_of(fmt: str, filters: ExportFilters, **extra: Any) -> dict[str, Any]:
    """What a folder export says about itself (format, filters, split)."""
    return {"format": fmt, "what": filters.what, "statuses": list(filters.wanted_statuses()),
            "annotator": filters.annotator, "since": filters.since, "until": filters.until,
            "labels": sorted(filters.labels) if filters.labels else None, **extra}


def export(store: Store, target: str | Path, fmt: str, filters: ExportFilters, entity_labels: tuple[str, ...],
           eval_split: float = 0.2, seed: int = 0, event_roles: EventRoles = EVENT_ROLES,
           strict: bool = False) -> FormatReport:
    """Write one export in any format; returns its report. Nothing half-written is left behind.
    ``strict``: anything the format cannot hold (``report.losses``) is an InputError, nothing written."""
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    check_filters(filters, known_labels(entity_labels))
    report = FormatReport(fmt=fmt, target=str(target))
    if fmt == "spacy":
        from annotate.formats.spacy import export_spacy

        export_spacy(store, target, filters, report, eval_split=eval_split, seed=seed, strict=strict)
        return report
    if fmt == "brat":
        from annotate.formats.brat import export_brat

        export_brat(store, target, filters, report, entity_labels, event_roles, strict=strict)
        return report
    checked = resolve_target(target, store.path)  # before any work: not the database, not a folder
    records = iter_records(store, filters, report)
    writer = {"jsonl": write_jsonl, "doccano": write_doccano, "conll": write_conll}[fmt]
    if strict:
        # Losses are known only once every record is written: hold the output until then.
        buffer = io.StringIO()
        writer(records, buffer, report)
        check_strict(report, fmt)
        with atomic_writer(checked) as stream:
            stream.write(buffer.getvalue())
        return report
    with atomic_writer(checked) as stream:
        writer(records, stream, report)
    return report
