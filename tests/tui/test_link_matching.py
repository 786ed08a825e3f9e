"""The `/` picker ranks canonical entities with ``Service.entities.match`` and shows why they matched."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Label, OptionList

from annotate.service import Service
from tests.paths import SIZE
from tests.tui.support import find, first_id
from tui.app import GlossatorApp
from tui.modals.link import LinkPicker
from tui.screens.article.screen import ArticleScreen

pytestmark = pytest.mark.anyio


def add_span(svc: Service, surface: str, label: str) -> int:
    """A gold span of alice over the first occurrence of ``surface`` in the first seed article."""
    aid = first_id(svc)
    start = find(svc.data.article(aid).text, surface)
    return svc.review.add_span(aid, start, start + len(surface), label)


async def open_picker(app: GlossatorApp, pilot, span_id: int) -> LinkPicker:
    """Open the first article on the span, press `/`."""
    app.positions[first_id(app.svc)] = f"s{span_id}"
    await pilot.press("enter")
    assert isinstance(app.screen, ArticleScreen) and app.screen.item.span_id == span_id
    await pilot.press("slash")
    await pilot.pause()
    assert isinstance(app.screen, LinkPicker)
    return app.screen


async def test_a_surname_finds_the_person_preselected_and_enter_links(curated_svc: Service) -> None:
    svc = curated_svc
    span_id = add_span(svc, "Soudani", "PER")
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        picker = await open_picker(app, pilot, span_id)
        assert picker.query_one(Input).value == "Soudani"  # pre-filled with the mention
        top = picker.candidates[0]
        assert top.id == "mohammed_shia_al_sudani" and top.confident and top.score >= 88
        assert top.matched_alias and top.evidence  # why it matched
        assert picker.query_one(OptionList).highlighted == 0  # confident: pre-selected
        shown = str(picker.query_one(OptionList).get_option_at_index(0).prompt)
        assert "PER" in shown and f"{top.score:.0f}" in shown and top.evidence in shown

        await pilot.press("enter")
        assert isinstance(app.screen, ArticleScreen)
        item = app.screen.item
        assert item.kb_id == "mohammed_shia_al_sudani" and item.kb_name == svc.entities.get(item.kb_id).name
    assert svc.store.span(span_id).kb_id == "mohammed_shia_al_sudani"


async def test_no_preselection_without_a_confident_candidate(curated_svc: Service) -> None:
    svc = curated_svc
    span_id = add_span(svc, "Soudani", "PER")
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        picker = await open_picker(app, pilot, span_id)
        picker.query_one(Input).value = "Mohamed"  # type-ahead: a common given name
        await pilot.pause()
        assert picker.candidates and not picker.candidates[0].confident
        assert picker.query_one(OptionList).highlighted is None
        await pilot.press("enter")  # nothing chosen: the picker stays
        assert isinstance(app.screen, LinkPicker)
        await pilot.press("down", "enter")  # ↓ picks the first
        assert isinstance(app.screen, ArticleScreen)
    assert svc.store.span(span_id).kb_id == picker.candidates[0].id


async def test_ctrl_n_creates_an_entity_from_the_mention_and_escape_cancels(curated_svc: Service) -> None:
    svc = curated_svc
    span_id = add_span(svc, "AFP", "ORG")
    before = {e.id for e in svc.entities.list()}
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        await open_picker(app, pilot, span_id)
        await pilot.press("escape")
        assert isinstance(app.screen, ArticleScreen)
        assert svc.store.span(span_id).kb_id is None
        await pilot.press("slash", "ctrl+n", "enter")  # the proposed id as it is
        assert isinstance(app.screen, ArticleScreen)
    kb_id = svc.store.span(span_id).kb_id
    assert kb_id not in before
    created = svc.entities.get(kb_id)
    # the mention unchanged: made as `N` makes it, here from the starter KB's entry for "AFP"
    assert (created.id, created.name, created.type) == ("afp", "Agence France-Presse", "ORG")


async def test_ctrl_n_shows_the_id_it_will_create_and_lets_the_user_choose_it(curated_svc: Service) -> None:
    from tui.modals.entity import NewEntityModal

    svc = curated_svc
    span_id = add_span(svc, "AFP", "ORG")
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        picker = await open_picker(app, pilot, span_id)
        assert "typed text" in str(picker.query_one("#hint", Label).render())
        picker.query_one(Input).value = "Agence France-Presse"
        await pilot.press("ctrl+n")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, NewEntityModal)
        field = dialog.query_one(Input)
        assert field.value == "agence_france_presse"  # the slug of the typed text
        await pilot.press("ctrl+u", "i", "r", "a", "q", "enter")  # an id the team uses: taken by the gold
        assert app.screen is dialog  # refused: stays open
        await pilot.press("ctrl+u", "A", "F", "P", "-", "x", " ")  # not slug characters: not typed
        assert field.value == "x"
        await pilot.press("ctrl+u", "enter")  # empty: refused
        assert app.screen is dialog
        await pilot.press("ctrl+u", *"afp_fr", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ArticleScreen)
    assert svc.store.span(span_id).kb_id == "afp_fr"
    assert (svc.entities.get("afp_fr").name, svc.entities.get("afp_fr").type) == ("Agence France-Presse", "ORG")


def test_a_chosen_id_is_checked_by_the_service(curated_svc: Service) -> None:
    from annotate.errors import ReviewError

    svc = curated_svc
    span_id = add_span(svc, "AFP", "ORG")
    for bad in ("iraq", "Not A Slug", "x" * 65, ""):
        with pytest.raises(ReviewError):
            svc.entities.link_new(span_id, "AFP", entity_id=bad)
    assert svc.store.span(span_id).kb_id is None
    assert svc.entities.link_new(span_id, "AFP", entity_id="afp") == "afp"
