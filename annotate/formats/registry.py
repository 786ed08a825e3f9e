"""Every format glossator reads or writes, in one table: its name, its exporter, its importer (if
any), whether it writes a folder, and what it is. The CLI and the service ask this table; each
format lives in its own module (jsonl, spacy, doccano, conll, brat, labelstudio) over the shared
ones (records, filters, reports, losses, outputs, validate, atomic, targets), which import no format.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from annotate.errors import InputError
from annotate.formats.filters import ExportFilters, ExportOptions, check_filters, known_labels
from annotate.formats.reports import FormatReport, ImportReport
from annotate.labels import EVENT_ROLES, EventRoles
from store.repo import Store

Exporter = Callable[[Store, "str | Path", ExportFilters, FormatReport, ExportOptions], None]
Importer = Callable[[Store, Path, str, tuple[str, ...], EventRoles], ImportReport]


def _load(where: str) -> Callable[..., object]:
    """The function ``module:name`` of annotate.formats, its module imported on first use."""
    module, name = where.split(":")
    return getattr(importlib.import_module(f"annotate.formats.{module}"), name)


@dataclass(frozen=True)
class Format:
    """One format: how to write it and, if glossator reads it back, how to read it.

    Its exporter and importer are named (``module:function``) and imported when used: every
    command line builds its help from this table, and importing all six formats (brat's and Label
    Studio's modules, XML and HTTP among theirs) cost a ``glossator import`` of JSONL ~50 ms."""

    name: str
    description: str
    exporter_at: str
    importer_at: str | None = None
    folder: bool = False  # writes a folder (``-o DIR``), not one file
    unit: str = "documents"  # what its summary counts

    @property
    def exporter(self) -> Exporter:
        """The function writing this format."""
        return _load(self.exporter_at)  # type: ignore[return-value]

    @property
    def importer(self) -> Importer | None:
        """The function reading this format back (None: glossator does not)."""
        return None if self.importer_at is None else _load(self.importer_at)  # type: ignore[return-value]


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("jsonl", "Prodigy-compatible JSONL with our events (reads Prodigy and doccano JSONL too)",
           "jsonl:export_records", "jsonl:import_jsonl", unit="lines"),
    Format("spacy", "spaCy training corpus: train.spacy, dev.spacy and config.cfg", "spacy:export_spacy",
           folder=True),
    Format("doccano", "doccano sequence-labelling JSONL", "doccano:export_doccano", "jsonl:import_jsonl",
           unit="lines"),
    Format("conll", "CoNLL-2003 BIO columns of the entity layer, -DOCSTART- -X- -X- O and the ids",
           "conll:export_conll"),
    Format("conll-spacy", "the same columns with spaCy's document line (spacy convert -c ner)",
           "conll:export_conll_spacy"),
    Format("brat", "brat standoff: .txt/.ann per article and the brat configuration", "brat:export_brat",
           "brat:import_brat", folder=True),
    Format("labelstudio", "Label Studio tasks JSON (its labelling config with --config)",
           "labelstudio:export_labelstudio", "labelstudio:import_labelstudio", unit="tasks"),
    Format("labelstudio-config", "Label Studio labelling config XML for the project's labels",
           "labelstudio:export_config", unit="labelling configs"),
)}


def names() -> tuple[str, ...]:
    """The export format names, in table order."""
    return tuple(FORMATS)


def import_names() -> tuple[str, ...]:
    """The formats glossator imports."""
    return tuple(name for name, f in FORMATS.items() if f.importer_at is not None)


def format_of(name: str) -> Format:
    """The format called ``name``; InputError naming the known ones otherwise."""
    if name not in FORMATS:
        raise InputError(f"unknown format {name!r} (known: {', '.join(FORMATS)})")
    return FORMATS[name]


def export(store: Store, target: str | Path, fmt: str, filters: ExportFilters, entity_labels: tuple[str, ...],
           eval_split: float = 0.2, seed: int = 0, event_roles: EventRoles = EVENT_ROLES,
           strict: bool = False, colors: Mapping[str, str] | None = None) -> FormatReport:
    """Write one export in any format; returns its report. Nothing half-written is left behind.
    ``strict``: anything the format cannot hold (``report.losses``) is an InputError, nothing written."""
    found = format_of(fmt)
    check_filters(filters, known_labels(entity_labels, event_roles))
    report = FormatReport(fmt=fmt, target=str(target), unit=found.unit)
    options = ExportOptions(entity_labels=entity_labels, event_roles=event_roles, colors=dict(colors or {}),
                            eval_split=eval_split, seed=seed, strict=strict)
    found.exporter(store, target, filters, report, options)
    return report


def import_gold(store: Store, path: Path, fmt: str | None, annotator: str, entity_labels: tuple[str, ...],
                event_roles: EventRoles = EVENT_ROLES) -> ImportReport:
    """Import gold in ``fmt`` (None: brat for a folder, Label Studio for a ``.json`` file, else JSONL)."""
    path = Path(path)
    if fmt is None:
        fmt = "brat" if path.is_dir() else "labelstudio" if path.suffix.lower() == ".json" else "jsonl"
    found = FORMATS.get(fmt)
    importer = None if found is None else found.importer
    if importer is None:
        raise InputError(f"unknown import format {fmt!r} (known: {', '.join(import_names())})")
    return importer(store, path, annotator, entity_labels, event_roles)

