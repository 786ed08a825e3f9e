"""Colours come from the theme, and the TUI tests stay on Textual's public API without sleeping."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.widgets import DataTable

from annotate.service.core import Service
from tui.app import GlossatorApp
from tui.screens.corpus import CorpusScreen

pytestmark = pytest.mark.anyio
ROOT = Path(__file__).resolve().parents[2]
HEX = re.compile(r"#[0-9a-fA-F]{6}\b")
# Screens and modals: their colours are theme variables (the article's widgets are another helper's).
THEMED = [*sorted((ROOT / "tui" / "screens").glob("*.py")), *sorted((ROOT / "tui" / "modals").glob("*.py"))]


def test_no_screen_or_modal_names_a_hex_colour() -> None:
    found = {p.name: HEX.findall(p.read_text(encoding="utf-8")) for p in THEMED}
    assert len(found) >= 10
    assert {name: hexes for name, hexes in found.items() if hexes} == {}


def status_colour(screen: CorpusScreen, article_id: str) -> str:
    cell = screen.query_one(DataTable).get_cell(article_id, "status")
    return str(cell.style).split()[-1].lower()


async def test_the_corpus_colours_follow_the_theme(review_svc: Service) -> None:
    done = review_svc.articles()[1]["id"]
    review_svc.set_status(done, "done")
    app = GlossatorApp(review_svc)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, CorpusScreen)
        assert status_colour(screen, done) == app.theme_variables["text-success"].lower()
        dark = status_colour(screen, done)
        app.theme = "textual-light"
        await pilot.pause()
        screen.reload()
        await pilot.pause()
        assert status_colour(screen, done) == app.theme_variables["text-success"].lower() != dark


def test_tui_tests_use_no_private_textual_api_and_no_sleeps() -> None:
    private = "._" + "notifications"
    waits = ("time." + "sleep(", "asyncio." + "sleep(", "pause(" + "0.")
    for path in sorted((ROOT / "tests" / "tui").glob("*.py")):
        source = path.read_text(encoding="utf-8")
        assert private not in source, f"{path.name} reads Textual's private notification list"
        for wait in waits:
            assert wait not in source, f"{path.name} waits with {wait}: await app.workers.wait_for_complete()"
