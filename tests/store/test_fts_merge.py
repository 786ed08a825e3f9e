"""store/fts_merge.py: the full-text index's merges put off during an ingest, then done in steps."""

from __future__ import annotations

import pytest

from store import Store, fts_merge
from store.convert import article_to_row
from tests.store.support import make_article


def add(db, n):
    """One article in its own transaction (indexed by the trigger): one new segment."""
    with db.atomic():
        db["articles"].insert(article_to_row(make_article(f"Texte numéro {n} sur mot{n}x à Bagdad.", f"a{n}")))


def settings(db):
    return dict(db.execute("SELECT k, v FROM articles_fts_config WHERE k IN ('automerge', 'crisismerge')"))


def matches(db, word):
    return [r[0] for r in db.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?", [f'"{word}"'])]


@pytest.fixture
def db(tmp_path):
    store = Store.open(tmp_path / "g.db")
    yield store.db
    store.close()


def test_while_deferred_every_write_keeps_its_segment_and_finish_merges_them_in_steps(db, monkeypatch):
    monkeypatch.setattr(fts_merge, "STEP", 1)  # one page a transaction: many steps
    with fts_merge.deferred_merges(db):
        assert settings(db) == {"automerge": 0, "crisismerge": 2 * fts_merge.FANOUT}
        for n in range(12):
            add(db, n)
        assert [len(lvl.pages) for lvl in fts_merge.levels(db)][0] == 12  # nothing merged
        seen = []
        fts_merge.finish(db, lambda done, total: seen.append((done, total)))
    found = fts_merge.levels(db)
    assert all(len(lvl.pages) < fts_merge.USERMERGE and not lvl.merging for lvl in found)
    assert sum(len(lvl.pages) for lvl in found) < 12
    assert seen and seen[-1][0] == seen[-1][1] > 0
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert settings(db) == {"automerge": 4, "crisismerge": 16}  # FTS5's defaults, back
    db.execute("INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)")
    assert all(len(matches(db, f"mot{n}x")) == 1 for n in range(12)) and len(matches(db, "bagdad")) == 12


def test_the_lowest_level_is_merged_whole_when_it_reaches_the_fanout(db, monkeypatch):
    monkeypatch.setattr(fts_merge, "FANOUT", 6)
    with fts_merge.deferred_merges(db):
        for n in range(5):
            add(db, n)
            fts_merge.between_batches(db)
        assert [len(lvl.pages) for lvl in fts_merge.levels(db)][0] == 5
        add(db, 5)
        fts_merge.between_batches(db)
        found = fts_merge.levels(db)
        assert sum(len(lvl.pages) for lvl in found) == 1 and not any(lvl.merging for lvl in found)
    assert len(matches(db, "bagdad")) == 6


def test_a_block_that_raises_puts_the_defaults_back_and_later_writes_merge_as_usual(db):
    with pytest.raises(KeyboardInterrupt), fts_merge.deferred_merges(db):
        add(db, 0)
        raise KeyboardInterrupt
    assert settings(db) == {"automerge": 4, "crisismerge": 16}
    for n in range(1, 21):
        add(db, n)
    # Merging at work again (tiny segments wait for FTS5's crisis merge at 16 of them on a level).
    assert sum(len(lvl.pages) for lvl in fts_merge.levels(db)) < 16
    assert len(matches(db, "bagdad")) == 21


def test_the_structure_record_is_read_in_both_formats():
    # cookie, levels, segments, write counter; per level nMerge, nSeg; per segment id, first, last.
    v1 = bytes([0, 0, 0, 1, 2, 3, 0x81, 0x00, 1, 2, 7, 1, 10, 9, 1, 3, 0, 1, 4, 1, 0x81, 0x80, 0x00])
    assert fts_merge._decode(v1) == [fts_merge.Level((10, 3), merging=1), fts_merge.Level((16384,))]
    # 3.44+: 0xFFFFFFFF after the cookie, five more fields per segment.
    v2 = bytes([0, 0, 0, 1, 255, 255, 255, 255, 1, 1, 5, 0, 1, 7, 2, 9, 1, 2, 0, 0, 3])
    assert fts_merge._decode(v2) == [fts_merge.Level((8,))]
    assert fts_merge.pages_to_merge([fts_merge.Level((10, 3), 1), fts_merge.Level((5, 5, 5, 5)),
                                     fts_merge.Level((99, 99))]) == 10 + 20
