"""Looking after the database file: ``glossator backup``."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from cli.common import DbOpt, echo, handled, open_service


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.command("backup")(backup_cmd)


@handled
def backup_cmd(output: Optional[Path] = typer.Option(
                   None, "-o", "--output", help="Backup file (default: DB-YYYYmmdd-HHMMSS.db beside the database)."),
               db: Optional[Path] = DbOpt) -> None:
    """Copy the database consistently, even while the app is open and writing."""
    # Read-only: a backup must not migrate or otherwise change what it copies.
    service = open_service(db, readonly=True)
    try:
        report = service.data.backup(output)
    finally:
        service.close()
    # A backup streamed to standard output must not have the summary mixed into it.
    echo(report.summary(), err=report.streamed)
