"""Corpus views paged from SQL (annotate/corpus/listing.py over store/listing.py)."""

import itertools
import json
from pathlib import Path

import pytest

from annotate.corpus.listing import CorpusView, View, live_query
from annotate.service import Service
from tests import db_support


def fill(service: Service, folder: Path) -> None:
    """30 articles: titles with ties, accents and blanks, dates with gaps; some reviewed."""
    path = folder / "c.jsonl"
    titles = ["Écoles", "ecoles", "Bagdad", "", "zinc", "Bagdad"]
    with open(path, "w", encoding="utf-8") as out:
        for i in range(30):
            meta = {"title": titles[i % len(titles)] or None, "source": f"s{i % 7}"}
            if i % 4:
                meta["date"] = f"2024-0{i % 9 + 1}-01"
            out.write(json.dumps({"text": f"Texte {i} : Soudâni à Bagdad." if i % 3 == 0 else f"Texte {i}.",
                                  "meta": meta}) + "\n")
    service.data.ingest([path])
    ids = service.store.article_ids()
    for n, aid in enumerate(ids):
        if n % 5 == 1:
            service.review.set_status(aid, "done")
        elif n % 5 == 2:
            service.review.set_status(aid, "in_progress")


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory, empty_db: Path) -> Path:
    """The corpus of ``fill``, built once for the module (alice reviewed some), closed."""
    folder = tmp_path_factory.mktemp("corpus")
    return db_support.build(db_support.copy(empty_db, folder / "g.db"), lambda svc: fill(svc, folder))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, corpus_db: Path):
    """The corpus, shared by the module's tests that only read it: opened read-only, so a test that
    writes to it fails instead of changing what the next test sees."""
    path = db_support.copy(corpus_db, tmp_path_factory.mktemp("corpus_read") / "g.db")
    service = Service.open(path, annotator="alice", readonly=True)
    yield service
    service.close()


@pytest.fixture
def corpus_copy(tmp_path: Path, corpus_db: Path):
    """A private, writable copy of the corpus, for a test that changes it."""
    service = Service.open(db_support.copy(corpus_db, tmp_path / "g.db"), annotator="alice")
    yield service
    service.close()


VIEWS = [View(status, text, sort, reverse)
         for status, text, sort, reverse in itertools.product(
             (None, "todo", "done", "in_progress"), ("", "soudani"), (None, "title", "date", "source", "confidence"), (False, True))]


@pytest.mark.parametrize("view", VIEWS, ids=str)
def test_windows_counts_and_positions_agree(corpus, view):
    cv = CorpusView(corpus, view)
    everything = cv.ids()
    assert cv.count() == len(everything)
    paged = [r["id"] for offset in range(0, len(everything) + 7, 7) for r in cv.rows(offset, 7)]
    assert paged == everything
    for index, aid in enumerate(everything):
        assert cv.position(aid) == index
    shown = set(everything)
    for aid in corpus.store.article_ids():
        if aid not in shown:
            assert cv.position(aid) is None


@pytest.mark.parametrize("view", VIEWS, ids=str)
def test_windows_read_backwards_and_by_jumps_are_the_views_rows(corpus, view):
    """Windows read from a neighbour row (keyset paging, forwards and backwards) and windows
    reached by a jump agree with the view's order, NULL keys and ties included."""
    everything = CorpusView(corpus, view).ids()
    cv = CorpusView(corpus, view)
    starts = list(range(0, len(everything), 4))
    backwards = [r["id"] for offset in reversed(starts) for r in reversed(cv.rows(offset, 4))]
    assert backwards == everything[::-1]
    jumps = CorpusView(corpus, view)
    for offset in (13, 9, 17, 5, 21, 0, 25, 13):
        assert [r["id"] for r in jumps.rows(offset, 4)] == everything[offset:offset + 4]


def test_a_jump_in_ingest_order_needs_no_offset(corpus, monkeypatch):
    """The unfiltered view in ingest order maps a row index to its rowid: a jump into the middle
    is a range read, not an OFFSET over the rows before it."""
    from store import listing as sql

    offsets = []
    window = sql.window
    monkeypatch.setattr(sql, "window", lambda *a, **k: offsets.append(k.get("offset", 0)) or window(*a, **k))
    everything = CorpusView(corpus, View()).ids()
    for reverse in (False, True):
        cv = CorpusView(corpus, View(reverse=reverse))
        want = everything[::-1] if reverse else everything
        assert [r["id"] for r in cv.rows(11, 5)] == want[11:16]
        assert [r["id"] for r in cv.rows(23, 5)] == want[23:28]
    assert offsets == [0, 0, 0, 0]


def test_a_view_is_sorted_and_filtered_as_the_full_rows_are(corpus):
    rows = corpus.data.articles()
    order = {r["id"]: n for n, r in enumerate(rows)}
    for view in VIEWS:
        if view.text or view.sort == "confidence":  # no suggestions here: tests/annotate/test_confidence_order.py
            continue
        want = [r for r in rows if view.status in (None, r["status"])]
        if view.sort:
            # NULLs first ascending (as SQLite), case folded, ties in ingest order; all reversed by reverse
            def key(r, col=view.sort):
                return (r[col] is not None, (r[col] or "").lower(), order[r["id"]])

            want.sort(key=key, reverse=view.reverse)
        elif view.reverse:
            want = want[::-1]
        assert [r["id"] for r in CorpusView(corpus, view).rows(0, 100)] == [r["id"] for r in want], view


def test_rows_carry_the_same_fields_as_the_full_rows(corpus):
    full = {r["id"]: r for r in corpus.data.articles()}
    for row in CorpusView(corpus, View()).rows(0, 100):
        assert {k: row[k] for k in full[row["id"]]} == full[row["id"]]


def test_search_rows_have_snippets_ignoring_accents(corpus):
    rows = CorpusView(corpus, View(text="SOUDANI")).rows(0, 100)
    assert len(rows) == 10
    for row in rows:
        (start, end), = row["marks"]
        assert row["snippet"][start:end] == "Soudâni"


def test_the_last_word_typed_is_a_prefix():
    assert live_query("Soud") == '"Soud"*'
    assert live_query("Soud ") == '"Soud"'
    assert live_query('a"b *') == '"a""b"'
    assert live_query("*") == ""


def test_status_counts_equal_the_service_counts(corpus):
    counts = CorpusView(corpus, View(text="soudani")).status_counts()
    assert {k: v for k, v in counts.items() if v} == {k: v for k, v in corpus.data.counts().items() if v}


def test_a_search_matching_too_many_lists_the_first_ones(corpus, monkeypatch):
    from annotate.corpus import listing

    monkeypatch.setattr(listing, "COUNT_CAP", 3)
    cv = CorpusView(corpus, View(text="bagdad"))
    assert cv.count() == 3 and cv.capped
    assert len(cv.ids()) == 3 and [r["id"] for r in cv.rows(0, 10)] == cv.ids()
    assert cv.position(CorpusView(corpus, View(text="bagdad")).ids()[-1]) is not None
    assert not CorpusView(corpus, View(text="soudani zzz")).capped


def test_statuses_of_some_articles_equal_the_full_rows(corpus):
    from annotate.corpus.listing import statuses

    full = {r["id"]: r["status"] for r in corpus.data.articles()}
    some = list(full)[::3]
    assert statuses(corpus, some) == {a: full[a] for a in some}


ANCHORED = [v for v in VIEWS if not v.text]


@pytest.mark.parametrize("view", ANCHORED, ids=str)
def test_jumps_and_positions_from_anchors_are_the_views(corpus, view, monkeypatch):
    """With anchors every 4 rows (every 1,024 in the app), a jump seeks from the nearest anchor
    with a short OFFSET and a position counts from the one before: same rows, same indexes,
    NULL keys and ties included."""
    from annotate.corpus import listing
    from store import listing as sql

    monkeypatch.setattr(listing, "ANCHOR_EVERY", 4)
    everything = CorpusView(corpus, view).ids()
    cv = CorpusView(corpus, view)
    cv.adopt(cv.anchor_job(corpus.store))
    assert len(cv.anchors) == len(everything) // 4
    offsets = []
    window = sql.window
    monkeypatch.setattr(sql, "window", lambda *a, **k: offsets.append(k.get("offset", 0)) or window(*a, **k))
    for offset, limit in itertools.product((13, 9, 17, 5, 21, 0, 25, 4, 6, 7, 8, 3, len(everything) - 2), (1, 3)):
        assert [r["id"] for r in cv.rows(offset, limit)] == everything[offset:offset + limit]
        cv._edges.clear()  # no neighbour row: every read is a jump
    assert max(offsets) < 4
    for index, aid in enumerate(everything):
        assert cv.position(aid) == index
    shown = set(everything)
    assert all(cv.position(aid) is None for aid in corpus.store.article_ids() if aid not in shown)


def test_anchors_are_dropped_when_statuses_or_the_corpus_change(corpus_copy):
    """A status filter's rows move when a status changes; every view's when articles come."""
    corpus = corpus_copy
    done = CorpusView(corpus, View(status="done", sort="title"))
    titles = CorpusView(corpus, View(sort="title"))
    for cv in (done, titles):
        cv.adopt(cv.anchor_job(corpus.store))
        cv.forget()
    assert done.anchors is None and titles.anchors is not None
    corpus.store.db["articles"].insert({**next(corpus.store.db["articles"].rows), "id": "new"}, alter=False)
    titles.count()
    assert titles.anchors is None
