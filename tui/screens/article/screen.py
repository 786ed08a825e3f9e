"""The article screen: review one article's spans from the keyboard.

The screen composes the widgets and routes keys. What the reviewer is looking at (the review
state, the current span, the token cursor, the selection, the role waiting for its filler) is a
:class:`~annotate.review.session.ReviewSession`, a plain object; the decisions are in
:class:`ReviewActions` and :class:`EventActions`, which call the service through the screen's
``attempt``. After every key, :meth:`ArticleScreen.paint` hands the session to all widgets in
one batch, so that the key shows in one frame.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Key
from textual.widgets import Footer, Static

from annotate.gc_pause import keep_long_lived, release
from annotate.review.frames import Frame
from annotate.review.navigation import resume_item
from annotate.review.session import Pick, ReviewSession
from annotate.review.state import Item, ReviewState
from annotate.service import Service
from tui import keys
from tui.messages import ItemClicked, TextSelected
from tui.screens.article.event_actions import EventActions
from tui.screens.article.find import FindActions
from tui.screens.article.flag_actions import FlagActions
from tui.screens.article.learn_actions import LearnActions
from tui.screens.article.review_actions import ReviewActions
from tui.screens.base import GlossatorScreen
from tui.text import one_line
from tui.widgets.event_frame import EventFrame
from tui.widgets.span_panel import SpanPanel
from tui.widgets.status_bar import StatusBar
from tui.widgets.text_view import ArticleView, Palette


class ArticleScreen(GlossatorScreen[None], inherit_bindings=False):
    """Verbatim text with spans, a span panel and a status bar."""

    CSS_PATH = "../../styles/article.tcss"
    # Not Screen's tab / shift+tab (focus moves; inherit_bindings=False): next_span and prev_span take
    # those keys, and an inherited binding would come first in the map, so the footer would say tab, not j.
    BINDINGS = [
        *keys.digit_bindings(),
        *keys.bindings(keys.ARTICLE_ACTIONS),
        Binding("ctrl+c,super+c", "screen.copy_text", "Copy selected text", show=False),
    ]

    def __init__(self, service: Service, article_id: str, order: list[str], resume_key: str | None = None) -> None:
        super().__init__()
        self.svc = service
        self.article_id = article_id
        self.order = order
        state = service.review.state(article_id)
        start = state.find(resume_key) if resume_key else None
        if start is None:  # first opening in this session: where the annotator last acted, else first pending
            start = resume_item(state.items, service.review.last_position(article_id))
        self.session = ReviewSession(state, lambda: service.events.arg_hints(article_id), service.config.event_roles, start)
        self.review = ReviewActions(self, lambda said: self.finder.next_unlinked(1, after=said))
        self.events = EventActions(self)
        self.flags = FlagActions(self)  # ! @ s (flag_actions.py)
        self.learn = LearnActions(self)
        self.finder = FindActions(self)
        self._note = ""  # what the last key did, on the status line until the next key
        self._refused = ""  # why the last key changed nothing, likewise

    # -- what tests and the app read ------------------------------------------

    @property
    def state(self) -> ReviewState:
        """The review state shown."""
        return self.session.state

    @property
    def item(self) -> Item | None:
        """The current span, if any."""
        return self.session.item

    @property
    def cursor(self) -> int:
        """The token under the cursor."""
        return self.session.cursor

    @property
    def selection(self) -> tuple[int, int] | None:
        """Characters selected with `v` + cursor or with the mouse."""
        return self.session.selection

    @property
    def picking(self) -> Pick | None:
        """The role waiting for its filler, if any."""
        return self.session.picking

    @property
    def frame_row(self) -> int:
        """The selected row of the event frame (an index of its choices)."""
        return self.session.frame_row

    def frame(self) -> Frame | None:
        """The frame of the event shown in the side panel."""
        return self.session.frame()

    def pick_prompt(self) -> str:
        """The status-line prompt while a role waits for its filler."""
        return self.events.pick_prompt()

    def position_key(self) -> str | None:
        """Where to resume this article in this session."""
        return self.session.current

    def help_label(self, digit: str) -> str | None:
        """Help text of a number key (None: unbound)."""
        label = self.review.label_on_key(digit)
        return f"Label {label} (relabel / accept as / create from selection)" if label else None

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
        """First paint; repaint in the new colours when the theme changes. Once painted, what the
        screen holds for its life is kept out of the cycle collector's full walks (``gc_pause``)."""
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)
        self.paint()
        self.call_after_refresh(keep_long_lived)

    def on_unmount(self) -> None:
        """The objects frozen while the article was open go back to the collector."""
        release()

    def _theme_changed(self, _theme: object) -> None:
        self.query_one(ArticleView).restyle()
        self.paint(scroll=False)

    def paint(self, scroll: bool = True) -> None:
        """Hand the session to every widget at once (each redraws only what changed)."""
        session = self.session
        state, item = session.state, session.item
        frame = session.frame()
        with self.app.batch_update():
            view = self.query_one(ArticleView)
            view.show(state, item, session.cursor_range, session.selection, session.related(frame))
            self.query_one(EventFrame).show(frame, session.frame_row,
                                            session.picking.role if session.picking else None,
                                            self.events.keys_hint(), self.svc.config.event_color,
                                            self.events.idle_hint())
            self.query_one(SpanPanel).show(state, session.current)
            position = self.order.index(self.article_id) + 1 if self.article_id in self.order else 1
            mode = self.events.pick_prompt() or ("SELECT: label key or t" if session.selection else self.learn.mode())
            self.query_one(StatusBar).show(position, max(len(self.order), 1), state.pending,
                                           len(state.items) - state.pending, self.svc.annotator, item, mode,
                                           item.kb_name if item else None, self._note or self.flags.hint(item),
                                           self._refused)
            target = session.target() if scroll else None
            if target:
                view.keep_in_view(*target)

    # -- state changes ----------------------------------------------------

    def say(self, message: str) -> None:
        """Say what the key did, on the status line until the next key (a toast would be a frame of its own)."""
        self._note = message
        self.paint()

    def refuse(self, message: str) -> None:
        """This screen's one way to report a refused action (``attempt``'s refusals, the actions' own and
        the app's routes): on the status line, in the key's frame, until the next key. A toast costs the
        key two more frames: its widget is mounted, laid out, then laid out again at its new size."""
        self._refused = message
        self.paint(scroll=False)

    def _next_key(self) -> None:
        """A new key or click: what the last one said or refused is forgotten (its paint shows that)."""
        self._note = self._refused = ""

    def gone(self) -> None:
        """An action named a span that no longer exists: say so and show the database's state."""
        self.refuse("that span no longer exists; reloaded")
        self.reload(full=True)

    def reload(self, prefer: str | None = None, after: int | None = None, near: tuple[int, int] | None = None,
               full: bool = False, said: str | None = None) -> None:
        """Show the state after the action just made; current = ``prefer``, else next pending after
        ``after``, else nearest (``near``: then the span at these offsets, see ``ReviewSession.go_near``);
        ``said``: what the key did, on the status line (as :meth:`say`, in the same paint).

        The state is caught up with the action log (patched over what changed: a key costs what it
        changed, not what the article holds); ``full``: read whole again instead."""
        self.session.forget_hints()
        review = self.svc.review
        state = review.state(self.article_id) if full else review.catch_up(self.session.state)
        self.learn.settle(state, prefer, after)
        if near is not None:
            self.session.go_near(*near)
        if said is not None:
            self._note = said
        self.paint()

    def refresh_state(self) -> None:
        """Re-read the article whole from the service and repaint what changed (after another screen
        edited it, or a suggester replaced its suggestions, which the log does not hold)."""
        if self.session.reconcile(self.svc.review.state(self.article_id)):
            self.paint(scroll=False)

    # -- keys: navigation -------------------------------------------------

    def action_next_span(self) -> None:
        """Next span in the text (while choosing a filler: the next entity or value span)."""
        self.learn.step(1)
        self.paint()

    def action_prev_span(self) -> None:
        """Previous span in the text (while choosing a filler: the previous entity or value span)."""
        self.learn.step(-1)
        self.paint()

    def action_move_cursor(self, delta: int, by_word: bool) -> None:
        """Move the token cursor; the span under it becomes current (unless selecting)."""
        self.session.move_cursor(delta, by_word)
        self.paint()

    def action_select(self) -> None:
        """Start a selection at the cursor (again: drop it)."""
        self.session.toggle_selection()
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
        if self.session.selection:
            self.session.drop_selection()
            self.paint()
        elif self.session.picking is not None:
            self.events.cancel_pick()
        else:
            self.dismiss(None)

    @on(TextSelected)
    def _mouse_selected(self, event: TextSelected) -> None:
        self._next_key()
        self.session.mouse_select(event.start, event.end, event.final)
        self.paint(scroll=False)

    @on(ItemClicked)
    def _item_clicked(self, event: ItemClicked) -> None:
        self._next_key()
        self.session.go(self.state.find(event.key))
        self.paint()

    def on_key(self, event: Key) -> None:
        """Every key first forgets what the last one said; label keys that are not digits (a config may
        bind a letter to a label)."""
        self._next_key()
        if event.character and event.character not in keys.DIGITS:
            label = self.review.label_on_key(event.character)
            if label is not None:
                event.stop()
                event.prevent_default()
                self.review.apply_label(label, move_on=True)

    # -- keys: decisions (see ReviewActions and EventActions) -------------------

    def action_accept(self) -> None:
        """Accept the current suggestion and move to the next pending one."""
        self.review.accept()

    def action_reject(self) -> None:
        """Reject the current suggestion."""
        self.review.reject()

    def action_reject_label(self) -> None:
        """Reject every pending suggestion with the current span's label (``confirm_bulk``: asks first)."""
        self.review.reject_label()

    def action_accept_all(self) -> None:
        """Accept every remaining suggestion at once (``confirm_bulk``: after asking)."""
        self.review.accept_all()

    def action_number(self, digit: str) -> None:
        """A label key."""
        self.review.number(digit)

    def action_event_mode(self) -> None:
        """Pick an event type."""
        self.review.event_mode()

    def action_label_picker(self) -> None:
        """Pick any label with type-ahead."""
        self.review.label_picker()

    def action_resize(self, side: str, delta: int) -> None:
        """Grow or shrink the current span by a token."""
        self.review.resize(side, delta)

    def action_delete_span(self) -> None:
        """Delete the current gold span (a pending suggestion is rejected)."""
        self.review.delete_span()

    def action_link(self) -> None:
        """Link the current entity span to a canonical entity."""
        self.review.link()

    def action_link_new_slug(self) -> None:
        """Link the current entity span to a new canonical entity named after it, in one key."""
        self.review.link_new()

    def action_done(self) -> None:
        """Mark the article done and open the next one."""
        self.review.done()

    def action_undo(self) -> None:
        """Undo this annotator's latest action in the article."""
        self.review.undo()

    def action_redo(self) -> None:
        """Redo the latest undone action."""
        self.review.redo()

    def action_add_arg(self) -> None:
        """Pick a role of the current event, then its filler."""
        self.events.add_arg()

    def action_attach_arg(self) -> None:
        """Attach the current span to the role being chosen."""
        self.events.attach_arg()

    def action_arg_move(self, delta: int) -> None:
        """Select the next / previous argument of the frame."""
        self.events.arg_move(delta)

    def action_accept_arg(self) -> None:
        """Accept the selected suggested argument."""
        self.events.accept_arg()

    def action_reject_arg(self) -> None:
        """Reject the selected suggested argument."""
        self.events.reject_arg()

    def action_replace_arg(self) -> None:
        """Choose another filler for the selected argument."""
        self.events.replace_arg()

    def action_remove_arg(self) -> None:
        """Detach the selected argument."""
        self.events.remove_arg()

    def action_flag(self, whole_article: bool = False) -> None:
        """Flag the current gold span (else the article) as uncertain, with a note; again: unflag."""
        self.flags.flag(whole_article)

    def action_skip(self) -> None:
        """Skip the article (not done, not offered next) and open the next one."""
        self.flags.skip()

    def action_confidence_order(self) -> None:
        """Order of j / k / accept-and-move-on: text ↔ lowest confidence first (see LearnActions)."""
        self.learn.toggle()

    def action_bulk_accept(self) -> None:
        """Bulk accept a label's suggestions above an estimated precision."""
        self.learn.bulk_accept()

    def action_find(self) -> None:
        """Find in the text: type, Enter jumps to the next hit after the cursor."""
        self.finder.find()

    def action_find_next(self) -> None:
        """The next hit of the last find (wrapping round)."""
        self.finder.find_next()

    def action_next_unlinked(self, delta: int) -> None:
        """The next (previous) entity mention accept-all would leave unlinked, wrapping round."""
        self.finder.next_unlinked(delta)
