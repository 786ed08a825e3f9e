"""The ``glossator`` command line. Thin: parses options, calls the service, prints.

Library errors become one clear line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import functools
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Optional

import typer

from annotate.config import DEFAULT_TOML, config_path_for
from annotate.service import ConfigError, InputError, ReviewError, Service, StoreError, resolve_db

app = typer.Typer(
    name="glossator",
    help="Terminal-first, model-assisted annotation of news articles.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

DbOpt = typer.Option(None, "--db", help="Database file (default: $GLOSSATOR_DB or ./glossator.db).")
AnnotatorOpt = typer.Option(None, "--annotator", help="Who you are (default: config, $GLOSSATOR_ANNOTATOR, user name).")


def fail(message: str, code: int = 1) -> None:
    """Print an error line and exit."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def handled(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn known errors into a message and exit code 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (ConfigError, StoreError, InputError, ReviewError) as exc:
            fail(str(exc))
        except KeyboardInterrupt:
            typer.echo("interrupted: everything finished before Ctrl-C is saved", err=True)
            raise typer.Exit(130) from None

    return wrapper


def open_service(db: Optional[Path], annotator: Optional[str] = None, readonly: bool = False) -> Service:
    """The service for a command."""
    return Service.open(db, annotator=annotator, readonly=readonly)


def progress_bar(label: str) -> Any:
    """A Rich progress bar on stderr."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    return Progress(
        TextColumn(label), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn(), console=Console(stderr=True), transient=False,
    )


@app.command()
@handled
def init(db: Optional[Path] = DbOpt, force: bool = typer.Option(False, "--force", help="Overwrite an existing file.")) -> None:
    """Write a commented glossator.toml beside the database."""
    target = config_path_for(resolve_db(db))
    if target.exists() and not force:
        fail(f"{target} exists (use --force to overwrite)")
    target.write_text(DEFAULT_TOML, encoding="utf-8")
    typer.echo(f"wrote {target}")


@app.command()
@handled
def ingest(paths: list[Path] = typer.Argument(..., help=".txt files, folders (recursive) or .jsonl files."),
           db: Optional[Path] = DbOpt) -> None:
    """Add articles to the database (idempotent: the same text is never added twice)."""
    service = open_service(db)
    with progress_bar("ingest") as bar:
        task = bar.add_task("ingest", total=None, rate="")
        report = service.ingest(paths, progress=lambda done, total: bar.update(task, completed=done, total=total))
    for message in report.failures:
        typer.echo(f"error: {message}", err=True)
    for message in report.flagged:
        typer.echo(f"flagged: {message}", err=True)
    typer.echo(report.summary())
    if report.failures and not report.added and not report.duplicates:
        raise typer.Exit(1)


@app.command()
@handled
def suggest(db: Optional[Path] = DbOpt,
            model: Optional[str] = typer.Option(None, "--model", help="Installed spaCy pipeline (default: config)."),
            n_process: int = typer.Option(1, "--n-process", min=1, help="Worker processes for nlp.pipe."),
            batch_size: int = typer.Option(32, "--batch-size", min=1, help="Articles per batch (one transaction each)."),
            force: bool = typer.Option(False, "--force", help="Re-suggest even articles whose cache is fresh.")) -> None:
    """Suggest entity and event spans for every article that needs it. Ctrl-C keeps what is done."""
    from annotate.suggest import ModelNotFound
    from annotate.suggesting import compute

    service = open_service(db)
    plan = service.suggest_plan(model=model, force=force)
    if not plan.items:
        typer.echo(f"nothing to do: {plan.up_to_date} articles already suggested with {plan.fingerprint}")
        return
    done = words = 0
    started = time.perf_counter()
    try:
        with progress_bar("suggest") as bar:
            task = bar.add_task("suggest", total=len(plan.items), rate="loading model…")
            for batch in compute(plan, batch_size=batch_size, n_process=n_process):
                service.save_suggestions(plan, batch)
                done += len(batch)
                rate = done / max(time.perf_counter() - started, 1e-9)
                bar.update(task, completed=done, rate=f"{rate:.1f} articles/s")
    except ModelNotFound as exc:
        fail(str(exc))
    typer.echo(f"{done} articles suggested with {plan.fingerprint}; {plan.up_to_date} were up to date")
    del words


@app.command()
@handled
def review(paths: list[Path] = typer.Argument(None, help="Ingest and suggest these first, then open."),
           db: Optional[Path] = DbOpt, annotator: Optional[str] = AnnotatorOpt) -> None:
    """Open the review app."""
    from tui.app import GlossatorApp

    service = open_service(db, annotator)
    GlossatorApp(service, ingest_paths=list(paths or [])).run()


@app.command("export")
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


@app.command("import")
@handled
def import_cmd(path: Path = typer.Argument(..., help="JSONL of gold annotations."),
               db: Optional[Path] = DbOpt, annotator: Optional[str] = AnnotatorOpt) -> None:
    """Import gold from JSONL (the articles count as reviewed)."""
    service = open_service(db, annotator)
    report = service.import_jsonl(path)
    typer.echo(report.summary())


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
