"""The review app driven through the pilot, checked against the database and the export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.review.navigation import word_step
from annotate.review.state import GOLD
from annotate.review.tokens import TokenIndex
from annotate.service import Service
from tests.paths import SIZE
from tests.tui.support import find, first_id
from tui.app import GlossatorApp
from tui.modals.dialogs import ConfirmModal, LabelPicker
from tui.screens.article.screen import ArticleScreen
from tui.screens.corpus import CorpusScreen

pytestmark = pytest.mark.anyio


def gold(svc: Service, article_id: str) -> set[tuple[str, str]]:
    """(text, label) of the annotator's gold spans."""
    return {(i.text, i.label) for i in svc.review.state(article_id).items if i.state == GOLD}


async def words_to(pilot, screen: ArticleScreen, offset: int) -> None:
    """Press `w` until the cursor reaches the token starting at ``offset``."""
    tokens = TokenIndex(screen.state.article.text)
    target = tokens.at(offset)
    n, presses = screen.cursor, 0
    while n < target:
        n = word_step(tokens, screen.state.article.text, n, 1)
        presses += 1
    await pilot.press(*["w"] * presses)
    assert screen.cursor == target


async def test_review_an_article_from_suggestions_to_done(review_svc: Service, tmp_path: Path) -> None:
    svc = review_svc
    aid = first_id(svc)
    text = svc.data.article(aid).text
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, CorpusScreen)
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, ArticleScreen) and screen.article_id == aid
        assert screen.item.text == "Irak"  # resumes at the first pending suggestion

        await pilot.press("a")  # accept Irak → moves to "rencontre"
        assert screen.item.text == "rencontre"
        await pilot.press("a")  # accept the MEETING trigger → "Al Maliki"
        assert screen.item.text == "Al Maliki"
        await pilot.press("1")  # accept as PER (relabel on the way) → "AFP"
        assert screen.item.text == "AFP"
        await pilot.press("x")  # reject the byline → "Nouri Al"
        assert screen.item.text == "Nouri Al"
        await pilot.press("greater_than_sign")  # grow right: accepted as "Nouri Al Maliki"
        assert screen.item.text == "Nouri Al Maliki" and screen.item.state == GOLD
        await pilot.press("j", "a")  # next: Alina Romanowski, accept
        assert screen.state.pending == 0

        # a new span from the token cursor: "Baghdad" as LOC
        await words_to(pilot, screen, find(text, "Baghdad"))
        await pilot.press("3")
        assert screen.item.text == "Baghdad" and screen.item.label == "LOC"
        # a two-word selection with v: the second "Alina Romanowski"
        await words_to(pilot, screen, find(text, "Alina Romanowski", 1))
        await pilot.press("v", "w", "1")
        assert screen.item.text == "Alina Romanowski" and screen.item.start == find(text, "Alina Romanowski", 1)

        # relabel, undo, redo, undo
        await pilot.press("k", "k", "k", "k", "k", "k", "k")
        assert screen.item.text == "Irak"
        await pilot.press("2")  # relabelled, and on to the next span (as on a pending one)
        assert ("Irak", "ORG") in gold(svc, aid) and screen.item.text != "Irak"
        await pilot.press("u")  # undo goes back to the span it changed
        assert screen.item.text == "Irak" and screen.item.label == "LOC"
        await pilot.press("ctrl+y")
        assert screen.item.label == "ORG"
        await pilot.press("ctrl+z")
        assert screen.item.label == "LOC"

        await pilot.press("d")  # done: the next article opens
        assert isinstance(app.screen, ArticleScreen) and app.screen.article_id != aid

    expected = {
        ("Irak", "LOC"), ("rencontre", "MEETING"), ("Al Maliki", "PER"), ("Nouri Al Maliki", "PER"),
        ("Alina Romanowski", "PER"), ("Baghdad", "LOC"),
    }
    assert gold(svc, aid) == expected
    assert len(svc.review.state(aid).gold) == 7  # Alina Romanowski twice
    assert svc.review.status(aid) == "done"

    out = tmp_path / "gold.jsonl"
    svc.data.export_jsonl(out)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    record = next(r for r in records if r["text"] == text)
    exported = {(s["text"], s["label"], s["start"]) for s in record["spans"] + record["events"]}
    assert exported == {(i.text, i.label, i.start) for i in svc.review.state(aid).gold}
    assert [e["text"] for e in record["events"]] == ["rencontre"]

    # quitting and reopening shows the same state
    again = Service.open(svc.store.path, annotator="alice")
    try:
        assert {(i.start, i.end, i.label) for i in again.review.state(aid).gold} == {
            (i.start, i.end, i.label) for i in svc.review.state(aid).gold}
    finally:
        again.close()


async def test_undo_survives_a_restart(review_svc: Service) -> None:
    aid = first_id(review_svc)
    async with GlossatorApp(review_svc).run_test(size=SIZE) as pilot:
        await pilot.press("enter", "a")
    assert gold(review_svc, aid) == {("Irak", "LOC")}
    async with GlossatorApp(review_svc).run_test(size=SIZE) as pilot:
        await pilot.press("enter", "u")
        assert pilot.app.screen.state.pending == 6
    assert gold(review_svc, aid) == set()


async def test_overlapping_span_is_refused(review_svc: Service) -> None:
    aid = first_id(review_svc)
    async with GlossatorApp(review_svc).run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("enter", "a")  # Irak gold; cursor now on "rencontre"
        screen = pilot.app.screen
        await pilot.press("k", "v", "l", "l", "2")  # "Irak :" overlaps the gold "Irak"
        assert "overlaps" in str(screen.query_one("#status").render())
        assert gold(review_svc, aid) == {("Irak", "LOC")}
        assert screen.selection is not None  # the selection stays for another try


async def test_accept_all_asks_first_with_confirm_bulk(review_svc: Service) -> None:
    from dataclasses import replace

    aid = first_id(review_svc)
    review_svc.config = replace(review_svc.config, confirm_bulk=True)  # the default acts at once
    async with GlossatorApp(review_svc).run_test(size=SIZE) as pilot:
        await pilot.press("enter", "A")
        assert isinstance(pilot.app.screen, ConfirmModal)
        await pilot.press("n")
        assert gold(review_svc, aid) == set()
        await pilot.press("A", "y")
        assert isinstance(pilot.app.screen, ArticleScreen)
        assert pilot.app.screen.state.pending == 0
    assert len(gold(review_svc, aid)) == 6


async def test_event_mode_and_label_picker(review_svc: Service) -> None:
    aid = first_id(review_svc)
    text = review_svc.data.article(aid).text
    async with GlossatorApp(review_svc).run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        screen = pilot.app.screen
        await words_to(pilot, screen, find(text, "discuté"))
        await pilot.press("e")
        assert isinstance(pilot.app.screen, LabelPicker)
        await pilot.press("2")  # MEETING is the second event type
        assert screen.item.text == "discuté" and screen.item.label == "MEETING"
        await pilot.press("t", "N", "E", "G", "enter")  # type-ahead: NEGOTIATION
        assert screen.item.label == "NEGOTIATION"
        await pilot.press("t", "escape")
        assert screen.item.label == "NEGOTIATION"
    assert ("discuté", "NEGOTIATION") in gold(review_svc, aid)


async def test_link_picker_creates_then_links(review_svc: Service) -> None:
    aid = first_id(review_svc)
    async with GlossatorApp(review_svc).run_test(size=SIZE) as pilot:
        await pilot.press("enter", "j", "j", "j", "j")  # Nouri Al (pending)
        screen = pilot.app.screen
        await pilot.press("greater_than_sign", "slash")  # gold "Nouri Al Maliki", open the picker
        await pilot.press("ctrl+n", "enter")  # new entity as N makes it: the starter KB's entry
        nouri = next(i for i in screen.state.items if i.text == "Nouri Al Maliki")
        assert nouri.kb_name == "Nouri al-Maliki"
        assert screen.item.text == "Alina Romanowski"  # on to the next mention left unlinked
        await pilot.press("k", "k", "k", "1", "k")  # "Al Maliki" in the title as PER, back to it
        assert screen.item.text == "Al Maliki"
        await pilot.press("slash")
        await pilot.press("enter")  # the substring match "Al Maliki" ⊂ "Nouri Al Maliki"
        assert screen.item.text == "AFP"  # on to the next mention left unlinked
    linked = {i.text: i.kb_id for i in review_svc.review.state(aid).gold}
    assert linked["Al Maliki"] == linked["Nouri Al Maliki"] is not None


async def test_mouse_selection_creates_a_span(review_svc: Service) -> None:
    aid = first_id(review_svc)
    async with GlossatorApp(review_svc).run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        screen = pilot.app.screen
        view = screen.query_one("#text")
        # line 0 of the view is the title "Irak : L’ambassadrice américaine rencontre …" after a 2-cell gutter
        start = 2 + len("Irak : ")
        await pilot.mouse_down(view, offset=(start, 0))
        await pilot.hover(view, offset=(start + 5, 0))
        await pilot.mouse_up(view, offset=(start + 5, 0))
        assert screen.selection is not None
        await pilot.press("4")
    assert ("L’ambassadrice", "MISC") in gold(review_svc, aid)


async def test_resume_and_status_filter(review_svc: Service) -> None:
    svc = review_svc
    second = svc.data.articles()[2]["id"]
    svc.review.set_status(second, "in_progress")
    async with GlossatorApp(svc).run_test(size=SIZE) as pilot:
        corpus = pilot.app.screen
        assert corpus.current_id() == second  # resume: first article in progress
        await pilot.press("f", "f")  # status filter: in progress
        assert corpus.order() == [second]
        await pilot.press("f", "f", "f", "f", "slash", *"Maliki", "enter")  # done, skipped, flagged, all
        assert len(corpus.order()) == 1


async def test_narrow_terminal_hides_the_panel(review_svc: Service) -> None:
    async with GlossatorApp(review_svc).run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        screen = pilot.app.screen
        assert not screen.query_one("#panel").display
        await pilot.press("p")
        assert screen.query_one("#panel").display
        await pilot.press("a")
        assert screen.query_one("#text").size.width > 30


async def test_keys_are_rebound_from_the_config(tmp_path: Path) -> None:
    from tests.paths import SEEDS
    from tests.tui.support import SUGGESTED, suggest

    (tmp_path / "glossator.toml").write_text('[keys]\naccept = "y"\n', encoding="utf-8")
    svc = Service.open(tmp_path / "g.db", annotator="bob")
    try:
        svc.data.ingest([SEEDS])
        suggest(svc, first_id(svc), SUGGESTED)
        async with GlossatorApp(svc).run_test(size=SIZE) as pilot:
            await pilot.press("enter", "a")
            assert gold(svc, first_id(svc)) == set()
            await pilot.press("y")
            assert gold(svc, first_id(svc)) == {("Irak", "LOC")}
            await pilot.press("question_mark")
            rows = dict(pilot.app.screen.rows)
            assert rows["y"] == "Accept suggestion and move on"
    finally:
        svc.close()


async def test_article_colours_follow_the_theme(review_svc: Service) -> None:
    from tui.widgets.status_bar import StatusBar
    from tui.widgets.text_view import ArticleView

    app = GlossatorApp(review_svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        view, status = app.screen.query_one(ArticleView), app.screen.query_one(StatusBar)
        dark = view.palette.selection, status.get_component_rich_style("status-bar--pending", partial=True)
        app.theme = "textual-light"
        await pilot.pause()
        light = view.palette.selection, status.get_component_rich_style("status-bar--pending", partial=True)
        assert dark[0] != light[0] and dark[1] != light[1]
        assert view.palette.selection == view.get_component_rich_style("article-view--selection", partial=True)


async def test_undo_says_what_it_undid_on_the_status_line(review_svc: Service) -> None:
    from tui.widgets.status_bar import StatusBar

    app = GlossatorApp(review_svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "a", "u")
        status = app.screen.query_one(StatusBar)
        assert "undid accept" in str(status.render())
        await pilot.press("j")  # shown until the next key
        assert "undid" not in str(status.render())


async def test_a_label_key_on_a_gold_span_moves_on_as_on_a_pending_one(review_svc: Service) -> None:
    app = GlossatorApp(review_svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "a", "k")  # Irak accepted as LOC, then back on it
        screen = app.screen
        assert (screen.item.text, screen.item.state) == ("Irak", GOLD)
        await pilot.press("2")  # relabelled ORG, and on to the next pending suggestion
        assert ("Irak", "ORG") in gold(review_svc, screen.article_id)
        assert screen.item.text == "rencontre" and screen.item.state != GOLD
        await pilot.press("k", "2")  # the same label again: nothing to change, it moves on too
        assert screen.item.text == "rencontre"


async def test_undo_goes_back_to_what_it_changed_and_says_it_plainly(review_svc: Service) -> None:
    from tui.screens.article.review_actions import plain_action
    from tui.widgets.status_bar import StatusBar

    app = GlossatorApp(review_svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "a", "j", "j")  # Irak accepted; the cursor went on
        screen = app.screen
        assert screen.item.text != "Irak"
        await pilot.press("u")
        assert screen.item.text == "Irak" and screen.item.state != GOLD  # back where the undo changed
        assert "undid accept" in str(screen.query_one(StatusBar).render())
        await pilot.press("j", "j", "ctrl+y")
        assert (screen.item.text, screen.item.state) == ("Irak", GOLD)
    assert plain_action("link_new") == "link" and plain_action("accept_edited") == "accept"
    assert plain_action("remove_arg") == "remove argument"
