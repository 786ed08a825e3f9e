"""The corpus list's status column in the theme's colours (component classes of the list)."""

from __future__ import annotations

import pytest
from rich.color import Color
from rich.segment import Segment

from annotate.service import Service
from store.models import DONE, IN_PROGRESS
from tests.paths import SIZE
from tui.app import GlossatorApp
from tui.widgets.corpus_list import CorpusList

pytestmark = pytest.mark.anyio


def status_segment(widget: CorpusList, row: int) -> Segment:
    """The segment of ``row``'s status cell as the list paints it."""
    strip = widget.render_line(row - round(widget.scroll_offset.y) + 1)
    status = widget.row(row)["status"].replace("_", " ")
    found = [s for s in strip if f" {status} " in f" {s.text} "]  # a cell padded, maybe joined to others
    assert found, (status, [s.text for s in strip])
    return found[0]


def colour(segment: Segment) -> str:
    assert segment.style is not None and segment.style.color is not None
    return segment.style.color.get_truecolor().hex.lower()


def theme(app: GlossatorApp, name: str) -> str:
    return Color.parse(app.theme_variables[name]).get_truecolor().hex.lower()


async def test_statuses_are_painted_in_the_theme_colours_and_follow_a_theme_change(review_svc: Service) -> None:
    ids = review_svc.store.article_ids()
    review_svc.review.set_status(ids[1], DONE)
    review_svc.review.set_status(ids[2], IN_PROGRESS)
    review_svc.flags.skip(ids[3])
    app = GlossatorApp(review_svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("home")  # the cursor off the coloured rows (its own colours win there)
        widget = app.screen.query_one(CorpusList)
        assert widget.cursor == 0
        todo, done, busy, skipped = (status_segment(widget, i) for i in range(4))
        assert colour(done) == theme(app, "text-success")
        assert colour(busy) == theme(app, "text-warning") and busy.style.bold
        plain = colour(todo)
        assert plain not in {colour(done), colour(busy)}
        assert colour(skipped) != plain  # muted
        dark = colour(done)
        app.theme = "textual-light"
        await pilot.pause()
        done = status_segment(widget, 1)
        assert colour(done) == theme(app, "text-success") != dark


async def test_the_cursor_row_keeps_the_cursor_colours(review_svc: Service) -> None:
    """On the cursor row the status reads in the cursor's colours (green on blue would not read)."""
    ids = review_svc.store.article_ids()
    review_svc.review.set_status(ids[1], DONE)
    app = GlossatorApp(review_svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("home", "j")
        widget = app.screen.query_one(CorpusList)
        assert widget.cursor == 1
        strip = widget.render_line(2)
        title = next(s for s in strip if s.text.strip())
        assert colour(status_segment(widget, 1)) == colour(title)
