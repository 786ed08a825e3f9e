"""Teams: ``glossator merge``, ``glossator agreement`` and ``glossator stats``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from tui.cli_common import DbOpt, handled, open_service

CLUSTERS_SHOWN = 10


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.command("merge")(merge_cmd)
    app.command("agreement")(agreement_cmd)
    app.command("stats")(stats_cmd)


@handled
def merge_cmd(paths: list[Path] = typer.Argument(..., help="Annotators' copies of the database (.db files)."),
              db: Optional[Path] = DbOpt) -> None:
    """Merge annotators' copies into the database: one transaction per file; merging twice adds nothing."""
    service = open_service(db)
    for path in paths:
        report = service.merge_copy(path)
        for note in report.notes:
            typer.echo(f"note: {note}", err=True)
        for entity_id, into in report.merged:
            typer.echo(f"merged entity {entity_id} into {into}", err=True)
        for cluster in report.clusters[:CLUSTERS_SHOWN]:
            typer.echo(f"possible duplicates: {', '.join(cluster.entity_ids)} ({cluster.score:.0f}, "
                       f"{cluster.evidence})", err=True)
        if len(report.clusters) > CLUSTERS_SHOWN:
            typer.echo(f"… and {len(report.clusters) - CLUSTERS_SHOWN} more clusters", err=True)
        if report.clusters:
            typer.echo("review them with: glossator entities duplicates", err=True)
        typer.echo(report.summary())


@handled
def agreement_cmd(db: Optional[Path] = DbOpt,
                  as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table.")) -> None:
    """Inter-annotator agreement: span F1 (exact, overlap), token kappa, link agreement, per label."""
    report = open_service(db, readonly=True).agreement()
    typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) if as_json else report.table())


@handled
def stats_cmd(db: Optional[Path] = DbOpt,
              as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text.")) -> None:
    """Progress, throughput per annotator, label counts, entities and duplicate clusters left."""
    stats = open_service(db, readonly=True).team_stats()
    typer.echo(json.dumps(stats.to_dict(), ensure_ascii=False, indent=2) if as_json else "\n".join(stats.lines()))
