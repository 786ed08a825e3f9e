"""Canonical entities for the service: list, show, match, link mentions, duplicates, merge,
split, rename, import and export of gazetteers.

Reached as ``Service.entities``. Matching uses a blocking index built once and rebuilt only
when the entity tables change.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from annotate.entities import kb, proposal
from annotate.entities.proposal import NewEntityPlan
from annotate.errors import ReviewError, guarded
from annotate.formats.atomic import atomic_writer
from annotate.formats.targets import resolve_target
from annotate.service import linking
from annotate.service.context import ServiceContext
from annotate.service.gazetteer import GazetteerRow, read_gazetteer
from store.models import Entity

if TYPE_CHECKING:  # imported where used: the matcher loads rapidfuzz
    from annotate.entities.matching import Candidate, Cluster, EntityIndex

Signature = tuple[int | float | None, ...]
# The starter KB's entries the link picker offers score at least this: under it a small catalog is
# filled up by the matcher's weak string similarity (a Gabon for "Aïn Al Assad"), noise to look past.
CATALOG_MIN_SCORE = 50.0


@dataclass(frozen=True)
class Mention:
    """A gold span linked to an entity."""

    article_id: str
    title: str
    start: int
    end: int
    text: str
    annotator: str


class EntityOps:
    """Entity operations for one annotator (``Service.entities``); every change is one logged,
    undoable action (scope: no article, except linking a mention: its article)."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.store = ctx.store
        self._index: EntityIndex | None = None
        self._signature: Signature | None = None
        self._stamp: tuple[int, int] | None = None  # database write counters when the signature was last read
        self._rejections: dict[tuple[str, str], int] = {}
        self._rejection_stamp: tuple[int, int] | None = None

    @property
    def annotator(self) -> str:
        """Who acts (the service's annotator)."""
        return self.ctx.annotator

    @property
    def types(self) -> tuple[str, ...]:
        """The project's entity labels: the types an entity may have."""
        return self.ctx.config.entity_labels

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
        return [Mention(*row) for row in self.store.entity_mentions(entity_id, limit)]

    # -- matching ---------------------------------------------------------

    def _written_since_last_look(self) -> bool:
        # The signature query scans the alias table (tens of ms at 300k aliases), too much per
        # keystroke; these two counters are free and move on any write, here or by another process.
        stamp = self.store.write_stamp()
        if stamp == self._stamp:
            return False
        self._stamp = stamp
        return True

    def index(self) -> EntityIndex:
        """The blocking index over live entities, rebuilt only after entity changes."""
        from annotate.entities.matching import EntityIndex

        if self._index is not None and not self._written_since_last_look():
            return self._index
        signature = self.store.entity_signature()
        if self._index is None or signature != self._signature:
            self._index = EntityIndex(self.store.entities())
            self._signature = signature
        return self._index

    def index_job(self) -> Callable[[], tuple[EntityIndex, Signature]]:
        """A function that builds the match index on its own read-only connection, for a worker
        thread (a large KB takes seconds); hand its result to :meth:`adopt_index` on this thread."""
        def read(ctx: ServiceContext) -> tuple[EntityIndex, Signature]:
            other = EntityOps(ctx)
            index = other.index()
            assert other._signature is not None  # set by index()
            return index, other._signature

        return self.ctx.apart(read)

    @property
    def index_built(self) -> bool:
        """Whether a match index has been built (or adopted from a worker) yet."""
        return self._index is not None

    def adopt_index(self, index: EntityIndex, signature: Signature) -> None:
        """Use an index built by :meth:`index_job`; if entities changed since, :meth:`index` rebuilds it."""
        self._index, self._signature = index, signature
        self._stamp = None  # built on another connection: compare signatures at the next use

    def entity_count(self) -> int:
        """Number of canonical entities (merged ones included): cheap, to decide whether to prebuild."""
        return self.store.entity_count()

    def match(self, query: str, type_: str | None = None, limit: int = 5) -> list[Candidate]:
        """Ranked candidates (``annotate.entities.matching.Candidate``) for a mention, best first."""
        if not query.strip():
            return []
        return self.index().match(query, type=type_, limit=limit, demoted=self._demoted())

    def link_candidates(self, query: str, type_: str | None = None, limit: int = 5) -> list[Candidate]:
        """What the link picker offers: :meth:`match`, with the starter KB's entries that are no entity
        here (not imported, or not all) ranked among them by score, each made from its entry (id, name,
        aliases) when chosen (``link_new`` / ``accept_link`` with its id as the new id). An entry is
        left out under ``CATALOG_MIN_SCORE``, when an entity of its name is listed, or when its id was
        ever given out; only the first candidate can be confident, when it leads as the matcher's do."""
        from dataclasses import replace

        from annotate.entities import catalog
        from annotate.entities.matching.index import CONFIDENT_MARGIN

        found = self.match(query, type_, limit)
        if not query.strip():
            return found
        names = {c.name.casefold() for c in found}
        extra = [replace(c, evidence=f"{c.evidence}; starter KB, not imported: made when chosen")
                 for c in catalog.index().match(query, type=type_, limit=limit)
                 if c.score >= CATALOG_MIN_SCORE and c.name.casefold() not in names
                 and not self.store.entity_id_issued(c.id)]
        if not extra:
            return found
        merged = sorted(found + extra, key=lambda c: -c.score)[:limit]  # stable: a tie keeps the database's first
        leads = len(merged) == 1 or merged[0].score - merged[1].score >= CONFIDENT_MARGIN
        return [replace(c, confident=c.confident and n == 0 and leads) for n, c in enumerate(merged)]

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
                   progress: Callable[[int, int], None] | None = None) -> list[Cluster]:
        """Clusters of likely duplicate entities (``annotate.entities.matching.Cluster``), best first."""
        from annotate.entities.matching import find_duplicates
        from annotate.entities.matching.context import Context

        context = Context(*self.store.entity_cooccurrence())
        return find_duplicates(self.store.entities(), threshold=threshold, progress=progress, context=context)

    # -- linking mentions ---------------------------------------------------

    @guarded
    def link(self, span_id: int, entity_id: str | None) -> None:
        """Link a gold entity span to a canonical entity (None unlinks); the article's identical
        mentions are linked in the same action (``annotate.service.linking``)."""
        span = self.store.span(span_id)
        if entity_id is not None and self.store.entity(entity_id) is None:
            raise ReviewError(f"no entity {entity_id!r}")
        passed = None
        if entity_id is not None:
            surface = self.store.get_article(span.article_id).text[span.start:span.end]
            passed = self.passed_over(surface, span.label, entity_id)
        with self.store.action("link", self.annotator, span.article_id) as uow:
            kb.link_span(uow, self.store, span_id, entity_id)
            if entity_id is not None:  # the article's identical mentions, in the same action
                linking.propagate(uow, self.ctx, self.store.get_article(span.article_id), span_id, entity_id)
            if passed is not None:  # evidence for the matcher, undone with the link
                kb.record_passed_over(uow, passed[0], passed[1], entity_id, self.annotator)

    def proposed_id(self, name: str) -> str:
        """The id a new entity named ``name`` gets unless one is chosen: its slug, made unique."""
        return kb.unique_slug(self.store, " ".join(name.split()))

    def new_id_for(self, text: str, label: str, article_id: str | None = None,
                   at: tuple[int, int] | None = None) -> str:
        """The id of the entity `N` links a mention reading ``text`` to, creating it or not (catalog id,
        the fuller mention's entity or slug in ``article_id``, else the mention's slug)."""
        return self.new_entity_plan(text, label, article_id, at).entity_id

    def new_entity_plan(self, text: str, label: str, article_id: str | None = None,
                        at: tuple[int, int] | None = None) -> NewEntityPlan:
        """What `N` does with the mention ``at`` reading ``text`` in ``article_id``
        (``annotate.entities.proposal``); without an article, no fuller mention is looked for."""
        if article_id is None:
            return proposal.plan_for_mention(self.store, text, label)
        return linking.plan_new_entity(self.ctx, article_id, text, label, at)

    def id_problem(self, entity_id: str) -> str | None:
        """Why ``entity_id`` cannot be chosen for a new entity (slug characters, length, taken), or None."""
        return kb.id_problem(self.store, entity_id)

    def checked_new_id(self, entity_id: str | None) -> str | None:
        """``entity_id`` when it can be a new entity's id (None stays None); ReviewError otherwise."""
        if entity_id is None:
            return None
        problem = kb.id_problem(self.store, entity_id)
        if problem:
            raise ReviewError(problem)
        return entity_id

    @guarded
    def link_new(self, span_id: int, name: str | None = None, type_: str | None = None,
                 entity_id: str | None = None) -> str:
        """Create a canonical entity from a mention and link the mention to it; returns its id. With
        ``name``, ``type_`` or ``entity_id`` chosen: that entity (its id, else its name's slug); with
        none (`N`): the plan of ``annotate.entities.proposal``, which may link to an existing entity."""
        span = self.store.span(span_id)
        text = self.store.get_article(span.article_id).text[span.start:span.end]
        chosen = self.checked_new_id(entity_id)
        with self.store.action("link_new", self.annotator, span.article_id) as uow:
            if type_ is None or type_ == span.label:
                entity_id = linking.new_entity(uow, self.ctx, span.article_id, text, span.label, name, chosen)
            else:
                entity_id = kb.create_entity(uow, self.store, name or " ".join(text.split()), type_, entity_id=chosen)
            kb.link_span(uow, self.store, span_id, entity_id)
            linking.propagate(uow, self.ctx, self.store.get_article(span.article_id), span_id, entity_id)
        return entity_id

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
        return read_gazetteer(path, self.types)

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
