"""Small things that cost keys or trust (issue 14, item 10), each driven by the pilot."""

from __future__ import annotations

import pytest
from textual.widgets import Label, OptionList, Static

from annotate.entities.matching import Candidate
from annotate.service import Service
from tests.paths import SIZE
from tui.app import GlossatorApp
from tui.modals.dialogs import ConfirmModal
from tui.modals.link import MIN_SCORE, LinkPicker
from tui.screens.article.screen import ArticleScreen
from tui.screens.dashboard import DashboardScreen

pytestmark = pytest.mark.anyio


async def test_toasts_never_cover_the_status_line(review_svc: Service) -> None:
    app = GlossatorApp(review_svc)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, ArticleScreen)
        for n in range(3):  # a stack of toasts, one of them long enough to wrap
            app.notify(f"toast {n} " + "long words " * (12 * n), severity="warning")
        await pilot.pause()
        toasts = list(screen.query("Toast"))
        assert len(toasts) == 3
        status = screen.query_one("#status").region
        footer = screen.query_one("Footer").region
        for toast in toasts:
            assert not toast.region.overlaps(status) and not toast.region.overlaps(footer)


async def test_a_confirmation_shows_its_whole_question(review_svc: Service) -> None:
    """`d` with suggestions left asks first; the question was cut ("Mark the article d…")."""
    app = GlossatorApp(review_svc)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", "d")
        assert isinstance(app.screen, ConfirmModal)
        question = app.screen.question
        assert question.endswith("Mark the article done anyway?")
        dialog = app.screen.query_one("#dialog")
        label = app.screen.query_one("#question", Label)
        assert dialog.content_region.contains_region(label.region), (label.region, dialog.content_region)
        lines = [label.render_line(y).text.strip() for y in range(label.size.height)]
        assert " ".join(" ".join(lines).split()) == question  # every word, wrapped if need be


def candidate(id_: str, score: float, confident: bool = False) -> Candidate:
    return Candidate(id_, id_.title(), "PER", score, id_.title(), "test", confident)


async def test_the_link_picker_hides_near_zero_candidates(review_svc: Service) -> None:
    found = [candidate("maliki", 95.0, True), candidate("malik", 42.0), candidate("mali", 3.0),
             candidate("ma", 1.0)]
    app = GlossatorApp(review_svc)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(LinkPicker("Maliki", None, lambda query: found))
        await pilot.pause()
        picker = app.screen
        assert [c.id for c in picker.candidates] == ["maliki", "malik"]
        assert picker.query_one(OptionList).option_count == 2
        assert all(c.score >= MIN_SCORE for c in picker.candidates)


async def test_the_dashboard_hint_names_the_keys(review_svc: Service) -> None:
    app = GlossatorApp(review_svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("D")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        line = str(app.screen.query_one("#dash-entities", Static).render())
        assert "E then d" in line and "glossator entities" not in line
        await pilot.press("E", "d")  # and those keys do get there
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.in_duplicates
