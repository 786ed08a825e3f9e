"""``glossator search``: full-text search of titles and texts (FTS5), and the ingest progress bar."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import typer

from annotate.corpus.listing import RANKED, is_ranked
from annotate.corpus.listing import search as search_corpus
from cli.common import DbOpt, echo, fail, handled, json_out, open_service


def register(app: typer.Typer) -> None:
    """Add the ``search`` command to ``app``."""

    @app.command()
    @handled
    def search(query: str = typer.Argument(..., help="Words to find (all of them; case and accents ignored; "
                                                     "a word ending in * is a prefix)."),
               db: Optional[Path] = DbOpt,
               as_json: bool = typer.Option(False, "--json", help="Print the matches as a JSON list (id, title, snippet, marks)."),
               limit: int = typer.Option(20, "--limit", min=1, help="Most articles shown (best first).")) -> None:
        """Find articles by the words of their title and text; shows each match in context."""
        from annotate.service import ReadOnlyDatabase, resolve_db

        if not resolve_db(db).exists():
            fail(f"{resolve_db(db)}: no such database")
        try:
            service = open_service(db)  # for writing: an older database gets its index built first
        except ReadOnlyDatabase:
            service = open_service(db, readonly=True)
        try:
            hits = search_corpus(service, query, limit)
            ranked = is_ranked(service, query)
        finally:
            service.close()
        if as_json:
            json_out([{"id": h.id, "title": h.title, "snippet": h.snippet, "marks": [list(m) for m in h.marks]}
                      for h in hits], indent=2)
            return
        if not hits:
            echo("no match")
            raise typer.Exit(1)
        if not ranked:
            echo(f"note: more than {RANKED:,} articles match: the first ones in ingest order, not ranked "
                 "(add a word to narrow the search)", err=True)
        for hit in hits:
            echo(f"{hit.id}  {hit.title}")
            echo(f"    {hit.snippet}")


def ingest_bar() -> Any:
    """A Rich progress bar on stderr counting bytes of input read (MB, speed, time left)."""
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn, TransferSpeedColumn

    return Progress(TextColumn("ingest"), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
                    TimeRemainingColumn(), console=Console(stderr=True), transient=False)
