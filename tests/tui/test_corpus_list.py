"""The corpus list at scale: rows paged from SQL, j/k, search through the full-text index."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.corpus import listing
from annotate.service import Service
from tests.paths import SIZE
from tui.app import GlossatorApp
from tui.screens.corpus import CorpusScreen
from tui.widgets.corpus_list import PAGE, CorpusList

pytestmark = pytest.mark.anyio


def shown(app: GlossatorApp) -> str:
    """Plain text of the list and the summary."""
    widget = app.screen.query_one(CorpusList)
    lines = [widget.render_line(y).text for y in range(widget.size.height)]
    return str(app.screen.query_one("#summary").render()) + "\n" + "\n".join(lines)


@pytest.fixture
def big(tmp_path: Path):
    """A corpus of 5 pages of rows."""
    path = tmp_path / "c.jsonl"
    with open(path, "w", encoding="utf-8") as out:
        for i in range(PAGE * 5):
            text = f"Article {i} sur Mossoul." if i % 50 else f"Le Premier ministre Soudâni, article {i}."
            out.write(json.dumps({"text": text, "meta": {"title": f"Titre {i:04d}"}}) + "\n")
    svc = Service.open(tmp_path / "g.db", annotator="alice")
    svc.data.ingest([path])
    yield svc
    svc.close()


async def test_rows_are_read_a_page_at_a_time(big: Service, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[tuple[int, int]] = []
    real = listing.CorpusView.rows

    def rows(self, offset, limit):
        asked.append((offset, limit))
        return real(self, offset, limit)

    monkeypatch.setattr(listing.CorpusView, "rows", rows)
    app = GlossatorApp(big)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, CorpusScreen)
        # The first screen: one page (and the first article in progress / to do), not the corpus.
        assert sum(limit for _, limit in asked) <= PAGE + 2
        assert not [w for w in app.workers if w.is_running]  # nothing keeps filling a table
        await pilot.press("end")
        assert app.screen.current_id() == big.store.article_ids()[-1]
        assert f"Titre {PAGE * 5 - 1:04d}" in shown(app)
        assert sum(limit for _, limit in asked) <= 2 * PAGE + 2


async def test_j_and_k_move_in_the_list(big: Service) -> None:
    ids = big.store.article_ids()
    async with GlossatorApp(big).run_test(size=SIZE) as pilot:
        screen = pilot.app.screen
        assert screen.current_id() == ids[0]
        await pilot.press("j", "j", "j", "k")
        assert screen.current_id() == ids[2]
        await pilot.press("pagedown")
        assert screen.current_id() not in ids[:3]


async def test_search_ignores_accents_shows_matches_in_context_and_says_no_match(big: Service) -> None:
    async with GlossatorApp(big).run_test(size=SIZE) as pilot:
        screen = pilot.app.screen
        await pilot.press("slash", *"soudani")
        assert len(screen.order()) == len(range(0, PAGE * 5, 50))
        text = shown(pilot.app)
        assert "Match" in text and "Premier ministre Soudâni" in text
        await pilot.press("enter", "j")
        assert screen.current_id() == screen.order()[1]
        await pilot.press("slash", *"zz")
        assert screen.order() == []
        assert "no match" in shown(pilot.app)
        await pilot.press("escape")
        assert len(screen.order()) == PAGE * 5
        assert "no match" not in shown(pilot.app)


async def test_search_input_with_query_syntax_is_searched_as_text(big: Service) -> None:
    async with GlossatorApp(big).run_test(size=SIZE) as pilot:
        await pilot.press("slash", *'NEAR("[/]*', "enter")
        assert pilot.app.screen.order() == []
        assert "no match" in shown(pilot.app)


async def test_a_status_filter_is_counted_again_when_back_from_an_article(big: Service) -> None:
    """Filtered on "to do", an article marked done leaves the list when the reviewer comes back
    (the view's count and its page edges were kept from before)."""
    app = GlossatorApp(big)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")  # status filter: to do
        assert app.screen.status_filter == "todo"
        total = app.screen.query_one(CorpusList).total
        first = app.screen.current_id()
        await pilot.press("enter", "d")  # done: the next article opens
        await app.workers.wait_for_complete()
        assert big.store.review_status(first, "alice") == "done"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CorpusScreen)
        listed = app.screen.query_one(CorpusList)
        assert listed.total == total - 1
        assert listed.row(0)["id"] != first
        assert listed.row(total - 2) is not None and listed.row(total - 1) is None


async def test_a_long_sorted_list_gets_anchors_in_a_worker_and_keeps_the_article(
        big: Service, monkeypatch: pytest.MonkeyPatch) -> None:
    """A long view's anchors are built in a worker (on its own connection); once they are there
    the cursor moves to the article that was under it, and jumps read from them."""
    monkeypatch.setattr(listing, "ANCHORS_FROM", 100)
    monkeypatch.setattr(listing, "ANCHOR_EVERY", 16)
    ids = big.store.article_ids()
    app = GlossatorApp(big)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, CorpusScreen)
        assert screen.listing.anchors is None  # ingest order: row i is rowid i + 1, nothing to build
        await pilot.press(*["j"] * 40)
        screen._set(sort="title", reverse=True)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(screen.listing.anchors) == len(ids) // 16
        assert screen.list.cursor == len(ids) - 1 - 40 and screen.current_id() == ids[40]
        await pilot.press("end")
        assert screen.current_id() == ids[0]
        assert "Titre 0000" in shown(app)
        await pilot.press("home")
        assert screen.current_id() == ids[-1]


async def test_rows_mark_flagged_and_skipped_articles(big: Service) -> None:
    """⚑ before the title of an article this annotator flagged, ↷ before a skipped one."""
    ids = big.store.article_ids()
    big.flags.flag(ids[1], note="unsure")
    big.flags.skip(ids[2])
    async with GlossatorApp(big).run_test(size=SIZE) as pilot:
        await pilot.pause()
        lines = shown(pilot.app).splitlines()
        line = {n: next(text for text in lines if f"Titre {n:04d}" in text) for n in range(4)}
        assert "⚑ Titre 0001" in line[1] and "↷" not in line[1]
        assert "↷ Titre 0002" in line[2] and "⚑" not in line[2]
        assert "⚑" not in line[0] + line[3] and "↷" not in line[0] + line[3]


async def test_a_view_left_while_its_anchors_are_read_stops_their_read(
        big: Service, monkeypatch: pytest.MonkeyPatch, notices) -> None:
    """z twice (confidence, then ingest order again): the anchors of the confidence view, being
    read in a worker, are not read to the end for nothing (and nothing is reported)."""
    import sqlite3
    import threading

    from store import listing as sql

    monkeypatch.setattr(listing, "ANCHORS_FROM", 100)
    monkeypatch.setattr(listing, "ANCHOR_EVERY", 16)
    monkeypatch.setattr(listing, "STOP_EVERY", 100)  # the small view's scan is checked too
    left, ended = threading.Event(), []
    real = sql.anchors

    def anchors(*args, **kwargs):
        assert left.wait(30)  # read once the reader has gone back to ingest order
        try:
            found = real(*args, **kwargs)
        except sqlite3.OperationalError as exc:
            ended.append(str(exc))
            raise
        ended.append("read to the end")
        return found

    monkeypatch.setattr(sql, "anchors", anchors)
    app = GlossatorApp(big)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await pilot.press("z")
        assert screen.sort_column == "confidence"
        await pilot.press("z")
        assert screen.sort_column is None
        left.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert ended == ["interrupted"] and not notices
        assert screen.listing.anchors is None


async def test_a_new_view_repaints_the_summary_line_without_a_layout_of_the_screen(big: Service) -> None:
    """The summary is one line whatever it says: a sort, a filter or a search repaints it, not the
    whole screen's layout (a layout pass repaints every widget: a third of a sort's cost)."""
    from textual.widgets import Static

    app = GlossatorApp(big)
    async with app.run_test(size=SIZE) as pilot:
        summary = app.screen.query_one("#summary", Static)
        layouts: list[bool] = []
        refresh = summary.refresh

        def recording(*args, layout: bool = False, **kwargs):
            layouts.append(layout)
            return refresh(*args, layout=layout, **kwargs)

        summary.refresh = recording  # type: ignore[method-assign]
        await pilot.press("z", "z", "s", "f")
        await pilot.pause()
        assert layouts and not any(layouts)
        assert "status=todo" in shown(app) and "sorted by title" in shown(app)
        assert summary.region.height == 1
