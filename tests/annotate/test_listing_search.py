"""A corpus view read in a worker thread (annotate/corpus/listing_search.py): what it reads is
what the screen's own connection reads, and a cancel stops a statement that is running."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from annotate.corpus import listing
from annotate.corpus.listing_search import SearchJob
from annotate.service import Service


@pytest.fixture
def svc(tmp_path: Path):
    path = tmp_path / "c.jsonl"
    with open(path, "w", encoding="utf-8") as out:
        for i in range(150):
            text = f"Article {i} sur Mossoul." if i % 4 else f"Le Premier ministre Soudâni, article {i}."
            out.write(json.dumps({"text": text, "meta": {"title": f"Titre {i:04d}"}}) + "\n")
    service = Service.open(tmp_path / "g.db", annotator="alice")
    service.data.ingest([path])
    yield service
    service.close()


def test_a_job_reads_what_the_view_reads_on_its_own_connection(svc: Service) -> None:
    view = listing.View(text="soudani", sort="title", reverse=True)
    ids = listing.CorpusView(svc, view).ids()
    keep = ids[20]
    found = SearchJob(svc, view, keep, 16).run()
    assert found is not None and found.view == view
    assert found.total == len(ids) == len(range(0, 150, 4)) and not found.capped
    assert found.position == 20 and found.offset == 16
    assert [r["id"] for r in found.rows] == ids[16:32]
    assert all("Soudâni" in r["snippet"] and r["marks"] for r in found.rows)
    # The screen's view takes the count and the page's edges: the next page follows on from it.
    shown = listing.CorpusView(svc, view)
    shown.adopt_found(found)
    assert shown.count() == len(ids)
    assert [r["id"] for r in shown.rows(32, 16)] == ids[32:]


def test_an_article_outside_the_view_has_no_position(svc: Service) -> None:
    mossoul_only = svc.store.article_ids()[1]
    found = SearchJob(svc, listing.View(text="soudani"), mossoul_only, 16).run()
    assert found is not None and found.position is None and found.offset == 0


def test_a_cancelled_job_reads_nothing(svc: Service) -> None:
    job = SearchJob(svc, listing.View(text="soudani"), None, 16)
    job.cancel()
    assert job.run() is None


def test_cancel_interrupts_the_statement_running_in_the_worker(svc: Service, monkeypatch) -> None:
    """A statement that would never end on its own (a recursive count without a bound) stops
    when the job is cancelled from another thread, and the job returns None."""
    started = threading.Event()

    def find(self, keep, page):
        started.set()
        self.db.execute("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
                        "SELECT count(*) FROM c").fetchone()
        raise AssertionError("the endless statement ended")

    monkeypatch.setattr(listing.CorpusView, "find", find)
    job = SearchJob(svc, listing.View(text="soudani"), None, 16)
    result: list[object] = []
    worker = threading.Thread(target=lambda: result.append(job.run()))
    worker.start()
    assert started.wait(10)
    job.cancel()
    worker.join(10)
    assert not worker.is_alive() and result == [None]


def test_an_error_of_a_job_not_cancelled_is_raised(svc: Service, monkeypatch) -> None:
    def find(self, keep, page):
        raise RuntimeError("disk gone")

    monkeypatch.setattr(listing.CorpusView, "find", find)
    with pytest.raises(RuntimeError, match="disk gone"):
        SearchJob(svc, listing.View(text="soudani"), None, 16).run()
