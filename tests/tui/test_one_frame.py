"""Issue 14.11: keys of the article screen that used to cost a layout pass (and so two or three
terminal frames) no longer do: moving onto or off an event trigger leaves every widget where it was,
a refusal is said on the status line instead of in a toast, and a layout pass elsewhere does not
make the text or the span panel repaint their scrollbars. (Frames themselves are counted by
``benchmarks/tui_latency.py --only pty``; these tests check the behaviour that gives one frame.)"""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult

from annotate.review.frames import EMPTY, SUGGESTED, Frame, FrameRow
from annotate.review.state import PENDING, Item
from annotate.service import Service
from store.models import EVENT
from tests.paths import SIZE
from tui.app import GlossatorApp
from tui.screens.article.screen import ArticleScreen
from tui.widgets.event_frame import EventFrame
from tui.widgets.span_panel import SpanPanel
from tui.widgets.status_bar import StatusBar
from tui.widgets.text_view import ArticleView

pytestmark = pytest.mark.anyio


def regions(screen: ArticleScreen) -> dict[str, object]:
    """Where each widget of the article screen is."""
    return {w.__class__.__name__: w.region for w in
            (screen.query_one(EventFrame), screen.query_one(SpanPanel), screen.query_one(ArticleView))}


def status(screen: ArticleScreen) -> str:
    return str(screen.query_one(StatusBar).render())


async def open_article(pilot) -> ArticleScreen:
    await pilot.press("enter")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ArticleScreen)
    return screen


async def test_moving_onto_and_off_an_event_trigger_moves_no_widget(event_svc: Service) -> None:
    async with GlossatorApp(event_svc).run_test(size=SIZE) as pilot:
        screen = await open_article(pilot)
        assert screen.item.kind != EVENT
        frame = screen.query_one(EventFrame)
        before = regions(screen)
        assert frame.display and frame.region.height > 0  # laid out off an event too
        assert "the current span is not an event" in str(frame.render())
        assert "e marks the span or selection as an event" in str(frame.render())
        for _ in range(40):
            await pilot.press("j")
            if screen.item.kind == EVENT:
                break
        assert screen.item.kind == EVENT
        await pilot.pause()
        assert regions(screen) == before
        shown = str(frame.render())
        assert "EVENT" in shown and screen.item.label in shown and "not an event" not in shown
        await pilot.press("k")
        await pilot.pause()
        assert screen.item.kind != EVENT
        assert regions(screen) == before
        assert "the current span is not an event" in str(frame.render())


async def test_a_refusal_is_on_the_status_line_until_the_next_key_and_no_toast(event_svc: Service, notices) -> None:
    async with GlossatorApp(event_svc).run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_article(pilot)
        assert screen.item.kind != EVENT
        await pilot.press("r")  # a role: only on an event
        await pilot.pause()
        assert "refused: r attaches a role to an event: go to an event trigger first" in status(screen)
        assert not notices and not screen.query("Toast")
        await pilot.press("j")
        await pilot.pause()
        assert "refused" not in status(screen)


async def test_a_refusal_survives_the_reload_that_follows_it(review_svc: Service) -> None:
    """``gone``: the span the key named no longer exists; the reload's paint still shows why."""
    async with GlossatorApp(review_svc).run_test(size=SIZE) as pilot:
        screen = await open_article(pilot)
        screen.gone()
        await pilot.pause()
        assert "refused: that span no longer exists; reloaded" in status(screen)


async def test_a_layout_pass_elsewhere_does_not_repaint_the_scrollbars(review_svc: Service) -> None:
    async with GlossatorApp(review_svc).run_test(size=SIZE) as pilot:
        screen = await open_article(pilot)
        await pilot.pause()
        repainted: list[str] = []
        for view in (screen.query_one(ArticleView), screen.query_one(SpanPanel)):
            bar = view.vertical_scrollbar
            refresh = bar.refresh

            def counting(*args, _name=view.__class__.__name__, _refresh=refresh, **kwargs):
                repainted.append(_name)
                return _refresh(*args, **kwargs)

            bar.refresh = counting
        screen.query_one("#title").refresh(layout=True)  # any layout pass: a toast, a widget shown
        await pilot.pause()
        await pilot.pause()
        assert repainted == []


class FrameApp(App[None]):
    """One event frame, 6 lines high (5 inside its border)."""

    CSS = "EventFrame { height: 6; width: 60; border-bottom: hkey white; }"

    def compose(self) -> ComposeResult:
        yield EventFrame()


async def test_rows_that_do_not_fit_are_windowed_round_the_selected_one() -> None:
    event = Item(0, 5, "ATTACK", EVENT, PENDING, "tirés")
    rows = tuple(FrameRow(f"role{n}", SUGGESTED, f"filler {n}") for n in range(8)) + (FrameRow("time", EMPTY),)
    frame = Frame(event, rows)
    async with FrameApp().run_test(size=(80, 10)) as pilot:
        widget = pilot.app.query_one(EventFrame)
        widget.show(frame, 6, None, "r add a role", "red")  # choices[6]: "role6"
        await pilot.pause()
        lines = str(widget.render()).splitlines()
        assert len(lines) == widget.size.height == 5
        assert lines[0].startswith(" EVENT ") and "rows 6–8 of 9" in lines[0]
        assert [line.split()[0].lstrip("▌") for line in lines[1:4]] == ["role5", "role6", "role7"]
        assert lines[2].startswith("▌role6")  # the selected one is shown, in the middle, marked
        assert lines[-1] == " r add a role"


async def test_accept_all_says_what_it_did_on_the_status_line(review_svc: Service, notices) -> None:
    async with GlossatorApp(review_svc).run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_article(pilot)
        await pilot.press("A")  # at once ([review] confirm_bulk = false)
        await pilot.pause()
        assert pilot.app.screen is screen and screen.state.pending == 0
        assert "accepted 6 suggestions (u undoes)" in status(screen)
        await pilot.press("A")  # nothing left to accept: said in the key's frame, no toast
        await pilot.pause()
        assert pilot.app.screen is screen and "no pending suggestion" in status(screen)
        assert not notices


async def test_the_idle_event_frame_takes_the_new_theme(review_svc: Service) -> None:
    """Away from an event the frame's words do not change with the theme, their colour does."""
    async with GlossatorApp(review_svc).run_test(size=SIZE) as pilot:
        screen = await open_article(pilot)
        frame = screen.query_one(EventFrame)

        def colour() -> object:
            line = frame.render_line(0)
            return next(s.style.color for s in line if "not an event" in s.text)

        dark = colour()
        pilot.app.theme = "textual-light"
        await pilot.pause()
        await pilot.pause()
        assert "the current span is not an event" in str(frame.render())
        assert colour() != dark


async def test_a_decision_shows_the_database_state_keeping_the_items_it_did_not_change(review_svc: Service) -> None:
    """Accept, reject, undo: the screen's state is the database's, caught up with the log; every item
    the decision left as it was is the same object as before it (so the widgets redraw only the change)."""
    async with GlossatorApp(review_svc).run_test(size=SIZE) as pilot:
        screen = await open_article(pilot)
        for key in ("a", "x", "u", "u", "a", "j", "x", "u"):
            before = screen.state
            await pilot.press(key)
            await pilot.pause()
            assert screen.state == review_svc.review.state(screen.article_id)
            unchanged = [i for i in screen.state.items if before.find(i.key) == i]
            assert unchanged and all(before.find(i.key) is i for i in unchanged)


async def test_what_the_open_article_holds_is_kept_out_of_full_collections(review_svc: Service) -> None:
    import gc

    async with GlossatorApp(review_svc).run_test(size=SIZE) as pilot:
        assert gc.get_freeze_count() == 0
        screen = await open_article(pilot)
        await pilot.pause()
        assert gc.get_freeze_count() > 0
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, ArticleScreen)
        assert gc.get_freeze_count() == 0
        del screen
