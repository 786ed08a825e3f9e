"""`N` on a surname whose full name is another mention of the article creates the full name's entity;
`N` on the full name then links to it; Ctrl+N proposes the same name and id (issue 14). The article
is made up here."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Label

from annotate.service import Service
from tests.paths import SIZE
from tests.tui.support import find, suggest
from tui.app import GlossatorApp
from tui.screens.article.screen import ArticleScreen

pytestmark = pytest.mark.anyio

TEXT = ("Visite à Oran\n\nLe ministre Samir Ould Tayeb a reçu lundi une délégation à Oran. "
        "Tayeb a salué un dialogue franc.\n")


@pytest.fixture
def svc(tmp_path: Path):
    path = tmp_path / "oran.txt"
    path.write_text(TEXT, encoding="utf-8")
    service = Service.open(tmp_path / "g.db", annotator="alice")
    service.data.ingest([path])
    aid = service.store.article_ids()[0]
    suggest(service, aid, [("Samir Ould Tayeb", 0, "PER", "entity"), ("Tayeb", 1, "PER", "entity")])
    yield service
    service.close()


def kb_ids(svc: Service) -> dict[str, str | None]:
    aid = svc.store.article_ids()[0]
    return {TEXT[s.start:s.end]: s.kb_id for s in svc.store.spans(aid, "alice")}


async def open_on_surname(app: GlossatorApp, pilot) -> ArticleScreen:
    await pilot.press("enter")
    screen = app.screen
    assert isinstance(screen, ArticleScreen) and screen.item.text == "Samir Ould Tayeb"
    await pilot.press("j")
    assert screen.item.text == "Tayeb" and screen.item.start == find(TEXT, "Tayeb", 1)
    return screen


async def test_N_on_the_surname_creates_the_full_name_and_N_on_the_full_name_links_to_it(svc: Service) -> None:
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_on_surname(app, pilot)
        await pilot.press("N")
        await pilot.pause()
        assert screen.item.kb_id == "samir_ould_tayeb"
        assert kb_ids(svc) == {"Tayeb": "samir_ould_tayeb"}
        entity = svc.entities.get("samir_ould_tayeb")
        assert (entity.name, entity.type) == ("Samir Ould Tayeb", "PER")
        assert "Tayeb" in {a.text for a in entity.aliases}
        await pilot.press("k", "N")  # the full name: an entity of its slug exists, so linked, not doubled
        await pilot.pause()
    assert kb_ids(svc) == {"Samir Ould Tayeb": "samir_ould_tayeb", "Tayeb": "samir_ould_tayeb"}
    assert [e.id for e in svc.entities.list()] == ["samir_ould_tayeb"]


async def test_ctrl_n_proposes_the_name_and_id_N_would_create(svc: Service) -> None:
    from tui.modals.entity import NewEntityModal

    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        await open_on_surname(app, pilot)
        await pilot.press("slash", "ctrl+n")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, NewEntityModal)
        assert dialog.query_one(Input).value == "samir_ould_tayeb"  # editable, as before
        assert "Samir Ould Tayeb" in str(dialog.query_one("#question", Label).render())
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ArticleScreen)
    assert kb_ids(svc) == {"Tayeb": "samir_ould_tayeb"}
    assert svc.entities.get("samir_ould_tayeb").name == "Samir Ould Tayeb"


async def test_ctrl_n_on_an_edited_text_proposes_that_texts_slug(svc: Service) -> None:
    from tui.modals.entity import NewEntityModal

    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        await open_on_surname(app, pilot)
        await pilot.press("slash")
        app.screen.query_one(Input).value = "Tayeb Sr"  # not the mention: the typed text's own slug
        await pilot.press("ctrl+n")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, NewEntityModal) and dialog.query_one(Input).value == "tayeb_sr"
