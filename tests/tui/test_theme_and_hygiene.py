"""Colours come from the theme, and the TUI tests stay on Textual's public API without sleeping."""

from __future__ import annotations

import re

import pytest
from textual.widgets import Static

from annotate.service import Service
from tests.paths import ROOT
from tui.app import GlossatorApp
from tui.screens.dashboard import DashboardScreen

pytestmark = pytest.mark.anyio
HEX = re.compile(r"#[0-9a-fA-F]{6}\b")
# Every module of the app: colours are theme variables (tcss) or come from tui.theme.tone().
THEMED = sorted((ROOT / "tui").rglob("*.py"))


def test_no_screen_or_modal_names_a_hex_colour() -> None:
    found = {p.name: HEX.findall(p.read_text(encoding="utf-8")) for p in THEMED}
    assert len(found) >= 25  # every module of the app is read
    assert {name: hexes for name, hexes in found.items() if hexes} == {}


def done_colour(screen: DashboardScreen) -> str:
    """The colour of "N done" on the dashboard's progress line."""
    line = screen.query_one("#dash-progress", Static).content
    span = next(s for s in line.spans if line.plain[s.start:s.end].endswith(" done"))
    return str(span.style).split()[-1].lower()


async def test_the_dashboard_colours_follow_the_theme(review_svc: Service) -> None:
    review_svc.review.set_status(review_svc.data.articles()[1]["id"], "done")
    app = GlossatorApp(review_svc)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("D")
        await app.workers.wait_for_complete()
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        dark = done_colour(screen)
        assert dark == app.theme_variables["text-success"].lower()
        app.theme = "textual-light"
        await pilot.press("r")  # recomputed and redrawn in the new theme
        assert done_colour(screen) == app.theme_variables["text-success"].lower() != dark


def test_tui_tests_use_no_private_textual_api_and_no_sleeps() -> None:
    private = "._" + "notifications"
    waits = ("time." + "sleep(", "asyncio." + "sleep(", "pause(" + "0.")
    for path in sorted((ROOT / "tests" / "tui").glob("*.py")):
        source = path.read_text(encoding="utf-8")
        assert private not in source, f"{path.name} reads Textual's private notification list"
        for wait in waits:
            assert wait not in source, f"{path.name} waits with {wait}: await app.workers.wait_for_complete()"
