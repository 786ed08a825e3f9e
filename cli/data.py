"""Data in and out: ``glossator export``, ``import``, ``evaluate`` and ``events``."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from annotate.formats.registry import FORMATS, import_names
from cli.common import AnnotatorOpt, DbOpt, echo, fail, handled, json_out, open_service

_FOLDERS = " and ".join(name for name, f in FORMATS.items() if f.folder)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.command("export")(export_cmd)
    app.command("import")(import_cmd)
    app.command("evaluate")(evaluate_cmd)
    app.command("events")(events_cmd)


def _split(values: Optional[list[str]]) -> list[str]:
    """Repeated and comma-separated option values as one list."""
    return [v.strip() for value in values or [] for v in value.split(",") if v.strip()]


@handled
def export_cmd(db: Optional[Path] = DbOpt,
               what: str = typer.Option("gold", "--what", help="gold (reviewed articles) or suggestions."),
               fmt: str = typer.Option("jsonl", "--format", help="; ".join(f"{name}: {f.description}"
                                                                            for name, f in FORMATS.items()) + "."),
               output: str = typer.Option("-", "-o", "--output",
                                          help=f"File to write, - for stdout; a folder for {_FOLDERS}."),
               annotator: Optional[str] = typer.Option(None, "--annotator", help="Only this annotator's gold."),
               status: Optional[list[str]] = typer.Option(
                   None, "--status", help="todo, in_progress, done (repeat or comma-separate; default: done for "
                                          "gold, every status for suggestions)."),
               since: Optional[str] = typer.Option(None, "--since", help="Articles dated on or after (YYYY[-MM[-DD]])."),
               until: Optional[str] = typer.Option(None, "--until", help="Articles dated on or before (YYYY[-MM[-DD]])."),
               labels: Optional[list[str]] = typer.Option(
                   None, "--labels", help="Only spans with these labels (comma-separated or repeated)."),
               eval_split: float = typer.Option(0.2, "--eval-split", help="spacy: share of articles in dev.spacy."),
               seed: int = typer.Option(0, "--seed", help="spacy: seed of the train/dev split."),
               strict: bool = typer.Option(False, "--strict",
                                           help="Fail (write nothing) if the format cannot hold everything."),
               config: bool = typer.Option(False, "--config",
                                           help="labelstudio: write the labelling config (XML) instead of the tasks.")
               ) -> None:
    """Export gold or suggestions (JSONL, spaCy training corpus, doccano, CoNLL, brat, Label Studio)."""
    if fmt not in FORMATS:
        fail(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    if config:
        if fmt != "labelstudio":
            fail("--config goes with --format labelstudio (its labelling config)")
        fmt = "labelstudio-config"
    service = open_service(db, readonly=True)
    report = service.data.export_data(output, fmt=fmt, what=what, statuses=_split(status), annotator=annotator,
                                 since=since, until=until, labels=_split(labels), eval_split=eval_split, seed=seed,
                                 strict=strict)
    for warning in report.warnings:
        echo(f"warning: {warning}", err=True)
    for note in report.notes:
        echo(f"note: {note}", err=True)
    echo(report.summary(), err=True)


@handled
def import_cmd(path: Path = typer.Argument(
                   ..., help="JSONL of gold annotations (ours, Prodigy, doccano), a Label Studio JSON export, "
                             "or a folder of brat files."),
               db: Optional[Path] = DbOpt, annotator: Optional[str] = AnnotatorOpt,
               fmt: Optional[str] = typer.Option(
                   None, "--format", help=f"{', '.join(import_names())} (default: brat for a folder, labelstudio "
                                          "for a .json file, jsonl otherwise).")) -> None:
    """Import gold from JSONL, brat standoff or Label Studio (the articles count as reviewed)."""
    if fmt is not None and fmt not in import_names():
        fail(f"unknown import format {fmt!r} (known: {', '.join(import_names())})")
    service = open_service(db, annotator)
    report = service.data.import_data(path, fmt)
    for line in report.warnings:
        echo(f"warning: {line}", err=True)
    for line in report.skipped:
        echo(f"skipped: {line}", err=True)
    echo(report.summary())


@handled
def evaluate_cmd(model: Optional[str] = typer.Option(
                     None, "--model", help="Installed pipeline or pipeline folder (default: the project model)."),
                 db: Optional[Path] = DbOpt,
                 as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON.")) -> None:
    """Score a spaCy pipeline's entities against the gold: precision, recall, F1 per label."""
    service = open_service(db, readonly=True)
    report = service.learn.evaluate(model)
    if as_json:
        json_out(report.as_dict(), indent=2)
    else:
        echo(report.table())


@handled
def events_cmd(db: Optional[Path] = DbOpt,
               as_json: bool = typer.Option(False, "--json", help="Print the events as JSON.")) -> None:
    """Gold events across the corpus by date, with their arguments' canonical names."""
    service = open_service(db, readonly=True)
    timeline = service.data.events_timeline()
    if as_json:
        json_out([e.as_dict() for e in timeline], indent=2)
    else:
        echo(service.data.render_timeline(timeline))
