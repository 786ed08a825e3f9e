"""``glossator entities …``: canonical entities from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from cli.common import DbOpt, echo, fail, handled, json_out, new_app, open_service, progress_bar

entities_app = new_app("entities", "Canonical entities: list, match, find and merge duplicates.")


def register(app: typer.Typer) -> None:
    """Add the ``entities`` command group to the root app."""
    app.add_typer(entities_app, name="entities")


def _kb(db: Optional[Path], readonly: bool = False):
    return open_service(db, readonly=readonly).entities


@entities_app.command("list")
@handled
def list_cmd(db: Optional[Path] = DbOpt, as_json: bool = typer.Option(False, "--json", help="JSON lines.")) -> None:
    """Every canonical entity with its alias and mention counts."""
    kb = _kb(db, readonly=True)
    counts = kb.mention_counts()
    for e in kb.list():
        if as_json:
            json_out({"id": e.id, "name": e.name, "type": e.type, "aliases": len(e.aliases),
                      "mentions": counts.get(e.id, 0)})
        else:
            echo(f"{e.id}\t{e.type}\t{e.name}\t{len(e.aliases)} aliases\t{counts.get(e.id, 0)} mentions")


@entities_app.command("show")
@handled
def show_cmd(entity_id: str = typer.Argument(..., help="Entity id (slug)."), db: Optional[Path] = DbOpt) -> None:
    """One entity: name, type, aliases with counts, mentions."""
    kb = _kb(db, readonly=True)
    entity = kb.get(entity_id)
    if entity is None:
        fail(f"no entity {entity_id!r}")
    echo(f"{entity.id}  {entity.name}  ({entity.type})")
    if entity.merged_into:
        echo(f"merged into {entity.merged_into}")
    for field, value in (("description", entity.description), ("external id", entity.external_id)):
        if value:
            echo(f"{field}: {value}")
    echo("aliases:")
    for alias in entity.aliases:
        echo(f"  {alias.text}  ×{alias.count}")
    mentions = kb.mentions(entity_id)
    echo(f"mentions: {len(mentions)}")
    for m in mentions:
        echo(f"  {m.text!r} in {m.title[:60]!r} [{m.start}:{m.end}] by {m.annotator}")


@entities_app.command("match")
@handled
def match_cmd(name: str = typer.Argument(..., help="A mention, e.g. 'Soudani'."), db: Optional[Path] = DbOpt,
              type_: Optional[str] = typer.Option(None, "--type", help="PER, ORG, LOC or MISC."),
              limit: int = typer.Option(5, "--limit", min=1, help="How many candidates."),
              as_json: bool = typer.Option(False, "--json", help="A JSON list, best first.")) -> None:
    """Rank canonical entities for a mention, with the alias hit and why it matched."""
    candidates = _kb(db, readonly=True).match(name, type_, limit)
    if as_json:
        json_out([{"id": c.id, "name": c.name, "type": c.type, "score": round(c.score, 1),
                   "matched_alias": c.matched_alias} for c in candidates])
        return
    if not candidates:
        echo("no candidate")
    for c in candidates:
        echo(f"{c.score:5.1f}  {c.id}\t{c.name} ({c.type})\tvia {c.matched_alias!r}: {c.evidence}")


@entities_app.command("duplicates")
@handled
def duplicates_cmd(db: Optional[Path] = DbOpt,
                   threshold: Optional[float] = typer.Option(None, "--threshold", help="Score 0-100 to link two names."),
                   as_json: bool = typer.Option(False, "--json", help="A JSON list of clusters.")) -> None:
    """Cluster likely duplicate entities (within a type) with scores and evidence."""
    kb = _kb(db, readonly=True)
    with progress_bar("duplicates") as bar:
        task = bar.add_task("duplicates", total=None, rate="")
        clusters = kb.duplicates(threshold, progress=lambda done, total: bar.update(task, completed=done, total=total))
    names = {e.id: e for e in kb.list()}
    if as_json:
        json_out([{"entities": [{"id": i, "name": names[i].name, "type": names[i].type} for i in c.entity_ids],
                   "score": round(c.score, 1), "evidence": c.evidence} for c in clusters])
        return
    if not clusters:
        echo("no likely duplicates")
    for c in clusters:
        members = ", ".join(f"{i} ({names[i].name})" for i in c.entity_ids)
        echo(f"{c.score:5.1f}  {members}\n       {c.evidence}")


@entities_app.command("merge")
@handled
def merge_cmd(keep: str = typer.Argument(..., help="The entity to keep."),
              others: list[str] = typer.Argument(..., help="Entities merged into it."),
              db: Optional[Path] = DbOpt) -> None:
    """Merge duplicates: every mention and alias moves to KEEP (undoable in the app)."""
    moved = _kb(db).merge(keep, others)
    echo(f"merged {', '.join(others)} into {keep}: {moved} mentions moved")


@entities_app.command("split")
@handled
def split_cmd(entity_id: str = typer.Argument(..., help="The entity holding the alias."),
              alias: str = typer.Argument(..., help="The alias to split off."), db: Optional[Path] = DbOpt) -> None:
    """Split an alias (and the mentions written that way) off into its own entity."""
    new_id = _kb(db).split(entity_id, alias)
    echo(f"{alias!r} is now {new_id}")


@entities_app.command("rename")
@handled
def rename_cmd(entity_id: str = typer.Argument(..., help="Entity id."), name: str = typer.Argument(..., help="New name."),
               db: Optional[Path] = DbOpt) -> None:
    """Change an entity's canonical name (its id stays)."""
    _kb(db).rename(entity_id, name)
    echo(f"{entity_id} is now named {name!r}")


@entities_app.command("import")
@handled
def import_cmd(path: Optional[Path] = typer.Argument(None, help="CSV/TSV (name, type, aliases, external_id) or JSONL."),
               builtin: Optional[str] = typer.Option(None, "--builtin", help="A knowledge base shipped with glossator: starter."),
               db: Optional[Path] = DbOpt) -> None:
    """Import a gazetteer (or a built-in KB); rows naming an existing entity of the same type add aliases to it."""
    if (path is None) == (builtin is None):
        fail("give either a FILE or --builtin NAME")
    if builtin is not None:
        from annotate.entities import builtin as kb_builtin

        created, updated, skipped = _kb(db).import_builtin(builtin)
        note = f", {skipped} skipped (type not in this project's labels)" if skipped else ""
        typer.echo(f"{builtin} ({kb_builtin.version(builtin)}): {created} entities created, {updated} updated{note}")
        return
    created, updated = _kb(db).import_gazetteer(path)
    echo(f"{created} entities created, {updated} updated")


@entities_app.command("export")
@handled
def export_cmd(db: Optional[Path] = DbOpt,
               output: str = typer.Option("-", "-o", "--output", help="File to write, - for stdout.")) -> None:
    """Export canonical entities as JSONL."""
    n = _kb(db, readonly=True).export_gazetteer(output)
    echo(f"{n} entities exported", err=True)
