"""Flags and skips of the article screen (issue 14.8): ``!`` flags the current gold span (the
article when no span is current) as uncertain, with an optional note, and unflags a flagged one;
``@`` does the same for the whole article; ``s`` skips the article and opens the next.

Each is one Service call (``Service.flags``), one logged action: ``u`` undoes it.
"""

from __future__ import annotations

from annotate.review.state import GOLD, Item
from annotate.service import Service
from tui.messages import ArticleFinished
from tui.modals.note import NoteModal
from tui.screens.article.host import ArticleHost
from tui.screens.base import FAILED
from tui.text import one_line


class FlagActions:
    """Flag, unflag and skip; the screen routes its keys here."""

    def __init__(self, host: ArticleHost) -> None:
        self.host = host

    @property
    def _svc(self) -> Service:
        return self.host.svc

    def hint(self, item: Item | None) -> str:
        """What the status line says of flags here: the current span's flag, else the article's."""
        flags = {f.span_id: f for f in self._svc.flags.flags(self.host.article_id)}  # one indexed query
        if not flags:
            return ""
        own = flags.get(item.span_id) if item is not None and item.span_id is not None else None
        if own is not None:
            return f"⚑ span flagged{': ' + own.note if own.note else ''}"
        article = flags.get(None)
        if article is not None:
            return f"⚑ article flagged{': ' + article.note if article.note else ''}"
        return ""

    def flag(self, whole_article: bool = False) -> None:
        """Flag the current gold span (``whole_article`` or no current span: the article), or unflag it."""
        host, svc = self.host, self._svc
        item = None if whole_article else host.session.item
        if item is not None and item.state != GOLD:
            host.refuse("only gold spans are flagged: accept it first (@ flags the article)")
            return
        span_id = item.span_id if item is not None else None
        what = f"“{one_line(item.text)}”" if item is not None else "the article"
        current = host.attempt(lambda: svc.flags.flag_on(host.article_id, span_id))
        if current is FAILED:
            return
        if current is not None:
            if host.attempt(lambda: svc.flags.unflag(host.article_id, span_id)) is not FAILED:
                host.say(f"unflagged {what} (u undoes)")
            return

        def noted(note: str | None) -> None:
            if note is None:
                return  # Esc: nothing flagged
            if host.attempt(lambda: svc.flags.flag(host.article_id, span_id, note)) is not FAILED:
                host.say(f"flagged {what} as uncertain (u undoes)")

        host.app.push_screen(NoteModal(f"Flag {what} as uncertain: note"), noted)

    def skip(self) -> None:
        """Skip the article for this annotator (not done) and open the next one not done nor skipped."""
        host = self.host
        if host.attempt(lambda: self._svc.flags.skip(host.article_id)) is not FAILED:
            host.post_message(ArticleFinished(host.article_id, host.order))
