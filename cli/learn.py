"""Learning from the gold: ``glossator train``, ``uncertain`` and ``bulk-accept``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from cli.common import AnnotatorOpt, DbOpt, echo, fail, handled, open_service, progress_bar


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.command("train")(train_cmd)
    app.command("uncertain")(uncertain_cmd)
    app.command("bulk-accept")(bulk_accept_cmd)


@handled
def train_cmd(db: Optional[Path] = DbOpt,
              model: Optional[str] = typer.Option(None, "--model", help="Base spaCy pipeline (default: config)."),
              epochs: int = typer.Option(8, "--epochs", min=0, help="NER fine-tuning passes over the gold."),
              no_ner: bool = typer.Option(False, "--no-ner", help="Label memory and confidence only (seconds).")) -> None:
    """Learn from the gold (articles marked done): label memory, confidence table, NER fine-tune.

    Saves the next version beside the database (DB.models/vN/); `suggest` uses it from then on.
    """
    from annotate.learn.curve import summary as curve_summary
    from annotate.learn.train import train

    service = open_service(db)
    with progress_bar("train") as bar:
        task = bar.add_task("train", total=None, rate="")

        def progress(stage: str, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, rate=stage)

        folder = train(service.store, model or service.config.model, service.config.event_lexicon,
                       epochs=epochs, ner=not no_ner, progress=progress)
    echo(f"trained {folder.name}: {folder}; run `glossator suggest` to use it")
    echo(curve_summary(json.loads((folder / "meta.json").read_text(encoding="utf-8")).get("curve") or []))


@handled
def uncertain_cmd(db: Optional[Path] = DbOpt, annotator: Optional[str] = AnnotatorOpt,
                  article: Optional[str] = typer.Option(None, "--article", help="Only this article (id)."),
                  limit: int = typer.Option(20, "--limit", min=1, help="How many to list.")) -> None:
    """Your pending suggestions, lowest confidence first (the review queue by uncertainty)."""
    service = open_service(db, annotator, readonly=True)
    texts: dict[str, str] = {}
    for sug in service.learn.uncertain(article, limit):
        text = texts.setdefault(sug.article_id, service.data.article(sug.article_id).text)
        score = "  –  " if sug.score is None else f"{sug.score:.3f}"
        echo(f"{score}  {sug.label:<11} {text[sug.start:sug.end]!r:<40} "
                   f"{sug.article_id[:12]} {sug.start}-{sug.end}")


@handled
def bulk_accept_cmd(label: str = typer.Argument(..., help="Label of the suggestions to accept, e.g. LOC."),
                    min_precision: float = typer.Option(0.98, "--min-precision",
                                                        help="Estimated precision the accepted set must reach."),
                    article: Optional[str] = typer.Option(None, "--article", help="Only this article (id)."),
                    yes: bool = typer.Option(False, "--yes", help="Do it (without: only say what it would do)."),
                    db: Optional[Path] = DbOpt, annotator: Optional[str] = AnnotatorOpt) -> None:
    """Accept the most confident pending suggestions of a label, as one undoable action."""
    service = open_service(db, annotator, readonly=not yes)
    if article is not None and not service.store.has_article(article):
        fail(f"no article {article!r}")
    plan = service.learn.plan_bulk_accept(label, min_precision, article)
    echo(plan.summary())
    if yes and plan.chosen:
        n = service.learn.bulk_accept(plan)
        echo(f"accepted {n} {label} suggestions (one action: undo it as one)")
    elif plan.chosen:
        echo("dry run: add --yes to accept them")
