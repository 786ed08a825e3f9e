"""Fewer keys per gold item (issue 14), through the pilot and checked in the database: the link
picker's numbered rows (Alt+1 … Alt+9 link that row at once), bulk actions that act at once
(`A`, Ctrl+X; ``[review] confirm_bulk`` brings their confirmation back), and a link (`/`, `N`)
that moves on to the next mention left unlinked (``[review] link_moves_on``)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from textual.widgets import Input, Label, OptionList

from annotate.review.state import GOLD, PENDING
from annotate.service import Service
from store.models import EVENT
from tests.paths import SIZE
from tests.tui.support import SUGGESTED, find, first_id, suggest
from tui.app import GlossatorApp
from tui.modals.dialogs import ConfirmModal
from tui.modals.link import LinkPicker
from tui.screens.article.screen import ArticleScreen
from tui.widgets.status_bar import StatusBar

pytestmark = pytest.mark.anyio


def status(screen: ArticleScreen) -> str:
    return str(screen.query_one(StatusBar).render())


def alice_gold(svc: Service, aid: str) -> dict[str, str | None]:
    """alice's gold spans of the article: surface → canonical entity (the surfaces here are unique)."""
    text = svc.data.article(aid).text
    return {text[s.start:s.end]: s.kb_id for s in svc.store.spans(aid, "alice")}


async def settle(app: GlossatorApp, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


# -- the link picker: numbered rows ---------------------------------------------------------


def on_a_mention_of_soudani(svc: Service) -> tuple[GlossatorApp, int]:
    """The app opening the first article on a gold PER "Soudani" (the kb fixture holds several
    entities it may be), and that span's id."""
    aid = first_id(svc)
    start = find(svc.data.article(aid).text, "Soudani")
    span_id = svc.review.add_span(aid, start, start + len("Soudani"), "PER")
    app = GlossatorApp(svc)
    app.positions[aid] = f"s{span_id}"
    return app, span_id


async def open_picker(app: GlossatorApp, pilot) -> LinkPicker:
    """Open the article and its link picker on the span, which has two candidates at least."""
    await pilot.press("enter", "slash")
    await settle(app, pilot)
    picker = app.screen
    assert isinstance(picker, LinkPicker) and len(picker.candidates) >= 2
    return picker


async def test_the_pickers_rows_are_numbered_and_a_missing_row_is_refused(curated_svc: Service) -> None:
    app, span_id = on_a_mention_of_soudani(curated_svc)
    async with app.run_test(size=SIZE) as pilot:
        picker = await open_picker(app, pilot)
        rows = picker.query_one(OptionList)
        shown = [str(rows.get_option_at_index(n).prompt) for n in range(len(picker.candidates))]
        assert all(row.startswith(f"{n} ") for n, row in enumerate(shown, 1))  # each row shows its number
        assert "Alt+1…9" in str(picker.query_one("#hint", Label).render())
        await pilot.press(f"alt+{len(picker.candidates) + 1}")  # no such row: refused, nothing typed
        await settle(app, pilot)
        assert app.screen is picker and picker.query_one(Input).value == "Soudani"
    assert curated_svc.store.span(span_id).kb_id is None


# Most terminals send Alt+2 as Esc then 2, which Textual reads as the character "™" (what a Mac's
# Option+2 types): it must pick row 2 too, not be typed into the query.
@pytest.mark.parametrize("keys", [("alt+2",), ("™",), ("down", "enter")],
                         ids=["alt+2", "alt+2 sent as escape and 2", "arrows and enter still"])
async def test_the_pickers_second_row_is_linked_by(curated_svc: Service, keys: tuple[str, ...]) -> None:
    app, span_id = on_a_mention_of_soudani(curated_svc)
    async with app.run_test(size=SIZE) as pilot:
        picker = await open_picker(app, pilot)
        second = picker.candidates[1].id  # not the pre-selected first
        await pilot.press(*keys)
        await settle(app, pilot)
        assert isinstance(app.screen, ArticleScreen)
    assert curated_svc.store.span(span_id).kb_id == second


async def test_the_help_names_the_pickers_row_keys(review_svc: Service) -> None:
    from tui.modals.help import HelpScreen

    app = GlossatorApp(review_svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "question_mark")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        assert any("Alt+1" in note and "link picker" in note.lower() for note in app.screen.notes)


# -- bulk actions act at once ----------------------------------------------------------------


async def test_A_accepts_everything_at_once_says_so_and_one_u_undoes_it(review_svc: Service) -> None:
    svc = review_svc
    aid = first_id(svc)
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "A")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ArticleScreen)  # no confirmation in the way
        assert len(svc.store.spans(aid, "alice")) == len(SUGGESTED)
        assert f"accepted {len(SUGGESTED)} suggestions" in status(screen) and "(u undoes)" in status(screen)
        await pilot.press("u")
        await settle(app, pilot)
        assert svc.store.spans(aid, "alice") == [] and screen.state.pending == len(SUGGESTED)


async def test_ctrl_x_rejects_a_labels_suggestions_at_once_and_one_u_undoes_it(svc: Service) -> None:
    aid = first_id(svc)
    suggest(svc, aid, [("Irak", 0, "LOC", "entity"), ("Irak", 1, "LOC", "entity"), ("Irak", 2, "PER", "entity")])
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "ctrl+x")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ArticleScreen)
        assert "rejected 2 LOC suggestions (u undoes)" in status(screen)
        assert [(i.label, i.state) for i in svc.review.state(aid).items] == [("PER", PENDING)]
        await pilot.press("u")
        await settle(app, pilot)
        assert svc.review.state(aid).pending == 3


async def test_confirm_bulk_brings_the_confirmations_back(review_svc: Service) -> None:
    svc = review_svc
    aid = first_id(svc)
    svc.config = replace(svc.config, confirm_bulk=True)
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "ctrl+x")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmModal) and "labelled LOC" in app.screen.question
        await pilot.press("n")
        await pilot.press("A")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmModal) and app.screen.question.startswith("Accept all 6")
        await pilot.press("n")
        await settle(app, pilot)
        assert svc.store.spans(aid, "alice") == [] and svc.review.state(aid).pending == 6
        await pilot.press("A", "y")
        await settle(app, pilot)
        assert isinstance(app.screen, ArticleScreen) and "accepted 6 suggestions" in status(app.screen)
    assert len(svc.store.spans(aid, "alice")) == 6


async def test_d_with_suggestions_left_still_asks(review_svc: Service) -> None:
    app = GlossatorApp(review_svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "d")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmModal) and "still undecided" in app.screen.question


# -- a link moves on --------------------------------------------------------------------------

SPANS = [
    ("Irak", 0, "LOC", "entity"),
    ("rencontre", 0, "MEETING", EVENT),  # never linked: passed over
    ("Al Maliki", 0, "PER", "entity"),
    ("AFP", 0, "ORG", "entity"),
    ("Alina Romanowski", 0, "PER", "entity"),
]


async def test_N_and_a_link_from_the_picker_move_on_to_the_next_unlinked_mention(svc: Service) -> None:
    aid = first_id(svc)
    suggest(svc, aid, SPANS)
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, ArticleScreen) and screen.item.text == "Irak"
        await pilot.press("N")  # the starter catalog's iraq
        await settle(app, pilot)
        assert alice_gold(svc, aid) == {"Irak": "iraq"}
        assert (screen.item.text, screen.item.state) == ("Al Maliki", PENDING)  # over the trigger
        assert "on to unlinked mention 1 of 3" in status(screen)
        await pilot.press("slash", "ctrl+n", "enter")  # a new entity from the picker
        await settle(app, pilot)
        assert alice_gold(svc, aid)["Al Maliki"] is not None
        assert screen.item.text == "AFP"
        await pilot.press("slash")
        await settle(app, pilot)
        picker = app.screen
        assert isinstance(picker, LinkPicker)
        await pilot.press(*"iraq")  # typed over the selected mention: any entity will do to show the move
        await settle(app, pilot)
        assert picker.candidates
        first = picker.candidates[0].id
        await pilot.press("alt+1")
        await settle(app, pilot)
        assert alice_gold(svc, aid)["AFP"] == first
        assert screen.item.text == "Alina Romanowski"
        await pilot.press("N")  # the last one: nothing left to move on to
        await settle(app, pilot)
        assert (screen.item.text, screen.item.state) == ("Alina Romanowski", GOLD)
        assert "no unlinked mention left" in status(screen)
        await pilot.press("u")  # undo goes back to what it changed
        await settle(app, pilot)
        assert alice_gold(svc, aid).get("Alina Romanowski", "gone") == "gone"


async def test_with_link_moves_on_off_the_linked_mention_stays_current(svc: Service) -> None:
    aid = first_id(svc)
    suggest(svc, aid, SPANS)
    svc.config = replace(svc.config, link_moves_on=False)
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "N")
        await settle(app, pilot)
        screen = app.screen
        assert (screen.item.text, screen.item.state, screen.item.kb_id) == ("Irak", GOLD, "iraq")
        assert "unlinked mention" not in status(screen)
    assert alice_gold(svc, aid) == {"Irak": "iraq"}


# -- the starter KB's entries in the picker, before any import ----------------------------------


async def test_the_picker_offers_a_starter_kb_entry_not_imported_and_makes_it_when_chosen(svc: Service) -> None:
    from annotate.entities import catalog

    aid = first_id(svc)
    start = find(svc.data.article(aid).text, "Parlement")
    span_id = svc.review.add_span(aid, start, start + len("Parlement"), "ORG")
    assert svc.entities.get("iraqi_parliament") is None  # no KB imported
    app = GlossatorApp(svc)
    app.positions[aid] = f"s{span_id}"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "slash")
        await settle(app, pilot)
        picker = app.screen
        assert isinstance(picker, LinkPicker)
        ids = [c.id for c in picker.candidates]
        assert "iraqi_parliament" in ids  # "Parlement irakien", read from the catalog
        row = ids.index("iraqi_parliament") + 1
        assert "starter KB" in str(picker.query_one(OptionList).get_option_at_index(row - 1).prompt)
        await pilot.press(f"alt+{row}")
        await settle(app, pilot)
        assert isinstance(app.screen, ArticleScreen)
        await pilot.press("u")  # one undo: the link and the entity made for it
        await settle(app, pilot)
        assert svc.store.span(span_id).kb_id is None and svc.entities.get("iraqi_parliament") is None
        await pilot.press("ctrl+y")
        await settle(app, pilot)
    entry = catalog.entry_by_id("iraqi_parliament")
    entity = svc.entities.get("iraqi_parliament")
    assert svc.store.span(span_id).kb_id == "iraqi_parliament"
    assert entity is not None and (entity.name, entity.type) == (entry.name, "ORG")
    assert set(entry.aliases) <= {a.text for a in entity.aliases}  # made from its entry, aliases too


def test_catalog_entries_are_left_out_once_an_entity_has_their_id(svc: Service) -> None:
    assert "iraqi_parliament" in [c.id for c in svc.entities.link_candidates("Parlement", "ORG", 8)]
    aid = first_id(svc)
    start = find(svc.data.article(aid).text, "Parlement")
    svc.entities.link_new(svc.review.add_span(aid, start, start + 9, "ORG"), "Parlement irakien",
                          entity_id="iraqi_parliament")
    found = [c for c in svc.entities.link_candidates("Parlement", "ORG", 8) if c.id == "iraqi_parliament"]
    assert len(found) == 1 and "starter KB" not in found[0].evidence  # the entity, listed once
    # the catalog's weak string similarities (Spain, Mali… for "Aïn Al Assad") are not offered
    assert [c.id for c in svc.entities.link_candidates("Aïn Al Assad", "LOC", 8)] == ["ain_al_asad"]


async def test_accept_all_of_one_suggestion_says_it_in_the_singular(svc: Service) -> None:
    aid = first_id(svc)
    suggest(svc, aid, [SUGGESTED[0]])
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "A")
        await settle(app, pilot)
        assert "accepted 1 suggestion (u undoes)" in status(app.screen)
    assert len(svc.store.spans(aid, svc.annotator)) == 1
