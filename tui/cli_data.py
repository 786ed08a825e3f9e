"""Data in and out: ``glossator export`` and ``glossator import``."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from tui.cli_common import AnnotatorOpt, DbOpt, fail, handled, open_service


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.command("export")(export_cmd)
    app.command("import")(import_cmd)


@handled
def export_cmd(db: Optional[Path] = DbOpt,
               what: str = typer.Option("gold", "--what", help="gold (reviewed articles) or suggestions."),
               fmt: str = typer.Option("jsonl", "--format", help="jsonl (Prodigy-compatible)."),
               output: str = typer.Option("-", "-o", "--output", help="File to write, - for stdout."),
               annotator: Optional[str] = typer.Option(None, "--annotator", help="Only this annotator's gold.")) -> None:
    """Export gold or suggestions."""
    if what not in ("gold", "suggestions"):
        fail(f"--what must be gold or suggestions, not {what!r}")
    if fmt != "jsonl":
        fail(f"unknown format {fmt!r} (known: jsonl)")
    service = open_service(db, readonly=True)
    report = service.export_jsonl(output, what=what, annotator=annotator)
    for warning in report.warnings:
        typer.echo(f"warning: {warning}", err=True)
    typer.echo(report.summary(), err=True)


@handled
def import_cmd(path: Path = typer.Argument(..., help="JSONL of gold annotations."),
               db: Optional[Path] = DbOpt, annotator: Optional[str] = AnnotatorOpt) -> None:
    """Import gold from JSONL (the articles count as reviewed)."""
    service = open_service(db, annotator)
    report = service.import_jsonl(path)
    typer.echo(report.summary())
