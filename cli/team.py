"""Teams: ``glossator merge``, ``glossator agreement`` and ``glossator stats``."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from cli.common import DbOpt, echo, handled, json_out, open_service

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
        report = service.team.merge_copy(path)
        for note in report.notes:
            echo(f"note: {note}", err=True)
        for entity_id, into in report.merged:
            echo(f"merged entity {entity_id} into {into}", err=True)
        for cluster in report.clusters[:CLUSTERS_SHOWN]:
            echo(f"possible duplicates: {', '.join(cluster.entity_ids)} ({cluster.score:.0f}, "
                       f"{cluster.evidence})", err=True)
        if len(report.clusters) > CLUSTERS_SHOWN:
            echo(f"… and {len(report.clusters) - CLUSTERS_SHOWN} more clusters", err=True)
        if report.clusters:
            echo("review them with: glossator entities duplicates", err=True)
        echo(report.summary())


@handled
def agreement_cmd(db: Optional[Path] = DbOpt,
                  as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table.")) -> None:
    """Inter-annotator agreement: span F1 (exact, overlap), token kappa, link agreement, per label."""
    report = open_service(db, readonly=True).team.agreement()
    if as_json:
        json_out(report.to_dict(), indent=2)
    else:
        echo(report.table())


@handled
def stats_cmd(db: Optional[Path] = DbOpt,
              as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text.")) -> None:
    """Progress, throughput per annotator, label counts, entities and duplicate clusters left."""
    stats = open_service(db, readonly=True).team.stats()
    if as_json:
        json_out(stats.to_dict(), indent=2)
    else:
        echo("\n".join(stats.lines()))
