"""The article screen: review one article's spans from the keyboard.

The screen holds the review state (from ``Service.review.state``), the current span, the token
cursor and the selection; widgets get them as attributes (``show``) and report mouse
input as messages. Every change goes through one Service call, committed at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.events import Key
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Static

from annotate.review.state import Item, ReviewState
from store.models import EVENT
from annotate.service import ReviewError, Service, StoreError
from annotate.review.tokens import TokenIndex
from tui import keys
from tui.messages import ItemClicked, TextSelected
from tui.navigation import (
    item_at, next_pending, resume_item, step, token_range, word_step,
)
from tui.screens.article.review_actions import FAILED, ReviewActions
from tui.screens.article.event_actions import EventActions
from tui.widgets.event_frame import EventFrame
from tui.widgets.span_panel import SpanPanel
from tui.widgets.status_bar import StatusBar
from tui.text import one_line
from tui.widgets.text_view import ArticleView, Palette

RECONCILE_DELAY = 0.8  # seconds after the last quick action before re-reading the state


class ArticleScreen(EventActions, ReviewActions, Screen[None]):
    """Verbatim text with spans, a span panel and a status bar."""

    BINDINGS = [
        *keys.bindings(keys.ARTICLE_ACTIONS),
        *keys.digit_bindings(),
    ]

    def __init__(self, service: Service, article_id: str, order: list[str], resume_key: str | None = None) -> None:
        super().__init__()
        self.svc = service
        self.article_id = article_id
        self.order = order
        self.state: ReviewState = service.review.state(article_id)
        self.tokens = TokenIndex(self.state.article.text)
        self.anchor: int | None = None
        self.mouse_selection: tuple[int, int] | None = None
        self.current: str | None = None
        self.cursor = 0
        self._reconcile_timer: Timer | None = None
        item = self.state.find(resume_key) if resume_key else None
        if item is None:  # first opening in this session: where the annotator last acted, else first pending
            item = resume_item(self.state.items, service.review.last_position(article_id))
        self._go(item, paint=False)

    # -- layout -----------------------------------------------------------

    def compose(self) -> ComposeResult:
        """Title, text beside the span panel, status bar, footer."""
        article = self.state.article
        title = Text(" ")
        title.append(one_line(article.title or article.source), style="bold")
        if article.date:
            title.append(f"  {one_line(article.date)}", style="dim")
        yield Static(title, id="title")
        with Horizontal(id="body"):
            yield ArticleView(article.text, article.regions, Palette(self.svc.config.color), id="text")
            with Vertical(id="side"):
                yield EventFrame(id="frame")
                yield SpanPanel(self.svc.config.color, id="panel")
        yield StatusBar(id="status")
        yield Footer()

    def on_mount(self) -> None:
        """First paint."""
        self.paint()

    @property
    def item(self) -> Item | None:
        """The current span, if any."""
        return self.state.find(self.current) if self.current else None

    def paint(self, scroll: bool = True) -> None:
        """Hand the current state to the widgets (they redraw only what changed)."""
        view = self.query_one(ArticleView)
        item = self.item
        cursor = self.tokens.spans[self.cursor] if len(self.tokens) else None
        frame = self.frame()
        related = frame.filler_ranges(self.state) if frame else []
        if frame is not None and self.picking is not None:
            related.append((frame.event.start, frame.event.end))
        view.show(self.state.items, item, cursor, self.selection, related)
        self.query_one(EventFrame).show(frame, self.frame_row, self.picking.role if self.picking else None,
                                        self.frame_keys_hint(), self.svc.config.event_color)
        self.query_one(SpanPanel).show(self.state.items, self.current)
        gold = len(self.state.items) - self.state.pending
        position = self.order.index(self.article_id) + 1 if self.article_id in self.order else 1
        mode = self.pick_prompt() or ("SELECT: label key or t" if self.selection else "")
        self.query_one(StatusBar).show(position, max(len(self.order), 1), self.state.pending, gold,
                                       self.svc.annotator, item, mode, item.kb_name if item else None)
        if scroll:
            target = (item.start, item.end) if item and not self.selection else cursor
            if target:
                view.keep_in_view(*target)

    @property
    def selection(self) -> tuple[int, int] | None:
        """Characters selected with `v` + cursor or with the mouse."""
        if self.anchor is not None and len(self.tokens):
            return token_range(self.tokens, self.anchor, self.cursor)
        return self.mouse_selection

    # -- state changes ----------------------------------------------------

    def _call(self, method: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run one Service call; refusals and storage errors become notifications."""
        try:
            return method(*args, **kwargs)
        except ReviewError as exc:
            self.notify(str(exc), title="Refused", severity="warning")
        except StoreError as exc:
            self.notify(str(exc), title="NOT SAVED", severity="error", timeout=15)
        except KeyError:
            self.notify("that span no longer exists; reloaded", severity="warning")
            self._reload()
        return FAILED

    def _reload(self, prefer: str | None = None, after: int | None = None) -> None:
        """Fetch the state again; current = ``prefer``, else next pending after ``after``, else nearest."""
        self._cancel_reconcile()
        self.forget_hints()
        self._settle(self.svc.review.state(self.article_id), prefer, after)

    def _settle(self, state: ReviewState, prefer: str | None = None, after: int | None = None) -> None:
        self.state = state
        items = state.items
        item = state.find(prefer) if prefer else None
        if item is None and after is not None:
            item = next_pending(items, after) or step(items, None, after, 1)
        if item is None and self.current:
            item = state.find(self.current)
        if item is None:
            item = step(items, None, self._cursor_offset(), 1)
        self._go(item, paint=False)
        self.paint()

    def _patched(self, state: ReviewState, after: int) -> None:
        """Show a state derived from the service's answer at once; check it against the database soon."""
        self._settle(state, after=after)
        self._cancel_reconcile()
        self._reconcile_timer = self.set_timer(RECONCILE_DELAY, self._reconcile)

    def _cancel_reconcile(self) -> None:
        if self._reconcile_timer is not None:
            self._reconcile_timer.stop()
            self._reconcile_timer = None

    def refresh_state(self) -> None:
        """Re-read the article from the service and repaint what changed (after another screen edited it)."""
        self._cancel_reconcile()
        self._reconcile()

    def _reconcile(self) -> None:
        """Replace the derived state by the database's (they agree unless someone else wrote)."""
        self._reconcile_timer = None
        fresh = self.svc.review.state(self.article_id)
        if (fresh.items, fresh.args) != (self.state.items, self.state.args):
            self.forget_hints()
            self.state = fresh
            if self.current and fresh.find(self.current) is None:
                self._go(step(fresh.items, None, self._cursor_offset(), 1), paint=False)
            self.paint(scroll=False)
        else:
            self.state = fresh

    def _go(self, item: Item | None, paint: bool = True) -> None:
        self.current = item.key if item else None
        self.anchor = None
        self.mouse_selection = None
        if item is not None and len(self.tokens):
            self.cursor = self.tokens.at(item.start)
        if paint:
            self.paint()

    # -- navigation -------------------------------------------------------

    def action_next_span(self) -> None:
        """Next span in the text (while choosing a filler: the next entity or value span)."""
        self._go(step(self._navigable(), self.current, self._cursor_offset(), 1))

    def action_prev_span(self) -> None:
        """Previous span in the text (while choosing a filler: the previous entity or value span)."""
        self._go(step(self._navigable(), self.current, self._cursor_offset(), -1))

    def _navigable(self) -> tuple[Item, ...]:
        if self.picking is None:
            return self.state.items
        return tuple(i for i in self.state.items if i.kind != EVENT)

    def _cursor_offset(self) -> int:
        return self.tokens.starts[self.cursor] if len(self.tokens) else 0

    def action_move_cursor(self, delta: int, by_word: bool) -> None:
        """Move the token cursor; the span under it becomes current (unless selecting)."""
        if not len(self.tokens):
            return
        if by_word:
            self.cursor = word_step(self.tokens, self.state.article.text, self.cursor, delta)
        else:
            self.cursor = max(0, min(len(self.tokens) - 1, self.cursor + delta))
        self.mouse_selection = None
        if self.anchor is None:
            under = item_at(self.state.items, *self.tokens.spans[self.cursor])
            self.current = under.key if under else None
        self.paint()

    def action_select(self) -> None:
        """Start a selection at the cursor (again: drop it)."""
        if self.anchor is None and self.mouse_selection is None:
            self.anchor = self.cursor
            self.current = None
        else:
            self.anchor = None
            self.mouse_selection = None
        self.paint()

    def action_page(self, pages: int) -> None:
        """Scroll the text a page."""
        view = self.query_one(ArticleView)
        view.scroll_to(y=view.scroll_offset.y + pages * max(view.size.height - 2, 1), animate=False)

    def action_toggle_panel(self) -> None:
        """Show or hide the span panel."""
        self.toggle_class("-panel-toggled")

    def action_back(self) -> None:
        """Drop the selection, else stop choosing a filler, else go back to the corpus."""
        if self.selection:
            self.anchor = None
            self.mouse_selection = None
            self.paint()
        elif self.picking is not None:
            self.cancel_pick()
        else:
            self.dismiss(None)

    @on(TextSelected)
    def _mouse_selected(self, event: TextSelected) -> None:
        start, end = self.tokens.snap(event.start, event.end)
        first, last = self.tokens.at(start), self.tokens.at(max(end - 1, start))
        self.cursor = last
        self.anchor = None
        if event.final and first == last:  # a click: move the cursor there
            self.mouse_selection = None
            under = item_at(self.state.items, start, end)
            self.current = under.key if under else None
        else:
            self.mouse_selection = (start, end)
            self.current = None
        self.paint(scroll=False)

    @on(ItemClicked)
    def _item_clicked(self, event: ItemClicked) -> None:
        self._go(self.state.find(event.key))

    def on_key(self, event: Key) -> None:
        """Label keys that are not digits (a config may bind a letter to a label)."""
        if event.character and event.character not in keys.DIGITS:
            label = next((lab.name for lab in self.svc.config.labels if lab.key == event.character), None)
            if label is not None:
                event.stop()
                event.prevent_default()
                self.apply_label(label)

    def help_label(self, digit: str) -> str | None:
        """Help text of a number key (None: unbound)."""
        label = next((lab.name for lab in self.svc.config.labels if lab.key == digit), None)
        return f"Label {label} (relabel / accept as / create from selection)" if label else None

    def position_key(self) -> str | None:
        """Where to resume this article in this session."""
        return self.current
