"""The ``glossator`` command line. Thin: parses options, calls the service, prints.

Library errors become one clear line on stderr and a non-zero exit, never a traceback.
Commands live in modules by area (``cli_data`` …); this module assembles them.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Optional

import typer

from annotate.config import DEFAULT_TOML, config_path_for
from annotate.service import ReadOnlyDatabase, resolve_db
from cli import admin as cli_admin
from cli import data as cli_data
from cli import entities as cli_entities
from cli import learn as cli_learn
from cli import search as cli_search
from cli import team as cli_team
from cli.common import AnnotatorOpt, DbOpt, echo, fail, handled, new_app, open_service, progress_bar

app = new_app("glossator", "Terminal-first, model-assisted annotation of news articles.")


@app.command()
@handled
def init(db: Optional[Path] = DbOpt, force: bool = typer.Option(False, "--force", help="Overwrite an existing file.")) -> None:
    """Write a commented glossator.toml beside the database."""
    target = config_path_for(resolve_db(db))
    if target.exists() and not force:
        fail(f"{target} exists (use --force to overwrite)")
    target.write_text(DEFAULT_TOML, encoding="utf-8")
    echo(f"wrote {target}")


@app.command()
@handled
def ingest(paths: list[Path] = typer.Argument(..., help=".txt files, folders (recursive) or .jsonl files."),
           db: Optional[Path] = DbOpt) -> None:
    """Add articles to the database (idempotent: the same text is never added twice)."""
    service = open_service(db)
    with cli_search.ingest_bar() as bar:  # bytes of input read: a JSONL file of a million lines moves it too
        task = bar.add_task("ingest", total=None)
        report = service.data.ingest(paths, progress=lambda done, total: bar.update(task, completed=done, total=total))
    for message in report.failures:
        echo(f"error: {message}", err=True)
    for message in report.flagged:
        echo(f"flagged: {message}", err=True)
    if report.flagged_count > len(report.flagged):
        echo(f"flagged: … and {report.flagged_count - len(report.flagged)} more", err=True)
    echo(report.summary())
    if report.failures and not report.added and not report.duplicates:
        raise typer.Exit(1)


@app.command()
@handled
def suggest(db: Optional[Path] = DbOpt,
            model: Optional[str] = typer.Option(None, "--model", help="Installed spaCy pipeline (default: config)."),
            n_process: int = typer.Option(1, "--n-process", min=1, help="Worker processes for nlp.pipe."),
            batch_size: int = typer.Option(32, "--batch-size", min=1, help="Articles per batch (one transaction each)."),
            force: bool = typer.Option(False, "--force", help="Re-suggest even articles whose cache is fresh."),
            cluster: Optional[str] = typer.Option(None, "--cluster", metavar="ADDRESS",
                                                  help="Compute on a Dask scheduler (tcp://host:8786); "
                                                       "this machine alone writes the database.")) -> None:
    """Suggest entity and event spans for every article that needs it. Ctrl-C keeps what is done."""
    from annotate.suggest import ModelNotFound
    from annotate.suggest.run import ClusterUnavailable, compute

    service = open_service(db)
    plan = service.learn.suggest_plan(model=model, force=force)
    if not plan.items:
        echo(plan.summary(0))
        return
    done = 0
    started = time.perf_counter()
    try:
        with progress_bar("suggest") as bar:
            task = bar.add_task("suggest", total=len(plan.items), rate="loading model…")
            if cluster:
                from annotate.suggest import cluster as on_cluster

                batches = on_cluster.compute(plan, cluster, batch_size=batch_size)
            else:
                batches = compute(plan, batch_size=batch_size, n_process=n_process)
            try:
                for batch in batches:
                    service.learn.save_suggestions(plan, batch)
                    done += len(batch)
                    rate = done / max(time.perf_counter() - started, 1e-9)
                    bar.update(task, completed=done, rate=f"{rate:.1f} articles/s")
            finally:
                batches.close()  # Ctrl-C: stop the workers (or the cluster's jobs) now
    except (ModelNotFound, ClusterUnavailable) as exc:
        fail(str(exc))
    echo(plan.summary(done))


@app.command()
@handled
def review(paths: list[Path] = typer.Argument(None, help="Ingest and suggest these first, then open."),
           db: Optional[Path] = DbOpt, annotator: Optional[str] = AnnotatorOpt) -> None:
    """Open the review app."""
    from tui.app import GlossatorApp

    notice = None
    try:
        service = open_service(db, annotator)
    except ReadOnlyDatabase as exc:
        if paths:
            fail(f"{exc}; cannot ingest into it")
        # Reading, browsing and exporting still work; every change is refused with a message.
        service = open_service(db, annotator, readonly=True)
        notice = f"{exc}. Opened read-only: you can browse, nothing you change can be saved."
        echo(f"warning: {notice}", err=True)
    app = GlossatorApp(service, ingest_paths=list(paths or []), notice=notice)
    app.run()
    if app.return_code:  # an unhandled error: the app printed it on exit
        raise typer.Exit(app.return_code)


cli_data.register(app)
cli_entities.register(app)
cli_team.register(app)
cli_admin.register(app)
cli_learn.register(app)
cli_search.register(app)


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        echo("interrupted", err=True)
        sys.exit(130)
