"""What every command module shares: option types, error handling, progress bars."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, Optional

import typer

from annotate.service import ConfigError, InputError, ReviewError, Service, StoreError
from tui.text import escaped, json_text


def new_app(name: str, help_text: str) -> typer.Typer:
    """A Typer app (or command group) with glossator's settings."""
    return typer.Typer(name=name, help=help_text, no_args_is_help=True, add_completion=False,
                       pretty_exceptions_enable=False, rich_markup_mode=None)

DbOpt = typer.Option(None, "--db", help="Database file (default: $GLOSSATOR_DB or ./glossator.db).")
AnnotatorOpt = typer.Option(None, "--annotator", help="Who you are (default: config, $GLOSSATOR_ANNOTATOR, user name).")


def echo(text: str = "", err: bool = False) -> None:
    """Print ``text``, which may quote data (names, titles, file names), with control characters escaped.

    Every line the CLI prints goes through here or ``json_out``: an OSC sequence in an entity name
    must not set the terminal's title or links.
    """
    typer.echo(escaped(text), err=err)


def json_out(value: Any, indent: int | None = None) -> None:
    """Print ``value`` as JSON (UTF-8 kept; controls JSON would leave raw escaped as ``\\u…``)."""
    typer.echo(json_text(value, indent))


def fail(message: str, code: int = 1) -> None:
    """Print an error line and exit."""
    echo(f"error: {message}", err=True)
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
            echo("interrupted: everything finished before Ctrl-C is saved", err=True)
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


