"""store.listing.rowids_dense: two index look-ups, whatever the number of articles."""

from __future__ import annotations

from store import Store
from store.convert import article_to_row
from store.listing import rowids_dense
from tests.store.support import make_article


def steps(store: Store, n: int) -> int:
    """SQLite instructions :func:`rowids_dense` runs on ``n`` articles (the handler counts them)."""
    counted = [0]

    def tick() -> int:
        counted[0] += 1
        return 0

    store.db.conn.set_progress_handler(tick, 1)
    try:
        assert rowids_dense(store.db, n)
    finally:
        store.db.conn.set_progress_handler(None, 1)
    return counted[0]


def test_rowids_dense_reads_the_two_ends_not_the_table(tmp_path) -> None:
    store = Store.open(tmp_path / "g.db")
    store.db["articles"].insert_all(article_to_row(make_article(aid=f"a{n}")) for n in range(10))
    few = steps(store, 10)
    store.db["articles"].insert_all(article_to_row(make_article(aid=f"b{n}")) for n in range(2_000))
    assert steps(store, 2_010) == few  # (a scan of min and max together: a step per row)
    store.db.execute("DELETE FROM articles WHERE id = 'b5'")
    assert not rowids_dense(store.db, 2_009)  # a gap
    store.db.execute("DELETE FROM articles WHERE id = 'a0'")
    assert not rowids_dense(store.db, 2_008)  # the first rowid gone
    assert rowids_dense(store.db, 0) and rowids_dense(Store.open(tmp_path / "empty.db").db, 0)
