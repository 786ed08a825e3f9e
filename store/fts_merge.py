"""How the full-text index (m010_fts) merges its segments while a long ingest writes to it.

FTS5 writes the entries of each transaction as a new segment, and by default (``automerge`` 4)
merges segments four at a time, level by level: every entry is written again once per level, and a
level is added each time the index grows four times over (five or six rewrites at a million
articles: the part of an ingest's cost that grows faster than the corpus).

During an ingest (:func:`deferred_merges`) automatic merging is off: the segments of its batches
pile up on the lowest level, which is merged whole (one many-way merge) when it reaches
:data:`FANOUT` segments and, at the end, by :func:`finish` together with whatever the default rule
would merge, so that each level ends with fewer than four segments, as automerge leaves them.
Each entry is written about once more instead of once per level. The merges run as FTS5 ``merge``
commands of a few thousand pages, each in its own short transaction, between batches: a reviewer
waits for one step, never for a whole merge. Other writers meanwhile (the app) write their
segments as usual; only the merging waits.

The settings are FTS5's own (stored in ``articles_fts_config``); :func:`deferred_merges` puts
back FTS5's defaults when it ends. An ingest killed outright leaves them off: the index stays
correct, later small writes are merged only once 2 x FANOUT segments pile up, until the next
ingest ends and puts the defaults back.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import sqlite_utils

FANOUT = 256  # segments of the lowest level merged in one pass during an ingest
STEP = 4_000  # pages (about 4 KB each) written per merge transaction: about half a second
USERMERGE = 4  # FTS5's default: a level of this many segments is merged (by automerge and by 'merge')
HASH_BYTES = 8 << 20  # entries held in memory before FTS5 writes a segment (a batch of 2,000
# seed-sized articles makes about 1.2 MB: one segment a batch instead of two with the default)
_DEFAULTS = {"automerge": 4, "crisismerge": 16, "hashsize": 1 << 20}  # FTS5's, put back at the end
# Written out: the FTS5 commands take the value as the rank column, the name as a string literal.
_SET = "INSERT INTO articles_fts (articles_fts, rank) VALUES (?, ?)"
_STRUCTURE_ROWID = 10  # FTS5_STRUCTURE_ROWID: the record listing every level and segment


@dataclass(frozen=True)
class Level:
    """One level of the index: the pages of each segment (oldest first) and how many of the
    first ones are the inputs of a merge under way (FTS5 resumes it at its next merge step)."""

    pages: tuple[int, ...]
    merging: int = 0


def has_index(db: sqlite_utils.Database) -> bool:
    """Whether the database has the full-text index (every migrated one does)."""
    return db.execute("SELECT 1 FROM sqlite_master WHERE name = 'articles_fts_data'").fetchone() is not None


def levels(db: sqlite_utils.Database) -> list[Level]:
    """The index's levels, lowest first, read from FTS5's structure record ([] without one)."""
    row = db.execute("SELECT block FROM articles_fts_data WHERE id = ?", [_STRUCTURE_ROWID]).fetchone()
    return _decode(bytes(row[0])) if row and row[0] else []


def _varint(data: bytes, at: int) -> tuple[int, int]:
    """SQLite's varint (big-endian, 7 bits a byte, the 9th byte whole) at ``at``: (value, next)."""
    value = 0
    for k in range(8):
        byte = data[at + k]
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            return value, at + k + 1
    return (value << 8) | data[at + 8], at + 9


def _decode(data: bytes) -> list[Level]:
    # fts5StructureDecode: a 4-byte cookie, 0xFFFFFFFF when the segments carry five more fields
    # (SQLite 3.44 and later), then levels, segments, write counter, and per level nMerge, nSeg
    # and per segment (id, first leaf, last leaf, [origin1, origin2, tombstone pages and entries, entries]).
    at, extra = 4, 0
    if data[4:8] == b"\xff\xff\xff\xff":
        at, extra = 8, 5
    count, at = _varint(data, at)
    for _ in range(2):
        _, at = _varint(data, at)
    out = []
    for _ in range(count):
        merging, at = _varint(data, at)
        segments, at = _varint(data, at)
        pages = []
        for _ in range(segments):
            _, at = _varint(data, at)
            first, at = _varint(data, at)
            last, at = _varint(data, at)
            for _ in range(extra):
                _, at = _varint(data, at)
            pages.append(last - first + 1)
        out.append(Level(tuple(pages), merging))
    return out


def pages_to_merge(found: list[Level], least: int = USERMERGE) -> int:
    """Pages of the segments a ``merge`` would still read: the inputs of a merge under way, and
    every level of ``least`` segments or more (the later levels a merge fills are not counted)."""
    return sum(sum(lvl.pages[:lvl.merging]) if lvl.merging else sum(lvl.pages)
               for lvl in found if lvl.merging or len(lvl.pages) >= least)


def merge_step(db: sqlite_utils.Database, pages: int = STEP) -> bool:
    """One transaction of FTS5's ``merge`` command: up to ``pages`` pages of the merge under way,
    or of a new one of the level with the most segments (at least :data:`USERMERGE`). False when
    there was nothing to merge."""
    before = db.conn.total_changes
    with db.atomic():
        db.execute(_SET, ["merge", pages])
    # The documented test: fewer than two changes mean no merge work was done.
    return db.conn.total_changes - before >= 2


def _set(db: sqlite_utils.Database, values: dict[str, int]) -> None:
    with db.atomic():
        for name, value in values.items():
            db.execute(_SET, [name, value])


@contextlib.contextmanager
def deferred_merges(db: sqlite_utils.Database) -> Iterator[None]:
    """Automatic merging off for the block (see the module docstring), FTS5's defaults back after
    it, even if it raises. The caller calls :func:`between_batches` after its batches and
    :func:`finish` at the end; without the index the block runs as it is."""
    if not has_index(db):
        yield
        return
    # A level reaching 2 x FANOUT inside one transaction (a batch of huge texts) is merged at once
    # by FTS5's crisis merge: the index never holds more segments than FTS5 allows (2,000).
    _set(db, {"automerge": 0, "crisismerge": 2 * FANOUT, "hashsize": HASH_BYTES})
    try:
        yield
    finally:
        _set(db, _DEFAULTS)


def between_batches(db: sqlite_utils.Database) -> None:
    """Merge the lowest level if it has :data:`FANOUT` segments, a step per transaction."""
    found = levels(db)
    if not found or len(found[0].pages) < FANOUT and not any(lvl.merging for lvl in found):
        return
    while merge_step(db, _step(found)):
        found = levels(db)
        if not any(lvl.merging for lvl in found):
            return


def finish(db: sqlite_utils.Database, progress: Callable[[int, int], None] | None = None) -> None:
    """Merge every level of :data:`USERMERGE` segments or more, a step per transaction (the
    merges a default automerge would have done), reporting (pages merged, pages to merge)."""
    if not has_index(db):
        return
    found = levels(db)
    left, merged = pages_to_merge(found), 0
    while left and merge_step(db, _step(found)):
        found = levels(db)
        # A merge's output can fill the level above to USERMERGE segments: the total grows then.
        now = pages_to_merge(found)
        merged, left = merged + max(left - now, 0), now
        if progress:
            progress(merged, merged + left)


def _step(found: list[Level]) -> int:
    # Each step trims the partly read page of every input segment: with many inputs, a longer step.
    inputs = max((lvl.merging or len(lvl.pages) for lvl in found), default=0)
    return max(STEP, 16 * inputs)
