"""Canonical entities for the service: list, show, match, duplicates, merge, split, rename,
import and export of gazetteers.

Reached as ``Service.kb``. Matching uses a blocking index built once and rebuilt only
when the entity tables change.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotate.entities import kb
from annotate.formats.atomic import atomic_writer
from annotate.corpus.jsonlines import BadLine, check_input_file, loads_line
from annotate.formats.targets import resolve_target
from annotate.errors import ReviewError, guarded
from annotate.corpus.ingest import InputError, decode
from store.models import Entity
from store.repo import Store


@dataclass(frozen=True)
class Mention:
    """A gold span linked to an entity."""

    article_id: str
    title: str
    start: int
    end: int
    text: str
    annotator: str


@dataclass(frozen=True)
class GazetteerRow:
    """One validated row of an entity import file."""

    line: int
    name: str
    type: str
    aliases: tuple[str, ...]
    external_id: str
    description: str
    id: str = ""  # a fixed slug (shipped knowledge bases); empty: derived from the name


class EntityService:
    """Entity operations for one annotator; every change is one logged, undoable action (scope: no article)."""

    def __init__(self, store: Store, annotator: str, types: tuple[str, ...]) -> None:
        self.store = store
        self.annotator = annotator
        self.types = types
        self._index: Any = None
        self._signature: tuple | None = None
        self._stamp: tuple | None = None  # database write counters when the signature was last read
        self._rejections: dict[tuple[str, str], int] = {}
        self._rejection_stamp: tuple | None = None

    # -- reading ----------------------------------------------------------

    def list(self) -> list[Entity]:
        """Live entities (merged ones hidden), by name, with aliases and their mention counts."""
        return self.store.entities()

    def get(self, entity_id: str) -> Entity | None:
        """One entity (merged ones too: their ``merged_into`` says where they went)."""
        return self.store.entity(entity_id)

    def mention_counts(self) -> dict[str, int]:
        """Gold mentions per entity id."""
        return self.store.mention_counts()

    def mentions(self, entity_id: str, limit: int = 200) -> list[Mention]:
        """Gold mentions linked to an entity."""
        rows = self.store.db.execute(
            """SELECT s.article_id, a.title, s.start, s."end", substr(a.text, s.start + 1, s."end" - s.start),
                      s.annotator
               FROM spans s JOIN articles a ON a.id = s.article_id WHERE s.kb_id = ?
               ORDER BY a.rowid, s.start LIMIT ?""",
            [entity_id, limit],
        ).fetchall()
        return [Mention(*row) for row in rows]

    # -- matching ---------------------------------------------------------

    def _current_signature(self) -> tuple:
        return tuple(self.store.db.execute(
            """SELECT (SELECT count(*) FROM entities), (SELECT total(length(name)) FROM entities),
                      (SELECT count(merged_into) FROM entities), (SELECT count(*) FROM aliases),
                      (SELECT max(id) FROM aliases), (SELECT total(length(entity_id) * id) FROM aliases)"""
        ).fetchone())

    def _written_since_last_look(self) -> bool:
        # The signature query scans the alias table (tens of ms at 300k aliases), too much per
        # keystroke; these two counters are free and move on any write, here or by another process.
        conn = self.store.db.conn
        stamp = (conn.total_changes, conn.execute("PRAGMA data_version").fetchone()[0])
        if stamp == self._stamp:
            return False
        self._stamp = stamp
        return True

    def index(self) -> Any:
        """The blocking index over live entities, rebuilt only after entity changes."""
        from annotate.entities.matching import EntityIndex

        if self._index is not None and not self._written_since_last_look():
            return self._index
        signature = self._current_signature()
        if self._index is None or signature != self._signature:
            self._index = EntityIndex(self.store.entities())
            self._signature = signature
        return self._index

    def index_job(self) -> Callable[[], tuple[Any, tuple]]:
        """A function that builds the match index on its own read-only connection, for a worker
        thread (a large KB takes seconds); hand its result to :meth:`adopt_index` on this thread."""
        path, annotator, types = self.store.path, self.annotator, self.types

        def job() -> tuple[Any, tuple]:
            store = Store.open(path, readonly=True)
            try:
                other = EntityService(store, annotator, types)
                return other.index(), other._signature
            finally:
                store.close()

        return job

    def adopt_index(self, index: Any, signature: tuple) -> None:
        """Use an index built by :meth:`index_job`; if entities changed since, :meth:`index` rebuilds it."""
        self._index, self._signature = index, signature
        self._stamp = None  # built on another connection: compare signatures at the next use

    def entity_count(self) -> int:
        """Number of canonical entities (merged ones included): cheap, to decide whether to prebuild."""
        return self.store.db.execute("SELECT count(*) FROM entities").fetchone()[0]

    def match(self, query: str, type_: str | None = None, limit: int = 5) -> list[Any]:
        """Ranked candidates (``annotate.entities.matching.Candidate``) for a mention, best first."""
        if not query.strip():
            return []
        return self.index().match(query, type=type_, limit=limit, demoted=self._demoted())

    def _demoted(self) -> dict[tuple[str, str], int]:
        """Link rejections (surface, entity) → times, re-read only when they change."""
        stamp = self.store.link_rejection_stamp()
        if stamp != self._rejection_stamp:
            self._rejections = self.store.link_rejections()
            self._rejection_stamp = stamp
        return self._rejections

    def passed_over(self, surface: str, type_: str | None, chosen: str) -> tuple[str, str] | None:
        """(normalised surface, id) of the top candidate for ``surface`` when a mention so written
        is linked to ``chosen`` instead; None when the top one is ``chosen`` or no index is built
        yet (never built here: a large KB takes seconds, and linking must not wait for it)."""
        if self._index is None or not surface.strip():
            return None
        from annotate.entities.matching.normalise import normalise_name

        top = self._index.match(surface, type=type_, limit=1, demoted=self._demoted())
        if not top or top[0].id == chosen:
            return None
        return normalise_name(surface), top[0].id

    def duplicates(self, threshold: float | None = None,
                   progress: Callable[[int, int], None] | None = None) -> list[Any]:
        """Clusters of likely duplicate entities (``annotate.entities.matching.Cluster``), best first."""
        from annotate.entities.matching import find_duplicates
        from annotate.entities.matching.context import Context

        context = Context(*self.store.entity_cooccurrence())
        return find_duplicates(self.store.entities(), threshold=threshold, progress=progress, context=context)

    # -- changes ----------------------------------------------------------

    def _require(self, *ids: str) -> None:
        for entity_id in ids:
            entity = self.store.entity(entity_id)
            if entity is None:
                raise ReviewError(f"no entity {entity_id!r}")
            if entity.merged_into:
                raise ReviewError(f"{entity_id!r} was merged into {entity.merged_into!r}")

    @guarded
    def create(self, name: str, type_: str, description: str = "", external_id: str = "") -> str:
        """A new canonical entity; returns its slug id."""
        with self.store.action("entity_create", self.annotator, None) as uow:
            return kb.create_entity(uow, self.store, name, type_, description=description, external_id=external_id)

    @guarded
    def merge(self, keep: str, others: list[str]) -> int:
        """Move every mention and alias of ``others`` to ``keep``; returns the mentions moved."""
        others = [o for o in dict.fromkeys(others) if o != keep]
        self._require(keep, *others)
        with self.store.action("merge", self.annotator, None) as uow:
            return kb.merge_entities(uow, self.store, keep, others)

    @guarded
    def split(self, entity_id: str, alias: str) -> str:
        """Give one alias and its mentions an entity of their own; returns the new id."""
        self._require(entity_id)
        try:
            with self.store.action("split", self.annotator, None) as uow:
                return kb.split_alias(uow, self.store, entity_id, alias)
        except KeyError as exc:  # kb raises KeyError for a missing alias
            raise ReviewError(str(exc.args[0])) from exc

    @guarded
    def rename(self, entity_id: str, name: str) -> None:
        """Change the canonical name; the id (and so exported kb_ids) stays."""
        self._require(entity_id)
        if not name.strip():
            raise ReviewError("a name cannot be empty")
        with self.store.action("rename", self.annotator, None) as uow:
            kb.rename_entity(uow, self.store, entity_id, name.strip())

    # -- gazetteers -------------------------------------------------------

    def read_gazetteer(self, path: Path) -> list[GazetteerRow]:
        """Parse and check a CSV/TSV (header: name, type, aliases, external_id) or JSONL file."""
        check_input_file(path)  # before opening: a FIFO would hang the read
        try:
            content = decode(path, path.read_bytes())
        except OSError as exc:
            raise InputError(f"{path}: cannot read ({exc.strerror})") from exc
        if path.suffix.lower() in (".jsonl", ".json"):
            raw = self._jsonl_rows(path, content)
        else:
            raw = self._table_rows(path, content)
        rows, errors = [], []
        for line, obj in raw:
            try:
                rows.append(self._row(obj, line))
            except ValueError as exc:
                errors.append(f"{path}, line {line}: {exc}")
        if errors:
            more = f"\n… and {len(errors) - 10} more" if len(errors) > 10 else ""
            raise InputError("\n".join(errors[:10]) + more + "\nnothing was imported")
        return rows

    def _jsonl_rows(self, path: Path, content: str) -> list[tuple[int, dict]]:
        out = []
        for n, line in enumerate(content.splitlines(), 1):
            if not line.strip():
                continue
            try:
                obj = loads_line(line)  # invalid JSON, too deep, too many digits, lone surrogates
            except BadLine as exc:
                raise InputError(f"{path}, line {n}: {exc}; nothing was imported") from exc
            out.append((n, obj))
        return out

    def _table_rows(self, path: Path, content: str) -> list[tuple[int, dict]]:
        delimiter = "\t" if path.suffix.lower() == ".tsv" or "\t" in content.splitlines()[0] else ","
        reader = csv.DictReader(io.StringIO(content), delimiter=delimiter)
        fields = set(reader.fieldnames or [])
        if not {"name", "type"} <= fields:
            raise InputError(f"{path}, line 1: the header needs the columns name and type "
                             f"(and optionally aliases, external_id, description)")
        unknown = fields - {"name", "type", "aliases", "external_id", "description"}
        if unknown:
            raise InputError(f"{path}, line 1: unknown column(s) {', '.join(sorted(unknown))}")
        return [(reader.line_num, dict(row)) for row in reader]

    def _row(self, obj: Any, line: int) -> GazetteerRow:
        if not isinstance(obj, dict):
            raise ValueError("expected an object with name and type")
        name, type_ = obj.get("name"), obj.get("type")
        if not isinstance(name, str) or not name.strip():
            raise ValueError("name is missing")
        if type_ not in self.types:
            raise ValueError(f"type {type_!r} is not one of {', '.join(self.types)}")
        aliases = obj.get("aliases") or []
        if isinstance(aliases, str):
            aliases = [a for a in aliases.split("|")]
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise ValueError("aliases must be a list of strings or a |-separated string")
        extra = {k: obj.get(k) or "" for k in ("external_id", "description")}
        for key, value in extra.items():
            if not isinstance(value, str):
                raise ValueError(f"{key} must be a string")
        return GazetteerRow(line, name.strip(), type_, tuple(a.strip() for a in aliases if a.strip()),
                            extra["external_id"], extra["description"])

    @guarded
    def import_gazetteer(self, path: Path) -> tuple[int, int]:
        """Import entities in one action: a row whose name is already the name or an alias of an
        entity of that type adds its aliases to it instead. Returns (created, updated)."""
        created, updated, _ = self._import_rows(self.read_gazetteer(path), "entity_import")
        return created, updated

    @guarded
    def import_builtin(self, name: str) -> tuple[int, int, int]:
        """Import a knowledge base shipped with glossator (``starter``) in one action, with its
        stable slugs as ids; an entity that already has the id, or the name of a row, gets the
        row's aliases instead. Rows of a type the project does not use are skipped.
        Returns (created, updated, skipped)."""
        from annotate.entities import builtin as kb_builtin

        if name not in kb_builtin.builtin_names():
            raise ReviewError(f"no built-in knowledge base {name!r} "
                              f"(there is: {', '.join(kb_builtin.builtin_names())})")
        rows = [GazetteerRow(0, e.name, e.type, e.aliases, e.external_id, e.description, e.id)
                for e in kb_builtin.load(name)]
        return self._import_rows(rows, "entity_import")

    def _import_rows(self, rows: list[GazetteerRow], action: str) -> tuple[int, int, int]:
        by_name: dict[tuple[str, str], str] = {}
        for e in self.store.entities():
            for text in (*(a.text for a in e.aliases), e.name):  # the name wins over another's alias
                by_name[(" ".join(text.split()).casefold(), e.type)] = e.id
        created = updated = skipped = 0
        with self.store.action(action, self.annotator, None) as uow:
            for row in rows:
                if row.type not in self.types:
                    skipped += 1
                    continue
                existing = self._existing(row, by_name)
                if existing is None:
                    entity_id = row.id if row.id and self.store.entity(row.id) is None else None
                    existing = kb.create_entity(uow, self.store, row.name, row.type, entity_id=entity_id,
                                                description=row.description, external_id=row.external_id)
                    by_name[(row.name.casefold(), row.type)] = existing
                    created += 1
                else:
                    updated += 1
                    current = self.store.entity(existing)
                    fill = {k: v for k, v in (("external_id", row.external_id), ("description", row.description))
                            if v and not getattr(current, k)}
                    if fill:  # a gazetteer completes what is missing, never overwrites
                        uow.update("entities", existing, fill)
                for alias in row.aliases:
                    kb.add_alias(uow, self.store, existing, alias, "import")
        return created, updated, skipped

    def _existing(self, row: GazetteerRow, by_name: dict[tuple[str, str], str]) -> str | None:
        """The live entity a row completes: the one with its fixed id, else one named like it."""
        if row.id:
            entity = self.store.entity(row.id)
            if entity is not None and entity.type == row.type:
                return entity.merged_into or entity.id
        return by_name.get((row.name.casefold(), row.type))

    def export_gazetteer(self, target: str | Path) -> int:
        """Write live entities as JSONL (id, name, type, aliases, external_id, description, mentions)."""
        checked = resolve_target(target, self.store.path)  # before any work: never the database
        counts = self.store.mention_counts()
        entities = self.store.entities()
        with atomic_writer(checked) as stream:
            for e in entities:
                stream.write(json.dumps({
                    "id": e.id, "name": e.name, "type": e.type, "aliases": [a.text for a in e.aliases],
                    "external_id": e.external_id, "description": e.description, "mentions": counts.get(e.id, 0),
                }, ensure_ascii=False) + "\n")
        return len(entities)
