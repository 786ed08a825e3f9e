"""Repository: typed reads and writes over a glossator database."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import sqlite_utils

from store import actions as log
from store import ids as id_seq
from store import listing
from store.convert import (
    article_to_row,
    row_to_action,
    row_to_article,
    row_to_entity,
    row_to_event_arg,
    row_to_span,
    row_to_suggested_arg,
    row_to_suggestion,
)
from store.db import NotFound, open_db
from store.models import (
    Action,
    Alias,
    Article,
    DocSuggestions,
    Entity,
    EventArg,
    Span,
    SuggestedArg,
    Suggestion,
)

now = log.now


class Store:
    """Typed access to one database file. Writes that a reviewer makes go through
    :meth:`action`, so that each is one transaction and one log entry."""

    def __init__(self, db: sqlite_utils.Database, path: Path | None = None) -> None:
        self.db = db
        self.path = path

    @classmethod
    def open(cls, path: str | Path, *, readonly: bool = False) -> Store:
        """Open or create the database at ``path``."""
        return cls(open_db(path, readonly=readonly), Path(path))

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    def transaction(self) -> AbstractContextManager[Any]:
        """One write transaction (BEGIN IMMEDIATE; a savepoint when nested) around the caller's writes."""
        return self.db.atomic()

    # -- articles ---------------------------------------------------------

    def has_article(self, article_id: str) -> bool:
        """Whether an article with this content hash exists."""
        return bool(self.db.execute("SELECT 1 FROM articles WHERE id = ?", [article_id]).fetchone())

    def add_articles(self, articles: Sequence[Article]) -> None:
        """Insert new articles in one transaction."""
        with self.db.atomic():
            self.db["articles"].insert_all(article_to_row(a) for a in articles)

    def get_article(self, article_id: str) -> Article:
        """The article with this id; NotFound (a KeyError) if unknown."""
        rows = list(self.db["articles"].rows_where("id = ?", [article_id]))
        if not rows:
            raise NotFound("article", article_id)
        return row_to_article(rows[0])

    def iter_articles(self, status: str | None = None) -> Iterator[Article]:
        """Articles in ingest order, optionally only those with an overall status."""
        where, args = ("status = ?", [status]) if status else (None, None)
        for row in self.db["articles"].rows_where(where, args, order_by="rowid"):
            yield row_to_article(row)

    def article_ids(self) -> list[str]:
        """Every article id, in ingest order."""
        return [r[0] for r in self.db.execute("SELECT id FROM articles ORDER BY rowid").fetchall()]

    def article_summaries(self, annotator: str) -> list[dict[str, Any]]:
        """Light rows for the corpus table (no text): ``status`` is this annotator's, ``pending``
        the suggestions they have not decided yet, ``gold`` their spans."""
        # The same columns as a window of the corpus screen (store/listing.py), for every article.
        sql = listing.ALL_ROWS
        return [dict(r) for r in self.db.query(sql, {"who": annotator})]

    def count_articles(self, annotator: str | None = None) -> dict[str, int]:
        """Number of articles per status (overall, or one annotator's)."""
        if annotator is None:
            rows = self.db.execute("SELECT status, count(*) FROM articles GROUP BY status").fetchall()
        else:
            rows = self.db.execute(
                """SELECT COALESCE(r.status, 'todo'), count(*) FROM articles a
                   LEFT JOIN reviews r ON r.article_id = a.id AND r.annotator = ? GROUP BY 1""",
                [annotator],
            ).fetchall()
        return {status: n for status, n in rows}

    def review_status(self, article_id: str, annotator: str) -> str | None:
        """One annotator's status for an article (None: never touched)."""
        row = self.db.execute(
            "SELECT status FROM reviews WHERE article_id = ? AND annotator = ?", [article_id, annotator]
        ).fetchone()
        return row[0] if row else None

    def reviews(self, article_id: str) -> dict[str, str]:
        """annotator → status for one article."""
        rows = self.db.execute("SELECT annotator, status FROM reviews WHERE article_id = ?", [article_id])
        return {a: s for a, s in rows}

    def done_by(self, article_id: str) -> list[str]:
        """Annotators who marked the article done, by name."""
        rows = self.db.execute(
            "SELECT annotator FROM reviews WHERE article_id = ? AND status = 'done' ORDER BY annotator", [article_id]
        )
        return [r[0] for r in rows]

    # -- suggestions ------------------------------------------------------

    def fingerprints(self) -> dict[str, str]:
        """Suggestion fingerprint of every article that has been suggested."""
        return {r[0]: r[1] for r in self.db.execute("SELECT article_id, fingerprint FROM suggest_runs")}

    def replace_suggestions(self, batch: Iterable[tuple[str, DocSuggestions]], fingerprint: str, source: str) -> None:
        """Store one batch of suggester output in one transaction, replacing older suggestions."""
        # Plain executemany with ids assigned here: sqlite-utils' per-row insert costs more than
        # the model's time per article on large batches. The write transaction (BEGIN IMMEDIATE)
        # makes the reservation safe against another writer.
        with self.db.atomic():
            conn = self.db.conn
            stamp = now()
            for article_id, _doc in batch:
                conn.execute(
                    "DELETE FROM suggestion_args WHERE event_id IN (SELECT id FROM suggestions WHERE article_id = ?)",
                    [article_id],
                )
                conn.execute("DELETE FROM suggestions WHERE article_id = ?", [article_id])
            # Never an id an older suggestion had: the app may still hold one and would accept
            # whatever now carries it.
            next_id = id_seq.reserve(self.db, "suggestions", sum(len(doc.spans) for _, doc in batch) or 1)
            rows, args, runs = [], [], []
            for article_id, doc in batch:
                ids = range(next_id, next_id + len(doc.spans))
                next_id += len(doc.spans)
                rows += [(i, article_id, sp.start, sp.end, sp.label, sp.kind, source, sp.score)
                         for i, sp in zip(ids, doc.spans)]
                args += [(ids[a.event], a.role, ids[a.span]) for a in doc.args]
                runs.append((article_id, fingerprint, stamp))
            conn.executemany(
                'INSERT INTO suggestions (id, article_id, start, "end", label, kind, source, score) '
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
            conn.executemany("INSERT INTO suggestion_args (event_id, role, span_id) VALUES (?, ?, ?)", args)
            conn.executemany(
                "INSERT INTO suggest_runs (article_id, fingerprint, at) VALUES (?, ?, ?) "
                "ON CONFLICT(article_id) DO UPDATE SET fingerprint = excluded.fingerprint, at = excluded.at", runs)
            # The corpus' confidence sort key (m015_confidence_sort).
            conn.executemany("UPDATE articles SET low_score = (SELECT min(COALESCE(score, 0.0)) FROM suggestions "
                             "WHERE article_id = ?) WHERE id = ?", [(a, a) for a, _doc in batch])

    def suggestions(self, article_id: str) -> list[Suggestion]:
        """Stored suggestions of an article, by position."""
        rows = self.db["suggestions"].rows_where("article_id = ?", [article_id], order_by="start, end")
        return [row_to_suggestion(r) for r in rows]

    def suggestion(self, suggestion_id: int) -> Suggestion | None:
        """One stored suggestion, or None (re-suggesting replaces them)."""
        rows = list(self.db["suggestions"].rows_where("id = ?", [suggestion_id]))
        return row_to_suggestion(rows[0]) if rows else None

    def suggested_args(self, article_id: str) -> list[SuggestedArg]:
        """Suggested event arguments of an article."""
        sql = """SELECT a.* FROM suggestion_args a JOIN suggestions s ON s.id = a.event_id
                 WHERE s.article_id = ? ORDER BY a.id"""
        return [row_to_suggested_arg(dict(r)) for r in self.db.query(sql, [article_id])]

    # -- gold -------------------------------------------------------------

    def spans(self, article_id: str, annotator: str | None = None) -> list[Span]:
        """Gold spans of an article (of one annotator, or everyone's), by position."""
        where, args = "article_id = ?", [article_id]
        if annotator is not None:
            where, args = where + " AND annotator = ?", args + [annotator]
        return [row_to_span(r) for r in self.db["spans"].rows_where(where, args, order_by="start, end, id")]

    def span(self, span_id: int) -> Span:
        """One gold span; NotFound (a KeyError) if unknown."""
        rows = list(self.db["spans"].rows_where("id = ?", [span_id]))
        if not rows:
            raise NotFound("span", span_id)
        return row_to_span(rows[0])

    def event_args(self, article_id: str, annotator: str | None = None) -> list[EventArg]:
        """Gold event arguments of an article."""
        sql = """SELECT a.* FROM event_args a JOIN spans s ON s.id = a.event_id WHERE s.article_id = ?"""
        args: list[Any] = [article_id]
        if annotator is not None:
            sql += " AND s.annotator = ?"
            args.append(annotator)
        return [row_to_event_arg(dict(r)) for r in self.db.query(sql + " ORDER BY a.id", args)]

    def rejections(self, article_id: str, annotator: str) -> set[tuple[int, int, str, str]]:
        """(start, end, label, kind) of every suggestion this annotator rejected in the article."""
        rows = self.db.execute(
            'SELECT start, "end", label, kind FROM rejections WHERE article_id = ? AND annotator = ?',
            [article_id, annotator],
        ).fetchall()
        return {tuple(r) for r in rows}

    def annotators(self, article_id: str | None = None) -> list[str]:
        """Names of annotators with gold (in one article or anywhere)."""
        sql, args = "SELECT DISTINCT annotator FROM spans", []
        if article_id:
            sql, args = sql + " WHERE article_id = ?", [article_id]
        return sorted(r[0] for r in self.db.execute(sql, args))

    # -- entities ---------------------------------------------------------

    def entity(self, entity_id: str) -> Entity | None:
        """One canonical entity with its aliases, or None."""
        rows = list(self.db["entities"].rows_where("id = ?", [entity_id]))
        if not rows:
            return None
        return row_to_entity(rows[0], self._aliases([entity_id]).get(entity_id, ()))

    def entities(self, include_merged: bool = False) -> list[Entity]:
        """Canonical entities with aliases and mention counts, by name."""
        where = None if include_merged else "merged_into IS NULL"
        rows = list(self.db["entities"].rows_where(where, order_by="name COLLATE NOCASE"))
        aliases = self._aliases(None)
        return [row_to_entity(r, aliases.get(r["id"], ())) for r in rows]

    def _aliases(self, ids: list[str] | None) -> dict[str, tuple[Alias, ...]]:
        sql = """SELECT a.entity_id, a.text,
                   (SELECT count(*) FROM spans s WHERE s.kb_id = a.entity_id
                      AND substr((SELECT text FROM articles WHERE id = s.article_id), s.start + 1, s."end" - s.start) = a.text
                   ) AS n
                 FROM aliases a"""
        args: list[Any] = []
        if ids is not None:
            sql += f" WHERE a.entity_id IN ({','.join('?' * len(ids))})"
            args = list(ids)
        out: dict[str, list[Alias]] = {}
        for entity_id, text, n in self.db.execute(sql + " ORDER BY a.id", args):
            out.setdefault(entity_id, []).append(Alias(text, n))
        return {k: tuple(v) for k, v in out.items()}

    def entity_id_issued(self, entity_id: str) -> bool:
        """Whether an entity has, or ever had, this id (ids are never given out twice)."""
        return id_seq.entity_id_issued(self.db, entity_id)

    def alias_row(self, entity_id: str, text: str) -> dict[str, Any] | None:
        """The alias row (id, entity_id, text, source), or None."""
        rows = list(self.db["aliases"].rows_where("entity_id = ? AND text = ?", [entity_id, text]))
        return rows[0] if rows else None

    def linked_surfaces(self, entity_id: str, exclude_span: int | None = None) -> list[str]:
        """The text of every gold mention linked to an entity (but one span)."""
        rows = self.db.execute(
            """SELECT substr(a.text, s.start + 1, s."end" - s.start) FROM spans s JOIN articles a ON a.id = s.article_id
               WHERE s.kb_id = ? AND s.id IS NOT ?""", [entity_id, exclude_span]).fetchall()
        return [r[0] for r in rows]

    def mention_counts(self) -> dict[str, int]:
        """Number of gold mentions linked to each entity id."""
        rows = self.db.execute("SELECT kb_id, count(*) FROM spans WHERE kb_id IS NOT NULL GROUP BY kb_id")
        return {k: n for k, n in rows}

    def link_rejections(self) -> dict[tuple[str, str], int]:
        """(normalised surface, entity id) → how often a mention written so was linked elsewhere
        while that entity was the top candidate."""
        try:
            rows = self.db.execute("SELECT surface, entity_id, count(*) FROM link_rejections GROUP BY surface, entity_id")
        except sqlite3.OperationalError:  # a read-only database from before m007
            return {}
        return {(surface, entity_id): n for surface, entity_id, n in rows}

    def link_rejection_stamp(self) -> tuple[int, int]:
        """(count, max id) of the link rejections: changes whenever one is added or undone."""
        try:
            return tuple(self.db.execute("SELECT count(*), coalesce(max(id), 0) FROM link_rejections").fetchone())
        except sqlite3.OperationalError:
            return (0, 0)

    def entity_cooccurrence(self) -> tuple[dict[tuple[str, str], int], dict[tuple[str, str], int]]:
        """Context of linked mentions, per pair of entity ids (a, b) with a < b: the number of
        articles where both are linked, and the number of mentions (same article, start and
        end) one annotator linked to a and another to b."""
        articles = self.db.execute(
            """SELECT x.kb_id, y.kb_id, count(DISTINCT x.article_id)
               FROM (SELECT DISTINCT article_id, kb_id FROM spans WHERE kb_id IS NOT NULL) x
               JOIN (SELECT DISTINCT article_id, kb_id FROM spans WHERE kb_id IS NOT NULL) y
                 ON x.article_id = y.article_id AND x.kb_id < y.kb_id
               GROUP BY x.kb_id, y.kb_id""").fetchall()
        shared = self.db.execute(
            """SELECT x.kb_id, y.kb_id, count(*)
               FROM spans x JOIN spans y ON x.article_id = y.article_id AND x.start = y.start
                 AND x."end" = y."end" AND x.kb_id < y.kb_id AND x.annotator != y.annotator
               GROUP BY x.kb_id, y.kb_id""").fetchall()
        return ({(a, b): n for a, b, n in articles}, {(a, b): n for a, b, n in shared})

    def alias_id(self, entity_id: str, text: str) -> int | None:
        """Row id of an alias, or None."""
        row = self.db.execute("SELECT id FROM aliases WHERE entity_id = ? AND text = ?", [entity_id, text]).fetchone()
        return row[0] if row else None

    # -- the action log ---------------------------------------------------

    @contextmanager
    def action(self, kind: str, annotator: str, article_id: str | None) -> Iterator[log.UnitOfWork]:
        """One reviewer action: its changes and its log entry in one transaction."""
        with log.record(self.db, kind, annotator, article_id) as uow:
            yield uow

    def undo(self, article_id: str | None, annotator: str, hook: log.Hook | None = None) -> Action | None:
        """Revert the annotator's latest action in the article (None: nothing to undo).

        Raises ``store.actions.Conflict`` when a row it would revert was changed since by someone else.
        """
        return log.undo(self.db, article_id, annotator, hook)

    def redo(self, article_id: str | None, annotator: str, hook: log.Hook | None = None) -> Action | None:
        """Re-apply the annotator's latest undone action in the article (Conflict as for :meth:`undo`)."""
        return log.redo(self.db, article_id, annotator, hook)

    def set_overall_status(self, article_id: str, status: str) -> None:
        """Store an article's overall status (derived from the reviews; inside the caller's transaction)."""
        row = self.db.execute("SELECT status FROM articles WHERE id = ?", [article_id]).fetchone()
        if row is not None and row[0] != status:
            self.db["articles"].update(article_id, {"status": status, "updated_at": now()})

    def history(self, article_id: str | None = None, limit: int = 1000, annotator: str | None = None) -> list[Action]:
        """The action log, newest first (of one article, or all; of one annotator, or everyone's)."""
        clauses, args = [], []
        if article_id:
            clauses, args = ["article_id = ?"], [article_id]
        if annotator is not None:
            clauses.append("annotator = ?")
            args.append(annotator)
        where = " AND ".join(clauses) or None
        rows = self.db["actions"].rows_where(where, args, order_by="id DESC", limit=limit)
        return [row_to_action(r) for r in rows]

    # -- queries the service needs (annotate/service/) ----------------------

    def arg_ids_using(self, span_id: int) -> list[int]:
        """Ids of the event arguments whose event or filler is ``span_id``."""
        rows = self.db.execute("SELECT id FROM event_args WHERE event_id = ? OR span_id = ?", [span_id, span_id])
        return [r[0] for r in rows]

    def arg_article(self, arg_id: int) -> str | None:
        """The article of an event argument (through its event span), or None when it no longer exists."""
        row = self.db.execute(
            "SELECT s.article_id FROM event_args a JOIN spans s ON s.id = a.event_id WHERE a.id = ?", [arg_id]
        ).fetchone()
        return row[0] if row else None

    def arg_event(self, arg_id: int) -> int | None:
        """The event span id of an event argument, or None when it no longer exists."""
        row = self.db.execute("SELECT event_id FROM event_args WHERE id = ?", [arg_id]).fetchone()
        return row[0] if row else None

    def articles_gold_by_others(self, annotator: str, minimum: int = 2) -> set[str]:
        """Articles with gold spans from at least ``minimum`` annotators other than ``annotator``."""
        rows = self.db.execute(
            """SELECT article_id FROM spans WHERE annotator != ? GROUP BY article_id
               HAVING count(DISTINCT annotator) >= ?""", [annotator, minimum]).fetchall()
        return {r[0] for r in rows}

    def entity_mentions(self, entity_id: str, limit: int = 200) -> list[tuple[str, str, int, int, str, str]]:
        """Gold spans linked to an entity, in ingest order: (article id, title, start, end, text, annotator)."""
        rows = self.db.execute(
            """SELECT s.article_id, a.title, s.start, s."end", substr(a.text, s.start + 1, s."end" - s.start),
                      s.annotator
               FROM spans s JOIN articles a ON a.id = s.article_id WHERE s.kb_id = ?
               ORDER BY a.rowid, s.start LIMIT ?""",
            [entity_id, limit],
        ).fetchall()
        return [tuple(row) for row in rows]

    def entity_signature(self) -> tuple[int | float | None, ...]:
        """A cheap fingerprint of the entity and alias tables: changes whenever an entity, a name,
        a merge or an alias does (it scans the aliases: tens of ms at 300k)."""
        return tuple(self.db.execute(
            """SELECT (SELECT count(*) FROM entities), (SELECT total(length(name)) FROM entities),
                      (SELECT count(merged_into) FROM entities), (SELECT count(*) FROM aliases),
                      (SELECT max(id) FROM aliases), (SELECT total(length(entity_id) * id) FROM aliases)"""
        ).fetchone())

    def write_stamp(self) -> tuple[int, int]:
        """Counters that move on any write to the database, by this connection or another process (free to read)."""
        conn = self.db.conn
        return conn.total_changes, conn.execute("PRAGMA data_version").fetchone()[0]

    def entity_count(self) -> int:
        """Number of canonical entities, merged ones included."""
        return self.db.execute("SELECT count(*) FROM entities").fetchone()[0]
