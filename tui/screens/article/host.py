"""What the article screen's action objects need from the screen (a protocol: no import of the screen)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from textual.app import App
from textual.message import Message

from annotate.review.session import ReviewSession
from annotate.service import Service
from tui.screens.base import Failed

R = TypeVar("R")


class ArticleHost(Protocol):
    """The article screen as its actions see it: the service, the session, and how to show a change."""

    svc: Service
    article_id: str
    order: list[str]
    session: ReviewSession

    @property
    def app(self) -> App[Any]: ...

    def attempt(self, call: Callable[[], R]) -> R | Failed:
        """Run one service call; refusals are reported and ``FAILED`` returned."""

    def refuse(self, message: str) -> None:
        """Report a refused action (on the status line, until the next key)."""

    def say(self, message: str) -> None:
        """Say what the key did, on the status line until the next key (a toast would cost the key two
        more frames; errors alone are toasts)."""

    def post_message(self, message: Message) -> bool:
        """Send a message up to the app."""

    def paint(self, scroll: bool = True) -> None:
        """Hand the session to the widgets, in one frame."""

    def reload(self, prefer: str | None = None, after: int | None = None, near: tuple[int, int] | None = None,
               full: bool = False, said: str | None = None) -> None:
        """Catch the state up with the action log (``full``: read it whole) and paint it (``said`` on the
        status line)."""
