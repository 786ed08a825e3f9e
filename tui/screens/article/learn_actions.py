"""Learning keys of the article screen: `z` review by confidence, `B` calibrated bulk accept.

The order itself is Textual-free (:mod:`annotate.review.confidence_order`); this class holds the
reviewer's choice of order and the article's confidences, and the screen asks it where j / k and
accept-and-move-on go (:meth:`LearnActions.step`, :meth:`LearnActions.settle`).
"""

from __future__ import annotations

from annotate.review import confidence_order as order
from annotate.review.state import ReviewState
from tui.screens.article.host import ArticleHost
from tui.screens.base import FAILED

CONFIDENCE_MODE = "lowest confidence first"


class LearnActions:
    """Review by confidence and bulk accept for one article screen."""

    def __init__(self, host: ArticleHost) -> None:
        self.host = host
        self.by_confidence = False
        self._scores: dict[int, float | None] | None = None

    @property
    def scores(self) -> dict[int, float | None]:
        """Confidence of the article's suggestions (read once, again after a reload)."""
        if self._scores is None:
            found = self.host.attempt(lambda: self.host.svc.learn.scores(self.host.article_id))
            self._scores = {} if found is FAILED else found
        return self._scores

    def mode(self) -> str:
        """What the status line says about the order ("" in text order), with the current
        suggestion's confidence in confidence order."""
        if not self.by_confidence:
            return ""
        item = self.host.session.item
        if item is None or item.suggestion_id is None:
            return CONFIDENCE_MODE
        return f"{CONFIDENCE_MODE} · {order.describe(self.scores.get(item.suggestion_id))}"

    def toggle(self) -> None:
        """`z`: text order ↔ lowest confidence first (then on the least confident pending suggestion)."""
        host = self.host
        self.by_confidence = not self.by_confidence
        if self.by_confidence:
            self._scores = None
            first = order.following(host.session.state.items, self.scores, None)
            if first is not None:
                host.session.go(first)
            host.say(f"order: {CONFIDENCE_MODE}" + (f" ({order.describe(self.scores.get(first.suggestion_id))})"
                                                    if first is not None and first.suggestion_id is not None
                                                    else " (nothing pending)"))
        else:
            host.say("order: text")

    def step(self, delta: int) -> None:
        """j / k: the next span in the text, or in confidence order the next pending suggestion."""
        session = self.host.session
        if not self.by_confidence or session.picking is not None:
            session.step(delta)
            return
        session.go(order.step(session.state.items, self.scores, session.item, delta))

    def settle(self, state: ReviewState, prefer: str | None = None, after: int | None = None) -> None:
        """Show a new state (see ``ReviewSession.settle``); after a decision in confidence order,
        move on to the next pending suggestion in that order instead of in the text."""
        session = self.host.session
        decided = session.item
        key = (order.sort_key(decided, self.scores)
               if self.by_confidence and decided is not None and decided.suggestion_id else None)
        session.settle(state, prefer, after)
        if prefer is None:
            self._scores = None  # suggestions may have been replaced (re-suggested behind the screen)
        if self.by_confidence and prefer is None and after is not None:
            nxt = order.following(state.items, self.scores, key)
            if nxt is not None:
                session.go(nxt)

    def bulk_accept(self) -> None:
        """`B`: the calibrated bulk accept dialog, for this article (or the corpus)."""
        from tui.modals.bulk import open_bulk

        host = self.host
        open_bulk(host, host.svc, host.article_id, done=lambda _n: host.reload())
