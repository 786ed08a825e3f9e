"""Suggestion bookkeeping for ``annotate/suggest/run.py``: the known names, what each article's
suggestions were computed with, and which articles hold a given surface.

Every suggested article has a row in ``suggest_runs``: the full ``fingerprint``, the same without
the known names (``base``) and the digest of the known-name table it matched on
(``known_names``). The tables themselves are kept in ``known_name_sets`` by digest, so that a
later change (a link, a new entity, a rename, a merge, a gazetteer import) can be diffed into the
surfaces it touches; only the articles that contain one of those are suggested again.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Iterable, Iterator, Sequence

from store import actions as log
from store.convert import row_to_article
from store.models import Article, DocSuggestions
from store.repo import Store

KnownName = tuple[str, str, str | None]  # (surface, type, kb_id)
CHUNK = 500  # ids per IN (...) list: well under SQLite's variable limit
# Without the full-text index each changed surface costs one pass over every text; beyond this
# many the caller is told "unknown" (None) and suggests everything again.
SCAN_LIMIT = 64
_PIECE = re.compile(r"\w+")


def known_names(store: Store) -> list[tuple[str, str, str]]:
    """(surface, type, kb_id) of every alias of every live canonical entity."""
    rows = store.db.execute(
        "SELECT a.text, e.type, e.id FROM aliases a JOIN entities e ON e.id = a.entity_id WHERE e.merged_into IS NULL"
    ).fetchall()
    return [(r[0], r[1], r[2]) for r in rows]


# -- known-name tables, by digest ------------------------------------------------

def keep_known_names(store: Store, digest: str, names: Sequence[KnownName]) -> None:
    """Record the known-name table ``digest`` (once), and forget those no run refers to any more."""
    with store.db.atomic():
        conn = store.db.conn
        if conn.execute("SELECT 1 FROM known_name_sets WHERE digest = ?", [digest]).fetchone() is None:
            blob = zlib.compress(json.dumps([list(n) for n in names], ensure_ascii=False).encode("utf-8"))
            conn.execute("INSERT INTO known_name_sets (digest, names, at) VALUES (?, ?, ?)", [digest, blob, log.now()])
        conn.execute("DELETE FROM known_name_sets WHERE digest != ? AND digest NOT IN "
                     "(SELECT DISTINCT known_names FROM suggest_runs WHERE known_names IS NOT NULL)", [digest])


def known_name_set(store: Store, digest: str) -> list[KnownName] | None:
    """The known-name table recorded under ``digest``, or None if it was never kept."""
    row = store.db.execute("SELECT names FROM known_name_sets WHERE digest = ?", [digest]).fetchone()
    if row is None:
        return None
    return [(s, lab, kb) for s, lab, kb in json.loads(zlib.decompress(row[0]).decode("utf-8"))]


# -- what each article was suggested with ------------------------------------------

def up_to_date(store: Store, fingerprint: str) -> int:
    """How many articles were suggested with exactly ``fingerprint``."""
    return store.db.execute("SELECT count(*) FROM suggest_runs WHERE fingerprint = ?", [fingerprint]).fetchone()[0]


def older_known_names(store: Store, fingerprint: str, base: str) -> dict[str, int]:
    """Digest -> article count, of the runs made with this ``base`` but other known names."""
    rows = store.db.execute(
        "SELECT known_names, count(*) FROM suggest_runs WHERE base = ? AND fingerprint != ? "
        "AND known_names IS NOT NULL GROUP BY known_names", [base, fingerprint])
    return {r[0]: r[1] for r in rows}


def runs_with_known_names(store: Store, base: str, digest: str) -> list[str]:
    """Articles suggested with this ``base`` and the known-name table ``digest``, in ingest order."""
    rows = store.db.execute(
        "SELECT r.article_id FROM suggest_runs r JOIN articles a ON a.id = r.article_id "
        "WHERE r.base = ? AND r.known_names = ? ORDER BY a.rowid", [base, digest])
    return [r[0] for r in rows]


def unsuggested(store: Store) -> list[str]:
    """Articles never suggested, in ingest order."""
    rows = store.db.execute(
        "SELECT id FROM articles WHERE id NOT IN (SELECT article_id FROM suggest_runs) ORDER BY rowid")
    return [r[0] for r in rows]


def other_base(store: Store, fingerprint: str, base: str) -> list[str]:
    """Articles suggested with another model, lexicon, rules or learned version (or before the
    known-name bookkeeping existed), in ingest order."""
    rows = store.db.execute(
        "SELECT r.article_id FROM suggest_runs r JOIN articles a ON a.id = r.article_id "
        "WHERE r.fingerprint != ? AND (r.base IS NULL OR r.base != ? OR r.known_names IS NULL) ORDER BY a.rowid",
        [fingerprint, base])
    return [r[0] for r in rows]


def adopt(store: Store, fingerprint: str, base: str, digest: str) -> None:
    """Fill in ``base`` and ``known_names`` on up-to-date runs recorded before they existed
    (the full fingerprint already says exactly what they were made with)."""
    with store.db.atomic():
        store.db.conn.execute("UPDATE suggest_runs SET base = ?, known_names = ? WHERE fingerprint = ? "
                              "AND (base IS NULL OR known_names IS NULL)", [base, digest, fingerprint])


def runs_among(store: Store, base: str, digest: str, article_ids: Iterable[str]) -> list[str]:
    """Those of ``article_ids`` suggested with this ``base`` and known-name table ``digest``, in ingest order."""
    ids = sorted(set(article_ids))
    found: list[tuple[int, str]] = []
    for n in range(0, len(ids), CHUNK):
        chunk = ids[n:n + CHUNK]
        marks = ", ".join("?" * len(chunk))
        found += store.db.execute(
            "SELECT a.rowid, r.article_id FROM suggest_runs r JOIN articles a ON a.id = r.article_id "
            f"WHERE r.base = ? AND r.known_names = ? AND r.article_id IN ({marks})", [base, digest, *chunk]).fetchall()
    return [i for _rowid, i in sorted(found)]


def restamp(store: Store, base: str, old: str, keep_stale: Sequence[str], fingerprint: str, digest: str) -> int:
    """Mark the runs made with ``base`` and the known names ``old`` as made with ``fingerprint`` and
    ``digest``, except ``keep_stale``: their suggestions do not depend on the names that changed,
    so they stay, ids and all. Returns how many were re-stamped."""
    with store.db.atomic():
        conn = store.db.conn
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS stale_ids (id TEXT PRIMARY KEY)")
        conn.execute("DELETE FROM temp.stale_ids")
        conn.executemany("INSERT OR IGNORE INTO temp.stale_ids (id) VALUES (?)", [(i,) for i in keep_stale])
        cursor = conn.execute(
            "UPDATE suggest_runs SET fingerprint = ?, known_names = ? WHERE base = ? AND known_names = ? "
            "AND article_id NOT IN (SELECT id FROM temp.stale_ids)", [fingerprint, digest, base, old])
        conn.execute("DELETE FROM temp.stale_ids")
    return cursor.rowcount


def articles(store: Store, article_ids: Sequence[str]) -> Iterator[Article]:
    """The articles of ``article_ids``, in that order."""
    for n in range(0, len(article_ids), CHUNK):
        chunk = article_ids[n:n + CHUNK]
        marks = ", ".join("?" * len(chunk))
        found = {r["id"]: r for r in store.db.query(f"SELECT * FROM articles WHERE id IN ({marks})", chunk)}
        yield from (row_to_article(found[i]) for i in chunk if i in found)


def save(store: Store, batch: Sequence[tuple[str, DocSuggestions]], fingerprint: str, base: str,
         digest: str) -> None:
    """Store one batch of suggester output and what it was made with, in one transaction."""
    with store.db.atomic():
        store.replace_suggestions(batch, fingerprint, fingerprint)
        store.db.conn.executemany("UPDATE suggest_runs SET base = ?, known_names = ? WHERE article_id = ?",
                                  [(base, digest, article_id) for article_id, _doc in batch])


# -- which articles hold a surface -------------------------------------------------

def articles_containing(store: Store, surfaces: Iterable[str]) -> set[str] | None:
    """Ids of the articles whose text may hold one of ``surfaces``, case-insensitively; None when
    there are too many surfaces to look for without the full-text index (then assume all do).

    A surface is found when each of its word pieces (runs of letters and digits: ``l'Etat`` is
    ``l`` and ``Etat``) is in the text, in any order, so that apostrophe, hyphen and space
    variants the suggester normalises are found too; more articles than strictly needed is
    safe, fewer is not. Through the FTS5 table ``articles_fts`` when it exists, else one scan
    of the texts with ``instr()``.
    """
    wanted = sorted({s for s in surfaces if _PIECE.search(s)})
    if not wanted:
        return set()
    fts = _fts_shape(store)
    found: set[str] = set()
    scan: list[str] = []
    for surface in wanted:
        if fts is None or not _fts_lookup(store, fts, surface, found):
            scan.append(surface)
    if len(scan) > SCAN_LIMIT:
        return None
    for n in range(0, len(scan), 16):
        found |= _scan(store, scan[n:n + 16])
    return found


# The index of migration m010_fts: external content over articles, unicode61 (every piece indexable).
_FTS_SQL = ("SELECT a.id FROM articles_fts f JOIN articles a ON a.rowid = f.rowid "
            "WHERE articles_fts MATCH ?")


def _fts_shape(store: Store) -> tuple[str, int] | None:
    """(SQL selecting the article id for a MATCH, shortest piece the tokenizer indexes), or None
    when the database has no full-text index (one being upgraded)."""
    row = store.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'articles_fts'").fetchone()
    return (_FTS_SQL, 1) if row is not None else None


def _fts_lookup(store: Store, fts: tuple[str, int], surface: str, found: set[str]) -> bool:
    """Add the articles holding every indexable piece of ``surface``; False if it has none."""
    sql, shortest = fts
    pieces = [p for p in _PIECE.findall(surface) if len(p) >= shortest]
    if not pieces:
        return False
    query = " AND ".join('"' + p.replace('"', '""') + '"' for p in pieces)
    try:
        found.update(r[0] for r in store.db.execute(sql, [query]))
    except Exception:  # noqa: BLE001 - an index of another shape than expected: scan instead
        return False
    return True


def _scan(store: Store, surfaces: Sequence[str]) -> set[str]:
    """One pass over the texts for a few surfaces (each looked up by its longest piece)."""
    variants: list[str] = []
    for surface in surfaces:
        piece = max(_PIECE.findall(surface), key=len)
        # instr() is exact and SQLite's lower() folds A-Z only: try the casings a text uses.
        variants += sorted({piece, piece.lower(), piece.upper(), piece.capitalize()})
    sql = ("SELECT id FROM articles WHERE EXISTS "
           "(SELECT 1 FROM json_each(?) WHERE instr(articles.text, json_each.value) > 0)")
    return {r[0] for r in store.db.execute(sql, [json.dumps(variants)])}
