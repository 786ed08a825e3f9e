"""Searching a large corpus as you type: the query is read off the event loop, once typing
pauses, and only the last query's rows are ever shown (tui/screens/corpus_search.py)."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from annotate.corpus import listing, listing_search
from annotate.service import Service
from store import listing as sql
from tests.paths import SIZE
from tui.app import GlossatorApp
from tui.screens import corpus as corpus_screen
from tui.screens.corpus import CorpusScreen
from tui.widgets.corpus_list import PAGE, CorpusList

pytestmark = pytest.mark.anyio
N = PAGE * 4


def summary(app: GlossatorApp) -> str:
    return str(app.screen.query_one("#summary").render())


def listed_ids(app: GlossatorApp) -> list[str]:
    widget = app.screen.query_one(CorpusList)
    return [widget.row(i)["id"] for i in range(widget.total)]


def titles_on_screen(app: GlossatorApp) -> str:
    widget = app.screen.query_one(CorpusList)
    return "\n".join(widget.render_line(y).text for y in range(widget.size.height))


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """N articles: every 3rd about Mossoul, every 5th about Soudâni; searched as a large corpus."""
    path = tmp_path / "c.jsonl"
    with open(path, "w", encoding="utf-8") as out:
        for i in range(N):
            words = ["Article", str(i)]
            if i % 3 == 0:
                words.append("sur Mossoul")
            if i % 5 == 0:
                words.append("avec le Premier ministre Soudâni")
            out.write(json.dumps({"text": " ".join(words) + ".", "meta": {"title": f"Titre {i:04d}"}}) + "\n")
    svc = Service.open(tmp_path / "g.db", annotator="alice")
    svc.data.ingest([path])
    monkeypatch.setattr(listing_search, "SEARCH_APART_FROM", 100)  # N articles count as a large corpus
    yield svc
    svc.close()


def expected(svc: Service, text: str) -> list[str]:
    """The view's ids read directly on the service's own connection, in the list's order."""
    return listing.CorpusView(svc, listing.View(text=text)).ids()


def count_searches(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The full-text queries counted (one per search read), from whichever thread."""
    asked: list[str] = []
    real = sql.count

    def count(db, who, **kw):
        if kw.get("match"):
            asked.append(kw["match"])
        return real(db, who, **kw)

    monkeypatch.setattr(sql, "count", count)
    return asked


async def test_a_search_typed_quickly_reads_only_the_final_query(corpus: Service, monkeypatch) -> None:
    """Seven keys typed within the pause: one query, for the whole word, and its rows only."""
    asked = count_searches(monkeypatch)
    monkeypatch.setattr(corpus_screen, "DEBOUNCE", 60.0)  # no key waits that long: only Enter reads
    app = GlossatorApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"mossoul")
        assert asked == []  # nothing read while typing
        assert "searching “mossoul”" in summary(app)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert asked == ['"mossoul"*']
        assert app.screen.text_filter == "mossoul"
        assert listed_ids(app) == expected(corpus, "mossoul") != []
        assert len(listed_ids(app)) == len(range(0, N, 3))
        assert "Mossoul" in titles_on_screen(app) and f"showing {len(range(0, N, 3))}" in summary(app)


async def test_the_rows_shown_are_the_last_querys_even_when_an_older_one_ends_later(
        corpus: Service, monkeypatch) -> None:
    """The first query's reading is held until the second one is shown: its rows, arriving
    last, are dropped, and the list shows the second query's rows."""
    monkeypatch.setattr(corpus_screen, "DEBOUNCE", 0.0)  # every key starts a read at once
    release = threading.Event()
    real = listing.CorpusView.find

    def find(self, keep, page):
        found = real(self, keep, page)
        if self.view.text == "mossoul":
            release.wait(10)  # a guard against a hang, not a wait the test relies on
        return found

    monkeypatch.setattr(listing.CorpusView, "find", find)
    app = GlossatorApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, CorpusScreen)
        await pilot.press("slash", *"mossoul")
        await pilot.pause()
        screen.query_one("#filter").value = "soudani"
        await pilot.pause()
        # The second query is read and shown while the first one is still held.
        for _ in range(500):  # a bound, not a timing: the worker's result is handed over at once
            if screen.text_filter == "soudani":
                break
            await pilot.pause()
        assert listed_ids(app) == expected(corpus, "soudani")
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.text_filter == "soudani"
        assert listed_ids(app) == expected(corpus, "soudani") != []
        assert corpus.store.article_ids()[3] not in listed_ids(app)  # Mossoul only


async def test_the_list_answers_keys_while_a_search_is_read(corpus: Service, monkeypatch) -> None:
    """A query held in the worker does not hold the screen: j moves the cursor over the rows
    still shown, and the summary says what is being searched, literally."""
    release, started = threading.Event(), threading.Event()
    real = sql.count

    def count(db, who, **kw):
        if kw.get("match"):
            started.set()
            release.wait(10)  # a guard against a hang: today's code would hold the event loop here
        return real(db, who, **kw)

    monkeypatch.setattr(sql, "count", count)
    monkeypatch.setattr(corpus_screen, "DEBOUNCE", 60.0)
    ids = corpus.store.article_ids()
    app = GlossatorApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await pilot.press("slash", *"[b]mossoul", "enter")
        assert started.wait(10)
        await pilot.press("j", "j")
        assert screen.current_id() == ids[2]  # the whole corpus is still listed
        assert "searching “[b]mossoul”" in summary(app)
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.text_filter == "[b]mossoul" and listed_ids(app) == []
        assert "no match" in summary(app)


async def test_escape_drops_a_pending_search(corpus: Service, monkeypatch) -> None:
    asked = count_searches(monkeypatch)
    monkeypatch.setattr(corpus_screen, "DEBOUNCE", 60.0)
    app = GlossatorApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"sou", "escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert asked == [] and app.screen.text_filter == ""
        assert len(listed_ids(app)) == N and "searching" not in summary(app)


async def test_a_status_filter_during_a_pending_search_keeps_the_search(corpus: Service, monkeypatch) -> None:
    """`f` pressed before the query is read filters the search typed, not the view shown."""
    monkeypatch.setattr(corpus_screen, "DEBOUNCE", 60.0)
    ids = corpus.store.article_ids()
    corpus.flags.skip(ids[5])
    app = GlossatorApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"soudani")
        app.screen.list.focus()
        for _ in range(4):  # all → todo → in progress → done → skipped
            await pilot.press("f")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert screen.text_filter == "soudani" and screen.status_filter == "skipped"
        assert listed_ids(app) == [ids[5]]


async def test_back_from_an_article_a_search_is_read_again_in_the_worker(corpus: Service, monkeypatch) -> None:
    """Coming back from an article re-reads the search's statuses off the event loop, and the
    cursor stays on the article."""
    asked = count_searches(monkeypatch)
    monkeypatch.setattr(corpus_screen, "DEBOUNCE", 60.0)  # a slow machine's keys start no partial query
    app = GlossatorApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"mossoul", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("j", "j")
        chosen = app.screen.current_id()
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, CorpusScreen)
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CorpusScreen)
        assert screen.current_id() == chosen and asked == ['"mossoul"*'] * 2
        assert listed_ids(app) == expected(corpus, "mossoul")


async def test_the_next_pages_of_a_search_are_read_ahead_off_the_event_loop(corpus: Service, monkeypatch) -> None:
    """PageDown through a search's rows: each next page (rows with snippets) is read by a worker
    before the cursor reaches it, never on the event loop; the rows are the view's."""
    loop_thread, on_loop = threading.get_ident(), []
    real = listing.CorpusView.rows

    def rows(self, offset, limit):
        if threading.get_ident() == loop_thread and self.match:
            on_loop.append(offset)
        return real(self, offset, limit)

    monkeypatch.setattr(listing.CorpusView, "rows", rows)
    monkeypatch.setattr(corpus_screen, "DEBOUNCE", 60.0)
    want = expected(corpus, "article")
    app = GlossatorApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"article", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        widget = app.screen.query_one(CorpusList)
        assert widget.total == N
        while widget.cursor < N - 1:
            await pilot.press("pagedown")
            await app.workers.wait_for_complete()
        assert on_loop == []
        assert [widget.row(i)["id"] for i in range(N)] == want and on_loop == []
        assert all("Article" in widget.row(i)["snippet"] for i in range(N))


async def test_a_page_read_ahead_for_rows_dropped_since_is_not_used(corpus: Service, monkeypatch) -> None:
    monkeypatch.setattr(corpus_screen, "DEBOUNCE", 60.0)
    app = GlossatorApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"article", "enter")
        await app.workers.wait_for_complete()
        widget = app.screen.query_one(CorpusList)
        stale = [{"id": "stale"}] * PAGE
        widget.add_page(2, stale, widget.version - 1)
        assert widget.row(2 * PAGE)["id"] == expected(corpus, "article")[2 * PAGE]


async def test_enter_in_a_large_corpus_reads_the_order_off_the_event_loop(corpus: Service, monkeypatch) -> None:
    """Enter reads the ids the article walks through (up to 6,000 of a search's or a long list's
    rows, a tenth of a second at 100,000 articles) in a worker, then opens the article with them."""
    from tui.screens.article.screen import ArticleScreen

    want = expected(corpus, "mossoul")
    threads: list[bool] = []
    real = listing.CorpusView.ids

    def ids(self, *args, **kwargs):
        threads.append(threading.current_thread() is threading.main_thread())
        return real(self, *args, **kwargs)

    monkeypatch.setattr(listing.CorpusView, "ids", ids)
    monkeypatch.setattr(corpus_screen, "DEBOUNCE", 60.0)
    app = GlossatorApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"mossoul", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("j", "j")
        chosen = app.screen.current_id()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ArticleScreen) and screen.article_id == chosen
        assert screen.order == want
        assert threads == [False]  # read once, in the worker
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("escape", "end", "enter")  # the whole list, no search: read apart too
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ArticleScreen) and screen.article_id == corpus.store.article_ids()[-1]
        assert screen.order == corpus.store.article_ids()[-corpus_screen.BEFORE - 1:]
        assert threads == [False, False]


async def test_a_second_enter_while_the_order_is_read_opens_the_article_once(corpus: Service) -> None:
    from tui.screens.article.screen import ArticleScreen

    app = GlossatorApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("home", "enter", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ArticleScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CorpusScreen)


async def test_an_order_that_cannot_be_read_opens_the_article_alone_and_says_so(corpus: Service, monkeypatch,
                                                                                notices) -> None:
    from tui.screens.article.screen import ArticleScreen

    def fails(self):
        raise OSError("disk gone")

    monkeypatch.setattr(listing_search.OrderJob, "run", fails)
    app = GlossatorApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("home", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ArticleScreen) and screen.order == [corpus.store.article_ids()[0]]
        assert any("disk gone" in n.message and n.severity == "error" for n in notices)
