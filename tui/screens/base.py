"""The base of the app's screens: the one way a screen runs a service call and reports a refusal.

A reviewer's action either happens or is refused with one line saying why; a write the database
could not make says so loudly and stays on screen longer. Screens call :meth:`GlossatorScreen.attempt`
around every service call that can refuse, and :meth:`GlossatorScreen.refuse` for refusals of their own
(no current span, wrong key here), so that every refusal looks and behaves the same.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from textual.screen import Screen, ScreenResultType

from annotate.errors import ReviewError, StoreError

R = TypeVar("R")


class Failed:
    """What :meth:`GlossatorScreen.attempt` returns when the call was refused or not saved."""

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "FAILED"


FAILED = Failed()


class GlossatorScreen(Screen[ScreenResultType], Generic[ScreenResultType]):
    """A screen of the review app, with the app's single policy for refused actions."""

    def refuse(self, message: str) -> None:
        """Report an action that was refused; nothing changed. ``message`` is shown literally."""
        self.notify(message, title="Refused", severity="warning", markup=False)

    def not_saved(self, message: str) -> None:
        """Report a write the database could not make (busy, full, read-only)."""
        self.notify(message, title="NOT SAVED", severity="error", timeout=15, markup=False)

    def gone(self) -> None:
        """Called when an action named an item that no longer exists; screens reload here."""
        self.refuse("that item no longer exists; reloaded")

    def attempt(self, call: Callable[[], R]) -> R | Failed:
        """Run one service call; a refusal or a failed write is reported and :data:`FAILED` returned."""
        try:
            return call()
        except ReviewError as exc:
            self.refuse(str(exc))
        except StoreError as exc:
            self.not_saved(str(exc))
        except KeyError:
            self.gone()
        return FAILED
